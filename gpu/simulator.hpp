// The GPU levelized simulator (CUDA): the CPU simulator's Schedule run on a GPU, or, for tests
// and machines without one, the same kernel bodies run on the host block by block.
//
// * Layout: the CPU simulator's, gate-major and batch-minor (the lanes of one row contiguous, so
//   a warp's gathers coalesce); domains real (double), modp (64-bit residues) and bool (64
//   instances a word). exact is refused (GMP rationals run on the CPU only).
// * Launch: one persistent cooperative kernel runs every level of a lane tile, with a grid
//   barrier between segments, so the host launches nothing per level (or, `Launch::Graph`, a CUDA
//   Graph of one kernel node per segment, recorded once per lane count and replayed).
// * Narrow levels (at most `narrow_items` items) are merged: block 0 runs a run of them alone,
//   with __syncthreads between levels and one grid barrier after the run.
// * The schedule and the value buffer stay on the device across batches; each batch copies its
//   input matrix in (straight into the value buffer when the inputs have consecutive rows in
//   input order, as levelize gives them when no other source comes between them, and the batch
//   is one tile) and its output matrix out.
// Results are bit-identical to the CPU simulator in modp and bool, and in real for every kind
// but tanh and sigmoid, whose device math may differ from the host's libm by a few ulps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "circuits/levelize.hpp"
#include "gpu/kernels.hpp"
#include "sim/instances.hpp"

namespace rnncc::gpu {

using circuits::Schedule;

// What this process sees: a usable CUDA device, or why not. Never throws: any error of the CUDA
// runtime (no driver, no device) reads as "no GPU".
struct DeviceInfo {
  bool available = false;
  std::string name;     // "NVIDIA H100 80GB HBM3"
  std::string why_not;  // when not available
  int multiprocessors = 0;
  int compute_major = 0, compute_minor = 0;
  std::size_t memory_bytes = 0;
  bool cooperative_launch = false;
};
DeviceInfo device_info();

enum class Exec { Device, Host };
enum class Launch { Persistent, Graph };

struct GpuOptions {
  Exec exec = Exec::Device;
  Launch launch = Launch::Persistent;
  unsigned block = 512;            // threads a block
  unsigned grid = 0;               // blocks; 0: as many as are co-resident (Device), 4 (Host)
  std::uint64_t narrow_items = 0;  // a level of at most this many items is narrow; 0: 8 x block
  std::size_t memory_budget = 0;   // bytes of value buffer; 0: half the device's free memory
                                   // (Host: 1 GiB). Larger batches run in lane tiles.
};

// The schedule the GPU simulator runs best for batches of `lanes` elements a row: one row per
// value (LevelizeOptions::reuse_rows = false), so each level writes consecutive rows and the
// gathers of the next stay local (twice the throughput of reused rows on the T = 2^24 linear
// recurrence at B = 1), when that buffer (at most one row a gate) fits `budget` bytes (0: half
// the device's free memory); else rows reused, as the CPU simulator has them. Error for exact.
circuits::Schedule levelize_for_gpu(const circuits::Circuit& c, circuits::DomainKind domain,
                                    std::uint64_t lanes, std::size_t budget = 0);

// The options' narrow-level threshold in items: narrow_items, or 8 x block when it is 0.
inline std::uint64_t narrow_items(const GpuOptions& o) {
  return o.narrow_items ? o.narrow_items : 8ull * o.block;
}

// The segments of a schedule for a tile of E lanes: consecutive narrow levels merged, every wide
// level on its own (kernels.hpp, Segment).
std::vector<Segment> plan_segments(const Schedule& s, std::uint64_t E, std::uint64_t narrow_items);

// One schedule made resident on a device (or prepared for the host run), then run batch after
// batch. It implements sim::Engine, so simulate_instances runs its batches here.
class Simulator final : public sim::Engine {
 public:
  // Error when the domain is exact, when the modulus is not a prime in [2, 2^62), or (Device)
  // when no GPU is available; the message is one line.
  Simulator(const Schedule& s, std::uint64_t modulus = circuits::kDefaultModulus,
            const GpuOptions& options = {});
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // The CPU simulator's contracts (sim/simulate.hpp): [row][lane] matrices of B lanes; bool
  // packs 64 instances a word and clears the bits of instances >= B in the result. `stats`:
  // seconds is the kernels' time on the device (events), transfer_seconds the copies.
  std::vector<double> run_real(const std::vector<double>& inputs, std::size_t B,
                               sim::SimStats* stats = nullptr);
  std::vector<std::uint64_t> run_modp(const std::vector<std::uint64_t>& inputs, std::size_t B,
                                      sim::SimStats* stats = nullptr);
  std::vector<std::uint64_t> run_bool(const std::vector<std::uint64_t>& inputs, std::size_t B,
                                      sim::SimStats* stats = nullptr);

  // sim::Engine
  std::vector<double> real(const std::vector<double>& in, std::size_t B,
                           sim::SimStats* st) override {
    return run_real(in, B, st);
  }
  std::vector<std::uint64_t> modp(const std::vector<std::uint64_t>& in, std::size_t B,
                                  sim::SimStats* st) override {
    return run_modp(in, B, st);
  }
  std::vector<std::uint64_t> boolean(const std::vector<std::uint64_t>& in, std::size_t B,
                                     sim::SimStats* st) override {
    return run_bool(in, B, st);
  }
  std::string describe()
      const override;  // "GPU: NVIDIA H100 80GB HBM3" or "GPU kernels run on the host"

  const Schedule& schedule() const { return s_; }
  const GpuOptions& options() const { return opt_; }
  bool inputs_in_place() const { return inputs_in_place_; }

  struct Resident;  // device state (gpu/device.cu)
  struct ResidentDeleter {
    void operator()(Resident* r) const noexcept;
  };

 private:
  template <class Ops>
  std::vector<typename Ops::Elem> run(const Ops& ops, const std::vector<typename Ops::Elem>& inputs,
                                      std::size_t E, sim::SimStats* stats);

  const Schedule& s_;
  GpuOptions opt_;
  std::uint64_t modulus_;
  arith::Barrett barrett_;
  std::vector<GateDesc> gates_;
  std::vector<std::uint64_t>
      consts_;                    // the domain's constants as 8-byte patterns (double bits in real)
  bool inputs_in_place_ = false;  // input i lives in row first_input_row_ + i: a batch's inputs
  std::uint32_t first_input_row_ = 0;  // are copied straight in
  DeviceInfo info_;
  std::unique_ptr<Resident, ResidentDeleter> dev_;
};

}  // namespace rnncc::gpu
