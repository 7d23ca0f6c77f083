// balance (tree-height reduction) against independent references: ⌈log2 n⌉ for chains of n
// level-0 leaves, ⌈log2 Σ 2^level⌉ for leaves of mixed levels (the Kraft bound, which any binary
// tree meets and an optimal one reaches), depths worked out by hand, exact rational evaluation
// and the suites' bit-parallel boolean reference (tests/bool_reference.hpp), ABC's `lev` after
// its own `balance` and ABC's `cec` on the 20 EPFL circuits, and a chain of 10^7 ANDs.
#include "compiler/passes/balance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/format.hpp"
#include "circuits/io/rc.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::Builder;
using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Measures;
using circuits::Op;

std::size_t kind(const Measures& m, Op op) {
  return m.by_kind[static_cast<std::size_t>(op)];
}

Measures measured(const Circuit& c, bool not_free = false) {
  return circuits::measure(c, {.not_free = not_free, .critical_path = false});
}

std::uint32_t ceil_log2(std::uint64_t n) {
  std::uint32_t k = 0;
  while ((std::uint64_t{1} << k) < n) ++k;
  return k;
}

std::string name(const char* prefix, std::size_t i) {
  return prefix + std::to_string(i);
}

// Inputs and outputs: same names in the same order.
void expect_same_interface(const Circuit& a, const Circuit& b) {
  ASSERT_EQ(a.inputs().size(), b.inputs().size());
  for (std::size_t i = 0; i < a.inputs().size(); ++i) EXPECT_EQ(a.input_name(i), b.input_name(i));
  ASSERT_EQ(a.outputs().size(), b.outputs().size());
  for (std::size_t i = 0; i < a.outputs().size(); ++i)
    EXPECT_EQ(a.outputs()[i].name, b.outputs()[i].name);
}

// Both circuits on `trials` random rational inputs in exact arithmetic: equal outputs.
void expect_equivalent_exact(const Circuit& a, const Circuit& b, int trials, std::uint32_t seed) {
  expect_same_interface(a, b);
  std::mt19937 rng(seed);
  circuits::ExactDomain dom;
  for (int t = 0; t < trials; ++t) {
    std::vector<mpq_class> in;
    for (std::size_t i = 0; i < a.inputs().size(); ++i) {
      mpq_class q(static_cast<long>(rng() % 13) - 6, static_cast<unsigned long>(1 + rng() % 4));
      q.canonicalize();
      in.push_back(q);
    }
    ASSERT_EQ(circuits::evaluate(a, dom, in), circuits::evaluate(b, dom, in)) << "trial " << t;
  }
}

// Both circuits on 64 * words random assignments: equal outputs.
void expect_equivalent_bool(const Circuit& a, const Circuit& b, int words, std::uint32_t seed) {
  expect_same_interface(a, b);
  std::mt19937_64 rng(seed);
  for (int w = 0; w < words; ++w) {
    std::vector<std::uint64_t> in(a.inputs().size());
    for (auto& x : in) x = rng();
    ASSERT_EQ(test::eval_bool_words(a, in), test::eval_bool_words(b, in)) << "word " << w;
  }
}

// Gates reachable from `root` (root included), by an explicit stack.
std::vector<std::uint8_t> cone(const Circuit& c, GateId root) {
  std::vector<std::uint8_t> in(c.num_gates(), 0);
  std::vector<GateId> stack{root};
  while (!stack.empty()) {
    GateId g = stack.back();
    stack.pop_back();
    if (in[g]) continue;
    in[g] = 1;
    int k = circuits::arity(c.op(g));
    if (k >= 1) stack.push_back(c.a(g));
    if (k == 2) stack.push_back(c.b(g));
  }
  return in;
}

GateId output_gate(const Circuit& c, const std::string& out) {
  for (const circuits::Output& o : c.outputs())
    if (o.name == out) return o.gate;
  ADD_FAILURE() << "no output " << out;
  return kNoGate;
}

// ((x0 op x1) op x2) ... op x_{n-1}, output y.
Circuit left_deep(Op op, std::size_t n) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(b.input(name("x", i)));
  GateId g = x[0];
  for (std::size_t i = 1; i < n; ++i) g = b.make(op, g, x[i]);
  b.output("y", g);
  return b.finish();
}

// Combines `pool` into one gate of kind `op`, two random entries at a time: a random tree shape.
GateId random_tree(Builder& b, Op op, std::vector<GateId> pool, std::mt19937& rng) {
  while (pool.size() > 1) {
    std::swap(pool[rng() % pool.size()], pool.back());
    GateId x = pool.back();
    pool.pop_back();
    std::swap(pool[rng() % pool.size()], pool.back());
    GateId y = pool.back();
    pool.pop_back();
    pool.insert(pool.begin() + static_cast<std::ptrdiff_t>(rng() % (pool.size() + 1)),
                b.make(op, x, y));
  }
  return pool[0];
}

// ---------------------------------------------------------------------------------------------
// Chains and trees of level-0 leaves: depth ⌈log2 n⌉, size n - 1.

TEST(Balance, LeftDeepAddChainsGetCeilLog2Depth) {
  for (std::size_t n = 1; n <= 200; ++n) {
    SCOPED_TRACE(n);
    Circuit c = left_deep(Op::Add, n);
    BalanceStats s;
    Circuit r = balance(c, {}, &s);
    Measures m = measured(r);
    EXPECT_EQ(m.depth, ceil_log2(n));
    EXPECT_EQ(m.size, n - 1);
    EXPECT_EQ(kind(m, Op::Add), n - 1);
    EXPECT_EQ(s.chains, n > 1 ? 1u : 0u);
    EXPECT_EQ(s.leaves, n > 1 ? n : 0u);
    EXPECT_EQ(s.size_before, n - 1);
    EXPECT_EQ(s.depth_before, n - 1);
    EXPECT_EQ(s.size_after, n - 1);
    EXPECT_EQ(s.depth_after, ceil_log2(n));
    expect_equivalent_exact(c, r, 3, static_cast<std::uint32_t>(n));
  }
}

TEST(Balance, RightDeepAndRandomTreesOfEveryChainKind) {
  std::mt19937 rng(11);
  for (Op op : {Op::Add, Op::Mul, Op::And, Op::Or, Op::Xor}) {
    for (std::size_t n : {2u, 3u, 5u, 16u, 17u, 31u, 64u, 100u}) {
      SCOPED_TRACE(std::string(circuits::mnemonic(op)) + " n=" + std::to_string(n));
      Builder b;
      std::vector<GateId> x;
      for (std::size_t i = 0; i < n; ++i) x.push_back(b.input(name("x", i)));
      std::vector<GateId> z;  // separate leaves: the trees must not share gates
      for (std::size_t i = 0; i < n; ++i) z.push_back(b.input(name("z", i)));
      GateId right = x[n - 1];
      for (std::size_t i = n - 1; i-- > 0;) right = b.make(op, x[i], right);
      b.output("right", right);
      b.output("random", random_tree(b, op, z, rng));
      Circuit c = b.finish();
      BalanceStats s;
      Circuit r = balance(c, {}, &s);
      EXPECT_EQ(s.chains, 2u);
      EXPECT_EQ(s.leaves, 2 * n);
      Measures m = measured(r);
      EXPECT_EQ(m.depth, ceil_log2(n));
      for (const circuits::Output& o : r.outputs())
        EXPECT_EQ(circuits::gate_levels(r, false)[o.gate], ceil_log2(n)) << o.name;
      EXPECT_EQ(m.size, 2 * (n - 1));
      if (op == Op::Add || op == Op::Mul) {
        expect_equivalent_exact(c, r, 3, static_cast<std::uint32_t>(n));
      } else {
        expect_equivalent_bool(c, r, 4, static_cast<std::uint32_t>(n));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Leaves of mixed levels: depths by hand, and the Kraft bound ⌈log2 Σ 2^level⌉.

// t = ((x4 - x5) - x6) - x7 has level 3 (`sub` is a leaf); y = (((t + x0) + x1) + x2) + x3.
// Leaves at levels 0,0,0,0,3: combine 0,0 -> 1 and 0,0 -> 1, then 1,1 -> 2, then 2,3 -> 4.
TEST(Balance, MixedLeafLevelsByHand) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 8; ++i) x.push_back(b.input(name("x", i)));
  GateId t = b.sub(b.sub(b.sub(x[4], x[5]), x[6]), x[7]);
  GateId y = t;
  for (std::size_t i = 0; i < 4; ++i) y = b.add(y, x[i]);
  b.output("y", y);
  Circuit c = b.finish();
  ASSERT_EQ(measured(c).depth, 7u);
  BalanceStats s;
  Circuit r = balance(c, {}, &s);
  EXPECT_EQ(measured(r).depth, 4u);
  EXPECT_EQ(s.chains, 1u);
  EXPECT_EQ(s.leaves, 5u);
  EXPECT_EQ(measured(r).size, 7u);
  EXPECT_EQ(kind(measured(r), Op::Sub), 3u);  // `sub` is left alone
  expect_equivalent_exact(c, r, 10, 1);
}

// A level-3 leaf among eight level-0 leaves: a tree blind to levels (⌈log2 9⌉ = 4 levels above
// the leaves) would reach 3 + 3 at best; Huffman builds the eight into a tree of depth 3 and
// joins it with the leaf: 4.
TEST(Balance, DeepLeafJoinsAtTheTop) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 11; ++i) x.push_back(b.input(name("x", i)));
  GateId t = b.mul(b.sub(b.sub(x[8], x[9]), x[10]), x[0]);  // a mul chain of one gate: level 3
  std::vector<GateId> leaves(x.begin(), x.begin() + 8);
  leaves.insert(leaves.begin() + 4, t);
  GateId y = leaves[0];
  for (std::size_t i = 1; i < leaves.size(); ++i) y = b.add(y, leaves[i]);
  b.output("y", y);
  Circuit c = b.finish();
  Circuit r = balance(c);
  EXPECT_EQ(measured(r).depth, 4u);
  expect_equivalent_exact(c, r, 10, 2);
}

// Leaves x_i followed by l_i relus (level l_i), combined in a random tree shape: the balanced
// depth is ⌈log2 Σ 2^{l_i}⌉ (no binary tree does better by Kraft's inequality, and depths
// d_i = H - l_i satisfy it, so one reaches it).
TEST(Balance, RandomLeafLevelsReachTheKraftBound) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    SCOPED_TRACE(trial);
    const std::size_t n = 2 + rng() % 40;
    const Op op = (trial % 2) ? Op::Add : Op::Mul;
    Builder b;
    std::vector<GateId> leaves;
    std::uint64_t weight = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t l = rng() % 4 == 0 ? static_cast<std::uint32_t>(rng() % 10) : 0u;
      GateId g = b.input(name("x", i));
      for (std::uint32_t k = 0; k < l; ++k) g = b.make(Op::Relu, g);
      leaves.push_back(g);
      weight += std::uint64_t{1} << l;
    }
    b.output("y", random_tree(b, op, leaves, rng));
    Circuit c = b.finish();
    BalanceStats s;
    Circuit r = balance(c, {}, &s);
    EXPECT_EQ(measured(r).depth, ceil_log2(weight));
    EXPECT_EQ(s.leaves, n);
    EXPECT_LE(s.depth_after, s.depth_before);
    EXPECT_EQ(s.size_after, s.size_before);
    if (trial % 10 == 0) expect_equivalent_exact(c, r, 2, static_cast<std::uint32_t>(trial));
  }
}

// ---------------------------------------------------------------------------------------------
// Chain boundaries: other kinds, shared gates, outputs, `not`, `sub`.

// s = x0 + ... + x7 (left-deep) feeds p = s * x8 * ... * x14 (left-deep): two chains. The add
// chain gets depth 3; the mul chain has leaves at levels 3, 0 x 7: 0,0 -> 1 three times, then
// 0,1 -> 2, 1,1 -> 2, 2,2 -> 3, 3,3 -> 4.
TEST(Balance, AddChainFeedingMulChain) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 15; ++i) x.push_back(b.input(name("x", i)));
  GateId s = x[0];
  for (std::size_t i = 1; i < 8; ++i) s = b.add(s, x[i]);
  GateId p = s;
  for (std::size_t i = 8; i < 15; ++i) p = b.mul(p, x[i]);
  b.output("p", p);
  Circuit c = b.finish();
  ASSERT_EQ(measured(c).depth, 14u);
  BalanceStats s_;
  Circuit r = balance(c, {}, &s_);
  Measures m = measured(r);
  EXPECT_EQ(m.depth, 4u);
  EXPECT_EQ(kind(m, Op::Add), 7u);
  EXPECT_EQ(kind(m, Op::Mul), 7u);
  EXPECT_EQ(s_.chains, 2u);
  EXPECT_EQ(s_.leaves, 16u);
  expect_equivalent_exact(c, r, 10, 3);
}

// s = x0 + x1 + x2 + x3 is read twice (by y0's add chain and by y1 = s * x7): it is the root of
// its own chain and a leaf of y0's, one gate, never copied. Copying s into y0's chain would make
// 10 gates; balancing keeps 7 (3 adds for s, 3 for y0, 1 mul).
TEST(Balance, SharedGateStaysOneGate) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 8; ++i) x.push_back(b.input(name("x", i)));
  GateId s = b.add(b.add(b.add(x[0], x[1]), x[2]), x[3]);
  GateId y0 = b.add(b.add(b.add(s, x[4]), x[5]), x[6]);
  b.output("y0", y0);
  b.output("y1", b.mul(s, x[7]));
  Circuit c = b.finish();
  ASSERT_EQ(measured(c).size, 7u);
  BalanceStats st;
  Circuit r = balance(c, {}, &st);
  Measures m = measured(r);
  EXPECT_EQ(m.size, 7u);
  EXPECT_EQ(kind(m, Op::Add), 6u);
  EXPECT_EQ(st.chains, 3u);  // s, y0, y1
  EXPECT_EQ(st.leaves, 4u + 4u + 2u);
  // s (level 2) and x4, x5, x6: 0,0 -> 1, 0,1 -> 2, 2,2 -> 3.
  const std::vector<std::uint32_t> level = circuits::gate_levels(r, false);
  EXPECT_EQ(level[output_gate(r, "y0")], 3u);
  EXPECT_EQ(level[output_gate(r, "y1")], 3u);
  // y1's operand other than x7 is the new s, and it lies in y0's cone.
  GateId y1 = output_gate(r, "y1");
  ASSERT_EQ(r.op(y1), Op::Mul);
  GateId new_s = r.op(r.a(y1)) == Op::Input ? r.b(y1) : r.a(y1);
  EXPECT_EQ(r.op(new_s), Op::Add);
  EXPECT_EQ(level[new_s], 2u);
  EXPECT_TRUE(cone(r, output_gate(r, "y0"))[new_s]);
  expect_equivalent_exact(c, r, 10, 4);
}

// A gate read twice inside what would be one chain splits it: p4 = x0 + ... + x7 (left-deep)
// is read by the next add and by a relu. Chains: p4's (level 3) and the rest, whose leaves are
// p4 and x8 .. x15: 0 x 8 -> 3, then 3,3 -> 4.
TEST(Balance, FanOutTwoInsideAChainSplitsIt) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 16; ++i) x.push_back(b.input(name("x", i)));
  GateId g = x[0], mid = kNoGate;
  for (std::size_t i = 1; i < 16; ++i) {
    g = b.add(g, x[i]);
    if (i == 7) mid = g;
  }
  b.output("y", g);
  b.output("r", b.make(Op::Relu, mid));
  Circuit c = b.finish();
  Circuit r = balance(c);
  Measures m = measured(r);
  EXPECT_EQ(kind(m, Op::Add), 15u);
  EXPECT_EQ(m.depth, 4u);
  expect_equivalent_exact(c, r, 10, 5);
}

// An output inside a left-deep chain of 8 is a boundary: mid = x0 + .. + x3 keeps its name and
// gets depth 2; y's chain has leaves mid (level 2) and x4 .. x7: 0,0 -> 1 twice, 1,1 -> 2,
// 2,2 -> 3. Still 7 adds: mid is not copied.
TEST(Balance, OutputInsideAChainStays) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 8; ++i) x.push_back(b.input(name("x", i)));
  GateId g = x[0];
  for (std::size_t i = 1; i < 8; ++i) {
    g = b.add(g, x[i]);
    if (i == 3) b.output("mid", g);
  }
  b.output("y", g);
  Circuit c = b.finish();
  BalanceStats s;
  Circuit r = balance(c, {}, &s);
  EXPECT_EQ(s.chains, 2u);
  EXPECT_EQ(measured(r).size, 7u);
  const std::vector<std::uint32_t> level = circuits::gate_levels(r, false);
  EXPECT_EQ(level[output_gate(r, "mid")], 2u);
  EXPECT_EQ(level[output_gate(r, "y")], 3u);
  EXPECT_TRUE(cone(r, output_gate(r, "y"))[output_gate(r, "mid")]);
  expect_equivalent_exact(c, r, 10, 6);
}

// `not` gates are leaves. (1) !x0 & !x1 & ... & !x7, left-deep: 8 leaves at level 0 under
// not_free (depth 3) or at level 1 (depth 4). (2) z = a & b & c & d under a not, joined with
// x0 .. x3: two chains, the not between them. Under not_free the leaf !z has level 2:
// Σ 2^l = 4 + 4 -> 3; otherwise level 3: 8 + 4 = 12 -> 4.
TEST(Balance, NotGatesAreLeaves) {
  {
    Builder b;
    std::vector<GateId> nx;
    for (std::size_t i = 0; i < 8; ++i) nx.push_back(b.not_(b.input(name("x", i))));
    GateId g = nx[0];
    for (std::size_t i = 1; i < 8; ++i) g = b.and_(g, nx[i]);
    b.output("y", g);
    Circuit c = b.finish();
    ASSERT_EQ(measured(c, true).depth, 7u);
    BalanceStats s;
    Circuit r = balance(c, {.not_free = true}, &s);
    EXPECT_EQ(measured(r, true).depth, 3u);
    EXPECT_EQ(s.depth_after, 3u);
    EXPECT_EQ(s.depth_before, 7u);
    EXPECT_EQ(kind(measured(r), Op::Not), 8u);
    Circuit r2 = balance(c, {.not_free = false}, &s);
    EXPECT_EQ(measured(r2, false).depth, 4u);
    EXPECT_EQ(s.depth_before, 8u);
    expect_equivalent_bool(c, r, 4, 7);
    expect_equivalent_bool(c, r2, 4, 8);
  }
  {
    Builder b;
    std::vector<GateId> x;
    for (std::size_t i = 0; i < 8; ++i) x.push_back(b.input(name("x", i)));
    GateId z = b.and_(b.and_(b.and_(x[4], x[5]), x[6]), x[7]);
    GateId g = b.not_(z);
    for (std::size_t i = 0; i < 4; ++i) g = b.and_(g, x[i]);
    b.output("y", g);
    Circuit c = b.finish();
    BalanceStats s;
    Circuit r = balance(c, {.not_free = true}, &s);
    EXPECT_EQ(s.chains, 2u);
    EXPECT_EQ(s.leaves, 9u);
    EXPECT_EQ(measured(r, true).depth, 3u);
    EXPECT_EQ(kind(measured(r), Op::Not), 1u);
    EXPECT_EQ(kind(measured(r), Op::And), 7u);
    Circuit r2 = balance(c, {.not_free = false});
    EXPECT_EQ(measured(r2, false).depth, 4u);
    expect_equivalent_bool(c, r, 4, 9);
    expect_equivalent_bool(c, r2, 4, 10);
  }
}

TEST(Balance, SubAndNegAreLeftAlone) {
  Builder b;
  std::vector<GateId> x;
  for (std::size_t i = 0; i < 8; ++i) x.push_back(b.input(name("x", i)));
  GateId g = x[0];
  for (std::size_t i = 1; i < 8; ++i) g = b.sub(g, x[i]);
  b.output("d", g);
  b.output("n", b.neg(b.sub(x[0], x[1])));
  Circuit c = b.finish();
  BalanceStats s;
  Circuit r = balance(c, {}, &s);
  EXPECT_EQ(s.chains, 0u);
  EXPECT_EQ(circuits::io::write_rc(r), circuits::io::write_rc(c));
}

// Folding by the builder while a chain is rebuilt: y = (x & (u | v)) & !x. Under not_free the
// leaves x and !x both have level 0 and are combined first: x & !x folds to 0, then 0 & (u | v)
// to 0. The `or` and the `not` are then dead, and dropped; the inputs stay.
TEST(Balance, FoldsLeaveNoDeadGates) {
  Builder b;
  GateId x = b.input("x"), u = b.input("u"), v = b.input("v");
  GateId o = b.or_(u, v);
  GateId p = b.and_(x, o);
  GateId nx = b.not_(x);
  b.output("y", b.and_(p, nx));
  Circuit c = b.finish();
  Circuit r = balance(c, {.not_free = true});
  EXPECT_EQ(r.num_gates(), 4u);  // x u v and the constant 0
  EXPECT_EQ(measured(r).size, 0u);
  GateId out = output_gate(r, "y");
  ASSERT_EQ(r.op(out), Op::Const);
  EXPECT_EQ(r.constant(out), 0);
  expect_equivalent_bool(c, r, 2, 11);
  // Without not_free !x has level 1: x & (u | v) first, no fold.
  EXPECT_EQ(measured(balance(c)).size, 4u);
}

// Names, origins and step metadata survive; a rebuilt gate takes its chain root's origin.
TEST(Balance, KeepsNamesOriginsAndSteps) {
  Builder b;
  b.set_origin({"m.input", 0});
  GateId a = b.input("a"), bb = b.input("b"), cc = b.input("c"), d = b.input("d"), e = b.input("e");
  b.input("unused");
  b.set_origin({"m.sum", 1});
  GateId s1 = b.add(a, bb);
  GateId s2 = b.add(s1, cc);
  b.set_origin({"m.sum", 2});
  GateId s3 = b.add(s2, d);
  GateId s4 = b.add(s3, e);
  b.set_origin({"m.relu", 2});
  GateId r = b.make(Op::Relu, s4);
  b.set_origin({"m.dead", 3});
  GateId dead = b.mul(a, e);
  b.output("y", r);
  b.output("s", s4);
  b.add_step(1, {s2, a});  // s2 is absorbed into s4's chain
  b.add_step(2, {s4, r});
  b.add_step(3, {dead});  // every gate vanished: the step goes
  Circuit c = b.finish();
  c.name = "named";

  Circuit out = balance(c);
  EXPECT_EQ(out.name, "named");
  expect_same_interface(c, out);
  EXPECT_EQ(out.input_name(5), "unused");
  EXPECT_EQ(measured(out).depth, 4u);  // 5 leaves: 3, plus the relu
  GateId ns4 = output_gate(out, "s"), nr = output_gate(out, "y");
  EXPECT_EQ(out.origin(ns4), (circuits::Origin{"m.sum", 2}));
  EXPECT_EQ(out.origin(nr), (circuits::Origin{"m.relu", 2}));
  for (GateId g = 0; g < out.num_gates(); ++g) {
    if (out.op(g) == Op::Add) {
      EXPECT_EQ(out.origin(g), (circuits::Origin{"m.sum", 2})) << g;
    }
    if (out.op(g) == Op::Input) {
      EXPECT_EQ(out.origin(g), (circuits::Origin{"m.input", 0})) << g;
    }
    EXPECT_NE(out.op(g), Op::Mul) << "dead gate kept";
  }
  ASSERT_EQ(out.steps().size(), 2u);
  EXPECT_EQ(out.steps()[0].step, 1u);
  EXPECT_EQ(out.steps()[0].gates, (std::vector<GateId>{out.inputs()[0]}));
  EXPECT_EQ(out.steps()[1].step, 2u);
  EXPECT_EQ(out.steps()[1].gates, (std::vector<GateId>{ns4, nr}));
  expect_equivalent_exact(c, out, 10, 12);
}

// ---------------------------------------------------------------------------------------------
// Random circuits: exact and boolean equivalence, never larger, never deeper, reproducible.

// Mostly chains (the newest gate is an operand half of the time), with fan-out, other kinds in
// between and outputs anywhere.
Circuit random_circuit(std::uint32_t seed, bool boolean, int inputs, int gates) {
  std::mt19937 rng(seed);
  Builder b;
  std::vector<GateId> pool;
  for (int i = 0; i < inputs; ++i) pool.push_back(b.input(name("x", static_cast<std::size_t>(i))));
  const std::vector<Op> kinds =
      boolean ? std::vector<Op>{Op::And, Op::And, Op::Or, Op::Xor, Op::Not, Op::Buf, Op::Or}
              : std::vector<Op>{Op::Add, Op::Add, Op::Add, Op::Mul, Op::Sub, Op::Neg, Op::Relu};
  Op run = kinds[0];
  for (int k = 0; k < gates; ++k) {
    if (rng() % 6 == 0) run = kinds[rng() % kinds.size()];
    const Op op = rng() % 4 == 0 ? kinds[rng() % kinds.size()] : run;
    auto pick = [&] {
      const std::size_t n = pool.size();
      return rng() % 2 ? pool.back() : pool[rng() % n];
    };
    GateId x = pick();
    GateId g = circuits::arity(op) == 1 ? b.make(op, x) : b.make(op, x, pool[rng() % pool.size()]);
    pool.push_back(g);
  }
  for (std::size_t o = 0; o < 6; ++o) b.output(name("y", o), pool[pool.size() - 1 - 7 * o]);
  b.output("last", pool.back());
  return b.finish();
}

TEST(Balance, RandomArithmeticCircuitsExactlyEquivalent) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    Circuit c = random_circuit(seed, false, 10, 120);
    for (bool not_free : {false, true}) {
      BalanceStats s;
      Circuit r = balance(c, {.not_free = not_free}, &s);
      EXPECT_LE(s.size_after, s.size_before);
      EXPECT_LE(s.depth_after, s.depth_before);
      expect_equivalent_exact(c, r, 4, seed);
    }
  }
}

TEST(Balance, RandomBooleanCircuitsEquivalent) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(seed);
    Circuit c = random_circuit(seed, true, 16, 600);
    for (bool not_free : {false, true}) {
      BalanceStats s;
      Circuit r = balance(c, {.not_free = not_free}, &s);
      EXPECT_LE(s.size_after, s.size_before);
      EXPECT_LE(s.depth_after, s.depth_before);
      // No dead gates other than inputs.
      const std::vector<std::uint8_t> live = circuits::live_gates(r);
      for (GateId g = 0; g < r.num_gates(); ++g)
        EXPECT_TRUE(live[g] || r.op(g) == Op::Input) << "dead gate " << g;
      expect_equivalent_bool(c, r, 8, seed);
    }
  }
}

// The same circuit balances to the same file every time; balancing again changes no depth.
TEST(Balance, DeterministicAndIdempotentInDepth) {
  for (std::uint32_t seed = 1; seed <= 10; ++seed) {
    Circuit c = random_circuit(seed, true, 16, 800);
    Circuit r1 = balance(c, {.not_free = true});
    Circuit r2 = balance(c, {.not_free = true});
    EXPECT_EQ(circuits::io::write_rc(r1), circuits::io::write_rc(r2));
    Circuit rr = balance(r1, {.not_free = true});
    EXPECT_EQ(measured(rr, true).depth, measured(r1, true).depth);
    EXPECT_LE(measured(rr, true).size, measured(r1, true).size);
  }
}

// ---------------------------------------------------------------------------------------------
// A chain of 10^7 ANDs over 10^7 + 1 inputs, left-deep: no recursion anywhere. The time is
// printed, never asserted; most of it is the Builder making 10^7 + 1 named inputs.

TEST(BalanceDeep, TenMillionAndChain) {
#if defined(__SANITIZE_ADDRESS__)  // a tenth under AddressSanitizer (-O0 and shadow memory: minutes)
  constexpr std::size_t kAnds = 1'000'000;
#else
  constexpr std::size_t kAnds = 10'000'000;
#endif
  Builder b;
  b.reserve(2 * kAnds + 2);
  GateId g = b.input("x0");
  for (std::size_t i = 1; i <= kAnds; ++i) g = b.and_(g, b.input(name("x", i)));
  b.output("y", g);
  Circuit c = b.finish();
  ASSERT_EQ(c.num_gates(), 2 * kAnds + 1);

  const auto t0 = std::chrono::steady_clock::now();
  Circuit r = balance(c, {.not_free = true});
  std::printf("balance of a chain of %zu ANDs: %.3f s\n", kAnds,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  // Every input is a leaf (the chain reads each once): depth ⌈log2 leaves⌉ = 24.
  ASSERT_EQ(r.inputs().size(), kAnds + 1);
  EXPECT_EQ(r.input_name(kAnds), name("x", kAnds));
  const std::vector<std::uint8_t> live = circuits::live_gates(r);
  std::size_t leaves = 0;
  for (GateId in : r.inputs()) leaves += live[in];
  EXPECT_EQ(leaves, kAnds + 1);
  Measures m = measured(r, true);
  EXPECT_EQ(m.depth, ceil_log2(leaves));
  EXPECT_EQ(m.depth, kAnds == 10'000'000 ? 24u : 20u);
  EXPECT_EQ(m.size, kAnds);
  EXPECT_EQ(kind(m, Op::And), kAnds);
  EXPECT_EQ(r.num_gates(), 2 * kAnds + 1);
}

// ---------------------------------------------------------------------------------------------
// The 20 EPFL circuits against ABC (tests/data/epfl/README.md: `lev` before and after
// ABC's `balance`), ABC's `cec`, and an independent level count over the AIGER bytes.

// Depth of a binary AIGER, computed from the file alone (nothing of rnncc's reader or measures):
// inputs and constants at level 0, an AND 1 + the max of its operands' levels, a complemented
// literal (other than the constant 1) `not_cost` above its variable (docs/measures.md: one NOT
// gate per variable used complemented, cost 1 by default, 0 under --not-free); the depth is the
// largest level of an output literal.
std::size_t aiger_depth(const std::string& data, std::size_t not_cost) {
  std::size_t pos = data.find('\n');
  std::string magic;
  std::size_t m = 0, ni = 0, nl = 0, no = 0, na = 0;
  std::istringstream(data.substr(0, pos)) >> magic >> m >> ni >> nl >> no >> na;
  EXPECT_EQ(magic, "aig");
  EXPECT_EQ(nl, 0u);
  EXPECT_EQ(m, ni + na);
  ++pos;
  std::vector<std::size_t> outs(no);
  for (std::size_t& o : outs) {
    const std::size_t end = data.find('\n', pos);
    o = std::stoul(data.substr(pos, end - pos));
    pos = end + 1;
  }
  auto varint = [&] {
    std::size_t x = 0;
    for (int shift = 0;; shift += 7) {
      const auto ch = static_cast<unsigned char>(data.at(pos++));
      x |= std::size_t{ch & 0x7fu} << shift;
      if (!(ch & 0x80)) return x;
    }
  };
  std::vector<std::size_t> level(m + 1, 0);
  auto lit_level = [&](std::size_t l) { return level[l / 2] + ((l & 1) && l > 1 ? not_cost : 0); };
  for (std::size_t v = ni + 1; v <= m; ++v) {
    const std::size_t r0 = 2 * v - varint();
    const std::size_t r1 = r0 - varint();
    level[v] = 1 + std::max(lit_level(r0), lit_level(r1));
  }
  std::size_t depth = 0;
  for (std::size_t o : outs) depth = std::max(depth, lit_level(o));
  return depth;
}

struct EpflRow {
  const char* name;
  std::uint32_t abc_lev, abc_lev_balanced;
};

constexpr EpflRow kEpfl[] = {
    {"adder", 255, 255},    {"arbiter", 87, 87},     {"bar", 12, 12},         {"cavlc", 16, 16},
    {"ctrl", 10, 10},       {"dec", 3, 3},           {"div", 4372, 4372},     {"hyp", 24801, 24801},
    {"i2c", 20, 16},        {"int2float", 16, 15},   {"log2", 444, 410},      {"max", 287, 229},
    {"mem_ctrl", 114, 114}, {"multiplier", 274, 266}, {"priority", 250, 249}, {"router", 54, 27},
    {"sin", 225, 186},      {"sqrt", 5058, 5058},    {"square", 250, 250},    {"voter", 70, 70},
};

void PrintTo(const EpflRow& row, std::ostream* os) {
  *os << row.name;
}

class BalanceEpfl : public ::testing::TestWithParam<EpflRow> {
 protected:
  void SetUp() override { RNNCC_REQUIRE_EPFL(); }
};

TEST_P(BalanceEpfl, NoDeeperThanAbcAndEquivalent) {
  const EpflRow& row = GetParam();
  const std::string original = test::read_text(test::epfl(row.name));
  Circuit c = circuits::io::load_circuit(test::epfl(row.name));
  BalanceStats s;
  const auto t0 = std::chrono::steady_clock::now();
  Circuit r = balance(c, {.not_free = true}, &s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Measures before = measured(c, true), after = measured(r, true);
  std::printf("| %s | %u | %u | %u | and %zu -> %zu | %.3f s |\n", row.name, row.abc_lev,
              row.abc_lev_balanced, after.depth, kind(before, Op::And), kind(after, Op::And), secs);
  EXPECT_EQ(before.depth, row.abc_lev);
  EXPECT_EQ(aiger_depth(original, 0), row.abc_lev);  // the counter agrees with ABC's lev
  EXPECT_EQ(s.depth_before, row.abc_lev);
  EXPECT_EQ(s.depth_after, after.depth);
  EXPECT_LE(after.depth, row.abc_lev_balanced);
  EXPECT_LE(kind(after, Op::And), kind(before, Op::And));
  EXPECT_EQ(after.size, kind(after, Op::And) + kind(after, Op::Not));
  expect_equivalent_bool(c, r, 4, 13);
  // The balanced circuit's depth, exactly, from the bytes of its AIGER.
  const std::string balanced = circuits::io::write_aiger(r, circuits::io::AigerMode::Binary);
  EXPECT_EQ(aiger_depth(balanced, 0), after.depth);

  // The default convention (every NOT a level): depths before and after balancing it, exactly,
  // from the AIGER bytes.
  BalanceStats s1;
  Circuit r1 = balance(c, {.not_free = false}, &s1);
  const Measures before1 = measured(c, false), after1 = measured(r1, false);
  EXPECT_EQ(before1.depth, aiger_depth(original, 1));
  EXPECT_EQ(s1.depth_before, before1.depth);
  EXPECT_EQ(after1.depth, aiger_depth(circuits::io::write_aiger(r1, circuits::io::AigerMode::Binary), 1));
  EXPECT_EQ(s1.depth_after, after1.depth);
  EXPECT_LE(after1.depth, before1.depth);
  expect_equivalent_bool(c, r1, 4, 17);

  // ABC's cec on every circuit. The slowest, log2, takes about 6 s on one core (measured:
  // see the printed time); -T bounds a run at 300 s, where cec says "UNDECIDED" instead.
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = test::scratch(std::string("balance_epfl_") + row.name);
  const std::string aig = dir + "/" + row.name + "_balanced.aig";
  {
    std::ofstream f(aig, std::ios::binary);
    f << balanced;
    ASSERT_TRUE(f.good()) << aig;
  }
  const auto t1 = std::chrono::steady_clock::now();
  test::RunResult a =
      test::run("berkeley-abc -c " + test::quote("cec -T 300 " + test::epfl(row.name) + " " + aig));
  std::printf("cec %s: %.1f s\n", row.name,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_NE(a.out.find("Networks are equivalent"), std::string::npos) << a.out;
  EXPECT_EQ(a.out.find("NOT EQUIVALENT"), std::string::npos) << a.out;
}

std::string epfl_name(const ::testing::TestParamInfo<EpflRow>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(All, BalanceEpfl, ::testing::ValuesIn(kEpfl), epfl_name);

}  // namespace
}  // namespace rnncc::compiler::passes
