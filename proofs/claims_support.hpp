// Small helpers shared by the claims' checks (proofs/claims.cpp, claims_nonlinear.cpp).
#pragma once

#include <fmt/format.h>

#include <bit>
#include <string>
#include <vector>

namespace rnncc::proofs::claims_fmt {

inline std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ") {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// ⌈log2 n⌉ (0 for n ≤ 1).
inline std::size_t ceil_log2(std::size_t n) { return n <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(n - 1)); }

// A figure with at most two decimals and no trailing zeros ("4.08", "5", "-0.5").
inline std::string num(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace rnncc::proofs::claims_fmt
