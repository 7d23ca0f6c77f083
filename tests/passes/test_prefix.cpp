// Prefix-network schedules: names round-trip; n = 8 matches hand-drawn networks level by level;
// for powers of two the sizes and depths are the textbook ones (and n = 1024's row); for every n
// up to 4096 and every network the schedule is well formed (checked by an independent segment
// simulator, in order and level by level), meets Snir's bound and the depth lower bound, and
// computes the true prefixes of random 2x2 matrices mod a prime, a non-commutative monoid.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "circuits/error.hpp"
#include "compiler/passes/prefix.hpp"

namespace rnncc::compiler::passes {
namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;

constexpr u32 kMaxN = 4096;
constexpr u32 kFullValueN = 600;  // every n up to here gets the matrix check

u32 ceil_log2(u64 n) {
  return n <= 1 ? 0 : static_cast<u32>(std::bit_width(n - 1));
}
u32 floor_log2(u64 n) {
  return static_cast<u32>(std::bit_width(n)) - 1;
}

// ---- An independent checker --------------------------------------------------------------

// Checks the invariants of prefix.hpp without trusting its code; "" when all hold, else the
// first violation. Segment [lo[i], i] is what position i holds (every step writes in place at
// its right end, so the right end of position i's segment is always i).
//   1. out == right, left < right < n;
//   2. in order, each step reads [a, left] and [left + 1, right] (contiguous), and at the end
//      position i holds [0, i];
//   3. levels (1 + max of the operands' levels, from 0) never decrease along the steps; the
//      largest is .depth and schedule_depth();
//   4. run level by level, every step of a level reading before any of them writes (a parallel
//      machine), each step still reads contiguous segments, no position is written twice in a
//      level, and the end state is again [0, i] everywhere.
std::string check_schedule(const PrefixSchedule& s) {
  const u32 n = s.n;
  std::vector<u32> lo(n), level(n, 0), step_level(s.steps.size());
  for (u32 i = 0; i < n; ++i) lo[i] = i;
  u32 depth = 0;
  for (std::size_t k = 0; k < s.steps.size(); ++k) {
    const Combine& c = s.steps[k];
    const auto where = [&] {
      return "step " + std::to_string(k) + " (" + std::to_string(c.out) + ", " +
             std::to_string(c.left) + ", " + std::to_string(c.right) + ")";
    };
    if (c.out != c.right) return where() + ": out != right";
    if (!(c.left < c.right)) return where() + ": left >= right";
    if (c.right >= n) return where() + ": position out of range";
    if (lo[c.right] != c.left + 1) return where() + ": segments not contiguous";
    lo[c.right] = lo[c.left];
    step_level[k] = level[c.out] = std::max(level[c.left], level[c.right]) + 1;
    if (k > 0 && step_level[k] < step_level[k - 1]) return where() + ": level decreases";
    depth = std::max(depth, step_level[k]);
  }
  for (u32 i = 0; i < n; ++i)
    if (lo[i] != 0) return "position " + std::to_string(i) + " is not a full prefix";
  if (depth != s.depth)
    return "depth field " + std::to_string(s.depth) + " != " + std::to_string(depth);
  if (schedule_depth(s) != depth) return "schedule_depth disagrees";

  for (u32 i = 0; i < n; ++i) lo[i] = i;
  std::vector<u32> written_in(n, 0), computed;
  for (std::size_t begin = 0, end = 0; begin < s.steps.size(); begin = end) {
    end = begin;
    while (end < s.steps.size() && step_level[end] == step_level[begin]) ++end;
    computed.clear();
    for (std::size_t k = begin; k < end; ++k) {  // all reads of the level first
      const Combine& c = s.steps[k];
      if (lo[c.right] != c.left + 1)
        return "level " + std::to_string(step_level[k]) + ": step " + std::to_string(k) +
               " reads a segment that is not ready";
      computed.push_back(lo[c.left]);
    }
    for (std::size_t k = begin; k < end; ++k) {
      const u32 out = s.steps[k].out;
      if (written_in[out] == step_level[k]) return "position written twice in one level";
      written_in[out] = step_level[k];
      lo[out] = computed[k - begin];
    }
  }
  for (u32 i = 0; i < n; ++i)
    if (lo[i] != 0) return "level-parallel run: position " + std::to_string(i) + " incomplete";
  return "";
}

// ---- A non-commutative monoid: 2x2 matrices mod the prime 2^31 - 1 --------------------------

constexpr u64 kPrime = (u64{1} << 31) - 1;
using Matrix = std::array<u64, 4>;  // row-major, entries < kPrime, so a*b + c*d < 2^63

Matrix mul(const Matrix& x, const Matrix& y) {
  return {(x[0] * y[0] + x[1] * y[2]) % kPrime, (x[0] * y[1] + x[1] * y[3]) % kPrime,
          (x[2] * y[0] + x[3] * y[2]) % kPrime, (x[2] * y[1] + x[3] * y[3]) % kPrime};
}

std::vector<Matrix> random_matrices(u32 n, u64 seed) {
  std::mt19937_64 rng(seed);
  std::vector<Matrix> xs(n);
  for (Matrix& m : xs)
    for (u64& e : m) e = rng() % kPrime;
  return xs;
}

// Runs the steps on random matrices and compares with a left-to-right product; "" when equal.
std::string check_values(const PrefixSchedule& s, u64 seed) {
  const std::vector<Matrix> xs = random_matrices(s.n, seed);
  std::vector<Matrix> v = xs;
  for (const Combine& c : s.steps) v[c.out] = mul(v[c.left], v[c.right]);
  Matrix prefix = xs[0];
  for (u32 i = 0; i < s.n; ++i) {
    if (i > 0) prefix = mul(prefix, xs[i]);
    if (v[i] != prefix) return "position " + std::to_string(i) + " differs from the reference";
  }
  return "";
}

// ---- Sizes for every n, from the constructions' definitions -----------------------------

u64 popcount_sum_below(u64 m) {  // sum of popcount(j) for j < m: Sklansky's size on m
  u64 sum = 0;
  for (u64 j = 0; j < m; ++j) sum += static_cast<u64>(std::popcount(j));
  return sum;
}
u64 kogge_stone_size(u64 m) {
  return m <= 1 ? 0 : m * ceil_log2(m) - (u64{1} << ceil_log2(m)) + 1;
}

// Serial: one step per position after 0. Sklansky: i is updated once per 1-bit of i.
// Kogge-Stone: stage d updates n - d positions. Brent-Kung: up-sweep n - popcount(n) steps
// (Legendre), down-sweep one per position i >= 1 with i + 1 not a power of two. Ladner-Fischer
// and Han-Carlson: floor(n/2) pairs, the network over floor(n/2) odd positions, then
// floor((n-1)/2) even fix-ups.
u64 expected_size(PrefixNetwork net, u64 n) {
  switch (net) {
    case PrefixNetwork::Serial:
      return n - 1;
    case PrefixNetwork::Sklansky:
      return popcount_sum_below(n);
    case PrefixNetwork::KoggeStone:
      return kogge_stone_size(n);
    case PrefixNetwork::BrentKung:
      return (n - static_cast<u64>(std::popcount(n))) + (n - 1 - floor_log2(n));
    case PrefixNetwork::LadnerFischer:
      return n / 2 + popcount_sum_below(n / 2) + (n - 1) / 2;
    case PrefixNetwork::HanCarlson:
      return n / 2 + kogge_stone_size(n / 2) + (n - 1) / 2;
  }
  return 0;
}

// ---- Tests -------------------------------------------------------------------------------

TEST(PrefixNetworkNames, RoundTrip) {
  const std::array<std::string_view, 6> names = {"serial",     "sklansky",       "kogge-stone",
                                                 "brent-kung", "ladner-fischer", "han-carlson"};
  for (std::size_t i = 0; i < kPrefixNetworks.size(); ++i) {
    EXPECT_EQ(network_name(kPrefixNetworks[i]), names[i]);
    EXPECT_EQ(parse_network(names[i]), kPrefixNetworks[i]);
  }
  for (std::string_view bad : {"", "none", "Sklansky", "kogge_stone", "brent-kung "})
    EXPECT_FALSE(parse_network(bad).has_value()) << bad;
}

TEST(PrefixSchedule, RejectsEmptyAndOutOfRange) {
  EXPECT_THROW(prefix_schedule(PrefixNetwork::Serial, 0), Error);
  PrefixSchedule bad{4, {{1, 0, 1}, {4, 3, 4}}, 2};
  EXPECT_THROW(schedule_depth(bad), Error);
}

TEST(PrefixSchedule, SinglePositionHasNoSteps) {
  for (PrefixNetwork net : kPrefixNetworks) {
    const PrefixSchedule s = prefix_schedule(net, 1);
    EXPECT_EQ(s.n, 1u);
    EXPECT_TRUE(s.steps.empty()) << network_name(net);
    EXPECT_EQ(s.depth, 0u);
  }
}

// The n = 8 networks drawn by hand, as (level, left, right) with out == right.
using LevelledStep = std::tuple<u32, u32, u32>;
std::set<LevelledStep> levelled_steps(const PrefixSchedule& s) {
  std::vector<u32> level(s.n, 0);
  std::set<LevelledStep> out;
  for (const Combine& c : s.steps) {
    EXPECT_EQ(c.out, c.right);
    level[c.out] = std::max(level[c.left], level[c.right]) + 1;
    out.insert({level[c.out], c.left, c.right});
  }
  EXPECT_EQ(out.size(), s.steps.size());
  return out;
}

TEST(PrefixSchedule, EightPositionsByHand) {
  const std::set<LevelledStep> serial = {{1, 0, 1}, {2, 1, 2}, {3, 2, 3}, {4, 3, 4},
                                         {5, 4, 5}, {6, 5, 6}, {7, 6, 7}};
  const std::set<LevelledStep> sklansky = {{1, 0, 1}, {1, 2, 3}, {1, 4, 5}, {1, 6, 7},
                                           {2, 1, 2}, {2, 1, 3}, {2, 5, 6}, {2, 5, 7},
                                           {3, 3, 4}, {3, 3, 5}, {3, 3, 6}, {3, 3, 7}};
  const std::set<LevelledStep> kogge_stone = {{1, 0, 1}, {1, 1, 2}, {1, 2, 3}, {1, 3, 4}, {1, 4, 5},
                                              {1, 5, 6}, {1, 6, 7}, {2, 0, 2}, {2, 1, 3}, {2, 2, 4},
                                              {2, 3, 5}, {2, 4, 6}, {2, 5, 7}, {3, 0, 4}, {3, 1, 5},
                                              {3, 2, 6}, {3, 3, 7}};
  // Up-sweep 1,3,5,7 / 3,7 / 7; down-sweep 5 then 2,4,6, each as soon as its inputs are ready.
  const std::set<LevelledStep> brent_kung = {{1, 0, 1}, {1, 2, 3}, {1, 4, 5}, {1, 6, 7},
                                             {2, 1, 3}, {2, 5, 7}, {2, 1, 2}, {3, 3, 7},
                                             {3, 3, 5}, {3, 3, 4}, {4, 5, 6}};
  // Pairs; Sklansky over 1,3,5,7; fix-ups 2,4,6.
  const std::set<LevelledStep> ladner_fischer = {{1, 0, 1}, {1, 2, 3}, {1, 4, 5}, {1, 6, 7},
                                                 {2, 1, 3}, {2, 5, 7}, {3, 3, 5}, {3, 3, 7},
                                                 {2, 1, 2}, {3, 3, 4}, {4, 5, 6}};
  // Pairs; Kogge-Stone over 1,3,5,7; fix-ups 2,4,6.
  const std::set<LevelledStep> han_carlson = {{1, 0, 1}, {1, 2, 3}, {1, 4, 5}, {1, 6, 7},
                                              {2, 1, 3}, {2, 3, 5}, {2, 5, 7}, {3, 1, 5},
                                              {3, 3, 7}, {2, 1, 2}, {3, 3, 4}, {4, 5, 6}};
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::Serial, 8)), serial);
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::Sklansky, 8)), sklansky);
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::KoggeStone, 8)), kogge_stone);
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::BrentKung, 8)), brent_kung);
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::LadnerFischer, 8)), ladner_fischer);
  EXPECT_EQ(levelled_steps(prefix_schedule(PrefixNetwork::HanCarlson, 8)), han_carlson);
}

// The checker and the matrix oracle must reject broken schedules, or passing means nothing.
TEST(PrefixSchedule, CheckerRejectsBrokenSchedules) {
  const PrefixSchedule good = prefix_schedule(PrefixNetwork::KoggeStone, 8);
  ASSERT_EQ(check_schedule(good), "");
  ASSERT_EQ(check_values(good, 1), "");

  PrefixSchedule ascending = good;  // stage 1 in ascending order reads updated positions
  std::reverse(ascending.steps.begin(), ascending.steps.begin() + 7);
  EXPECT_NE(check_schedule(ascending), "");
  EXPECT_NE(check_values(ascending, 1), "");

  PrefixSchedule dropped = good;  // a missing step leaves a partial prefix
  dropped.steps.erase(dropped.steps.begin() + 3);
  EXPECT_NE(check_schedule(dropped), "");
  EXPECT_NE(check_values(dropped, 1), "");

  // Operands swapped into the later position: the same segment, combined in the wrong order.
  PrefixSchedule swapped{2, {{1, 1, 0}}, 1};
  EXPECT_NE(check_schedule(swapped), "");
  const std::vector<Matrix> xs = random_matrices(2, 1);
  EXPECT_NE(mul(xs[0], xs[1]), mul(xs[1], xs[0])) << "the test monoid must not commute";

  PrefixSchedule wrong_depth = good;
  wrong_depth.depth = 4;
  EXPECT_NE(check_schedule(wrong_depth), "");

  // Correct in order, but 3 := x_1 ∘ [2, 3] (level 2) comes before 1 := x_0 ∘ x_1 (level 1):
  // a level-by-level machine would read [0, 1] at position 1.
  PrefixSchedule unlevelled{4, {{3, 2, 3}, {3, 1, 3}, {1, 0, 1}, {2, 1, 2}, {3, 0, 3}}, 3};
  EXPECT_EQ(check_values(unlevelled, 1), "");
  EXPECT_NE(check_schedule(unlevelled), "");
}

// Textbook (combines, depth) for n = 2^k.
struct Figures {
  u64 combines;
  u32 depth;
  friend bool operator==(const Figures&, const Figures&) = default;
};
Figures power_of_two_figures(PrefixNetwork net, u64 n) {
  const u32 k = floor_log2(n);
  switch (net) {
    case PrefixNetwork::Serial:
      return {n - 1, static_cast<u32>(n - 1)};
    case PrefixNetwork::Sklansky:
      return {n / 2 * k, k};
    case PrefixNetwork::KoggeStone:
      return {n * k - n + 1, k};
    case PrefixNetwork::BrentKung:
      if (n <= 2) return {n - 1, static_cast<u32>(n - 1)};
      return {2 * n - 2 - k, 2 * k - 2};
    case PrefixNetwork::LadnerFischer:
      if (n <= 4) return {n == 4 ? 4 : n - 1, n == 4 ? 2 : static_cast<u32>(n - 1)};
      return {n - 1 + n / 4 * (k - 1), k + 1};
    case PrefixNetwork::HanCarlson:
      if (n <= 4) return {n == 4 ? 4 : n - 1, n == 4 ? 2 : static_cast<u32>(n - 1)};
      return {n / 2 * k, k + 1};
  }
  return {};
}

TEST(PrefixSchedule, PowersOfTwoMatchTheTextbook) {
  for (PrefixNetwork net : kPrefixNetworks)
    for (u64 n = 1; n <= kMaxN; n *= 2) {
      const PrefixSchedule s = prefix_schedule(net, static_cast<u32>(n));
      const Figures got{s.steps.size(), s.depth};
      const Figures want = power_of_two_figures(net, n);
      EXPECT_EQ(got.combines, want.combines) << network_name(net) << " n=" << n;
      EXPECT_EQ(got.depth, want.depth) << network_name(net) << " n=" << n;
    }
}

TEST(PrefixSchedule, Row1024) {
  const std::array<Figures, 6> row = {
      {{1023, 1023}, {5120, 10}, {9217, 10}, {2036, 18}, {3327, 11}, {5120, 11}}};
  for (std::size_t i = 0; i < kPrefixNetworks.size(); ++i) {
    const PrefixSchedule s = prefix_schedule(kPrefixNetworks[i], 1024);
    EXPECT_EQ((Figures{s.steps.size(), s.depth}), row[i]) << network_name(kPrefixNetworks[i]);
  }
}

// Which n above kFullValueN also get the matrix check: powers of two and their neighbours, and
// 100 random n.
std::set<u32> sampled_sizes() {
  std::set<u32> ns;
  for (u32 p = 1; p <= kMaxN; p *= 2)
    for (u32 n : {p - 1, p, p + 1})
      if (n >= 1 && n <= kMaxN) ns.insert(n);
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 100; ++i) ns.insert(1 + static_cast<u32>(rng() % kMaxN));
  return ns;
}

class EveryN : public ::testing::TestWithParam<PrefixNetwork> {};

TEST_P(EveryN, WellFormedBoundedAndCorrect) {
  const PrefixNetwork net = GetParam();
  const std::set<u32> sampled = sampled_sizes();
  int failures = 0;
  for (u32 n = 1; n <= kMaxN && failures < 5; ++n) {
    const PrefixSchedule s = prefix_schedule(net, n);
    const u64 size = s.steps.size();
    const u32 lg = ceil_log2(n);
    const std::string at = std::string(network_name(net)) + " n=" + std::to_string(n);
    const auto fail = [&](const std::string& what) {
      ADD_FAILURE() << at << ": " << what;
      ++failures;
    };
    if (s.n != n) fail("n field");
    if (const std::string e = check_schedule(s); !e.empty()) fail(e);
    if (size != expected_size(net, n))
      fail("size " + std::to_string(size) + ", expected " + std::to_string(expected_size(net, n)));
    if (size + s.depth < 2 * u64{n} - 2) fail("below Snir's bound");
    if (s.depth < lg) fail("depth below ceil(log2 n)");
    switch (net) {
      case PrefixNetwork::Serial:
        if (s.depth != n - 1) fail("depth");
        break;
      case PrefixNetwork::Sklansky:
      case PrefixNetwork::KoggeStone:
        if (s.depth != lg) fail("depth " + std::to_string(s.depth));
        if (net == PrefixNetwork::KoggeStone && size != u64{n} * lg - (u64{1} << lg) + 1)
          fail("Kogge-Stone size formula");
        break;
      case PrefixNetwork::BrentKung:
        if (n >= 3 && s.depth > 2 * lg - 2) fail("depth above 2 ceil(log2 n) - 2");
        break;
      case PrefixNetwork::LadnerFischer:
      case PrefixNetwork::HanCarlson:
        if (s.depth > lg + 1) fail("depth above ceil(log2 n) + 1");
        break;
    }
    if (n <= kFullValueN || sampled.count(n))
      if (const std::string e = check_values(s, 0x5EED0000u + n); !e.empty()) fail(e);
  }
}

INSTANTIATE_TEST_SUITE_P(Networks, EveryN, ::testing::ValuesIn(kPrefixNetworks),
                         [](const ::testing::TestParamInfo<PrefixNetwork>& param_info) {
                           std::string name(network_name(param_info.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

}  // namespace
}  // namespace rnncc::compiler::passes
