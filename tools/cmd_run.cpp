// rnncc run SPEC --input "...": the reference interpreter on one input sequence.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "circuits/domains.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/spec_toml.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {

void add_run(CLI::App& app, Action& action) {
  struct Opts {
    std::string spec, input, domain;
    std::optional<std::uint64_t> modulus;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run the reference interpreter of a spec on one input sequence and print every state and "
      "output. Initial-state inputs (initial_state = \"inputs\") read as zero.\n\nExamples:\n"
      "  rnncc run examples/specs/diagonal.toml --input \"a b a c\"\n"
      "  rnncc run examples/specs/diagonal.toml --input \"a b a c\" --domain modp --modulus 1000003\n"
      "  rnncc run examples/specs/lstm.toml --input \"d c b a\" --json");
  cmd->add_option("spec", o->spec, "spec file (.toml)")->required();
  cmd->add_option("--input", o->input,
                  "input sequence: symbols separated by spaces (\"a b a\"), or for real-input specs "
                  "vectors separated by spaces or ';' with components separated by ',' (\"1/2,0 -1,0.25\")")
      ->required();
  cmd->add_option("--domain", o->domain, "real, exact or modp (default: the spec's domain)");
  cmd->add_option("--modulus", o->modulus, "prime modulus for modp (default: the spec's, else 2^61-1)");
  cmd->add_flag("--json", o->json, "print {\"states\": [...], \"outputs\": [...], \"accept\": ...}");
  cmd->callback([&action, o] {
    action = [o] {
      compiler::Spec spec = compiler::load_spec(o->spec);
      circuits::DomainKind domain = o->domain.empty() ? spec.domain : circuits::parse_domain(o->domain);
      std::uint64_t p = o->modulus.value_or(spec.modulus);
      if (domain == circuits::DomainKind::Modp) compiler::check_modulus(spec, p);
      compiler::InputSequence xs = compiler::parse_input_sequence(spec, o->input);
      compiler::RunResult r = compiler::interpret(spec, xs, domain, p);
      std::string out;
      if (o->json) {
        nlohmann::ordered_json j;
        j["domain"] = circuits::domain_name(domain);
        j["states"] = r.states;
        j["outputs"] = r.outputs;
        if (spec.accept) j["accept"] = r.accept;
        out = json_text(j) + "\n";
      } else {
        out = fmt::format("{} ({} domain{})\n", spec.name, circuits::domain_name(domain),
                          domain == circuits::DomainKind::Modp ? fmt::format(", p = {}", p) : "");
        out += fmt::format("t=0 h=[{}]\n", fmt::join(r.states[0], ", "));
        for (std::size_t t = 1; t < r.states.size(); ++t)
          out += t - 1 < r.outputs.size()  // outputs = "accept": no y_t, the accept bit only
                     ? fmt::format("t={} h=[{}] y=[{}]\n", t, fmt::join(r.states[t], ", "), fmt::join(r.outputs[t - 1], ", "))
                     : fmt::format("t={} h=[{}]\n", t, fmt::join(r.states[t], ", "));
        if (spec.accept) out += fmt::format("accept = {}\n", r.accept);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
