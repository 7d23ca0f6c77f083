#include "circuits/io/dot.hpp"

#include <fmt/format.h>

#include <iterator>
#include <map>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits::io {
namespace {

const char* fill_color(Op op) {
  switch (op) {
    case Op::Input: return "lightblue";
    case Op::Const: return "gray85";
    case Op::Add:
    case Op::Sub:
    case Op::Neg: return "palegreen";
    case Op::Mul: return "orange";
    case Op::And: return "khaki";
    case Op::Or: return "gold";
    case Op::Xor: return "goldenrod";
    case Op::Not: return "lightyellow";
    case Op::Buf: return "white";
    default: return "salmon";  // nonlinear: relu tanh sigmoid sign step
  }
}

std::string escape(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r.push_back('\\');
    r.push_back(ch);
  }
  return r;
}

}  // namespace

std::string write_dot(const Circuit& c, const DotParams& params) {
  const std::size_t n = c.num_gates();
  std::vector<std::uint8_t> keep = live_gates(c);  // 1 = drawn, 2 = boundary node
  std::vector<const Output*> shown_outputs;
  const Output* root = nullptr;
  if (!params.cone.empty()) {
    for (const Output& o : c.outputs())
      if (o.name == params.cone) root = &o;
    if (!root) throw Error(fmt::format("--cone: no output named '{}'", params.cone));
    std::fill(keep.begin(), keep.end(), 0);
    keep[root->gate] = 1;
    for (std::size_t g = n; g-- > 0;) {
      if (!keep[g]) continue;
      int k = arity(c.op(static_cast<GateId>(g)));
      if (k >= 1) keep[c.a(static_cast<GateId>(g))] = 1;
      if (k == 2) keep[c.b(static_cast<GateId>(g))] = 1;
    }
  }
  if (params.steps) {
    auto [lo, hi] = *params.steps;
    for (GateId g = 0; g < n; ++g) {
      if (keep[g] != 1) continue;
      std::uint32_t st = c.origin(g).step;
      if (st < lo || st > hi) keep[g] = 0;
    }
    for (GateId g = 0; g < n; ++g) {  // operands from outside the window: boundary nodes
      if (keep[g] != 1) continue;
      int k = arity(c.op(g));
      if (k >= 1 && !keep[c.a(g)]) keep[c.a(g)] = 2;
      if (k == 2 && !keep[c.b(g)]) keep[c.b(g)] = 2;
    }
  }
  // Output boxes only for drawn gates: a cone's root may lie outside a window of steps.
  for (const Output& o : c.outputs())
    if (keep[o.gate] == 1 && (!root || &o == root)) shown_outputs.push_back(&o);

  std::size_t nodes = shown_outputs.size();
  for (GateId g = 0; g < n; ++g) nodes += keep[g] != 0;
  if (nodes > params.max_nodes)
    throw Error(fmt::format("the picture would have {} nodes, more than the cap of {}; with `rnncc dot`, draw a "
                            "window with --steps A:B or one output's cone with --cone NAME, or raise --max-nodes",
                            nodes, params.max_nodes));

  const std::vector<std::uint32_t> level = gate_levels(c, params.not_free);
  // cluster (step, 0 = none) -> level -> gates
  std::map<std::uint32_t, std::map<std::uint32_t, std::vector<GateId>>> groups;
  bool any_step = false;
  for (GateId g = 0; g < n; ++g) {
    if (!keep[g]) continue;
    std::uint32_t st = c.origin(g).step;
    any_step |= st != 0;
    groups[st][level[g]].push_back(g);
  }

  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, "digraph \"{}\" {{\n  rankdir=TB;\n  node [style=filled, fontname=\"Helvetica\"];\n",
                 escape(c.name.empty() ? "circuit" : c.name));
  auto node = [&](GateId g) {
    Op op = c.op(g);
    std::string label;  // already escaped for a DOT string
    if (op == Op::Input) label = escape(c.name_of_input(g));
    else if (op == Op::Const) label = c.constant(g).get_str();
    else label = fmt::format("{}\\ng{}", mnemonic(op), g);
    const Origin& o = c.origin(g);
    std::string tip = o.construct.empty() ? mnemonic(op).data() : fmt::format("{} step {}", o.construct, o.step);
    fmt::format_to(out, "    n{} [label=\"{}\", fillcolor={}, shape={}, tooltip=\"{}\"{}];\n", g, label,
                   fill_color(op), op == Op::Input ? "invhouse" : op == Op::Const ? "box" : "ellipse",
                   escape(tip), keep[g] == 2 ? ", style=\"filled,dashed\"" : "");
  };
  for (const auto& [step, by_level] : groups) {
    bool cluster = any_step && step != 0;
    if (cluster) fmt::format_to(out, "  subgraph cluster_step{} {{\n    label=\"step {}\";\n    color=gray60;\n", step, step);
    for (const auto& [lvl, gates] : by_level) {
      fmt::format_to(out, "   {{ rank=same; /* level {} */\n", lvl);
      for (GateId g : gates) node(g);
      s += "   }\n";
    }
    if (cluster) s += "  }\n";
  }
  for (GateId g = 0; g < n; ++g) {
    if (keep[g] != 1) continue;
    int k = arity(c.op(g));
    if (k >= 1) fmt::format_to(out, "  n{} -> n{};\n", c.a(g), g);
    if (k == 2) fmt::format_to(out, "  n{} -> n{};\n", c.b(g), g);
  }
  for (std::size_t i = 0; i < shown_outputs.size(); ++i) {
    const Output& o = *shown_outputs[i];
    fmt::format_to(out, "  out{} [label=\"{}\", shape=house, fillcolor=plum];\n  n{} -> out{};\n", i,
                   escape(o.name), o.gate, i);
  }
  s += "}\n";
  return s;
}

}  // namespace rnncc::circuits::io
