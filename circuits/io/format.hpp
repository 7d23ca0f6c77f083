// Circuit files by extension: `.rc` (native), `.aig` / `.aag` (AIGER), `.blif`, `.dot`.
#pragma once

#include <string>

#include "circuits/circuit.hpp"
#include "circuits/io/dot.hpp"

namespace rnncc::circuits::io {

enum class Format { Rc, Aig, Aag, Blif, Dot };

// Format named by the path's extension; Error for an unknown one.
Format format_of(const std::string& path);

// Reads `.rc`, `.aig` or `.aag`.
Circuit load_circuit(const std::string& path);

// Serialises in the format of `path`'s extension (Error if the circuit cannot be held there).
std::string serialize(const Circuit& c, Format format, const DotParams& dot = {});

// Writes atomically: serialises first, so a refused circuit leaves no file at all.
void save_circuit(const std::string& path, const Circuit& c, const DotParams& dot = {});

}  // namespace rnncc::circuits::io
