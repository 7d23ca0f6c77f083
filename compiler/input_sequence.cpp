// Input sequences: parsed from text, drawn at random, and mapped onto a circuit's inputs.
#include "compiler/input_sequence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "circuits/error.hpp"
#include "circuits/io/text.hpp"

namespace rnncc::compiler {

InputSequence parse_input_sequence(const Spec& spec, const std::string& text) {
  InputSequence xs;
  std::string norm = text;
  for (char& ch : norm)
    if (ch == ';' || ch == '\t' || ch == '\n') ch = ' ';
  std::vector<circuits::io::Token> toks;
  circuits::io::tokenize(norm, toks, '\0');
  for (const auto& tok : toks) {
    std::vector<mpq_class> x(spec.m(), mpq_class(0));
    if (spec.one_hot) {
      auto it = std::find(spec.alphabet.begin(), spec.alphabet.end(), tok.text);
      if (it == spec.alphabet.end())
        throw Error(fmt::format("--input: unknown symbol '{}' at column {}: the alphabet is {}",
                                tok.text, tok.col, fmt::join(spec.alphabet, " ")));
      x[static_cast<std::size_t>(it - spec.alphabet.begin())] = 1;
    } else {
      std::size_t i = 0, start = 0;
      std::string_view s = tok.text;
      for (;;) {
        std::size_t comma = s.find(',', start);
        std::string_view part = s.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (i >= x.size())
          throw Error(
              fmt::format("--input: step '{}' has more than {} components", tok.text, x.size()));
        auto v = circuits::io::parse_number(part);
        if (!v) throw Error(fmt::format("--input: bad number '{}' in step '{}'", part, tok.text));
        x[i++] = *v;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      if (i != x.size())
        throw Error(fmt::format("--input: step '{}' has {} components, expected {}", tok.text, i,
                                x.size()));
    }
    xs.push_back(std::move(x));
  }
  if (xs.empty()) throw Error("--input: empty input sequence");
  return xs;
}

InputSequence random_input_sequence(const Spec& spec, std::uint64_t T, SplitMix64& rng) {
  InputSequence xs(T, std::vector<mpq_class>(spec.m(), mpq_class(0)));
  for (auto& x : xs) {
    if (spec.one_hot)
      x[rng.below(spec.m())] = 1;
    else if (spec.input_range)
      for (mpq_class& v : x) {
        const auto [lo, hi] = *spec.input_range;
        const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
        v = mpq_class(mpz_class(static_cast<long>(lo + static_cast<std::int64_t>(rng.below(span)))));
      }
    else
      for (mpq_class& v : x) v = rng.dyadic(1);
  }
  return xs;
}

}  // namespace rnncc::compiler
