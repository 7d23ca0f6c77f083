// Parallel-prefix networks as schedules (docs/passes.md, "Prefix networks"): each network is a
// list of in-place combine steps over positions 0..n-1, independent of what is combined, so the
// same schedule drives the affine-map scan, finite-state composition and boolean adders. Size
// and depth come from the schedule alone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rnncc::compiler::passes {

enum class PrefixNetwork { Serial, Sklansky, KoggeStone, BrentKung, LadnerFischer, HanCarlson };

inline constexpr std::array<PrefixNetwork, 6> kPrefixNetworks = {
    PrefixNetwork::Serial,    PrefixNetwork::Sklansky,      PrefixNetwork::KoggeStone,
    PrefixNetwork::BrentKung, PrefixNetwork::LadnerFischer, PrefixNetwork::HanCarlson};

// "serial", "sklansky", "kogge-stone", "brent-kung", "ladner-fischer", "han-carlson".
std::string_view network_name(PrefixNetwork net);
// The inverse of network_name; nullopt for any other string.
std::optional<PrefixNetwork> parse_network(std::string_view name);

// value[out] := combine(value[left], value[right]). The combine is associative but not
// commutative: `left` is the earlier segment. Steps are in place at the later position:
// out == right and left < right.
struct Combine {
  std::uint32_t out, left, right;
  friend bool operator==(const Combine&, const Combine&) = default;
};

// A prefix network over n positions. Invariants of prefix_schedule's result:
//   - every step has out == right, left < right < n;
//   - executed in order, each step finds [a, left] at `left` and [left + 1, right] at `right`
//     (segments are contiguous), and afterwards position i holds x_0 ∘ ... ∘ x_i;
//   - steps are sorted by level (level = 1 + max of the operands' levels, positions start at
//     level 0), so running each level in parallel on the values of the levels before it gives
//     the same result as running the steps in order; `depth` is the largest level.
struct PrefixSchedule {
  std::uint32_t n = 0;
  std::vector<Combine> steps;
  std::uint32_t depth = 0;
};

// The schedule of `net` over n >= 1 positions (Error for n == 0). Brent-Kung is levelled as soon
// as possible (by data dependencies, not by phases); Ladner-Fischer is the adder form (Sklansky
// over pairs plus a fix-up level); Han-Carlson is Kogge-Stone over the odd positions plus a
// fix-up level for the even ones.
PrefixSchedule prefix_schedule(PrefixNetwork net, std::uint32_t n);

// The depth recomputed from the steps: 1 + max of the operands' levels per step, positions
// starting at level 0. Error if a step names a position >= n.
std::uint32_t schedule_depth(const PrefixSchedule& schedule);

}  // namespace rnncc::compiler::passes
