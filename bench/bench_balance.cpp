// balance on a 10^7-gate left-deep AND chain (10^7 + 1 inputs): the chain is built once outside
// the timing. Baseline in the same process: copying the circuit gate by gate through a Builder
// (the floor for any pass that rebuilds a circuit).
#include <benchmark/benchmark.h>

#include <string>

#include "circuits/builder.hpp"
#include "compiler/passes/balance.hpp"

namespace {
using namespace rnncc;

const circuits::Circuit& chain() {
  static const circuits::Circuit c = [] {
    circuits::Builder b;
    constexpr int n = 10'000'000;
    b.reserve(2 * static_cast<std::size_t>(n) + 2);
    circuits::GateId g = b.input("x0");
    for (int i = 1; i <= n; ++i) g = b.and_(g, b.input("x" + std::to_string(i)));
    b.output("y", g);
    return b.finish();
  }();
  return c;
}

void BM_BalanceChain(benchmark::State& state) {
  const circuits::Circuit& c = chain();
  for (auto _ : state) {
    circuits::Circuit out = compiler::passes::balance(c, {}, nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.counters["gates"] = static_cast<double>(c.num_gates());
}

void BM_CopyBaseline(benchmark::State& state) {
  const circuits::Circuit& c = chain();
  for (auto _ : state) {
    circuits::Builder b;
    b.reserve(c.num_gates());
    std::vector<circuits::GateId> map(c.num_gates());
    for (circuits::GateId g = 0; g < c.num_gates(); ++g)
      map[g] = c.op(g) == circuits::Op::Input ? b.input_unchecked(c.name_of_input(g))
                                              : b.and_(map[c.a(g)], map[c.b(g)]);
    b.output("y", map.back());
    benchmark::DoNotOptimize(b.finish());
  }
}

}  // namespace

BENCHMARK(BM_BalanceChain)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_CopyBaseline)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK_MAIN();
