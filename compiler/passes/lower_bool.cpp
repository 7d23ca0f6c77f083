// lower-bool (docs/passes.md, "lower-bool"): an integer circuit becomes a boolean circuit over
// and/or/xor/not, every value a word of bits (two's complement where it can be negative), its
// width from an interval analysis over the interfaces' ranges.
//
// Ranges: an input's port range (alphabet inputs [0, 1], a spec's input_range), else
// --input-bits K ([0, 2^K - 1], or with --signed [-2^(K-1), 2^(K-1) - 1]); an input with neither
// is refused, by name. Each gate's range follows exactly from its operands' (sums of endpoints,
// the extreme products), so its word is the narrowest that holds every value it can take, and
// arithmetic modulo 2^width is exact.
//
// Sums: a tree of add/sub/neg gates whose inner gates are read once (and by no output) is one
// sum of signed terms, and a product read once by such a tree is one of its terms, so a dot
// product or an unrolled recurrence's accumulation becomes one carry-save tree over all the
// partial-product bits and one carry-propagate adder (bitwords.hpp), not a chain of adders.
// With --sums adders every gate is built on its own.
//
// Interfaces: an input of range [lo, hi] other than {0, 1} becomes bits NAME.K with ports
// bit=K/W (word=unsigned when lo >= 0); an output becomes bits NAME.K the same way (its port's
// part and scale kept), or stays whole when it is 0 or 1. With --output-bits K every other output
// is exactly K bits of two's complement (sign-extended), refused by name when its range does not
// fit. One forward loop over ids.
//
// Alphabets (--alphabet binary, the default): when every sequence input (port role sequence) has
// range 0:1 and each step's indices are exactly 0..m-1, the same m >= 2 for every step, the
// inputs are taken for one-hot alphabet symbols (a spec's x[t][s]; a real-input spec whose inputs
// are all in [0, 1] looks the same, and then needs --alphabet one-hot). Each step's m inputs become
// ceil(log2 m) inputs x[t].K (port role symbol, bit=K/W, word=unsigned, range 0:m-1) carrying the
// symbol index in binary, and the one-hot values are decoded inside the circuit: x[t][s] = (code ==
// s), and for the last symbol code >= m-1, so every assignment of the bits is a valid sequence.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <map>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/passes/bitwords.hpp"
#include "compiler/passes/integer_kinds.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

std::size_t bit_length(const mpz_class& v) {  // of v >= 0; 0 for 0
  return v == 0 ? 0 : mpz_sizeinbase(v.get_mpz_t(), 2);
}

// The narrowest word for [lo, hi]: unsigned when lo >= 0, else two's complement.
std::size_t width_of(const mpz_class& lo, const mpz_class& hi) {
  if (lo >= 0) return bit_length(hi);
  return 1 + std::max(bit_length(-lo - 1), bit_length(hi < 0 ? mpz_class(0) : hi));
}


struct Options {
  ArithOptions arith;
  bool use_hints = true;
  std::uint64_t input_bits = 0;
  bool input_signed = false;
  bool binary_alphabet = true;   // --alphabet binary
  std::uint64_t output_bits = 0;  // 0: outputs as wide as needed
};

std::size_t ceil_log2(std::size_t m) {  // bits of a code for m >= 1 symbols
  std::size_t k = 0;
  while ((std::size_t{1} << k) < m) ++k;
  return k;
}

class BoolLowering {
 public:
  BoolLowering(const Circuit& c, const Options& o)
      : c_(c), o_(o), live_(circuits::live_gates(c)), r_(c), b_(r_.builder()), arith_(b_, o.arith) {}

  // Why the circuit cannot be lowered, or "".
  std::string check() {
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (!live_[g]) continue;
      if (is_integer_gate(c_, g)) continue;
      if (c_.op(g) == Op::Const)
        return fmt::format("{} is {}, not an integer: lower-bool takes integer circuits (run lower-int first)",
                           circuits::gate_description(c_, g), c_.constant(g).get_str());
      return fmt::format("{} is not integer arithmetic: lower-bool takes add, sub, mul, neg and step (run "
                         "lower-int first; relu, sign, tanh, sigmoid have no integer form)",
                         circuits::gate_description(c_, g));
    }
    for (std::size_t k = 0; k < c_.inputs().size(); ++k) {
      const circuits::Port& p = c_.input_port(k);
      if (live_[c_.inputs()[k]] && !p.has_range && o_.input_bits == 0)
        return fmt::format("input '{}' has no declared range: give the spec input_range = [lo, hi], or the pass "
                           "--input-bits K",
                           c_.input_name(k));
      if (p.word_bits) return fmt::format("input '{}' is already a bit of a word", c_.input_name(k));
    }
    return "";
  }

  // The ranges of every gate and the alphabet, before output_refusal() and run().
  void analyse() {
    read_hints();
    intervals();
    plan_alphabet();
  }

  // Why --output-bits K cannot hold an output, or "".
  std::string output_refusal() const {
    if (o_.output_bits == 0) return "";
    const mpz_class lo = -(mpz_class(1) << (o_.output_bits - 1)), hi = (mpz_class(1) << (o_.output_bits - 1)) - 1;
    for (const circuits::Output& o : c_.outputs()) {
      const GateId g = o.gate;
      if (lo_[g] >= 0 && hi_[g] <= 1) continue;  // 0 or 1: stays whole
      if (lo_[g] < lo || hi_[g] > hi)
        return fmt::format("output '{}' lies in [{}, {}], which needs {} bits of two's complement: more than "
                           "--output-bits {}",
                           o.name, lo_[g].get_str(), hi_[g].get_str(), 1 + std::max(bit_length(-lo_[g] - 1),
                                                                                    bit_length(hi_[g] < 0 ? mpz_class(0) : hi_[g])),
                           o_.output_bits);
    }
    return "";
  }

  Circuit run() {
    plan_sums();
    words_.assign(c_.num_gates(), Word{});
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (c_.op(g) == Op::Input) {
        input(g);
        continue;
      }
      if (!live_[g] || absorbed_[g]) continue;
      r_.stamp_origin(g);
      build(g);
      widest_word = std::max(widest_word, words_[g].bits.size());
    }
    return r_.finish_interface(outputs());
  }

  std::size_t widest_word = 0, widest_output = 0, fused_products = 0, sums = 0, exclusive_sums = 0, hinted = 0;
  std::size_t alphabet = 0;  // m of the binary-coded alphabet, 0: none
  std::string output_widths;

 private:
  // ---- value hints (circuit.hpp): ranges that narrow the intervals, exclusive sums ----
  struct Hint {
    mpz_class lo, hi;
    bool exclusive = false;
  };
  void read_hints() {
    for (const circuits::ValueHint& h : c_.hints()) {
      if (!o_.use_hints) break;
      auto [it, fresh] = hints_.try_emplace(h.gate, Hint{mpz_class(static_cast<long>(h.lo)), mpz_class(static_cast<long>(h.hi)), false});
      if (!fresh) {
        it->second.lo = std::max(it->second.lo, mpz_class(static_cast<long>(h.lo)));
        it->second.hi = std::min(it->second.hi, mpz_class(static_cast<long>(h.hi)));
      }
      it->second.exclusive = it->second.exclusive || (h.exclusive && c_.op(h.gate) == Op::Add);
    }
  }
  bool exclusive(GateId g) const {
    auto it = hints_.find(g);
    return it != hints_.end() && it->second.exclusive;
  }

  // ---- ranges ----
  void input_range(std::size_t k, mpz_class& lo, mpz_class& hi) const {
    const circuits::Port& p = c_.input_port(k);
    if (p.has_range) {
      lo = p.lo;
      hi = p.hi;
    } else if (o_.input_signed) {
      lo = -(mpz_class(1) << (o_.input_bits - 1));
      hi = (mpz_class(1) << (o_.input_bits - 1)) - 1;
    } else {
      lo = 0;
      hi = (mpz_class(1) << o_.input_bits) - 1;
    }
  }

  void intervals() {
    lo_.assign(c_.num_gates(), mpz_class(0));
    hi_.assign(c_.num_gates(), mpz_class(0));
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (!live_[g]) continue;
      const GateId a = c_.a(g), b = c_.b(g);
      switch (c_.op(g)) {
        case Op::Input:
          if (c_.input_port(a).has_range || o_.input_bits) input_range(a, lo_[g], hi_[g]);
          break;
        case Op::Const: lo_[g] = hi_[g] = c_.constant(g).get_num(); break;
        case Op::Add:
          lo_[g] = lo_[a] + lo_[b];
          hi_[g] = hi_[a] + hi_[b];
          break;
        case Op::Sub:
          lo_[g] = lo_[a] - hi_[b];
          hi_[g] = hi_[a] - lo_[b];
          break;
        case Op::Neg:
          lo_[g] = -hi_[a];
          hi_[g] = -lo_[a];
          break;
        case Op::Mul: {
          const mpz_class p[4] = {lo_[a] * lo_[b], lo_[a] * hi_[b], hi_[a] * lo_[b], hi_[a] * hi_[b]};
          lo_[g] = *std::min_element(p, p + 4);
          hi_[g] = *std::max_element(p, p + 4);
          break;
        }
        case Op::Buf:
          lo_[g] = lo_[a];
          hi_[g] = hi_[a];
          break;
        case Op::Step:
          lo_[g] = 0;
          hi_[g] = 1;
          break;
        default: break;
      }
      if (auto it = hints_.find(g); it != hints_.end()) {
        ++hinted;
        lo_[g] = std::max(lo_[g], it->second.lo);
        hi_[g] = std::min(hi_[g], it->second.hi);
        if (lo_[g] > hi_[g])
          throw Error(fmt::format("lower-bool: the value hint on {} contradicts its operands' ranges",
                                  circuits::gate_description(c_, g)));
      }
      if (width_of(lo_[g], hi_[g]) > circuits::kMaxWordBits)
        throw LimitError(fmt::format("lower-bool: {} needs a word of more than {} bits", circuits::gate_description(c_, g),
                                     circuits::kMaxWordBits));
    }
  }

  // ---- alphabets ----
  // The sequence inputs are one alphabet when every one has range 0:1 and each step's indices are
  // exactly 0..m-1, the same m >= 2 for all steps; then alphabet = m.
  void plan_alphabet() {
    alphabet = 0;
    if (!o_.binary_alphabet) return;
    std::map<std::uint32_t, std::vector<std::uint32_t>> by_step;
    for (std::size_t k = 0; k < c_.inputs().size(); ++k) {
      const circuits::Port& p = c_.input_port(k);
      if (p.role != circuits::PortRole::Sequence) continue;
      if (!p.has_range || p.lo != 0 || p.hi != 1 || p.word_bits || p.step == 0) return;
      by_step[p.step].push_back(p.index);
    }
    std::size_t m = 0;
    for (auto& [step, indices] : by_step) {
      std::sort(indices.begin(), indices.end());
      for (std::size_t i = 0; i < indices.size(); ++i)
        if (indices[i] != i) return;
      if (m != 0 && indices.size() != m) return;
      m = indices.size();
    }
    if (m >= 2) alphabet = m;
  }

  // The decoded one-hot values of step t (new gates), made with the step's code bits on first use.
  const std::vector<GateId>& symbols(std::uint32_t t) {
    std::vector<GateId>& x = decoded_[t];
    if (!x.empty()) return x;
    const std::size_t m = alphabet, k = ceil_log2(m);
    std::vector<GateId> bits(k);
    for (std::size_t i = 0; i < k; ++i) {
      circuits::Port p{.role = circuits::PortRole::Symbol, .word_bits = static_cast<std::uint32_t>(k),
                       .bit = static_cast<std::uint32_t>(i), .has_range = true, .step = t, .index = 0, .key = 0,
                       .lo = 0, .hi = static_cast<std::int32_t>(m - 1), .word_unsigned = true};
      bits[i] = b_.input(fmt::format("x[{}].{}", t, i), p);
    }
    auto all = [&](std::vector<GateId> v, Op op) {  // a balanced tree of and/or
      while (v.size() > 1) {
        std::vector<GateId> next;
        for (std::size_t i = 0; i + 1 < v.size(); i += 2) next.push_back(b_.make(op, v[i], v[i + 1]));
        if (v.size() % 2) next.push_back(v.back());
        v = std::move(next);
      }
      return v[0];
    };
    auto equals = [&](std::size_t s) {
      std::vector<GateId> lits(k);
      for (std::size_t i = 0; i < k; ++i) lits[i] = (s >> i) & 1 ? bits[i] : b_.not_(bits[i]);
      return all(std::move(lits), Op::And);
    };
    for (std::size_t s = 0; s + 1 < m; ++s) x.push_back(equals(s));
    // The last symbol: every code >= m - 1 (just m - 1 when m is a power of two).
    x.push_back((m & (m - 1)) == 0 ? equals(m - 1) : b_.not_(all(x, Op::Or)));
    return x;
  }

  // ---- which gates join the sum that reads them ----
  static bool is_sum_kind(Op op) { return op == Op::Add || op == Op::Sub || op == Op::Neg; }

  void plan_sums() {
    absorbed_.assign(c_.num_gates(), 0);
    if (!o_.arith.carry_save_sums) return;
    std::vector<std::uint32_t> reads(c_.num_gates(), 0);
    std::vector<GateId> reader(c_.num_gates(), kNoGate);
    for (const circuits::Output& o : c_.outputs()) reads[o.gate] += 2;  // an output is never absorbed
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (!live_[g]) continue;
      const int k = circuits::arity(c_.op(g));
      for (int i = 0; i < k; ++i) {
        const GateId x = i == 0 ? c_.a(g) : c_.b(g);
        ++reads[x];
        reader[x] = g;
      }
    }
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      const Op op = c_.op(g);
      if (!live_[g] || reads[g] != 1 || !(is_sum_kind(op) || op == Op::Mul)) continue;
      // An exclusive sum takes in only exclusive adds (its terms are ORed); others only others.
      const bool ex = exclusive(reader[g]);
      absorbed_[g] = is_sum_kind(c_.op(reader[g])) && ex == exclusive(g) && (!ex || op == Op::Add);
    }
  }

  // ---- building ----
  Word& word(GateId g) { return words_[g]; }

  void input(GateId g) {
    const std::size_t k = c_.a(g);
    const circuits::Port& p = c_.input_port(k);
    const std::string& name = c_.input_name(k);
    if (alphabet && p.role == circuits::PortRole::Sequence) {  // a one-hot value, decoded from the code
      words_[g] = Word{{symbols(p.step)[p.index]}, false};
      return;
    }
    // An unread input is split by its declared range too: its bits must still take values a
    // boolean circuit can be given.
    const bool ranged = p.has_range || o_.input_bits;
    mpz_class lo = lo_[g], hi = hi_[g];
    if (ranged && !live_[g]) input_range(k, lo, hi);
    if (!ranged || (lo >= 0 && hi <= 1)) {  // 0 or 1 (or unranged and unread): the input itself
      words_[g] = Word{{b_.input(name, p)}, false};
      return;
    }
    const std::size_t w = width_of(lo, hi);
    Word word{{}, lo < 0};
    for (std::size_t i = 0; i < w; ++i) {
      circuits::Port bp = p;
      bp.word_bits = static_cast<std::uint32_t>(w);
      bp.bit = static_cast<std::uint32_t>(i);
      bp.word_unsigned = lo >= 0;
      word.bits.push_back(b_.input(fmt::format("{}.{}", name, i), bp));
    }
    words_[g] = std::move(word);
  }

  void build(GateId g) {
    const GateId a = c_.a(g), b = c_.b(g);
    const auto w = static_cast<unsigned>(width_of(lo_[g], hi_[g]));
    Word out;
    switch (c_.op(g)) {
      case Op::Const: out = arith_.constant(lo_[g], w); break;
      case Op::Add:
      case Op::Sub:
      case Op::Neg: out = sum(g, w); break;
      case Op::Mul:
        if (c_.op(a) == Op::Const)
          out = arith_.mul_const(word(b), lo_[a], w);
        else if (c_.op(b) == Op::Const)
          out = arith_.mul_const(word(a), lo_[b], w);
        else
          out = arith_.mul(word(a), word(b), w);
        break;
      case Op::Buf: out = word(a); break;
      case Op::Step: out = Word{{arith_.positive(word(a))}, false}; break;
      default: throw Error(fmt::format("lower-bool: {} slipped through", circuits::gate_description(c_, g)));
    }
    out.is_signed = lo_[g] < 0;
    if (c_.op(g) != Op::Step && out.bits.size() != w)
      throw Error(fmt::format("lower-bool: {} came out {} bits wide, not {}", circuits::gate_description(c_, g), out.bits.size(), w));
    words_[g] = std::move(out);
  }

  // The sum rooted at g: its absorbed add/sub/neg gates walked with an explicit stack, each
  // leaf a signed term (a word, a product, a constant factor), constants gathered into one.
  Word sum(GateId root, unsigned width) {
    if (exclusive(root)) return exclusive_sum(root, width);
    std::vector<SumTerm> terms;
    mpz_class constant = 0;
    std::vector<std::pair<GateId, bool>> stack;  // (gate, negative)
    auto push_operands = [&](GateId g, bool neg) {
      switch (c_.op(g)) {
        case Op::Add:
          stack.emplace_back(c_.b(g), neg);
          stack.emplace_back(c_.a(g), neg);
          break;
        case Op::Sub:
          stack.emplace_back(c_.b(g), !neg);
          stack.emplace_back(c_.a(g), neg);
          break;
        default: stack.emplace_back(c_.a(g), !neg); break;  // neg
      }
    };
    push_operands(root, false);
    while (!stack.empty()) {
      const auto [x, neg] = stack.back();
      stack.pop_back();
      const Op op = c_.op(x);
      if (op == Op::Const) {
        constant += neg ? mpz_class(-lo_[x]) : lo_[x];
      } else if (absorbed_[x] && is_sum_kind(op)) {
        push_operands(x, neg);
      } else if (absorbed_[x]) {  // a product
        ++fused_products;
        const GateId p = c_.a(x), q = c_.b(x);
        SumTerm t;
        t.negative = neg;
        if (c_.op(p) == Op::Const || c_.op(q) == Op::Const) {
          const bool p_const = c_.op(p) == Op::Const;
          t.x = word(p_const ? q : p);
          t.factor = lo_[p_const ? p : q];
        } else {
          t.x = word(p);
          t.y = word(q);
        }
        terms.push_back(std::move(t));
      } else {
        SumTerm t;
        t.x = word(x);
        t.negative = neg;
        terms.push_back(std::move(t));
      }
    }
    if (constant != 0) {
      SumTerm t;
      t.x = arith_.constant(constant, static_cast<unsigned>(width_of(std::min(constant, mpz_class(0)),
                                                                      std::max(constant, mpz_class(0)))));
      terms.push_back(std::move(t));
    }
    ++sums;
    return arith_.sum(terms, width);
  }

  // A sum of which at most one term is nonzero (a value hint): the OR of its terms' words, bit
  // by bit, in balanced trees; no carries at all.
  Word exclusive_sum(GateId root, unsigned width) {
    ++exclusive_sums;
    std::vector<Bits> words;
    std::vector<GateId> stack{c_.a(root), c_.b(root)};
    while (!stack.empty()) {
      const GateId x = stack.back();
      stack.pop_back();
      if (absorbed_[x]) {  // an exclusive add inside
        stack.push_back(c_.a(x));
        stack.push_back(c_.b(x));
      } else {
        words.push_back(arith_.extend(word(x), width));
      }
    }
    Word out{Bits(width), false};
    std::vector<GateId> column;
    for (unsigned i = 0; i < width; ++i) {
      column.clear();
      for (const Bits& w : words) column.push_back(w[i]);
      while (column.size() > 1) {
        std::size_t h = 0;
        for (std::size_t k = 0; k + 1 < column.size(); k += 2) column[h++] = b_.or_(column[k], column[k + 1]);
        if (column.size() % 2) column[h++] = column.back();
        column.resize(h);
      }
      out.bits[i] = column.empty() ? arith_.zero() : column[0];
    }
    return out;
  }

  std::vector<circuits::Output> outputs() {
    std::vector<circuits::Output> outs;
    for (const circuits::Output& o : c_.outputs()) {
      Word w = words_[o.gate];
      if (o_.output_bits && !w.bits.empty() && !(w.bits.size() == 1 && !w.is_signed)) {
        w.bits = arith_.extend(w, static_cast<unsigned>(o_.output_bits));  // output_refusal(): it fits
        w.is_signed = true;
      }
      if (!output_widths.empty()) output_widths += ' ';
      output_widths += fmt::format("{}:{}", o.name, w.bits.size());
      widest_output = std::max(widest_output, w.bits.size());
      if (w.bits.empty()) {
        outs.push_back({o.name, b_.constant(0), o.port});
      } else if (w.bits.size() == 1 && !w.is_signed) {
        outs.push_back({o.name, w.bits[0], o.port});
      } else {
        for (std::size_t i = 0; i < w.bits.size(); ++i) {
          circuits::Port p = o.port;
          p.word_bits = static_cast<std::uint32_t>(w.bits.size());
          p.bit = static_cast<std::uint32_t>(i);
          p.word_unsigned = !w.is_signed;
          outs.push_back({fmt::format("{}.{}", o.name, i), w.bits[i], p});
        }
      }
    }
    return outs;
  }

  const Circuit& c_;
  const Options& o_;
  std::vector<std::uint8_t> live_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  BitArith arith_;
  std::vector<mpz_class> lo_, hi_;
  std::vector<std::uint8_t> absorbed_;
  std::unordered_map<GateId, Hint> hints_;
  std::vector<Word> words_;
  std::map<std::uint32_t, std::vector<GateId>> decoded_;  // step -> x[t][0..m-1], binary alphabets
};

std::vector<std::string> names_of_adders() {
  std::vector<std::string> v;
  for (AdderKind k : kAdderKinds) v.emplace_back(adder_name(k));
  return v;
}
std::vector<std::string> names_of_multipliers() {
  std::vector<std::string> v;
  for (MultiplierKind k : kMultiplierKinds) v.emplace_back(multiplier_name(k));
  return v;
}

class LowerBoolPass final : public Pass {
 public:
  std::string_view name() const override { return "lower-bool"; }
  std::string_view help() const override {
    return "integer circuit -> boolean circuit: words of bits sized by interval analysis, prefix adders, "
           "carry-save multipliers and sums";
  }
  std::vector<ParamSpec> params() const override {
    using T = ParamSpec::Type;
    return {
        {.name = "adder", .short_flag = 'a', .type = T::Choice, .choices = names_of_adders(),
         .default_value = "sklansky", .help = "carry-propagate adder: ripple carry or a parallel-prefix carry network"},
        {.name = "multiplier", .short_flag = 'm', .type = T::Choice, .choices = names_of_multipliers(),
         .default_value = "dadda", .help = "partial-product reduction: array (linear depth) or a carry-save tree"},
        {.name = "constants", .short_flag = 0, .type = T::Choice, .choices = {"csd", "general"},
         .default_value = "csd", .help = "products by a constant: shifted copies per canonical signed digit, or a general product"},
        {.name = "sums", .short_flag = 0, .type = T::Choice, .choices = {"carry-save", "adders"},
         .default_value = "carry-save", .help = "sums of many terms (with their products): one carry-save tree, or one adder per gate"},
        {.name = "input-bits", .short_flag = 'k', .type = T::Count, .choices = {}, .default_value = "0",
         .help = "inputs without a declared range are K-bit words (0: refuse them)", .min = 0, .max = 4096},
        {.name = "signed", .short_flag = 0, .type = T::Flag, .choices = {}, .default_value = "false",
         .help = "--input-bits words are two's complement, not unsigned"},
        {.name = "hints", .short_flag = 0, .type = T::Choice, .choices = {"use", "ignore"}, .default_value = "use",
         .help = "value hints (lift-scan's finite values): narrow words and OR exclusive sums, or size by intervals only"},
        {.name = "alphabet", .short_flag = 0, .type = T::Choice, .choices = {"binary", "one-hot"},
         .default_value = "binary",
         .help = "alphabet inputs (every sequence input 0:1, each step's indices 0..m-1, m >= 2): ceil(log2 m) bits "
                 "per step coding the symbol index, decoded in the circuit (codes past the last symbol read as it), "
                 "or the m one-hot inputs as they are"},
        {.name = "output-bits", .short_flag = 'o', .type = T::Count, .choices = {}, .default_value = "0",
         .help = "every output word (not 0/1 outputs) exactly K bits of two's complement, refused when an output's "
                 "range does not fit (0: as wide as needed)", .min = 0, .max = 4096},
    };
  }

  PassResult run(const Circuit& c, const PassArgs& args) const override {
    Options o;
    o.arith.adder = *parse_adder(args.text("adder"));
    o.arith.multiplier = *parse_multiplier(args.text("multiplier"));
    o.arith.csd_constants = args.text("constants") == "csd";
    o.arith.carry_save_sums = args.text("sums") == "carry-save";
    o.input_bits = args.count("input-bits");
    o.input_signed = args.flag("signed");
    o.use_hints = args.text("hints") == "use";
    o.binary_alphabet = args.text("alphabet") == "binary";
    o.output_bits = args.count("output-bits");
    if (o.input_signed && o.input_bits == 0) throw Error("lower-bool: --signed goes with --input-bits K");
    BoolLowering lowering(c, o);
    if (std::string why = lowering.check(); !why.empty()) return PassResult::refused(std::move(why));
    lowering.analyse();
    if (std::string why = lowering.output_refusal(); !why.empty()) return PassResult::refused(std::move(why));
    PassResult r;
    r.circuit = lowering.run();
    r.counters = {{"widest_output", static_cast<std::int64_t>(lowering.widest_output)},
                  {"widest_word", static_cast<std::int64_t>(lowering.widest_word)},
                  {"sums", static_cast<std::int64_t>(lowering.sums)},
                  {"fused_products", static_cast<std::int64_t>(lowering.fused_products)},
                  {"hinted_gates", static_cast<std::int64_t>(lowering.hinted)},
                  {"exclusive_sums", static_cast<std::int64_t>(lowering.exclusive_sums)},
                  {"alphabet_bits", static_cast<std::int64_t>(lowering.alphabet ? ceil_log2(lowering.alphabet) : 0)},
                  {"output_widths", lowering.output_widths}};
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_lower_bool_pass() { return std::make_unique<LowerBoolPass>(); }

}  // namespace rnncc::compiler::passes
