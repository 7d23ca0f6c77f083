// The router caveat (claim 9 of the paper's §7, and its §8): Lemma 7 counts positions modulo 2m
// with two alternating Householder reflections (β = 2), i.e. with the 2×2 rotation M = R_1 R_2,
// which must have order exactly m. Over ℚ that is impossible for m ∉ {1, 2, 3, 4, 6}:
//
//  * a 2×2 rational matrix of finite order is diagonalisable with root-of-unity eigenvalues, either
//    both rational (±1: order 1 or 2) or a conjugate pair of primitive m-th roots whose minimal
//    polynomial Φ_m has degree φ(m) ≤ 2, so m ∈ {3, 4, 6};
//  * the product of two rational reflections R_i = I − 2 k_i k_iᵀ / (k_iᵀ k_i) (= H(2, k_i/|k_i|))
//    has characteristic polynomial x² − τx + 1 with τ = 4 (k_1·k_2)² / (|k_1|² |k_2|²) − 2 ∈ ℚ;
//  * so Thm 12's router (2m = 1404) and Thm 11's (2m = 2(8n² + 5n + 1) ≥ 28) cannot be built this way.
//
// router_orders shows it by computation, in exact arithmetic.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "proofs/check_outcome.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::proofs {

// Euler's totient.
std::size_t euler_phi(std::size_t m);
// The order of a square matrix: the least k in 1 … bound with M^k = I, or 0 if none.
std::size_t matrix_order(const QMatrix& m, std::size_t bound);
// M^e by repeated squaring (exact).
QMatrix matrix_power(const QMatrix& m, std::size_t e);
// I − 2 k kᵀ / (kᵀ k): the rational reflection H(2/|k|², k) = H(2, k/|k|). Error for k = 0.
QMatrix rational_reflection(const QVector& k);

struct RouterModulus {
  std::size_t two_m = 0, m = 0;  // the counter's modulus 2m, and the order M would need
  std::size_t phi_m = 0;         // φ(m): the degree of Φ_m over ℚ
  std::string source;            // "Thm 12" or "Thm 11, n = 3"
  bool rational_counter = false; // some searched pair has order exactly m (never, over ℚ)
};

struct RouterOrdersCheck : CheckOutcome {
  std::size_t reflection_pairs = 0;           // (k_1, k_2), integer entries in [−max_entry, max_entry], k ≠ 0
  std::set<std::size_t> reflection_orders;    // finite orders of R_1 R_2 found (0 = infinite order)
  std::size_t charpoly_checked = 0;           // pairs whose char. poly equals x² − τx + 1 with τ as above
  std::size_t integer_matrices = 0;           // every 2×2 integer matrix with entries in [−2, 2]
  std::set<std::size_t> matrix_orders;        // their finite orders (0 = infinite)
  std::vector<std::size_t> phi_at_most_2;     // m in 1 … phi_bound with φ(m) ≤ 2
  std::vector<RouterModulus> moduli;          // Thm 12's 1404 and Thm 11's 2(8n²+5n+1), n = 1 … 9
  bool floating = false;
};

// The computation. Finite orders are found by powering up to 12 (the largest order a degree-≤2
// eigenvalue allows, lcm over {1, 2, 3, 4, 6}); every pair of infinite order is confirmed by its
// trace (τ not an integer in [−2, 2], or τ = ±2 with M ≠ ±I) and, for each target m, by
// M^m ≠ I (repeated squaring, exact). ok: every finite order found is in {1, 2, 3, 4, 6}, the
// totient search gives exactly {1, 2, 3, 4, 6}, and no target modulus has a rational counter.
// `floating` is a deliberately broken variant: it adds the printed router's rotation by 2π/m for
// each target m in double precision, compared with I to 1e−9 — which "finds" order m, so the
// check fails (ok = false), as it must when exactness is dropped.
RouterOrdersCheck router_orders(std::size_t max_entry = 3, std::size_t phi_bound = 2000, bool floating = false);

}  // namespace rnncc::proofs
