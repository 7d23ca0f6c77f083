// Helpers shared by the suites that run specs: random one-hot input sequences, reading back the
// values interpret() prints, and exposing a circuit's recorded states as outputs.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/domains.hpp"
#include "compiler/input_sequence.hpp"

namespace rnncc::test {

// T uniformly random one-hot vectors of width m.
inline compiler::InputSequence random_symbols(std::size_t m, std::uint64_t T, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, m - 1);
  compiler::InputSequence xs;
  for (std::uint64_t t = 0; t < T; ++t) {
    std::vector<mpq_class> x(m, mpq_class(0));
    x[pick(rng)] = 1;
    xs.push_back(x);
  }
  return xs;
}

// A value printed by interpret() (RunResult strings) read back in its domain.
inline double read_value(const circuits::RealDomain&, const std::string& s) { return std::stod(s); }
inline mpq_class read_value(const circuits::ExactDomain&, const std::string& s) {
  mpq_class v(s);
  v.canonicalize();
  return v;
}
inline std::uint64_t read_value(const circuits::ModpDomain&, const std::string& s) { return std::stoull(s); }

// The circuit with every recorded state gate as an extra output "state[t][i]", after the
// circuit's own outputs.
inline circuits::Circuit with_state_outputs(circuits::Circuit c) {
  const std::vector<circuits::StepRecord> steps = c.steps();
  circuits::Builder b(std::move(c));
  for (const auto& rec : steps)
    for (std::size_t i = 0; i < rec.gates.size(); ++i)
      b.output("state[" + std::to_string(rec.step) + "][" + std::to_string(i) + "]", rec.gates[i]);
  return b.finish();
}

}  // namespace rnncc::test
