// The precision of a run (Def. 10 of Merrill et al., "Why are linear RNNs more parallelizable?"):
// the largest bit length of any gate's value over the inputs considered, measured by the exact
// simulator (docs/measures.md, "Precision").
//
// Bit length of a rational p/q in lowest terms (q > 0): the bits of |p| plus the bits of q, each
// mpz_sizeinbase(., 2), which counts 0 as 1 bit. The sign is not counted (a sign bit would add 1
// to every value alike). So 0 = 0/1 has 2 bits, an integer n has bits(|n|) + 1, and 7/12 has
// 3 + 4 = 7. This is what the budget's max_exact_bits limits (circuits/domains.hpp,
// ExactDomain::bits).
//
// `SimOptions::precision` (sim/simulate.hpp) asks simulate_exact, or simulate_instances in the
// exact domain, to record it: per circuit gate, the largest bit length of its value over every
// lane simulated (every tile, batch and thread; the maximum does not depend on how the lanes were
// split). The schedule must be levelized with LevelizeOptions::gate_map, which says which
// scheduled value each circuit gate is: inputs and constants count, a `buf` has its operand's
// figure, and gates no output depends on (not live) are not simulated and have none (0).
// Recording costs one bit-length computation per gate and lane; runs that do not ask for it run
// the simulator's plain kernels.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/levelize.hpp"

namespace rnncc::sim {

// Bits of the numerator's absolute value plus bits of the denominator (see above).
inline std::uint64_t bit_length(const mpq_class& v) {
  return mpz_sizeinbase(v.get_num_mpz_t(), 2) + mpz_sizeinbase(v.get_den_mpz_t(), 2);
}

struct Precision {
  // Per circuit gate (indexed by GateId): the largest bit length of its value over the lanes
  // simulated so far; 0 when none was recorded (a gate that is not live, or no lane yet).
  std::vector<std::uint64_t> gate_bits;
  std::uint64_t bits = 0;                     // the largest of gate_bits: the run's precision
  circuits::GateId gate = circuits::kNoGate;  // the smallest GateId attaining `bits`
  std::uint64_t instances = 0;                // lanes recorded

  // Folds a run of `lanes` lanes into this record: `value_bits` holds, per value of `s`
  // (Schedule::num_values), the largest bit length over those lanes. The first fold sizes
  // gate_bits to the circuit; later ones must come from a schedule of a circuit of the same size
  // (Error otherwise), and take the maximum gate by gate.
  void fold(const circuits::Schedule& s, const std::vector<std::uint64_t>& value_bits, std::uint64_t lanes);
  // The maximum of two records of the same circuit, gate by gate (Error on different sizes; an
  // empty record is neutral).
  void merge(const Precision& other);
};

// The precision of one step: the largest figure over the gates of the circuit's step record
// (circuits/circuit.hpp, StepRecord: the gates that hold the state after that step).
struct StepPrecision {
  std::uint32_t step = 0;
  std::uint64_t bits = 0;                     // 0 when none of its gates was simulated
  circuits::GateId gate = circuits::kNoGate;  // the smallest GateId attaining it
};

// One entry per step record of `c`, in the circuit's order; empty when it has none. `p` must be a
// record of `c` (Error when its size differs; an empty record gives zeros).
std::vector<StepPrecision> precision_by_step(const circuits::Circuit& c, const Precision& p);

}  // namespace rnncc::sim
