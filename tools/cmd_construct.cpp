// rnncc construct KIND ...: writes the spec of one of the paper's constructions (proofs/) and,
// optionally, the input sequences it is meant for. The constructions themselves live in proofs/.
#include <fmt/format.h>

#include <cstdio>

#include "circuits/io/file.hpp"
#include "proofs/automaton.hpp"
#include "proofs/dwfa.hpp"
#include "circuits/error.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {
namespace {

std::string list(const std::vector<std::size_t>& states) {
  std::string out;
  for (std::size_t q : states) out += (out.empty() ? "" : ", ") + std::to_string(q);
  return out;
}

void add_dwfa(CLI::App* construct, Action& action) {
  struct Opts {
    std::string automaton, out, inputs;
    std::uint64_t T = 8, seed = 1;
    std::size_t count = 256;
    bool trim = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = construct->add_subcommand(
      "dwfa",
      "A deterministic weighted automaton (a TOML automaton file, docs/constructions.md) as a one-layer pd "
      "RNN with maps (Thm 8): lane q is state q, P[s][q] = delta(q, s), delta[s][q] = w(q, s), h_0 = e_start, "
      "no bias, y = final . h_T, so the spec's final output is f_A(word).\n\nExamples:\n"
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml --inputs issue.txt\n"
      "  rnncc sim issue.toml --inputs issue.txt\n"
      "  rnncc verify issue.toml -T 64 -p 'lift-scan -n sklansky'");
  cmd->add_option("automaton", o->automaton, "automaton file (.toml)")->required();
  cmd->add_option("-o,--output", o->out, "spec file to write (atomically)")->required();
  cmd->add_option("--inputs", o->inputs,
                  "also write input sequences, one word of length T per line in `rnncc sim --inputs` format, "
                  "each followed by '# f_A = VALUE' (the automaton run directly)");
  cmd->add_option("-T", o->T, "the spec's sequence length, and that of the --inputs words")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
  cmd->add_option("--count", o->count, "--inputs: every word of length T when there are at most this many, else this many random ones")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  add_seed_option(cmd, o->seed, "--inputs: seed of the random words (splitmix64)");
  cmd->add_flag("--trim", o->trim,
                "compile the trimmed automaton: unreachable states dropped, dead ones (that cannot reach a "
                "nonzero final weight) merged into one sink; f_A is unchanged");
  cmd->callback([&action, o] {
    action = [o] {
      // Commands tell specs from circuit files by the extension: a spec written as x.rc would be
      // misread later.
      if (circuits::io::extension_of(o->out) != "toml")
        throw Error("-o: a spec file's name ends in .toml, got '" + o->out + "'");
      const proofs::Automaton read = proofs::load_automaton(o->automaton);
      const proofs::Reachability r = proofs::reachability(read);
      const proofs::Automaton a = o->trim ? proofs::trim(read) : read;
      proofs::DwfaOptions options;
      options.T = o->T;
      options.name = circuits::io::stem_of(o->out);
      const std::string spec = proofs::dwfa_spec_text(a, options);
      proofs::dwfa_spec(a, options);  // the text must parse back: an internal check, before writing
      std::string words;
      if (!o->inputs.empty()) words = proofs::dwfa_inputs_text(a, o->T, o->count, o->seed);
      std::string out = fmt::format("{}: {} states, {} symbols; unreachable: {}; dead: {}\n", o->automaton, read.states,
                                    read.alphabet.size(), r.unreachable().empty() ? "none" : list(r.unreachable()),
                                    r.dead().empty() ? "none" : list(r.dead()));
      if (o->trim) out += fmt::format("trimmed to {} states\n", a.states);
      circuits::io::write_file_atomic(o->out, spec);
      out += fmt::format("wrote {} (pd with maps, d = {}, T = {})\n", o->out, a.states, o->T);
      if (!o->inputs.empty()) {
        circuits::io::write_file_atomic(o->inputs, words);
        out += fmt::format("wrote {} (words of length {})\n", o->inputs, o->T);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace

void add_construct(CLI::App& app, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "construct",
      "Write the spec of one of the paper's constructions (and, with --inputs, the input sequences it is "
      "meant for), to compile, report, sweep, simulate and verify like any spec.\n\nKinds:\n"
      "  dwfa AUTOMATON.toml   a deterministic weighted automaton as a pd RNN with maps (Thm 7, Thm 8, Cor 7)\n\n"
      "Examples:\n"
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml --inputs issue.txt\n"
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml -T 16 --trim");
  cmd->require_subcommand(1);
  add_dwfa(cmd, action);
}

}  // namespace rnncc::tools
