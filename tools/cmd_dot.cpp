// rnncc dot FILE: a DOT picture of a circuit file.
#include <cstdio>

#include "circuits/error.hpp"
#include "circuits/io/dot.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {

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
  cmd->add_option("--max-nodes", o->max_nodes, "refuse to draw more nodes than this")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
  cmd->add_option("--steps", o->steps, "draw only gates of steps A..B (e.g. 2:3); outside operands dashed");
  cmd->add_option("--cone", o->cone, "draw only the gates output NAME depends on");
  add_pass_options(cmd, o->passes, false);
  cmd->add_flag("--not-free", o->passes.not_free, "rank with not/buf free (ABC's lev convention)");
  cmd->callback([&action, o] {
    action = [o] {
      circuits::io::DotParams p{.max_nodes = o->max_nodes, .steps = std::nullopt, .cone = o->cone,
                                .not_free = o->passes.not_free};
      if (!o->steps.empty()) {
        auto [lo, hi] = parse_range(o->steps, "--steps", "A:B with integers A <= B");
        if (hi > 0xFFFFFFFFu) throw Error("--steps: step numbers are below 2^32");
        p.steps = {{static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)}};
      }
      const compiler::Script script = o->passes.parse();  // refuse a bad script before work
      Loaded l = load_circuit_or_spec(o->file, o->T);
      apply_passes(l, script, o->passes);
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
