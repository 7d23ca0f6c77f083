#include "circuits/io/blif.hpp"

#include <fmt/format.h>

#include <iterator>
#include <unordered_set>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits::io {

std::string write_blif(const Circuit& c) {
  const std::size_t n = c.num_gates();
  const std::vector<std::uint8_t> live = live_gates(c);
  require_boolean(c, live, "BLIF");
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
  fmt::format_to(out, ".model {}\n.inputs", c.name.empty() ? "rnncc" : c.name);
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
