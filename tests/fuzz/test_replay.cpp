// Replays every file of the fuzz corpora (tests/fuzz/corpus/<target>/, seeds and the inputs of
// crashes found, which stay there as regression cases) through the fuzz targets' bodies, built
// with the normal compiler and tests: the fuzzers' findings are checked in every `make test`,
// without libFuzzer. A crash here aborts the test binary (tests/fuzz/targets.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/targets.hpp"
#include "tests/support.hpp"

namespace rnncc {
namespace {

namespace fs = std::filesystem;

std::size_t replay(const std::string& target, int (*run)(const std::uint8_t*, std::size_t)) {
  const fs::path dir = fs::path(test::source_dir()) / "tests/fuzz/corpus" / target;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.string());
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
  }
  return files.size();
}

TEST(Replay, Rc) { EXPECT_GE(replay("rc", fuzz::rc), 5u); }
TEST(Replay, Aiger) { EXPECT_GE(replay("aiger", fuzz::aiger), 5u); }
TEST(Replay, Spec) { EXPECT_GE(replay("spec", fuzz::spec), 5u); }
TEST(Replay, Instances) { EXPECT_GE(replay("instances", fuzz::instances), 5u); }
TEST(Replay, Structured) { EXPECT_GE(replay("structured", fuzz::structured), 5u); }
TEST(Replay, Automata) { EXPECT_GE(replay("automata", fuzz::automata), 5u); }

}  // namespace
}  // namespace rnncc
