// The reference interpreter: the same model code as the unroller (models.hpp), run on numbers
// in a domain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/input_sequence.hpp"
#include "compiler/spec.hpp"

namespace rnncc::compiler {

// What the interpreter computed, as printable strings in the chosen domain.
struct RunResult {
  std::vector<std::vector<std::string>> states;   // states[t] for t = 0..T (0: initial)
  std::vector<std::vector<std::string>> outputs;  // outputs[t-1] = y_t for t = 1..T (none for outputs = "accept")
  std::string accept;                             // "" unless the spec accepts
};

// Runs the reference interpreter in `domain` (modulus for modp). Initial-state inputs read as
// zero. Error if the spec cannot run in that domain (tanh in exact, ...).
RunResult interpret(const Spec& spec, const InputSequence& xs, circuits::DomainKind domain,
                    std::uint64_t modulus);

// Reference interpreter values in a domain D, for tests and simulators: per step t = 1..T the
// outputs y_t (and accept appended to the last one when the spec accepts), as D values. With
// outputs = "accept" the y_t are not outputs: every step's list is empty but the last, {accept}.
template <class D>
std::vector<std::vector<typename D::Value>> interpret_values(const Spec& spec, D& dom,
                                                             const InputSequence& xs);

// The interpreter's values (interpret_values) in the order of the unrolled circuit's outputs:
// y_1..y_T for `all`, y_T (and accept) for `final`, accept alone for `accept`.
template <class V>
std::vector<V> in_output_order(const Spec& spec, const std::vector<std::vector<V>>& ys) {
  std::vector<V> out;
  if (spec.outputs != OutputMode::All) {
    if (!ys.empty()) out = ys.back();
    return out;
  }
  for (const auto& y : ys) out.insert(out.end(), y.begin(), y.end());
  return out;
}

}  // namespace rnncc::compiler
