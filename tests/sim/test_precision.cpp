// The precision of a run (sim/precision.hpp, Def. 10 of the paper): the largest bit length
// (numerator + denominator, mpz_sizeinbase each) of a gate's value over the instances.
// References, none of them the simulator:
// * hand-computed figures (1/3 + 1/4 = 7/12: 3 + 4 = 7 bits);
// * every gate's value computed here, gate by gate in exact arithmetic over the same instances
//   (a copy of circuits/evaluate.hpp's loop that keeps every value), its bits counted here;
// * closed forms: a 10^7-level chain x_{i+1} = x_i + y; a 1-wide diagonal RNN doubling each step,
//   h_t = 2 h_{t-1} + 1 = 2^t - 1, whose step t has t + 1 bits;
// * lower-bool's static word widths (an interval analysis) bound the measured precision of the
//   integer circuit lower-int makes.
// Threads, tiles, parallel modes and batch sizes change nothing; per-step figures are the largest
// over each step record's gates; other domains, schedules without a gate map and records of
// another circuit are errors.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/levelize.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interface.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "sim/instances.hpp"
#include "sim/precision.hpp"
#include "sim/simulate.hpp"
#include "tests/sim/random_circuits.hpp"
#include "tests/support.hpp"

namespace rnncc::sim {
namespace {

using circuits::Builder;
using circuits::Circuit;
using circuits::DomainKind;
using circuits::GateId;
using circuits::kNoGate;
using circuits::levelize;
using circuits::Op;
using test::q;

using Instances = std::vector<std::vector<mpq_class>>;

// Bits of p/q counted here: binary digits of |p| (1 for 0) plus those of q.
std::uint64_t bits_here(const mpq_class& v) {
  const mpz_class num = abs(v.get_num());
  const std::uint64_t n = num == 0 ? 1 : mpz_sizeinbase(num.get_mpz_t(), 2);
  return n + mpz_sizeinbase(v.get_den_mpz_t(), 2);
}

// Every gate's largest bit length over `inputs`, evaluated gate by gate; 0 for gates not live.
std::vector<std::uint64_t> reference_bits(const Circuit& c, const Instances& inputs) {
  const std::vector<std::uint8_t> live = circuits::live_gates(c);
  std::vector<std::uint64_t> bits(c.num_gates(), 0);
  std::vector<mpq_class> v(c.num_gates());
  for (const auto& in : inputs) {
    for (GateId g = 0; g < c.num_gates(); ++g) {
      if (!live[g]) continue;
      const GateId a = c.a(g), b = c.b(g);
      switch (c.op(g)) {
        case Op::Input: v[g] = in[a]; break;
        case Op::Const: v[g] = c.constant(g); break;
        case Op::Add: v[g] = v[a] + v[b]; break;
        case Op::Sub: v[g] = v[a] - v[b]; break;
        case Op::Mul: v[g] = v[a] * v[b]; break;
        case Op::Neg: v[g] = -v[a]; break;
        case Op::Relu: v[g] = sgn(v[a]) > 0 ? v[a] : mpq_class(0); break;
        case Op::Sign: v[g] = sgn(v[a]); break;
        case Op::Step: v[g] = sgn(v[a]) > 0 ? 1 : 0; break;
        case Op::Buf: v[g] = v[a]; break;
        default: ADD_FAILURE() << "kind " << circuits::mnemonic(c.op(g)) << " in an exact circuit";
      }
      bits[g] = std::max(bits[g], bits_here(v[g]));
    }
  }
  return bits;
}

Instances random_instances(std::mt19937_64& rng, std::size_t K, std::size_t n_in) {
  static const unsigned long dens[] = {1, 2, 3, 4, 5, 7, 8, 12};
  Instances l(K, std::vector<mpq_class>(n_in));
  for (auto& lane : l)
    for (mpq_class& v : lane) v = q(static_cast<long>(rng() % 81) - 40, dens[rng() % 8]);
  return l;
}

// [input][lane] matrix of instances.
std::vector<mpq_class> matrix(const Instances& in) {
  const std::size_t n_in = in.empty() ? 0 : in[0].size();
  std::vector<mpq_class> m(n_in * in.size());
  for (std::size_t k = 0; k < in.size(); ++k)
    for (std::size_t i = 0; i < n_in; ++i) m[i * in.size() + k] = in[k][i];
  return m;
}

// The record's summary agrees with its figures: the largest, at the smallest id with it.
void expect_consistent(const Precision& p) {
  std::uint64_t best = 0;
  GateId at = kNoGate;
  for (std::size_t g = 0; g < p.gate_bits.size(); ++g)
    if (p.gate_bits[g] > best) best = p.gate_bits[g], at = static_cast<GateId>(g);
  EXPECT_EQ(p.bits, best);
  EXPECT_EQ(p.gate, at);
}

const circuits::LevelizeOptions kMapped{.gate_map = true};

// ---------------------------------------------------------------------------------------------
// By hand

TEST(Precision, BitLengthConvention) {
  EXPECT_EQ(bit_length(q(0)), 2u);       // 0/1: 0 counts one bit
  EXPECT_EQ(bit_length(q(1)), 2u);       // 1/1
  EXPECT_EQ(bit_length(q(-1)), 2u);      // the sign is not counted
  EXPECT_EQ(bit_length(q(8)), 5u);       // 1000 / 1
  EXPECT_EQ(bit_length(q(-8)), 5u);
  EXPECT_EQ(bit_length(q(7, 12)), 7u);   // 111 / 1100
  EXPECT_EQ(bit_length(q(-1, 12)), 5u);  // 1 / 1100
  EXPECT_EQ(bit_length(q(6, 4)), 4u);    // lowest terms: 3/2 = 11 / 10
  EXPECT_EQ(bit_length(q(1, 3)), 3u);
  EXPECT_EQ(bit_length(q(1, 4)), 4u);
  for (long n = -300; n <= 300; ++n)
    for (unsigned long d = 1; d <= 40; ++d) ASSERT_EQ(bit_length(q(n, d)), bits_here(q(n, d))) << n << "/" << d;
  EXPECT_EQ(circuits::ExactDomain::bits(q(-7, 12)), bit_length(q(-7, 12)));  // what max_exact_bits limits
}

// s = x + y at x = 1/3, y = 1/4: 7/12, 3 + 4 = 7 bits. A second lane x = -1/3 gives -1/12
// (5 bits): the maximum over lanes is 7. buf(s) is s; x * y is read by no output (not live: 0).
TEST(Precision, HandComputedSum) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y");
  const GateId s = b.add(x, y);
  const GateId dead = b.mul(x, y);
  const GateId half = b.constant(q(1, 2));
  const GateId buf = b.make(Op::Buf, s);
  const GateId t = b.mul(buf, half);  // 7/24: 3 + 5 = 8 bits; -1/24: 6
  b.output("s", buf);
  b.output("t", t);
  const Circuit c = b.finish();
  const Schedule sch = levelize(c, DomainKind::Exact, kMapped);
  for (std::size_t tile : {1u, 2u, 0u}) {
    SCOPED_TRACE("tile " + std::to_string(tile));
    Precision p;
    SimOptions o;
    o.tile = tile;
    o.precision = &p;
    const std::vector<mpq_class> out = simulate_exact(sch, {q(1, 3), q(-1, 3), q(1, 4), q(1, 4)}, 2, o);
    EXPECT_EQ(out[0], q(7, 12));
    EXPECT_EQ(out[1], q(-1, 12));
    ASSERT_EQ(p.gate_bits.size(), c.num_gates());
    EXPECT_EQ(p.gate_bits[x], 3u);     // 1/3 and -1/3
    EXPECT_EQ(p.gate_bits[y], 4u);     // 1/4
    EXPECT_EQ(p.gate_bits[s], 7u);     // 7/12
    EXPECT_EQ(p.gate_bits[buf], 7u);   // the same value
    EXPECT_EQ(p.gate_bits[half], 3u);  // 1/2, a constant: 1 / 10
    EXPECT_EQ(p.gate_bits[t], 8u);     // 7/24
    EXPECT_EQ(p.gate_bits[dead], 0u);  // not simulated
    EXPECT_EQ(p.bits, 8u);
    EXPECT_EQ(p.gate, t);
    EXPECT_EQ(p.instances, 2u);
    expect_consistent(p);
  }
  // Through simulate_instances, one instance a batch: the same.
  Precision p;
  BatchOptions bo;
  bo.batch = 1;
  bo.sim.precision = &p;
  simulate_instances(sch, {{q(1, 3), q(1, 4)}, {q(-1, 3), q(1, 4)}}, bo);
  EXPECT_EQ(p.bits, 8u);
  EXPECT_EQ(p.gate_bits[s], 7u);
  EXPECT_EQ(p.instances, 2u);
  // No instance: nothing recorded, not even the constants.
  Precision none;
  SimOptions o;
  o.precision = &none;
  simulate_exact(sch, {}, 0, o);
  EXPECT_EQ(none.bits, 0u);
  EXPECT_EQ(none.gate, kNoGate);
  EXPECT_EQ(std::count(none.gate_bits.begin(), none.gate_bits.end(), 0u), static_cast<long>(c.num_gates()));
}

// A second run folds into the same record: gate by gate maxima, instances added.
TEST(Precision, RunsAccumulate) {
  Builder b;
  const GateId x = b.input("x");
  const GateId sq = b.mul(x, x);
  b.output("sq", sq);
  const Circuit c = b.finish();
  const Schedule s = levelize(c, DomainKind::Exact, kMapped);
  Precision p;
  SimOptions o;
  o.precision = &p;
  simulate_exact(s, {q(3)}, 1, o);  // 9: 4 + 1
  EXPECT_EQ(p.bits, 5u);
  simulate_exact(s, {q(1, 2)}, 1, o);  // x = 1/2: 3 bits, 1/4: 4 bits
  EXPECT_EQ(p.gate_bits[x], 3u);
  EXPECT_EQ(p.gate_bits[sq], 5u);
  EXPECT_EQ(p.instances, 2u);
  Precision other;
  o.precision = &other;
  simulate_exact(s, {q(-16, 3)}, 1, o);  // 256/9: 9 + 4 = 13
  p.merge(other);
  EXPECT_EQ(p.gate_bits[sq], 13u);
  EXPECT_EQ(p.gate, sq);
  EXPECT_EQ(p.instances, 3u);
  p.merge(Precision{});  // neutral
  EXPECT_EQ(p.bits, 13u);
}

// ---------------------------------------------------------------------------------------------
// Against every gate's value computed here

struct Grid {
  std::size_t tile;
  int threads;
  std::size_t serial_below;
  SimOptions::Parallel parallel;
};

std::vector<Grid> grid() {
  using P = SimOptions::Parallel;
  std::vector<Grid> g;
  // serial_below 0 shares every level between threads (the most interleaving); the default
  // runs narrow levels on one thread.
  for (std::size_t tile : {1u, 3u, 0u})
    for (int threads : {1, 2, 3})
      for (std::size_t serial : {std::size_t{0}, std::size_t{16384}})
        for (P par : {P::Auto, P::Levels, P::Tiles})
          if ((threads > 1 || (par == P::Auto && serial == 0)) && (serial == 0 || par == P::Auto))
            g.push_back({tile, threads, serial, par});
  return g;
}

TEST(Precision, EqualsGateByGateEvaluationForAnyTilingAndThreads) {
  std::uint64_t seed = 71;
  for (bool sinks : {true, false}) {  // without sinks some gates are not live
    for (std::size_t gates : {40u, 600u}) {
      const Circuit c = test::value_circuit(seed, test::Gen{.gates = gates,
                                                            .inputs = 5,
                                                            .outputs = 6,
                                                            .ops = test::Ops::Ordered,
                                                            .constants = {q(1, 3), q(-5, 2), q(2), q(7, 9), q(-3)},
                                                            .limit = 120,
                                                            .sinks = sinks});
      std::mt19937_64 rng(seed++);
      const Instances in = random_instances(rng, 130, c.inputs().size());
      const std::vector<std::uint64_t> want = reference_bits(c, in);
      const Schedule s = levelize(c, DomainKind::Exact, kMapped);
      const std::vector<mpq_class> m = matrix(in);
      const std::vector<mpq_class> plain = simulate_exact(s, m, in.size());
      for (const Grid& gp : grid()) {
        SCOPED_TRACE(std::to_string(gates) + " gates, sinks " + std::to_string(sinks) + ", tile " +
                     std::to_string(gp.tile) + ", threads " + std::to_string(gp.threads) + ", serial_below " +
                     std::to_string(gp.serial_below) + ", parallel " + std::to_string(static_cast<int>(gp.parallel)));
        Precision p;
        SimOptions o;
        o.tile = gp.tile;
        o.threads = gp.threads;
        o.serial_below = gp.serial_below;
        o.parallel = gp.parallel;
        o.precision = &p;
        EXPECT_EQ(simulate_exact(s, m, in.size(), o), plain);  // recording changes no value
        ASSERT_EQ(p.gate_bits, want);
        EXPECT_EQ(p.instances, in.size());
        expect_consistent(p);
      }
      for (std::size_t batch : {1u, 63u, 64u, 65u, 0u}) {
        SCOPED_TRACE("batch " + std::to_string(batch));
        Precision p;
        BatchOptions bo;
        bo.batch = batch;
        bo.sim.threads = 2;
        bo.sim.tile = 7;
        bo.sim.precision = &p;
        simulate_instances(s, in, bo);
        ASSERT_EQ(p.gate_bits, want);
        EXPECT_EQ(p.instances, in.size());
        expect_consistent(p);
      }
      // Without reused rows (one row per value) the figures are the same.
      Precision p;
      SimOptions o;
      o.precision = &p;
      simulate_exact(levelize(c, DomainKind::Exact, {.reuse_rows = false, .gate_map = true}), m, in.size(), o);
      EXPECT_EQ(p.gate_bits, want);
    }
  }
}

// The gate map is all that gate_map adds: the schedule is otherwise the same.
TEST(Precision, GateMapLeavesTheScheduleAsItIs) {
  const Circuit c = test::value_circuit(5, test::Gen{.gates = 300, .inputs = 4, .ops = test::Ops::Ordered,
                                                     .constants = {q(1, 3), q(2)}, .sinks = false});
  const Schedule a = levelize(c, DomainKind::Exact), b = levelize(c, DomainKind::Exact, kMapped);
  EXPECT_FALSE(a.gate_map);
  EXPECT_TRUE(a.gate_value.empty());
  EXPECT_TRUE(b.gate_map);
  ASSERT_EQ(b.gate_value.size(), c.num_gates());
  EXPECT_EQ(a.num_rows, b.num_rows);
  EXPECT_EQ(a.input_row, b.input_row);
  EXPECT_EQ(a.const_row, b.const_row);
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.a, b.a);
  EXPECT_EQ(a.b, b.b);
  EXPECT_EQ(a.dst, b.dst);
  EXPECT_EQ(a.level_start, b.level_start);
  EXPECT_EQ(a.output_literal, b.output_literal);
  // Inputs are values 0.., live ones only; a buf is its operand's value; dead gates have none.
  const std::vector<std::uint8_t> live = circuits::live_gates(c);
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) {
      EXPECT_EQ(b.gate_value[g], circuits::kNoRow) << g;
      continue;
    }
    ASSERT_NE(b.gate_value[g], circuits::kNoRow) << g;
    EXPECT_LT(b.gate_value[g] >> 1, b.num_values());
    EXPECT_EQ(b.gate_value[g] & 1, 0u);  // complements only in bool
    if (c.op(g) == Op::Input) {
      EXPECT_EQ(b.gate_value[g] >> 1, c.a(g));
    }
    if (c.op(g) == Op::Buf) {
      EXPECT_EQ(b.gate_value[g], b.gate_value[c.a(g)]);
    }
  }
}

// x_{i+1} = x_i + y over 5 * 10^6 ... 10^7 levels (no recursion anywhere). Lanes (x0, y) = (0, 1)
// and (1/3, 1): gate 2 + i holds i + 1 and (3i + 4)/3.
TEST(Precision, TenMillionLevelChain) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr std::size_t kN = 1'000'000;
#else
  constexpr std::size_t kN = 10'000'000;
#endif
  Builder b;
  b.reserve(kN + 2);
  GateId x = b.input("x");
  const GateId y = b.input("y");
  for (std::size_t i = 0; i < kN; ++i) x = b.add(x, y);
  b.output("x", x);
  const Circuit c = b.finish();
  const Schedule s = levelize(c, DomainKind::Exact, kMapped);
  ASSERT_EQ(s.num_levels(), kN);
  Precision p;
  SimOptions o;
  o.precision = &p;
  simulate_exact(s, {q(0), q(1, 3), q(1), q(1)}, 2, o);
  ASSERT_EQ(p.gate_bits.size(), kN + 2);
  EXPECT_EQ(p.gate_bits[0], 3u);  // 1/3
  EXPECT_EQ(p.gate_bits[1], 2u);  // 1
  for (std::size_t i = 0; i < kN; ++i) {
    const std::uint64_t a = std::bit_width(i + 1) + 1, b3 = std::bit_width(3 * i + 4) + 2;
    ASSERT_EQ(p.gate_bits[2 + i], std::max(a, b3)) << "gate " << 2 + i;
  }
  EXPECT_EQ(p.bits, static_cast<std::uint64_t>(std::bit_width(3 * (kN - 1) + 4) + 2));
  EXPECT_EQ(p.bits, p.gate_bits[kN + 1]);  // the output, the widest
  expect_consistent(p);
}

// ---------------------------------------------------------------------------------------------
// Specs: per step, and a closed form

constexpr char kDoubling[] = R"(kind = "diagonal"
d = 1
alphabet = ["a"]
domain = "exact"
[parameters]
W_a = [[2]]
c_a = [0]
W_b = [[1]]
c_b = [0]
W_y = [[1]]
c_y = [0]
)";

Precision spec_precision(const compiler::Spec& spec, const Circuit& c, std::uint64_t T, std::size_t K,
                         std::uint64_t seed, Instances* used = nullptr) {
  const compiler::CircuitInputs ci(spec, c);
  compiler::SplitMix64 rng(seed);
  Instances in;
  for (std::size_t k = 0; k < K; ++k) in.push_back(ci.values(compiler::random_input_sequence(spec, T, rng)));
  Precision p;
  BatchOptions bo;
  bo.sim.precision = &p;
  simulate_instances(levelize(c, DomainKind::Exact, kMapped), in, bo);
  if (used) *used = std::move(in);
  return p;
}

// h_t = 2 h_{t-1} + 1 from h_0 = 0: h_t = 2^t - 1, t bits over a denominator of 1, so the state
// of step t has t + 1 bits and the run T + 1 (for T >= 2; the product 2 h_{t-1} = 2^t - 2 never
// passes h_t).
TEST(Precision, DoublingSpecGrowsOneBitAStep) {
  const compiler::Spec spec = compiler::parse_spec(kDoubling, "doubling.toml");
  for (std::uint64_t T : {2u, 5u, 40u, 200u}) {
    SCOPED_TRACE("T = " + std::to_string(T));
    const Circuit c = compiler::unroll(spec, T);
    const Precision p = spec_precision(spec, c, T, 3, 1);
    EXPECT_EQ(p.bits, T + 1);
    ASSERT_NE(p.gate, kNoGate);
    if (T > 2) {  // at T = 2 the constant 2 has 3 bits as well
      EXPECT_EQ(c.origin(p.gate).step, T);
    }
    const std::vector<StepPrecision> steps = precision_by_step(c, p);
    ASSERT_FALSE(steps.empty());
    std::size_t seen = 0;
    for (const StepPrecision& sp : steps) {
      if (sp.step == 0) continue;  // the initial state (0, folded away: nothing simulated)
      EXPECT_EQ(sp.bits, sp.step + 1) << "step " << sp.step;
      ++seen;
    }
    EXPECT_EQ(seen, T);
  }
}

// Per step: the largest figure of the gates of each step record, on the example specs.
TEST(Precision, PerStepIsTheLargestOfEachStepsGates) {
  for (const char* stem : {"diagonal", "dplr", "dense"}) {
    SCOPED_TRACE(stem);
    const compiler::Spec spec = compiler::parse_spec(test::read_text(test::example_spec_path(stem)), stem);
    const Circuit c = compiler::unroll(spec, 5);
    Instances in;
    const Precision p = spec_precision(spec, c, 5, 6, 3, &in);
    const std::vector<std::uint64_t> want = reference_bits(c, in);
    ASSERT_EQ(p.gate_bits, want);
    const std::vector<StepPrecision> steps = precision_by_step(c, p);
    ASSERT_EQ(steps.size(), c.steps().size());
    ASSERT_GE(steps.size(), 5u);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const circuits::StepRecord& r = c.steps()[i];
      EXPECT_EQ(steps[i].step, r.step);
      std::uint64_t best = 0;
      GateId at = kNoGate;
      for (GateId g : r.gates)
        if (want[g] > best || (want[g] == best && best > 0 && g < at)) best = want[g], at = g;
      EXPECT_EQ(steps[i].bits, best) << "step " << r.step;
      EXPECT_EQ(steps[i].gate, at) << "step " << r.step;
    }
    // Values grow with t (a linear recurrence over dyadic parameters): the last step is wider.
    EXPECT_GT(steps.back().bits, steps[1].bits);
  }
}

// ---------------------------------------------------------------------------------------------
// lower-bool's words bound the precision of the integer circuit it lowers

std::int64_t counter_int(const compiler::PassRecord& r, const char* name) {
  const compiler::CounterValue* v = r.counter(name);
  if (!v || !std::holds_alternative<std::int64_t>(*v)) {
    ADD_FAILURE() << "no integer counter " << name;
    return 0;
  }
  return std::get<std::int64_t>(*v);
}

// An integer v in a word of w bits (unsigned: |v| < 2^w; two's complement: |v| <= 2^(w-1)) has at
// most max(w, 1) + 1 bits by our measure (its denominator is 1). With --sums adders every live
// gate is a word of its own, so widest_word bounds them all; output_widths bounds each output.
TEST(Precision, LowerBoolWordWidthsBoundTheIntegerCircuit) {
  for (const char* stem : {"dense", "diagonal"}) {
    SCOPED_TRACE(stem);
    const compiler::Spec spec = compiler::parse_spec(test::read_text(test::example_spec_path(stem)), stem);
    constexpr std::uint64_t T = 4;
    const Circuit integer = compiler::run_script(compiler::unroll(spec, T), compiler::parse_script("lower-int")).circuit;
    const Precision p = spec_precision(spec, integer, T, 64, 9);
    compiler::PipelineResult lowered = compiler::run_script(integer, compiler::parse_script("lower-bool --sums adders"));
    ASSERT_EQ(lowered.records.size(), 1u);
    const compiler::PassRecord& r = lowered.records[0];
    ASSERT_FALSE(r.refused()) << r.refusal;
    const std::int64_t widest = counter_int(r, "widest_word");
    ASSERT_GT(widest, 0);
    EXPECT_LE(p.bits, static_cast<std::uint64_t>(widest) + 1);
    EXPECT_GT(p.bits, 2u);  // something was measured
    // output_widths: "name:w name:w ...", in output order.
    const compiler::CounterValue* ow = r.counter("output_widths");
    ASSERT_TRUE(ow && std::holds_alternative<std::string>(*ow));
    std::istringstream words(std::get<std::string>(*ow));
    std::string item;
    std::size_t checked = 0;
    while (words >> item) {
      const std::size_t colon = item.rfind(':');
      const std::string name = item.substr(0, colon);
      const std::uint64_t w = std::stoull(item.substr(colon + 1));
      for (const circuits::Output& o : integer.outputs())
        if (o.name == name) {
          EXPECT_LE(p.gate_bits[o.gate], std::max<std::uint64_t>(w, 1) + 1) << name << " in " << w << " bits";
          ++checked;
        }
    }
    EXPECT_EQ(checked, integer.outputs().size());
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(Precision, Errors) {
  Builder b;
  const GateId x = b.input("x");
  b.output("y", b.mul(x, x));
  const Circuit c = b.finish();
  Precision p;
  SimOptions o;
  o.precision = &p;
  EXPECT_NE(test::error_of([&] { simulate_real(levelize(c, DomainKind::Real), {1.0}, 1, o); }).find("exact domain only"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { simulate_modp(levelize(c, DomainKind::Modp), 7, {1}, 1, o); }).find("not in modp"),
            std::string::npos);
  Builder bb;
  const GateId u = bb.input("u"), v = bb.input("v");
  bb.output("w", bb.and_(u, v));
  const Circuit cb = bb.finish();
  EXPECT_NE(test::error_of([&] { simulate_bool(levelize(cb, DomainKind::Bool, kMapped), {1, 1}, 1, o); })
                .find("not in bool"),
            std::string::npos);
  BatchOptions bo;
  bo.sim.precision = &p;
  EXPECT_NE(test::error_of([&] { simulate_instances(levelize(c, DomainKind::Modp), {{q(1)}}, bo); }).find("exact domain only"),
            std::string::npos);
  // An exact schedule without the gate map.
  EXPECT_NE(test::error_of([&] { simulate_exact(levelize(c, DomainKind::Exact), {q(1)}, 1, o); }).find("gate_map"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { simulate_instances(levelize(c, DomainKind::Exact), {{q(1)}}, bo); }).find("gate_map"),
            std::string::npos);
  EXPECT_EQ(p.instances, 0u);  // nothing ran
  // A record of another circuit.
  simulate_exact(levelize(c, DomainKind::Exact, kMapped), {q(1)}, 1, o);
  Builder b2;
  const GateId s = b2.input("s"), t = b2.input("t");
  b2.output("sum", b2.add(s, t));
  const Circuit c2 = b2.finish();
  EXPECT_NE(test::error_of([&] { simulate_exact(levelize(c2, DomainKind::Exact, kMapped), {q(1), q(0)}, 1, o); })
                .find("circuit of"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { precision_by_step(c2, p); }).find("circuit of"), std::string::npos);
  Precision other;
  other.gate_bits.assign(7, 1);
  EXPECT_NE(test::error_of([&] { p.merge(other); }).find("circuit of"), std::string::npos);
  // No step records: no per-step figures.
  EXPECT_TRUE(precision_by_step(c, p).empty());
}

}  // namespace
}  // namespace rnncc::sim
