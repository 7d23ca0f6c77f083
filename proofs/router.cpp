// The router caveat, by computation: orders of rational 2×2 matrices and two-reflection products.
#include "proofs/router.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "circuits/error.hpp"
#include "proofs/deltanet.hpp"

namespace rnncc::proofs {

std::size_t euler_phi(std::size_t m) {
  std::size_t result = m, x = m;
  for (std::size_t p = 2; p * p <= x; ++p)
    if (x % p == 0) {
      while (x % p == 0) x /= p;
      result -= result / p;
    }
  if (x > 1) result -= result / x;
  return result;
}

std::size_t matrix_order(const QMatrix& m, std::size_t bound) {
  const QMatrix id = identity_matrix(m.size());
  QMatrix p = m;
  for (std::size_t k = 1; k <= bound; ++k) {
    if (p == id) return k;
    p = multiply(p, m);
  }
  return 0;
}

QMatrix matrix_power(const QMatrix& m, std::size_t e) {
  QMatrix result = identity_matrix(m.size()), base = m;
  for (; e > 0; e >>= 1) {
    if (e & 1) result = multiply(result, base);
    if (e > 1) base = multiply(base, base);
  }
  return result;
}

QMatrix rational_reflection(const QVector& k) {
  mpq_class norm2 = 0;
  for (const mpq_class& v : k) norm2 += v * v;
  if (norm2 == 0) throw Error("rational_reflection: k = 0");
  return householder(2 / norm2, k);
}

RouterOrdersCheck router_orders(std::size_t max_entry, std::size_t phi_bound, bool floating) {
  RouterOrdersCheck out;
  out.floating = floating;
  const std::set<std::size_t> allowed = {1, 2, 3, 4, 6};
  // Target moduli: Thm 12 (2m = 1404), Thm 11 (m = 8n² + 5n + 1, n = 1..9).
  out.moduli.push_back({1404, 702, euler_phi(702), "Thm 12", false});
  for (std::size_t n = 1; n <= 9; ++n) {
    const std::size_t m = program_steps_formula(n);
    out.moduli.push_back({2 * m, m, euler_phi(m), fmt::format("Thm 11, n = {}", n), false});
  }
  // Totients.
  for (std::size_t m = 1; m <= phi_bound; ++m)
    if (euler_phi(m) <= 2) out.phi_at_most_2.push_back(m);
  // Every 2×2 integer matrix with entries in [−2, 2].
  for (int a = -2; a <= 2; ++a)
    for (int b = -2; b <= 2; ++b)
      for (int c = -2; c <= 2; ++c)
        for (int d = -2; d <= 2; ++d) {
          const QMatrix m = {{a, b}, {c, d}};
          ++out.integer_matrices;
          out.matrix_orders.insert(matrix_order(m, 12));
        }
  // Two-reflection products.
  const long e = static_cast<long>(max_entry);
  std::vector<QVector> ks;
  for (long x = -e; x <= e; ++x)
    for (long y = -e; y <= e; ++y)
      if (x != 0 || y != 0) ks.push_back({x, y});
  std::size_t infinite_confirmed = 0, infinite_pairs = 0;
  for (const QVector& k1 : ks)
    for (const QVector& k2 : ks) {
      ++out.reflection_pairs;
      const QMatrix M = multiply(rational_reflection(k1), rational_reflection(k2));
      const mpq_class dot = k1[0] * k2[0] + k1[1] * k2[1];
      const mpq_class tau = 4 * dot * dot / ((k1[0] * k1[0] + k1[1] * k1[1]) * (k2[0] * k2[0] + k2[1] * k2[1])) - 2;
      if (M[0][0] + M[1][1] == tau && M[0][0] * M[1][1] - M[0][1] * M[1][0] == 1) ++out.charpoly_checked;
      const std::size_t order = matrix_order(M, 12);
      out.reflection_orders.insert(order);
      if (order != 0) {
        for (RouterModulus& t : out.moduli) t.rational_counter = t.rational_counter || order == t.m;
        continue;
      }
      ++infinite_pairs;
      // Infinite order: an eigenvalue root of unity would make τ an algebraic integer in [−2, 2].
      const bool by_trace = tau.get_den() != 1 || tau > 2 || tau < -2 || tau == 2 || tau == -2;
      bool never = true;
      for (const RouterModulus& t : out.moduli) never = never && matrix_power(M, t.m) != identity_matrix(2);
      if (by_trace && never) ++infinite_confirmed;
    }
  if (floating) {
    // The broken variant: the printed router as a real rotation, in doubles, compared loosely.
    for (RouterModulus& t : out.moduli) {
      const double th = 2 * std::numbers::pi / static_cast<double>(t.m);
      double r[2][2] = {{std::cos(th), -std::sin(th)}, {std::sin(th), std::cos(th)}}, p[2][2] = {{1, 0}, {0, 1}};
      for (std::size_t k = 0; k < t.m; ++k) {
        const double q[2][2] = {{p[0][0] * r[0][0] + p[0][1] * r[1][0], p[0][0] * r[0][1] + p[0][1] * r[1][1]},
                                {p[1][0] * r[0][0] + p[1][1] * r[1][0], p[1][0] * r[0][1] + p[1][1] * r[1][1]}};
        std::copy(&q[0][0], &q[0][0] + 4, &p[0][0]);
      }
      if (std::abs(p[0][0] - 1) < 1e-9 && std::abs(p[1][1] - 1) < 1e-9 && std::abs(p[0][1]) < 1e-9 && std::abs(p[1][0]) < 1e-9) {
        t.rational_counter = true;
        out.reflection_orders.insert(t.m);
      }
    }
  }
  auto finite_in = [&](const std::set<std::size_t>& orders) {
    for (std::size_t o : orders)
      if (o != 0 && !allowed.count(o)) return false;
    return true;
  };
  bool no_counter = true;
  for (const RouterModulus& t : out.moduli) no_counter = no_counter && !t.rational_counter && t.phi_m > 2;
  const bool phi_ok = std::set<std::size_t>(out.phi_at_most_2.begin(), out.phi_at_most_2.end()) == allowed;
  out.ok = finite_in(out.reflection_orders) && finite_in(out.matrix_orders) && phi_ok && no_counter &&
           out.charpoly_checked == out.reflection_pairs &&
           infinite_confirmed == infinite_pairs;
  auto set_text = [](const std::set<std::size_t>& s) {
    std::string t;
    for (std::size_t o : s) t += (t.empty() ? "" : ", ") + (o == 0 ? std::string("inf") : std::to_string(o));
    return "{" + t + "}";
  };
  std::string phis;
  for (std::size_t m : out.phi_at_most_2) phis += (phis.empty() ? "" : ", ") + std::to_string(m);
  std::string targets;
  for (const RouterModulus& t : out.moduli)
    targets += (targets.empty() ? "" : ", ") + fmt::format("{} (phi({}) = {})", t.two_m, t.m, t.phi_m);
  out.ran = fmt::format(
      "exact: R1 R2 for every pair of rational reflections H(2, k/|k|), k integer in [-{0},{0}]^2 ({1} pairs); every 2x2 "
      "integer matrix in [-2,2] ({2}); phi(m) for m <= {3}{4}",
      max_entry, out.reflection_pairs, out.integer_matrices, phi_bound,
      floating ? "; broken: the printed rotation by 2pi/m in doubles, tolerance 1e-9" : "");
  out.measured = fmt::format(
      "orders of R1 R2: {} (char. poly x^2 - tau x + 1 with tau = 4(k1.k2)^2/(|k1|^2|k2|^2) - 2 on {} of {} pairs; "
      "{} of {} infinite-order pairs confirmed by tau and M^m != I); 2x2 integer matrices: {}; phi(m) <= 2 only for m in "
      "{{{}}}; moduli 2m = {}: {}",
      set_text(out.reflection_orders), out.charpoly_checked, out.reflection_pairs, infinite_confirmed, infinite_pairs,
      set_text(out.matrix_orders), phis, targets, no_counter ? "no rational two-reflection counter" : "a counter was 'found'");
  return out;
}

}  // namespace rnncc::proofs
