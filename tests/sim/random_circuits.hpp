// The random circuit generators of the simulator suites (test_levelize, test_simulate, the GPU
// suites): the choice of a new gate's operands, random value circuits (ring, ordered and real
// kinds, with values kept small) and random boolean circuits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <gmpxx.h>

#include <random>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/gate.hpp"

namespace rnncc::test {

using circuits::GateId;
using circuits::Op;

// Operands of the next gate `b` makes: with probability `recent` one of the last 8 gates
// (deep circuits), otherwise any earlier gate (wide circuits); never `skip` (a dead input).
class RandomOperand {
 public:
  RandomOperand(std::mt19937_64& rng, const circuits::Builder& b, double recent,
                GateId skip)
      : rng_(rng), b_(b), recent_(recent), skip_(skip) {}

  GateId operator()() {
    const std::size_t n = b_.num_gates();
    GateId g;
    do {
      if (coin_(rng_) < recent_)
        g = static_cast<GateId>(n - 1 - std::min<std::size_t>(n - 1, rng_() % 8));
      else
        g = static_cast<GateId>(rng_() % n);
    } while (g == skip_);
    return g;
  }

 private:
  std::mt19937_64& rng_;
  const circuits::Builder& b_;
  double recent_;
  GateId skip_;
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
    b.make(Op::Buf, pick());
}

inline mpq_class q(long num, unsigned long den = 1) {
  mpq_class v(num, den);
  v.canonicalize();
  return v;
}

enum class Ops { Ring, Ordered, Real };  // add sub mul neg buf; + relu sign step; + tanh sigmoid

struct Gen {
  std::size_t gates = 100;
  std::size_t inputs = 3;
  std::size_t outputs = 6;
  Ops ops = Ops::Ring;
  std::vector<mpq_class> constants;
  int limit = 48;  // bound on a value's size in bits (numerator + denominator); < 0: none
  double recent = 0.5;
  bool sinks = true;  // also every gate nothing reads is an output
};

inline int bits_of(const mpq_class& v) {
  return static_cast<int>(mpz_sizeinbase(v.get_num_mpz_t(), 2) +
                          mpz_sizeinbase(v.get_den_mpz_t(), 2));
}

// Operands come from the last 8 gates with probability `recent`, else from any earlier gate. A
// gate whose value could exceed `limit` bits (add: max + 1, mul: sum) is not made, so values
// stay small: doubles never overflow and rationals stay cheap. One input ("unused") is dead.
// Outputs: the last gate, random gates (sources included), the last gate again and (`sinks`) every
// gate nothing reads.
inline circuits::Circuit value_circuit(std::uint64_t seed, const Gen& g) {
  std::mt19937_64 rng(seed);
  circuits::Builder b;
  std::vector<int> size;
  auto track = [&](GateId id, int bits) {
    while (size.size() < b.num_gates()) size.push_back(bits);
    return id;
  };
  GateId unused = circuits::kNoGate;
  for (std::size_t i = 0; i < g.inputs; ++i) {
    track(b.input("x" + std::to_string(i)), 10);
    if (i == g.inputs / 2) unused = track(b.input("unused"), 0);
  }
  for (const mpq_class& c : g.constants) track(b.constant(c), bits_of(c));
  RandomOperand pick(rng, b, g.recent, unused);
  const std::size_t target = b.num_gates() + g.gates;
  for (std::size_t attempt = 0; b.num_gates() < target && attempt < 100 * g.gates; ++attempt) {
    const unsigned r = static_cast<unsigned>(rng() % 100);
    Op op = Op::Add;
    switch (g.ops) {
      case Ops::Ring:
        op = r < 30 ? Op::Add : r < 55 ? Op::Sub : r < 85 ? Op::Mul : r < 93 ? Op::Neg : Op::Buf;
        break;
      case Ops::Ordered:
        op = r < 25   ? Op::Add
             : r < 45 ? Op::Sub
             : r < 70 ? Op::Mul
             : r < 76 ? Op::Neg
             : r < 82 ? Op::Buf
             : r < 90 ? Op::Relu
             : r < 95 ? Op::Sign
                      : Op::Step;
        break;
      case Ops::Real:
        op = r < 25   ? Op::Add
             : r < 43 ? Op::Sub
             : r < 65 ? Op::Mul
             : r < 70 ? Op::Neg
             : r < 75 ? Op::Buf
             : r < 82 ? Op::Relu
             : r < 88 ? Op::Tanh
             : r < 93 ? Op::Sigmoid
             : r < 97 ? Op::Sign
                      : Op::Step;
        break;
    }
    const GateId a = pick();
    if (circuits::arity(op) == 2) {
      const GateId c = pick();
      const int bits = op == Op::Mul ? size[a] + size[c] : std::max(size[a], size[c]) + 1;
      if (g.limit >= 0 && bits > g.limit) continue;
      track(b.make(op, a, c), bits);
    } else {
      const bool bounded = op == Op::Tanh || op == Op::Sigmoid || op == Op::Sign || op == Op::Step;
      track(b.make(op, a), bounded ? 2 : size[a]);
    }
  }
  const GateId n = static_cast<GateId>(b.num_gates());
  b.output("last", n - 1);
  for (std::size_t o = 1; o + 1 < g.outputs; ++o) {
    GateId x = static_cast<GateId>(rng() % n);
    if (x == unused) x = n - 1;
    b.output("o" + std::to_string(o), x);
  }
  b.output("again", n - 1);
  if (g.sinks) {  // every gate nothing reads becomes an output: the whole circuit is live
    std::vector<std::uint8_t> read(n, 0);
    const circuits::Circuit& c = b.circuit();
    for (GateId x = 0; x < n; ++x) {
      if (circuits::arity(c.op(x)) >= 1) read[c.a(x)] = 1;
      if (circuits::arity(c.op(x)) == 2) read[c.b(x)] = 1;
    }
    for (GateId x = 0; x + 1 < n; ++x)
      if (!read[x] && x != unused && !circuits::is_source(c.op(x)))
        b.output("s" + std::to_string(x), x);
  }
  return b.finish();
}

// Constants k/d with d prime to p (for modp circuits and inputs).
inline std::vector<mpq_class> coprime_constants(std::uint64_t p) {
  std::vector<mpq_class> out;
  for (const mpq_class& c : {q(3), q(-2), q(5, 7), q(-4, 11), q(13, 5), q(7, 16), q(-1, 9)}) {
    const mpz_class& den = c.get_den();
    if (mpz_fdiv_ui(den.get_mpz_t(), static_cast<unsigned long>(p)) != 0) out.push_back(c);
  }
  return out;
}

inline const std::vector<mpq_class> kEighths = {q(3, 8), q(-5, 2), q(2), q(1, 8), q(-3)};

// A random boolean circuit (and or xor not buf, constants behind buf) whose outputs also include
// an input, a complemented input, both constants, a buffered constant, complemented gates and
// every gate nothing reads.
inline circuits::Circuit bool_circuit(std::uint64_t seed, std::size_t gates, std::size_t inputs, double recent) {
  std::mt19937_64 rng(seed);
  circuits::Builder b;
  for (std::size_t i = 0; i < inputs; ++i) b.input("x" + std::to_string(i));
  b.input("unused");
  const GateId unused = static_cast<GateId>(inputs);
  const GateId zero = b.constant(0), one = b.constant(1);
  b.make(Op::Buf, zero);
  b.make(Op::Buf, one);
  RandomOperand pick(rng, b, recent, unused);
  const std::size_t target = b.num_gates() + gates;
  for (std::size_t attempt = 0; b.num_gates() < target && attempt < 50 * gates; ++attempt) {
    add_random_bool_gate(b, static_cast<unsigned>(rng() % 100), pick);
  }
  const GateId n = static_cast<GateId>(b.num_gates());
  b.output("last", n - 1);
  b.output("not_last", b.not_(n - 1));
  b.output("x0", 0);
  b.output("not_x0", b.not_(0));
  b.output("zero", zero);
  b.output("one", one);
  b.output("buf_one", b.make(Op::Buf, one));
  b.output("not_buf_zero", b.not_(b.make(Op::Buf, zero)));
  for (int o = 0; o < 4; ++o) {
    GateId x = static_cast<GateId>(rng() % n);
    if (x == unused) x = n - 1;
    b.output("r" + std::to_string(o), o % 2 ? b.not_(x) : x);
  }
  // Every gate nothing reads is an output too (complemented for odd ids): all of it is live.
  std::vector<std::uint8_t> read(n, 0);
  for (GateId x = 0; x < n; ++x) {
    const Op op = b.circuit().op(x);
    if (circuits::arity(op) >= 1) read[b.circuit().a(x)] = 1;
    if (circuits::arity(op) == 2) read[b.circuit().b(x)] = 1;
  }
  for (GateId x = 0; x + 1 < n; ++x)
    if (!read[x] && x != unused && !circuits::is_source(b.circuit().op(x)))
      b.output("s" + std::to_string(x), x % 2 ? b.not_(x) : x);
  return b.finish();
}

}  // namespace rnncc::test
