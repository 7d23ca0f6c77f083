// File IO at disk speed: writing and reading a `.rc` file of a 4M-gate generated circuit
// (bench/gen_circuit.hpp, about 100 MB) and writing the 2M-AND random AIG
// (bench/gen_rand_aig.hpp), each next to a raw write or read of the same bytes in the same
// process. `of_raw` is the reader's or writer's throughput as a fraction of the raw one
// (measured just before it, same file, same page cache); MB/s counters are of file bytes.
// The file lives in $TMPDIR (default /tmp).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "bench/gen_circuit.hpp"
#include "bench/gen_rand_aig.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "circuits/io/rc.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace io = rnncc::circuits::io;

std::string tmp_path(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/rnncc-bench-io-" + std::to_string(::getpid()) + name;
}

const rnncc::circuits::Circuit& circuit() {
  static const rnncc::circuits::Circuit c = rnncc::bench::generated_circuit(4'000'000);
  return c;
}
const std::string& rc_text() {
  static const std::string s = io::write_rc(circuit());
  return s;
}
const rnncc::circuits::Circuit& aig_circuit() {
  static const rnncc::circuits::Circuit c = io::read_aiger(rnncc::bench::random_aig(), "rand.aig");
  return c;
}
const std::string& aig_text() {
  static const std::string s = io::write_aiger(aig_circuit(), io::AigerMode::Binary);
  return s;
}

// Raw write: open, one write(2) of the bytes, close (what any writer pays at least).
void raw_write(const std::string& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w <= 0) std::abort();
    done += static_cast<std::size_t>(w);
  }
  ::close(fd);
}

struct Figures {
  double raw_write = 0, raw_read = 0;  // bytes per second, set by the raw benchmarks
} g_rc, g_aig;

void report(benchmark::State& state, std::size_t bytes, double seconds, double raw) {
  const double rate = static_cast<double>(bytes) * static_cast<double>(state.iterations()) / seconds;
  state.counters["MB_per_s"] = rate / 1e6;
  if (raw > 0) state.counters["of_raw"] = rate / raw;
}

template <class F>
double timed(benchmark::State& state, F&& f) {
  double seconds = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    f();
    seconds += std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return seconds;
}

void BM_RcRawWrite(benchmark::State& state) {
  const std::string path = tmp_path(".rc");
  rc_text();  // the circuit and its text are built before timing, not in the first iteration
  const double s = timed(state, [&] { raw_write(path, rc_text()); });
  g_rc.raw_write = static_cast<double>(rc_text().size()) * static_cast<double>(state.iterations()) / s;
  report(state, rc_text().size(), s, 0);
}
void BM_RcWrite(benchmark::State& state) {  // format + atomic write (rnncc convert's writing)
  const std::string path = tmp_path(".rc");
  const double s = timed(state, [&] { io::save_circuit(path, circuit()); });
  report(state, rc_text().size(), s, g_rc.raw_write);
}
void BM_RcRawRead(benchmark::State& state) {
  const std::string path = tmp_path(".rc");
  raw_write(path, rc_text());
  const double s = timed(state, [&] { benchmark::DoNotOptimize(io::read_file(path)); });
  g_rc.raw_read = static_cast<double>(rc_text().size()) * static_cast<double>(state.iterations()) / s;
  report(state, rc_text().size(), s, 0);
}
void BM_RcRead(benchmark::State& state) {  // map + parse + build (rnncc report's reading)
  const std::string path = tmp_path(".rc");
  raw_write(path, rc_text());  // again: a repetition starts after the previous one removed it
  const double s = timed(state, [&] { benchmark::DoNotOptimize(io::load_circuit(path)); });
  report(state, rc_text().size(), s, g_rc.raw_read);
  ::unlink(path.c_str());
}
void BM_AigRawWrite(benchmark::State& state) {
  const std::string path = tmp_path(".aig");
  aig_text();  // built before timing
  const double s = timed(state, [&] { raw_write(path, aig_text()); });
  g_aig.raw_write = static_cast<double>(aig_text().size()) * static_cast<double>(state.iterations()) / s;
  report(state, aig_text().size(), s, 0);
}
void BM_AigWrite(benchmark::State& state) {
  const std::string path = tmp_path(".aig");
  const double s = timed(state, [&] { io::save_circuit(path, aig_circuit()); });
  report(state, aig_text().size(), s, g_aig.raw_write);
  ::unlink(path.c_str());
}

}  // namespace

// Each raw figure runs right before the figure measured against it.
BENCHMARK(BM_RcRawWrite)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_RcWrite)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_RcRawRead)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_RcRead)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_AigRawWrite)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_AigWrite)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK_MAIN();
