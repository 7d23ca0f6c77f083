// rnncc task {sdgc,imm-mod,imm-z}: JSONL on standard output or -o FILE (the same bytes), one
// instance a line, deterministic for a seed, the summary with the label balance on stderr; the
// imm-mod lines solved by `rnncc run` on the imm3 query spec; bad values are one line, exit 2,
// no file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "proofs/tasks.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

// Standard output alone (stderr to `err`).
RunResult run_stdout(const std::vector<std::string>& args, const std::string& err) {
  std::string line;
  for (const std::string& a : args) line += " " + quote(a);
  return run("(" + rnncc(line) + " 2>" + quote(err) + ")");
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(CliTask, HelpListsTasksDefaultsAndExamples) {
  const RunResult r = run_cli({"task", "--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"sdgc", "imm-mod", "imm-z", "--modulus", "default 97", "--encoding", "--graphs", "--count",
                        "rnncc task sdgc --n 100 --count 1000 --seed 1 -o sdgc.jsonl", "docs/tasks.md"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  const RunResult top = run_cli({"--help"});
  EXPECT_NE(top.out.find("task"), std::string::npos) << top.out;
}

TEST(CliTask, StdoutAndFileAreTheSameDeterministicLines) {
  const std::string dir = scratch("cli_task_lines");
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> keys;
  };
  const std::vector<Case> cases = {
      {{"task", "sdgc", "--n", "20", "--count", "10", "--seed", "3"}, {"tokens", "source", "target", "edges", "label"}},
      {{"task", "sdgc", "--n", "20", "--count", "10", "--encoding", "binary", "--graphs", "forward"},
       {"tokens", "source", "target", "edges", "label"}},
      {{"task", "imm-mod", "--n", "7", "--count", "10", "--modulus", "5"}, {"modulus", "query", "matrices", "targets"}},
      {{"task", "imm-z", "--n", "7", "--count", "10", "--seed", "9"}, {"matrices", "label"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[1]);
    const RunResult a = run_stdout(c.args, dir + "/err");
    ASSERT_EQ(a.status, 0) << read_text(dir + "/err");
    const std::string err = read_text(dir + "/err");
    EXPECT_EQ(lines(err).size(), 1u) << err;
    EXPECT_NE(err.find("rnncc task " + c.args[1] + ": 10 instances"), std::string::npos) << err;
    EXPECT_NE(err.find("written to standard output"), std::string::npos) << err;
    const std::vector<std::string> ls = lines(a.out);
    ASSERT_EQ(ls.size(), 10u) << a.out;
    for (const std::string& l : ls) {
      EXPECT_EQ(l.find(' '), std::string::npos) << l;  // compact
      const auto j = nlohmann::ordered_json::parse(l);
      std::vector<std::string> keys;
      for (const auto& [key, v] : j.items()) keys.push_back(key);
      EXPECT_EQ(keys, c.keys);
    }
    EXPECT_EQ(run_stdout(c.args, dir + "/err").out, a.out);  // the seed fixes the output
    std::vector<std::string> to_file = c.args;
    to_file.insert(to_file.end(), {"-o", dir + "/out.jsonl"});
    const RunResult f = run_cli(to_file);
    ASSERT_EQ(f.status, 0) << f.out;
    EXPECT_EQ(read_text(dir + "/out.jsonl"), a.out);
    EXPECT_NE(f.out.find("written to " + dir + "/out.jsonl"), std::string::npos) << f.out;
  }
  // Another seed, other instances.
  const RunResult s1 = run_stdout({"task", "imm-z", "--n", "7", "--count", "10", "--seed", "1"}, dir + "/err");
  const RunResult s2 = run_stdout({"task", "imm-z", "--n", "7", "--count", "10", "--seed", "2"}, dir + "/err");
  EXPECT_NE(s1.out, s2.out);
}

TEST(CliTask, SummaryReportsTheLabelBalance) {
  const std::string dir = scratch("cli_task_balance");
  const RunResult sdgc = run_cli({"task", "sdgc", "--n", "50", "--count", "100", "-o", dir + "/s.jsonl"});
  ASSERT_EQ(sdgc.status, 0) << sdgc.out;
  EXPECT_NE(sdgc.out.find("label balance 50/100 positive (0.500)"), std::string::npos) << sdgc.out;
  EXPECT_NE(sdgc.out.find("the shortcut label (source has an out-edge and target an in-edge) agrees with BFS on 0."),
            std::string::npos) << sdgc.out;
  std::size_t positives = 0;
  for (const std::string& l : lines(read_text(dir + "/s.jsonl"))) positives += nlohmann::json::parse(l)["label"].get<int>();
  EXPECT_EQ(positives, 50u);
  const RunResult immz = run_cli({"task", "imm-z", "--n", "20", "--count", "41", "-o", dir + "/z.jsonl"});
  ASSERT_EQ(immz.status, 0) << immz.out;
  EXPECT_TRUE(immz.out.find("label balance 20/41 positive") != std::string::npos ||
              immz.out.find("label balance 21/41 positive") != std::string::npos)
      << immz.out;
  const RunResult immmod = run_cli({"task", "imm-mod", "--n", "20", "--count", "10", "-o", dir + "/m.jsonl"});
  ASSERT_EQ(immmod.status, 0) << immmod.out;
  EXPECT_NE(immmod.out.find("imm-mod: 10 instances (N = 20, P = 97, seed 1); no binary label: 200 targets"), std::string::npos)
      << immmod.out;
}

// An imm-mod line, its query spec run by `rnncc run`: y_t = target t for every t.
TEST(CliTask, ImmModTargetsAreWhatTheImm3SpecComputes) {
  const std::string dir = scratch("cli_task_run");
  const RunResult r = run_stdout({"task", "imm-mod", "--n", "12", "--count", "3", "--seed", "4"}, dir + "/err");
  ASSERT_EQ(r.status, 0) << read_text(dir + "/err");
  for (const std::string& l : lines(r.out)) {
    const auto j = nlohmann::json::parse(l);
    const std::string spec = dir + "/q.toml";
    {
      std::ofstream(spec) << proofs::imm_query_spec_text(j["modulus"].get<std::uint64_t>(), j["query"].get<std::size_t>(), 12);
    }
    std::string input;
    for (const auto& m : j["matrices"]) {
      std::string step;
      for (const auto& v : m) step += (step.empty() ? "" : ",") + std::to_string(v.get<int>());
      input += (input.empty() ? "" : " ") + step;
    }
    const RunResult run = run_cli({"run", spec, "--input", input, "--json"});
    ASSERT_EQ(run.status, 0) << run.out;
    const auto out = nlohmann::json::parse(run.out);
    std::vector<std::uint64_t> ys;
    for (const auto& y : out["outputs"]) ys.push_back(std::stoull(y.at(0).get<std::string>()));
    EXPECT_EQ(ys, j["targets"].get<std::vector<std::uint64_t>>()) << l;
  }
}

TEST(CliTask, BadValuesAreOneLineExitTwoAndNoFile) {
  const std::string dir = scratch("cli_task_bad");
  const std::string out = dir + "/x.jsonl";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"task", "sdgc", "--n", "1"}, "--n: sdgc takes 2..4096 nodes, got 1"},
      {{"task", "sdgc", "--n", "5000"}, "--n: sdgc takes 2..4096 nodes, got 5000"},
      {{"task", "imm-mod", "--n", "0"}, "--n: imm-mod takes 1..65536 matrices, got 0"},
      {{"task", "imm-z", "--n", "-3"}, "--n: expected a non-negative integer, got '-3'"},
      {{"task", "imm-z", "--count", "0"}, "--count: expected 1..10000000 instances, got 0"},
      {{"task", "imm-z", "--count", "99999999999999999999999"}, "--count: expected 1..10000000 instances, got 18446744073709551615"},
      {{"task", "imm-mod", "--modulus", "96"}, "--modulus: expected a prime below 2^62, got 96 (not prime)"},
      {{"task", "imm-mod", "--modulus", "abc"}, "--modulus: expected a non-negative integer, got 'abc'"},
      {{"task", "sdgc", "--modulus", "97"}, "--modulus applies to imm-mod only, not to sdgc"},
      {{"task", "imm-z", "--encoding", "unary"}, "--encoding applies to sdgc only, not to imm-z"},
      {{"task", "imm-mod", "--graphs", "paths"}, "--graphs applies to sdgc only, not to imm-mod"},
      {{"task", "sdgc", "--encoding", "ternary"}, "--encoding: expected unary or binary, got 'ternary'"},
      {{"task", "sdgc", "--graphs", "trees"}, "--graphs: expected paths or forward, got 'trees'"},
      {{"task", "imm"}, "task: expected sdgc, imm-mod or imm-z, got 'imm'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"-o", out});
    const RunResult r = run_cli(args);
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_EQ(r.out, "rnncc: " + c.message + "\n");
    EXPECT_FALSE(std::filesystem::exists(out)) << c.message;
  }
  const RunResult none = run_cli({"task"});
  EXPECT_EQ(none.status, 2) << none.out;
}

TEST(CliTask, AFullDiskIsOneLine) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const RunResult r = run("(" + rnncc("task imm-z --count 50") + " >/dev/full)");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "rnncc: cannot write standard output: No space left on device\n");
  const RunResult f = run_cli({"task", "sdgc", "--count", "50", "-o", "/dev/full"});
  EXPECT_EQ(f.status, 2);
  EXPECT_EQ(lines(f.out).size(), 1u) << f.out;
  EXPECT_NE(f.out.find("cannot write /dev/full"), std::string::npos) << f.out;
}

}  // namespace
}  // namespace rnncc::test
