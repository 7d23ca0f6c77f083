// The bytes a name read from a file may hold: well-formed UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF) without control characters (U+0000-U+001F, U+007F).
// Names travel into JSON reports, DOT labels and error messages, which need both.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace rnncc::circuits::io {

// The offset of the first byte of `s` that starts a control character or is not part of a
// well-formed UTF-8 sequence; nullopt if there is none.
inline std::optional<std::size_t> bad_name_byte(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return i;
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;  // a continuation byte first, C0/C1 (overlong) or F5-FF
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

// What is wrong with the byte at `at` of `s` (one that bad_name_byte found), for a message.
inline std::string bad_name_byte_message(std::string_view s, std::size_t at) {
  const auto b = static_cast<unsigned char>(s[at]);
  if (b < 0x20 || b == 0x7F) return fmt::format("control character 0x{:02X} at byte offset {} of the name", b, at);
  return fmt::format("byte 0x{:02X} at byte offset {} of the name is not valid UTF-8", b, at);
}

}  // namespace rnncc::circuits::io
