// Integer arithmetic as boolean circuits (docs/passes.md, "lower-bool"): words of bits, least
// significant first, built through a circuits::Builder over and/or/xor/not and the constants 0
// and 1. Adders are ripple-carry or parallel-prefix carry networks over the schedules of
// prefix.hpp; multipliers are arrays or carry-save trees (Wallace, Dadda) ending in one of those
// adders; a product by a constant is a sum of shifted copies, one per nonzero digit of its
// canonical signed-digit form; a sum of many terms (words, products, scaled words, each with a
// sign) is one carry-save tree over all their bits and one final adder.
//
// Every result is exact modulo 2^width: with `width` at least the width of the exact result's
// range (two's complement when it can be negative), it is the exact result. Nothing here knows
// about RNNs or about the circuit it is building into beyond the builder.
#pragma once

#include <gmpxx.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "circuits/builder.hpp"

namespace rnncc::compiler::passes {

using Bits = std::vector<circuits::GateId>;  // bit 0 first

// An integer held in bits: two's complement when `is_signed` (the top bit weighs -2^(n-1)),
// else unsigned. An empty word is 0.
struct Word {
  Bits bits;
  bool is_signed = false;
  unsigned width() const { return static_cast<unsigned>(bits.size()); }
};

enum class AdderKind { Ripple, Sklansky, KoggeStone, BrentKung };
enum class MultiplierKind { Array, Wallace, Dadda };

inline constexpr std::array<AdderKind, 4> kAdderKinds = {AdderKind::Ripple, AdderKind::Sklansky,
                                                         AdderKind::KoggeStone, AdderKind::BrentKung};
inline constexpr std::array<MultiplierKind, 3> kMultiplierKinds = {MultiplierKind::Array, MultiplierKind::Wallace,
                                                                   MultiplierKind::Dadda};

// "ripple", "sklansky", "kogge-stone", "brent-kung"; "array", "wallace", "dadda".
std::string_view adder_name(AdderKind k);
std::string_view multiplier_name(MultiplierKind k);
std::optional<AdderKind> parse_adder(std::string_view s);
std::optional<MultiplierKind> parse_multiplier(std::string_view s);

struct ArithOptions {
  AdderKind adder = AdderKind::Sklansky;             // every carry-propagate adder
  MultiplierKind multiplier = MultiplierKind::Dadda;  // how partial products are reduced
  bool csd_constants = true;  // constant factors by signed digits; false: as a general product
  bool carry_save_sums = true;  // sum() as one carry-save tree; false: a tree of two-operand adders
};

// One term of a sum: sign * x, sign * x * y, or sign * x * c.
struct SumTerm {
  Word x;
  std::optional<Word> y;            // a product x * y
  std::optional<mpz_class> factor;  // a product x * factor (y must be empty)
  bool negative = false;
};

class BitArith {
 public:
  BitArith(circuits::Builder& b, ArithOptions options);

  circuits::GateId zero();
  circuits::GateId one();

  // v in `width` bits of two's complement (mod 2^width); is_signed = (v < 0).
  Word constant(const mpz_class& v, unsigned width);
  // x sign- or zero-extended to `width` bits, or truncated to them (mod 2^width).
  Bits extend(const Word& x, unsigned width);

  // Results are `width` bits of two's complement, exact mod 2^width; is_signed is set by the
  // caller's knowledge of the range (these set it to true).
  Word add(const Word& a, const Word& b, unsigned width);
  Word sub(const Word& a, const Word& b, unsigned width);
  Word neg(const Word& a, unsigned width);
  Word mul(const Word& a, const Word& b, unsigned width);
  Word mul_const(const Word& a, const mpz_class& c, unsigned width);
  // The sum of all terms (an empty list is 0).
  Word sum(const std::vector<SumTerm>& terms, unsigned width);

  // 1 when the value of x is > 0, else 0.
  circuits::GateId positive(const Word& x);
  // 1 when x is negative (its sign bit; constant 0 for an unsigned word).
  circuits::GateId negative(const Word& x);

  // The carry-propagate adder alone: a + b + carry_in over n = a.size() == b.size() bits, the
  // n-bit sum (the carry out is dropped).
  Bits adder(const Bits& a, const Bits& b, circuits::GateId carry_in);

 private:
  circuits::Builder& b_;
  ArithOptions o_;
  // The AIG level of every gate of the builder's circuit (`not` free, `xor` 2), extended as
  // gates appear: carry-save trees feed the latest-arriving bits where they cost least.
  std::vector<std::uint32_t> level_;
};

}  // namespace rnncc::compiler::passes
