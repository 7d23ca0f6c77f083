// Out-of-line members of Circuit.
#include "circuits/circuit.hpp"

#include <algorithm>

namespace rnncc::circuits {

std::uint32_t Circuit::origin_index(GateId g) const {
  auto it = std::upper_bound(origin_runs_.begin(), origin_runs_.end(), g,
                             [](GateId id, const OriginRun& run) { return id < run.first; });
  return it == origin_runs_.begin() ? 0 : std::prev(it)->origin;
}

}  // namespace rnncc::circuits
