// Levelization: the executable form of a circuit that the CPU and GPU simulators share.
//
// The live gates are grouped by level and renumbered so that each level is one contiguous range
// (a counting sort by level, stable in gate id), and every operand is rewritten once into the
// row of a value buffer where the simulator finds it. A `Schedule` is built once per circuit and
// domain and reused for every batch and lane tile.
//
// * `buf` gates vanish (they alias their operand). In the bool domain `not` vanishes as well:
//   operands are literals, row << 1 | complement (the AIG convention), `or` becomes an `and` of
//   complemented operands with a complemented result, and the constants 0 and 1 are the two
//   literals of one all-zero row. Levels then count `and`/`xor` only, as `--not-free` does.
// * Rows are reused: a row is free once the last level that reads its value has run, and a later
//   level writes into it (the most recently freed rows first, as they are likely still in cache,
//   handed to the level's gates in ascending order). Only outputs survive a run, so the buffer
//   holds the widest cut of live values, not the whole circuit. `reuse_rows = false` keeps one
//   row per value.
// * `gate_map = true` also records which scheduled value each circuit gate is (several gates can
//   be one value: a `buf` is its operand), for measures kept per circuit gate, such as the
//   simulator's precision (sim/precision.hpp). It costs 4 bytes a circuit gate, so it is off by
//   default.
// * A gate kind the domain does not define, or a bool constant other than 0 and 1, is refused
//   here, before any simulation work.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"

namespace rnncc::circuits {

struct LevelizeOptions {
  bool reuse_rows = true;
  bool gate_map = false;  // fill Schedule::gate_value
};

struct Schedule {
  DomainKind domain = DomainKind::Real;
  std::uint32_t num_rows = 0;  // rows of the value buffer

  // Sources, written into their rows before level 1 runs.
  std::vector<std::uint32_t> input_row;  // per circuit input (input order); kNoRow when unused. The
                                         // live inputs have rows 0, 1, ... in input order.
  std::vector<std::uint32_t> const_row;  // one per distinct live constant
  std::vector<mpq_class> const_value;    // its value (bool: the single row holds 0)

  // Gates, level by level: gates [level_start[l], level_start[l + 1]) form level l + 1.
  std::vector<Op> op;                 // bool: only And and Xor
  std::vector<std::uint32_t> a, b;    // operand literals: row << 1 | complement (b unused for arity 1)
  std::vector<std::uint32_t> dst;     // row written
  std::vector<std::uint32_t> level_start;

  std::vector<std::uint32_t> output_literal;  // per circuit output: row << 1 | complement

  // Values: the sources and gates in one numbering, input i (live or not) is value i, constant j
  // value input_row.size() + j, and the gate at position p value input_row.size() +
  // const_row.size() + p. With LevelizeOptions::gate_map, gate_value[g] is circuit gate g's value
  // as a literal, value << 1 | complement (complements only in bool), or kNoRow for a gate that
  // is not live; without it, gate_value is empty and gate_map false.
  bool gate_map = false;
  std::vector<std::uint32_t> gate_value;

  std::size_t num_gates() const { return op.size(); }
  std::size_t num_values() const { return input_row.size() + const_row.size() + op.size(); }
  std::size_t num_levels() const { return level_start.empty() ? 0 : level_start.size() - 1; }
  std::size_t max_level_width() const;
};

inline constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;

// Throws Error (naming the kind and the domain) when a live gate cannot run in `domain`.
Schedule levelize(const Circuit& c, DomainKind domain, const LevelizeOptions& options = {});

}  // namespace rnncc::circuits
