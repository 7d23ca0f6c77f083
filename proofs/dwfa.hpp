// The dwfa construction (the paper's Thm 7, Thm 8 and Cor 7): a deterministic weighted automaton
// compiled to a one-layer `pd` RNN with maps, so that the RNN's final output is f_A(w):
// lane q is state q, P[σ][q] = δ(q, σ), delta[σ][q] = w(q, σ), no bias (W_b = 0, c_b = 0),
// h_0 = e_start, y = ρᵀ h_T (W_y = ρᵀ, c_y = 0). By the closed form of pd products
// (docs/models.md), h_T = P̃ D̃ e_start = (Π_t w(q_{t−1}, σ_t)) e_{q_T}, so y = f_A(σ_1 … σ_T).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/spec.hpp"
#include "proofs/automaton.hpp"

namespace rnncc::proofs {

struct DwfaOptions {
  std::uint64_t T = 8;   // the spec's default sequence length
  std::string name;      // the spec's name; default "dwfa" or the automaton file's stem
};

// The spec as TOML text (docs/spec.md): kind "pd", maps = true, bias = false, exact domain,
// outputs "final", d = states, d_out = 1.
std::string dwfa_spec_text(const Automaton& a, const DwfaOptions& options = {});
// That text parsed (compiler::parse_spec), so what is tested is what is written.
compiler::Spec dwfa_spec(const Automaton& a, const DwfaOptions& options = {});

// Input sequences for the spec, in `rnncc sim --inputs` format: one line per word of length T,
// its symbols separated by spaces, followed by "# f_A = VALUE" (the oracle's value). Every word
// of length T when there are at most `count` of them (in lexicographic order of symbol index),
// else `count` uniformly random words (splitmix64 on `seed`).
std::string dwfa_inputs_text(const Automaton& a, std::uint64_t T, std::size_t count, std::uint64_t seed);

// The words of that file, as symbol indices (the same choice as dwfa_inputs_text).
std::vector<std::vector<std::size_t>> dwfa_words(const Automaton& a, std::uint64_t T, std::size_t count,
                                                 std::uint64_t seed);

}  // namespace rnncc::proofs
