// `rnncc sim` and `rnncc verify` end to end through the binary: hand-computed outputs of a tiny
// spec and of the 4-bit adder, input files in their three forms and their located errors,
// random instances against `rnncc run`, verify's verdicts and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CliSim, SymbolLinesGiveHandComputedOutputs) {
  const std::string dir = scratch("cli_sim_symbols");
  const std::string spec = write(dir, "tiny.toml", kTiny);
  // "a b a": h = 1, 2, 2. "b b a": h = 0, 0, 1. "a a a": 1, 3/2, 7/4.
  const std::string in = write(dir, "in.txt", "a b a\n# a comment line\nb b a  # trailing comment\n\na a a\n");
  RunResult r = run(rnncc("sim " + quote(spec) + " --inputs " + quote(in) + " --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["domain"], "exact");
  EXPECT_EQ(j["instances"], 3);
  EXPECT_EQ(j["outputs"], nlohmann::json::parse(R"([{"y[1][0]": "1", "y[2][0]": "2", "y[3][0]": "2"},
      {"y[1][0]": "0", "y[2][0]": "0", "y[3][0]": "1"}, {"y[1][0]": "1", "y[2][0]": "3/2", "y[3][0]": "7/4"}])"));
  EXPECT_GT(j["gate_evals_per_s"].get<double>(), 0);
  // Keys come in output order (y_1, y_2, y_3), not sorted.
  const std::size_t y1 = r.out.find("\"y[1][0]\":\"1\""), y2 = r.out.find("\"y[2][0]\":\"2\""),
                    y3 = r.out.find("\"y[3][0]\":\"2\"");
  EXPECT_TRUE(y1 < y2 && y2 < y3 && y3 != std::string::npos) << r.out;
  // modp with p = 7: 3/2 = 3 * 4 = 5, 7/4 = 0.
  r = run(rnncc("sim " + quote(spec) + " --inputs " + quote(in) + " --domain modp --modulus 7 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["outputs"][2], nlohmann::json::parse(R"({"y[1][0]": "1", "y[2][0]": "5", "y[3][0]": "0"})"));
  // Text: one line per instance, by name.
  r = run(rnncc("sim " + quote(spec) + " --inputs " + quote(in)));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("#3 y[1][0]=1 y[2][0]=3/2 y[3][0]=7/4\n"), std::string::npos) << r.out;
}

TEST(CliSim, ValuesAndNamedValuesOnTheAdder) {
  const std::string dir = scratch("cli_sim_adder");
  const std::string adder = source_dir() + "/examples/circuits/adder4.aag";
  // Inputs a[0..3], b[0..3] (little-endian): 5 + 3 = 8 -> s = 0001, c4 = 0; 15 + 1 = 16 -> c4 = 1.
  // The third line is the second by name, in another order.
  const std::string in = write(dir, "in.txt",
                               "1 0 1 0 1 1 0 0\n1 1 1 1 1 0 0 0\n"
                               "b[0]=1 a[3]=1 a[2]=1 a[1]=1 a[0]=1 b[1]=0 b[2]=0 b[3]=0\n");
  RunResult r = run(rnncc("sim " + quote(adder) + " --inputs " + quote(in) + " --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["domain"], "bool");
  EXPECT_EQ(j["outputs"][0], nlohmann::json::parse(R"({"s[0]": 0, "s[1]": 0, "s[2]": 0, "s[3]": 1, "c4": 0})"));
  EXPECT_EQ(j["outputs"][1], nlohmann::json::parse(R"({"s[0]": 0, "s[1]": 0, "s[2]": 0, "s[3]": 0, "c4": 1})"));
  EXPECT_EQ(j["outputs"][2], j["outputs"][1]);
  EXPECT_EQ(j["outputs"].size(), 3u);
}

TEST(CliSim, RandomInstancesMatchRun) {
  // The same sequence through `run` (interpreter) and `sim --inputs` (circuit) gives the same y_T.
  const std::string dir = scratch("cli_sim_random");
  const std::string seq = "a c b d a a c";
  const std::string in = write(dir, "in.txt", seq + "\n");
  RunResult s = run(rnncc("sim " + quote(example("diagonal")) + " -T 7 --inputs " + quote(in) + " --json"));
  RunResult i = run(rnncc("run " + quote(example("diagonal")) + " --input '" + seq + "' --json"));
  ASSERT_EQ(s.status, 0) << s.out;
  ASSERT_EQ(i.status, 0) << i.out;
  const auto sj = nlohmann::json::parse(s.out), ij = nlohmann::json::parse(i.out);
  const auto& y7 = ij["outputs"][6];
  for (std::size_t k = 0; k < y7.size(); ++k) EXPECT_EQ(sj["outputs"][0]["y[7][" + std::to_string(k) + "]"], y7[k]);
  // --random is deterministic in the seed and differs across seeds; batches do not change it.
  RunResult a = run(rnncc("sim " + quote(example("dense")) + " -T 5 --random 70 --seed 3 --json"));
  RunResult b = run(rnncc("sim " + quote(example("dense")) + " -T 5 --random 70 --seed 3 --batch 64 --threads 1 --json"));
  RunResult c = run(rnncc("sim " + quote(example("dense")) + " -T 5 --random 70 --seed 4 --json"));
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(b.status, 0) << b.out;
  EXPECT_EQ(nlohmann::json::parse(a.out)["outputs"], nlohmann::json::parse(b.out)["outputs"]);
  EXPECT_NE(nlohmann::json::parse(a.out)["outputs"], nlohmann::json::parse(c.out)["outputs"]);
  EXPECT_EQ(nlohmann::json::parse(a.out)["outputs"].size(), 70u);
}

TEST(CliSim, InputErrorsNameFileLineAndColumn) {
  const std::string dir = scratch("cli_sim_errors");
  const std::string spec = write(dir, "tiny.toml", kTiny);
  const std::string adder = source_dir() + "/examples/circuits/adder4.aag";
  struct Case {
    std::string target, text, extra, want;
  };
  const std::vector<Case> cases = {
      {adder, "1 0 1\n", "", "in.txt:1:6: expected 8 values (one per input, in input order), got 3"},
      {adder, "1 0 1 0 1 1 0 0\n1 0 x 0 1 1 0 0\n", "", "in.txt:2:5: bad number 'x'"},
      {adder, "1 0 1 0 1 1 0 2\n", "", "in.txt:1:15: value 2 is not a bit (0 or 1) in the bool domain"},
      {adder, "a[0]=1 nope=2\n", "", "in.txt:1:8: unknown input 'nope'"},
      {adder, "a[0]=1 a[0]=0\n", "", "in.txt:1:8: input 'a[0]' given twice"},
      {adder, "a[0]=1\n", "", "in.txt:1:7: no value for input 'a[1]'"},
      {adder, "# nothing\n\n", "", "in.txt:2: no instances (one per line)"},
      {spec, "a b\n", "", "in.txt:1:4: 2 symbols for a sequence of T = 3 steps"},
      {spec, "a b a\n", "--domain bool", "specs run in the real, exact or modp domain, not bool"},
      {spec, "a b a\n", "--domain real --modulus 7", "--modulus applies to the modp domain, not real"},
      {spec, "a b a\n", "--domain modp --modulus 8", "not prime"},
      {example("elman_tanh"), "a b a\n", "-T 3 --domain modp", "tanh"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.want);
    const std::string in = write(dir, "in.txt", c.text);
    RunResult r = run(rnncc("sim " + quote(c.target) + " --inputs " + quote(in) + " " + c.extra));
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find(c.want), std::string::npos) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  }
  // Circuits with a kind the domain lacks are refused before any work.
  RunResult r = run(rnncc("sim " + quote(example("gru")) + " -T 2 --domain exact"));
  EXPECT_EQ(r.status, 2) << r.out;
}

TEST(CliVerify, AgreesExitsZeroAndPrintsBothCircuits) {
  RunResult r = run(rnncc("verify " + quote(example("diagonal")) + " -T 32 --scan brent-kung --trials 4"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("naive"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  lift-scan -n brent-kung "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("agrees with the interpreter and the stage before"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nOK\n"), std::string::npos) << r.out;
  r = run(rnncc("verify " + quote(example("deltanet")) + " -T 16 --scan sklansky --balance --domain modp --modulus 1000003 --trials 3 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["modulus"], "1000003");
  ASSERT_EQ(j["stages"].size(), 3u);
  EXPECT_EQ(j["script"], "lift-scan -n sklansky; balance");
  EXPECT_EQ(j["stages"][0]["stage"], "naive");
  EXPECT_EQ(j["stages"][1]["stage"], "lift-scan -n sklansky");
  EXPECT_EQ(j["stages"][2]["stage"], "balance");
  for (const auto& s : j["stages"]) {
    EXPECT_EQ(s["agrees_interpreter"], true);
    EXPECT_EQ(s["agrees_previous"], true);
  }
  EXPECT_LT(j["stages"][2]["depth"].get<int>(), j["stages"][0]["depth"].get<int>());
  ASSERT_EQ(j["passes"].size(), 2u);
  EXPECT_EQ(j["passes"][0]["counters"]["combine"], "row");
  // real: the scanned circuit rounds differently, within the tolerance.
  r = run(rnncc("verify " + quote(example("dense")) + " -T 64 --scan kogge-stone --domain real --trials 2 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_LE(j["stages"][1]["max_rel_error"].get<double>(), 1e-9);
}

TEST(CliVerify, RefusedScanAndMismatchExitOne) {
  RunResult r = run(rnncc("verify " + quote(example("lstm")) + " -T 8 --scan brent-kung"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("lift-scan refused: sigmoid on the state path"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nREFUSED\n"), std::string::npos) << r.out;
  // A zero tolerance turns real rounding differences into a reported mismatch.
  r = run(rnncc("verify " + quote(example("dense")) + " -T 64 --scan kogge-stone --domain real --trials 2 --tol 0"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("first mismatch at lift-scan -n kogge-stone: output y["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MISMATCH"), std::string::npos) << r.out;
  // Input errors are exit 2.
  r = run(rnncc("verify " + quote(source_dir() + "/examples/circuits/adder4.aag")));
  EXPECT_EQ(r.status, 2) << r.out;
  r = run(rnncc("verify " + quote(example("gru")) + " -T 4 --domain modp"));
  EXPECT_EQ(r.status, 2) << r.out;
}

}  // namespace
}  // namespace rnncc::test
