#include "tools/load.hpp"

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/format.hpp"
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

void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T) {
  cmd->add_option("-T", T, "sequence length to unroll a spec for (default: the spec's T)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
}

}  // namespace rnncc::tools
