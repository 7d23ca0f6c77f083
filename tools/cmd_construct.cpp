// rnncc construct KIND ...: writes the spec of one of the paper's constructions (proofs/) and,
// optionally, the input sequences it is meant for. The constructions themselves live in proofs/.
#include <fmt/format.h>

#include <cstdio>
#include <functional>

#include "circuits/budget.hpp"
#include "circuits/io/file.hpp"
#include "proofs/automaton.hpp"
#include "proofs/cost_register.hpp"
#include "proofs/counter_machine.hpp"
#include "proofs/sdgc.hpp"
#include "proofs/dwfa.hpp"
#include "proofs/deltanet.hpp"
#include "proofs/matrix.hpp"
#include "proofs/rwkv7.hpp"
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
      if (!o->inputs.empty()) {
        // Every word of length T, or --count of them: held as symbol indices, then as text.
        double all = 1;
        for (std::uint64_t t = 0; t < o->T && all <= static_cast<double>(o->count); ++t) all *= static_cast<double>(a.alphabet.size());
        std::size_t longest = 0;
        for (const std::string& sym : a.alphabet) longest = std::max(longest, sym.size());
        const double n_words = std::min(all, static_cast<double>(o->count));
        circuits::check_bytes(n_words * static_cast<double>(o->T) * static_cast<double>(longest + 1 + sizeof(std::size_t)),
                              fmt::format("construct dwfa --inputs ({} words of length {})", n_words, o->T));
        words = proofs::dwfa_inputs_text(a, o->T, o->count, o->seed);
      }
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

// The matrices of rwkv7-imm and deltanet-matrix: a file, an inline list (--matrices, matrices
// separated by ';'), or random ones. `n` = 0: inferred from the first matrix.
std::vector<proofs::QMatrix> read_matrices(const std::string& file, const std::string& inline_list, std::size_t n,
                                           bool integers) {
  if (!file.empty() && !inline_list.empty()) throw Error("give the matrices as a file or with --matrices, not both");
  if (!inline_list.empty()) {
    std::string text = inline_list;
    for (char& c : text)
      if (c == ';') c = '\n';
    return proofs::parse_matrices(text, "--matrices", n, integers);
  }
  return proofs::load_matrices(file, n, integers);
}

void check_spec_name(const std::string& out) {
  if (circuits::io::extension_of(out) != "toml") throw Error("-o: a spec file's name ends in .toml, got '" + out + "'");
}

void add_rwkv7_imm(CLI::App* construct, Action& action) {
  struct Opts {
    std::string file, matrices, out, inputs;
    std::size_t random = 0;
    std::uint64_t seed = 1;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = construct->add_subcommand(
      "rwkv7-imm",
      "Thm 10's multiplicative layer (Lemmas 4-6): an rwkv7 spec (d_k = 18, d_v = 1, input_width = 36) whose "
      "state is the 18-dim ping-pong [x0 | x1], one overwrite U(dst; c) per step (w = 1, a = e_dst, kappa = e_dst - c, "
      "lambda = 1). The inputs x_t = [e_dst | c] are the router's outputs for 3x3 integer matrices A_1..A_N, computed "
      "here (rnncc has one layer); T = 9(N+1), and the last 9 outputs are vec(A_1 ... A_N). MATRICES: a text file, "
      "one matrix per line, 9 integers row-major (spaces or commas; '#' comments).\n\nExamples:\n"
      "  rnncc construct rwkv7-imm examples/matrices/imm3.txt -o imm.toml --inputs imm.txt\n"
      "  rnncc construct rwkv7-imm --matrices '1,1,0,0,1,0,0,0,1; 0,1,0,1,0,0,0,0,1' -o imm.toml --inputs imm.txt\n"
      "  rnncc sim imm.toml --inputs imm.txt\n"
      "  rnncc verify imm.toml -p 'lift-scan -n sklansky'");
  cmd->add_option("matrices_file", o->file, "matrices file: one 3x3 integer matrix per line, 9 entries row-major");
  cmd->add_option("--matrices", o->matrices, "the matrices inline, separated by ';' (instead of a file)");
  cmd->add_option("--random", o->random, "instead: this many random matrices with entries in {-1, 0, 1} (--seed)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 16));
  add_seed_option(cmd, o->seed, "--random: seed of the matrices (splitmix64)");
  cmd->add_option("-o,--output", o->out, "spec file to write (atomically)")->required();
  cmd->add_option("--inputs", o->inputs,
                  "also write the input sequence (the router's outputs x_t = [e_dst | c]) in `rnncc sim --inputs` format, "
                  "followed by '# block l: vec(P_(l-1)) = ...' (the exact products)");
  cmd->callback([&action, o] {
    action = [o] {
      check_spec_name(o->out);
      const int given = !o->file.empty() + !o->matrices.empty() + (o->random > 0);
      if (given != 1) throw Error("rwkv7-imm: give exactly one of MATRICES (a file), --matrices or --random");
      const std::vector<proofs::QMatrix> as =
          o->random > 0 ? proofs::random_integer_matrices(o->random, 3, -1, 1, o->seed) : read_matrices(o->file, o->matrices, 3, true);
      proofs::RwkvImmOptions options;
      options.name = circuits::io::stem_of(o->out);
      const proofs::RwkvImmConstruction c = proofs::rwkv_imm_construction(as, options);
      proofs::rwkv_imm_spec(c);  // the text must parse back: an internal check, before writing
      circuits::io::write_file_atomic(o->out, c.spec_text);
      std::string out = fmt::format("wrote {} (rwkv7, d_k = 18, d_v = 1, input_width = 36, {} matrices, T = {})\n", o->out,
                                    as.size(), c.steps.size());
      if (!o->inputs.empty()) {
        circuits::io::write_file_atomic(o->inputs, proofs::rwkv_imm_inputs_text(c));
        out += fmt::format("wrote {} (one sequence of {} steps)\n", o->inputs, c.steps.size());
      }
      out += "vec(A_1 ... A_N) = " + proofs::vector_text(proofs::imm_prefix_products(as).back()) + "\n";
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

void add_deltanet_matrix(CLI::App* construct, Action& action) {
  struct Opts {
    std::string what, matrices, out, inputs;
    std::uint64_t seed = 1;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = construct->add_subcommand(
      "deltanet-matrix",
      "Lemma 12's DeltaNet program (Lemmas 9-12): 8n^2+5n+1 steps H(beta, k) = I - beta k k^T mapping [x | s | tau] to "
      "[xP | xP | 0] for an n x n matrix P, as a deltanet spec (d_k = 2n+1, d_v = n, one symbol h<i> per distinct step, "
      "read symbols r<j>). S_0 rows are [e_r | 1..1 | 1]; the input is the programs of P_1..P_N then r0..r<n-1>, and "
      "the read step r<j> outputs column j of P_1 ... P_N. N|MATRICES: a size n (one random integer matrix, entries "
      "-2..2, --seed), or a file of n x n matrices, one per line, n^2 exact numbers row-major.\n\nExamples:\n"
      "  rnncc construct deltanet-matrix 9 -o d9.toml --inputs d9.txt     # 694 program steps\n"
      "  rnncc construct deltanet-matrix --matrices '1,2,3,4; 0,1,-1,1/2' -o d2.toml --inputs d2.txt\n"
      "  rnncc sim d9.toml --inputs d9.txt\n"
      "  rnncc verify d2.toml -T 64 -p 'lift-scan -n brent-kung'");
  cmd->add_option("n_or_matrices", o->what, "a matrix size n (1..64), or a matrices file");
  cmd->add_option("--matrices", o->matrices, "the matrices inline, separated by ';' (instead of N or a file)");
  add_seed_option(cmd, o->seed, "N: seed of the random matrix (splitmix64)");
  cmd->add_option("-o,--output", o->out, "spec file to write (atomically)")->required();
  cmd->add_option("--inputs", o->inputs,
                  "also write the input sequence (the programs, then the read steps) in `rnncc sim --inputs` format, "
                  "followed by the expected outputs of the read steps (exact products)");
  cmd->callback([&action, o] {
    action = [o] {
      check_spec_name(o->out);
      if (o->what.empty() == o->matrices.empty()) throw Error("deltanet-matrix: give exactly one of N, a matrices file, or --matrices");
      std::vector<proofs::QMatrix> ps;
      const bool is_size = !o->what.empty() && o->what.find_first_not_of("0123456789") == std::string::npos;
      if (is_size) {
        const unsigned long n = o->what.size() > 3 ? 1000 : std::stoul(o->what);
        if (n < 1 || n > 64) throw Error("deltanet-matrix: N must be in 1..64, got '" + o->what + "'");
        ps = proofs::random_integer_matrices(1, n, -2, 2, o->seed);
      } else {
        ps = read_matrices(o->what, o->matrices, 0, false);
      }
      proofs::DeltaNetSpecOptions options;
      options.name = circuits::io::stem_of(o->out);
      const proofs::DeltaNetConstruction c = proofs::deltanet_construction(ps, options);
      proofs::deltanet_spec(c);  // the text must parse back: an internal check, before writing
      circuits::io::write_file_atomic(o->out, c.spec_text);
      const std::size_t n = c.n;
      std::string out = fmt::format(
          "wrote {} (deltanet, d_k = {}, d_v = {}, {} step symbols + {} read symbols, T = {}); {} matrix(es) of size {}, "
          "{} steps each (8n^2+5n+1 = {})\n",
          o->out, 2 * n + 1, n, c.symbols.size(), n, c.sequence.size(), ps.size(), n, c.programs.at(0).size(),
          proofs::program_steps_formula(n));
      if (!o->inputs.empty()) {
        circuits::io::write_file_atomic(o->inputs, proofs::deltanet_inputs_text(c));
        out += fmt::format("wrote {} (one sequence of {} steps)\n", o->inputs, c.sequence.size());
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

void add_sdgc(CLI::App* construct, Action& action) {
  struct Opts {
    std::string out, inputs, graphs = "paths";
    std::size_t n = 16, count = 8;
    std::uint64_t seed = 1;
    bool trace = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = construct->add_subcommand(
      "sdgc",
      "Lemma 2's 3-counter machine for sorted deterministic graph connectivity (Def 11, unary encoding "
      "'1^s | 1^i > 1^j | ... | ? 1^t', '_' pads) compiled to a one-layer mlp RNN (Lemma 3 with the exact zero "
      "test; counters reset by draining): d = 12, the same spec for every graph size. It decides instances "
      "whose edges go forward (i < j) and whose target is a sink. With --inputs, K random such instances on N "
      "nodes, half reachable, padded to one length T (the spec's T), each line followed by '# reachable = 0|1' "
      "(breadth-first search).\n\nExamples:\n"
      "  rnncc construct sdgc -o sdgc.toml --inputs sdgc.txt --n 12 --count 8\n"
      "  rnncc sim sdgc.toml --inputs sdgc.txt\n"
      "  rnncc sim sdgc.toml --inputs sdgc.txt --domain exact --precision");
  cmd->add_option("-o,--output", o->out, "spec file to write (atomically)")->required();
  cmd->add_option("--inputs", o->inputs, "also write K instances in `rnncc sim --inputs` format");
  cmd->add_option("--n", o->n, "--inputs: nodes per instance")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{2}, std::size_t{2000}));
  cmd->add_option("--count", o->count, "--inputs: instances (K), alternately reachable and not")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 16));
  cmd->add_option("--graphs", o->graphs,
                  "--inputs: paths (App. G: two disjoint paths, source 1, target n) or forward (random sorted "
                  "forward graphs, random s < t)")
      ->capture_default_str()
      ->check(CLI::IsMember({"paths", "forward"}));
  add_seed_option(cmd, o->seed, "--inputs: seed of the instances (splitmix64)");
  cmd->add_flag("--trace", o->trace,
                "outputs = \"all\" (y_t = h[tgt] - S+ - S- every step) instead of the accept bit");
  cmd->callback([&action, o] {
    action = [o] {
      check_spec_name(o->out);
      const proofs::CounterMachine m = proofs::sdgc_machine();
      const proofs::SdgcGraphs kind = *proofs::parse_sdgc_graphs(o->graphs);
      // K instances on the seed's stream; instance k is reachable when k is even.
      auto instances = [&](const std::function<void(const proofs::SdgcInstance&)>& each) {
        compiler::SplitMix64 rng(o->seed);
        for (std::size_t k = 0; k < o->count; ++k) each(proofs::random_sdgc(o->n, kind, k % 2 == 0, rng));
      };
      std::size_t T = 16;  // the spec's length without --inputs
      if (!o->inputs.empty()) {
        // The lengths first, without building the words, so that the file's size is checked
        // before anything is made or written: two bytes a padded token.
        instances([&](const proofs::SdgcInstance& g) { T = std::max(T, proofs::unary_length(g)); });
        circuits::check_bytes(static_cast<double>(o->count) * (2.0 * static_cast<double>(T) + 24),
                              fmt::format("construct sdgc --inputs ({} instances of {} tokens)", o->count, T));
      }
      proofs::CounterSpecOptions options;
      options.name = circuits::io::stem_of(o->out);
      options.T = T;
      options.accept = !o->trace;
      const std::string spec = proofs::counter_mlp_spec_text(m, options);
      const compiler::Spec parsed = proofs::counter_mlp_spec(m, options);  // must parse back, before writing
      std::string text;
      if (!o->inputs.empty()) {
        text = fmt::format("# {} sdgc instances on {} nodes ({} graphs), padded with _ to T = {}\n", o->count, o->n,
                           o->graphs, T);
        instances([&](const proofs::SdgcInstance& g) {
          std::string line;
          for (std::size_t sym : proofs::padded(proofs::unary_word(g), T)) line += (line.empty() ? "" : " ") + m.alphabet[sym];
          text += line + fmt::format("  # reachable = {}\n", proofs::reachable(g) ? 1 : 0);
        });
      }
      circuits::io::write_file_atomic(o->out, spec);
      std::string out = fmt::format("wrote {} (mlp, d = {}, hidden = {}, T = {})\n", o->out, parsed.d, parsed.hidden, T);
      if (!o->inputs.empty()) {
        circuits::io::write_file_atomic(o->inputs, text);
        out += fmt::format("wrote {} ({} instances of length {})\n", o->inputs, o->count, T);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

void add_cra(CLI::App* construct, Action& action) {
  struct Opts {
    std::string automaton, out, inputs;
    std::uint64_t T = 8, seed = 1;
    std::size_t count = 16;
    bool accept = false, printed_max = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = construct->add_subcommand(
      "cra",
      "A stateless cost-register automaton over (N, +, max) (a TOML file, docs/constructions.md) as a switched "
      "ReLU RNN h_t = relu(A_s h_{t-1} + b_s) (Thm 14, App. H): register j is the sum of coordinates 2j and "
      "2j+1, max(a, b) = relu(a - b) + relu(b). y_t = the registers (or, with --accept, the bit x1 > 0).\n\n"
      "Examples:\n"
      "  rnncc construct cra examples/automata/cra.toml -o cra.toml --inputs cra.txt\n"
      "  rnncc sim cra.toml --inputs cra.txt\n"
      "  rnncc construct cra examples/automata/cra.toml -o printed.toml --printed-max   # App. H's gadget, wrong");
  cmd->add_option("automaton", o->automaton, "cost-register automaton file (.toml)")->required();
  cmd->add_option("-o,--output", o->out, "spec file to write (atomically)")->required();
  cmd->add_option("--inputs", o->inputs,
                  "also write K random words of length T in `rnncc sim --inputs` format, each followed by "
                  "'# x = [...]' (the automaton run directly)");
  cmd->add_option("-T", o->T, "the spec's sequence length, and that of the --inputs words")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20));
  cmd->add_option("--count", o->count, "--inputs: words (K)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 16));
  add_seed_option(cmd, o->seed, "--inputs: seed of the words (splitmix64)");
  cmd->add_flag("--accept", o->accept, "outputs = \"accept\": the bit x1 > 0 after the last symbol");
  cmd->add_flag("--printed-max", o->printed_max, "App. H's printed max gadget relu(a - b) alone (not max: for comparison)");
  cmd->callback([&action, o] {
    action = [o] {
      check_spec_name(o->out);
      const proofs::CostRegisterAutomaton a = proofs::load_cra(o->automaton);
      proofs::CraSpecOptions options;
      options.name = circuits::io::stem_of(o->out);
      options.T = o->T;
      options.accept = o->accept;
      options.printed_max = o->printed_max;
      const std::string spec = proofs::cra_spec_text(a, options);
      proofs::cra_spec(a, options);  // must parse back, before writing
      std::string words;
      if (!o->inputs.empty()) {
        std::size_t longest = 0;
        for (const std::string& sym : a.alphabet) longest = std::max(longest, sym.size());
        circuits::check_bytes(static_cast<double>(o->count) * static_cast<double>(o->T) * static_cast<double>(longest + 1),
                              fmt::format("construct cra --inputs ({} words of length {})", o->count, o->T));
        compiler::SplitMix64 rng(o->seed);
        words = fmt::format("# {} random words of length {}, each followed by the registers after it\n", o->count, o->T);
        for (std::size_t k = 0; k < o->count; ++k) {
          std::vector<std::size_t> w(o->T);
          for (std::size_t& s : w) s = rng.below(a.alphabet.size());
          std::string line;
          for (std::size_t s : w) line += (line.empty() ? "" : " ") + a.alphabet[s];
          std::string regs;
          const std::vector<std::vector<mpz_class>> run = proofs::run_cra(a, w);
          for (const mpz_class& x : run.back()) regs += (regs.empty() ? "" : ", ") + x.get_str();
          words += line + "  # x = [" + regs + "]\n";
        }
      }
      circuits::io::write_file_atomic(o->out, spec);
      std::string out = fmt::format("wrote {} (switched, d = {}, {} registers, T = {}{})\n", o->out, 2 * a.registers,
                                    a.registers, o->T, o->printed_max ? ", the printed max gadget" : "");
      if (!o->inputs.empty()) {
        circuits::io::write_file_atomic(o->inputs, words);
        out += fmt::format("wrote {} ({} words of length {})\n", o->inputs, o->count, o->T);
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
      "  dwfa AUTOMATON.toml   a deterministic weighted automaton as a pd RNN with maps (Thm 7, Thm 8, Cor 7)\n"
      "  rwkv7-imm MATRICES    3x3 iterated matrix multiplication by RWKV-7 overwrites (Lemmas 4-6, Thm 10)\n"
      "  deltanet-matrix N|MATRICES   Lemma 12's DeltaNet program, 8n^2+5n+1 steps H(beta, k) per matrix (Lemmas 9-12)\n"
      "  sdgc                  Lemma 2's counter machine for SDGC as a one-layer mlp RNN (Lemma 3, Thm 2)\n"
      "  cra AUTOMATON.toml    a cost-register automaton over (N, +, max) as a switched ReLU RNN (Thm 14)\n\n"
      "Examples:\n"
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml --inputs issue.txt\n"
      "  rnncc construct dwfa examples/automata/issue.toml -o issue.toml -T 16 --trim\n"
      "  rnncc construct rwkv7-imm --random 4 -o imm.toml --inputs imm.txt\n"
      "  rnncc construct deltanet-matrix 9 -o d9.toml --inputs d9.txt\n"
      "  rnncc construct sdgc -o sdgc.toml --inputs sdgc.txt --n 12\n"
      "  rnncc construct cra examples/automata/cra.toml -o cra.toml --inputs cra.txt");
  cmd->require_subcommand(1);
  add_dwfa(cmd, action);
  add_rwkv7_imm(cmd, action);
  add_deltanet_matrix(cmd, action);
  add_sdgc(cmd, action);
  add_cra(cmd, action);
}

}  // namespace rnncc::tools
