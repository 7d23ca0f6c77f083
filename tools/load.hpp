// What several commands share: a FILE|SPEC argument becomes a circuit (a spec is unrolled for
// -T steps, or its own T), with the spec kept for reports.
#pragma once

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "circuits/circuit.hpp"
#include "compiler/spec.hpp"

namespace rnncc::tools {

struct Loaded {
  circuits::Circuit circuit;
  std::optional<compiler::Spec> spec;  // set when the file was a spec
  std::uint64_t T = 0;
};

bool is_spec_path(const std::string& path);

// A .toml spec (unrolled for T, else its own T) or a circuit file (-T refused).
Loaded load_circuit_or_spec(const std::string& path, std::optional<std::uint64_t> T);

// The "spec" object of report --json.
nlohmann::ordered_json spec_json(const compiler::Spec& spec, std::uint64_t T);

// Adds `-T,--steps-count N` to a command.
void add_T_option(CLI::App* cmd, std::optional<std::uint64_t>& T);

}  // namespace rnncc::tools
