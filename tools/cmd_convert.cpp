// rnncc convert IN OUT: between circuit formats, chosen by extension.
#include "circuits/io/format.hpp"
#include "tools/commands.hpp"

namespace rnncc::tools {

void add_convert(CLI::App& app, Action& action) {
  struct Opts {
    std::string in, out;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Convert a circuit between formats, chosen by extension: reads .rc .aig .aag; writes .rc .aig .aag "
      ".blif .dot. AIGER and BLIF hold boolean circuits only.\n\nExamples:\n"
      "  rnncc convert examples/circuits/adder4.aag adder4.aig\n  rnncc convert big.aig big.rc");
  cmd->add_option("in", o->in, "input circuit file")->required();
  cmd->add_option("out", o->out, "output circuit file (written atomically)")->required();
  cmd->callback([&action, o] {
    action = [o] {
      circuits::io::save_circuit(o->out, circuits::io::load_circuit(o->in));
      return 0;
    };
  });
}

}  // namespace rnncc::tools
