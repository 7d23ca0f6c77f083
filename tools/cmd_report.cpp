// rnncc report FILE: measures of a circuit file.
#include <cstdio>

#include "circuits/analysis.hpp"
#include "circuits/io/format.hpp"
#include "tools/commands.hpp"
#include "tools/report_format.hpp"

namespace rnncc::tools {

void add_report(CLI::App& app, Action& action) {
  struct Opts {
    std::string file;
    bool json = false, not_free = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Print the measures of a circuit: size, depth, mul_depth, gates by kind, width profile, one "
      "critical path and fan-out (definitions in docs/measures.md).\n\nExamples:\n"
      "  rnncc report examples/circuits/adder4.aag\n  rnncc report big.aig --not-free --json");
  cmd->add_option("file", o->file, "circuit file: .rc, .aig or .aag")->required();
  cmd->add_flag("--json", o->json, "print the measures as one JSON object (default: text)");
  cmd->add_flag("--not-free", o->not_free,
                "not and buf gates take their operand's level, as ABC's lev (default: every gate costs 1)");
  cmd->callback([&action, o] {
    action = [o] {
      circuits::Circuit c = circuits::io::load_circuit(o->file);
      circuits::Measures m = circuits::measure(c, {.not_free = o->not_free});
      if (o->json) {
        std::string s = report_json(c, m, o->not_free).dump() + "\n";
        std::fwrite(s.data(), 1, s.size(), stdout);
      } else {
        std::string s = report_text(c, m);
        std::fwrite(s.data(), 1, s.size(), stdout);
      }
      return 0;
    };
  });
}

}  // namespace rnncc::tools
