// rnncc: compile RNN specs to circuits, measure, rewrite, simulate. This file only wires the
// subcommands; each lives in its own cmd_*.cpp and calls the libraries.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "circuits/budget.hpp"
#include "circuits/error.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace {

// A message on one line of printable text: control bytes (NUL and newlines included) become
// \xNN, so nothing can cut it short or forge a second line.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void say(const std::string& msg) {
  const std::string line = "rnncc: " + printable(msg) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// The exit status, unless standard output could not be written (a full disk, /dev/full, a
// closed pipe): then 2, with the reason.
int finish(int status) {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int err = errno;
    say(std::string("cannot write standard output: ") + std::strerror(err ? err : EIO));
    return status == 0 || status == 1 ? 2 : status;
  }
  return status;
}

// "8G", "512M", "1.5GiB", "1000000": bytes.
std::uint64_t parse_bytes(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    throw rnncc::Error("--max-memory: expected bytes such as 8G, 512M or 1000000, got '" + text + "'");
  }
  std::string unit = text.substr(used);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 'B') unit.pop_back();
  if (unit.size() > 1 && unit.back() == 'I') unit.pop_back();
  const double scale = unit.empty() ? 1 : unit == "K" ? 1024.0 : unit == "M" ? 1048576.0 : unit == "G" ? 1073741824.0
                       : unit == "T" ? 1099511627776.0 : -1;
  if (scale < 0 || !(v > 0) || v * scale > 1.8e19)
    throw rnncc::Error("--max-memory: expected bytes such as 8G, 512M or 1000000, got '" + text + "'");
  return static_cast<std::uint64_t>(v * scale);
}

}  // namespace

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
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml --inputs issue.txt\n"
      "  rnncc claims --only 1,5,E1\n"
      "  rnncc task sdgc --n 100 --count 1000 -o sdgc.jsonl\n"
      "  rnncc dot examples/circuits/adder4.rc -o adder4.dot\n  rnncc convert in.aig out.rc"};
  app.footer(
      "Exit status: 0 ok; 1 a check failed (verify, --require-log-depth); 2 bad input or usage; 3 a resource "
      "limit (the message gives the estimate and the flag that raises it); 4 an internal error (a bug: please "
      "report it).");
  app.require_subcommand(1);
  app.fallthrough();  // the limits may also follow the subcommand
  const rnncc::circuits::Budget defaults = rnncc::circuits::default_budget();
  std::uint64_t max_gates = 0, max_exact_bits = 0;
  std::string max_memory;
  app.add_option("--max-gates", max_gates,
                 "largest circuit, in gates, that a command may build (default: what fits the available memory, " +
                     std::to_string(defaults.max_gates) + " here)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{0xFFFFFFFE}));
  app.add_option("--max-memory", max_memory,
                 "memory the circuits may take, e.g. 8G or 512M (default: the memory available at start, " +
                     rnncc::circuits::format_bytes(static_cast<double>(defaults.max_bytes)) + " here)");
  app.add_option("--max-exact-bits", max_exact_bits,
                 "largest exact value, in bits of numerator and denominator (default 1048576)")
      ->check(CLI::Range(std::uint64_t{64}, std::uint64_t{1} << 40));
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
  rnncc::tools::add_construct(app, action);
  rnncc::tools::add_claims(app, action);
  rnncc::tools::add_task(app, action);
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
    say(std::string("unknown command '") + argv[1] + "': expected one of " + names + " (see rnncc --help)");
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return finish(0);
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return finish(0);
  } catch (const CLI::CallForVersion&) {
    std::puts("rnncc 0.1.0");
    return finish(0);
  } catch (const CLI::ParseError& e) {
    // Help of the subcommand that was asked for is handled by CLI11 itself.
    if (e.get_exit_code() == 0) return finish(app.exit(e));
    say(std::string(e.what()) + " (see rnncc --help)");
    return 2;
  }
  try {
    rnncc::circuits::set_budget({.max_gates = max_gates,
                                 .max_bytes = max_memory.empty() ? 0 : parse_bytes(max_memory),
                                 .max_exact_bits = max_exact_bits});
    return finish(action ? action() : 2);
  } catch (const rnncc::tools::CheckFailed& e) {
    say(e.what());
    return finish(1);
  } catch (const rnncc::LimitError& e) {
    say(e.what());
    return finish(3);
  } catch (const rnncc::Error& e) {
    say(e.what());
    return finish(2);
  } catch (const std::bad_alloc&) {
    const std::uint64_t avail = rnncc::circuits::available_memory();
    say("out of memory: an allocation failed with " +
        (avail ? rnncc::circuits::format_bytes(static_cast<double>(avail)) + " of memory available"
               : std::string("the memory available")) +
        "; lower -T, or set --max-gates/--max-memory so that estimates refuse it first");
    return 3;
  } catch (const std::exception& e) {
    say(std::string("internal error (a bug, please report it): ") + e.what());
    return 4;
  }
}
