// RWKV-7 overwrites and the IMM layer (Lemmas 4–6, Thm 10 layer 4; claim 7): U(dst; c) as
// rnncc's rwkv7 transition, Lemma 6's 2n overwrites, and the 18-dim ping-pong layer fed with the
// router's outputs, against exact 3×3 matrix products (the oracle: proofs/matrix.hpp); the naive
// and lift-scan circuits and verify's stage-by-stage check. Broken variants are caught.
#include <gtest/gtest.h>

#include <sstream>

#include "check/verify.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/rwkv7.hpp"
#include "proofs/spec_run.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

TEST(Rwkv7, OverwriteMatrixAndLemma4) {
  const Overwrite o{1, {2, 0, mpq_class(-1, 3)}};
  EXPECT_EQ(overwrite_matrix(o), (QMatrix{{1, 2, 0}, {0, 0, 0}, {0, mpq_class(-1, 3), 1}}));
  // (r U)_dst = r . c, the other coordinates unchanged (row convention).
  EXPECT_EQ(row_times({3, 5, 6}, overwrite_matrix(o)), (QVector{3, 4, 6}));
  EXPECT_NE(test::error_of([] { overwrite_matrix({0, {1, 2}}); }).find("c[dst] must be 0"), std::string::npos);
}

TEST(Rwkv7, Lemma5OnTheRwkv7KindsOwnTransition) {
  const OverwriteCheck c = check_rwkv_overwrite(7, 3);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.cases, 2u + 3 + 4 + 5 + 6 + 7);
  const OverwriteCheck broken = check_rwkv_overwrite(4, 3, true);
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.failures, broken.cases);
  EXPECT_NE(broken.measured.find("first failure"), std::string::npos);
}

TEST(Rwkv7, Lemma6TwoNOverwrites) {
  const Lemma6Check c = check_rwkv_lemma6(7, 5);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.overwrites, (std::vector<std::size_t>{2, 4, 6, 8, 10, 12, 14}));
  EXPECT_FALSE(check_rwkv_lemma6(3, 5, true).ok);
}

TEST(Rwkv7, ImmLayerMatchesExactProducts) {
  const RwkvImmCheck c = check_rwkv_imm(8, 3, 1, "sklansky", 3);
  EXPECT_TRUE(c.ok) << c.measured;
  EXPECT_EQ(c.sequences, 24u);
  EXPECT_EQ(c.blocks, 3u * (2 + 3 + 4 + 5 + 6 + 7 + 8 + 9));
  const RwkvImmCheck broken = check_rwkv_imm(3, 2, 1, "sklansky", 2, true);
  EXPECT_FALSE(broken.ok);
  EXPECT_FALSE(broken.interpreter_ok);
  EXPECT_FALSE(broken.circuits_ok);
}

TEST(Rwkv7, ImmSpecShapeAndTheLastBlock) {
  const std::vector<QMatrix> as = {{{1, 1, 0}, {0, 1, 0}, {0, 0, 1}}, {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
                                   {{1, 0, 1}, {0, -1, 1}, {1, 1, 0}}};
  const RwkvImmConstruction c = rwkv_imm_construction(as);
  const compiler::Spec spec = rwkv_imm_spec(c);
  EXPECT_EQ(spec.kind, compiler::Kind::Rwkv7);
  EXPECT_EQ(spec.d_k, 18u);
  EXPECT_EQ(spec.d_v, 1u);
  EXPECT_EQ(spec.m(), 36u);
  EXPECT_EQ(c.steps.size(), 36u);  // 9 (N + 1)
  ASSERT_TRUE(spec.input_range.has_value());
  EXPECT_EQ(spec.input_range->first, -1);
  EXPECT_EQ(spec.input_range->second, 1);
  // Block 2 (steps 9..17) reads half 1 and writes half 0; entry (i, j) = (1, 2) at step 9 + 5.
  EXPECT_EQ(c.steps[14].dst, 5u);
  EXPECT_EQ(c.steps[14].c[9 + 3], as[0][0][2]);  // c_{9 + pi(1, k)} = A_1[k][2]
  EXPECT_EQ(c.steps[14].c[9 + 5], as[0][2][2]);
  const QMatrix p = multiply(multiply(as[0], as[1]), as[2]);
  const ExactRun run = run_exact(spec, rwkv_imm_inputs(c));
  for (std::size_t e = 0; e < 9; ++e) EXPECT_EQ(run.outputs[27 + e].at(0), p[e / 3][e % 3]) << e;
  const std::string text = rwkv_imm_inputs_text(c);
  EXPECT_NE(text.find("# block 4: vec(P_3) = " + vector_text(imm_prefix_products(as).back())), std::string::npos) << text;
  // The text's line is every circuit input value, step after step.
  const std::size_t from = text.find("\n", text.find("(rnncc sim --inputs)")) + 1;
  std::istringstream line(text.substr(from, text.find('\n', from) - from));
  std::string tok;
  std::vector<std::string> got;
  while (line >> tok) got.push_back(tok);
  std::vector<std::string> want;
  for (const auto& x : rwkv_imm_inputs(c))
    for (const mpq_class& v : x) want.push_back(v.get_str());
  EXPECT_EQ(got, want);
}

TEST(Rwkv7, ImmVerifyEveryStage) {
  check::VerifyOptions o;
  o.T = 36;
  o.trials = 3;
  o.threads = 1;
  o.domain = circuits::DomainKind::Exact;
  const compiler::Spec spec = rwkv_imm_spec(rwkv_imm_construction(random_integer_matrices(3, 3, -1, 1, 4)));
  for (const char* net : {"sklansky", "brent-kung"}) {
    const check::VerifyResult r =
        check::verify_script(spec, compiler::parse_script(std::string("lift-scan -n ") + net + "; balance"), o);
    ASSERT_EQ(r.stages.size(), 3u);
    for (const check::StageCheck& st : r.stages) EXPECT_TRUE(st.ok()) << net << " " << st.stage << ": " << st.refusal << st.first_mismatch;
  }
}

TEST(Rwkv7, MatricesFileErrorsAreLocated) {
  EXPECT_EQ(parse_matrices("# two\n1 0 0 0 1 0 0 0 1\n\n1,2,3,4,5,6,7,8,9  # comment\n", "m.txt", 3, true).size(), 2u);
  EXPECT_EQ(test::error_of([] { parse_matrices("1 0 0 0 1 0 0 0 1\n1 2 3\n", "m.txt", 3, true); }),
            "m.txt:2:1: expected 9 numbers (a 3x3 matrix, row-major), got 3");
  EXPECT_EQ(test::error_of([] { parse_matrices("1 0 0 0 1/2 0 0 0 1\n", "m.txt", 3, true); }),
            "m.txt:1:9: expected an integer in [-2^31, 2^31), got '1/2'");
  EXPECT_EQ(test::error_of([] { parse_matrices("1 0 x 1\n", "m.txt", 0, false); }),
            "m.txt:1:5: expected an exact number (an integer, p/q or a decimal), got 'x'");
  EXPECT_EQ(test::error_of([] { parse_matrices("1 2 3\n", "m.txt", 0, false); }),
            "m.txt:1:1: expected a square matrix's entries, row-major (n² numbers a line, n in 1..64), got 3 numbers");
  EXPECT_EQ(test::error_of([] { parse_matrices("# none\n", "m.txt", 0, false); }),
            "m.txt:1:1: expected at least one matrix (n² numbers a line), got none");
}

}  // namespace
}  // namespace rnncc::proofs
