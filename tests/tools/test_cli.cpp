// The rnncc command line (tools/): runs the built binary and checks its output against values
// computed here independently (a small AIGER analyser and evaluator written in this file, hand
// counts), its exit codes and stderr, and that failed commands leave no files behind.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "tests/support.hpp"

namespace rnncc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Cli {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void put(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

// Runs `rnncc ARGS` in directory `cwd`, stdout and stderr captured apart (outside `cwd`, in a
// directory of this process: ctest runs test cases in parallel processes).
Cli rnncc(const std::string& args, const std::string& cwd) {
  struct CaptureDir {
    std::string path;
    CaptureDir() {
      path = (fs::path(RNNCC_TEST_TMP) / ("cli_capture_" + std::to_string(::getpid()))).string();
      fs::create_directories(path);
    }
    ~CaptureDir() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  };
  static const CaptureDir dir;
  const std::string& cap = dir.path;
  RunResult r = run("(cd " + quote(cwd) + " && " + quote(rnncc_binary()) + " " + args + " >" +
                    quote(cap + "/out") + " 2>" + quote(cap + "/err") + ")");
  EXPECT_EQ(r.out, "") << "the shell itself complained";
  return {r.status, slurp(cap + "/out"), slurp(cap + "/err")};
}

std::set<std::string> listing(const std::string& dir) {
  std::set<std::string> r;
  for (const auto& e : fs::directory_iterator(dir)) r.insert(e.path().filename().string());
  return r;
}

// Files a failed or finished write must not leave: hidden or temporary names.
void expect_no_temp_files(const std::string& dir) {
  for (const std::string& f : listing(dir)) {
    EXPECT_NE(f[0], '.') << "left behind in " << dir << ": " << f;
    EXPECT_EQ(f.find("tmp"), std::string::npos) << "left behind in " << dir << ": " << f;
  }
}

// ---------------------------------------------------------------------------------------------
// An independent analyser of binary AIGER, following docs/measures.md for circuits read by
// rnncc: one NOT per variable used complemented by a live AND or an output, inputs and
// constants at level 0, every other gate 1 + the max of its operands (NOT free under
// --not-free), mul_depth = AND depth. Valid for files with no duplicate or foldable ANDs,
// which it checks.

struct Expected {
  std::size_t inputs = 0, outputs = 0, ands = 0, nots = 0, consts = 0, size = 0;
  std::size_t depth = 0, mul_depth = 0, width = 0;
  std::vector<std::size_t> levels;
};

Expected analyse_aig(const std::string& data, bool not_free) {
  Expected e;
  std::size_t pos = data.find('\n');
  std::istringstream header(data.substr(0, pos));
  std::string magic;
  std::size_t m = 0, ni = 0, nl = 0, no = 0, na = 0;
  header >> magic >> m >> ni >> nl >> no >> na;
  EXPECT_EQ(magic, "aig");
  EXPECT_EQ(m, ni + na);
  e.inputs = ni;
  e.outputs = no;
  ++pos;
  std::vector<std::size_t> out(no);
  for (auto& o : out) {
    std::size_t end = data.find('\n', pos);
    o = std::stoul(data.substr(pos, end - pos));
    pos = end + 1;
  }
  std::vector<std::size_t> r0(m + 1), r1(m + 1);
  std::set<std::pair<std::size_t, std::size_t>> seen;
  auto varint = [&] {
    std::size_t x = 0;
    for (int shift = 0;; shift += 7) {
      unsigned char ch = static_cast<unsigned char>(data.at(pos++));
      x |= std::size_t{ch & 0x7fu} << shift;
      if (!(ch & 0x80)) return x;
    }
  };
  for (std::size_t v = ni + 1; v <= m; ++v) {
    r0[v] = 2 * v - varint();
    r1[v] = r0[v] - varint();
    EXPECT_GE(r1[v], 2u) << "AND with a constant operand: not handled here";
    EXPECT_NE(r0[v] / 2, r1[v] / 2) << "foldable AND: not handled here";
    EXPECT_TRUE(seen.insert({r0[v], r1[v]}).second) << "duplicate AND: not handled here";
  }
  std::vector<bool> live(m + 1, false), negated(m + 1, false);
  bool const0 = false, const1 = false;
  for (std::size_t o : out) {
    live[o / 2] = true;
    if (o == 0) const0 = true;
    if (o == 1) const1 = true;
    if (o > 1 && (o & 1)) negated[o / 2] = true;
  }
  for (std::size_t v = m; v > ni; --v) {
    if (!live[v]) continue;
    for (std::size_t l : {r0[v], r1[v]}) {
      live[l / 2] = true;
      if (l & 1) negated[l / 2] = true;
    }
  }
  std::vector<std::size_t> level(m + 1, 0), and_level(m + 1, 0);
  const std::size_t not_cost = not_free ? 0 : 1;
  auto lit_level = [&](std::size_t l) { return level[l / 2] + ((l & 1) && l > 1 ? not_cost : 0); };
  for (std::size_t v = ni + 1; v <= m; ++v) {
    level[v] = 1 + std::max(lit_level(r0[v]), lit_level(r1[v]));
    and_level[v] = 1 + std::max(and_level[r0[v] / 2], and_level[r1[v] / 2]);
  }
  for (std::size_t o : out) {
    e.depth = std::max(e.depth, lit_level(o));
    e.mul_depth = std::max(e.mul_depth, and_level[o / 2]);
  }
  e.levels.assign(e.depth + 1, 0);
  e.consts = std::size_t{const0} + std::size_t{const1};
  e.levels[0] = e.consts;
  for (std::size_t v = 1; v <= m; ++v) {
    if (!live[v]) continue;
    ++e.levels[level[v]];
    if (v > ni) ++e.ands;
    if (negated[v]) {
      ++e.nots;
      ++e.levels[level[v] + not_cost];
    }
  }
  e.size = e.ands + e.nots;
  for (std::size_t l = 1; l < e.levels.size(); ++l) e.width = std::max(e.width, e.levels[l]);
  return e;
}

// Truth tables of ASCII AIGER (ANDs in order), one per output: bit k = value when input i has
// bit i of k.
std::vector<std::uint64_t> eval_aag(const std::string& text) {
  std::istringstream in(text);
  std::string magic;
  std::size_t m = 0, ni = 0, nl = 0, no = 0, na = 0;
  in >> magic >> m >> ni >> nl >> no >> na;
  EXPECT_EQ(magic, "aag");
  EXPECT_LE(ni, 6u);
  std::vector<std::size_t> in_lit(ni), out_lit(no);
  for (auto& x : in_lit) in >> x;
  for (auto& x : out_lit) in >> x;
  std::vector<std::uint64_t> val(m + 1, 0);
  for (std::size_t i = 0; i < ni; ++i)
    for (std::uint64_t k = 0; k < 64; ++k)
      if ((k >> i) & 1) val[in_lit[i] / 2] |= std::uint64_t{1} << k;
  auto lit = [&](std::size_t l) { return (l & 1) ? ~val[l / 2] : val[l / 2]; };
  for (std::size_t k = 0; k < na; ++k) {
    std::size_t lhs = 0, a = 0, b = 0;
    in >> lhs >> a >> b;
    val[lhs / 2] = lit(a) & lit(b);
  }
  const std::uint64_t mask = ni >= 6 ? ~0ull : (std::uint64_t{1} << (1u << ni)) - 1;
  std::vector<std::uint64_t> r;
  for (std::size_t o : out_lit) r.push_back(lit(o) & mask);
  return r;
}

std::string summary(const std::string& name, const Expected& e) {
  return name + ": in/out = " + std::to_string(e.inputs) + "/" + std::to_string(e.outputs) +
         " size = " + std::to_string(e.size) + " depth = " + std::to_string(e.depth) +
         " muldepth = " + std::to_string(e.mul_depth) + " width = " + std::to_string(e.width);
}

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

// ---------------------------------------------------------------------------------------------
// report

// A hand-written chain: v3 = !a & b, v4 = !v3 & a, output !v4.
// Every gate costs 1: !a 1, v3 2, !v3 3, v4 4, !v4 5. Under --not-free: v3 1, v4 2.
const char* kChain = "aag 4 2 0 1 2\n2\n4\n9\n6 3 4\n8 7 2\n";

TEST(CliReport, TextOneLinerHandCounted) {
  const std::string dir = scratch("cli_report_text");
  put(dir + "/chain.aag", kChain);
  Cli r = rnncc("report chain.aag", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(first_line(r.out), "chain: in/out = 2/1 size = 5 depth = 5 muldepth = 2 width = 1");
  Cli f = rnncc("report chain.aag --not-free", dir);
  ASSERT_EQ(f.status, 0) << f.err;
  // Level 0: a, b, !a; level 1: v3, !v3; level 2: v4, !v4.
  EXPECT_EQ(first_line(f.out), "chain: in/out = 2/1 size = 5 depth = 2 muldepth = 2 width = 2");
}

class CliEpfl : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { RNNCC_REQUIRE_EPFL(); }
};

// From tests/data/epfl/README.md (ABC's and, lev).
const std::map<std::string, std::pair<std::size_t, std::size_t>> kAbc = {
    {"ctrl", {174, 10}}, {"int2float", {260, 16}}, {"router", {257, 54}}, {"dec", {304, 3}}};

TEST_P(CliEpfl, TextOneLiner) {
  const std::string name = GetParam();
  const std::string data = slurp(epfl(name));
  Cli r = rnncc("report " + quote(epfl(name)), scratch("cli_epfl_text_" + name));
  ASSERT_EQ(r.status, 0) << r.err;
  Expected e = analyse_aig(data, false);
  EXPECT_EQ(e.ands, kAbc.at(name).first);  // the analyser agrees with ABC
  EXPECT_EQ(first_line(r.out), summary(name, e));
  static const std::regex form(
      R"(^[\w.\-\[\]]+: in/out = \d+/\d+ size = \d+ depth = \d+ muldepth = \d+ width = \d+$)");
  EXPECT_TRUE(std::regex_match(first_line(r.out), form)) << first_line(r.out);
}

TEST_P(CliEpfl, NotFreeGivesAbcLev) {
  const std::string name = GetParam();
  const std::string dir = scratch("cli_epfl_notfree_" + name);
  Cli d = rnncc("report --json " + quote(epfl(name)), dir);
  Cli f = rnncc("report --json --not-free " + quote(epfl(name)), dir);
  ASSERT_EQ(d.status, 0) << d.err;
  ASSERT_EQ(f.status, 0) << f.err;
  json jd = json::parse(d.out), jf = json::parse(f.out);
  EXPECT_EQ(jf["depth"], kAbc.at(name).second);
  EXPECT_EQ(jf["mul_depth"], kAbc.at(name).second);
  EXPECT_EQ(jf["by_kind"]["and"], kAbc.at(name).first);
  EXPECT_EQ(jd["depth"], analyse_aig(slurp(epfl(name)), false).depth);
  EXPECT_GT(jd["depth"].get<std::size_t>(), jf["depth"].get<std::size_t>());
  // Only levels move: sizes and counts are the same.
  EXPECT_EQ(jd["size"], jf["size"]);
  EXPECT_EQ(jd["by_kind"], jf["by_kind"]);
  EXPECT_EQ(jd["mul_depth"], jf["mul_depth"]);
  EXPECT_EQ(jd["not_free"], false);
  EXPECT_EQ(jf["not_free"], true);
}

TEST_P(CliEpfl, JsonHasDocumentedKeys) {
  const std::string name = GetParam();
  Cli r = rnncc("report --json " + quote(epfl(name)), scratch("cli_epfl_json_" + name));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  json j;
  ASSERT_NO_THROW(j = json::parse(r.out)) << r.out;
  ASSERT_TRUE(j.is_object());
  for (const char* key : {"name", "inputs", "outputs", "size", "depth", "mul_depth", "max_width",
                          "by_kind", "levels"})
    EXPECT_TRUE(j.contains(key)) << key;
  Expected e = analyse_aig(slurp(epfl(name)), false);
  EXPECT_EQ(j["name"], name);
  EXPECT_EQ(j["inputs"], e.inputs);
  EXPECT_EQ(j["outputs"], e.outputs);
  EXPECT_EQ(j["size"], e.size);
  EXPECT_EQ(j["depth"], e.depth);
  EXPECT_EQ(j["mul_depth"], e.mul_depth);
  EXPECT_EQ(j["max_width"], e.width);
  EXPECT_EQ(j["by_kind"]["and"], e.ands);
  EXPECT_EQ(j["by_kind"]["not"], e.nots);
  std::vector<std::size_t> levels = j["levels"];
  EXPECT_EQ(levels, e.levels);
  // The rest of docs/measures.md's JSON, derived from the analyser's level profile.
  for (const char* key : {"not_free", "widths", "average_parallelism", "critical_path", "fanout"})
    EXPECT_TRUE(j.contains(key)) << key;
  std::vector<std::size_t> widths(e.levels.begin() + 1, e.levels.end());
  std::sort(widths.begin(), widths.end());
  EXPECT_EQ(j["widths"]["min"], widths.front());
  EXPECT_EQ(j["widths"]["median"], widths[(widths.size() - 1) / 2]);
  EXPECT_EQ(j["widths"]["max"], widths.back());
  EXPECT_DOUBLE_EQ(j["average_parallelism"].get<double>(),
                   static_cast<double>(e.size) / static_cast<double>(e.depth));
  // Every gate costs 1, so a longest path has depth + 1 gates.
  EXPECT_EQ(j["critical_path"]["length"], e.depth + 1);
  EXPECT_EQ(j["by_kind"]["input"], e.levels[0] - e.consts);
}

INSTANTIATE_TEST_SUITE_P(Small, CliEpfl, ::testing::Values("ctrl", "int2float", "router", "dec"),
                         [](const auto& param_info) { return std::string(param_info.param); });

// ---------------------------------------------------------------------------------------------
// convert

// A boolean .rc circuit: or, xor and not over three inputs. Truth tables over (a, b, c):
//   y0 = (a | b) xor c,  y1 = !(a & c),  y2 = b.
const char* kBool =
    "rnncc 1\n"
    "0 = input a\n1 = input b\n2 = input c\n"
    "3 = or 0 1\n4 = xor 3 2\n5 = and 0 2\n6 = not 5\n"
    "output y0 = 4\noutput y1 = 6\noutput y2 = 1\n";

std::uint64_t table3(bool (*f)(bool, bool, bool)) {
  std::uint64_t t = 0;
  for (int k = 0; k < 8; ++k)
    if (f(k & 1, k & 2, k & 4)) t |= 1u << k;
  return t;
}

TEST(CliConvert, BetweenAllFormats) {
  const std::string dir = scratch("cli_convert");
  put(dir + "/bool.rc", kBool);
  for (const char* out : {"bool.aig", "bool.aag", "bool.blif", "bool.dot", "copy.rc"}) {
    Cli r = rnncc(std::string("convert bool.rc ") + out, dir);
    EXPECT_EQ(r.status, 0) << out << ": " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(fs::exists(dir + "/" + out)) << out;
  }
  // .rc written by rnncc is canonical: write -> read -> write is byte-identical.
  ASSERT_EQ(rnncc("convert copy.rc copy2.rc", dir).status, 0);
  EXPECT_EQ(slurp(dir + "/copy.rc"), slurp(dir + "/copy2.rc"));

  // ASCII AIGER: or is one AND, xor three, and one: five ANDs; same functions.
  const std::string aag = slurp(dir + "/bool.aag");
  EXPECT_EQ(first_line(aag), "aag 8 3 0 3 5");
  std::vector<std::uint64_t> t = eval_aag(aag);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], table3([](bool a, bool b, bool c) { return (a || b) != c; }));
  EXPECT_EQ(t[1], table3([](bool a, bool, bool c) { return !(a && c); }));
  EXPECT_EQ(t[2], table3([](bool, bool b, bool) { return b; }));

  // aig -> aag -> rc -> aig: the same measures at every stop, the same bytes at the end.
  ASSERT_EQ(rnncc("convert bool.aig again.aag", dir).status, 0);
  EXPECT_EQ(slurp(dir + "/again.aag"), aag);
  ASSERT_EQ(rnncc("convert again.aag again.rc", dir).status, 0);
  ASSERT_EQ(rnncc("convert again.rc again.aig", dir).status, 0);
  EXPECT_EQ(slurp(dir + "/again.aig"), slurp(dir + "/bool.aig"));
  json first = json::parse(rnncc("report --json bool.aig", dir).out);
  for (const char* f : {"bool.aag", "again.aag", "again.rc", "again.aig"}) {
    json j = json::parse(rnncc(std::string("report --json ") + f, dir).out);
    for (const char* key : {"inputs", "outputs", "size", "depth", "mul_depth", "by_kind", "levels"})
      EXPECT_EQ(j[key], first[key]) << f << " " << key;
  }
  EXPECT_EQ(first["by_kind"]["and"], 5);

  // BLIF and DOT: names kept; checked by ABC and Graphviz when installed.
  const std::string blif = slurp(dir + "/bool.blif");
  EXPECT_NE(blif.find(".inputs a b c\n"), std::string::npos) << blif;
  EXPECT_NE(blif.find(".outputs y0 y1 y2\n"), std::string::npos) << blif;
  EXPECT_NE(blif.find(".end"), std::string::npos) << blif;
  EXPECT_EQ(slurp(dir + "/bool.dot").rfind("digraph", 0), 0u);
  expect_no_temp_files(dir);
}

// The BLIF that convert writes is what ABC reads, with the AIGER's functions.
TEST(CliConvert, BlifEquivalentInAbc) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = scratch("cli_convert_blif_abc");
  put(dir + "/bool.rc", kBool);
  ASSERT_EQ(rnncc("convert bool.rc bool.aig", dir).status, 0);
  ASSERT_EQ(rnncc("convert bool.rc bool.blif", dir).status, 0);
  RunResult cec = run("cd " + quote(dir) + " && berkeley-abc -c 'cec bool.aig bool.blif'");
  EXPECT_EQ(cec.status, 0) << cec.out;
  EXPECT_NE(cec.out.find("Networks are equivalent"), std::string::npos) << cec.out;
}

// The DOT that convert writes is what Graphviz reads.
TEST(CliConvert, DotAcceptedByGraphviz) {
  RNNCC_REQUIRE_PROGRAM("dot");
  const std::string dir = scratch("cli_convert_dot");
  put(dir + "/bool.rc", kBool);
  ASSERT_EQ(rnncc("convert bool.rc bool.dot", dir).status, 0);
  RunResult svg = run("dot -Tsvg " + quote(dir + "/bool.dot") + " -o " + quote(dir + "/bool.svg"));
  EXPECT_EQ(svg.status, 0) << svg.out;
  EXPECT_NE(slurp(dir + "/bool.svg").find("<svg"), std::string::npos);
}

TEST(CliConvert, EpflThroughRc) {
  RNNCC_REQUIRE_EPFL();
  const std::string dir = scratch("cli_convert_epfl");
  Cli a = rnncc("convert " + quote(epfl("int2float")) + " i.rc", dir);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(rnncc("convert i.rc i.aig", dir).status, 0);
  ASSERT_EQ(rnncc("convert " + quote(epfl("int2float")) + " direct.aig", dir).status, 0);
  EXPECT_EQ(slurp(dir + "/i.aig"), slurp(dir + "/direct.aig"));
  // The rewritten file measures as the original (independent analyser on both).
  Expected orig = analyse_aig(slurp(epfl("int2float")), true);
  Expected back = analyse_aig(slurp(dir + "/i.aig"), true);
  EXPECT_EQ(back.ands, orig.ands);
  EXPECT_EQ(back.depth, orig.depth);
  EXPECT_EQ(back.size, orig.size);
  EXPECT_EQ(back.levels, orig.levels);
  expect_no_temp_files(dir);
}

// The AIGER rewritten through .rc computes the original's functions (ABC's cec).
TEST(CliConvert, EpflThroughRcEquivalentInAbc) {
  RNNCC_REQUIRE_EPFL();
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = scratch("cli_convert_epfl_abc");
  ASSERT_EQ(rnncc("convert " + quote(epfl("int2float")) + " i.rc", dir).status, 0);
  ASSERT_EQ(rnncc("convert i.rc i.aig", dir).status, 0);
  RunResult cec = run("berkeley-abc -c " + quote("cec " + epfl("int2float") + " " + dir + "/i.aig"));
  EXPECT_EQ(cec.status, 0) << cec.out;
  EXPECT_NE(cec.out.find("Networks are equivalent"), std::string::npos) << cec.out;
}

// ---------------------------------------------------------------------------------------------
// Errors: exit 2, one line on stderr, nothing on stdout, no output file, no temporary file.

struct ErrorCase {
  const char* what;
  const char* args;
  const char* message;  // expected substring of stderr
  const char* absent;   // file that must not exist afterwards ("" if none)
};

TEST(CliErrors, ExitTwoWithOneLineAndNoFile) {
  const std::string dir = scratch("cli_errors");
  put(dir + "/good.rc", kBool);
  put(dir + "/bad.rc", "rnncc 1\n0 = input a\n1 = input b\n2 = and 0 9\noutput y = 2\n");
  put(dir + "/bad.aag", "aag 1 1 0 1 0\n2\nx\n");
  put(dir + "/arith.rc", "rnncc 1\n0 = input x\n1 = input y\n2 = mul 0 1\noutput p = 2\n");
  put(dir + "/good.txt", "rnncc 1\n");
  put(dir + "/empty.aig", "");
  fs::create_directory(dir + "/folder.rc");
  ASSERT_EQ(rnncc("convert good.rc good.blif", dir).status, 0);
  ASSERT_EQ(rnncc("convert good.rc good.dot", dir).status, 0);
  const std::set<std::string> before = listing(dir);

  const ErrorCase cases[] = {
      {"missing input", "report missing.aig", "cannot read missing.aig", ""},
      {"missing input, convert", "convert missing.rc out.aig", "cannot read missing.rc", "out.aig"},
      {"directory as input", "report folder.rc", "cannot read folder.rc", ""},
      {"syntax error", "report bad.rc", "bad.rc:4:11: operand 9 is used before its definition", ""},
      {"syntax error, convert", "convert bad.rc out.aig", "bad.rc:4:11:", "out.aig"},
      {"AIGER syntax error", "convert bad.aag out.rc", "bad.aag:3: expected output literal",
       "out.rc"},
      {"empty AIGER", "report empty.aig", "empty.aig:", ""},
      {"unknown output extension", "convert good.rc out.xyz",
       "unknown circuit file extension '.xyz'", "out.xyz"},
      {"unknown input extension", "report good.txt",
       "cannot read good.txt: rnncc reads .rc, .aig and .aag circuits, not '.txt' files", ""},
      {"no extension", "convert good.rc out", "unknown circuit file extension", "out"},
      {"arithmetic to .aig", "convert arith.rc out.aig", "cannot write AIGER", "out.aig"},
      {"arithmetic to .aag", "convert arith.rc out.aag", "'mul'", "out.aag"},
      {"arithmetic to .blif", "convert arith.rc out.blif", "cannot write BLIF", "out.blif"},
      {"reading .blif", "convert good.blif out.rc", "cannot read good.blif: rnncc reads .rc",
       "out.rc"},
      {"reading .blif, report", "report good.blif", "rnncc reads .rc, .aig and .aag", ""},
      {"reading .dot", "convert good.dot out.rc", "cannot read good.dot", "out.rc"},
      {"missing output directory", "convert good.rc nodir/out.aig", "does not exist", "nodir"},
      {"bad --steps order", "dot good.rc --steps 3:1 -o out.dot", "--steps: expected A:B",
       "out.dot"},
      {"bad --steps text", "dot good.rc --steps two -o out.dot", "--steps", "out.dot"},
      {"bad --steps half", "dot good.rc --steps 1: -o out.dot", "--steps", "out.dot"},
      {"bad --steps negative", "dot good.rc --steps -1:2 -o out.dot", "--steps", "out.dot"},
      {"unknown cone", "dot good.rc --cone nope -o out.dot", "no output named 'nope'", "out.dot"},
      {"node cap", "dot good.rc --max-nodes 3 -o out.dot", "--max-nodes", "out.dot"},
      {"unknown option, convert", "convert arith.rc out.dot --bogus", "--bogus", "out.dot"},
      {"unknown option", "report good.rc --bogus", "--bogus", ""},
      {"missing argument", "convert good.rc", "out", ""},
      {"no subcommand", "", "subcommand", ""},
      {"unknown subcommand", "frobnicate good.rc", "unknown command 'frobnicate'", ""},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.what);
    Cli r = rnncc(c.args, dir);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
    EXPECT_EQ(r.err.rfind("rnncc: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    if (*c.absent) {
      EXPECT_FALSE(fs::exists(dir + "/" + c.absent)) << c.absent;
    }
    EXPECT_EQ(listing(dir), before) << "files were added or removed";
  }
  expect_no_temp_files(dir);
}

TEST(CliErrors, FailedWriteKeepsTheOldFile) {
  const std::string dir = scratch("cli_keep");
  put(dir + "/arith.rc", "rnncc 1\n0 = input x\n1 = input y\n2 = add 0 1\noutput s = 2\n");
  put(dir + "/keep.aig", "OLD");
  put(dir + "/keep.dot", "OLD");
  EXPECT_EQ(rnncc("convert arith.rc keep.aig", dir).status, 2);
  EXPECT_EQ(slurp(dir + "/keep.aig"), "OLD");
  EXPECT_EQ(rnncc("dot arith.rc --max-nodes 2 -o keep.dot", dir).status, 2);
  EXPECT_EQ(slurp(dir + "/keep.dot"), "OLD");
  // A successful write replaces it.
  ASSERT_EQ(rnncc("dot arith.rc -o keep.dot", dir).status, 0);
  EXPECT_EQ(slurp(dir + "/keep.dot").rfind("digraph", 0), 0u);
  EXPECT_EQ(listing(dir), (std::set<std::string>{"arith.rc", "keep.aig", "keep.dot"}));
}

// ---------------------------------------------------------------------------------------------
// --help

TEST(CliHelp, EverySubcommandHasHelpWithAnExample) {
  const std::string dir = scratch("cli_help");
  const std::map<std::string, std::vector<std::string>> own = {
      {"report", {"--json", "--not-free"}},
      {"dot", {"--cone", "--steps", "--max-nodes", "2000", "--output"}},
      {"convert", {"input circuit file", "output circuit file"}}};
  for (const auto& [sub, flags] : own) {
    SCOPED_TRACE(sub);
    Cli r = rnncc(sub + " --help", dir);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rnncc " + sub + " "), std::string::npos) << "no example of " << sub;
    for (const std::string& f : flags) EXPECT_NE(r.out.find(f), std::string::npos) << f;
  }
  Cli top = rnncc("--help", dir);
  EXPECT_EQ(top.status, 0);
  for (const char* sub : {"report", "dot", "convert"})
    EXPECT_NE(top.out.find(sub), std::string::npos);
  EXPECT_TRUE(listing(dir).empty());
}

// The examples that --help shows run as printed from the source directory.
TEST(CliHelp, ExampleFilesExist) {
  std::set<std::string> paths;
  static const std::regex example(R"(examples/[\w./-]+)");
  for (const char* sub : {"", "report ", "dot ", "convert ", "construct ", "construct dwfa ", "construct rwkv7-imm ",
                          "construct deltanet-matrix ", "construct sdgc ", "construct cra ", "task "}) {
    Cli r = rnncc(std::string(sub) + "--help", source_dir());
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), example), end; it != end; ++it)
      paths.insert(it->str());
  }
  ASSERT_FALSE(paths.empty());
  const std::string constructed = scratch("help_examples") + "/constructed.toml";
  for (const std::string& p : paths) {
    EXPECT_TRUE(fs::exists(source_dir() + "/" + p)) << p;
    if (p.rfind("examples/automata/", 0) == 0) {  // automaton files: construct the spec, then report it
      // Cost-register automata (cra*.toml) build switched specs; the others are weighted automata.
      const bool cra = fs::path(p).filename().string().rfind("cra", 0) == 0;
      Cli c = rnncc(std::string(cra ? "construct cra " : "construct dwfa ") + p + " -o " + quote(constructed), source_dir());
      ASSERT_EQ(c.status, 0) << p << ": " << c.err;
      Cli r = rnncc("report " + quote(constructed), source_dir());
      EXPECT_EQ(r.status, 0) << p << ": " << r.err;
      continue;
    }
    if (p.rfind("examples/matrices/", 0) == 0) {  // matrices files: the rwkv7-imm spec, then report it
      Cli c = rnncc("construct rwkv7-imm " + p + " -o " + quote(constructed), source_dir());
      ASSERT_EQ(c.status, 0) << p << ": " << c.err;
      Cli r = rnncc("report " + quote(constructed), source_dir());
      EXPECT_EQ(r.status, 0) << p << ": " << r.err;
      continue;
    }
    Cli r = rnncc("report " + p, source_dir());
    EXPECT_EQ(r.status, 0) << p << ": " << r.err;
  }
}

}  // namespace
}  // namespace rnncc::test
