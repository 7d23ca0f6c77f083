// What `sim` and `verify` share: the --domain/--modulus flags, the domain a circuit or spec runs
// in, and random instances as models.md describes them.
#pragma once

#include <CLI/CLI.hpp>
#include <gmpxx.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "circuits/domains.hpp"
#include "circuits/levelize.hpp"
#include "sim/instances.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {

struct DomainOptions {
  std::string domain;                    // empty: the spec's, else bool for boolean circuits, else real
  std::optional<std::uint64_t> modulus;  // modp: the spec's, else 2^61 - 1
};
void add_domain_options(CLI::App* cmd, DomainOptions& o);

struct DomainChoice {
  circuits::DomainKind kind = circuits::DomainKind::Real;
  std::uint64_t modulus = circuits::kDefaultModulus;
};
// Error when a spec cannot run in the domain (located at its `domain` key), when the modulus is
// not a prime below 2^62 or divides a denominator of the spec, or when --modulus is given for
// another domain.
DomainChoice choose_domain(const DomainOptions& o, const Loaded& l);

// Random instances (values in circuit input order), made on demand in increasing instance
// order: symbol sequences (alphabet specs) or dyadic vectors (real-input specs) of l.T steps; for
// circuit files dyadic values k/2^16, or bits in the bool domain. splitmix64 seeded with `seed`,
// drawn instance by instance, input by input. `l` must outlive the function.
sim::InstanceFn random_instances(const Loaded& l, circuits::DomainKind domain, std::uint64_t seed);

// --device cpu|gpu (default cpu).
void add_device_option(CLI::App* cmd, std::string& device);
// The schedule of `c` for `--device`: the CPU simulator's, or (gpu) the GPU simulator's choice of
// rows for batches of `lanes` elements a row (gpu::levelize_for_gpu).
circuits::Schedule schedule_for(const std::string& device, const circuits::Circuit& c, circuits::DomainKind domain,
                                std::uint64_t lanes);
// The engine `--device` names for schedule `s`: null for the CPU simulator, else the GPU
// simulator with `s` resident on the device. Error (one line, exit 2) for gpu when this build
// has no CUDA, when no GPU is available, or in the exact domain.
std::unique_ptr<sim::Engine> make_engine(const std::string& device, const circuits::Schedule& s, std::uint64_t modulus);

}  // namespace rnncc::tools
