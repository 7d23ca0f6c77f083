// Number domains: mod-p arithmetic against exact integers reduced mod p (GMP), rational
// constants through the inverse of their denominator, primality against trial division, and
// the kinds each domain refuses.
#include <gtest/gtest.h>

#include <random>

#include "circuits/domains.hpp"

namespace rnncc::circuits {
namespace {

std::uint64_t reduce(const mpz_class& z, std::uint64_t p) {
  mpz_class r = z % mpz_class(std::to_string(p));
  if (r < 0) r += mpz_class(std::to_string(p));
  return std::stoull(r.get_str());
}

class ModpArithmetic : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(ModpArithmetic, MatchesExactIntegersReducedModP) {
  const std::uint64_t p = GetParam();
  ModpDomain dom(p);
  std::mt19937_64 rng(p);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t a = rng() % p, b = rng() % p;
    mpz_class A(std::to_string(a)), B(std::to_string(b));
    ASSERT_EQ(dom.add(a, b), reduce(A + B, p));
    ASSERT_EQ(dom.sub(a, b), reduce(A - B, p));
    ASSERT_EQ(dom.mul(a, b), reduce(A * B, p));
    ASSERT_EQ(dom.neg(a), reduce(-A, p));
  }
}

TEST_P(ModpArithmetic, RationalConstantsUseTheInverseOfTheDenominator) {
  const std::uint64_t p = GetParam();
  ModpDomain dom(p);
  for (long num : {-7L, -3L, 0L, 1L, 5L, 1000000007L}) {
    for (long den : {1L, 2L, 3L, 4L, 1024L, 65536L}) {
      mpq_class q(num, den);
      q.canonicalize();
      std::uint64_t v = dom.constant(q);
      // v * den == num (mod p)
      ASSERT_EQ(dom.mul(v, reduce(mpz_class(den), p)), reduce(mpz_class(num), p)) << q.get_str();
    }
  }
  // Numerators and denominators beyond a machine word take the big-integer path.
  const mpz_class big = (mpz_class(1) << 100) + 3;
  const mpz_class big_den = mpz_class("717897987691852588770249");  // 3^50
  for (const mpz_class& num : {big, mpz_class(-big), mpz_class(5)})
    for (const mpz_class& den : {mpz_class(1), big_den, mpz_class(mpz_class(1) << 70)}) {
      mpq_class q(num, den);
      q.canonicalize();
      if (reduce(q.get_den(), p) == 0) continue;
      const std::uint64_t v = dom.constant(q);
      ASSERT_EQ(dom.mul(v, reduce(q.get_den(), p)), reduce(q.get_num(), p)) << q.get_str();
    }
}

INSTANTIATE_TEST_SUITE_P(Primes, ModpArithmetic,
                         ::testing::Values(kDefaultModulus, 1000003ull, 4611686018427387847ull, 97ull));

TEST(Modp, ModulusDividingADenominatorIsRefused) {
  ModpDomain dom(3);
  EXPECT_THROW(dom.constant(mpq_class(1, 3)), Error);
  EXPECT_EQ(dom.constant(mpq_class(3)), 0u);
  try {
    ModpDomain(7).constant(mpq_class(2, 7));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the modulus 7 divides the denominator of the constant 2/7");
  }
}

TEST(Modp, ModulusMustBeAPrimeBelow2To62) {
  EXPECT_THROW(ModpDomain(1), Error);
  EXPECT_THROW(ModpDomain(91), Error);  // 7 * 13
  EXPECT_THROW(ModpDomain(std::uint64_t{1} << 62), Error);
  EXPECT_NO_THROW(ModpDomain(2));
  EXPECT_NO_THROW(ModpDomain(4611686018427387847ull));  // largest prime below 2^62
}

TEST(Primes, MillerRabinAgreesWithTrialDivision) {
  auto trial = [](std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t q = 2; q * q <= n; ++q)
      if (n % q == 0) return false;
    return true;
  };
  for (std::uint64_t n = 0; n < 20000; ++n) ASSERT_EQ(is_prime(n), trial(n)) << n;
  for (std::uint64_t n = (1ull << 32) - 200; n < (1ull << 32) + 200; ++n) ASSERT_EQ(is_prime(n), trial(n)) << n;
  EXPECT_TRUE(is_prime(kDefaultModulus));
  EXPECT_FALSE(is_prime(3215031751ull));  // strong pseudoprime to bases 2, 3, 5, 7
}

TEST(Domains, WhichKindsEachDomainDefines) {
  EXPECT_TRUE(domain_defines(DomainKind::Real, Op::Tanh));
  EXPECT_FALSE(domain_defines(DomainKind::Exact, Op::Tanh));
  EXPECT_TRUE(domain_defines(DomainKind::Exact, Op::Relu));
  EXPECT_FALSE(domain_defines(DomainKind::Modp, Op::Relu));
  EXPECT_FALSE(domain_defines(DomainKind::Modp, Op::Step));
  EXPECT_TRUE(domain_defines(DomainKind::Modp, Op::Mul));
  EXPECT_FALSE(domain_defines(DomainKind::Bool, Op::Add));
  EXPECT_TRUE(domain_defines(DomainKind::Bool, Op::Xor));
  ExactDomain ex;
  try {
    ex.tanh(mpq_class(1));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "'tanh' is not defined in the exact domain (its values are not rational)");
  }
  EXPECT_THROW(ModpDomain().relu(1), Error);
}

TEST(Domains, ExactNonlinearKinds) {
  ExactDomain ex;
  EXPECT_EQ(ex.relu(mpq_class(-3, 4)), 0);
  EXPECT_EQ(ex.relu(mpq_class(3, 4)), mpq_class(3, 4));
  EXPECT_EQ(ex.sign(mpq_class(-3, 4)), -1);
  EXPECT_EQ(ex.sign(mpq_class(0)), 0);
  EXPECT_EQ(ex.step(mpq_class(0)), 0);
  EXPECT_EQ(ex.step(mpq_class(1, 1000)), 1);
  RealDomain re;
  EXPECT_DOUBLE_EQ(re.sigmoid(0), 0.5);
  EXPECT_EQ(re.step(0.0), 0.0);
  EXPECT_EQ(re.sign(-2.0), -1.0);
  EXPECT_EQ(parse_domain("modp"), DomainKind::Modp);
  EXPECT_THROW(parse_domain("complex"), Error);
}

// IEEE division of two exactly representable integers is correctly rounded, so it is an
// independent reference for the nearest double of p/q; get_d() truncates instead.
TEST(RealDomain, ConstantsRoundToNearest) {
  EXPECT_EQ(nearest_double(mpq_class(1, 10)), 0.1);
  EXPECT_EQ(nearest_double(mpq_class(-1, 10)), -0.1);
  EXPECT_NE(mpq_class(1, 10).get_d(), 0.1);  // why nearest_double exists
  EXPECT_EQ(RealDomain{}.constant(mpq_class(2, 3)), 2.0 / 3.0);
  EXPECT_EQ(nearest_double(mpq_class(0)), 0.0);
  EXPECT_EQ(nearest_double(mpq_class(3, 4)), 0.75);
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> num(-(std::int64_t{1} << 52), std::int64_t{1} << 52);
  std::uniform_int_distribution<std::int64_t> den(1, std::int64_t{1} << 52);
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t p = num(rng), q = den(rng);
    mpq_class r{mpz_class(static_cast<long>(p)), mpz_class(static_cast<long>(q))};
    r.canonicalize();
    ASSERT_EQ(nearest_double(r), static_cast<double>(p) / static_cast<double>(q)) << p << "/" << q;
  }
  // A tie between two doubles goes to the even mantissa: 1 + 2^-53 lies halfway between 1 and
  // 1 + 2^-52.
  mpq_class tie = mpq_class(1) + mpq_class(1, mpz_class(1) << 53);
  EXPECT_EQ(nearest_double(tie), 1.0);
  mpq_class tie_up = mpq_class(1) + mpq_class(3, mpz_class(1) << 53);
  EXPECT_EQ(nearest_double(tie_up), 1.0 + 4.0 / 9007199254740992.0);
}

}  // namespace
}  // namespace rnncc::circuits
