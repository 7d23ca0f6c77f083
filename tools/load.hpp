// What several commands share: a FILE|SPEC argument becomes a circuit (a spec is unrolled for
// -T steps, or its own T), with the spec kept for reports.
#pragma once

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"
#include "compiler/spec.hpp"

namespace rnncc::tools {

// What a pass did, for reports (`passes` in report --json).
struct PassRecord {
  std::string name;     // "lift-scan", "balance"
  std::string network;  // lift-scan: the prefix network
  std::string combine;  // lift-scan: diagonal, dense or row
  bool reduction_tree = false;
  std::size_t size_before = 0, depth_before = 0, size_after = 0, depth_after = 0;
  std::string refused;  // lift-scan: why the recurrence could not be lifted
  std::vector<std::string> notes;
};

struct Loaded {
  circuits::Circuit circuit;
  std::optional<compiler::Spec> spec;  // set when the file was a spec
  std::uint64_t T = 0;
  std::vector<PassRecord> passes;
  // Measures of `circuit` after the passes (with `not_free` of the pass options), when
  // apply_passes had to take them anyway; a critical path only when it was asked for one.
  std::optional<circuits::Measures> measures;
};

// The rewriting flags shared by compile, report, dot (and sweep).
struct PassOptions {
  std::string scan = "none";  // a prefix network name, or none
  bool balance = false;
  bool not_free = false;      // level function of balance (and of measures)
  bool require_log_depth = false;
};
void add_pass_options(CLI::App* cmd, PassOptions& o, bool with_require);

// Runs lift-scan and balance as asked. A refused scan is recorded (and throws CheckFailed
// under require_log_depth); a scan with a linear-depth network fails require_log_depth too.
// When a pass ran, l.measures holds the final circuit's measures (with a critical path if
// `critical_path`), so that a report need not measure it again.
void apply_passes(Loaded& l, const PassOptions& o, bool critical_path = false);

// A check that failed (exit status 1), as opposed to an input error (rnncc::Error, status 2).
struct CheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::ordered_json passes_json(const std::vector<PassRecord>& passes);
std::string passes_text(const std::vector<PassRecord>& passes);

bool is_spec_path(const std::string& path);

// A .toml spec (unrolled for T, else its own T) or a circuit file (-T refused).
Loaded load_circuit_or_spec(const std::string& path, std::optional<std::uint64_t> T);

// The "spec" object of report --json.
nlohmann::ordered_json spec_json(const compiler::Spec& spec, std::uint64_t T);

// "A:B" with unsigned integers A <= B; Error naming `flag` and `expected` otherwise.
std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string& text, const std::string& flag,
                                                    const std::string& expected);

// Adds `-T N` to a command.
void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T);

}  // namespace rnncc::tools
