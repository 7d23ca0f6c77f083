// Deterministic weighted finite automata (DWFA) over exact rationals: the automaton file (TOML,
// docs/constructions.md), the automaton run directly (the oracle of the dwfa construction: no
// rnncc model is involved), and its transition graph (Boost.Graph) for reachability and trimming.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rnncc::proofs {

// f_A(σ_1 … σ_T) = w(q_0, σ_1) · w(q_1, σ_2) ⋯ w(q_{T−1}, σ_T) · ρ(q_T) along the run
// q_0 = start, q_t = δ(q_{t−1}, σ_t).
struct Automaton {
  std::string path;                             // the file it came from ("" when built in code)
  std::size_t states = 0;                       // q = 0 … states − 1
  std::vector<std::string> alphabet;            // symbols, in one-hot order
  std::size_t start = 0;
  std::vector<mpq_class> final;                 // ρ(q)
  std::vector<std::vector<std::size_t>> next;   // next[σ][q] = δ(q, σ)
  std::vector<std::vector<mpq_class>> weight;   // weight[σ][q] = w(q, σ)
};

// Limits of the automaton file: states and symbols at most 4096 (a spec's dimensions).
constexpr std::size_t kMaxStates = 4096;
constexpr std::size_t kMaxSymbols = 4096;

// Reads an automaton file. Error "PATH:LINE:COL: key 'KEY': expected …, got …" at the first
// problem: unknown or missing keys, sizes (final has `states` entries, every symbol of the
// alphabet one transition row of `states` pairs), states out of range, numbers that are not
// exact rationals, symbols that are empty, repeated or contain whitespace.
Automaton parse_automaton(std::string_view text, const std::string& path);
Automaton load_automaton(const std::string& path);

// The automaton as an automaton file (parse_automaton reads it back to the same automaton).
std::string automaton_text(const Automaton& a);

// The oracle: f_A(word), the automaton run step by step in exact rationals. Symbols are indices
// into the alphabet; Error on one out of range.
mpq_class run_automaton(const Automaton& a, const std::vector<std::size_t>& word);

// Reachability on the transition graph (Boost.Graph breadth-first searches).
struct Reachability {
  std::vector<bool> reachable;  // from start, along any transition
  std::vector<bool> live;       // reachable and able to reach a state with ρ ≠ 0 along
                                // transitions of nonzero weight (others contribute 0 to f_A)
  std::vector<std::size_t> unreachable() const;
  std::vector<std::size_t> dead() const;  // reachable but not live
};
Reachability reachability(const Automaton& a);

// The trimmed automaton: unreachable states dropped, and the reachable states that are not live
// merged into one sink (ρ = 0, every transition to itself with weight 0; absent when there are
// none). δ stays total and f_A unchanged: a run that enters a dead state stays among dead states
// or crosses a zero weight, so its value is 0 either way. States keep their order; `start` is
// state 0 only if it was before. A start state that is dead gives the one-state automaton
// f_A = 0.
Automaton trim(const Automaton& a);

// A random automaton (tests, claims): `states` states, `symbols` symbols named "a", "b", …;
// δ uniform maps (`permutations`: uniform permutations instead), weights and final values
// p/q with p in [−3, 3], q in [1, 3] (zero included), start uniform. splitmix64 on `seed`.
Automaton random_automaton(std::size_t states, std::size_t symbols, std::uint64_t seed, bool permutations = false);

// The S5 automaton: 120 states, the permutations of {0 … 4} (in lexicographic order, state 0
// the identity); symbol "c" composes the current permutation with the 5-cycle j → j + 1 mod 5,
// symbol "t" with the transposition (0 1); every weight 1, ρ = e_0, start 0. f_A(w) = 1 exactly
// when the word's product is the identity (the S5 word problem, NC1-complete by Barrington).
Automaton s5_automaton();

}  // namespace rnncc::proofs
