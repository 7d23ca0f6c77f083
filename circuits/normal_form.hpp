// Validators of the two normal forms that the nc1 and pnc1 passes produce (docs/passes.md):
// each returns what keeps a circuit out of the form, one line per offending gate, empty when the
// circuit is in it. Every gate is checked, live or dead. One forward loop over gate ids (plus one
// over outputs): no recursion, any depth.
//
// NC1 form: inputs, the constants 0 and 1, `and` and `or` (fan-in 2), and `not` directly on an
// input; nothing else (no xor, buf, arithmetic).
//
// PNC1 form: inputs, the constants -1, 0 and 1, `add`, `sub` and `mul` (fan-in 2), and `step`
// only as the last gate before an output: a step gate is read by no gate (only by outputs, of any
// port role) and its operand is not a step, so each output has at most one; nothing else (no neg,
// buf, other constants, other kinds).
#pragma once

#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace rnncc::circuits {

// At most this many violations are listed one by one; a last line counts the rest.
inline constexpr std::size_t kMaxViolationsListed = 20;

std::vector<std::string> nc1_violations(const Circuit& c);
std::vector<std::string> pnc1_violations(const Circuit& c);

// "gate g12: xor is not allowed; gate g40: ...": the list joined for an error message.
std::string join_violations(const std::vector<std::string>& violations);

}  // namespace rnncc::circuits
