// The CPU levelized simulator (simulate_real/exact/modp/bool, simulate_instances) and Barrett
// reduction. References, none of them the simulator itself:
// * real, exact, modp: the gate-by-gate evaluator (circuits/evaluate.hpp), lane by lane, on
//   random circuits; real bitwise, exact and modp equal;
// * modp: also exact rational evaluation reduced mod p with GMP (num * den^-1 mod p);
// * bool: the suites' boolean reference (tests/bool_reference.hpp), read instance by instance;
// * exact: rationals worked out by hand in the comments;
// * Barrett::mul: (unsigned __int128)a * b % p;
// * a 10^7-deep modp chain: its closed form.
// Tiles, threads, serial_below, parallel modes and simulate_instances batches must not change any
// result (and the stats must describe the run); refused kinds, bad moduli, mismatched schedules
// and malformed input matrices throw before any simulation work.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/gate.hpp"
#include "circuits/levelize.hpp"
#include "sim/instances.hpp"
#include "sim/simulate.hpp"
#include "tests/support.hpp"
#include "tests/bool_reference.hpp"
#include "tests/sim/random_circuits.hpp"

namespace rnncc::sim {
namespace {

using circuits::Builder;
using circuits::Circuit;
using circuits::DomainKind;
using circuits::ExactDomain;
using circuits::GateId;
using circuits::kDefaultModulus;
using circuits::levelize;
using circuits::ModpDomain;
using circuits::Op;
using circuits::RealDomain;

constexpr std::size_t kLaneCounts[] = {1, 63, 64, 65, 1000};
constexpr std::size_t kMaxLanes = 1000;

// The largest prime below 2^62.
std::uint64_t largest_prime_below_2_62() {
  std::uint64_t p = (std::uint64_t{1} << 62) - 1;
  while (!circuits::is_prime(p)) p -= 2;
  return p;
}

// q mod p with GMP: num * den^-1 (p must not divide den).
std::uint64_t reduce(const mpq_class& v, std::uint64_t p) {
  const mpz_class P(static_cast<unsigned long>(p));
  mpz_class num, den;
  mpz_fdiv_r(num.get_mpz_t(), v.get_num_mpz_t(), P.get_mpz_t());
  EXPECT_NE(mpz_invert(den.get_mpz_t(), v.get_den_mpz_t(), P.get_mpz_t()), 0)
      << v.get_str() << " mod " << p;
  mpz_class r = num * den % P;
  return static_cast<std::uint64_t>(r.get_ui());
}

std::uint64_t powmod(std::uint64_t a, std::uint64_t e, std::uint64_t p) {
  circuits::uint128 r = 1, x = a % p;
  for (; e; e >>= 1, x = x * x % p)
    if (e & 1) r = r * x % p;
  return static_cast<std::uint64_t>(r);
}

// ---------------------------------------------------------------------------------------------
// Random circuits (tests/sim/random_circuits.hpp)

using test::bool_circuit;
using test::coprime_constants;
using test::Gen;
using test::kEighths;
using test::Ops;
using test::q;
using test::value_circuit;

// [input][lane] matrix of the first B lanes of lanes[k][i].
template <class T>
std::vector<T> matrix(const std::vector<std::vector<T>>& lanes, std::size_t B) {
  const std::size_t n_in = lanes.empty() ? 0 : lanes[0].size();
  std::vector<T> m(n_in * B);
  for (std::size_t k = 0; k < B; ++k)
    for (std::size_t i = 0; i < n_in; ++i) m[i * B + k] = lanes[k][i];
  return m;
}

std::vector<std::vector<double>> real_lanes(std::mt19937_64& rng, std::size_t K, std::size_t n_in) {
  std::vector<std::vector<double>> l(K, std::vector<double>(n_in));
  for (auto& lane : l)
    for (double& v : lane) v = static_cast<double>(static_cast<long>(rng() % 65) - 32) / 8.0;
  return l;
}

std::vector<std::vector<mpq_class>> exact_lanes(std::mt19937_64& rng, std::size_t K,
                                                std::size_t n_in) {
  static const unsigned long dens[] = {1, 2, 3, 4, 5, 7, 8, 12};
  std::vector<std::vector<mpq_class>> l(K, std::vector<mpq_class>(n_in));
  for (auto& lane : l)
    for (mpq_class& v : lane) v = q(static_cast<long>(rng() % 81) - 40, dens[rng() % 8]);
  return l;
}

std::vector<std::vector<std::uint64_t>> modp_lanes(std::mt19937_64& rng, std::size_t K,
                                                   std::size_t n_in, std::uint64_t p) {
  std::vector<std::vector<std::uint64_t>> l(K, std::vector<std::uint64_t>(n_in));
  for (auto& lane : l)
    for (std::uint64_t& v : lane) {
      const unsigned pick = static_cast<unsigned>(rng() % 8);
      v = pick == 0 ? 0 : pick == 1 ? p - 1 : rng() % p;  // edge residues too
    }
  return l;
}

std::uint64_t double_bits(double d) {
  return std::bit_cast<std::uint64_t>(d);
}

struct Shape {
  std::size_t gates, inputs;
};

// A value as the comparisons below compare it: a double by its bits, the others as they are.
std::uint64_t comparable(double d) {
  return double_bits(d);
}
const mpq_class& comparable(const mpq_class& v) {
  return v;
}
std::uint64_t comparable(std::uint64_t v) {
  return v;
}

// `simulate(matrix, B)` on the first B of `lanes`, for every B in kLaneCounts, against the
// gate-by-gate evaluator in `dom`: every output of every lane equal. `trace` names the circuit.
template <class Domain, class T, class Simulate>
void expect_equal_to_evaluator(const Circuit& c, Domain dom,
                               const std::vector<std::vector<T>>& lanes, const std::string& trace,
                               Simulate simulate) {
  std::vector<std::vector<T>> ref;
  for (const auto& lane : lanes) ref.push_back(circuits::evaluate(c, dom, lane));
  for (std::size_t B : kLaneCounts) {
    SCOPED_TRACE(trace + ", B = " + std::to_string(B));
    const std::vector<T> out = simulate(matrix(lanes, B), B);
    ASSERT_EQ(out.size(), c.outputs().size() * B);
    for (std::size_t o = 0; o < c.outputs().size(); ++o)
      for (std::size_t k = 0; k < B; ++k)
        ASSERT_EQ(comparable(out[o * B + k]), comparable(ref[k][o]))
            << "output " << o << " lane " << k << ": " << out[o * B + k] << " vs " << ref[k][o];
  }
}

// ---------------------------------------------------------------------------------------------
// Each domain against the gate-by-gate evaluator

TEST(SimulateReal, BitwiseEqualToEvaluator) {
  std::uint64_t seed = 11;
  for (Shape sh : {Shape{50, 1}, Shape{50, 6}, Shape{500, 3}, Shape{500, 16}, Shape{5000, 8}}) {
    Gen g{.gates = sh.gates,
          .inputs = sh.inputs,
          .outputs = 7,
          .ops = Ops::Real,
          .constants = kEighths};
    const Circuit c = value_circuit(seed, g);
    const Schedule s = levelize(c, DomainKind::Real);
    std::mt19937_64 rng(seed++);
    ASSERT_NO_FATAL_FAILURE(expect_equal_to_evaluator(
        c, RealDomain{}, real_lanes(rng, kMaxLanes, c.inputs().size()),
        std::to_string(sh.gates) + " gates, " + std::to_string(sh.inputs) + " inputs",
        [&](const std::vector<double>& m, std::size_t B) { return simulate_real(s, m, B); }));
  }
}

TEST(SimulateExact, EqualToEvaluator) {
  std::uint64_t seed = 21;
  for (Shape sh : {Shape{50, 1}, Shape{50, 6}, Shape{500, 3}, Shape{2000, 16}}) {
    Gen g{.gates = sh.gates,
          .inputs = sh.inputs,
          .outputs = 7,
          .ops = Ops::Ordered,
          .constants = {q(1, 3), q(-5, 2), q(2), q(7, 9), q(-3)}};
    const Circuit c = value_circuit(seed, g);
    const Schedule s = levelize(c, DomainKind::Exact);
    std::mt19937_64 rng(seed++);
    ASSERT_NO_FATAL_FAILURE(expect_equal_to_evaluator(
        c, ExactDomain{}, exact_lanes(rng, kMaxLanes, c.inputs().size()),
        std::to_string(sh.gates) + " gates, " + std::to_string(sh.inputs) + " inputs",
        [&](const std::vector<mpq_class>& m, std::size_t B) { return simulate_exact(s, m, B); }));
  }
}

TEST(SimulateModp, EqualToEvaluatorForSeveralPrimes) {
  const std::uint64_t big = largest_prime_below_2_62();
  std::uint64_t seed = 31;
  for (std::uint64_t p :
       {kDefaultModulus, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{1000003}, big}) {
    for (Shape sh : {Shape{50, 1}, Shape{500, 5}, Shape{5000, 12}}) {
      // No size limit: mod p values never grow, so deep products are fine.
      Gen g{.gates = sh.gates,
            .inputs = sh.inputs,
            .outputs = 7,
            .ops = Ops::Ring,
            .constants = coprime_constants(p),
            .limit = -1};
      const Circuit c = value_circuit(seed, g);
      const Schedule s = levelize(c, DomainKind::Modp);
      std::mt19937_64 rng(seed++);
      ASSERT_NO_FATAL_FAILURE(expect_equal_to_evaluator(
          c, ModpDomain(p), modp_lanes(rng, kMaxLanes, c.inputs().size(), p),
          "p = " + std::to_string(p) + ", " + std::to_string(sh.gates) + " gates",
          [&](const std::vector<std::uint64_t>& m, std::size_t B) {
            return simulate_modp(s, p, m, B);
          }));
    }
  }
}

// modp against exact evaluation reduced mod p with GMP.
TEST(SimulateModp, EqualToExactValuesReducedModP) {
  const std::uint64_t big = largest_prime_below_2_62();
  std::uint64_t seed = 41;
  for (std::uint64_t p :
       {kDefaultModulus, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{1000003}, big}) {
    // Values of up to ~400 bits: far above p, so the reduction of large and negative values counts.
    Gen g{.gates = 800,
          .inputs = 5,
          .outputs = 8,
          .ops = Ops::Ring,
          .constants = coprime_constants(p),
          .limit = 400};
    const Circuit c = value_circuit(seed, g);
    const Schedule sm = levelize(c, DomainKind::Modp);
    std::mt19937_64 rng(seed++);
    constexpr std::size_t B = 150;
    static const unsigned long dens[] = {1, 5, 7, 11, 13};  // prime to every p above
    std::vector<std::vector<mpq_class>> lanes(B, std::vector<mpq_class>(c.inputs().size()));
    for (auto& lane : lanes)
      for (mpq_class& v : lane) v = q(static_cast<long>(rng() % 201) - 100, dens[rng() % 5]);
    std::vector<std::vector<std::uint64_t>> residues(B);
    for (std::size_t k = 0; k < B; ++k)
      for (const mpq_class& v : lanes[k]) residues[k].push_back(reduce(v, p));
    const std::vector<std::uint64_t> out = simulate_modp(sm, p, matrix(residues, B), B);
    ExactDomain ex;
    for (std::size_t k = 0; k < B; ++k) {
      const std::vector<mpq_class> exact = circuits::evaluate(c, ex, lanes[k]);
      for (std::size_t o = 0; o < c.outputs().size(); ++o)
        ASSERT_EQ(out[o * B + k], reduce(exact[o], p))
            << "p = " << p << ", lane " << k << ", output " << o << " = " << exact[o].get_str();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Bool against the suites' boolean reference, instance by instance

// The suites' boolean reference (tests/bool_reference.hpp) on the instances `inst`
// ([instance][input] bits), one instance at a time: [instance][output] bits.
std::vector<std::vector<std::uint8_t>> reference_bits(
    const Circuit& c, const std::vector<std::vector<std::uint8_t>>& inst) {
  // Per-bit evaluation: each instance on its own, one bool a gate.
  std::vector<std::vector<std::uint8_t>> ref(inst.size());
  for (std::size_t k = 0; k < inst.size(); ++k) {
    std::vector<bool> in(inst[k].begin(), inst[k].end());
    for (bool bit : test::eval_bool<bool>(c, in)) ref[k].push_back(bit ? 1 : 0);
  }
  return ref;
}

// Packed [input][word] matrix of the first B instances; bits of instances >= B are garbage (the
// result must not depend on them).
std::vector<std::uint64_t> pack(const std::vector<std::vector<std::uint8_t>>& inst, std::size_t B,
                                std::size_t n_in, std::uint64_t garbage) {
  const std::size_t W = bool_words(B);
  std::vector<std::uint64_t> m(n_in * W, 0);
  for (std::size_t i = 0; i < n_in; ++i) {
    if (B % 64) m[i * W + W - 1] = (garbage * (i + 1)) & ~((std::uint64_t{1} << (B % 64)) - 1);
    for (std::size_t k = 0; k < B; ++k)
      if (inst[k][i]) m[i * W + k / 64] |= std::uint64_t{1} << (k % 64);
  }
  return m;
}

TEST(SimulateBool, EveryBitEqualToScalarEvaluator) {
  std::uint64_t seed = 51;
  for (Shape sh : {Shape{10, 1}, Shape{50, 2}, Shape{500, 6}, Shape{5000, 24}}) {
    for (double recent : {0.2, 0.9}) {
      const Circuit c = bool_circuit(seed, sh.gates, sh.inputs, recent);
      const Schedule s = levelize(c, DomainKind::Bool);
      std::mt19937_64 rng(seed++);
      const std::size_t n_in = c.inputs().size();
      std::vector<std::vector<std::uint8_t>> inst(kMaxLanes, std::vector<std::uint8_t>(n_in));
      for (auto& x : inst)
        for (auto& bit : x) bit = static_cast<std::uint8_t>(rng() & 1);
      const std::vector<std::vector<std::uint8_t>> ref = reference_bits(c, inst);
      for (std::size_t B : kLaneCounts) {
        SCOPED_TRACE(std::to_string(sh.gates) + " gates, recent " + std::to_string(recent) +
                     ", B = " + std::to_string(B));
        const std::size_t W = bool_words(B);
        const std::vector<std::uint64_t> out = simulate_bool(s, pack(inst, B, n_in, rng()), B);
        ASSERT_EQ(out.size(), c.outputs().size() * W);
        for (std::size_t o = 0; o < c.outputs().size(); ++o) {
          for (std::size_t k = 0; k < B; ++k)
            ASSERT_EQ((out[o * W + k / 64] >> (k % 64)) & 1, ref[k][o])
                << "output " << c.outputs()[o].name << " instance " << k;
          if (B % 64) {
            EXPECT_EQ(out[o * W + W - 1] >> (B % 64), 0u)
                << "bits past B, output " << c.outputs()[o].name;
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Exact against rationals worked out by hand

// f = (x + 1/3) * (y - 2/5) - x, g = relu(y - x), h = step(x) + sign(y):
//   x = 1/2, y = 3/4:  (5/6)(7/20) - 1/2 = 7/24 - 12/24 = -5/24;  g = 1/4;   h = 1 + 1 = 2
//   x = -2,  y = 7/5:  (-5/3)(1) + 2 = 1/3;                        g = 17/5;  h = 0 + 1 = 1
//   x = 0,   y = 0:    (1/3)(-2/5) - 0 = -2/15;                    g = 0;     h = 0 + 0 = 0
//   x = 3,   y = -1:   (10/3)(-7/5) - 3 = -14/3 - 3 = -23/3;       g = 0;     h = 1 - 1 = 0
Circuit hand_circuit() {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  GateId f = b.sub(b.mul(b.add(x, b.constant(q(1, 3))), b.sub(y, b.constant(q(2, 5)))), x);
  b.output("f", f);
  b.output("g", b.make(Op::Relu, b.sub(y, x)));
  b.output("h", b.add(b.make(Op::Step, x), b.make(Op::Sign, y)));
  return b.finish();
}

TEST(SimulateExact, HandComputedRationals) {
  const Circuit c = hand_circuit();
  const Schedule s = levelize(c, DomainKind::Exact);
  const std::vector<mpq_class> in = {q(1, 2), q(-2),   q(0), q(3),                 // x, four lanes
                                     q(3, 4), q(7, 5), q(0), q(-1)};               // y
  const std::vector<mpq_class> want = {q(-5, 24), q(1, 3),  q(-2, 15), q(-23, 3),  // f
                                       q(1, 4),   q(17, 5), q(0),      q(0),       // g
                                       q(2),      q(1),     q(0),      q(0)};      // h
  for (std::size_t tile : {1u, 3u, 0u}) {
    SimOptions opt;
    opt.tile = tile;
    const std::vector<mpq_class> out = simulate_exact(s, in, 4, opt);
    ASSERT_EQ(out.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      EXPECT_EQ(out[i], want[i]) << "element " << i << ": " << out[i].get_str() << ", want "
                                 << want[i].get_str();
  }
  // The same through simulate_instances, formatted as p/q.
  BatchOptions bo;
  const InstanceValues v =
      simulate_instances(s, {{q(1, 2), q(3, 4)}, {q(-2), q(7, 5)}, {q(0), q(0)}}, bo);
  EXPECT_EQ(v.domain, DomainKind::Exact);
  ASSERT_EQ(v.instances, 3u);
  ASSERT_EQ(v.outputs, 3u);
  EXPECT_EQ(v.format(0, 0), "-5/24");
  EXPECT_EQ(v.format(1, 0), "1/3");
  EXPECT_EQ(v.format(2, 0), "-2/15");
  EXPECT_EQ(v.format(1, 1), "17/5");
  EXPECT_EQ(v.format(2, 1), "0");
  EXPECT_EQ(v.format(0, 2), "2");
}

// ---------------------------------------------------------------------------------------------
// Tiles, threads, serial_below and batches change nothing

struct Grid {
  std::size_t tile, budget;
  int threads;
  std::size_t serial_below;
  SimOptions::Parallel parallel = SimOptions::Parallel::Auto;
};

std::vector<Grid> grid() {
  using P = SimOptions::Parallel;
  std::vector<Grid> g;
  for (std::size_t tile : {1u, 3u, 8u, 64u, 0u})
    for (int threads : {1, 2, 3})
      for (std::size_t serial : {std::size_t{0}, std::numeric_limits<std::size_t>::max()})
        for (P par : {P::Auto, P::Levels, P::Tiles})
          if (threads > 1 || par == P::Auto)
            g.push_back({tile, std::size_t{8} << 20, threads, serial, par});
  g.push_back({0, 1, 2, 0});           // automatic tile with a tiny budget: the smallest tile
  g.push_back({0, 1 << 12, 3, 0});     // and a middling one
  g.push_back({5000, 8 << 20, 2, 0});  // a tile larger than the batch
  g.push_back({5000, 8 << 20, 3, 0, P::Tiles});
  return g;
}

// Runs `sim(options, stats)` for every grid point and compares with `want`; checks the stats.
template <class T, class Sim>
void expect_same_everywhere(const Schedule& s, std::size_t B, std::size_t elems,
                            std::size_t elem_bytes, Sim sim, const std::vector<T>& want,
                            bool exact_domain) {
  using P = SimOptions::Parallel;
  for (const Grid& gp : grid()) {
    SCOPED_TRACE("tile " + std::to_string(gp.tile) + ", budget " + std::to_string(gp.budget) +
                 ", threads " + std::to_string(gp.threads) + ", serial_below " +
                 std::to_string(gp.serial_below) + ", parallel " +
                 std::to_string(static_cast<int>(gp.parallel)));
    SimOptions opt;
    opt.tile = gp.tile;
    opt.tile_budget = gp.budget;
    opt.threads = gp.threads;
    opt.serial_below = gp.serial_below;
    opt.parallel = gp.parallel;
    SimStats st;
    const std::vector<T> got = sim(opt, &st);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      if constexpr (std::is_same_v<T, double>)
        ASSERT_EQ(double_bits(got[i]), double_bits(want[i])) << "element " << i;
      else
        ASSERT_EQ(got[i], want[i]) << "element " << i;
    }
    EXPECT_EQ(st.gate_evals, s.num_gates() * B);
    const std::size_t rows = std::max<std::size_t>(s.num_rows, 1);
    if (gp.tile != 0) {
      EXPECT_EQ(st.tile, std::min(gp.tile, elems));
    } else if (exact_domain) {
      EXPECT_EQ(st.tile, std::min<std::size_t>(64, elems));  // rationals: 64 unless told
    } else {
      EXPECT_GE(st.tile,
                std::min<std::size_t>(8, elems));  // at least 8 unless the batch is smaller
      if (gp.budget >= 16 * rows * elem_bytes) {
        EXPECT_LE(st.tile * rows * elem_bytes, gp.budget);
      }
    }
    ASSERT_GE(st.tile, 1u);
    EXPECT_EQ(st.tiles, (elems + st.tile - 1) / st.tile);
    EXPECT_GE(st.threads, 1);
    EXPECT_LE(st.threads, gp.threads);
    if (gp.threads == 1 || gp.parallel == P::Levels) {
      EXPECT_FALSE(st.by_tiles);
    }
    if (gp.threads > 1 && gp.parallel == P::Tiles) {
      EXPECT_TRUE(st.by_tiles);
      EXPECT_EQ(static_cast<std::size_t>(st.threads), std::min<std::size_t>(gp.threads, st.tiles));
    }
    if (!exact_domain) {
      EXPECT_EQ(st.buffer_bytes, rows * st.tile * elem_bytes *
                                     (st.by_tiles ? static_cast<std::size_t>(st.threads) : 1));
    }
  }
}

TEST(SimulateOptions, TilesAndThreadsGiveIdenticalResults) {
  constexpr std::size_t B = 130;
  {  // real
    const Circuit c = value_circuit(61, Gen{.gates = 1500,
                                            .inputs = 8,
                                            .outputs = 9,
                                            .ops = Ops::Real,
                                            .constants = kEighths,
                                            .recent = 0.2});
    const Schedule s = levelize(c, DomainKind::Real);
    std::mt19937_64 rng(61);
    const auto lanes = real_lanes(rng, B, c.inputs().size());
    const auto in = matrix(lanes, B);
    SimOptions base;
    base.threads = 1;
    const std::vector<double> want = simulate_real(s, in, B, base);
    RealDomain dom;
    for (std::size_t k = 0; k < B; ++k) {
      const auto r = circuits::evaluate(c, dom, lanes[k]);
      for (std::size_t o = 0; o < r.size(); ++o)
        ASSERT_EQ(double_bits(want[o * B + k]), double_bits(r[o]));
    }
    SCOPED_TRACE("real");
    expect_same_everywhere<double>(
        s, B, B, sizeof(double),
        [&](const SimOptions& o, SimStats* st) { return simulate_real(s, in, B, o, st); }, want,
        false);
  }
  for (std::uint64_t p :
       {kDefaultModulus, std::uint64_t{1000003}}) {  // modp: Mersenne fold and Barrett
    const Circuit c = value_circuit(62, Gen{.gates = 1500,
                                            .inputs = 8,
                                            .outputs = 9,
                                            .ops = Ops::Ring,
                                            .constants = coprime_constants(p),
                                            .limit = -1,
                                            .recent = 0.2});
    const Schedule s = levelize(c, DomainKind::Modp);
    std::mt19937_64 rng(62);
    const auto in = matrix(modp_lanes(rng, B, c.inputs().size(), p), B);
    SimOptions base;
    base.threads = 1;
    const std::vector<std::uint64_t> want = simulate_modp(s, p, in, B, base);
    SCOPED_TRACE("modp " + std::to_string(p));
    expect_same_everywhere<std::uint64_t>(
        s, B, B, sizeof(std::uint64_t),
        [&](const SimOptions& o, SimStats* st) { return simulate_modp(s, p, in, B, o, st); }, want,
        false);
  }
  {  // exact
    constexpr std::size_t BE = 70;
    const Circuit c = value_circuit(63, Gen{.gates = 400,
                                            .inputs = 5,
                                            .outputs = 6,
                                            .ops = Ops::Ordered,
                                            .constants = {q(1, 3), q(-2), q(5, 4)},
                                            .recent = 0.2});
    const Schedule s = levelize(c, DomainKind::Exact);
    std::mt19937_64 rng(63);
    const auto in = matrix(exact_lanes(rng, BE, c.inputs().size()), BE);
    SimOptions base;
    base.threads = 1;
    const std::vector<mpq_class> want = simulate_exact(s, in, BE, base);
    SCOPED_TRACE("exact");
    expect_same_everywhere<mpq_class>(
        s, BE, BE, sizeof(mpq_class),
        [&](const SimOptions& o, SimStats* st) { return simulate_exact(s, in, BE, o, st); }, want,
        true);
  }
  for (std::size_t BB :
       {std::size_t{1000}, std::size_t{100}}) {  // bool: 16 words, and 2 words with a partial one
    const Circuit c = bool_circuit(64, 3000, 12, 0.3);
    const Schedule s = levelize(c, DomainKind::Bool);
    std::mt19937_64 rng(64);
    std::vector<std::vector<std::uint8_t>> inst(BB, std::vector<std::uint8_t>(c.inputs().size()));
    for (auto& x : inst)
      for (auto& bit : x) bit = static_cast<std::uint8_t>(rng() & 1);
    const auto in = pack(inst, BB, c.inputs().size(), 0);
    SimOptions base;
    base.threads = 1;
    const std::vector<std::uint64_t> want = simulate_bool(s, in, BB, base);
    const std::vector<std::vector<std::uint8_t>> ref = reference_bits(c, inst);
    for (std::size_t k = 0; k < BB; ++k) {
      const auto& r = ref[k];
      for (std::size_t o = 0; o < r.size(); ++o)
        ASSERT_EQ((want[o * bool_words(BB) + k / 64] >> (k % 64)) & 1, r[o]);
    }
    SCOPED_TRACE("bool B = " + std::to_string(BB));
    expect_same_everywhere<std::uint64_t>(
        s, BB, bool_words(BB), sizeof(std::uint64_t),
        [&](const SimOptions& o, SimStats* st) { return simulate_bool(s, in, BB, o, st); }, want,
        false);
  }
}

// simulate_instances: every batch size gives the values of one whole-matrix run.
TEST(SimulateInstances, BatchSizesGiveIdenticalResults) {
  constexpr std::size_t K = 1000;
  const std::size_t batches[] = {1, 63, 64, 65, 1000, 0, 7777};
  {  // real
    const Circuit c = value_circuit(
        71, Gen{.gates = 300, .inputs = 4, .outputs = 5, .ops = Ops::Real, .constants = kEighths});
    const Schedule s = levelize(c, DomainKind::Real);
    std::mt19937_64 rng(71);
    const auto lanes = real_lanes(rng, K, c.inputs().size());
    std::vector<std::vector<mpq_class>> inst(K);
    for (std::size_t k = 0; k < K; ++k)
      for (double d : lanes[k]) inst[k].push_back(mpq_class(d));
    const std::vector<double> want = simulate_real(s, matrix(lanes, K), K);
    for (std::size_t batch : batches) {
      BatchOptions bo;
      bo.batch = batch;
      SimStats st;
      const InstanceValues v = simulate_instances(s, inst, bo, &st);
      ASSERT_EQ(v.domain, DomainKind::Real);
      ASSERT_EQ(v.instances, K);
      ASSERT_EQ(v.outputs, c.outputs().size());
      ASSERT_EQ(v.real.size(), K * v.outputs);
      EXPECT_EQ(st.gate_evals, s.num_gates() * K) << "batch " << batch;
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t o = 0; o < v.outputs; ++o)
          ASSERT_EQ(double_bits(v.real[k * v.outputs + o]), double_bits(want[o * K + k]))
              << "batch " << batch << " instance " << k;
    }
  }
  {  // exact
    const Circuit c = value_circuit(72, Gen{.gates = 200,
                                            .inputs = 4,
                                            .outputs = 5,
                                            .ops = Ops::Ordered,
                                            .constants = {q(1, 3), q(-2)}});
    const Schedule s = levelize(c, DomainKind::Exact);
    std::mt19937_64 rng(72);
    const auto lanes = exact_lanes(rng, K, c.inputs().size());
    const std::vector<mpq_class> want = simulate_exact(s, matrix(lanes, K), K);
    for (std::size_t batch : batches) {
      BatchOptions bo;
      bo.batch = batch;
      const InstanceValues v = simulate_instances(s, lanes, bo);
      ASSERT_EQ(v.exact.size(), K * c.outputs().size());
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t o = 0; o < v.outputs; ++o)
          ASSERT_EQ(v.exact[k * v.outputs + o], want[o * K + k])
              << "batch " << batch << " instance " << k;
    }
  }
  for (std::uint64_t p : {kDefaultModulus, std::uint64_t{1000003}}) {  // modp, rational instances
    const Circuit c = value_circuit(73, Gen{.gates = 300,
                                            .inputs = 4,
                                            .outputs = 5,
                                            .ops = Ops::Ring,
                                            .constants = coprime_constants(p),
                                            .limit = -1});
    const Schedule s = levelize(c, DomainKind::Modp);
    std::mt19937_64 rng(73);
    const auto lanes = exact_lanes(rng, K, c.inputs().size());  // denominators <= 12: prime to p
    std::vector<std::vector<std::uint64_t>> residues(K);
    for (std::size_t k = 0; k < K; ++k)
      for (const mpq_class& v : lanes[k]) residues[k].push_back(reduce(v, p));
    const std::vector<std::uint64_t> want = simulate_modp(s, p, matrix(residues, K), K);
    for (std::size_t batch : batches) {
      BatchOptions bo;
      bo.batch = batch;
      bo.modulus = p;
      const InstanceValues v = simulate_instances(s, lanes, bo);
      ASSERT_EQ(v.modp_or_bool.size(), K * c.outputs().size());
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t o = 0; o < v.outputs; ++o)
          ASSERT_EQ(v.modp_or_bool[k * v.outputs + o], want[o * K + k])
              << "p " << p << " batch " << batch;
    }
  }
  {  // bool
    const Circuit c = bool_circuit(74, 500, 6, 0.5);
    const Schedule s = levelize(c, DomainKind::Bool);
    std::mt19937_64 rng(74);
    std::vector<std::vector<std::uint8_t>> bitsv(K, std::vector<std::uint8_t>(c.inputs().size()));
    std::vector<std::vector<mpq_class>> inst(K);
    for (std::size_t k = 0; k < K; ++k)
      for (auto& bit : bitsv[k]) {
        bit = static_cast<std::uint8_t>(rng() & 1);
        inst[k].push_back(mpq_class(bit));
      }
    const std::vector<std::vector<std::uint8_t>> ref = reference_bits(c, bitsv);
    for (std::size_t batch : batches) {
      BatchOptions bo;
      bo.batch = batch;
      const InstanceValues v = simulate_instances(s, inst, bo);
      ASSERT_EQ(v.modp_or_bool.size(), K * c.outputs().size());
      for (std::size_t k = 0; k < K; ++k) {
        const auto& r = ref[k];
        for (std::size_t o = 0; o < v.outputs; ++o)
          ASSERT_EQ(v.modp_or_bool[k * v.outputs + o], r[o])
              << "batch " << batch << " instance " << k;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Errors before any work

using test::error_of;

Circuit unary_circuit(Op op) {
  Builder b;
  GateId x = b.input("x");
  b.output("y", b.add(b.make(op, x), x));
  return b.finish();
}

TEST(SimulateErrors, UndefinedKindsAreRefusedByLevelize) {
  struct Case {
    Op op;
    DomainKind d;
    const char* kind;
    const char* domain;
  };
  for (const Case& k : {Case{Op::Tanh, DomainKind::Modp, "tanh", "modp"},
                        Case{Op::Tanh, DomainKind::Exact, "tanh", "exact"},
                        Case{Op::Sigmoid, DomainKind::Exact, "sigmoid", "exact"},
                        Case{Op::Relu, DomainKind::Modp, "relu", "modp"},
                        Case{Op::Sign, DomainKind::Modp, "sign", "modp"},
                        Case{Op::Step, DomainKind::Modp, "step", "modp"}}) {
    const Circuit c = unary_circuit(k.op);
    const std::string msg = error_of([&] { levelize(c, k.d); });
    EXPECT_NE(msg.find(k.kind), std::string::npos) << msg;
    EXPECT_NE(msg.find(k.domain), std::string::npos) << msg;
  }
  {  // add and mul in bool
    Builder b;
    GateId x = b.input("x"), y = b.input("y");
    b.output("s", b.add(x, y));
    const Circuit c = b.finish();
    const std::string msg = error_of([&] { levelize(c, DomainKind::Bool); });
    EXPECT_NE(msg.find("add"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bool"), std::string::npos) << msg;
  }
  {
    Builder b;
    GateId x = b.input("x"), y = b.input("y");
    b.output("p", b.mul(x, y));
    const Circuit c = b.finish();
    const std::string msg = error_of([&] { levelize(c, DomainKind::Bool); });
    EXPECT_NE(msg.find("mul"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bool"), std::string::npos) << msg;
  }
  {  // and/xor/not in real
    Builder b;
    GateId x = b.input("x"), y = b.input("y");
    b.output("a", b.xor_(x, y));
    const Circuit c = b.finish();
    for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}) {
      const std::string msg = error_of([&] { levelize(c, d); });
      EXPECT_NE(msg.find("xor"), std::string::npos) << msg;
      EXPECT_NE(msg.find(std::string(circuits::domain_name(d))), std::string::npos) << msg;
    }
  }
  {  // a constant 1/2 (and 2) in bool, as an output and behind a buf
    for (const mpq_class& v : {q(1, 2), q(2), q(-1)}) {
      Builder b;
      GateId x = b.input("x");
      b.output("x", x);
      b.output("h", b.make(Op::Buf, b.constant(v)));
      const Circuit c = b.finish();
      const std::string msg = error_of([&] { levelize(c, DomainKind::Bool); });
      EXPECT_NE(msg.find(v.get_str()), std::string::npos) << msg;
      EXPECT_NE(msg.find("bool"), std::string::npos) << msg;
    }
  }
  {  // a dead tanh is no obstacle (only live gates must run in the domain)
    Builder b;
    GateId x = b.input("x");
    b.make(Op::Tanh, x);
    b.output("y", b.mul(x, x));
    const Circuit c = b.finish();
    EXPECT_NO_THROW(levelize(c, DomainKind::Modp));
  }
}

TEST(SimulateErrors, BadModulusMismatchedScheduleAndBadShapes) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("s", b.add(b.mul(x, y), x));
  const Circuit c = b.finish();
  const Schedule sm = levelize(c, DomainKind::Modp);
  const Schedule sr = levelize(c, DomainKind::Real);
  const Schedule se = levelize(c, DomainKind::Exact);
  const std::vector<std::uint64_t> two = {1, 2};  // 2 inputs x 1 lane

  for (std::uint64_t p :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{4},
        std::uint64_t{1000001} /* 101 * 9901 */,
        kDefaultModulus - 2 /* 2^61 - 3 = 29 * 79511827903920481 */, std::uint64_t{1} << 62,
        (std::uint64_t{1} << 62) + 135, ~std::uint64_t{0}}) {
    const std::string msg = error_of([&] { simulate_modp(sm, p, two, 1); });
    EXPECT_NE(msg.find(std::to_string(p)), std::string::npos) << msg;
    EXPECT_THROW(Barrett{p}, Error) << p;
  }
  // Residues must be below p.
  EXPECT_THROW(simulate_modp(sm, 1000003, {1000003, 0}, 1), Error);
  EXPECT_THROW(simulate_modp(sm, kDefaultModulus, {0, kDefaultModulus}, 1), Error);

  // A schedule run in another domain.
  {
    const std::string msg = error_of([&] { simulate_real(sm, {1.0, 2.0}, 1); });
    EXPECT_NE(msg.find("modp"), std::string::npos) << msg;
    EXPECT_NE(msg.find("real"), std::string::npos) << msg;
  }
  EXPECT_THROW(simulate_modp(sr, kDefaultModulus, two, 1), Error);
  EXPECT_THROW(simulate_exact(sm, {q(1), q(2)}, 1), Error);
  EXPECT_THROW(simulate_bool(sr, {1, 2}, 1), Error);
  EXPECT_THROW(simulate_real(se, {1.0, 2.0}, 1), Error);

  // Input matrices of the wrong size.
  EXPECT_THROW(simulate_real(sr, {1.0, 2.0, 3.0}, 1), Error);
  EXPECT_THROW(simulate_real(sr, {1.0, 2.0}, 2), Error);
  EXPECT_THROW(simulate_real(sr, {}, 1), Error);
  EXPECT_THROW(simulate_exact(se, {q(1)}, 1), Error);
  EXPECT_THROW(simulate_modp(sm, kDefaultModulus, {1, 2, 3}, 1), Error);
  EXPECT_THROW(simulate_modp(sm, kDefaultModulus, std::vector<std::uint64_t>(2 * 64), 65), Error);
  {
    Builder bb;
    GateId p = bb.input("p"), r = bb.input("r");
    bb.output("a", bb.and_(p, r));
    const Circuit cb = bb.finish();
    const Schedule sb = levelize(cb, DomainKind::Bool);
    EXPECT_THROW(simulate_bool(sb, std::vector<std::uint64_t>(2 * 65), 65),
                 Error);  // 65 instances: 2 words
    EXPECT_THROW(simulate_bool(sb, std::vector<std::uint64_t>(2), 65), Error);
    EXPECT_NO_THROW(simulate_bool(sb, std::vector<std::uint64_t>(4), 65));
    EXPECT_NO_THROW(simulate_bool(sb, std::vector<std::uint64_t>(2), 64));
    EXPECT_THROW(simulate_real(sb, {1.0, 2.0}, 1), Error);
  }
  // The right shape runs (and nothing above left a state behind).
  EXPECT_EQ(simulate_real(sr, {3.0, 5.0}, 1), (std::vector<double>{18.0}));
  EXPECT_EQ(simulate_modp(sm, 7, {3, 5}, 1),
            (std::vector<std::uint64_t>{4}));  // 15 + 3 = 18 = 4 mod 7

  // simulate_instances: wrong arity, a residue class p divides, a non-prime modulus.
  EXPECT_THROW(simulate_instances(sr, {{q(1)}}, BatchOptions{}), Error);
  {
    BatchOptions bo;
    bo.modulus = 3;
    EXPECT_THROW(simulate_instances(sm, {{q(1, 3), q(1)}}, bo), Error);
    bo.modulus = 9;
    EXPECT_THROW(simulate_instances(sm, {{q(1), q(1)}}, bo), Error);
  }
}

// Degenerate shapes: no instances, no outputs, outputs that are constants with every input dead.
TEST(SimulateShapes, EmptyBatchesAndConstantCircuits) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("s", b.add(b.mul(x, y), x));
  const Circuit c = b.finish();
  EXPECT_TRUE(simulate_real(levelize(c, DomainKind::Real), {}, 0).empty());
  EXPECT_TRUE(simulate_exact(levelize(c, DomainKind::Exact), {}, 0).empty());
  EXPECT_TRUE(simulate_modp(levelize(c, DomainKind::Modp), 1000003, {}, 0).empty());
  const InstanceValues none = simulate_instances(levelize(c, DomainKind::Real), {}, {});
  EXPECT_EQ(none.instances, 0u);
  EXPECT_TRUE(none.real.empty());

  Builder nb;  // no outputs at all: nothing is live
  GateId z = nb.input("z");
  nb.mul(z, z);
  const Circuit nc = nb.finish();
  const Schedule ns = levelize(nc, DomainKind::Real);
  EXPECT_EQ(ns.num_gates(), 0u);
  EXPECT_EQ(ns.input_row, (std::vector<std::uint32_t>{circuits::kNoRow}));
  EXPECT_TRUE(simulate_real(ns, {1.0, 2.0, 3.0}, 3).empty());

  Builder kb;  // y = 5/4 whatever the (dead) input
  kb.input("u");
  kb.output("k", kb.constant(q(5, 4)));
  const Circuit kc = kb.finish();
  EXPECT_EQ(simulate_real(levelize(kc, DomainKind::Real), std::vector<double>(5, 9.0), 5),
            std::vector<double>(5, 1.25));
  EXPECT_EQ(simulate_exact(levelize(kc, DomainKind::Exact), std::vector<mpq_class>(3, q(9)), 3),
            std::vector<mpq_class>(3, q(5, 4)));
  // 4^-1 = 2 mod 7, so 5/4 = 10 = 3 mod 7.
  EXPECT_EQ(simulate_modp(levelize(kc, DomainKind::Modp), 7, std::vector<std::uint64_t>(4, 6), 4),
            std::vector<std::uint64_t>(4, 3));

  Builder bb;  // bool: constant outputs over a dead input, 70 instances = 2 words
  bb.input("u");
  bb.output("one", bb.constant(1));
  bb.output("zero", bb.constant(0));
  const Schedule sb = levelize(bb.finish(), DomainKind::Bool);
  EXPECT_EQ(simulate_bool(sb, {~0ull, ~0ull}, 70),
            (std::vector<std::uint64_t>{~0ull, (std::uint64_t{1} << 6) - 1, 0, 0}));
  EXPECT_TRUE(simulate_bool(sb, {}, 0).empty());
}

// ---------------------------------------------------------------------------------------------
// Barrett reduction

TEST(Barrett, MulMatchesInt128Remainder) {
  const std::uint64_t big = largest_prime_below_2_62();
  std::mt19937_64 rng(81);
  for (std::uint64_t p :
       {std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{5}, std::uint64_t{1000003},
        std::uint64_t{4294967291} /* largest prime < 2^32 */, kDefaultModulus, big}) {
    const Barrett br(p);
    EXPECT_EQ(br.p, p);
    auto check = [&](std::uint64_t a, std::uint64_t b) {
      const std::uint64_t want =
          static_cast<std::uint64_t>(static_cast<circuits::uint128>(a) * b % p);
      ASSERT_EQ(br.mul(a, b), want) << a << " * " << b << " mod " << p;
    };
    for (std::uint64_t a : {std::uint64_t{0}, std::uint64_t{1}, p / 2, p - 2, p - 1})
      for (std::uint64_t b2 : {std::uint64_t{0}, std::uint64_t{1}, p / 2, p - 2, p - 1})
        if (a < p && b2 < p) check(a, b2);
    for (int i = 0; i < 200000; ++i) check(rng() % p, rng() % p);
    // Products near p^2 and near multiples of p.
    for (int i = 0; i < 20000; ++i)
      check(p - 1 - rng() % std::min<std::uint64_t>(p, 1000),
            p - 1 - rng() % std::min<std::uint64_t>(p, 1000));
  }
}

// ---------------------------------------------------------------------------------------------
// A 10^7-deep chain

// x_{i+1} = 3 x_i + 5, 5 * 10^6 times: 10^7 levels of one gate. Closed form:
//   x_n = 3^n x_0 + 5 (3^n - 1) / 2  (mod p).
TEST(SimulateDeep, TenMillionLevelChainInModp) {
#if defined(__SANITIZE_ADDRESS__)  // a tenth under AddressSanitizer (-O0 and shadow memory: minutes)
  constexpr std::size_t kN = 500'000;
#else
  constexpr std::size_t kN = 5'000'000;
#endif
  Builder b;
  b.reserve(2 * kN + 4);
  GateId x = b.input("x");
  const GateId three = b.constant(3), five = b.constant(5);
  for (std::size_t i = 0; i < kN; ++i) x = b.add(b.mul(x, three), five);
  b.output("y", x);
  const Circuit c = b.finish();
  ASSERT_EQ(c.num_gates(), 2 * kN + 3);
  const Schedule s = levelize(c, DomainKind::Modp);
  EXPECT_EQ(s.num_levels(), 2 * kN);
  EXPECT_EQ(s.num_gates(), 2 * kN);
  EXPECT_LE(s.num_rows, 5u);
  for (std::uint64_t p : {kDefaultModulus, std::uint64_t{1000003}}) {
    const std::vector<std::uint64_t> x0 = {7, p - 2};
    const std::vector<std::uint64_t> out = simulate_modp(s, p, x0, 2);
    ASSERT_EQ(out.size(), 2u);
    const std::uint64_t t = powmod(3, kN, p);
    const std::uint64_t inv2 = powmod(2, p - 2, p);
    for (std::size_t k = 0; k < 2; ++k) {
      const circuits::uint128 want =
          (static_cast<circuits::uint128>(t) * x0[k] % p +
           static_cast<circuits::uint128>(5) * ((t + p - 1) % p) % p * inv2) %
          p;
      EXPECT_EQ(out[k], static_cast<std::uint64_t>(want)) << "p = " << p << ", lane " << k;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// simulate_instances: formats and bit checks

TEST(SimulateInstances, FormatsPerDomain) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("s", b.add(x, b.neg(y)));  // x - y
  b.output("x", x);
  const Circuit c = b.finish();

  {  // exact: p/q
    const InstanceValues v =
        simulate_instances(levelize(c, DomainKind::Exact), {{q(1, 2), q(1, 3)}, {q(-7), q(2)}}, {});
    EXPECT_EQ(v.format(0, 0), "1/6");
    EXPECT_EQ(v.format(0, 1), "1/2");
    EXPECT_EQ(v.format(1, 0), "-9");
    EXPECT_EQ(v.format(1, 1), "-7");
  }
  {  // modp: decimal residues; 1/2 = (p + 1) / 2, -9 = p - 9
    BatchOptions bo;
    const InstanceValues v =
        simulate_instances(levelize(c, DomainKind::Modp), {{q(1, 2), q(0)}, {q(-7), q(2)}}, bo);
    EXPECT_EQ(v.format(0, 0), std::to_string((kDefaultModulus + 1) / 2));
    EXPECT_EQ(v.format(0, 0), "1152921504606846976");
    EXPECT_EQ(v.format(1, 0), "2305843009213693942");
    bo.modulus = 1000003;
    const InstanceValues w =
        simulate_instances(levelize(c, DomainKind::Modp), {{q(1, 2), q(0)}, {q(-7), q(2)}}, bo);
    EXPECT_EQ(w.format(0, 0), "500002");
    EXPECT_EQ(w.format(1, 0), "999994");
    EXPECT_EQ(w.format(1, 1), "999996");
  }
  {  // real: shortest decimal
    const InstanceValues v =
        simulate_instances(levelize(c, DomainKind::Real), {{q(1, 2), q(3, 4)}, {q(3), q(1)}}, {});
    EXPECT_EQ(v.format(0, 0), "-0.25");
    EXPECT_EQ(v.format(1, 0), "2");
    EXPECT_EQ(v.format(0, 1), "0.5");
  }
  {  // bool: 0/1; inputs must be bits
    Builder bb;
    GateId p = bb.input("p"), r = bb.input("r");
    bb.output("or", bb.or_(p, r));
    bb.output("np", bb.not_(p));
    const Schedule sb = levelize(bb.finish(), DomainKind::Bool);
    const InstanceValues v =
        simulate_instances(sb, {{q(0), q(0)}, {q(0), q(1)}, {q(1), q(0)}, {q(1), q(1)}}, {});
    const char* want_or[] = {"0", "1", "1", "1"};
    const char* want_np[] = {"1", "1", "0", "0"};
    for (std::size_t k = 0; k < 4; ++k) {
      EXPECT_EQ(v.format(k, 0), want_or[k]) << k;
      EXPECT_EQ(v.format(k, 1), want_np[k]) << k;
    }
    for (const mpq_class& bad : {q(2), q(-1), q(1, 2)}) {
      const std::string msg = error_of([&] {
        simulate_instances(sb, {{q(0), q(1)}, {q(1), bad}}, {});
      });
      EXPECT_NE(msg.find(bad.get_str()), std::string::npos) << msg;
      EXPECT_NE(msg.find("bool"), std::string::npos) << msg;
    }
  }
}

// Instances made on demand are asked for once each, in increasing order; without --batch a run's
// input matrix stays within 64 MiB (1000 real inputs: 8384 lanes, the largest multiple of 64
// with 8000 bytes a lane under 64 MiB), and the outputs are those of every instance.
TEST(SimulateInstances, OnDemandInstancesAndTheAutomaticBatch) {
  Builder b;
  constexpr std::size_t kInputs = 1000, kInstances = 9000;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < kInputs; ++i) x.push_back(b.input("x" + std::to_string(i)));
  GateId acc = x[0];
  for (std::size_t i = 1; i < kInputs; ++i) acc = b.add(acc, x[i]);
  b.output("sum", acc);
  const Schedule s = levelize(b.finish(), DomainKind::Real);
  std::size_t next = 0;
  SimStats st;
  const InstanceValues v = simulate_instances(
      s, kInstances,
      [&](std::size_t k, std::vector<mpq_class>& values) {
        EXPECT_EQ(k, next++);
        ASSERT_EQ(values.size(), kInputs);
        for (std::size_t i = 0; i < kInputs; ++i) values[i] = static_cast<long>((k + i) % 7);
      },
      {}, &st);
  EXPECT_EQ(next, kInstances);
  EXPECT_EQ(st.batch, 8384u);
  EXPECT_EQ(st.gate_evals, (kInputs - 1) * kInstances);
  for (std::size_t k = 0; k < kInstances; k += 997) {
    double want = 0;
    for (std::size_t i = 0; i < kInputs; ++i) want += static_cast<double>((k + i) % 7);
    EXPECT_EQ(v.real[k], want) << k;
  }
}

}  // namespace
}  // namespace rnncc::sim
