// The GPU simulator (gpu/) against the CPU simulator (sim/), which is itself checked against the
// gate-by-gate evaluator and exact arithmetic (tests/sim/). Every case runs twice:
// * HostRunKernels: the kernel bodies of gpu/kernels.hpp run on the host block by block with the
//   device kernels' barriers (every CI run), under several grid, block, narrow-level and tile
//   settings;
// * DeviceKernels: the same cases on the GPU, persistent kernel and CUDA Graph, skipped (saying
//   why) when no CUDA device is present.
// Results must be bit-identical to the CPU simulator in real (all kinds on the host; on the device
// all but tanh and sigmoid, checked against a stated ulp tolerance), modp and bool. Also: the
// segment plan against its definition, fast division against `/`, and the refusals.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/levelize.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/passes/lift_scan.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "gpu/simulator.hpp"
#include "sim/instances.hpp"
#include "sim/simulate.hpp"
#include "tests/sim/random_circuits.hpp"
#include "tests/support.hpp"

namespace rnncc::gpu {
namespace {

using circuits::Circuit;
using circuits::DomainKind;
using circuits::kDefaultModulus;
using circuits::levelize;
using circuits::Op;
using test::Gen;
using test::Ops;

#define REQUIRE_GPU()                                                  \
  do {                                                                 \
    const DeviceInfo info = device_info();                             \
    if (!info.available) {                                             \
      GTEST_SKIP() << "no CUDA GPU on this machine: " << info.why_not; \
    }                                                                  \
  } while (0)

constexpr std::size_t kLaneCounts[] = {1, 63, 64, 65, 1000};

std::uint64_t largest_prime_below_2_62() {
  std::uint64_t p = (std::uint64_t{1} << 62) - 1;
  while (!circuits::is_prime(p)) p -= 2;
  return p;
}

// The settings a case runs under: the defaults, and ones that stress strides (tiny grids and
// blocks), merging (every level narrow, none narrow) and lane tiles (a budget of a few lanes).
std::vector<GpuOptions> settings(Exec exec) {
  std::vector<GpuOptions> out;
  GpuOptions o;
  o.exec = exec;
  out.push_back(o);
  GpuOptions small = o;
  small.grid = 3;
  small.block = 32;
  out.push_back(small);
  GpuOptions all_narrow = o;
  all_narrow.block = 64;
  all_narrow.narrow_items = ~0ull;
  out.push_back(all_narrow);
  GpuOptions none_narrow = o;
  none_narrow.narrow_items = 1;  // only single-item levels
  none_narrow.grid = 2;
  out.push_back(none_narrow);
  if (exec == Exec::Device) {
    GpuOptions graph = o;
    graph.launch = Launch::Graph;
    out.push_back(graph);
    GpuOptions graph_small = small;
    graph_small.launch = Launch::Graph;
    graph_small.narrow_items = 4096;
    out.push_back(graph_small);
  }
  return out;
}

std::string describe(const GpuOptions& o) {
  return std::string(o.exec == Exec::Host ? "host" : "device") +
         (o.launch == Launch::Graph ? " graph" : "") + " grid " + std::to_string(o.grid) +
         " block " + std::to_string(o.block) + " narrow " + std::to_string(o.narrow_items) +
         " budget " + std::to_string(o.memory_budget);
}

// A schedule's row budget for `lanes` lanes a tile (8-byte elements).
std::size_t budget_for(const circuits::Schedule& s, std::size_t lanes) {
  return std::max<std::size_t>(s.num_rows, 1) * 8 * lanes;
}

std::vector<double> random_reals(std::mt19937_64& rng, std::size_t n) {
  std::vector<double> v(n);
  for (double& x : v) x = static_cast<double>(static_cast<long>(rng() % 65) - 32) / 8.0;
  return v;
}
std::vector<std::uint64_t> random_residues(std::mt19937_64& rng, std::size_t n, std::uint64_t p) {
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    const unsigned pick = static_cast<unsigned>(rng() % 8);
    x = pick == 0 ? 0 : pick == 1 ? p - 1 : rng() % p;
  }
  return v;
}
std::vector<std::uint64_t> random_words(std::mt19937_64& rng, std::size_t n) {
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) x = rng();
  return v;
}

// Doubles compared by their bits, except that `ulps` > 0 allows that many units in the last place.
void expect_same_reals(const std::vector<double>& got, const std::vector<double>& want,
                       std::uint64_t ulps, const std::string& trace) {
  ASSERT_EQ(got.size(), want.size()) << trace;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (ulps == 0 || std::isnan(want[i])) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(got[i]), std::bit_cast<std::uint64_t>(want[i]))
          << trace << ": element " << i << ": " << got[i] << " vs " << want[i];
    } else {
      const auto a = std::bit_cast<std::int64_t>(got[i]), b = std::bit_cast<std::int64_t>(want[i]);
      ASSERT_TRUE((a < 0) == (b < 0) || got[i] == want[i]) << trace << ": element " << i;
      ASSERT_LE(static_cast<std::uint64_t>(a > b ? a - b : b - a), ulps)
          << trace << ": element " << i << ": " << got[i] << " vs " << want[i];
    }
  }
}

using test::error_of;

// ---- random circuits, each domain, against the CPU simulator ----

void check_real_circuits(Exec exec, Ops kinds, std::uint64_t ulps) {
  std::uint64_t seed = 101;
  for (std::size_t gates : {60, 700, 5000}) {
    Gen g{.gates = gates,
          .inputs = 5,
          .outputs = 7,
          .ops = kinds,
          .constants = {test::q(3, 8), test::q(-5, 2), test::q(2)}};
    const Circuit c = test::value_circuit(seed, g);
    const circuits::Schedule s = levelize(c, DomainKind::Real);
    std::mt19937_64 rng(seed++);
    for (GpuOptions o : settings(exec)) {
      for (std::size_t B : kLaneCounts) {
        const std::vector<double> in = random_reals(rng, s.input_row.size() * B);
        const std::vector<double> want = sim::simulate_real(s, in, B);
        GpuOptions ot = o;
        if (B == 65) ot.memory_budget = budget_for(s, 20);  // four tiles: 20, 20, 20, 5 lanes
        Simulator gpu(s, kDefaultModulus, ot);
        sim::SimStats st;
        ASSERT_NO_FATAL_FAILURE(expect_same_reals(
            gpu.run_real(in, B, &st), want, ulps,
            std::to_string(gates) + " gates, B = " + std::to_string(B) + ", " + describe(ot)));
        EXPECT_EQ(st.gate_evals, s.num_gates() * B);
        if (B == 65) {
          EXPECT_EQ(st.tiles, 4u);
        }
      }
    }
  }
}

void check_modp_circuits(Exec exec) {
  std::uint64_t seed = 201;
  for (std::uint64_t p : {kDefaultModulus, std::uint64_t{2}, std::uint64_t{3},
                          std::uint64_t{1000003}, largest_prime_below_2_62()}) {
    for (std::size_t gates : {60, 3000}) {
      Gen g{.gates = gates,
            .inputs = 6,
            .outputs = 7,
            .ops = Ops::Ring,
            .constants = test::coprime_constants(p),
            .limit = -1};
      const Circuit c = test::value_circuit(seed, g);
      circuits::LevelizeOptions one_row_each;
      one_row_each.reuse_rows = false;
      std::mt19937_64 rng(seed++);
      for (const circuits::Schedule& s :
           {levelize(c, DomainKind::Modp), levelize(c, DomainKind::Modp, one_row_each)})
        for (const GpuOptions& o : settings(exec)) {
          Simulator gpu(s, p, o);
          for (std::size_t B : kLaneCounts) {
            const std::vector<std::uint64_t> in = random_residues(rng, s.input_row.size() * B, p);
            ASSERT_EQ(gpu.run_modp(in, B), sim::simulate_modp(s, p, in, B))
                << "p = " << p << ", " << gates << " gates, B = " << B << ", " << describe(o);
          }
        }
    }
  }
}

void check_bool_circuits(Exec exec) {
  std::uint64_t seed = 301;
  for (std::size_t gates : {80, 4000}) {
    for (double recent : {0.2, 0.9}) {
      const Circuit c = test::bool_circuit(seed, gates, 9, recent);
      circuits::LevelizeOptions one_row_each;
      one_row_each.reuse_rows = false;
      std::mt19937_64 rng(seed++);
      for (const circuits::Schedule& s :
           {levelize(c, DomainKind::Bool), levelize(c, DomainKind::Bool, one_row_each)})
        for (const GpuOptions& o : settings(exec)) {
          Simulator gpu(s, kDefaultModulus, o);
          ASSERT_FALSE(gpu.inputs_in_place());  // the dead input: the load phase runs
          for (std::size_t B : {1, 63, 64, 65, 1000, 4097}) {
            const std::size_t W = sim::bool_words(B);
            const std::vector<std::uint64_t> in = random_words(rng, s.input_row.size() * W);
            ASSERT_EQ(gpu.run_bool(in, B), sim::simulate_bool(s, in, B))
                << gates << " gates, recent " << recent << ", B = " << B << ", " << describe(o);
          }
        }
    }
  }
}

TEST(HostRunKernels, RandomRealCircuitsBitwiseEqualToCpu) {
  check_real_circuits(Exec::Host, Ops::Real, 0);
}
TEST(HostRunKernels, RandomModpCircuitsEqualToCpuForSeveralPrimes) {
  check_modp_circuits(Exec::Host);
}
TEST(HostRunKernels, RandomBoolCircuitsEqualToCpu) {
  check_bool_circuits(Exec::Host);
}

TEST(DeviceKernels, RandomRealCircuitsWithoutTanhOrSigmoidBitwiseEqualToCpu) {
  REQUIRE_GPU();
  check_real_circuits(Exec::Device, Ops::Ordered, 0);
}
// tanh and sigmoid come from CUDA's math library on the device: the stated tolerance is 4 ulps
// for a gate (docs/sim.md); a random circuit feeds them through further gates, so this case
// compares gates that read them directly (see TanhSigmoidWithinFourUlps) and here only checks
// whole circuits to a relative 1e-12.
TEST(DeviceKernels, RandomRealCircuitsWithTanhAndSigmoidCloseToCpu) {
  REQUIRE_GPU();
  std::uint64_t seed = 401;
  for (std::size_t gates : {60, 700, 5000}) {
    Gen g{.gates = gates,
          .inputs = 5,
          .outputs = 7,
          .ops = Ops::Real,
          .constants = {test::q(3, 8), test::q(2)}};
    const Circuit c = test::value_circuit(seed, g);
    const circuits::Schedule s = levelize(c, DomainKind::Real);
    std::mt19937_64 rng(seed++);
    Simulator gpu(s);
    for (std::size_t B : kLaneCounts) {
      const std::vector<double> in = random_reals(rng, s.input_row.size() * B);
      const std::vector<double> want = sim::simulate_real(s, in, B), got = gpu.run_real(in, B);
      for (std::size_t i = 0; i < want.size(); ++i) {
        if (!std::isnan(want[i])) {
          ASSERT_LE(std::abs(got[i] - want[i]), 1e-12 * std::max(1.0, std::abs(want[i])))
              << gates << " gates, " << i;
        }
      }
    }
  }
}
TEST(DeviceKernels, TanhSigmoidWithinFourUlps) {
  REQUIRE_GPU();
  circuits::Builder b;
  const auto x = b.input("x");
  b.output("tanh", b.make(Op::Tanh, x));
  b.output("sigmoid", b.make(Op::Sigmoid, x));
  const circuits::Schedule s = levelize(b.finish(), DomainKind::Real);
  std::mt19937_64 rng(7);
  const std::size_t B = 1 << 20;
  std::vector<double> in(B);
  std::uniform_real_distribution<double> wide(-40, 40), narrow(-2, 2);
  for (std::size_t k = 0; k < B; ++k) in[k] = k % 2 ? wide(rng) : narrow(rng);
  Simulator gpu(s);
  const std::vector<double> got = gpu.run_real(in, B), want = sim::simulate_real(s, in, B);
  std::uint64_t worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto a = std::bit_cast<std::int64_t>(got[i]), w = std::bit_cast<std::int64_t>(want[i]);
    worst = std::max<std::uint64_t>(worst, static_cast<std::uint64_t>(a > w ? a - w : w - a));
  }
  std::printf(
      "largest difference of device tanh/sigmoid from the host's libm: %llu ulps over %zu values\n",
      static_cast<unsigned long long>(worst), got.size());
  EXPECT_LE(worst, 4u);
}
TEST(DeviceKernels, RandomModpCircuitsEqualToCpuForSeveralPrimes) {
  REQUIRE_GPU();
  check_modp_circuits(Exec::Device);
}
TEST(DeviceKernels, RandomBoolCircuitsEqualToCpu) {
  REQUIRE_GPU();
  check_bool_circuits(Exec::Device);
}

// ---- every example spec, naive and scanned, through simulate_instances ----

const std::vector<std::string> kExamples = {"deltanet",   "dense",      "diagonal",   "dplr",
                                            "elman_relu", "elman_sign", "elman_tanh", "gru",
                                            "lstm",       "pd",         "rwkv7",      "mlp",
                                            "switched"};

void check_examples(Exec exec) {
  std::size_t checked = 0, in_place = 0;
  for (const std::string& stem : kExamples) {
    const compiler::Spec spec = compiler::parse_spec(test::read_text(test::example_spec_path(stem)),
                                                     test::example_spec_path(stem));
    for (DomainKind d : {DomainKind::Real, DomainKind::Modp}) {
      if (!compiler::domain_allows(spec, d)) continue;
      const std::uint64_t p = kDefaultModulus;
      if (d == DomainKind::Modp) {
        try {
          compiler::check_modulus(spec, p);
        } catch (const Error&) {
          continue;
        }
      }
      for (std::uint64_t T : {1, 7, 40}) {
        std::vector<Circuit> circuits;
        circuits.push_back(compiler::unroll(spec, T));
        if (compiler::is_linear(spec.kind)) {
          compiler::passes::LiftScanParams lp;
          lp.network = compiler::passes::PrefixNetwork::BrentKung;
          if (compiler::has_matrix_state(spec.kind)) lp.matrix_shape = {{spec.d_v, spec.d_k}};
          circuits.push_back(compiler::passes::lift_scan(circuits[0], lp));
        }
        for (const Circuit& c : circuits) {
          SCOPED_TRACE(stem + " in " + std::string(circuits::domain_name(d)) + ", T = " +
                       std::to_string(T) + ", " + std::to_string(c.num_gates()) + " gates");
          compiler::SplitMix64 rng(T * 17 + 3);
          std::vector<std::vector<mpq_class>> inputs;
          const compiler::CircuitInputs ci(spec, c);
          for (int k = 0; k < 70; ++k)
            inputs.push_back(ci.values(compiler::random_input_sequence(spec, T, rng)));
          const circuits::Schedule s = levelize(c, d);
          sim::BatchOptions cpu;
          cpu.modulus = p;
          const sim::InstanceValues want = sim::simulate_instances(s, inputs, cpu);
          for (GpuOptions o : settings(exec)) {
            Simulator gpu(s, p, o);
            in_place += gpu.inputs_in_place();
            sim::BatchOptions bo = cpu;
            bo.engine = &gpu;
            bo.batch = 64;  // two batches through one resident schedule
            const sim::InstanceValues got = sim::simulate_instances(s, inputs, bo);
            if (d == DomainKind::Real) {
              const bool transcendental = stem == "elman_tanh" || stem == "gru" || stem == "lstm";
              if (exec == Exec::Device && transcendental) {
                for (std::size_t i = 0; i < want.real.size(); ++i)
                  ASSERT_LE(std::abs(got.real[i] - want.real[i]),
                            1e-12 * std::max(1.0, std::abs(want.real[i])))
                      << describe(o);
              } else {
                ASSERT_NO_FATAL_FAILURE(expect_same_reals(got.real, want.real, 0, describe(o)));
              }
            } else {
              ASSERT_EQ(got.modp_or_bool, want.modp_or_bool) << describe(o);
            }
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GE(checked, 100u);
  // Spec circuits have their inputs in consecutive rows (constants first, then the inputs), so
  // their batches are copied straight into the value buffer; the random circuits, with a dead
  // input, take the load phase.
  EXPECT_GT(in_place, 0u);
}

TEST(HostRunKernels, EveryExampleSpecNaiveAndScannedEqualToCpu) {
  check_examples(Exec::Host);
}
TEST(DeviceKernels, EveryExampleSpecNaiveAndScannedEqualToCpu) {
  REQUIRE_GPU();
  check_examples(Exec::Device);
}

// ---- large shapes (device only: the host run of them would take minutes) ----

// A 200,000-gate boolean circuit on 65,536 instances (1,024 words a row: every level is wide),
// and the same on a budget that forces lane tiles; a 20,000-level modp chain (every level
// narrow: one merged segment of 20,000 levels) against its closed form.
TEST(DeviceKernels, LargeBoolBatchAndDeepNarrowChain) {
  REQUIRE_GPU();
  const Circuit c = test::bool_circuit(77, 200000, 64, 0.3);
  const circuits::Schedule s = levelize(c, DomainKind::Bool);
  std::mt19937_64 rng(5);
  const std::size_t B = 65536;
  const std::vector<std::uint64_t> in = random_words(rng, s.input_row.size() * sim::bool_words(B));
  sim::SimOptions cpu;
  cpu.threads = 2;
  const std::vector<std::uint64_t> want = sim::simulate_bool(s, in, B, cpu);
  for (Launch launch : {Launch::Persistent, Launch::Graph}) {
    GpuOptions o;
    o.launch = launch;
    Simulator gpu(s, kDefaultModulus, o);
    EXPECT_EQ(gpu.run_bool(in, B), want);
    o.memory_budget = budget_for(s, 96);  // tiles of 96 words: 10 full tiles and one of 64
    Simulator tiled(s, kDefaultModulus, o);
    sim::SimStats st;
    EXPECT_EQ(tiled.run_bool(in, B, &st), want);
    EXPECT_EQ(st.tiles, 11u);
  }

  // x_{k+1} = x_k * 3 + 1 mod p over 20,000 levels of two gates: x_n = 3^n x_0 + (3^n - 1) / 2.
  circuits::Builder b;
  auto x = b.input("x0");
  const auto three = b.constant(3), one = b.constant(1);
  const std::size_t n = 10000;
  for (std::size_t k = 0; k < n; ++k) x = b.add(b.mul(x, three), one);
  b.output("x", x);
  const circuits::Schedule chain = levelize(b.finish(), DomainKind::Modp);
  ASSERT_EQ(chain.num_levels(), 2 * n);
  const std::uint64_t p = 1000003;
  std::vector<std::uint64_t> x0(100);
  for (std::size_t k = 0; k < x0.size(); ++k) x0[k] = (k * 7919) % p;
  circuits::ModpDomain dom(p);
  const std::uint64_t pow3 = dom.pow(3, n), half = dom.inverse(2);
  for (Launch launch : {Launch::Persistent, Launch::Graph}) {
    GpuOptions o;
    o.launch = launch;
    Simulator gpu(chain, p, o);
    const std::vector<std::uint64_t> got = gpu.run_modp(x0, x0.size());
    for (std::size_t k = 0; k < x0.size(); ++k)
      ASSERT_EQ(got[k], dom.add(dom.mul(pow3, x0[k]), dom.mul(dom.sub(pow3, 1), half))) << k;
  }
}

// ---- the plan, fast division, shapes and refusals ----

// Segments cover every level once, in order; a wide segment is one level of more than
// narrow_items items; a narrow segment is a maximal run of levels of at most narrow_items items.
TEST(HostRunKernels, SegmentsMergeMaximalRunsOfNarrowLevels) {
  const circuits::Schedule s = levelize(test::bool_circuit(9, 3000, 12, 0.6), DomainKind::Bool);
  for (std::uint64_t E : {1, 3, 64}) {
    for (std::uint64_t narrow : {0ull, 1ull, 5ull, 40ull, 1000ull, ~0ull}) {
      const std::vector<Segment> segs = plan_segments(s, E, narrow);
      auto items = [&](std::uint32_t l) {
        return static_cast<std::uint64_t>(s.level_start[l + 1] - s.level_start[l]) * E;
      };
      std::uint32_t next = 0;
      for (std::size_t k = 0; k < segs.size(); ++k) {
        const Segment& g = segs[k];
        ASSERT_EQ(g.level0, next);
        ASSERT_LT(g.level0, g.level1);
        next = g.level1;
        if (!g.narrow) {
          EXPECT_EQ(g.level1, g.level0 + 1);
          EXPECT_GT(items(g.level0), narrow);
        } else {
          for (std::uint32_t l = g.level0; l < g.level1; ++l) EXPECT_LE(items(l), narrow);
          if (k > 0) {
            EXPECT_FALSE(segs[k - 1].narrow) << "two narrow segments in a row";
          }
        }
      }
      EXPECT_EQ(next, s.num_levels());
    }
  }
  EXPECT_EQ(plan_segments(s, 1, ~0ull).size(), 1u);  // everything narrow: one segment
  EXPECT_EQ(plan_segments(s, 1, 0).size(), s.num_levels());
}

// One row per value when the buffer fits the budget (at most one row a gate), else reused rows;
// exact is refused before any work.
TEST(HostRunKernels, LevelizeForGpuDropsRowReuseWhenTheBufferFits) {
  const Circuit c = test::bool_circuit(4, 2000, 10, 0.5);
  const circuits::Schedule reused = levelize(c, DomainKind::Bool);
  const std::size_t fits = (c.num_gates() + 1) * 8 * 16;  // 16 lanes a row
  const circuits::Schedule fresh = levelize_for_gpu(c, DomainKind::Bool, 16, fits);
  EXPECT_GT(fresh.num_rows, reused.num_rows);
  EXPECT_EQ(fresh.num_rows, fresh.input_row.size() - 1 + fresh.const_row.size() +
                                fresh.num_gates());  // one dead input
  EXPECT_EQ(levelize_for_gpu(c, DomainKind::Bool, 17, fits).num_rows, reused.num_rows);
  EXPECT_EQ(fresh.op, reused.op);  // the same levels and gates, other rows
  EXPECT_EQ(fresh.level_start, reused.level_start);
  EXPECT_NE(
      error_of([&] { levelize_for_gpu(c, DomainKind::Exact, 1, fits); }).find("no exact domain"),
      std::string::npos);
}

TEST(HostRunKernels, FastDivisionEqualsIntegerDivision) {
  std::mt19937_64 rng(3);
  std::vector<std::uint64_t> ds = {1,
                                   2,
                                   3,
                                   5,
                                   7,
                                   63,
                                   64,
                                   65,
                                   1000,
                                   4097,
                                   65535,
                                   65536,
                                   (1ull << 32) - 1,
                                   1ull << 32,
                                   (1ull << 32) + 1,
                                   (1ull << 63) - 1,
                                   1ull << 63,
                                   ~0ull};
  for (int k = 0; k < 200; ++k) ds.push_back(1 + rng() % (1u << 20));
  for (std::uint64_t d : ds) {
    const FastDiv f = FastDiv::make(d);
    std::vector<std::uint64_t> ns = {0,         1,     d - 1,     d,         d + 1,
                                     2 * d - 1, ~0ull, ~0ull - 1, 1ull << 63};
    for (int k = 0; k < 2000; ++k) ns.push_back(k < 1000 ? rng() : rng() % (d * 1000 + 1));
    for (std::uint64_t n : ns) ASSERT_EQ(f.div(n), n / d) << n << " / " << d;
  }
}

TEST(HostRunKernels, EmptyBatchesConstantCircuitsAndNoGates) {
  circuits::Builder kb;  // y = 5/4 whatever the (dead) input; z = the input itself (no gates)
  kb.input("u");
  kb.output("k", kb.constant(test::q(5, 4)));
  kb.output("z", 0);
  const Circuit kc = kb.finish();
  GpuOptions host;
  host.exec = Exec::Host;
  const circuits::Schedule sr = levelize(kc, DomainKind::Real);
  Simulator real(sr, kDefaultModulus, host);
  EXPECT_TRUE(real.run_real({}, 0).empty());
  EXPECT_EQ(real.run_real({9.0, 2.5}, 2), (std::vector<double>{1.25, 1.25, 9.0, 2.5}));
  const circuits::Schedule sm = levelize(kc, DomainKind::Modp);
  Simulator modp(sm, 7, host);
  EXPECT_EQ(modp.run_modp({6, 1, 0}, 3),
            (std::vector<std::uint64_t>{3, 3, 3, 6, 1, 0}));  // 5/4 = 5 * 2 = 3 mod 7

  circuits::Builder bb;  // bool: constants and a complemented input over 70 instances (2 words)
  const auto u = bb.input("u");
  bb.output("one", bb.constant(1));
  bb.output("not_u", bb.not_(u));
  const circuits::Schedule sb = levelize(bb.finish(), DomainKind::Bool);
  Simulator boolean(sb, kDefaultModulus, host);
  EXPECT_EQ(boolean.run_bool({~0ull, 0}, 70),
            (std::vector<std::uint64_t>{~0ull, (1ull << 6) - 1, 0, (1ull << 6) - 1}));
}

TEST(HostRunKernels, RefusalsAreOneLineErrors) {
  circuits::Builder b;
  const auto x = b.input("x");
  b.output("y", b.mul(x, x));
  const Circuit c = b.finish();
  GpuOptions host;
  host.exec = Exec::Host;
  EXPECT_NE(error_of([&] {
              Simulator g(levelize(c, DomainKind::Exact), kDefaultModulus, host);
            }).find("no exact domain"),
            std::string::npos);
  GpuOptions odd = host;
  odd.block = 100;
  EXPECT_NE(error_of([&] {
              Simulator g(levelize(c, DomainKind::Real), kDefaultModulus, odd);
            }).find("block size 100"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] { Simulator g(levelize(c, DomainKind::Modp), 91, host); }).find("not prime"),
      std::string::npos);
  const circuits::Schedule sr = levelize(c, DomainKind::Real);
  Simulator real(sr, kDefaultModulus, host);
  EXPECT_NE(error_of([&] {
              real.run_real({1.0, 2.0, 3.0}, 2);
            }).find("3 input elements for 1 inputs x 2 lanes"),
            std::string::npos);
  EXPECT_NE(error_of([&] { real.run_modp({1}, 1); }).find("levelized for the real domain"),
            std::string::npos);
  const circuits::Schedule sm = levelize(c, DomainKind::Modp);
  Simulator modp(sm, 7, host);
  EXPECT_NE(error_of([&] { modp.run_modp({7}, 1); }).find("residue 7 is not below p = 7"),
            std::string::npos);
  GpuOptions tight = host;
  tight.memory_budget = 4;  // not even one lane of one 8-byte row
  Simulator t(sr, kDefaultModulus, tight);
  EXPECT_NE(error_of([&] { t.run_real({1.0}, 1); }).find("exceeds the memory budget"),
            std::string::npos);

  const DeviceInfo info = device_info();
  if (!info.available) {
    const std::string e = error_of([&] { Simulator g(sr); });
    EXPECT_NE(e.find("no CUDA GPU available"), std::string::npos) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  } else {
    EXPECT_FALSE(info.name.empty());
    EXPECT_GT(info.multiprocessors, 0);
  }
}

}  // namespace
}  // namespace rnncc::gpu
