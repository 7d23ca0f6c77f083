// Internal to compiler/: a spec's parameters as values of a domain, shared by the unroller and
// the reference interpreter.
#pragma once

#include <type_traits>

#include "circuits/builder.hpp"
#include "compiler/models.hpp"
#include "compiler/spec.hpp"
#include "compiler/trace.hpp"

namespace rnncc::compiler {

// Parameters as domain values: constants, or (tracing with params = "inputs") circuit inputs.
template <class D>
ParamValues<D> param_values(const Spec& spec, D& dom, circuits::Builder* inputs_builder) {
  ParamValues<D> pv;
  for (const ParamInfo& info : parameter_table(spec)) {
    const Tensor& t = spec.param(info.key);
    auto& out = pv.values[info.key];
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if constexpr (std::is_same_v<D, TraceDomain>) {
        if (inputs_builder && !info.permutation) {
          const circuits::Port port{.role = circuits::PortRole::Parameter, .word_bits = 0, .bit = 0,
                                    .has_range = false, .step = 0, .index = static_cast<std::uint32_t>(i),
                                    .key = inputs_builder->port_key(info.key), .lo = 0, .hi = 0};
          out.push_back(inputs_builder->input(element_name(info.key, info.shape, i), port));
          continue;
        }
      }
      out.push_back(dom.constant(t.at(i)));
    }
  }
  return pv;
}

}  // namespace rnncc::compiler
