// The unroller and the reference interpreter: the same model code (models.hpp), traced into a
// circuit over T steps, or run on numbers in a domain.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "compiler/spec.hpp"

namespace rnncc::compiler {

// Traces T steps into a circuit (docs/spec.md, "Circuits"): inputs `x[t][i]` (after parameter
// inputs `KEY[i][j]` when params = "inputs" and initial-state inputs `h0[i]`, `c0[i]`,
// `S0[r][c]` when initial_state = "inputs"); outputs `y[t][i]` (all) or `y[i]` (final) and
// `accept`; step metadata for steps 0..T; origins "<kind>.<construct>" with the step.
// `progress(t, T)`, when given, is called after each step.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;
circuits::Circuit unroll(const Spec& spec, std::uint64_t T, const Progress& progress = {});

// One input sequence: per step, input_width exact values (one-hot vectors for alphabet specs).
using InputSequence = std::vector<std::vector<mpq_class>>;

// "a b a c" for alphabet specs (symbols separated by whitespace); for real-input specs, steps
// separated by whitespace or ';' and components by ',' ("1/2,0 -1,3/4"): numbers are integers,
// rationals p/q or decimals. Error naming the bad token.
InputSequence parse_input_sequence(const Spec& spec, const std::string& text);

// What the interpreter computed, as printable strings in the chosen domain.
struct RunResult {
  std::vector<std::vector<std::string>> states;   // states[t] for t = 0..T (0: initial)
  std::vector<std::vector<std::string>> outputs;  // outputs[t-1] = y_t for t = 1..T
  std::string accept;                             // "" unless the spec accepts
};

// Runs the reference interpreter in `domain` (modulus for modp). Initial-state inputs read as
// zero. Error if the spec cannot run in that domain (tanh in exact, ...).
RunResult interpret(const Spec& spec, const InputSequence& xs, circuits::DomainKind domain,
                    std::uint64_t modulus);

// Reference interpreter values in a domain D, for tests and simulators: per step t = 1..T the
// outputs y_t (and accept appended to the last one when the spec accepts), as D values.
template <class D>
std::vector<std::vector<typename D::Value>> interpret_values(const Spec& spec, D& dom, const InputSequence& xs);

// The interpreter's values (interpret_values) in the order of the unrolled circuit's outputs:
// y_1..y_T for `all`, y_T (and accept) for `final`.
template <class V>
std::vector<V> in_output_order(const Spec& spec, const std::vector<std::vector<V>>& ys) {
  std::vector<V> out;
  if (spec.outputs == OutputMode::Final) {
    if (!ys.empty()) out = ys.back();
    return out;
  }
  for (const auto& y : ys) out.insert(out.end(), y.begin(), y.end());
  return out;
}

// Where each input of a circuit unrolled from `spec` takes its value, resolved once from the
// input names: x[t][i] from the input sequence, parameter inputs (params = "inputs") the spec's
// values, initial-state inputs zero, as the interpreter reads them. Error naming an input that
// is none of these. `spec` must outlive it.
class CircuitInputs {
 public:
  CircuitInputs(const Spec& spec, const circuits::Circuit& c);
  // Values in input order for one sequence; Error naming an input the sequence does not reach.
  std::vector<mpq_class> values(const InputSequence& xs) const;

 private:
  struct Source {
    std::uint64_t step = 0;             // x[step][index]; 0: `value`
    std::size_t index = 0;
    const mpq_class* value = nullptr;   // a parameter, or zero
  };
  std::vector<Source> sources_;
  std::size_t width_ = 0;
};


// A random input sequence of T steps (models.md): uniform symbols, one-hot encoded, for alphabet
// specs; dyadic values (k / 2^16, k uniform in [-2^16, 2^16]) for real-input specs.
InputSequence random_input_sequence(const Spec& spec, std::uint64_t T, SplitMix64& rng);

// Whether the spec may run in a domain (models.md's table, acceptance needs an order); the
// reason when not.
bool domain_allows(const Spec& spec, circuits::DomainKind domain, std::string* why = nullptr);

}  // namespace rnncc::compiler
