// Finite values: lift-scan proves that every step map of an S5 word-problem spec is a
// permutation, records value hints, and lower-bool then builds a boolean circuit of constant
// width whose depth grows by a constant per doubling of T. Checked against permutation
// composition computed here (no rnncc model involved), against the interpreter stage by stage,
// by ABC, and by the refusals when the maps are not permutations.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "check/verify.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "tests/abc_support.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Circuit;
using circuits::GateId;
using circuits::PortRole;

// The S5 word problem: symbol c is the 5-cycle j -> j + 1 (mod 5), t the transposition (0 1).
// h_0 = (1, …, 5); y = Σ (k + 1) h_T[k] − 109/2 > 0 exactly when the product is the identity.
constexpr char kS5[] = R"(kind = "pd"
d = 5
d_out = 1
alphabet = ["c", "t"]
domain = "exact"
outputs = "final"
accept = true
initial_state = [1, 2, 3, 4, 5]
[parameters]
P = [[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]]
delta = [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]
W_b = [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]
c_b = [0, 0, 0, 0, 0]
W_y = [[1, 2, 3, 4, 5]]
c_y = ["-109/2"]
o = [1]
)";

const std::array<std::array<int, 5>, 2> kPerm = {{{1, 2, 3, 4, 0}, {1, 0, 2, 3, 4}}};

// The oracle: compose the symbols' permutations; accept iff the product is the identity.
bool is_identity(const std::vector<int>& word) {
  std::array<int, 5> where = {0, 1, 2, 3, 4};  // where each lane's value is now
  for (int s : word)
    for (int& w : where) w = kPerm[static_cast<std::size_t>(s)][static_cast<std::size_t>(w)];
  for (int k = 0; k < 5; ++k)
    if (where[static_cast<std::size_t>(k)] != k) return false;
  return true;
}

Spec s5() { return parse_spec(kS5, "s5.toml"); }

const PassRecord& record(const PipelineResult& r, const std::string& pass) {
  for (const PassRecord& rec : r.records)
    if (rec.pass == pass) return rec;
  throw std::runtime_error("no record of " + pass);
}
std::string counter(const PassRecord& r, const std::string& name) {
  const CounterValue* v = r.counter(name);
  return v ? counter_text(*v) : "(none)";
}

const char* kScript = "lift-scan -n brent-kung; lower-int; lower-bool; nc1";

TEST(FiniteValues, S5ScannedLowersToConstantWidthAndLogDepth) {
  std::vector<std::uint32_t> depths;
  for (std::uint64_t T : {16u, 64u, 256u, 1024u}) {
    const PipelineResult r = run_script(unroll(s5(), T), parse_script(kScript));
    EXPECT_EQ(counter(record(r, "lift-scan"), "finite"), "true") << T;
    // Words: the permutation entries 1 bit, the state values 3 bits, the readout 8: never more.
    EXPECT_EQ(counter(record(r, "lower-bool"), "widest_word"), "8") << T;
    EXPECT_EQ(counter(record(r, "lower-bool"), "widest_output"), "8") << T;  // 2 y_T (scale 2^1), and accept
    depths.push_back(static_cast<std::uint32_t>(r.records.back().depth_after));
  }
  // a·log2 T + b with a = 4 (an AND and a 5-way OR of ANDs per entry, and a not-counted level
  // of nc1's negated inputs): 8 more levels for every factor of 4 in T.
  for (std::size_t k = 1; k < depths.size(); ++k) EXPECT_EQ(depths[k] - depths[k - 1], 8u) << k;
  // Without the hints the same circuit falls back to interval widths, growing with T.
  const PipelineResult wide = run_script(unroll(s5(), 64), parse_script("lift-scan; lower-int; lower-bool --hints ignore"));
  EXPECT_GT(std::stoi(counter(record(wide, "lower-bool"), "widest_word")), 20);
}

TEST(FiniteValues, S5BooleanFormAgainstPermutationCompositionOnEveryWord) {
  for (const std::string& script : {std::string(kScript),
                                   std::string("lift-scan -n brent-kung; lower-int; lower-bool --alphabet one-hot; nc1")}) {
  for (std::uint64_t T : {1u, 3u, 8u}) {
    const PipelineResult r = run_script(unroll(s5(), T), parse_script(script));
    const Circuit& c = r.circuit;
    std::size_t accept = c.outputs().size();
    for (std::size_t o = 0; o < c.outputs().size(); ++o)
      if (c.outputs()[o].port.role == PortRole::Accept) accept = o;
    ASSERT_LT(accept, c.outputs().size());
    // Every word of length T, 64 at a time: x[t][s] = 1 for the symbol of step t.
    const std::uint64_t words = std::uint64_t{1} << T;
    for (std::uint64_t base = 0; base < words; base += 64) {
      std::vector<std::uint64_t> in(c.inputs().size(), 0);
      for (std::uint64_t lane = 0; lane < 64 && base + lane < words; ++lane)
        for (std::size_t k = 0; k < in.size(); ++k) {
          const circuits::Port& p = c.input_port(k);
          const std::uint64_t symbol = ((base + lane) >> (p.step - 1)) & 1;
          // Binary-coded symbols (lower-bool's default): bit `bit` of the index; one-hot: x[t][s].
          const bool on = p.role == PortRole::Symbol ? ((symbol >> p.bit) & 1) != 0 : p.index == symbol;
          if (on) in[k] |= std::uint64_t{1} << lane;
        }
      const std::vector<std::uint64_t> out = test::eval_bool<std::uint64_t>(c, in);
      for (std::uint64_t lane = 0; lane < 64 && base + lane < words; ++lane) {
        std::vector<int> word;
        for (std::uint64_t t = 0; t < T; ++t) word.push_back(static_cast<int>(((base + lane) >> t) & 1));
        ASSERT_EQ(((out[accept] >> lane) & 1) != 0, is_identity(word)) << script << ", T " << T << " word " << base + lane;
      }
    }
  }
  }
}

TEST(FiniteValues, EveryStageAgreesWithTheInterpreter) {
  check::VerifyOptions o;
  o.T = 32;
  o.trials = 16;
  o.threads = 1;
  for (const char* net : {"sklansky", "brent-kung", "kogge-stone"}) {
    const check::VerifyResult r =
        check::verify_script(s5(), parse_script(std::string("lift-scan -n ") + net + " --finite require; lower-int; lower-bool; nc1"), o);
    for (const check::StageCheck& s : r.stages) EXPECT_TRUE(s.ok()) << net << " " << s.stage << ": " << s.refusal << s.first_mismatch;
  }
}

TEST(FiniteValues, RequireRefusesWhatIsNoPermutationAndAutoSaysWhy) {
  const Spec diag = load_spec(test::example_spec_path("diagonal"));
  PipelineResult r = run_script(unroll(diag, 4), parse_script("lift-scan --finite require"));
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("finite values were required but cannot be proved: step 2 under symbol"),
            std::string::npos)
      << r.records[0].refusal;
  r = run_script(unroll(diag, 4), parse_script("lift-scan"));
  ASSERT_FALSE(r.records[0].refused());
  EXPECT_EQ(counter(r.records[0], "finite"), "false");
  ASSERT_FALSE(r.records[0].notes.empty());
  EXPECT_NE(r.records[0].notes.back().find("no finite values: step 2 under symbol"), std::string::npos);
  EXPECT_TRUE(r.circuit.hints().empty());
  // A nonzero b_t (the s5 spec with c_b = 1) is refused too.
  std::string text = kS5;
  text.replace(text.find("c_b = [0, 0, 0, 0, 0]"), 21, "c_b = [1, 0, 0, 0, 0]");
  r = run_script(unroll(parse_spec(text, "s5b.toml"), 4), parse_script("lift-scan --finite require"));
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("adds a nonzero b_t"), std::string::npos) << r.records[0].refusal;
}

// pd with maps = true: a map that sends two lanes to one makes a row of A_t with two nonzeros,
// so the sums of a combine are no longer exclusive and values add up: lift-scan must not claim
// finite values, and every stage (interval-sized lowering included) still computes the RNN.
TEST(FiniteValues, MapsThatMergeLanesAreNotFinite) {
  std::string text = kS5;
  text.replace(text.find("P = [[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]]"), 38, "P = [[1, 2, 3, 4, 0], [0, 0, 2, 3, 4]]");
  const Spec merged = parse_spec("maps = true\n" + text, "merge.toml");
  PipelineResult r = run_script(unroll(merged, 4), parse_script("lift-scan --finite require"));
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("is no partial signed permutation (two nonzeros in a row"), std::string::npos)
      << r.records[0].refusal;
  r = run_script(unroll(merged, 4), parse_script("lift-scan"));
  ASSERT_FALSE(r.records[0].refused());
  EXPECT_EQ(counter(r.records[0], "finite"), "false");
  EXPECT_TRUE(r.circuit.hints().empty());
  check::VerifyOptions o;
  o.T = 12;
  o.trials = 16;
  o.threads = 1;
  for (const char* net : {"sklansky", "brent-kung"}) {
    const check::VerifyResult v =
        check::verify_script(merged, parse_script(std::string("lift-scan -n ") + net + "; lower-int; lower-bool; nc1"), o);
    for (const check::StageCheck& s : v.stages) EXPECT_TRUE(s.ok()) << net << " " << s.stage << ": " << s.refusal << s.first_mismatch;
  }
  // A map whose merged lanes carry zero weight is a partial permutation: finite, and correct.
  text = kS5;
  text.replace(text.find("P = [[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]]"), 38, "P = [[1, 2, 3, 4, 0], [0, 0, 2, 3, 4]]");
  text.replace(text.find("delta = [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]"), 42, "delta = [[1, 1, 1, 1, 1], [1, 0, 1, 1, 1]]");
  const Spec partial = parse_spec("maps = true\n" + text, "partial.toml");
  const check::VerifyResult v =
      check::verify_script(partial, parse_script("lift-scan -n sklansky --finite require; lower-int; lower-bool; nc1"), o);
  for (const check::StageCheck& s : v.stages) EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
}

TEST(FiniteValues, RandomMapSpecsScanOnEveryNetwork) {
  // Drawn maps (maps = true with [init]) with drawn deltas and bias: the dense combine on
  // column one-hot matrices, naive = scanned = interpreter, exactly.
  for (std::uint64_t seed : {3u, 4u}) {
    const Spec s = parse_spec(fmt::format("kind = \"pd\"\nmaps = true\nd = 5\nd_out = 2\nalphabet = [\"a\", \"b\", \"c\"]\n"
                                          "domain = \"exact\"\n[init]\nseed = {}\nscale = \"1/2\"\n", seed),
                              "maps.toml");
    check::VerifyOptions o;
    o.T = 16;
    o.trials = 8;
    o.threads = 1;
    for (const char* net : {"serial", "sklansky", "kogge-stone", "brent-kung", "ladner-fischer", "han-carlson"}) {
      const check::VerifyResult v = check::verify_script(s, parse_script(std::string("lift-scan -n ") + net + "; balance"), o);
      ASSERT_EQ(v.stages.size(), 3u);
      for (const check::StageCheck& st : v.stages)
        EXPECT_TRUE(st.ok()) << seed << " " << net << " " << st.stage << ": " << st.refusal << st.first_mismatch;
    }
  }
}

TEST(FiniteValues, HintsSurviveTheRcFormat) {
  const PipelineResult r = run_script(unroll(s5(), 8), parse_script("lift-scan"));
  ASSERT_FALSE(r.circuit.hints().empty());
  const std::string text = circuits::io::write_rc(r.circuit);
  EXPECT_NE(text.find(" exclusive\n"), std::string::npos);
  const Circuit back = circuits::io::read_rc(text, "s5.rc");
  EXPECT_EQ(back.hints(), r.circuit.hints());
  EXPECT_EQ(circuits::io::write_rc(back), text);
  // Bad hint lines are located.
  EXPECT_NE(test::error_of([] { circuits::io::read_rc("rnncc 1\n0 = input a\nhint 0 range=2:1\n", "h.rc"); })
                .find("h.rc:3:8: 'range': empty range 2:1"),
            std::string::npos);
  EXPECT_NE(test::error_of([] { circuits::io::read_rc("rnncc 1\n0 = input a\nhint 0 exclusive\n", "h.rc"); })
                .find("a hint needs range=LO:HI"),
            std::string::npos);
}

TEST(FiniteValues, AbcDepthOfTheNc1FormIsReportsDepth) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = test::scratch("finite_abc");
  const std::string spec = dir + "/s5.toml", aig = dir + "/s5.aig";
  std::ofstream(spec) << kS5;
  test::RunResult r = test::run(test::quote(test::rnncc_binary()) + " compile " + test::quote(spec) + " -T 64 -p " +
                                test::quote(kScript) + " -o " + test::quote(aig));
  ASSERT_EQ(r.status, 0) << r.out;
  r = test::run(test::quote(test::rnncc_binary()) + " report " + test::quote(aig) + " --not-free --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const test::AbcRun a = test::abc("read " + aig + "; print_stats");
  ASSERT_EQ(a.stats.size(), 1u) << a.out;
  EXPECT_EQ(a.stats[0].lev, j["depth"].get<std::size_t>());
  EXPECT_EQ(a.stats[0].ands, j["by_kind"]["and"].get<std::size_t>());
}

// ABC's cec on the naive and the scanned boolean forms: every input assignment is a valid
// sequence (binary-coded symbols; imm3's inputs declared over a whole two's complement range
// [-2, 1]) and both sides have the same outputs (s5: the accept bit; imm3: --output-bits 16).
TEST(FiniteValues, AbcProvesNaiveAndScannedBooleanFormsEquivalent) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = test::scratch("finite_cec");
  const std::string imm3 = dir + "/imm3.toml";
  {
    std::string text = test::read_text(test::example_spec_path("imm3"));
    const std::size_t at = text.find("input_range = [-1, 1]");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 21, "input_range = [-2, 1]");
    std::ofstream(imm3) << text;
  }
  struct Case {
    std::string spec, lowering;
    std::uint64_t T;
  };
  std::string script;
  std::size_t pairs = 0;
  for (const Case& k : std::vector<Case>{{test::example_spec_path("s5"), "lower-bool", 4},
                                         {test::example_spec_path("s5"), "lower-bool", 8},
                                         {test::example_spec_path("s5"), "lower-bool", 12},
                                         {imm3, "lower-bool -o 16", 2},
                                         {imm3, "lower-bool -o 16", 3}}) {
    std::string files[2];
    for (int scanned = 0; scanned < 2; ++scanned) {
      files[scanned] = fmt::format("{}/f{}_{}.aig", dir, pairs, scanned);
      const std::string p = fmt::format("{}lower-int; {}", scanned ? "lift-scan -n sklansky; " : "", k.lowering);
      const test::RunResult r = test::run(fmt::format("{} compile {} -T {} -p {} -o {}", test::quote(test::rnncc_binary()),
                                                      test::quote(k.spec), k.T, test::quote(p), test::quote(files[scanned])));
      ASSERT_EQ(r.status, 0) << r.out;
    }
    script += "cec " + files[0] + " " + files[1] + "; ";
    ++pairs;
  }
  const test::AbcRun a = test::abc(script);
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_EQ(a.equivalent, pairs) << a.out;
  EXPECT_EQ(a.not_equivalent, 0u) << a.out;
}

}  // namespace
}  // namespace rnncc::compiler
