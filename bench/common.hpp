// Shared helpers for the benchmarks: resident-memory readings from /proc and a splitmix64
// generator, so every benchmark can report bytes per gate next to its throughput.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace rnncc::bench {

// Kilobytes of a /proc/self/status field ("VmRSS", "VmHWM").
inline std::size_t proc_status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  std::size_t len = std::char_traits<char>::length(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0 && line[len] == ':') return std::stoul(line.substr(len + 1));
  return 0;
}

// Resets the peak resident size (VmHWM) to the current one (Linux >= 4.0).
inline void reset_peak_rss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by rejection.
  std::uint64_t below(std::uint64_t n) {
    std::uint64_t limit = ~0ull - (~0ull % n);
    for (;;) {
      std::uint64_t x = next();
      if (x < limit) return x % n;
    }
  }
};

}  // namespace rnncc::bench
