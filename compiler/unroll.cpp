// Unrolling: the model code (models.hpp) traced through the builder into a circuit over T steps.
#include "compiler/unroll.hpp"

#include <fmt/format.h>

#include "circuits/budget.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "compiler/models.hpp"
#include "compiler/params.hpp"
#include "compiler/trace.hpp"

namespace rnncc::compiler {
using circuits::Builder;
using circuits::GateId;

namespace {

std::vector<std::size_t> state_shape(const Spec& s) {
  if (has_matrix_state(s.kind)) return {s.d_v, s.d_k};
  return {s.d};
}

}  // namespace

circuits::Circuit unroll(const Spec& spec, std::uint64_t T, const Progress& progress) {
  if (T == 0) throw Error("T must be at least 1");
  if (T > 0xFFFFFFFFu) throw Error("T must be below 2^32");
  if (T > 64) {
    // Estimate first (every step after the first two adds the same gates), so that an
    // oversized request fails at once, before it fills the machine.
    const double g2 = static_cast<double>(unroll(spec, 2).num_gates());
    const double g3 = static_cast<double>(unroll(spec, 3).num_gates());
    circuits::check_gates(g3 + (g3 - g2) * static_cast<double>(T - 3), fmt::format("unrolling {} for T = {}", spec.name, T));
  }
  Builder b;
  TraceDomain dom{b};
  const std::string kind(kind_name(spec.kind));

  dom.construct(kind + ".params");
  ParamValues<TraceDomain> params = param_values(spec, dom, spec.params_mode == ParamMode::Inputs ? &b : nullptr);

  // Initial state (step 0).
  dom.construct(kind + ".h0");
  std::vector<GateId> h(spec.state_size());
  auto initial_port = [&](const char* key, std::size_t i) {
    return circuits::Port{.role = circuits::PortRole::Initial, .word_bits = 0, .bit = 0, .has_range = false,
                          .step = 0, .index = static_cast<std::uint32_t>(i), .key = b.port_key(key), .lo = 0, .hi = 0};
  };
  if (spec.initial == InitialState::Inputs) {
    if (spec.kind == Kind::Lstm) {
      for (std::size_t i = 0; i < spec.d; ++i) h[i] = b.input(fmt::format("h0[{}]", i), initial_port("h0", i));
      for (std::size_t i = 0; i < spec.d; ++i) h[spec.d + i] = b.input(fmt::format("c0[{}]", i), initial_port("c0", i));
    } else {
      const char* base = has_matrix_state(spec.kind) ? "S0" : "h0";
      for (std::size_t i = 0; i < h.size(); ++i)
        h[i] = b.input(element_name(base, state_shape(spec), i), initial_port(base, i));
    }
  } else {
    for (std::size_t i = 0; i < h.size(); ++i)
      h[i] = b.constant(spec.initial == InitialState::Constants ? spec.initial_values[i] : mpq_class(0));
  }
  b.add_step(0, h);
  std::vector<std::uint32_t> shape;
  for (std::size_t n : state_shape(spec)) shape.push_back(static_cast<std::uint32_t>(n));
  if (spec.kind == Kind::Lstm) shape = {static_cast<std::uint32_t>(spec.state_size())};  // h and c, 2d
  b.set_state_shape(std::move(shape));

  Model<TraceDomain> model(spec, dom, params);
  std::vector<GateId> x(spec.m()), y;
  std::size_t gates_before = 0;
  for (std::uint64_t t = 1; t <= T; ++t) {
    dom.current_step = static_cast<std::uint32_t>(t);
    dom.construct(kind + ".x");
    for (std::size_t i = 0; i < x.size(); ++i) {
      circuits::Port p{.role = circuits::PortRole::Sequence, .word_bits = 0, .bit = 0,
                       .has_range = spec.one_hot || spec.input_range.has_value(),
                       .step = static_cast<std::uint32_t>(t), .index = static_cast<std::uint32_t>(i), .key = 0,
                       .lo = spec.input_range ? spec.input_range->first : 0,
                       .hi = spec.input_range ? spec.input_range->second : spec.one_hot ? 1 : 0};
      x[i] = b.input(fmt::format("x[{}][{}]", t, i), p);
    }
    model.step(h, x);
    b.add_step(static_cast<std::uint32_t>(t), h);
    if (spec.outputs == OutputMode::All || t == T) {  // for accept, y_T feeds the accept bit only
      y = model.readout(h, x);
      for (std::size_t i = 0; i < y.size() && spec.outputs != OutputMode::Accept; ++i) {
        circuits::Port p{.role = circuits::PortRole::Output, .word_bits = 0, .bit = 0, .has_range = false,
                         .step = static_cast<std::uint32_t>(t), .index = static_cast<std::uint32_t>(i), .key = 0,
                         .lo = 0, .hi = 0};
        b.output(spec.outputs == OutputMode::All ? fmt::format("y[{}][{}]", t, i) : fmt::format("y[{}]", i), y[i], p);
      }
    }
    // Steps after the first repeat its shape: reserve for all of them at once.
    if (t == 2 && T > 2) {
      std::size_t per_step = b.num_gates() - gates_before;
      b.reserve(b.num_gates() + per_step * (T - 2) + per_step / 8 + 64);
    }
    if (t == 1) gates_before = b.num_gates();
    if (progress) progress(t, T);
  }
  if (spec.accept) b.output("accept", model.accept(y), circuits::Port{.role = circuits::PortRole::Accept});
  circuits::Circuit c = b.finish();
  c.name = spec.name;
  return c;
}

}  // namespace rnncc::compiler
