// What every pass that rebuilds a circuit shares: a Builder for the new circuit, the map from
// old gate ids to new ones, the old origins carried over on first use, and the finishing copy
// of the interface (outputs with their names and ports; inputs are copied, in order, with theirs)
// and of the step metadata (states mapped, vanished ones dropped), the state shape and the name.
//
// A pass creates gates through builder() in whatever order it likes, records where each old
// gate went with set() (copy() does both for a gate whose operands are already mapped), and
// calls finish(). Every input of the old circuit must be copied, dead ones included, and in id
// order (copy() in a forward scan does that), so that input order, names and ports are kept.
// A pass that must control exactly which kinds it writes (normal forms) constructs it with
// Folding::Off: the builder then keeps gates as written (Builder::set_folding).
#pragma once

#include <cstdint>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"

namespace rnncc::circuits {

// The live gates of `c` and all its inputs, copied in order (names, ports, origins, steps kept);
// `c` itself when no gate is dead. For passes whose builder folded a gate so that an operand is no
// longer read (x & !x -> 0), or that built gates only some readers needed.
Circuit drop_dead(Circuit c);

class Rebuild {
 public:
  enum class Folding { On, Off };
  explicit Rebuild(const Circuit& source, Folding folding = Folding::On);

  Builder& builder() { return b_; }
  const Circuit& source() const { return src_; }

  // Where old gate g went (kNoGate: nowhere yet, or vanished).
  GateId operator[](GateId g) const { return map_[g]; }
  void set(GateId old_gate, GateId new_gate) { map_[old_gate] = new_gate; }
  BigVector<GateId>& map() { return map_; }

  // Gates made from now on carry the origin of old gate g. Cheapest in increasing g order.
  void stamp_origin(GateId g);
  // Copies old gate g with its origin: an input (name and port kept), a constant, or a gate of
  // the same kind over the new ids of its operands (which must be mapped). Records and returns
  // its new id.
  GateId copy(GateId g);

  // Reserves room for `gates` gates and every input of the source.
  void reserve(std::size_t gates);

  enum class Steps { Map, Own };
  // The new circuit: outputs in their order, each through the map (every output gate must be
  // mapped); the source's value hints through the map; with Steps::Map the source's step records through the map (a vanished state gate is
  // dropped, a step left empty too), with Steps::Own only the steps the pass added itself; the
  // state shape and the name of the source.
  Circuit finish(Steps steps = Steps::Map);
  // For a pass that changes the interface itself (splits values into integers or bits): the new
  // circuit with the inputs the pass made (in the order it made them) and `outputs` (gates are
  // new ids), only the steps and hints the pass added, the state shape and the name of the source.
  Circuit finish_interface(std::vector<Output> outputs);

 private:
  const Circuit& src_;
  Builder b_;
  BigVector<GateId> map_;
  std::vector<std::uint32_t> origin_map_;  // old origin index -> new; kUnset until used
  std::size_t origin_cursor_ = 0;
  bool trivial_origins_;
};

}  // namespace rnncc::circuits
