// rnncc against ABC (berkeley-abc) on the 20 EPFL benchmark circuits and on generated boolean
// circuits: measures (`and`, `lev`), files written by rnncc read back by ABC, and ABC's `cec`
// on the rewritten files. The table of tests/data/epfl/README.md is hard-coded here.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <ostream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "tests/abc_support.hpp"
#include "tests/support.hpp"

namespace rnncc::circuits {
namespace {

using test::abc;
using test::AbcRun;
using test::AbcStats;
using test::quote;

// From tests/data/epfl/README.md: ABC's `read F; print_stats`.
struct EpflRow {
  const char* name;
  std::size_t inputs, outputs, ands, lev;
};

constexpr EpflRow kEpfl[] = {
    {"adder", 256, 129, 1020, 255},
    {"arbiter", 256, 129, 11839, 87},
    {"bar", 135, 128, 3336, 12},
    {"cavlc", 10, 11, 693, 16},
    {"ctrl", 7, 26, 174, 10},
    {"dec", 8, 256, 304, 3},
    {"div", 128, 128, 57247, 4372},
    {"hyp", 256, 128, 214335, 24801},
    {"i2c", 147, 142, 1342, 20},
    {"int2float", 11, 7, 260, 16},
    {"log2", 32, 32, 32060, 444},
    {"max", 512, 130, 2865, 287},
    {"mem_ctrl", 1204, 1231, 46836, 114},
    {"multiplier", 128, 128, 27062, 274},
    {"priority", 128, 8, 978, 250},
    {"router", 60, 30, 257, 54},
    {"sin", 24, 25, 5416, 225},
    {"sqrt", 128, 64, 24618, 5058},
    {"square", 64, 128, 18484, 250},
    {"voter", 1001, 1, 13758, 70},
};

// Test names and ctest show the circuit's name.
void PrintTo(const EpflRow& row, std::ostream* os) {
  *os << row.name;
}

std::size_t ands_of(const Measures& m) {
  return m.by_kind[static_cast<std::size_t>(Op::And)];
}

// ---------------------------------------------------------------------------------------------
// Running ABC and parsing what it prints.

void write(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
  ASSERT_TRUE(f.good()) << path;
}

// ABC cannot read ASCII AIGER. This converts the ASCII AIGER that rnncc writes (inputs 2, 4, ...,
// ANDs defining 2(I+1), 2(I+2), ... in order, rhs0 >= rhs1) into binary AIGER, independently of
// rnncc's writer, and copies the symbol table and comments unchanged.
std::string aag_to_aig(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::istringstream h(line);
  std::string magic;
  std::uint64_t m = 0, ni = 0, nl = 0, no = 0, na = 0;
  h >> magic >> m >> ni >> nl >> no >> na;
  EXPECT_EQ(magic, "aag");
  EXPECT_EQ(nl, 0u);
  EXPECT_EQ(m, ni + na);
  std::string out = "aig " + std::to_string(m) + " " + std::to_string(ni) + " 0 " +
                    std::to_string(no) + " " + std::to_string(na) + "\n";
  for (std::uint64_t i = 0; i < ni; ++i) {
    std::getline(in, line);
    EXPECT_EQ(line, std::to_string(2 * (i + 1))) << "input " << i << " is not canonical";
  }
  for (std::uint64_t i = 0; i < no; ++i) {
    std::getline(in, line);
    out += line + "\n";
  }
  auto varint = [&](std::uint64_t x) {
    while (x >= 0x80) {
      out.push_back(static_cast<char>((x & 0x7f) | 0x80));
      x >>= 7;
    }
    out.push_back(static_cast<char>(x));
  };
  for (std::uint64_t k = 0; k < na; ++k) {
    std::uint64_t lhs = 0, r0 = 0, r1 = 0;
    std::getline(in, line);
    std::istringstream a(line);
    a >> lhs >> r0 >> r1;
    if (r0 < r1) std::swap(r0, r1);
    EXPECT_EQ(lhs, 2 * (ni + 1 + k)) << "AND " << k << " is out of order";
    EXPECT_LT(r0, lhs) << "AND " << k << " reads a later variable";
    varint(lhs - r0);
    varint(r0 - r1);
  }
  std::ostringstream rest;
  rest << in.rdbuf();
  return out + rest.str();
}

// ---------------------------------------------------------------------------------------------
// The 20 EPFL circuits.

class Epfl : public ::testing::TestWithParam<EpflRow> {
 protected:
  void SetUp() override { RNNCC_REQUIRE_EPFL(); }
  std::string path() const { return test::epfl(GetParam().name); }
};

std::string epfl_name(const ::testing::TestParamInfo<EpflRow>& info) {
  return info.param.name;
}

void expect_row(const Measures& m, const EpflRow& row) {
  EXPECT_EQ(m.inputs, row.inputs);
  EXPECT_EQ(m.outputs, row.outputs);
  EXPECT_EQ(ands_of(m), row.ands);
  EXPECT_EQ(m.depth, row.lev);
  EXPECT_EQ(m.mul_depth, row.lev);  // only `and` counts, and nots are free anyway
}

TEST_P(Epfl, MeasuresMatchReadmeTable) {
  const EpflRow& row = GetParam();
  Circuit c = io::load_circuit(path());
  EXPECT_EQ(c.name, row.name);
  Measures m = measure(c, {.not_free = true, .critical_path = false});
  expect_row(m, row);
  EXPECT_EQ(m.size, ands_of(m) + m.by_kind[static_cast<std::size_t>(Op::Not)]);
  // Without --not-free every not costs one level: at least as deep, never more than twice.
  Measures d = measure(c, {.not_free = false, .critical_path = false});
  EXPECT_GE(d.depth, m.depth);
  EXPECT_LE(d.depth, 2 * m.depth + 1);
  EXPECT_EQ(d.size, m.size);
}

TEST_P(Epfl, MeasuresMatchAbcPrintStats) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const EpflRow& row = GetParam();
  AbcRun a = abc("read " + path() + "; print_stats");
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(a.stats.size(), 1u) << a.out;
  const AbcStats& s = a.stats[0];
  // ABC agrees with the README table ...
  EXPECT_EQ(s.inputs, row.inputs);
  EXPECT_EQ(s.outputs, row.outputs);
  EXPECT_EQ(s.latches, 0u);
  EXPECT_EQ(s.ands, row.ands);
  EXPECT_EQ(s.lev, row.lev);
  // ... and with rnncc on the same file.
  Measures m = measure(io::load_circuit(path()), {.not_free = true, .critical_path = false});
  EXPECT_EQ(m.inputs, s.inputs);
  EXPECT_EQ(m.outputs, s.outputs);
  EXPECT_EQ(ands_of(m), s.ands);
  EXPECT_EQ(m.depth, s.lev);
}

// rnncc writes the circuit back as binary AIGER, ASCII AIGER and BLIF; rnncc and ABC both read
// the results and agree on the measures, and ABC's cec proves them equivalent to the original.
TEST_P(Epfl, RewrittenFilesMatchAbc) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const EpflRow& row = GetParam();
  const std::string dir = test::scratch(std::string("abc_epfl_") + row.name);
  Circuit c = io::load_circuit(path());
  const std::string aig = dir + "/" + row.name + ".aig";
  const std::string aag = dir + "/" + row.name + ".aag";
  const std::string aag_bin = dir + "/" + row.name + "_from_aag.aig";
  const std::string blif = dir + "/" + row.name + ".blif";
  const std::string aag_text = io::write_aiger(c, io::AigerMode::Ascii);
  write(aig, io::write_aiger(c, io::AigerMode::Binary));
  write(aag, aag_text);
  write(aag_bin, aag_to_aig(aag_text));
  write(blif, io::write_blif(c));

  for (const std::string& f : {aig, aag}) {
    SCOPED_TRACE(f);
    Circuit r = io::load_circuit(f);
    expect_row(measure(r, {.not_free = true, .critical_path = false}), row);
    EXPECT_EQ(r.outputs().size(), c.outputs().size());
    for (std::size_t i = 0; i < r.outputs().size() && i < c.outputs().size(); ++i)
      EXPECT_EQ(r.outputs()[i].name, c.outputs()[i].name);
  }

  AbcRun a = abc("read " + aig + "; print_stats; read " + aag_bin + "; print_stats; read " + blif +
                 "; strash; print_stats; cec " + path() + " " + aig + "; cec " + path() + " " +
                 aag_bin + "; cec " + path() + " " + blif);
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(a.stats.size(), 3u) << a.out;
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i == 0 ? "binary AIGER" : i == 1 ? "ASCII AIGER" : "BLIF, strashed");
    EXPECT_EQ(a.stats[i].inputs, row.inputs);
    EXPECT_EQ(a.stats[i].outputs, row.outputs);
    EXPECT_EQ(a.stats[i].ands, row.ands);
    EXPECT_EQ(a.stats[i].lev, row.lev);
  }
  EXPECT_EQ(a.equivalent, 3u) << a.out;
  EXPECT_EQ(a.not_equivalent, 0u) << a.out;
}

INSTANTIATE_TEST_SUITE_P(All, Epfl, ::testing::ValuesIn(kEpfl), epfl_name);

// ---------------------------------------------------------------------------------------------
// Generated boolean circuits with or, xor and buf.

Circuit random_boolean(std::uint32_t seed, int inputs, int gates, int outputs) {
  std::mt19937 rng(seed);
  Builder b;
  std::vector<GateId> pool;
  for (int i = 0; i < inputs; ++i) pool.push_back(b.input("x[" + std::to_string(i) + "]"));
  const Op kinds[] = {Op::And, Op::Or, Op::Xor, Op::Not, Op::Buf, Op::Xor, Op::Or, Op::And};
  for (int k = 0; k < gates; ++k) {
    Op op = kinds[rng() % std::size(kinds)];
    auto pick = [&] {
      std::size_t n = pool.size();
      return pool[rng() % 2 ? n - 1 - rng() % std::min<std::size_t>(n, 8) : rng() % n];
    };
    GateId x = pick();
    pool.push_back(arity(op) == 1 ? b.make(op, x) : b.make(op, x, pick()));
  }
  for (int o = 0; o < outputs; ++o)
    b.output("y[" + std::to_string(o) + "]", pool[pool.size() - 1 - 5 * o]);
  Circuit c = b.finish();
  c.name = "random" + std::to_string(seed);
  return c;
}

// Parity of n inputs as a chain of xors (depth 2n in ANDs after decomposition), or-reduction as
// a balanced tree, and a buffer chain.
Circuit structured(int n) {
  Builder b;
  std::vector<GateId> in;
  for (int i = 0; i < n; ++i) in.push_back(b.input("a" + std::to_string(i)));
  GateId parity = in[0];
  for (int i = 1; i < n; ++i) parity = b.xor_(parity, in[i]);
  std::vector<GateId> level = in;
  while (level.size() > 1) {
    std::vector<GateId> next;
    for (std::size_t i = 0; i + 1 < level.size(); i += 2)
      next.push_back(b.or_(level[i], level[i + 1]));
    if (level.size() % 2) next.push_back(level.back());
    level = next;
  }
  GateId buf = in[1];
  for (int i = 0; i < 5; ++i) buf = b.make(Op::Buf, buf);
  b.output("parity", parity);
  b.output("any", level[0]);
  b.output("none", b.not_(level[0]));
  b.output("buffered", b.and_(buf, b.not_(in[2])));
  b.output("one", b.constant(1));
  Circuit c = b.finish();
  c.name = "structured";
  return c;
}

void check_generated(const Circuit& c, std::size_t expected_ands, std::size_t expected_lev) {
  SCOPED_TRACE(c.name);
  const std::string dir = test::scratch("abc_gen_" + c.name);
  const std::string aig = dir + "/c.aig", aag_bin = dir + "/c_from_aag.aig", blif = dir + "/c.blif";
  const std::string aag_text = io::write_aiger(c, io::AigerMode::Ascii);
  write(aig, io::write_aiger(c, io::AigerMode::Binary));
  write(aag_bin, aag_to_aig(aag_text));
  write(blif, io::write_blif(c));
  // rnncc's measures of what it wrote (and or xor buf are gone after reading back).
  Measures r = measure(io::read_aiger(io::write_aiger(c, io::AigerMode::Binary), "c.aig"),
                       {.not_free = true, .critical_path = false});
  Measures ra =
      measure(io::read_aiger(aag_text, "c.aag"), {.not_free = true, .critical_path = false});
  EXPECT_EQ(ands_of(ra), ands_of(r));
  EXPECT_EQ(ra.depth, r.depth);
  if (expected_ands) {
    EXPECT_EQ(ands_of(r), expected_ands);
  }
  if (expected_lev) {
    EXPECT_EQ(r.depth, expected_lev);
  }

  AbcRun a =
      abc("read " + aig + "; print_stats; read " + aag_bin + "; print_stats; read " + blif +
          "; strash; print_stats; cec " + aig + " " + blif + "; cec " + aag_bin + " " + blif);
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(a.stats.size(), 3u) << a.out;
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i == 0 ? "binary AIGER" : "ASCII AIGER");
    EXPECT_EQ(a.stats[i].inputs, c.inputs().size());
    EXPECT_EQ(a.stats[i].outputs, c.outputs().size());
    EXPECT_EQ(a.stats[i].ands, ands_of(r));
    EXPECT_EQ(a.stats[i].lev, r.depth);
  }
  // BLIF keeps or/xor as covers; ABC's strash decomposes them itself (an or is one AND, an xor
  // three), then hashes: the same count and depth as rnncc's decomposition.
  EXPECT_EQ(a.stats[2].inputs, c.inputs().size());
  EXPECT_EQ(a.stats[2].outputs, c.outputs().size());
  EXPECT_EQ(a.stats[2].ands, ands_of(r));
  EXPECT_EQ(a.stats[2].lev, r.depth);
  // The BLIF writer (native or/xor covers) and the AIGER writer (decomposition) are independent:
  // ABC proves both AIGER files equivalent to the BLIF.
  EXPECT_EQ(a.equivalent, 2u) << a.out;
  EXPECT_EQ(a.not_equivalent, 0u) << a.out;
}

TEST(AbcGenerated, StructuredCircuit) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  // Hand count for 16 inputs: parity 15 xors = 45 ANDs, 3 deep each: lev 30; or-tree 15 ANDs,
  // lev 4; buffered and 1 AND. Total 61 ANDs, lev 30.
  check_generated(structured(16), 61, 30);
}

TEST(AbcGenerated, RandomCircuits) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    Circuit c = random_boolean(seed, 12 + static_cast<int>(seed), 400, 6);
    Measures m = measure(c);
    ASSERT_GT(m.by_kind[static_cast<std::size_t>(Op::Xor)], 0u);
    ASSERT_GT(m.by_kind[static_cast<std::size_t>(Op::Or)], 0u);
    check_generated(c, 0, 0);
  }
}

// Structurally duplicate and trivially foldable ANDs: rnncc's reader keeps as many ANDs as
// ABC's strash does.
TEST(AbcGenerated, DuplicateAndsFoldLikeStrash) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  // Binary AIGER, 3 inputs (literals 2 4 6); ANDs define 8, 10, ...:
  //  8 = 4 & 2     10 = 4 & 2 (dup)     12 = 3 & 2 (a & !a = 0)    14 = 2 & 2 (= a)
  // 16 = 10 & 8 (= 8)   18 = 6 & 1 (c & 1 = c)   20 = 18 & 8 (c & a & b)   22 = 20 & 0 (= 0)
  // 24 = 9 & 7 (!ab & !c)   26 = 9 & 7 (dup of 24)
  const std::vector<std::pair<int, int>> ands = {{4, 2}, {4, 2},  {3, 2},  {2, 2}, {10, 8},
                                                 {6, 1}, {18, 8}, {20, 0}, {9, 7}, {9, 7}};
  const int ni = 3;
  std::string text = "aig " + std::to_string(ni + ands.size()) + " 3 0 6 " +
                     std::to_string(ands.size()) + "\n8\n10\n16\n20\n25\n27\n";
  for (std::size_t k = 0; k < ands.size(); ++k) {
    int lhs = 2 * (ni + 1 + static_cast<int>(k));
    text.push_back(static_cast<char>(lhs - ands[k].first));
    text.push_back(static_cast<char>(ands[k].first - ands[k].second));
  }
  const std::string dir = test::scratch("abc_dup");
  write(dir + "/dup.aig", text);
  Measures m = measure(io::load_circuit(dir + "/dup.aig"), {.not_free = true});
  EXPECT_EQ(ands_of(m), 3u);  // a & b, c & (a & b), !(a & b) & !c
  EXPECT_EQ(m.depth, 2u);
  AbcRun a = abc("read " + dir + "/dup.aig; print_stats");
  ASSERT_EQ(a.stats.size(), 1u) << a.out;
  EXPECT_EQ(a.stats[0].ands, ands_of(m));
  EXPECT_EQ(a.stats[0].lev, m.depth);
}

}  // namespace
}  // namespace rnncc::circuits
