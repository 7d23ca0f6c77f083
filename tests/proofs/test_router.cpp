// The router caveat (claim 9, paper §8): rational 2×2 matrices of finite order have order 1, 2,
// 3, 4 or 6, so Lemma 7's two-reflection counter cannot count modulo 1404 (Thm 12) nor modulo
// 2(8n² + 5n + 1) (Thm 11). The computation is exact; its floating-point variant (the printed
// router as a real rotation) "finds" the counter, so the check fails there, as it must.
#include <gtest/gtest.h>

#include "proofs/router.hpp"

namespace rnncc::proofs {
namespace {

TEST(Router, TotientAndOrders) {
  EXPECT_EQ(euler_phi(1), 1u);
  EXPECT_EQ(euler_phi(702), 216u);
  EXPECT_EQ(euler_phi(1404), 432u);
  EXPECT_EQ(euler_phi(694), 346u);
  EXPECT_EQ(matrix_order({{0, -1}, {1, -1}}, 12), 3u);
  EXPECT_EQ(matrix_order({{1, -1}, {1, 0}}, 12), 6u);
  EXPECT_EQ(matrix_order({{1, 1}, {0, 1}}, 12), 0u);
  EXPECT_EQ(matrix_power({{1, 1}, {0, 1}}, 702), (QMatrix{{1, 702}, {0, 1}}));
  // Two reflections at 45 degrees: a quarter turn.
  EXPECT_EQ(matrix_order(multiply(rational_reflection({1, 0}), rational_reflection({1, 1})), 12), 4u);
}

TEST(Router, NoRationalTwoReflectionCounterModulo2m) {
  const RouterOrdersCheck c = router_orders(3, 2000);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.phi_at_most_2, (std::vector<std::size_t>{1, 2, 3, 4, 6}));
  EXPECT_EQ(c.matrix_orders, (std::set<std::size_t>{0, 1, 2, 3, 4, 6}));
  // Symmetric (DeltaNet) reflections: cos² of the angle between the axes is rational, so 60 and 30
  // degrees (orders 3 and 6) are out of reach as well.
  EXPECT_EQ(c.reflection_orders, (std::set<std::size_t>{0, 1, 2, 4}));
  EXPECT_EQ(c.reflection_pairs, 48u * 48u);
  EXPECT_EQ(c.charpoly_checked, c.reflection_pairs);
  ASSERT_EQ(c.moduli.size(), 10u);
  EXPECT_EQ(c.moduli[0].two_m, 1404u);
  EXPECT_EQ(c.moduli[9].two_m, 2u * 694);
  EXPECT_EQ(c.moduli[1].two_m, 28u);
  for (const RouterModulus& t : c.moduli) {
    EXPECT_FALSE(t.rational_counter) << t.source;
    EXPECT_GT(t.phi_m, 2u) << t.source;
  }
}

TEST(Router, TheFloatingPointRouterIsCaught) {
  const RouterOrdersCheck c = router_orders(1, 12, true);
  EXPECT_FALSE(c.ok);
  EXPECT_TRUE(c.moduli[0].rational_counter);
  EXPECT_TRUE(c.reflection_orders.count(702));
  EXPECT_NE(c.ran.find("doubles"), std::string::npos);
}

}  // namespace
}  // namespace rnncc::proofs
