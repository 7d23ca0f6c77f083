// gen_rand_aig OUT.aig [ANDS]: writes bench/gen_rand_aig.hpp's random AIG (default 2M ANDs) as
// binary AIGER, for timing rnncc against ABC as whole processes (scripts/run-bench) and for
// `rnncc sim` on a large boolean circuit.
#include <cstdio>
#include <cstdlib>

#include "bench/gen_rand_aig.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_rand_aig OUT.aig [ANDS]\n");
    return 2;
  }
  std::uint64_t ands = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2'000'000;
  std::string s = rnncc::bench::random_aig(1000, ands);
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f || std::fwrite(s.data(), 1, s.size(), f) != s.size()) return 1;
  return std::fclose(f) == 0 ? 0 : 1;
}
