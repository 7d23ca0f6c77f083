// Unrolling (model code traced through the builder) and the reference interpreter (the same
// model code on numbers).
#include "compiler/unroll.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <unordered_map>

#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/text.hpp"
#include "compiler/models.hpp"
#include "compiler/trace.hpp"

namespace rnncc::compiler {
using circuits::Builder;
using circuits::GateId;

namespace {

// "KEY", "KEY[i]", "KEY[i][j]", "KEY[i][j][k]" for a flat index into a tensor of `shape`.
std::string element_name(const std::string& key, const std::vector<std::size_t>& shape, std::size_t flat) {
  std::string idx;
  for (std::size_t r = shape.size(); r-- > 0;) {
    idx = fmt::format("[{}]", flat % shape[r]) + idx;
    flat /= shape[r];
  }
  return key + idx;
}

// Parameters as domain values: constants, or (tracing with params = "inputs") circuit inputs.
template <class D>
ParamValues<D> param_values(const Spec& spec, D& dom, Builder* inputs_builder) {
  ParamValues<D> pv;
  for (const ParamInfo& info : parameter_table(spec)) {
    const Tensor& t = spec.param(info.key);
    auto& out = pv.values[info.key];
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if constexpr (std::is_same_v<D, TraceDomain>) {
        if (inputs_builder && !info.permutation) {
          out.push_back(inputs_builder->input(element_name(info.key, info.shape, i)));
          continue;
        }
      }
      out.push_back(dom.constant(t.at(i)));
    }
  }
  return pv;
}

std::vector<std::size_t> state_shape(const Spec& s) {
  if (has_matrix_state(s.kind)) return {s.d_v, s.d_k};
  return {s.d};
}

}  // namespace

bool domain_allows(const Spec& spec, circuits::DomainKind domain, std::string* why) {
  std::string refusal = domain_refusal(spec, domain);
  if (why) *why = refusal;
  return refusal.empty();
}

circuits::Circuit unroll(const Spec& spec, std::uint64_t T, const Progress& progress) {
  if (T == 0) throw Error("T must be at least 1");
  Builder b;
  TraceDomain dom{b};
  const std::string kind(kind_name(spec.kind));

  dom.construct(kind + ".params");
  ParamValues<TraceDomain> params = param_values(spec, dom, spec.params_mode == ParamMode::Inputs ? &b : nullptr);

  // Initial state (step 0).
  dom.construct(kind + ".h0");
  std::vector<GateId> h(spec.state_size());
  if (spec.initial == InitialState::Inputs) {
    if (spec.kind == Kind::Lstm) {
      for (std::size_t i = 0; i < spec.d; ++i) h[i] = b.input(fmt::format("h0[{}]", i));
      for (std::size_t i = 0; i < spec.d; ++i) h[spec.d + i] = b.input(fmt::format("c0[{}]", i));
    } else {
      const char* base = has_matrix_state(spec.kind) ? "S0" : "h0";
      for (std::size_t i = 0; i < h.size(); ++i) h[i] = b.input(element_name(base, state_shape(spec), i));
    }
  } else {
    for (std::size_t i = 0; i < h.size(); ++i)
      h[i] = b.constant(spec.initial == InitialState::Constants ? spec.initial_values[i] : mpq_class(0));
  }
  b.add_step(0, h);

  Model<TraceDomain> model(spec, dom, params);
  std::vector<GateId> x(spec.m()), y;
  std::size_t gates_before = 0;
  for (std::uint64_t t = 1; t <= T; ++t) {
    dom.current_step = static_cast<std::uint32_t>(t);
    dom.construct(kind + ".x");
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = b.input(fmt::format("x[{}][{}]", t, i));
    model.step(h, x);
    b.add_step(static_cast<std::uint32_t>(t), h);
    if (spec.outputs == OutputMode::All || t == T) {
      y = model.readout(h, x);
      for (std::size_t i = 0; i < y.size(); ++i)
        b.output(spec.outputs == OutputMode::All ? fmt::format("y[{}][{}]", t, i) : fmt::format("y[{}]", i), y[i]);
    }
    // Steps after the first repeat its shape: reserve for all of them at once.
    if (t == 2 && T > 2) {
      std::size_t per_step = b.num_gates() - gates_before;
      b.reserve(b.num_gates() + per_step * (T - 2) + per_step / 8 + 64);
    }
    if (t == 1) gates_before = b.num_gates();
    if (progress) progress(t, T);
  }
  if (spec.accept) b.output("accept", model.accept(y));
  circuits::Circuit c = b.finish();
  c.name = spec.name;
  return c;
}

InputSequence parse_input_sequence(const Spec& spec, const std::string& text) {
  InputSequence xs;
  std::string norm = text;
  for (char& ch : norm)
    if (ch == ';' || ch == '\t' || ch == '\n') ch = ' ';
  std::vector<circuits::io::Token> toks;
  circuits::io::tokenize(norm, toks, '\0');
  for (const auto& tok : toks) {
    std::vector<mpq_class> x(spec.m(), mpq_class(0));
    if (spec.one_hot) {
      auto it = std::find(spec.alphabet.begin(), spec.alphabet.end(), tok.text);
      if (it == spec.alphabet.end())
        throw Error(fmt::format("--input: unknown symbol '{}' at column {}: the alphabet is {}", tok.text, tok.col,
                                fmt::join(spec.alphabet, " ")));
      x[static_cast<std::size_t>(it - spec.alphabet.begin())] = 1;
    } else {
      std::size_t i = 0, start = 0;
      std::string_view s = tok.text;
      for (;;) {
        std::size_t comma = s.find(',', start);
        std::string_view part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (i >= x.size())
          throw Error(fmt::format("--input: step '{}' has more than {} components", tok.text, x.size()));
        auto v = circuits::io::parse_number(part);
        if (!v) throw Error(fmt::format("--input: bad number '{}' in step '{}'", part, tok.text));
        x[i++] = *v;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      if (i != x.size())
        throw Error(fmt::format("--input: step '{}' has {} components, expected {}", tok.text, i, x.size()));
    }
    xs.push_back(std::move(x));
  }
  if (xs.empty()) throw Error("--input: empty input sequence");
  return xs;
}

CircuitInputs::CircuitInputs(const Spec& spec, const circuits::Circuit& c) : width_(spec.m()) {
  static const mpq_class kZero(0);
  std::unordered_map<std::string, const mpq_class*> params;
  if (spec.params_mode == ParamMode::Inputs)
    for (const ParamInfo& info : parameter_table(spec)) {
      if (info.permutation) continue;
      const Tensor& t = spec.param(info.key);
      for (std::size_t i = 0; i < t.size(); ++i) params[element_name(info.key, info.shape, i)] = &t.at(i);
    }
  sources_.resize(c.inputs().size());
  for (std::size_t k = 0; k < sources_.size(); ++k) {
    const std::string& name = c.input_name(k);
    unsigned long long t = 0, i = 0;
    int used = 0;
    Source& src = sources_[k];
    if (std::sscanf(name.c_str(), "x[%llu][%llu]%n", &t, &i, &used) == 2 && static_cast<std::size_t>(used) == name.size() &&
        t >= 1 && i < width_) {
      src.step = t;
      src.index = i;
    } else if (auto it = params.find(name); it != params.end()) {
      src.value = it->second;
    } else if (name.rfind("h0[", 0) == 0 || name.rfind("c0[", 0) == 0 || name.rfind("S0[", 0) == 0) {
      src.value = &kZero;
    } else {
      throw Error(fmt::format("input '{}' is not an input of spec '{}'", name, spec.name));
    }
  }
}

std::vector<mpq_class> CircuitInputs::values(const InputSequence& xs) const {
  std::vector<mpq_class> out(sources_.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const Source& src = sources_[k];
    if (src.value) {
      out[k] = *src.value;
    } else {
      if (src.step > xs.size() || src.index >= xs[src.step - 1].size())
        throw Error(fmt::format("input 'x[{}][{}]' is outside a sequence of {} steps of width {}", src.step, src.index,
                                xs.size(), width_));
      out[k] = xs[src.step - 1][src.index];
    }
  }
  return out;
}

InputSequence random_input_sequence(const Spec& spec, std::uint64_t T, SplitMix64& rng) {
  InputSequence xs(T, std::vector<mpq_class>(spec.m(), mpq_class(0)));
  for (auto& x : xs) {
    if (spec.one_hot)
      x[rng.below(spec.m())] = 1;
    else
      for (mpq_class& v : x) v = rng.dyadic(1);
  }
  return xs;
}

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
    if (!y.empty()) r.outputs.push_back(strings(y));
  });
  if (spec.accept) r.accept = dom.format(acc);
  return r;
}

}  // namespace

template <class D>
std::vector<std::vector<typename D::Value>> interpret_values(const Spec& spec, D& dom, const InputSequence& xs) {
  using V = typename D::Value;
  std::vector<std::vector<V>> ys;
  V acc = run_model(spec, dom, xs, [&](const std::vector<V>&, const std::vector<V>& y) {
    if (!y.empty()) ys.push_back(y);
  });
  if (spec.accept && !ys.empty()) ys.back().push_back(acc);
  return ys;
}

template std::vector<std::vector<double>> interpret_values(const Spec&, circuits::RealDomain&, const InputSequence&);
template std::vector<std::vector<mpq_class>> interpret_values(const Spec&, circuits::ExactDomain&, const InputSequence&);
template std::vector<std::vector<std::uint64_t>> interpret_values(const Spec&, circuits::ModpDomain&,
                                                                  const InputSequence&);

RunResult interpret(const Spec& spec, const InputSequence& xs, circuits::DomainKind domain, std::uint64_t modulus) {
  std::string why;
  if (!domain_allows(spec, domain, &why))
    throw Error(fmt::format("{} cannot run in the {} domain: {}", spec.name, circuits::domain_name(domain), why));
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
