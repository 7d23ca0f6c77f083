// The only way to make a Circuit: checks fan-in and operand order, hash-conses every gate
// (commutative operands ordered) and folds constants and identities on creation, so common
// subexpression elimination costs nothing later.
//
// The hash table is open addressing over a power-of-two array of 32-bit slots. A slot holds
// `id + 1` in its low k bits (k = log2 of the table size; ids stay below it) and hash bits above
// them as a tag, so most probes that miss are rejected without reading the gate arrays. Keys are
// read back from the gate arrays: the table costs 4 bytes per slot.
//
// Placement keeps the working set in cache. A new gate's newest operand is almost always recent
// (unrolled recurrences, AIGER files), so a key's first home is a short local run of
// `kLocalRun` slots at the position of its newest operand, scaled onto the table, plus a few
// hash bits: recent keys live in a small, hot region of the table instead of one cache miss
// each. A key whose local run is full (its newest operand has a very large fan-out) goes to an
// ordinary hash position and probes from there by double hashing, so no operand, and no region
// packed solid by new gates of old operands, can make probing long. Lookups follow the same two phases: no gate is ever removed, so an empty slot in the
// local run proves the key absent.
#pragma once

#include <gmpxx.h>

#include <map>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "circuits/budget.hpp"
#include "circuits/circuit.hpp"

namespace rnncc::circuits {

// A set of names held elsewhere (by index): open addressing over (fingerprint, index + 1)
// pairs, 8 bytes a slot and no allocation per name. `name_of(i)` returns the i-th name.
class NameSet {
 public:
  template <class NameOf>
  bool insert(std::string_view name, std::uint32_t index, const NameOf& name_of) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    const auto f = static_cast<std::uint32_t>(std::hash<std::string_view>{}(name) >> 32);
    for (std::size_t i = f & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.index == 0) {
        s = {f, index + 1};
        ++count_;
        return true;
      }
      if (s.fingerprint == f && name_of(s.index - 1) == name) return false;
    }
  }
  void clear() {
    slots_.clear();
    count_ = 0;
  }

 private:
  struct Slot {
    std::uint32_t fingerprint = 0, index = 0;  // index + 1; 0 = empty
  };
  // The fingerprint is also the position: growing moves slots without reading any name.
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.index == 0) continue;
      std::size_t i = s.fingerprint & (slots_.size() - 1);
      while (slots_[i].index != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

class Builder {
 public:
  Builder() = default;
  // Continue building an existing circuit (its gates are re-hashed).
  explicit Builder(Circuit base);

  // Room for `gates` gates without growing the arrays or the table.
  void reserve(std::size_t gates);

  GateId input(std::string name, const Port& port = {});
  // Room for `n` more inputs (their names), for passes that copy 10^7-input circuits.
  void reserve_inputs(std::size_t n) {
    c_.inputs_.reserve(c_.inputs_.size() + n);
    c_.input_names_.reserve(c_.input_names_.size() + n);
    c_.input_ports_.reserve(c_.input_ports_.size() + n);
  }
  // Room for `n` more outputs (a hint: readers that can bound the count of output lines).
  void reserve_outputs(std::size_t n) { c_.outputs_.reserve(c_.outputs_.size() + n); }
  // An input whose name is known to be unique: for passes that copy the inputs of a valid
  // circuit. Skips the name check (the set of names is rebuilt before the next input() call),
  // which on 10^7 inputs is most of the cost of copying them.
  GateId input_unchecked(std::string name, const Port& port = {});
  GateId constant(const mpq_class& value);
  GateId constant(long value) { return constant(mpq_class(value)); }

  // Any non-source gate; `b` is ignored (must be kNoGate) for unary kinds. Throws Error on a
  // fan-in violation or an undefined operand.
  GateId make(Op op, GateId a, GateId b = kNoGate);

  // Raw mode (`set_folding(false)`): make() keeps every gate as written -- no constant folding
  // and no identity rewrites (1 + 1 stays an add, x * -1 stays a mul, 0 - x a sub, x & 1 an and),
  // so that a pass producing a normal form (nc1, pnc1) controls exactly which kinds appear.
  // Identical gates are still hash-consed (commutative operands ordered) and constants are still
  // shared. On by default; it can be switched at any time and affects only later make() calls.
  void set_folding(bool on) { folding_ = on; }
  bool folding() const { return folding_; }

  GateId add(GateId a, GateId b) { return make(Op::Add, a, b); }
  GateId sub(GateId a, GateId b) { return make(Op::Sub, a, b); }
  GateId mul(GateId a, GateId b) { return make(Op::Mul, a, b); }
  GateId neg(GateId a) { return make(Op::Neg, a); }
  GateId and_(GateId a, GateId b) { return make(Op::And, a, b); }
  GateId or_(GateId a, GateId b) { return make(Op::Or, a, b); }
  GateId xor_(GateId a, GateId b) { return make(Op::Xor, a, b); }
  GateId not_(GateId a) { return make(Op::Not, a); }

  // Renames every input at once, for readers whose names come after the gates (AIGER); the
  // names must be unique among themselves, so a permutation of the old names is fine.
  void set_input_names(std::vector<std::string> names);
  // Prefetches the table slots where make(op, a, b) will look (a hint for pipelined readers).
  void prefetch(Op op, GateId a, GateId b = kNoGate) const;

  // Names an output; output names are unique.
  void output(std::string name, GateId g, const Port& port = {});
  // Interface metadata (ports.hpp) set after the fact, for readers whose ports come later.
  void set_input_port(std::size_t index, const Port& port);
  void set_output_port(std::size_t index, const Port& port);
  // The index of a port key ("h0", "A"), added when new.
  std::uint32_t port_key(std::string_view key);
  // The shape of the recurrent state (Circuit::state_shape).
  void set_state_shape(std::vector<std::uint32_t> shape) { c_.state_shape_ = std::move(shape); }
  // Origin stamped on the gates created from now on (returns its index).
  std::uint32_t set_origin(const Origin& origin);
  void set_origin_index(std::uint32_t index) { origin_ = index; }
  // Records a proved fact about gate g's value (circuit.hpp, ValueHint).
  void add_hint(const ValueHint& h);
  // Records the gates holding the state after `step`.
  void add_step(std::uint32_t step, std::vector<GateId> gates);

  const Circuit& circuit() const { return c_; }
  std::size_t num_gates() const { return c_.op_.size(); }
  // Moves the circuit out and releases the hash table.
  Circuit finish();

  std::size_t table_bytes() const { return slots_.capacity() * sizeof(std::uint32_t); }

 private:
  GateId fold(Op op, GateId a, GateId b);
  GateId intern(Op op, GateId a, GateId b);
  std::size_t local_home(GateId a, GateId b, std::uint64_t h) const;
  static std::size_t overflow_stride(std::uint64_t h);  // odd: visits every slot
  GateId insert_at(std::size_t slot, std::uint32_t tag, Op op, GateId a, GateId b);
  bool table_full_for_one_more() const;
  GateId append(Op op, GateId a, GateId b);
  void grow_table(std::size_t min_slots);
  void check_operand(Op op, GateId x, const char* which) const;
  // For ordered operands x < y: a NOT gate has a larger id than its operand, so only y can be
  // the complement of x. This reads only the newer (usually cached) operand.
  bool is_complement_ordered(GateId x, GateId y) const {
    return c_.op_[y] == static_cast<std::uint8_t>(Op::Not) && c_.a_[y] == x;
  }
  bool is_const(GateId g) const { return c_.op_[g] == static_cast<std::uint8_t>(Op::Const); }

  Circuit c_;
  std::uint64_t max_gates_ = budget().max_gates;  // circuits/budget.hpp: LimitError past it
  std::uint64_t constant_bytes_ = 0;               // of the exact constants, against the budget
  std::uint32_t origin_ = 0;
  bool folding_ = true;
  BigVector<std::uint32_t> slots_;
  std::uint32_t mask_ = 0;
  int bits_ = 0;
  std::uint64_t home_scale_ = 0;
  std::size_t expected_gates_ = 0;  // set by reserve() for the next grow_table()  // maps a gate id onto the table: (id * scale) >> 32
  std::size_t hashed_ = 0;  // gates in the table
  GateId zero_ = kNoGate, one_ = kNoGate, minus_one_ = kNoGate;
  std::map<mpq_class, GateId> constant_ids_;
  // Names already taken (indices into the circuit's input names and outputs).
  NameSet input_names_, output_names_;
  bool input_names_stale_ = false;  // input_unchecked() skipped input_names_
  void index_input_names();
  std::string_view input_name_at(std::uint32_t i) const { return c_.input_names_[i]; }
  std::string_view output_name_at(std::uint32_t i) const { return c_.outputs_[i].name; }
};

}  // namespace rnncc::circuits
