// Input sequences of a spec: parsed from text and drawn at random (interface.hpp maps them onto
// the inputs of a circuit compiled from the spec).
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/interface.hpp"  // InputSequence, CircuitInputs
#include "compiler/spec.hpp"

namespace rnncc::compiler {


// "a b a c" for alphabet specs (symbols separated by whitespace); for real-input specs, steps
// separated by whitespace or ';' and components by ',' ("1/2,0 -1,3/4"): numbers are integers,
// rationals p/q or decimals. Error naming the bad token.
InputSequence parse_input_sequence(const Spec& spec, const std::string& text);

// A random input sequence of T steps (models.md): uniform symbols, one-hot encoded, for alphabet
// specs; integers uniform in input_range where a real-input spec declares one; dyadic values
// (k / 2^16, k uniform in [-2^16, 2^16]) for other real-input specs.
InputSequence random_input_sequence(const Spec& spec, std::uint64_t T, SplitMix64& rng);

}  // namespace rnncc::compiler
