// DeltaNet primitives (Lemmas 9–12, Thm 12; claim 8): the transvection identity, the Lemma 12
// program's exact step count 8n² + 5n + 1 and its map [x | s | τ] ↦ [xP | xP | 0], checked by
// exact products of the step matrices (the oracle: proofs/matrix.hpp, not rnncc's models) and
// against rnncc's deltanet kind: the interpreter, the naive circuit and lift-scan's circuits,
// and verify's stage-by-stage check, for n = 1 … 9. Broken programs are caught.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "check/verify.hpp"
#include "compiler/pipeline.hpp"
#include "proofs/deltanet.hpp"
#include "proofs/spec_run.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

TEST(DeltaNet, HouseholderAndScaling) {
  // H(β, k) = I − βkkᵀ entry by entry; H(1 − c, e_j) scales coordinate j of a row by c.
  const QMatrix h = householder(mpq_class(1, 3), {1, 2, 0});
  EXPECT_EQ(h, (QMatrix{{mpq_class(2, 3), mpq_class(-2, 3), 0}, {mpq_class(-2, 3), mpq_class(-1, 3), 0}, {0, 0, 1}}));
  const HStep s = scaling(3, 1, mpq_class(-5, 2));
  EXPECT_EQ(row_times({1, 2, 3}, householder(s.beta, s.k)), (QVector{1, -5, 3}));
}

TEST(DeltaNet, TransvectionIdentityEveryPair) {
  const TransvectionCheck c = check_transvection(7);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.pairs, 2u + 6 + 12 + 20 + 30 + 42);
  EXPECT_EQ(c.failures, 0u);
  // And the three steps built by transvection() add r_s into r_d.
  EXPECT_EQ(row_times({3, 5, 7}, program_matrix(transvection(3, 0, 2), 3)), (QVector{3, 5, 10}));
  const TransvectionCheck broken = check_transvection(4, mpq_class(1, 100));
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.failures, broken.pairs);
  EXPECT_NE(broken.measured.find("first failure"), std::string::npos);
}

TEST(DeltaNet, ScaledAddIsEightStepsAndKeepsTheScratchZero) {
  for (const mpq_class& c : {mpq_class(0), mpq_class(1), mpq_class(-2), mpq_class(3, 7)}) {
    const std::vector<HStep> steps = scaled_add(4, 0, 2, 3, c);
    EXPECT_EQ(steps.size(), 8u);
    // r_2 += c r_0, τ = r_3 stays 0 (it is 0 before).
    EXPECT_EQ(row_times({2, 9, 5, 0}, program_matrix(steps, 4)), (QVector{2, 9, 5 + c * 2, 0}));
  }
}

TEST(DeltaNet, Lemma12StepCountsAndExactProducts) {
  // 8n² + 5n + 1: 14, 43, 88, 149, 226, 319, 428, 553, 694.
  const std::vector<std::size_t> want = {14, 43, 88, 149, 226, 319, 428, 553, 694};
  for (std::size_t n = 1; n <= 9; ++n) {
    const DeltaNetProgram p = deltanet_program(n, 7 + n);
    ASSERT_EQ(p.steps.size(), want[n - 1]);
    ASSERT_EQ(p.steps.size(), program_steps_formula(n));
    // Any [x | s | τ] goes to [xP | xP | 0]: the product is [[P, P, 0], [0, 0, 0], [0, 0, 0]].
    const QMatrix m = program_matrix(p.steps, 2 * n + 1);
    for (std::size_t i = 0; i < 2 * n + 1; ++i)
      for (std::size_t j = 0; j < 2 * n + 1; ++j) {
        const mpq_class w = i < n && j < 2 * n ? p.P[i][j % n] : mpq_class(0);
        ASSERT_EQ(m[i][j], w) << "n = " << n << " at " << i << "," << j;
      }
  }
  // A rational matrix too.
  const QMatrix P = {{mpq_class(1, 2), -3}, {0, mpq_class(-7, 5)}};
  const QMatrix m = program_matrix(deltanet_program(P).steps, 5);
  EXPECT_EQ(row_times({1, 2, 11, -4, 9}, m), (QVector{mpq_class(1, 2), mpq_class(-29, 5), mpq_class(1, 2), mpq_class(-29, 5), 0}));
}

TEST(DeltaNet, ClaimCheckRunsTheInterpreterAndCircuits) {
  const DeltaNetProgramCheck c = check_deltanet_program(9, 2, 1, "sklansky", 2);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.step_counts, (std::vector<std::size_t>{14, 43, 88, 149, 226, 319, 428, 553, 694}));
  EXPECT_NE(c.measured.find("694"), std::string::npos);
}

TEST(DeltaNet, BrokenProgramsFailTheCheck) {
  ProgramBreak drop;  // one step fewer: the count and the map are both wrong
  drop.step = 5;
  drop.drop = true;
  const DeltaNetProgramCheck d = check_deltanet_program(3, 1, 1, "", 0, drop);
  EXPECT_FALSE(d.ok);
  EXPECT_FALSE(d.counts_ok);
  EXPECT_FALSE(d.products_ok);
  ProgramBreak beta;  // one β off by 1/7: the count holds, the map does not
  beta.step = 3;
  beta.beta_delta = mpq_class(1, 7);
  const DeltaNetProgramCheck b = check_deltanet_program(3, 1, 1, "sklansky", 3, beta);
  EXPECT_FALSE(b.ok);
  EXPECT_TRUE(b.counts_ok);
  EXPECT_FALSE(b.products_ok);
  EXPECT_FALSE(b.interpreter_ok);
  EXPECT_FALSE(b.circuits_ok);
}

TEST(DeltaNet, SpecHasOneSymbolPerDistinctStepAndReadsTheProduct) {
  const std::vector<QMatrix> ps = {{{1, 2}, {-1, 0}}, {{0, 1}, {1, 1}}, {{2, 0}, {mpq_class(1, 2), 1}}};
  const DeltaNetConstruction c = deltanet_construction(ps);
  const compiler::Spec spec = deltanet_spec(c);
  EXPECT_EQ(spec.kind, compiler::Kind::Deltanet);
  EXPECT_EQ(spec.d_k, 5u);
  EXPECT_EQ(spec.d_v, 2u);
  EXPECT_EQ(spec.m(), c.symbols.size() + 2);
  EXPECT_EQ(c.sequence.size(), 3 * program_steps_formula(2) + 2);
  EXPECT_EQ(*spec.T, c.sequence.size());
  for (std::size_t s = 0; s < c.symbols.size(); ++s)
    for (std::size_t t = s + 1; t < c.symbols.size(); ++t)
      EXPECT_FALSE(c.symbols[s].beta == c.symbols[t].beta && c.symbols[s].k == c.symbols[t].k);
  const QMatrix q = multiply(multiply(ps[0], ps[1]), ps[2]);
  const ExactRun run = run_exact(spec, one_hot_inputs(spec.m(), c.sequence));
  const std::size_t T = c.sequence.size();
  EXPECT_EQ(run.outputs[T - 2], (QVector{q[0][0], q[1][0]}));  // r0: column 0 of P_1 P_2 P_3
  EXPECT_EQ(run.outputs[T - 1], (QVector{q[0][1], q[1][1]}));
  EXPECT_EQ(run.states.back(), (QVector{q[0][0], q[0][1], q[0][0], q[0][1], 0, q[1][0], q[1][1], q[1][0], q[1][1], 0}));
  const std::string inputs = deltanet_inputs_text(c);
  EXPECT_NE(inputs.find(fmt::format("# y at r0 = [{}, {}]", q[0][0].get_str(), q[1][0].get_str())), std::string::npos) << inputs;
}

TEST(DeltaNet, ScannedCircuitsOnTheProgramForN1To9) {
  // The full program through lift-scan (Brent-Kung: fewest combines) at n = 1..9, evaluated exactly
  // on the program's own input sequence (T = 8n² + 5n + 1 + n, 703 at n = 9).
  for (std::size_t n = 1; n <= 9; ++n) {
    const QMatrix P = random_integer_matrices(1, n, -2, 2, 40 + n).at(0);
    const DeltaNetConstruction c = deltanet_construction({P});
    const compiler::Spec spec = deltanet_spec(c);
    const QVector got = circuit_outputs(spec, one_hot_inputs(spec.m(), c.sequence), "brent-kung");
    QVector want;
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t r = 0; r < n; ++r) want.push_back(P[r][j]);
    ASSERT_EQ(QVector(got.end() - static_cast<std::ptrdiff_t>(n * n), got.end()), want) << "n = " << n;
  }
}

TEST(DeltaNet, VerifyEveryStageForN1To9) {
  // verify's random symbol sequences over each n's alphabet: naive = lift-scan = interpreter.
  check::VerifyOptions o;
  o.T = 32;
  o.trials = 3;
  o.threads = 1;
  o.domain = circuits::DomainKind::Exact;
  for (std::size_t n = 1; n <= 9; ++n) {
    const compiler::Spec spec = deltanet_spec(deltanet_construction({random_integer_matrices(1, n, -2, 2, n).at(0)}));
    const check::VerifyResult r = check::verify_script(spec, compiler::parse_script("lift-scan -n sklansky"), o);
    ASSERT_EQ(r.stages.size(), 2u);
    for (const check::StageCheck& st : r.stages)
      EXPECT_TRUE(st.ok()) << "n = " << n << " " << st.stage << ": " << st.refusal << st.first_mismatch;
  }
}

}  // namespace
}  // namespace rnncc::proofs
