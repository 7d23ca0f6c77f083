// Real-time counter machines and their one-layer MLP RNNs (the paper's Lemma 2, Lemma 3, Thm 2).
//
// A machine has finite states, k signed integer counters (all 0 at the start) and reads one
// symbol a step. For the state q and symbol σ, its rules are cases guarded by zero tests of
// some counters (taken before the step); the first case whose guard holds gives the next state
// and each counter's change in {−1, 0, +1}. A (q, σ) with no matching case goes to the reject
// state. The machine accepts when it ends in `accept_state` with counter `accept_counter` zero.
//
// Compiled to an `mlp` spec (Lemma 3 with an exact zero test), the state is
//   h = [one-hot state (|Q|) | c₀⁺, c₀⁻, c₁⁺, c₁⁻, …]   with c = c⁺ − c⁻ and c⁺·c⁻ = 0,
// and every hidden unit is ReLU(h[q] + x[σ] − 1 − Σ (counter parts that must be 0)): 1 exactly
// when the machine is in q, reads σ, and those parts are 0 (they are non-negative integers),
// else 0 — the paper's zero test ReLU(1 − ReLU(z) − ReLU(−z)) folded into one unit. A guard's
// "non-zero" tests and the sign of a counter's change come out by inclusion–exclusion in W2,
// plus one pass-through unit ReLU(c±) = c± per counter part. Weights are integers; the hidden
// width depends only on the machine, never on the input length (claim 11), and every value is
// an integer of magnitude at most the input length (O(log n) bits).
//
// There is no "c := 0" update: a fixed-weight ReLU network is Lipschitz, so it cannot map an
// unbounded c to 0 on one input symbol and keep it on another (the paper's Lemma 3 lists ×0;
// the erratum is in docs/claims.md). Machines reset a counter by draining it instead.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::proofs {

struct CounterCase {
  std::uint32_t tested = 0;  // bit k: counter k's zero-ness is tested
  std::uint32_t zero = 0;    // bit k (within tested): counter k must be 0; else non-zero
  std::size_t next = 0;
  std::vector<int> delta;    // one per counter, each −1, 0 or +1
};

struct CounterMachine {
  std::vector<std::string> states;    // includes the reject state
  std::vector<std::string> alphabet;
  std::size_t counters = 0;
  std::vector<std::string> counter_names;
  std::size_t start = 0, reject = 0, accept_state = 0, accept_counter = 0;
  std::vector<std::vector<CounterCase>> rules;  // rules[q * |Σ| + σ]

  const std::vector<CounterCase>& cases(std::size_t q, std::size_t sigma) const {
    return rules[q * alphabet.size() + sigma];
  }
};

// Error unless the machine is well formed (indices in range, deltas in {−1, 0, +1}, at most 16
// counters, zero ⊆ tested).
void check_machine(const CounterMachine& m);

struct CounterRun {
  std::size_t state = 0;
  std::vector<std::int64_t> counters;
  std::int64_t max_abs = 0;  // the largest |counter| seen
  bool accept = false;
};

// The machine run directly on a word (symbol indices), from the start state and zero counters;
// `observe` (optional) sees every step: the state before it, the symbol, and the run after it.
using CounterObserver = std::function<void(std::size_t before, std::size_t symbol, const CounterRun& now)>;
CounterRun run_machine(const CounterMachine& m, const std::vector<std::size_t>& word,
                       const CounterObserver& observe = {});

// Lemma 2's machine for unary SDGC (proofs/sdgc.hpp's encoding), counters S, I, T:
//   src     on 1: S++                        on |: → edge
//   edge    on 1: S−−, I++                   on >: → follow if S = 0, else → restore; on ?: → tgt
//   follow  on 1: S++, and I−− if I ≠ 0      on |: → edge
//   restore on 1: if I ≠ 0: S++, I−−         on |: → edge
//   tgt     on 1: S−−, T++
// and padding "_" changes nothing; accepting in tgt with S = 0. S holds the current node; reading i_m subtracts it and I keeps
// i_m to undo that. `follow` drains I while S counts j_m (Lemma 2 sets I := 0; since
// j_m ≥ i_m the drain empties I within the j_m block). Correct on sorted forward instances
// whose target is a sink (S ends at the last node of the source's path).
CounterMachine sdgc_machine();

// The mlp spec of a machine (TOML text, exact domain, alphabet inputs): d = |Q| + 2k, initial
// state e_start, y = h[accept_state] − S⁺ − S⁻ for S the accept counter (y > 0 exactly when
// accepting), `outputs` "accept" (o = [1]) or "all".
struct CounterSpecOptions {
  std::string name = "counter_machine";
  std::uint64_t T = 16;
  bool accept = true;  // outputs = "accept"; else "all" (y_t every step)
};
std::string counter_mlp_spec_text(const CounterMachine& m, const CounterSpecOptions& options = {});
compiler::Spec counter_mlp_spec(const CounterMachine& m, const CounterSpecOptions& options = {});

// The compiled network's sizes.
struct CounterNetShape {
  std::size_t d = 0, hidden = 0;
};
CounterNetShape counter_net_shape(const CounterMachine& m);

// The state vector h (length d) of the compiled network for a machine configuration.
std::vector<std::int64_t> encode_configuration(const CounterMachine& m, std::size_t state,
                                               const std::vector<std::int64_t>& counters);

// The compiled network run directly on a word in 64-bit integers (its weights are integers and
// its values at most the word length in magnitude, so this is exact, and checked: `overflow`
// says when it is not): its final y (> 0 when it accepts) and the largest |value| of any unit.
// Independent of rnncc's model code; the interpreter and circuits are compared with it in tests.
struct CounterNetRun {
  std::int64_t y = 0;
  std::int64_t max_abs = 0;
  std::vector<std::int64_t> h;  // final state
  // A value left the 64-bit range (a network whose values grow, such as a perturbed one): the run
  // stopped there, and y, h and max_abs are not its result.
  bool overflow = false;
};
CounterNetRun run_counter_net(const compiler::Spec& spec, const std::vector<std::size_t>& word);

}  // namespace rnncc::proofs
