// Unrolling and lift-scan throughput: bench/specs/diagonal64.toml (diagonal, d = 64, 2 symbols, no bias,
// readout y_t = w . h_t, outputs all) traced at T = 2^16 (about 4 x 10^7 gates). Baseline in the
// same process: the same model code run as the interpreter on doubles for the same T, i.e. the
// cost of the model arithmetic itself without building gates. BM_LiftScan times lift-scan with
// Brent-Kung on the unrolled circuit (unrolled once, outside the timing) in output gates per second.
#include <benchmark/benchmark.h>

#include "bench/common.hpp"
#include "circuits/domains.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"

namespace {
using namespace rnncc;

const compiler::Spec& spec() {
  static const compiler::Spec s = compiler::load_spec(RNNCC_SOURCE_DIR "/bench/specs/diagonal64.toml");
  return s;
}

void BM_Unroll(benchmark::State& state) {
  const auto T = static_cast<std::uint64_t>(state.range(0));
  double gates = 0, bytes_resident = 0, bytes_peak = 0;
  for (auto _ : state) {
    std::size_t rss0 = bench::proc_status_kb("VmRSS");
    bench::reset_peak_rss();
    circuits::Circuit c = compiler::unroll(spec(), T);
    std::size_t rss1 = bench::proc_status_kb("VmRSS"), hwm = bench::proc_status_kb("VmHWM");
    gates = static_cast<double>(c.num_gates());
    bytes_resident = 1024.0 * static_cast<double>(rss1 - rss0) / gates;
    bytes_peak = 1024.0 * static_cast<double>(hwm - rss0) / gates;
    benchmark::DoNotOptimize(c);
  }
  state.counters["gates"] = gates;
  state.counters["gates_per_s"] = benchmark::Counter(gates, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes_per_gate"] = bytes_resident;
  state.counters["bytes_per_gate_peak"] = bytes_peak;
}

void BM_LiftScan(benchmark::State& state) {
  const auto T = static_cast<std::uint64_t>(state.range(0));
  circuits::Circuit naive = compiler::unroll(spec(), T);
  double gates = 0;
  // The registered pass, as a script's invocation runs it (no measuring).
  const compiler::Invocation inv = compiler::parse_script("lift-scan -n brent-kung").at(0);
  for (auto _ : state) {
    compiler::PassResult r = inv.pass->run(naive, inv.args);
    if (!r.circuit) state.SkipWithError("lift-scan refused");
    gates = r.circuit ? static_cast<double>(r.circuit->num_gates()) : 0;
    benchmark::DoNotOptimize(r);
  }
  state.counters["output_gates"] = gates;
  state.counters["output_gates_per_s"] = benchmark::Counter(gates, benchmark::Counter::kIsIterationInvariantRate);
}

// The whole pipeline on the same circuit: lift-scan then balance, each version measured once,
// records kept. Against BM_LiftScan at the same T: what balance and the measures add.
void BM_ScriptScanBalance(benchmark::State& state) {
  const auto T = static_cast<std::uint64_t>(state.range(0));
  const circuits::Circuit naive = compiler::unroll(spec(), T);
  const compiler::Script script = compiler::parse_script("lift-scan -n brent-kung; balance");
  double pass_seconds = 0;
  for (auto _ : state) {
    compiler::PipelineResult r = compiler::run_script(naive, script);
    double passes = 0;
    for (const compiler::PassRecord& rec : r.records) passes += rec.seconds;
    pass_seconds = passes;
    benchmark::DoNotOptimize(r);
  }
  state.counters["pass_seconds"] = pass_seconds;
}

void BM_InterpretDoubles(benchmark::State& state) {
  const auto T = static_cast<std::uint64_t>(state.range(0));
  compiler::InputSequence xs(T, std::vector<mpq_class>{1, 0});
  for (std::uint64_t t = 0; t < T; t += 3) xs[t] = {0, 1};
  circuits::RealDomain dom;
  for (auto _ : state) benchmark::DoNotOptimize(compiler::interpret_values(spec(), dom, xs));
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(T), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_Unroll)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_LiftScan)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_ScriptScanBalance)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_InterpretDoubles)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK_MAIN();
