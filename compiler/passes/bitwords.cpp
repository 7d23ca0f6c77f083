// Boolean integer arithmetic: every operation becomes a bit matrix (rows of weighted bits plus
// one integer constant), reduced by carry-save adders to two rows and summed by one
// carry-propagate adder. Signs never widen a matrix: a bit of weight -2^k is (not z) 2^k - 2^k,
// and every -2^k joins the matrix's constant, added once at the end as a row of constant bits
// (the builder folds adders with constant inputs into inverters and wires).
//
// Depth is measured as an AIG (`not` free, `xor` = 3 ANDs over 2 levels). The trees keep the
// AIG level of every bit and, within each stage, give the full adders a column's earliest bits
// and pass its latest ones through; inside a full adder the latest input skips the first `xor`.
#include "compiler/passes/bitwords.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "circuits/error.hpp"
#include "compiler/passes/prefix.hpp"

namespace rnncc::compiler::passes {

using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

namespace {

constexpr std::array<std::string_view, 4> kAdderNames = {"ripple", "sklansky", "kogge-stone", "brent-kung"};
constexpr std::array<std::string_view, 3> kMultiplierNames = {"array", "wallace", "dadda"};

// A ripple-carry adder is the serial prefix network over the (g, p) operator.
PrefixNetwork network_of(AdderKind k) {
  switch (k) {
    case AdderKind::Ripple: return PrefixNetwork::Serial;
    case AdderKind::Sklansky: return PrefixNetwork::Sklansky;
    case AdderKind::KoggeStone: return PrefixNetwork::KoggeStone;
    case AdderKind::BrentKung: return PrefixNetwork::BrentKung;
  }
  return PrefixNetwork::Serial;
}

// Bits of weight 2^0 .. 2^(width-1) in rows (kNoGate: no bit there) plus an integer constant.
// Rows matter only to the array reduction, which adds them one after another.
struct Matrix {
  unsigned width = 0;
  std::vector<Bits> rows;
  mpz_class constant = 0;
};

class Impl {
 public:
  Impl(circuits::Builder& b, const ArithOptions& o, std::vector<std::uint32_t>& level)
      : b_(b), o_(o), level_(level), zero_(b.constant(0)), one_(b.constant(1)) {}

  GateId zero() const { return zero_; }
  GateId one() const { return one_; }

  // AIG level, computed for every gate created since the last call (operands precede gates).
  std::uint32_t level(GateId g) {
    const circuits::Circuit& c = b_.circuit();
    for (auto id = static_cast<GateId>(level_.size()); id < c.num_gates(); ++id) {
      const Op op = c.op(id);
      std::uint32_t l = 0;
      if (op != Op::Input && op != Op::Const) {
        l = level_[c.a(id)];
        if (c.b(id) != kNoGate) l = std::max(l, level_[c.b(id)]);
        l += op == Op::Not || op == Op::Buf ? 0 : op == Op::Xor ? 2 : 1;
      }
      level_.push_back(l);
    }
    return level_[g];
  }

  Word constant(const mpz_class& v, unsigned width) {
    Word w{Bits(width), v < 0};
    for (unsigned i = 0; i < width; ++i) w.bits[i] = mpz_tstbit(v.get_mpz_t(), i) ? one_ : zero_;
    return w;
  }

  Bits extend(const Word& x, unsigned width) {
    Bits r(width, zero_);
    const GateId fill = x.is_signed && x.width() > 0 ? x.bits.back() : zero_;
    for (unsigned i = 0; i < width; ++i) r[i] = i < x.width() ? x.bits[i] : fill;
    return r;
  }

  // ---- carry-propagate adders ----

  // a + b + carry_in over n bits. Position 0 of the prefix network is the carry-in (g = cin,
  // p = 0) and position i + 1 is bit i, so position i holds the carry into bit i and no extra
  // level is spent on the carry-in. Propagate is a | b (carries are the same as with a ^ b, one
  // AIG level sooner); the sum bits use a ^ b.
  Bits adder(const Bits& a, const Bits& b, GateId carry_in) {
    const std::size_t n = a.size();
    if (b.size() != n) throw Error("adder: operands of " + std::to_string(n) + " and " + std::to_string(b.size()) + " bits");
    if (n == 0) return {};
    std::vector<GateId> g(n), p(n);
    g[0] = carry_in;
    p[0] = zero_;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      g[i + 1] = b_.and_(a[i], b[i]);
      p[i + 1] = b_.or_(a[i], b[i]);
    }
    const PrefixSchedule s = prefix_schedule(network_of(o_.adder), static_cast<std::uint32_t>(n));
    for (const Combine& step : s.steps) {
      // (g, p)[out] = (g_r | p_r g_l, p_r p_l): the left segment is the earlier one.
      g[step.out] = b_.or_(g[step.right], b_.and_(p[step.right], g[step.left]));
      p[step.out] = b_.and_(p[step.right], p[step.left]);
    }
    Bits sum(n);
    for (std::size_t i = 0; i < n; ++i) sum[i] = b_.xor_(b_.xor_(a[i], b[i]), g[i]);
    return sum;
  }

  // ---- adder cells ----

  // Sum and carry of three bits. The latest input enters last: sum = (x ^ y) ^ z, and the carry
  // is xy | z(x ^ y) when z arrives no sooner than x ^ y (3 ANDs, no later than the sum), else
  // xy | z(x | y), one AND more but ready a level sooner.
  std::pair<GateId, GateId> full_adder(GateId x, GateId y, GateId z) {
    GateId in[3] = {x, y, z};
    std::sort(in, in + 3, [&](GateId u, GateId v) { return std::pair(level(u), u) < std::pair(level(v), v); });
    const GateId xy = b_.xor_(in[0], in[1]);
    const GateId sum = b_.xor_(xy, in[2]);
    const GateId late = level(in[2]) >= level(xy) ? xy : b_.or_(in[0], in[1]);
    const GateId carry = b_.or_(b_.and_(in[0], in[1]), b_.and_(in[2], late));
    return {sum, carry};
  }
  std::pair<GateId, GateId> half_adder(GateId x, GateId y) { return {b_.xor_(x, y), b_.and_(x, y)}; }

  // ---- bit matrices ----

  // Bit z of weight sign * 2^k into `row` (k < width): a negative bit is (not z) 2^k - 2^k.
  void put(Matrix& m, Bits& row, unsigned k, GateId z, bool negative) {
    if (z == zero_ || z == one_) {  // constants go straight into the constant
      if (z == one_) {
        const mpz_class weight = mpz_class(1) << k;
        if (negative) m.constant -= weight;
        else m.constant += weight;
      }
      return;
    }
    if (negative) {
      z = b_.not_(z);
      m.constant -= mpz_class(1) << k;
    }
    row[k] = z;
  }

  // The weight of bit i of x is negative only for the sign bit of a signed word.
  static bool negative_weight(const Word& x, unsigned i) { return x.is_signed && i + 1 == x.width(); }

  // sign * (x << shift): one row.
  void add_word(Matrix& m, const Word& x, unsigned shift, bool negative) {
    Bits row(m.width, kNoGate);
    for (unsigned i = 0; i < x.width() && i + shift < m.width; ++i)
      put(m, row, i + shift, x.bits[i], negative != negative_weight(x, i));
    m.rows.push_back(std::move(row));
  }

  // sign * x * y: one row per bit of x, each bit x_i y_j with the sign of its weights
  // (the Baugh-Wooley form: the sign bits' products are complemented, never sign-extended).
  void add_product(Matrix& m, const Word& x, const Word& y, bool negative) {
    for (unsigned i = 0; i < x.width() && i < m.width; ++i) {
      Bits row(m.width, kNoGate);
      for (unsigned j = 0; j < y.width() && i + j < m.width; ++j)
        put(m, row, i + j, b_.and_(x.bits[i], y.bits[j]),
            negative != (negative_weight(x, i) != negative_weight(y, j)));
      m.rows.push_back(std::move(row));
    }
  }

  // c as a word of as few bits as hold it (two's complement when negative), at most `width`:
  // its bit count is the number of rows of a general product by it.
  Word constant_word(const mpz_class& c, unsigned width) {
    unsigned n = 0;
    if (c > 0) n = static_cast<unsigned>(mpz_sizeinbase(c.get_mpz_t(), 2));
    if (c < 0) {
      const mpz_class magnitude = -c - 1;  // the bits below the sign bit
      n = magnitude == 0 ? 1 : static_cast<unsigned>(mpz_sizeinbase(magnitude.get_mpz_t(), 2)) + 1;
    }
    return constant(c, std::min(n, width));
  }

  // sign * x * c: with signed digits, one shifted copy of x per nonzero digit of c's
  // non-adjacent form (digits at 2^width and above vanish mod 2^width); else a general product.
  void add_scaled(Matrix& m, const Word& x, const mpz_class& c, bool negative) {
    if (!o_.csd_constants) {
      add_product(m, x, constant_word(c, m.width), negative);
      return;
    }
    mpz_class rest = c;
    for (unsigned k = 0; rest != 0 && k < m.width; ++k) {
      if (mpz_odd_p(rest.get_mpz_t())) {
        // rest mod 4 == 1: digit +1; == 3: digit -1 (so that the next digit is 0).
        const bool minus = mpz_fdiv_ui(rest.get_mpz_t(), 4) == 3;
        rest += minus ? 1 : -1;
        add_word(m, x, k, negative != minus);
      }
      rest >>= 1;  // exact: rest is even here
    }
  }

  // The matrix as columns of bits, its constant (mod 2^width) as constant-one bits.
  std::vector<Bits> columns(const Matrix& m) {
    std::vector<Bits> col(m.width);
    for (const Bits& row : m.rows)
      for (unsigned k = 0; k < m.width; ++k)
        if (row[k] != kNoGate) col[k].push_back(row[k]);
    for (unsigned k = 0; k < m.width; ++k)
      if (mpz_tstbit(m.constant.get_mpz_t(), k)) col[k].push_back(one_);
    return col;
  }

  void sort_by_level(Bits& bits) {
    std::sort(bits.begin(), bits.end(),
              [&](GateId u, GateId v) { return std::pair(level(u), u) < std::pair(level(v), v); });
  }

  // One stage of compression of column k: `full` full adders and `half` half adders on its
  // earliest bits, the rest passed through; sums stay in column k, carries go to k + 1.
  void compress(std::vector<Bits>& col, std::vector<Bits>& next, unsigned k, std::size_t full, std::size_t half) {
    Bits& bits = col[k];
    sort_by_level(bits);
    std::size_t at = 0;
    auto carry_to = [&](GateId c) {
      if (k + 1 < next.size()) next[k + 1].push_back(c);  // weight 2^width vanishes
    };
    for (std::size_t f = 0; f < full; ++f, at += 3) {
      auto [s, c] = full_adder(bits[at], bits[at + 1], bits[at + 2]);
      next[k].push_back(s);
      carry_to(c);
    }
    for (std::size_t h = 0; h < half; ++h, at += 2) {
      auto [s, c] = half_adder(bits[at], bits[at + 1]);
      next[k].push_back(s);
      carry_to(c);
    }
    for (; at < bits.size(); ++at) next[k].push_back(bits[at]);
  }

  static std::size_t height(const std::vector<Bits>& col) {
    std::size_t h = 0;
    for (const Bits& c : col) h = std::max(h, c.size());
    return h;
  }

  // Wallace: every stage puts a full adder on each three bits of a column and a half adder on
  // a remaining pair. A column of two is left alone unless the column below sends it a carry in
  // this stage: halving it then keeps that carry from making a column of three that the next
  // stage must reduce again, one column further each stage, like a ripple.
  void wallace(std::vector<Bits>& col) {
    while (height(col) > 2) {
      std::vector<Bits> next(col.size());
      std::size_t carries_in = 0;
      for (unsigned k = 0; k < col.size(); ++k) {
        const std::size_t h = col[k].size();
        const std::size_t full = h / 3;
        const std::size_t half = h % 3 == 2 && (h > 2 || carries_in > 0) ? 1 : 0;
        compress(col, next, k, full, half);
        carries_in = full + half;
      }
      col = std::move(next);
    }
  }

  // Dadda: stage targets run down Dadda's sequence 2, 3, 4, 6, 9, 13, ... (d' = floor(3d/2));
  // each stage adds only the adders that bring every column, with the carries it receives in
  // this stage, down to the target.
  void dadda(std::vector<Bits>& col) {
    std::vector<std::size_t> targets = {2};
    while (targets.back() < height(col)) targets.push_back(targets.back() * 3 / 2);
    targets.pop_back();  // the first target below the height
    while (!targets.empty()) {
      const std::size_t d = targets.back();
      targets.pop_back();
      std::vector<Bits> next(col.size());
      std::size_t carries_in = 0;
      for (unsigned k = 0; k < col.size(); ++k) {
        const std::size_t h = col[k].size();
        std::size_t full = 0, half = 0;
        auto after = [&] { return h + carries_in - 2 * full - half; };
        while (after() > d) {
          if (after() - d >= 2 && 3 * (full + 1) + 2 * half <= h) ++full;
          else if (3 * full + 2 * (half + 1) <= h) ++half;
          else break;  // cannot happen for Dadda's sequence; keeps a bad input finite
        }
        compress(col, next, k, full, half);
        carries_in = full + half;
      }
      col = std::move(next);
    }
  }

  // Array: the rows enter one after another into a carry-save pair (sum row, carry row), one
  // row of full adders each: the classic array multiplier, depth linear in the rows.
  std::vector<Bits> array(const Matrix& m) {
    Bits sum(m.width, kNoGate), carry(m.width, kNoGate);
    Bits constant_row(m.width, kNoGate);
    for (unsigned k = 0; k < m.width; ++k)
      if (mpz_tstbit(m.constant.get_mpz_t(), k)) constant_row[k] = one_;
    auto add_row = [&](const Bits& row) {
      Bits s(m.width, kNoGate), c(m.width, kNoGate);
      for (unsigned k = 0; k < m.width; ++k) {
        Bits in;
        for (GateId g : {sum[k], carry[k], row[k]})
          if (g != kNoGate) in.push_back(g);
        GateId out_carry = kNoGate;
        if (in.size() == 3) std::tie(s[k], out_carry) = full_adder(in[0], in[1], in[2]);
        else if (in.size() == 2) std::tie(s[k], out_carry) = half_adder(in[0], in[1]);
        else if (in.size() == 1) s[k] = in[0];
        if (out_carry != kNoGate && k + 1 < m.width) c[k + 1] = out_carry;
      }
      sum = std::move(s);
      carry = std::move(c);
    };
    add_row(constant_row);
    for (const Bits& row : m.rows) add_row(row);
    std::vector<Bits> col(m.width);
    for (unsigned k = 0; k < m.width; ++k)
      for (GateId g : {sum[k], carry[k]})
        if (g != kNoGate) col[k].push_back(g);
    return col;
  }

  // The matrix's value mod 2^width: reduced to two rows, then one carry-propagate adder.
  Word reduce(const Matrix& m) {
    std::vector<Bits> col;
    if (o_.multiplier == MultiplierKind::Array) {
      col = array(m);
    } else {
      col = columns(m);
      if (o_.multiplier == MultiplierKind::Wallace) wallace(col);
      else dadda(col);
    }
    Bits a(m.width, zero_), b(m.width, zero_);
    for (unsigned k = 0; k < m.width; ++k) {
      if (col[k].size() > 0) a[k] = col[k][0];
      if (col[k].size() > 1) b[k] = col[k][1];
    }
    return Word{adder(a, b, zero_), true};
  }

  // ---- operations ----

  Word add(const Word& a, const Word& b, unsigned width) { return {adder(extend(a, width), extend(b, width), zero_), true}; }

  Word sub(const Word& a, const Word& b, unsigned width) {
    Bits nb = extend(b, width);
    for (GateId& g : nb) g = b_.not_(g);
    return {adder(extend(a, width), nb, one_), true};
  }

  Word neg(const Word& a, unsigned width) { return sub(Word{}, a, width); }

  Word mul(const Word& a, const Word& b, unsigned width) {
    Matrix m{width, {}, 0};
    add_product(m, a, b, false);
    return reduce(m);
  }

  Word mul_const(const Word& a, const mpz_class& c, unsigned width) {
    Matrix m{width, {}, 0};
    add_scaled(m, a, c, false);
    return reduce(m);
  }

  Word sum(const std::vector<SumTerm>& terms, unsigned width) {
    for (const SumTerm& t : terms)
      if (t.y && t.factor) throw Error("sum: a term is a product by both a word and a constant");
    if (o_.carry_save_sums) {
      Matrix m{width, {}, 0};
      for (const SumTerm& t : terms) {
        if (t.y) add_product(m, t.x, *t.y, t.negative);
        else if (t.factor) add_scaled(m, t.x, *t.factor, t.negative);
        else add_word(m, t.x, 0, t.negative);
      }
      return reduce(m);
    }
    // A balanced tree of two-operand adders; a value carries its sign until it meets another
    // (+a + -b = a - b, -a + -b = -(a + b)), so only a negative root costs a negation.
    std::vector<std::pair<Word, bool>> level;
    for (const SumTerm& t : terms) {
      Word v = t.y ? mul(t.x, *t.y, width) : t.factor ? mul_const(t.x, *t.factor, width) : t.x;
      level.emplace_back(std::move(v), t.negative);
    }
    if (level.empty()) return constant(0, width);
    while (level.size() > 1) {
      std::vector<std::pair<Word, bool>> next;
      for (std::size_t i = 0; i + 1 < level.size(); i += 2) {
        const auto& [x, xneg] = level[i];
        const auto& [y, yneg] = level[i + 1];
        if (xneg == yneg) next.emplace_back(add(x, y, width), xneg);
        else if (yneg) next.emplace_back(sub(x, y, width), false);
        else next.emplace_back(sub(y, x, width), false);
      }
      if (level.size() % 2) next.push_back(std::move(level.back()));
      level = std::move(next);
    }
    auto& [root, root_negative] = level[0];
    if (root_negative) return neg(root, width);
    return Word{extend(root, width), true};
  }

  // A balanced tree of ORs.
  GateId any(Bits bits) {
    if (bits.empty()) return zero_;
    while (bits.size() > 1) {
      Bits next;
      for (std::size_t i = 0; i + 1 < bits.size(); i += 2) next.push_back(b_.or_(bits[i], bits[i + 1]));
      if (bits.size() % 2) next.push_back(bits.back());
      bits = std::move(next);
    }
    return bits[0];
  }

  GateId negative(const Word& x) { return x.is_signed && x.width() > 0 ? x.bits.back() : zero_; }

  GateId positive(const Word& x) {
    if (!x.is_signed) return any(x.bits);
    if (x.width() == 0) return zero_;
    return b_.and_(b_.not_(x.bits.back()), any(Bits(x.bits.begin(), x.bits.end() - 1)));
  }

 private:
  circuits::Builder& b_;
  const ArithOptions& o_;
  std::vector<std::uint32_t>& level_;
  GateId zero_, one_;
};

}  // namespace

std::string_view adder_name(AdderKind k) { return kAdderNames[static_cast<std::size_t>(k)]; }
std::string_view multiplier_name(MultiplierKind k) { return kMultiplierNames[static_cast<std::size_t>(k)]; }

std::optional<AdderKind> parse_adder(std::string_view s) {
  for (AdderKind k : kAdderKinds)
    if (adder_name(k) == s) return k;
  return std::nullopt;
}

std::optional<MultiplierKind> parse_multiplier(std::string_view s) {
  for (MultiplierKind k : kMultiplierKinds)
    if (multiplier_name(k) == s) return k;
  return std::nullopt;
}

BitArith::BitArith(circuits::Builder& b, ArithOptions options) : b_(b), o_(options) {}

circuits::GateId BitArith::zero() { return b_.constant(0); }
circuits::GateId BitArith::one() { return b_.constant(1); }
Word BitArith::constant(const mpz_class& v, unsigned width) { return Impl(b_, o_, level_).constant(v, width); }
Bits BitArith::extend(const Word& x, unsigned width) { return Impl(b_, o_, level_).extend(x, width); }
Word BitArith::add(const Word& a, const Word& b, unsigned width) { return Impl(b_, o_, level_).add(a, b, width); }
Word BitArith::sub(const Word& a, const Word& b, unsigned width) { return Impl(b_, o_, level_).sub(a, b, width); }
Word BitArith::neg(const Word& a, unsigned width) { return Impl(b_, o_, level_).neg(a, width); }
Word BitArith::mul(const Word& a, const Word& b, unsigned width) { return Impl(b_, o_, level_).mul(a, b, width); }
Word BitArith::mul_const(const Word& a, const mpz_class& c, unsigned width) {
  return Impl(b_, o_, level_).mul_const(a, c, width);
}
Word BitArith::sum(const std::vector<SumTerm>& terms, unsigned width) { return Impl(b_, o_, level_).sum(terms, width); }
circuits::GateId BitArith::positive(const Word& x) { return Impl(b_, o_, level_).positive(x); }
circuits::GateId BitArith::negative(const Word& x) { return Impl(b_, o_, level_).negative(x); }
Bits BitArith::adder(const Bits& a, const Bits& b, circuits::GateId carry_in) {
  return Impl(b_, o_, level_).adder(a, b, carry_in);
}

}  // namespace rnncc::compiler::passes
