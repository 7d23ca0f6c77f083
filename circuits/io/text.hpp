// Small helpers shared by the text readers: whitespace tokenising with columns, integers,
// exact rational constants and token validity.
#pragma once

#include <gmpxx.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rnncc::circuits::io {

struct Token {
  std::string_view text;
  std::size_t col;  // 1-based
};

// Splits one line (comment from `comment` on removed) into whitespace-separated tokens.
inline void tokenize(std::string_view line, std::vector<Token>& out, char comment = '#') {
  out.clear();
  std::size_t i = 0, n = line.size();
  while (i < n) {
    char ch = line[i];
    if (ch == comment) break;
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != comment) ++i;
    out.push_back({line.substr(start, i - start), start + 1});
  }
}

template <class Int>
std::optional<Int> parse_uint(std::string_view s) {
  Int v{};
  if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// `[-]p` or `[-]p/q` with decimal digits and q != 0, canonicalised.
inline std::optional<mpq_class> parse_rational(std::string_view s) {
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  std::size_t slash = s.find('/');
  auto digits = [](std::string_view d) {
    if (d.empty()) return false;
    for (char ch : d)
      if (ch < '0' || ch > '9') return false;
    return true;
  };
  std::string_view num = s.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
  if (!digits(num)) return std::nullopt;
  if (slash != std::string_view::npos) {
    std::string_view den = s.substr(slash + 1);
    if (!digits(den) || den.find_first_not_of('0') == std::string_view::npos) return std::nullopt;
  }
  mpq_class q(std::string(s), 10);
  q.canonicalize();
  return q;
}

// Names: non-empty, no whitespace, '=' or '#'.
inline bool valid_name(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (ch == '=' || ch == '#' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') return false;
  return true;
}

}  // namespace rnncc::circuits::io
