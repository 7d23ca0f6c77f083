// Readout by equality tests (the paper's Thm 4; claim 15): when a linear RNN's final score
// z = o·y_T takes few distinct values V, its positivity test step(z) equals
//   OR over v ∈ V with v > 0 of [z = v],
// and each test z = v needs no order: it holds exactly when z ≡ v modulo enough primes
// (z − v = (ad − bc)/(bd) for z = a/b, v = c/d, and |ad − bc| < 2^(2B+1) when B bounds the
// numerator-plus-denominator bits of both, so primes whose product exceeds 2^(2B+1) decide it).
// That is why a log-precision LRNN is in AC0[ENC1]: equality tests of arithmetic circuits are
// modular, positivity is not.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::proofs {

struct EqualityReadoutReport {
  std::size_t words = 0;                     // every word of length 1..L
  std::vector<std::size_t> values_per_length;  // |V_T|, T = 1..L
  std::size_t max_bits = 0;                  // B: the precision of z over the words
  std::vector<std::uint64_t> primes;         // the moduli used
  std::size_t positive = 0;                  // words the positivity readout accepts
  std::size_t agree = 0;                     // words where both readouts give the same bit
};

// For an alphabet spec of a linear kind with `accept` (o given): V_T from the exact naive
// circuit's y_T (o·y_T) on every word of length T, the equality readout from the same circuit
// evaluated mod each prime, and the positivity readout from the spec's own accept output
// (exact). Primes are the smallest ones ≥ `prime_floor` whose product exceeds 2^(2B+1);
// `primes_override` (non-empty) replaces them (the claims' fault injection uses a tiny one).
EqualityReadoutReport check_equality_readout(const compiler::Spec& spec, std::size_t L, std::uint64_t prime_floor,
                                             const std::vector<std::uint64_t>& primes_override = {});

}  // namespace rnncc::proofs
