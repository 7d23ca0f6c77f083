// The normal forms: the Builder's raw mode, the validators (circuits/normal_form.hpp), the nc1
// pass (random boolean circuits and the 20 EPFL AIGs: validator, random simulation against
// tests/bool_reference.hpp, ABC's cec, the depth bound) and the pnc1 pass (random integer
// circuits with large constants against a small GMP evaluator written here, the constant depth
// formula), their refusals, and the command line.
#include <gtest/gtest.h>

#include <gmpxx.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/format.hpp"
#include "circuits/normal_form.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Builder;
using circuits::Circuit;
using circuits::GateId;
using circuits::Op;
using test::quote;

PassResult run_pass(const std::string& script, const Circuit& c) {
  const Script s = parse_script(script);
  return s.at(0).pass->run(c, s[0].args);
}

std::int64_t counter(const PassResult& r, const std::string& name) {
  for (const Counter& k : r.counters)
    if (k.name == name) return std::get<std::int64_t>(k.value);
  ADD_FAILURE() << "no counter " << name;
  return -1;
}

std::size_t count_kind(const Circuit& c, Op op) {
  std::size_t n = 0;
  for (GateId g = 0; g < c.num_gates(); ++g) n += c.op(g) == op;
  return n;
}

// ---- Builder raw mode ----

TEST(BuilderRawMode, KeepsGatesAsWrittenAndStillHashConses) {
  Builder b;
  b.set_folding(false);
  EXPECT_FALSE(b.folding());
  const GateId x = b.input("x"), y = b.input("y");
  const GateId zero = b.constant(0), one = b.constant(1), m1 = b.constant(-1);
  const GateId two = b.add(one, one);
  EXPECT_EQ(b.circuit().op(two), Op::Add);
  EXPECT_EQ(b.circuit().op(b.mul(x, m1)), Op::Mul);
  EXPECT_EQ(b.circuit().op(b.sub(zero, x)), Op::Sub);
  EXPECT_EQ(b.circuit().op(b.and_(x, one)), Op::And);
  EXPECT_EQ(b.circuit().op(b.and_(x, x)), Op::And);
  EXPECT_EQ(b.circuit().op(b.xor_(x, one)), Op::Xor);
  const GateId nx = b.not_(x);
  EXPECT_EQ(b.circuit().op(b.not_(nx)), Op::Not);
  EXPECT_EQ(b.circuit().op(b.and_(x, nx)), Op::And);
  EXPECT_EQ(b.circuit().op(b.mul(zero, y)), Op::Mul);
  // Hash-consing is kept, commutative operands ordered.
  EXPECT_EQ(b.add(one, one), two);
  EXPECT_EQ(b.add(x, y), b.add(y, x));
  EXPECT_EQ(b.constant(1), one);
  const std::size_t n = b.num_gates();
  b.set_folding(true);  // and folding comes back for later gates
  EXPECT_EQ(b.circuit().op(b.add(one, one)), Op::Const);  // folds first, although the raw add exists
  EXPECT_EQ(b.circuit().op(b.add(two, one)), Op::Add);    // `two` is a gate, not a constant
  EXPECT_EQ(b.mul(y, one), y);
  EXPECT_EQ(b.circuit().op(b.mul(y, m1)), Op::Neg);
  EXPECT_GT(b.num_gates(), n);
}

TEST(BuilderRawMode, RebuildWithFoldingOffCopiesGatesAsTheyAre) {
  Builder b;
  b.set_folding(false);
  const GateId x = b.input("x");
  const GateId one = b.constant(1);
  b.output("two", b.add(one, one));
  b.output("x1", b.mul(x, one));
  const Circuit c = b.finish();
  auto copy_all = [&](circuits::Rebuild::Folding f) {
    circuits::Rebuild r(c, f);
    for (GateId g = 0; g < c.num_gates(); ++g) r.copy(g);
    return r.finish();
  };
  const Circuit raw = copy_all(circuits::Rebuild::Folding::Off);
  EXPECT_EQ(raw.num_gates(), c.num_gates());
  EXPECT_EQ(raw.op(raw.outputs()[0].gate), Op::Add);
  EXPECT_EQ(raw.op(raw.outputs()[1].gate), Op::Mul);
  const Circuit folded = copy_all(circuits::Rebuild::Folding::On);
  EXPECT_EQ(folded.op(folded.outputs()[0].gate), Op::Const);
  EXPECT_EQ(folded.outputs()[1].gate, folded.inputs()[0]);
}

// ---- validators ----

TEST(NormalFormValidators, NameTheGateAndCapTheList) {
  Builder b;
  b.set_folding(false);
  const GateId x = b.input("x"), y = b.input("y");
  const GateId a = b.and_(x, y);
  const GateId na = b.not_(a);
  b.output("o", b.or_(na, b.xor_(x, y)));
  b.output("c", b.constant(2));
  const Circuit c = b.finish();
  const std::vector<std::string> v = circuits::nc1_violations(c);
  ASSERT_EQ(v.size(), 3u) << circuits::join_violations(v);
  EXPECT_NE(v[0].find("not of a and gate"), std::string::npos) << v[0];
  EXPECT_NE(v[1].find("xor is not allowed"), std::string::npos) << v[1];
  EXPECT_NE(v[2].find("constant 2"), std::string::npos) << v[2];
  EXPECT_EQ(v[0].rfind("gate g", 0), 0u);

  Builder many;
  GateId g = many.input("x");
  for (int i = 0; i < 30; ++i) g = many.make(Op::Buf, g);
  many.output("o", g);
  const std::vector<std::string> w = circuits::nc1_violations(many.finish());
  ASSERT_EQ(w.size(), circuits::kMaxViolationsListed + 1);
  EXPECT_EQ(w.back(), "... and 10 more");
}

TEST(NormalFormValidators, Pnc1StepOnlyBeforeOutputs) {
  Builder b;
  b.set_folding(false);
  const GateId x = b.input("x");
  const GateId s = b.make(Op::Step, x);
  b.output("ok", s);
  EXPECT_TRUE(circuits::pnc1_violations(b.circuit()).empty());
  b.output("bad", b.add(s, x));
  b.output("twice", b.make(Op::Step, s));
  b.output("neg", b.neg(x));
  b.output("big", b.constant(5));
  const std::vector<std::string> v = circuits::pnc1_violations(b.finish());
  ASSERT_EQ(v.size(), 4u) << circuits::join_violations(v);
  EXPECT_NE(v[0].find("reads a step gate"), std::string::npos) << v[0];
  EXPECT_NE(v[1].find("at most one step per output"), std::string::npos) << v[1];
  EXPECT_NE(v[2].find("neg is not allowed"), std::string::npos) << v[2];
  EXPECT_NE(v[3].find("constant 5"), std::string::npos) << v[3];
}

// ---- nc1 ----

// Random and/or/xor/not (and a few buf and constants) over `inputs` inputs. In raw mode the
// builder keeps double negations, x & 1, x ^ 1 and x & x, which nc1 must handle too.
Circuit random_boolean(std::uint32_t seed, int inputs, int gates, int outputs, bool raw) {
  std::mt19937 rng(seed);
  Builder b;
  b.set_folding(!raw);
  std::vector<GateId> pool;
  for (int i = 0; i < inputs; ++i) pool.push_back(b.input("x" + std::to_string(i)));
  pool.push_back(b.constant(0));
  pool.push_back(b.constant(1));
  const Op kinds[] = {Op::And, Op::Or, Op::Xor, Op::Not, Op::And, Op::Or, Op::Xor, Op::Not, Op::Buf};
  for (int k = 0; k < gates; ++k) {
    const Op op = kinds[rng() % std::size(kinds)];
    auto pick = [&] {
      const std::size_t n = pool.size();
      return pool[rng() % 2 ? n - 1 - rng() % std::min<std::size_t>(n, 8) : rng() % n];
    };
    const GateId x = pick();
    pool.push_back(circuits::arity(op) == 1 ? b.make(op, x) : b.make(op, x, pick()));
  }
  for (int o = 0; o < outputs; ++o) b.output("y" + std::to_string(o), pool[pool.size() - 1 - 7 * o]);
  Circuit c = b.finish();
  c.name = "random" + std::to_string(seed);
  return c;
}

// The depth of `c` with and/or one level, xor two, not and buf free: nc1's bound.
std::uint32_t xor2_depth(const Circuit& c) {
  std::vector<std::uint32_t> level(c.num_gates(), 0);
  std::uint32_t d = 0;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    if (circuits::is_source(op)) continue;
    std::uint32_t l = level[c.a(g)];
    if (circuits::arity(op) == 2) l = std::max(l, level[c.b(g)]);
    level[g] = l + (op == Op::Xor ? 2 : op == Op::And || op == Op::Or ? 1 : 0);
  }
  for (const circuits::Output& o : c.outputs()) d = std::max(d, level[o.gate]);
  return d;
}

void expect_same_function(const Circuit& a, const Circuit& b, std::uint32_t seed, int rounds) {
  ASSERT_EQ(a.inputs().size(), b.inputs().size());
  ASSERT_EQ(a.outputs().size(), b.outputs().size());
  for (std::size_t i = 0; i < a.outputs().size(); ++i) EXPECT_EQ(a.outputs()[i].name, b.outputs()[i].name);
  for (std::size_t i = 0; i < a.inputs().size(); ++i) EXPECT_EQ(a.input_name(i), b.input_name(i));
  std::mt19937_64 rng(seed);
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::uint64_t> in(a.inputs().size());
    for (auto& w : in) w = rng();
    ASSERT_EQ(test::eval_bool_words(a, in), test::eval_bool_words(b, in)) << "round " << r;
  }
}

// Checks nc1's result on `c` (validator, not only on inputs, function, counters, depth bound)
// and returns it.
Circuit checked_nc1(const Circuit& c, int rounds) {
  const PassResult r = run_pass("nc1", c);
  EXPECT_TRUE(r.refusal.empty()) << r.refusal;
  if (!r.circuit) return c;
  const Circuit& out = *r.circuit;
  EXPECT_TRUE(circuits::nc1_violations(out).empty()) << circuits::join_violations(circuits::nc1_violations(out));
  for (GateId g = 0; g < out.num_gates(); ++g) {
    const Op op = out.op(g);
    EXPECT_TRUE(op == Op::Input || op == Op::Const || op == Op::And || op == Op::Or || op == Op::Not) << g;
    if (op == Op::Not) {
      EXPECT_EQ(out.op(out.a(g)), Op::Input) << "not above a gate at g" << g;
    }
  }
  expect_same_function(c, out, 7, rounds);
  const circuits::Measures free = circuits::measure(out, {.not_free = true});
  const circuits::Measures counted = circuits::measure(out, {.not_free = false});
  EXPECT_EQ(counter(r, "depth_not_free"), static_cast<std::int64_t>(free.depth));
  EXPECT_EQ(counter(r, "depth"), static_cast<std::int64_t>(counted.depth));
  EXPECT_EQ(free.size, counted.size);
  const std::uint32_t bound = xor2_depth(c);
  EXPECT_LE(free.depth, bound);
  EXPECT_LE(counted.depth, bound + 1);  // the negation of an input
  EXPECT_EQ(counter(r, "xors_expanded") > 0, circuits::measure(c).by_kind[static_cast<std::size_t>(Op::Xor)] > 0);
  return out;
}

struct AbcCec {
  bool ran = false, equivalent = false;
  std::string out;
};

// ABC's cec between the AIGER files of `a` and `b`.
AbcCec abc_cec(const Circuit& a, const Circuit& b, const std::string& name) {
  const std::string dir = test::scratch("normal_forms_cec_" + name);
  const std::string fa = dir + "/a.aig", fb = dir + "/b.aig";
  std::ofstream(fa, std::ios::binary) << circuits::io::write_aiger(a, circuits::io::AigerMode::Binary);
  std::ofstream(fb, std::ios::binary) << circuits::io::write_aiger(b, circuits::io::AigerMode::Binary);
  const test::RunResult r = test::run("berkeley-abc -c " + quote("cec " + fa + " " + fb));
  return {r.status == 0, r.out.find("Networks are equivalent") != std::string::npos, r.out};
}

TEST(Nc1, RandomBooleanCircuits) {
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(seed);
    const bool raw = seed % 2 == 0;
    const Circuit c = random_boolean(seed, 6 + static_cast<int>(seed), 300, 6, raw);
    const PassResult r = run_pass("nc1", c);
    const Circuit out = checked_nc1(c, 8);
    EXPECT_GT(counter(r, "xors_expanded"), 0);
    EXPECT_GT(counter(r, "dual_rail_gates"), 0);
  }
}

TEST(Nc1, RandomBooleanCircuitsAgreeWithAbcCec) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE(seed);
    const Circuit c = random_boolean(seed, 10, 300, 6, seed % 2 == 0);
    const Circuit out = checked_nc1(c, 2);
    const AbcCec cec = abc_cec(c, out, "random" + std::to_string(seed));
    ASSERT_TRUE(cec.ran) << cec.out;
    EXPECT_TRUE(cec.equivalent) << cec.out;
  }
}

// Hand-checked: one xor has depth 3 (and of a negated input, then or), nots free: 2.
TEST(Nc1, XorAndNegatedOutputs) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y"), z = b.input("z");
  b.output("x", b.xor_(x, y));
  b.output("nand", b.not_(b.and_(y, z)));
  b.output("nx", b.not_(x));
  const Circuit c = b.finish();
  const PassResult r = run_pass("nc1", c);
  ASSERT_TRUE(r.circuit);
  const Circuit& out = *r.circuit;
  EXPECT_EQ(counter(r, "depth"), 3);
  EXPECT_EQ(counter(r, "depth_not_free"), 2);
  EXPECT_EQ(counter(r, "xors_expanded"), 1);
  EXPECT_EQ(counter(r, "dual_rail_gates"), 0);  // only inputs are needed both ways
  EXPECT_EQ(counter(r, "negated_inputs"), 3);
  // !(y & z) = !y | !z: an or of negated inputs; !x is the not of the input itself.
  EXPECT_EQ(out.op(out.outputs()[1].gate), Op::Or);
  EXPECT_EQ(out.op(out.outputs()[2].gate), Op::Not);
  EXPECT_EQ(count_kind(out, Op::Xor), 0u);
  expect_same_function(c, out, 1, 2);
}

// A gate needed in both polarities: (x & y) is an output and, negated, read by an or.
TEST(Nc1, DualRailOnlyWhereBothPolaritiesAreNeeded) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y"), z = b.input("z");
  const GateId a = b.and_(x, y);
  b.output("a", a);
  b.output("o", b.or_(b.not_(a), z));
  const PassResult r = run_pass("nc1", b.finish());
  ASSERT_TRUE(r.circuit);
  EXPECT_EQ(counter(r, "dual_rail_gates"), 1);
  EXPECT_EQ(count_kind(*r.circuit, Op::And), 1u);  // x & y
  EXPECT_EQ(count_kind(*r.circuit, Op::Or), 2u);   // !x | !y, then | z
}

// A chain of 10^6 nots and xors: loops only, no recursion.
TEST(Nc1, DeepChain) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y");
  GateId g = x;
  for (int i = 0; i < 1000000; ++i) g = i % 3 == 0 ? b.xor_(g, y) : i % 3 == 1 ? b.not_(g) : b.and_(g, x);
  b.output("o", g);
  const Circuit c = b.finish();
  const PassResult r = run_pass("nc1", c);
  ASSERT_TRUE(r.circuit);
  EXPECT_TRUE(circuits::nc1_violations(*r.circuit).empty());
  expect_same_function(c, *r.circuit, 3, 1);
}

constexpr const char* kEpfl[] = {"adder", "arbiter", "bar",      "cavlc",      "ctrl",     "dec",    "div",
                                  "hyp",   "i2c",     "int2float", "log2",      "max",      "mem_ctrl", "multiplier",
                                  "priority", "router", "sin",      "sqrt",      "square",   "voter"};

class Nc1Epfl : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { RNNCC_REQUIRE_EPFL(); }
};

// ABC's cec is cheap here (the strashed result matches the original: De Morgan is free in an
// AIG), so every circuit gets it, hyp (214k ANDs) included.
TEST_P(Nc1Epfl, ValidEquivalentAndNoDeeper) {
  const std::string name = GetParam();
  const Circuit c = circuits::io::load_circuit(test::epfl(name));
  const Circuit out = checked_nc1(c, 4);
  // An AIG has no xor: with not free, nc1 is never deeper than ABC's lev.
  EXPECT_LE(circuits::measure(out, {.not_free = true}).depth, circuits::measure(c, {.not_free = true}).depth);
  if (!test::have_program("berkeley-abc")) GTEST_SKIP() << "berkeley-abc is not installed: cec skipped";
  const AbcCec cec = abc_cec(c, out, name);
  ASSERT_TRUE(cec.ran) << cec.out;
  EXPECT_TRUE(cec.equivalent) << cec.out;
}

INSTANTIATE_TEST_SUITE_P(All, Nc1Epfl, ::testing::ValuesIn(kEpfl),
                         [](const ::testing::TestParamInfo<const char*>& p) { return std::string(p.param); });

// ---- pnc1 ----

// The test's own evaluator over integers: inputs `in`, one value per output.
std::vector<mpz_class> eval_mpz(const Circuit& c, const std::vector<mpz_class>& in) {
  std::vector<mpz_class> v(c.num_gates());
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    const mpz_class& a = circuits::arity(op) >= 1 ? v[c.a(g)] : v[g];
    const mpz_class& b = circuits::arity(op) == 2 ? v[c.b(g)] : v[g];
    switch (op) {
      case Op::Input: v[g] = in[c.a(g)]; break;
      case Op::Const:
        EXPECT_EQ(c.constant(g).get_den(), 1) << g;
        v[g] = c.constant(g).get_num();
        break;
      case Op::Add: v[g] = a + b; break;
      case Op::Sub: v[g] = a - b; break;
      case Op::Mul: v[g] = a * b; break;
      case Op::Neg: v[g] = -a; break;
      case Op::Buf: v[g] = a; break;
      case Op::Step: v[g] = a > 0 ? 1 : 0; break;
      default: ADD_FAILURE() << "not an integer gate: " << circuits::mnemonic(op) << " at g" << g;
    }
  }
  std::vector<mpz_class> out;
  for (const circuits::Output& o : c.outputs()) out.push_back(v[o.gate]);
  return out;
}

// ceil(log2 m) for m >= 1.
std::size_t ceil_log2(const mpz_class& m) {
  const std::size_t bits = mpz_sizeinbase(m.get_mpz_t(), 2);
  return mpz_scan1(m.get_mpz_t(), 0) == bits - 1 ? bits - 1 : bits;  // a power of two
}

// The depth pnc1 promises for the constant c (docs/passes.md): ceil(log2 |c|), one more if c < -1.
std::size_t constant_depth_bound(const mpz_class& c) {
  if (c >= -1 && c <= 1) return 0;
  return ceil_log2(abs(c)) + (c < 0 ? 1 : 0);
}

// Random add/sub/mul/neg/buf over a few inputs and large constants; one operand of every mul is
// an input or a constant, so values stay a few hundred bits. Some outputs are steps.
Circuit random_integer(std::uint32_t seed, int gates) {
  std::mt19937 rng(seed);
  Builder b;
  std::vector<GateId> leaves, pool;
  for (int i = 0; i < 5; ++i) leaves.push_back(b.input("x" + std::to_string(i)));
  const mpz_class two100 = mpz_class(1) << 100;
  const std::vector<mpz_class> constants = {two100 + 3, -77, 5, -1, 2, -(two100 - 1), mpz_class(1) << 64,
                                             mpz_class("12345678901")};
  for (const mpz_class& k : constants) leaves.push_back(b.constant(mpq_class(k)));
  pool = leaves;
  for (int k = 0; k < gates; ++k) {
    auto pick = [&] {
      const std::size_t n = pool.size();
      return pool[rng() % 2 ? n - 1 - rng() % std::min<std::size_t>(n, 6) : rng() % n];
    };
    switch (rng() % 6) {
      case 0: pool.push_back(b.mul(pick(), leaves[rng() % leaves.size()])); break;
      case 1: pool.push_back(b.neg(pick())); break;
      case 2: pool.push_back(b.make(Op::Buf, pick())); break;
      case 3: pool.push_back(b.sub(pick(), pick())); break;
      default: pool.push_back(b.add(pick(), pick()));
    }
  }
  for (int o = 0; o < 8; ++o) {
    const GateId g = pool[pool.size() - 1 - 5 * o];
    b.output("y" + std::to_string(o), o % 3 == 2 ? b.make(Op::Step, g) : g);
  }
  b.output("c", leaves[5]);  // a constant output, built from 1
  return b.finish();
}

TEST(Pnc1, RandomIntegerCircuitsWithLargeConstants) {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(seed);
    const Circuit c = random_integer(seed, 200);
    const PassResult r = run_pass("pnc1", c);
    ASSERT_TRUE(r.circuit) << r.refusal;
    const Circuit& out = *r.circuit;
    EXPECT_TRUE(circuits::pnc1_violations(out).empty()) << circuits::join_violations(circuits::pnc1_violations(out));
    EXPECT_EQ(count_kind(out, Op::Neg), 0u);
    EXPECT_EQ(count_kind(out, Op::Buf), 0u);
    // The counters against the formula over the live constants of the input (the builder
    // folded some products and sums of constants into new ones).
    const std::vector<std::uint8_t> live = circuits::live_gates(c);
    std::size_t bits = 0, depth = 0;
    for (GateId g = 0; g < c.num_gates(); ++g) {
      if (!live[g] || c.op(g) != Op::Const) continue;
      const mpz_class v = c.constant(g).get_num();
      if (v >= -1 && v <= 1) continue;
      bits = std::max(bits, mpz_sizeinbase(v.get_mpz_t(), 2));
      depth = std::max(depth, constant_depth_bound(v));
    }
    EXPECT_GE(bits, 101u);  // the output "c" is 2^100 + 3
    EXPECT_EQ(counter(r, "largest_constant_bits"), static_cast<std::int64_t>(bits));
    EXPECT_EQ(counter(r, "constant_depth"), static_cast<std::int64_t>(depth));
    std::mt19937_64 rng(seed);
    for (int round = 0; round < 20; ++round) {
      std::vector<mpz_class> in(c.inputs().size());
      for (auto& x : in) x = static_cast<long>(rng() % 2001) - 1000;
      if (round == 0) in.assign(in.size(), mpz_class(0));
      ASSERT_EQ(eval_mpz(c, in), eval_mpz(out, in)) << "round " << round;
    }
  }
}

TEST(Pnc1, ConstantsAreBuiltInLogDepth) {
  const mpz_class two100 = mpz_class(1) << 100;
  const std::vector<mpz_class> values = {0,  1,   -1,  2,    -2,    3,          4,          5,   7,
                                         8,  -77, 255, 256,  257,   1000001,    two100,     two100 + 3,
                                         -(two100 + 3), two100 - 1, mpz_class(3) << 200};
  Builder b;
  b.input("x");
  for (std::size_t i = 0; i < values.size(); ++i) b.output("c" + std::to_string(i), b.constant(mpq_class(values[i])));
  const Circuit c = b.finish();
  const PassResult r = run_pass("pnc1", c);
  ASSERT_TRUE(r.circuit) << r.refusal;
  const Circuit& out = *r.circuit;
  EXPECT_TRUE(circuits::pnc1_violations(out).empty());
  const std::vector<mpz_class> got = eval_mpz(out, {mpz_class(0)});
  const std::vector<std::uint32_t> level = circuits::gate_levels(out, false);
  std::size_t deepest = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE(values[i].get_str());
    EXPECT_EQ(got[i], values[i]);
    const std::size_t bound = constant_depth_bound(values[i]);
    EXPECT_EQ(level[out.outputs()[i].gate], bound);
    deepest = std::max(deepest, bound);
  }
  EXPECT_EQ(counter(r, "constants_built"), static_cast<std::int64_t>(values.size() - 3));
  EXPECT_EQ(counter(r, "constant_depth"), static_cast<std::int64_t>(deepest));
  EXPECT_EQ(counter(r, "largest_constant_bits"), 202);
  // Doublings are shared: 2 .. 2^201 once each, plus at most (popcount - 1) sums per constant
  // and one subtraction per negative one; the input and the constants -1, 0, 1 besides.
  std::size_t most = 201 + 4;
  for (const mpz_class& v : values)
    if (abs(v) >= 2) most += mpz_popcount(mpz_class(abs(v)).get_mpz_t()) - 1 + (v < 0 ? 1 : 0);
  EXPECT_LE(out.num_gates(), most);
}

TEST(Pnc1, NegAndBufAndStep) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y");
  b.output("n", b.neg(b.make(Op::Buf, x)));
  b.output("s", b.make(Op::Step, b.sub(x, y)));
  const Circuit c = b.finish();
  const PassResult r = run_pass("pnc1", c);
  ASSERT_TRUE(r.circuit) << r.refusal;
  const Circuit& out = *r.circuit;
  const GateId n = out.outputs()[0].gate;
  EXPECT_EQ(out.op(n), Op::Sub);
  EXPECT_EQ(out.op(out.a(n)), Op::Const);
  EXPECT_EQ(out.op(out.outputs()[1].gate), Op::Step);
  EXPECT_EQ(counter(r, "constants_built"), 0);
  for (long vx : {-3L, 0L, 4L})
    for (long vy : {-1L, 4L, 9L}) EXPECT_EQ(eval_mpz(c, {vx, vy}), eval_mpz(out, {vx, vy}));
}

// ---- refusals ----

TEST(NormalFormRefusals, Nc1RefusesArithmeticAndOtherConstants) {
  Builder b;
  const GateId x = b.input("x"), y = b.input("y");
  b.output("o", b.and_(x, b.add(x, y)));
  PassResult r = run_pass("nc1", b.finish());
  EXPECT_FALSE(r.circuit);
  EXPECT_NE(r.refusal.find("gate g2 is add"), std::string::npos) << r.refusal;

  Builder k;
  k.output("o", k.and_(k.input("x"), k.constant(2)));
  r = run_pass("nc1", k.finish());
  EXPECT_NE(r.refusal.find("constant 2"), std::string::npos) << r.refusal;
}

TEST(NormalFormRefusals, Pnc1RefusesReluHalvesAndInnerSteps) {
  Builder b;
  const GateId x = b.input("x");
  b.output("o", b.add(x, b.make(Op::Relu, x)));
  PassResult r = run_pass("pnc1", b.finish());
  EXPECT_FALSE(r.circuit);
  EXPECT_NE(r.refusal.find("gate g1 is relu"), std::string::npos) << r.refusal;

  Builder h;
  h.output("o", h.mul(h.input("x"), h.constant(mpq_class(1, 2))));
  r = run_pass("pnc1", h.finish());
  EXPECT_FALSE(r.circuit);
  EXPECT_NE(r.refusal.find("constant 1/2, not an integer"), std::string::npos) << r.refusal;

  Builder s;
  const GateId y = s.input("y");
  s.output("o", s.add(s.make(Op::Step, y), y));
  r = run_pass("pnc1", s.finish());
  EXPECT_NE(r.refusal.find("reads the step gate g1"), std::string::npos) << r.refusal;

  Builder bo;
  const GateId z = bo.input("z");
  bo.output("o", bo.or_(z, bo.input("w")));
  r = run_pass("pnc1", bo.finish());
  EXPECT_NE(r.refusal.find("is or"), std::string::npos) << r.refusal;
}

// ---- the command line ----

TEST(NormalFormsCli, ListedAndCompileWritesAiger) {
  test::RunResult r = test::run(test::rnncc_binary() + " passes");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\n  nc1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  pnc1 "), std::string::npos) << r.out;

  const std::string dir = test::scratch("normal_forms_cli");
  const std::string in = test::source_dir() + "/examples/circuits/adder4.aag";
  const std::string out = dir + "/out.aig";
  r = test::run(test::rnncc_binary() + " compile " + quote(in) + " -p nc1 -o " + quote(out));
  ASSERT_EQ(r.status, 0) << r.out;
  const Circuit a = circuits::io::load_circuit(in);
  const Circuit c = circuits::io::load_circuit(out);
  // All 2^8 input patterns at once: bit k of input i is bit i of k, over four 64-bit words.
  for (int w = 0; w < 4; ++w) {
    std::vector<std::uint64_t> pat(a.inputs().size(), 0);
    for (int k = 0; k < 64; ++k)
      for (std::size_t i = 0; i < pat.size(); ++i)
        if (((w * 64 + k) >> i) & 1) pat[i] |= std::uint64_t{1} << k;
    EXPECT_EQ(test::eval_bool_words(a, pat), test::eval_bool_words(c, pat));
  }

  r = test::run(test::rnncc_binary() + " compile " + quote(in) + " -p pnc1 -o " + quote(dir + "/x.rc"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("pnc1 takes integer circuits"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rnncc::compiler
