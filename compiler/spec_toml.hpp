// Reading spec files: TOML text (docs/spec.md) to a validated Spec. Every error is an
// rnncc::Error located in the file: "FILE:LINE:COL: key 'KEY': what was expected, got what".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "circuits/error.hpp"
#include "compiler/spec.hpp"

namespace rnncc::compiler {

// Reads and parses the spec file at `path` ("cannot read PATH: reason" when it cannot be read).
Spec load_spec(const std::string& path);

// Parses spec text; `path` names it in errors and gives the default name (its file stem).
// Parameters missing from [parameters] are drawn from [init]; in domain modp the modulus is
// checked with check_modulus.
Spec parse_spec(std::string_view text, const std::string& path);

// Error unless `p` is a prime below 2^62 that divides no denominator of the spec's parameters,
// initial values or [init] scale; located at the offending key (parameters.KEY, initial_state,
// init.scale, modulus).
void check_modulus(const Spec& spec, std::uint64_t p);

// Error (located at 'domain') unless the spec's kind, activation and acceptance run in domain
// `d` (models.md: tanh, lstm and gru only in real; relu, sign and acceptance not in modp).
void check_domain(const Spec& spec, DomainKind d);

}  // namespace rnncc::compiler
