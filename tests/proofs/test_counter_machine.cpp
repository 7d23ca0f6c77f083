// Counter machines and their mlp RNNs (proofs/counter_machine.hpp): Lemma 2's machine against
// breadth-first search on every small graph (Prop 2's layering), the compiler against the
// machine run directly on random machines, and rnncc's interpreter and circuits against the
// network's own integer run.
#include <gtest/gtest.h>

#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "compiler/interpret.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/unroll.hpp"
#include "proofs/counter_machine.hpp"
#include "proofs/sdgc.hpp"
#include "proofs/spec_run.hpp"
#include "proofs/tasks.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

TEST(CounterMachine, SdgcMachineOnEveryGraphWithUpToFiveNodes) {
  const CounterMachine m = sdgc_machine();
  std::size_t checked = 0, positive = 0;
  for (std::size_t n = 1; n <= 5; ++n)
    for (const DetGraph& g : all_det_graphs(n))
      for (std::size_t s = 1; s <= n; ++s)
        for (std::size_t t = 1; t <= n; ++t) {
          const bool truth = reachable(instance_of(g, s, t));
          ASSERT_EQ(run_machine(m, unary_word(layered(g, s, t))).accept, truth) << n << " " << s << " " << t;
          positive += truth;
          ++checked;
        }
  EXPECT_EQ(checked, 2u + 36 + 576 + 10000 + 7776u * 25);
  EXPECT_GT(positive, checked / 4);
  EXPECT_LT(positive, checked * 3 / 4);
}

TEST(CounterMachine, PaddingChangesNothing) {
  const CounterMachine m = sdgc_machine();
  compiler::SplitMix64 rng(2);
  for (bool positive : {true, false}) {
    const std::vector<std::size_t> w = unary_word(random_sdgc(30, SdgcGraphs::Forward, positive, rng));
    EXPECT_EQ(run_machine(m, padded(w, w.size() + 17)).accept, positive);
  }
}

// Lemma 2 as printed, without sink targets: a reachable target with an out-edge is missed.
TEST(CounterMachine, NeedsASinkTarget) {
  SdgcInstance g;
  g.nodes = 3;
  g.source = 1;
  g.target = 2;
  g.edges = {{1, 2}, {2, 3}};
  ASSERT_TRUE(reachable(g));
  EXPECT_FALSE(run_machine(sdgc_machine(), unary_word(g)).accept);
  g.edges = {{1, 2}};  // t a sink
  EXPECT_TRUE(run_machine(sdgc_machine(), unary_word(g)).accept);
}

TEST(CounterMachine, CountersStayWithinTheNodeCount) {
  const CounterMachine m = sdgc_machine();
  compiler::SplitMix64 rng(3);
  for (std::size_t n : {10, 100, 300}) {
    const CounterRun r = run_machine(m, unary_word(random_sdgc(n, SdgcGraphs::Forward, true, rng)));
    EXPECT_LE(r.max_abs, static_cast<std::int64_t>(n)) << n;
  }
}

// A random machine: random cases with random zero tests; the compiled network, run directly,
// must hold exactly the machine's configuration after every prefix.
CounterMachine random_machine(std::uint64_t seed) {
  compiler::SplitMix64 rng(seed);
  CounterMachine m;
  const std::size_t Q = 2 + rng.below(3), S = 1 + rng.below(3);
  m.counters = 1 + rng.below(3);
  for (std::size_t q = 0; q < Q; ++q) m.states.push_back("q" + std::to_string(q));
  m.states.push_back("reject");
  for (std::size_t s = 0; s < S; ++s) m.alphabet.push_back("s" + std::to_string(s));
  for (std::size_t k = 0; k < m.counters; ++k) m.counter_names.push_back("c" + std::to_string(k));
  m.reject = Q;
  m.accept_state = rng.below(Q);
  m.rules.assign((Q + 1) * S, {});
  for (std::size_t q = 0; q < Q; ++q)
    for (std::size_t s = 0; s < S; ++s) {
      const std::size_t cases = rng.below(4);  // 0: every pattern goes to reject
      for (std::size_t c = 0; c < cases; ++c) {
        CounterCase cs;
        cs.tested = static_cast<std::uint32_t>(rng.below(std::size_t{1} << m.counters));
        cs.zero = static_cast<std::uint32_t>(rng.below(std::size_t{1} << m.counters)) & cs.tested;
        cs.next = rng.below(Q + 1);
        for (std::size_t k = 0; k < m.counters; ++k) cs.delta.push_back(static_cast<int>(rng.below(3)) - 1);
        m.rules[q * S + s].push_back(cs);
      }
    }
  return m;
}

TEST(CounterMachine, CompiledNetworkHoldsTheMachinesConfiguration) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const CounterMachine m = random_machine(seed);
    check_machine(m);
    CounterSpecOptions o;
    o.accept = false;
    const compiler::Spec spec = counter_mlp_spec(m, o);
    compiler::SplitMix64 rng(seed * 7);
    for (int w = 0; w < 10; ++w) {
      std::vector<std::size_t> word(rng.below(30));
      for (std::size_t& s : word) s = rng.below(m.alphabet.size());
      const CounterRun r = run_machine(m, word);
      const CounterNetRun net = run_counter_net(spec, word);
      ASSERT_FALSE(net.overflow);
      ASSERT_EQ(net.h, encode_configuration(m, r.state, r.counters)) << "seed " << seed;
      ASSERT_EQ(net.y > 0, r.accept) << "seed " << seed;
    }
  }
}

TEST(CounterMachine, InterpreterAndCircuitsAgreeWithTheNetworksOwnRun) {
  const CounterMachine m = sdgc_machine();
  CounterSpecOptions o;
  o.accept = false;
  const compiler::Spec trace = counter_mlp_spec(m, o);
  o.accept = true;
  const compiler::Spec accept = counter_mlp_spec(m, o);
  EXPECT_EQ(trace.kind, compiler::Kind::Mlp);
  EXPECT_EQ(trace.d, 12u);
  const CounterNetShape shape = counter_net_shape(m);
  EXPECT_EQ(shape.d, trace.d);
  EXPECT_EQ(shape.hidden, trace.hidden);
  compiler::SplitMix64 rng(4);
  for (int k = 0; k < 6; ++k) {
    const SdgcInstance g = random_sdgc(3 + k, k % 2 ? SdgcGraphs::Paths : SdgcGraphs::Forward, k % 2 == 0, rng);
    const std::vector<std::size_t> w = unary_word(g);
    const CounterNetRun net = run_counter_net(trace, w);
    ASSERT_FALSE(net.overflow);
    const ExactRun run = run_exact(trace, one_hot_inputs(trace.m(), w));
    ASSERT_EQ(run.states.back().size(), net.h.size());
    for (std::size_t i = 0; i < net.h.size(); ++i) EXPECT_EQ(run.states.back()[i], mpq_class(net.h[i])) << i;
    EXPECT_EQ(run.outputs.back().at(0), mpq_class(net.y));
    // The naive circuit's accept bit.
    if (w.size() <= 40) {
      const QVector out = circuit_outputs(accept, one_hot_inputs(accept.m(), w), "");
      EXPECT_EQ(out.at(0) != 0, reachable(g));
    }
  }
}

// `rnncc task sdgc`'s instances, in and beyond the paper's training lengths (N up to 300): the
// compiled counter RNN labels every one as breadth-first search does (100%).
TEST(CounterMachine, TheRnnSolvesTheSdgcTask) {
  const compiler::Spec spec = counter_mlp_spec(sdgc_machine());
  std::size_t solved = 0, total = 0, positive = 0;
  for (SdgcGraphs graphs : {SdgcGraphs::Paths, SdgcGraphs::Forward})
    for (std::size_t n : {2, 7, 60, 100, 150, 200, 250, 300}) {
      TaskOptions o;
      o.task = TaskKind::Sdgc;
      o.n = n;
      o.count = 6;
      o.seed = n;
      o.graphs = graphs;
      o.encoding = SdgcEncoding::Unary;
      for (const SdgcInstance& g : sdgc_task_instances(o)) {
        const bool label = reachable(g);
        positive += label;
        ++total;
        const CounterNetRun run = run_counter_net(spec, unary_word(g));
        solved += !run.overflow && (run.y > 0) == label;
      }
    }
  EXPECT_EQ(solved, total);
  EXPECT_EQ(positive * 2, total);
}

// A network whose values grow past 64 bits (the pass-through of S⁺ doubled, as the claims' fault
// injection does) is reported as overflowing, without signed-overflow undefined behaviour; so is
// a weight near 2^63.
TEST(CounterMachine, OverflowIsReportedNotWrapped) {
  const CounterMachine m = sdgc_machine();
  compiler::Spec spec = counter_mlp_spec(m);
  compiler::Tensor& w2 = spec.params.at("W2");
  w2.values.at(m.states.size() * spec.hidden) = 2;  // S⁺ ← 2·ReLU(S⁺) + …
  std::vector<std::size_t> word(70, kOne);          // S⁺ doubles 70 times
  EXPECT_TRUE(run_counter_net(spec, word).overflow);
  word.resize(5);
  const CounterNetRun small = run_counter_net(spec, word);
  EXPECT_FALSE(small.overflow);
  EXPECT_EQ(small.h[m.states.size()], 31);  // 1, 3, 7, 15, 31
  compiler::Spec huge = counter_mlp_spec(m);
  huge.params.at("W1").values.at(0) = mpq_class(mpz_class("4611686018427387904"));  // 2^62
  EXPECT_TRUE(run_counter_net(huge, {kOne, kOne, kOne}).overflow);
}

TEST(CounterMachine, LiftScanRefusesTheNetwork) {
  const compiler::Spec spec = counter_mlp_spec(sdgc_machine());
  const compiler::PipelineResult r =
      compiler::run_script(compiler::unroll(spec, 16), compiler::parse_script("lift-scan -n sklansky"));
  ASSERT_TRUE(r.records.at(0).refused());
  EXPECT_NE(r.records[0].refusal.find("relu"), std::string::npos) << r.records[0].refusal;
}

TEST(CounterMachine, BadMachinesAreRefused) {
  CounterMachine m = sdgc_machine();
  m.rules[0][0].delta[0] = 2;
  EXPECT_NE(test::error_of([&] { check_machine(m); }).find("−1, 0 or +1"), std::string::npos);
  m = sdgc_machine();
  m.rules.pop_back();
  EXPECT_THROW(check_machine(m), Error);
  m = sdgc_machine();
  m.rules[0][0].zero = 4;  // not tested
  EXPECT_THROW(check_machine(m), Error);
}

}  // namespace
}  // namespace rnncc::proofs
