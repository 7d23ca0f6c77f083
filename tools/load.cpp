#include "tools/load.hpp"

#include <fmt/format.h>

#include <charconv>
#include <variant>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "circuits/analysis.hpp"
#include "compiler/passes/prefix.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "tools/progress.hpp"

namespace rnncc::tools {

bool is_spec_path(const std::string& path) { return circuits::io::extension_of(path) == "toml"; }

Loaded load_circuit_or_spec(const std::string& path, std::optional<std::uint64_t> T) {
  Loaded l;
  if (!is_spec_path(path)) {
    if (T) throw Error("-T applies to specs (.toml), not to circuit files like " + path);
    l.circuit = circuits::io::load_circuit(path);
    return l;
  }
  l.spec = compiler::load_spec(path);
  if (!T && !l.spec->T) throw Error(path + ": give -T N (the spec sets no T)");
  l.T = T ? *T : *l.spec->T;
  ProgressLine progress("unrolling " + l.spec->name + " (steps)");
  l.circuit = compiler::unroll(*l.spec, l.T, std::ref(progress));
  return l;
}

nlohmann::ordered_json spec_json(const compiler::Spec& s, std::uint64_t T) {
  nlohmann::ordered_json j;
  j["kind"] = compiler::kind_name(s.kind);
  if (s.kind == compiler::Kind::Elman) j["activation"] = compiler::activation_name(s.activation);
  if (compiler::has_matrix_state(s.kind)) {
    j["d_k"] = s.d_k;
    j["d_v"] = s.d_v;
  } else {
    j["d"] = s.d;
    if (s.kind == compiler::Kind::Mlp) j["hidden"] = s.hidden;
  }
  j["m"] = s.m();
  j["T"] = T;
  j["outputs"] = s.outputs == compiler::OutputMode::All ? "all" : s.outputs == compiler::OutputMode::Final ? "final" : "accept";
  j["domain"] = circuits::domain_name(s.domain);
  return j;
}

void add_pass_options(CLI::App* cmd, PassOptions& o, bool with_require) {
  cmd->add_option("-p,--passes", o.script,
                  "pass script: passes separated by ';', each with its flags, run in order (e.g. 'lift-scan -n "
                  "sklansky; balance'; rnncc passes lists them)");
  cmd->add_option("--scan", o.scan,
                  "shorthand for -p 'lift-scan -n NET': none, serial, sklansky, kogge-stone, brent-kung, "
                  "ladner-fischer, han-carlson")
      ->capture_default_str();
  cmd->add_flag("--balance", o.balance, "shorthand for a final 'balance' pass (after --scan)");
  if (with_require)
    cmd->add_flag("--require-log-depth", o.require_log_depth,
                  "exit 1 unless a lift-scan pass succeeded with a log-depth network");
}

compiler::Script PassOptions::parse() const {
  if (!script.empty() && (scan != "none" || balance))
    throw Error("give a pass script (-p) or the shorthands --scan/--balance, not both");
  if (!script.empty()) return compiler::parse_script(script);
  if (scan != "none" && !compiler::passes::parse_network(scan))
    throw Error("--scan: unknown network '" + scan +
                "': expected none, serial, sklansky, kogge-stone, brent-kung, ladner-fischer or han-carlson");
  return compiler::parse_script(compiler::shorthand_script(scan, balance, not_free));
}

void apply_passes(Loaded& l, const compiler::Script& script, const PassOptions& o, bool critical_path) {
  ProgressLine progress("running passes");
  compiler::PipelineOptions po;
  po.not_free = o.not_free;
  po.critical_path = critical_path;
  po.on_start = [&](const compiler::Invocation& inv) { progress.status(inv.text()); };
  compiler::PipelineResult r = compiler::run_script(std::move(l.circuit), script, po);
  l.circuit = std::move(r.circuit);
  l.measures = std::move(r.measures);
  l.passes = std::move(r.records);
  if (o.require_log_depth) {
    const std::string problem = compiler::log_depth_problem(l.passes);
    if (!problem.empty()) throw CheckFailed(problem);
  }
}

nlohmann::ordered_json counters_json(const std::vector<compiler::Counter>& counters) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const compiler::Counter& c : counters)
    std::visit([&](const auto& v) { j[c.name] = v; }, c.value);
  return j;
}

nlohmann::ordered_json passes_json(const std::vector<compiler::PassRecord>& passes) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const compiler::PassRecord& r : passes) {
    nlohmann::ordered_json j;
    j["name"] = r.pass;
    j["invocation"] = r.invocation;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [k, v] : r.params) params[k] = v;
    j["params"] = params;
    j["size_before"] = r.size_before;
    j["depth_before"] = r.depth_before;
    j["size_after"] = r.size_after;
    j["depth_after"] = r.depth_after;
    j["seconds"] = r.seconds;
    if (r.refused()) j["refused"] = r.refusal;
    j["counters"] = counters_json(r.counters);
    if (!r.notes.empty()) j["notes"] = r.notes;
    a.push_back(std::move(j));
  }
  return a;
}

std::string passes_text(const std::vector<compiler::PassRecord>& passes) {
  std::string s;
  for (const compiler::PassRecord& r : passes) {
    if (r.refused()) {
      s += "  pass " + r.invocation + " refused: " + r.refusal + "\n";
      continue;
    }
    std::string counters;
    for (const compiler::Counter& c : r.counters)
      counters += (counters.empty() ? "" : ", ") + c.name + " " + compiler::counter_text(c.value);
    s += fmt::format("  pass {}: size {} -> {}, depth {} -> {} ({:.3f} s{}{})\n", r.invocation, r.size_before,
                     r.size_after, r.depth_before, r.depth_after, r.seconds, counters.empty() ? "" : "; ", counters);
    for (const std::string& n : r.notes) s += "    note: " + n + "\n";
  }
  return s;
}

std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string& text, const std::string& flag,
                                                    const std::string& expected) {
  auto colon = text.find(':');
  std::uint64_t a = 0, b = 0;
  auto num = [](std::string_view t, std::uint64_t& v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  std::string_view sv(text);
  if (colon == std::string::npos || !num(sv.substr(0, colon), a) || !num(sv.substr(colon + 1), b) || a > b)
    throw Error(flag + ": expected " + expected + ", got '" + text + "'");
  return {a, b};
}

void add_seed_option(CLI::App* cmd, std::uint64_t& seed, const std::string& help) {
  cmd->add_option("--seed", seed, help)
      ->capture_default_str()
      ->check([](const std::string& s) -> std::string {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos
                   ? ""
                   : "expected an integer in [0, 2^64), got " + s;
      }, "SEED >= 0");
}

void add_threads_option(CLI::App* cmd, int& threads, const std::string& help) {
  cmd->add_option("--threads", threads, help)->capture_default_str()->check(CLI::Range(0, 4096));
}

void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T) {
  cmd->add_option("-T", T, "sequence length to unroll a spec for (default: the spec's T)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
}

}  // namespace rnncc::tools
