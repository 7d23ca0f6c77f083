// Subcommands of the rnncc CLI. Each `add_*` registers its flags and a callback on `app`;
// callbacks throw rnncc::Error for input errors (exit 2) and return the exit code otherwise.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace rnncc::tools {

// The callback a subcommand runs; main() maps its result and exceptions to the exit code.
using Action = std::function<int()>;

void add_report(CLI::App& app, Action& action);
void add_dot(CLI::App& app, Action& action);
void add_convert(CLI::App& app, Action& action);
void add_compile(CLI::App& app, Action& action);
void add_run(CLI::App& app, Action& action);
void add_sweep(CLI::App& app, Action& action);
void add_sim(CLI::App& app, Action& action);
void add_verify(CLI::App& app, Action& action);
void add_passes(CLI::App& app, Action& action);
void add_construct(CLI::App& app, Action& action);
void add_claims(CLI::App& app, Action& action);
void add_task(CLI::App& app, Action& action);

}  // namespace rnncc::tools
