// rnncc construct sdgc and cra: the written specs and inputs go through sim, and what sim prints
// is what the oracles say (breadth-first search labels, the automaton run directly); sim
// --precision on the sdgc spec; bad automaton files are one located line, exit 2, no file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

// The text after "# key = " on each comment-carrying line of an inputs file.
std::vector<std::string> annotations(const std::string& text, const std::string& key) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto at = line.find("# " + key + " = ");
    if (at != std::string::npos && at > 0) out.push_back(line.substr(at + key.size() + 5));
  }
  return out;
}

TEST(CliConstructNonlinear, HelpListsTheKinds) {
  const RunResult r = run_cli({"construct", "--help"});
  EXPECT_NE(r.out.find("sdgc "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cra AUTOMATON.toml"), std::string::npos) << r.out;
}

TEST(CliConstructNonlinear, SdgcAcceptsExactlyTheReachableInstances) {
  const std::string dir = scratch("construct_sdgc");
  const std::string spec = dir + "/sdgc.toml", inputs = dir + "/sdgc.txt";
  for (const char* graphs : {"paths", "forward"}) {
    const RunResult r = run_cli({"construct", "sdgc", "-o", spec, "--inputs", inputs, "--n", "9", "--count", "6",
                                 "--graphs", graphs, "--seed", "3"});
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("(mlp, d = 12, hidden = "), std::string::npos) << r.out;
    const std::vector<std::string> labels = annotations(read_text(inputs), "reachable");
    ASSERT_EQ(labels.size(), 6u);
    const RunResult sim = run_cli({"sim", spec, "--inputs", inputs});
    ASSERT_EQ(sim.status, 0) << sim.out;
    for (std::size_t k = 0; k < labels.size(); ++k)
      EXPECT_NE(sim.out.find("#" + std::to_string(k + 1) + " accept=" + labels[k]), std::string::npos) << sim.out;
  }
  // Its precision: a few bits (counters at most about the node count).
  const RunResult p = run_cli({"sim", spec, "--inputs", inputs, "--domain", "exact", "--precision"});
  ASSERT_EQ(p.status, 0) << p.out;
  EXPECT_NE(p.out.find("precision: "), std::string::npos) << p.out;
  const std::string bits = p.out.substr(p.out.find("precision: ") + 11);
  EXPECT_LE(std::stoi(bits), 8) << p.out;
}

TEST(CliConstructNonlinear, CraRegistersAreTheAutomatons) {
  const std::string dir = scratch("construct_cra");
  const std::string spec = dir + "/cra.toml", inputs = dir + "/cra.txt";
  const RunResult r = run_cli({"construct", "cra", source_dir() + "/examples/automata/cra.toml", "-o", spec,
                               "--inputs", inputs, "-T", "7", "--count", "5"});
  ASSERT_EQ(r.status, 0) << r.out;
  const std::vector<std::string> xs = annotations(read_text(inputs), "x");
  ASSERT_EQ(xs.size(), 5u);
  const RunResult sim = run_cli({"sim", spec, "--inputs", inputs, "--json"});
  ASSERT_EQ(sim.status, 0) << sim.out;
  // The last step's registers y[7][0..2], as "[a, b, c]".
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const std::string want = xs[k].substr(1, xs[k].size() - 2);  // "a, b, c"
    std::vector<std::string> parts;
    std::istringstream ss(want);
    std::string part;
    while (std::getline(ss, part, ',')) parts.push_back(part.substr(part.find_first_not_of(' ')));
    ASSERT_EQ(parts.size(), 3u);
    const auto at = sim.out.find("{", sim.out.find("\"outputs\":") + 1);
    std::size_t obj = at;
    for (std::size_t i = 0; i < k; ++i) obj = sim.out.find("{", obj + 1);
    const std::string object = sim.out.substr(obj, sim.out.find("}", obj) - obj);
    for (std::size_t j = 0; j < 3; ++j)
      EXPECT_NE(object.find("\"y[7][" + std::to_string(j) + "]\":\"" + parts[j] + "\""), std::string::npos)
          << object << " want " << want;
  }
  // --printed-max and --accept write their variants.
  EXPECT_EQ(run_cli({"construct", "cra", source_dir() + "/examples/automata/cra.toml", "-o", spec, "--printed-max",
                     "--accept"})
                .status,
            0);
  EXPECT_NE(read_text(spec).find("outputs = \"accept\""), std::string::npos);
}

TEST(CliConstructNonlinear, BadCraFileIsOneLocatedLineAndNoFile) {
  const std::string dir = scratch("construct_cra_bad");
  const std::string bad = dir + "/bad.toml", spec = dir + "/out.toml";
  std::ofstream(bad) << "registers = 2\nalphabet = [\"a\"]\n[updates]\na = [\"x1 := x9 + 1\"]\n";
  const RunResult r = run_cli({"construct", "cra", bad, "-o", spec});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("bad.toml:4:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("register x9 out of range"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(spec));
  EXPECT_EQ(run_cli({"construct", "sdgc", "-o", dir + "/x.rc"}).status, 2);  // not a .toml name
  EXPECT_EQ(run_cli({"construct", "sdgc", "-o", spec, "--graphs", "trees"}).status, 2);
}

// Inputs files and specs past --max-memory are refused from their size, before anything is made
// or written: exit 3, one line naming the estimate and the flag, no spec and no inputs file.
TEST(CliConstructNonlinear, HugeInputsAreRefusedBeforeAnyFile) {
  const std::string dir = scratch("construct_limits");
  const std::string spec = dir + "/big.toml", inputs = dir + "/big.txt";
  std::vector<std::vector<std::string>> cases = {
      {"--max-memory", "1M", "construct", "sdgc", "-o", spec, "--inputs", inputs, "--n", "2000", "--count", "100"},
      {"--max-memory", "1M", "construct", "cra", source_dir() + "/examples/automata/cra.toml", "-o", spec, "--inputs",
       inputs, "-T", "100000", "--count", "1000"},
      {"--max-memory", "1M", "construct", "dwfa", source_dir() + "/examples/automata/issue.toml", "-o", spec,
       "--inputs", inputs, "-T", "1000000", "--count", "1000"}};
  // An automaton file within the reader's limits whose spec would hold 4096 dense 2048 × 2048
  // matrices.
  const std::string wide = dir + "/wide.toml";
  {
    std::ofstream f(wide);
    f << "registers = 1024\nalphabet = [";
    for (int i = 0; i < 4096; ++i) f << (i ? ", " : "") << "\"s" << i << "\"";
    f << "]\n[updates]\n";
    for (int i = 0; i < 4096; ++i) f << "s" << i << " = []\n";
  }
  cases.push_back({"--max-memory", "8G", "construct", "cra", wide, "-o", spec});
  for (const std::vector<std::string>& args : cases) {
    SCOPED_TRACE(args[3]);
    const RunResult r = run_cli(args);
    EXPECT_EQ(r.status, 3) << r.out;
    EXPECT_NE(r.out.find("would need about"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--max-memory"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(spec));
    EXPECT_FALSE(std::filesystem::exists(inputs));
  }
}

}  // namespace
}  // namespace rnncc::test
