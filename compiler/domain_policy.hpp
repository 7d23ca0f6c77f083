// Domain policy: which number domains (and which moduli) a spec may run in (models.md's table;
// acceptance needs an order), as a reason, a yes/no, or an Error located in the spec's file.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/spec.hpp"

namespace rnncc::compiler {

// Why a spec cannot run in a domain (models.md's table; acceptance needs an order), e.g.
// "cannot run tanh (not rational); allowed: real"; empty when it can.
std::string domain_refusal(const Spec& spec, DomainKind d);

// Whether the spec may run in a domain; the reason (domain_refusal) when not.
bool domain_allows(const Spec& spec, DomainKind domain, std::string* why = nullptr);

// Error (located at 'domain') unless the spec's kind, activation and acceptance run in domain
// `d` (models.md: tanh, lstm and gru only in real; relu (elman, mlp, switched), sign and
// acceptance not in modp).
void check_domain(const Spec& spec, DomainKind d);

// Error unless `p` is a prime below 2^62 (circuits::modulus_message) that divides no
// denominator of the spec's parameters, initial values or [init] scale; located at the
// offending key (parameters.KEY, initial_state, init.scale, modulus).
void check_modulus(const Spec& spec, std::uint64_t p);

}  // namespace rnncc::compiler
