// The unroller against the reference interpreter on every example spec, in every domain the
// models.md table allows for it: circuit outputs and step states, input/output names, step
// metadata, origins, rejected domains, naive depth linear in T, determinism, and input parsing.
#include <fmt/format.h>
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/spec.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "tests/compiler/model_support.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Circuit;
using circuits::DomainKind;
using circuits::ExactDomain;
using circuits::GateId;
using circuits::ModpDomain;
using circuits::RealDomain;
using Q = mpq_class;

// Which domains models.md allows: linear kinds everywhere, relu/sign not in modp, the
// tanh/sigmoid kinds only in real.
enum class Family { Linear, Ordered, RealOnly };

struct Example {
  std::string file;  // stem under examples/specs/
  Family family;
};

const std::vector<Example>& examples() {
  static const std::vector<Example> kExamples = {
      {"deltanet", Family::Linear},     {"dense", Family::Linear},
      {"diagonal", Family::Linear},     {"dplr", Family::Linear},
      {"elman_relu", Family::Ordered},  {"elman_sign", Family::Ordered},
      {"elman_tanh", Family::RealOnly}, {"gru", Family::RealOnly},
      {"lstm", Family::RealOnly},       {"pd", Family::Linear},
      {"pd_maps", Family::Linear},      {"rwkv7", Family::Linear},
      {"mlp", Family::Ordered},         {"switched", Family::Ordered}};
  return kExamples;
}

bool family_allows(Family f, DomainKind d) {
  switch (d) {
    case DomainKind::Real:
      return true;
    case DomainKind::Exact:
      return f != Family::RealOnly;
    case DomainKind::Modp:
      return f == Family::Linear;
    case DomainKind::Bool:
      return false;
  }
  return false;
}

struct DomainCase {
  DomainKind kind;
  std::uint64_t modulus;
  std::string label;
};

std::vector<DomainCase> allowed_domains(Family f) {
  std::vector<DomainCase> out = {{DomainKind::Real, 0, "real"}};
  if (family_allows(f, DomainKind::Exact)) out.push_back({DomainKind::Exact, 0, "exact"});
  if (family_allows(f, DomainKind::Modp)) {
    out.push_back({DomainKind::Modp, circuits::kDefaultModulus, "modp"});
    out.push_back({DomainKind::Modp, 1000003, "modp1000003"});
  }
  return out;
}

using test::random_symbols;
using test::read_text;
using test::read_value;
using test::with_state_outputs;
std::string example_path(const std::string& file) { return test::example_spec_path(file); }

// The example's text with `from` replaced by `to` (which must occur).
std::string edited(const std::string& file, const std::string& from, const std::string& to) {
  return test::edited_example(file, from, to);
}

// The example with outputs = "final" (and acceptance unless in modp, which has no order).
Spec final_variant(const std::string& file, bool accept) {
  std::string to = "outputs = \"final\"";
  if (accept) to += "\naccept = true";
  return parse_spec(edited(file, "outputs = \"all\"", to), example_path(file));
}

// Real input vectors: dyadic components k/8, k in [-8, 8].
InputSequence random_reals(std::size_t m, std::uint64_t T, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(-8, 8);
  InputSequence xs;
  for (std::uint64_t t = 0; t < T; ++t) {
    std::vector<Q> x(m);
    for (Q& v : x) v = Q(pick(rng)) / 8;
    xs.push_back(x);
  }
  return xs;
}

InputSequence random_inputs(const Spec& s, std::uint64_t T, std::mt19937_64& rng) {
  return s.one_hot ? random_symbols(s.m(), T, rng) : random_reals(s.m(), T, rng);
}

// ---- comparing values of a domain ----

::testing::AssertionResult same(double a, double b) {
  if (a == b || std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << fmt::format("{} vs {}", a, b);
}
::testing::AssertionResult same(const Q& a, const Q& b) {
  if (a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a.get_str() << " vs " << b.get_str();
}
::testing::AssertionResult same(std::uint64_t a, std::uint64_t b) {
  if (a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << b;
}

std::string idx(std::uint64_t t, std::size_t i) {
  return fmt::format("[{}][{}]", t, i);
}

// ---- names, steps, origins ----

void check_names(const Spec& s, const Circuit& c, std::uint64_t T) {
  const std::size_t m = s.m(), w = s.output_width();
  ASSERT_EQ(c.inputs().size(), T * m);
  for (std::uint64_t t = 1; t <= T; ++t)
    for (std::size_t i = 0; i < m; ++i) EXPECT_EQ(c.input_name((t - 1) * m + i), "x" + idx(t, i));
  std::vector<std::string> want;
  if (s.outputs == OutputMode::All) {
    for (std::uint64_t t = 1; t <= T; ++t)
      for (std::size_t i = 0; i < w; ++i) want.push_back("y" + idx(t, i));
  } else {
    for (std::size_t i = 0; i < w; ++i) want.push_back(fmt::format("y[{}]", i));
    if (s.accept) want.push_back("accept");
  }
  ASSERT_EQ(c.outputs().size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_EQ(c.outputs()[k].name, want[k]);
}

void check_steps(const Spec& s, const Circuit& c, std::uint64_t T) {
  ASSERT_EQ(c.steps().size(), T + 1);
  for (std::uint64_t t = 0; t <= T; ++t) {
    EXPECT_EQ(c.steps()[t].step, t);
    EXPECT_EQ(c.steps()[t].gates.size(), s.state_size()) << "step " << t;
    for (GateId g : c.steps()[t].gates) EXPECT_LT(g, c.num_gates());
  }
}

// The construct that computes the state at step i of the state vector.
std::string state_construct(const Spec& s, std::size_t i) {
  if (has_matrix_state(s.kind)) return "S";
  if (s.kind == Kind::Lstm) return i < s.d ? "h" : "c";
  return "h";
}

void check_origins(const Spec& s, const Circuit& c, std::uint64_t T) {
  const std::string kind(kind_name(s.kind));
  const std::string prefix = kind + ".";
  std::string bad_prefix, bad_order, bad_operand;
  std::uint32_t latest = 0;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const circuits::Origin& o = c.origin(g);
    if (bad_prefix.empty() && (o.construct.rfind(prefix, 0) != 0 || o.construct == prefix))
      bad_prefix = fmt::format("gate {}: '{}'", g, o.construct);
    if (bad_order.empty() && (o.step < latest || o.step > T))
      bad_order = fmt::format("gate {} of step {} after a gate of step {}", g, o.step, latest);
    latest = std::max(latest, o.step);
    const int n = circuits::arity(c.op(g));
    for (int k = 0; k < n && bad_operand.empty(); ++k) {
      const GateId operand = k == 0 ? c.a(g) : c.b(g);
      if (c.origin(operand).step > o.step)
        bad_operand = fmt::format("gate {} (step {}) reads gate {} (step {})", g, o.step, operand,
                                  c.origin(operand).step);
    }
  }
  EXPECT_EQ(bad_prefix, "") << "every origin is <kind>.<construct>";
  EXPECT_EQ(bad_order, "") << "origin steps grow with gate ids, up to T";
  EXPECT_EQ(bad_operand, "") << "no gate reads a later step";

  for (std::size_t i = 0; i < c.inputs().size(); ++i) {
    const circuits::Origin& o = c.origin(c.inputs()[i]);
    const std::string& name = c.input_name(i);
    if (name.rfind("x[", 0) != 0) continue;
    const std::uint32_t t = static_cast<std::uint32_t>(std::stoul(name.substr(2)));
    EXPECT_EQ(o, (circuits::Origin{kind + ".x", t})) << name;
  }
  for (std::uint32_t t = 1; t <= T; ++t) {
    const auto& gates = c.steps()[t].gates;
    for (std::size_t i = 0; i < gates.size(); ++i) {
      const circuits::Origin& o = c.origin(gates[i]);
      EXPECT_EQ(o.step, t) << "state " << i << " of step " << t << ": " << o.construct;
      // From step 2 on, the state is a fresh update (at step 1 a zero h_0 folds it away).
      if (t >= 2) {
        EXPECT_EQ(o.construct, prefix + state_construct(s, i)) << "step " << t;
      }
    }
  }
  for (const circuits::Output& out : c.outputs()) {
    const circuits::Origin& o = c.origin(out.gate);
    if (out.name == "accept") {
      EXPECT_EQ(o, (circuits::Origin{kind + ".accept", static_cast<std::uint32_t>(T)}));
      continue;
    }
    std::uint32_t t = static_cast<std::uint32_t>(T);
    if (s.outputs == OutputMode::All)
      t = static_cast<std::uint32_t>(std::stoul(out.name.substr(2)));
    EXPECT_EQ(o, (circuits::Origin{kind + ".y", t})) << out.name;
  }
}

// Evaluates unroll(s, T) on random sequences and compares outputs with interpret_values and the
// recorded step states with interpret()'s states.
template <class D>
void check_against_interpreter(const Spec& s, D& dom, std::uint64_t modulus, std::uint64_t T,
                               std::mt19937_64& rng) {
  using V = typename D::Value;
  const Circuit c = unroll(s, T);
  check_names(s, c, T);
  check_steps(s, c, T);
  check_origins(s, c, T);
  if (::testing::Test::HasFatalFailure()) return;
  const Circuit cs = with_state_outputs(c);
  const std::size_t n_out = c.outputs().size();
  ASSERT_EQ(cs.outputs().size(), n_out + (T + 1) * s.state_size());

  for (int trial = 0; trial < 5; ++trial) {
    const InputSequence xs = random_inputs(s, T, rng);
    std::vector<V> in;
    for (const auto& x : xs)
      for (const Q& v : x) in.push_back(dom.constant(v));
    const std::vector<V> got = circuits::evaluate(cs, dom, in);

    const auto ys = interpret_values(s, dom, xs);
    ASSERT_EQ(ys.size(), T);
    std::vector<V> want;
    if (s.outputs == OutputMode::All) {
      for (const auto& y : ys) want.insert(want.end(), y.begin(), y.end());
    } else {
      want = ys.back();
    }
    ASSERT_EQ(want.size(), n_out);
    for (std::size_t k = 0; k < n_out; ++k)
      EXPECT_TRUE(same(got[k], want[k])) << "T = " << T << ", output " << c.outputs()[k].name;

    const RunResult run = interpret(s, xs, D::kind, modulus);
    ASSERT_EQ(run.states.size(), T + 1);
    std::size_t k = n_out;
    for (std::uint64_t t = 0; t <= T; ++t) {
      ASSERT_EQ(run.states[t].size(), s.state_size());
      for (std::size_t i = 0; i < s.state_size(); ++i, ++k)
        EXPECT_TRUE(same(got[k], read_value(dom, run.states[t][i])))
            << "T = " << T << ", state" << idx(t, i);
    }
  }
}

// ---- every example in every allowed domain ----

class UnrollExample : public ::testing::TestWithParam<std::pair<Example, DomainCase>> {};

std::vector<std::pair<Example, DomainCase>> example_domain_pairs() {
  std::vector<std::pair<Example, DomainCase>> out;
  for (const Example& e : examples())
    for (const DomainCase& d : allowed_domains(e.family)) out.emplace_back(e, d);
  return out;
}

TEST_P(UnrollExample, MatchesInterpreter) {
  const auto& [ex, dc] = GetParam();
  const Spec spec = load_spec(example_path(ex.file));
  ASSERT_EQ(spec.outputs, OutputMode::All);
  ASSERT_TRUE(domain_allows(spec, dc.kind));
  const std::vector<Spec> variants = {spec, final_variant(ex.file, dc.kind != DomainKind::Modp)};
  std::mt19937_64 rng(0x5eed + dc.modulus);
  for (const Spec& s : variants) {
    SCOPED_TRACE(s.outputs == OutputMode::All ? "outputs = all" : "outputs = final");
    for (std::uint64_t T : {1, 5}) {
      switch (dc.kind) {
        case DomainKind::Real: {
          RealDomain dom;
          check_against_interpreter(s, dom, 0, T, rng);
          break;
        }
        case DomainKind::Exact: {
          ExactDomain dom;
          check_against_interpreter(s, dom, 0, T, rng);
          break;
        }
        default: {
          EXPECT_NO_THROW(check_modulus(s, dc.modulus));
          ModpDomain dom(dc.modulus);
          check_against_interpreter(s, dom, dc.modulus, T, rng);
          break;
        }
      }
      if (HasFatalFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, UnrollExample, ::testing::ValuesIn(example_domain_pairs()),
                         [](const ::testing::TestParamInfo<std::pair<Example, DomainCase>>& p) {
                           return p.param.first.file + "_" + p.param.second.label;
                         });

TEST(UnrollExamples, ListCoversEveryExampleSpec) {
  std::set<std::string> on_disk, listed;
  for (const auto& entry :
       std::filesystem::directory_iterator(test::source_dir() + "/examples/specs"))
    if (entry.path().extension() == ".toml") on_disk.insert(entry.path().stem().string());
  for (const Example& e : examples()) listed.insert(e.file);
  // Task specs with inline parameters and their own outputs (no "outputs = \"all\"" to vary):
  // tests/passes/test_finite_specs.cpp checks them against oracles and verifies their lowerings.
  for (const char* task : {"s5", "imm3"}) listed.insert(task);
  EXPECT_EQ(on_disk, listed);
}

// Real-input specs (input_width instead of an alphabet): the same comparison with random
// dyadic input vectors.
TEST(UnrollRealInputs, MatchInterpreter) {
  const std::vector<std::pair<std::string, std::vector<DomainKind>>> specs = {
      {"kind = \"dense\"\nd = 3\ninput_width = 2\n",
       {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}},
      {"kind = \"deltanet\"\nd_k = 3\nd_v = 2\ninput_width = 2\n",
       {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}},
      {"kind = \"rwkv7\"\nd_k = 2\nd_v = 3\ninput_width = 3\n",
       {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}},
      {"kind = \"dplr\"\nd = 3\nd_out = 2\ninput_width = 2\noutputs = \"final\"\n",
       {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}},
      {"kind = \"elman\"\nactivation = \"relu\"\nd = 3\ninput_width = 2\n", {DomainKind::Exact}},
      {"kind = \"lstm\"\nd = 2\ninput_width = 3\n", {DomainKind::Real}},
      {"kind = \"gru\"\nd = 3\ninput_width = 2\n", {DomainKind::Real}},
      {"kind = \"mlp\"\nd = 3\nhidden = 4\ninput_width = 2\n", {DomainKind::Real, DomainKind::Exact}},
      {"kind = \"switched\"\nd = 3\ninput_width = 2\n", {DomainKind::Real, DomainKind::Exact}}};
  std::mt19937_64 rng(7);
  for (const auto& [head, domains] : specs) {
    SCOPED_TRACE(head);
    const Spec s = parse_spec(head + "[init]\nseed = 21\nscale = \"1/2\"\n", "real.toml");
    ASSERT_FALSE(s.one_hot);
    for (DomainKind d : domains) {
      SCOPED_TRACE(circuits::domain_name(d));
      if (d == DomainKind::Real) {
        RealDomain dom;
        check_against_interpreter(s, dom, 0, 4, rng);
      } else if (d == DomainKind::Exact) {
        ExactDomain dom;
        check_against_interpreter(s, dom, 0, 4, rng);
      } else {
        ModpDomain dom(1000003);
        check_against_interpreter(s, dom, 1000003, 4, rng);
      }
    }
  }
}

TEST(UnrollErrors, ZeroStepsIsAnError) {
  EXPECT_THROW(unroll(load_spec(example_path("diagonal")), 0), Error);
}

// ---- parameters and initial state as circuit inputs ----

struct Key {
  std::string name;
  std::vector<std::size_t> shape;
};

// docs/spec.md's parameter tables (every example has bias = true and no accept), without pd's
// structural P, which stays constant.
std::vector<Key> documented_input_keys(const Spec& s) {
  const std::size_t d = s.d, m = s.m(), p = s.d_out, dk = s.d_k, dv = s.d_v;
  std::vector<Key> k;
  auto gate = [&](const std::string& g) {
    k.push_back({"W_" + g, {d, m}});
    k.push_back({"U_" + g, {d, d}});
    k.push_back({"b_" + g, {d}});
  };
  auto readout = [&] {
    k.push_back({"W_y", {p, d}});
    k.push_back({"c_y", {p}});
  };
  switch (s.kind) {
    case Kind::Elman:
      k = {{"W", {d, d}}, {"U", {d, m}}, {"c", {d}}};
      readout();
      break;
    case Kind::Lstm:
      for (const char* g : {"i", "f", "g", "o"}) gate(g);
      readout();
      break;
    case Kind::Gru:
      gate("r");
      gate("z");
      k.push_back({"W_n", {d, m}});
      k.push_back({"U_n", {d, d}});
      k.push_back({"b_n", {d}});
      k.push_back({"b_hn", {d}});
      readout();
      break;
    case Kind::Diagonal:
      k = {{"W_a", {d, m}}, {"c_a", {d}}, {"W_b", {d, m}}, {"c_b", {d}}};
      readout();
      break;
    case Kind::Dense:
      k = {{"A", {m + 1, d, d}}, {"W_b", {d, m}}, {"c_b", {d}}};
      readout();
      break;
    case Kind::Pd:
      k = {{"delta", {m, d}}, {"W_b", {d, m}}, {"c_b", {d}}};
      readout();
      break;
    case Kind::Dplr:
      for (const char* v : {"w", "u", "v", "b"}) {
        k.push_back({std::string("W_") + v, {d, m}});
        k.push_back({std::string("c_") + v, {d}});
      }
      readout();
      break;
    case Kind::Deltanet:
      k = {{"W_k", {dk, m}}, {"W_v", {dv, m}}, {"w_beta", {m}}, {"c_beta", {}}, {"W_q", {dk, m}}};
      break;
    case Kind::Mlp:
      k = {{"W1", {s.hidden, d}}, {"U1", {s.hidden, m}}, {"b1", {s.hidden}}, {"W2", {d, s.hidden}}, {"b2", {d}}};
      readout();
      break;
    case Kind::Switched:
      k = {{"A", {m, d, d}}, {"b", {m, d}}};
      readout();
      break;
    case Kind::Rwkv7:
      k = {{"W_w", {dk, m}}, {"c_w", {dk}}, {"W_kappa", {dk, m}}, {"c_kappa", {dk}},
           {"W_a", {dk, m}}, {"c_a", {dk}}, {"W_lambda", {m}},    {"c_lambda", {}},
           {"W_v", {dv, m}}, {"c_v", {dv}}, {"W_kt", {dk, m}},    {"c_kt", {dk}},
           {"W_q", {dk, m}}};
      break;
  }
  return k;
}

// Row-major element names of a tensor: KEY, KEY[i], KEY[i][j], KEY[i][j][k].
std::vector<std::string> element_names(const Key& key) {
  std::vector<std::string> names = {key.name};
  for (std::size_t n : key.shape) {
    std::vector<std::string> next;
    for (const std::string& prefix : names)
      for (std::size_t i = 0; i < n; ++i) next.push_back(fmt::format("{}[{}]", prefix, i));
    names = std::move(next);
  }
  return names;
}

template <class D>
void check_inputs_variant(const Example& ex, D& dom) {
  using V = typename D::Value;
  const std::string text = read_text(example_path(ex.file));
  const Spec s =
      parse_spec("params = \"inputs\"\ninitial_state = \"inputs\"\n" + text, example_path(ex.file));
  constexpr std::uint64_t T = 3;
  const Circuit c = unroll(s, T);

  // Initial values k/4, k in [-4, 4], written into a constants variant of the same spec.
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> pick(-4, 4);
  std::vector<Q> h0(s.state_size());
  for (Q& v : h0) v = Q(pick(rng)) / 4;
  std::vector<std::string> state_names;
  std::string literal;
  auto row = [&](std::size_t from, std::size_t n) {
    std::vector<std::string> items;
    for (std::size_t i = from; i < from + n; ++i) items.push_back('"' + h0[i].get_str() + '"');
    return "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
  };
  if (has_matrix_state(s.kind)) {
    std::vector<std::string> rows;
    for (std::size_t r = 0; r < s.d_v; ++r) {
      rows.push_back(row(r * s.d_k, s.d_k));
      for (std::size_t col = 0; col < s.d_k; ++col) state_names.push_back("S0" + idx(r, col));
    }
    literal = "[" + fmt::format("{}", fmt::join(rows, ", ")) + "]";
  } else if (s.kind == Kind::Lstm) {
    literal = "[" + row(0, s.d) + ", " + row(s.d, s.d) + "]";
    for (const char* base : {"h0", "c0"})
      for (std::size_t i = 0; i < s.d; ++i) state_names.push_back(fmt::format("{}[{}]", base, i));
  } else {
    literal = row(0, s.d);
    for (std::size_t i = 0; i < s.d; ++i) state_names.push_back(fmt::format("h0[{}]", i));
  }
  const Spec constants = parse_spec("initial_state = " + literal + "\n" + text, "constants.toml");
  ASSERT_EQ(constants.initial, InitialState::Constants);

  std::vector<std::string> names;
  std::vector<V> in;
  for (const Key& key : documented_input_keys(s)) {
    const std::vector<std::string> keys = element_names(key);
    names.insert(names.end(), keys.begin(), keys.end());
    ASSERT_EQ(s.param(key.name).size(), keys.size()) << key.name;
    for (const Q& v : s.param(key.name).values) in.push_back(dom.constant(v));
  }
  names.insert(names.end(), state_names.begin(), state_names.end());
  for (const Q& v : h0) in.push_back(dom.constant(v));
  const InputSequence xs = random_symbols(s.m(), T, rng);
  for (std::uint64_t t = 1; t <= T; ++t)
    for (std::size_t i = 0; i < s.m(); ++i) {
      names.push_back("x" + idx(t, i));
      in.push_back(dom.constant(xs[t - 1][i]));
    }
  ASSERT_EQ(c.inputs().size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(c.input_name(i), names[i]);
  check_origins(s, c, T);

  const std::vector<V> got = circuits::evaluate(c, dom, in);
  const auto ys = interpret_values(constants, dom, xs);
  std::size_t k = 0;
  for (const auto& y : ys)
    for (const V& v : y) {
      ASSERT_LT(k, got.size());
      EXPECT_TRUE(same(got[k], v)) << c.outputs()[k].name;
      ++k;
    }
  EXPECT_EQ(k, got.size());
}

TEST(UnrollInputs, ParamsAndInitialStateAsInputsForEveryExample) {
  for (const Example& ex : examples()) {
    SCOPED_TRACE(ex.file);
    if (ex.family == Family::RealOnly) {
      RealDomain dom;
      check_inputs_variant(ex, dom);
    } else {
      ExactDomain dom;
      check_inputs_variant(ex, dom);
    }
  }
}

// ---- rejected domains ----

TEST(UnrollDomains, DisallowedPairsAreRejectedNamingTheDomain) {
  for (const Example& ex : examples()) {
    const Spec spec = load_spec(example_path(ex.file));
    std::mt19937_64 rng(1);
    const InputSequence xs = random_symbols(spec.m(), 2, rng);
    for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp, DomainKind::Bool}) {
      const std::string name(circuits::domain_name(d));
      SCOPED_TRACE(ex.file + " in " + name);
      std::string why;
      const bool allowed = family_allows(ex.family, d);
      EXPECT_EQ(domain_allows(spec, d, &why), allowed);
      if (allowed) {
        EXPECT_EQ(interpret(spec, xs, d, circuits::kDefaultModulus).outputs.size(), 2u);
        continue;
      }
      EXPECT_FALSE(why.empty());
      try {
        interpret(spec, xs, d, circuits::kDefaultModulus);
        ADD_FAILURE() << "interpret accepted a disallowed domain";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      }
    }
  }
}

TEST(UnrollDomains, AcceptanceIsRejectedInModp) {
  for (const Example& ex : examples()) {
    if (ex.family == Family::RealOnly) continue;
    SCOPED_TRACE(ex.file);
    const Spec s = final_variant(ex.file, true);
    std::mt19937_64 rng(2);
    const InputSequence xs = random_symbols(s.m(), 3, rng);
    std::string why;
    EXPECT_TRUE(domain_allows(s, DomainKind::Exact));
    EXPECT_FALSE(domain_allows(s, DomainKind::Modp, &why));
    // relu and sign are refused in modp anyway; for linear kinds acceptance is the reason.
    if (ex.family == Family::Linear) {
      EXPECT_NE(why.find("accept"), std::string::npos) << why;
    }
    try {
      interpret(s, xs, DomainKind::Modp, circuits::kDefaultModulus);
      ADD_FAILURE() << "interpret accepted acceptance in modp";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("modp"), std::string::npos) << e.what();
    }
    // The exact interpreter gives 0 or 1, appended to y_T.
    const RunResult r = interpret(s, xs, DomainKind::Exact, 0);
    EXPECT_TRUE(r.accept == "0" || r.accept == "1") << r.accept;
  }
}

TEST(UnrollDomains, SpecFilesNamingADisallowedDomainAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {{"elman_relu", "modp"},
                                                                  {"elman_sign", "modp"},
                                                                  {"elman_tanh", "exact"},
                                                                  {"lstm", "exact"},
                                                                  {"gru", "modp"},
                                                                  {"mlp", "modp"},
                                                                  {"switched", "modp"}};
  for (const auto& [file, domain] : cases) {
    const std::string text = read_text(example_path(file));
    const std::size_t at = text.find("domain = \"");
    ASSERT_NE(at, std::string::npos) << file;
    std::string bad = text;
    bad.replace(at, text.find('\n', at) - at, "domain = \"" + domain + "\"");
    try {
      parse_spec(bad, file + ".toml");
      ADD_FAILURE() << file << " accepted in " << domain;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(domain), std::string::npos) << e.what();
    }
  }
}

// ---- naive depth is linear in T ----

TEST(UnrollDepth, NaiveDepthIsLinearInT) {
  for (const Example& ex : examples()) {
    SCOPED_TRACE(ex.file);
    const Spec s = load_spec(example_path(ex.file));
    std::map<std::uint64_t, std::int64_t> depth;
    for (std::uint64_t T = 8; T <= 256; T *= 2)
      depth[T] = circuits::measure(unroll(s, T), {false, false}).depth;
    for (std::uint64_t T : {16, 32, 64, 128}) {
      const std::int64_t up = depth[2 * T] - depth[T], down = depth[T] - depth[T / 2];
      EXPECT_GT(up, 0) << "T = " << T;
      EXPECT_EQ(up, 2 * down) << "D(" << T / 2 << ") = " << depth[T / 2] << ", D(" << T
                              << ") = " << depth[T] << ", D(" << 2 * T << ") = " << depth[2 * T];
    }
  }
}

// ---- determinism ----

TEST(UnrollDeterminism, SameSeedSameCircuitOtherSeedOtherCircuit) {
  for (const Example& ex : examples()) {
    SCOPED_TRACE(ex.file);
    const std::string path = example_path(ex.file);
    const Spec a = load_spec(path), b = load_spec(path);
    const std::string rc = circuits::io::write_rc(unroll(a, 5));
    EXPECT_EQ(rc, circuits::io::write_rc(unroll(b, 5)));
    EXPECT_EQ(rc, circuits::io::write_rc(unroll(a, 5)));

    ASSERT_TRUE(a.seed.has_value());
    const std::string text = read_text(path);
    const std::string from = fmt::format("seed = {}", *a.seed);
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    std::string other = text;
    other.replace(at, from.size(), fmt::format("seed = {}", *a.seed + 1000));
    const Spec c = parse_spec(other, path);
    EXPECT_EQ(c.name, a.name);
    EXPECT_NE(rc, circuits::io::write_rc(unroll(c, 5)));
  }
}

// ---- parse_input_sequence ----

TEST(ParseInputSequence, SymbolsAreOneHot) {
  const Spec s = load_spec(example_path("diagonal"));  // alphabet a b c d
  const InputSequence xs = parse_input_sequence(s, "a b a  c\td\n");
  const std::vector<std::vector<int>> want = {
      {1, 0, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  ASSERT_EQ(xs.size(), want.size());
  for (std::size_t t = 0; t < want.size(); ++t) {
    ASSERT_EQ(xs[t].size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(xs[t][i], want[t][i]) << t << "," << i;
  }
}

TEST(ParseInputSequence, UnknownSymbolIsAnErrorNamingIt) {
  const Spec s = load_spec(example_path("diagonal"));
  try {
    parse_input_sequence(s, "a b zz c");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'zz'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_input_sequence(s, "   "), Error);
}

TEST(ParseInputSequence, RealVectors) {
  const Spec s = parse_spec(R"(
kind = "diagonal"
d = 1
input_width = 2
[parameters]
W_a = [[1, 0]]
c_a = [0]
W_b = [[0, 1]]
c_b = [0]
W_y = [[1]]
c_y = [0]
)",
                            "real.toml");
  const std::vector<std::vector<Q>> want = {{Q(1) / 2, 0}, {-1, Q(1) / 4}};
  EXPECT_EQ(parse_input_sequence(s, "1/2,0 -1,0.25"), want);
  EXPECT_EQ(parse_input_sequence(s, "1/2,0;-1,0.25"), want);
  EXPECT_EQ(parse_input_sequence(s, "0.5,0\n-1,1/4"), want);
  EXPECT_THROW(parse_input_sequence(s, "1,2,3"), Error);  // too many components
  EXPECT_THROW(parse_input_sequence(s, "1"), Error);      // too few
  EXPECT_THROW(parse_input_sequence(s, "1,x"), Error);    // not a number
  EXPECT_THROW(parse_input_sequence(s, "1/0,1"), Error);  // zero denominator
  EXPECT_THROW(parse_input_sequence(s, ""), Error);       // empty
}

}  // namespace
}  // namespace rnncc::compiler
