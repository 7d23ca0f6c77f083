// Cost-register automata (proofs/cost_register.hpp): the file format and its located errors,
// the direct run on hand-worked words, and the switched ReLU spec against the automaton step by
// step (rnncc's interpreter and naive circuit, exact).
#include <gtest/gtest.h>

#include "circuits/error.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/unroll.hpp"
#include "proofs/cost_register.hpp"
#include "proofs/spec_run.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

const char* const kExample =
    "registers = 3\nalphabet = [\"a\", \"b\", \"c\"]\n[updates]\n"
    "a = [\"x2 := x2 + 1\"]\n"
    "b = [\"x3 := x2 + x3\", \"x2 := x2 + 0\"]\n"
    "c = [\"x1 := max(x1, x3)\"]\n";

TEST(CostRegister, ParsesAndRoundTrips) {
  const CostRegisterAutomaton a = parse_cra(kExample, "ex.toml");
  EXPECT_EQ(a.registers, 3u);
  ASSERT_EQ(a.updates.size(), 3u);
  EXPECT_EQ(update_text(a.updates[2][0]), "x1 := max(x1, x3)");
  EXPECT_EQ(a.updates[1][0].op, CraUpdate::Op::Add);
  const CostRegisterAutomaton b = parse_cra(cra_text(a), "round.toml");
  EXPECT_EQ(cra_text(b), cra_text(a));
  // The example file of the repository.
  const CostRegisterAutomaton file = load_cra(test::source_dir() + "/examples/automata/cra.toml");
  EXPECT_EQ(file.registers, 3u);
}

TEST(CostRegister, RunByHand) {
  const CostRegisterAutomaton a = parse_cra(kExample, "ex.toml");
  // a a b c: x2 = 1, 2; b: x3 = 0 + 2 = 2; c: x1 = max(0, 2) = 2.
  const auto xs = run_cra(a, {0, 0, 1, 2});
  ASSERT_EQ(xs.size(), 4u);
  EXPECT_EQ(xs[1], (std::vector<mpz_class>{0, 2, 0}));
  EXPECT_EQ(xs[3], (std::vector<mpz_class>{2, 2, 2}));
  EXPECT_TRUE(cra_accepts(xs[3]));
  EXPECT_FALSE(cra_accepts(run_cra(a, {0, 1}).back()));
  // Updates are simultaneous: x1 := x2 + 0 and x2 := x1 + 1 swap through the old values.
  const CostRegisterAutomaton s =
      parse_cra("registers = 2\nalphabet = [\"s\", \"i\"]\n[updates]\ns = [\"x1 := x2 + 0\", \"x2 := x1 + 1\"]\n"
                "i = [\"x1 := x1 + 5\"]\n",
                "swap.toml");
  EXPECT_EQ(run_cra(s, {1, 0}).back(), (std::vector<mpz_class>{0, 6}));
}

TEST(CostRegister, ErrorsAreLocated) {
  auto err = [](const std::string& text) { return test::error_of([&] { parse_cra(text, "bad.toml"); }); };
  const std::string head = "registers = 2\nalphabet = [\"a\"]\n[updates]\n";
  EXPECT_NE(err(head + "a = [\"x1 := min(x1, x2)\"]\n").find("bad.toml:4:"), std::string::npos);
  EXPECT_NE(err(head + "a = [\"x1 := min(x1, x2)\"]\n").find("expected an update"), std::string::npos);
  EXPECT_NE(err(head + "a = [\"x3 := x1 + 1\"]\n").find("register x3 out of range"), std::string::npos);
  EXPECT_NE(err(head + "a = [\"x1 := x1 + 1\", \"x1 := x2 + 0\"]\n").find("assigned twice"), std::string::npos);
  EXPECT_NE(err(head + "a = [\"x1 := x1 + 99999999999\"]\n").find("expected an update"), std::string::npos);
  EXPECT_NE(err(head + "a = []\nb = []\n").find("not a symbol of the alphabet"), std::string::npos);
  EXPECT_NE(err("registers = 2\nalphabet = [\"a\"]\n[updates]\n").find("missing"), std::string::npos);
  EXPECT_NE(err("registers = 0\nalphabet = [\"a\"]\n[updates]\na = []\n").find("bad.toml:1:"), std::string::npos);
  EXPECT_NE(err("registers = 1\nalphabet = [\"a\"]\nfoo = 1\n[updates]\na = []\n").find("unknown key"), std::string::npos);
  EXPECT_NE(err("registers = [").find("TOML syntax error"), std::string::npos);
}

TEST(CostRegister, SwitchedSpecEqualsTheAutomatonStepByStep) {
  std::size_t steps = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const CostRegisterAutomaton a = random_cra(1 + seed % 4, 2 + seed % 3, seed);
    const compiler::Spec spec = cra_spec(a);
    EXPECT_EQ(spec.kind, compiler::Kind::Switched);
    EXPECT_EQ(spec.d, 2 * a.registers);
    compiler::SplitMix64 rng(seed);
    for (int w = 0; w < 8; ++w) {
      std::vector<std::size_t> word(1 + rng.below(10));
      for (std::size_t& s : word) s = rng.below(a.alphabet.size());
      const auto truth = run_cra(a, word);
      const ExactRun run = run_exact(spec, one_hot_inputs(spec.m(), word));
      for (std::size_t t = 0; t < word.size(); ++t, ++steps)
        for (std::size_t j = 0; j < a.registers; ++j)
          ASSERT_EQ(run.outputs[t][j], mpq_class(truth[t][j])) << "seed " << seed << " t " << t << " x" << j + 1;
      // The naive circuit, every output.
      const QVector out = circuit_outputs(spec, one_hot_inputs(spec.m(), word), "");
      ASSERT_EQ(out.size(), word.size() * a.registers);
      for (std::size_t t = 0; t < word.size(); ++t)
        for (std::size_t j = 0; j < a.registers; ++j) ASSERT_EQ(out[t * a.registers + j], mpq_class(truth[t][j]));
    }
  }
  EXPECT_GT(steps, 300u);
}

TEST(CostRegister, AcceptSpecReadsX1Positive) {
  const CostRegisterAutomaton a = parse_cra(kExample, "ex.toml");
  CraSpecOptions o;
  o.accept = true;
  const compiler::Spec spec = cra_spec(a, o);
  for (const std::vector<std::size_t>& w : {std::vector<std::size_t>{0, 1, 2}, {0, 2}, {2}, {0, 0, 1, 2, 2}}) {
    const QVector out = circuit_outputs(spec, one_hot_inputs(spec.m(), w), "");
    EXPECT_EQ(out.at(0) != 0, cra_accepts(run_cra(a, w).back()));
  }
}

// App. H's printed gadget, ReLU(a − b) alone, is not max: x1 := max(x1, x3) with x1 = 0 < x3.
TEST(CostRegister, ThePrintedMaxGadgetIsWrong) {
  const CostRegisterAutomaton a = parse_cra(kExample, "ex.toml");
  CraSpecOptions o;
  o.printed_max = true;
  const compiler::Spec printed = cra_spec(a, o);
  const std::vector<std::size_t> w = {0, 1, 2};  // x3 = 1, then x1 := max(0, 1)
  const ExactRun run = run_exact(printed, one_hot_inputs(printed.m(), w));
  EXPECT_EQ(run_cra(a, w).back()[0], 1);
  EXPECT_EQ(run.outputs.back()[0], 0);  // ReLU(0 − 1) = 0
}

TEST(CostRegister, LiftScanRefusesTheSwitchedSpec) {
  const compiler::Spec spec = cra_spec(parse_cra(kExample, "ex.toml"));
  const compiler::PipelineResult r =
      compiler::run_script(compiler::unroll(spec, 8), compiler::parse_script("lift-scan -n sklansky"));
  ASSERT_TRUE(r.records.at(0).refused());
  EXPECT_NE(r.records[0].refusal.find("relu"), std::string::npos) << r.records[0].refusal;
}

}  // namespace
}  // namespace rnncc::proofs
