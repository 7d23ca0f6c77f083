// The GPU benchmark's baselines (bench/gpu_baselines.cu), each run in the same process as the
// simulator it is compared with: a plain gather-and-combine kernel over the simulator's arrays,
// an empty-kernel launch loop and an empty CUDA Graph, and cub::DeviceScan over affine pairs.
// A plain C++ interface, so that the benchmark driver is compiled by the host compiler.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gpu/kernels.hpp"

namespace rnncc::bench::gpu_baselines {

// One launch a level, one thread an item (lane `i % E` of gate `i / E`), each thread gathering
// its two operands from the value buffer and writing its result; then one launch copying the
// outputs out. The schedule's gate descriptors, level ranges and row numbers, the simulator's
// layout (row r, lane j at r * E + j); inputs copied into their rows first (they must be rows
// first_input_row .. first_input_row + n - 1).
class PlainGather {
 public:
  PlainGather(const std::vector<gpu::GateDesc>& gates,
              const std::vector<std::uint32_t>& level_start, std::uint32_t rows,
              const std::vector<std::uint32_t>& output_literal, std::uint64_t E);
  ~PlainGather();
  // Copies `inputs` ([input][lane]) into their rows, then times the levels and the output copy
  // with device events: seconds.
  double run(const std::vector<double>& inputs, std::uint32_t first_input_row);
  std::vector<double> outputs() const;  // [output][lane] of the last run

 private:
  struct State;
  std::unique_ptr<State> st_;
};

// Seconds per launch of an empty kernel launched `n` times in a loop (events around the loop),
// and seconds per node of an empty CUDA Graph of `n` kernel nodes (events around its launch).
double empty_launch_seconds(int n);
double empty_graph_node_seconds(int n);

// h_t = a_t h_{t-1} + b_t, h_0 = 0, as an inclusive cub::DeviceScan over the pairs (a_t, b_t)
// with the affine combine: the best kernel time of `reps` (events), and h_1 .. h_T.
struct ScanResult {
  double seconds = 0;
  std::vector<double> h;
};
ScanResult cub_affine_scan(const std::vector<double>& a, const std::vector<double>& b, int reps);

}  // namespace rnncc::bench::gpu_baselines
