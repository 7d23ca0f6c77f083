// The levelized simulator's throughput, each figure next to a baseline run in the same process.
//
// BM_CopyBandwidth   memcpy of 1 GiB with the same thread count: the machine's copy bandwidth.
// BM_SimRealWide     `real` on a wide random circuit (10 levels of 10^6 add/sub/mul gates, B = 64):
//                    gate evaluations per second, and the fraction of the roofline that the copy
//                    bandwidth allows for its bytes per gate (two operand rows read, one written,
//                    13 bytes of schedule), measured in the same run.
// BM_SimBoolRandAig  `bool` on rand.aig (bench/gen_rand_aig.hpp: 2M ANDs, 818,364 live) with
//                    65,536 instances: gate-instance evaluations per second counting ANDs (ABC's
//                    `and`; NOTs are fused), and the resident memory it needed. The AIGER file is
//                    $RNNCC_RAND_AIG, else out/bench/rand.aig (scripts/run-bench writes it), else the
//                    same AIG generated here. BM_FlatBoolLoop is the baseline: a flat
//                    loop over the AIG in id order, one row per variable, the same tiles and threads.
// BM_SimExactPrecision the exact simulator on the naive circuit of a diagonal LRNN (d = 1, T = 2048,
//                    B = 16, one thread) with the precision measure (rnncc sim --precision) and,
//                    as the baseline in the same process, without it: precision_cost = the time
//                    with it over the time without (each the best of the iterations).
// BM_SimDiagonal     a compiled diagonal LRNN, d = 1, Brent-Kung, T = 2^20, B = 64, in `real`,
//                    against BM_SequentialLoop, the plain loop h = a*h + b over the same steps:
//                    instance-steps per second (T x B / time) and instances per second of both.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include "bench/common.hpp"
#include "bench/gen_rand_aig.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/file.hpp"
#include "circuits/levelize.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "sim/precision.hpp"
#include "sim/simulate.hpp"

namespace {
using namespace rnncc;


// ---- copy bandwidth ----

double copy_bytes_per_s(int threads) {
  static double cached[8] = {};
  if (cached[threads]) return cached[threads];
  const std::size_t n = std::size_t{1} << 30;
  std::vector<char> src(n, 1), dst(n, 0);
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = omp_get_wtime();
#pragma omp parallel num_threads(threads)
    {
      const std::size_t part = n / static_cast<std::size_t>(omp_get_num_threads());
      const std::size_t off = part * static_cast<std::size_t>(omp_get_thread_num());
      std::memcpy(dst.data() + off, src.data() + off, part);
    }
    best = std::max(best, static_cast<double>(n) / (omp_get_wtime() - t0));
  }
  benchmark::DoNotOptimize(dst.data());
  return cached[threads] = best;
}

void BM_CopyBandwidth(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  double bw = 0;
  for (auto _ : state) bw = copy_bytes_per_s(threads);
  state.counters["copy_GBps"] = bw / 1e9;
}

// ---- real on a wide random circuit ----

const circuits::Circuit& wide_circuit() {
  static const circuits::Circuit c = [] {
    constexpr std::size_t kWidth = 1'000'000, kLevels = 10, kInputs = kWidth;
    bench::SplitMix64 rng{7};
    circuits::Builder b;
    b.reserve(kWidth * (kLevels + 1) + 16);
    std::vector<circuits::GateId> prev(kInputs), next(kWidth);
    for (std::size_t i = 0; i < kInputs; ++i) prev[i] = b.input_unchecked("x" + std::to_string(i));
    const circuits::Op ops[] = {circuits::Op::Add, circuits::Op::Sub, circuits::Op::Mul};
    for (std::size_t l = 0; l < kLevels; ++l) {
      for (std::size_t i = 0; i < kWidth; ++i) {
        circuits::GateId x = prev[i], y = prev[rng.below(prev.size())];
        if (x == y) y = prev[(i + 1) % prev.size()];
        next[i] = b.make(ops[rng.below(3)], x, y);
      }
      std::swap(prev, next);
    }
    for (std::size_t i = 0; i < kWidth; ++i) b.output("y" + std::to_string(i), prev[i]);
    return b.finish();
  }();
  return c;
}

void BM_SimRealWide(benchmark::State& state) {
  const std::size_t B = 64;
  const int threads = static_cast<int>(state.range(0));
  const circuits::Circuit& c = wide_circuit();
  const circuits::Schedule s = circuits::levelize(c, circuits::DomainKind::Real);
  std::vector<double> in(s.input_row.size() * B);
  bench::SplitMix64 rng{1};
  for (double& v : in) v = static_cast<double>(static_cast<std::int64_t>(rng.below(1u << 17)) - (1 << 16)) / 65536.0;
  sim::SimOptions opt;
  opt.threads = threads;
  opt.tile = static_cast<std::size_t>(state.range(1));
  sim::SimStats st;
  for (auto _ : state) {
    std::vector<double> out = sim::simulate_real(s, in, B, opt, &st);
    benchmark::DoNotOptimize(out.data());
    state.SetIterationTime(st.seconds);
  }
  const double rate = st.gate_evals_per_s() / B;  // gates per second (B lanes each)
  const double bytes_per_gate = 3.0 * B * sizeof(double) + 13.0;
  const double roofline = 2.0 * copy_bytes_per_s(threads) / bytes_per_gate;  // copy traffic: read + write
  state.counters["gates"] = static_cast<double>(s.num_gates());
  state.counters["gate_evals_per_s"] = st.gate_evals_per_s();
  state.counters["roofline_gates_per_s"] = roofline;
  state.counters["fraction_of_roofline"] = rate / roofline;
  state.counters["tile"] = static_cast<double>(st.tile);
  state.counters["buffer_MB"] = static_cast<double>(st.buffer_bytes) / 1e6;
}

// ---- bool on rand.aig ----

const circuits::Circuit& rand_aig() {
  static const circuits::Circuit c = [] {
    std::string path;
    if (const char* env = std::getenv("RNNCC_RAND_AIG")) path = env;
    else if (std::filesystem::exists(RNNCC_SOURCE_DIR "/out/bench/rand.aig")) path = RNNCC_SOURCE_DIR "/out/bench/rand.aig";
    if (!path.empty()) return circuits::io::read_aiger(circuits::io::read_file(path), path);
    return circuits::io::read_aiger(bench::random_aig(), "rand.aig (generated)");
  }();
  return c;
}

void BM_SimBoolRandAig(benchmark::State& state) {
  constexpr std::size_t B = 65536, W = B / 64;
  const int threads = static_cast<int>(state.range(0));
  const circuits::Circuit& c = rand_aig();
  const std::size_t rss0 = bench::proc_status_kb("VmRSS");
  bench::reset_peak_rss();
  const circuits::Schedule s = circuits::levelize(c, circuits::DomainKind::Bool);
  std::vector<std::uint64_t> in(s.input_row.size() * W);
  bench::SplitMix64 rng{3};
  for (auto& w : in) w = rng.next();
  sim::SimOptions opt;
  opt.threads = threads;
  opt.tile = static_cast<std::size_t>(state.range(1));
  opt.parallel = static_cast<sim::SimOptions::Parallel>(state.range(2));
  sim::SimStats st;
  for (auto _ : state) {
    std::vector<std::uint64_t> out = sim::simulate_bool(s, in, B, opt, &st);
    benchmark::DoNotOptimize(out.data());
    state.SetIterationTime(st.seconds);
  }
  state.counters["ands"] = static_cast<double>(s.num_gates());
  state.counters["levels"] = static_cast<double>(s.num_levels());
  state.counters["rows"] = static_cast<double>(s.num_rows);
  state.counters["gate_evals_per_s"] = st.gate_evals_per_s();
  state.counters["tile_words"] = static_cast<double>(st.tile);
  state.counters["by_tiles"] = st.by_tiles;
  state.counters["peak_MB"] = static_cast<double>(bench::proc_status_kb("VmHWM") - rss0) / 1024.0;
}

// The baseline: the AIG as flat arrays in id order, one row per variable (no levels, no row
// reuse), lane tiles split across threads.
void BM_FlatBoolLoop(benchmark::State& state) {
  constexpr std::size_t B = 65536, W = B / 64, kTile = 8;
  const int threads = static_cast<int>(state.range(0));
  const circuits::Circuit& c = rand_aig();
  // Literal form of the AIG: node per input / and, complement bits from not gates.
  std::vector<std::uint32_t> lit(c.num_gates(), 0), la, lb;
  std::uint32_t nodes = 1;  // node 0: constant 0
  std::vector<std::uint32_t> input_node;
  for (circuits::GateId g = 0; g < c.num_gates(); ++g) {
    switch (c.op(g)) {
      case circuits::Op::Input: input_node.push_back(nodes); lit[g] = 2 * nodes++; break;
      case circuits::Op::Const: lit[g] = c.constant(g) == 1 ? 1 : 0; break;
      case circuits::Op::Not: lit[g] = lit[c.a(g)] ^ 1; break;
      case circuits::Op::Buf: lit[g] = lit[c.a(g)]; break;
      default: la.push_back(lit[c.a(g)]); lb.push_back(lit[c.b(g)]); lit[g] = 2 * nodes++;
    }
  }
  const std::size_t first_and = 1 + input_node.size();
  std::vector<std::uint64_t> in(input_node.size() * W);
  bench::SplitMix64 rng{3};
  for (auto& w : in) w = rng.next();
  for (auto _ : state) {
#pragma omp parallel num_threads(threads)
    {
      std::vector<std::uint64_t> v(static_cast<std::size_t>(nodes) * kTile);
#pragma omp for schedule(static)
      for (std::size_t t = 0; t < W / kTile; ++t) {
        for (std::size_t i = 0; i < input_node.size(); ++i)
          std::memcpy(&v[(1 + i) * kTile], &in[i * W + t * kTile], kTile * 8);
        for (std::size_t k = 0; k < la.size(); ++k) {
          const std::uint64_t* x = &v[(la[k] >> 1) * kTile];
          const std::uint64_t* y = &v[(lb[k] >> 1) * kTile];
          const std::uint64_t mx = 0 - static_cast<std::uint64_t>(la[k] & 1), my = 0 - static_cast<std::uint64_t>(lb[k] & 1);
          std::uint64_t* o = &v[(first_and + k) * kTile];
          for (std::size_t w = 0; w < kTile; ++w) o[w] = (x[w] ^ mx) & (y[w] ^ my);
        }
        benchmark::DoNotOptimize(v.data());
      }
    }
  }
  state.counters["ands_all"] = static_cast<double>(la.size());
  state.counters["gate_evals_per_s"] =
      benchmark::Counter(static_cast<double>(la.size()) * B, benchmark::Counter::kIsIterationInvariantRate);
}

// ---- diagonal d = 1 against the sequential loop ----

constexpr std::uint64_t kDiagT = std::uint64_t{1} << 20;

const compiler::Spec& diag1() {
  static const compiler::Spec s = compiler::parse_spec(
      "kind = \"diagonal\"\nd = 1\nalphabet = [\"0\", \"1\"]\noutputs = \"all\"\ndomain = \"real\"\n"
      "[init]\nseed = 1\nscale = \"1/2\"\n",
      "diag1.toml");
  return s;
}

void BM_SimExactPrecision(benchmark::State& state) {
  constexpr std::size_t B = 16;
  constexpr std::uint64_t T = 2048;
  const circuits::Circuit c = compiler::unroll(diag1(), T);
  circuits::LevelizeOptions lo;
  lo.gate_map = true;
  const circuits::Schedule s = circuits::levelize(c, circuits::DomainKind::Exact, lo);
  std::vector<mpq_class> in(s.input_row.size() * B);
  bench::SplitMix64 rng{6};
  for (mpq_class& v : in) v = static_cast<unsigned long>(rng.below(2));
  sim::SimOptions plain;
  plain.threads = 1;
  double best_plain = 1e30, best_measured = 1e30;
  std::uint64_t bits = 0;
  for (auto _ : state) {
    sim::SimStats st;
    std::vector<mpq_class> out = sim::simulate_exact(s, in, B, plain, &st);
    benchmark::DoNotOptimize(out.data());
    best_plain = std::min(best_plain, st.seconds);
    sim::Precision p;
    sim::SimOptions measured = plain;
    measured.precision = &p;
    out = sim::simulate_exact(s, in, B, measured, &st);
    benchmark::DoNotOptimize(out.data());
    best_measured = std::min(best_measured, st.seconds);
    bits = p.bits;
    state.SetIterationTime(st.seconds);
  }
  state.counters["gates"] = static_cast<double>(s.num_gates());
  state.counters["precision_bits"] = static_cast<double>(bits);
  state.counters["plain_ms"] = best_plain * 1e3;
  state.counters["precision_cost"] = best_measured / best_plain;
}

void BM_SimDiagonal(benchmark::State& state) {
  constexpr std::size_t B = 64;
  const int threads = static_cast<int>(state.range(0));
  const circuits::Circuit c =
      compiler::run_script(compiler::unroll(diag1(), kDiagT), compiler::parse_script("lift-scan -n brent-kung")).circuit;
  const circuits::Schedule s = circuits::levelize(c, circuits::DomainKind::Real);
  std::vector<double> in(s.input_row.size() * B);
  bench::SplitMix64 rng{5};
  for (double& v : in) v = static_cast<double>(rng.below(2));  // one-hot pairs are not needed for timing
  sim::SimOptions opt;
  opt.threads = threads;
  sim::SimStats st;
  for (auto _ : state) {
    std::vector<double> out = sim::simulate_real(s, in, B, opt, &st);
    benchmark::DoNotOptimize(out.data());
    state.SetIterationTime(st.seconds);
  }
  state.counters["gates"] = static_cast<double>(s.num_gates());
  state.counters["levels"] = static_cast<double>(s.num_levels());
  state.counters["gate_evals_per_s"] = st.gate_evals_per_s();
  state.counters["instance_steps_per_s"] = static_cast<double>(kDiagT * B) / st.seconds;
  state.counters["instances_per_s"] = static_cast<double>(B) / st.seconds;
}

void BM_SequentialLoop(benchmark::State& state) {
  constexpr std::size_t B = 64;
  std::vector<double> a(kDiagT), b(kDiagT), y(kDiagT);
  bench::SplitMix64 rng{5};
  for (std::size_t t = 0; t < kDiagT; ++t) {
    a[t] = static_cast<double>(rng.below(1u << 16)) / 65536.0;
    b[t] = static_cast<double>(rng.below(1u << 16)) / 65536.0;
  }
  double seconds = 0;
  for (auto _ : state) {
    const double t0 = omp_get_wtime();
    for (std::size_t k = 0; k < B; ++k) {  // instance by instance: h = a*h + b, one step after another
      double h = 0;
      for (std::size_t t = 0; t < kDiagT; ++t) {
        h = a[t] * h + b[t];
        y[t] = h;
      }
      benchmark::DoNotOptimize(y.data());
    }
    seconds = omp_get_wtime() - t0;
    state.SetIterationTime(seconds);
  }
  state.counters["instance_steps_per_s"] = static_cast<double>(kDiagT) * B / seconds;
  state.counters["instances_per_s"] = static_cast<double>(B) / seconds;
}

}  // namespace

BENCHMARK(BM_CopyBandwidth)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);
// Arguments: threads, tile (0: automatic).
BENCHMARK(BM_SimRealWide)->Args({1, 0})->Args({2, 0})->Args({2, 64})->UseManualTime()->Iterations(2)->Unit(benchmark::kMillisecond);
// Arguments: threads, tile (0: automatic), parallel mode (0 auto, 1 levels, 2 tiles).
BENCHMARK(BM_SimBoolRandAig)->Args({1, 0, 0})->Args({2, 0, 0})->Args({2, 4, 1})->Args({2, 2, 2})->Args({2, 4, 2})->Args({2, 8, 2})->Args({2, 16, 2})
    ->UseManualTime()->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlatBoolLoop)->Arg(1)->Arg(2)->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimExactPrecision)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimDiagonal)->Arg(1)->Arg(2)->UseManualTime()->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SequentialLoop)->UseManualTime()->Iterations(2)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
