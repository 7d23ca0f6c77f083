// DOT pictures of circuits: nodes ranked by level (`rank=same` per level), clustered by step
// where gates carry a step, colored by gate kind, outputs as separate boxes. A node cap keeps
// pictures readable; a window of steps or the cone of one output selects what to draw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "circuits/circuit.hpp"

namespace rnncc::circuits::io {

struct DotParams {
  std::size_t max_nodes = 2000;  // refuse (Error) to draw more nodes than this
  std::optional<std::pair<std::uint32_t, std::uint32_t>> steps;  // draw gates of steps A..B
  std::string cone;       // draw only what output `cone` depends on
  bool not_free = false;  // level convention used for ranking
};

// Gates drawn: live gates, narrowed by `cone` and `steps`; operands from outside a step window
// are drawn as dashed boundary nodes.
std::string write_dot(const Circuit& c, const DotParams& params = {});

}  // namespace rnncc::circuits::io
