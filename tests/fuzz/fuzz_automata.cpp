// libFuzzer target: see tests/fuzz/targets.hpp and docs/fuzzing.md.
#include "tests/fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rnncc::fuzz::automata(data, size);
}
