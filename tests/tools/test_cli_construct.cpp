// rnncc construct: the dwfa kind writes a spec and input words that the other commands take
// (run, sim, verify), whose values are the automaton's f_A (computed here by running the
// automaton directly); help lists the kinds; bad input is one located line, exit 2, no file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "proofs/automaton.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::string slurp(const std::string& path) { return read_text(path); }

TEST(CliConstruct, HelpListsTheKinds) {
  const RunResult r = run_cli({"construct", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("dwfa AUTOMATON.toml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rnncc construct dwfa examples/automata/issue.toml"), std::string::npos) << r.out;
  const RunResult none = run_cli({"construct"});
  EXPECT_EQ(none.status, 2);
}

TEST(CliConstruct, DwfaSpecAndInputsRunThroughSimAndVerify) {
  const std::string dir = scratch("construct_dwfa");
  const std::string automaton = source_dir() + "/examples/automata/issue.toml";
  const std::string spec = dir + "/issue.toml", words = dir + "/issue.txt";
  const RunResult r = run_cli({"construct", "dwfa", automaton, "-o", spec, "--inputs", words, "-T", "3"});
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("3 states, 2 symbols; unreachable: none; dead: none"), std::string::npos) << r.out;
  // Every word of length 3, each with the automaton's value.
  const proofs::Automaton a = proofs::load_automaton(automaton);
  std::istringstream lines(slurp(words));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "# 8 words of length 3, each followed by f_A (the automaton run directly)");
  std::vector<std::string> values;
  for (std::size_t i = 0; i < 8; ++i) {
    ASSERT_TRUE(std::getline(lines, line));
    const std::vector<std::size_t> w = {i >> 2 & 1, i >> 1 & 1, i & 1};
    std::string text;
    for (std::size_t s : w) text += (text.empty() ? "" : " ") + a.alphabet[s];
    EXPECT_EQ(line, text + "  # f_A = " + proofs::run_automaton(a, w).get_str());
    values.push_back(proofs::run_automaton(a, w).get_str());
    // The interpreter on the written spec gives the same value.
    const RunResult run = run_cli({"run", spec, "--input", text, "--json"});
    ASSERT_EQ(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("[\"" + values.back() + "\"]]}"), std::string::npos) << run.out;  // y_3, the last
  }
  // sim reads the inputs file: its outputs are the values of the comments.
  const RunResult sim = run_cli({"sim", spec, "--inputs", words, "--json"});
  ASSERT_EQ(sim.status, 0) << sim.out;
  for (const std::string& v : values) EXPECT_NE(sim.out.find("\"" + v + "\""), std::string::npos) << sim.out;
  // verify: naive = scanned = interpreter.
  const RunResult v = run_cli({"verify", spec, "-T", "32", "-p", "lift-scan -n sklansky"});
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("OK"), std::string::npos) << v.out;
}

TEST(CliConstruct, TrimReportsAndDropsUnreachableStates) {
  const std::string dir = scratch("construct_trim");
  const std::string automaton = dir + "/a.toml", spec = dir + "/a_spec.toml";
  std::ofstream(automaton) << "states = 4\nalphabet = [\"x\"]\nstart = 0\nfinal = [0, 1, 1, 0]\n"
                              "[transitions]\nx = [[1, 1], [0, 2], [1, 1], [3, 1]]\n";
  RunResult r = run_cli({"construct", "dwfa", automaton, "-o", spec, "--trim"});
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("unreachable: 2, 3; dead: none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trimmed to 2 states"), std::string::npos) << r.out;
  EXPECT_NE(slurp(spec).find("d = 2\n"), std::string::npos);
  r = run_cli({"run", spec, "--input", "x x x", "--json"});  // 0 -1-> 1 -2-> 0 -1-> 1: 2 * rho(1) = 2
  EXPECT_NE(r.out.find("\"outputs\":[[\"1\"],[\"0\"],[\"2\"]]"), std::string::npos) << r.out;
}

TEST(CliConstruct, BadAutomatonIsOneLocatedLineAndNoFile) {
  const std::string dir = scratch("construct_bad");
  const std::string automaton = dir + "/bad.toml", spec = dir + "/out.toml";
  std::ofstream(automaton) << "states = 2\nalphabet = [\"a\"]\nstart = 0\nfinal = [1, 0]\n[transitions]\na = [[1, 1], [2, 1]]\n";
  const RunResult r = run_cli({"construct", "dwfa", automaton, "-o", spec});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "rnncc: " + automaton + ":6:15: key 'transitions.a[1][0]': expected a state, an integer in 0..1, got the integer 2\n");
  EXPECT_FALSE(std::filesystem::exists(spec));
  // Usage errors: exit 2, nothing written.
  const std::string good = source_dir() + "/examples/automata/issue.toml";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"construct", "dwfa", good, "-o", dir + "/x.rc"},
        std::vector<std::string>{"construct", "dwfa", good, "-o", spec, "--seed", "-1"},
        std::vector<std::string>{"construct", "dwfa", good, "-o", spec, "-T", "0"},
        std::vector<std::string>{"construct", "dwfa", good, "-o", spec, "--count", "0"},
        std::vector<std::string>{"construct", "dwfa", dir + "/missing.toml", "-o", spec}}) {
    const RunResult u = run_cli(args);
    EXPECT_EQ(u.status, 2) << u.out;
    EXPECT_EQ(u.out.rfind("rnncc: ", 0), 0u) << u.out;
    EXPECT_FALSE(std::filesystem::exists(spec));
    EXPECT_FALSE(std::filesystem::exists(dir + "/x.rc"));
  }
  EXPECT_NE(run_cli({"construct", "dwfa", good, "-o", dir + "/x.rc"}).out.find("-o: a spec file's name ends in .toml"),
            std::string::npos);
}

}  // namespace
}  // namespace rnncc::test
