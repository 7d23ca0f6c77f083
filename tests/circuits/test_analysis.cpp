// Measures on hand-built circuits: every level under both conventions, depth, mul_depth, size,
// by_kind, the levels histogram, widths, average parallelism, the critical path and fan-out,
// all against values worked out by hand. A 10^7-deep chain proves that measuring and the .rc
// reader and writer are iterative.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/gate.hpp"
#include "circuits/io/rc.hpp"

namespace rnncc::circuits {
namespace {

std::size_t kind(const Measures& m, Op op) {
  return m.by_kind[static_cast<std::size_t>(op)];
}

bool is_operand(const Circuit& c, GateId u, GateId v) {
  int k = arity(c.op(v));
  return (k >= 1 && c.a(v) == u) || (k == 2 && c.b(v) == u);
}

// A critical path is a chain of operand -> consumer edges from a level-0 source to an output of
// maximal level, along which the level goes up exactly as the convention says (so it is a
// longest path).
void expect_valid_critical_path(const Circuit& c, const Measures& m, bool not_free) {
  const std::vector<GateId>& p = m.critical_path;
  ASSERT_FALSE(p.empty());
  const std::vector<std::uint32_t> level = gate_levels(c, not_free);
  EXPECT_TRUE(is_source(c.op(p.front()))) << "path starts at gate " << p.front();
  EXPECT_EQ(level[p.front()], 0u);
  for (std::size_t i = 1; i < p.size(); ++i) {
    ASSERT_TRUE(is_operand(c, p[i - 1], p[i])) << p[i - 1] << " is not an operand of " << p[i];
    std::uint32_t step = (not_free && is_free_when_not_free(c.op(p[i]))) ? 0u : 1u;
    EXPECT_EQ(level[p[i]], level[p[i - 1]] + step) << "at gate " << p[i];
  }
  EXPECT_EQ(level[p.back()], m.depth);
  bool is_output = false;
  for (const Output& o : c.outputs()) is_output |= o.gate == p.back();
  EXPECT_TRUE(is_output) << "path ends at gate " << p.back() << ", not an output";
  if (!not_free) {
    EXPECT_EQ(p.size(), static_cast<std::size_t>(m.depth) + 1);
  }
}

// The mixed circuit: ids, kinds, levels (default / not-free), mul levels.
//   0 x  input                     0 / 0
//   1 y  input                     0 / 0
//   2 z  input                     0 / 0
//   3 w  input (dead)              0 / 0
//   4 c  const -3/4                0 / 0
//   5 k  const 5 (dead)            0 / 0
//   6 n  not x                     1 / 0    mul 0
//   7 a  and n y                   2 / 1    mul 1
//   8 m  mul a c                   3 / 2    mul 2
//   9 s  add x y                   1 / 1    mul 0
//  10 b  buf s                     2 / 1    mul 0
//  11 t  tanh b                    3 / 2    mul 0
//  12 p  add m t                   4 / 3    mul 2
//  13 q  sub p z                   5 / 4    mul 2
//  14 r  relu x (dead)             1 / 1    mul 0
//  15 d  mul r k (dead)            2 / 2    mul 1
//  16 e  not d (dead)              3 / 2    mul 1
// outputs: "y[1]" = q, "aux" = s, "c" = c
Circuit mixed() {
  Builder b;
  GateId x = b.input("x"), y = b.input("y"), z = b.input("z");
  b.input("w");
  mpq_class c34(-3, 4);
  GateId c = b.constant(c34);
  GateId k = b.constant(5);
  GateId n = b.not_(x);
  GateId a = b.and_(n, y);
  GateId m = b.mul(a, c);
  GateId s = b.add(x, y);
  GateId bf = b.make(Op::Buf, s);
  GateId t = b.make(Op::Tanh, bf);
  GateId p = b.add(m, t);
  GateId q = b.sub(p, z);
  GateId r = b.make(Op::Relu, x);
  GateId d = b.mul(r, k);
  GateId e = b.not_(d);
  EXPECT_EQ(q, 13u);
  EXPECT_EQ(e, 16u);
  b.output("y[1]", q);
  b.output("aux", s);
  b.output("c", c);
  return b.finish();
}

TEST(Analysis, MixedCircuitLevelsDefault) {
  Circuit c = mixed();
  ASSERT_EQ(c.num_gates(), 17u);
  EXPECT_EQ(gate_levels(c, false),
            (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2, 3, 4, 5, 1, 2, 3}));
}

TEST(Analysis, MixedCircuitLevelsNotFree) {
  Circuit c = mixed();
  EXPECT_EQ(gate_levels(c, true),
            (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 2, 3, 4, 1, 2, 2}));
}

TEST(Analysis, MixedCircuitLiveness) {
  Circuit c = mixed();
  EXPECT_EQ(live_gates(c),
            (std::vector<std::uint8_t>{1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}));
}

TEST(Analysis, MixedCircuitMeasuresDefault) {
  Circuit c = mixed();
  Measures m = measure(c);
  EXPECT_EQ(m.inputs, 4u);  // all declared inputs, w included
  EXPECT_EQ(m.outputs, 3u);
  EXPECT_EQ(m.depth, 5u);
  EXPECT_EQ(m.mul_depth, 2u);
  EXPECT_EQ(m.size, 8u);  // n a m s b t p q
  EXPECT_EQ(kind(m, Op::Input), 3u);
  EXPECT_EQ(kind(m, Op::Const), 1u);
  EXPECT_EQ(kind(m, Op::Not), 1u);  // the dead `not d` is not counted
  EXPECT_EQ(kind(m, Op::And), 1u);
  EXPECT_EQ(kind(m, Op::Mul), 1u);  // the dead `mul r k` is not counted
  EXPECT_EQ(kind(m, Op::Add), 2u);
  EXPECT_EQ(kind(m, Op::Buf), 1u);
  EXPECT_EQ(kind(m, Op::Tanh), 1u);
  EXPECT_EQ(kind(m, Op::Sub), 1u);
  EXPECT_EQ(kind(m, Op::Relu), 0u);
  for (Op op : {Op::Neg, Op::Or, Op::Xor, Op::Sigmoid, Op::Sign, Op::Step})
    EXPECT_EQ(kind(m, op), 0u) << mnemonic(op);
  // level 0: x y z c; 1: n s; 2: a b; 3: m t; 4: p; 5: q
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{4, 2, 2, 2, 1, 1}));
  // widths 2 2 2 1 1: min 1, max 2, median of [1 1 2 2 2] = 2
  EXPECT_EQ(m.width_min, 1u);
  EXPECT_EQ(m.width_max, 2u);
  EXPECT_EQ(m.width_median, 2u);
  EXPECT_DOUBLE_EQ(m.average_parallelism, 8.0 / 5.0);
  // Fan-out from live readers: x 2 (n, s; relu is dead), y 2 (a, s), and 1 for z c n a m s b
  // t p; q is read by nobody (outputs are not readers).
  EXPECT_EQ(m.fanout_max, 2u);
  EXPECT_EQ(m.fanout_max_gate, 0u);  // x: the first gate with the largest fan-out
  EXPECT_DOUBLE_EQ(m.fanout_mean, 13.0 / 11.0);
  // q <- p <- (m or t, both level 3) <- ...: 6 gates, ending at q.
  ASSERT_EQ(m.critical_path.size(), 6u);
  EXPECT_EQ(m.critical_path.back(), 13u);
  EXPECT_EQ(m.critical_path[4], 12u);
  expect_valid_critical_path(c, m, false);
}

TEST(Analysis, MixedCircuitMeasuresNotFree) {
  Circuit c = mixed();
  MeasureParams params;
  params.not_free = true;
  Measures m = measure(c, params);
  EXPECT_EQ(m.depth, 4u);
  EXPECT_EQ(m.mul_depth, 2u);  // mul_depth does not depend on the convention
  EXPECT_EQ(m.size, 8u);       // not and buf are still counted
  EXPECT_EQ(kind(m, Op::Not), 1u);
  EXPECT_EQ(kind(m, Op::Buf), 1u);
  // level 0: x y z c n; 1: a s b; 2: m t; 3: p; 4: q
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{5, 3, 2, 1, 1}));
  // widths 3 2 1 1: min 1, max 3, lower median of [1 1 2 3] = 1
  EXPECT_EQ(m.width_min, 1u);
  EXPECT_EQ(m.width_max, 3u);
  EXPECT_EQ(m.width_median, 1u);
  EXPECT_DOUBLE_EQ(m.average_parallelism, 8.0 / 4.0);
  EXPECT_EQ(m.fanout_max, 2u);
  EXPECT_DOUBLE_EQ(m.fanout_mean, 13.0 / 11.0);
  expect_valid_critical_path(c, m, true);
  EXPECT_EQ(m.critical_path.back(), 13u);
}

TEST(Analysis, CriticalPathCanBeSkipped) {
  Circuit c = mixed();
  MeasureParams params;
  params.critical_path = false;
  Measures m = measure(c, params);
  EXPECT_TRUE(m.critical_path.empty());
  EXPECT_EQ(m.depth, 5u);
}

// not/buf chains: under --not-free they cost nothing, otherwise one level each.
//   0 x, 1 y, 2 n1 = not x, 3 b = buf n1, 4 n2 = not b, 5 g = and n2 y, 6 n3 = not g
TEST(Analysis, NotFreeMakesNotAndBufFree) {
  Builder bld;
  GateId x = bld.input("x"), y = bld.input("y");
  GateId n1 = bld.not_(x);
  GateId bf = bld.make(Op::Buf, n1);
  GateId n2 = bld.not_(bf);
  GateId g = bld.and_(n2, y);
  GateId n3 = bld.not_(g);
  ASSERT_EQ(n3, 6u);
  bld.output("o", n3);
  Circuit c = bld.finish();

  EXPECT_EQ(gate_levels(c, false), (std::vector<std::uint32_t>{0, 0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gate_levels(c, true), (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 1, 1}));

  Measures d = measure(c);
  EXPECT_EQ(d.depth, 5u);
  EXPECT_EQ(d.mul_depth, 1u);
  EXPECT_EQ(d.size, 5u);
  EXPECT_EQ(kind(d, Op::Not), 3u);
  EXPECT_EQ(kind(d, Op::Buf), 1u);
  EXPECT_EQ(d.levels, (std::vector<std::size_t>{2, 1, 1, 1, 1, 1}));
  EXPECT_EQ(d.width_min, 1u);
  EXPECT_EQ(d.width_median, 1u);
  EXPECT_EQ(d.width_max, 1u);
  EXPECT_DOUBLE_EQ(d.average_parallelism, 1.0);
  // The unique longest path: x n1 b n2 g n3.
  EXPECT_EQ(d.critical_path, (std::vector<GateId>{0, 2, 3, 4, 5, 6}));
  expect_valid_critical_path(c, d, false);

  MeasureParams nf;
  nf.not_free = true;
  Measures f = measure(c, nf);
  EXPECT_EQ(f.depth, 1u);
  EXPECT_EQ(f.mul_depth, 1u);
  EXPECT_EQ(f.size, 5u);
  EXPECT_EQ(f.levels, (std::vector<std::size_t>{5, 2}));
  EXPECT_EQ(f.width_min, 2u);
  EXPECT_EQ(f.width_median, 2u);
  EXPECT_EQ(f.width_max, 2u);
  EXPECT_DOUBLE_EQ(f.average_parallelism, 5.0);
  expect_valid_critical_path(c, f, true);
  EXPECT_EQ(f.critical_path.back(), 6u);
  EXPECT_EQ(f.critical_path[f.critical_path.size() - 2], 5u);
}

// Only mul and and add to mul_depth; or, xor, add, sub, nonlinear kinds do not.
//   0 x, 1 y, 2 m1 = mul x y, 3 s = sub m1 x, 4 m2 = mul s s, 5 o = or x y, 6 a = and o y,
//   7 xo = xor a m2, 8 sg = sigmoid xo, 9 st = step sg, 10 m3 = mul st m2
TEST(Analysis, MulDepthCountsOnlyMulAndAnd) {
  Builder bld;
  GateId x = bld.input("x"), y = bld.input("y");
  GateId m1 = bld.mul(x, y);
  GateId s = bld.sub(m1, x);
  GateId m2 = bld.mul(s, s);
  GateId o = bld.or_(x, y);
  GateId a = bld.and_(o, y);
  GateId xo = bld.xor_(a, m2);
  GateId sg = bld.make(Op::Sigmoid, xo);
  GateId st = bld.make(Op::Step, sg);
  GateId m3 = bld.mul(st, m2);
  ASSERT_EQ(m3, 10u);
  bld.output("out", m3);
  bld.output("a", a);
  Circuit c = bld.finish();
  Measures m = measure(c);
  // levels: m1 1, s 2, m2 3, o 1, a 2, xo 4, sg 5, st 6, m3 7
  EXPECT_EQ(gate_levels(c, false), (std::vector<std::uint32_t>{0, 0, 1, 2, 3, 1, 2, 4, 5, 6, 7}));
  EXPECT_EQ(m.depth, 7u);
  // mul levels: m1 1, s 1, m2 2, o 0, a 1, xo 2, sg 2, st 2, m3 3
  EXPECT_EQ(m.mul_depth, 3u);
  EXPECT_EQ(m.size, 9u);
  // fan-out: x 3 (m1, s, o), y 3 (m1, o, a), m2 2 (xo, m3) + s read twice by m2
  EXPECT_EQ(m.fanout_max, 3u);
  EXPECT_EQ(m.fanout_max_gate, 0u);
  // readers: x3 y3 m1 1 s 2 m2 2 o 1 a 1 xo 1 sg 1 st 1 = 16 over 10 gates
  EXPECT_DOUBLE_EQ(m.fanout_mean, 16.0 / 10.0);
  // levels histogram: 0: x y; 1: m1 o; 2: s a; 3: m2; 4: xo; 5: sg; 6: st; 7: m3
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{2, 2, 2, 1, 1, 1, 1, 1}));
  EXPECT_EQ(m.width_min, 1u);
  EXPECT_EQ(m.width_max, 2u);
  EXPECT_EQ(m.width_median, 1u);  // [1 1 1 1 1 2 2]
  EXPECT_EQ(m.critical_path, (std::vector<GateId>{0, 2, 3, 4, 7, 8, 9, 10}));
  expect_valid_critical_path(c, m, false);
}

// mul_depth is the max over outputs, which need not be the deepest output.
TEST(Analysis, MulDepthFromAShallowOutput) {
  Builder bld;
  GateId x = bld.input("x"), y = bld.input("y");
  GateId m = bld.mul(bld.mul(x, y), bld.mul(x, x));  // level 2, mul level 2
  GateId t = x;
  for (int i = 0; i < 5; ++i) t = bld.make(Op::Tanh, t);  // level 5, mul level 0
  bld.output("deep", t);
  bld.output("muls", m);
  Measures ms = measure(bld.finish());
  EXPECT_EQ(ms.depth, 5u);
  EXPECT_EQ(ms.mul_depth, 2u);
  EXPECT_EQ(ms.critical_path.size(), 6u);
  EXPECT_EQ(ms.levels, (std::vector<std::size_t>{2, 3, 2, 1, 1, 1}));
  EXPECT_EQ(ms.width_median, 1u);  // [3 2 1 1 1] sorted [1 1 1 2 3]
}

// Widths: an odd number of levels takes the middle; an even one the lower of the two middles.
TEST(Analysis, WidthMedianIsTheLowerMedian) {
  // A tree of 8 inputs summed pairwise: level widths 4 2 1 (odd: median 2).
  Builder bld;
  std::vector<GateId> v;
  for (int i = 0; i < 8; ++i) v.push_back(bld.input("x" + std::to_string(i)));
  while (v.size() > 1) {
    std::vector<GateId> next;
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) next.push_back(bld.add(v[i], v[i + 1]));
    v = next;
  }
  GateId top = v[0];
  bld.output("sum", top);
  Builder copy(bld.circuit());
  Circuit tree = bld.finish();
  Measures m = measure(tree);
  EXPECT_EQ(m.depth, 3u);
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{8, 4, 2, 1}));
  EXPECT_EQ(m.width_min, 1u);
  EXPECT_EQ(m.width_median, 2u);
  EXPECT_EQ(m.width_max, 4u);
  EXPECT_DOUBLE_EQ(m.average_parallelism, 7.0 / 3.0);
  EXPECT_EQ(m.fanout_max, 1u);
  EXPECT_DOUBLE_EQ(m.fanout_mean, 1.0);
  expect_valid_critical_path(tree, m, false);

  // One more gate on top: widths 4 2 1 1 (even: lower median of [1 1 2 4] = 1).
  GateId top2 = copy.make(Op::Relu, top);
  copy.output("relu", top2);
  Measures m2 = measure(copy.finish());
  EXPECT_EQ(m2.depth, 4u);
  EXPECT_EQ(m2.levels, (std::vector<std::size_t>{8, 4, 2, 1, 1}));
  EXPECT_EQ(m2.width_median, 1u);
  EXPECT_EQ(m2.width_max, 4u);
  EXPECT_EQ(m2.size, 8u);
  EXPECT_EQ(m2.fanout_max, 1u);  // the sum is read once (by relu); outputs are not readers
}

TEST(Analysis, DeadGatesAreNotCounted) {
  Builder bld;
  GateId x = bld.input("x"), y = bld.input("y");
  GateId live = bld.add(x, y);
  // A dead cone deeper than the live part: it must change no measure.
  GateId d = x;
  for (int i = 0; i < 10; ++i) d = bld.mul(d, y);
  GateId dead_const = bld.constant(mpq_class(7, 3));
  bld.add(d, dead_const);
  bld.input("unused");
  bld.output("o", live);
  Circuit c = bld.finish();
  Measures m = measure(c);
  EXPECT_EQ(m.inputs, 3u);
  EXPECT_EQ(m.size, 1u);
  EXPECT_EQ(m.depth, 1u);
  EXPECT_EQ(m.mul_depth, 0u);
  EXPECT_EQ(kind(m, Op::Mul), 0u);
  EXPECT_EQ(kind(m, Op::Add), 1u);
  EXPECT_EQ(kind(m, Op::Input), 2u);
  EXPECT_EQ(kind(m, Op::Const), 0u);
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{2, 1}));
  EXPECT_EQ(m.fanout_max, 1u);  // y is read by 10 dead muls, which do not count
  EXPECT_DOUBLE_EQ(m.fanout_mean, 1.0);
  EXPECT_EQ(m.critical_path, (std::vector<GateId>{0, 2}));
  // gate_levels covers dead gates too: the dead chain reaches level 11.
  std::vector<std::uint32_t> lv = gate_levels(c, false);
  EXPECT_EQ(lv[d], 10u);
  EXPECT_EQ(lv.back(), 0u);  // the unused input
  EXPECT_EQ(lv[lv.size() - 2], 11u);
}

TEST(Analysis, NoOutputs) {
  Builder bld;
  GateId x = bld.input("x");
  bld.neg(x);
  Measures m = measure(bld.finish());
  EXPECT_EQ(m.inputs, 1u);
  EXPECT_EQ(m.outputs, 0u);
  EXPECT_EQ(m.size, 0u);
  EXPECT_EQ(m.depth, 0u);
  EXPECT_EQ(m.mul_depth, 0u);
  EXPECT_EQ(m.levels, std::vector<std::size_t>{0});
  EXPECT_EQ(m.width_max, 0u);
  EXPECT_EQ(m.average_parallelism, 0.0);
  EXPECT_TRUE(m.critical_path.empty());
  EXPECT_EQ(m.fanout_max, 0u);
  EXPECT_EQ(m.fanout_max_gate, kNoGate);
  EXPECT_EQ(m.fanout_mean, 0.0);
}

TEST(Analysis, OutputsNamingSources) {
  Builder bld;
  GateId x = bld.input("x");
  GateId c = bld.constant(mpq_class(-3, 4));
  bld.input("dead");
  bld.output("copy", x);
  bld.output("k", c);
  Circuit circ = bld.finish();
  Measures m = measure(circ);
  EXPECT_EQ(m.size, 0u);
  EXPECT_EQ(m.depth, 0u);
  EXPECT_EQ(m.levels, std::vector<std::size_t>{2});
  EXPECT_EQ(kind(m, Op::Input), 1u);
  EXPECT_EQ(kind(m, Op::Const), 1u);
  EXPECT_EQ(m.width_min, 0u);
  EXPECT_EQ(m.width_median, 0u);
  EXPECT_EQ(m.width_max, 0u);
  EXPECT_EQ(m.average_parallelism, 0.0);
  EXPECT_EQ(m.critical_path, std::vector<GateId>{x});  // the first output of level 0
  EXPECT_EQ(gate_label(circ, x), "x");
  EXPECT_EQ(gate_label(circ, c), "k");
  EXPECT_EQ(gate_label(circ, 2), "dead");
}

TEST(Analysis, GateLabels) {
  Circuit c = mixed();
  EXPECT_EQ(gate_label(c, 0), "x");
  EXPECT_EQ(gate_label(c, 13), "y[1]");
  EXPECT_EQ(gate_label(c, 9), "aux");
  EXPECT_EQ(gate_label(c, 4), "c");
  EXPECT_EQ(gate_label(c, 12), "g12");
}

TEST(Analysis, DeepestOutputIsTheFirstOfMaximalLevel) {
  Builder bld;
  GateId x = bld.input("x"), y = bld.input("y");
  GateId a = bld.make(Op::Tanh, bld.make(Op::Tanh, x));   // level 2
  GateId b2 = bld.make(Op::Relu, bld.make(Op::Relu, y));  // level 2
  GateId s = bld.make(Op::Sign, x);                       // level 1
  bld.output("s", s);
  bld.output("b", b2);
  bld.output("a", a);
  Measures m = measure(bld.finish());
  EXPECT_EQ(m.depth, 2u);
  EXPECT_EQ(m.critical_path, (std::vector<GateId>{y, b2 - 1, b2}));
}

// A chain 10^7 gates deep: measure, write, read and measure again without recursion (a
// recursive walk would overflow the stack long before this depth).
//   inputs x0..x3 are gates 0..3; gate 3+i (i = 1..N) is g_i = g_{i-1} op x[i % 4] with
//   g_0 = x0 and op = add for odd i, mul for even i.
TEST(AnalysisDeep, TenMillionDeepChainRoundTrip) {
#if defined(__SANITIZE_ADDRESS__)  // a tenth under AddressSanitizer (-O0 and shadow memory: minutes)
  constexpr std::uint32_t kN = 1'000'000;
#else
  constexpr std::uint32_t kN = 10'000'000;
#endif
  Builder bld;
  bld.reserve(kN + 4);
  GateId x[4];
  for (int i = 0; i < 4; ++i) x[i] = bld.input("x" + std::to_string(i));
  GateId g = x[0];
  for (std::uint32_t i = 1; i <= kN; ++i) g = (i % 2) ? bld.add(g, x[i % 4]) : bld.mul(g, x[i % 4]);
  ASSERT_EQ(g, kN + 3);
  bld.output("y", g);
  bld.output("x2", x[2]);
  Circuit c = bld.finish();
  ASSERT_EQ(c.num_gates(), kN + 4u);

  Measures m = measure(c);
  EXPECT_EQ(m.depth, kN);
  EXPECT_EQ(m.mul_depth, kN / 2);
  EXPECT_EQ(m.size, kN);
  EXPECT_EQ(kind(m, Op::Add), kN / 2);
  EXPECT_EQ(kind(m, Op::Mul), kN / 2);
  ASSERT_EQ(m.levels.size(), kN + 1u);
  EXPECT_EQ(m.levels[0], 4u);
  EXPECT_EQ(std::count(m.levels.begin() + 1, m.levels.end(), std::size_t{1}),
            static_cast<std::ptrdiff_t>(kN));
  EXPECT_EQ(m.width_min, 1u);
  EXPECT_EQ(m.width_median, 1u);
  EXPECT_EQ(m.width_max, 1u);
  EXPECT_DOUBLE_EQ(m.average_parallelism, 1.0);
  // x0 starts the chain and is read by every i = 0 mod 4: N/4 + 1 readers.
  EXPECT_EQ(m.fanout_max, kN / 4 + 1);
  EXPECT_EQ(m.fanout_max_gate, x[0]);
  // 2N operand reads over 4 inputs + N - 1 chain gates.
  EXPECT_DOUBLE_EQ(m.fanout_mean, 2.0 * kN / (kN + 3.0));
  ASSERT_EQ(m.critical_path.size(), kN + 1u);
  EXPECT_EQ(m.critical_path.front(), x[0]);
  for (std::uint32_t i = 1; i <= kN; ++i) ASSERT_EQ(m.critical_path[i], i + 3);

  std::string text = io::write_rc(c);
  // Spot-check the text by hand (commutative operands are written in ascending order).
  EXPECT_EQ(text.substr(0, 99),
            "rnncc 1\n0 = input x0\n1 = input x1\n2 = input x2\n3 = input x3\n4 = add 0 1\n"
            "5 = mul 2 4\n6 = add 3 5\n7 =");
  EXPECT_NE(text.find("\n7 = mul 0 6\n"), std::string::npos);
  const std::string tail = "\n" + std::to_string(kN + 3) + " = mul 0 " + std::to_string(kN + 2) + "\noutput y = " +
                           std::to_string(kN + 3) + "\noutput x2 = 2\n";
  ASSERT_GE(text.size(), tail.size());
  EXPECT_EQ(text.substr(text.size() - tail.size()), tail);

  Circuit back = io::read_rc(text, "chain.rc");
  EXPECT_EQ(back.name, "chain");
  ASSERT_EQ(back.num_gates(), c.num_gates());
  EXPECT_TRUE(back.ops() == c.ops());
  EXPECT_TRUE(back.as() == c.as());
  EXPECT_TRUE(back.bs() == c.bs());
  ASSERT_EQ(back.outputs().size(), 2u);
  EXPECT_EQ(back.outputs()[0].name, "y");
  EXPECT_EQ(back.outputs()[0].gate, kN + 3);
  EXPECT_EQ(back.outputs()[1].name, "x2");
  EXPECT_EQ(back.outputs()[1].gate, 2u);

  MeasureParams nf;
  nf.not_free = true;
  nf.critical_path = false;
  Measures mb = measure(back, nf);  // no not/buf: the same figures under either convention
  EXPECT_EQ(mb.depth, kN);
  EXPECT_EQ(mb.mul_depth, kN / 2);
  EXPECT_EQ(mb.size, kN);
}

}  // namespace
}  // namespace rnncc::circuits
