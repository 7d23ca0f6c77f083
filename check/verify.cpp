#include "check/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "circuits/error.hpp"
#include "circuits/levelize.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interface.hpp"
#include "compiler/interpret.hpp"
#include "compiler/unroll.hpp"
#include "sim/instances.hpp"
#include "sim/precision.hpp"

namespace rnncc::check {

using circuits::DomainKind;

bool VerifyResult::ok() const {
  return std::all_of(stages.begin(), stages.end(), [](const StageCheck& s) { return s.ok(); });
}

namespace {

// A circuit of boolean kinds only (with at least one boolean gate): simulated in the bool
// domain whatever the verify domain, its outputs decoded into the values they carry.
bool is_boolean_circuit(const circuits::Circuit& c) {
  bool any = false;
  for (std::size_t g = 0; g < c.num_gates(); ++g) {
    const circuits::Op op = c.op(static_cast<circuits::GateId>(g));
    if (!circuits::is_boolean(op)) return false;
    any = any || !circuits::is_source(op);
  }
  return any;
}

template <class V>
std::string show(const V& v) {
  if constexpr (std::is_same_v<V, mpq_class>)
    return v.get_str();
  else if constexpr (std::is_same_v<V, double>)
    return fmt::format("{:.17g}", v);
  else
    return std::to_string(v);
}

// Simulated outputs of one stage, instance-major, with the keys of its outputs.
template <class V>
struct StageValues {
  std::vector<V> values;
  std::vector<std::string> names, keys;
  std::size_t outputs = 0;
};

template <class V>
class Verifier {
 public:
  Verifier(const compiler::Spec& spec, const VerifyOptions& o, const std::vector<compiler::InputSequence>& xs,
           const std::vector<std::vector<std::vector<V>>>& ys)
      : spec_(spec), o_(o), xs_(xs), ys_(ys) {}

  void check(StageCheck& s, const circuits::Circuit& c) {
    if (o_.progress) o_.progress(s.stage);
    const compiler::CircuitInputs inputs(spec_, c);
    const circuits::OutputLayout layout(c);
    const bool boolean = is_boolean_circuit(c);
    if ((!layout.trivial() || boolean) && !std::is_same_v<V, mpq_class>)
      throw Error(fmt::format("stage '{}' is {}: verify it in the exact domain (--domain exact)", s.stage,
                              boolean ? "a boolean circuit" : "an encoding of values in integers"));
    std::vector<std::vector<mpq_class>> in;
    in.reserve(xs_.size());
    for (const auto& x : xs_) in.push_back(inputs.values(x));
    std::vector<V> want;
    for (const auto& y : ys_) {
      std::vector<V> e = compiler::expected_values(spec_, layout, y);
      want.insert(want.end(), e.begin(), e.end());
    }
    sim::BatchOptions bo;
    bo.modulus = o_.modulus;
    bo.sim.threads = o_.threads;
    const DomainKind domain = boolean ? DomainKind::Bool : o_.domain;
    const bool measure = o_.precision && domain == DomainKind::Exact;
    sim::Precision precision;
    if (measure) bo.sim.precision = &precision;
    const sim::InstanceValues got =
        sim::simulate_instances(circuits::levelize(c, domain, {.gate_map = measure}), in, bo);
    if (measure) {
      s.precision_measured = true;
      s.precision_bits = precision.bits;
      s.precision_gate = precision.gate;
    }
    StageValues<V> cur;
    cur.outputs = layout.values().size();
    cur.values = decoded(got, layout);
    for (std::size_t v = 0; v < cur.outputs; ++v) {
      cur.names.push_back(layout.values()[v].name);
      cur.keys.push_back(layout.key(v));
    }
    compare_interpreter(s, cur, want);
    if (have_prev_) compare_previous(s, cur);
    prev_ = std::move(cur);
    have_prev_ = true;
  }

 private:
  // The values the outputs carry, instance-major.
  static std::vector<V> decoded(const sim::InstanceValues& v, const circuits::OutputLayout& layout) {
    if constexpr (std::is_same_v<V, mpq_class>) {
      std::vector<mpq_class> raw;
      if (v.domain == DomainKind::Bool)
        raw.assign(v.modp_or_bool.begin(), v.modp_or_bool.end());
      else
        raw = v.exact;
      if (layout.trivial()) return raw;
      std::vector<mpq_class> out;
      out.reserve(v.instances * layout.values().size());
      for (std::size_t k = 0; k < v.instances; ++k) {
        std::vector<mpq_class> d = layout.decode(raw.data() + k * v.outputs);
        for (auto& x : d) out.push_back(std::move(x));
      }
      return out;
    } else if constexpr (std::is_same_v<V, double>) {
      (void)layout;
      return v.real;
    } else {
      (void)layout;
      return v.modp_or_bool;
    }
  }

  // Equal in exact and modp; within the tolerance in real (NaN agrees with NaN).
  bool close(const V& x, const V& r, double* rel) const {
    if constexpr (std::is_same_v<V, double>) {
      const double err = std::abs(x - r) / std::max(1.0, std::abs(r));
      if (rel && !std::isnan(err)) *rel = std::max(*rel, err);
      return err <= o_.tol || (std::isnan(x) && std::isnan(r));
    } else {
      (void)rel;
      return x == r;
    }
  }

  void compare_interpreter(StageCheck& s, const StageValues<V>& cur, const std::vector<V>& want) {
    for (std::size_t i = 0; i < cur.values.size(); ++i) {
      if (close(cur.values[i], want[i], &s.max_rel_error)) continue;
      if (s.agrees_interpreter)
        s.first_mismatch = fmt::format("output {} of trial {}: the circuit gives {}, the interpreter {}",
                                       cur.names[i % cur.outputs], i / cur.outputs + 1, show(cur.values[i]), show(want[i]));
      s.agrees_interpreter = false;
    }
  }

  void compare_previous(StageCheck& s, const StageValues<V>& cur) {
    std::unordered_map<std::string, std::size_t> where;
    for (std::size_t j = 0; j < prev_.outputs; ++j) where.emplace(prev_.keys[j], j);
    for (std::size_t j = 0; j < cur.outputs && s.agrees_previous; ++j) {
      auto it = where.find(cur.keys[j]);
      if (it == where.end()) {
        s.agrees_previous = false;
        if (s.first_mismatch.empty())
          s.first_mismatch = fmt::format("output {} has no counterpart in the stage before", cur.names[j]);
        break;
      }
      for (std::size_t k = 0; k < xs_.size(); ++k) {
        const V& x = cur.values[k * cur.outputs + j];
        const V& y = prev_.values[k * prev_.outputs + it->second];
        if (close(x, y, nullptr)) continue;
        s.agrees_previous = false;
        if (s.first_mismatch.empty())
          s.first_mismatch = fmt::format("output {} of trial {}: the circuit gives {}, the stage before {}", cur.names[j],
                                         k + 1, show(x), show(y));
        break;
      }
    }
  }

  const compiler::Spec& spec_;
  const VerifyOptions& o_;
  const std::vector<compiler::InputSequence>& xs_;
  const std::vector<std::vector<std::vector<V>>>& ys_;
  StageValues<V> prev_;
  bool have_prev_ = false;
};

template <class D>
VerifyResult run(const compiler::Spec& spec, const compiler::Script& script, const VerifyOptions& o, D& dom) {
  using V = typename D::Value;
  compiler::SplitMix64 rng(o.seed);
  std::vector<compiler::InputSequence> xs;
  std::vector<std::vector<std::vector<V>>> ys;
  for (std::size_t k = 0; k < o.trials; ++k) {
    xs.push_back(compiler::random_input_sequence(spec, o.T, rng));
    ys.push_back(compiler::interpret_values(spec, dom, xs.back()));
  }
  Verifier<V> verifier(spec, o, xs, ys);
  VerifyResult r;
  circuits::Circuit naive = o.circuit ? *o.circuit : compiler::unroll(spec, o.T);
  const circuits::Measures m = circuits::measure(naive, {.not_free = o.not_free, .critical_path = false});
  StageCheck first;
  first.stage = o.circuit ? o.circuit_label : "naive";
  first.size = m.size;
  first.depth = m.depth;
  verifier.check(first, naive);
  r.stages.push_back(std::move(first));
  compiler::PipelineOptions po;
  po.not_free = o.not_free;
  po.on_stage = [&](const compiler::PassRecord& rec, const circuits::Circuit& c) {
    StageCheck s;
    s.stage = rec.invocation;
    s.pass = rec.pass;
    s.size = rec.size_after;
    s.depth = rec.depth_after;
    s.refusal = rec.refusal;
    if (!rec.refused()) verifier.check(s, c);  // a refusal leaves the circuit as it was
    r.stages.push_back(std::move(s));
  };
  r.records = compiler::run_script(std::move(naive), script, po).records;
  return r;
}

}  // namespace

VerifyResult verify_script(const compiler::Spec& spec, const compiler::Script& script, const VerifyOptions& o) {
  if (o.trials == 0) throw Error("verify: give at least 1 trial");
  compiler::check_domain(spec, o.domain);
  switch (o.domain) {
    case DomainKind::Real: {
      circuits::RealDomain dom;
      return run(spec, script, o, dom);
    }
    case DomainKind::Exact: {
      circuits::ExactDomain dom;
      return run(spec, script, o, dom);
    }
    case DomainKind::Modp: {
      compiler::check_modulus(spec, o.modulus);
      circuits::ModpDomain dom(o.modulus);
      return run(spec, script, o, dom);
    }
    default:
      throw Error(fmt::format("{}: specs run in the real, exact or modp domain, not {}", spec.path,
                              circuits::domain_name(o.domain)));
  }
}

}  // namespace rnncc::check
