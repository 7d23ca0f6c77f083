// The lowering passes from the command line: a spec lowered to a boolean `.rc`, simulated from
// the file, prints the values its words carry (the same values as the naive circuit in exact on
// the same random instances), `--raw` prints the bits, and `verify` names the stage.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

TEST(CliLower, SimDecodesTheWordsOfALoweredCircuitFile) {
  const std::string dir = scratch("cli_lower");
  const std::string spec = dir + "/tiny.toml";
  std::ofstream(spec) << kTiny;
  const std::string naive = dir + "/naive.rc", lowered = dir + "/lowered.rc";
  RunResult r = run(rnncc("compile " + quote(spec) + " -o " + quote(naive)));
  ASSERT_EQ(r.status, 0) << r.out;
  // sim of a circuit file draws every input on its own, so the lowered file keeps the naive
  // file's one-hot inputs (--alphabet one-hot) to be simulated on the same instances.
  r = run(rnncc("compile " + quote(spec) + " -p 'lower-int; lower-bool --alphabet one-hot' -o " + quote(lowered)));
  ASSERT_EQ(r.status, 0) << r.out;
  // h_t = a(x_t) h + b(x_t): every y_t is a dyadic value; the lowered file carries it in bits over 2^E.
  const RunResult want = run(rnncc("sim " + quote(naive) + " --domain exact --random 8 --seed 5 --json"));
  const RunResult got = run(rnncc("sim " + quote(lowered) + " --random 8 --seed 5 --json"));
  ASSERT_EQ(want.status, 0) << want.out;
  ASSERT_EQ(got.status, 0) << got.out;
  const auto w = nlohmann::json::parse(want.out), g = nlohmann::json::parse(got.out);
  EXPECT_EQ(g["domain"], "bool");
  EXPECT_EQ(g["decoded"], true);
  EXPECT_EQ(g["outputs"], w["outputs"]);
  EXPECT_EQ(w["outputs"].size(), 8u);
  // --raw: the bits themselves, named NAME.K.
  r = run(rnncc("sim " + quote(lowered) + " --random 1 --raw"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" y[3][0].0="), std::string::npos) << r.out;
  // verify takes the same script, stage by stage.
  r = run(rnncc("verify " + quote(spec) + " -p 'lower-int; lower-bool; nc1'"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\n  nc1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nOK"), std::string::npos) << r.out;
}

TEST(CliLower, RefusalsAndMissingRangesAreNamed) {
  // A circuit file without ranges needs --input-bits; with it, a multiplier lowers to AIGER.
  const std::string dir = scratch("cli_lower_refuse");
  const std::string mul = dir + "/mul.rc";
  std::ofstream(mul) << "rnncc 1\n0 = input a\n1 = input b\n2 = mul 0 1\noutput y = 2\n";
  RunResult r = run(rnncc("compile " + quote(mul) + " -p lower-bool -o " + quote(dir + "/m.aig")));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("input 'a' has no declared range"), std::string::npos) << r.out;
  r = run(rnncc("compile " + quote(mul) + " -p 'lower-bool -k 8' -o " + quote(dir + "/m.aig")));
  ASSERT_EQ(r.status, 0) << r.out;
  r = run(rnncc("report " + quote(dir + "/m.aig") + " --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["inputs"], 16);
  EXPECT_EQ(j["outputs"], 16);
  // verify of a lowered stage outside the exact domain is an error that says what to do.
  r = run(rnncc("verify " + quote(example("diagonal")) + " -T 2 --domain modp -p 'lower-int; lower-bool'"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("verify it in the exact domain"), std::string::npos) << r.out;
}

TEST(CliLower, AcceptOnlySpecsAndBinaryAlphabets) {
  // s5: outputs = "accept", so run prints no y_t, and aaaaa (a 5-cycle five times) is accepted.
  RunResult r = run(rnncc("run " + quote(example("s5")) + " --input 'a a a a a'"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("accept = 1"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("y=["), std::string::npos) << r.out;
  r = run(rnncc("run " + quote(example("s5")) + " --input 'a b a'"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("accept = 0"), std::string::npos) << r.out;
  // Lowered: one symbol bit a step (binary, the default) or two one-hot inputs; one output.
  for (const auto& [flags, inputs] : {std::pair<std::string, int>{"", 4}, {" --alphabet one-hot", 8}}) {
    const std::string dir = scratch("cli_lower_s5");
    r = run(rnncc("compile " + quote(example("s5")) + " -T 4 -p 'lower-int; lower-bool" + flags + "' -o " +
                  quote(dir + "/s5.rc")));
    ASSERT_EQ(r.status, 0) << r.out;
    r = run(rnncc("report " + quote(dir + "/s5.rc") + " --json"));
    ASSERT_EQ(r.status, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["inputs"], inputs) << flags;
    EXPECT_EQ(j["outputs"], 1) << flags;
    r = run(rnncc("verify " + quote(example("s5")) + " -T 4 -p 'lower-int; lower-bool" + flags + " -o 4'"));
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("\nOK"), std::string::npos) << r.out;
  }
  // --output-bits too narrow for an output: lower-bool refuses, naming the output (compile notes
  // a refused pass and writes the circuit as the passes before it left it).
  r = run(rnncc("compile " + quote(example("imm3")) + " -T 3 -p 'lower-int; lower-bool -o 3' -o " +
                quote(scratch("cli_lower_imm3") + "/imm3.rc")));
  EXPECT_NE(r.out.find("lower-bool refused: output 'y[0]' lies in [-9, 9]"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rnncc::test
