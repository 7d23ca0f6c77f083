// The unroller: the model code (models.hpp) traced into a circuit over T steps.
#pragma once

#include <cstdint>
#include <functional>

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

}  // namespace rnncc::compiler
