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

// An exact number: an integer, a rational `[-]p/q`, or a decimal `[-]d[.d][e[+-]d]` (so "0.1"
// is exactly 1/10). nullopt if malformed.
inline std::optional<mpq_class> parse_number(std::string_view s) {
  if (s.find('/') != std::string_view::npos) return parse_rational(s);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  std::string digits;
  std::size_t frac = 0, int_digits = 0;
  bool dot = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.' && !dot) {
      dot = true;
    } else if (s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i]);
      (dot ? frac : int_digits) += 1;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  long exp10 = 0;
  if (i < s.size()) {  // exponent
    std::string_view e = s.substr(i + 1);
    bool eneg = !e.empty() && e[0] == '-';
    if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
    auto v = parse_uint<unsigned>(e);
    if (!v || *v > 4096) return std::nullopt;
    exp10 = eneg ? -static_cast<long>(*v) : static_cast<long>(*v);
  }
  exp10 -= static_cast<long>(frac);
  mpz_class num(digits, 10), ten = 10, scale;
  mpz_pow_ui(scale.get_mpz_t(), ten.get_mpz_t(), static_cast<unsigned long>(exp10 < 0 ? -exp10 : exp10));
  mpq_class q = exp10 < 0 ? mpq_class(num, scale) : mpq_class(num * scale);
  q.canonicalize();
  return negative ? mpq_class(-q) : q;
}

// Names: non-empty, no whitespace, '=' or '#'.
inline bool valid_name(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (ch == '=' || ch == '#' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') return false;
  return true;
}

}  // namespace rnncc::circuits::io
