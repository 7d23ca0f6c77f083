// A large generated circuit with everything the `.rc` grammar carries: inputs with ports,
// constants (integers and fractions), every gate kind on random earlier gates, origins that
// change every few gates, outputs with ports, a state shape and step records. Used by the IO
// benchmarks (bench/bench_io.cpp) and the large round-trip tests (tests/circuits/test_rc.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "circuits/builder.hpp"

namespace rnncc::bench {

inline circuits::Circuit generated_circuit(std::size_t gates, std::uint64_t seed = 1) {
  using circuits::GateId;
  using circuits::Op;
  std::uint64_t s = seed;
  auto next = [&s] {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  static constexpr Op kOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Add, Op::Mul, Op::Neg, Op::Relu,
                                Op::Tanh, Op::And, Op::Or, Op::Xor, Op::Not, Op::Sign, Op::Step};
  circuits::Builder b;
  b.reserve(gates + 16);
  b.set_state_shape({4, 2});
  const std::uint32_t key = b.port_key("h0");
  std::vector<GateId> pool;
  pool.reserve(gates);
  for (std::size_t i = 0; i < 64; ++i) {
    circuits::Port p;
    p.role = i < 8 ? circuits::PortRole::Initial : circuits::PortRole::Sequence;
    p.key = i < 8 ? key : 0;
    p.step = static_cast<std::uint32_t>(i / 8);
    p.index = static_cast<std::uint32_t>(i % 8);
    if (i % 3 == 0) {
      p.has_range = true;
      p.lo = -3;
      p.hi = 5;
    }
    pool.push_back(b.input("x[" + std::to_string(i / 8) + "][" + std::to_string(i % 8) + "]", p));
  }
  pool.push_back(b.constant(mpq_class(-3, 4)));
  pool.push_back(b.constant(7));
  std::uint32_t step = 0;
  std::vector<GateId> state;
  while (b.circuit().num_gates() < gates) {
    if (next() % 64 == 0) {
      ++step;
      if (state.size() > 0) b.add_step(step, state);
      state.clear();
    }
    b.set_origin({next() % 2 ? "layer.h" : "y", step});
    const Op op = kOps[next() % std::size(kOps)];
    // Mostly recent operands (as an unrolled circuit), some far back.
    auto pick = [&] {
      const std::uint64_t r = next();
      const std::size_t n = pool.size();
      return pool[r % 4 == 0 ? (r >> 8) % n : n - 1 - (r >> 8) % std::min<std::size_t>(n, 256)];
    };
    const GateId x = pick();
    GateId g = circuits::arity(op) == 2 ? b.make(op, x, pick()) : b.make(op, x);
    pool.push_back(g);
    if (state.size() < 8 && next() % 16 == 0) state.push_back(g);
  }
  for (std::size_t i = 0; i < 16; ++i) {
    circuits::Port p;
    p.role = circuits::PortRole::Output;
    p.step = static_cast<std::uint32_t>(i / 4);
    p.index = static_cast<std::uint32_t>(i % 4);
    b.output("y[" + std::to_string(i / 4) + "][" + std::to_string(i % 4) + "]", pool[pool.size() - 1 - i * 7], p);
  }
  return b.finish();
}

}  // namespace rnncc::bench
