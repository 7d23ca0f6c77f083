// Readout by equality tests (proofs/equality_readout.hpp): identical to the positivity readout
// when the primes cover the precision, and not when one small modulus confuses values.
#include <gtest/gtest.h>

#include "circuits/error.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/dwfa.hpp"
#include "proofs/equality_readout.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

compiler::Spec dwfa_accept() {
  const Automaton a = load_automaton(test::source_dir() + "/examples/automata/issue.toml");
  std::string text = dwfa_spec_text(a);
  text.replace(text.find("outputs = \"final\""), 17, "outputs = \"accept\"");
  return compiler::parse_spec(text + "o = [1]\n", "dwfa_accept.toml");
}

TEST(EqualityReadout, SameAsPositivityWithEnoughPrimes) {
  const EqualityReadoutReport r = check_equality_readout(dwfa_accept(), 8, 257);
  EXPECT_EQ(r.words, 510u);  // 2 + 4 + … + 256
  EXPECT_EQ(r.agree, r.words);
  EXPECT_GT(r.positive, 0u);
  EXPECT_LT(r.positive, r.words);
  ASSERT_EQ(r.values_per_length.size(), 8u);
  // Few values: far fewer than the 2^T words.
  EXPECT_LT(r.values_per_length.back(), 256u / 4);
  // Primes ≥ 257 whose product exceeds 2^(2B+1).
  mpz_class product = 1;
  for (std::uint64_t p : r.primes) {
    EXPECT_GE(p, 257u);
    product *= static_cast<unsigned long>(p);
  }
  EXPECT_GT(product, mpz_class(1) << static_cast<unsigned>(2 * r.max_bits + 1));
}

TEST(EqualityReadout, OneSmallModulusIsNotEnough) {
  const EqualityReadoutReport r = check_equality_readout(dwfa_accept(), 8, 257, {7});
  EXPECT_LT(r.agree, r.words);
}

TEST(EqualityReadout, NeedsALinearAcceptingSpec) {
  const compiler::Spec relu = compiler::load_spec(test::example_spec_path("elman_relu"));
  EXPECT_NE(test::error_of([&] { check_equality_readout(relu, 3, 257); }).find("linear kind with accept"),
            std::string::npos);
}

}  // namespace
}  // namespace rnncc::proofs
