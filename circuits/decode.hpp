// Values from outputs: how the outputs of a circuit put back together the values they stand for,
// read from their ports (ports.hpp). A lowering pass may carry one value in several outputs: the
// bits of a word (two's complement or unsigned), the numerator and denominator of an
// unnormalised fraction, a numerator over a static power C^E. Outputs with the same role, step
// and index form one value; an output without a port is a value of its own.
//
// `sim`, `verify` and the tests decode through this one layout, so a checker never parses a name.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace rnncc::circuits {

// One value and the outputs that carry it.
struct DecodedValue {
  std::string name;  // the first output's name without its ".K" bit and ".num"/".den" suffixes
  Port port;         // role, step and index of the value; the encoding fields cleared
  // The outputs holding each part: one whole output (bits empty), or one output per bit.
  struct Part {
    bool present = false;
    std::size_t whole = 0;            // the output, when `bits` is empty
    std::vector<std::size_t> bits;    // output per bit, bit 0 first
    bool word_unsigned = false;
  };
  Part num;  // the value itself, or its numerator
  Part den;  // present for a fraction
  std::uint32_t scale_base = 0, scale_exp = 0;
  bool whole() const { return !den.present && num.bits.empty() && scale_base == 0; }
};

class OutputLayout {
 public:
  // Error naming the output when the encodings do not fit together: a bit missing or given twice,
  // words of different widths or signedness, a fraction without its numerator or denominator,
  // different scales within one value.
  explicit OutputLayout(const Circuit& c);

  const std::vector<DecodedValue>& values() const { return values_; }
  // Every value is one output carrying it whole (nothing to decode).
  bool trivial() const { return trivial_; }
  // The decoded values, one per values() entry, from `outputs` (one exact value per circuit
  // output, in output order; bits must be 0 or 1). Error on a zero denominator or a bit that is
  // not 0 or 1.
  std::vector<mpq_class> decode(const mpq_class* outputs) const;
  // What identifies a value across versions of a circuit: "role:step:index", or "name:NAME".
  std::string key(std::size_t value) const;
  // The widest word among the values (0 when no value is split into bits).
  std::uint32_t widest_word() const { return widest_; }

 private:
  std::vector<DecodedValue> values_;
  bool trivial_ = true;
  std::uint32_t widest_ = 0;
};

// The name of the value an output carries: `name` without a trailing ".K" (when the port is a
// bit) and then without ".num" or ".den" (when it is a part).
std::string value_name(const std::string& name, const Port& port);

}  // namespace rnncc::circuits
