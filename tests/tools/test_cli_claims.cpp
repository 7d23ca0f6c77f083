// rnncc claims from the command line: --only, --json's shape, --markdown, the exit codes (0 when
// no row fails, 1 when one does — here through --inject-fault —, 2 for usage errors) and the
// progress on stderr. Only cheap rows run here; the whole table is the claims.doc_is_current test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

// stdout only (progress on stderr is dropped; run() adds 2>&1 after the subshell).
RunResult run_quiet(const std::string& args) { return run("(" + rnncc(args) + " 2>/dev/null)"); }

TEST(CliClaims, OnlyAndJson) {
  const RunResult r = run_quiet("claims --only 16,E1,4 --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  const auto& rows = j.at("claims");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    std::set<std::string> keys;
    for (const auto& [k, v] : row.items()) {
      keys.insert(k);
      EXPECT_TRUE(v.is_string()) << k;
    }
    EXPECT_EQ(keys, (std::set<std::string>{"id", "claim", "source", "ran", "measured", "verdict"}));
  }
  EXPECT_EQ(rows[0]["id"], "4");  // registry order, not the order asked
  EXPECT_EQ(rows[0]["verdict"], "not-checkable");
  EXPECT_EQ(rows[1]["id"], "16");
  EXPECT_EQ(rows[1]["measured"], "needs training");
  EXPECT_EQ(rows[2]["id"], "E1");
  EXPECT_EQ(rows[2]["verdict"], "confirmed");
  EXPECT_EQ(rows[2]["source"], "App. F, Prop 4");
}

TEST(CliClaims, DeterministicOutput) {
  const RunResult a = run_quiet("claims --only 5,E1 --json"), b = run_quiet("claims --only 5,E1 --json");
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
}

TEST(CliClaims, TextAndMarkdown) {
  const RunResult t = run_quiet("claims --only E1");
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("[E1] confirmed: Prop 4's sum"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("1 rows: 0 pass, 1 confirmed, 0 fail, 0 not-checkable"), std::string::npos) << t.out;
  const RunResult m = run_quiet("claims --only E1 --markdown");
  ASSERT_EQ(m.status, 0) << m.out;
  EXPECT_EQ(m.out.rfind("# Claims of the paper, checked", 0), 0u) << m.out;
  EXPECT_NE(m.out.find("| id | claim | paper | ran | measured | verdict |"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("| **confirmed** |"), std::string::npos) << m.out;
}

TEST(CliClaims, ProgressOnStderr) {
  const RunResult r = run("(" + rnncc("claims --only E1,16 --json") + " 2>&1 >/dev/null)");  // stderr only
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("claims: [1/2] 16 (not checkable)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("claims: [2/2] E1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("claims: E1 confirmed"), std::string::npos) << r.out;
}

TEST(CliClaims, AFailingRowExitsOne) {
  const RunResult r = run_quiet("claims --only 5,E1 --inject-fault E1 --json");
  EXPECT_EQ(r.status, 1) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["claims"][0]["verdict"], "pass");  // row 5, not broken
  EXPECT_EQ(j["claims"][1]["verdict"], "fail");
  const RunResult five = run_quiet("claims --only 5 --inject-fault 5");
  EXPECT_EQ(five.status, 1) << five.out;
  EXPECT_NE(five.out.find("[5] fail"), std::string::npos) << five.out;
}

TEST(CliClaims, UsageErrors) {
  const RunResult unknown = run(rnncc("claims --only 1,99"));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.out.find("unknown claim id '99'"), std::string::npos) << unknown.out;
  EXPECT_EQ(run(rnncc("claims --inject-fault X")).status, 2);
  const RunResult both = run(rnncc("claims --json --markdown --only 16"));
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.out.find("exclude each other"), std::string::npos) << both.out;
  const RunResult help = run(rnncc("claims --help"));
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--inject-fault"), std::string::npos);
}

}  // namespace
}  // namespace rnncc::test
