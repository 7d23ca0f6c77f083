// Running a construction's spec through rnncc (the side the oracles are compared with): the
// reference interpreter in exact arithmetic, and the naive and lift-scan circuits evaluated
// exactly through their ports.
#pragma once

#include <string>
#include <vector>

#include "compiler/interface.hpp"
#include "compiler/spec.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::proofs {

struct ExactRun {
  std::vector<QVector> states;   // states[t], t = 0..T, flat in the spec's state order
  std::vector<QVector> outputs;  // outputs[t − 1] = y_t
};
// The reference interpreter (compiler::interpret_values and the states it records), exact domain.
ExactRun run_exact(const compiler::Spec& spec, const compiler::InputSequence& xs);

// The circuit outputs (in the unrolled circuit's order) of the naive circuit at T = xs.size(),
// or, when `scan` names a prefix network, of `lift-scan -n SCAN` applied to it; evaluated in
// exact arithmetic. Error when lift-scan refuses.
QVector circuit_outputs(const compiler::Spec& spec, const compiler::InputSequence& xs, const std::string& scan);

// One-hot inputs x_t = e_{word[t]} for an alphabet spec.
compiler::InputSequence one_hot_inputs(std::size_t m, const std::vector<std::size_t>& word);
// Every word of length exactly T over m >= 1 symbols, in lexicographic order (no recursion).
std::vector<std::vector<std::size_t>> words_of_length(std::size_t m, std::size_t T);

}  // namespace rnncc::proofs
