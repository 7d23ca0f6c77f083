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
// checked with check_modulus (compiler/domain_policy.hpp).
Spec parse_spec(std::string_view text, const std::string& path);

// Throws the Error of a check made after parsing, located at `key` ("modulus",
// "parameters.W_a", "init.scale", ...) in the spec's file: "FILE:LINE:COL: key 'KEY': what".
[[noreturn]] void fail_at_key(const Spec& spec, const std::string& key, const std::string& what);

}  // namespace rnncc::compiler
