// The GPU simulator's kernel bodies: operand gather, gate evaluation per domain, loading sources
// and storing outputs, written once as `__host__ __device__` code. The CUDA kernels
// (gpu/device.cu) call them from device threads; the host driver (gpu/host_run.cpp) calls the
// very same functions block by block and thread by thread, which is how every CI run tests them
// without a GPU.
//
// Work is counted in items: an item is one element (lane) of one row. A level of G gates on a
// tile of E lanes has G x E items, item i being lane i % E of gate i / E, so the threads of a
// warp read consecutive lanes of one row (coalesced) and, with E = 1, consecutive gates. A thread
// takes items first, first + step, first + 2 step, ... and keeps four of them in flight at once
// (their descriptor and operand loads are independent).
//
// Why this is race-free: levelize never hands a level a row that the same level reads (rows are
// freed after their last reader's level), so the items of one level are independent; the callers
// put a barrier between levels (a grid barrier, or __syncthreads when one block runs a merged
// run of narrow levels: docs/sim.md).
#pragma once

#include <cstdint>

#include "circuits/arith.hpp"
#include "circuits/gate.hpp"

namespace rnncc::gpu {

namespace arith = circuits::arith;

#if defined(__CUDACC__)
#define RNNCC_UNROLL _Pragma("unroll")
#else
#define RNNCC_UNROLL _Pragma("GCC unroll 4")
#endif

inline constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;  // circuits::kNoRow, without levelize.hpp
inline constexpr unsigned kMaxBlock = 512;  // threads a block at most (the kernels' launch bound)

// A gate as the kernels read it: operand literals (row << 1 | complement), the row written and
// the kind, in one 16-byte load.
struct alignas(16) GateDesc {
  std::uint32_t a, b, dst, op;
};

// The high 64 bits of a 64 x 64-bit product.
RNNCC_HD std::uint64_t mul_hi(std::uint64_t a, std::uint64_t b) {
#if defined(__CUDA_ARCH__)
  return __umul64hi(a, b);
#else
  return static_cast<std::uint64_t>((static_cast<circuits::uint128>(a) * b) >> 64);
#endif
}

// n / d for any 64-bit n by a multiply and two shifts (Granlund and Montgomery, "Division by
// invariant integers using multiplication", 1994, Fig. 4.1): an item's gate is its index divided
// by the run-time lane count E.
struct FastDiv {
  std::uint64_t m = 1;
  unsigned sh1 = 0, sh2 = 0;
  static FastDiv make(std::uint64_t d) {  // d >= 1
    FastDiv f;
    unsigned l = 0;
    while (l < 64 && (std::uint64_t{1} << l) < d) ++l;  // l = ceil(log2 d)
    const circuits::uint128 two_l = static_cast<circuits::uint128>(1) << l;
    f.m = static_cast<std::uint64_t>(((two_l - d) << 64) / d + 1);
    f.sh1 = l < 1 ? l : 1;
    f.sh2 = l > 1 ? l - 1 : 0;
    return f;
  }
  RNNCC_HD std::uint64_t div(std::uint64_t n) const {
    const std::uint64_t t1 = mul_hi(m, n);
    return (t1 + ((n - t1) >> sh1)) >> sh2;
  }
};

// What one run of the kernels on one lane tile reads and writes. A plain aggregate of device (or,
// host-run, host) pointers, passed to kernels by value.
template <class Elem>
struct Frame {
  // The schedule: gates level by level; level l + 1 is gates [level_start[l], level_start[l + 1]).
  const GateDesc* gate = nullptr;
  const std::uint32_t* level_start = nullptr;
  // The value buffer: row r, lane j at values[r * E + j].
  Elem* values = nullptr;
  std::uint64_t E = 0;  // lanes of this tile
  FastDiv by_E;
  // The batch: inputs [input][lane] and outputs [output][lane], io_stride lanes a row; this tile
  // is lanes [lane0, lane0 + E).
  const Elem* in = nullptr;
  Elem* out = nullptr;
  std::uint64_t io_stride = 0, lane0 = 0;
  const std::uint32_t* input_row = nullptr;  // per input; kNoRow when unused
  std::uint32_t num_inputs = 0;
  const std::uint32_t* const_row = nullptr;
  const Elem* const_value = nullptr;
  std::uint32_t num_consts = 0;
  const std::uint32_t* output_literal = nullptr;
  std::uint32_t num_outputs = 0;
};

// ---- the domains: one gate on one element ----

struct RealOps {
  using Elem = double;
  RNNCC_HD Elem gate(std::uint32_t op, Elem x, std::uint32_t, Elem y, std::uint32_t) const {
    return arith::real_gate(static_cast<circuits::Op>(op), x, y);
  }
  RNNCC_HD Elem output(Elem x, std::uint32_t) const { return x; }
};

template <bool kMersenne>
struct ModpOps {
  using Elem = std::uint64_t;
  arith::Barrett barrett;  // unused for 2^61 - 1
  RNNCC_HD Elem gate(std::uint32_t op, Elem x, std::uint32_t, Elem y, std::uint32_t) const {
    return arith::modp_gate<kMersenne>(static_cast<circuits::Op>(op), x, y, barrett);
  }
  RNNCC_HD Elem output(Elem x, std::uint32_t) const { return x; }
};

struct BoolOps {
  using Elem = std::uint64_t;  // 64 instances
  RNNCC_HD Elem gate(std::uint32_t op, Elem x, std::uint32_t ca, Elem y, std::uint32_t cb) const {
    return arith::bool_gate(static_cast<circuits::Op>(op), x, arith::mask(ca != 0), y,
                            arith::mask(cb != 0));
  }
  RNNCC_HD Elem output(Elem x, std::uint32_t complement) const {
    return x ^ arith::mask(complement != 0);
  }
};

// ---- the phases, each over its items ----

// Sources into their rows: items [0, (inputs + constants) x E).
template <class Elem>
RNNCC_HD void load_items(const Frame<Elem>& f, std::uint64_t first, std::uint64_t step) {
  const std::uint64_t n = (static_cast<std::uint64_t>(f.num_inputs) + f.num_consts) * f.E;
  for (std::uint64_t i = first; i < n; i += step) {
    const std::uint64_t q = f.by_E.div(i), lane = i - q * f.E;
    if (q < f.num_inputs) {
      const std::uint32_t row = f.input_row[q];
      if (row != kNoRow) f.values[row * f.E + lane] = f.in[q * f.io_stride + f.lane0 + lane];
    } else {
      const std::uint64_t c = q - f.num_inputs;
      f.values[f.const_row[c] * f.E + lane] = f.const_value[c];
    }
  }
}

// Gates [g0, g1) (one level): items [0, (g1 - g0) x E).
template <class Ops>
RNNCC_HD void gate_items(const Ops& ops, const Frame<typename Ops::Elem>& f, std::uint32_t g0,
                         std::uint32_t g1, std::uint64_t first, std::uint64_t step) {
  using Elem = typename Ops::Elem;
  const std::uint64_t E = f.E, n = static_cast<std::uint64_t>(g1 - g0) * E;
  Elem* const v = f.values;
  std::uint64_t i = first;
  constexpr int kInFlight = 4;
  for (; i + (kInFlight - 1) * step < n; i += kInFlight * step) {
    GateDesc d[kInFlight];
    std::uint64_t lane[kInFlight];
    Elem x[kInFlight], y[kInFlight];
    RNNCC_UNROLL
    for (int k = 0; k < kInFlight; ++k) {
      const std::uint64_t item = i + static_cast<std::uint64_t>(k) * step, q = f.by_E.div(item);
      lane[k] = item - q * E;
      d[k] = f.gate[g0 + q];
    }
    RNNCC_UNROLL
    for (int k = 0; k < kInFlight; ++k) {
      x[k] = v[(d[k].a >> 1) * E + lane[k]];
      y[k] = v[(d[k].b >> 1) * E + lane[k]];  // unary kinds: b = 0, a row that always exists
    }
    RNNCC_UNROLL
    for (int k = 0; k < kInFlight; ++k)
      v[d[k].dst * E + lane[k]] = ops.gate(d[k].op, x[k], d[k].a & 1, y[k], d[k].b & 1);
  }
  for (; i < n; i += step) {
    const std::uint64_t q = f.by_E.div(i), lane = i - q * E;
    const GateDesc d = f.gate[g0 + q];
    v[d.dst * E + lane] =
        ops.gate(d.op, v[(d.a >> 1) * E + lane], d.a & 1, v[(d.b >> 1) * E + lane], d.b & 1);
  }
}

// Outputs out of their rows: items [0, outputs x E).
template <class Ops>
RNNCC_HD void store_items(const Ops& ops, const Frame<typename Ops::Elem>& f, std::uint64_t first,
                          std::uint64_t step) {
  const std::uint64_t n = static_cast<std::uint64_t>(f.num_outputs) * f.E;
  for (std::uint64_t i = first; i < n; i += step) {
    const std::uint64_t q = f.by_E.div(i), lane = i - q * f.E;
    const std::uint32_t lit = f.output_literal[q];
    f.out[q * f.io_stride + f.lane0 + lane] =
        ops.output(f.values[(lit >> 1) * f.E + lane], lit & 1);
  }
}

// ---- segments: how the levels are run ----

// Levels [level0, level1) run one way: a wide segment is one level whose items every block of the
// grid shares, followed by a grid barrier; a narrow segment is a run of consecutive narrow levels
// that block 0 runs alone, with __syncthreads between its levels and one grid barrier after.
struct Segment {
  std::uint32_t level0 = 0, level1 = 0;
  std::uint32_t narrow = 0;
};

}  // namespace rnncc::gpu
