// Stack encodings (proofs/stack_encoding.hpp) against hand-computed values and the true stack.
#include <gtest/gtest.h>

#include "proofs/stack_encoding.hpp"

namespace rnncc::proofs {
namespace {

TEST(StackEncoding, EncodingsByHand) {
  // Base 2, empty = 1: push 0 → 1/2, then push 1 → 1 + 1/4.
  EXPECT_EQ(encode_stack(StackBase::Two, {}), 1);
  EXPECT_EQ(encode_stack(StackBase::Two, {0}), mpq_class(1, 2));
  EXPECT_EQ(encode_stack(StackBase::Two, {1, 0}), mpq_class(5, 4));
  // Base 4, empty = 0: E(b w) = (2b + 1 + E(w)) / 4.
  EXPECT_EQ(encode_stack(StackBase::Four, {0}), mpq_class(1, 4));
  EXPECT_EQ(encode_stack(StackBase::Four, {1, 1}), mpq_class(15, 16));
}

TEST(StackEncoding, HeadGadgets) {
  // Base 2 with ε = 1/3: 3/4 (a 0 over a 1) is inside (2/3, 1): the gadget gives 1/4, not 0.
  EXPECT_EQ(head_gadget(StackBase::Two, mpq_class(3, 4)), mpq_class(1, 4));
  EXPECT_EQ(head_gadget(StackBase::Two, mpq_class(1, 2)), 0);
  EXPECT_EQ(head_gadget(StackBase::Two, mpq_class(5, 4)), 1);
  EXPECT_EQ(head_gadget(StackBase::Four, mpq_class(1, 4)), 0);
  EXPECT_EQ(head_gadget(StackBase::Four, mpq_class(15, 16)), 1);
}

TEST(StackEncoding, Base4IsExactWithAConstantGap) {
  std::vector<StackOp> ops = extremal_stack_ops(20);
  const std::vector<StackOp> more = random_stack_ops(3000, 7);
  ops.insert(ops.end(), more.begin(), more.end());
  const StackEncodingReport r = run_stack_encoding(StackBase::Four, ops);
  EXPECT_EQ(r.head_wrong, 0u);
  EXPECT_EQ(r.decode_wrong, 0u);
  EXPECT_GE(r.max_depth, 20u);
  for (std::size_t D = 1; D < r.gap.size(); ++D) EXPECT_GE(r.gap[D], mpq_class(1, 4)) << D;
  EXPECT_LE(r.max_bits, 4 * r.max_depth + 1);  // p / 4^D, p < 4^D
}

TEST(StackEncoding, Base2GapHalvesWithDepth) {
  const StackEncodingReport r = run_stack_encoding(StackBase::Two, extremal_stack_ops(16));
  ASSERT_EQ(r.max_depth, 16u);
  for (std::size_t D = 2; D < 16; ++D) EXPECT_EQ(r.gap[D + 1] * 2, r.gap[D]) << D;
  EXPECT_GT(r.head_wrong, 0u);
  EXPECT_EQ(r.first_wrong_depth, 2u);
}

TEST(StackEncoding, RandomOperationsNeverPopTheEmptyStack) {
  const std::vector<StackOp> ops = random_stack_ops(500, 3);
  std::size_t depth = 0;
  for (const StackOp& op : ops) {
    ASSERT_TRUE(op.push || depth > 0);
    depth += op.push ? 1 : -1;
  }
}

}  // namespace
}  // namespace rnncc::proofs
