// rnncc compile SPEC|FILE -o OUT: a spec unrolled into a circuit file, or a circuit file, after
// a pass script.
#include <cstdio>

#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {

void add_compile(CLI::App& app, Action& action) {
  struct Opts {
    std::string file, out;
    std::optional<std::uint64_t> T;
    PassOptions passes;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "compile",
      "Compile a spec into a circuit unrolled over T steps, or read a circuit file, run a pass script on "
      "it, and write the result; the format follows the output's extension (.rc, .dot; .aig, .aag, .blif "
      "for boolean circuits).\n\nExamples:\n"
      "  rnncc compile examples/specs/diagonal.toml -T 64 -o diagonal64.rc\n"
      "  rnncc compile examples/specs/diagonal.toml -T 1024 -p 'lift-scan -n sklansky; balance' -o scanned.rc\n"
      "  rnncc compile examples/specs/diagonal.toml -T 1024 --scan brent-kung -o scanned.rc\n"
      "  rnncc compile diagonal64.rc -p balance -o balanced.rc\n"
      "  rnncc compile examples/specs/elman_tanh.toml -T 4 -o elman.dot");
  cmd->add_option("file", o->file, "spec (.toml) or circuit file (.rc, .aig, .aag)")->required();
  add_T_option(cmd, o->T);
  cmd->add_option("-o,--output", o->out, "circuit file to write (atomically)")->required();
  add_pass_options(cmd, o->passes, true);
  cmd->add_flag("--not-free", o->passes.not_free, "--balance with not/buf free (ABC's lev convention)");
  cmd->callback([&action, o] {
    action = [o] {
      circuits::io::Format format = circuits::io::format_of(o->out);  // refuse a bad extension before work
      circuits::io::DotParams dot;
      const compiler::Script script = o->passes.parse();  // refuse a bad script before work
      Loaded l = load_circuit_or_spec(o->file, o->T);
      apply_passes(l, script, o->passes);
      for (const compiler::PassRecord& r : l.passes)
        if (r.refused()) std::fprintf(stderr, "rnncc: note: %s refused: %s\n", r.pass.c_str(), r.refusal.c_str());
      (void)format;
      circuits::io::save_circuit(o->out, l.circuit, dot);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
