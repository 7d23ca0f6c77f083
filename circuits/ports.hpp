// Interface metadata: what each input and output of a circuit stands for, independent of its
// name. The compiler writes it when it unrolls a spec; every pass and the `.rc` format keep it,
// so simulators and checkers map values through it instead of parsing names that a pass may
// rename or split (a bit-blasted `x[3][1]` is 32 inputs).
//
// The roles are generic: a sequence element (step, index), an initial value, a parameter (a
// tensor named by a key, at a flat index), an output (step, index), an accept bit, or a bit of
// the binary code of an alphabet symbol (step). A port may be
// one bit of a word: bit `bit` (0 = least significant) of a `word_bits`-bit two's-complement
// integer. A port may also say how a value is encoded across several outputs, so that a lowering
// pass can split a rational value into integers and integers into bits and every checker can
// still put the value back together (circuits/decode.hpp): the integer numerator or denominator
// of an unnormalised fraction (`part`), a numerator over a static power of an integer
// (`scale_base`^`scale_exp`), and words either two's complement or unsigned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rnncc::circuits {

// Symbol: bit `bit` of the `word_bits`-bit binary code of the symbol at step t of a one-hot
// (alphabet) sequence, the code being the index of the 1 in x_t (lower-bool --alphabet binary).
enum class PortRole : std::uint8_t { None, Sequence, Initial, Parameter, Output, Accept, Symbol };

// Which integer of a fraction num / den an output carries; Value: the value itself.
enum class PortPart : std::uint8_t { Value, Num, Den };

// The widest word a port may describe (bits).
inline constexpr std::uint32_t kMaxWordBits = 1u << 24;

struct Port {
  PortRole role = PortRole::None;
  std::uint32_t word_bits = 0;  // 0: the whole value; else a bit of a word of this many bits
  std::uint32_t bit = 0;        // which bit, when word_bits > 0
  bool has_range = false;      // the value lies in [lo, hi]
  std::uint32_t step = 0;      // Sequence: t >= 1; Output: t (the last step for final outputs)
  std::uint32_t index = 0;     // Sequence/Output: the component; Initial/Parameter: flat index
  std::uint32_t key = 0;       // Initial/Parameter: index into Circuit::port_keys() ("h0", "A")
  std::int32_t lo = 0, hi = 0;
  bool word_unsigned = false;        // the word is unsigned, not two's complement
  PortPart part = PortPart::Value;   // which integer of a fraction this is
  std::uint32_t scale_base = 0;      // > 1: the integer carried is value * scale_base^scale_exp
  std::uint32_t scale_exp = 0;
  bool operator==(const Port&) const = default;
};

std::string_view port_role_name(PortRole r);  // "none", "sequence", "initial", ...
std::optional<PortRole> parse_port_role(std::string_view s);
std::string_view port_part_name(PortPart p);  // "value", "num", "den"
std::optional<PortPart> parse_port_part(std::string_view s);

}  // namespace rnncc::circuits
