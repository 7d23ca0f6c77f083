// levelize(): the structure of a Schedule on random arithmetic and boolean circuits and on long
// chains. Every schedule is replayed symbolically against the circuit it came from: each row is
// tagged with the circuit value it holds, and each scheduled gate must read, from rows written
// at a strictly lower level (or loaded as sources), exactly the operands its circuit gate reads
// (through buf, and in bool through not, as complemented literals). Level counts and widths are
// compared with measure()/gate_levels() under the not-free convention, gate counts with the live
// gate counts of measure(), and row counts with sources + gates (no reuse) or a bound (reuse).
// Nothing is compared only with levelize's own output.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/gate.hpp"
#include "circuits/levelize.hpp"
#include "tests/sim/random_circuits.hpp"

namespace rnncc::circuits {
namespace {

enum class Family { Arith, Bool };

// A random circuit of about `gates` gates over `inputs` inputs (one more, named "dead", is
// never read). Operands come from the last 8 gates with probability `recent` (deep circuits),
// otherwise from any earlier gate (wide circuits). Outputs: the last gate, `outputs - 1` random
// gates (sources included), so part of the circuit is dead.
Circuit random_circuit(std::uint64_t seed, Family family, std::size_t gates, std::size_t inputs,
                       double recent, std::size_t outputs) {
  std::mt19937_64 rng(seed);
  Builder b;
  for (std::size_t i = 0; i < inputs; ++i) b.input("x" + std::to_string(i));
  b.input("dead");
  const GateId dead = static_cast<GateId>(inputs);
  if (family == Family::Arith) {
    b.constant(mpq_class(2));
    b.constant(mpq_class(1, 3));
    b.constant(mpq_class(-7, 4));
  } else {
    // Constants survive folding only behind a buf.
    b.make(Op::Buf, b.constant(0));
    b.make(Op::Buf, b.constant(1));
  }
  test::RandomOperand pick(rng, b, recent, dead);
  const std::size_t target = b.num_gates() + gates;
  for (std::size_t attempt = 0; b.num_gates() < target && attempt < 50 * gates; ++attempt) {
    const unsigned r = static_cast<unsigned>(rng() % 100);
    if (family == Family::Arith) {
      if (r < 30)
        b.add(pick(), pick());
      else if (r < 55)
        b.sub(pick(), pick());
      else if (r < 85)
        b.mul(pick(), pick());
      else if (r < 93)
        b.neg(pick());
      else
        b.make(Op::Buf, pick());
    } else {
      test::add_random_bool_gate(b, r, pick);
    }
  }
  const GateId n = static_cast<GateId>(b.num_gates());
  b.output("o0", n - 1);
  for (std::size_t o = 1; o < outputs; ++o) {
    GateId g = static_cast<GateId>(rng() % n);
    if (g == dead) g = 0;
    b.output("o" + std::to_string(o), g);
  }
  return b.finish();
}

struct Expected {
  std::size_t live_inputs = 0, live_constants = 0, gates = 0;
};

// Replays `s` against `c` (see the header comment) and checks every structural property.
// Returns what the row count is made of.
Expected check_schedule(const Circuit& c, const Schedule& s, DomainKind domain) {
  const bool boolean = domain == DomainKind::Bool;
  const std::vector<std::uint8_t> live = live_gates(c);
  const std::vector<std::uint32_t> level = gate_levels(c, /*not_free=*/true);
  const MeasureParams mp{.not_free = true, .critical_path = false};
  const Measures m = measure(c, mp);
  Expected e;
  EXPECT_EQ(s.domain, domain);

  // What each circuit gate's value is, as (node, complement): a node is a source gate, a gate the
  // schedule computes, or (bool) the one zero constant row.
  constexpr std::int64_t kZero = -1;
  std::vector<std::int64_t> key(c.num_gates(), -2);
  std::vector<std::uint8_t> comp(c.num_gates(), 0);
  auto computed = [&](GateId g) {
    const Op op = c.op(g);
    return live[g] && !is_source(op) && op != Op::Buf && !(boolean && op == Op::Not);
  };
  std::set<mpq_class> live_const_values;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) continue;
    switch (c.op(g)) {
      case Op::Input:
        key[g] = g;
        ++e.live_inputs;
        break;
      case Op::Const:
        live_const_values.insert(c.constant(g));
        if (boolean) {
          key[g] = kZero;
          comp[g] = c.constant(g) == 1;
        } else {
          key[g] = g;
        }
        break;
      case Op::Buf:
        key[g] = key[c.a(g)];
        comp[g] = comp[c.a(g)];
        break;
      case Op::Not:
        if (boolean) {
          key[g] = key[c.a(g)];
          comp[g] = comp[c.a(g)] ^ 1;
          break;
        }
        [[fallthrough]];
      default:
        key[g] = g;
        comp[g] = boolean && c.op(g) == Op::Or;
        ++e.gates;
    }
  }
  e.live_constants = boolean ? (live_const_values.empty() ? 0 : 1) : live_const_values.size();

  // Gate counts and level widths against measure() and gate_levels().
  std::size_t free_kinds = m.by_kind[static_cast<std::size_t>(Op::Buf)];
  if (boolean) free_kinds += m.by_kind[static_cast<std::size_t>(Op::Not)];
  EXPECT_EQ(s.num_gates(), m.size - free_kinds);
  EXPECT_EQ(s.num_gates(), e.gates);
  // Levels as measured with not/buf free (levelize drops buf, and not in bool). Without buf, a
  // non-bool circuit has the same depth under the default convention.
  EXPECT_EQ(s.num_levels(), m.depth);
  if (!boolean && m.by_kind[static_cast<std::size_t>(Op::Buf)] == 0) {
    EXPECT_EQ(s.num_levels(),
              measure(c, MeasureParams{.not_free = false, .critical_path = false}).depth);
  }
  EXPECT_EQ(s.op.size(), s.a.size());
  EXPECT_EQ(s.op.size(), s.b.size());
  EXPECT_EQ(s.op.size(), s.dst.size());
  if (::testing::Test::HasFailure()) return e;

  std::vector<std::size_t> width(m.depth + 1, 0);
  for (GateId g = 0; g < c.num_gates(); ++g)
    if (computed(g)) ++width[level[g]];
  EXPECT_EQ(width[0], 0u);
  EXPECT_EQ(s.level_start.size(), m.depth + 1u);
  if (s.level_start.size() != m.depth + 1u) return e;
  EXPECT_EQ(s.level_start.front(), 0u);
  EXPECT_EQ(s.level_start.back(), s.num_gates());
  for (std::size_t l = 0; l + 1 < s.level_start.size(); ++l) {
    EXPECT_LE(s.level_start[l], s.level_start[l + 1]);
    // Not only non-decreasing: a gate of level L > 1 reads one of level L - 1, so no level is
    // empty.
    EXPECT_LT(s.level_start[l], s.level_start[l + 1]) << "level " << l + 1 << " is empty";
    EXPECT_EQ(s.level_start[l + 1] - s.level_start[l], width[l + 1]) << "width of level " << l + 1;
  }
  if (::testing::Test::HasFailure()) return e;

  // Position of each computed gate: levels in order, gate ids in order within a level.
  std::vector<std::uint32_t> next(s.level_start.begin(), s.level_start.end());
  std::vector<GateId> gate_at(s.num_gates(), kNoGate);
  for (GateId g = 0; g < c.num_gates(); ++g)
    if (computed(g)) gate_at[next[level[g] - 1]++] = g;

  // Rows: what each holds (a node key) and the level that wrote it (0: sources).
  constexpr std::int64_t kEmpty = -3;
  std::vector<std::int64_t> holds(s.num_rows, kEmpty);
  std::vector<std::int64_t> written_at(s.num_rows, -1);
  std::set<std::uint32_t> source_rows;
  auto load = [&](std::uint32_t row, std::int64_t k, const char* what) {
    EXPECT_LT(row, s.num_rows) << what;
    EXPECT_TRUE(source_rows.insert(row).second) << what << " row " << row << " used twice";
    if (row < s.num_rows) {
      holds[row] = k;
      written_at[row] = 0;
    }
  };
  EXPECT_EQ(s.input_row.size(), c.inputs().size());
  for (std::size_t i = 0; i < s.input_row.size() && i < c.inputs().size(); ++i) {
    const GateId g = c.inputs()[i];
    if (!live[g]) {
      EXPECT_EQ(s.input_row[i], kNoRow) << "dead input " << i;
    } else {
      EXPECT_NE(s.input_row[i], kNoRow) << "live input " << i;
      if (s.input_row[i] != kNoRow) load(s.input_row[i], g, "input");
    }
  }
  EXPECT_EQ(s.const_row.size(), e.live_constants);
  EXPECT_EQ(s.const_value.size(), s.const_row.size());
  for (std::size_t j = 0; j < s.const_row.size() && j < s.const_value.size(); ++j) {
    if (boolean) {
      EXPECT_EQ(s.const_value[j], 0);
      load(s.const_row[j], kZero, "bool constant");
    } else {
      EXPECT_EQ(live_const_values.count(s.const_value[j]), 1u) << s.const_value[j].get_str();
      GateId g = kNoGate;
      for (GateId h = 0; h < c.num_gates(); ++h)
        if (live[h] && c.op(h) == Op::Const && c.constant(h) == s.const_value[j]) g = h;
      load(s.const_row[j], g, "constant");
    }
  }
  if (::testing::Test::HasFailure()) return e;

  auto expect_operand = [&](std::uint32_t lit, GateId operand, bool complement, std::size_t l,
                            std::size_t i) {
    const std::uint32_t row = lit >> 1;
    ASSERT_LT(row, s.num_rows) << "gate " << i;
    EXPECT_GE(written_at[row], 0) << "gate " << i << " reads row " << row
                                  << " before anything wrote it";
    EXPECT_LT(written_at[row], static_cast<std::int64_t>(l))
        << "gate " << i << " reads row " << row << " written at its own level " << l;
    EXPECT_EQ(holds[row], key[operand])
        << "gate " << i << " (g" << gate_at[i] << ", level " << l << ") reads row " << row
        << ", which does not hold g" << operand;
    EXPECT_EQ(lit & 1u, (comp[operand] ^ (complement ? 1u : 0u)))
        << "complement of an operand of gate " << i;
  };
  for (std::size_t l = 1; l <= s.num_levels(); ++l) {
    const std::uint32_t first = s.level_start[l - 1], last = s.level_start[l];
    std::set<std::uint32_t> reads, writes;
    for (std::uint32_t i = first; i < last; ++i) {
      const GateId g = gate_at[i];
      const Op op = c.op(g);
      if (boolean) {
        EXPECT_TRUE(s.op[i] == Op::And || s.op[i] == Op::Xor)
            << "bool schedule holds " << mnemonic(s.op[i]);
        EXPECT_EQ(s.op[i], op == Op::Or ? Op::And : op) << "gate " << i;
      } else {
        EXPECT_EQ(s.op[i], op) << "gate " << i;
        EXPECT_NE(s.op[i], Op::Buf);
      }
      const bool flip = boolean && op == Op::Or;  // a | b = !(!a & !b)
      expect_operand(s.a[i], c.a(g), flip, l, i);
      reads.insert(s.a[i] >> 1);
      if (arity(op) == 2) {
        expect_operand(s.b[i], c.b(g), flip, l, i);
        reads.insert(s.b[i] >> 1);
      }
      EXPECT_LT(s.dst[i], s.num_rows);
      EXPECT_TRUE(writes.insert(s.dst[i]).second)
          << "two gates of level " << l << " write row " << s.dst[i];
    }
    for (std::uint32_t r : writes)
      EXPECT_EQ(reads.count(r), 0u) << "level " << l << " reads and writes row " << r;
    if (::testing::Test::HasFailure()) return e;
    for (std::uint32_t i = first; i < last; ++i) {
      holds[s.dst[i]] = gate_at[i];
      written_at[s.dst[i]] = static_cast<std::int64_t>(l);
    }
  }
  EXPECT_EQ(s.output_literal.size(), c.outputs().size());
  for (std::size_t o = 0; o < s.output_literal.size() && o < c.outputs().size(); ++o) {
    const std::uint32_t lit = s.output_literal[o];
    const GateId g = c.outputs()[o].gate;
    EXPECT_LT(lit >> 1, s.num_rows);
    if ((lit >> 1) >= s.num_rows) continue;
    EXPECT_EQ(holds[lit >> 1], key[g])
        << "output " << o << " (g" << g << ") row " << (lit >> 1) << " was overwritten";
    EXPECT_EQ(lit & 1u, comp[g]) << "output " << o;
  }
  return e;
}

void check_both(const Circuit& c, DomainKind domain, const std::string& what) {
  SCOPED_TRACE(what + " in " + std::string(domain_name(domain)));
  const Schedule plain = levelize(c, domain, LevelizeOptions{.reuse_rows = false});
  const Expected e = check_schedule(c, plain, domain);
  EXPECT_EQ(plain.num_rows, e.live_inputs + e.live_constants + e.gates);
  const Schedule reused = levelize(c, domain, LevelizeOptions{.reuse_rows = true});
  check_schedule(c, reused, domain);
  EXPECT_LE(reused.num_rows, plain.num_rows);
  EXPECT_GE(reused.num_rows, reused.max_level_width());
  // Reuse changes rows only, never the order of the gates.
  EXPECT_EQ(reused.op, plain.op);
  EXPECT_EQ(reused.level_start, plain.level_start);
}

// ---------------------------------------------------------------------------------------------

TEST(Levelize, RandomArithmeticCircuits) {
  std::uint64_t seed = 1;
  for (std::size_t gates : {1u, 10u, 200u, 3000u, 20000u})
    for (std::size_t inputs : {1u, 4u, 32u})
      for (double recent : {0.0, 0.6, 0.95}) {
        const Circuit c =
            random_circuit(seed, Family::Arith, gates, inputs, recent, 1 + seed % 7 + gates / 40);
        const std::string what =
            "arith seed " + std::to_string(seed) + ", " + std::to_string(gates) + " gates";
        check_both(c, DomainKind::Real, what);
        check_both(c, DomainKind::Modp, what);
        check_both(c, DomainKind::Exact, what);
        ++seed;
        if (HasFailure()) return;
      }
}

TEST(Levelize, RandomBooleanCircuits) {
  std::uint64_t seed = 1000;
  for (std::size_t gates : {1u, 10u, 200u, 3000u, 20000u})
    for (std::size_t inputs : {1u, 4u, 32u})
      for (double recent : {0.0, 0.6, 0.95}) {
        const Circuit c =
            random_circuit(seed, Family::Bool, gates, inputs, recent, 1 + seed % 7 + gates / 40);
        check_both(c, DomainKind::Bool,
                   "bool seed " + std::to_string(seed) + ", " + std::to_string(gates) + " gates");
        ++seed;
        if (HasFailure()) return;
      }
}

// Circuits whose outputs are sources, literals and constants only: no gate is scheduled.
// Live inputs take rows 0, 1, ... in input order, before the constants, even when constants and
// gates come between them in the circuit (the GPU simulator copies a batch's input matrix
// straight into those rows); a dead input has no row.
TEST(Levelize, LiveInputsTakeTheFirstRowsInInputOrder) {
  Builder b;
  const GateId x = b.input("x");
  const GateId k = b.constant(mpq_class(3));
  const GateId y = b.input("y");
  b.input("dead");
  const GateId m = b.mul(x, k);
  const GateId z = b.input("z");
  b.output("o", b.add(b.add(m, y), b.mul(z, b.constant(mpq_class(5)))));
  const Circuit c = b.finish();
  for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp}) {
    const Schedule s = levelize(c, d);
    EXPECT_EQ(s.input_row, (std::vector<std::uint32_t>{0, 1, kNoRow, 2}));
    EXPECT_EQ(s.const_row, (std::vector<std::uint32_t>{3, 4}));
  }
}

TEST(Levelize, OutputsWithoutGates) {
  Builder b;
  GateId x = b.input("x");
  b.input("y");
  GateId c3 = b.constant(mpq_class(3, 2));
  b.output("x", x);
  b.output("c", c3);
  b.output("bx", b.make(Op::Buf, x));
  Circuit c = b.finish();
  Schedule s = levelize(c, DomainKind::Real);
  EXPECT_EQ(s.num_gates(), 0u);
  EXPECT_EQ(s.num_levels(), 0u);
  EXPECT_EQ(s.num_rows, 2u);
  EXPECT_EQ(s.input_row[1], kNoRow);
  check_both(c, DomainKind::Real, "sources only");

  Builder bb;
  GateId p = bb.input("p");
  bb.output("p", p);
  bb.output("np", bb.not_(p));
  bb.output("zero", bb.constant(0));
  bb.output("one", bb.constant(1));
  bb.output("bnp", bb.make(Op::Buf, bb.not_(p)));
  Circuit cb = bb.finish();
  Schedule sb = levelize(cb, DomainKind::Bool);
  EXPECT_EQ(sb.num_gates(), 0u);
  EXPECT_EQ(sb.num_rows, 2u);  // p and the zero row
  ASSERT_EQ(sb.output_literal.size(), 5u);
  const std::uint32_t prow = sb.input_row[0], zrow = sb.const_row.at(0);
  EXPECT_EQ(sb.output_literal[0], prow << 1);
  EXPECT_EQ(sb.output_literal[1], prow << 1 | 1u);
  EXPECT_EQ(sb.output_literal[2], zrow << 1);
  EXPECT_EQ(sb.output_literal[3], zrow << 1 | 1u);
  EXPECT_EQ(sb.output_literal[4], prow << 1 | 1u);
  check_both(cb, DomainKind::Bool, "bool literals only");
}

// A hand-checked bool schedule: or becomes a complemented and of complemented operands, not
// costs no level, xor of a complemented operand keeps the complement on the literal.
//   g3 = x | y (level 1), g4 = !z, g5 = g3 ^ g4 (level 2), out = !g5.
TEST(Levelize, BoolOrAndNotByHand) {
  Builder b;
  GateId x = b.input("x"), y = b.input("y"), z = b.input("z");
  GateId o = b.or_(x, y);
  GateId nz = b.not_(z);
  GateId w = b.xor_(o, nz);
  b.output("out", b.not_(w));
  Circuit c = b.finish();
  Schedule s = levelize(c, DomainKind::Bool, LevelizeOptions{.reuse_rows = false});
  ASSERT_EQ(s.num_gates(), 2u);
  EXPECT_EQ(s.num_levels(), 2u);
  EXPECT_EQ(s.level_start, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(s.num_rows, 5u);
  const std::uint32_t rx = s.input_row[0], ry = s.input_row[1], rz = s.input_row[2];
  EXPECT_EQ(s.op[0], Op::And);
  EXPECT_EQ(s.a[0], rx << 1 | 1u);
  EXPECT_EQ(s.b[0], ry << 1 | 1u);
  EXPECT_EQ(s.op[1], Op::Xor);
  EXPECT_EQ(s.a[1], s.dst[0] << 1 | 1u);  // g3 = !(and row)
  EXPECT_EQ(s.b[1], rz << 1 | 1u);
  EXPECT_EQ(s.output_literal, (std::vector<std::uint32_t>{s.dst[1] << 1 | 1u}));
  check_both(c, DomainKind::Bool, "by hand");
}

// x_{i+1} = x_i * x_i + c, 10^4 times: 2 * 10^4 levels of one gate. With reuse a row is freed
// as soon as the next level has read it: x, c and one or two working rows.
TEST(Levelize, LongChainReusesAHandfulOfRows) {
  constexpr std::size_t kN = 10'000;
  Builder b;
  GateId x = b.input("x");
  GateId c3 = b.constant(mpq_class(3, 7));
  for (std::size_t i = 0; i < kN; ++i) x = b.add(b.mul(x, x), c3);
  b.output("y", x);
  Circuit c = b.finish();
  check_both(c, DomainKind::Modp, "square chain");
  const Schedule plain = levelize(c, DomainKind::Modp, LevelizeOptions{.reuse_rows = false});
  EXPECT_EQ(plain.num_rows, 2 * kN + 2);
  const Schedule s = levelize(c, DomainKind::Modp);
  EXPECT_EQ(s.num_levels(), 2 * kN);
  EXPECT_EQ(s.num_gates(), 2 * kN);
  EXPECT_EQ(s.max_level_width(), 1u);
  EXPECT_LE(s.num_rows, 4u);

  // The boolean counterpart, with not and or in the loop: x_{i+1} = !((x_i | y) ^ !z).
  Builder bb;
  GateId p = bb.input("p"), q = bb.input("q"), r = bb.input("r");
  for (std::size_t i = 0; i < kN; ++i) p = bb.not_(bb.xor_(bb.or_(p, q), bb.not_(r)));
  bb.output("p", p);
  Circuit cb = bb.finish();
  check_both(cb, DomainKind::Bool, "bool chain");
  const Schedule sb = levelize(cb, DomainKind::Bool);
  EXPECT_EQ(sb.num_levels(), 2 * kN);
  EXPECT_LE(sb.num_rows, 5u);
}

// A wide level of k independent gates on one input, then a sum tree: with reuse the buffer holds
// about the widest cut (k + sources), not every value.
TEST(Levelize, ReuseBoundedByWidestCut) {
  constexpr std::size_t kK = 64;
  Builder b;
  GateId x = b.input("x");
  std::vector<GateId> layer;
  for (std::size_t i = 0; i < kK; ++i)
    layer.push_back(b.mul(x, b.constant(static_cast<long>(i + 2))));
  while (layer.size() > 1) {
    std::vector<GateId> next;
    for (std::size_t i = 0; i + 1 < layer.size(); i += 2)
      next.push_back(b.add(layer[i], layer[i + 1]));
    layer = next;
  }
  b.output("s", layer[0]);
  Circuit c = b.finish();
  check_both(c, DomainKind::Real, "tree");
  const Schedule s = levelize(c, DomainKind::Real);
  EXPECT_EQ(s.num_levels(), 7u);
  EXPECT_EQ(s.num_gates(), kK + kK - 1);
  EXPECT_EQ(s.max_level_width(), kK);
  // Sources: x and 64 constants; the 64 products go in fresh rows (nothing is free before level
  // 1), and every later level fits into freed rows.
  EXPECT_EQ(s.num_rows, 1 + kK + kK);
  const Schedule plain = levelize(c, DomainKind::Real, LevelizeOptions{.reuse_rows = false});
  EXPECT_EQ(plain.num_rows, 1 + kK + kK + kK - 1);
}

// How many failures check_schedule(c, s) reports (intercepted, not failing the test), and whether
// one of them mentions `needle`.
bool caught(const Circuit& c, const Schedule& s, DomainKind domain, const std::string& needle) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    check_schedule(c, s, domain);
  }
  for (int i = 0; i < results.size(); ++i)
    if (results.GetTestPartResult(i).failed() &&
        std::string(results.GetTestPartResult(i).message()).find(needle) != std::string::npos)
      return true;
  return false;
}

// The replay is able to fail: schedules corrupted by hand are caught.
TEST(Levelize, ReplayCatchesCorruptedSchedules) {
  const Circuit c = random_circuit(7, Family::Arith, 400, 4, 0.6, 12);
  const Schedule good = levelize(c, DomainKind::Real);
  ASSERT_GT(good.num_levels(), 3u);
  check_schedule(c, good, DomainKind::Real);
  ASSERT_FALSE(HasFailure());
  const std::uint32_t mid = good.level_start[good.num_levels() / 2];
  std::uint32_t sub = 0;
  while (sub < good.num_gates() && good.op[sub] != Op::Sub) ++sub;
  ASSERT_LT(sub, good.num_gates());

  Schedule s = good;
  std::swap(s.a[sub], s.b[sub]);  // operands of a sub in the wrong order
  EXPECT_TRUE(caught(c, s, DomainKind::Real, "does not hold"));
  s = good;
  s.op[mid] = s.op[mid] == Op::Add ? Op::Mul : Op::Add;  // wrong kind
  EXPECT_TRUE(caught(c, s, DomainKind::Real, "gate"));
  s = good;
  s.dst[mid] =
      s.dst[good.level_start[0]];  // overwrites a value still needed, or a row of its own level
  EXPECT_TRUE(caught(c, s, DomainKind::Real, ""));
  s = good;
  s.a[mid] |= 1u;  // a complement bit outside bool
  EXPECT_TRUE(caught(c, s, DomainKind::Real, "complement"));
  s = good;
  s.level_start.erase(s.level_start.begin() + 1);  // two levels merged
  EXPECT_TRUE(caught(c, s, DomainKind::Real, ""));
  s = good;
  std::swap(s.output_literal.front(), s.output_literal.back());
  EXPECT_TRUE(caught(c, s, DomainKind::Real, "output"));

  const Circuit cb = random_circuit(8, Family::Bool, 400, 4, 0.6, 12);
  const Schedule gb = levelize(cb, DomainKind::Bool);
  check_schedule(cb, gb, DomainKind::Bool);
  ASSERT_FALSE(HasFailure());
  Schedule sb = gb;
  sb.b[gb.num_gates() / 2] ^= 1u;  // a dropped or extra not
  EXPECT_TRUE(caught(cb, sb, DomainKind::Bool, "complement"));
  sb = gb;
  sb.output_literal[0] ^= 1u;
  EXPECT_TRUE(caught(cb, sb, DomainKind::Bool, "output"));
}

}  // namespace
}  // namespace rnncc::circuits
