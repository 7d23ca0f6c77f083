// The reference interpreter: the model code (models.hpp) run on numbers in a domain.
#include "compiler/interpret.hpp"

#include <fmt/format.h>

#include "circuits/error.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/models.hpp"
#include "compiler/params.hpp"

namespace rnncc::compiler {

namespace {

// The interpreter loop, shared by the value and the printing front ends: calls
// visit(state, y) after each step (y empty for the initial state) and returns accept (or the
// zero constant when the spec does not accept).
template <class D, class Visit>
typename D::Value run_model(const Spec& spec, D& dom, const InputSequence& xs, Visit&& visit) {
  using V = typename D::Value;
  ParamValues<D> params = param_values(spec, dom, nullptr);
  std::vector<V> h(spec.state_size(), dom.constant(0));
  if (spec.initial == InitialState::Constants)
    for (std::size_t i = 0; i < h.size(); ++i) h[i] = dom.constant(spec.initial_values[i]);
  visit(h, std::vector<V>{});
  Model<D> model(spec, dom, params);
  std::vector<V> x(spec.m()), y;
  for (const auto& xt : xs) {
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = dom.constant(xt[i]);
    model.step(h, x);
    y = model.readout(h, x);
    visit(h, y);
  }
  return spec.accept ? model.accept(y) : dom.constant(0);
}

template <class D>
RunResult run_in(const Spec& spec, D& dom, const InputSequence& xs) {
  using V = typename D::Value;
  RunResult r;
  auto strings = [&](const std::vector<V>& v) {
    std::vector<std::string> out;
    for (const V& e : v) out.push_back(dom.format(e));
    return out;
  };
  V acc = run_model(spec, dom, xs, [&](const std::vector<V>& h, const std::vector<V>& y) {
    r.states.push_back(strings(h));
    if (!y.empty() && spec.outputs != OutputMode::Accept) r.outputs.push_back(strings(y));
  });
  if (spec.accept) r.accept = dom.format(acc);
  return r;
}

}  // namespace

template <class D>
std::vector<std::vector<typename D::Value>> interpret_values(const Spec& spec, D& dom,
                                                             const InputSequence& xs) {
  using V = typename D::Value;
  std::vector<std::vector<V>> ys;
  const bool accept_only = spec.outputs == OutputMode::Accept;  // the y_t are not outputs
  V acc = run_model(spec, dom, xs, [&](const std::vector<V>&, const std::vector<V>& y) {
    if (!y.empty()) ys.push_back(accept_only ? std::vector<V>{} : y);
  });
  if (spec.accept && !ys.empty()) ys.back().push_back(acc);
  return ys;
}

template std::vector<std::vector<double>> interpret_values(const Spec&, circuits::RealDomain&,
                                                           const InputSequence&);
template std::vector<std::vector<mpq_class>> interpret_values(const Spec&, circuits::ExactDomain&,
                                                              const InputSequence&);
template std::vector<std::vector<std::uint64_t>> interpret_values(const Spec&,
                                                                  circuits::ModpDomain&,
                                                                  const InputSequence&);

RunResult interpret(const Spec& spec, const InputSequence& xs, circuits::DomainKind domain,
                    std::uint64_t modulus) {
  std::string why;
  if (!domain_allows(spec, domain, &why))
    throw Error(fmt::format("{} cannot run in the {} domain: {}", spec.name,
                            circuits::domain_name(domain), why));
  switch (domain) {
    case circuits::DomainKind::Real: {
      circuits::RealDomain dom;
      return run_in(spec, dom, xs);
    }
    case circuits::DomainKind::Exact: {
      circuits::ExactDomain dom;
      return run_in(spec, dom, xs);
    }
    default: {
      circuits::ModpDomain dom(modulus);
      return run_in(spec, dom, xs);
    }
  }
}

}  // namespace rnncc::compiler
