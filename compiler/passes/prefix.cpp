// Prefix networks generated as combine steps, then levelled as soon as possible and sorted by
// level. Loops run on 64-bit indices so that n close to 2^32 does not wrap.
#include "compiler/passes/prefix.hpp"

#include <algorithm>
#include <string>

#include "circuits/error.hpp"

namespace rnncc::compiler::passes {

namespace {

constexpr std::array<std::string_view, 6> kNetworkNames = {
    "serial", "sklansky", "kogge-stone", "brent-kung", "ladner-fischer", "han-carlson"};

// Positions pos(j) = offset + stride * j, j < count: the whole range (stride 1) or the odd
// positions (stride 2, offset 1) that Ladner-Fischer and Han-Carlson scan after pairing.
struct Lane {
  std::uint64_t count, stride, offset;
  std::uint64_t pos(std::uint64_t j) const { return offset + stride * j; }
};

void push(std::vector<Combine>& steps, std::uint64_t left, std::uint64_t right) {
  const auto r = static_cast<std::uint32_t>(right);
  steps.push_back({r, static_cast<std::uint32_t>(left), r});
}

void serial(std::vector<Combine>& steps, std::uint64_t n) {
  for (std::uint64_t i = 1; i < n; ++i) push(steps, i - 1, i);
}

// Stage `half`: in each block of 2 * half, the upper half takes the lower half's last prefix.
void sklansky(std::vector<Combine>& steps, const Lane& lane) {
  for (std::uint64_t half = 1; half < lane.count; half *= 2)
    for (std::uint64_t block = 0; block + half < lane.count; block += 2 * half) {
      const std::uint64_t mid = block + half, end = std::min(block + 2 * half, lane.count);
      for (std::uint64_t j = mid; j < end; ++j) push(steps, lane.pos(mid - 1), lane.pos(j));
    }
}

// Stage d: j takes j - d. Descending j, so that j - d is read before this stage updates it.
void kogge_stone(std::vector<Combine>& steps, const Lane& lane) {
  for (std::uint64_t d = 1; d < lane.count; d *= 2)
    for (std::uint64_t j = lane.count; j-- > d;) push(steps, lane.pos(j - d), lane.pos(j));
}

// Up-sweep: i + 1 a multiple of 2d takes i - d. Down-sweep, d decreasing: i + 1 an odd
// multiple (>= 3) of d takes i - d, whose prefix is complete by then. The truncation of the
// power-of-two network for other n.
void brent_kung(std::vector<Combine>& steps, std::uint64_t n) {
  std::vector<std::uint64_t> distances;
  for (std::uint64_t d = 1; 2 * d <= n; d *= 2) {
    distances.push_back(d);
    for (std::uint64_t i = 2 * d - 1; i < n; i += 2 * d) push(steps, i - d, i);
  }
  for (auto d = distances.rbegin(); d != distances.rend(); ++d)
    for (std::uint64_t i = 3 * *d - 1; i < n; i += 2 * *d) push(steps, i - *d, i);
}

// Pairs (odd i takes i - 1), a prefix network over the odd positions, then the even positions
// take the complete prefix just before them.
template <class OddNetwork>
void paired(std::vector<Combine>& steps, std::uint64_t n, OddNetwork odd_network) {
  for (std::uint64_t i = 1; i < n; i += 2) push(steps, i - 1, i);
  odd_network(steps, Lane{n / 2, 2, 1});
  for (std::uint64_t i = 2; i < n; i += 2) push(steps, i - 1, i);
}

// Levels as soon as possible, then a stable counting sort by level. Moving a step ahead of
// higher-level ones keeps the result because no generator lets a step overwrite a position that
// an earlier step of a higher level reads (the tests run the sorted order).
PrefixSchedule levelled(std::uint32_t n, std::vector<Combine> steps) {
  std::vector<std::uint32_t> position_level(n, 0), step_level(steps.size());
  std::uint32_t depth = 0;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const Combine& c = steps[s];
    const std::uint32_t level = std::max(position_level[c.left], position_level[c.right]) + 1;
    position_level[c.out] = step_level[s] = level;
    depth = std::max(depth, level);
  }
  std::vector<std::size_t> first(std::size_t{depth} + 2, 0);
  for (std::uint32_t level : step_level) ++first[level + 1];
  for (std::size_t l = 1; l < first.size(); ++l) first[l] += first[l - 1];
  std::vector<Combine> sorted(steps.size());
  for (std::size_t s = 0; s < steps.size(); ++s) sorted[first[step_level[s]]++] = steps[s];
  return PrefixSchedule{n, std::move(sorted), depth};
}

}  // namespace

std::string_view network_name(PrefixNetwork net) {
  return kNetworkNames[static_cast<std::size_t>(net)];
}

std::optional<PrefixNetwork> parse_network(std::string_view name) {
  for (std::size_t i = 0; i < kNetworkNames.size(); ++i)
    if (kNetworkNames[i] == name) return static_cast<PrefixNetwork>(i);
  return std::nullopt;
}

PrefixSchedule prefix_schedule(PrefixNetwork net, std::uint32_t n) {
  if (n == 0) throw Error("prefix network: n must be at least 1");
  std::vector<Combine> steps;
  switch (net) {
    case PrefixNetwork::Serial:
      serial(steps, n);
      break;
    case PrefixNetwork::Sklansky:
      sklansky(steps, Lane{n, 1, 0});
      break;
    case PrefixNetwork::KoggeStone:
      kogge_stone(steps, Lane{n, 1, 0});
      break;
    case PrefixNetwork::BrentKung:
      brent_kung(steps, n);
      break;
    case PrefixNetwork::LadnerFischer:
      paired(steps, n, sklansky);
      break;
    case PrefixNetwork::HanCarlson:
      paired(steps, n, kogge_stone);
      break;
  }
  return levelled(n, std::move(steps));
}

std::uint32_t schedule_depth(const PrefixSchedule& schedule) {
  std::vector<std::uint32_t> level(schedule.n, 0);
  std::uint32_t depth = 0;
  for (const Combine& c : schedule.steps) {
    if (c.out >= schedule.n || c.left >= schedule.n || c.right >= schedule.n)
      throw Error("prefix schedule: a step names position " +
                  std::to_string(std::max({c.out, c.left, c.right})) + " of " +
                  std::to_string(schedule.n));
    level[c.out] = std::max(level[c.left], level[c.right]) + 1;
    depth = std::max(depth, level[c.out]);
  }
  return depth;
}

}  // namespace rnncc::compiler::passes
