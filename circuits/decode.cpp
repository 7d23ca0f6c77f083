#include "circuits/decode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "circuits/error.hpp"

namespace rnncc::circuits {

namespace {

bool strip_suffix(std::string& s, std::string_view suffix) {
  if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  s.resize(s.size() - suffix.size());
  return true;
}

// The value of a word's bits (each 0 or 1).
mpz_class word_value(const DecodedValue::Part& part, const mpq_class* outputs, const std::string& name) {
  mpz_class v = 0;
  for (std::size_t k = 0; k < part.bits.size(); ++k) {
    const mpq_class& b = outputs[part.bits[k]];
    if (b != 0 && b != 1) throw Error(fmt::format("value {}: bit {} is {}, not 0 or 1", name, k, b.get_str()));
    if (b == 1) mpz_setbit(v.get_mpz_t(), k);
  }
  if (!part.word_unsigned && !part.bits.empty() && outputs[part.bits.back()] == 1)
    v -= mpz_class(1) << part.bits.size();  // two's complement
  return v;
}

mpq_class part_value(const DecodedValue::Part& part, const mpq_class* outputs, const std::string& name) {
  if (part.bits.empty()) return outputs[part.whole];
  return mpq_class(word_value(part, outputs, name));
}

}  // namespace

std::string value_name(const std::string& name, const Port& port) {
  std::string s = name;
  if (port.word_bits) {
    const std::size_t dot = s.rfind('.');
    if (dot != std::string::npos && dot + 1 < s.size() &&
        s.find_first_not_of("0123456789", dot + 1) == std::string::npos)
      s.resize(dot);
  }
  if (port.part == PortPart::Num) strip_suffix(s, ".num");
  if (port.part == PortPart::Den) strip_suffix(s, ".den");
  return s;
}

OutputLayout::OutputLayout(const Circuit& c) {
  std::map<std::tuple<int, std::uint32_t, std::uint32_t>, std::size_t> where;
  std::map<std::string, std::size_t> by_name;
  struct Word {
    std::uint32_t width = 0;
    std::vector<std::pair<std::uint32_t, std::size_t>> seen;  // (bit, output)
  };
  std::map<std::pair<std::size_t, bool>, Word> words;  // (value, denominator?) -> its bits
  const auto& outs = c.outputs();
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const Port& p = outs[o].port;
    auto fail = [&](const std::string& why) {
      return Error(fmt::format("output '{}': {}", outs[o].name, why));
    };
    // Outputs without a port form values by name (y.num, y.den and y.K of one y).
    std::size_t v;
    if (p.role == PortRole::None) {
      auto [it, fresh] = by_name.try_emplace(value_name(outs[o].name, p), values_.size());
      v = it->second;
      if (fresh) values_.emplace_back();
    } else {
      auto [it, fresh] = where.try_emplace({static_cast<int>(p.role), p.step, p.index}, values_.size());
      v = it->second;
      if (fresh) values_.emplace_back();
    }
    DecodedValue& d = values_[v];
    const bool first = !d.num.present && !d.den.present;
    if (first) {
      d.name = value_name(outs[o].name, p);
      d.port = Port{.role = p.role, .step = p.step, .index = p.index};
      d.scale_base = p.scale_base;
      d.scale_exp = p.scale_exp;
    } else if (d.scale_base != p.scale_base || d.scale_exp != p.scale_exp) {
      throw fail(fmt::format("its scale differs from that of the other outputs of {}", d.name));
    }
    DecodedValue::Part& part = p.part == PortPart::Den ? d.den : d.num;
    const std::pair<std::size_t, bool> key{v, p.part == PortPart::Den};
    auto word = words.find(key);
    if (p.word_bits == 0) {
      if (part.present) throw fail(fmt::format("{} is carried {}", d.name, word != words.end() ? "both whole and in bits" : "twice"));
      part.whole = o;
    } else {
      if (part.present && word == words.end()) throw fail(fmt::format("{} is carried both whole and in bits", d.name));
      if (part.present && (word->second.width != p.word_bits || part.word_unsigned != p.word_unsigned))
        throw fail(fmt::format("its word ({} bits) does not match the other bits of {}", p.word_bits, d.name));
      if (!part.present) {
        word = words.emplace(key, Word{p.word_bits, {}}).first;
        part.word_unsigned = p.word_unsigned;
      }
      // (bit, output) pairs, one per output: a word's claimed width bounds no allocation.
      word->second.seen.emplace_back(p.bit, o);
      widest_ = std::max(widest_, p.word_bits);
    }
    part.present = true;
  }
  for (auto& [key, word] : words) {
    DecodedValue& d = values_[key.first];
    DecodedValue::Part& part = key.second ? d.den : d.num;
    std::sort(word.seen.begin(), word.seen.end());
    for (std::size_t k = 1; k < word.seen.size(); ++k)
      if (word.seen[k].first == word.seen[k - 1].first)
        throw Error(fmt::format("output '{}': bit {} of {} is carried twice", outs[word.seen[k].second].name,
                                word.seen[k].first, d.name));
    for (std::size_t k = 0; k < word.width; ++k)
      if (k >= word.seen.size() || word.seen[k].first != k)
        throw Error(fmt::format("value {}: no output carries bit {}", d.name, k));
    part.bits.reserve(word.seen.size());
    for (const auto& [bit, output] : word.seen) part.bits.push_back(output);
  }
  for (const DecodedValue& d : values_) {
    if (d.den.present && !d.num.present) throw Error(fmt::format("value {}: a denominator without a numerator", d.name));
    if (!d.whole()) trivial_ = false;
  }
}

std::vector<mpq_class> OutputLayout::decode(const mpq_class* outputs) const {
  std::vector<mpq_class> out;
  out.reserve(values_.size());
  for (const DecodedValue& d : values_) {
    mpq_class v = part_value(d.num, outputs, d.name);
    if (d.den.present) {
      const mpq_class den = part_value(d.den, outputs, d.name);
      if (den == 0) throw Error(fmt::format("value {}: its denominator is 0", d.name));
      v /= den;
    }
    if (d.scale_base) {
      mpz_class s;
      mpz_ui_pow_ui(s.get_mpz_t(), d.scale_base, d.scale_exp);
      v /= s;
    }
    v.canonicalize();
    out.push_back(std::move(v));
  }
  return out;
}

std::string OutputLayout::key(std::size_t value) const {
  const DecodedValue& d = values_[value];
  if (d.port.role == PortRole::None) return "name:" + d.name;
  return fmt::format("{}:{}:{}", static_cast<int>(d.port.role), d.port.step, d.port.index);
}

}  // namespace rnncc::circuits
