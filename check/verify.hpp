// Verified stages: a spec unrolled for T steps, then a pass script, each stage simulated on the
// same random input sequences and checked against the stage before it and against the
// reference interpreter. Inputs and expected outputs go through the circuits' ports
// (compiler/interface.hpp), so a pass may rename, reorder or split them.
//
// This is the engine of `rnncc verify` and of every test of a new pass.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "circuits/domains.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec.hpp"

namespace rnncc::check {

struct VerifyOptions {
  std::uint64_t T = 16;
  std::size_t trials = 16;
  std::uint64_t seed = 1;  // of the random input sequences (splitmix64)
  circuits::DomainKind domain = circuits::DomainKind::Exact;  // exact, modp or real
  std::uint64_t modulus = circuits::kDefaultModulus;
  double tol = 1e-9;       // real: largest |x - r| / max(|r|, 1) accepted
  int threads = 0;         // of the CPU simulator; 0: every core
  bool not_free = false;   // the measures' level function
  bool precision = true;   // exact domain: measure each stage's precision (sim/precision.hpp)
  std::function<void(const std::string& stage)> progress;  // before each stage is simulated
  // A circuit to check instead of the unrolled spec (a file compiled earlier, perhaps edited or
  // made by another tool): its ports say which x_t[i] each input is; `circuit_label` names its
  // stage.
  const circuits::Circuit* circuit = nullptr;
  std::string circuit_label = "naive";
};

// One stage: the naive circuit, or the result of one pass.
struct StageCheck {
  std::string stage;          // "naive", or the pass invocation ("lift-scan -n sklansky")
  std::string pass;           // the pass name; empty for the naive circuit
  std::size_t size = 0, depth = 0;
  std::string refusal;        // the pass refused (the stage is the circuit before it)
  bool agrees_interpreter = true;
  bool agrees_previous = true;  // with the stage before (always true for the naive circuit)
  double max_rel_error = 0;   // real: against the interpreter
  std::string first_mismatch; // the first output and trial that differ, with both values
  // With VerifyOptions::precision, a stage simulated in the exact domain (not a boolean one, not
  // a refusal): its precision over the trials, the largest bit length (numerator + denominator)
  // of any gate's value, and the smallest gate id with it (sim/precision.hpp).
  bool precision_measured = false;
  std::uint64_t precision_bits = 0;
  circuits::GateId precision_gate = circuits::kNoGate;
  bool ok() const { return refusal.empty() && agrees_interpreter && agrees_previous; }
};

struct VerifyResult {
  std::vector<StageCheck> stages;
  std::vector<compiler::PassRecord> records;  // the pipeline's, one per pass
  bool ok() const;
};

// Error for a spec that cannot run in the domain, a bad modulus, or a stage that the interface
// cannot feed (an input without a port). Mismatches and refusals are data.
VerifyResult verify_script(const compiler::Spec& spec, const compiler::Script& script, const VerifyOptions& options);

}  // namespace rnncc::check
