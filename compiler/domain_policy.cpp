// Domain policy: models.md's table of which kinds run in which domains, and the modulus
// checks of the modp domain, as reasons and as located errors.
#include "compiler/domain_policy.hpp"

#include <gmp.h>

#include "compiler/spec_toml.hpp"

namespace rnncc::compiler {

std::string domain_refusal(const Spec& spec, DomainKind d) {
  const bool needs_real = spec.kind == Kind::Lstm || spec.kind == Kind::Gru ||
                          (spec.kind == Kind::Elman && spec.activation == Activation::Tanh);
  const bool relu_kind = spec.kind == Kind::Mlp || spec.kind == Kind::Switched;  // relu, always
  const bool needs_order = spec.kind == Kind::Elman || relu_kind || spec.accept;
  std::string allowed = "real";
  if (!needs_real) allowed += ", exact";
  if (!needs_real && !needs_order) allowed += ", modp";
  const std::string name(circuits::domain_name(d));
  if (d != DomainKind::Bool && allowed.find(name) != std::string::npos) return "";
  std::string what, why;
  if (d == DomainKind::Bool) {
    what = std::string(kind_name(spec.kind));
    why = "bool has no arithmetic";
  } else if (needs_real) {
    what = spec.kind == Kind::Elman ? "tanh" : std::string(kind_name(spec.kind));
    why = spec.kind == Kind::Elman ? "not rational" : "tanh and sigmoid are not rational";
  } else if (spec.kind == Kind::Elman || relu_kind) {
    what = std::string(activation_name(relu_kind ? Activation::Relu : spec.activation));
    why = "integers mod p have no order";
  } else {
    what = "acceptance";
    why = "its step needs an order, which integers mod p lack";
  }
  return "cannot run " + what + " (" + why + "); allowed: " + allowed;
}

bool domain_allows(const Spec& spec, DomainKind domain, std::string* why) {
  std::string refusal = domain_refusal(spec, domain);
  if (why) *why = refusal;
  return refusal.empty();
}

void check_modulus(const Spec& spec, std::uint64_t p) {
  static_assert(sizeof(unsigned long) == sizeof(std::uint64_t), "mpz_divisible_ui_p takes p");
  if (std::string why = circuits::modulus_message(p); !why.empty())
    fail_at_key(spec, "modulus", why);
  const std::string ps = std::to_string(p);
  auto divides = [p](const mpq_class& q) {
    return mpz_divisible_ui_p(q.get_den_mpz_t(), static_cast<unsigned long>(p)) != 0;
  };
  if (spec.seed && divides(spec.scale))
    fail_at_key(spec, "init.scale",
                "the modulus " + ps + " divides the denominator of the scale " +
                    spec.scale.get_str() +
                    "; expected a modulus with an inverse for every constant");
  for (const ParamInfo& info : parameter_table(spec)) {
    auto it = spec.params.find(info.key);
    if (it == spec.params.end()) continue;
    const Tensor& t = it->second;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!divides(t.at(i))) continue;
      std::string key = "parameters." + info.key;
      std::string value = element_name(info.key, t.shape, i) + " = " + t.at(i).get_str();
      if (!spec.positions.count(key) && spec.seed)
        fail_at_key(spec, "init.scale",
                    "the modulus " + ps + " divides the denominator of the drawn value " + value +
                        " (drawn values are multiples of scale/2^16); expected a modulus with an "
                        "inverse for every constant");
      fail_at_key(spec, key,
                  "the modulus " + ps + " divides the denominator of " + value +
                      "; expected a modulus with an inverse for every constant");
    }
  }
  for (std::size_t i = 0; i < spec.initial_values.size(); ++i) {
    if (!divides(spec.initial_values[i])) continue;
    fail_at_key(spec, "initial_state",
                "the modulus " + ps + " divides the denominator of initial value " +
                    std::to_string(i) + " = " + spec.initial_values[i].get_str() +
                    "; expected a modulus with an inverse for every constant");
  }
}

void check_domain(const Spec& spec, DomainKind d) {
  std::string refusal = domain_refusal(spec, d);
  if (refusal.empty()) return;
  fail_at_key(spec, "domain", "domain '" + std::string(circuits::domain_name(d)) + "' " + refusal);
}

}  // namespace rnncc::compiler
