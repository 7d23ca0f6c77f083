// Number domains shared by the compiler's interpreter and the simulators: `real` (IEEE double),
// `exact` (GMP rationals) and `modp` (integers mod a prime p < 2^62). Each domain is a small
// value type with the operations of the gate kinds it defines; a kind a domain does not define
// (tanh in exact, relu in modp) throws rnncc::Error naming the kind and the domain.
#pragma once

#include <gmpxx.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "circuits/arith.hpp"
#include "circuits/budget.hpp"
#include "circuits/error.hpp"
#include "circuits/gate.hpp"

namespace rnncc::circuits {

enum class DomainKind { Real, Exact, Modp, Bool };

std::string_view domain_name(DomainKind d);
// "real", "exact", "modp", "bool"; Error otherwise.
DomainKind parse_domain(std::string_view s);

// Whether gate kind `op` is defined in domain `d` (see docs/formats.md: which kinds run where).
bool domain_defines(DomainKind d, Op op);

[[noreturn]] void throw_undefined(Op op, DomainKind d);

// The double nearest to q (ties to even), where mpq_class::get_d() truncates toward zero: 1/10
// becomes 0.1, as a decimal parser would read it.
double nearest_double(const mpq_class& q);

struct RealDomain {
  using Value = double;
  static constexpr DomainKind kind = DomainKind::Real;
  Value constant(const mpq_class& q) const { return nearest_double(q); }
  Value add(Value a, Value b) const { return a + b; }
  Value sub(Value a, Value b) const { return a - b; }
  Value mul(Value a, Value b) const { return a * b; }
  Value neg(Value a) const { return -a; }
  Value relu(Value a) const { return arith::relu(a); }
  Value tanh(Value a) const { return arith::tanh(a); }
  Value sigmoid(Value a) const { return arith::sigmoid(a); }
  Value sign(Value a) const { return arith::sign(a); }
  Value step(Value a) const { return arith::step(a); }
  std::string format(Value a) const;
};

struct ExactDomain {
  using Value = mpq_class;
  static constexpr DomainKind kind = DomainKind::Exact;
  Value constant(const mpq_class& q) const { return q; }
  Value add(const Value& a, const Value& b) const { return checked(a + b, "a sum"); }
  Value sub(const Value& a, const Value& b) const { return checked(a - b, "a difference"); }
  Value mul(const Value& a, const Value& b) const { return checked(a * b, "a product"); }
  Value neg(const Value& a) const { return -a; }
  Value relu(const Value& a) const { return sgn(a) > 0 ? a : Value(0); }
  [[noreturn]] Value tanh(const Value&) const { throw_undefined(Op::Tanh, kind); }
  [[noreturn]] Value sigmoid(const Value&) const { throw_undefined(Op::Sigmoid, kind); }
  Value sign(const Value& a) const { return Value(sgn(a)); }
  Value step(const Value& a) const { return Value(sgn(a) > 0 ? 1 : 0); }
  std::string format(const Value& a) const { return a.get_str(); }
  // Bits of numerator and denominator.
  static std::uint64_t bits(const Value& v) {
    return mpz_sizeinbase(v.get_num_mpz_t(), 2) + mpz_sizeinbase(v.get_den_mpz_t(), 2);
  }
  // The value, or LimitError past the budget's max_exact_bits (circuits/budget.hpp).
  static Value checked(Value v, const char* what) {
    if (bits(v) > budget().max_exact_bits) [[unlikely]]
      check_exact_bits(bits(v), std::string("in the exact domain, ") + what);
    return v;
  }
};

// Integers mod a prime p < 2^62. Products go through unsigned __int128; the default Mersenne
// prime 2^61 - 1 folds the high part with a shift instead of a division.
struct ModpDomain {
  using Value = std::uint64_t;
  static constexpr DomainKind kind = DomainKind::Modp;
  std::uint64_t p = kDefaultModulus;

  ModpDomain() = default;
  explicit ModpDomain(std::uint64_t modulus);  // check_modulus_value(modulus)

  // q = a/b maps to a * b^{-1} mod p; Error when p divides b.
  Value constant(const mpq_class& q) const;
  Value add(Value a, Value b) const { return arith::mod_add(a, b, p); }
  Value sub(Value a, Value b) const { return arith::mod_sub(a, b, p); }
  Value neg(Value a) const { return arith::mod_neg(a, p); }
  Value mul(Value a, Value b) const {
    if (p == kDefaultModulus) return arith::mul_mersenne61(a, b);
    return static_cast<Value>(static_cast<uint128>(a) * b % p);
  }
  [[noreturn]] Value relu(Value) const { throw_undefined(Op::Relu, kind); }
  [[noreturn]] Value tanh(Value) const { throw_undefined(Op::Tanh, kind); }
  [[noreturn]] Value sigmoid(Value) const { throw_undefined(Op::Sigmoid, kind); }
  [[noreturn]] Value sign(Value) const { throw_undefined(Op::Sign, kind); }
  [[noreturn]] Value step(Value) const { throw_undefined(Op::Step, kind); }
  std::string format(Value a) const { return std::to_string(a); }

  Value pow(Value a, std::uint64_t e) const;
  Value inverse(Value a) const { return pow(a, p - 2); }
};

bool is_prime(std::uint64_t n);

// The one rule for a modp modulus: a prime p with 2 <= p < 2^62. Why p breaks it ("not prime",
// "too large"), or "" when it does not.
std::string modulus_problem(std::uint64_t p);
// "expected a prime below 2^62, got P (PROBLEM)", or "" when p is a valid modulus: the text of
// every modulus error (check_modulus_value, and spec files' located ones).
std::string modulus_message(std::uint64_t p);
// Error "modulus: " + modulus_message(p) unless p is a prime below 2^62.
void check_modulus_value(std::uint64_t p);

}  // namespace rnncc::circuits
