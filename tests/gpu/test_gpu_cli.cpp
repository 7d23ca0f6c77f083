// `rnncc sim --device gpu` through the binary: without a GPU it exits 2 with one line saying so;
// exact is refused on the GPU whatever the machine; with a GPU, the output equals --device cpu's
// line for line but for the timing line, which stays last.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gpu/simulator.hpp"
#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// The output without its last line.
std::string all_but_last_line(const std::string& s) {
  const std::size_t end = s.size() >= 1 && s.back() == '\n' ? s.size() - 1 : s.size();
  const std::size_t cut = s.rfind('\n', end == 0 ? 0 : end - 1);
  return cut == std::string::npos ? "" : s.substr(0, cut + 1);
}
std::string last_line(const std::string& s) {
  return s.substr(all_but_last_line(s).size());
}

TEST(CliSimGpu, ExactIsRefusedOnTheGpu) {
  const RunResult r =
      run(rnncc("sim " + quote(example("diagonal")) + " -T 4 --domain exact --device gpu"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("no exact domain"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out), 1u) << r.out;
}

TEST(CliSimGpu, UnknownDeviceIsAUsageError) {
  const RunResult r = run(rnncc("sim " + quote(example("diagonal")) + " -T 4 --device tpu"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--device"), std::string::npos) << r.out;
}

TEST(CliSimGpu, WithoutAGpuExitsTwoWithOneLine) {
  const gpu::DeviceInfo info = gpu::device_info();
  if (info.available)
    GTEST_SKIP() << "a CUDA GPU is present (" << info.name << "): SameOutputAsCpu covers it";
  const RunResult r =
      run(rnncc("sim " + quote(source_dir() + "/examples/circuits/adder4.aag") + " --device gpu"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("no CUDA GPU available"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out), 1u) << r.out;
}

TEST(CliSimGpu, SameOutputAsCpuButTheTimingLine) {
  const gpu::DeviceInfo info = gpu::device_info();
  if (!info.available) GTEST_SKIP() << "no CUDA GPU on this machine: " << info.why_not;
  const std::vector<std::string> cases = {
      quote(source_dir() + "/examples/circuits/adder4.aag") + " --random 200",
      quote(example("diagonal")) + " -T 64 --scan brent-kung --random 300 --domain modp",
      quote(example("dense")) + " -T 16 --random 100 --domain real",
      quote(example("elman_relu")) + " -T 12 --random 100 --domain real",
      quote(example("dplr")) + " -T 9 --random 70 --domain modp --modulus 1000003 --batch 64",
  };
  for (const std::string& args : cases) {
    for (const char* json : {"", " --json"}) {
      const RunResult cpu = run(rnncc("sim " + args + json + " --device cpu"));
      const RunResult gpu = run(rnncc("sim " + args + json + " --device gpu"));
      ASSERT_EQ(cpu.status, 0) << cpu.out;
      ASSERT_EQ(gpu.status, 0) << gpu.out;
      if (*json) {  // the same outputs array; the figures differ
        const std::size_t c0 = cpu.out.find("\"outputs\":"), g0 = gpu.out.find("\"outputs\":");
        const std::size_t c1 = cpu.out.find("],\"seconds\""), g1 = gpu.out.find("],\"seconds\"");
        ASSERT_NE(c1, std::string::npos) << cpu.out.substr(0, 200);
        ASSERT_NE(g1, std::string::npos) << gpu.out.substr(0, 200);
        EXPECT_EQ(gpu.out.substr(g0, g1 - g0), cpu.out.substr(c0, c1 - c0)) << args;
        EXPECT_NE(gpu.out.find("\"device\":\"gpu\""), std::string::npos);
      } else {
        EXPECT_EQ(all_but_last_line(gpu.out), all_but_last_line(cpu.out)) << args;
        EXPECT_NE(last_line(gpu.out).find("GPU: " + info.name), std::string::npos)
            << last_line(gpu.out);
        EXPECT_NE(last_line(cpu.out).find("thread"), std::string::npos) << last_line(cpu.out);
      }
    }
  }
}

}  // namespace
}  // namespace rnncc::test
