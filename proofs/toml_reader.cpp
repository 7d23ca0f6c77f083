// Located TOML reading for the constructions' input files.
#include "proofs/toml_reader.hpp"

#include <algorithm>
#include <cctype>

#include "circuits/error.hpp"
#include "circuits/io/text.hpp"

namespace rnncc::proofs {

TomlPos pos_of(const toml::source_region& r) {
  if (r.begin.line == 0) return {};
  return {r.begin.line, r.begin.column == 0 ? 1 : std::size_t{r.begin.column}};
}

std::string describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: {
      std::string s = n.as_string()->get();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = '?';
      return "the string \"" + s + "\"";
    }
    case toml::node_type::integer: return "the integer " + std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return std::string("the boolean ") + (n.as_boolean()->get() ? "true" : "false");
    case toml::node_type::array: return "an array of " + std::to_string(n.as_array()->size());
    case toml::node_type::table: return "a table";
    default: return "a date/time value";
  }
}

toml::table parse_toml(std::string_view text, const std::string& path, const std::string& unnamed) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const TomlPos p = pos_of(e.source());
    std::string what(e.description());
    std::replace_if(what.begin(), what.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
    throw located_error(path.empty() ? unnamed : path, p.line, p.col, "TOML syntax error: " + what);
  }
}

void TomlReader::fail(TomlPos p, std::string_view key, const std::string& what) const {
  throw located_error(path_, p.line, p.col, "key '" + std::string(key) + "': " + what);
}

void TomlReader::expected(const toml::node& n, std::string_view key, std::string_view what) const {
  fail(pos_of(n.source()), key, "expected " + std::string(what) + ", got " + describe(n));
}

void TomlReader::check_keys(std::span<const std::string_view> keys) const {
  std::string list;
  for (std::string_view k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
  for (auto&& [k, v] : root_)
    if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
      fail(pos_of(k.source()), k.str(), "unknown key; expected one of " + list);
}

const toml::node& TomlReader::require(std::string_view key, const std::string& what) const {
  const toml::node* n = root_.get(key);
  if (!n) fail({}, key, "missing; expected " + what);
  return *n;
}

std::size_t TomlReader::read_count(const toml::node& n, std::string_view key, std::size_t max) const {
  const std::string what = "a positive integer at most " + std::to_string(max);
  if (!n.is_integer() || n.as_integer()->get() < 1 || n.as_integer()->get() > static_cast<std::int64_t>(max))
    expected(n, key, what);
  return static_cast<std::size_t>(n.as_integer()->get());
}

mpq_class TomlReader::read_rational(const toml::node& n, const std::string& key) const {
  if (n.is_integer()) {
    mpz_class z;
    mpz_set_si(z.get_mpz_t(), static_cast<long>(n.as_integer()->get()));
    return mpq_class(z);
  }
  if (n.is_string())
    if (auto q = circuits::io::parse_number(n.as_string()->get())) return *q;
  // Floats are refused: weights are exact, and 0.1 written as a TOML float is a binary double.
  expected(n, key, "an exact rational (an integer, or a string like \"-1/3\" or \"0.25\")");
}

const toml::array& TomlReader::read_array(const toml::node& n, const std::string& key, std::size_t size,
                                          const std::string& what) const {
  const toml::array* arr = n.as_array();
  if (!arr || arr->size() != size) expected(n, key, what);
  return *arr;
}

std::vector<std::string> TomlReader::read_alphabet(std::size_t max) const {
  const toml::node& n = require("alphabet", "a non-empty array of symbol strings");
  const toml::array* arr = n.as_array();
  if (!arr || arr->empty() || arr->size() > max)
    expected(n, "alphabet", "a non-empty array of at most " + std::to_string(max) + " symbol strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::node& sym = *arr->get(i);
    const std::string key = "alphabet[" + std::to_string(i) + "]";
    constexpr std::string_view what = "a non-empty symbol string without whitespace or '#'";
    if (!sym.is_string()) expected(sym, key, what);
    std::string s = sym.as_string()->get();
    if (s.empty() || std::any_of(s.begin(), s.end(), [](char c) {
          return std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20 || c == '#';
        }))
      expected(sym, key, what);
    auto dup = std::find(out.begin(), out.end(), s);
    if (dup != out.end())
      fail(pos_of(sym.source()), key,
           "expected unique symbols, got \"" + s + "\" again (also alphabet[" + std::to_string(dup - out.begin()) + "])");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace rnncc::proofs
