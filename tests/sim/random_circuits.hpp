// Pieces of the random circuit generators of the sim suites (test_levelize, test_simulate): the
// choice of a new gate's operands and a random boolean gate.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>

#include "circuits/builder.hpp"
#include "circuits/gate.hpp"

namespace rnncc::test {

// Operands of the next gate `b` makes: with probability `recent` one of the last 8 gates
// (deep circuits), otherwise any earlier gate (wide circuits); never `skip` (a dead input).
class RandomOperand {
 public:
  RandomOperand(std::mt19937_64& rng, const circuits::Builder& b, double recent,
                circuits::GateId skip)
      : rng_(rng), b_(b), recent_(recent), skip_(skip) {}

  circuits::GateId operator()() {
    const std::size_t n = b_.num_gates();
    circuits::GateId g;
    do {
      if (coin_(rng_) < recent_)
        g = static_cast<circuits::GateId>(n - 1 - std::min<std::size_t>(n - 1, rng_() % 8));
      else
        g = static_cast<circuits::GateId>(rng_() % n);
    } while (g == skip_);
    return g;
  }

 private:
  std::mt19937_64& rng_;
  const circuits::Builder& b_;
  double recent_;
  circuits::GateId skip_;
  std::uniform_real_distribution<double> coin_{0.0, 1.0};
};

// One boolean gate for a draw `r` in [0, 100): and 30%, or 20%, xor 22%, not 18%, buf 10%, over
// operands from `pick`.
inline void add_random_bool_gate(circuits::Builder& b, unsigned r, RandomOperand& pick) {
  if (r < 30)
    b.and_(pick(), pick());
  else if (r < 50)
    b.or_(pick(), pick());
  else if (r < 72)
    b.xor_(pick(), pick());
  else if (r < 90)
    b.not_(pick());
  else
    b.make(circuits::Op::Buf, pick());
}

}  // namespace rnncc::test
