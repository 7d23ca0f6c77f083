// BLIF writing for boolean circuits: one `.names` cover per gate (`and`, `or`, `xor`, `not`,
// `buf` natively), constants as empty or `1` covers, outputs as buffers of their gate's net.
// Arithmetic gates and constants other than 0 and 1 are refused.
#pragma once

#include <string>

#include "circuits/circuit.hpp"

namespace rnncc::circuits::io {

std::string write_blif(const Circuit& c);

}  // namespace rnncc::circuits::io
