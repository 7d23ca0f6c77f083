// `rnncc sim --precision`, `--precision-gates` and the precision line of `rnncc verify`, through
// the binary: closed forms on a 1-wide diagonal RNN that doubles each step (h_t = 2^t - 1: t + 1
// bits at step t), hand-computed figures of kTiny, the per-gate file against the summary, the
// same figures for any thread count and batch size, and the errors (a domain other than exact, a
// file that cannot be written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

constexpr char kDoubling[] = R"(kind = "diagonal"
d = 1
alphabet = ["a"]
domain = "exact"
[parameters]
W_a = [["2"]]
c_a = [0]
W_b = [[1]]
c_b = [0]
W_y = [[1]]
c_y = [0]
)";

TEST(CliPrecision, DoublingSpecGrowsOneBitAStep) {
  const std::string dir = scratch("cli_precision_doubling");
  const std::string spec = write(dir, "doubling.toml", kDoubling);
  RunResult r = run(rnncc("sim " + quote(spec) + " -T 20 --random 3 --precision --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& p = j["precision"];
  EXPECT_EQ(p["bits"], 21);  // h_20 = 2^20 - 1 over 1
  EXPECT_EQ(p["instances"], 3);
  // The first gate with 21 bits: 2 h_19 = 2^20 - 2 (20 bits too), before h_20 = y[20][0].
  EXPECT_EQ(p["gate"]["origin"]["step"], 20);
  EXPECT_EQ(p["gate"]["origin"]["construct"], "diagonal.h");
  EXPECT_EQ(p["gate"]["kind"], "mul");
  ASSERT_TRUE(p["per_step"].is_array());
  int seen = 0;
  for (const auto& s : p["per_step"]) {
    if (s["step"] == 0) continue;  // the initial state, folded away
    EXPECT_EQ(s["bits"], s["step"].get<int>() + 1) << s.dump();
    EXPECT_TRUE(s["gate"].is_number());
    ++seen;
  }
  EXPECT_EQ(seen, 20);
  // Text: after the outputs and the timing line; the first and last 6 steps of 21 records.
  r = run(rnncc("sim " + quote(spec) + " -T 20 --random 3 --precision"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\nprecision: 21 bits over 3 instances"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(mul, from diagonal.h, step 20)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bits by step (the largest of the step's state gates), 21 steps: 0:- 1:2 2:3 3:4 4:5 5:6 ... "
                       "15:16 16:17 17:18 18:19 19:20 20:21\n"),
            std::string::npos)
      << r.out;
  EXPECT_LT(r.out.find("#3 "), r.out.find("precision:"));
  // Without --precision nothing is said about it.
  r = run(rnncc("sim " + quote(spec) + " -T 20 --random 3 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(nlohmann::json::parse(r.out).contains("precision"));
}

// kTiny: h_t = a(x_t) h_{t-1} + b(x_t), a(a) = 1/2, a(b) = 2, b(a) = 1, b(b) = 0. On "a a a",
// h = 1, 3/2, 7/4 (7/4: 3 + 3 = 6 bits); on "b b a", 0, 0, 1. The constant 1/2 has 3 bits.
TEST(CliPrecision, HandComputedOnTinySpec) {
  const std::string dir = scratch("cli_precision_tiny");
  const std::string spec = write(dir, "tiny.toml", kTiny);
  const std::string in = write(dir, "in.txt", "a a a\nb b a\n");
  const std::string gates = dir + "/gates.txt";
  RunResult r = run(rnncc("sim " + quote(spec) + " --inputs " + quote(in) + " --precision-gates " + quote(gates) +
                          " --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto p = nlohmann::json::parse(r.out)["precision"];  // --precision-gates implies --precision
  EXPECT_EQ(p["bits"], 6);
  EXPECT_EQ(p["gate"]["label"], "y[3][0]");
  const auto& steps = p["per_step"];
  ASSERT_EQ(steps.size(), 4u);  // steps 0..3
  EXPECT_EQ(steps[1]["bits"], 2);  // 1 and 0
  EXPECT_EQ(steps[2]["bits"], 4);  // 3/2
  EXPECT_EQ(steps[3]["bits"], 6);  // 7/4
  // The file: two comment lines, then "gate bits" per live gate; its largest is the summary's.
  const std::string text = read_text(gates);
  EXPECT_EQ(text.rfind("# precision per gate", 0), 0u) << text;
  EXPECT_NE(text.find("\n# gate bits\n"), std::string::npos) << text;
  std::istringstream lines(text);
  std::string line;
  std::map<long, long> figure;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    long g = -1, b = -1;
    f >> g >> b;
    ASSERT_TRUE(f && g >= 0 && b >= 2) << line;
    figure[g] = b;
  }
  ASSERT_FALSE(figure.empty());
  long best = 0, at = -1;
  for (auto [g, b] : figure)
    if (b > best) best = b, at = g;
  EXPECT_EQ(best, 6);
  EXPECT_EQ(at, p["gate"]["id"].get<long>());
  for (const auto& s : steps)
    if (s["gate"].is_number()) {
      EXPECT_EQ(figure.at(s["gate"].get<long>()), s["bits"].get<long>());
    }
}

// Threads, batches and the input route change nothing.
TEST(CliPrecision, SameForAnyThreadsAndBatches) {
  const std::string ref_cmd = "sim " + quote(example("dplr")) + " -T 6 --random 130 --seed 4 --precision --json";
  RunResult a = run(rnncc(ref_cmd + " --threads 1"));
  ASSERT_EQ(a.status, 0) << a.out;
  const auto want = nlohmann::json::parse(a.out)["precision"];
  EXPECT_GT(want["bits"].get<int>(), 10);
  for (const std::string extra : {"--threads 2", "--threads 3 --batch 1", "--threads 2 --batch 64", "--batch 65"}) {
    RunResult b = run(rnncc(ref_cmd + " " + extra));
    ASSERT_EQ(b.status, 0) << b.out;
    EXPECT_EQ(nlohmann::json::parse(b.out)["precision"], want) << extra;
  }
}

TEST(CliPrecision, Errors) {
  const std::string dir = scratch("cli_precision_errors");
  const std::string spec = write(dir, "tiny.toml", kTiny);
  // Another domain, chosen or the default of a real spec or a boolean circuit.
  RunResult r = run(rnncc("sim " + quote(spec) + " --domain modp --precision"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--precision: the precision (bit lengths of exact values) is measured in the exact domain only, "
                       "and this run is in modp: give --domain exact"),
            std::string::npos)
      << r.out;
  r = run(rnncc("sim " + quote(example("elman_tanh")) + " -T 3 --precision"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("this run is in real"), std::string::npos) << r.out;
  r = run(rnncc("sim " + quote(source_dir() + "/examples/circuits/adder4.aag") + " --precision-gates " +
                quote(dir + "/g.txt")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--precision-gates: the precision"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("this run is in bool"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/g.txt"));
  r = run(rnncc("sim " + quote(spec) + " --domain real --precision --json"));
  EXPECT_EQ(r.status, 2) << r.out;
  // A file that cannot be written: exit 2, nothing left behind, no output printed.
  r = run(rnncc("sim " + quote(spec) + " --precision-gates " + quote(dir + "/no/such/dir/g.txt")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cannot write"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("precision:"), std::string::npos) << r.out;
  // An existing file is replaced whole.
  const std::string old = write(dir, "old.txt", std::string(10000, 'x'));
  r = run(rnncc("sim " + quote(spec) + " --precision-gates " + quote(old)));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(read_text(old).find('x'), std::string::npos);
}

// verify, exact domain: one more line, each stage's precision; boolean stages have none. JSON:
// per stage, and the largest. Not in modp.
TEST(CliPrecision, VerifyPrintsThePrecisionOfEachStage) {
  const std::string dir = scratch("cli_precision_verify");
  const std::string spec = write(dir, "doubling.toml", kDoubling);
  RunResult r = run(rnncc("verify " + quote(spec) + " -T 12 --trials 3 -p 'lift-scan -n sklansky; lower-int; lower-bool'"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("  precision over the 3 trials (bits of the widest gate value): naive 13, lift-scan -n "
                       "sklansky "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(", lower-bool none (bool)\nOK\n"), std::string::npos) << r.out;
  r = run(rnncc("verify " + quote(spec) + " -T 12 --trials 3 --scan sklansky --balance --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["stages"].size(), 3u);  // naive, lift-scan, balance
  EXPECT_EQ(j["stages"][0]["precision_bits"], 13);
  EXPECT_TRUE(j["stages"][0]["precision_gate"].is_number());
  std::int64_t widest = 0;
  for (const auto& s : j["stages"]) widest = std::max(widest, s["precision_bits"].get<std::int64_t>());
  EXPECT_EQ(j["precision"]["bits"], widest);
  EXPECT_GE(widest, 13);
  // modp: no precision.
  r = run(rnncc("verify " + quote(spec) + " -T 12 --trials 3 --domain modp --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(nlohmann::json::parse(r.out).contains("precision"));
  r = run(rnncc("verify " + quote(spec) + " -T 12 --trials 3 --domain modp"));
  EXPECT_EQ(r.out.find("precision"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rnncc::test
