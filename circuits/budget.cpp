#include "circuits/budget.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "circuits/error.hpp"

namespace rnncc::circuits {

namespace {
constexpr std::uint64_t kMaxIds = 0xFFFFFFFFull - 1;  // GateId is 32-bit; kNoGate is reserved

Budget& current() {
  static Budget b = default_budget();
  return b;
}
}  // namespace

std::uint64_t available_memory() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (!f) return 0;
  char line[256];
  std::uint64_t kb = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "MemAvailable: %lu kB", &kb) == 1) break;
  std::fclose(f);
  return kb * 1024;
}

Budget default_budget() {
  Budget b;
  const std::uint64_t avail = available_memory();
  b.max_bytes = avail ? avail : std::uint64_t{8} << 30;
  b.max_gates = std::min<std::uint64_t>(kMaxIds, static_cast<std::uint64_t>(static_cast<double>(b.max_bytes) / kBytesPerGate));
  b.max_exact_bits = std::uint64_t{1} << 20;
  return b;
}

const Budget& budget() { return current(); }

void set_budget(const Budget& b) {
  Budget& c = current();
  const Budget d = default_budget();
  c.max_bytes = b.max_bytes ? b.max_bytes : d.max_bytes;
  c.max_gates = std::min(kMaxIds, b.max_gates ? b.max_gates
                                              : std::min<std::uint64_t>(d.max_gates, static_cast<std::uint64_t>(
                                                                                         static_cast<double>(c.max_bytes) / kBytesPerGate)));
  c.max_exact_bits = b.max_exact_bits ? b.max_exact_bits : d.max_exact_bits;
}

std::string format_bytes(double bytes) {
  if (bytes >= double(1ull << 30)) return fmt::format("{:.1f} GiB", bytes / double(1ull << 30));
  if (bytes >= double(1ull << 20)) return fmt::format("{:.0f} MiB", bytes / double(1ull << 20));
  return fmt::format("{:.0f} KiB", bytes / 1024.0);
}

void check_gates(double gates, const std::string& what) {
  const Budget& b = budget();
  const double bytes = gates * kBytesPerGate;
  if (gates <= static_cast<double>(b.max_gates) && bytes <= static_cast<double>(b.max_bytes)) return;
  throw LimitError(fmt::format(
      "{} would need about {:.3g} gates ({}); the limit is {:.3g} gates and {} (raise them with --max-gates and "
      "--max-memory; circuits hold at most 2^32 - 2 gates)",
      what, gates, format_bytes(bytes), static_cast<double>(b.max_gates), format_bytes(static_cast<double>(b.max_bytes))));
}

void check_bytes(double bytes, const std::string& what) {
  const Budget& b = budget();
  if (bytes <= static_cast<double>(b.max_bytes)) return;
  throw LimitError(fmt::format("{} would need about {}; the limit is {} (raise it with --max-memory)", what,
                               format_bytes(bytes), format_bytes(static_cast<double>(b.max_bytes))));
}

void check_exact_bits(std::uint64_t bits, const std::string& what) {
  if (bits <= budget().max_exact_bits) return;
  throw LimitError(fmt::format("{} has {} bits, past the limit of {} bits for an exact value (raise it with "
                               "--max-exact-bits)",
                               what, bits, budget().max_exact_bits));
}

}  // namespace rnncc::circuits
