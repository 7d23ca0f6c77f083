// The dwfa construction (Thm 7, Thm 8, Cor 7): an automaton compiled to a pd spec with maps,
// checked against the automaton run directly (proofs/automaton.hpp: exact rationals, no rnncc
// model): the reference interpreter, the naive circuit and lift-scan's circuits on every word
// up to length 8 of random automata with at most 6 states (maps and permutations), longer random
// words, verify's stage-by-stage check, and the 120-state S5 automaton at small T.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "check/verify.hpp"
#include "circuits/domains.hpp"
#include "circuits/evaluate.hpp"
#include "compiler/interface.hpp"
#include "compiler/interpret.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "proofs/automaton.hpp"
#include "proofs/dwfa.hpp"
#include "proofs/spec_run.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

using circuits::ExactDomain;
using compiler::InputSequence;
using compiler::Spec;

std::string word_text(const Automaton& a, const std::vector<std::size_t>& w) {
  std::string out;
  for (std::size_t s : w) out += (out.empty() ? "" : " ") + a.alphabet[s];
  return "\"" + out + "\"";
}

// The interpreter's y_T for a word (outputs = "final": one value).
mpq_class interpreted(const Spec& spec, const std::vector<std::size_t>& w) {
  ExactDomain dom;
  const auto ys = compiler::interpret_values(spec, dom, one_hot_inputs(spec.m(), w));
  return ys.back().at(0);
}

// The circuit's only output for a word, through its ports.
mpq_class evaluated(const Spec& spec, const circuits::Circuit& c, const compiler::CircuitInputs& inputs,
                    const std::vector<std::size_t>& w) {
  ExactDomain dom;
  const std::vector<mpq_class> out = circuits::evaluate(c, dom, inputs.values(one_hot_inputs(spec.m(), w)));
  EXPECT_EQ(out.size(), 1u);
  return out.at(0);
}

// "" when the interpreter, the naive circuit and lift-scan's circuits (each network in `nets`)
// all give f_A on every word of length T; else the first disagreement.
std::string check_length(const Automaton& a, const Spec& spec, std::size_t T, const std::vector<std::string>& nets) {
  const circuits::Circuit naive = compiler::unroll(spec, T);
  std::vector<std::pair<std::string, circuits::Circuit>> circuits;
  circuits.emplace_back("naive", naive);
  for (const std::string& net : nets) {
    compiler::PipelineResult r = compiler::run_script(naive, compiler::parse_script("lift-scan -n " + net));
    if (r.records[0].refused()) return "lift-scan -n " + net + " refused: " + r.records[0].refusal;
    circuits.emplace_back(net, std::move(r.circuit));
  }
  std::vector<compiler::CircuitInputs> inputs;
  for (const auto& lc : circuits) inputs.emplace_back(spec, lc.second);
  for (const auto& w : words_of_length(a.alphabet.size(), T)) {
    const mpq_class want = run_automaton(a, w);
    if (mpq_class got = interpreted(spec, w); got != want)
      return fmt::format("interpreter on {}: {} but f_A = {}", word_text(a, w), got.get_str(), want.get_str());
    for (std::size_t i = 0; i < circuits.size(); ++i)
      if (mpq_class got = evaluated(spec, circuits[i].second, inputs[i], w); got != want)
        return fmt::format("{} circuit on {}: {} but f_A = {}", circuits[i].first, word_text(a, w), got.get_str(),
                           want.get_str());
  }
  return "";
}

TEST(Dwfa, SpecHasTheConstructionsShape) {
  const Automaton a = load_automaton(test::source_dir() + "/examples/automata/issue.toml");
  const Spec s = dwfa_spec(a);
  EXPECT_EQ(s.kind, compiler::Kind::Pd);
  EXPECT_TRUE(s.maps);
  EXPECT_FALSE(s.bias);
  EXPECT_EQ(s.name, "issue");
  EXPECT_EQ(s.d, 3u);
  EXPECT_EQ(s.d_out, 1u);
  EXPECT_EQ(s.outputs, compiler::OutputMode::Final);
  EXPECT_EQ(s.domain, circuits::DomainKind::Exact);
  EXPECT_EQ(s.alphabet, a.alphabet);
  EXPECT_EQ(s.initial_values, (std::vector<mpq_class>{1, 0, 0}));
  for (std::size_t sym = 0; sym < 2; ++sym)
    for (std::size_t q = 0; q < 3; ++q) {
      EXPECT_EQ(s.param("P").at(sym, q), static_cast<unsigned long>(a.next[sym][q]));  // P[σ][q] = δ(q, σ)
      EXPECT_EQ(s.param("delta").at(sym, q), a.weight[sym][q]);                        // delta[σ][q] = w(q, σ)
      EXPECT_EQ(s.param("W_b").at(q, sym), 0);
    }
  EXPECT_EQ(s.param("W_y").values, a.final);  // W_y = ρᵀ
  EXPECT_FALSE(s.params.count("c_b"));
  EXPECT_FALSE(s.params.count("c_y"));
  // Not a permutation automaton (δ(·, b) sends 0 and 1 to 0): without maps = true it is refused.
  std::string text = dwfa_spec_text(a);
  text.replace(text.find("maps = true\n"), 12, "");
  EXPECT_NE(test::error_of([&] { compiler::parse_spec(text, "nomaps.toml"); }).find("expected a permutation of 0..2"),
            std::string::npos);
}

TEST(Dwfa, IssueExampleEveryWordUpToLength8) {
  const Automaton a = load_automaton(test::source_dir() + "/examples/automata/issue.toml");
  const Spec spec = dwfa_spec(a);
  for (std::size_t T = 1; T <= 8; ++T)
    EXPECT_EQ(check_length(a, spec, T, {"sklansky", "brent-kung"}), "") << "T = " << T;
}

TEST(Dwfa, RandomAutomataEveryWordUpToLength8) {
  // 1..6 states, 1..3 symbols; maps (most) and permutations; naive, Sklansky and Brent-Kung.
  std::size_t non_bijective = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const std::size_t states = 1 + (seed * 5) % 6, symbols = seed % 4 == 0 ? 3 : 2;
    const Automaton a = random_automaton(states, symbols, 1000 + seed, seed % 5 == 0);
    const Spec spec = dwfa_spec(a);
    for (std::size_t s = 0; s < symbols; ++s)
      if (std::set<std::size_t>(a.next[s].begin(), a.next[s].end()).size() < states) {
        ++non_bijective;
        break;
      }
    for (std::size_t T = 1; T <= 8; ++T)
      ASSERT_EQ(check_length(a, spec, T, {"sklansky", "brent-kung"}), "") << "seed " << seed << ", T = " << T;
  }
  EXPECT_GE(non_bijective, 6u);
}

TEST(Dwfa, LongerRandomWordsThroughTheInterpreter) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Automaton a = random_automaton(6, 3, 77 + seed);
    const Spec spec = dwfa_spec(a);
    for (std::uint64_t T : {50u, 200u})
      for (const auto& w : dwfa_words(a, T, 8, seed)) ASSERT_EQ(interpreted(spec, w), run_automaton(a, w)) << seed;
  }
}

TEST(Dwfa, VerifyEveryStageOnLongerRandomWords) {
  check::VerifyOptions o;
  o.T = 64;
  o.trials = 8;
  o.threads = 1;
  o.domain = circuits::DomainKind::Exact;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Spec spec = dwfa_spec(random_automaton(5, 2, 500 + seed));
    for (const char* net : {"sklansky", "kogge-stone", "brent-kung"}) {
      const check::VerifyResult r =
          check::verify_script(spec, compiler::parse_script(std::string("lift-scan -n ") + net + "; balance"), o);
      ASSERT_EQ(r.stages.size(), 3u);
      for (const check::StageCheck& st : r.stages) EXPECT_TRUE(st.ok()) << net << " " << st.stage << ": " << st.refusal << st.first_mismatch;
    }
  }
}

TEST(Dwfa, TrimmedAutomatonCompilesToTheSameFunction) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Automaton a = random_automaton(6, 2, 31 * seed);
    const Automaton t = trim(a);
    const Spec spec = dwfa_spec(t);
    for (std::size_t T = 1; T <= 6; ++T)
      for (const auto& w : words_of_length(2, T)) ASSERT_EQ(interpreted(spec, w), run_automaton(a, w)) << seed;
  }
}

TEST(Dwfa, ABrokenConstructionIsCaught) {
  // The comparison must be able to fail: a spec with one weight changed, one successor moved, or
  // the start state moved disagrees with f_A on some word.
  const Automaton a = load_automaton(test::source_dir() + "/examples/automata/issue.toml");
  Automaton wrong_weight = a, wrong_next = a, wrong_start = a;
  wrong_weight.weight[1][2] = 4;  // w(2, b) = 5 in the automaton
  wrong_next.next[0][1] = 1;      // δ(1, a) = 2 in the automaton
  wrong_start.start = 2;
  for (const Automaton* broken : {&wrong_weight, &wrong_next, &wrong_start}) {
    const Spec spec = dwfa_spec(*broken);
    std::string first;
    for (std::size_t T = 1; T <= 4 && first.empty(); ++T) first = check_length(a, spec, T, {"sklansky"});
    EXPECT_NE(first, "");
    EXPECT_NE(first.find("but f_A ="), std::string::npos) << first;
  }
}

TEST(Dwfa, S5AutomatonAtSmallT) {
  // 120 states: the dense combine (120 x 120 step matrices, 120^3 products a combine at most,
  // fewer as absent entries are skipped) at T <= 5, every word.
  const Automaton a = s5_automaton();
  const Spec spec = dwfa_spec(a);
  const compiler::PipelineResult r = compiler::run_script(compiler::unroll(spec, 4), compiler::parse_script("lift-scan"));
  ASSERT_FALSE(r.records[0].refused());
  const compiler::CounterValue* combine = r.records[0].counter("combine");
  ASSERT_NE(combine, nullptr);
  EXPECT_EQ(compiler::counter_text(*combine), "dense");
  // lift-scan's finite-value proof does not go through here (docs/constructions.md: lanes that
  // are equal, zero under h_0 = e_start, are one gate, attributed to the first lane), with or
  // without maps; that only means no hints, and the values below are checked exactly.
  ASSERT_NE(r.records[0].counter("finite"), nullptr);
  for (std::size_t T = 1; T <= 5; ++T) EXPECT_EQ(check_length(a, spec, T, {"sklansky"}), "") << "T = " << T;
}

TEST(Dwfa, InputsFileListsWordsWithTheirValues) {
  const Automaton a = load_automaton(test::source_dir() + "/examples/automata/issue.toml");
  const std::string all = dwfa_inputs_text(a, 2, 16, 1);
  EXPECT_EQ(all,
            "# 4 words of length 2, each followed by f_A (the automaton run directly)\n"
            "a a  # f_A = 1\na b  # f_A = 2\nb a  # f_A = 0\nb b  # f_A = 1\n");
  const auto some = dwfa_words(a, 10, 5, 9);  // 1024 words > 5: five random ones
  ASSERT_EQ(some.size(), 5u);
  for (const auto& w : some) EXPECT_EQ(w.size(), 10u);
  EXPECT_EQ(some, dwfa_words(a, 10, 5, 9));  // seeded
}

}  // namespace
}  // namespace rnncc::proofs
