// Helpers shared by the suites that run the rnncc binary on specs (test_cli_sim, test_cli_spec):
// a command line, an example spec's path and a spec small enough to follow by hand.
#pragma once

#include <string>
#include <vector>

#include "tests/support.hpp"

namespace rnncc::test {

// The rnncc binary with arguments `args`, for run().
inline std::string rnncc(const std::string& args) {
  return rnncc_binary() + " " + args;
}

// rnncc with each argument quoted; stdout and stderr together in `out`.
inline RunResult run_cli(const std::vector<std::string>& args) {
  std::string line;
  for (const std::string& a : args) line += (line.empty() ? "" : " ") + quote(a);
  return run(rnncc(line));
}

// examples/specs/<name>.toml in the source tree.
inline std::string example(const std::string& name) {
  return example_spec_path(name);
}

// A 1-wide diagonal RNN small enough to follow by hand: h_t = a(x_t) h_{t-1} + b(x_t) with
// a(a) = 1/2, a(b) = 2, b(a) = 1, b(b) = 0; y = h.
inline constexpr char kTiny[] = R"(kind = "diagonal"
d = 1
alphabet = ["a", "b"]
domain = "exact"
T = 3
[parameters]
W_a = [["1/2", 2]]
c_a = [0]
W_b = [[1, 0]]
c_b = [0]
W_y = [[1]]
c_y = [0]
)";

}  // namespace rnncc::test
