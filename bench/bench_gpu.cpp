// The GPU simulator's throughput, each figure next to a baseline run in the same process, so that
// the ratios hold on whichever GPU runs them (`make bench-gpu`; figures in README.md).
//
// BM_GpuWideReal/B   real, B = 1 and 64, on 6 levels of 2^22 gates with random operand rows
//                    (add/sub/mul): gate evaluations (gates x lanes) per second of the
//                    simulator (persistent kernel and CUDA Graph) and of PlainGather, one plain
//                    launch a level over the same arrays; `vs_plain` = simulator / plain.
// BM_GpuNarrow       1,000 levels of 1,024 gates, B = 1: microseconds a level of the simulator
//                    (persistent and graph), next to an empty-kernel launch loop and an empty
//                    CUDA Graph of as many nodes as levels.
// BM_GpuRecurrence   h = a h + b (bench/specs/recurrence.toml), T = 2^24 ($RNNCC_BENCH_LOG2T,
//                    1 to 28, to change), compiled with Brent-Kung, real, B = 1: elements (steps)
//                    per second of the simulator, of cub::DeviceScan over the same affine pairs and
//                    of the sequential loop on the CPU; `cub_over_sim` = how many times faster
//                    CUB is; the largest relative difference of the outputs from CUB's.
// BM_GpuBoolRandAig  bool on the 2M-AND random AIG of gen_rand_aig.hpp, 65,536 instances: AND
//                    evaluations per second of the simulator against the CPU simulator with 2
//                    threads on the same machine (`vs_cpu2`).
// The simulator runs the schedules `rnncc sim --device gpu` runs (gpu::levelize_for_gpu: one row
// per value when it fits); the recurrence and rand.aig also report the CPU's schedule with rows
// reused (`reused_rows_*`). Each also reports its cold run: making the simulator (upload) and
// the first batch, in ms.
//
// The circuits are built once, in background threads started before the first benchmark (the
// T = 2^24 recurrence takes minutes of CPU). With $RNNCC_BENCH_START_AFTER naming a file, the
// benchmarks wait for it to exist before timing anything (a device script can overlap the
// builds with other work on the GPU).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "bench/common.hpp"
#include "bench/gen_rand_aig.hpp"
#include "bench/gpu_baselines.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/file.hpp"
#include "circuits/levelize.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "gpu/simulator.hpp"
#include "sim/simulate.hpp"

namespace {
using namespace rnncc;
namespace base = bench::gpu_baselines;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- the circuits ----

// `levels` levels of `width` gates over `width` inputs; gate i of a level reads the previous
// level at a random permutation's i-th row (so every value is read) and at a uniformly random
// row, with a random kind among add, sub and mul. Outputs: the last level.
circuits::Circuit layered(std::size_t width, std::size_t levels, std::uint64_t seed) {
  bench::SplitMix64 rng{seed};
  circuits::Builder b;
  b.reserve(width * (levels + 1) + 16);
  std::vector<circuits::GateId> prev(width), next(width);
  std::vector<std::size_t> perm(width);
  for (std::size_t i = 0; i < width; ++i) prev[i] = b.input_unchecked("x" + std::to_string(i));
  const circuits::Op ops[] = {circuits::Op::Add, circuits::Op::Sub, circuits::Op::Mul};
  for (std::size_t l = 0; l < levels; ++l) {
    for (std::size_t i = 0; i < width; ++i) perm[i] = i;
    for (std::size_t i = width - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    for (std::size_t i = 0; i < width; ++i) {
      circuits::GateId x = prev[perm[i]], y = prev[rng.below(width)];
      if (y == x) y = prev[(perm[i] + 1) % width];  // x - x would fold to 0 and leave x unread
      next[i] = b.make(ops[rng.below(3)], x, y);
    }
    std::swap(prev, next);
  }
  for (std::size_t i = 0; i < width; ++i) b.output("y" + std::to_string(i), prev[i]);
  return b.finish();
}

struct Recurrence {
  std::uint64_t T = 0;
  circuits::Schedule s,
      reused;  // the GPU's schedule (one row per value), and rows reused as on the CPU
  double build_seconds = 0;
};

Recurrence recurrence() {
  Recurrence r;
  const char* env = std::getenv("RNNCC_BENCH_LOG2T");
  const int log2t = env ? std::atoi(env) : 24;
  if (log2t < 1 || log2t > 28) throw Error("RNNCC_BENCH_LOG2T: expected an integer in [1, 28]");
  r.T = std::uint64_t{1} << log2t;
  const auto t0 = Clock::now();
  const char* src =
      std::getenv("RNNCC_SOURCE_DIR");  // the tree, when the binary runs from a copy of it
  const std::string path =
      std::string(src ? src : RNNCC_SOURCE_DIR) + "/bench/specs/recurrence.toml";
  const compiler::Spec spec = compiler::parse_spec(circuits::io::read_file(path), path);
  const circuits::Circuit c =
      compiler::run_script(compiler::unroll(spec, r.T), compiler::parse_script("lift-scan -n brent-kung")).circuit;
  // The simulator's input order is the circuit's: x[1][0] x[1][1] x[2][0] ... (a_t then b_t).
  if (c.inputs().size() != 2 * r.T || c.input_name(0) != "x[1][0]" ||
      c.input_name(1) != "x[1][1]" ||
      c.input_name(2 * r.T - 1) != "x[" + std::to_string(r.T) + "][1]")
    throw Error("recurrence: unexpected circuit inputs");
  r.s = gpu::levelize_for_gpu(c, circuits::DomainKind::Real, 1);
  r.build_seconds = since(t0);
  r.reused = circuits::levelize(c, circuits::DomainKind::Real);
  return r;
}

struct RandAig {
  circuits::Schedule s, reused;  // the GPU's schedule for 65,536 instances, and the CPU's
};
RandAig rand_aig() {
  const circuits::Circuit c = circuits::io::read_aiger(bench::random_aig(), "rand.aig (generated)");
  return {gpu::levelize_for_gpu(c, circuits::DomainKind::Bool, 65536 / 64),
          circuits::levelize(c, circuits::DomainKind::Bool)};
}

// Built in the background from main(), each only when the benchmark filter selects it.
std::shared_future<circuits::Circuit> g_wide, g_narrow;
std::shared_future<RandAig> g_aig;
std::shared_future<Recurrence> g_rec;

bool gpu_or_skip(benchmark::State& state) {
  const gpu::DeviceInfo info = gpu::device_info();
  if (!info.available) {
    state.SkipWithError(("no CUDA GPU: " + info.why_not).c_str());
    return false;
  }
  state.SetLabel(info.name);
  return true;
}

std::vector<double> random_doubles(std::size_t n, std::uint64_t seed, double lo, double hi) {
  bench::SplitMix64 rng{seed};
  std::vector<double> v(n);
  for (double& x : v) x = lo + (hi - lo) * static_cast<double>(rng.next() >> 11) * 0x1p-53;
  return v;
}

std::vector<gpu::GateDesc> descriptors(const circuits::Schedule& s) {
  std::vector<gpu::GateDesc> g(s.num_gates());
  for (std::size_t i = 0; i < g.size(); ++i)
    g[i] = {s.a[i], s.b[i], s.dst[i], static_cast<std::uint32_t>(s.op[i])};
  return g;
}

bool bitwise_equal(const std::vector<double>& x, const std::vector<double>& y) {
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

// A simulator's warm kernel time over `reps` runs (the best), and its cold start in ms.
template <class Run>
double best_of(int reps, Run run) {
  double best = 1e30;
  for (int i = 0; i < reps; ++i) best = std::min(best, run());
  return best;
}

// ---- wide ----

void BM_GpuWideReal(benchmark::State& state) {
  if (!gpu_or_skip(state)) return;
  const std::size_t B = static_cast<std::size_t>(state.range(0));
  const circuits::Schedule s = gpu::levelize_for_gpu(g_wide.get(), circuits::DomainKind::Real, B);
  const std::vector<double> in = random_doubles(s.input_row.size() * B, 11, -1, 1);
  if (s.input_row.front() != 0 || s.input_row.back() != s.input_row.size() - 1)
    throw Error("wide: inputs not in place");

  const auto c0 = Clock::now();
  gpu::Simulator sim(s);
  sim::SimStats st;
  const std::vector<double> first = sim.run_real(in, B, &st);
  const double cold_ms = since(c0) * 1e3;
  gpu::GpuOptions go;
  go.launch = gpu::Launch::Graph;
  gpu::Simulator graph(s, circuits::kDefaultModulus, go);
  graph.run_real(in, B);
  base::PlainGather plain(descriptors(s), s.level_start, s.num_rows, s.output_literal, B);
  plain.run(in, 0);
  const bool same =
      bitwise_equal(plain.outputs(), first) && bitwise_equal(graph.run_real(in, B), first);

  double sim_s = 0, graph_s = 0, plain_s = 0;
  for (auto _ : state) {
    sim_s = best_of(3, [&] {
      sim.run_real(in, B, &st);
      return st.seconds;
    });
    graph_s = best_of(3, [&] {
      graph.run_real(in, B, &st);
      return st.seconds;
    });
    plain_s = best_of(3, [&] { return plain.run(in, 0); });
    state.SetIterationTime(sim_s);
  }
  const double evals = static_cast<double>(s.num_gates()) * static_cast<double>(B);
  state.counters["gates"] = static_cast<double>(s.num_gates());
  state.counters["levels"] = static_cast<double>(s.num_levels());
  state.counters["sim_evals_per_s"] = evals / sim_s;
  state.counters["graph_evals_per_s"] = evals / graph_s;
  state.counters["plain_evals_per_s"] = evals / plain_s;
  state.counters["vs_plain"] = plain_s / sim_s;
  state.counters["graph_vs_plain"] = plain_s / graph_s;
  state.counters["cold_ms"] = cold_ms;
  state.counters["outputs_equal"] = same;
}

// ---- narrow ----

void BM_GpuNarrow(benchmark::State& state) {
  if (!gpu_or_skip(state)) return;
  const circuits::Schedule s = gpu::levelize_for_gpu(g_narrow.get(), circuits::DomainKind::Real, 1);
  const std::size_t levels = s.num_levels();
  const std::vector<double> in = random_doubles(s.input_row.size(), 12, -1, 1);
  const auto c0 = Clock::now();
  gpu::Simulator sim(s);
  sim::SimStats st;
  const std::vector<double> first = sim.run_real(in, 1, &st);
  const double cold_ms = since(c0) * 1e3;
  gpu::GpuOptions go;
  go.launch = gpu::Launch::Graph;
  gpu::Simulator graph(s, circuits::kDefaultModulus, go);
  const bool same = bitwise_equal(graph.run_real(in, 1), first);
  double sim_s = 0, graph_s = 0;
  for (auto _ : state) {
    sim_s = best_of(5, [&] {
      sim.run_real(in, 1, &st);
      return st.seconds;
    });
    graph_s = best_of(5, [&] {
      graph.run_real(in, 1, &st);
      return st.seconds;
    });
    state.SetIterationTime(sim_s);
  }
  const double launch_s = base::empty_launch_seconds(static_cast<int>(levels));
  const double node_s = base::empty_graph_node_seconds(static_cast<int>(levels));
  state.counters["levels"] = static_cast<double>(levels);
  state.counters["max_width"] = static_cast<double>(s.max_level_width());
  state.counters["sim_us_per_level"] = sim_s * 1e6 / static_cast<double>(levels);
  state.counters["graph_us_per_level"] = graph_s * 1e6 / static_cast<double>(levels);
  state.counters["empty_launch_us"] = launch_s * 1e6;
  state.counters["empty_graph_node_us"] = node_s * 1e6;
  state.counters["cold_ms"] = cold_ms;
  state.counters["outputs_equal"] = same;
}

// ---- the linear recurrence ----

void BM_GpuRecurrence(benchmark::State& state) {
  if (!gpu_or_skip(state)) return;
  const Recurrence& r = g_rec.get();
  const circuits::Schedule& s = r.s;
  const std::vector<double> a = random_doubles(r.T, 21, 0.5, 1.0),
                            b = random_doubles(r.T, 22, -1, 1);
  std::vector<double> in(2 * r.T);
  for (std::uint64_t t = 0; t < r.T; ++t) {
    in[2 * t] = a[t];
    in[2 * t + 1] = b[t];
  }
  const auto c0 = Clock::now();
  gpu::Simulator sim(s);
  sim::SimStats st;
  const std::vector<double> y = sim.run_real(in, 1, &st);
  const double cold_ms = since(c0) * 1e3;
  gpu::GpuOptions go;
  go.launch = gpu::Launch::Graph;
  gpu::Simulator graph(s, circuits::kDefaultModulus, go);
  graph.run_real(in, 1);
  gpu::Simulator reused(r.reused);
  const bool same = bitwise_equal(reused.run_real(in, 1), y);
  double sim_s = 0, graph_s = 0, transfer_s = 0, reused_s = 0;
  for (auto _ : state) {
    sim_s = best_of(3, [&] {
      sim.run_real(in, 1, &st);
      transfer_s = st.transfer_seconds;
      return st.seconds;
    });
    graph_s = best_of(3, [&] {
      graph.run_real(in, 1, &st);
      return st.seconds;
    });
    reused_s = best_of(3, [&] {
      reused.run_real(in, 1, &st);
      return st.seconds;
    });
    state.SetIterationTime(sim_s);
  }
  const base::ScanResult cub = base::cub_affine_scan(a, b, 5);
  double worst = 0;
  for (std::uint64_t t = 0; t < r.T; ++t)
    worst = std::max(worst, std::abs(y[t] - cub.h[t]) / std::max(1.0, std::abs(cub.h[t])));
  // The sequential loop on the CPU, the best of three.
  double loop_s = 1e30, h = 0;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = Clock::now();
    h = 0;
    for (std::uint64_t t = 0; t < r.T; ++t) h = a[t] * h + b[t];
    benchmark::DoNotOptimize(h);
    loop_s = std::min(loop_s, since(t0));
  }
  const double T = static_cast<double>(r.T);
  state.counters["T"] = T;
  state.counters["gates"] = static_cast<double>(s.num_gates());
  state.counters["levels"] = static_cast<double>(s.num_levels());
  state.counters["build_s"] = r.build_seconds;
  state.counters["sim_elems_per_s"] = T / sim_s;
  state.counters["graph_elems_per_s"] = T / graph_s;
  state.counters["cub_elems_per_s"] = T / cub.seconds;
  state.counters["cpu_loop_elems_per_s"] = T / loop_s;
  state.counters["cub_over_sim"] = sim_s / cub.seconds;
  state.counters["cub_over_graph"] = graph_s / cub.seconds;
  state.counters["reused_rows_elems_per_s"] = T / reused_s;
  state.counters["cub_over_reused_rows"] = reused_s / cub.seconds;
  state.counters["rows"] = static_cast<double>(s.num_rows);
  state.counters["rows_reused"] = static_cast<double>(r.reused.num_rows);
  state.counters["outputs_equal"] = same;
  state.counters["sim_over_cpu_loop"] = loop_s / sim_s;
  state.counters["transfer_ms"] = transfer_s * 1e3;
  state.counters["cold_ms"] = cold_ms;
  state.counters["max_rel_diff_vs_cub"] = worst;
}

// ---- bool on rand.aig ----

void BM_GpuBoolRandAig(benchmark::State& state) {
  if (!gpu_or_skip(state)) return;
  constexpr std::size_t B = 65536, W = B / 64;
  const circuits::Schedule& s = g_aig.get().s;
  const circuits::Schedule& cpu_schedule = g_aig.get().reused;
  std::vector<std::uint64_t> in(s.input_row.size() * W);
  bench::SplitMix64 rng{3};
  for (auto& w : in) w = rng.next();
  const auto c0 = Clock::now();
  gpu::Simulator sim(s);
  sim::SimStats st;
  const std::vector<std::uint64_t> first = sim.run_bool(in, B, &st);
  const double cold_ms = since(c0) * 1e3;
  gpu::GpuOptions go;
  go.launch = gpu::Launch::Graph;
  gpu::Simulator graph(s, circuits::kDefaultModulus, go);
  bool same = graph.run_bool(in, B) == first;
  sim::SimOptions cpu;
  cpu.threads = 2;
  sim::SimStats cst;
  same = same && sim::simulate_bool(cpu_schedule, in, B, cpu, &cst) == first;
  gpu::Simulator reused(cpu_schedule);
  same = same && reused.run_bool(in, B) == first;
  double sim_s = 0, graph_s = 0, cpu_s = 0, reused_s = 0;
  for (auto _ : state) {
    sim_s = best_of(3, [&] {
      sim.run_bool(in, B, &st);
      return st.seconds;
    });
    graph_s = best_of(3, [&] {
      graph.run_bool(in, B, &st);
      return st.seconds;
    });
    cpu_s = best_of(2, [&] {
      sim::simulate_bool(cpu_schedule, in, B, cpu, &cst);
      return cst.seconds;
    });
    reused_s = best_of(3, [&] {
      reused.run_bool(in, B, &st);
      return st.seconds;
    });
    state.SetIterationTime(sim_s);
  }
  const double evals = static_cast<double>(s.num_gates()) * B;
  state.counters["ands"] = static_cast<double>(s.num_gates());
  state.counters["levels"] = static_cast<double>(s.num_levels());
  state.counters["sim_evals_per_s"] = evals / sim_s;
  state.counters["graph_evals_per_s"] = evals / graph_s;
  state.counters["cpu2_evals_per_s"] = evals / cpu_s;
  state.counters["vs_cpu2"] = cpu_s / sim_s;
  state.counters["reused_rows_evals_per_s"] = evals / reused_s;
  state.counters["cold_ms"] = cold_ms;
  state.counters["outputs_equal"] = same;
}

}  // namespace

BENCHMARK(BM_GpuWideReal)
    ->Arg(1)
    ->Arg(64)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpuNarrow)->UseManualTime()->Iterations(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GpuBoolRandAig)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GpuRecurrence)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--benchmark_filter=", 0) == 0) filter = arg.substr(19);
  }
  auto wanted = [&](const char* name) {
    if (filter.empty() || filter == "all" || filter == ".") return true;
    try {
      return std::regex_search(name, std::regex(filter));
    } catch (const std::regex_error&) {
      return true;
    }
  };
  const gpu::DeviceInfo info = gpu::device_info();
  if (!info.available) {
    std::fprintf(stderr, "bench_gpu: no CUDA GPU (%s): nothing to measure\n", info.why_not.c_str());
    return 2;
  }
  std::printf("bench_gpu on %s (%d multiprocessors, %.0f GiB)\n", info.name.c_str(),
              info.multiprocessors, static_cast<double>(info.memory_bytes) / (1u << 30));
  auto later = [](auto f) { return std::async(std::launch::async, f).share(); };
  if (wanted("BM_GpuRecurrence")) g_rec = later(recurrence);
  if (wanted("BM_GpuWideReal")) g_wide = later([] { return layered(std::size_t{1} << 22, 6, 7); });
  if (wanted("BM_GpuNarrow")) g_narrow = later([] { return layered(1024, 1000, 8); });
  if (wanted("BM_GpuBoolRandAig")) g_aig = later(rand_aig);
  if (const char* wait = std::getenv("RNNCC_BENCH_START_AFTER")) {
    const auto t0 = Clock::now();
    while (!std::filesystem::exists(wait) && since(t0) < 1200)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
