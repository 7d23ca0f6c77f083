// rnncc: compile RNN specs to circuits, measure, rewrite, simulate. This file only wires the
// subcommands; each lives in its own cmd_*.cpp and calls the libraries.
#include <cstdio>
#include <string>
#include <exception>
#include <new>

#include "circuits/error.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "rnncc: compiles recurrent neural networks into explicit bounded fan-in circuits and "
      "measures how parallel they are.\n\nExamples:\n  rnncc compile examples/specs/diagonal.toml -T 64 -o d.rc\n"
      "  rnncc report examples/specs/elman_tanh.toml -T 256\n"
      "  rnncc run examples/specs/diagonal.toml --input \"a b a c\"\n"
      "  rnncc sweep examples/specs/diagonal.toml -T 8:4096 --plot depth.svg\n"
      "  rnncc sim examples/specs/diagonal.toml -T 8 --domain exact --random 4\n"
      "  rnncc verify examples/specs/diagonal.toml -T 64 --scan brent-kung\n"
      "  rnncc report examples/specs/dplr.toml -T 256 -p 'lift-scan -n sklansky; balance'\n"
      "  rnncc passes lift-scan\n"
      "  rnncc dot examples/circuits/adder4.rc -o adder4.dot\n  rnncc convert in.aig out.rc"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rnncc 0.1.0");
  rnncc::tools::Action action;
  rnncc::tools::add_compile(app, action);
  rnncc::tools::add_report(app, action);
  rnncc::tools::add_dot(app, action);
  rnncc::tools::add_convert(app, action);
  rnncc::tools::add_run(app, action);
  rnncc::tools::add_sweep(app, action);
  rnncc::tools::add_sim(app, action);
  rnncc::tools::add_verify(app, action);
  rnncc::tools::add_passes(app, action);
  // CLI11 only says "a subcommand is required" for an unknown word: name it.
  auto known = [&app](const char* word) {
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      if (sub->get_name() == word) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      names += (names.empty() ? "" : ", ") + sub->get_name();
    std::fprintf(stderr, "rnncc: unknown command '%s': expected one of %s (see rnncc --help)\n", argv[1],
                 names.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::puts("rnncc 0.1.0");
    return 0;
  } catch (const CLI::ParseError& e) {
    // Help of the subcommand that was asked for is handled by CLI11 itself.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "rnncc: %s (see rnncc --help)\n", e.what());
    return 2;
  }
  try {
    return action ? action() : 2;
  } catch (const rnncc::tools::CheckFailed& e) {
    std::fprintf(stderr, "rnncc: %s\n", e.what());
    return 1;
  } catch (const rnncc::Error& e) {
    std::fprintf(stderr, "rnncc: %s\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "rnncc: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rnncc: internal error: %s\n", e.what());
    return 3;
  }
}
