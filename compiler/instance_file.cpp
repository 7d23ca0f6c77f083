#include "compiler/instance_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "circuits/error.hpp"
#include "circuits/io/text.hpp"
#include "compiler/input_sequence.hpp"

namespace rnncc::compiler {

using circuits::DomainKind;
using Instances = std::vector<std::vector<mpq_class>>;

// One instance per line: values in input order, `name=value` pairs, or (specs with an alphabet)
// the T symbols of a sequence. '#' starts a comment. Every value is checked here against the
// domain `d` the simulator converts it to (a bit in bool, a denominator p does not divide in
// modp), so that each error names the file, line and, where one token is at fault, column.
Instances parse_instances(std::string_view text, const std::string& path, const circuits::Circuit& c, const Spec* spec,
                          std::uint64_t T, circuits::DomainKind kind, std::uint64_t modulus) {
  std::unordered_map<std::string, std::size_t> index;
  std::optional<CircuitInputs> from_sequence;  // for symbol lines, made on the first
  std::optional<circuits::ModpDomain> modp;
  if (kind == DomainKind::Modp) modp.emplace(modulus);
  Instances out;
  std::vector<circuits::io::Token> toks;
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    line = line.substr(0, line.find('#'));
    circuits::io::tokenize(line, toks);
    if (toks.empty()) continue;
    auto fail = [&](std::size_t col, const std::string& msg) { return located_error(path, line_no, col, msg); };
    auto number = [&](std::string_view s, std::size_t col) {
      auto v = circuits::io::parse_number(s);
      if (!v) throw fail(col, fmt::format("bad number '{}' (expected an integer, p/q or a decimal)", s));
      if (kind == DomainKind::Bool && *v != 0 && *v != 1)
        throw fail(col, fmt::format("value {} is not a bit (0 or 1) in the bool domain", s));
      if (modp) {
        try {
          (void)modp->constant(*v);
        } catch (const Error& e) {
          throw fail(col, e.what());
        }
      }
      return *v;
    };
    const auto& alphabet = spec ? spec->alphabet : std::vector<std::string>{};
    // A symbol line starts with a symbol, or with a word that is no number and no name=value
    // (then reported as an unknown symbol).
    const bool symbols = spec && spec->one_hot &&
                         (std::find(alphabet.begin(), alphabet.end(), toks[0].text) != alphabet.end() ||
                          (toks[0].text.find('=') == std::string_view::npos &&
                           !circuits::io::parse_number(toks[0].text)));
    if (symbols) {
      for (const auto& t : toks)
        if (std::find(alphabet.begin(), alphabet.end(), t.text) == alphabet.end())
          throw fail(t.col, fmt::format("unknown symbol '{}': the alphabet is {}", t.text, fmt::join(alphabet, " ")));
      if (toks.size() != T)
        throw fail(toks.size() > T ? toks[T].col : toks.back().col + toks.back().text.size(),
                   fmt::format("{} symbols for a sequence of T = {} steps", toks.size(), T));
      try {
        if (!from_sequence) from_sequence.emplace(*spec, c);
        out.push_back(from_sequence->values(parse_input_sequence(*spec, std::string(line))));
      } catch (const Error& e) {
        throw fail(toks[0].col, e.what());
      }
      continue;
    }
    std::vector<mpq_class> values(c.inputs().size());
    if (toks[0].text.find('=') != std::string_view::npos) {
      if (index.empty())
        for (std::size_t i = 0; i < c.inputs().size(); ++i) index.emplace(c.input_name(i), i);
      std::vector<std::uint8_t> seen(values.size(), 0);
      for (const auto& t : toks) {
        const std::size_t eq = t.text.find('=');
        if (eq == std::string_view::npos) throw fail(t.col, fmt::format("expected name=value, got '{}'", t.text));
        const std::string name(t.text.substr(0, eq));
        auto it = index.find(name);
        if (it == index.end()) throw fail(t.col, fmt::format("unknown input '{}'", name));
        if (seen[it->second]) throw fail(t.col, fmt::format("input '{}' given twice", name));
        seen[it->second] = 1;
        values[it->second] = number(std::string_view(t.text).substr(eq + 1), t.col + eq + 1);
      }
      for (std::size_t i = 0; i < seen.size(); ++i)
        if (!seen[i]) throw fail(toks.back().col + toks.back().text.size(), fmt::format("no value for input '{}'", c.input_name(i)));
    } else {
      if (toks.size() != values.size())
        throw fail(toks.size() > values.size() ? toks[values.size()].col : toks.back().col + toks.back().text.size(),
                   fmt::format("expected {} values (one per input, in input order), got {}", values.size(),
                               toks.size()));
      for (std::size_t i = 0; i < toks.size(); ++i) values[i] = number(toks[i].text, toks[i].col);
    }
    out.push_back(std::move(values));
  }
  if (out.empty())
    throw located_error(path, std::max<std::size_t>(line_no, 1), 0, "no instances (one per line)");
  return out;
}

}  // namespace rnncc::compiler
