// Resource limits of one run: how many gates a circuit may hold, how many bytes the circuits of
// a command may take, how many bits an exact value may have. Requests are checked against an
// estimate before the work (unrolling, lift-scan) and during it as a backstop (the Builder, the
// exact arithmetic), and fail with LimitError (exit 3) naming the estimate, the limit and the
// flag that raises it, instead of exhausting the machine.
//
// The limits are process-wide: the CLI sets them from --max-gates, --max-memory and
// --max-exact-bits; the defaults come from the memory available when the process starts.
#pragma once

#include <cstdint>
#include <string>

namespace rnncc::circuits {

// Bytes a gate costs while a circuit is built and rewritten: the gate arrays and the hash table
// at their peak (about 16) for the circuit being built plus the one being read.
inline constexpr double kBytesPerGate = 32;

struct Budget {
  std::uint64_t max_gates = 0;       // gates in one circuit (ids are 32-bit: at most 2^32 - 2)
  std::uint64_t max_bytes = 0;       // the circuits' memory, estimated at kBytesPerGate a gate
  std::uint64_t max_exact_bits = 0;  // bits of numerator plus denominator of an exact value
};

// MemAvailable of /proc/meminfo in bytes; 0 when unknown.
std::uint64_t available_memory();

// The defaults: max_bytes the available memory (8 GiB when unknown), max_gates what fits in it
// (at most 2^32 - 2), max_exact_bits 2^20.
Budget default_budget();

const Budget& budget();
void set_budget(const Budget& b);  // a zero field keeps its default

// LimitError unless about `gates` gates fit: "WHAT would need about 3.2e+09 gates (51 GiB);
// the limit is ... (raise it with --max-gates / --max-memory)".
void check_gates(double gates, const std::string& what);

// LimitError unless about `bytes` bytes of output held in memory (a text written at once) fit in
// max_bytes: "WHAT would need about 12 GiB; the limit is ... (raise it with --max-memory)".
void check_bytes(double bytes, const std::string& what);

// LimitError when an exact value of `bits` bits passes max_exact_bits; `what` names the value.
void check_exact_bits(std::uint64_t bits, const std::string& what);

// "3.2 GiB", "512 MiB".
std::string format_bytes(double bytes);

}  // namespace rnncc::circuits
