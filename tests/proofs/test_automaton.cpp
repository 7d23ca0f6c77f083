// Automaton files, the direct run (the dwfa construction's oracle), and reachability and
// trimming (Boost.Graph) against hand-computed values and a plain fixed-point closure written
// here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "proofs/automaton.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

// The automaton of issue 13's text (and examples/automata/issue.toml).
constexpr char kExample[] = R"(states = 3                      # q = 0 ... states - 1
alphabet = ["a", "b"]
start = 0                       # the run starts in `start` with weight 1
final = [1, 0, "1/2"]           # rho(q), exact rationals as in specs
[transitions]                   # per symbol, per state q: [delta(q, s), weight w(q, s)]
a = [[1, 2], [2, 1], [0, "-1/3"]]
b = [[0, 1], [0, 1], [2, 5]]
)";

mpq_class q(const char* text) {
  mpq_class v(text);
  v.canonicalize();
  return v;
}

TEST(AutomatonFile, ReadsTheIssueExample) {
  const Automaton a = parse_automaton(kExample, "ex.toml");
  EXPECT_EQ(a.states, 3u);
  EXPECT_EQ(a.alphabet, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(a.start, 0u);
  EXPECT_EQ(a.final, (std::vector<mpq_class>{1, 0, q("1/2")}));
  EXPECT_EQ(a.next, (std::vector<std::vector<std::size_t>>{{1, 2, 0}, {0, 0, 2}}));
  EXPECT_EQ(a.weight[0], (std::vector<mpq_class>{2, 1, q("-1/3")}));
  EXPECT_EQ(a.weight[1], (std::vector<mpq_class>{1, 1, 5}));
}

TEST(AutomatonRun, HandComputedValues) {
  const Automaton a = parse_automaton(kExample, "ex.toml");
  // Runs by hand: 0 -a/2-> 1 -a/1-> 2 -a/(-1/3)-> 0; 0 -b/1-> 0; 1 -b/1-> 0; 2 -b/5-> 2.
  EXPECT_EQ(run_automaton(a, {}), 1);                 // rho(0)
  EXPECT_EQ(run_automaton(a, {0}), 0);                // 2 rho(1)
  EXPECT_EQ(run_automaton(a, {0, 0}), 1);             // 2 * 1 * rho(2) = 1
  EXPECT_EQ(run_automaton(a, {0, 0, 1}), 5);          // 2 * 1 * 5 * rho(2)
  EXPECT_EQ(run_automaton(a, {0, 0, 0}), q("-2/3"));  // 2 * 1 * (-1/3) * rho(0)
  EXPECT_EQ(run_automaton(a, {0, 1, 1}), 2);          // 2 * 1 * 1 * rho(0)
  EXPECT_EQ(run_automaton(a, {0, 0, 1, 1, 0}), 25 * 2 * q("-1/3"));  // ... 2 -b/5-> 2 -b/5-> 2 -a-> 0
  EXPECT_NE(test::error_of([&] { run_automaton(a, {0, 2}); }).find("symbol 2 at position 2"), std::string::npos);
}

TEST(AutomatonFile, TextRoundTrips) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Automaton a = random_automaton(1 + seed % 6, 1 + seed % 3, seed, seed % 4 == 0);
    const Automaton b = parse_automaton(automaton_text(a), "rt.toml");
    EXPECT_EQ(b.states, a.states);
    EXPECT_EQ(b.alphabet, a.alphabet);
    EXPECT_EQ(b.start, a.start);
    EXPECT_EQ(b.final, a.final);
    EXPECT_EQ(b.next, a.next);
    EXPECT_EQ(b.weight, a.weight);
  }
}

struct BadCase {
  std::string name, text, error;
};

std::vector<BadCase> bad_cases() {
  const std::string head = "states = 2\nalphabet = [\"a\"]\nstart = 0\nfinal = [1, 0]\n";
  return {
      {"missing_states", "alphabet = [\"a\"]\n", "bad.toml:1:1: key 'states': missing; expected the number of states, a positive integer"},
      {"zero_states", "states = 0\n", "bad.toml:1:10: key 'states': expected a positive integer at most 4096, got the integer 0"},
      {"too_many_states", "states = 5000\n",
       "bad.toml:1:10: key 'states': expected a positive integer at most 4096, got the integer 5000"},
      {"unknown_key", head + "weights = 1\n[transitions]\na = [[1, 1], [0, 1]]\n",
       "bad.toml:5:1: key 'weights': unknown key; expected one of states, alphabet, start, final, transitions"},
      {"empty_alphabet", "states = 2\nalphabet = []\n",
       "bad.toml:2:12: key 'alphabet': expected a non-empty array of at most 4096 symbol strings, got an array of 0"},
      {"symbol_with_space", "states = 2\nalphabet = [\"a b\"]\n",
       "bad.toml:2:13: key 'alphabet[0]': expected a non-empty symbol string without whitespace or '#', got the string \"a b\""},
      {"repeated_symbol", "states = 2\nalphabet = [\"a\", \"a\"]\n",
       "bad.toml:2:18: key 'alphabet[1]': expected unique symbols, got \"a\" again (also alphabet[0])"},
      {"start_out_of_range", "states = 2\nalphabet = [\"a\"]\nstart = 2\n",
       "bad.toml:3:9: key 'start': expected a state, an integer in 0..1, got the integer 2"},
      {"final_short", "states = 2\nalphabet = [\"a\"]\nstart = 0\nfinal = [1]\n",
       "bad.toml:4:9: key 'final': expected an array of 2 rationals ρ(q), one per state, got an array of 1"},
      {"final_float", "states = 2\nalphabet = [\"a\"]\nstart = 0\nfinal = [1, 0.5]\n",
       "bad.toml:4:13: key 'final[1]': expected an exact rational (an integer, or a string like \"-1/3\" or \"0.25\"), "
       "got a float"},
      {"final_zero_denominator", "states = 2\nalphabet = [\"a\"]\nstart = 0\nfinal = [1, \"1/0\"]\n",
       "bad.toml:4:13: key 'final[1]': expected an exact rational (an integer, or a string like \"-1/3\" or \"0.25\"), "
       "got the string \"1/0\""},
      {"missing_transitions", head, "bad.toml:1:1: key 'transitions': missing; expected a table [transitions] with one row per symbol"},
      {"missing_symbol_row", head + "[transitions]\n",
       "bad.toml:5:1: key 'transitions.a': missing; expected an array of 2 pairs [δ(q, σ), w(q, σ)], one per state q"},
      {"unknown_symbol_row", head + "[transitions]\na = [[1, 1], [0, 1]]\nb = [[0, 1], [0, 1]]\n",
       "bad.toml:7:1: key 'transitions.b': not a symbol of the alphabet; expected one row per symbol of alphabet"},
      {"short_row", head + "[transitions]\na = [[1, 1]]\n",
       "bad.toml:6:5: key 'transitions.a': expected an array of 2 pairs [δ(q, σ), w(q, σ)], one per state q, got an "
       "array of 1"},
      {"not_a_pair", head + "[transitions]\na = [[1, 1], [0]]\n",
       "bad.toml:6:14: key 'transitions.a[1]': expected a pair [δ(q, σ), w(q, σ)]: the next state and the weight, got "
       "an array of 1"},
      {"next_out_of_range", head + "[transitions]\na = [[1, 1], [2, 1]]\n",
       "bad.toml:6:15: key 'transitions.a[1][0]': expected a state, an integer in 0..1, got the integer 2"},
      {"weight_not_number", head + "[transitions]\na = [[1, 1], [0, \"x\"]]\n",
       "bad.toml:6:18: key 'transitions.a[1][1]': expected an exact rational (an integer, or a string like \"-1/3\" or "
       "\"0.25\"), got the string \"x\""},
      {"syntax", "states = \n", "bad.toml:1:10: TOML syntax error: "},
  };
}

class AutomatonErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(AutomatonErrors, LocatedMessage) {
  const BadCase& c = GetParam();
  const std::string got = test::error_of([&] { parse_automaton(c.text, "bad.toml"); });
  if (c.name == "syntax")
    EXPECT_EQ(got.rfind(c.error, 0), 0u) << got;
  else
    EXPECT_EQ(got, c.error);
}

INSTANTIATE_TEST_SUITE_P(Malformed, AutomatonErrors, ::testing::ValuesIn(bad_cases()),
                         [](const auto& row) { return row.param.name; });

TEST(AutomatonFile, UnreadableFileIsOneLine) {
  const std::string got = test::error_of([] { load_automaton("/nonexistent/a.toml"); });
  EXPECT_NE(got.find("cannot read /nonexistent/a.toml"), std::string::npos) << got;
}

// ---- reachability and trimming ----

// Reachability by plain fixed-point iteration (no graph library): the oracle for the BFS.
std::vector<bool> closure(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                          const std::vector<std::size_t>& from) {
  std::vector<bool> in(n, false);
  for (std::size_t s : from) in[s] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [u, v] : edges)
      if (in[u] && !in[v]) in[v] = changed = true;
  }
  return in;
}

// Every word of length up to `max_len` over m symbols, shortest first.
std::vector<std::vector<std::size_t>> words_up_to(std::size_t m, std::size_t max_len) {
  std::vector<std::vector<std::size_t>> out = {{}};
  for (std::size_t begin = 0, len = 1; len <= max_len; ++len) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i)
      for (std::size_t s = 0; s < m; ++s) {
        std::vector<std::size_t> w = out[i];
        w.push_back(s);
        out.push_back(std::move(w));
      }
    begin = end;
  }
  return out;
}

TEST(AutomatonGraph, UnreachableAndDeadStatesByHand) {
  // 0 -a-> 1 -a-> 0; 1 -b/0-> 3 (weight 0: 3 is dead even though rho(3) = 0 anyway); 2 is
  // unreachable; 3 -*-> 4, 4 -*-> 3, rho(3) = rho(4) = 0: both dead.
  const Automaton a = parse_automaton(R"(states = 5
alphabet = ["a", "b"]
start = 0
final = [0, 1, 7, 0, 0]
[transitions]
a = [[1, 2], [0, 3], [1, 1], [4, 1], [3, 1]]
b = [[0, 1], [3, 0], [2, 1], [4, 1], [3, 1]]
)",
                                      "g.toml");
  const Reachability r = reachability(a);
  EXPECT_EQ(r.unreachable(), (std::vector<std::size_t>{2}));
  EXPECT_EQ(r.dead(), (std::vector<std::size_t>{3, 4}));
  const Automaton t = trim(a);
  EXPECT_EQ(t.states, 3u);  // 0, 1 and the sink
  EXPECT_TRUE(reachability(t).unreachable().empty());
  EXPECT_EQ(reachability(t).dead(), (std::vector<std::size_t>{2}));
  for (const auto& w : words_up_to(2, 8)) ASSERT_EQ(run_automaton(t, w), run_automaton(a, w));
}

TEST(AutomatonGraph, BfsAgreesWithAFixedPointAndTrimKeepsTheFunction) {
  std::size_t trimmed_some = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const Automaton a = random_automaton(1 + seed % 6, 1 + seed % 3, seed * 7919);
    std::vector<std::pair<std::size_t, std::size_t>> all, reversed_weighted;
    std::vector<std::size_t> accepting;
    for (std::size_t s = 0; s < a.alphabet.size(); ++s)
      for (std::size_t q = 0; q < a.states; ++q) {
        all.emplace_back(q, a.next[s][q]);
        if (a.weight[s][q] != 0) reversed_weighted.emplace_back(a.next[s][q], q);
      }
    for (std::size_t q = 0; q < a.states; ++q)
      if (a.final[q] != 0) accepting.push_back(q);
    const std::vector<bool> reach = closure(a.states, all, {a.start});
    const std::vector<bool> coreach = closure(a.states, reversed_weighted, accepting);
    const Reachability r = reachability(a);
    for (std::size_t q = 0; q < a.states; ++q) {
      EXPECT_EQ(r.reachable[q], reach[q]) << "seed " << seed << " state " << q;
      EXPECT_EQ(r.live[q], reach[q] && coreach[q]) << "seed " << seed << " state " << q;
    }
    const Automaton t = trim(a);
    EXPECT_LE(t.states, a.states);
    if (t.states < a.states) ++trimmed_some;
    EXPECT_TRUE(reachability(t).unreachable().empty());
    EXPECT_LE(reachability(t).dead().size(), 1u);  // the sink at most
    for (const auto& w : words_up_to(a.alphabet.size(), a.alphabet.size() == 3 ? 6 : 8))
      ASSERT_EQ(run_automaton(t, w), run_automaton(a, w)) << "seed " << seed;
  }
  EXPECT_GT(trimmed_some, 5u);  // random maps leave states unreachable: trimming is exercised
}

TEST(AutomatonS5, IsTheWordProblemOfS5) {
  const Automaton a = s5_automaton();
  EXPECT_EQ(a.states, 120u);
  const Reachability r = reachability(a);  // c and t generate S5: every state reachable and live
  EXPECT_TRUE(r.unreachable().empty());
  EXPECT_TRUE(r.dead().empty());
  // Products computed here: apply the generators to the lanes and compare with the identity.
  const std::vector<std::vector<int>> gens = {{1, 2, 3, 4, 0}, {1, 0, 2, 3, 4}};
  for (const auto& w : words_up_to(2, 10)) {
    std::vector<int> where = {0, 1, 2, 3, 4};
    for (std::size_t s : w)
      for (int& x : where) x = gens[s][static_cast<std::size_t>(x)];
    const bool identity = where == std::vector<int>{0, 1, 2, 3, 4};
    ASSERT_EQ(run_automaton(a, w), identity ? 1 : 0);
  }
  EXPECT_EQ(run_automaton(a, {0, 0, 0, 0, 0}), 1);  // c^5
  EXPECT_EQ(run_automaton(a, {1, 1}), 1);           // t^2
}

}  // namespace
}  // namespace rnncc::proofs
