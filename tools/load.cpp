#include "tools/load.hpp"

#include <charconv>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
#include "circuits/analysis.hpp"
#include "compiler/passes/balance.hpp"
#include "compiler/passes/lift_scan.hpp"
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
  }
  j["m"] = s.m();
  j["T"] = T;
  j["outputs"] = s.outputs == compiler::OutputMode::All ? "all" : "final";
  j["domain"] = circuits::domain_name(s.domain);
  return j;
}

void add_pass_options(CLI::App* cmd, PassOptions& o, bool with_require) {
  cmd->add_option("--scan", o.scan,
                  "lift the linear recurrence into a prefix network: none, serial, sklansky, kogge-stone, "
                  "brent-kung, ladner-fischer, han-carlson")
      ->capture_default_str();
  cmd->add_flag("--balance", o.balance, "rebuild associative chains as depth-optimal trees (after --scan)");
  if (with_require)
    cmd->add_flag("--require-log-depth", o.require_log_depth,
                  "exit 1 unless lift-scan succeeded with a log-depth network");
}

void apply_passes(Loaded& l, const PassOptions& o, bool critical_path) {
  using namespace compiler::passes;
  // Each version of the circuit is measured once: a pass's "after" is the next one's "before",
  // and the last one is what `report` prints (with a critical path when asked for).
  std::optional<circuits::Measures> cur;
  bool cur_has_path = false;
  auto remeasure = [&](bool final) {
    cur_has_path = final && critical_path;
    cur = circuits::measure(l.circuit, {.not_free = o.not_free, .critical_path = cur_has_path});
  };
  auto current = [&]() -> const circuits::Measures& {  // the input of a pass: never the final circuit
    if (!cur) remeasure(false);
    return *cur;
  };
  if (o.scan != "none") {
    auto net = parse_network(o.scan);
    if (!net) throw Error("--scan: unknown network '" + o.scan +
                          "': expected none, serial, sklansky, kogge-stone, brent-kung, ladner-fischer or han-carlson");
    LiftScanParams p{.network = *net, .matrix_shape = std::nullopt};
    if (l.spec && compiler::has_matrix_state(l.spec->kind)) p.matrix_shape = {{l.spec->d_v, l.spec->d_k}};
    PassRecord r;
    r.name = "lift-scan";
    r.network = o.scan;
    r.size_before = current().size;
    r.depth_before = current().depth;
    LiftScanStats st;
    std::optional<circuits::Circuit> out = try_lift_scan(l.circuit, p, &st);
    if (!out) {
      r.refused = st.refusal;
      r.size_after = r.size_before;
      r.depth_after = r.depth_before;
      l.passes.push_back(r);
      if (o.require_log_depth) throw CheckFailed("lift-scan refused: " + st.refusal);
    } else {
      l.circuit = std::move(*out);
      remeasure(!o.balance);
      r.combine = st.combine;
      r.reduction_tree = st.reduction_tree;
      r.size_after = cur->size;
      r.depth_after = cur->depth;
      if (st.reduction_tree)
        r.notes.push_back("only the final state is read: a balanced tree of T - 1 combines replaces the network");
      if (l.spec && l.spec->domain == circuits::DomainKind::Real)
        r.notes.push_back("real domain: the rewrite is exact over the reals but changes floating-point rounding");
      l.passes.push_back(r);
      if (o.require_log_depth && *net == PrefixNetwork::Serial && !st.reduction_tree)
        throw CheckFailed("--require-log-depth: the serial network has linear depth");
    }
  } else if (o.require_log_depth) {
    throw CheckFailed("--require-log-depth needs --scan NET with a log-depth network");
  }
  if (o.balance) {
    PassRecord r;
    r.name = "balance";
    r.size_before = current().size;
    r.depth_before = current().depth;
    l.circuit = balance(l.circuit, {.not_free = o.not_free}, nullptr);
    remeasure(true);
    r.size_after = cur->size;
    r.depth_after = cur->depth;
    l.passes.push_back(r);
  }
  if (cur && (cur_has_path || !critical_path)) l.measures = std::move(cur);
}

nlohmann::ordered_json passes_json(const std::vector<PassRecord>& passes) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const PassRecord& r : passes) {
    nlohmann::ordered_json j;
    j["name"] = r.name;
    if (!r.network.empty()) j["network"] = r.network;
    if (!r.combine.empty()) j["combine"] = r.combine;
    if (r.name == "lift-scan") j["reduction_tree"] = r.reduction_tree;
    j["size_before"] = r.size_before;
    j["depth_before"] = r.depth_before;
    j["size_after"] = r.size_after;
    j["depth_after"] = r.depth_after;
    if (!r.refused.empty()) j["refused"] = r.refused;
    if (!r.notes.empty()) j["notes"] = r.notes;
    a.push_back(std::move(j));
  }
  return a;
}

std::string passes_text(const std::vector<PassRecord>& passes) {
  std::string s;
  for (const PassRecord& r : passes) {
    if (!r.refused.empty()) {
      s += "  pass " + r.name + " (" + r.network + ") refused: " + r.refused + "\n";
      continue;
    }
    s += "  pass " + r.name;
    if (!r.network.empty())
      s += " (" + (r.reduction_tree ? std::string("reduction tree") : r.network) + ", " + r.combine + " combine)";
    s += ": size " + std::to_string(r.size_before) + " -> " + std::to_string(r.size_after) + ", depth " +
         std::to_string(r.depth_before) + " -> " + std::to_string(r.depth_after) + "\n";
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

void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T) {
  cmd->add_option("-T", T, "sequence length to unroll a spec for (default: the spec's T)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
}

}  // namespace rnncc::tools
