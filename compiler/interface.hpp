// How a circuit compiled from a spec meets the outside world: the value of each input for an
// input sequence, and the value each output should have by the interpreter. Both go through the
// circuit's ports (circuits/ports.hpp), never through names, so they hold after any pass that
// keeps the ports: renamed inputs, reordered outputs, words split into bits.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/decode.hpp"
#include "compiler/spec.hpp"

namespace rnncc::compiler {

// One input sequence: per step, input_width exact values (one-hot vectors for alphabet specs).
using InputSequence = std::vector<std::vector<mpq_class>>;

// Where each input of a circuit compiled from `spec` takes its value, resolved once from its
// port: a sequence input (step t, index i) from x_t[i], a parameter from the spec's tensor, an
// initial-state input zero (as the interpreter reads it); a port that is one bit of a word takes
// that bit of the integer value (two's complement). Error naming an input without a port, or
// whose port the spec cannot fill. `spec` must outlive it.
class CircuitInputs {
 public:
  CircuitInputs(const Spec& spec, const circuits::Circuit& c);
  // Values in input order for one sequence; Error naming an input the sequence does not reach,
  // a value outside the port's range, or a non-integer value of a bit port.
  std::vector<mpq_class> values(const InputSequence& xs) const;

 private:
  struct Source {
    std::uint32_t step = 0;            // x[step][index]; 0: `value`
    std::uint32_t index = 0;
    bool symbol = false;               // the symbol index of x[step] (the position of its 1)
    const mpq_class* value = nullptr;  // a parameter, or zero
    circuits::Port port;
    const std::string* name = nullptr;
  };
  std::vector<Source> sources_;
  std::size_t width_ = 0;
};

// Bit `bit` of the `bits`-bit two's complement (or, with `is_unsigned`, unsigned binary) of the
// integer v; Error unless v is an integer the word can hold.
bool word_bit(const mpq_class& v, unsigned bit, unsigned bits, bool is_unsigned = false);

// The interpreter's values (interpret_values: y_t per step, accept appended to the last) in the
// order of the layout's values, through their ports: Output (t, i) reads y_t[i], Accept the
// accept value. Error naming a value without a port or outside the run.
template <class V>
std::vector<V> expected_values(const Spec& spec, const circuits::OutputLayout& layout,
                               const std::vector<std::vector<V>>& ys);

}  // namespace rnncc::compiler
