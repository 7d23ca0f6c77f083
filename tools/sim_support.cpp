#include "tools/sim_support.hpp"

#include "circuits/analysis.hpp"

#include <memory>
#include "circuits/error.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/spec_toml.hpp"
#ifdef RNNCC_HAVE_GPU
#include "gpu/simulator.hpp"
#endif

namespace rnncc::tools {

using circuits::DomainKind;

void add_domain_options(CLI::App* cmd, DomainOptions& o) {
  cmd->add_option("--domain", o.domain,
                  "real, exact, modp or bool (default: the spec's domain; for circuit files bool when every gate "
                  "is boolean, else real)");
  cmd->add_option("--modulus", o.modulus, "prime modulus below 2^62 for modp (default: the spec's, else 2^61-1)");
}

DomainChoice choose_domain(const DomainOptions& o, const Loaded& l) {
  DomainChoice d;
  const std::vector<std::uint8_t> live = circuits::live_gates(l.circuit);
  bool boolean = l.circuit.num_gates() > 0;
  for (circuits::GateId g = 0; g < l.circuit.num_gates() && boolean; ++g)
    if (live[g] && !circuits::is_boolean(l.circuit.op(g))) boolean = false;
  if (!o.domain.empty()) {
    d.kind = circuits::parse_domain(o.domain);
  } else if (l.spec && !boolean) {
    d.kind = l.spec->domain;
  } else {
    // A circuit file, or a spec lowered to a boolean circuit (lower-bool): bits.
    d.kind = boolean ? DomainKind::Bool : DomainKind::Real;
    // Boolean gates over a constant that is no bit: neither domain fits; say which constant.
    for (circuits::GateId g = 0; g < l.circuit.num_gates() && d.kind == DomainKind::Bool; ++g)
      if (live[g] && l.circuit.op(g) == circuits::Op::Const && l.circuit.constant(g) != 0 && l.circuit.constant(g) != 1)
        throw Error("this circuit has only boolean gates but reads the constant " + l.circuit.constant(g).get_str() +
                    " (gate g" + std::to_string(g) + "), which is not a bit: give --domain real, exact or modp if "
                    "its gates are meant as arithmetic");
  }
  if (o.modulus && d.kind != DomainKind::Modp)
    throw Error("--modulus applies to the modp domain, not " + std::string(circuits::domain_name(d.kind)));
  if (l.spec) {
    if (d.kind == DomainKind::Bool && !boolean)
      throw Error(l.spec->path + ": specs run in the real, exact or modp domain, not bool (unless lowered to a "
                                 "boolean circuit: -p 'lower-int; lower-bool')");
    if (d.kind != DomainKind::Bool) compiler::check_domain(*l.spec, d.kind);
  }
  if (d.kind == DomainKind::Modp) {
    d.modulus = o.modulus.value_or(l.spec ? l.spec->modulus : circuits::kDefaultModulus);
    if (l.spec)
      compiler::check_modulus(*l.spec, d.modulus);
    else
      circuits::check_modulus_value(d.modulus);
  }
  return d;
}

sim::InstanceFn random_instances(const Loaded& l, DomainKind domain, std::uint64_t seed) {
  auto rng = std::make_shared<compiler::SplitMix64>(seed);
  std::shared_ptr<const compiler::CircuitInputs> from_sequence;
  if (l.spec) from_sequence = std::make_shared<const compiler::CircuitInputs>(*l.spec, l.circuit);
  return [&l, domain, rng, from_sequence](std::size_t, std::vector<mpq_class>& values) {
    if (from_sequence) {
      values = from_sequence->values(compiler::random_input_sequence(*l.spec, l.T, *rng));
      return;
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      const circuits::Port& p = l.circuit.input_port(k);
      if (domain == DomainKind::Bool)
        values[k] = static_cast<long>(rng->below(2));
      else if (p.has_range && p.word_bits == 0)  // an integer in its declared range
        values[k] = p.lo + static_cast<long>(rng->below(static_cast<std::uint64_t>(std::int64_t{p.hi} - p.lo) + 1));
      else
        values[k] = rng->dyadic(1);
    }
  };
}

void add_device_option(CLI::App* cmd, std::string& device) {
  cmd->add_option("--device", device,
                  "cpu: the OpenMP simulator; gpu: the CUDA simulator (real, modp and bool; results bit-identical "
                  "to cpu but for tanh and sigmoid, within a few ulps)")
      ->check(CLI::IsMember({"cpu", "gpu"}))
      ->capture_default_str();
}

circuits::Schedule schedule_for(const std::string& device, const circuits::Circuit& c, DomainKind domain,
                                std::uint64_t lanes) {
#ifdef RNNCC_HAVE_GPU
  if (device == "gpu" && gpu::device_info().available) return gpu::levelize_for_gpu(c, domain, lanes);
#endif
  (void)device;
  (void)lanes;
  return circuits::levelize(c, domain);  // without a GPU, make_engine says so
}

std::unique_ptr<sim::Engine> make_engine(const std::string& device, const circuits::Schedule& s,
                                         std::uint64_t modulus) {
  if (device != "gpu") return nullptr;
#ifdef RNNCC_HAVE_GPU
  return std::make_unique<gpu::Simulator>(s, modulus);
#else
  (void)s;
  (void)modulus;
  throw Error("--device gpu: this rnncc was built without CUDA (nvcc was not found when it was configured)");
#endif
}

}  // namespace rnncc::tools
