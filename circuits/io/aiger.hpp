// AIGER reading (binary `aig` and ASCII `aag`, combinational, with symbol tables) and writing.
//
// Reading maps each complemented literal to one NOT gate per variable and each AND through the
// hash-consing builder, so structurally equal ANDs fold as in ABC's strash; the circuit then
// measures like ABC's `print_stats` under `--not-free` (`by_kind.and` = `and`, depth = `lev`).
// Writing decomposes `or`, `xor` and `buf` into AND/NOT and refuses arithmetic gates and
// constants other than 0 and 1. Only gates reachable from an output are written.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace rnncc::circuits::io {

// Detects `aig` or `aag` from the header. `path` names the file in errors and the circuit.
Circuit read_aiger(std::string_view data, const std::string& path);

enum class AigerMode { Binary, Ascii };
std::string write_aiger(const Circuit& c, AigerMode mode);
// The same bytes, written to `out` a chunk at a time.
void write_aiger(const Circuit& c, AigerMode mode, std::ostream& out);

}  // namespace rnncc::circuits::io
