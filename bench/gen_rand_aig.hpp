// The project's random AIG ("rand.aig" of the benchmarks and docs): `inputs` inputs, `ands` ANDs,
// operand a uniform over all earlier variables, operand b within the `window` previous ones,
// random complements, one output (the last AND); splitmix64 seeded with `seed`. With the
// defaults (1000 inputs, 2M ANDs, window 5000, seed 1) ABC counts 818,364 live ANDs, lev 852.
#pragma once

#include <string>

#include "bench/common.hpp"

namespace rnncc::bench {

inline void put_varint(std::string& s, std::uint64_t x) {
  while (x & ~0x7full) {
    s.push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  s.push_back(static_cast<char>(x));
}

inline std::string random_aig(std::uint64_t inputs = 1000, std::uint64_t ands = 2'000'000,
                              std::uint64_t window = 5000, std::uint64_t seed = 1) {
  SplitMix64 rng{seed};
  std::string s = "aig " + std::to_string(inputs + ands) + " " + std::to_string(inputs) + " 0 1 " +
                  std::to_string(ands) + "\n" + std::to_string(2 * (inputs + ands)) + "\n";
  s.reserve(s.size() + ands * 5);
  for (std::uint64_t k = 0; k < ands; ++k) {
    std::uint64_t v = inputs + 1 + k;
    std::uint64_t a = 1 + rng.below(v - 1);
    std::uint64_t lo = v > window ? v - window : 1;
    std::uint64_t b = lo + rng.below(v - lo);
    std::uint64_t r0 = 2 * a + (rng.next() & 1), r1 = 2 * b + (rng.next() & 1);
    if (r0 < r1) std::swap(r0, r1);
    put_varint(s, 2 * v - r0);
    put_varint(s, r0 - r1);
  }
  return s;
}

}  // namespace rnncc::bench
