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
#include "compiler/pipeline.hpp"
#include "compiler/spec.hpp"

namespace rnncc::tools {

struct Loaded {
  circuits::Circuit circuit;
  std::optional<compiler::Spec> spec;  // set when the file was a spec
  std::uint64_t T = 0;
  std::vector<compiler::PassRecord> passes;
  // Measures of `circuit` after the passes (with `not_free` of the pass options; a critical
  // path when apply_passes was asked for one), set by apply_passes.
  std::optional<circuits::Measures> measures;
};

// The rewriting flags shared by compile, report, dot, sim and verify: a pass script (-p), or
// the shorthands --scan NET and --balance for "lift-scan -n NET; balance".
struct PassOptions {
  std::string script;         // -p
  std::string scan = "none";  // a prefix network name, or none
  bool balance = false;
  bool not_free = false;      // level function of the measures (and of the shorthand's balance)
  bool require_log_depth = false;
  // The script to run: -p's, else the shorthands'. Error when both are given.
  compiler::Script parse() const;
};
void add_pass_options(CLI::App* cmd, PassOptions& o, bool with_require);

// Runs `script` (o.parse(), parsed before the work so that a bad script fails first) on
// l.circuit (compiler::run_script), keeping the records and the final measures (with a critical
// path if `critical_path`, measured with o.not_free). A refusal is recorded; under
// o.require_log_depth it (or a missing or linear-depth scan) throws CheckFailed.
void apply_passes(Loaded& l, const compiler::Script& script, const PassOptions& o, bool critical_path = false);

// A check that failed (exit status 1), as opposed to an input error (rnncc::Error, status 2).
struct CheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

nlohmann::ordered_json passes_json(const std::vector<compiler::PassRecord>& passes);
std::string passes_text(const std::vector<compiler::PassRecord>& passes);
nlohmann::ordered_json counters_json(const std::vector<compiler::Counter>& counters);

bool is_spec_path(const std::string& path);

// A .toml spec (unrolled for T, else its own T) or a circuit file (-T refused).
Loaded load_circuit_or_spec(const std::string& path, std::optional<std::uint64_t> T);

// JSON text on one line; bytes of names that are not UTF-8 (a file name, say) become U+FFFD
// instead of an exception.
template <class J>
std::string json_text(const J& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The "spec" object of report --json.
nlohmann::ordered_json spec_json(const compiler::Spec& spec, std::uint64_t T);

// "A:B" with unsigned integers A <= B; Error naming `flag` and `expected` otherwise.
std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string& text, const std::string& flag,
                                                    const std::string& expected);

// --seed S (an integer in [0, 2^64)) and --threads N (0: every core; at most 4096), refusing
// negative values instead of wrapping them.
void add_seed_option(CLI::App* cmd, std::uint64_t& seed, const std::string& help);
void add_threads_option(CLI::App* cmd, int& threads, const std::string& help);

// Adds `-T N` to a command.
void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T);

}  // namespace rnncc::tools
