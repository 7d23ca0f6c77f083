#include "circuits/io/blif.hpp"

#include <fmt/format.h>

#include <iterator>
#include <unordered_set>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits::io {

namespace {

// What BLIF readers (SIS, ABC, yosys) treat specially in a name: a backslash continues a line (at its
// end; refused anywhere, as readers differ), '#' starts a comment, whitespace and control
// characters separate or end tokens. A name holding one would be read as something else (an
// input continued onto the .outputs line), so it is refused rather than changed.
const char* blif_problem(const std::string& name) {
  if (name.empty()) return "is empty";
  for (char ch : name) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (ch == '\\') return "holds a backslash (BLIF's line continuation)";
    if (ch == '#') return "holds '#' (a BLIF comment)";
    if (u <= 0x20 || u == 0x7f) return "holds whitespace or a control character";
  }
  return nullptr;
}

void require_blif_name(const std::string& name, const char* what) {
  if (const char* problem = blif_problem(name))
    throw Error(fmt::format("cannot write BLIF: {} name '{}' {}", what, name, problem));
}

// The model name is only a label (a spec's free-text name): characters BLIF cannot hold become '_'.
std::string blif_model_name(const std::string& name) {
  if (name.empty()) return "rnncc";
  std::string r = name;
  for (char& ch : r) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (ch == '\\' || ch == '#' || u <= 0x20 || u == 0x7f) ch = '_';
  }
  return r;
}

}  // namespace

std::string write_blif(const Circuit& c) {
  const std::size_t n = c.num_gates();
  const std::vector<std::uint8_t> live = live_gates(c);
  require_boolean(c, live, "BLIF");
  for (std::size_t i = 0; i < c.inputs().size(); ++i) require_blif_name(c.input_name(i), "input");
  for (const Output& o : c.outputs()) require_blif_name(o.name, "output");
  // Internal nets are "n<id>", made unique against the interface names.
  std::unordered_set<std::string> taken;
  for (std::size_t i = 0; i < c.inputs().size(); ++i) taken.insert(c.input_name(i));
  for (const Output& o : c.outputs())
    if (!taken.insert(o.name).second)
      throw Error(fmt::format("cannot write BLIF: output name '{}' is also an input or output name", o.name));
  std::string prefix = "n";
  for (bool clash = true; clash;) {
    clash = false;
    for (const std::string& t : taken)
      if (t.size() > prefix.size() && t.compare(0, prefix.size(), prefix) == 0 &&
          t.find_first_not_of("0123456789", prefix.size()) == std::string::npos) {
        clash = true;
        prefix += "_";
        break;
      }
  }
  auto net = [&](GateId g) {
    return c.op(g) == Op::Input ? c.name_of_input(g) : fmt::format("{}{}", prefix, g);
  };

  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out, ".model {}\n.inputs", blif_model_name(c.name));
  for (std::size_t i = 0; i < c.inputs().size(); ++i) fmt::format_to(out, " {}", c.input_name(i));
  s += "\n.outputs";
  for (const Output& o : c.outputs()) fmt::format_to(out, " {}", o.name);
  s += "\n";
  for (GateId g = 0; g < n; ++g) {
    if (!live[g]) continue;
    switch (c.op(g)) {
      case Op::Const: fmt::format_to(out, ".names {}\n{}", net(g), c.constant(g) == 1 ? "1\n" : ""); break;
      case Op::And: fmt::format_to(out, ".names {} {} {}\n11 1\n", net(c.a(g)), net(c.b(g)), net(g)); break;
      case Op::Or: fmt::format_to(out, ".names {} {} {}\n1- 1\n-1 1\n", net(c.a(g)), net(c.b(g)), net(g)); break;
      case Op::Xor: fmt::format_to(out, ".names {} {} {}\n10 1\n01 1\n", net(c.a(g)), net(c.b(g)), net(g)); break;
      case Op::Not: fmt::format_to(out, ".names {} {}\n0 1\n", net(c.a(g)), net(g)); break;
      case Op::Buf: fmt::format_to(out, ".names {} {}\n1 1\n", net(c.a(g)), net(g)); break;
      default: break;
    }
  }
  for (const Output& o : c.outputs()) fmt::format_to(out, ".names {} {}\n1 1\n", net(o.gate), o.name);
  s += ".end\n";
  return s;
}

}  // namespace rnncc::circuits::io
