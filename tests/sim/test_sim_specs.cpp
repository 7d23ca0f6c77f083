// The simulator on every example spec, in every domain models.md allows for it: the naive
// circuit and (for linear kinds) the lift-scanned circuits, simulated on a batch of random
// input sequences, against the reference interpreter run on each sequence separately. Outputs
// `all` and `final` (with acceptance where the domain has an order), T in {1, 2, 7}; exact and
// modp must agree exactly, real within 1e-9 relative (scanning reorders floating-point sums).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/levelize.hpp"
#include "compiler/domain_policy.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/passes/lift_scan.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "sim/instances.hpp"
#include "tests/support.hpp"

namespace rnncc::sim {
namespace {

using circuits::DomainKind;
using compiler::Spec;

const std::vector<std::string> kExamples = {"deltanet", "dense", "diagonal", "dplr", "elman_relu", "elman_sign",
                                            "elman_tanh", "gru", "lstm", "pd", "pd_maps", "rwkv7", "mlp", "switched"};

// The variants of one example: as written (outputs all), and final with acceptance.
std::vector<Spec> variants(const std::string& stem) {
  const std::string text = test::read_text(test::example_spec_path(stem));
  return {compiler::parse_spec(text, test::example_spec_path(stem)),
          compiler::parse_spec(test::edited_example(stem, "outputs = \"all\"", "outputs = \"final\"\naccept = true"),
                               test::example_spec_path(stem))};
}

// Simulates `c` on `xs` (one instance per sequence) and compares with the interpreter.
// `threads` > 1 shares even the narrowest levels between threads (slow on a loaded machine, where
// every level barrier waits for a descheduled thread: used sparingly).
void check(const Spec& spec, const circuits::Circuit& c, DomainKind d, std::uint64_t p,
           const std::vector<compiler::InputSequence>& seqs, int threads) {
  std::vector<std::vector<mpq_class>> inputs;
  const compiler::CircuitInputs circuit_inputs(spec, c);
  for (const auto& xs : seqs) inputs.push_back(circuit_inputs.values(xs));
  BatchOptions bo;
  bo.modulus = p;
  bo.sim.threads = threads;
  bo.sim.serial_below = 0;
  const InstanceValues v = simulate_instances(circuits::levelize(c, d), inputs, bo);
  ASSERT_EQ(v.outputs, c.outputs().size());
  circuits::RealDomain real;
  circuits::ExactDomain exact;
  circuits::ModpDomain modp(p);
  for (std::size_t k = 0; k < seqs.size(); ++k) {
    SCOPED_TRACE("instance " + std::to_string(k));
    switch (d) {
      case DomainKind::Real: {
        const auto want = compiler::in_output_order(spec, compiler::interpret_values(spec, real, seqs[k]));
        ASSERT_EQ(want.size(), v.outputs);
        for (std::size_t o = 0; o < want.size(); ++o)
          EXPECT_LE(std::abs(v.real[k * v.outputs + o] - want[o]), 1e-9 * std::max(1.0, std::abs(want[o])))
              << c.outputs()[o].name;
        break;
      }
      case DomainKind::Exact: {
        const auto want = compiler::in_output_order(spec, compiler::interpret_values(spec, exact, seqs[k]));
        ASSERT_EQ(want.size(), v.outputs);
        for (std::size_t o = 0; o < want.size(); ++o) EXPECT_EQ(v.exact[k * v.outputs + o], want[o]) << c.outputs()[o].name;
        break;
      }
      default: {
        const auto want = compiler::in_output_order(spec, compiler::interpret_values(spec, modp, seqs[k]));
        ASSERT_EQ(want.size(), v.outputs);
        for (std::size_t o = 0; o < want.size(); ++o)
          EXPECT_EQ(v.modp_or_bool[k * v.outputs + o], want[o]) << c.outputs()[o].name;
      }
    }
  }
}

TEST(SimSpecs, EveryExampleInEveryAllowedDomainNaiveAndScanned) {
  std::size_t checked = 0;
  for (const std::string& stem : kExamples) {
    for (const Spec& spec : variants(stem)) {
      for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}) {
        if (!compiler::domain_allows(spec, d)) continue;
        for (std::uint64_t p : d == DomainKind::Modp ? std::vector<std::uint64_t>{circuits::kDefaultModulus, 1000003}
                                                     : std::vector<std::uint64_t>{circuits::kDefaultModulus}) {
          if (d == DomainKind::Modp) {
            // No example has a denominator that 2^61 - 1 or 1000003 divides (they are dyadic or
            // small): a refusal here is a failure, never a silent skip.
            try {
              compiler::check_modulus(spec, p);
            } catch (const Error& e) {
              ADD_FAILURE() << stem << ": modulus " << p << " refused: " << e.what();
              continue;
            }
          }
          for (std::uint64_t T : {1, 2, 7}) {
            SCOPED_TRACE(stem + (spec.outputs == compiler::OutputMode::Final ? " final" : " all") + " in " +
                         std::string(circuits::domain_name(d)) + " p=" + std::to_string(p) + " T=" + std::to_string(T));
            compiler::SplitMix64 rng(T * 31 + p);
            std::vector<compiler::InputSequence> seqs;
            for (int k = 0; k < 5; ++k) seqs.push_back(compiler::random_input_sequence(spec, T, rng));
            const circuits::Circuit naive = compiler::unroll(spec, T);
            check(spec, naive, d, p, seqs, T == 2 ? 2 : 1);
            ++checked;
            if (!compiler::is_linear(spec.kind)) continue;
            for (auto net : {compiler::passes::PrefixNetwork::BrentKung, compiler::passes::PrefixNetwork::Sklansky}) {
              compiler::passes::LiftScanParams lp;
              lp.network = net;
              if (compiler::has_matrix_state(spec.kind)) lp.matrix_shape = {{spec.d_v, spec.d_k}};
              compiler::passes::LiftScanStats st;
              const circuits::Circuit scanned = compiler::passes::lift_scan(naive, lp, &st);
              ASSERT_TRUE(st.lifted) << st.refusal;
              check(spec, scanned, d, p, seqs, T == 2 ? 2 : 1);
              ++checked;
            }
          }
        }
      }
    }
  }
  // Exactly, by models.md's domain table (3 lengths each; a linear kind adds 2 scans per run):
  //   elman_tanh, gru, lstm (tanh/sigmoid: real only): 3 x 2 variants x 1 domain x 3 T = 18;
  //   elman_relu, elman_sign, mlp, switched (need an order: real, exact): 4 x 2 x 2 x 3 = 48;
  //   deltanet, dense, diagonal, dplr, pd, pd_maps, rwkv7 (linear): "all" runs real, exact and
  //   modp with 2 moduli (4 runs), "final" with acceptance needs an order (real, exact: 2 runs),
  //   so 7 x (4 + 2) x 3 T x (1 naive + 2 scans) = 378.
  // 18 + 48 + 378 = 444: any case skipped (a domain refused, a modulus refused) changes it.
  EXPECT_EQ(checked, 444u);
}

// The interpreter knows nothing of levels, tiles or threads: one batch of 200 sequences in
// batches of 1, 63, 64, 65 and all at once gives the same outputs.
TEST(SimSpecs, BatchSizesAgreeOnASpec) {
  const Spec spec = variants("dplr")[0];
  const circuits::Circuit c = compiler::unroll(spec, 6);
  const circuits::Schedule s = circuits::levelize(c, DomainKind::Exact);
  compiler::SplitMix64 rng(11);
  std::vector<std::vector<mpq_class>> inputs;
  const compiler::CircuitInputs circuit_inputs(spec, c);
  for (int k = 0; k < 200; ++k) inputs.push_back(circuit_inputs.values(compiler::random_input_sequence(spec, 6, rng)));
  BatchOptions all;
  const InstanceValues ref = simulate_instances(s, inputs, all);
  for (std::size_t batch : {1, 63, 64, 65}) {
    BatchOptions bo;
    bo.batch = batch;
    bo.sim.tile = batch == 1 ? 1 : 7;
    const InstanceValues v = simulate_instances(s, inputs, bo);
    EXPECT_EQ(v.exact, ref.exact) << "batch " << batch;
  }
}

// Parameter and initial-state inputs: CircuitInputs gives the parameters the spec's values and
// the initial state zero, so the circuit equals the interpreter (which reads the spec's
// parameters and a zero state). Inputs it cannot explain, and sequences too short, are errors
// naming the input.
TEST(SimSpecs, CircuitInputsForParameterAndStateInputs) {
  const Spec spec = compiler::parse_spec(
      "params = \"inputs\"\ninitial_state = \"inputs\"\n" + test::read_text(test::example_spec_path("dplr")),
      test::example_spec_path("dplr"));
  const circuits::Circuit c = compiler::unroll(spec, 3);
  const compiler::CircuitInputs circuit_inputs(spec, c);
  compiler::SplitMix64 rng(5);
  std::vector<compiler::InputSequence> seqs;
  for (int k = 0; k < 4; ++k) seqs.push_back(compiler::random_input_sequence(spec, 3, rng));
  ASSERT_GT(c.inputs().size(), 3 * spec.m());  // parameters and the initial state are inputs too
  check(spec, c, DomainKind::Exact, circuits::kDefaultModulus, seqs, 1);

  try {
    circuit_inputs.values({seqs[0][0], seqs[0][1]});
    ADD_FAILURE() << "a 2-step sequence for a 3-step circuit was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input 'x[3][0]' reads x[3][0], outside a sequence of 2 steps"), std::string::npos) << e.what();
  }
  circuits::Builder b(c);
  b.input("z");
  try {
    compiler::CircuitInputs extra(spec, b.finish());
    ADD_FAILURE() << "an unknown input was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input 'z' of dplr: it has no interface port"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rnncc::sim
