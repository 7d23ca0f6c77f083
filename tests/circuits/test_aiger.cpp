// AIGER reading and writing (circuits/io/aiger.*), checked against hand-written files with
// hand-computed measures, exhaustive simulation by the suites' boolean reference
// (tests/bool_reference.hpp), and a tiny independent evaluator of ASCII AIGER text.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/name_bytes.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::circuits {
namespace {

using io::AigerMode;

// ---------------------------------------------------------------------------------------------
// Exhaustive simulation. A truth table holds 2^n bits, bit k = value under the assignment where
// input i has the value of bit i of k; 64 assignments per word.

using Table = std::vector<std::uint64_t>;

std::uint64_t input_word(std::size_t i, std::size_t w) {
  static constexpr std::uint64_t kPattern[6] = {0xAAAAAAAAAAAAAAAAull, 0xCCCCCCCCCCCCCCCCull,
                                                0xF0F0F0F0F0F0F0F0ull, 0xFF00FF00FF00FF00ull,
                                                0xFFFF0000FFFF0000ull, 0xFFFFFFFF00000000ull};
  if (i < 6) return kPattern[i];
  return ((w >> (i - 6)) & 1) ? ~0ull : 0ull;
}

std::size_t table_words(std::size_t inputs) {
  return inputs <= 6 ? 1 : std::size_t{1} << (inputs - 6);
}

// Mask of the valid bits of a table of `inputs` inputs (fewer than 64 assignments).
std::uint64_t valid_mask(std::size_t inputs) {
  return inputs >= 6 ? ~0ull : (std::uint64_t{1} << (std::size_t{1} << inputs)) - 1;
}

// One table per output, in output order, by the suites' boolean reference (only boolean kinds
// and 0/1 constants are defined).
std::vector<Table> simulate(const Circuit& c) {
  const std::size_t ni = c.inputs().size();
  EXPECT_LE(ni, 20u) << "too many inputs for exhaustive simulation";
  const std::size_t words = table_words(ni);
  const std::uint64_t mask = valid_mask(ni);
  std::vector<Table> out(c.outputs().size(), Table(words));
  std::vector<std::uint64_t> in(ni);
  for (std::size_t w = 0; w < words; ++w) {
    for (std::size_t i = 0; i < ni; ++i) in[i] = input_word(i, w);
    const std::vector<std::uint64_t> v = test::eval_bool_words(c, in);
    for (std::size_t o = 0; o < c.outputs().size(); ++o) out[o][w] = v[o] & mask;
  }
  return out;
}

// Independent evaluator of ASCII AIGER text (ANDs in any order, evaluated to a fixpoint).
std::vector<Table> simulate_aag(const std::string& text) {
  std::istringstream in(text);
  std::string magic;
  std::uint64_t m = 0, ni = 0, nl = 0, no = 0, na = 0;
  in >> magic >> m >> ni >> nl >> no >> na;
  EXPECT_EQ(magic, "aag");
  EXPECT_EQ(nl, 0u);
  const std::size_t words = table_words(ni);
  const std::uint64_t mask = valid_mask(ni);
  std::vector<std::uint64_t> input_lit(ni), output_lit(no);
  for (auto& x : input_lit) in >> x;
  for (auto& x : output_lit) in >> x;
  struct And {
    std::uint64_t lhs, r0, r1;
  };
  std::vector<And> ands(na);
  for (auto& a : ands) in >> a.lhs >> a.r0 >> a.r1;
  EXPECT_TRUE(in.good()) << "malformed ASCII AIGER";
  std::vector<Table> out(no, Table(words));
  for (std::size_t w = 0; w < words; ++w) {
    std::vector<std::uint64_t> val(m + 1, 0);
    std::vector<bool> known(m + 1, false);
    known[0] = true;
    for (std::size_t i = 0; i < ni; ++i) {
      val[input_lit[i] / 2] = input_word(i, w);
      known[input_lit[i] / 2] = true;
    }
    auto lit = [&](std::uint64_t l) { return (l & 1) ? ~val[l / 2] : val[l / 2]; };
    for (bool progress = true; progress;) {
      progress = false;
      for (const And& a : ands) {
        if (known[a.lhs / 2] || !known[a.r0 / 2] || !known[a.r1 / 2]) continue;
        val[a.lhs / 2] = lit(a.r0) & lit(a.r1);
        known[a.lhs / 2] = progress = true;
      }
    }
    for (std::size_t o = 0; o < no; ++o) {
      EXPECT_TRUE(known[output_lit[o] / 2]) << "output " << o << " undefined";
      out[o][w] = lit(output_lit[o]) & mask;
    }
  }
  return out;
}

// Truth table of a function given per assignment.
template <class F>
Table table_of(std::size_t inputs, F f) {
  Table t(table_words(inputs), 0);
  for (std::uint64_t k = 0; k < (std::uint64_t{1} << inputs); ++k)
    if (f(k)) t[k / 64] |= std::uint64_t{1} << (k % 64);
  return t;
}

bool bit(std::uint64_t k, int i) {
  return (k >> i) & 1;
}

std::size_t count(const Measures& m, Op op) {
  return m.by_kind[static_cast<std::size_t>(op)];
}

std::vector<std::string> input_names(const Circuit& c) {
  std::vector<std::string> r;
  for (std::size_t i = 0; i < c.inputs().size(); ++i) r.push_back(c.input_name(i));
  return r;
}

std::vector<std::string> output_names(const Circuit& c) {
  std::vector<std::string> r;
  for (const Output& o : c.outputs()) r.push_back(o.name);
  return r;
}

Circuit read(const std::string& text, const std::string& path = "t.aag") {
  return io::read_aiger(text, path);
}

// The message of the Error that reading `text` throws ("" if none).
std::string read_error(const std::string& text, const std::string& path) {
  try {
    io::read_aiger(text, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Binary AIGER, encoded here from (rhs0, rhs1) pairs: AND number k defines literal
// 2 * (I + 1 + k), and its deltas are written as 7-bit little-endian varints.
std::string binary_aig(std::uint64_t inputs, const std::vector<std::uint64_t>& outputs,
                       const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ands,
                       const std::string& tail = "") {
  std::string s = "aig " + std::to_string(inputs + ands.size()) + " " + std::to_string(inputs) +
                  " 0 " + std::to_string(outputs.size()) + " " + std::to_string(ands.size()) + "\n";
  for (std::uint64_t o : outputs) s += std::to_string(o) + "\n";
  auto varint = [&](std::uint64_t x) {
    while (x >= 0x80) {
      s.push_back(static_cast<char>((x & 0x7f) | 0x80));
      x >>= 7;
    }
    s.push_back(static_cast<char>(x));
  };
  for (std::size_t k = 0; k < ands.size(); ++k) {
    std::uint64_t lhs = 2 * (inputs + 1 + k);
    auto [r0, r1] = ands[k];
    EXPECT_TRUE(lhs > r0 && r0 >= r1) << "test bug: binary AND out of order";
    varint(lhs - r0);
    varint(r0 - r1);
  }
  return s + tail;
}

// ---------------------------------------------------------------------------------------------
// Reading ASCII AIGER.

TEST(AigerRead, AsciiInputsAndComplementedOutputs) {
  // v3 = a & !b; outputs v3 and !v3.
  Circuit c = read("aag 3 2 0 2 1\n2\n4\n6\n7\n6 2 5\n", "dir/small.aag");
  EXPECT_EQ(c.name, "small");
  EXPECT_EQ(input_names(c), (std::vector<std::string>{"i0", "i1"}));
  EXPECT_EQ(output_names(c), (std::vector<std::string>{"o0", "o1"}));
  Measures m = measure(c);
  EXPECT_EQ(m.inputs, 2u);
  EXPECT_EQ(m.outputs, 2u);
  EXPECT_EQ(count(m, Op::And), 1u);
  EXPECT_EQ(count(m, Op::Not), 2u);  // !b and !v3
  EXPECT_EQ(m.size, 3u);
  EXPECT_EQ(m.depth, 3u);  // not b (1), and (2), not (3)
  EXPECT_EQ(m.mul_depth, 1u);
  EXPECT_EQ(m.levels, (std::vector<std::size_t>{2, 1, 1, 1}));
  Measures free = measure(c, {.not_free = true});
  EXPECT_EQ(free.depth, 1u);  // ABC's lev: one AND
  auto t = simulate(c);
  EXPECT_EQ(t[0], table_of(2, [](auto k) { return bit(k, 0) && !bit(k, 1); }));
  EXPECT_EQ(t[1], table_of(2, [](auto k) { return !(bit(k, 0) && !bit(k, 1)); }));
}

TEST(AigerRead, AsciiInputsMayUseAnyEvenLiterals) {
  // Inputs on variables 3 and 1, AND on variable 2: input order is the file's order.
  Circuit c = read("aag 3 2 0 2 1\n6\n2\n4\n6\n4 6 3\n");
  auto t = simulate(c);
  EXPECT_EQ(t[0], table_of(2, [](auto k) { return bit(k, 0) && !bit(k, 1); }));
  EXPECT_EQ(t[1], table_of(2, [](auto k) { return bit(k, 0); }));
  EXPECT_EQ(c.outputs()[1].gate, c.inputs()[0]);
}

TEST(AigerRead, ConstantOutputs) {
  Circuit c = read("aag 1 1 0 4 0\n2\n0\n1\n3\n2\n");
  ASSERT_EQ(c.outputs().size(), 4u);
  const GateId zero = c.outputs()[0].gate, one = c.outputs()[1].gate;
  ASSERT_EQ(c.op(zero), Op::Const);
  ASSERT_EQ(c.op(one), Op::Const);
  EXPECT_EQ(c.constant(zero), 0);
  EXPECT_EQ(c.constant(one), 1);
  EXPECT_EQ(c.outputs()[3].gate, c.inputs()[0]);
  Measures m = measure(c);
  EXPECT_EQ(count(m, Op::Const), 2u);
  EXPECT_EQ(count(m, Op::Not), 1u);
  EXPECT_EQ(count(m, Op::And), 0u);
  EXPECT_EQ(m.size, 1u);
  EXPECT_EQ(m.depth, 1u);
  EXPECT_EQ(measure(c, {.not_free = true}).depth, 0u);
  auto t = simulate(c);
  EXPECT_EQ(t[0], table_of(1, [](auto) { return false; }));
  EXPECT_EQ(t[1], table_of(1, [](auto) { return true; }));
  EXPECT_EQ(t[2], table_of(1, [](auto k) { return !bit(k, 0); }));
}

TEST(AigerRead, SymbolTableAndComments) {
  Circuit c = read(
      "aag 3 2 0 2 1\n2\n4\n6\n3\n6 2 4\n"
      "i1 beta[3]\ni0 alpha\no1 not alpha\no0 gamma\n"
      "c\nfree text: i0 renamed? no\no0 ignored\n\x01\x02 binary junk\n");
  EXPECT_EQ(input_names(c), (std::vector<std::string>{"alpha", "beta[3]"}));
  // Whitespace inside a symbol becomes '_' (rnncc names hold no whitespace).
  EXPECT_EQ(output_names(c), (std::vector<std::string>{"gamma", "not_alpha"}));
  EXPECT_EQ(gate_label(c, c.inputs()[1]), "beta[3]");
}

TEST(AigerRead, PartialSymbolTableKeepsDefaultNames) {
  Circuit c = read("aag 3 3 0 2 0\n2\n4\n6\n2\n6\ni1 b\no1 y\n");
  EXPECT_EQ(input_names(c), (std::vector<std::string>{"i0", "b", "i2"}));
  EXPECT_EQ(output_names(c), (std::vector<std::string>{"o0", "y"}));
}

// A symbol table may give an input the default name of another input; AIGER does not care,
// and the final names here are unique. (Regression: the reader used to rename inputs one by one
// over the default names i<k> and refused this with "duplicate input name 'i1'".)
TEST(AigerRead, SymbolsMayPermuteDefaultNames) {
  Circuit c = read("aag 2 2 0 2 0\n2\n4\n2\n4\ni0 i1\ni1 i0\no0 o1\no1 o0\n");
  EXPECT_EQ(input_names(c), (std::vector<std::string>{"i1", "i0"}));
  EXPECT_EQ(output_names(c), (std::vector<std::string>{"o1", "o0"}));
  // So a circuit whose names look like other inputs' defaults survives rnncc's own round trip.
  Builder b;
  GateId x = b.input("i1"), y = b.input("i0");
  b.output("o1", b.and_(x, b.not_(y)));
  b.output("o0", x);
  Circuit named = b.finish();
  for (AigerMode mode : {AigerMode::Binary, AigerMode::Ascii}) {
    Circuit r = read(io::write_aiger(named, mode));
    EXPECT_EQ(input_names(r), input_names(named));
    EXPECT_EQ(output_names(r), output_names(named));
    EXPECT_EQ(simulate(r), simulate(named));
  }
}

// A partial symbol table whose one name is another input's default name: the file is valid
// AIGER and its names are unique, so the unnamed input should get a default that does not
// clash. (Regression: refused with "duplicate input name 'i0'", and likewise for outputs.)
TEST(AigerRead, PartialSymbolTableAvoidsDefaultNameClash) {
  Circuit c = read("aag 2 2 0 2 0\n2\n4\n2\n4\ni1 i0\no1 o0\n");
  ASSERT_EQ(c.inputs().size(), 2u);
  EXPECT_EQ(c.input_name(1), "i0");
  EXPECT_NE(c.input_name(0), "i0");
  EXPECT_EQ(c.outputs()[1].name, "o0");
  EXPECT_NE(c.outputs()[0].name, "o0");
}

void expect_and_chain(const Circuit& c) {
  Measures m = measure(c);
  EXPECT_EQ(count(m, Op::And), 3u);
  EXPECT_EQ(count(m, Op::Not), 2u);
  EXPECT_EQ(m.depth, 4u);  // a&b 1, &c 2, not 3, and 4
  EXPECT_EQ(measure(c, {.not_free = true}).depth, 3u);
  auto t = simulate(c);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], table_of(3, [](auto k) {
              return !(bit(k, 0) && bit(k, 1) && bit(k, 2)) && !bit(k, 0);
            }));
  EXPECT_EQ(t[1], table_of(3, [](auto k) { return bit(k, 0) && bit(k, 1) && bit(k, 2); }));
}

TEST(AigerRead, AsciiAndsOutOfTopologicalOrder) {
  // v6 = a & b, v5 = v6 & c, v4 = !v5 & !a: every AND reads a larger variable, listed first.
  Circuit c = read("aag 6 3 0 2 3\n2\n4\n6\n8\n10\n8 11 3\n10 12 6\n12 2 4\n");
  expect_and_chain(c);
}

// The same function with the usual numbering (every AND reads smaller variables) but listed
// last to first: ASCII AIGER may list ANDs in any order. (Regression: the reader used to sort
// only when some AND read a variable not smaller than its own, and refused this file with
// "literal 11 uses variable 5 before its definition".)
TEST(AigerRead, AsciiAndsListedInReverseOrder) {
  Circuit c = read("aag 6 3 0 2 3\n2\n4\n6\n12\n10\n12 11 3\n10 8 6\n8 2 4\n");
  expect_and_chain(c);
}

TEST(AigerRead, DuplicateAndsFoldAsStrash) {
  // ABC's strash keeps one node for a & b and folds a & b = b & a, a & !a = 0, a & a = a,
  // x & 1 = x, x & 0 = 0.
  Circuit c = read(
      "aag 9 2 0 7 7\n2\n4\n"
      "6\n8\n10\n12\n14\n16\n18\n"
      "6 2 4\n8 4 2\n10 2 3\n12 2 2\n14 6 8\n16 1 6\n18 0 6\n");
  Measures m = measure(c, {.not_free = true});
  EXPECT_EQ(count(m, Op::And), 1u);
  EXPECT_EQ(m.depth, 1u);
  const auto& o = c.outputs();
  EXPECT_EQ(o[0].gate, o[1].gate);
  EXPECT_EQ(o[0].gate, o[4].gate);
  EXPECT_EQ(o[0].gate, o[5].gate);
  EXPECT_EQ(o[3].gate, c.inputs()[0]);
  ASSERT_EQ(c.op(o[2].gate), Op::Const);
  EXPECT_EQ(c.constant(o[2].gate), 0);
  ASSERT_EQ(c.op(o[6].gate), Op::Const);
  EXPECT_EQ(c.constant(o[6].gate), 0);
  // The same in binary AIGER.
  Circuit b = read(binary_aig(2, {6, 8, 10, 12, 14, 16, 18},
                              {{4, 2}, {4, 2}, {3, 2}, {2, 2}, {8, 6}, {6, 1}, {6, 0}}),
                   "t.aig");
  Measures mb = measure(b, {.not_free = true});
  EXPECT_EQ(count(mb, Op::And), 1u);
  EXPECT_EQ(simulate(b), simulate(c));
}

TEST(AigerRead, DeadAndsAreNotCounted) {
  // v3 = a & b is used by no output.
  Circuit c = read("aag 4 2 0 1 2\n2\n4\n8\n6 2 4\n8 3 5\n");
  Measures m = measure(c, {.not_free = true});
  EXPECT_EQ(count(m, Op::And), 1u);
  EXPECT_EQ(m.size, 3u);  // and + two nots
}

// ---------------------------------------------------------------------------------------------
// Reading binary AIGER.

TEST(AigerRead, BinaryWithSymbols) {
  // v3 = !b & a, v4 = !v3 & a; outputs v4 (= a & b) and !v3.
  std::string text = binary_aig(2, {8, 7}, {{5, 2}, {7, 2}}, "i0 x\ni1 y\no0 f\no1 g\nc\nhello\n");
  Circuit c = read(text, "p/q/bin.aig");
  EXPECT_EQ(c.name, "bin");
  EXPECT_EQ(input_names(c), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(output_names(c), (std::vector<std::string>{"f", "g"}));
  Measures m = measure(c, {.not_free = true});
  EXPECT_EQ(count(m, Op::And), 2u);
  EXPECT_EQ(m.depth, 2u);
  EXPECT_EQ(measure(c).depth, 4u);  // !b 1, v3 2, !v3 3, v4 4
  auto t = simulate(c);
  EXPECT_EQ(t[0], table_of(2, [](auto k) { return bit(k, 0) && bit(k, 1); }));
  EXPECT_EQ(t[1], table_of(2, [](auto k) { return !(bit(k, 0) && !bit(k, 1)); }));
}

TEST(AigerRead, BinaryMultiByteDeltas) {
  // 200 inputs; v201 = i199 & i0: deltas 2 and 398 (two varint bytes); v202 = v201 & !i100.
  std::string text = binary_aig(200, {404, 403}, {{400, 2}, {402, 203}});
  EXPECT_NE(text.find("\x8e\x03"), std::string::npos);  // 398 = 0x8e 0x03
  Circuit c = read(text, "t.aig");
  ASSERT_EQ(c.outputs().size(), 2u);
  auto name = [&](GateId g) { return c.op(g) == Op::Input ? c.name_of_input(g) : "?"; };
  // out0 = (i0 & i199) & !i100, out1 = !(i0 & i199).
  const GateId out0 = c.outputs()[0].gate, out1 = c.outputs()[1].gate;
  ASSERT_EQ(c.op(out0), Op::And);
  GateId pair = c.a(out0), neg = c.b(out0);
  if (c.op(pair) != Op::And) std::swap(pair, neg);
  ASSERT_EQ(c.op(pair), Op::And);
  ASSERT_EQ(c.op(neg), Op::Not);
  EXPECT_EQ(name(c.a(neg)), "i100");
  std::set<std::string> operands = {name(c.a(pair)), name(c.b(pair))};
  EXPECT_EQ(operands, (std::set<std::string>{"i0", "i199"}));
  ASSERT_EQ(c.op(out1), Op::Not);
  EXPECT_EQ(c.a(out1), pair);
  Measures m = measure(c, {.not_free = true});
  EXPECT_EQ(count(m, Op::And), 2u);
  EXPECT_EQ(m.depth, 2u);
  EXPECT_EQ(measure(c).levels[0], 3u);  // three live inputs of 200
}

// ---------------------------------------------------------------------------------------------
// Writing.

// A circuit with every kind of output an AIG can have.
Circuit and_not_circuit() {
  Builder b;
  GateId x = b.input("x[1][0]"), y = b.input("x[1][1]"), z = b.input("h0[0]");
  b.input("unused");
  GateId nx = b.not_(x);
  GateId t = b.and_(nx, y);
  GateId u = b.and_(t, b.not_(z));
  GateId v = b.and_(b.not_(u), x);
  b.and_(x, z);  // dead
  b.output("y[0]", v);
  b.output("y[1]", b.not_(t));
  b.output("copy", y);
  b.output("negx", nx);
  b.output("zero", b.constant(0));
  b.output("one", b.constant(1));
  b.output("v_again", v);
  Circuit c = b.finish();
  c.name = "andnot";
  return c;
}

void expect_same_measures(const Circuit& a, const Circuit& b) {
  for (bool nf : {false, true}) {
    SCOPED_TRACE(nf ? "not_free" : "default");
    Measures ma = measure(a, {.not_free = nf}), mb = measure(b, {.not_free = nf});
    EXPECT_EQ(ma.inputs, mb.inputs);
    EXPECT_EQ(ma.outputs, mb.outputs);
    EXPECT_EQ(ma.size, mb.size);
    EXPECT_EQ(ma.depth, mb.depth);
    EXPECT_EQ(ma.mul_depth, mb.mul_depth);
    EXPECT_EQ(ma.by_kind, mb.by_kind);
    EXPECT_EQ(ma.levels, mb.levels);
  }
}

TEST(AigerWrite, RoundTripBothModes) {
  Circuit c = and_not_circuit();
  Measures m = measure(c);
  EXPECT_EQ(count(m, Op::And), 3u);  // hand count: t, u, v (x & z is dead)
  for (AigerMode mode : {AigerMode::Binary, AigerMode::Ascii}) {
    SCOPED_TRACE(mode == AigerMode::Binary ? "binary" : "ascii");
    std::string text = io::write_aiger(c, mode);
    EXPECT_EQ(text.substr(0, 4), mode == AigerMode::Binary ? "aig " : "aag ");
    EXPECT_EQ(text.substr(4, text.find('\n') - 4), "7 4 0 7 3");  // M = I + A, dead AND omitted
    Circuit r = read(text, mode == AigerMode::Binary ? "andnot.aig" : "andnot.aag");
    EXPECT_EQ(r.name, "andnot");
    EXPECT_EQ(input_names(r), input_names(c));
    EXPECT_EQ(output_names(r), output_names(c));
    expect_same_measures(c, r);
    EXPECT_EQ(simulate(r), simulate(c));
    if (mode == AigerMode::Ascii) {
      EXPECT_EQ(simulate_aag(text), simulate(c));
    }
    // Writing again gives the same bytes.
    EXPECT_EQ(io::write_aiger(r, mode), text);
  }
}

TEST(AigerWrite, RoundTripSmallEpflCircuits) {
  RNNCC_REQUIRE_EPFL();
  for (const char* name : {"ctrl", "dec", "int2float", "cavlc", "router"}) {
    SCOPED_TRACE(name);
    std::string path = test::epfl(name);
    Circuit c = io::read_aiger(io::read_file(path), path);
    const bool small = c.inputs().size() <= 11;
    for (AigerMode mode : {AigerMode::Binary, AigerMode::Ascii}) {
      std::string text = io::write_aiger(c, mode);
      Circuit r = read(text, path);
      EXPECT_EQ(input_names(r), input_names(c));
      EXPECT_EQ(output_names(r), output_names(c));
      expect_same_measures(c, r);
      if (small) {
        auto t = simulate(c);
        EXPECT_EQ(simulate(r), t);
        if (mode == AigerMode::Ascii) {
          EXPECT_EQ(simulate_aag(text), t);
        }
      }
    }
  }
}

// Random boolean circuit over `inputs` inputs with and/or/xor/not/buf gates.
Circuit random_boolean(std::uint32_t seed, int inputs, int gates, int outputs) {
  std::mt19937 rng(seed);
  Builder b;
  std::vector<GateId> pool;
  for (int i = 0; i < inputs; ++i) pool.push_back(b.input("in" + std::to_string(i)));
  pool.push_back(b.constant(seed % 2));
  const Op kinds[] = {Op::And, Op::Or, Op::Xor, Op::Not, Op::Buf, Op::Xor, Op::Or};
  for (int k = 0; k < gates; ++k) {
    Op op = kinds[rng() % std::size(kinds)];
    // Prefer recent gates so the circuit gets deep.
    auto pick = [&] {
      std::size_t n = pool.size();
      return pool[rng() % 2 ? n - 1 - rng() % std::min<std::size_t>(n, 6) : rng() % n];
    };
    GateId x = pick();
    pool.push_back(arity(op) == 1 ? b.make(op, x) : b.make(op, x, pick()));
  }
  for (int o = 0; o < outputs; ++o)
    b.output("out" + std::to_string(o), pool[pool.size() - 1 - o * 3]);
  Circuit c = b.finish();
  c.name = "random" + std::to_string(seed);
  return c;
}

TEST(AigerWrite, OrXorBufDecomposeToAndNot) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Circuit c = random_boolean(seed, 6 + seed % 4, 40, 4);
    Measures m = measure(c);
    ASSERT_GT(count(m, Op::Or) + count(m, Op::Xor), 0u);
    const std::size_t expected_ands = count(m, Op::And) + count(m, Op::Or) + 3 * count(m, Op::Xor);
    const auto truth = simulate(c);
    for (AigerMode mode : {AigerMode::Binary, AigerMode::Ascii}) {
      SCOPED_TRACE(mode == AigerMode::Binary ? "binary" : "ascii");
      std::string text = io::write_aiger(c, mode);
      std::istringstream header(text);
      std::string magic;
      std::size_t mv = 0, ni = 0, nl = 0, no = 0, na = 0;
      header >> magic >> mv >> ni >> nl >> no >> na;
      EXPECT_EQ(na, expected_ands);
      EXPECT_EQ(mv, ni + na);
      EXPECT_EQ(ni, c.inputs().size());
      EXPECT_EQ(no, c.outputs().size());
      Circuit r = read(text, "r.aag");
      Measures mr = measure(r);
      for (Op op : {Op::Or, Op::Xor, Op::Buf, Op::Add, Op::Mul}) EXPECT_EQ(count(mr, op), 0u);
      EXPECT_LE(count(mr, Op::And), expected_ands);  // re-reading may fold duplicates
      EXPECT_EQ(input_names(r), input_names(c));
      EXPECT_EQ(output_names(r), output_names(c));
      EXPECT_EQ(simulate(r), truth);
      if (mode == AigerMode::Ascii) {
        EXPECT_EQ(simulate_aag(text), truth);
      }
    }
  }
}

TEST(AigerWrite, SingleGateDecompositions) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("or", b.or_(x, y));
  b.output("xor", b.xor_(x, y));
  b.output("buf", b.make(Op::Buf, x));
  b.output("nbuf", b.not_(b.make(Op::Buf, y)));
  Circuit c = b.finish();
  std::string text = io::write_aiger(c, AigerMode::Ascii);
  EXPECT_EQ(text.substr(0, text.find('\n')), "aag 6 2 0 4 4");  // or 1 AND, xor 3, buf none
  auto t = simulate_aag(text);
  EXPECT_EQ(t[0], table_of(2, [](auto k) { return bit(k, 0) || bit(k, 1); }));
  EXPECT_EQ(t[1], table_of(2, [](auto k) { return bit(k, 0) != bit(k, 1); }));
  EXPECT_EQ(t[2], table_of(2, [](auto k) { return bit(k, 0); }));
  EXPECT_EQ(t[3], table_of(2, [](auto k) { return !bit(k, 1); }));
  Circuit r = read(text);
  Measures m = measure(r, {.not_free = true});
  EXPECT_EQ(count(m, Op::And), 4u);
  EXPECT_EQ(m.depth, 2u);  // xor: two ANDs deep
}

TEST(AigerWrite, ArithmeticGateRefused) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("s", b.and_(b.add(x, y), x));
  Circuit c = b.finish();
  for (AigerMode mode : {AigerMode::Binary, AigerMode::Ascii}) {
    try {
      io::write_aiger(c, mode);
      ADD_FAILURE() << "an add gate was written to AIGER";
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("cannot write AIGER"), std::string::npos) << msg;
      EXPECT_NE(msg.find("'add'"), std::string::npos) << msg;
    }
  }
  for (Op op : {Op::Mul, Op::Sub, Op::Neg, Op::Relu, Op::Tanh, Op::Sigmoid, Op::Sign, Op::Step}) {
    Builder b2;
    GateId p = b2.input("p"), q = b2.input("q");
    b2.output("o", arity(op) == 2 ? b2.make(op, p, q) : b2.make(op, p));
    Circuit c2 = b2.finish();
    EXPECT_THROW(io::write_aiger(c2, AigerMode::Binary), Error) << mnemonic(op);
  }
}

TEST(AigerWrite, DeadArithmeticGateIsIgnored) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.mul(x, y);               // dead
  b.constant(mpq_class(7));  // dead
  b.output("a", b.and_(x, y));
  std::string text = io::write_aiger(b.finish(), AigerMode::Ascii);
  EXPECT_EQ(text.substr(0, text.find('\n')), "aag 3 2 0 1 1");
}

TEST(AigerWrite, NonBooleanConstantRefused) {
  for (const char* value : {"2", "-1", "1/2"}) {
    Builder b;
    GateId x = b.input("x");
    b.output("x", x);
    b.output("k", b.constant(mpq_class(value)));
    Circuit c = b.finish();
    try {
      io::write_aiger(c, AigerMode::Ascii);
      ADD_FAILURE() << "constant " << value << " was written to AIGER";
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("constant " + std::string(value) + " is not boolean"), std::string::npos)
          << msg;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed files: every one is an Error naming the file and line, never a crash.

struct Malformed {
  const char* what;
  const char* path;
  std::string text;
  const char* message;  // expected substring, including "path:line:"
};

TEST(AigerRead, MalformedFiles) {
  const Malformed cases[] = {
      {"empty file", "e.aag", "", "unexpected end of file: expected the AIGER header"},
      {"bad magic", "h.aag", "hello 1 2\n", "h.aag:1: expected an AIGER header"},
      {"short header", "h.aag", "aag 1 1 0\n", "h.aag:1: AIGER header needs five numbers"},
      {"non-number", "h.aag", "aag 1 x 0 0 0\n", "h.aag:1: bad number 'x' in the AIGER header"},
      {"negative", "h.aag", "aag 1 -1 0 0 0\n", "h.aag:1: bad number '-1'"},
      {"too many fields", "h.aag", "aag 1 1 0 0 0 0 0 0 0 0\n", "h.aag:1: too many fields"},
      {"latches", "l.aag", "aag 3 1 1 1 0\n2\n4 2\n2\n", "l.aag:1: latches are not supported"},
      {"latches binary", "l.aig", "aig 2 1 1 1 0\n2\n4\n", "l.aig:1: latches are not supported"},
      {"justice", "j.aag", "aag 1 1 0 1 0 1\n2\n2\n", "j.aag:1: AIGER 1.9"},
      {"binary M mismatch", "m.aig", "aig 5 1 0 1 1\n2\n",
       "m.aig:1: binary AIGER needs M = I + L + A, got M = 5 and I + L + A = 2"},
      {"ascii M too small", "m.aag", "aag 1 1 0 1 1\n2\n2\n4 2 2\n",
       "m.aag:1: header: I + L + A exceeds M"},
      {"output literal out of range", "o.aag", "aag 1 1 0 1 0\n2\n5\n",
       "o.aag:3: output literal 5 exceeds 2M+1 = 3"},
      {"binary output out of range", "o.aig", "aig 1 1 0 1 0\n4\n",
       "o.aig:2: output literal 4 exceeds"},
      {"AND literal out of range", "a.aag", "aag 2 1 0 1 1\n2\n4\n4 2 9\n",
       "a.aag:4: AND literal 9 exceeds 2M+1 = 5"},
      {"input literal out of range", "i.aag", "aag 1 1 0 1 0\n6\n2\n",
       "i.aag:2: input literal 6 exceeds"},
      {"odd input literal", "i.aag", "aag 1 1 0 1 0\n3\n2\n",
       "i.aag:2: input literal 3 must be even"},
      {"constant input literal", "i.aag", "aag 1 1 0 1 0\n0\n2\n",
       "i.aag:2: input literal 0 must be even"},
      {"input defined twice", "i.aag", "aag 2 2 0 1 0\n2\n2\n2\n",
       "i.aag:3: variable 1 defined twice"},
      {"odd AND literal", "a.aag", "aag 2 1 0 1 1\n2\n4\n5 2 2\n",
       "a.aag:4: AND output literal 5 must be even"},
      {"AND redefines an input", "a.aag", "aag 2 1 0 1 1\n2\n4\n2 2 2\n",
       "a.aag:4: variable 1 defined twice"},
      {"AND defined twice", "a.aag", "aag 3 1 0 1 2\n2\n4\n4 2 2\n4 3 3\n",
       "variable 2 defined twice"},
      {"short AND line", "a.aag", "aag 2 1 0 1 1\n2\n4\n4 2\n", "a.aag:4: expected an AND line"},
      {"bad output line", "o.aag", "aag 1 1 0 1 0\n2\nx\n",
       "o.aag:3: expected output literal, got 'x'"},
      {"missing output", "o.aag", "aag 1 1 0 2 0\n2\n2\n",
       "unexpected end of file: expected output literal"},
      {"missing AND", "a.aag", "aag 2 1 0 1 1\n2\n4\n",
       "unexpected end of file: expected an AND line"},
      {"undefined variable in AND", "u.aag", "aag 3 1 0 1 1\n2\n6\n6 2 4\n",
       "u.aag:4: literal 4 uses variable 2, which is not an input and no AND before this point defines"},
      {"truncated binary", "t.aig", "aig 3 1 0 1 2\n6\n\x02",
       "t.aig:2: unexpected end of file inside the binary AND section"},
      {"truncated varint", "t.aig", "aig 2 1 0 1 1\n4\n\x82",
       "unexpected end of file inside the binary AND"},
      {"zero delta", "d.aig", std::string("aig 2 1 0 1 1\n4\n\x00\x00", 18),
       "d.aig:2: AND 0 (literal 4): invalid deltas 0 0"},
      {"delta below zero", "d.aig", "aig 2 1 0 1 1\n4\n\x01\x05", "invalid deltas 1 5"},
      {"cycle", "c.aag", "aag 4 1 0 1 2\n2\n8\n6 8 2\n8 6 2\n",
       "c.aag:4: the AND gates form a cycle"},
      {"self loop", "c.aag", "aag 2 1 0 1 1\n2\n4\n4 4 2\n", "the AND gates form a cycle"},
      {"bad symbol kind", "s.aag", "aag 1 1 0 1 0\n2\n2\nx0 foo\n",
       "s.aag:4: expected a symbol line 'i<k> name', 'o<k> name' or 'c', got 'x0 foo'"},
      {"symbol without name", "s.aag", "aag 1 1 0 1 0\n2\n2\ni0\n",
       "s.aag:4: expected a symbol line"},
      {"empty symbol name", "s.aag", "aag 1 1 0 1 0\n2\n2\no0 \n", "s.aag:4: empty symbol name"},
      {"bad symbol index", "s.aag", "aag 1 1 0 1 0\n2\n2\nia foo\n",
       "s.aag:4: bad symbol index in 'ia foo'"},
      {"input symbol out of range", "s.aag", "aag 1 1 0 1 0\n2\n2\ni3 foo\n",
       "s.aag:4: symbol for input 3, but there are 1 inputs"},
      {"output symbol out of range", "s.aag", "aag 1 1 0 1 0\n2\n2\no1 foo\n",
       "s.aag:4: symbol for output 1, but there are 1 outputs"},
      {"binary bad symbol line", "s.aig", binary_aig(2, {6}, {{4, 2}}, "i0 a\nzz\n"),
       "s.aig:4: expected a symbol line"},
      {"duplicate input symbol", "s.aag", "aag 2 2 0 1 0\n2\n4\n2\ni0 a\ni1 a\n",
       "s.aag:6: duplicate input name 'a'"},
      // Issue 16: header sums that wrap around 2^64, counts no file of this size can hold.
      {"binary I + A wraps to M", "x.aig", "aig 0 16 0 0 18446744073709551600\n",
       "x.aig:1: binary AIGER needs M = I + L + A, got M = 0 and I + L + A = 16 + 0 + 18446744073709551600, "
       "which is not even a 64-bit number"},
      {"ASCII I + A wraps to M", "y.aag", "aag 100000 200016 0 0 18446744073709451600\n",
       "y.aag:1: header: I + L + A exceeds M"},
      {"2^62 outputs", "z.aag", "aag 0 0 0 4611686018427387904 0\n",
       "z.aag:1: header promises 0 inputs, 4611686018427387904 outputs and 0 ANDs, more than the 0 bytes "
       "that follow can hold"},
      {"2^64 - 1 ANDs", "z.aag", "aag 18446744073709551615 0 0 0 18446744073709551615\n", "z.aag:1: too many variables"},
      {"ASCII inputs beyond the file", "z.aag", "aag 70000 70000 0 0 0\n2\n4\n",
       "z.aag:1: header promises 70000 inputs, 0 outputs and 0 ANDs, more than the 4 bytes"},
      {"binary ANDs beyond the file", "z.aig", "aig 70000 0 0 0 70000\n\x02\x01",
       "z.aig:1: header promises 0 inputs, 0 outputs and 70000 ANDs, more than the 2 bytes"},
      // Names: UTF-8 without control characters, located at the byte.
      {"symbol not UTF-8", "s.aag", "aag 1 1 0 1 0\n2\n2\ni0 a\xff\n",
       "s.aag:4:5: input symbol name: byte 0xFF at byte offset 1 of the name is not valid UTF-8"},
      {"symbol with NUL", "s.aag", "aag 1 1 0 1 0\n2\n2\no0 " + std::string(1, '\0') + "\n",
       "s.aag:4:4: output symbol name: control character 0x00 at byte offset 0 of the name"},
      {"symbol with a carriage return inside", "s.aag", "aag 1 1 0 1 0\n2\n2\no0 a\rb\n",
       "s.aag:4:5: output symbol name: control character 0x0D"},
      {"symbol with a continuation byte first", "s.aag", "aag 1 1 0 1 0\n2\n2\ni0 \x80\n",
       "s.aag:4:4: input symbol name: byte 0x80"},
      {"binary symbol on the ANDs' line", "s.aig", binary_aig(2, {6}, {{4, 2}}, "i0 \xc3\n"),
       "s.aig:3:6: input symbol name: byte 0xC3 at byte offset 0"},
  };
  for (const Malformed& m : cases) {
    SCOPED_TRACE(m.what);
    std::string msg = read_error(m.text, m.path);
    ASSERT_FALSE(msg.empty()) << "accepted";
    EXPECT_EQ(msg.rfind(m.path + std::string(":"), 0), 0u) << msg;
    EXPECT_NE(msg.find(m.message), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "message on more than one line: " << msg;
  }
}

// Well-formed UTF-8 symbols are kept; tabs, spaces, '=' and '#' become '_' as before; latch,
// justice and other symbols are not names rnncc keeps, so their bytes are not checked.
TEST(AigerRead, Utf8SymbolsKept) {
  Circuit c = io::read_aiger("aag 2 2 0 1 0\n2\n4\n2\ni0 gr\xc3\xb6\xc3\x9f" "e\ti1 \xf0\x9f\x98\x80\n"
                             "o0 \xe2\x88\x91=x\nb0 \xff\nc\n\xff\xfe comment\n",
                             "u.aag");
  EXPECT_EQ(c.input_name(0), "gr\xc3\xb6\xc3\x9f" "e_i1_\xf0\x9f\x98\x80");
  EXPECT_EQ(c.input_name(1), "i1");
  EXPECT_EQ(c.outputs()[0].name, "\xe2\x88\x91_x");
}

// The byte check itself, against hand-picked sequences (RFC 3629's table of well-formed UTF-8).
TEST(NameBytes, WellFormedUtf8WithoutControls) {
  const std::pair<std::string, std::optional<std::size_t>> cases[] = {
      {"", std::nullopt},
      {"plain_ascii~!", std::nullopt},
      {"\xc2\x80", std::nullopt},                  // U+0080: the first 2-byte character
      {"\xdf\xbf", std::nullopt},                  // U+07FF
      {"\xe0\xa0\x80", std::nullopt},              // U+0800
      {"\xed\x9f\xbf", std::nullopt},              // U+D7FF, below the surrogates
      {"\xee\x80\x80", std::nullopt},              // U+E000, above them
      {"\xef\xbf\xbf", std::nullopt},              // U+FFFF
      {"\xf0\x90\x80\x80", std::nullopt},          // U+10000
      {"\xf4\x8f\xbf\xbf", std::nullopt},          // U+10FFFF, the last
      {std::string(1, '\0'), 0},                   // NUL
      {"ab\x1f", 2},                               // C0 control
      {"a\x7f", 1},                                // DEL
      {"\t", 0},                                   // tab
      {"a\x80", 1},                                // continuation byte alone
      {"\xc0\x80", 0},                             // overlong NUL
      {"\xc1\xbf", 0},                             // overlong
      {"\xe0\x9f\xbf", 0},                         // overlong 3-byte
      {"\xed\xa0\x80", 0},                         // surrogate U+D800
      {"\xf0\x8f\xbf\xbf", 0},                     // overlong 4-byte
      {"\xf4\x90\x80\x80", 0},                     // above U+10FFFF
      {"\xf5\x80\x80\x80", 0},                     // F5..FF never appear
      {"x\xff", 1},
      {"x\xe2\x82", 1},                             // truncated at the end
      {"x\xe2\x82y", 1},                            // truncated in the middle
      {"\xc3\xa9\xc3", 2},                          // one good character, then a cut one
  };
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(io::bad_name_byte(text), want) << ::testing::PrintToString(text);
  }
}

// An output literal on a variable that no input or AND defines is reported with the file and
// line once. (Regression: the location used to be printed twice, "u.aag:4: u.aag:4: ...".)
TEST(AigerRead, UndefinedOutputVariableLocatedOnce) {
  std::string msg = read_error("aag 3 1 0 1 1\n2\n4\n6 2 2\n", "u.aag");
  EXPECT_NE(msg.find("literal 4 uses variable 2"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("u.aag"), msg.rfind("u.aag")) << msg;
}

}  // namespace
}  // namespace rnncc::circuits
