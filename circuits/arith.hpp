// Element arithmetic of the simulation domains, one definition for every device: the domain
// value types (domains.hpp), the CPU lane loops (sim/) and the GPU kernels (gpu/) all call these
// functions, so a gate computes the same bits wherever it runs.
//
// Everything here is `__host__ __device__` under nvcc and plain inline C++ elsewhere, and needs
// no library: doubles (the kernels are compiled without contraction into FMA: -ffp-contract=off
// on the host, -fmad=false on the device), residues mod p < 2^62 with 128-bit products (the
// Mersenne fold for 2^61 - 1, Barrett reduction for other primes), and 64 boolean instances a
// word. tanh and the exp of sigmoid come from the host's libm or CUDA's math library: they may
// differ by a few units in the last place between devices (docs/sim.md states the tolerance).
#pragma once

#include <cmath>
#include <cstdint>

#include "circuits/gate.hpp"

#if defined(__CUDACC__)
#define RNNCC_HD __host__ __device__ __forceinline__
#else
#define RNNCC_HD inline
#endif

namespace rnncc::circuits {

__extension__ typedef unsigned __int128 uint128;  // products of two residues

inline constexpr std::uint64_t kDefaultModulus = (std::uint64_t{1} << 61) - 1;

namespace arith {

// ---- real (IEEE double) ----
RNNCC_HD double relu(double a) {
  return a > 0 ? a : 0.0;
}
RNNCC_HD double sign(double a) {
  return a > 0 ? 1.0 : a < 0 ? -1.0 : 0.0;
}
RNNCC_HD double step(double a) {
  return a > 0 ? 1.0 : 0.0;
}
RNNCC_HD double tanh(double a) {
#if defined(__CUDA_ARCH__)
  return ::tanh(a);
#else
  return std::tanh(a);
#endif
}
RNNCC_HD double sigmoid(double a) {
#if defined(__CUDA_ARCH__)
  return 1.0 / (1.0 + ::exp(-a));
#else
  return 1.0 / (1.0 + std::exp(-a));
#endif
}

// One real gate: `op` of x (and y for binary kinds). Kinds real does not define give 0 (levelize
// refuses them before any simulation).
RNNCC_HD double real_gate(Op op, double x, double y) {
  switch (op) {
    case Op::Add:
      return x + y;
    case Op::Sub:
      return x - y;
    case Op::Mul:
      return x * y;
    case Op::Neg:
      return -x;
    case Op::Relu:
      return relu(x);
    case Op::Tanh:
      return tanh(x);
    case Op::Sigmoid:
      return sigmoid(x);
    case Op::Sign:
      return sign(x);
    case Op::Step:
      return step(x);
    default:
      return 0.0;
  }
}

// ---- residues mod a prime p < 2^62 ----
RNNCC_HD std::uint64_t mod_add(std::uint64_t a, std::uint64_t b, std::uint64_t p) {
  const std::uint64_t s = a + b;
  return s >= p ? s - p : s;
}
RNNCC_HD std::uint64_t mod_sub(std::uint64_t a, std::uint64_t b, std::uint64_t p) {
  return a >= b ? a - b : a + p - b;
}
RNNCC_HD std::uint64_t mod_neg(std::uint64_t a, std::uint64_t p) {
  return a == 0 ? 0 : p - a;
}
// a * b mod 2^61 - 1: the high part folds with a shift instead of a division.
RNNCC_HD std::uint64_t mul_mersenne61(std::uint64_t a, std::uint64_t b) {
  const uint128 x = static_cast<uint128>(a) * b;
  const std::uint64_t r =
      static_cast<std::uint64_t>(x & kDefaultModulus) + static_cast<std::uint64_t>(x >> 61);
  return r >= kDefaultModulus ? r - kDefaultModulus : r;
}

// Barrett reduction mod a prime p < 2^62 (HAC 14.42 with base 2): x < p^2 reduces with two
// multiplications and at most two subtractions. Made on the host by make_barrett (sim/ checks
// that p is prime); a plain aggregate so that kernels take it by value.
struct Barrett {
  std::uint64_t p = 0, mu = 0;
  unsigned k = 0;  // bit length of p
  RNNCC_HD std::uint64_t mul(std::uint64_t a, std::uint64_t b) const {
    const uint128 x = static_cast<uint128>(a) * b;
    const std::uint64_t q1 = static_cast<std::uint64_t>(x >> (k - 1));
    const std::uint64_t q3 = static_cast<std::uint64_t>((static_cast<uint128>(q1) * mu) >> (k + 1));
    std::uint64_t r = static_cast<std::uint64_t>(x) - q3 * p;
    if (r >= p) r -= p;
    if (r >= p) r -= p;
    return r;
  }
};
// mu = floor(4^k / p) for 2 <= p < 2^62 (not checked here).
inline Barrett make_barrett(std::uint64_t p) {
  Barrett b;
  b.p = p;
  b.k = 64 - static_cast<unsigned>(__builtin_clzll(p));
  b.mu = static_cast<std::uint64_t>((static_cast<uint128>(1) << (2 * b.k)) / p);
  return b;
}

// One modp gate; kMersenne selects the fold for 2^61 - 1 (then `br` is unused).
template <bool kMersenne>
RNNCC_HD std::uint64_t modp_gate(Op op, std::uint64_t x, std::uint64_t y, const Barrett& br) {
  const std::uint64_t p = kMersenne ? kDefaultModulus : br.p;
  switch (op) {
    case Op::Add:
      return mod_add(x, y, p);
    case Op::Sub:
      return mod_sub(x, y, p);
    case Op::Mul:
      if constexpr (kMersenne)
        return mul_mersenne61(x, y);
      else
        return br.mul(x, y);
    case Op::Neg:
      return mod_neg(x, p);
    default:
      return 0;
  }
}

// ---- bool: 64 instances a word; operands are literals (complement masks ma, mb) ----
RNNCC_HD std::uint64_t mask(bool complement) {
  return complement ? ~std::uint64_t{0} : 0;
}
RNNCC_HD std::uint64_t and_words(std::uint64_t a, std::uint64_t ma, std::uint64_t b,
                                 std::uint64_t mb) {
  return (a ^ ma) & (b ^ mb);
}
RNNCC_HD std::uint64_t xor_words(std::uint64_t a, std::uint64_t ma, std::uint64_t b,
                                 std::uint64_t mb) {
  return a ^ b ^ (ma ^ mb);
}
// The two kinds a bool schedule holds (levelize turns or/not/buf into literals of and).
RNNCC_HD std::uint64_t bool_gate(Op op, std::uint64_t a, std::uint64_t ma, std::uint64_t b,
                                 std::uint64_t mb) {
  return op == Op::And ? and_words(a, ma, b, mb) : xor_words(a, ma, b, mb);
}

}  // namespace arith
}  // namespace rnncc::circuits
