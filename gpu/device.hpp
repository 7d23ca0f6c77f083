// The launch layer's interface (gpu/device.cu, the only CUDA translation unit of the simulator):
// device queries, the resident schedule and buffers, and one run of a lane tile's kernels.
// simulator.cpp, compiled by the host compiler, sees only these declarations.
#pragma once

#include <cstdint>
#include <vector>

#include "gpu/simulator.hpp"

namespace rnncc::gpu::detail {

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
