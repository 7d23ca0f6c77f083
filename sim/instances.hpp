// Simulating a list of instances given as exact values: what `rnncc sim` and `rnncc verify` need.
// Instances are converted to the domain's elements, cut into batches of B lanes, transposed
// into the simulator's [row][lane] layout, run, and transposed back.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "circuits/domains.hpp"
#include "sim/simulate.hpp"

namespace rnncc::sim {

// One instance's output values in one of the four domains (bool: 0 or 1 in `modp_or_bool`).
struct InstanceValues {
  circuits::DomainKind domain = circuits::DomainKind::Real;
  std::size_t instances = 0, outputs = 0;
  std::vector<double> real;            // instance-major: [k * outputs + o]
  std::vector<mpq_class> exact;
  std::vector<std::uint64_t> modp_or_bool;
  std::string format(std::size_t k, std::size_t o) const;  // "p/q", decimal residues, 0/1, doubles
};

// Where simulate_instances runs its batches: the CPU simulator unless an engine is given. An
// engine is bound to one schedule (and, in modp, one modulus) when it is made; the GPU simulator
// (gpu/simulator.hpp) is one.
class Engine {
 public:
  virtual ~Engine() = default;
  // The contracts of simulate_real/modp/bool (sim/simulate.hpp) for the engine's schedule.
  virtual std::vector<double> real(const std::vector<double>& inputs, std::size_t B, SimStats* stats) = 0;
  virtual std::vector<std::uint64_t> modp(const std::vector<std::uint64_t>& inputs, std::size_t B, SimStats* stats) = 0;
  virtual std::vector<std::uint64_t> boolean(const std::vector<std::uint64_t>& inputs, std::size_t B,
                                             SimStats* stats) = 0;
  virtual std::string describe() const = 0;  // where it runs, for the timing line
};

struct BatchOptions {
  std::size_t batch = 0;      // lanes per run; 0: every instance in one run, unless the inputs
                              // of a run would pass 64 MiB (then multiples of 64 lanes that fit)
  std::uint64_t modulus = circuits::kDefaultModulus;
  SimOptions sim;
  Engine* engine = nullptr;   // null: the CPU simulator with `sim`; else built for this schedule
                              // and `modulus` (exact always runs on the CPU simulator)
  std::function<void(std::size_t done, std::size_t total)> progress;  // instances, after each batch
};

// inputs[k] holds instance k's values in input order. Values are mapped into the schedule's
// domain: nearest doubles, rationals, residues (Error when p divides a denominator), or bits
// (Error unless 0 or 1). `stats` sums the runs. `options.sim.precision` (exact domain only,
// Error otherwise, before any work) gathers the precision of every batch (sim/precision.hpp).
InstanceValues simulate_instances(const Schedule& s, const std::vector<std::vector<mpq_class>>& inputs,
                                  const BatchOptions& options, SimStats* stats = nullptr);

// The same for K instances made on demand: `instance(k, values)` fills instance k's values (one
// per input), and is called once per instance in increasing k, one batch at a time, so only a
// batch of inputs is ever held (random instances for a million lanes need no more memory).
using InstanceFn = std::function<void(std::size_t k, std::vector<mpq_class>& values)>;
InstanceValues simulate_instances(const Schedule& s, std::size_t K, const InstanceFn& instance,
                                  const BatchOptions& options, SimStats* stats = nullptr);

}  // namespace rnncc::sim
