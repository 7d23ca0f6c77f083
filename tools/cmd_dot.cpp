// rnncc dot FILE: a DOT picture of a circuit file.
#include <charconv>
#include <cstdio>

#include "circuits/error.hpp"
#include "circuits/io/dot.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {
namespace {

std::pair<std::uint32_t, std::uint32_t> parse_steps(const std::string& s) {
  auto colon = s.find(':');
  std::uint32_t a = 0, b = 0;
  auto num = [](std::string_view t, std::uint32_t& v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  std::string_view sv(s);
  if (colon == std::string::npos || !num(sv.substr(0, colon), a) || !num(sv.substr(colon + 1), b) || a > b)
    throw Error("--steps: expected A:B with integers A <= B, got '" + s + "'");
  return {a, b};
}

}  // namespace

void add_dot(CLI::App& app, Action& action) {
  struct Opts {
    std::string file, out, steps, cone;
    std::size_t max_nodes = 2000;
    std::optional<std::uint64_t> T;
    PassOptions passes;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "dot",
      "Draw a circuit as Graphviz DOT: ranked by level, clustered by step, colored by gate kind.\n\n"
      "Examples:\n  rnncc dot examples/circuits/adder4.aag -o adder4.dot && dot -Tsvg adder4.dot -o adder4.svg\n"
      "  rnncc dot examples/specs/diagonal.toml -T 3 --cone 'y[3][0]' -o cone.dot\n"
      "  rnncc dot examples/specs/elman_tanh.toml -T 64 --steps 2:3 -o window.dot");
  cmd->add_option("file", o->file, "circuit file (.rc, .aig, .aag) or spec (.toml)")->required();
  add_T_option(cmd, o->T);
  cmd->add_option("-o,--output", o->out, "DOT file to write (default: standard output)");
  cmd->add_option("--max-nodes", o->max_nodes, "refuse to draw more nodes than this")->capture_default_str();
  cmd->add_option("--steps", o->steps, "draw only gates of steps A..B (e.g. 2:3); outside operands dashed");
  cmd->add_option("--cone", o->cone, "draw only the gates output NAME depends on");
  add_pass_options(cmd, o->passes, false);
  cmd->add_flag("--not-free", o->passes.not_free, "rank with not/buf free (ABC's lev convention)");
  cmd->callback([&action, o] {
    action = [o] {
      circuits::io::DotParams p{.max_nodes = o->max_nodes, .steps = std::nullopt, .cone = o->cone,
                                .not_free = o->passes.not_free};
      if (!o->steps.empty()) p.steps = parse_steps(o->steps);
      Loaded l = load_circuit_or_spec(o->file, o->T);
      apply_passes(l, o->passes);
      std::string dot = circuits::io::write_dot(l.circuit, p);
      if (o->out.empty() || o->out == "-") {
        std::fwrite(dot.data(), 1, dot.size(), stdout);
      } else {
        circuits::io::write_file_atomic(o->out, dot);
      }
      return 0;
    };
  });
}

}  // namespace rnncc::tools
