// Builder: hash-consing, every folding rule, fan-in and naming errors, origins, step metadata,
// continuation from an existing circuit, reserve() and finish(). Expected values are worked out
// by hand in the comments; nothing is compared only with the builder's own output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/gate.hpp"

namespace rnncc::circuits {
namespace {

mpq_class q(long num, unsigned long den = 1) {
  mpq_class v(num, den);
  v.canonicalize();
  return v;
}

// The value of `g` if it is a constant gate (fails the test otherwise).
mpq_class value_of(const Builder& b, GateId g) {
  EXPECT_EQ(b.circuit().op(g), Op::Const) << "gate " << g << " is not a constant";
  if (b.circuit().op(g) != Op::Const) return mpq_class(-999999);
  return b.circuit().constant(g);
}

// ---------------------------------------------------------------------------------------------
// Sources and hash-consing

TEST(Builder, SourcesGetDenseIdsInCreationOrder) {
  Builder b;
  EXPECT_EQ(b.input("x"), 0u);
  EXPECT_EQ(b.input("y"), 1u);
  EXPECT_EQ(b.constant(q(-3, 4)), 2u);
  EXPECT_EQ(b.input("z"), 3u);
  const Circuit& c = b.circuit();
  ASSERT_EQ(c.num_gates(), 4u);
  EXPECT_EQ(c.op(0), Op::Input);
  EXPECT_EQ(c.op(2), Op::Const);
  EXPECT_EQ(c.inputs(), (std::vector<GateId>{0, 1, 3}));
  EXPECT_EQ(c.name_of_input(3), "z");
  EXPECT_EQ(c.input_name(1), "y");
  EXPECT_EQ(c.constant(2), q(-3, 4));
  EXPECT_DOUBLE_EQ(c.constant_double(2), -0.75);
}

TEST(Builder, EqualConstantsAreOneGate) {
  Builder b;
  GateId c1 = b.constant(q(-3, 4));
  EXPECT_EQ(b.constant(q(-6, 8)), c1);
  mpq_class raw(-6, 8);  // not canonicalised by the caller
  EXPECT_EQ(b.constant(raw), c1);
  EXPECT_EQ(b.constant(mpq_class("-75/100", 10)), c1);
  GateId seven = b.constant(7);
  EXPECT_EQ(b.constant(q(14, 2)), seven);
  EXPECT_NE(seven, c1);
  EXPECT_EQ(b.num_gates(), 2u);
  EXPECT_EQ(b.circuit().constant(c1).get_num(), -3);
  EXPECT_EQ(b.circuit().constant(c1).get_den(), 4);
}

TEST(Builder, SameGateTwiceIsTheSameId) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  GateId s = b.add(x, y);
  EXPECT_EQ(s, 2u);
  EXPECT_EQ(b.add(x, y), s);
  GateId d = b.sub(x, y);
  EXPECT_EQ(b.sub(x, y), d);
  GateId m = b.mul(s, d);
  EXPECT_EQ(b.mul(s, d), m);
  GateId t = b.make(Op::Tanh, m);
  EXPECT_EQ(b.make(Op::Tanh, m), t);
  GateId r = b.make(Op::Relu, m);
  EXPECT_NE(r, t);  // same operand, different kind
  EXPECT_EQ(b.make(Op::Relu, m), r);
  GateId a = b.and_(x, y);
  EXPECT_EQ(b.and_(x, y), a);
  EXPECT_EQ(b.num_gates(), 8u);  // x y add sub mul tanh relu and
}

TEST(Builder, CommutativeOperandsAreOrdered) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  for (Op op : {Op::Add, Op::Mul, Op::And, Op::Or, Op::Xor}) {
    GateId g = b.make(op, y, x);
    EXPECT_EQ(b.make(op, x, y), g) << mnemonic(op);
    EXPECT_EQ(b.circuit().a(g), x) << mnemonic(op);
    EXPECT_EQ(b.circuit().b(g), y) << mnemonic(op);
  }
  EXPECT_EQ(b.num_gates(), 7u);
}

TEST(Builder, NonCommutativeOperandsKeepTheirOrder) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  GateId xy = b.sub(x, y), yx = b.sub(y, x);
  EXPECT_NE(xy, yx);
  EXPECT_EQ(b.circuit().a(xy), x);
  EXPECT_EQ(b.circuit().b(xy), y);
  EXPECT_EQ(b.circuit().a(yx), y);
  EXPECT_EQ(b.circuit().b(yx), x);
  EXPECT_EQ(b.num_gates(), 4u);
}

TEST(Builder, UnaryGatesStoreNoSecondOperand) {
  Builder b;
  GateId x = b.input("x");
  for (Op op : {Op::Neg, Op::Not, Op::Relu, Op::Tanh, Op::Sigmoid, Op::Sign, Op::Step, Op::Buf}) {
    GateId g = b.make(op, x);
    EXPECT_EQ(b.circuit().op(g), op);
    EXPECT_EQ(b.circuit().a(g), x);
    EXPECT_EQ(b.circuit().b(g), kNoGate);
  }
  EXPECT_EQ(b.num_gates(), 9u);
}

// Many random gates through table growth: building the same sequence again makes nothing new,
// and each gate's stored key is what was asked for.
TEST(Builder, HashConsingSurvivesTableGrowth) {
  Builder b;
  std::vector<GateId> pool;
  for (int i = 0; i < 64; ++i) pool.push_back(b.input("x" + std::to_string(i)));
  std::mt19937 rng(12345);
  const Op kinds[] = {Op::Add, Op::Sub, Op::Mul, Op::Tanh, Op::Sigmoid};
  std::vector<std::tuple<Op, GateId, GateId, GateId>> made;
  for (int i = 0; i < 200000; ++i) {
    Op op = kinds[rng() % 5];
    GateId a = pool[rng() % pool.size()];
    GateId c = pool[rng() % pool.size()];
    if (op == Op::Sub && a == c) continue;  // x - x folds
    GateId g = arity(op) == 2 ? b.make(op, a, c) : b.make(op, a);
    made.emplace_back(op, a, c, g);
    if (g >= pool.size()) pool.push_back(g);
  }
  const std::size_t n = b.num_gates();
  for (const auto& [op, a, c, g] : made) {
    GateId again = arity(op) == 2 ? b.make(op, a, c) : b.make(op, a);
    ASSERT_EQ(again, g);
    ASSERT_EQ(b.circuit().op(g), op);
    if (arity(op) == 2) {
      GateId lo = is_commutative(op) ? std::min(a, c) : a;
      GateId hi = is_commutative(op) ? std::max(a, c) : c;
      ASSERT_EQ(b.circuit().a(g), lo);
      ASSERT_EQ(b.circuit().b(g), hi);
    } else {
      ASSERT_EQ(b.circuit().a(g), a);
    }
  }
  EXPECT_EQ(b.num_gates(), n);
  // Every non-source gate is distinct by (op, a, b): no duplicate was ever stored.
  std::set<std::tuple<Op, GateId, GateId>> keys;
  for (GateId g = 0; g < n; ++g)
    if (!is_source(b.circuit().op(g))) {
      EXPECT_TRUE(keys.emplace(b.circuit().op(g), b.circuit().a(g), b.circuit().b(g)).second);
    }
}

// Thousands of gates whose newest operand is the same gate (a hub with a huge fan-out): far more
// keys than one local run of the table holds, so most go through the fallback probing. All must
// still be found again, before and after growth and after continuing from the circuit.
TEST(Builder, HashConsingWithAHighFanOutOperand) {
  Builder b;
  std::vector<GateId> xs;
  for (int i = 0; i < 3000; ++i) xs.push_back(b.input("x" + std::to_string(i)));
  const GateId hub = b.input("hub");
  struct Made {
    Op op;
    GateId a, b, g;
  };
  std::vector<Made> made;
  auto make_all = [&](Builder& bld, bool first) {
    std::size_t k = 0;
    for (GateId x : xs) {
      for (Op op : {Op::Add, Op::Mul, Op::And, Op::Or, Op::Xor, Op::Sub}) {
        GateId g = bld.make(op, hub, x);  // commutative kinds are stored as (x, hub)
        if (first) {
          made.push_back({op, is_commutative(op) ? x : hub, is_commutative(op) ? hub : x, g});
        } else {
          ASSERT_EQ(g, made[k].g) << mnemonic(op) << " " << x;
        }
        ++k;
      }
      GateId g = bld.sub(x, hub);
      if (first) {
        made.push_back({Op::Sub, x, hub, g});
      } else {
        ASSERT_EQ(g, made[k].g);
      }
      ++k;
    }
  };
  make_all(b, true);
  const std::size_t n = b.num_gates();
  EXPECT_EQ(n, 3001u + 7u * 3000u);  // every key is new: none folds, none repeats
  for (const Made& m : made) {
    ASSERT_EQ(b.circuit().op(m.g), m.op);
    ASSERT_EQ(b.circuit().a(m.g), m.a);
    ASSERT_EQ(b.circuit().b(m.g), m.b);
  }
  make_all(b, false);
  EXPECT_EQ(b.num_gates(), n);
  Builder b2(b.finish());
  make_all(b2, false);
  EXPECT_EQ(b2.num_gates(), n);
  // And the table still takes new keys next to the hub.
  GateId extra = b2.make(Op::Tanh, hub);
  EXPECT_EQ(extra, n);
  EXPECT_EQ(b2.make(Op::Tanh, hub), extra);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic identities

TEST(BuilderFold, AddZero) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0);
  EXPECT_EQ(b.add(x, zero), x);
  EXPECT_EQ(b.add(zero, x), x);
  EXPECT_EQ(b.add(zero, zero), zero);
  EXPECT_EQ(b.num_gates(), 2u);
}

TEST(BuilderFold, AddZeroCreatedAfterTheOperand) {
  Builder b;
  GateId zero = b.constant(0);
  GateId x = b.input("x");  // x has the larger id
  EXPECT_EQ(b.add(x, zero), x);
  EXPECT_EQ(b.add(zero, x), x);
  EXPECT_EQ(b.num_gates(), 2u);
}

TEST(BuilderFold, MulOneAndZero) {
  Builder b;
  GateId x = b.input("x");
  GateId one = b.constant(1);
  GateId zero = b.constant(0);
  EXPECT_EQ(b.mul(x, one), x);
  EXPECT_EQ(b.mul(one, x), x);
  EXPECT_EQ(b.mul(x, zero), zero);
  EXPECT_EQ(b.mul(zero, x), zero);
  GateId t = b.make(Op::Tanh, x);
  EXPECT_EQ(b.mul(t, zero), zero);
  EXPECT_EQ(b.num_gates(), 4u);  // x 1 0 tanh
}

TEST(BuilderFold, MulZeroWithoutAnExistingZeroUsesTheConstant) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0);
  GateId g = b.mul(zero, x);
  EXPECT_EQ(g, zero);
  EXPECT_EQ(value_of(b, g), 0);
}

TEST(BuilderFold, MulMinusOneIsNeg) {
  Builder b;
  GateId x = b.input("x");
  GateId m1 = b.constant(-1);
  GateId g = b.mul(x, m1);
  ASSERT_EQ(g, 2u);
  EXPECT_EQ(b.circuit().op(g), Op::Neg);
  EXPECT_EQ(b.circuit().a(g), x);
  EXPECT_EQ(b.mul(m1, x), g);
  EXPECT_EQ(b.neg(x), g);
  // (-x) * -1 = x: neg of neg folds.
  EXPECT_EQ(b.mul(g, m1), x);
  EXPECT_EQ(b.num_gates(), 3u);
}

TEST(BuilderFold, SubSelfIsZero) {
  Builder b;
  GateId x = b.input("x");
  GateId y = b.input("y");
  GateId s = b.add(x, y);
  GateId z = b.sub(s, s);
  EXPECT_EQ(b.circuit().op(z), Op::Const);
  EXPECT_EQ(value_of(b, z), 0);
  EXPECT_EQ(z, 3u);  // a fresh constant 0 after x y add
  EXPECT_EQ(b.sub(x, x), z);
  EXPECT_EQ(b.constant(0), z);
}

TEST(BuilderFold, SubZero) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0);
  EXPECT_EQ(b.sub(x, zero), x);
  GateId n = b.sub(zero, x);  // 0 - x = neg x
  EXPECT_EQ(b.circuit().op(n), Op::Neg);
  EXPECT_EQ(b.circuit().a(n), x);
  EXPECT_EQ(b.neg(x), n);
  EXPECT_EQ(b.sub(zero, n), x);  // 0 - (-x) = x
  EXPECT_EQ(b.sub(zero, zero), zero);
  EXPECT_EQ(b.num_gates(), 3u);
}

TEST(BuilderFold, NegNeg) {
  Builder b;
  GateId x = b.input("x");
  GateId n = b.neg(x);
  EXPECT_EQ(b.neg(n), x);
  GateId nn = b.neg(b.neg(b.neg(n)));  // four negations of x
  EXPECT_EQ(nn, x);
  EXPECT_EQ(b.num_gates(), 2u);
}

TEST(BuilderFold, NotNot) {
  Builder b;
  GateId x = b.input("x");
  GateId n = b.not_(x);
  EXPECT_EQ(b.circuit().op(n), Op::Not);
  EXPECT_EQ(b.not_(n), x);
  EXPECT_EQ(b.not_(b.not_(n)), n);
  EXPECT_EQ(b.num_gates(), 2u);
}

TEST(BuilderFold, NotOfBooleanConstants) {
  Builder b;
  GateId zero = b.constant(0);
  GateId one = b.constant(1);
  EXPECT_EQ(b.not_(zero), one);
  EXPECT_EQ(b.not_(one), zero);
  EXPECT_EQ(b.num_gates(), 2u);
}

TEST(BuilderFold, NotOfZeroCreatesOne) {
  Builder b;
  GateId zero = b.constant(0);
  GateId g = b.not_(zero);
  EXPECT_EQ(g, 1u);
  EXPECT_EQ(value_of(b, g), 1);
}

// ---------------------------------------------------------------------------------------------
// Boolean identities

TEST(BuilderFold, AndRules) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0), one = b.constant(1);
  GateId nx = b.not_(x);
  ASSERT_EQ(nx, 3u);
  EXPECT_EQ(b.and_(x, zero), zero);
  EXPECT_EQ(b.and_(zero, x), zero);
  EXPECT_EQ(b.and_(x, one), x);
  EXPECT_EQ(b.and_(one, x), x);
  EXPECT_EQ(b.and_(x, x), x);
  EXPECT_EQ(b.and_(x, nx), zero);
  EXPECT_EQ(b.and_(nx, x), zero);
  EXPECT_EQ(b.and_(one, one), one);
  EXPECT_EQ(b.and_(zero, one), zero);
  EXPECT_EQ(b.num_gates(), 4u);
}

TEST(BuilderFold, OrRules) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0), one = b.constant(1);
  GateId nx = b.not_(x);
  EXPECT_EQ(b.or_(x, one), one);
  EXPECT_EQ(b.or_(one, x), one);
  EXPECT_EQ(b.or_(x, zero), x);
  EXPECT_EQ(b.or_(zero, x), x);
  EXPECT_EQ(b.or_(x, x), x);
  EXPECT_EQ(b.or_(x, nx), one);
  EXPECT_EQ(b.or_(nx, x), one);
  EXPECT_EQ(b.or_(zero, zero), zero);
  EXPECT_EQ(b.num_gates(), 4u);
}

TEST(BuilderFold, XorRules) {
  Builder b;
  GateId x = b.input("x");
  GateId zero = b.constant(0), one = b.constant(1);
  GateId nx = b.not_(x);
  EXPECT_EQ(b.xor_(x, zero), x);
  EXPECT_EQ(b.xor_(zero, x), x);
  EXPECT_EQ(b.xor_(x, one), nx);  // x ^ 1 = not x (existing gate)
  EXPECT_EQ(b.xor_(one, x), nx);
  EXPECT_EQ(b.xor_(nx, one), x);  // not not x
  EXPECT_EQ(b.xor_(x, x), zero);
  EXPECT_EQ(b.xor_(x, nx), one);
  EXPECT_EQ(b.xor_(nx, x), one);
  EXPECT_EQ(b.xor_(one, one), zero);
  EXPECT_EQ(b.xor_(zero, one), one);
  EXPECT_EQ(b.num_gates(), 4u);
}

TEST(BuilderFold, XorWithOneMakesANot) {
  Builder b;
  GateId x = b.input("x");
  GateId one = b.constant(1);
  GateId g = b.xor_(one, x);
  ASSERT_EQ(g, 2u);
  EXPECT_EQ(b.circuit().op(g), Op::Not);
  EXPECT_EQ(b.circuit().a(g), x);
}

TEST(BuilderFold, ComplementFoldsCreateTheirConstants) {
  Builder b;
  GateId x = b.input("x");
  GateId nx = b.not_(x);
  GateId f = b.and_(nx, x);
  ASSERT_EQ(f, 2u);
  EXPECT_EQ(value_of(b, f), 0);
  GateId t = b.or_(x, nx);
  ASSERT_EQ(t, 3u);
  EXPECT_EQ(value_of(b, t), 1);
  EXPECT_EQ(b.xor_(x, nx), t);
  EXPECT_EQ(b.xor_(x, x), f);
}

TEST(BuilderFold, BooleanGatesOfDistinctOperandsAreKept) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  GateId ny = b.not_(y);
  GateId a = b.and_(x, ny);  // x and not y: not a complement pair
  EXPECT_EQ(b.circuit().op(a), Op::And);
  GateId o = b.or_(x, ny);
  EXPECT_EQ(b.circuit().op(o), Op::Or);
  GateId e = b.xor_(x, ny);
  EXPECT_EQ(b.circuit().op(e), Op::Xor);
  EXPECT_EQ(b.num_gates(), 6u);
}

// ---------------------------------------------------------------------------------------------
// Constant folding with exact rationals

TEST(BuilderFold, ArithmeticOnConstants) {
  Builder b;
  GateId a = b.constant(q(-3, 4));
  GateId c = b.constant(q(5, 6));
  // -3/4 + 5/6 = -9/12 + 10/12 = 1/12
  EXPECT_EQ(value_of(b, b.add(a, c)), q(1, 12));
  // -3/4 - 5/6 = -19/12 ; 5/6 - (-3/4) = 19/12
  EXPECT_EQ(value_of(b, b.sub(a, c)), q(-19, 12));
  EXPECT_EQ(value_of(b, b.sub(c, a)), q(19, 12));
  // -3/4 * 5/6 = -15/24 = -5/8
  EXPECT_EQ(value_of(b, b.mul(a, c)), q(-5, 8));
  // (-3/4)^2 = 9/16
  EXPECT_EQ(value_of(b, b.mul(a, a)), q(9, 16));
  // -3/4 + -3/4 = -3/2
  EXPECT_EQ(value_of(b, b.add(a, a)), q(-3, 2));
  EXPECT_EQ(value_of(b, b.neg(a)), q(3, 4));
  EXPECT_EQ(value_of(b, b.neg(c)), q(-5, 6));
  // Results are pooled constants: 1/12 exists only once.
  GateId twelfth = b.add(c, a);
  EXPECT_EQ(b.constant(q(1, 12)), twelfth);
  // -3/4 * 4/3 = -1 (and is then the canonical -1 used by the x * -1 rule)
  GateId m1 = b.mul(a, b.constant(q(4, 3)));
  EXPECT_EQ(value_of(b, m1), -1);
  GateId x = b.input("x");
  GateId nx = b.mul(x, m1);
  EXPECT_EQ(b.circuit().op(nx), Op::Neg);
}

TEST(BuilderFold, ConstantFoldingCanonicalises) {
  Builder b;
  GateId h = b.constant(q(1, 2));
  GateId s = b.add(h, h);  // 1/2 + 1/2 = 1, stored as 1/1
  EXPECT_EQ(b.circuit().constant(s).get_den(), 1);
  EXPECT_EQ(b.circuit().constant(s).get_num(), 1);
  EXPECT_EQ(b.constant(1), s);
  GateId x = b.input("x");
  EXPECT_EQ(b.mul(x, s), x);  // and it is the `1` of the x*1 rule
}

TEST(BuilderFold, ReluOnConstants) {
  Builder b;
  EXPECT_EQ(value_of(b, b.make(Op::Relu, b.constant(q(-3, 4)))), 0);
  EXPECT_EQ(value_of(b, b.make(Op::Relu, b.constant(q(3, 4)))), q(3, 4));
  EXPECT_EQ(value_of(b, b.make(Op::Relu, b.constant(0))), 0);
  EXPECT_EQ(value_of(b, b.make(Op::Relu, b.constant(q(7, 1000)))), q(7, 1000));
  for (GateId g = 0; g < b.num_gates(); ++g) EXPECT_EQ(b.circuit().op(g), Op::Const);
}

TEST(BuilderFold, SignOnConstants) {
  Builder b;
  EXPECT_EQ(value_of(b, b.make(Op::Sign, b.constant(q(-3, 4)))), -1);
  EXPECT_EQ(value_of(b, b.make(Op::Sign, b.constant(0))), 0);
  EXPECT_EQ(value_of(b, b.make(Op::Sign, b.constant(q(5, 2)))), 1);
  EXPECT_EQ(value_of(b, b.make(Op::Sign, b.constant(q(1, 1000000)))), 1);
  for (GateId g = 0; g < b.num_gates(); ++g) EXPECT_EQ(b.circuit().op(g), Op::Const);
}

TEST(BuilderFold, StepOnConstantsIsStrict) {
  Builder b;
  EXPECT_EQ(value_of(b, b.make(Op::Step, b.constant(q(-3, 4)))), 0);
  EXPECT_EQ(value_of(b, b.make(Op::Step, b.constant(0))), 0);  // step(0) = 0: strict
  EXPECT_EQ(value_of(b, b.make(Op::Step, b.constant(q(1, 1000)))), 1);
  EXPECT_EQ(value_of(b, b.make(Op::Step, b.constant(9))), 1);
  for (GateId g = 0; g < b.num_gates(); ++g) EXPECT_EQ(b.circuit().op(g), Op::Const);
}

TEST(BuilderFold, TanhSigmoidBufAreNotFolded) {
  Builder b;
  GateId c = b.constant(q(-3, 4));
  GateId zero = b.constant(0);
  for (Op op : {Op::Tanh, Op::Sigmoid, Op::Buf}) {
    GateId g = b.make(op, c);
    EXPECT_EQ(b.circuit().op(g), op) << mnemonic(op);
    EXPECT_EQ(b.circuit().a(g), c);
    GateId z = b.make(op, zero);
    EXPECT_EQ(b.circuit().op(z), op) << mnemonic(op);
  }
  GateId x = b.input("x");
  GateId bx = b.make(Op::Buf, x);
  EXPECT_EQ(b.circuit().op(bx), Op::Buf);
  GateId bbx = b.make(Op::Buf, bx);  // buf buf x stays too
  EXPECT_NE(bbx, bx);
  EXPECT_EQ(b.circuit().op(bbx), Op::Buf);
  EXPECT_EQ(b.num_gates(), 2u + 6u + 1u + 2u);
}

TEST(BuilderFold, NonConstantNonlinearGatesAreKept) {
  Builder b;
  GateId x = b.input("x");
  for (Op op : {Op::Relu, Op::Sign, Op::Step}) EXPECT_EQ(b.circuit().op(b.make(op, x)), op);
  EXPECT_EQ(b.num_gates(), 4u);
}

TEST(BuilderFold, MixedConstantAndGateIsNotFolded) {
  Builder b;
  GateId x = b.input("x");
  GateId c = b.constant(q(-3, 4));
  GateId g = b.add(x, c);
  EXPECT_EQ(b.circuit().op(g), Op::Add);
  GateId h = b.mul(c, x);
  EXPECT_EQ(b.circuit().op(h), Op::Mul);
  EXPECT_EQ(b.circuit().a(h), x);  // ordered: x (0) before c (1)
  EXPECT_EQ(b.circuit().b(h), c);
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(BuilderErrors, FanInViolations) {
  Builder b;
  GateId x = b.input("x");
  GateId y = b.input("y");
  EXPECT_THROW(b.make(Op::Add, x), Error);     // binary with one operand
  EXPECT_THROW(b.make(Op::Neg, x, y), Error);  // unary with two
  EXPECT_THROW(b.make(Op::Not, x, x), Error);
  EXPECT_THROW(b.make(Op::Input, x), Error);  // sources are not made with make()
  EXPECT_THROW(b.make(Op::Const, x), Error);
  try {
    b.make(Op::Tanh, x, y);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "'tanh' takes 1 operand, got 2");
  }
  try {
    b.make(Op::Mul, x);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "second operand (none) of a 'mul' gate is not defined");
  }
  EXPECT_EQ(b.num_gates(), 2u);  // nothing was added
}

TEST(BuilderErrors, UndefinedOperands) {
  Builder b;
  GateId x = b.input("x");
  EXPECT_THROW(b.add(x, 1), Error);  // gate 1 does not exist yet
  EXPECT_THROW(b.add(1, x), Error);
  EXPECT_THROW(b.neg(5), Error);
  EXPECT_THROW(b.neg(kNoGate), Error);
  try {
    b.sub(x, 7);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "second operand 7 of a 'sub' gate is not defined");
  }
  try {
    b.make(Op::Sigmoid, 3);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "first operand 3 of a 'sigmoid' gate is not defined");
  }
  EXPECT_EQ(b.num_gates(), 1u);
  // The gate made from a valid pair is fine afterwards.
  GateId y = b.input("y");
  EXPECT_EQ(b.add(x, y), 2u);
}

TEST(BuilderErrors, DuplicateInputName) {
  Builder b;
  b.input("x[1][0]");
  b.input("x[1][1]");
  try {
    b.input("x[1][0]");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "duplicate input name 'x[1][0]'");
  }
  EXPECT_EQ(b.num_gates(), 2u);
  EXPECT_EQ(b.circuit().inputs().size(), 2u);
}

TEST(BuilderErrors, DuplicateOutputName) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("y[1]", x);
  b.output("accept", y);
  try {
    b.output("y[1]", y);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "duplicate output name 'y[1]'");
  }
  // An output may share its name with an input, and a gate may be named twice.
  b.output("x", x);
  b.output("again", x);
  ASSERT_EQ(b.circuit().outputs().size(), 4u);
  EXPECT_EQ(b.circuit().outputs()[0].name, "y[1]");
  EXPECT_EQ(b.circuit().outputs()[0].gate, x);
  EXPECT_EQ(b.circuit().outputs()[1].name, "accept");
  EXPECT_EQ(b.circuit().outputs()[1].gate, y);
  EXPECT_EQ(b.circuit().outputs()[3].gate, x);
}

TEST(BuilderErrors, OutputOfUndefinedGate) {
  Builder b;
  b.input("x");
  try {
    b.output("y", 4);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "output 'y' names gate 4, which is not defined");
  }
  EXPECT_TRUE(b.circuit().outputs().empty());
  b.output("y", 0);  // the name was not taken by the failed call
  EXPECT_EQ(b.circuit().outputs().size(), 1u);
}

TEST(BuilderErrors, RenameInput) {
  Builder b;
  b.input("a");
  b.input("b");
  b.set_input_names({"c", "a"});
  EXPECT_EQ(b.circuit().input_name(0), "c");
  EXPECT_EQ(b.circuit().input_name(1), "a");
  EXPECT_THROW(b.set_input_names({"c", "c"}), Error);           // not unique
  EXPECT_THROW(b.set_input_names({"c"}), Error);                // wrong count
  EXPECT_THROW(b.set_input_names({"c", "a b"}), Error);         // not a token
  EXPECT_EQ(b.circuit().input_name(1), "a");                    // a refused call changes nothing
  b.set_input_names({"a", "c"});                                // a permutation is fine
  EXPECT_EQ(b.circuit().input_name(0), "a");
  EXPECT_THROW(b.input("c"), Error);
  EXPECT_EQ(b.input("b"), 2u);
}

// ---------------------------------------------------------------------------------------------
// Origins and step metadata

TEST(BuilderOrigins, GatesCarryTheOriginCurrentAtCreation) {
  Builder b;
  GateId x = b.input("x");  // before any origin: origin 0 (empty)
  std::uint32_t ia = b.set_origin({"elman.h", 1});
  EXPECT_EQ(ia, 1u);
  GateId g1 = b.make(Op::Tanh, x);
  GateId g2 = b.neg(x);
  std::uint32_t ib = b.set_origin({"elman.h", 2});
  EXPECT_EQ(ib, 2u);
  GateId g3 = b.make(Op::Tanh, g1);
  GateId c = b.constant(q(-3, 4));
  std::uint32_t ia2 = b.set_origin({"elman.h", 1});
  EXPECT_EQ(ia2, ia);  // the table holds each origin once
  GateId g4 = b.make(Op::Relu, g3);
  b.set_origin_index(0);
  GateId g5 = b.make(Op::Sign, g4);
  b.set_origin({"readout", 0});
  GateId g6 = b.make(Op::Step, g5);

  const Circuit& cc = b.circuit();
  ASSERT_EQ(cc.origins().size(), 4u);
  EXPECT_EQ(cc.origins()[0], (Origin{"", 0}));
  EXPECT_EQ(cc.origins()[1], (Origin{"elman.h", 1}));
  EXPECT_EQ(cc.origins()[2], (Origin{"elman.h", 2}));
  EXPECT_EQ(cc.origins()[3], (Origin{"readout", 0}));
  EXPECT_EQ(cc.origin_index(x), 0u);
  EXPECT_EQ(cc.origin_index(g1), 1u);
  EXPECT_EQ(cc.origin_index(g2), 1u);
  EXPECT_EQ(cc.origin_index(g3), 2u);
  EXPECT_EQ(cc.origin_index(c), 2u);
  EXPECT_EQ(cc.origin_index(g4), 1u);
  EXPECT_EQ(cc.origin_index(g5), 0u);
  EXPECT_EQ(cc.origin_index(g6), 3u);
  EXPECT_EQ(cc.origin(g3).construct, "elman.h");
  EXPECT_EQ(cc.origin(g3).step, 2u);
  EXPECT_EQ(cc.origin(g6).construct, "readout");
}

TEST(BuilderOrigins, HashConsedGatesKeepTheirFirstOrigin) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.set_origin({"first", 1});
  GateId g = b.add(x, y);
  b.set_origin({"second", 2});
  EXPECT_EQ(b.add(y, x), g);
  GateId h = b.mul(x, y);
  EXPECT_EQ(b.circuit().origin(g), (Origin{"first", 1}));
  EXPECT_EQ(b.circuit().origin(h), (Origin{"second", 2}));
}

TEST(BuilderOrigins, ManyRunsLookUpPerGate) {
  Builder b;
  GateId x = b.input("x");
  std::vector<GateId> gates;
  std::vector<std::uint32_t> steps;
  GateId g = x;
  for (std::uint32_t t = 1; t <= 500; ++t) {
    b.set_origin({"chain", t});
    for (int k = 0; k < 1 + static_cast<int>(t % 3); ++k) {  // runs of 1..3 gates
      g = b.make(Op::Tanh, g);
      gates.push_back(g);
      steps.push_back(t);
    }
  }
  const Circuit& c = b.circuit();
  EXPECT_EQ(c.origin_index(x), 0u);
  for (std::size_t i = 0; i < gates.size(); ++i) {
    ASSERT_EQ(c.origin(gates[i]).construct, "chain");
    ASSERT_EQ(c.origin(gates[i]).step, steps[i]) << "gate " << gates[i];
  }
  EXPECT_EQ(c.origins().size(), 501u);
}

TEST(BuilderSteps, StepMetadataIsRecorded) {
  Builder b;
  GateId x = b.input("x"), h0 = b.input("h0[0]");
  GateId h1 = b.add(x, h0);
  GateId h2 = b.mul(h1, x);
  b.add_step(0, {h0});
  b.add_step(1, {h1});
  b.add_step(2, {h2, h1});
  b.add_step(3, {});
  EXPECT_THROW(b.add_step(4, {h2, 17}), Error);
  const auto& st = b.circuit().steps();
  ASSERT_EQ(st.size(), 4u);
  EXPECT_EQ(st[0].step, 0u);
  EXPECT_EQ(st[0].gates, std::vector<GateId>{h0});
  EXPECT_EQ(st[1].step, 1u);
  EXPECT_EQ(st[1].gates, std::vector<GateId>{h1});
  EXPECT_EQ(st[2].gates, (std::vector<GateId>{h2, h1}));
  EXPECT_TRUE(st[3].gates.empty());
}

// ---------------------------------------------------------------------------------------------
// Continuation, reserve, finish

TEST(BuilderContinue, KeepsHashConsingAndFolding) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  GateId zero = b.constant(0), one = b.constant(1), m1 = b.constant(-1);
  GateId s = b.add(x, y);
  GateId nx = b.not_(x);
  GateId t = b.make(Op::Tanh, s);
  b.set_origin({"later", 7});
  GateId u = b.sub(t, x);
  b.output("y", u);
  b.add_step(1, {s});
  Circuit c = b.finish();
  ASSERT_EQ(c.num_gates(), 9u);

  Builder b2(std::move(c));
  EXPECT_EQ(b2.num_gates(), 9u);
  EXPECT_EQ(b2.add(y, x), s);
  EXPECT_EQ(b2.make(Op::Tanh, s), t);
  EXPECT_EQ(b2.sub(t, x), u);
  EXPECT_EQ(b2.not_(x), nx);
  EXPECT_EQ(b2.constant(0), zero);
  EXPECT_EQ(b2.constant(1), one);
  EXPECT_EQ(b2.constant(-1), m1);
  EXPECT_EQ(b2.add(x, zero), x);
  EXPECT_EQ(b2.mul(x, one), x);
  EXPECT_EQ(b2.mul(y, m1), b2.neg(y));
  EXPECT_EQ(b2.and_(x, nx), zero);
  EXPECT_EQ(b2.not_(nx), x);
  EXPECT_EQ(b2.num_gates(), 10u);  // only neg y is new
  EXPECT_THROW(b2.input("x"), Error);
  EXPECT_THROW(b2.output("y", x), Error);
  // The last origin carries on.
  GateId v = b2.mul(u, u);
  EXPECT_EQ(b2.circuit().origin(v), (Origin{"later", 7}));
  EXPECT_EQ(b2.circuit().origin(s), (Origin{}));
  // Outputs and steps are kept.
  ASSERT_EQ(b2.circuit().outputs().size(), 1u);
  EXPECT_EQ(b2.circuit().outputs()[0].gate, u);
  ASSERT_EQ(b2.circuit().steps().size(), 1u);
  EXPECT_EQ(b2.circuit().steps()[0].gates, std::vector<GateId>{s});
}

TEST(BuilderContinue, LargeCircuitRehashes) {
  Builder b;
  GateId x = b.input("x");
  std::vector<GateId> chain{x};
  for (int i = 0; i < 50000; ++i) chain.push_back(b.make(Op::Sigmoid, chain.back()));
  Circuit c = b.finish();
  Builder b2(std::move(c));
  for (std::size_t i = 1; i < chain.size(); ++i)
    ASSERT_EQ(b2.make(Op::Sigmoid, chain[i - 1]), chain[i]);
  EXPECT_EQ(b2.num_gates(), 50001u);
  GateId extra = b2.make(Op::Sigmoid, chain.back());
  EXPECT_EQ(extra, 50001u);
}

TEST(BuilderReserve, ReserveAvoidsRegrowth) {
  Builder b;
  b.reserve(1000);
  const std::size_t table = b.table_bytes();
  // 1000 gates at load <= 0.7 need >= 1429 slots of 4 bytes.
  EXPECT_GE(table, 1429u * 4u);
  EXPECT_GE(b.circuit().gate_bytes(), 1000u * (1u + 4u + 4u));
  GateId g = b.input("x");
  for (int i = 1; i < 1000; ++i) g = b.make(Op::Tanh, g);
  EXPECT_EQ(b.num_gates(), 1000u);
  EXPECT_EQ(b.table_bytes(), table);
  // Hash-consing still works over the reserved table.
  EXPECT_EQ(b.make(Op::Tanh, 0), 1u);
  // Reserving less than what exists is harmless.
  b.reserve(10);
  EXPECT_EQ(b.table_bytes(), table);
  EXPECT_EQ(b.make(Op::Tanh, 500), 501u);
}

TEST(BuilderFinish, MovesTheCircuitOutAndResets) {
  Builder b;
  GateId x = b.input("x");
  GateId h = b.constant(q(-3, 4));
  GateId g = b.mul(x, h);
  b.output("y", g);
  Circuit c = b.finish();
  EXPECT_EQ(c.num_gates(), 3u);
  EXPECT_EQ(c.op(g), Op::Mul);
  EXPECT_EQ(c.constant(h), q(-3, 4));
  ASSERT_EQ(c.outputs().size(), 1u);
  EXPECT_EQ(c.outputs()[0].name, "y");
  EXPECT_EQ(b.num_gates(), 0u);
  EXPECT_EQ(b.table_bytes(), 0u);
  EXPECT_TRUE(b.circuit().outputs().empty());
  EXPECT_TRUE(b.circuit().inputs().empty());
  // The builder is empty and reusable: names are free again, nothing is remembered.
  EXPECT_EQ(b.input("x"), 0u);
  EXPECT_EQ(b.constant(0), 1u);
  GateId y = b.input("y");
  EXPECT_EQ(b.add(y, 1u), y);  // y + 0 with the new zero (gate 1)
  b.output("y", y);
  Circuit c2 = b.finish();
  EXPECT_EQ(c2.num_gates(), 3u);
  // The first circuit is untouched.
  EXPECT_EQ(c.num_gates(), 3u);
  EXPECT_EQ(c.constant(1), q(-3, 4));
}

// Reusing a builder after finish() after origins were set: new gates must get valid origins
// (finish() resets the current origin, so the next circuit's first gate is not stamped with an
// index past the end of its fresh, one-entry origin table).
TEST(BuilderFinish, OriginIsResetByFinish) {
  Builder b;
  b.set_origin({"a", 1});
  b.set_origin({"b", 2});
  b.input("x");
  Circuit c = b.finish();
  EXPECT_EQ(c.origin(0), (Origin{"b", 2}));
  GateId x = b.input("x");
  const Circuit& c2 = b.circuit();
  ASSERT_LT(c2.origin_index(x), c2.origins().size());
  EXPECT_EQ(c2.origin(x), (Origin{}));
}

}  // namespace
}  // namespace rnncc::circuits
