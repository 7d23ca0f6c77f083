// The native .rc format: byte-identical write -> read -> write on hand-written canonical files,
// merging and folding on read, sparse ids, comments, and a table of every malformed input with
// the exact "path:line:col: message" the reader reports.
#include <gtest/gtest.h>

#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/io/rc.hpp"
#include "bench/gen_circuit.hpp"

namespace rnncc::circuits {
namespace {

std::string canonical(const std::string& text, const std::string& path = "t.rc") {
  return io::write_rc(io::read_rc(text, path));
}

// One circuit with every gate kind, exact and huge constants, origins (on inputs, gates and
// constants), outputs naming a gate, an input and a constant, and step metadata.
const std::string kEveryKind =
    "rnncc 1\n"
    "0 = input x[1][0]\n"
    "1 = input x[1][1]\n"
    "2 = input h0[0] @init:0\n"
    "3 = const -3/4\n"
    "4 = const 123456789012345678901234567890/11\n"
    "5 = add 0 2 @elman.h:1\n"
    "6 = mul 3 5 @elman.h:1\n"
    "7 = tanh 6 @elman.h:1\n"
    "8 = sub 7 1 @elman.h:2\n"
    "9 = neg 8 @elman.h:2\n"
    "10 = relu 9\n"
    "11 = sigmoid 10\n"
    "12 = sign 11 @readout:0\n"
    "13 = step 12 @readout:0\n"
    "14 = buf 13\n"
    "15 = mul 4 14 @a:b:3\n"
    "16 = const 5 @late:9\n"
    "output y[1][0] = 7\n"
    "output y[2][0] = 15\n"
    "output copy = 1\n"
    "output k = 3\n"
    "step 0 = 2\n"
    "step 1 = 7\n"
    "step 2 = 9 8\n"
    "step 3 =\n";

const std::string kBoolean =
    "rnncc 1\n"
    "0 = input a\n"
    "1 = input b\n"
    "2 = not 0\n"
    "3 = and 1 2\n"
    "4 = or 0 3\n"
    "5 = xor 3 4\n"
    "6 = const 1\n"
    "7 = buf 5\n"
    "8 = not 4\n"  // dead gates are kept
    "output o = 7\n"
    "output one = 6\n"
    "output a = 0\n";

TEST(Rc, CanonicalFilesAreFixedPoints) {
  for (const std::string* text : {&kEveryKind, &kBoolean}) {
    std::string once = canonical(*text);
    EXPECT_EQ(once, *text);
    EXPECT_EQ(canonical(once), once);
  }
}

TEST(Rc, ReadBuildsTheCircuitFromTheText) {
  Circuit c = io::read_rc(kEveryKind, "some/dir/model.rc");
  EXPECT_EQ(c.name, "model");
  ASSERT_EQ(c.num_gates(), 17u);
  EXPECT_EQ(c.inputs(), (std::vector<GateId>{0, 1, 2}));
  EXPECT_EQ(c.name_of_input(2), "h0[0]");
  EXPECT_EQ(c.constant(3), mpq_class(-3, 4));
  EXPECT_EQ(c.constant(4), mpq_class("123456789012345678901234567890/11", 10));
  EXPECT_EQ(c.op(6), Op::Mul);
  EXPECT_EQ(c.a(6), 3u);
  EXPECT_EQ(c.b(6), 5u);
  EXPECT_EQ(c.op(8), Op::Sub);
  EXPECT_EQ(c.a(8), 7u);
  EXPECT_EQ(c.b(8), 1u);
  EXPECT_EQ(c.op(11), Op::Sigmoid);
  EXPECT_EQ(c.op(13), Op::Step);
  EXPECT_EQ(c.op(14), Op::Buf);
  EXPECT_EQ(c.origin(0), (Origin{}));
  EXPECT_EQ(c.origin(2), (Origin{"init", 0}));
  EXPECT_EQ(c.origin(3), (Origin{}));
  EXPECT_EQ(c.origin(7), (Origin{"elman.h", 1}));
  EXPECT_EQ(c.origin(9), (Origin{"elman.h", 2}));
  EXPECT_EQ(c.origin(10), (Origin{}));
  EXPECT_EQ(c.origin(13), (Origin{"readout", 0}));
  EXPECT_EQ(c.origin(15), (Origin{"a:b", 3}));  // the step follows the last ':'
  EXPECT_EQ(c.origin(16), (Origin{"late", 9}));
  ASSERT_EQ(c.outputs().size(), 4u);
  EXPECT_EQ(c.outputs()[0].name, "y[1][0]");
  EXPECT_EQ(c.outputs()[0].gate, 7u);
  EXPECT_EQ(c.outputs()[2].gate, 1u);
  EXPECT_EQ(c.outputs()[3].gate, 3u);
  ASSERT_EQ(c.steps().size(), 4u);
  EXPECT_EQ(c.steps()[2].step, 2u);
  EXPECT_EQ(c.steps()[2].gates, (std::vector<GateId>{9, 8}));
  EXPECT_TRUE(c.steps()[3].gates.empty());
  // Depth by hand: 0,2 -> add 1 -> mul 2 -> tanh 3 -> sub 4 -> neg 5 -> relu 6 -> sigmoid 7
  // -> sign 8 -> step 9 -> buf 10 -> mul 11.
  EXPECT_EQ(measure(c).depth, 11u);
}

TEST(Rc, BuilderCircuitWritesAsExpectedAndRoundTrips) {
  Builder b;
  GateId x = b.input("x[1][0]");
  GateId h = b.input("h0[0]");
  GateId c = b.constant(mpq_class(-3, 4));
  b.set_origin({"diagonal.b", 1});
  GateId p = b.mul(h, c);
  GateId s = b.add(x, p);
  b.set_origin({"diagonal.b", 2});
  GateId t = b.sub(c, s);
  b.set_origin_index(0);
  GateId n = b.not_(t);
  b.output("y[1]", s);
  b.output("y[2]", n);
  b.output("h0", h);
  b.output("minus", c);
  b.add_step(1, {s});
  b.add_step(2, {t, s});
  Circuit circ = b.finish();
  const std::string expected =
      "rnncc 1\n"
      "0 = input x[1][0]\n"
      "1 = input h0[0]\n"
      "2 = const -3/4\n"
      "3 = mul 1 2 @diagonal.b:1\n"
      "4 = add 0 3 @diagonal.b:1\n"
      "5 = sub 2 4 @diagonal.b:2\n"
      "6 = not 5\n"
      "output y[1] = 4\n"
      "output y[2] = 6\n"
      "output h0 = 1\n"
      "output minus = 2\n"
      "step 1 = 4\n"
      "step 2 = 5 4\n";
  std::string once = io::write_rc(circ);
  EXPECT_EQ(once, expected);
  EXPECT_EQ(canonical(once), once);
}

TEST(Rc, TheDesignExampleBecomesCanonicalInOnePass) {
  // mul is commutative: "mul 3 2" is stored and written with ordered operands.
  const std::string doc =
      "rnncc 1\n"
      "0 = input x[1][0]\n"
      "1 = input x[1][1]\n"
      "2 = const -3/4\n"
      "3 = add 0 1\n"
      "4 = mul 3 2\n"
      "output y[1][0] = 4\n"
      "step 1 = 3 4\n";
  const std::string expected =
      "rnncc 1\n"
      "0 = input x[1][0]\n"
      "1 = input x[1][1]\n"
      "2 = const -3/4\n"
      "3 = add 0 1\n"
      "4 = mul 2 3\n"
      "output y[1][0] = 4\n"
      "step 1 = 3 4\n";
  std::string once = canonical(doc);
  EXPECT_EQ(once, expected);
  EXPECT_EQ(canonical(once), once);
}

TEST(Rc, ReaderMergesDuplicatesAndFolds) {
  const std::string text =
      "rnncc 1\n"
      "10 = input a\n"
      "20 = input b\n"
      "30 = add 10 20 @first:1\n"
      "31 = add 20 10 @second:2\n"  // the same gate, commuted: keeps its first origin
      "40 = const 0\n"
      "41 = add 30 40\n"  // x + 0
      "42 = mul 31 41\n"  // (a+b)*(a+b)
      "50 = const 2/4\n"
      "51 = const 1/2\n"  // the same constant
      "52 = sub 42 42\n"  // 0
      "53 = not 10\n"
      "54 = not 53\n"    // a
      "55 = or 53 54\n"  // not a | a = 1 (a new constant)
      "56 = const 3\n"
      "57 = mul 56 50\n"  // 3 * 1/2 = 3/2
      "58 = neg 57\n"     // -3/2
      "output y = 42\n"
      "output z = 52\n"
      "output h = 51\n"
      "output t = 55\n"
      "output a = 54\n"
      "output m = 58\n"
      "step 1 = 31 41 54\n";
  const std::string expected =
      "rnncc 1\n"
      "0 = input a\n"
      "1 = input b\n"
      "2 = add 0 1 @first:1\n"
      "3 = const 0\n"
      "4 = mul 2 2\n"
      "5 = const 1/2\n"
      "6 = not 0\n"
      "7 = const 1\n"
      "8 = const 3\n"
      "9 = const 3/2\n"
      "10 = const -3/2\n"
      "output y = 4\n"
      "output z = 3\n"
      "output h = 5\n"
      "output t = 7\n"
      "output a = 0\n"
      "output m = 10\n"
      "step 1 = 2 2 0\n";
  std::string once = canonical(text);
  EXPECT_EQ(once, expected);
  EXPECT_EQ(canonical(once), once);  // canonical after one pass
}

// Ids 0, 1, 2, ... that the builder numbers alike need no table; the first merge (or fold, or
// other id) leaves that fast path with every earlier id still known.
TEST(Rc, IdentityIdsThenAMergeThenMore) {
  const std::string text =
      "rnncc 1\n"
      "0 = input a\n"
      "1 = input b\n"
      "2 = add 0 1\n"
      "3 = add 1 0\n"  // gate 2 again: the ids stop being the builder's
      "4 = mul 3 2\n"
      "5 = sub 4 0\n"
      "7 = neg 1\n"
      "6 = neg 5\n"
      "output y = 6\n"
      "output z = 7\n"
      "output w = 3\n"
      "output v = 1\n";
  const std::string expected =
      "rnncc 1\n"
      "0 = input a\n"
      "1 = input b\n"
      "2 = add 0 1\n"
      "3 = mul 2 2\n"
      "4 = sub 3 0\n"
      "5 = neg 1\n"
      "6 = neg 4\n"
      "output y = 6\n"
      "output z = 5\n"
      "output w = 2\n"
      "output v = 1\n";
  EXPECT_EQ(canonical(text), expected);
  // Still on the identity: an unknown operand and a redefinition are refused as before.
  EXPECT_THROW(io::read_rc("rnncc 1\n0 = input a\n1 = neg 2\n", "t.rc"), Error);
  EXPECT_THROW(io::read_rc("rnncc 1\n0 = input a\n1 = neg 0\n0 = input b\n", "t.rc"), Error);
}

TEST(Rc, SparseAndHugeIdsAreAccepted) {
  const std::string text =
      "rnncc 1\n"
      "10 = input a\n"
      "20 = input b\n"
      "4000000000 = add 10 20\n"
      "7 = const -3/4\n"  // ids need not increase, only precede their uses
      "18446744073709551615 = mul 4000000000 7\n"
      "output y = 18446744073709551615\n"
      "output b = 20\n"
      "step 5 = 4000000000 7\n";
  const std::string expected =
      "rnncc 1\n"
      "0 = input a\n"
      "1 = input b\n"
      "2 = add 0 1\n"
      "3 = const -3/4\n"
      "4 = mul 2 3\n"
      "output y = 4\n"
      "output b = 1\n"
      "step 5 = 2 3\n";
  EXPECT_EQ(canonical(text), expected);
}

// A sparse id must stay visible when later dense ids grow the reader's table past it
// (regression: it used to be reported as "used before its definition").
TEST(Rc, SparseIdSurvivesDenseGrowth) {
  const std::string text =
      "rnncc 1\n"
      "3000000 = input big\n"  // far beyond the dense table: kept aside
      "1000000 = input a\n"    // so are these: the dense table covers ids below
      "2000000 = input b\n"    // 2 * (ids stored) + 1024 only
      "2900000 = input c\n"
      "3000001 = neg 3000000\n"
      "output y = 3000000\n"
      "output n = 3000001\n";
  const std::string expected =
      "rnncc 1\n"
      "0 = input big\n"
      "1 = input a\n"
      "2 = input b\n"
      "3 = input c\n"
      "4 = neg 0\n"
      "output y = 0\n"
      "output n = 4\n";
  EXPECT_EQ(canonical(text), expected);
  try {
    io::read_rc(
        "rnncc 1\n3000000 = input big\n1000000 = input a\n2000000 = input b\n"
        "2900000 = input c\n3000000 = input again\n",
        "t.rc");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "t.rc:6:1: gate 3000000 is defined twice");
  }
}

// A sparse id moves into the dense table once enough ids are stored for the table to reach it,
// and stays visible there (as an operand, and to the "defined twice" check).
TEST(Rc, SparseIdMovesIntoTheDenseTable) {
  // 1050 >= 2 * 1 + 1024: sparse. The table grows by half its size (capped by 2 * stored + 1024):
  // 1, 2, 3, 4, 6, ..., 474, 711, 1066 at id 711, past 1050.
  std::string text = "rnncc 1\n1050 = input big\n";
  std::string expected = "rnncc 1\n0 = input big\n";
  for (int i = 0; i < 800; ++i) {  // dense ids 0 .. 799
    text += std::to_string(i) + " = input a" + std::to_string(i) + "\n";
    expected += std::to_string(i + 1) + " = input a" + std::to_string(i) + "\n";
  }
  text += "1051 = neg 1050\noutput y = 1051\noutput z = 799\n";
  expected += "801 = neg 0\noutput y = 801\noutput z = 800\n";
  EXPECT_EQ(canonical(text), expected);
  try {
    io::read_rc(text + "1050 = input again\n", "t.rc");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "t.rc:806:1: gate 1050 is defined twice");
  }
}

// Ids chosen to sit just inside a "twice the table + 2^20" growth rule (s_{k+1} = 2 s_k + 2^20 + 1)
// used to double the dense table on every line: 40 lines asked for 2^61 bytes. The table now
// grows only with the ids stored, so this reads at once with the writer's ids.
TEST(Rc, InflatingIdsReadAsSparse) {
  std::vector<std::uint64_t> id{0};
  for (int k = 1; k < 40; ++k) id.push_back(2 * id.back() + (1u << 20) + 1);
  EXPECT_EQ(id.back(), ((std::uint64_t{1} << 39) - 1) * ((1u << 20) + 1));
  std::string text = "rnncc 1\n" + std::to_string(id[0]) + " = input a\n" + std::to_string(id[1]) + " = input b\n";
  std::string expected = "rnncc 1\n0 = input a\n1 = input b\n";
  for (std::size_t k = 2; k < id.size(); ++k) {
    text += std::to_string(id[k]) + " = and " + std::to_string(id[k - 1]) + " " + std::to_string(id[k - 2]) + "\n";
    // The builder orders a commutative gate's operands: smaller id first.
    expected += std::to_string(k) + " = and " + std::to_string(k - 2) + " " + std::to_string(k - 1) + "\n";
  }
  text += "output y = " + std::to_string(id.back()) + "\n";
  expected += "output y = 39\n";
  EXPECT_EQ(canonical(text), expected);
}

// Ids in decreasing order (all sparse at first), then increasing past them: every id found.
TEST(Rc, DescendingThenAscendingIds) {
  std::string text = "rnncc 1\n";
  for (int i = 3000; i >= 2000; --i) text += std::to_string(i) + " = input d" + std::to_string(i) + "\n";
  for (int i = 0; i <= 1000; ++i) text += std::to_string(i) + " = not " + std::to_string(2000 + i) + "\n";
  text += "output y = 1000\noutput z = 2000\n";
  Circuit c = io::read_rc(text, "t.rc");
  EXPECT_EQ(c.inputs().size(), 1001u);
  EXPECT_EQ(c.num_gates(), 2002u);
  ASSERT_EQ(c.op(c.outputs()[0].gate), Op::Not);
  EXPECT_EQ(c.name_of_input(c.a(c.outputs()[0].gate)), "d3000");
  EXPECT_EQ(c.name_of_input(c.outputs()[1].gate), "d2000");
}

TEST(Rc, CommentsBlankLinesTabsAndCrLf) {
  const std::string text =
      "# leading comment\n"
      "\n"
      "   # indented comment\n"
      "rnncc 1   # header comment\n"
      "\t\n"
      "0 = input x   # the input\n"
      "1\t=\tneg 0\n"
      "2 = add 0 1#no space before the comment\n"
      "#3 = mul 2 2\n"
      "output y = 2 # out\r\n"
      "\r\n"
      "step 1 = 2\r\n"
      "3 = tanh 2";  // no final newline
  const std::string expected =
      "rnncc 1\n"
      "0 = input x\n"
      "1 = neg 0\n"
      "2 = add 0 1\n"
      "3 = tanh 2\n"
      "output y = 2\n"
      "step 1 = 2\n";
  EXPECT_EQ(canonical(text), expected);
}

TEST(Rc, InputNamesMayStartWithAt) {
  // Regression: a lone '@' token after 'input' is the name, not an origin.
  Builder b;
  GateId x = b.input("@x:1");
  b.set_origin({"o", 2});
  GateId y = b.input("@y");
  b.output("@out", b.add(x, y));
  std::string once = io::write_rc(b.finish());
  EXPECT_EQ(once,
            "rnncc 1\n0 = input @x:1\n1 = input @y @o:2\n2 = add 0 1 @o:2\noutput @out = 2\n");
  Circuit c = io::read_rc(once, "t.rc");
  EXPECT_EQ(c.name_of_input(0), "@x:1");
  EXPECT_EQ(c.origin(0), (Origin{}));
  EXPECT_EQ(c.name_of_input(1), "@y");
  EXPECT_EQ(c.origin(1), (Origin{"o", 2}));
  EXPECT_EQ(io::write_rc(c), once);
}

TEST(Rc, EmptyCircuit) {
  EXPECT_EQ(canonical("rnncc 1\n"), "rnncc 1\n");
  EXPECT_EQ(canonical("rnncc 1"), "rnncc 1\n");
  Circuit c = io::read_rc("rnncc 1\n", "x/empty.rc");
  EXPECT_EQ(c.num_gates(), 0u);
  EXPECT_EQ(c.name, "empty");
}

// ---------------------------------------------------------------------------------------------
// Malformed inputs: every error names the file, the line and (where a token is at fault) the
// column, exactly.

struct BadCase {
  const char* name;
  std::string text;
  std::string message;  // the whole what()
};

void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name;
}

const std::string kPre = "rnncc 1\n0 = input x\n";  // errors below it are on line 3

const BadCase kBadCases[] = {
    // header
    {"MissingHeader", "0 = input x\n", "t.rc:1:1: expected the header 'rnncc 1'"},
    {"MisspelledHeaderAfterComments", "# c\n\nrnnc 1\n", "t.rc:3:1: expected the header 'rnncc 1'"},
    {"WrongVersion", "rnncc 2\n", "t.rc:1:7: unsupported version: expected 'rnncc 1'"},
    {"WrongVersionIndented", "  rnncc   10\n",
     "t.rc:1:11: unsupported version: expected 'rnncc 1'"},
    {"MissingVersion", "rnncc\n", "t.rc:1:1: unsupported version: expected 'rnncc 1'"},
    {"EmptyFile", "", "t.rc:1: empty file: expected the header 'rnncc 1'"},
    {"OnlyComments", "# a\n\n   # b\n", "t.rc:3: empty file: expected the header 'rnncc 1'"},
    // gate kinds and fan-in
    {"UnknownKind", kPre + "1 = foo 0\n", "t.rc:3:5: unknown gate kind 'foo'"},
    {"KindIsCaseSensitive", kPre + "1 = Add 0 0\n", "t.rc:3:5: unknown gate kind 'Add'"},
    {"TooManyOperandsBinary", kPre + "1 = add 0 0 0\n",
     "t.rc:3:13: fan-in violation: 'add' takes 2 operands, got 3"},
    {"TooFewOperandsBinary", kPre + "1 = sub 0\n",
     "t.rc:3:5: fan-in violation: 'sub' takes 2 operands, got 1"},
    {"NoOperandsBinary", kPre + "1 = mul\n",
     "t.rc:3:5: fan-in violation: 'mul' takes 2 operands, got 0"},
    {"TooManyOperandsUnary", kPre + "1 = neg 0 0\n",
     "t.rc:3:11: fan-in violation: 'neg' takes 1 operand, got 2"},
    {"NoOperandUnary", kPre + "1 = tanh\n",
     "t.rc:3:5: fan-in violation: 'tanh' takes 1 operand, got 0"},
    {"TooFewOperandsWithOrigin", kPre + "1 = and 0 @a:1\n",
     "t.rc:3:5: fan-in violation: 'and' takes 2 operands, got 1"},
    {"TooManyOperandsWithOrigin", kPre + "1 = not 0 0 @a:1\n",
     "t.rc:3:11: fan-in violation: 'not' takes 1 operand, got 2"},
    {"GateWithoutKind", kPre + "1 =\n", "t.rc:3:4: expected a gate kind after '='"},
    // operands
    {"OperandBeforeDefinition", kPre + "1 = add 0 2\n2 = input y\n",
     "t.rc:3:11: operand 2 is used before its definition"},
    {"SelfReference", kPre + "1 = neg 1\n", "t.rc:3:9: operand 1 is used before its definition"},
    {"BadOperandId", kPre + "1 = neg -0\n",
     "t.rc:3:9: expected an operand id (a non-negative integer), got '-0'"},
    // ids
    {"DefinedTwice", kPre + "0 = input y\n", "t.rc:3:1: gate 0 is defined twice"},
    {"DefinedTwiceAfterMerge", kPre + "1 = neg 0\n2 = neg 0\n1 = relu 0\n",
     "t.rc:5:1: gate 1 is defined twice"},
    {"BadIdWord", kPre + "x = neg 0\n",
     "t.rc:3:1: expected a gate id, 'output' or 'step' (a non-negative integer), got 'x'"},
    {"BadIdNegative", kPre + "-1 = neg 0\n",
     "t.rc:3:1: expected a gate id, 'output' or 'step' (a non-negative integer), got '-1'"},
    {"BadIdPlus", kPre + "+1 = neg 0\n",
     "t.rc:3:1: expected a gate id, 'output' or 'step' (a non-negative integer), got '+1'"},
    {"BadIdOverflow", kPre + "18446744073709551616 = neg 0\n",
     "t.rc:3:1: expected a gate id, 'output' or 'step' (a non-negative integer), got "
     "'18446744073709551616'"},
    {"MissingEqualsGate", kPre + "1 neg 0\n",
     "t.rc:3:3: expected '=' after the gate id, got 'neg'"},
    {"MissingEqualsAtEnd", kPre + "1\n", "t.rc:3:2: expected '=' after the gate id"},
    // constants
    {"ConstantDivByZero", "rnncc 1\n0 = const 1/0\n",
     "t.rc:2:11: bad constant '1/0': expected [-]p or [-]p/q with q != 0"},
    {"ConstantZeroOverZero", "rnncc 1\n0 = const 0/000\n",
     "t.rc:2:11: bad constant '0/000': expected [-]p or [-]p/q with q != 0"},
    {"ConstantDecimal", "rnncc 1\n0 = const 1.5\n",
     "t.rc:2:11: bad constant '1.5': expected [-]p or [-]p/q with q != 0"},
    {"ConstantWord", "rnncc 1\n0 = const abc\n",
     "t.rc:2:11: bad constant 'abc': expected [-]p or [-]p/q with q != 0"},
    {"ConstantDoubleMinus", "rnncc 1\n0 = const --3\n",
     "t.rc:2:11: bad constant '--3': expected [-]p or [-]p/q with q != 0"},
    {"ConstantPlus", "rnncc 1\n0 = const +3\n",
     "t.rc:2:11: bad constant '+3': expected [-]p or [-]p/q with q != 0"},
    {"ConstantNegativeDenominator", "rnncc 1\n0 = const 1/-2\n",
     "t.rc:2:11: bad constant '1/-2': expected [-]p or [-]p/q with q != 0"},
    {"ConstantMissingDenominator", "rnncc 1\n0 = const 3/\n",
     "t.rc:2:11: bad constant '3/': expected [-]p or [-]p/q with q != 0"},
    {"ConstantLoneMinus", "rnncc 1\n0 = const -\n",
     "t.rc:2:11: bad constant '-': expected [-]p or [-]p/q with q != 0"},
    {"ConstantHex", "rnncc 1\n0 = const 0x10\n",
     "t.rc:2:11: bad constant '0x10': expected [-]p or [-]p/q with q != 0"},
    {"ConstantWithoutValue", "rnncc 1\n0 = const\n", "t.rc:2:10: expected a constant value"},
    {"ConstantTwoValues", "rnncc 1\n0 = const 1 2\n",
     "t.rc:2:13: unexpected token after the constant"},
    // inputs
    {"DuplicateInputName", kPre + "1 = input x\n", "t.rc:3:11: duplicate input name 'x'"},
    {"InputWithoutName", kPre + "1 = input\n", "t.rc:3:10: expected an input name"},
    {"InputTwoNames", kPre + "1 = input a b\n", "t.rc:3:13: unexpected token after the input name"},
    {"BadInputName", kPre + "1 = input a=b\n", "t.rc:3:11: bad input name"},
    // outputs
    {"DuplicateOutputName", kPre + "output y = 0\noutput y = 0\n",
     "t.rc:4:8: duplicate output name 'y'"},
    {"OutputUndefinedGate", kPre + "output y = 7\n",
     "t.rc:3:12: operand 7 is used before its definition"},
    {"OutputBadGateId", kPre + "output y = z\n",
     "t.rc:3:12: expected an operand id (a non-negative integer), got 'z'"},
    {"OutputWithoutName", kPre + "output\n", "t.rc:3:7: expected an output name"},
    {"BadOutputName", kPre + "output a=b = 0\n", "t.rc:3:8: bad output name"},
    {"OutputMissingEquals", kPre + "output y 0\n",
     "t.rc:3:10: expected '=' after the output name, got '0'"},
    {"OutputMissingEqualsAtEnd", kPre + "output y\n",
     "t.rc:3:9: expected '=' after the output name"},
    {"OutputWithoutGate", kPre + "output y =\n", "t.rc:3:11: expected a gate id after '='"},
    {"OutputExtraToken", kPre + "output y = 0 0\n",
     "t.rc:3:14: unexpected token after the output's gate id"},
    // steps
    {"StepUndefinedGate", kPre + "step 1 = 0 9\n",
     "t.rc:3:12: operand 9 is used before its definition"},
    {"StepBadNumber", kPre + "step x = 0\n", "t.rc:3:6: expected a step number, got 'x'"},
    {"StepNegativeNumber", kPre + "step -1 = 0\n", "t.rc:3:6: expected a step number, got '-1'"},
    {"StepNumberOverflow", kPre + "step 4294967296 = 0\n",
     "t.rc:3:6: expected a step number, got '4294967296'"},
    {"StepWithoutNumber", kPre + "step\n", "t.rc:3:5: expected a step number"},
    {"StepMissingEquals", kPre + "step 1 0\n",
     "t.rc:3:8: expected '=' after the step number, got '0'"},
    // origins
    {"BadOrigin", kPre + "1 = neg 0 @foo\n", "t.rc:3:11: bad origin: expected '@construct:step'"},
    {"BadOriginStep", kPre + "1 = neg 0 @foo:x\n",
     "t.rc:3:11: bad origin step: expected '@construct:step' with a non-negative integer step"},
    {"BadOriginEmptyStep", kPre + "1 = neg 0 @foo:\n",
     "t.rc:3:11: bad origin step: expected '@construct:step' with a non-negative integer step"},
    {"BadOriginNegativeStep", kPre + "1 = neg 0 @foo:-1\n",
     "t.rc:3:11: bad origin step: expected '@construct:step' with a non-negative integer step"},
    {"BadOriginOnInput", kPre + "1 = input y @nocolon\n",
     "t.rc:3:13: bad origin: expected '@construct:step'"},
    {"BadOriginOnConstant", kPre + "1 = const 2 @c\n",
     "t.rc:3:13: bad origin: expected '@construct:step'"},
    // columns and lines: tabs, CRLF, comments all count as the text is
    {"TabsCountOneColumn", kPre + "1\t=\tfoo 0\n", "t.rc:3:5: unknown gate kind 'foo'"},
    {"CrLfLines", "rnncc 1\r\n0 = input x\r\n1 = foo 0\r\n", "t.rc:3:5: unknown gate kind 'foo'"},
    {"CommentsCountAsLines", "# c\nrnncc 1\n\n# d\n0 = input x\n  1 = bar # baz\n",
     "t.rc:6:7: unknown gate kind 'bar'"},
    // names: UTF-8 without control characters (they go into JSON reports)
    {"InputNameNotUtf8", kPre + "1 = input y\xff\n",
     "t.rc:3:12: bad input name: byte 0xFF at byte offset 1 of the name is not valid UTF-8"},
    {"InputNameLatin1", kPre + "1 = input gr\xf6\xdf" "e\n",
     "t.rc:3:13: bad input name: byte 0xF6 at byte offset 2 of the name is not valid UTF-8"},
    {"InputNameNul", kPre + "1 = input a" + std::string(1, '\0') + "\n",
     "t.rc:3:12: bad input name: control character 0x00 at byte offset 1 of the name"},
    {"OutputNameControl", kPre + "output y\x01 = 0\n",
     "t.rc:3:9: bad output name: control character 0x01 at byte offset 1 of the name"},
    {"OutputNameTruncatedUtf8", kPre + "output \xe2\x88 = 0\n",
     "t.rc:3:8: bad output name: byte 0xE2 at byte offset 0 of the name is not valid UTF-8"},
    {"OriginConstructNotUtf8", kPre + "1 = not 0 @m\xff" "x:1\n",
     "t.rc:3:13: bad origin construct name: byte 0xFF at byte offset 1 of the name is not valid UTF-8"},
    {"HeaderTwice", "rnncc 1\nrnncc 1\n",
     "t.rc:2:1: expected a gate id, 'output' or 'step' (a non-negative integer), got 'rnncc'"},
};

class RcErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(RcErrors, ExactLocatedMessage) {
  const BadCase& bc = GetParam();
  // Scanned inline (as small files are) and in the scanning thread (as large ones are): the
  // same message.
  for (io::RcScan scan : {io::RcScan::Inline, io::RcScan::Thread}) {
    try {
      io::read_rc(bc.text, "t.rc", scan);
      ADD_FAILURE() << "no error for:\n" << bc.text;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), bc.message) << "for:\n" << bc.text;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, RcErrors, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& param) {
                           return std::string(param.param.name);
                         });

TEST(Rc, ErrorsNameTheGivenPath) {
  try {
    io::read_rc("rnncc 1\n0 = wat\n", "models/elman-T8.rc");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "models/elman-T8.rc:2:5: unknown gate kind 'wat'");
  }
}

}  // namespace
}  // namespace rnncc::circuits

namespace rnncc::circuits {
namespace {

// A random file of `lines` gate lines in the forms a hand or another tool may write: sparse and
// shuffled ids, spaces, tabs, CR LF, comments, blank lines, duplicates that merge, constants,
// origins that come back after more than 64 others, outputs, ports, steps and hints.
std::string messy_rc(std::uint64_t seed, std::size_t lines) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&x] {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x * 0x2545F4914F6CDD1Dull;
  };
  auto below = [&](std::uint64_t n) { return next() % n; };
  auto space = [&] {
    static const char* kSpaces[] = {" ", " ", " ", "  ", "\t", " \t "};
    return std::string(kSpaces[below(6)]);
  };
  std::string s = "# generated\n\nrnncc 1\n";
  std::vector<std::uint64_t> ids;
  auto fresh_id = [&] { return ids.size() * 3 + below(3) + (below(50) == 0 ? 1'000'000'000'000ull : 0); };
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t id = fresh_id();
    s += std::to_string(id) + space() + "=" + space() + "input" + space() + "x" + std::to_string(i) + "\n";
    ids.push_back(id);
  }
  const char* kOps[] = {"add", "sub", "mul", "neg", "relu", "tanh", "buf", "sign"};
  for (std::size_t k = 0; k < lines; ++k) {
    const std::uint64_t r = below(100);
    std::string line;
    const std::uint64_t id = fresh_id();
    if (r < 3) {
      line = std::to_string(id) + " = const " + (below(2) ? "-" : "") + std::to_string(below(100)) + "/" +
             std::to_string(1 + below(9));
    } else {
      const char* op = kOps[below(8)];
      const bool binary = op == std::string("add") || op == std::string("sub") || op == std::string("mul");
      // operands mostly recent (so duplicates and merges happen), sometimes far back
      auto operand = [&] { return ids[ids.size() - 1 - (below(4) ? below(std::min<std::size_t>(ids.size(), 8)) : below(ids.size()))]; };
      line = std::to_string(id) + space() + "=" + space() + op + space() + std::to_string(operand());
      if (binary) line += space() + std::to_string(operand());
      const std::uint64_t o = below(10);
      // origins: a few per step, sometimes one of long ago (more than 64 origins back)
      if (o < 6) line += space() + "@c" + std::to_string(below(3)) + ":" + std::to_string(k / 50);
      else if (o == 6) line += space() + "@old" + std::to_string(below(4)) + ":" + std::to_string(below(3));
    }
    ids.push_back(id);
    const std::uint64_t tail = below(20);
    if (tail == 0) line += space() + "# note";
    else if (tail == 1) line += "#x";
    else if (tail == 2) line += " ";
    s += line + (below(10) == 0 ? "\r\n" : "\n");
    if (below(200) == 0) s += below(2) ? "\n" : "   # comment line\n";
  }
  for (int i = 0; i < 20; ++i) {
    const std::string name = "y" + std::to_string(i);
    s += "output " + name + " = " + std::to_string(ids[ids.size() - 1 - below(ids.size())]) + "\n";
    s += "port output " + name + " output t=" + std::to_string(i + 1) + " i=0\n";
  }
  s += "step 1 = " + std::to_string(ids[9]) + " " + std::to_string(ids[10]) + "\n";
  s += "hint " + std::to_string(ids[12]) + " range=-3:4\n";
  return s;
}

// The scanning thread changes nothing: on files that cross many chunks (8192 lines each), in
// every form the grammar allows, the circuit (written canonically) and any error are the same as
// when the text is scanned inline; the error is injected at a random line, ahead of or behind
// the chunk being built.
TEST(RcScan, ThreadedScanningEqualsInline) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    std::string text = messy_rc(seed, 30'000);
    const std::string a = io::write_rc(io::read_rc(text, "m.rc", io::RcScan::Inline));
    const std::string b = io::write_rc(io::read_rc(text, "m.rc", io::RcScan::Thread));
    ASSERT_TRUE(a == b) << "seed " << seed;
    EXPECT_GT(a.size(), 500'000u);
    // An error somewhere: an undefined operand, a bad kind, a duplicate id or a bad origin.
    std::size_t at = text.size() / 7 * (1 + seed % 6);
    at = text.find('\n', at) + 1;
    const char* kBad[] = {"999999999999 = add 0 77777777777\n", "5 = frob 1 2\n", "6 = add 0 0 @no-colon\n",
                          "7 = add 0 3 @c:99999999999\n"};
    text.insert(at, kBad[seed % 4]);
    std::string inline_error, thread_error;
    try {
      io::read_rc(text, "m.rc", io::RcScan::Inline);
    } catch (const Error& e) {
      inline_error = e.what();
    }
    try {
      io::read_rc(text, "m.rc", io::RcScan::Thread);
    } catch (const Error& e) {
      thread_error = e.what();
    }
    EXPECT_FALSE(inline_error.empty()) << "seed " << seed;
    EXPECT_EQ(thread_error, inline_error) << "seed " << seed;
  }
}

// An error on the first line of a large file stops the scanning thread at once.
TEST(RcScan, EarlyErrorStopsTheScanner) {
  std::string text = "rnncc 2\n";
  const std::string line = "1 = add 0 0\n";
  while (text.size() < (std::size_t{64} << 20)) text += line;
  try {
    io::read_rc(text, "big.rc");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "big.rc:1:7: unsupported version: expected 'rnncc 1'");
  }
}

// The fast reader and writer keep the grammar exactly on a large generated circuit (every kind,
// ports, origins, steps): write -> read -> write is byte-identical, through the string and the
// stream writer alike. 10^7 gates (about 250 MB of text); 10^6 under AddressSanitizer, whose
// shadow memory and slowdown make the full size a matter of minutes.
TEST(RcLarge, RoundTripIsByteIdentical) {
#if defined(__SANITIZE_ADDRESS__)
  const std::size_t gates = 1'000'000;
  std::printf("built with AddressSanitizer: round trip of 10^6 gates instead of 10^7\n");
#else
  const std::size_t gates = 10'000'000;
#endif
  const Circuit c = bench::generated_circuit(gates);
  ASSERT_GE(c.num_gates(), gates);
  const std::string first = io::write_rc(c);
  std::ostringstream streamed;
  io::write_rc(c, streamed);
  EXPECT_TRUE(streamed.str() == first);
  const Circuit back = io::read_rc(first, "large.rc");
  EXPECT_EQ(back.num_gates(), c.num_gates());
  const std::string second = io::write_rc(back);
  EXPECT_EQ(second.size(), first.size());
  EXPECT_TRUE(second == first);  // not EXPECT_EQ: a failure would print 250 MB
}

}  // namespace
}  // namespace rnncc::circuits
