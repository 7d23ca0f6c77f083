// The CPU levelized simulator: runs a Schedule (circuits/levelize.hpp) on a batch of B instances
// in one of four domains, level by level, with OpenMP across the gates of a level.
//
// Values are stored gate-major, batch-minor: the B lanes of one row are contiguous, so a gate is
// a short vector loop over lanes and its operands are two contiguous rows. A batch runs in lane
// tiles: the value buffer holds `rows x tile` elements and is reused tile after tile, so its
// working set stays small however large B is. Levels with fewer than `serial_below`
// gate-elements run on one thread (consecutive small levels together, one barrier for all).
// Every lane is computed by the same operations in the same order whatever the tiling and the
// thread count, so results are identical for any of them (bitwise, in `real` too).
//
// Elements: `real` one double per instance; `modp` one residue (uint64) per instance, products
// reduced by the Mersenne fold for 2^61 - 1 and by Barrett reduction for other primes; `exact`
// one GMP rational per instance; `bool` one 64-bit word per 64 instances (instance i is bit
// i % 64 of word i / 64).
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "circuits/levelize.hpp"

namespace rnncc::sim {

using circuits::Schedule;
struct Precision;  // sim/precision.hpp

struct SimOptions {
  int threads = 0;                 // 0: OpenMP's default (every core)
  std::size_t tile = 0;            // elements per lane tile; 0: chosen from tile_budget
  std::size_t tile_budget = 16u << 20;  // bytes of value buffer (all threads) the automatic tile aims at
  std::size_t serial_below = 16384;    // gate-elements under which a level runs on one thread
  // How threads share the work: across the gates of each level, or (with at least 4 tiles a
  // thread, under Auto) whole tiles per thread, each in its own buffer, with no barriers.
  enum class Parallel { Auto, Levels, Tiles } parallel = Parallel::Auto;
  // Exact domain only: when set, the run's bit lengths are folded into it (sim/precision.hpp;
  // the schedule must be levelized with LevelizeOptions::gate_map). Another domain with it set
  // is an Error before any work. Null: the plain kernels, nothing recorded.
  Precision* precision = nullptr;
};

struct SimStats {
  double seconds = 0;            // evaluation only (levelization excluded)
  std::uint64_t gate_evals = 0;  // scheduled gates x instances
  std::size_t tile = 0;          // elements per tile used
  std::size_t tiles = 0;
  int threads = 1;
  std::size_t buffer_bytes = 0;  // value buffers (rows x tile elements each), exact: object headers only
  bool by_tiles = false;         // threads ran whole tiles (else they shared levels)
  std::size_t batch = 0;         // simulate_instances: lanes per run
  double transfer_seconds = 0;   // GPU: copies between host and device (not in `seconds`)
  double gate_evals_per_s() const { return seconds > 0 ? static_cast<double>(gate_evals) / seconds : 0; }
};

// Inputs and outputs are [row][instance] matrices: inputs has schedule.input_row.size() rows,
// the result schedule.output_literal.size() rows, each of B elements. The domain must be the one
// the schedule was levelized for (Error otherwise). Only simulate_exact takes
// SimOptions::precision.
// Error unless a precision request (options.precision) can be met: an exact-domain schedule
// levelized with LevelizeOptions::gate_map. Nothing when none is asked for. Every simulate_*
// checks it; simulate_instances does before its first batch.
void check_precision_request(const Schedule& s, const SimOptions& options);

std::vector<double> simulate_real(const Schedule& s, const std::vector<double>& inputs, std::size_t B,
                                  const SimOptions& options = {}, SimStats* stats = nullptr);
std::vector<mpq_class> simulate_exact(const Schedule& s, const std::vector<mpq_class>& inputs, std::size_t B,
                                      const SimOptions& options = {}, SimStats* stats = nullptr);
// Residues in [0, p); p prime, 2 <= p < 2^62 (Error otherwise).
std::vector<std::uint64_t> simulate_modp(const Schedule& s, std::uint64_t p, const std::vector<std::uint64_t>& inputs,
                                         std::size_t B, const SimOptions& options = {}, SimStats* stats = nullptr);
// Packed bits: each row holds bool_words(B) words; bits of instances >= B are zero in the result.
std::vector<std::uint64_t> simulate_bool(const Schedule& s, const std::vector<std::uint64_t>& inputs, std::size_t B,
                                         const SimOptions& options = {}, SimStats* stats = nullptr);

inline std::size_t bool_words(std::size_t B) { return (B + 63) / 64; }

// Barrett reduction mod a prime p < 2^62 (circuits/arith.hpp), made after checking that p is a
// prime in [2, 2^62) (Error otherwise).
struct Barrett : circuits::arith::Barrett {
  explicit Barrett(std::uint64_t modulus);
};

}  // namespace rnncc::sim
