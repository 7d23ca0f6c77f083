// The paper's checkable claims, run (docs/claims.md): one row per claim of the paper's list of
// checkable claims (ids "1" … "16", its numbers) and one per erratum or caveat (ids "E1", …).
// A row with a check runs it and gets a verdict from what it measured in this invocation; a row
// whose construction is not built has no check and is `not-checkable`, with the reason.
//
// Wiring a new construction into a row is one line: set the row's `check` in claim_rows()
// (claims.cpp) to a function returning Check{ran, measured, ok}.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rnncc::proofs {

enum class Verdict {
  Pass,          // the claim held on everything that ran
  Fail,          // it did not (or the check could not finish: the error is the measured result)
  NotCheckable,  // nothing ran: the construction is not built, or the claim needs training
  Confirmed,     // an erratum: the printed statement is shown wrong and the correction holds
};
std::string_view verdict_name(Verdict v);  // "pass", "fail", "not-checkable", "confirmed"

// What a check passes to the code it runs.
struct ClaimContext {
  // Fault injection (tests, `rnncc claims --inject-fault`): the check breaks its own
  // construction on purpose (a perturbed spec, a combine in the wrong order, a serial network,
  // the printed formula taken as the correction, …), which must turn its verdict to `fail`.
  bool broken = false;
  std::string examples_dir = "examples/specs";  // the example specs (*.toml) the rows sweep
  std::function<void(const std::string&)> progress;  // a stage of the running row (stderr)
  void say(const std::string& stage) const {
    if (progress) progress(stage);
  }
};

// What a check ran and measured, and whether the claim (or the correction) held.
struct Check {
  std::string ran;       // spec(s), T range, instances
  std::string measured;  // the result, one line
  bool ok = false;
};
using CheckFn = Check (*)(const ClaimContext&);

// Holds: `pass` when the check is ok. Correction: an erratum or a caveat whose check shows the
// printed statement wrong and the correction right: `confirmed` when ok.
enum class Expect { Holds, Correction };

struct ClaimRow {
  std::string id;      // "1" … "16", "E1" …
  std::string claim;   // one line
  std::string source;  // where in the paper
  Expect expect = Expect::Holds;
  CheckFn check = nullptr;    // nullptr: not checkable here
  std::string not_checkable;  // the reason, when there is no check
};

// Every row, in a fixed order: the claims 1 … 16, then E1 … .
const std::vector<ClaimRow>& claim_rows();

struct ClaimOutcome {
  std::string id, claim, source, ran, measured;
  Verdict verdict = Verdict::NotCheckable;
};

// Runs one row. An exception from the check (rnncc::Error, a resource limit, …) is a `fail`
// whose measured result is the error.
ClaimOutcome run_claim(const ClaimRow& row, const ClaimContext& context);

// The ids of --only ("2,E1"): Error naming an unknown id; empty text: every row.
std::vector<const ClaimRow*> select_rows(const std::string& only);

// 0 when every row reached a verdict and none failed, 1 otherwise.
int claims_exit_code(const std::vector<ClaimOutcome>& outcomes);

// Output formats of `rnncc claims`: a text table, {"claims": [{"id", "claim", "source", "ran",
// "measured", "verdict"}, …]}, and docs/claims.md (a header, the table in markdown, a summary).
std::string claims_text(const std::vector<ClaimOutcome>& outcomes);
std::string claims_json(const std::vector<ClaimOutcome>& outcomes);
std::string claims_markdown(const std::vector<ClaimOutcome>& outcomes);

}  // namespace rnncc::proofs
