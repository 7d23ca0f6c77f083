// The spec commands end to end through the binary: compile, report and dot of specs, run, and
// their errors (exit 2, one line, no output file).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::string write_tiny(const std::string& dir) {
  std::string path = dir + "/tiny.toml";
  std::ofstream(path) << kTiny;
  return path;
}

TEST(CliSpec, RunPrintsHandComputedStates) {
  std::string dir = scratch("cli_spec_run");
  std::string spec = write_tiny(dir);
  // h1 = 1/2 * 0 + 1 = 1; h2 = 2 * 1 + 0 = 2; h3 = 1/2 * 2 + 1 = 2.
  RunResult r = run(rnncc("run " + quote(spec) + " --input 'a b a'"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("t=0 h=[0]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("t=1 h=[1] y=[1]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("t=2 h=[2] y=[2]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("t=3 h=[2] y=[2]"), std::string::npos) << r.out;
  // Input "b a": h1 = 0, h2 = 1; in modp 1/2 never appears in the values, so the same integers.
  r = run(rnncc("run " + quote(spec) + " --input 'b a' --domain modp --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["domain"], "modp");
  EXPECT_EQ(j["states"], nlohmann::json::parse(R"([["0"], ["0"], ["1"]])"));
  EXPECT_EQ(j["outputs"], nlohmann::json::parse(R"([["0"], ["1"]])"));
  // In modp with p = 7, "a a": h1 = 1, h2 = 1/2 * 1 + 1 = 3/2 = 3 * 4 = 12 = 5 (mod 7).
  r = run(rnncc("run " + quote(spec) + " --input 'a a' --domain modp --modulus 7 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["states"].back(), nlohmann::json::parse(R"(["5"])"));
}

TEST(CliSpec, CompileWritesTheCircuitReportMeasures) {
  std::string dir = scratch("cli_spec_compile");
  std::string spec = write_tiny(dir);
  RunResult r = run(rnncc("compile " + quote(spec) + " -T 4 -o " + quote(dir + "/tiny.rc")));
  ASSERT_EQ(r.status, 0) << r.out;
  // Per step: a_t = 1/2 x_a + 2 x_b (2 mul, 1 add), b_t = x_a (1 x_a + 0 x_b + 0, folded),
  // h_t = a_t h_{t-1} + b_t (mul, add). Step 1 folds a_1 * h_0 = a_1 * 0 = 0 and 0 + x_a: h_1 = x_a,
  // and a_1 is dead. Steps 2..4: 3 mul + 2 add each, so 9 mul, 6 add, size 15 (inputs and
  // constants cost nothing). Levels: a_t's muls 1, its add 2; h_1 = x_a at 0; h_2 = a_2 h_1 at 3,
  // + x_a at 4; h_3: mul max(2, 4) + 1 = 5, add 6; h_4: mul 7, add 8. Depth 8.
  RunResult a = run(rnncc("report --json " + quote(dir + "/tiny.rc")));
  RunResult b = run(rnncc("report --json " + quote(spec) + " -T 4"));
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(b.status, 0) << b.out;
  for (const RunResult* report : {&a, &b}) {
    auto m = nlohmann::json::parse(report->out);
    EXPECT_EQ(m["size"], 15) << report->out;
    EXPECT_EQ(m["depth"], 8) << report->out;
    EXPECT_EQ(m["by_kind"]["mul"], 9) << report->out;
    EXPECT_EQ(m["by_kind"]["add"], 6) << report->out;
    EXPECT_EQ(m["inputs"], 8) << report->out;   // x[t][a], x[t][b] for t = 1..4
    EXPECT_EQ(m["outputs"], 4) << report->out;  // y_1 .. y_4 (outputs "all")
  }
  // The text one-liners agree too (the name is "tiny" both times: the stem of tiny.rc and tiny.toml).
  RunResult at = run(rnncc("report " + quote(dir + "/tiny.rc")));
  RunResult bt = run(rnncc("report " + quote(spec) + " -T 4"));
  ASSERT_EQ(at.status, 0) << at.out;
  EXPECT_NE(at.out.find(" size = 15 depth = 8 "), std::string::npos) << at.out;
  EXPECT_EQ(at.out, bt.out);
  RunResult j = run(rnncc("report " + quote(spec) + " --json"));
  ASSERT_EQ(j.status, 0) << j.out;
  auto js = nlohmann::json::parse(j.out);
  EXPECT_EQ(js["spec"]["kind"], "diagonal");
  EXPECT_EQ(js["spec"]["d"], 1);
  EXPECT_EQ(js["spec"]["T"], 3);  // the spec's own T
  EXPECT_EQ(js["spec"]["outputs"], "all");
  EXPECT_EQ(js["spec"]["domain"], "exact");
  EXPECT_EQ(js["outputs"], 3);
  EXPECT_EQ(js["inputs"], 6);  // x[t][a], x[t][b] for t = 1..3
}

TEST(CliSpec, EveryExampleCompilesAndDraws) {
  RNNCC_REQUIRE_PROGRAM("dot");
  std::string dir = scratch("cli_spec_examples");
  for (const char* name : {"elman_tanh", "elman_relu", "elman_sign", "lstm", "gru", "diagonal", "dense", "pd",
                           "dplr", "deltanet", "rwkv7", "mlp", "switched"}) {
    SCOPED_TRACE(name);
    std::string rc = dir + "/" + name + ".rc", dot = dir + "/" + name + ".dot";
    RunResult r = run(rnncc("compile " + quote(example(name)) + " -T 3 -o " + quote(rc)));
    ASSERT_EQ(r.status, 0) << r.out;
    r = run(rnncc("dot " + quote(example(name)) + " -T 2 --cone 'y[2][0]' -o " + quote(dot)));
    ASSERT_EQ(r.status, 0) << r.out;
    r = run("dot -Tsvg " + quote(dot) + " -o /dev/null");
    EXPECT_EQ(r.status, 0) << r.out;
  }
}

// The relu kinds through the binary: report (the spec's dimensions in --json, one relu per
// hidden or state lane and step), lift-scan refused naming the relu, run, and modp and `hidden`
// errors as one located line with exit 2.
TEST(CliSpec, MlpAndSwitchedReportRunAndRefuse) {
  RunResult r = run(rnncc("report " + quote(example("mlp")) + " -T 8 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["spec"]["kind"], "mlp");
  EXPECT_EQ(j["spec"]["d"], 6);
  EXPECT_EQ(j["spec"]["hidden"], 12);
  EXPECT_EQ(j["spec"]["m"], 3);
  EXPECT_EQ(j["by_kind"]["relu"], 12 * 8) << r.out;
  r = run(rnncc("report " + quote(example("switched")) + " -T 8 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["spec"]["kind"], "switched");
  EXPECT_FALSE(j["spec"].contains("hidden"));
  EXPECT_EQ(j["by_kind"]["relu"], 4 * 8) << r.out;

  for (const auto& [name, construct] : {std::pair{"mlp", "mlp.hidden"}, std::pair{"switched", "switched.h"}}) {
    SCOPED_TRACE(name);
    r = run(rnncc("report " + quote(example(name)) + " -T 8 --scan brent-kung"));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find(std::string("refused: relu on the state path at step 2, from ") + construct),
              std::string::npos)
        << r.out;
    r = run(rnncc("report " + quote(example(name)) + " -T 8 --scan brent-kung --require-log-depth"));
    EXPECT_EQ(r.status, 1) << r.out;
    r = run(rnncc("run " + quote(example(name)) + " --input 'a b c a' --json"));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["outputs"].size(), 4u) << r.out;
    r = run(rnncc("run " + quote(example(name)) + " --input 'a' --domain modp"));
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("cannot run relu (integers mod p have no order)"), std::string::npos) << r.out;
  }

  const std::string dir = scratch("cli_spec_hidden");
  const std::string bad = dir + "/bad.toml";
  std::ofstream(bad) << "kind = \"switched\"\nd = 2\nhidden = 4\nalphabet = [\"a\"]\n[init]\nseed = 1\n";
  r = run(rnncc("report " + quote(bad) + " -T 2"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("bad.toml:3:10: key 'hidden': only kind 'mlp' takes hidden"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

struct ErrorCase {
  const char* what;
  std::string args;
  const char* message;
};

TEST(CliSpec, ErrorsExitTwoWithOneLineAndNoFile) {
  std::string dir = scratch("cli_spec_errors");
  std::string spec = write_tiny(dir), out = dir + "/out";
  const ErrorCase cases[] = {
      {"arithmetic to AIGER", "compile " + quote(spec) + " -T 2 -o " + quote(out + ".aig"), "cannot write AIGER"},
      {"unknown symbol", "run " + quote(spec) + " --input 'a z'", "unknown symbol 'z'"},
      {"tanh in exact", "run " + quote(example("elman_tanh")) + " --input 'a' --domain exact",
       "cannot run in the exact domain"},
      {"relu in modp", "run " + quote(example("elman_relu")) + " --input 'a' --domain modp",
       "cannot run in the modp domain"},
      {"composite modulus", "run " + quote(spec) + " --input 'a' --domain modp --modulus 91", "not prime"},
      {"modulus divides a denominator", "run " + quote(spec) + " --input 'a' --domain modp --modulus 2",
       "W_a"},
      {"-T on a circuit file", "report " + quote(source_dir() + "/examples/circuits/adder4.rc") + " -T 4",
       "-T applies to specs"},
      {"scan a circuit file without step metadata",
       "compile " + quote(source_dir() + "/examples/circuits/adder4.rc") + " --scan sklansky -o " + quote(out + ".rc"),
       "lift-scan needs step metadata"},
      {"unknown pass", "compile " + quote(spec) + " -T 2 -p 'balance; fold' -o " + quote(out + ".rc"),
       "-p: unknown pass 'fold': expected one of lift-scan, balance, "},
      {"unknown flag", "report " + quote(spec) + " -T 2 -p 'lift-scan --net sklansky'",
       "-p: pass 'lift-scan': unknown flag '--net': pass 'lift-scan' accepts -n/--network (one of serial"},
      {"script and shorthand", "report " + quote(spec) + " -T 2 -p balance --balance",
       "give a pass script (-p) or the shorthands --scan/--balance, not both"},
      {"unknown output extension", "compile " + quote(spec) + " -o " + quote(out + ".xyz"), "unknown circuit file extension"},
      {"missing spec", "report " + quote(dir + "/nope.toml"), "cannot read"},
      {"T zero", "report " + quote(spec) + " -T 0", "-T"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.what);
    RunResult r = run(rnncc(c.args));  // errors print nothing on stdout
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename(), "tiny.toml") << "left behind: " << entry.path();
}

}  // namespace
}  // namespace rnncc::test
