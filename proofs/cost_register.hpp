// Stateless cost-register automata over (ℕ, +, max) and their switched ReLU RNNs (the paper's
// Thm 14, App. H; Allender–Krebs–McKenzie 2017).
//
// Registers x1..xk start at 0; reading σ performs σ's updates simultaneously (each reads the
// registers as they were before the symbol), the others keep their values:
//   xj := max(xa, xb)      xj := xa + xb      xj := xa + c   (c a natural number)
// (without constants every register stays 0). The automaton accepts when x1 > 0 at the end.
//
// The `switched` spec (h_t = ReLU(A_σ h_{t−1} + b_σ)) gives register j two coordinates whose
// sum is its value, each coordinate one ReLU of the previous coordinates:
//   max(a, b) = ReLU(a − b) + ReLU(b)   (for a, b ≥ 0)
//   a + b     = ReLU(a + b) + 0,   a + c = ReLU(a + c) + 0,   keep: ReLU(h) = h coordinatewise.
// App. H prints the max gadget as ReLU(x_a − x_b) alone, which is not max (it is 0 when
// a ≤ b); `printed_max` builds that variant so the claims can show where it goes wrong.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::proofs {

struct CraUpdate {
  enum class Op { Max, Add, AddConst } op = Op::Add;
  std::size_t dst = 0, a = 0, b = 0;  // register indices, 0-based (x1 is 0)
  mpz_class c = 0;                    // AddConst: the constant, ≥ 0
};

struct CostRegisterAutomaton {
  std::string path;
  std::size_t registers = 0;
  std::vector<std::string> alphabet;
  std::vector<std::vector<CraUpdate>> updates;  // per symbol; at most one update per register
};

constexpr std::size_t kMaxRegisters = 1024;
constexpr std::size_t kMaxCraSymbols = 4096;

// The file format (TOML):
//   registers = 3
//   alphabet = ["a", "b"]
//   [updates]
//   a = ["x1 := max(x2, x3)", "x2 := x2 + 1"]
//   b = ["x3 := x1 + x2"]
// One row per symbol (possibly empty); registers x1..x<registers>; constants 0..2^31 − 1.
// Error "PATH:LINE:COL: key 'K': expected …, got …" at the first problem.
CostRegisterAutomaton parse_cra(std::string_view text, const std::string& path);
CostRegisterAutomaton load_cra(const std::string& path);
std::string cra_text(const CostRegisterAutomaton& a);  // parse_cra reads it back
std::string update_text(const CraUpdate& u);           // "x1 := max(x2, x3)"

// The registers after each symbol: out[t] for t = 1..|word| (out[0] is after the first symbol),
// in exact integers (values can double every step).
std::vector<std::vector<mpz_class>> run_cra(const CostRegisterAutomaton& a, const std::vector<std::size_t>& word);
inline bool cra_accepts(const std::vector<mpz_class>& registers) { return registers.at(0) > 0; }

// A random automaton: every symbol updates each register with probability 1/2 by a random one
// of the three forms (constants in 0..3), splitmix64 on `seed`.
CostRegisterAutomaton random_cra(std::size_t registers, std::size_t symbols, std::uint64_t seed);

struct CraSpecOptions {
  std::string name = "cra";
  std::uint64_t T = 8;
  bool accept = false;       // outputs "accept" with y = x1 (d_out = 1, o = [1]); else "all", y = x
  bool printed_max = false;  // App. H's printed gadget: max(a, b) as ReLU(a − b) alone
};
// The switched spec as TOML text (exact domain, alphabet inputs, d = 2·registers, initial 0,
// y_t = (x1 … xk) as sums of coordinate pairs).
std::string cra_spec_text(const CostRegisterAutomaton& a, const CraSpecOptions& options = {});
compiler::Spec cra_spec(const CostRegisterAutomaton& a, const CraSpecOptions& options = {});

}  // namespace rnncc::proofs
