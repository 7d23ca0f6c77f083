// The claims registry (proofs/claims.hpp): its rows and their order, the verdict rules, --only,
// the exit code and the output formats; and for every row that runs, that it passes (or confirms)
// on what it checks and turns to `fail` when its construction is broken on purpose. The rows that
// sweep example specs run here on a small directory of three of them (the whole run is the job of
// the claims.doc_is_current test alone).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "proofs/claims.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

const ClaimRow& row(const std::string& id) {
  for (const ClaimRow& r : claim_rows())
    if (r.id == id) return r;
  throw Error("no row " + id);
}

// A scratch directory with three example specs: a linear vector kind, a matrix-state kind (E9)
// and a nonlinear kind (12).
std::string small_examples() {
  static const std::string dir = [] {
    const std::string d = test::scratch("claims_examples");
    for (const char* name : {"diagonal", "deltanet", "elman_relu"})
      std::filesystem::copy_file(test::example_spec_path(name), d + "/" + name + ".toml",
                                 std::filesystem::copy_options::overwrite_existing);
    return d;
  }();
  return dir;
}

ClaimContext context(bool broken) {
  ClaimContext ctx;
  ctx.broken = broken;
  ctx.examples_dir = small_examples();
  return ctx;
}

TEST(Claims, RowsAreTheSixteenClaimsThenTheErrata) {
  const std::vector<ClaimRow>& rows = claim_rows();
  ASSERT_GE(rows.size(), 16u + 9u);
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(rows[i].id, std::to_string(i + 1));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(ids.insert(rows[i].id).second) << rows[i].id;
    if (i >= 16) {
      EXPECT_EQ(rows[i].id, "E" + std::to_string(i - 15));
    }
    EXPECT_FALSE(rows[i].claim.empty());
    EXPECT_FALSE(rows[i].source.empty());
    EXPECT_EQ(rows[i].claim.find('\n'), std::string::npos) << "one line: " << rows[i].id;
    // A row either runs or says why not.
    EXPECT_NE(rows[i].check == nullptr, rows[i].not_checkable.empty()) << rows[i].id;
  }
  // What runs today, and what cannot run here.
  for (const char* id : {"1", "2", "3", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "E1", "E2", "E3",
                         "E4", "E5", "E7", "E8", "E9"})
    EXPECT_NE(row(id).check, nullptr) << id;
  for (const char* id : {"4", "16", "E6"}) EXPECT_EQ(row(id).check, nullptr) << id;
  EXPECT_EQ(row("16").not_checkable, "needs training");
  EXPECT_EQ(row("9").expect, Expect::Correction);
  EXPECT_EQ(row("E1").expect, Expect::Correction);
  EXPECT_EQ(row("1").expect, Expect::Holds);
}

TEST(Claims, NotCheckableRowsRunNothing) {
  const ClaimOutcome o = run_claim(row("4"), context(false));
  EXPECT_EQ(o.verdict, Verdict::NotCheckable);
  EXPECT_EQ(o.ran, "nothing ran");
  EXPECT_EQ(o.measured, row("4").not_checkable);
  // Fault injection does not make a row without a check fail: nothing ran.
  EXPECT_EQ(run_claim(row("16"), context(true)).verdict, Verdict::NotCheckable);
}

TEST(Claims, VerdictNames) {
  EXPECT_EQ(verdict_name(Verdict::Pass), "pass");
  EXPECT_EQ(verdict_name(Verdict::Fail), "fail");
  EXPECT_EQ(verdict_name(Verdict::NotCheckable), "not-checkable");
  EXPECT_EQ(verdict_name(Verdict::Confirmed), "confirmed");
}

// The rows that run: pass (or confirmed) as built, fail when their construction is broken.
void expect_runs_and_breaks(const std::string& id, Verdict good) {
  const ClaimOutcome ok = run_claim(row(id), context(false));
  EXPECT_EQ(ok.verdict, good) << id << ": " << ok.measured;
  EXPECT_FALSE(ok.ran.empty());
  EXPECT_FALSE(ok.measured.empty());
  const ClaimOutcome bad = run_claim(row(id), context(true));
  EXPECT_EQ(bad.verdict, Verdict::Fail) << id << " broken: " << bad.measured;
  EXPECT_EQ(bad.measured.rfind("error:", 0), std::string::npos) << "the fault is caught by the check, not an error: "
                                                               << bad.measured;
}

TEST(Claims, Row1Associativity) { expect_runs_and_breaks("1", Verdict::Pass); }
TEST(Claims, Row2LogDepth) { expect_runs_and_breaks("2", Verdict::Pass); }
TEST(Claims, Row3LowerInt) { expect_runs_and_breaks("3", Verdict::Pass); }
TEST(Claims, Row5PdClosedForm) { expect_runs_and_breaks("5", Verdict::Pass); }
TEST(Claims, Row6Dwfa) { expect_runs_and_breaks("6", Verdict::Pass); }
TEST(Claims, Row7RwkvOverwrite) { expect_runs_and_breaks("7", Verdict::Pass); }
TEST(Claims, Row8DeltaNetProgram) { expect_runs_and_breaks("8", Verdict::Pass); }
TEST(Claims, Row9RouterCaveat) { expect_runs_and_breaks("9", Verdict::Confirmed); }
TEST(Claims, Row12Nonlinear) { expect_runs_and_breaks("12", Verdict::Pass); }
TEST(Claims, RowE4Router1404) { expect_runs_and_breaks("E4", Verdict::Confirmed); }
TEST(Claims, RowE5RouterThm11) { expect_runs_and_breaks("E5", Verdict::Confirmed); }
TEST(Claims, RowE1Prop4Denominator) { expect_runs_and_breaks("E1", Verdict::Confirmed); }
TEST(Claims, RowE9ReadoutConvention) { expect_runs_and_breaks("E9", Verdict::Confirmed); }
TEST(Claims, Row10SdgcCounterMachine) { expect_runs_and_breaks("10", Verdict::Pass); }
TEST(Claims, Row11ConstantHiddenSizeLogPrecision) { expect_runs_and_breaks("11", Verdict::Pass); }
TEST(Claims, Row13StackEncoding) { expect_runs_and_breaks("13", Verdict::Pass); }
TEST(Claims, Row14CostRegisterRnn) { expect_runs_and_breaks("14", Verdict::Pass); }
TEST(Claims, Row15EqualityReadout) { expect_runs_and_breaks("15", Verdict::Pass); }
TEST(Claims, RowE2SinkTargets) { expect_runs_and_breaks("E2", Verdict::Confirmed); }
TEST(Claims, RowE3Draining) { expect_runs_and_breaks("E3", Verdict::Confirmed); }
TEST(Claims, RowE7MaxGadget) { expect_runs_and_breaks("E7", Verdict::Confirmed); }
TEST(Claims, RowE8Base2Margin) { expect_runs_and_breaks("E8", Verdict::Confirmed); }

TEST(Claims, RowsSayWhatRan) {
  const ClaimOutcome two = run_claim(row("2"), context(false));
  EXPECT_NE(two.ran.find("2 linear examples (deltanet, diagonal)"), std::string::npos) << two.ran;  // the linear examples, sorted
  EXPECT_NE(two.measured.find("naive: linear"), std::string::npos) << two.measured;
  const ClaimOutcome twelve = run_claim(row("12"), context(false));
  EXPECT_NE(twelve.measured.find("elman_relu: refused (relu)"), std::string::npos) << twelve.measured;
  const ClaimOutcome e1 = run_claim(row("E1"), context(false));
  EXPECT_NE(e1.measured.find("right on 200 of 200"), std::string::npos) << e1.measured;
}

// Row 12 sweeps every nonlinear example: the relu kinds (mlp's hidden layer, switched's update)
// are refused by lift-scan with linear naive depth, as elman is.
TEST(Claims, Row12RefusesTheReluKinds) {
  const std::string dir = test::scratch("claims_relu_examples");
  for (const char* name : {"mlp", "switched"})
    std::filesystem::copy_file(test::example_spec_path(name), dir + "/" + name + ".toml",
                               std::filesystem::copy_options::overwrite_existing);
  ClaimContext ctx;
  ctx.examples_dir = dir;
  const ClaimOutcome twelve = run_claim(row("12"), ctx);
  EXPECT_EQ(twelve.verdict, Verdict::Pass) << twelve.measured;
  EXPECT_NE(twelve.ran.find("the 2 nonlinear examples (mlp, switched)"), std::string::npos) << twelve.ran;
  EXPECT_NE(twelve.measured.find("mlp: refused (relu), naive 22·T+3"), std::string::npos) << twelve.measured;
  EXPECT_NE(twelve.measured.find("switched: refused (relu), naive 6·T+3"), std::string::npos) << twelve.measured;
}

TEST(Claims, AnErrorInACheckIsAFail) {
  ClaimContext ctx;
  ctx.examples_dir = test::scratch("claims_no_examples");
  const ClaimOutcome o = run_claim(row("1"), ctx);
  EXPECT_EQ(o.verdict, Verdict::Fail);
  EXPECT_NE(o.measured.find("error: claims: no example specs"), std::string::npos) << o.measured;
}

TEST(Claims, SelectRows) {
  EXPECT_EQ(select_rows("").size(), claim_rows().size());
  const std::vector<const ClaimRow*> some = select_rows("E1, 2");
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0]->id, "2");  // registry order
  EXPECT_EQ(some[1]->id, "E1");
  EXPECT_NE(test::error_of([] { select_rows("2,17"); }).find("unknown claim id '17'"), std::string::npos);
  EXPECT_NE(test::error_of([] { select_rows(","); }).find("expected claim ids"), std::string::npos);
}

TEST(Claims, ExitCode) {
  ClaimOutcome pass{"1", "c", "s", "r", "m", Verdict::Pass};
  ClaimOutcome nc{"16", "c", "s", "r", "m", Verdict::NotCheckable};
  ClaimOutcome conf{"E1", "c", "s", "r", "m", Verdict::Confirmed};
  ClaimOutcome fail{"2", "c", "s", "r", "m", Verdict::Fail};
  EXPECT_EQ(claims_exit_code({pass, nc, conf}), 0);
  EXPECT_EQ(claims_exit_code({pass, fail, conf}), 1);
  EXPECT_EQ(claims_exit_code({}), 0);
}

TEST(Claims, Formats) {
  const std::vector<ClaimOutcome> os = {{"1", "a | b", "Thm 3", "ran it", "it held", Verdict::Pass},
                                        {"E1", "bd", "Prop 4", "nothing ran", "why", Verdict::NotCheckable}};
  const nlohmann::json j = nlohmann::json::parse(claims_json(os));
  ASSERT_EQ(j.size(), 1u);
  ASSERT_EQ(j.at("claims").size(), 2u);
  for (const auto& r : j.at("claims")) {
    std::set<std::string> keys;
    for (const auto& [k, v] : r.items()) {
      keys.insert(k);
      EXPECT_TRUE(v.is_string());
    }
    EXPECT_EQ(keys, (std::set<std::string>{"id", "claim", "source", "ran", "measured", "verdict"}));
  }
  EXPECT_EQ(j["claims"][0]["verdict"], "pass");
  EXPECT_EQ(j["claims"][1]["verdict"], "not-checkable");
  EXPECT_EQ(j["claims"][0]["claim"], "a | b");
  const std::string md = claims_markdown(os);
  EXPECT_NE(md.find("| id | claim | paper | ran | measured | verdict |"), std::string::npos);
  EXPECT_NE(md.find("| 1 | a \\| b | Thm 3 | ran it | it held | **pass** |"), std::string::npos) << md;
  EXPECT_NE(md.find("2 rows: 1 pass, 0 confirmed, 0 fail, 1 not-checkable."), std::string::npos) << md;
  const std::string text = claims_text(os);
  EXPECT_NE(text.find("[1] pass: a | b"), std::string::npos) << text;
  EXPECT_NE(text.find("2 rows: 1 pass, 0 confirmed, 0 fail, 1 not-checkable"), std::string::npos) << text;
}

}  // namespace
}  // namespace rnncc::proofs
