#include "circuits/domains.hpp"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace rnncc::circuits {

std::string_view domain_name(DomainKind d) {
  switch (d) {
    case DomainKind::Real: return "real";
    case DomainKind::Exact: return "exact";
    case DomainKind::Modp: return "modp";
    case DomainKind::Bool: return "bool";
  }
  return "?";
}

DomainKind parse_domain(std::string_view s) {
  for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp, DomainKind::Bool})
    if (domain_name(d) == s) return d;
  throw Error(fmt::format("unknown domain '{}': expected real, exact, modp or bool", s));
}

bool domain_defines(DomainKind d, Op op) {
  if (is_source(op) || op == Op::Buf) return true;
  switch (d) {
    case DomainKind::Real: return !(op == Op::And || op == Op::Or || op == Op::Xor || op == Op::Not);
    case DomainKind::Exact:
      return !(op == Op::And || op == Op::Or || op == Op::Xor || op == Op::Not || op == Op::Tanh ||
               op == Op::Sigmoid);
    case DomainKind::Modp: return op == Op::Add || op == Op::Sub || op == Op::Mul || op == Op::Neg;
    case DomainKind::Bool: return op == Op::And || op == Op::Or || op == Op::Xor || op == Op::Not;
  }
  return false;
}

void throw_undefined(Op op, DomainKind d) {
  const char* why = d == DomainKind::Exact ? " (its values are not rational)"
                    : d == DomainKind::Modp ? " (integers mod p have no order)"
                                            : "";
  throw Error(fmt::format("'{}' is not defined in the {} domain{}", mnemonic(op), domain_name(d), why));
}

double nearest_double(const mpq_class& q) {
  const double d = q.get_d();  // truncated: q lies between d and its neighbour away from zero
  if (!std::isfinite(d)) return d;
  const double away = std::nextafter(d, sgn(q) >= 0 ? HUGE_VAL : -HUGE_VAL);
  if (!std::isfinite(away)) return d;
  const mpq_class ed(d), ea(away);
  const int order = cmp(abs(q - ed), abs(q - ea));
  if (order < 0) return d;
  if (order > 0) return away;
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return (bits & 1) == 0 ? d : away;  // a tie: the even mantissa
}

std::string RealDomain::format(Value a) const { return fmt::format("{}", a); }

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t q : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull})
    if (n % q == 0) return n == q;
  // Deterministic Miller-Rabin for 64-bit n with these bases.
  std::uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  auto mulmod = [n](std::uint64_t a, std::uint64_t b) {
    return static_cast<std::uint64_t>(static_cast<uint128>(a) * b % n);
  };
  auto powmod = [&](std::uint64_t a, std::uint64_t e) {
    std::uint64_t r = 1;
    for (a %= n; e; e >>= 1, a = mulmod(a, a))
      if (e & 1) r = mulmod(r, a);
    return r;
  };
  for (std::uint64_t a : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull}) {
    std::uint64_t x = powmod(a, d);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int r = 1; r < s && composite; ++r) {
      x = mulmod(x, x);
      if (x == n - 1) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

std::string modulus_problem(std::uint64_t p) {
  if (p >= (std::uint64_t{1} << 62)) return "too large";
  if (!is_prime(p)) return "not prime";
  return "";
}

std::string modulus_message(std::uint64_t p) {
  const std::string problem = modulus_problem(p);
  if (problem.empty()) return "";
  return fmt::format("expected a prime below 2^62, got {} ({})", p, problem);
}

void check_modulus_value(std::uint64_t p) {
  const std::string message = modulus_message(p);
  if (!message.empty()) throw Error("modulus: " + message);
}

ModpDomain::ModpDomain(std::uint64_t modulus) : p(modulus) { check_modulus_value(p); }

ModpDomain::Value ModpDomain::pow(Value a, std::uint64_t e) const {
  Value r = 1;
  for (; e; e >>= 1, a = mul(a, a))
    if (e & 1) r = mul(r, a);
  return r;
}

ModpDomain::Value ModpDomain::constant(const mpq_class& q) const {
  // Machine-word numerator and denominator (inputs, one-hot bits, dyadic values): no big
  // integers, and no inverse when the denominator is 1.
  if (mpz_fits_slong_p(q.get_num_mpz_t()) && mpz_fits_ulong_p(q.get_den_mpz_t())) {
    const long n = mpz_get_si(q.get_num_mpz_t());
    const auto pl = static_cast<long>(p);  // p < 2^62
    long r = n % pl;
    if (r < 0) r += pl;
    const std::uint64_t d = mpz_get_ui(q.get_den_mpz_t()) % p;
    if (d == 0) throw Error(fmt::format("the modulus {} divides the denominator of the constant {}", p, q.get_str()));
    return d == 1 ? static_cast<Value>(r) : mul(static_cast<Value>(r), inverse(d));
  }
  mpz_class pz;
  mpz_set_ui(pz.get_mpz_t(), 0);
  mpz_import(pz.get_mpz_t(), 1, 1, sizeof(p), 0, 0, &p);
  mpz_class num = q.get_num() % pz, den = q.get_den() % pz;
  if (num < 0) num += pz;
  if (den == 0)
    throw Error(fmt::format("the modulus {} divides the denominator of the constant {}", p, q.get_str()));
  auto to_u64 = [](const mpz_class& z) {
    std::uint64_t v = 0;
    mpz_export(&v, nullptr, 1, sizeof(v), 0, 0, z.get_mpz_t());
    return v;
  };
  return mul(to_u64(num), inverse(to_u64(den)));
}

}  // namespace rnncc::circuits
