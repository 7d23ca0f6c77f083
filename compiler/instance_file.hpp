// Instance files (`rnncc sim --inputs FILE`): one instance per line, as values in input order,
// `name=value` pairs or (specs with an alphabet) the T symbols of a sequence; '#' comments.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "compiler/spec.hpp"

namespace rnncc::compiler {

// The instances of `text` (values in the input order of `c`), each value checked against the
// domain `kind` (modulus `modulus` in modp). `spec` (may be null) and `T` are those `c` was
// compiled from: symbol lines need a spec with an alphabet. Error "PATH:LINE:COL: ..." on any
// malformed line, and when there is no instance at all.
std::vector<std::vector<mpq_class>> parse_instances(std::string_view text, const std::string& path,
                                                    const circuits::Circuit& c, const Spec* spec, std::uint64_t T,
                                                    circuits::DomainKind kind, std::uint64_t modulus);

}  // namespace rnncc::compiler
