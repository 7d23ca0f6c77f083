// Measures of a circuit, exactly as docs/measures.md defines them: liveness, levels, depth,
// mul_depth, size, gate counts by kind, the width profile, one critical path and fan-out.
// Every measure is computed in a constant number of forward or backward loops over gate ids
// (ids are topological), with no recursion and no per-gate allocation.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace rnncc::circuits {

struct MeasureParams {
  bool not_free = false;       // `not` and `buf` take their operand's level (ABC's `lev`)
  bool critical_path = true;   // also extract one longest path
};

struct Measures {
  std::size_t inputs = 0;             // all declared inputs, live or not
  std::size_t outputs = 0;
  std::size_t size = 0;               // live gates other than inputs and constants
  std::uint32_t depth = 0;            // max level over outputs
  std::uint32_t mul_depth = 0;        // same recursion, only `mul` and `and` add 1
  std::array<std::size_t, kNumOps> by_kind{};  // live gates per kind
  std::vector<std::size_t> levels;    // levels[l] = live gates at level l (0: inputs, constants)
  std::size_t width_min = 0, width_median = 0, width_max = 0;  // over levels 1..depth
  double average_parallelism = 0;     // size / depth
  std::vector<GateId> critical_path;  // a longest path, from a level-0 gate to an output
  std::size_t fanout_max = 0;         // largest number of live gate operands reading one gate
  GateId fanout_max_gate = kNoGate;
  double fanout_mean = 0;             // mean fan-out over live gates that are read at all
};

// live[g] != 0 iff an output is reachable from g.
std::vector<std::uint8_t> live_gates(const Circuit& c);

// Level of every gate (dead gates included) under the chosen convention.
std::vector<std::uint32_t> gate_levels(const Circuit& c, bool not_free);

Measures measure(const Circuit& c, const MeasureParams& params = {});

// Throws Error("cannot write FORMAT: ...") unless every live gate is boolean (and, or, xor, not,
// buf, inputs, the constants 0 and 1): the formats that hold boolean circuits only.
void require_boolean(const Circuit& c, const std::vector<std::uint8_t>& live, const char* format);

// A human label for a gate: its input name, else the first output naming it, else "g<id>".
std::string gate_label(const Circuit& c, GateId g);

// "gate 12 (mul, from dense.y)": its id, kind and origin construct, for pass refusals.
std::string gate_description(const Circuit& c, GateId g);

}  // namespace rnncc::circuits
