// lift-scan: rebuild a linear recurrence, unrolled step by step, as a parallel-prefix network
// over affine maps (Blelloch 1990, "Prefix sums and their applications"; the LRNN upper bound
// of Merrill et al. 2026, Thm 2 / App. B).
//
// The circuit must carry step metadata (states of steps 0..T, as the unroller writes). For each
// step t >= 2 every gate between the state of step t-1 and the state of step t gets an affine
// form c + sum_j coef_j * s_{t-1}[j] whose coefficients do not depend on the state; a gate that
// has none (tanh, relu, a product of two state-dependent gates, ...) stops the pass, which then
// names it. Step 1 is kept as it is (it reads only the initial state, inputs or constants): it
// becomes the constant map of the first position. The maps are combined by a prefix network
// (or, when only the final state is read, by a balanced tree of T-1 combines) with the combine
// of docs/models.md: diagonal when every A_t is diagonal; for matrix states S_t = S_{t-1} A_t +
// B_t whose rows share one A_t, the row convention on the d_k x d_k A's; dense otherwise. State
// t is then the b part of the prefix map of positions 1..t; everything that read a state reads
// it from there. Inputs keep their order and names, outputs their names.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "circuits/circuit.hpp"
#include "compiler/passes/prefix.hpp"

namespace rnncc::compiler::passes {

// Finite values (docs/passes.md, "lift-scan", finite values): when every step's map, for every
// symbol, is a partial signed permutation (entries in {-1, 0, 1}, at most one nonzero per row
// and per column) with b_t = 0 after step 1, all prefix products stay such matrices and every
// sum of a combine has at most one nonzero term; the pass then records that as value hints
// (circuit.hpp, ValueHint) for lower-bool. Auto: when it can prove it; Require: refuse when not.
enum class FiniteValues { Off, Auto, Require };

struct LiftScanParams {
  PrefixNetwork network = PrefixNetwork::BrentKung;
  FiniteValues finite = FiniteValues::Auto;
  // Matrix states (d_v rows of d_k): lets the pass detect one A_t shared by every row. Unset:
  // the circuit's state shape (step metadata) when it has two dimensions.
  std::optional<std::pair<std::size_t, std::size_t>> matrix_shape;
};

struct LiftScanStats {
  bool lifted = false;
  std::string refusal;  // why not, e.g. "tanh on the state path at step 2, from elman.h (gate g40)"
  circuits::GateId refusal_gate = circuits::kNoGate;
  std::uint32_t refusal_step = 0;
  std::string combine;          // "diagonal", "dense", "row"
  bool reduction_tree = false;  // only the final state is read: T-1 combines in a balanced tree
  std::size_t steps = 0;        // T
  std::size_t combines = 0;     // map combines built
  std::uint32_t network_depth = 0;  // in combines
  bool finite = false;          // the finite-value hints were proved and recorded
  std::string finite_why;       // why not, when they were not (and not off)
  std::int64_t a_lo = 0, a_hi = 0, b_lo = 0, b_hi = 0;  // their ranges
};

// Returns the rewritten circuit, or nothing (stats->lifted false, stats->refusal saying why)
// when the recurrence is not affine in the state; Error when the circuit has no usable step
// metadata.
std::optional<circuits::Circuit> try_lift_scan(const circuits::Circuit& c, const LiftScanParams& params = {},
                                               LiftScanStats* stats = nullptr);

// The same, returning a copy of `c` when lifting is refused.
circuits::Circuit lift_scan(const circuits::Circuit& c, const LiftScanParams& params = {},
                            LiftScanStats* stats = nullptr);

}  // namespace rnncc::compiler::passes
