// The circuit IR: a flat, topologically numbered arena of bounded fan-in gates.
//
// Gates are stored as a struct of arrays (op, a, b). Every operand id is smaller than
// the gate's own id, so a forward loop over ids is a topological traversal and a backward loop
// visits consumers before producers: no pass ever needs recursion. Inputs keep their index in
// `a`, constants their index into the exact-rational pool. Circuits are built only through
// `Builder` (builder.hpp), which enforces fan-in, ordering, hash-consing and folding.
//
// Origins are run-length encoded: a builder stamps gates with its current origin, which changes
// once per spec construct and step, so a sorted list of (first gate, origin) runs costs almost
// nothing, where a per-gate tag would cost 4 bytes a gate.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <vector>

#include "circuits/gate.hpp"
#include "circuits/memory.hpp"
#include "circuits/ports.hpp"

namespace rnncc::circuits {

// Where a gate came from: a spec construct ("elman.h", "diagonal.b") and a step (0 = none or
// the initial state). Index 0 of the table is the empty origin.
struct Origin {
  std::string construct;
  std::uint32_t step = 0;
  bool operator==(const Origin&) const = default;
};

struct Output {
  std::string name;
  GateId gate = kNoGate;
  Port port;  // what it stands for (ports.hpp); role None when unknown
};

// Gates that hold the state after one step (step metadata written by the unroller).
struct StepRecord {
  std::uint32_t step = 0;
  std::vector<GateId> gates;
};

// A fact about a gate's value that the pass which built the gate proved (lift-scan's
// finite-value combine): on every valid input the value lies in [lo, hi]; with `exclusive`, the
// gate is a sum of which at most one term is nonzero (any add tree under it: terms of one
// partial sum are never nonzero together with terms of another). Passes that keep gate values
// keep hints (Rebuild maps them); lower-bool sizes words by them and builds exclusive sums as
// ORs. A wrong hint makes a wrong boolean circuit, which verify catches.
struct ValueHint {
  GateId gate = kNoGate;
  std::int64_t lo = 0, hi = 0;
  bool exclusive = false;
  bool operator==(const ValueHint&) const = default;
};

class Circuit {
 public:
  std::string name;

  std::size_t num_gates() const { return op_.size(); }
  Op op(GateId g) const { return static_cast<Op>(op_[g]); }
  GateId a(GateId g) const { return a_[g]; }
  GateId b(GateId g) const { return b_[g]; }
  std::uint32_t origin_index(GateId g) const;
  // The same for gates visited mostly in increasing id order: `cursor` (start it at 0) keeps
  // the current run, so a forward scan costs O(1) a gate instead of a binary search.
  std::uint32_t origin_index(GateId g, std::size_t& cursor) const;
  const Origin& origin(GateId g) const { return origins_[origin_index(g)]; }

  // Raw arrays, for passes that stream over the whole circuit.
  const BigVector<std::uint8_t>& ops() const { return op_; }
  const BigVector<GateId>& as() const { return a_; }
  const BigVector<GateId>& bs() const { return b_; }

  const std::vector<GateId>& inputs() const { return inputs_; }
  const std::string& input_name(std::size_t index) const { return input_names_[index]; }
  // Name of an input gate.
  const std::string& name_of_input(GateId g) const { return input_names_[a_[g]]; }
  // What input `index` stands for (ports.hpp); role None when unknown.
  const Port& input_port(std::size_t index) const { return input_ports_[index]; }
  // Keys that Initial and Parameter ports name by index ("h0", "A").
  const std::vector<std::string>& port_keys() const { return port_keys_; }
  // Shape of the recurrent state (step metadata): {d} for a vector state, {rows, cols} for a
  // matrix state; empty when unknown.
  const std::vector<std::uint32_t>& state_shape() const { return state_shape_; }

  const std::vector<Output>& outputs() const { return outputs_; }
  const std::vector<Origin>& origins() const { return origins_; }
  const std::vector<StepRecord>& steps() const { return steps_; }
  const std::vector<ValueHint>& hints() const { return hints_; }

  // Value of a constant gate.
  const mpq_class& constant(GateId g) const { return constants_[a_[g]]; }
  double constant_double(GateId g) const { return constant_doubles_[a_[g]]; }

  // Bytes held by the gate arrays (capacity, not size), for memory figures.
  std::size_t gate_bytes() const {
    return op_.capacity() * sizeof(std::uint8_t) + (a_.capacity() + b_.capacity()) * sizeof(GateId) +
           origin_runs_.capacity() * sizeof(OriginRun);
  }

 private:
  friend class Builder;

  BigVector<std::uint8_t> op_;
  BigVector<GateId> a_, b_;
  struct OriginRun {
    GateId first;
    std::uint32_t origin;
  };
  std::vector<OriginRun> origin_runs_;  // sorted by `first`; gates before the first run: origin 0
  std::vector<GateId> inputs_;
  std::vector<std::string> input_names_;
  std::vector<Port> input_ports_;
  std::vector<std::string> port_keys_;
  std::vector<std::uint32_t> state_shape_;
  std::vector<Output> outputs_;
  std::vector<Origin> origins_{Origin{}};
  std::vector<StepRecord> steps_;
  std::vector<ValueHint> hints_;
  std::vector<mpq_class> constants_;
  std::vector<double> constant_doubles_;
};

}  // namespace rnncc::circuits
