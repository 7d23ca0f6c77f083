// rnncc verify SPEC: the naive circuit, the rewritten circuit and the reference interpreter on
// the same random inputs must agree.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"
#include "circuits/levelize.hpp"
#include "compiler/unroll.hpp"
#include "sim/instances.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/sim_support.hpp"

namespace rnncc::tools {

namespace {

using circuits::DomainKind;

template <class D, class V>
void interpret_into(const compiler::Spec& spec, D& dom, const compiler::InputSequence& xs, std::vector<V>& out) {
  const std::vector<V> ys = compiler::in_output_order(spec, compiler::interpret_values(spec, dom, xs));
  out.insert(out.end(), ys.begin(), ys.end());
}

// How one circuit compared with the interpreter.
struct Agreement {
  std::string label;
  std::size_t size = 0, depth = 0;
  bool equal = true;
  double max_rel_error = 0;
  std::string first_mismatch;
};

// `want` holds the interpreter's outputs in the same layout as the simulator's.
Agreement compare(Agreement a, const circuits::Circuit& c, const sim::InstanceValues& got,
                  const sim::InstanceValues& want, DomainKind d, double tol) {
  const std::string& label = a.label;
  const std::size_t n = got.instances * got.outputs;
  for (std::size_t i = 0; i < n; ++i) {
    bool ok;
    if (d == DomainKind::Real) {
      const double x = got.real[i], r = want.real[i];
      const double err = std::abs(x - r) / std::max(1.0, std::abs(r));
      ok = err <= tol || (std::isnan(x) && std::isnan(r));
      if (!std::isnan(err)) a.max_rel_error = std::max(a.max_rel_error, err);
      if (std::isnan(err) && !ok) a.max_rel_error = NAN;
    } else if (d == DomainKind::Exact) {
      ok = got.exact[i] == want.exact[i];
    } else {
      ok = got.modp_or_bool[i] == want.modp_or_bool[i];
    }
    if (!ok && a.equal) {
      a.equal = false;
      a.first_mismatch = fmt::format("output {} of trial {}: {} circuit gives {}, the interpreter {}",
                                     c.outputs()[i % got.outputs].name, i / got.outputs + 1, label,
                                     got.format(i / got.outputs, i % got.outputs), want.format(i / got.outputs, i % got.outputs));
    }
  }
  return a;
}

}  // namespace

void add_verify(CLI::App& app, Action& action) {
  struct Opts {
    std::string spec;
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
      "Compile a spec, then run the naive circuit, the rewritten circuit (--scan, --balance) and the reference "
      "interpreter on the same random inputs and check that they agree: exactly in exact and modp, within a "
      "relative error |x - r| / max(|r|, 1) <= --tol in real. Exit 0 when all agree; 1 on a mismatch "
      "(printing the first one) or when the requested scan is refused (printing why).\n\nExamples:\n"
      "  rnncc verify examples/specs/diagonal.toml -T 64 --scan brent-kung\n"
      "  rnncc verify examples/specs/deltanet.toml -T 32 --scan sklansky --balance --domain modp --trials 8\n"
      "  rnncc verify examples/specs/gru.toml -T 16 --domain real --tol 1e-12");
  cmd->add_option("spec", o->spec, "spec file (.toml)")->required();
  add_T_option(cmd, o->T);
  add_domain_options(cmd, o->dom);
  add_pass_options(cmd, o->passes, false);
  cmd->add_option("--trials", o->trials, "random input sequences to try")->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the random inputs (splitmix64)")->capture_default_str();
  cmd->add_option("--tol", o->tol, "largest relative error accepted in the real domain")->capture_default_str();
  cmd->add_option("--threads", o->threads, "OpenMP threads of the simulator; 0: every core")->capture_default_str();
  cmd->add_flag("--json", o->json, "print the result as one JSON object");
  cmd->callback([&action, o] {
    action = [o] {
      if (!is_spec_path(o->spec)) throw Error("verify takes a spec (.toml), not " + o->spec);
      if (o->trials == 0) throw Error("--trials: give at least 1");
      Loaded naive = load_circuit_or_spec(o->spec, o->T);
      const compiler::Spec& spec = *naive.spec;
      const DomainChoice d = choose_domain(o->dom, naive);
      const bool rewrite = o->passes.scan != "none" || o->passes.balance;
      Loaded rewritten;
      if (rewrite) {
        rewritten = naive;
        apply_passes(rewritten, o->passes);
        for (const PassRecord& r : rewritten.passes)
          if (!r.refused.empty()) throw CheckFailed("lift-scan refused: " + r.refused);
      }

      // Random inputs and the interpreter's outputs.
      compiler::SplitMix64 rng(o->seed);
      std::vector<std::vector<mpq_class>> inputs;
      sim::InstanceValues want;  // the interpreter's outputs, laid out as the simulator's
      want.domain = d.kind;
      want.instances = o->trials;
      circuits::RealDomain real;
      circuits::ExactDomain exact;
      circuits::ModpDomain modp = d.kind == DomainKind::Modp ? circuits::ModpDomain(d.modulus) : circuits::ModpDomain();
      const compiler::CircuitInputs circuit_inputs(spec, naive.circuit);
      for (std::size_t k = 0; k < o->trials; ++k) {
        const compiler::InputSequence xs = compiler::random_input_sequence(spec, naive.T, rng);
        inputs.push_back(circuit_inputs.values(xs));
        if (d.kind == DomainKind::Real) interpret_into(spec, real, xs, want.real);
        if (d.kind == DomainKind::Exact) interpret_into(spec, exact, xs, want.exact);
        if (d.kind == DomainKind::Modp) interpret_into(spec, modp, xs, want.modp_or_bool);
      }
      want.outputs = std::max({want.real.size(), want.exact.size(), want.modp_or_bool.size()}) / o->trials;

      sim::BatchOptions bo;
      bo.modulus = d.modulus;
      bo.sim.threads = o->threads;
      std::vector<Agreement> results;
      // Sizes and depths come from the pass records when the passes measured them already.
      auto check = [&](const std::string& label, const circuits::Circuit& c, std::size_t size, std::size_t depth) {
        if (c.outputs().size() != want.outputs)
          throw Error(fmt::format("{} circuit has {} outputs, the interpreter gives {}", label, c.outputs().size(),
                                  want.outputs));
        const sim::InstanceValues v = sim::simulate_instances(circuits::levelize(c, d.kind), inputs, bo);
        Agreement a;
        a.label = label;
        a.size = size;
        a.depth = depth;
        results.push_back(compare(std::move(a), c, v, want, d.kind, o->tol));
      };
      if (rewrite) {
        const PassRecord &first = rewritten.passes.front(), &last = rewritten.passes.back();
        check("naive", naive.circuit, first.size_before, first.depth_before);
        std::string label;
        for (const PassRecord& r : rewritten.passes)
          label += (label.empty() ? "" : " + ") + (r.name == "lift-scan" ? r.network : r.name);
        check(label, rewritten.circuit, last.size_after, last.depth_after);
      } else {
        const circuits::Measures m = circuits::measure(naive.circuit, {.not_free = false, .critical_path = false});
        check("naive", naive.circuit, m.size, m.depth);
      }
      const bool ok = std::all_of(results.begin(), results.end(), [](const Agreement& a) { return a.equal; });

      std::string out;
      if (o->json) {
        nlohmann::ordered_json j;
        j["spec"] = spec_json(spec, naive.T);
        j["domain"] = circuits::domain_name(d.kind);
        if (d.kind == DomainKind::Modp) j["modulus"] = std::to_string(d.modulus);
        j["trials"] = o->trials;
        j["seed"] = o->seed;
        for (const Agreement& a : results) {
          nlohmann::ordered_json r;
          r["circuit"] = a.label;
          r["size"] = a.size;
          r["depth"] = a.depth;
          r["agrees"] = a.equal;
          if (d.kind == DomainKind::Real) r["max_rel_error"] = a.max_rel_error;
          if (!a.equal) r["first_mismatch"] = a.first_mismatch;
          j["circuits"].push_back(r);
        }
        if (rewrite) j["passes"] = passes_json(rewritten.passes);
        j["ok"] = ok;
        out = j.dump() + "\n";
      } else {
        out = fmt::format("verify {}: T = {}, {} domain{}, {} random trial{} (seed {})\n", spec.name, naive.T,
                          circuits::domain_name(d.kind),
                          d.kind == DomainKind::Modp ? fmt::format(" (p = {})", d.modulus) : "", o->trials,
                          o->trials == 1 ? "" : "s", o->seed);
        for (const Agreement& a : results) {
          std::string verdict = a.equal ? "agrees with the interpreter" : "DIFFERS from the interpreter";
          if (d.kind == DomainKind::Real) verdict += fmt::format(" (max relative error {:.3g}, tol {:.3g})", a.max_rel_error, o->tol);
          out += fmt::format("  {:<24} size {:>9}  depth {:>7}  {}\n", a.label, a.size, a.depth, verdict);
        }
        for (const Agreement& a : results)
          if (!a.equal) out += "  first mismatch: " + a.first_mismatch + "\n";
        out += ok ? "OK\n" : "MISMATCH\n";
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return ok ? 0 : 1;
    };
  });
}

}  // namespace rnncc::tools
