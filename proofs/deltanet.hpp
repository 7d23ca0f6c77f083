// DeltaNet primitives (the paper's Lemmas 9–12, Thm 12; claim 8 of its §7). One DeltaNet step
// with v = 0 is H(β, k) = I − β k kᵀ; rnncc's deltanet kind uses the row convention
// S_t = S_{t−1} A_t + B_t (docs/models.md), so a state row r becomes r H(β, k).
//
//   scaling       H(1 − c, e_j):                             r_j ← c r_j           (1 step)
//   transvection  H(2, e_s + e_d) H(1/2, e_s) H(1/3, e_s + 2e_d) = I + e_s e_dᵀ:
//                                                            r_d ← r_d + r_s       (3 steps)
//   scaled add    r_d ← r_d + c r_s through a scratch coordinate τ with r_τ = 0:
//                 τ += s (3), τ ← c τ (1), d += τ (3), τ ← 0 (1)                   (8 steps)
//   Lemma 12      on [x | s | τ] (2n + 1 coordinates): τ ← 0 (1), s ← 0 (n),
//                 s_j += P_ij x_i for every i, j (8n²), x ← 0 (n), x_j += s_j (3n):
//                 8n² + 5n + 1 steps mapping [x | s | τ] to [xP | xP | 0] for any n×n P.
//
// The oracle is the exact product of the step matrices (proofs/matrix.hpp), built here from
// β and k, never from rnncc's models.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compiler/spec.hpp"
#include "proofs/check_outcome.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::proofs {

// One step H(β, k) = I − β k kᵀ, and what it does ("tau <- 0", "s2 += x0 (1/3)", …).
struct HStep {
  mpq_class beta;
  QVector k;
  std::string what;
};

// I − β k kᵀ (the oracle's own construction).
QMatrix householder(const mpq_class& beta, const QVector& k);
// The product H_1 H_2 ⋯ H_L of the steps' matrices (dim × dim): the map of the whole program
// on row vectors (r ↦ r H_1 ⋯ H_L).
QMatrix program_matrix(const std::vector<HStep>& steps, std::size_t dim);

// The primitives on `dim` coordinates.
HStep scaling(std::size_t dim, std::size_t j, const mpq_class& c);                          // H(1 − c, e_j)
std::vector<HStep> transvection(std::size_t dim, std::size_t s, std::size_t d);             // I + e_s e_dᵀ
std::vector<HStep> scaled_add(std::size_t dim, std::size_t s, std::size_t d, std::size_t tau, const mpq_class& c);

// The Lemma 12 program for an n×n matrix P on [x | s | τ]: coordinates x_i = i, s_j = n + j,
// τ = 2n. steps.size() == 8n² + 5n + 1 (program_steps_formula(n)).
struct DeltaNetProgram {
  std::size_t n = 0;
  QMatrix P;
  std::vector<HStep> steps;
};
DeltaNetProgram deltanet_program(const QMatrix& P);
// A random n×n integer matrix (entries in [−2, 2], splitmix64 on `seed`) and its program.
DeltaNetProgram deltanet_program(std::size_t n, std::uint64_t seed = 1);
constexpr std::size_t program_steps_formula(std::size_t n) { return 8 * n * n + 5 * n + 1; }

// A deliberately broken variant, for tests that show a check can fail: the step at index `step`
// (when in range) is dropped (`drop`) or has `beta_delta` added to its β.
struct ProgramBreak {
  std::size_t step = std::numeric_limits<std::size_t>::max();
  bool drop = false;
  mpq_class beta_delta = 0;
};
std::vector<HStep> broken_steps(const std::vector<HStep>& steps, const ProgramBreak& brk);

// ---- The spec (`rnncc construct deltanet-matrix`) ----
//
// A deltanet spec (exact domain, bias = false, outputs "all") with d_k = 2n + 1 and d_v = n:
// one symbol per distinct H(β, k) of the programs ("h0", "h1", …: W_k column k, w_beta β,
// W_v and W_q columns 0) and n read symbols "r0" … "r{n−1}" (k = 0, so A = I, and W_q column
// e_j). S_0 has rows [e_r | 1 … 1 | 1]: x = e_r, and s and τ hold values the program must erase.
// The intended sequence is program(P_1) … program(P_N) r0 … r{n−1}; after it S = [Q | Q | 0]
// with Q = P_1 ⋯ P_N, and the read step r_j outputs y[r] = Q[r][j] (column j of Q).
struct DeltaNetSpecOptions {
  std::string name = "deltanet_matrix";
  ProgramBreak brk;  // applied to every program (tests)
};
struct DeltaNetConstruction {
  std::size_t n = 0;
  std::vector<QMatrix> matrices;
  std::vector<std::vector<HStep>> programs;  // one per matrix (after brk)
  std::vector<HStep> symbols;                // the distinct steps, symbol "h<i>" = symbols[i]
  std::vector<std::size_t> sequence;         // symbol indices of the intended input; n + i is "r<i>"
  std::string spec_text;
};
DeltaNetConstruction deltanet_construction(const std::vector<QMatrix>& matrices, const DeltaNetSpecOptions& options = {});
compiler::Spec deltanet_spec(const DeltaNetConstruction& c);
// The intended input as one line in `rnncc sim --inputs` format, then "# y = …" comment lines with
// the expected outputs of the read steps (the oracle's product, column by column).
std::string deltanet_inputs_text(const DeltaNetConstruction& c);
std::vector<std::string> deltanet_symbol_names(const DeltaNetConstruction& c);

// ---- Checks for a claims table (each: what ran, what was measured, ok) ----

// H(2, e_s + e_d) H(1/2, e_s) H(1/3, e_s + 2e_d) = I + e_s e_dᵀ for every ordered pair s ≠ d in
// dimensions 2 … max_dim, by exact products. `beta_delta` is added to the middle β (a broken
// variant: any nonzero value makes the check fail).
struct TransvectionCheck : CheckOutcome {
  std::size_t pairs = 0, failures = 0;
};
TransvectionCheck check_transvection(std::size_t max_dim = 6, const mpq_class& beta_delta = 0);

// Lemma 12 for n = 1 … max_n, `matrices_per_n` random integer matrices each:
//  * the program has 8n² + 5n + 1 steps (step_counts[n − 1]);
//  * the exact product of its H matrices is [[P, P, 0], [0, 0, 0], [0, 0, 0]], i.e. it maps every
//    [x | s | τ] to [xP | xP | 0];
//  * rnncc's deltanet kind runs it: the reference interpreter, on the spec of deltanet_construction,
//    ends in [P | P | 0] from S_0 = [I | 1 | 1] and the read steps output P;
//  * with `scan` (a lift-scan network name, "" for none) for n ≤ scan_max_n: the naive circuit and
//    lift-scan's circuit evaluated on the program's input give P too.
// `brk` breaks every program (the check must then fail).
struct DeltaNetProgramCheck : CheckOutcome {
  std::vector<std::size_t> step_counts;  // for n = 1 … max_n
  bool counts_ok = false, products_ok = false, interpreter_ok = false, circuits_ok = true;
};
DeltaNetProgramCheck check_deltanet_program(std::size_t max_n = 9, std::size_t matrices_per_n = 2,
                                            std::uint64_t seed = 1, const std::string& scan = "",
                                            std::size_t scan_max_n = 3, const ProgramBreak& brk = {});

}  // namespace rnncc::proofs
