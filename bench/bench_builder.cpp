// Builder throughput and memory: gates built per second through the hash-consing builder and
// then measured (liveness, levels, widths, critical path), and resident bytes per gate, against
// a baseline in the same process: the same requests hash-consed through std::unordered_map.
//
// Workloads: `random` (operand a uniform over all earlier gates, b within the 5000 previous,
// add or mul at random: the cache behaviour of rand.aig) and `unrolled` (a diagonal linear
// recurrence h_i <- a(x_t)_i * h_i + b(x_t)_i over d = 64 lanes: the shape the unroller makes).
#include <benchmark/benchmark.h>

#include <unordered_map>
#include <vector>

#include "bench/common.hpp"
#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"

namespace {
using namespace rnncc::circuits;

constexpr std::uint32_t kInputs = 1000;

struct Request {
  std::uint32_t a, b;  // indices of earlier requests (inputs are requests 0..kInputs-1)
  Op op;
};

std::vector<Request> random_requests(std::size_t n) {
  rnncc::bench::SplitMix64 rng{7};
  std::vector<Request> r;
  r.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t v = kInputs + k;
    std::uint64_t lo = v > 5000 ? v - 5000 : 0;
    r.push_back({static_cast<std::uint32_t>(rng.below(v)), static_cast<std::uint32_t>(lo + rng.below(v - lo)),
                 (rng.next() & 1) ? Op::Add : Op::Mul});
  }
  return r;
}

// h_i <- x_{t,s} * h_i + x_{t,s+1}, d = 64 lanes, with x_t one of the 1000 inputs.
std::vector<Request> unrolled_requests(std::size_t n) {
  constexpr std::uint32_t d = 64;
  std::vector<Request> r;
  r.reserve(n);
  std::vector<std::uint32_t> h(d);
  for (std::uint32_t i = 0; i < d; ++i) h[i] = i;
  for (std::uint32_t t = 0; r.size() + 2 * d <= n; ++t)
    for (std::uint32_t i = 0; i < d; ++i) {
      std::uint32_t x = (t * 7 + i) % kInputs, y = (t * 13 + i + 1) % kInputs;
      r.push_back({x, h[i], Op::Mul});
      std::uint32_t prod = kInputs + static_cast<std::uint32_t>(r.size()) - 1;
      r.push_back({prod, y, Op::Add});
      h[i] = kInputs + static_cast<std::uint32_t>(r.size()) - 1;
    }
  return r;
}

const std::vector<Request>& requests(int workload, std::size_t n) {
  static std::vector<Request> cache[2];
  if (cache[workload].size() != n) cache[workload] = workload == 0 ? random_requests(n) : unrolled_requests(n);
  return cache[workload];
}

void BM_BuildAndMeasure(benchmark::State& state) {
  const int workload = static_cast<int>(state.range(0));
  const bool reserve = state.range(1) != 0;
  const std::size_t n = static_cast<std::size_t>(state.range(2));
  const auto& req = requests(workload, n);
  std::vector<GateId> built(kInputs + req.size());
  double resident = 0, peak = 0, gates = 0;
  for (auto _ : state) {
    std::size_t rss0 = rnncc::bench::proc_status_kb("VmRSS");
    rnncc::bench::reset_peak_rss();
    Builder b;
    if (reserve) b.reserve(kInputs + req.size());
    for (std::uint32_t i = 0; i < kInputs; ++i) built[i] = b.input("x" + std::to_string(i));
    for (std::size_t k = 0; k < req.size(); ++k) {
      // The client's own id map is read at random (operand a is uniform); like the AIGER
      // reader, prefetch it a few requests ahead so that the figure is the builder's.
      if (k + 16 < req.size()) __builtin_prefetch(&built[req[k + 16].a]);
      built[kInputs + k] = b.make(req[k].op, built[req[k].a], built[req[k].b]);
    }
    b.output("y", built.back());
    std::size_t rss1 = rnncc::bench::proc_status_kb("VmRSS");
    std::size_t hwm = rnncc::bench::proc_status_kb("VmHWM");
    Circuit c = b.finish();
    Measures m = measure(c, {});
    benchmark::DoNotOptimize(m);
    gates = static_cast<double>(c.num_gates());
    resident = 1024.0 * static_cast<double>(rss1 - rss0) / gates;
    peak = 1024.0 * static_cast<double>(hwm - rss0) / gates;
  }
  state.counters["gates_per_s"] = benchmark::Counter(gates, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes_per_gate_resident"] = resident;
  state.counters["bytes_per_gate_peak_build"] = peak;
}

// Baseline: the same requests hash-consed with std::unordered_map, no folding, no measuring.
void BM_BaselineUnorderedMap(benchmark::State& state) {
  const int workload = static_cast<int>(state.range(0));
  const std::size_t n = static_cast<std::size_t>(state.range(2));
  const auto& req = requests(workload, n);
  std::vector<std::uint32_t> built(kInputs + req.size());
  double gates = 0;
  for (auto _ : state) {
    std::vector<std::uint8_t> op;
    std::vector<std::uint32_t> a, b;
    std::unordered_map<std::uint64_t, std::uint32_t> table;
    table.reserve(req.size());
    for (std::uint32_t i = 0; i < kInputs; ++i) {
      built[i] = static_cast<std::uint32_t>(op.size());
      op.push_back(0);
      a.push_back(i);
      b.push_back(0);
    }
    for (std::size_t k = 0; k < req.size(); ++k) {
      if (k + 16 < req.size()) __builtin_prefetch(&built[req[k + 16].a]);
      std::uint32_t x = built[req[k].a], y = built[req[k].b];
      if (x > y) std::swap(x, y);
      std::uint64_t key = (std::uint64_t{x} << 33) ^ (std::uint64_t{y} << 1) ^ (req[k].op == Op::Mul);
      auto [it, fresh] = table.try_emplace(key, static_cast<std::uint32_t>(op.size()));
      if (fresh) {
        op.push_back(static_cast<std::uint8_t>(req[k].op));
        a.push_back(x);
        b.push_back(y);
      }
      built[kInputs + k] = it->second;
    }
    gates = static_cast<double>(op.size());
    benchmark::DoNotOptimize(table);
  }
  state.counters["gates_per_s"] = benchmark::Counter(gates, benchmark::Counter::kIsIterationInvariantRate);
}

void args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"workload", "reserve", "n"});
  for (int w : {0, 1})
    for (int r : {1, 0}) b->Args({w, r, 10'000'000});
  b->Unit(benchmark::kMillisecond)->Iterations(3);
}

}  // namespace

BENCHMARK(BM_BuildAndMeasure)->Apply(args);
BENCHMARK(BM_BaselineUnorderedMap)->Args({0, 1, 10'000'000})->Args({1, 1, 10'000'000})->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
