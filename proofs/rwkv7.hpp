// RWKV-7 overwrites and the IMM layer (the paper's Lemmas 4–6 and Thm 10, layer 4; claim 7 of
// its §7). rnncc's rwkv7 kind (docs/models.md) uses the row convention S_t = S_{t−1} A_t + B_t
// with A_t = diag(w) − (λκ)(a ⊙ κ)ᵀ, as the paper's App. C does; the overwrite below acts on a
// state row r as r ↦ r U, and the claims depend on that convention (in the column convention,
// U r zeroes r_dst and adds r_dst c instead).
//
//   U(dst; c) = I − e_dst e_dstᵀ + c e_dstᵀ   (c_dst = 0)
//   Lemma 4:  (r U)_dst = r · c, every other coordinate unchanged.
//   Lemma 5:  A(w = 1, a = e_dst, κ = e_dst − c, λ = 1) = U(dst; c), since a ⊙ κ = e_dst.
//   Lemma 6:  on [x | s] ∈ K^{2n}, the n overwrites s_j ← x · P_{·j} then the n overwrites
//             x_j ← s_j map [x | s] to [xP | xP], for any n×n P (2n overwrites).
//   Thm 10:   on the 18-dim ping-pong state [x⁽⁰⁾ | x⁽¹⁾], a block of 9 overwrites
//             dst = 9(1−b) + π(i,j), c_{9b+π(i,k)} = A_{k,j} (π(i,j) = 3i + j, 0-based) writes
//             vec(x⁽ᵇ⁾ A) (row-major vec) into the other half.
//
// Oracles: exact matrix products (proofs/matrix.hpp), built from dst and c, not from rnncc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/interface.hpp"
#include "compiler/spec.hpp"
#include "proofs/check_outcome.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::proofs {

// One overwrite: coordinate dst of the state row becomes r · c (c[dst] must be 0).
struct Overwrite {
  std::size_t dst = 0;
  QVector c;
};

// U(dst; c) (the oracle's own construction). Error when c[dst] ≠ 0.
QMatrix overwrite_matrix(const Overwrite& o);

// A one-layer rwkv7 spec (exact domain, bias = false, d_k = c's length) with one symbol per
// overwrite ("u0", "u1", …): W_w column 1 (w = 1), W_a column e_dst, W_kappa column e_dst − c,
// W_lambda 1, W_v = W_kt = 0 (B = 0), W_q column e_dst (y_t = S_t[·][dst], the value written).
// `broken`: κ = e_dst + c instead (a broken Lemma 5, for tests). S_0 is `initial` (d_v rows).
std::string overwrite_spec_text(const std::vector<Overwrite>& symbols, const QMatrix& initial, const std::string& name,
                                bool broken = false);

// Lemma 6's 2n overwrites for an n×n matrix P on [x | s]: s_j ← Σ_i x_i P_ij (dst n + j,
// c = [P_·j | 0]), then x_j ← s_j (dst j, c = e_{n+j}). `broken`: the two halves in the other
// order (x is overwritten first), which is wrong.
std::vector<Overwrite> lemma6_program(const QMatrix& P, bool broken = false);

// ---- the IMM layer (Thm 10, layer 4), `rnncc construct rwkv7-imm` ----
//
// rnncc has one layer, so the router (the paper's layers 1–3) is computed here: for 3×3 matrices
// A_1 … A_N it emits T = 9(N + 1) overwrites. Block ℓ = 1 … N + 1 (steps 9(ℓ−1)+1 … 9ℓ) applies
// A_{ℓ−1} (the paper's one-block delay; A_0 = I) from half b = (ℓ−1) mod 2 into the other half,
// entry (i, j) at the block's step π(i,j) + 1. S_0 = [vec(I) | 0] (the paper writes it at step 1
// as v_1 k̃_1ᵀ). The spec is rwkv7 with d_k = 18, d_v = 1 and input_width = 36: the router's
// output x_t = [e_dst | c] is the input, a = W_a x_t = e_dst, κ = W_kappa x_t = e_dst − c, w = 1,
// λ = 1 (biases), B = 0, and q_t = e_dst, so y_t is the entry just written: block ℓ outputs
// vec(P_{ℓ−1}), P_ℓ = A_1 ⋯ A_ℓ, and the last 9 outputs are vec(P_N). The paper's completion
// readout (9 readouts at T = 9N) needs 9 heads; with one head the flush block N + 1 does it.
struct RwkvImmOptions {
  std::string name = "rwkv7_imm";
  bool broken = false;  // c_{9b+π(i,k)} = A_{j,k} (transposed): computes P Aᵀ, for tests
};
struct RwkvImmConstruction {
  std::vector<QMatrix> matrices;  // A_1 … A_N
  std::vector<Overwrite> steps;   // the router's outputs, T = 9(N + 1)
  std::string spec_text;
};
RwkvImmConstruction rwkv_imm_construction(const std::vector<QMatrix>& matrices, const RwkvImmOptions& options = {});
compiler::Spec rwkv_imm_spec(const RwkvImmConstruction& c);
compiler::InputSequence rwkv_imm_inputs(const RwkvImmConstruction& c);  // x_t = [e_dst | c]
// The inputs as one line in `rnncc sim --inputs` format (the 36·T circuit input values x[1][0],
// …, x[1][35], x[2][0], … separated by spaces), then "# block l: vec(P_(l-1)) = …" comments (the
// oracle).
std::string rwkv_imm_inputs_text(const RwkvImmConstruction& c);
// The oracle: vec(P_0), vec(P_1), …, vec(P_N) (row-major, exact products).
std::vector<QVector> imm_prefix_products(const std::vector<QMatrix>& matrices);

// ---- checks for a claims table ----

// Lemmas 4 and 5 on rnncc's rwkv7 kind: for dimensions 2 … max_dim and every dst, a random c
// (c_dst = 0, entries p/q with p in −3..3, q in 1..3), a one-step rwkv7 spec with S_0 = I (so
// S_1 = A_1, read off the interpreter's state) against U(dst; c), and (r U)_dst = r · c for a
// random row r. `broken`: κ = e_dst + c.
struct OverwriteCheck : CheckOutcome {
  std::size_t cases = 0, failures = 0;
};
OverwriteCheck check_rwkv_overwrite(std::size_t max_dim = 6, std::uint64_t seed = 1, bool broken = false);

// Lemma 6 for n = 1 … max_n (random integer P, entries −2..2): the program has 2n overwrites; the
// exact product of its U matrices is [[P, P], [0, 0]]; rnncc's interpreter on the overwrite spec
// from S_0 rows [e_r | 1 … 1] ends in [P | P]. `broken`: lemma6_program(P, true).
struct Lemma6Check : CheckOutcome {
  std::vector<std::size_t> overwrites;  // per n
};
Lemma6Check check_rwkv_lemma6(std::size_t max_n = 6, std::uint64_t seed = 1, bool broken = false);

// Thm 10's layer on random 3×3 matrices with entries in {−1, 0, 1} (IMM), N = 1 … max_N, `trials`
// sequences each: every block's 9 outputs against vec(P_{ℓ−1}) (the oracle), the interpreter
// always, and with `scan` (a network name) the naive and lift-scan circuits for N ≤ scan_max_N.
struct RwkvImmCheck : CheckOutcome {
  std::size_t sequences = 0, blocks = 0;
  bool interpreter_ok = false, circuits_ok = true;
};
RwkvImmCheck check_rwkv_imm(std::size_t max_N = 8, std::size_t trials = 3, std::uint64_t seed = 1,
                            const std::string& scan = "", std::size_t scan_max_N = 3, bool broken = false);

}  // namespace rnncc::proofs
