// Reading the small TOML files of the constructions (automata, cost-register automata) with
// located errors "PATH:LINE:COL: key 'K': expected …, got …", every size checked.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gmpxx.h>

namespace rnncc::proofs {

struct TomlPos {
  std::size_t line = 1, col = 1;
};
TomlPos pos_of(const toml::source_region& r);
// "the integer 3", "the string \"ab\"", … (control characters shown as '?', long strings cut).
std::string describe(const toml::node& n);

// toml::parse with a syntax error turned into a located Error; `unnamed` stands for the path
// when it is empty ("<automaton>").
toml::table parse_toml(std::string_view text, const std::string& path, const std::string& unnamed);

class TomlReader {
 public:
  TomlReader(const toml::table& root, const std::string& path, const std::string& unnamed)
      : root_(root), path_(path.empty() ? unnamed : path) {}

 protected:
  [[noreturn]] void fail(TomlPos p, std::string_view key, const std::string& what) const;
  [[noreturn]] void expected(const toml::node& n, std::string_view key, std::string_view what) const;
  // Error at the first top-level key not in `keys` ("unknown key; expected one of …").
  void check_keys(std::span<const std::string_view> keys) const;
  const toml::node& require(std::string_view key, const std::string& what) const;
  std::size_t read_count(const toml::node& n, std::string_view key, std::size_t max) const;
  // An exact rational: an integer or a string "p/q" / decimal (floats are refused).
  mpq_class read_rational(const toml::node& n, const std::string& key) const;
  const toml::array& read_array(const toml::node& n, const std::string& key, std::size_t size,
                                const std::string& what) const;
  // The required key `alphabet`: a non-empty array of at most `max` unique symbol strings
  // without whitespace or '#'.
  std::vector<std::string> read_alphabet(std::size_t max) const;

  const toml::table& root_;
  std::string path_;
};

}  // namespace rnncc::proofs
