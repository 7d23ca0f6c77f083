// Pass scripts from the command line: `rnncc passes`, -p in compile/report/dot/sim/verify/sweep,
// the shorthands giving byte-identical circuits, compile of circuit files, records in JSON, and
// the one-line errors for unknown passes and flags.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "compiler/pipeline.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(CliPasses, ListsEveryPassAndOnePassFlags) {
  RunResult r = run(rnncc("passes"));
  ASSERT_EQ(r.status, 0) << r.out;
  // One line a pass, in registry order: the name, then its help in a column.
  std::size_t at = 0;
  for (const auto& pass : compiler::pass_registry().passes()) {
    const std::string line = "\n  " + std::string(pass->name()) + " ";
    const std::size_t here = r.out.find(line, at);
    ASSERT_NE(here, std::string::npos) << r.out;
    const std::size_t help = r.out.find(std::string(pass->help()), here);
    EXPECT_EQ(help, r.out.find_first_not_of(' ', here + line.size())) << r.out;
    at = here + 1;
  }
  r = run(rnncc("passes lift-scan"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("  -n, --network VALUE\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accepts one of serial, sklansky, kogge-stone, brent-kung, ladner-fischer or han-carlson; "
                       "default brent-kung"),
            std::string::npos)
      << r.out;
  r = run(rnncc("passes balance"));
  EXPECT_NE(r.out.find("  --not-free\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accepts no value (a flag); default off"), std::string::npos) << r.out;
  r = run(rnncc("passes --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), compiler::pass_registry().passes().size());
  EXPECT_EQ(j[0]["name"], "lift-scan");
  EXPECT_EQ(j[0]["params"][0]["short"], "-n");
  EXPECT_EQ(j[0]["params"][0]["default"], "brent-kung");
  EXPECT_EQ(j[0]["params"][0]["choices"].size(), 6u);
  EXPECT_EQ(j[1]["params"][0]["type"], "flag");
  r = run(rnncc("passes nope"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "rnncc: unknown pass 'nope': expected one of " + compiler::pass_registry().names() + "\n");
}

TEST(CliPasses, ShorthandsAndScriptsWriteByteIdenticalCircuits) {
  const std::string dir = scratch("cli_passes_identical");
  for (const char* name : {"diagonal", "deltanet"}) {
    SCOPED_TRACE(name);
    const std::string a = dir + "/a.rc", b = dir + "/b.rc", c = dir + "/c.rc", n = dir + "/n.rc";
    ASSERT_EQ(run(rnncc("compile " + quote(example(name)) + " -T 48 --scan brent-kung --balance -o " + quote(a))).status, 0);
    ASSERT_EQ(run(rnncc("compile " + quote(example(name)) + " -T 48 -p 'lift-scan -n brent-kung; balance' -o " + quote(b)))
                  .status,
              0);
    EXPECT_EQ(read_text(a), read_text(b));
    // The same script on the naive circuit read back from a file: the ports and the state shape
    // travel in the .rc file, so the result is again identical.
    ASSERT_EQ(run(rnncc("compile " + quote(example(name)) + " -T 48 -o " + quote(n))).status, 0);
    RunResult r = run(rnncc("compile " + quote(n) + " -p 'lift-scan -n brent-kung; balance' -o " + quote(c)));
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(read_text(a), read_text(c));
  }
}

TEST(CliPasses, ReportRecordsEveryPassOfAScriptInAnyOrder) {
  RunResult r = run(rnncc("report " + quote(example("dplr")) + " -T 64 -p 'balance; lift-scan -n sklansky; balance' --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& p = j["passes"];
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0]["name"], "balance");
  EXPECT_EQ(p[1]["invocation"], "lift-scan -n sklansky");
  EXPECT_EQ(p[1]["params"]["network"], "sklansky");
  EXPECT_EQ(p[1]["counters"]["combine"], "dense");
  EXPECT_EQ(p[1]["counters"]["log_depth"], true);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const char* key : {"size_before", "depth_before", "size_after", "depth_after", "seconds", "counters"})
      EXPECT_TRUE(p[i].contains(key)) << key;
    if (i > 0) {  // each version is measured once: one pass's after is the next one's before
      EXPECT_EQ(p[i]["size_before"], p[i - 1]["size_after"]);
      EXPECT_EQ(p[i]["depth_before"], p[i - 1]["depth_after"]);
    }
  }
  EXPECT_EQ(j["depth"], p[2]["depth_after"]);
  EXPECT_EQ(j["size"], p[2]["size_after"]);
  // Text: one line per pass; a refusal on its line, the script going on.
  r = run(rnncc("report " + quote(example("elman_tanh")) + " -T 16 -p 'lift-scan -n sklansky; balance'"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\n  pass lift-scan -n sklansky refused: tanh on the state path at step 2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  pass balance: size "), std::string::npos) << r.out;
  r = run(rnncc("report " + quote(example("elman_tanh")) + " -T 16 -p 'lift-scan -n sklansky' --require-log-depth"));
  EXPECT_EQ(r.status, 1) << r.out;
  r = run(rnncc("report " + quote(example("diagonal")) + " -T 16 -p 'lift-scan -n serial' --require-log-depth"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("the serial network has linear depth"), std::string::npos) << r.out;
}

TEST(CliPasses, UnknownPassesAndFlagsAreOneLineErrors) {
  struct Case {
    std::string args, want;
  };
  const std::string spec = quote(example("diagonal"));
  for (const Case& c : std::vector<Case>{
           {"report " + spec + " -T 4 -p 'lift-scan; nope'",
            "rnncc: -p: unknown pass 'nope': expected one of " + compiler::pass_registry().names() + " (see rnncc passes)\n"},
           {"verify " + spec + " -T 4 -p 'balance -x'",
            "rnncc: -p: pass 'balance': unknown flag '-x': pass 'balance' accepts --not-free\n"},
           {"sim " + spec + " -T 4 -p 'lift-scan -n quick'",
            "rnncc: -p: pass 'lift-scan': -n/--network: unknown value 'quick': expected one of serial, sklansky, "
            "kogge-stone, brent-kung, ladner-fischer or han-carlson\n"},
           {"dot " + spec + " -T 4 -p 'lift-scan -n'",
            "rnncc: -p: pass 'lift-scan': -n/--network needs a value: one of serial, sklansky, kogge-stone, "
            "brent-kung, ladner-fischer or han-carlson\n"},
           {"sweep " + spec + " -T 4:8 -p 'balance --fast'",
            "rnncc: -p: pass 'balance': unknown flag '--fast': pass 'balance' accepts --not-free\n"},
           {"compile " + spec + " -T 4 -p balance --scan sklansky -o x.rc",
            "rnncc: give a pass script (-p) or the shorthands --scan/--balance, not both\n"},
       }) {
    SCOPED_TRACE(c.args);
    const RunResult r = run(rnncc(c.args));
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, c.want);
  }
}

TEST(CliPasses, VerifyPrintsOneLinePerStage) {
  RunResult r = run(rnncc("verify " + quote(example("rwkv7")) +
                          " -T 12 -p 'balance; lift-scan -n ladner-fischer; balance' --domain modp --trials 3"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(lines(r.out), 6u) << r.out;  // header, 4 stages, OK
  EXPECT_NE(r.out.find("\n  naive "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  balance "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  lift-scan -n ladner-fischer "), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), 'D'), 0) << r.out;  // no DIFFERS
  r = run(rnncc("verify " + quote(example("gru")) + " -T 6 -p 'lift-scan; balance' --trials 2"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("\n  lift-scan -n brent-kung      size"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lift-scan refused: sigmoid on the state path"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nREFUSED\n"), std::string::npos) << r.out;
}

TEST(CliPasses, SimAndDotRunTheScriptAndSweepTakesOneSeriesPerScript) {
  const std::string spec = quote(example("dense"));
  const RunResult a = run(rnncc("sim " + spec + " -T 8 --domain exact --random 3 --json"));
  const RunResult b = run(rnncc("sim " + spec + " -T 8 --domain exact --random 3 --json -p 'lift-scan -n sklansky; balance'"));
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(b.status, 0) << b.out;
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  EXPECT_EQ(ja["outputs"], jb["outputs"]);  // the same values, from a circuit of lower depth
  EXPECT_LT(jb["levels"].get<int>(), ja["levels"].get<int>());
  const std::string dir = scratch("cli_passes_dot");
  RunResult r = run(rnncc("dot " + quote(example("diagonal")) + " -T 3 -p 'lift-scan -n sklansky' -o " + quote(dir + "/d.dot")));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(read_text(dir + "/d.dot").find("lift-scan"), std::string::npos);
  r = run(rnncc("sweep " + quote(example("diagonal")) + " -T 8:64 -p '' -p 'lift-scan -n sklansky; balance' --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["series"].size(), 2u);
  EXPECT_EQ(j["series"][0]["name"], "naive");
  EXPECT_EQ(j["series"][0]["growth"], "linear");
  EXPECT_EQ(j["series"][1]["name"], "lift-scan -n sklansky; balance");
  EXPECT_EQ(j["series"][1]["growth"], "log");
  // --scan with -p: both kinds of series, the shorthand's first.
  r = run(rnncc("sweep " + quote(example("elman_tanh")) + " -T 8:32 --scan none -p 'lift-scan -n kogge-stone' --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["series"].size(), 2u);
  EXPECT_EQ(j["series"][0]["name"], "naive");
  EXPECT_NE(j["series"][1]["refused"].get<std::string>().find("lift-scan refused: tanh"), std::string::npos);
}

}  // namespace
}  // namespace rnncc::test
