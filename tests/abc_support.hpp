// Running ABC (berkeley-abc) from the tests and reading what it prints: the statistics of every
// `print_stats`, and the verdicts of `cec`. The script is one argument, quoted; paths in it come
// from the tests' own scratch directories.
#pragma once

#include <cstddef>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support.hpp"

namespace rnncc::test {

struct AbcStats {
  std::size_t inputs = 0, outputs = 0, latches = 0, ands = 0, lev = 0;
};

struct AbcRun {
  int status = -1;
  std::string out;              // ANSI colors removed
  std::vector<AbcStats> stats;  // one per print_stats, in order
  std::size_t equivalent = 0;   // "Networks are equivalent" lines
  std::size_t not_equivalent = 0;
};

inline AbcRun abc(const std::string& script) {
  RunResult r = run("berkeley-abc -c " + quote(script));
  AbcRun a;
  a.status = r.status;
  a.out = std::regex_replace(r.out, std::regex("\x1b\\[[0-9;]*m"), "");
  static const std::regex stats(
      R"(i/o\s*=\s*(\d+)\s*/\s*(\d+)\s+lat\s*=\s*(\d+)\s+and\s*=\s*(\d+)\s+lev\s*=\s*(\d+))");
  for (auto it = std::sregex_iterator(a.out.begin(), a.out.end(), stats);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    a.stats.push_back(
        {std::stoul(m[1]), std::stoul(m[2]), std::stoul(m[3]), std::stoul(m[4]), std::stoul(m[5])});
  }
  std::istringstream lines(a.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Networks are equivalent") != std::string::npos) ++a.equivalent;
    if (line.find("NOT EQUIVALENT") != std::string::npos) ++a.not_equivalent;
  }
  return a;
}

}  // namespace rnncc::test
