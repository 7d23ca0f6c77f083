// The launch layer's interface (gpu/device.cu, the only CUDA translation unit of the simulator):
// device queries, the resident schedule and buffers, and one run of a lane tile's kernels.
// simulator.cpp, compiled by the host compiler, sees only these declarations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gpu/simulator.hpp"

namespace rnncc::gpu::detail {

// A batch's frame without its arrays: the counts the phases run over (no inputs to load when
// they are copied straight into their rows). Both drivers fill in their own pointers.
template <class Elem>
Frame<Elem> batch_frame(const Schedule& s, bool inputs_in_place) {
  Frame<Elem> f;
  f.num_inputs = inputs_in_place ? 0 : static_cast<std::uint32_t>(s.input_row.size());
  f.num_consts = static_cast<std::uint32_t>(s.const_row.size());
  f.num_outputs = static_cast<std::uint32_t>(s.output_literal.size());
  return f;
}

// The frame of the lane tile that starts at lane0 of a batch of E lanes, `tile` lanes at most.
template <class Elem>
Frame<Elem> tile_frame(Frame<Elem> batch, std::uint64_t E, std::uint64_t tile,
                       std::uint64_t lane0) {
  batch.E = std::min(tile, E - lane0);
  batch.by_E = FastDiv::make(batch.E);
  batch.io_stride = E;
  batch.lane0 = lane0;
  return batch;
}

// The schedule, uploaded once. Throws Error on a CUDA failure.
// `inputs_in_place`: input i has row first_input_row + i, so a one-tile batch copies its inputs
// straight into the value buffer.
Simulator::Resident* make_resident(const Schedule& s, const std::vector<GateDesc>& gates,
                                   const std::vector<std::uint64_t>& consts, bool inputs_in_place,
                                   std::uint32_t first_input_row, const GpuOptions& options);
void destroy(Simulator::Resident* r) noexcept;
// Free device memory in bytes (0 on error).
std::size_t free_memory();

// One batch: E lanes of [input][lane] inputs in, [output][lane] outputs out, run in tiles of
// `tile` lanes. Fills stats->seconds (kernel time) and stats->transfer_seconds.
void device_run(Simulator::Resident& r, const RealOps& ops, const double* in, std::uint64_t E,
                std::uint64_t tile, double* out, sim::SimStats* stats);
void device_run(Simulator::Resident& r, const ModpOps<true>& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats);
void device_run(Simulator::Resident& r, const ModpOps<false>& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats);
void device_run(Simulator::Resident& r, const BoolOps& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats);

}  // namespace rnncc::gpu::detail
