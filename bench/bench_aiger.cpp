// AIGER reading throughput: parse + build + measure of the 2M-AND random AIG of
// bench/gen_rand_aig.hpp, against a baseline in the same process that only decodes the
// varints (the floor any reader pays). Whole-process comparison with ABC: see README/bench.
#include <benchmark/benchmark.h>

#include "bench/gen_rand_aig.hpp"
#include "circuits/analysis.hpp"
#include "circuits/io/aiger.hpp"

namespace {

const std::string& rand_aig() {
  static const std::string s = rnncc::bench::random_aig();
  return s;
}

// Baseline: decode every varint of the AND section and sum them.
void BM_DecodeOnly(benchmark::State& state) {
  const std::string& s = rand_aig();
  std::size_t start = s.find('\n', s.find('\n') + 1) + 1;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t i = start; i < s.size();) {
      std::uint64_t x = 0;
      int shift = 0;
      unsigned char ch;
      do {
        ch = static_cast<unsigned char>(s[i++]);
        x |= std::uint64_t{ch & 0x7fu} << shift;
        shift += 7;
      } while (ch & 0x80);
      sum += x;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ands_per_s"] = benchmark::Counter(2e6, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ReadAiger(benchmark::State& state) {
  const std::string& s = rand_aig();
  std::size_t gates = 0;
  for (auto _ : state) {
    rnncc::circuits::Circuit c = rnncc::circuits::io::read_aiger(s, "rand.aig");
    gates = c.num_gates();
    benchmark::DoNotOptimize(c);
  }
  state.counters["ands_per_s"] = benchmark::Counter(2e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["gates_built"] = static_cast<double>(gates);
}

void BM_ReadAndMeasure(benchmark::State& state) {
  const std::string& s = rand_aig();
  for (auto _ : state) {
    rnncc::circuits::Circuit c = rnncc::circuits::io::read_aiger(s, "rand.aig");
    rnncc::circuits::Measures m = rnncc::circuits::measure(c, {.not_free = true});
    benchmark::DoNotOptimize(m);
  }
  state.counters["ands_per_s"] = benchmark::Counter(2e6, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_DecodeOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadAiger)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadAndMeasure)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
