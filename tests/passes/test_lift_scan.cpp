// lift-scan against independent references: the naive unrolled circuit and the reference
// interpreter (outputs and step states, exact and mod p, every linear example spec, every prefix
// network, outputs "all" and "final"); variants of the specs (initial states, parameters as
// inputs, real inputs, rectangular matrix states) against the naive circuit on random values of
// every input; the schedule's depth and size from prefix.hpp; depths worked out by hand from the
// spec shapes and the combines of docs/models.md, and a level recurrence over the schedule; an
// independent search for the first non-affine gate on the state path of the nonlinear
// examples; circuits without step metadata; and a diagonal recurrence of 4096 steps.
#include "compiler/passes/lift_scan.hpp"

#include <gmpxx.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/passes/prefix.hpp"
#include "compiler/spec.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "tests/compiler/model_support.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::Circuit;
using circuits::ExactDomain;
using circuits::GateId;
using circuits::ModpDomain;
using circuits::Op;
using Q = mpq_class;

// ---- specs ----

using test::example_spec_path;
using test::random_symbols;
using test::read_text;
using test::read_value;
using test::with_state_outputs;

// The example's text with its `outputs = "all"` line replaced by `lines`.
std::string example_text(const std::string& stem, const std::string& lines) {
  return test::edited_example(stem, "outputs = \"all\"", lines);
}

// The example spec, or its text with `outputs = "final"` substituted for `outputs = "all"`.
Spec example(const std::string& stem, OutputMode mode = OutputMode::All) {
  const std::string text = mode == OutputMode::Final ? example_text(stem, "outputs = \"final\"")
                                                     : read_text(example_spec_path(stem));
  Spec s = parse_spec(text, example_spec_path(stem));
  if (s.outputs != mode) throw Error("example " + stem + " has the wrong outputs mode");
  return s;
}

const std::vector<std::string>& linear_examples() {
  static const std::vector<std::string> kLinear = {"diagonal", "dense",    "pd",
                                                   "dplr",     "deltanet", "rwkv7"};
  return kLinear;
}

LiftScanParams params_for(const Spec& s, PrefixNetwork net) {
  LiftScanParams p;
  p.network = net;
  if (has_matrix_state(s.kind)) p.matrix_shape = std::make_pair(s.d_v, s.d_k);
  return p;
}

std::uint32_t ceil_log2(std::uint64_t n) {
  std::uint32_t k = 0;
  while ((std::uint64_t{1} << k) < n) ++k;
  return k;
}

// docs/models.md, "Combining affine maps".
std::string expected_combine(Kind k) {
  switch (k) {
    case Kind::Diagonal:
      return "diagonal";
    case Kind::Deltanet:
    case Kind::Rwkv7:
      return "row";
    default:
      return "dense";
  }
}

// Depth of one combine (docs/models.md): 2 for diagonal maps; 1 + ceil(log2(d + 1)) for dense
// ones (the b part sums d products and b_l); 1 + ceil(log2(d_k + 1)) in the row convention.
std::uint32_t combine_depth(const Spec& s) {
  if (s.kind == Kind::Diagonal) return 2;
  if (has_matrix_state(s.kind)) return 1 + ceil_log2(s.d_k + 1);
  return 1 + ceil_log2(s.d + 1);
}

// ---- inputs and values ----

template <class D>
std::vector<typename D::Value> input_values(D& dom, const InputSequence& xs) {
  std::vector<typename D::Value> in;
  for (const auto& x : xs)
    for (const Q& v : x) in.push_back(dom.constant(v));
  return in;
}

std::string show(const Q& v) {
  return v.get_str();
}
std::string show(std::uint64_t v) {
  return std::to_string(v);
}

std::string state_name(std::uint32_t t, std::size_t i) {
  return "state[" + std::to_string(t) + "][" + std::to_string(i) + "]";
}

std::uint32_t depth_of(const Circuit& c) {
  return circuits::measure(c, {.not_free = false, .critical_path = false}).depth;
}

// ---- 1. equivalence ----

void expect_same_interface(const Circuit& naive, const Circuit& scanned) {
  ASSERT_EQ(scanned.inputs().size(), naive.inputs().size());
  for (std::size_t i = 0; i < naive.inputs().size(); ++i)
    EXPECT_EQ(scanned.input_name(i), naive.input_name(i)) << "input " << i;
  ASSERT_EQ(scanned.outputs().size(), naive.outputs().size());
  for (std::size_t k = 0; k < naive.outputs().size(); ++k)
    EXPECT_EQ(scanned.outputs()[k].name, naive.outputs()[k].name) << "output " << k;
}

// Step records of the scanned circuit: with outputs "all", steps 1..T each with d gates; with
// "final", at least step T. No step twice, every gate defined.
void expect_step_metadata(const Spec& s, const Circuit& scanned, std::uint32_t T) {
  std::set<std::uint32_t> seen;
  for (const circuits::StepRecord& rec : scanned.steps()) {
    EXPECT_TRUE(seen.insert(rec.step).second) << "step " << rec.step << " recorded twice";
    EXPECT_LE(rec.step, T);
    EXPECT_EQ(rec.gates.size(), s.state_size()) << "step " << rec.step;
    for (GateId g : rec.gates) EXPECT_LT(g, scanned.num_gates());
  }
  if (s.outputs == OutputMode::All) {
    for (std::uint32_t t = 1; t <= T; ++t) EXPECT_TRUE(seen.count(t)) << "step " << t << " missing";
  } else {
    EXPECT_TRUE(seen.count(T)) << "final step " << T << " missing";
  }
}

// Evaluates the naive and the scanned circuit on `trials` random one-hot sequences in domain D:
// the scanned outputs equal the naive ones and interpret_values, and every recorded state of
// the scanned circuit equals interpret()'s state.
template <class D>
void expect_equivalent(const Spec& s, const Circuit& naive, const Circuit& scanned, D& dom,
                       std::uint64_t modulus, std::uint32_t T, int trials, std::mt19937_64& rng,
                       bool check_states = true) {
  using V = typename D::Value;
  const Circuit probe = check_states ? with_state_outputs(scanned) : Circuit{};
  const Circuit& run_on = check_states ? probe : scanned;
  const std::size_t n_out = naive.outputs().size();
  for (int trial = 0; trial < trials; ++trial) {
    const InputSequence xs = random_symbols(s.m(), T, rng);
    const std::vector<V> in = input_values(dom, xs);
    const std::vector<V> want = circuits::evaluate(naive, dom, in);
    const std::vector<V> got = circuits::evaluate(run_on, dom, in);
    ASSERT_EQ(want.size(), n_out);
    ASSERT_GE(got.size(), n_out);

    const auto ys = interpret_values(s, dom, xs);
    ASSERT_EQ(ys.size(), T);
    std::vector<V> ref;
    if (s.outputs == OutputMode::All) {
      for (const auto& y : ys) ref.insert(ref.end(), y.begin(), y.end());
    } else {
      ref = ys.back();
    }
    ASSERT_EQ(ref.size(), n_out);
    for (std::size_t k = 0; k < n_out; ++k) {
      EXPECT_TRUE(got[k] == want[k])
          << naive.outputs()[k].name << ": scanned " << show(got[k]) << ", naive " << show(want[k]);
      EXPECT_TRUE(got[k] == ref[k]) << naive.outputs()[k].name << ": scanned " << show(got[k])
                                    << ", interpreter " << show(ref[k]);
    }
    if (!check_states) continue;

    const RunResult run = interpret(s, xs, D::kind, modulus);
    ASSERT_EQ(run.states.size(), T + 1);
    std::size_t k = n_out;
    for (const circuits::StepRecord& rec : scanned.steps())
      for (std::size_t i = 0; i < rec.gates.size(); ++i, ++k) {
        ASSERT_LT(k, got.size());
        const V ref_state = read_value(dom, run.states[rec.step][i]);
        EXPECT_TRUE(got[k] == ref_state) << state_name(rec.step, i) << ": scanned " << show(got[k])
                                         << ", interpreter " << show(ref_state);
      }
    EXPECT_EQ(k, got.size());
  }
}

class LiftScanEquivalence : public ::testing::TestWithParam<std::tuple<std::string, OutputMode>> {};

TEST_P(LiftScanEquivalence, EveryNetworkMatchesNaiveAndInterpreter) {
  const auto& [stem, mode] = GetParam();
  const Spec s = example(stem, mode);
  const bool final_only = mode == OutputMode::Final;
  std::mt19937_64 rng(0x11f7 + std::hash<std::string>{}(stem) + (final_only ? 1 : 0));
  for (std::uint32_t T : {1u, 2u, 3u, 7u, 16u}) {
    const Circuit naive = unroll(s, T);
    for (PrefixNetwork net : kPrefixNetworks) {
      SCOPED_TRACE(std::string(network_name(net)) + ", T = " + std::to_string(T));
      LiftScanStats st;
      const Circuit scanned = lift_scan(naive, params_for(s, net), &st);
      ASSERT_TRUE(st.lifted) << st.refusal;
      EXPECT_EQ(st.refusal, "");
      EXPECT_EQ(st.steps, T);
      // At T = 1 the final state is the only state: "all" reads only it too.
      EXPECT_EQ(st.reduction_tree, final_only || T == 1);
      // With T = 1 there is no A_t to classify (docs/passes.md, lift-scan, last paragraph): the
      // combine is checked from T = 2 on, and no combine is built.
      if (T >= 2) {
        EXPECT_EQ(st.combine, expected_combine(s.kind));
      }
      if (final_only) {  // a reduction tree: T - 1 combines, ceil(log2 T) levels
        EXPECT_EQ(st.combines, T - 1);
        EXPECT_EQ(st.network_depth, ceil_log2(T));
      } else {
        const PrefixSchedule sched = prefix_schedule(net, T);
        EXPECT_EQ(st.combines, sched.steps.size());
        EXPECT_EQ(st.network_depth, sched.depth);
      }
      expect_same_interface(naive, scanned);
      expect_step_metadata(s, scanned, T);
      if (HasFatalFailure()) return;
      {
        ExactDomain dom;
        expect_equivalent(s, naive, scanned, dom, 0, T, 4, rng);
      }
      {
        ModpDomain dom;
        expect_equivalent(s, naive, scanned, dom, circuits::kDefaultModulus, T, 4, rng);
      }
      if (HasFatalFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Examples, LiftScanEquivalence,
    ::testing::Combine(::testing::ValuesIn(linear_examples()),
                       ::testing::Values(OutputMode::All, OutputMode::Final)),
    [](const ::testing::TestParamInfo<std::tuple<std::string, OutputMode>>& p) {
      return std::get<0>(p.param) + (std::get<1>(p.param) == OutputMode::All ? "_all" : "_final");
    });

// The row combine with d_v != d_k, which the 4 x 4 examples cannot tell from its transpose; and
// the same specs with the shape given the wrong way round, which must fall back to the dense
// combine and still be exact.
TEST(LiftScanRowShape, RectangularMatrixStates) {
  const std::vector<std::string> heads = {
      "kind = \"deltanet\"\nd_k = 3\nd_v = 5\nalphabet = [\"a\", \"b\", \"c\"]\n",
      "kind = \"rwkv7\"\nd_k = 2\nd_v = 3\nalphabet = [\"a\", \"b\", \"c\", \"d\"]\n"
      "outputs = \"final\"\n",
      "kind = \"rwkv7\"\nd_k = 4\nd_v = 2\nalphabet = [\"a\", \"b\"]\n"};
  std::mt19937_64 rng(42);
  for (const std::string& head : heads) {
    const Spec s = parse_spec(head + "[init]\nseed = 3\nscale = \"1/2\"\n", "rect.toml");
    SCOPED_TRACE(head);
    for (std::uint32_t T : {2u, 5u, 9u}) {
      const Circuit naive = unroll(s, T);
      for (PrefixNetwork net : {PrefixNetwork::Sklansky, PrefixNetwork::BrentKung}) {
        SCOPED_TRACE(std::string(network_name(net)) + ", T = " + std::to_string(T));
        LiftScanStats st;
        const Circuit scanned = lift_scan(naive, params_for(s, net), &st);
        ASSERT_TRUE(st.lifted) << st.refusal;
        EXPECT_EQ(st.combine, "row");
        ModpDomain dom;
        expect_equivalent(s, naive, scanned, dom, circuits::kDefaultModulus, T, 3, rng);

        LiftScanParams swapped = params_for(s, net);
        swapped.matrix_shape = std::make_pair(s.d_k, s.d_v);
        LiftScanStats st2;
        const Circuit dense = lift_scan(naive, swapped, &st2);
        ASSERT_TRUE(st2.lifted) << st2.refusal;
        EXPECT_EQ(st2.combine, "dense");
        expect_equivalent(s, naive, dense, dom, circuits::kDefaultModulus, T, 3, rng);
        if (HasFatalFailure()) return;
      }
    }
  }
}

// Without a matrix shape (none in the params, none in the circuit's step metadata: an .rc file
// without its state-shape line) a matrix state is an ordinary vector state: the dense combine,
// still exact. With the circuit's own shape, the row combine.
TEST(LiftScanRowShape, NoShapeMeansDense) {
  const Spec s = example("deltanet");
  const Circuit with_shape = unroll(s, 6);
  LiftScanStats st;
  ASSERT_EQ(with_shape.state_shape(), (std::vector<std::uint32_t>{static_cast<std::uint32_t>(s.d_v),
                                                                   static_cast<std::uint32_t>(s.d_k)}));
  lift_scan(with_shape, {.network = PrefixNetwork::KoggeStone, .matrix_shape = std::nullopt}, &st);
  EXPECT_EQ(st.combine, "row");
  std::string rc = circuits::io::write_rc(with_shape);
  const std::size_t at = rc.find("state-shape ");
  ASSERT_NE(at, std::string::npos);
  rc.erase(at, rc.find('\n', at) + 1 - at);
  const Circuit naive = circuits::io::read_rc(rc, "no_shape.rc");
  ASSERT_TRUE(naive.state_shape().empty());
  const Circuit scanned =
      lift_scan(naive, {.network = PrefixNetwork::KoggeStone, .matrix_shape = std::nullopt}, &st);
  ASSERT_TRUE(st.lifted) << st.refusal;
  EXPECT_EQ(st.combine, "dense");
  std::mt19937_64 rng(5);
  ModpDomain dom;
  expect_equivalent(s, naive, scanned, dom, circuits::kDefaultModulus, 6, 3, rng);
}

TEST(LiftScanRowShape, ShapeNotMatchingTheStateIsAnError) {
  const Spec s = example("deltanet");  // 4 x 4 = 16 state entries
  const Circuit naive = unroll(s, 3);
  LiftScanParams p;
  p.matrix_shape = std::make_pair(std::size_t{3}, std::size_t{4});
  EXPECT_THROW(lift_scan(naive, p), Error);
}

// ---- variants of the examples: initial states, parameters as inputs, real inputs ----

// Every input (symbols, initial state, parameters) a random dyadic k/8 in [-1, 1]: the rewrite
// is an identity of polynomials in the inputs, not only on one-hot sequences.
template <class D>
void expect_same_on_random_values(const Circuit& naive, const Circuit& scanned, D& dom, int trials,
                                  std::mt19937_64& rng) {
  using V = typename D::Value;
  std::uniform_int_distribution<int> pick(-8, 8);
  ASSERT_EQ(scanned.inputs().size(), naive.inputs().size());
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<V> in;
    for (std::size_t i = 0; i < naive.inputs().size(); ++i)
      in.push_back(dom.constant(Q(pick(rng), 8)));
    const std::vector<V> want = circuits::evaluate(naive, dom, in);
    const std::vector<V> got = circuits::evaluate(scanned, dom, in);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k)
      EXPECT_TRUE(got[k] == want[k])
          << naive.outputs()[k].name << ": scanned " << show(got[k]) << ", naive " << show(want[k]);
  }
}

struct Variant {
  std::string name, text, combine;
};

const std::vector<Variant>& variants() {
  static const std::vector<Variant> kVariants = {
      {"diagonal_h0_inputs",
       "kind = \"diagonal\"\nd = 3\nalphabet = [\"a\", \"b\"]\ninitial_state = \"inputs\"\n",
       "diagonal"},
      {"dense_h0_constants",
       "kind = \"dense\"\nd = 3\nalphabet = [\"a\", \"b\"]\ninitial_state = [1, -1, \"1/2\"]\n",
       "dense"},
      {"pd_h0_inputs_final",
       "kind = \"pd\"\nd = 4\nalphabet = [\"a\", \"b\", \"c\"]\ninitial_state = \"inputs\"\n"
       "outputs = \"final\"\n",
       "dense"},
      {"dplr_real_inputs", "kind = \"dplr\"\nd = 3\nd_out = 2\ninput_width = 2\n", "dense"},
      {"diagonal_no_bias", "kind = \"diagonal\"\nd = 3\nalphabet = [\"a\", \"b\"]\nbias = false\n",
       "diagonal"},
      {"diagonal_params_inputs_final",
       "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\"]\nparams = \"inputs\"\n"
       "outputs = \"final\"\n",
       "diagonal"},
      {"deltanet_h0_inputs",
       "kind = \"deltanet\"\nd_k = 2\nd_v = 3\nalphabet = [\"a\", \"b\"]\n"
       "initial_state = \"inputs\"\n",
       "row"},
      {"rwkv7_params_inputs",
       "kind = \"rwkv7\"\nd_k = 2\nd_v = 2\ninput_width = 2\nparams = \"inputs\"\n", "row"},
      {"rwkv7_h0_constants",
       "kind = \"rwkv7\"\nd_k = 2\nd_v = 3\nalphabet = [\"a\", \"b\"]\n"
       "initial_state = [[1, 0], [0, \"1/2\"], [-1, 2]]\n",
       "row"}};
  return kVariants;
}

class LiftScanVariant : public ::testing::TestWithParam<Variant> {};

TEST_P(LiftScanVariant, MatchesNaiveOnRandomValues) {
  const Variant& v = GetParam();
  const Spec s = parse_spec(v.text + "[init]\nseed = 21\nscale = \"1/2\"\n", v.name + ".toml");
  std::mt19937_64 rng(77);
  for (std::uint32_t T : {1u, 2u, 5u, 8u}) {
    const Circuit naive = unroll(s, T);
    for (PrefixNetwork net : kPrefixNetworks) {
      SCOPED_TRACE(std::string(network_name(net)) + ", T = " + std::to_string(T));
      LiftScanStats st;
      const Circuit scanned = lift_scan(naive, params_for(s, net), &st);
      ASSERT_TRUE(st.lifted) << st.refusal;
      if (T >= 2) {
        EXPECT_EQ(st.combine, v.combine);
      }
      expect_same_interface(naive, scanned);
      ExactDomain exact;
      expect_same_on_random_values(naive, scanned, exact, 2, rng);
      ModpDomain modp;
      expect_same_on_random_values(naive, scanned, modp, 2, rng);
      if (HasFatalFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Specs, LiftScanVariant, ::testing::ValuesIn(variants()),
                         [](const ::testing::TestParamInfo<Variant>& p) { return p.param.name; });

// outputs = "final" with acceptance (exact only: `step` needs an order): the accept output reads
// y_T through the reduction tree like the readout does.
TEST(LiftScanEdge, FinalWithAcceptance) {
  for (const std::string stem : {"diagonal", "dplr", "rwkv7"}) {
    SCOPED_TRACE(stem);
    const Spec s =
        parse_spec(example_text(stem, "outputs = \"final\"\naccept = true"), example_spec_path(stem));
    ASSERT_TRUE(s.accept);
    std::mt19937_64 rng(17);
    for (std::uint32_t T : {1u, 4u, 9u}) {
      const Circuit naive = unroll(s, T);
      ASSERT_EQ(naive.outputs().back().name, "accept");
      LiftScanStats st;
      const Circuit scanned = lift_scan(naive, params_for(s, PrefixNetwork::HanCarlson), &st);
      ASSERT_TRUE(st.lifted) << st.refusal;
      EXPECT_TRUE(st.reduction_tree);
      expect_same_interface(naive, scanned);
      ExactDomain dom;
      expect_equivalent(s, naive, scanned, dom, 0, T, 4, rng);
    }
  }
}

// Lifted with Sklansky at T = 6, and equal to the naive circuit exactly on random values.
void expect_lifted_at_6_steps(const Spec& s) {
  const Circuit naive = unroll(s, 6);
  LiftScanStats st;
  const Circuit scanned = lift_scan(naive, params_for(s, PrefixNetwork::Sklansky), &st);
  EXPECT_TRUE(st.lifted) << st.refusal;
  std::mt19937_64 rng(3);
  ExactDomain dom;
  expect_same_on_random_values(naive, scanned, dom, 3, rng);
}

// A coordinate whose state is one constant at every step (a = 0, b = 1/2) next to a
// time-invariant decay by the same constant 1/2: h_t[0] = 1/2, h_t[1] = h_{t-1}[1]/2 + x_{t,1}.
// The recurrence is affine (diagonal), so the pass must lift it.
// Regression (fixed in lift_scan.cpp, memoryless states): Hash-consing makes the constant 1/2 one gate: the state
// h_{t-1}[0] and the coefficient a_t[1]. step_forms() puts every gate of the previous state in
// `var`, constants included, so a_t[1] * h_{t-1}[1] reads as a product of two state-dependent
// values and the pass refuses ("a product of two state-dependent values on the state path at
// step 2, from diagonal.h"). A previous-state gate that does not depend on the state (a
// constant, an input) should count as a coefficient where it is used as one.
TEST(LiftScanEdge, ConstantStateNextToTheSameConstantCoefficient) {
  const Spec s = parse_spec(
      "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\"]\n"
      "[parameters]\nW_a = [[0, 0], [0, 0]]\nc_a = [0, \"1/2\"]\n"
      "W_b = [[0, 0], [0, 1]]\nc_b = [\"1/2\", 0]\nW_y = [[1, 0], [0, 1]]\nc_y = [0, 0]\n",
      "constant_state.toml");
  expect_lifted_at_6_steps(s);
}

// A memoryless coordinate (a = 0): h_t[0] = x_{t,0}/2 is a gate of step t's inputs only, and
// hash-consing shares it with b_t[1] = x_{t,0}/2 + x_{t,1} of the next coordinate,
// h_t[1] = h_{t-1}[1]/2 + b_t[1]. The recurrence is affine (diagonal), so the pass must lift it.
// Regression (fixed in lift_scan.cpp, memoryless states): materialize() refuses any operand that is a state gate of
// another step ("a coefficient reads the state of step 2 directly ... from diagonal.b"), but the
// shared gate x_{t,0}/2 is a state of step t only because it is h_t[0]; it reads no state. The
// check should refuse only operands that depend on an older state.
TEST(LiftScanEdge, MemorylessStateSharedWithACoefficient) {
  const Spec s = parse_spec(
      "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\"]\n"
      "[parameters]\nW_a = [[0, 0], [0, 0]]\nc_a = [0, \"1/2\"]\n"
      "W_b = [[\"1/2\", 0], [\"1/2\", 1]]\nc_b = [0, 0]\nW_y = [[1, 0], [0, 1]]\nc_y = [0, 0]\n",
      "memoryless.toml");
  expect_lifted_at_6_steps(s);
}

// ---- 2. depth laws ----

// Scanned depth at T for a network (and the final variant), per example, computed once.
class Depths {
 public:
  std::uint32_t get(const Spec& s, std::uint32_t T, PrefixNetwork net) {
    const auto key = std::make_tuple(s.name, s.outputs == OutputMode::Final, T, net);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    LiftScanStats st;
    const Circuit scanned = lift_scan(unroll(s, T), params_for(s, net), &st);
    EXPECT_TRUE(st.lifted) << st.refusal;
    const std::uint32_t depth = depth_of(scanned);
    cache_.emplace(key, depth);
    return depth;
  }

 private:
  std::map<std::tuple<std::string, bool, std::uint32_t, PrefixNetwork>, std::uint32_t> cache_;
};

Depths& depths() {
  static Depths d;
  return d;
}

// Depths of the pieces, worked out by hand from the example shapes (m = 4 symbols, d = 8,
// d_k = d_v = 4) and compiler/models.hpp, where sums run left to right, so a dot product of n
// terms (or a constant plus n - 1 products) has depth n, and the pass's affine forms (a gate's
// coefficient is built from its operands' coefficients, one gate per operation).
//   diagonal: a_t = W_a x_t + c_a and b_t = W_b x_t + c_b: a 4-term dot plus the bias, 5.
//     Position 1 is h_1 = b_1 (h_0 = 0 folds away), 5. Readout y = W_y h + c_y: an 8-term dot
//     and c_y, +9.
//   dense: A_t[e] = A_0[e] + sum_j x_j A_j[e]: a constant and 4 products left to right, 5; b_t
//     and position 1 as for diagonal, 5; the same readout, +9.
//   dplr: w, u, v, b at 5; the form of h'_i = w_i h_i - u_i (v . h) + b_i has coefficients
//     w_i - u_i v_i (mul 6, sub 7) and -(u_i v_j) (mul 6, neg 7): A at 7, b at 5; readout +9.
//   deltanet: k = W_k x (no bias) 4, beta 5, bk = beta k 6; S'[r][c] = S[r][c] - (S[r] . k) bk_c
//     + v_r bk_c: coefficients 1 - k_c bk_c and -(k_j bk_c) (mul 7, sub/neg 8), B = v_r bk_c 7;
//     position 1 is B_1, 7. Readout y_r = S[r] . q with q = W_q x (4): a 4-term dot, +4.
//   rwkv7: w, kappa, a, lambda, v, k~ at 5; lambda kappa and a kappa at 6; coefficients
//     w_c - (lambda kappa_c)(a_c kappa_c) and -(...) (mul 7, sub/neg 8); B = v_r k~_c 6;
//     readout +4.
struct PieceDepths {
  std::int64_t a;    // entries of A_t, t >= 2
  std::int64_t b;    // entries of b_t (t >= 2) and of position 1's b (the state after step 1)
  std::int64_t out;  // a readout over a state
};

PieceDepths piece_depths(Kind k) {
  switch (k) {
    case Kind::Diagonal:
      return {5, 5, 9};
    case Kind::Dense:
      return {5, 5, 9};
    case Kind::Dplr:
      return {7, 5, 9};
    case Kind::Deltanet:
      return {8, 7, 4};
    case Kind::Rwkv7:
      return {8, 6, 4};
    default:
      throw Error("no hand-derived depths for this kind");
  }
}

// The brief's constant D_in + D_out: from T = 2 on the deepest combine input is an A or b entry.
std::int64_t in_plus_out(const Spec& s) {
  const PieceDepths p = piece_depths(s.kind);
  return std::max(p.a, p.b) + p.out;
}

// An exact model of the scanned depth, independent of the pass: levels of (A, b) per position,
// run over prefix_schedule's steps. combine(e, l) = (A_l A_e, A_l b_e + b_l) (row: the same
// with the products the other way round): the products A_l b_e are summed with b_l, which
// enters through the last addition only, so
//   b' = max(max(A_l, b_e) + D_comb, b_l + 1),   A' = max(A_l, A_e) + D_comb - 1
// (the A part sums d (d_k) products, one term fewer; diagonal: a single product). Position 1
// has no A (its map is constant). The circuit's depth is the deepest state plus the readout.
std::int64_t modelled_depth(const Spec& s, PrefixNetwork net, std::uint32_t T) {
  const PieceDepths p = piece_depths(s.kind);
  const std::int64_t comb = combine_depth(s);
  const std::int64_t a_comb = s.kind == Kind::Diagonal ? 1 : comb - 1;
  constexpr std::int64_t kAbsent = -1;
  struct Level {
    std::int64_t a, b;
  };
  std::vector<Level> lv(T, Level{p.a, p.b});
  lv[0].a = kAbsent;
  for (const Combine& c : prefix_schedule(net, T).steps) {
    const Level e = lv[c.left], l = lv[c.right];
    lv[c.out].a = e.a == kAbsent ? kAbsent : std::max(l.a, e.a) + a_comb;
    lv[c.out].b = std::max(std::max(l.a, e.b) + comb, l.b + 1);
  }
  std::int64_t deepest = 0;
  for (const Level& x : lv) deepest = std::max(deepest, x.b);
  return deepest + p.out;
}

class LiftScanDepth : public ::testing::TestWithParam<std::string> {};     // all six linear kinds
class LiftScanDepthLaw : public ::testing::TestWithParam<std::string> {};  // all but pd

// Doubling T adds one level to Sklansky and Kogge-Stone (depth ceil(log2 T)), so one combine.
TEST_P(LiftScanDepth, DoublingTAddsOneCombine) {
  const Spec s = example(GetParam());
  const std::uint32_t comb = combine_depth(s);
  for (PrefixNetwork net : {PrefixNetwork::Sklansky, PrefixNetwork::KoggeStone})
    for (std::uint32_t T = 16; T <= 256; T *= 2)
      EXPECT_EQ(depths().get(s, 2 * T, net) - depths().get(s, T, net), comb)
          << network_name(net) << ", T = " << T;
}

std::vector<std::uint32_t> depth_lengths() {
  std::vector<std::uint32_t> Ts;
  for (std::uint32_t T = 16; T <= 256; T *= 2) Ts.push_back(T);
  for (std::uint32_t T : {2u, 3u, 17u, 24u, 33u, 100u, 255u}) Ts.push_back(T);
  return Ts;
}

// depth(T) = D_in + network_depth(T) * D_comb + D_out with D_in + D_out by hand, for kinds whose
// A_t is dense or diagonal at every step (pd's A_t is a sparse permutation pattern: its first
// combines are shallower, so only the doubling law is checked for it). Exact where every
// deepest combine has its earlier operand at the deepest level: serial, Sklansky, Kogge-Stone,
// Brent-Kung and Ladner-Fischer at powers of two. Han-Carlson and other lengths have deepest
// combines whose later operand is the deep one, and b_l costs one addition, not D_comb: there
// the formula is an upper bound, and modelled_depth is exact.
TEST_P(LiftScanDepthLaw, DepthIsInputPlusNetworkTimesCombinePlusOutput) {
  const Spec s = example(GetParam());
  const std::int64_t comb = combine_depth(s), rest = in_plus_out(s);
  std::set<std::int64_t> constants;  // depth - network_depth * D_comb where the law is exact
  for (PrefixNetwork net : kPrefixNetworks)
    for (std::uint32_t T : depth_lengths()) {
      SCOPED_TRACE(std::string(network_name(net)) + ", T = " + std::to_string(T));
      const std::int64_t nd = prefix_schedule(net, T).depth;
      const std::int64_t depth = depths().get(s, T, net);
      EXPECT_EQ(depth, modelled_depth(s, net, T));
      EXPECT_LE(depth, rest + nd * comb);
      const bool power_of_two = (T & (T - 1)) == 0;
      if (power_of_two && net != PrefixNetwork::HanCarlson) {
        EXPECT_EQ(depth, rest + nd * comb) << "network depth " << nd;
        constants.insert(depth - nd * comb);
      }
    }
  EXPECT_EQ(constants.size(), 1u) << "D_in + D_out varies: from " << *constants.begin() << " to "
                                  << *constants.rbegin();
}

// Han-Carlson at T = 16: its fix-up level takes the odd positions from Kogge-Stone over pairs,
// some of whose combines have the deeper operand on the right; one combine depth is not spent in
// full. Pinned for diagonal: 14 + 5 * 2 = 24 is the bound, 23 the depth.
TEST(LiftScanDepthDetail, HanCarlsonBelowTheBound) {
  const Spec s = example("diagonal");
  EXPECT_EQ(prefix_schedule(PrefixNetwork::HanCarlson, 16).depth, 5u);
  EXPECT_EQ(depths().get(s, 16, PrefixNetwork::HanCarlson), 23u);
  EXPECT_EQ(modelled_depth(s, PrefixNetwork::HanCarlson, 16), 23);
}

// outputs = "final": a reduction tree of ceil(log2 T) levels whose earlier operand is always the
// deeper, complete subtree, so depth(T) - ceil(log2 T) * D_comb is D_in + D_out for every
// T >= 2. At T = 1 there is no combine, and the kinds whose A_t is deeper than b_t (dplr,
// deltanet, rwkv7) read only b_1: max(a, b) becomes b.
TEST_P(LiftScanDepthLaw, FinalOutputsReductionTree) {
  const Spec s = example(GetParam(), OutputMode::Final);
  const std::int64_t comb = combine_depth(s);
  const PieceDepths p = piece_depths(s.kind);
  EXPECT_EQ(depths().get(s, 1, PrefixNetwork::BrentKung), p.b + p.out);
  std::set<std::int64_t> constants;
  for (std::uint32_t T : {2u, 3u, 7u, 16u, 17u, 64u, 100u, 256u}) {
    const std::int64_t depth = depths().get(s, T, PrefixNetwork::BrentKung);
    const std::int64_t rest = depth - static_cast<std::int64_t>(ceil_log2(T)) * comb;
    constants.insert(rest);
    EXPECT_EQ(rest, in_plus_out(s)) << "T = " << T;
  }
  EXPECT_EQ(constants.size(), 1u) << "from " << *constants.begin() << " to " << *constants.rbegin();
}

// The final variant's depth does not depend on the network (a reduction tree, not a network).
TEST_P(LiftScanDepth, FinalOutputsIgnoreTheNetwork) {
  const Spec s = example(GetParam(), OutputMode::Final);
  const std::uint32_t want = depths().get(s, 64, PrefixNetwork::BrentKung);
  for (PrefixNetwork net : kPrefixNetworks)
    EXPECT_EQ(depths().get(s, 64, net), want) << network_name(net);
}

INSTANTIATE_TEST_SUITE_P(Examples, LiftScanDepth, ::testing::ValuesIn(linear_examples()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });
INSTANTIATE_TEST_SUITE_P(Examples, LiftScanDepthLaw,
                         ::testing::Values("diagonal", "dense", "dplr", "deltanet", "rwkv7"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// ---- 3. refusal ----

bool affine_op(Op op) {
  return op == Op::Add || op == Op::Sub || op == Op::Neg || op == Op::Buf || op == Op::Mul;
}

// The first gate (by id) in the cone of step 2's state, stopping at step 1's state, that depends
// on step 1's state and is not affine in it: a kind other than add/sub/neg/buf, or a product of
// two state-dependent gates. Written independently of the pass.
GateId first_nonaffine_gate(const Circuit& c) {
  const std::vector<GateId>& prev = c.steps()[1].gates;
  const std::vector<GateId>& next = c.steps()[2].gates;
  std::vector<std::uint8_t> in_cone(c.num_gates(), 0), dep(c.num_gates(), 0);
  for (GateId g : prev) dep[g] = 1;
  for (GateId g : next) in_cone[g] = 1;
  for (GateId g = static_cast<GateId>(c.num_gates()); g-- > 0;) {
    if (!in_cone[g] || dep[g]) continue;  // previous states end the cone
    const int k = circuits::arity(c.op(g));
    if (k >= 1) in_cone[c.a(g)] = 1;
    if (k == 2) in_cone[c.b(g)] = 1;
  }
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (dep[g] && std::find(prev.begin(), prev.end(), g) != prev.end()) continue;
    const int k = circuits::arity(c.op(g));
    const bool da = k >= 1 && dep[c.a(g)], db = k == 2 && dep[c.b(g)];
    if (!da && !db) continue;
    dep[g] = 1;
    if (!in_cone[g]) continue;
    if (!affine_op(c.op(g)) || (c.op(g) == Op::Mul && da && db)) return g;
  }
  return circuits::kNoGate;
}

TEST(LiftScanRefusal, NonlinearExamplesAreLeftUnchanged) {
  const std::vector<std::pair<std::string, std::string>> cases = {{"elman_tanh", "tanh"},
                                                                  {"elman_relu", "relu"},
                                                                  {"elman_sign", "sign"},
                                                                  {"lstm", ""},
                                                                  {"gru", ""},
                                                                  {"mlp", "relu"},
                                                                  {"switched", "relu"}};
  for (const auto& [stem, kind] : cases) {
    SCOPED_TRACE(stem);
    const Spec s = example(stem);
    const Circuit naive = unroll(s, 8);
    const GateId expected_gate = first_nonaffine_gate(naive);
    ASSERT_NE(expected_gate, circuits::kNoGate);
    const std::string expected_kind(circuits::mnemonic(naive.op(expected_gate)));
    if (!kind.empty()) {
      EXPECT_EQ(expected_kind, kind);
    } else {
      EXPECT_TRUE(expected_kind == "tanh" || expected_kind == "sigmoid") << expected_kind;
    }
    for (PrefixNetwork net : {PrefixNetwork::Serial, PrefixNetwork::BrentKung}) {
      LiftScanStats st;
      const Circuit out = lift_scan(naive, params_for(s, net), &st);
      EXPECT_FALSE(st.lifted);
      EXPECT_EQ(st.refusal_step, 2u);
      EXPECT_EQ(st.refusal_gate, expected_gate);
      EXPECT_EQ(st.refusal.rfind(expected_kind + " on the state path at step 2, from ", 0), 0u)
          << st.refusal;
      EXPECT_NE(st.refusal.find("on the state path at step 2, from " +
                                std::string(kind_name(s.kind)) + "."),
                std::string::npos)
          << st.refusal;
      EXPECT_EQ(circuits::io::write_rc(out), circuits::io::write_rc(naive)) << "changed";
      EXPECT_EQ(out.num_gates(), naive.num_gates());
      const circuits::Measures m = circuits::measure(out, {.critical_path = false});
      const circuits::Measures m0 = circuits::measure(naive, {.critical_path = false});
      EXPECT_EQ(m.size, m0.size);
      EXPECT_EQ(m.depth, m0.depth);
      // try_lift_scan refuses without a copy, with the same statistics.
      LiftScanStats st2;
      EXPECT_FALSE(try_lift_scan(naive, params_for(s, net), &st2).has_value());
      EXPECT_FALSE(st2.lifted);
      EXPECT_EQ(st2.refusal, st.refusal);
    }
    // The naive depth stays linear in T.
    const std::uint32_t d8 = depth_of(unroll(s, 8)), d16 = depth_of(unroll(s, 16)),
                        d32 = depth_of(unroll(s, 32));
    EXPECT_GT(d16, d8);
    EXPECT_EQ(d32 - d16, 2 * (d16 - d8));
  }
}

// The relu kinds: the state path of mlp goes through its hidden layer's relu (W1 h_{t-1} feeds
// it), that of switched through the relu of the update; lift-scan names the relu and the
// construct, whatever the inputs (one-hot or real vectors).
TEST(LiftScanRefusal, MlpAndSwitchedNameTheirRelu) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"kind = \"mlp\"\nd = 6\nhidden = 12\nalphabet = [\"a\", \"b\", \"c\"]\n", "mlp.hidden"},
      {"kind = \"mlp\"\nd = 2\nhidden = 3\ninput_width = 2\n", "mlp.hidden"},
      {"kind = \"switched\"\nd = 4\nalphabet = [\"a\", \"b\", \"c\"]\n", "switched.h"},
      // Without biases the state stays 0 from h_0 = 0 (a constant circuit): start elsewhere.
      {"kind = \"switched\"\nd = 2\ninput_width = 3\nbias = false\ninitial_state = [1, -1]\n", "switched.h"}};
  for (const auto& [head, construct] : cases) {
    SCOPED_TRACE(head);
    const Spec s = parse_spec(head + "domain = \"exact\"\n[init]\nseed = 3\n", "relu.toml");
    const Circuit naive = unroll(s, 6);
    for (PrefixNetwork net : {PrefixNetwork::Sklansky, PrefixNetwork::BrentKung}) {
      LiftScanStats st;
      EXPECT_FALSE(try_lift_scan(naive, params_for(s, net), &st).has_value());
      EXPECT_FALSE(st.lifted);
      EXPECT_EQ(st.refusal_step, 2u);
      ASSERT_NE(st.refusal_gate, circuits::kNoGate);
      EXPECT_EQ(naive.op(st.refusal_gate), Op::Relu);
      EXPECT_EQ(st.refusal.rfind("relu on the state path at step 2, from " + construct + " (gate ", 0), 0u)
          << st.refusal;
    }
  }
}

// ---- 4. no step metadata ----

std::string without_lines(const std::string& rc, const std::string& prefix) {
  std::istringstream in(rc);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) != 0) out += line + "\n";
  return out;
}

TEST(LiftScanMetadata, CircuitWithoutStepsIsAnError) {
  const Circuit naive = unroll(example("diagonal"), 4);
  const std::string rc = circuits::io::write_rc(naive);
  ASSERT_NE(rc.find("\nstep 1 = "), std::string::npos);
  const std::string dir = test::scratch("lift_scan_no_steps");
  const std::string path = dir + "/diagonal4.rc";
  {
    std::ofstream f(path, std::ios::binary);
    f << without_lines(rc, "step ");
  }
  const Circuit bare = circuits::io::read_rc(read_text(path), path);
  ASSERT_TRUE(bare.steps().empty());
  ASSERT_EQ(bare.outputs().size(), naive.outputs().size());
  try {
    lift_scan(bare);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("step metadata"), std::string::npos) << e.what();
  }

  circuits::Builder b;  // a hand-built circuit: never any steps
  b.output("y", b.add(b.input("x"), b.constant(1)));
  const Circuit tiny = b.finish();
  try {
    lift_scan(tiny);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("step metadata"), std::string::npos) << e.what();
  }
}

TEST(LiftScanMetadata, MissingStepIsAnError) {
  const Circuit naive = unroll(example("diagonal"), 4);
  const std::string rc = without_lines(circuits::io::write_rc(naive), "step 2 ");
  const Circuit holed = circuits::io::read_rc(rc, "holed.rc");
  ASSERT_EQ(holed.steps().size(), naive.steps().size() - 1);
  EXPECT_THROW(lift_scan(holed), Error);
}

// The metadata survives .rc: a circuit read back scans like the one unrolled.
TEST(LiftScanMetadata, CircuitReadFromRcScans) {
  const Spec s = example("dplr");
  const Circuit naive = unroll(s, 9);
  const Circuit read = circuits::io::read_rc(circuits::io::write_rc(naive), "dplr9.rc");
  LiftScanStats st;
  const Circuit scanned = lift_scan(read, params_for(s, PrefixNetwork::LadnerFischer), &st);
  ASSERT_TRUE(st.lifted) << st.refusal;
  std::mt19937_64 rng(9);
  ExactDomain dom;
  expect_equivalent(s, naive, scanned, dom, 0, 9, 2, rng);
}

// ---- 5. scale ----

TEST(LiftScanScale, Diagonal4096BrentKung) {
  const Spec s = example("diagonal");
  constexpr std::uint32_t kT = 4096;
  const Circuit naive = unroll(s, kT);
  LiftScanStats st;
  const Circuit scanned = lift_scan(naive, params_for(s, PrefixNetwork::BrentKung), &st);
  ASSERT_TRUE(st.lifted) << st.refusal;
  EXPECT_EQ(st.combine, "diagonal");
  const PrefixSchedule sched = prefix_schedule(PrefixNetwork::BrentKung, kT);
  EXPECT_EQ(st.network_depth, sched.depth);
  EXPECT_EQ(depth_of(scanned), 14 + 2 * sched.depth);
  expect_same_interface(naive, scanned);
  std::mt19937_64 rng(4096);
  ModpDomain dom;
  expect_equivalent(s, naive, scanned, dom, circuits::kDefaultModulus, kT, 2, rng,
                    /*check_states=*/false);
}

}  // namespace
}  // namespace rnncc::compiler::passes

namespace rnncc::compiler::passes {
namespace {

// h_t = h_{t-1} * h_{t-1} + x_t is not affine in the state: the exception for memoryless states
// (values shared with coefficients) must not let it through. Step 1 reads only h_0, so step 2's
// product may take h_1 as a value; step 3's cannot.
TEST(LiftScanEdge, QuadraticRecurrenceIsRefused) {
  circuits::Builder b;
  circuits::GateId h = b.input("h0");
  b.add_step(0, {h});
  for (std::uint32_t t = 1; t <= 6; ++t) {
    b.set_origin({"square.h", t});
    circuits::GateId x = b.input("x" + std::to_string(t));
    h = b.add(b.mul(h, h), x);
    b.add_step(t, {h});
    b.output("y" + std::to_string(t), h);
  }
  circuits::Circuit c = b.finish();
  LiftScanStats st;
  circuits::Circuit out = lift_scan(c, {}, &st);
  EXPECT_FALSE(st.lifted);
  EXPECT_NE(st.refusal.find("a product of two state-dependent values on the state path at step"),
            std::string::npos)
      << st.refusal;
  EXPECT_LE(st.refusal_step, 3u);
  EXPECT_EQ(out.num_gates(), c.num_gates());
}

}  // namespace
}  // namespace rnncc::compiler::passes
