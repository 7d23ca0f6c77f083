// Out-of-line members of Circuit.
#include "circuits/circuit.hpp"

#include <algorithm>

namespace rnncc::circuits {

namespace {
constexpr std::string_view kRoleNames[] = {"none", "sequence", "initial", "parameter", "output", "accept", "symbol"};
constexpr std::string_view kPartNames[] = {"value", "num", "den"};
}

std::string_view port_part_name(PortPart p) { return kPartNames[static_cast<std::size_t>(p)]; }

std::optional<PortPart> parse_port_part(std::string_view s) {
  for (std::size_t i = 0; i < std::size(kPartNames); ++i)
    if (kPartNames[i] == s) return static_cast<PortPart>(i);
  return std::nullopt;
}

std::string_view port_role_name(PortRole r) { return kRoleNames[static_cast<std::size_t>(r)]; }

std::optional<PortRole> parse_port_role(std::string_view s) {
  for (std::size_t i = 0; i < std::size(kRoleNames); ++i)
    if (kRoleNames[i] == s) return static_cast<PortRole>(i);
  return std::nullopt;
}

std::uint32_t Circuit::origin_index(GateId g) const {
  auto it = std::upper_bound(origin_runs_.begin(), origin_runs_.end(), g,
                             [](GateId id, const OriginRun& run) { return id < run.first; });
  return it == origin_runs_.begin() ? 0 : std::prev(it)->origin;
}

std::uint32_t Circuit::origin_index(GateId g, std::size_t& cursor) const {
  const auto& runs = origin_runs_;
  if (cursor >= runs.size() || runs[cursor].first > g) {  // backwards (or fresh): search
    auto it = std::upper_bound(runs.begin(), runs.end(), g,
                               [](GateId id, const OriginRun& run) { return id < run.first; });
    if (it == runs.begin()) {
      cursor = 0;
      return 0;
    }
    cursor = static_cast<std::size_t>(std::prev(it) - runs.begin());
    return runs[cursor].origin;
  }
  while (cursor + 1 < runs.size() && runs[cursor + 1].first <= g) ++cursor;
  return runs[cursor].origin;
}

}  // namespace rnncc::circuits
