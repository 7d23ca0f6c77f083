// rnncc report FILE: measures of a circuit file.
#include <cstdio>

#include "circuits/analysis.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/report_format.hpp"

namespace rnncc::tools {

void add_report(CLI::App& app, Action& action) {
  struct Opts {
    std::string file;
    std::optional<std::uint64_t> T;
    PassOptions passes;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Print the measures of a circuit, or of a spec unrolled for T steps: size, depth, mul_depth, gates "
      "by kind, width profile, one critical path and fan-out (definitions in docs/measures.md).\n\n"
      "Examples:\n  rnncc report examples/circuits/adder4.rc\n  rnncc report big.aig --not-free --json\n"
      "  rnncc report examples/specs/diagonal.toml -T 64 --scan brent-kung\n"
      "  rnncc report examples/specs/dplr.toml -T 1024 -p 'lift-scan -n sklansky; balance'\n"
      "  rnncc report examples/specs/elman_tanh.toml -T 64 --scan sklansky --require-log-depth");
  cmd->add_option("file", o->file, "circuit file (.rc, .aig, .aag) or spec (.toml)")->required();
  add_T_option(cmd, o->T);
  cmd->add_flag("--json", o->json, "print the measures as one JSON object (default: text)");
  add_pass_options(cmd, o->passes, true);
  cmd->add_flag("--not-free", o->passes.not_free,
                "not and buf gates take their operand's level, as ABC's lev (default: every gate costs 1)");
  cmd->callback([&action, o] {
    action = [o] {
      const compiler::Script script = o->passes.parse();  // refuse a bad script before work
      Loaded l = load_circuit_or_spec(o->file, o->T);
      apply_passes(l, script, o->passes, true);
      const circuits::Circuit& c = l.circuit;
      const circuits::Measures& m = *l.measures;
      if (o->json) {
        auto j = report_json(c, m, o->passes.not_free);
        if (l.spec) j["spec"] = spec_json(*l.spec, l.T);
        if (!l.passes.empty()) j["passes"] = passes_json(l.passes);
        std::string s = json_text(j) + "\n";
        std::fwrite(s.data(), 1, s.size(), stdout);
      } else {
        std::string s = report_text(c, m) + passes_text(l.passes);
        std::fwrite(s.data(), 1, s.size(), stdout);
      }
      return 0;
    };
  });
}

}  // namespace rnncc::tools
