// Boolean integer arithmetic (compiler/passes/bitwords.hpp) against plain integers: every adder
// and multiplier kind, with and without signed-digit constants and carry-save sums, exhaustively
// on operands of 1..6 bits (signed and unsigned, mixed; results exact and truncated), on random
// 64- to 200-bit operands against GMP; ABC proves every multiplier setting equivalent and counts
// the same ANDs as rnncc; depths follow the prefix schedules and the textbook shapes.
#include <gtest/gtest.h>

#include <gmpxx.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/aiger.hpp"
#include "compiler/passes/bitwords.hpp"
#include "compiler/passes/prefix.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::Builder;
using circuits::Circuit;
using u64 = std::uint64_t;
using i64 = std::int64_t;

// Every adder x multiplier pair, and the constant and sum options on top of each.
std::vector<ArithOptions> all_settings() {
  std::vector<ArithOptions> r;
  for (AdderKind a : kAdderKinds)
    for (MultiplierKind m : kMultiplierKinds)
      for (bool csd : {true, false})
        for (bool cs : {true, false}) r.push_back({a, m, csd, cs});
  return r;
}

std::string label(const ArithOptions& o) {
  return std::string(adder_name(o.adder)) + "/" + std::string(multiplier_name(o.multiplier)) +
         (o.csd_constants ? "/csd" : "/binary") + (o.carry_save_sums ? "/carry-save" : "/adder-tree");
}

Word inputs(Builder& b, const std::string& name, unsigned n, bool is_signed) {
  Word w{{}, is_signed};
  for (unsigned i = 0; i < n; ++i) w.bits.push_back(b.input(name + std::to_string(i)));
  return w;
}

// AIG measures (ABC's `and` and `lev`): the circuit as rnncc writes it to AIGER, read back.
circuits::Measures aig_measures(const Circuit& c) {
  return circuits::measure(circuits::io::read_aiger(circuits::io::write_aiger(c, circuits::io::AigerMode::Binary), "c.aig"),
                           {.not_free = true, .critical_path = false});
}
std::size_t ands_of(const circuits::Measures& m) {
  return m.by_kind[static_cast<std::size_t>(circuits::Op::And)];
}

TEST(BitWords, Names) {
  for (AdderKind k : kAdderKinds) EXPECT_EQ(parse_adder(adder_name(k)), k);
  for (MultiplierKind k : kMultiplierKinds) EXPECT_EQ(parse_multiplier(multiplier_name(k)), k);
  EXPECT_EQ(adder_name(AdderKind::KoggeStone), "kogge-stone");
  EXPECT_EQ(adder_name(AdderKind::BrentKung), "brent-kung");
  EXPECT_EQ(multiplier_name(MultiplierKind::Dadda), "dadda");
  EXPECT_FALSE(parse_adder("carry-lookahead"));
  EXPECT_FALSE(parse_multiplier("booth"));
}

TEST(BitWords, ConstantsAndExtension) {
  Builder b;
  BitArith ar(b, {});
  Word w = ar.constant(-3, 4);  // 1101
  EXPECT_TRUE(w.is_signed);
  ASSERT_EQ(w.width(), 4u);
  EXPECT_EQ(w.bits[0], ar.one());
  EXPECT_EQ(w.bits[1], ar.zero());
  EXPECT_EQ(w.bits[2], ar.one());
  EXPECT_EQ(w.bits[3], ar.one());
  Word x = inputs(b, "x", 3, true);
  Bits e = ar.extend(x, 5);
  EXPECT_EQ(e, (Bits{x.bits[0], x.bits[1], x.bits[2], x.bits[2], x.bits[2]}));
  x.is_signed = false;
  e = ar.extend(x, 5);
  EXPECT_EQ(e, (Bits{x.bits[0], x.bits[1], x.bits[2], ar.zero(), ar.zero()}));
  EXPECT_EQ(ar.extend(x, 2), (Bits{x.bits[0], x.bits[1]}));
  EXPECT_EQ(ar.negative(x), ar.zero());
  EXPECT_EQ(ar.positive(Word{}), ar.zero());
  EXPECT_TRUE(ar.sum({}, 4).bits == Bits(4, ar.zero()));
}

// ---- Exhaustive: operands of 1..6 bits -------------------------------------------------------

i64 value(u64 bits, unsigned n, bool is_signed) {
  i64 v = static_cast<i64>(bits & ((u64{1} << n) - 1));
  if (is_signed && (v >> (n - 1)) & 1) v -= i64{1} << n;
  return v;
}

// One circuit per setting and operand shape holds every operation at several widths; each
// output word is checked against its reference mod 2^width on all 2^(na+nb) operand pairs.
void check_exhaustive(const ArithOptions& o, unsigned na, bool sa, unsigned nb, bool sb) {
  struct Check {
    std::string what;
    unsigned width;
    std::function<i64(i64, i64)> ref;
    std::size_t first_output;
  };
  Builder b;
  BitArith ar(b, o);
  const Word A = inputs(b, "a", na, sa), B = inputs(b, "b", nb, sb);
  std::vector<Check> checks;
  std::size_t outputs = 0;
  auto out = [&](const std::string& what, unsigned width, const Bits& bits, std::function<i64(i64, i64)> ref) {
    ASSERT_EQ(bits.size(), width) << what;
    checks.push_back({what, width, std::move(ref), outputs});
    for (circuits::GateId g : bits) b.output("o" + std::to_string(outputs++), g);
  };
  const std::vector<i64> factors = {0, 1, -1, 2, -4, 3, 7, -5, 11, 22, -13, 64};
  for (unsigned w : {1u, 3u, na + nb, 16u}) {
    const std::string at = " at " + std::to_string(w);
    out("a+b" + at, w, ar.add(A, B, w).bits, [](i64 x, i64 y) { return x + y; });
    out("a-b" + at, w, ar.sub(A, B, w).bits, [](i64 x, i64 y) { return x - y; });
    out("-a" + at, w, ar.neg(A, w).bits, [](i64 x, i64) { return -x; });
    out("a*b" + at, w, ar.mul(A, B, w).bits, [](i64 x, i64 y) { return x * y; });
    for (i64 c : factors)
      out("a*" + std::to_string(c) + at, w, ar.mul_const(A, c, w).bits, [c](i64 x, i64) { return x * c; });
    out("b*-6" + at, w, ar.mul_const(B, -6, w).bits, [](i64, i64 y) { return y * -6; });
    out("a-b+ab" + at, w,
        ar.sum({{A, {}, {}, false}, {B, {}, {}, true}, {A, B, {}, false}}, w).bits,
        [](i64 x, i64 y) { return x - y + x * y; });
    out("-ab-7a-6b+b-a" + at, w,
        ar.sum({{A, B, {}, true}, {A, {}, mpz_class(-7), false}, {B, {}, mpz_class(6), true}, {B, {}, {}, false},
                {A, {}, {}, true}},
               w)
            .bits,
        [](i64 x, i64 y) { return -x * y - 7 * x - 6 * y + y - x; });
    out("-a-b-3a+ba" + at, w,
        ar.sum({{A, {}, {}, true}, {B, {}, {}, true}, {A, {}, mpz_class(3), true}, {B, A, {}, false}}, w).bits,
        [](i64 x, i64 y) { return -x - y - 3 * x + y * x; });
    out("-b" + at, w, ar.sum({{B, {}, {}, true}}, w).bits, [](i64, i64 y) { return -y; });
  }
  out("a>0", 1, {ar.positive(A)}, [](i64 x, i64) { return x > 0; });
  out("a<0", 1, {ar.negative(A)}, [](i64 x, i64) { return x < 0; });
  out("b>0", 1, {ar.positive(B)}, [](i64, i64 y) { return y > 0; });
  out("a-b<0", 1, {ar.negative(ar.sub(A, B, 8))}, [](i64 x, i64 y) { return x < y; });
  out("a-b>0", 1, {ar.positive(ar.sub(A, B, 8))}, [](i64 x, i64 y) { return x > y; });
  const Circuit c = b.finish();

  const unsigned n = na + nb;
  const u64 cases = u64{1} << n;
  for (u64 base = 0; base < cases; base += 64) {
    std::vector<u64> in(n, 0);
    for (u64 k = 0; k < 64; ++k) {
      const u64 pair = (base + k) % cases;
      for (unsigned i = 0; i < n; ++i) in[i] |= ((pair >> i) & 1) << k;
    }
    const std::vector<u64> got = test::eval_bool_words(c, in);
    for (const Check& ch : checks) {
      for (u64 k = 0; k < 64 && base + k < cases; ++k) {
        const u64 pair = base + k;
        const i64 x = value(pair, na, sa), y = value(pair >> na, nb, sb);
        const u64 want = static_cast<u64>(ch.ref(x, y));
        u64 have = 0;
        for (unsigned i = 0; i < ch.width; ++i) have |= ((got[ch.first_output + i] >> k) & 1) << i;
        const u64 mask = ch.width >= 64 ? ~u64{0} : (u64{1} << ch.width) - 1;
        if (have != (want & mask)) {
          ADD_FAILURE() << label(o) << ": " << ch.what << " with a = " << x << " (" << na << (sa ? " signed" : " unsigned")
                        << "), b = " << y << " (" << nb << (sb ? " signed" : " unsigned") << "): got " << have
                        << ", want " << (want & mask);
          return;
        }
      }
    }
  }
}

TEST(BitWords, ExhaustiveSmallOperands) {
  for (const ArithOptions& o : all_settings()) {
    // The constant and sum options change nothing else: the full grid of shapes for the
    // default ones, a diagonal of shapes for the others.
    const bool full = o.csd_constants && o.carry_save_sums;
    for (unsigned na = 1; na <= 6; ++na)
      for (unsigned nb = 1; nb <= 6; ++nb) {
        if (!full && na != nb && na + 1 != nb) continue;
        for (int signs = 0; signs < 4; ++signs) {
          check_exhaustive(o, na, signs & 1, nb, signs & 2);
          if (HasFailure()) return;
        }
      }
  }
}

// ---- Random wide operands against GMP --------------------------------------------------------

mpz_class mod_pow2(const mpz_class& v, unsigned w) {
  mpz_class r;
  mpz_fdiv_r_2exp(r.get_mpz_t(), v.get_mpz_t(), w);
  return r;
}

void check_wide(const ArithOptions& o, unsigned na, bool sa, unsigned nb, bool sb, unsigned width, std::mt19937_64& rng) {
  gmp_randclass gmp(gmp_randinit_default);
  gmp.seed(rng());
  auto random_value = [&](unsigned n, bool is_signed) {
    mpz_class v = gmp.get_z_bits(n);
    if (is_signed) v -= mpz_class(1) << (n - 1);
    return v;
  };
  const mpz_class c = random_value(90, true);
  Builder b;
  BitArith ar(b, o);
  const Word A = inputs(b, "a", na, sa), B = inputs(b, "b", nb, sb);
  std::vector<std::pair<std::string, Word>> words = {
      {"a+b", ar.add(A, B, width)},
      {"a-b", ar.sub(A, B, width)},
      {"-a", ar.neg(A, width)},
      {"a*b", ar.mul(A, B, width)},
      {"a*c", ar.mul_const(A, c, width)},
      {"ab-a+bc-b", ar.sum({{A, B, {}, false}, {A, {}, {}, true}, {B, {}, c, false}, {B, {}, {}, true}}, width)}};
  std::size_t outputs = 0;
  for (const auto& [what, w] : words)
    for (circuits::GateId g : w.bits) b.output("o" + std::to_string(outputs++), g);
  b.output("a-b>0", ar.positive(ar.sub(A, B, std::max(na, nb) + 1)));
  const Circuit circ = b.finish();

  std::vector<mpz_class> av(64), bv(64);
  std::vector<u64> in(na + nb, 0);
  for (unsigned k = 0; k < 64; ++k) {
    av[k] = random_value(na, sa);
    bv[k] = random_value(nb, sb);
    if (k == 0) av[k] = sa ? mpz_class(-(mpz_class(1) << (na - 1))) : mpz_class((mpz_class(1) << na) - 1);  // extremes
    if (k == 1) bv[k] = sb ? mpz_class(-(mpz_class(1) << (nb - 1))) : mpz_class((mpz_class(1) << nb) - 1);
    for (unsigned i = 0; i < na; ++i) in[i] |= u64(mpz_tstbit(av[k].get_mpz_t(), i)) << k;
    for (unsigned i = 0; i < nb; ++i) in[na + i] |= u64(mpz_tstbit(bv[k].get_mpz_t(), i)) << k;
  }
  const std::vector<u64> got = test::eval_bool_words(circ, in);
  for (unsigned k = 0; k < 64; ++k) {
    const mpz_class& x = av[k];
    const mpz_class& y = bv[k];
    const std::vector<mpz_class> want = {x + y, x - y, -x, x * y, x * c, x * y - x + y * c - y};
    std::size_t at = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
      mpz_class have = 0;
      for (unsigned j = 0; j < width; ++j)
        if ((got[at + j] >> k) & 1) mpz_setbit(have.get_mpz_t(), j);
      at += width;
      ASSERT_EQ(have, mod_pow2(want[i], width))
          << label(o) << ": " << words[i].first << " of " << na << "x" << nb << " bits at width " << width
          << ", a = " << x.get_str() << ", b = " << y.get_str();
    }
    ASSERT_EQ((got[at] >> k) & 1, u64(x > y)) << label(o) << ": a > b";
  }
}

TEST(BitWords, RandomWideAgainstGmp) {
  std::mt19937_64 rng(20240611);
  for (const ArithOptions& o : all_settings()) {
    if (!o.csd_constants && !o.carry_save_sums) continue;  // each option is covered alone
    check_wide(o, 64, false, 64, false, 128, rng);
    check_wide(o, 100, true, 64, false, 120, rng);
    if (o.csd_constants && o.carry_save_sums) check_wide(o, 200, true, 200, true, 230, rng);
    if (HasFailure()) return;
  }
}

// ---- Depth and size ---------------------------------------------------------------------------

Circuit adder_circuit(AdderKind kind, unsigned n) {
  Builder b;
  BitArith ar(b, {.adder = kind});
  const Word A = inputs(b, "a", n, false), B = inputs(b, "b", n, false);
  const circuits::GateId cin = b.input("cin");
  const Bits s = ar.adder(A.bits, B.bits, cin);
  for (unsigned i = 0; i < n; ++i) b.output("s" + std::to_string(i), s[i]);
  return b.finish();
}

// The carry into the top bit passes one (g, p) level (one AND), at most two AIG levels per level
// of the schedule (AND then OR), and the sum's XOR (two): depth between 2 * schedule depth and
// 2 * schedule depth + 3. Ripple is the serial schedule: linear depth, the fewest ANDs.
TEST(BitWords, AdderDepthFollowsTheSchedule) {
  for (unsigned n : {2u, 8u, 16u, 33u, 64u}) {
    std::size_t ripple_ands = 0;
    for (AdderKind k : kAdderKinds) {
      SCOPED_TRACE(std::string(adder_name(k)) + " over " + std::to_string(n) + " bits");
      const circuits::Measures m = aig_measures(adder_circuit(k, n));
      const PrefixNetwork net = k == AdderKind::Ripple           ? PrefixNetwork::Serial
                                : k == AdderKind::Sklansky       ? PrefixNetwork::Sklansky
                                : k == AdderKind::KoggeStone     ? PrefixNetwork::KoggeStone
                                                                 : PrefixNetwork::BrentKung;
      const std::uint32_t d = prefix_schedule(net, n).depth;
      EXPECT_LE(m.depth, 2 * d + 3);
      EXPECT_GE(m.depth, 2 * d);
      if (k == AdderKind::Ripple) {
        EXPECT_EQ(d, n - 1);
        ripple_ands = ands_of(m);
      } else {
        EXPECT_GE(ands_of(m), ripple_ands);
      }
    }
  }
}

Circuit multiplier_circuit(const ArithOptions& o, unsigned n) {
  Builder b;
  BitArith ar(b, o);
  const Word A = inputs(b, "a", n, false), B = inputs(b, "b", n, false);
  const Word p = ar.mul(A, B, 2 * n);
  for (unsigned i = 0; i < 2 * n; ++i) b.output("p" + std::to_string(i), p.bits[i]);
  return b.finish();
}

// An n x n product has n^2 partial-product ANDs and needs about n^2 - 4n full adders whatever
// the tree; the array's depth grows linearly in n, the trees' logarithmically.
TEST(BitWords, MultiplierShapes) {
  for (unsigned n : {8u, 16u, 32u}) {
    std::size_t array_depth = 0;
    for (MultiplierKind mk : kMultiplierKinds) {
      SCOPED_TRACE(std::string(multiplier_name(mk)) + " " + std::to_string(n) + "x" + std::to_string(n));
      const circuits::Measures m = aig_measures(multiplier_circuit({.adder = AdderKind::Sklansky, .multiplier = mk}, n));
      EXPECT_GE(ands_of(m), n * n + 8 * (n * n - 4 * n));   // full adders of at least 8 ANDs
      EXPECT_LE(ands_of(m), n * n + 11 * n * n);            // and at most ~ n^2 of 10
      if (mk == MultiplierKind::Array) {
        array_depth = m.depth;
        EXPECT_GE(m.depth, 3 * n);  // a full adder (at least one XOR) per row, and the adder
      } else if (n >= 16) {
        EXPECT_LT(m.depth, array_depth);
      }
    }
  }
  // The figure this library is for: a 64 x 64 Dadda multiplier with a Sklansky adder.
  const circuits::Measures m =
      aig_measures(multiplier_circuit({.adder = AdderKind::Sklansky, .multiplier = MultiplierKind::Dadda}, 64));
  EXPECT_LE(m.depth, 55u);
  EXPECT_LE(ands_of(m), 56600u);  // 1.5 x yosys's 37,735
}

// ---- ABC ------------------------------------------------------------------------------------------

// Every adder x multiplier setting's unsigned 8 x 8 -> 16 product as AIGER. ABC's `cec` proves
// the settings of one tree equivalent (SAT sweeping finds the shared carry-save tree fast);
// across trees, where SAT on multipliers takes seconds, the miter's output collapses to a BDD
// of constant 0 (16 inputs: canonical, so a proof too), which `sat` then reports UNSATISFIABLE.
// A product with one output bit complemented must come out SATISFIABLE. ABC's `and` and `lev`
// equal rnncc's measures of the AIGER it wrote.
TEST(BitWords, AbcProvesMultipliersEquivalent) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = test::scratch("bitwords_abc");
  std::vector<std::string> files;
  std::vector<circuits::Measures> measures;
  std::string script, proofs;
  std::size_t cecs = 0, miters = 0;
  auto write = [&](const Circuit& c, const std::string& name) {
    const std::string path = dir + "/" + name + ".aig";
    std::ofstream(path, std::ios::binary) << circuits::io::write_aiger(c, circuits::io::AigerMode::Binary);
    return path;
  };
  for (MultiplierKind mk : kMultiplierKinds)
    for (AdderKind a : kAdderKinds) {
      const Circuit c = multiplier_circuit({.adder = a, .multiplier = mk}, 8);
      files.push_back(write(c, std::string(multiplier_name(mk)) + "_" + std::string(adder_name(a))));
      measures.push_back(aig_measures(c));
      script += "read " + files.back() + "; print_stats; ";
      const std::string& tree_first = files[files.size() - 1 - static_cast<std::size_t>(a)];
      if (a != kAdderKinds[0]) {
        proofs += "cec " + tree_first + " " + files.back() + "; ";
        ++cecs;
      } else if (files.size() > 1) {
        proofs += "miter " + files[0] + " " + files.back() + "; collapse; strash; sat; ";
        ++miters;
      }
    }
  {
    Builder b;
    BitArith ar(b, {});
    const Word A = inputs(b, "a", 8, false), B = inputs(b, "b", 8, false);
    const Word p = ar.mul(A, B, 16);
    for (unsigned i = 0; i < 16; ++i) b.output("p" + std::to_string(i), i == 5 ? b.not_(p.bits[i]) : p.bits[i]);
    proofs += "miter " + files[0] + " " + write(b.finish(), "broken") + "; collapse; strash; sat; ";
  }
  const test::RunResult r = test::run("berkeley-abc -c " + test::quote(script + proofs));
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string out = std::regex_replace(r.out, std::regex("\x1b\\[[0-9;]*m"), "");
  static const std::regex stats(R"(and\s*=\s*(\d+)\s+lev\s*=\s*(\d+))");
  std::size_t i = 0;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), stats); it != std::sregex_iterator(); ++it, ++i) {
    ASSERT_LT(i, files.size()) << out;
    EXPECT_EQ(std::stoul((*it)[1]), ands_of(measures[i])) << files[i];
    EXPECT_EQ(std::stoul((*it)[2]), measures[i].depth) << files[i];
  }
  EXPECT_EQ(i, files.size()) << out;
  auto count = [&](const std::string& line) {
    std::size_t n = 0;
    for (std::size_t at = out.find(line); at != std::string::npos; at = out.find(line, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("Networks are equivalent"), cecs) << out;
  EXPECT_EQ(count("NOT EQUIVALENT"), 0u) << out;
  EXPECT_EQ(count("UNSATISFIABLE"), miters) << out;
  EXPECT_EQ(count("SATISFIABLE"), miters + 1) << out;  // within each UNSATISFIABLE, and the broken one
  EXPECT_EQ(cecs, 9u);
  EXPECT_EQ(miters, 2u);
}

}  // namespace
}  // namespace rnncc::compiler::passes
