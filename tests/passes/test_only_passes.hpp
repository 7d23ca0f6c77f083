// Passes that exist only for tests, each written exactly as a real pass would be (a class
// deriving from compiler::Pass; docs/design.md, "Adding a pass") and registered with one line:
//   compiler::pass_registry().add(std::make_unique<PerturbConstantPass>());
// - perturb-constant: a deliberately wrong pass, adding 1 to one live constant; verify must
//   catch it at its stage.
// - rename-ports: renames every input and output and reverses both orders, keeping the ports:
//   simulation and verification must not depend on names or positions.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::test {

class PerturbConstantPass final : public compiler::Pass {
 public:
  std::string_view name() const override { return "perturb-constant"; }
  std::string_view help() const override { return "test only: add 1 to the k-th live non-zero constant"; }
  std::vector<compiler::ParamSpec> params() const override {
    return {{.name = "index", .short_flag = 'k', .type = compiler::ParamSpec::Type::Count, .choices = {},
             .default_value = "0", .help = "which constant (in id order)", .min = 0, .max = 1000}};
  }
  compiler::PassResult run(const circuits::Circuit& c, const compiler::PassArgs& args) const override {
    const std::vector<std::uint8_t> live = circuits::live_gates(c);
    std::uint64_t k = args.count("index");
    circuits::GateId target = circuits::kNoGate;
    for (circuits::GateId g = 0; g < c.num_gates() && target == circuits::kNoGate; ++g)
      if (live[g] && c.op(g) == circuits::Op::Const && c.constant(g) != 0 && k-- == 0) target = g;
    if (target == circuits::kNoGate) return compiler::PassResult::refused("no such constant");
    circuits::Rebuild r(c);
    for (circuits::GateId g = 0; g < c.num_gates(); ++g) {
      if (g == target) {
        r.stamp_origin(g);
        r.set(g, r.builder().constant(c.constant(g) + 1));
      } else if (live[g] || c.op(g) == circuits::Op::Input) {
        r.copy(g);
      }
    }
    compiler::PassResult res;
    res.circuit = r.finish();
    res.counters = {{"gate", static_cast<std::int64_t>(target)}};
    return res;
  }
};

class RenamePortsPass final : public compiler::Pass {
 public:
  std::string_view name() const override { return "rename-ports"; }
  std::string_view help() const override { return "test only: rename and reverse every input and output"; }
  compiler::PassResult run(const circuits::Circuit& c, const compiler::PassArgs&) const override {
    circuits::Builder b;
    for (const std::string& key : c.port_keys()) b.port_key(key);
    std::vector<circuits::GateId> map(c.num_gates(), circuits::kNoGate);
    const std::size_t n = c.inputs().size();
    for (std::size_t k = n; k-- > 0;) map[c.inputs()[k]] = b.input(fmt::format("v{}", k), c.input_port(k));
    for (circuits::GateId g = 0; g < c.num_gates(); ++g) {
      const circuits::Op op = c.op(g);
      if (op == circuits::Op::Input) continue;
      map[g] = op == circuits::Op::Const
                   ? b.constant(c.constant(g))
                   : b.make(op, map[c.a(g)], circuits::arity(op) == 2 ? map[c.b(g)] : circuits::kNoGate);
    }
    for (std::size_t k = c.outputs().size(); k-- > 0;)
      b.output(fmt::format("out{}", k), map[c.outputs()[k].gate], c.outputs()[k].port);
    for (const circuits::StepRecord& s : c.steps()) {
      std::vector<circuits::GateId> gates;
      for (circuits::GateId g : s.gates) gates.push_back(map[g]);
      b.add_step(s.step, gates);
    }
    b.set_state_shape(c.state_shape());
    compiler::PassResult res;
    res.circuit = b.finish();
    return res;
  }
};

// Registers both once (the registry refuses a second registration).
inline void register_test_passes() {
  static const bool done = [] {
    compiler::pass_registry().add(std::make_unique<PerturbConstantPass>());
    compiler::pass_registry().add(std::make_unique<RenamePortsPass>());
    return true;
  }();
  (void)done;
}

}  // namespace rnncc::test
