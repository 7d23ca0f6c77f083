// DOT pictures (circuits/io/dot.*): structure checked against hand-computed levels, steps and
// cones, and the output checked by Graphviz itself (`dot -Tsvg` accepts it; `dot -Tplain`
// places every level on one rank, deeper levels lower).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/dot.hpp"
#include "circuits/io/rc.hpp"
#include "tests/support.hpp"

namespace rnncc::circuits {
namespace {

using test::quote;
using test::run;

// What a DOT text declares, parsed here line by line.
struct DotNode {
  int cluster = 0;  // step of the enclosing cluster_step subgraph, 0 if none
  int level = -1;   // level of the enclosing rank=same group, -1 if none
  std::string label;
  bool dashed = false;
};

struct DotInfo {
  std::map<std::string, DotNode> nodes;  // "n<id>" and "out<k>"
  std::vector<std::pair<std::string, std::string>> edges;
  int rank_groups = 0;
  std::set<int> clusters;
  std::vector<std::string> problems;  // duplicate nodes, unbalanced braces, ...
};

DotInfo parse_dot(const std::string& text) {
  static const std::regex cluster_re(R"(^\s*subgraph cluster_step(\d+) \{\s*$)");
  static const std::regex rank_re(R"(^\s*\{ rank=same; /\* level (\d+) \*/\s*$)");
  static const std::regex node_re(R"(^\s*(n\d+|out\d+) \[(.*)\];\s*$)");
  static const std::regex edge_re(R"(^\s*(\w+) -> (\w+);\s*$)");
  static const std::regex label_re(R"(label="((?:[^"\\]|\\.)*)\")");
  DotInfo info;
  std::vector<std::pair<char, int>> stack;  // ('c', step) or ('r', level)
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  bool header = false;
  while (std::getline(in, line)) {
    if (!header) {
      header = line.rfind("digraph ", 0) == 0;
      if (!header) info.problems.push_back("no digraph header: " + line);
      continue;
    }
    if (std::regex_match(line, m, cluster_re)) {
      stack.push_back({'c', std::stoi(m[1])});
      if (!info.clusters.insert(std::stoi(m[1])).second) info.problems.push_back("cluster twice");
    } else if (std::regex_match(line, m, rank_re)) {
      stack.push_back({'r', std::stoi(m[1])});
      ++info.rank_groups;
    } else if (std::regex_match(line, m, node_re)) {
      DotNode n;
      for (auto [kind, value] : stack) (kind == 'c' ? n.cluster : n.level) = value;
      std::string attrs = m[2];
      std::smatch lm;
      if (std::regex_search(attrs, lm, label_re)) n.label = lm[1];
      n.dashed = attrs.find("dashed") != std::string::npos;
      if (!info.nodes.emplace(m[1], n).second) info.problems.push_back("node twice: " + m[1].str());
    } else if (std::regex_match(line, m, edge_re)) {
      info.edges.push_back({m[1], m[2]});
    } else if (line.find_first_not_of(" ") != std::string::npos &&
               line.substr(line.find_first_not_of(" ")) == "}") {
      if (stack.empty()) {
        header = false;  // end of the graph
        if (std::getline(in, line)) info.problems.push_back("text after the graph: " + line);
        break;
      }
      stack.pop_back();
    }
  }
  if (header) info.problems.push_back("graph not closed");
  if (!stack.empty()) info.problems.push_back("unbalanced subgraphs");
  for (const auto& [from, to] : info.edges)
    if (!info.nodes.count(from) || !info.nodes.count(to))
      info.problems.push_back("edge " + from + " -> " + to + " names an undeclared node");
  return info;
}

using Window = std::pair<std::uint32_t, std::uint32_t>;

// write_dot with parameters set by `setup` on the defaults.
template <class Setup>
std::string draw(const Circuit& c, Setup setup) {
  io::DotParams p;
  setup(p);
  return io::write_dot(c, p);
}

std::string gate_node(GateId g) {
  return "n" + std::to_string(g);
}

std::set<std::string> gate_nodes(const DotInfo& info) {
  std::set<std::string> r;
  for (const auto& [name, n] : info.nodes)
    if (name[0] == 'n') r.insert(name);
  return r;
}

std::set<std::string> output_labels(const DotInfo& info) {
  std::set<std::string> r;
  for (const auto& [name, n] : info.nodes)
    if (name.rfind("out", 0) == 0) r.insert(n.label);
  return r;
}

// A three-step recurrence with step origins, as the unroller makes it:
//   n_t = not x_t, a_t = h_{t-1} xor x_t, h_t = a_t and n_t;  outputs y[t] = h_t.
// Levels (every gate costs 1): n_t 1, a_1 1, h_1 2, a_2 3, h_2 4, a_3 5, h_3 6.
struct Recurrence {
  Circuit c;
  GateId h0, x[4], n[4], a[4], h[4];
};

Recurrence recurrence() {
  Recurrence r;
  Builder b;
  r.h0 = b.input("h0[0]");
  for (int t = 1; t <= 3; ++t) r.x[t] = b.input("x[" + std::to_string(t) + "][0]");
  GateId prev = r.h0;
  for (std::uint32_t t = 1; t <= 3; ++t) {
    b.set_origin({"rnn.h", t});
    r.n[t] = b.not_(r.x[t]);
    r.a[t] = b.xor_(prev, r.x[t]);
    r.h[t] = b.and_(r.a[t], r.n[t]);
    b.add_step(t, {r.h[t]});
    prev = r.h[t];
  }
  b.set_origin_index(0);
  for (int t = 1; t <= 3; ++t) b.output("y[" + std::to_string(t) + "]", r.h[t]);
  r.c = b.finish();
  r.c.name = "rec";
  return r;
}

std::string scratch_file(const std::string& test, const std::string& name,
                         const std::string& content) {
  std::string path = test::scratch(test) + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// Runs `dot -T<format>` on the text; returns its output (stdout and stderr).
test::RunResult graphviz(const std::string& test, const std::string& dot_text,
                         const std::string& format) {
  std::string path = scratch_file(test, "picture.dot", dot_text);
  return run("dot -T" + format + " " + quote(path));
}

void expect_graphviz_accepts(const std::string& test, const std::string& dot_text) {
  test::RunResult r = graphviz(test, dot_text, "svg");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.find("Error"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Warning"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("</svg>"), std::string::npos);
  // Labels are "kind\ngate" with a DOT line break: never a literal backslash in the picture.
  EXPECT_EQ(r.out.find("\\n"), std::string::npos) << "a label shows a literal \\n";
}

TEST(Dot, StepCircuitStructure) {
  Recurrence r = recurrence();
  DotInfo d = parse_dot(io::write_dot(r.c));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  // 4 inputs + 9 gates + 3 output boxes.
  EXPECT_EQ(d.nodes.size(), 16u);
  EXPECT_EQ(d.clusters, (std::set<int>{1, 2, 3}));
  // (step, level) groups: (0,0); (1,1) (1,2); (2,1) (2,3) (2,4); (3,1) (3,5) (3,6).
  EXPECT_EQ(d.rank_groups, 9);
  const int level_a[] = {0, 1, 3, 5}, level_h[] = {0, 2, 4, 6};
  for (int t = 1; t <= 3; ++t) {
    SCOPED_TRACE("step " + std::to_string(t));
    const DotNode& n = d.nodes[gate_node(r.n[t])];
    const DotNode& a = d.nodes[gate_node(r.a[t])];
    const DotNode& h = d.nodes[gate_node(r.h[t])];
    EXPECT_EQ(n.cluster, t);
    EXPECT_EQ(a.cluster, t);
    EXPECT_EQ(h.cluster, t);
    EXPECT_EQ(n.level, 1);
    EXPECT_EQ(a.level, level_a[t]);
    EXPECT_EQ(h.level, level_h[t]);
    EXPECT_EQ(d.nodes[gate_node(r.x[t])].cluster, 0);
    EXPECT_EQ(d.nodes[gate_node(r.x[t])].level, 0);
    EXPECT_EQ(d.nodes[gate_node(r.x[t])].label, "x[" + std::to_string(t) + "][0]");
  }
  EXPECT_EQ(output_labels(d), (std::set<std::string>{"y[1]", "y[2]", "y[3]"}));
  // 3 nots (1 edge), 3 xors and 3 ands (2 edges), 3 output edges.
  EXPECT_EQ(d.edges.size(), 18u);
  for (const auto& [name, n] : d.nodes) EXPECT_FALSE(n.dashed) << name;
}

TEST(Dot, NotFreeRanksNotsWithTheirOperand) {
  Recurrence r = recurrence();
  DotInfo d = parse_dot(draw(r.c, [](io::DotParams& p) { p.not_free = true; }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  // nots at level 0; a_t = 2t - 1 as before; h_t = a_t + 1.
  for (int t = 1; t <= 3; ++t) {
    EXPECT_EQ(d.nodes[gate_node(r.n[t])].level, 0);
    EXPECT_EQ(d.nodes[gate_node(r.h[t])].level, 2 * t);
  }
}

TEST(Dot, GraphvizAcceptsStepCircuit) {
  RNNCC_REQUIRE_PROGRAM("dot");
  Recurrence r = recurrence();
  expect_graphviz_accepts("dot_steps", io::write_dot(r.c));
  expect_graphviz_accepts("dot_steps", draw(r.c, [](io::DotParams& p) { p.steps = Window{2, 3}; }));
  expect_graphviz_accepts("dot_steps", draw(r.c, [](io::DotParams& p) { p.cone = "y[2]"; }));
}

TEST(Dot, GraphvizAcceptsAwkwardNames) {
  RNNCC_REQUIRE_PROGRAM("dot");
  Builder b;
  GateId p = b.input("say\"hi\"\\"), q = b.input("{x};[1]");
  GateId k = b.constant(mpq_class(-3, 4));
  b.output("o\\\"", b.and_(p, q));
  b.output("k", k);
  Circuit c = b.finish();
  c.name = "we\"ird";
  std::string text = io::write_dot(c);
  DotInfo d = parse_dot(text);
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  EXPECT_EQ(d.nodes[gate_node(p)].label, "say\\\"hi\\\"\\\\");
  EXPECT_EQ(d.nodes[gate_node(k)].label, "-3/4");
  expect_graphviz_accepts("dot_names", text);
}

// Graphviz's own layout: with rank=same per level (no steps), all gates of one level share a
// y coordinate and deeper levels lie strictly lower.
TEST(Dot, GraphvizRanksByLevel) {
  RNNCC_REQUIRE_PROGRAM("dot");
  // A 3-bit ripple-carry adder: s_i = a_i ^ b_i ^ c_i, c_{i+1} = a_i b_i | c_i (a_i ^ b_i).
  Builder b;
  GateId a[3], bb[3];
  for (int i = 0; i < 3; ++i) a[i] = b.input("a" + std::to_string(i));
  for (int i = 0; i < 3; ++i) bb[i] = b.input("b" + std::to_string(i));
  GateId carry = b.constant(0);
  std::map<GateId, int> level;  // hand levels
  for (int i = 0; i < 3; ++i) level[a[i]] = level[bb[i]] = 0;
  int carry_level = 0;
  for (int i = 0; i < 3; ++i) {
    GateId p = b.xor_(a[i], bb[i]);
    GateId g = b.and_(a[i], bb[i]);
    level[p] = level[g] = 1;
    GateId s = b.xor_(p, carry);
    level[s] = i == 0 ? 1 : std::max(1, carry_level) + 1;
    b.output("s" + std::to_string(i), s);
    if (i == 0) {
      carry = g;  // carry-in 0: c1 = a0 b0
      carry_level = 1;
      continue;
    }
    GateId t = b.and_(carry, p);
    level[t] = std::max(carry_level, 1) + 1;
    carry = b.or_(g, t);
    carry_level = level[carry] = level[t] + 1;
  }
  b.output("cout", carry);
  Circuit c = b.finish();
  std::string text = io::write_dot(c);
  DotInfo d = parse_dot(text);
  ASSERT_TRUE(d.problems.empty()) << d.problems.front();
  EXPECT_TRUE(d.clusters.empty());
  for (const auto& [g, l] : level) {
    if (d.nodes.count(gate_node(g)) == 0) continue;  // folded away (xor with the constant 0)
    EXPECT_EQ(d.nodes[gate_node(g)].level, l) << gate_node(g);
  }
  test::RunResult r = graphviz("dot_ranks", text, "plain");
  ASSERT_EQ(r.status, 0) << r.out;
  std::map<std::string, double> y;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string kind, name;
    double x = 0, yy = 0;
    if (ls >> kind >> name >> x >> yy && kind == "node") y[name] = yy;
  }
  std::map<int, std::set<double>> ys;  // level -> y coordinates used
  for (const auto& [name, n] : d.nodes)
    if (n.level >= 0) {
      ASSERT_TRUE(y.count(name)) << name;
      ys[n.level].insert(y[name]);
    }
  ASSERT_GE(ys.size(), 4u);
  double previous = 1e9;
  for (const auto& [l, set] : ys) {
    EXPECT_EQ(set.size(), 1u) << "level " << l << " spread over several ranks";
    EXPECT_LT(*set.begin(), previous) << "level " << l << " is not below the level before";
    previous = *set.begin();
  }
}

TEST(Dot, NodeCapRefusesWithAdvice) {
  Recurrence r = recurrence();
  EXPECT_NO_THROW(draw(r.c, [](io::DotParams& p) { p.max_nodes = 16; }));
  try {
    draw(r.c, [](io::DotParams& p) { p.max_nodes = 15; });
    ADD_FAILURE() << "16 nodes drawn under a cap of 15";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("16 nodes"), std::string::npos) << msg;
    EXPECT_NE(msg.find("15"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--steps"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--cone"), std::string::npos) << msg;
  }
  // The cap counts what is drawn: a cone of 10 nodes passes a cap of 10.
  EXPECT_NO_THROW(draw(r.c, [](io::DotParams& p) {
    p.max_nodes = 10;
    p.cone = "y[2]";
  }));
  EXPECT_THROW(draw(r.c,
                    [](io::DotParams& p) {
                      p.max_nodes = 9;
                      p.cone = "y[2]";
                    }),
               Error);
}

TEST(Dot, ConeDrawsOnlyTheCone) {
  Recurrence r = recurrence();
  DotInfo d = parse_dot(draw(r.c, [](io::DotParams& p) { p.cone = "y[2]"; }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  std::set<std::string> want;
  for (GateId g : {r.h0, r.x[1], r.x[2], r.n[1], r.a[1], r.h[1], r.n[2], r.a[2], r.h[2]})
    want.insert(gate_node(g));
  EXPECT_EQ(gate_nodes(d), want);
  EXPECT_EQ(output_labels(d), (std::set<std::string>{"y[2]"}));
  EXPECT_EQ(d.nodes.size(), 10u);
  EXPECT_EQ(d.edges.size(), 11u);  // 2 nots, 2 xors x2, 2 ands x2, 1 output
  EXPECT_EQ(d.clusters, (std::set<int>{1, 2}));
}

TEST(Dot, ConeOfAnInput) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y");
  b.output("raw", x);
  b.output("both", b.and_(x, y));
  DotInfo d = parse_dot(draw(b.finish(), [](io::DotParams& p) { p.cone = "raw"; }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  EXPECT_EQ(gate_nodes(d), (std::set<std::string>{gate_node(x)}));
  EXPECT_EQ(output_labels(d), (std::set<std::string>{"raw"}));
  EXPECT_EQ(d.edges.size(), 1u);
}

TEST(Dot, UnknownConeRejected) {
  Recurrence r = recurrence();
  try {
    draw(r.c, [](io::DotParams& p) { p.cone = "y[9]"; });
    ADD_FAILURE() << "a cone of a missing output was drawn";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no output named 'y[9]'"), std::string::npos) << e.what();
  }
}

TEST(Dot, StepWindowDrawsBoundaryDashed) {
  Recurrence r = recurrence();
  DotInfo d = parse_dot(draw(r.c, [](io::DotParams& p) { p.steps = Window{2, 3}; }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  std::set<std::string> solid, dashed;
  for (const auto& [name, n] : d.nodes)
    if (name[0] == 'n') (n.dashed ? dashed : solid).insert(name);
  std::set<std::string> want_solid, want_dashed;
  for (int t = 2; t <= 3; ++t)
    for (GateId g : {r.n[t], r.a[t], r.h[t]}) want_solid.insert(gate_node(g));
  // Operands from outside the window: h_1 (step 1), x_2 and x_3 (inputs, step 0).
  for (GateId g : {r.h[1], r.x[2], r.x[3]}) want_dashed.insert(gate_node(g));
  EXPECT_EQ(solid, want_solid);
  EXPECT_EQ(dashed, want_dashed);
  EXPECT_EQ(output_labels(d), (std::set<std::string>{"y[2]", "y[3]"}));
  EXPECT_EQ(d.edges.size(), 12u);  // 2 nots, 2 xors x2, 2 ands x2, 2 outputs
  for (const auto& [from, to] : d.edges)
    EXPECT_FALSE(d.nodes[to].dashed) << "edge into a boundary node " << from << " -> " << to;
  EXPECT_EQ(d.clusters, (std::set<int>{1, 2, 3}));  // h_1 sits in its own step's cluster
}

TEST(Dot, StepWindowInsideACone) {
  Recurrence r = recurrence();
  // Steps 1..2 of the cone of y[3]: y[3]'s gate is outside, so no output box (and no edge from
  // an undeclared node).
  DotInfo d = parse_dot(draw(r.c, [](io::DotParams& p) {
    p.steps = Window{1, 2};
    p.cone = "y[3]";
  }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  EXPECT_TRUE(output_labels(d).empty());
  std::set<std::string> want;
  for (GateId g : {r.h0, r.x[1], r.x[2], r.n[1], r.a[1], r.h[1], r.n[2], r.a[2], r.h[2]})
    want.insert(gate_node(g));
  EXPECT_EQ(gate_nodes(d), want);
}

TEST(Dot, EmptyStepWindow) {
  Recurrence r = recurrence();
  DotInfo d = parse_dot(draw(r.c, [](io::DotParams& p) { p.steps = Window{7, 9}; }));
  EXPECT_TRUE(d.problems.empty()) << d.problems.front();
  EXPECT_TRUE(d.nodes.empty());
}

// The same through the CLI, on a .rc file that carries the origins.
TEST(Dot, CommandLine) {
  Recurrence r = recurrence();
  const std::string dir = test::scratch("dot_cli");
  const std::string rc = dir + "/rec.rc";
  std::ofstream(rc) << io::write_rc(r.c);
  const std::string bin = quote(test::rnncc_binary());

  test::RunResult cone =
      run(bin + " dot " + quote(rc) + " --cone 'y[2]' -o " + quote(dir + "/cone.dot"));
  ASSERT_EQ(cone.status, 0) << cone.out;
  std::ifstream f(dir + "/cone.dot");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  DotInfo d = parse_dot(text);
  EXPECT_TRUE(d.problems.empty());
  EXPECT_EQ(d.nodes.size(), 10u);
  EXPECT_EQ(d.clusters, (std::set<int>{1, 2}));

  test::RunResult window = run(bin + " dot " + quote(rc) + " --steps 2:3");
  ASSERT_EQ(window.status, 0) << window.out;
  DotInfo w = parse_dot(window.out);
  std::size_t dashed = 0;
  for (const auto& [name, n] : w.nodes) dashed += n.dashed;
  EXPECT_EQ(dashed, 3u);

  test::RunResult cap = run(bin + " dot " + quote(rc) + " --max-nodes 15");
  EXPECT_EQ(cap.status, 2);
  EXPECT_NE(cap.out.find("--steps"), std::string::npos) << cap.out;
  EXPECT_NE(cap.out.find("--cone"), std::string::npos) << cap.out;

  test::RunResult unknown = run(bin + " dot " + quote(rc) + " --cone nope");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.out.find("no output named 'nope'"), std::string::npos) << unknown.out;
}

}  // namespace
}  // namespace rnncc::circuits
