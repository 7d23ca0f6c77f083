// rnncc verify SPEC: every stage of a pass script, simulated on the same random inputs, against
// the stage before and the reference interpreter (check/verify.hpp).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "check/verify.hpp"
#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "compiler/spec_toml.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/progress.hpp"
#include "tools/sim_support.hpp"

namespace rnncc::tools {

void add_verify(CLI::App& app, Action& action) {
  struct Opts {
    std::string spec, circuit;
    std::optional<std::uint64_t> T;
    DomainOptions dom;
    PassOptions passes;
    std::size_t trials = 16;
    std::uint64_t seed = 1;
    double tol = 1e-9;
    int threads = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Compile a spec, run a pass script on it (-p, or the shorthands --scan and --balance), and check every "
      "stage -- the naive circuit, then the result of each pass -- on the same random inputs against the "
      "stage before and against the reference interpreter: exactly in exact and modp, within a relative error "
      "|x - r| / max(|r|, 1) <= --tol in real. One line per stage; in the exact domain one more with each stage's "
      "precision (the largest numerator + denominator bits of a gate's value over the trials, docs/measures.md). "
      "Exit 0 when all agree; 1 on a mismatch (printing the first one) or when a pass refuses (printing why).\n\n"
      "Examples:\n"
      "  rnncc verify examples/specs/diagonal.toml -T 64 --scan brent-kung\n"
      "  rnncc verify examples/specs/deltanet.toml -T 32 -p 'lift-scan -n sklansky; balance' --domain modp\n"
      "  rnncc verify examples/specs/dplr.toml -T 32 -p 'balance; lift-scan -n kogge-stone; balance'\n"
      "  rnncc verify examples/specs/gru.toml -T 16 --domain real --tol 1e-12\n"
      "  rnncc verify examples/specs/dense.toml -T 32 --circuit dense32.rc   # a circuit file against the spec");
  cmd->add_option("spec", o->spec, "spec file (.toml)")->required();
  add_T_option(cmd, o->T);
  cmd->add_option("--circuit", o->circuit,
                  "check this circuit file (.rc with ports, as compile writes) instead of the spec unrolled for T "
                  "steps; -T must be its T");
  add_domain_options(cmd, o->dom);
  add_pass_options(cmd, o->passes, false);
  cmd->add_flag("--not-free", o->passes.not_free, "measure with not/buf free (ABC's lev convention)");
  cmd->add_option("--trials", o->trials, "random input sequences to try")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
  add_seed_option(cmd, o->seed, "seed of the random inputs (splitmix64)");
  cmd->add_option("--tol", o->tol, "largest relative error accepted in the real domain (a finite number >= 0)")
      ->capture_default_str()
      ->check(
          [](const std::string& s) -> std::string {
            double v = -1;
            try {
              v = std::stod(s);
            } catch (const std::exception&) {
            }
            return std::isfinite(v) && v >= 0 ? "" : "expected a finite number >= 0, got " + s;
          },
          "TOL >= 0");
  add_threads_option(cmd, o->threads, "OpenMP threads of the simulator; 0: every core");
  cmd->add_flag("--json", o->json, "print the result as one JSON object");
  cmd->callback([&action, o] {
    action = [o] {
      if (!is_spec_path(o->spec)) throw Error("verify takes a spec (.toml), not " + o->spec);
      if (o->trials == 0) throw Error("--trials: give at least 1");
      const compiler::Script script = o->passes.parse();
      Loaded l;
      l.spec = compiler::load_spec(o->spec);
      if (!o->T && !l.spec->T) throw Error(o->spec + ": give -T N (the spec sets no T)");
      l.T = o->T ? *o->T : *l.spec->T;
      const DomainChoice d = choose_domain(o->dom, l);
      const compiler::Spec& spec = *l.spec;

      check::VerifyOptions vo;
      vo.T = l.T;
      vo.trials = o->trials;
      vo.seed = o->seed;
      vo.domain = d.kind;
      vo.modulus = d.modulus;
      vo.tol = o->tol;
      vo.threads = o->threads;
      vo.not_free = o->passes.not_free;
      std::optional<circuits::Circuit> file;
      if (!o->circuit.empty()) {
        file = circuits::io::load_circuit(o->circuit);
        vo.circuit = &*file;
        vo.circuit_label = circuits::io::stem_of(o->circuit);
      }
      ProgressLine progress("verifying");
      vo.progress = [&](const std::string& stage) { progress.status(stage); };
      const check::VerifyResult r = check::verify_script(spec, script, vo);
      const bool ok = r.ok();
      const bool real = d.kind == circuits::DomainKind::Real;
      // The precision of the run (exact domain): each measured stage's, and the largest.
      const check::StageCheck* widest = nullptr;
      for (const check::StageCheck& s : r.stages)
        if (s.precision_measured && (!widest || s.precision_bits > widest->precision_bits)) widest = &s;
      const bool measured = widest != nullptr;

      std::string out;
      if (o->json) {
        nlohmann::ordered_json j;
        j["spec"] = spec_json(spec, l.T);
        j["domain"] = circuits::domain_name(d.kind);
        if (d.kind == circuits::DomainKind::Modp) j["modulus"] = std::to_string(d.modulus);
        j["trials"] = o->trials;
        j["seed"] = o->seed;
        j["script"] = compiler::script_text(script);
        j["stages"] = nlohmann::ordered_json::array();
        for (const check::StageCheck& s : r.stages) {
          nlohmann::ordered_json js;
          js["stage"] = s.stage;
          js["pass"] = s.pass;
          js["size"] = s.size;
          js["depth"] = s.depth;
          if (!s.refusal.empty()) js["refused"] = s.refusal;
          js["agrees_interpreter"] = s.agrees_interpreter;
          js["agrees_previous"] = s.agrees_previous;
          if (real) js["max_rel_error"] = s.max_rel_error;
          if (!s.first_mismatch.empty()) js["first_mismatch"] = s.first_mismatch;
          if (s.precision_measured) {
            js["precision_bits"] = s.precision_bits;
            js["precision_gate"] = s.precision_gate == circuits::kNoGate ? nlohmann::ordered_json(nullptr)
                                                                          : nlohmann::ordered_json(s.precision_gate);
          }
          js["ok"] = s.ok();
          j["stages"].push_back(std::move(js));
        }
        j["passes"] = passes_json(r.records);
        if (measured) j["precision"] = {{"bits", widest->precision_bits}, {"stage", widest->stage}};
        j["ok"] = ok;
        out = json_text(j) + "\n";
      } else {
        out = fmt::format("verify {}: T = {}, {} domain{}, {} random trial{} (seed {})\n", spec.name, l.T,
                          circuits::domain_name(d.kind),
                          d.kind == circuits::DomainKind::Modp ? fmt::format(" (p = {})", d.modulus) : "", o->trials,
                          o->trials == 1 ? "" : "s", o->seed);
        for (const check::StageCheck& s : r.stages) {
          std::string verdict;
          if (!s.refusal.empty()) {
            verdict = s.pass + " refused: " + s.refusal;
          } else if (s.ok()) {
            verdict = s.pass.empty() ? "agrees with the interpreter" : "agrees with the interpreter and the stage before";
          } else {
            verdict = !s.agrees_interpreter && !s.agrees_previous ? "DIFFERS from the interpreter and the stage before"
                      : !s.agrees_interpreter                     ? "DIFFERS from the interpreter"
                                                                  : "DIFFERS from the stage before";
          }
          if (real && s.refusal.empty()) verdict += fmt::format(" (max relative error {:.3g}, tol {:.3g})", s.max_rel_error, o->tol);
          out += fmt::format("  {:<28} size {:>9}  depth {:>7}  {}\n", s.stage, s.size, s.depth, verdict);
        }
        for (const check::StageCheck& s : r.stages)
          if (!s.first_mismatch.empty()) out += "  first mismatch at " + s.stage + ": " + s.first_mismatch + "\n";
        if (measured) {
          // One line: every stage simulated in exact (boolean stages run in bool and have none).
          std::string figures;
          for (const check::StageCheck& s : r.stages) {
            if (!s.refusal.empty()) continue;
            if (!figures.empty()) figures += ", ";
            figures += s.precision_measured ? fmt::format("{} {}", s.stage, s.precision_bits) : s.stage + " none (bool)";
          }
          out += fmt::format("  precision over the {} trial{} (bits of the widest gate value): {}\n", o->trials,
                             o->trials == 1 ? "" : "s", figures);
        }
        bool mismatch = false;
        for (const check::StageCheck& s : r.stages) mismatch |= !s.agrees_interpreter || !s.agrees_previous;
        out += ok ? "OK\n" : mismatch ? "MISMATCH\n" : "REFUSED\n";
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return ok ? 0 : 1;
    };
  });
}

}  // namespace rnncc::tools
