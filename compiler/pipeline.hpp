// Passes as a library: every pass has one shape (a name, a one-line help, typed parameters
// parsed from its own flags, run(circuit) -> new circuit or a refusal), a registry holds them,
// and a pass script ("lift-scan -n brent-kung; balance", in the style of Yosys -p and ABC
// command sequences) runs them in order, measuring each version of the circuit once and
// recording what every pass did.
//
// What a pass needs to know about the model travels in the circuit itself (step metadata, the
// state shape, ports): a pass never sees the spec. Adding a pass (docs/design.md): its own
// file(s) with a class deriving from Pass and a factory `std::unique_ptr<Pass>
// make_<id>_pass()`, one line RNNCC_PASS(<id>) in compiler/passes/builtin.def, a section in
// docs/passes.md, and its test. Nothing in tools/ changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"

namespace rnncc::compiler {

// ---- parameters ----

// One flag of a pass: `--NAME VALUE` (or `-S VALUE` with a short letter; `--NAME=VALUE` too), or
// a bare `--NAME` for a boolean flag.
struct ParamSpec {
  enum class Type { Choice, Flag, Count, Text };
  std::string name;                  // "network": the long flag --network, and the key in records
  char short_flag = 0;               // 'n': -n; 0 when none
  Type type = Type::Flag;
  std::vector<std::string> choices;  // Choice: the accepted values
  std::string default_value;         // as text: "brent-kung", "false", "1"
  std::string help;
  std::uint64_t min = 0, max = UINT64_MAX;  // Count: accepted range
  // Printed in the canonical invocation even at its default (the choice that names what the
  // pass builds, as lift-scan's network); other valued flags are printed when not at their default.
  bool shown = false;
};

// "choice of a, b or c", "flag", "integer in [0, 8]", "text": what a flag accepts.
std::string accepted_values(const ParamSpec& p);

// The values of a pass's parameters, every one set (defaults filled in), checked against the
// pass's ParamSpecs when parsed.
class PassArgs {
 public:
  const std::string& text(std::string_view name) const;  // Choice and Text values
  bool flag(std::string_view name) const;
  std::uint64_t count(std::string_view name) const;
  // (name, value as text) in the order of the pass's params.
  const std::vector<std::pair<std::string, std::string>>& values() const { return values_; }
  void set(std::string name, std::string value);  // parse_script's; replaces an earlier value

 private:
  const std::string& get(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> values_;
};

// ---- passes ----

using CounterValue = std::variant<bool, std::int64_t, double, std::string>;
struct Counter {
  std::string name;
  CounterValue value;
};

struct PassResult {
  std::optional<circuits::Circuit> circuit;  // the rewritten circuit; empty when refused
  std::string refusal;                       // why the pass could not apply (data, not an error)
  std::vector<Counter> counters;             // pass-specific figures ("combine": "diagonal", ...)
  std::vector<std::string> notes;            // remarks for the user
  static PassResult refused(std::string why, std::vector<Counter> counters = {});
};

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;  // "lift-scan": lower case, digits and '-'
  virtual std::string_view help() const = 0;  // one line
  virtual std::vector<ParamSpec> params() const { return {}; }
  // The rewritten circuit, or a refusal. Error (rnncc::Error) only for a circuit the pass
  // cannot read at all (e.g. lift-scan without step metadata).
  virtual PassResult run(const circuits::Circuit& c, const PassArgs& args) const = 0;
};

class PassRegistry {
 public:
  void add(std::unique_ptr<Pass> pass);  // Error on a duplicate or malformed name
  const Pass* find(std::string_view name) const;
  const std::vector<std::unique_ptr<Pass>>& passes() const { return passes_; }  // registration order
  std::string names() const;  // "lift-scan, balance"

 private:
  std::vector<std::unique_ptr<Pass>> passes_;
};

// The registry every command uses: the built-in passes (compiler/passes/builtin.def) are
// registered on first use; tests may add their own.
PassRegistry& pass_registry();

// ---- scripts ----

struct Invocation {
  const Pass* pass = nullptr;
  PassArgs args;
  // Canonical: the name, then the valued flags that are shown always or differ from their
  // default, with their values (short form where there is one), and the boolean flags that are
  // on, in the pass's order: "lift-scan -n brent-kung", "balance --not-free", "lower-bool -a ripple".
  std::string text() const;
};
using Script = std::vector<Invocation>;

// Passes separated by ';' (or newlines), each a name followed by its flags. Empty entries are
// skipped, so "" is the empty script. Error (one line, naming the pass and what it accepts) on
// an unknown pass, an unknown flag, a missing or bad value.
Script parse_script(std::string_view text, const PassRegistry& registry = pass_registry());
std::string script_text(const Script& script);  // "lift-scan -n sklansky; balance"

// ---- running ----

// What one pass did to the circuit.
struct PassRecord {
  std::string pass;        // its name
  std::string invocation;  // the canonical text of its invocation
  std::vector<std::pair<std::string, std::string>> params;  // every parameter's value
  std::size_t size_before = 0, depth_before = 0, size_after = 0, depth_after = 0;
  double seconds = 0;      // the pass itself, not the measuring
  std::string refusal;     // non-empty: refused, the circuit is unchanged
  std::vector<Counter> counters;
  std::vector<std::string> notes;
  bool refused() const { return !refusal.empty(); }
  const CounterValue* counter(std::string_view name) const;
};

struct PipelineOptions {
  bool not_free = false;             // the measures' level function (circuits::MeasureParams)
  bool critical_path = false;        // the final measures hold a critical path
  // Called after every pass with its record and the circuit it left (the old one when refused).
  std::function<void(const PassRecord&, const circuits::Circuit&)> on_stage;
  std::function<void(const Invocation&)> on_start;  // before every pass (progress)
};

struct PipelineResult {
  circuits::Circuit circuit;         // after the last pass
  std::vector<PassRecord> records;   // one per pass
  circuits::Measures measures;       // of `circuit`
};

// Runs the script on `c`. Each version of the circuit is measured once: the input, then the
// result of every pass that did not refuse (the last one with a critical path when asked; when
// the last pass refuses, the circuit before it is measured a second time, for its path).
PipelineResult run_script(circuits::Circuit c, const Script& script, const PipelineOptions& options = {});

// Why the records do not show a log-depth rewrite (report/compile --require-log-depth): no
// lift-scan, a refused one, or a linear-depth network; empty when they do.
std::string log_depth_problem(const std::vector<PassRecord>& records);

// The script that the shorthands --scan NET and --balance stand for: "lift-scan -n NET" (unless
// NET is none), then "balance" (with --not-free when `not_free`).
std::string shorthand_script(const std::string& scan, bool balance, bool not_free);

std::string counter_text(const CounterValue& v);

}  // namespace rnncc::compiler
