// The levelized simulator's driver (tiles, levels, threads) and its four lane kernels.
#include "sim/simulate.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <type_traits>

#include "circuits/error.hpp"
#include "circuits/memory.hpp"
#include "sim/precision.hpp"

namespace rnncc::sim {

using circuits::DomainKind;
using circuits::Op;
namespace arith = circuits::arith;

Barrett::Barrett(std::uint64_t modulus) {
  circuits::check_modulus_value(modulus);
  static_cast<circuits::arith::Barrett&>(*this) = circuits::arith::make_barrett(modulus);
}

namespace {

// ---- lane kernels: one gate over n contiguous elements ----
// `ca`/`cb` are operand complements (bool only; always false elsewhere). `store` copies an
// output row out (bool applies the output's complement). Kernels with `records` also have
// `record(position, row, n)`, called after each gate on the row it wrote.

template <class E>
struct CopyStore {
  static constexpr bool records = false;
  static void store(const E* row, bool, E* out, std::size_t n) { std::copy(row, row + n, out); }
};

// slot = max(slot, v), safe against other threads doing the same.
void atomic_max(std::uint64_t& slot, std::uint64_t v) {
  std::atomic_ref<std::uint64_t> r(slot);
  std::uint64_t cur = r.load(std::memory_order_relaxed);
  while (cur < v && !r.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

struct RealLanes : CopyStore<double> {
  using Elem = double;
  static constexpr DomainKind kind = DomainKind::Real;
  Elem constant(const mpq_class& q) const { return circuits::nearest_double(q); }
  void gate(Op op, const Elem* __restrict a, bool, const Elem* __restrict b, bool, Elem* __restrict o,
            std::size_t n) const {
    switch (op) {
      case Op::Add: for (std::size_t i = 0; i < n; ++i) o[i] = a[i] + b[i]; break;
      case Op::Sub: for (std::size_t i = 0; i < n; ++i) o[i] = a[i] - b[i]; break;
      case Op::Mul: for (std::size_t i = 0; i < n; ++i) o[i] = a[i] * b[i]; break;
      case Op::Neg: for (std::size_t i = 0; i < n; ++i) o[i] = -a[i]; break;
      case Op::Relu: for (std::size_t i = 0; i < n; ++i) o[i] = arith::relu(a[i]); break;
      case Op::Tanh: for (std::size_t i = 0; i < n; ++i) o[i] = arith::tanh(a[i]); break;
      case Op::Sigmoid: for (std::size_t i = 0; i < n; ++i) o[i] = arith::sigmoid(a[i]); break;
      case Op::Sign: for (std::size_t i = 0; i < n; ++i) o[i] = arith::sign(a[i]); break;
      case Op::Step: for (std::size_t i = 0; i < n; ++i) o[i] = arith::step(a[i]); break;
      default: break;  // refused by levelize
    }
  }
};

// kRecord: each gate's largest bit length over the lanes of a tile goes into gate_bits[position]
// (the precision, sim/precision.hpp).
template <bool kRecord>
struct ExactLanes : CopyStore<mpq_class> {
  using Elem = mpq_class;
  static constexpr DomainKind kind = DomainKind::Exact;
  static constexpr bool records = kRecord;
  std::uint64_t* gate_bits = nullptr;  // kRecord: per gate position
  void record(std::uint32_t position, const Elem* o, std::size_t n) const {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, bit_length(o[i]));
    atomic_max(gate_bits[position], m);
  }
  // Set (by any thread) when a value passed the budget's bits; that value is replaced by 0 so
  // that nothing grows further, and simulate_exact throws after the run.
  std::atomic<int>* over = nullptr;
  std::uint64_t max_bits = circuits::budget().max_exact_bits;
  Elem constant(const mpq_class& q) const { return q; }
  void gate(Op op, const Elem* a, bool, const Elem* b, bool, Elem* o, std::size_t n) const {
    gate_unchecked(op, a, b, o, n);
    if (op != Op::Add && op != Op::Sub && op != Op::Mul) return;
    for (std::size_t i = 0; i < n; ++i)
      if (circuits::ExactDomain::bits(o[i]) > max_bits) [[unlikely]] {
        int none = 0;
        over->compare_exchange_strong(none, static_cast<int>(op) + 1);
        o[i] = 0;
      }
  }
  void gate_unchecked(Op op, const Elem* a, const Elem* b, Elem* o, std::size_t n) const {
    switch (op) {
      case Op::Add: for (std::size_t i = 0; i < n; ++i) mpq_add(o[i].get_mpq_t(), a[i].get_mpq_t(), b[i].get_mpq_t()); break;
      case Op::Sub: for (std::size_t i = 0; i < n; ++i) mpq_sub(o[i].get_mpq_t(), a[i].get_mpq_t(), b[i].get_mpq_t()); break;
      case Op::Mul: for (std::size_t i = 0; i < n; ++i) mpq_mul(o[i].get_mpq_t(), a[i].get_mpq_t(), b[i].get_mpq_t()); break;
      case Op::Neg: for (std::size_t i = 0; i < n; ++i) mpq_neg(o[i].get_mpq_t(), a[i].get_mpq_t()); break;
      case Op::Relu: for (std::size_t i = 0; i < n; ++i) { if (sgn(a[i]) > 0) o[i] = a[i]; else o[i] = 0; } break;
      case Op::Sign: for (std::size_t i = 0; i < n; ++i) o[i] = sgn(a[i]); break;
      case Op::Step: for (std::size_t i = 0; i < n; ++i) o[i] = sgn(a[i]) > 0 ? 1 : 0; break;
      default: break;  // refused by levelize
    }
  }
};

template <bool kMersenne>
struct ModpLanes : CopyStore<std::uint64_t> {
  using Elem = std::uint64_t;
  static constexpr DomainKind kind = DomainKind::Modp;
  circuits::ModpDomain dom;  // constants: a / b -> a * b^{-1}
  Barrett barrett;
  Elem constant(const mpq_class& q) const { return dom.constant(q); }
  Elem mul(Elem x, Elem y) const {
    if constexpr (kMersenne) return arith::mul_mersenne61(x, y);
    else return barrett.mul(x, y);
  }
  void gate(Op op, const Elem* __restrict a, bool, const Elem* __restrict b, bool, Elem* __restrict o,
             std::size_t n) const {
    const std::uint64_t p = kMersenne ? circuits::kDefaultModulus : barrett.p;  // a constant when Mersenne
    switch (op) {
      case Op::Add: for (std::size_t i = 0; i < n; ++i) o[i] = arith::mod_add(a[i], b[i], p); break;
      case Op::Sub: for (std::size_t i = 0; i < n; ++i) o[i] = arith::mod_sub(a[i], b[i], p); break;
      case Op::Mul: for (std::size_t i = 0; i < n; ++i) o[i] = mul(a[i], b[i]); break;
      case Op::Neg: for (std::size_t i = 0; i < n; ++i) o[i] = arith::mod_neg(a[i], p); break;
      default: break;  // refused by levelize
    }
  }
};

struct BoolLanes {
  using Elem = std::uint64_t;
  static constexpr DomainKind kind = DomainKind::Bool;
  static constexpr bool records = false;
  Elem constant(const mpq_class&) const { return 0; }  // the one constant row is 0; 1 is its complement
  void gate(Op op, const Elem* __restrict a, bool ca, const Elem* __restrict b, bool cb, Elem* __restrict o,
             std::size_t n) const {
    const std::uint64_t ma = arith::mask(ca), mb = arith::mask(cb);
    if (op == Op::And) {
      for (std::size_t i = 0; i < n; ++i) o[i] = arith::and_words(a[i], ma, b[i], mb);
    } else {  // Xor
      for (std::size_t i = 0; i < n; ++i) o[i] = arith::xor_words(a[i], ma, b[i], mb);
    }
  }
  static void store(const Elem* row, bool c, Elem* out, std::size_t n) {
    const std::uint64_t m = c ? ~0ull : 0;
    for (std::size_t i = 0; i < n; ++i) out[i] = row[i] ^ m;
  }
};

// A run of levels executed the same way: one level across threads, or consecutive small levels
// on one thread.
struct Segment {
  std::uint32_t first, last;  // gate positions [first, last)
  bool parallel;
};

std::vector<Segment> segments(const Schedule& s, std::size_t tile, std::size_t serial_below, int threads) {
  std::vector<Segment> out;
  for (std::uint32_t l = 0; l < s.num_levels(); ++l) {
    const std::uint32_t g0 = s.level_start[l], g1 = s.level_start[l + 1];
    const bool par = threads > 1 && static_cast<std::size_t>(g1 - g0) * tile >= serial_below;
    if (!par && !out.empty() && !out.back().parallel)
      out.back().last = g1;
    else
      out.push_back({g0, g1, par});
  }
  return out;
}

template <class K>
void run(const Schedule& s, const K& k, const typename K::Elem* inputs, std::size_t E,
         typename K::Elem* outputs, const SimOptions& opt, SimStats* stats) {
  using Elem = typename K::Elem;
  if (s.domain != K::kind)
    throw Error(fmt::format("simulate: schedule levelized for the {} domain, run in {}",
                            circuits::domain_name(s.domain), circuits::domain_name(K::kind)));
  const int threads = opt.threads > 0 ? opt.threads : omp_get_max_threads();
  const std::size_t rows = std::max<std::size_t>(s.num_rows, 1);
  std::size_t tile = opt.tile;
  if (tile == 0) {
    // The whole batch when its buffer fits the budget; else each thread's share of the budget,
    // if that leaves at least 4 elements a row (then threads run whole tiles); else nothing fits
    // a cache anyway and rows of 64 elements stream best.
    const std::size_t fit = opt.tile_budget / (rows * sizeof(Elem));
    const std::size_t share = fit / static_cast<std::size_t>(threads);
    if (fit >= E) {
      tile = E;
    } else if (share >= 4) {
      tile = std::size_t{1} << (63 - __builtin_clzll(share));
    } else {
      tile = 64;
    }
  }
  tile = std::max<std::size_t>(1, std::min(tile, E));
  const std::size_t tiles = E == 0 ? 0 : (E + tile - 1) / tile;

  std::vector<Elem> consts;
  for (const mpq_class& q : s.const_value) consts.push_back(k.constant(q));
  const std::vector<Segment> segs = segments(s, tile, opt.serial_below, threads);
  // Enough tiles: each thread runs whole tiles in its own buffer, with no barrier at all.
  // Otherwise threads share each tile level by level; with no level wide enough to share, one
  // thread runs everything, with no parallel region.
  const bool by_tiles = threads > 1 && opt.parallel != SimOptions::Parallel::Levels &&
                        (opt.parallel == SimOptions::Parallel::Tiles || tiles >= 4 * static_cast<std::size_t>(threads));
  const bool by_levels = threads > 1 && !by_tiles &&
                         std::any_of(segs.begin(), segs.end(), [](const Segment& g) { return g.parallel; });
  const int used = by_tiles ? static_cast<int>(std::min<std::size_t>(threads, tiles)) : by_levels ? threads : 1;
  const std::uint32_t* const A = s.a.data();
  const std::uint32_t* const B = s.b.data();
  const std::uint32_t* const D = s.dst.data();
  const Op* const O = s.op.data();

  auto load = [&](Elem* v, std::size_t e0, std::size_t n) {
    for (std::size_t i = 0; i < s.input_row.size(); ++i)
      if (s.input_row[i] != circuits::kNoRow)
        std::copy(inputs + i * E + e0, inputs + i * E + e0 + n, v + s.input_row[i] * tile);
    for (std::size_t i = 0; i < s.const_row.size(); ++i)
      std::fill(v + s.const_row[i] * tile, v + s.const_row[i] * tile + n, consts[i]);
  };
  // Operand rows are read at random: prefetch those of the gate kPrefetch ahead, whole rows.
  constexpr std::uint32_t kPrefetch = 4;
  const std::size_t row_bytes = std::is_trivially_copyable_v<Elem> ? tile * sizeof(Elem) : 0;
  auto prefetch_row = [&](const Elem* r) {
    for (std::size_t off = 0; off < row_bytes; off += 64) __builtin_prefetch(reinterpret_cast<const char*>(r) + off);
  };
  auto gates = [&](Elem* v, std::uint32_t g0, std::uint32_t g1, std::size_t n) {
    for (std::uint32_t g = g0; g < g1; ++g) {
      if (row_bytes && g + kPrefetch < g1) {
        prefetch_row(v + (A[g + kPrefetch] >> 1) * tile);
        prefetch_row(v + (B[g + kPrefetch] >> 1) * tile);
      }
      k.gate(O[g], v + (A[g] >> 1) * tile, A[g] & 1, v + (B[g] >> 1) * tile, B[g] & 1, v + D[g] * tile, n);
      if constexpr (K::records) k.record(g, v + D[g] * tile, n);
    }
  };
  auto store = [&](const Elem* v, std::size_t e0, std::size_t n) {
    for (std::size_t o = 0; o < s.output_literal.size(); ++o) {
      const std::uint32_t l = s.output_literal[o];
      K::store(v + (l >> 1) * tile, l & 1, outputs + o * E + e0, n);
    }
  };
  auto whole_tile = [&](Elem* v, std::size_t t) {
    const std::size_t e0 = t * tile, n = std::min(tile, E - e0);
    load(v, e0, n);
    if (!s.op.empty()) gates(v, 0, static_cast<std::uint32_t>(s.op.size()), n);
    store(v, e0, n);
  };

  // Buffers are allocated (and first touched) before the clock starts: `seconds` is the
  // evaluation itself, loading inputs and storing outputs included.
  const std::size_t buf_elems = rows * tile;
  std::vector<circuits::BigVector<Elem>> bufs(by_tiles ? static_cast<std::size_t>(used) : 1);  // huge pages
  for (auto& b : bufs) b.resize(buf_elems);
  const auto t0 = std::chrono::steady_clock::now();
  if (by_tiles) {
#pragma omp parallel num_threads(used)
    {
      Elem* const v = bufs[static_cast<std::size_t>(omp_get_thread_num())].data();
#pragma omp for schedule(dynamic, 1)
      for (std::size_t t = 0; t < tiles; ++t) whole_tile(v, t);
    }
  } else if (by_levels) {
    Elem* const v = bufs[0].data();
#pragma omp parallel num_threads(used)
    {
      for (std::size_t t = 0; t < tiles; ++t) {
        const std::size_t e0 = t * tile, n = std::min(tile, E - e0);
#pragma omp single
        load(v, e0, n);
        for (const Segment& seg : segs) {
          if (seg.parallel) {  // a static split: thread i takes the i-th contiguous share
            const std::uint64_t len = seg.last - seg.first;
            const auto tid = static_cast<std::uint64_t>(omp_get_thread_num());
            const auto nt = static_cast<std::uint64_t>(omp_get_num_threads());
            gates(v, seg.first + static_cast<std::uint32_t>(len * tid / nt),
                  seg.first + static_cast<std::uint32_t>(len * (tid + 1) / nt), n);
#pragma omp barrier
          } else {
#pragma omp single
            gates(v, seg.first, seg.last, n);
          }
        }
#pragma omp single
        store(v, e0, n);
      }
    }
  } else {
    for (std::size_t t = 0; t < tiles; ++t) whole_tile(bufs[0].data(), t);
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (stats) {
    stats->seconds = std::chrono::duration<double>(t1 - t0).count();
    stats->tile = tile;
    stats->tiles = tiles;
    stats->threads = used;
    stats->buffer_bytes = buf_elems * sizeof(Elem) * bufs.size();
    stats->by_tiles = by_tiles;
  }
}

void check_shape(const Schedule& s, std::size_t got, std::size_t E, const char* what) {
  if (got != s.input_row.size() * E)
    throw Error(fmt::format("simulate: {} input elements for {} inputs x {} {}", got, s.input_row.size(), E, what));
}

void count(const Schedule& s, std::size_t B, SimStats* stats) {
  if (stats) stats->gate_evals = static_cast<std::uint64_t>(s.num_gates()) * B;
}

// The sources' figures of a run: each live input's largest bit length over its E lanes, each
// constant's own (when there is a lane), into value_bits (Schedule's value numbering).
void source_bits(const Schedule& s, const mpq_class* inputs, std::size_t E, std::vector<std::uint64_t>& value_bits) {
  for (std::size_t i = 0; i < s.input_row.size(); ++i) {
    if (s.input_row[i] == circuits::kNoRow) continue;
    std::uint64_t m = 0;
    for (std::size_t e = 0; e < E; ++e) m = std::max(m, bit_length(inputs[i * E + e]));
    value_bits[i] = m;
  }
  if (E > 0)
    for (std::size_t j = 0; j < s.const_value.size(); ++j) value_bits[s.input_row.size() + j] = bit_length(s.const_value[j]);
}

}  // namespace

void check_precision_request(const Schedule& s, const SimOptions& options) {
  if (!options.precision) return;
  if (s.domain != DomainKind::Exact)
    throw Error(fmt::format("simulate: the precision (bit lengths of exact values) is measured in the exact domain "
                            "only, not in {}",
                            circuits::domain_name(s.domain)));
  if (!s.gate_map) throw Error("simulate: the precision is kept per circuit gate: levelize with LevelizeOptions::gate_map");
}

std::vector<double> simulate_real(const Schedule& s, const std::vector<double>& inputs, std::size_t B,
                                  const SimOptions& options, SimStats* stats) {
  check_precision_request(s, options);
  check_shape(s, inputs.size(), B, "instances");
  std::vector<double> out(s.output_literal.size() * B);
  run(s, RealLanes{}, inputs.data(), B, out.data(), options, stats);
  count(s, B, stats);
  return out;
}

std::vector<mpq_class> simulate_exact(const Schedule& s, const std::vector<mpq_class>& inputs, std::size_t B,
                                      const SimOptions& options, SimStats* stats) {
  check_shape(s, inputs.size(), B, "instances");
  check_precision_request(s, options);
  std::vector<mpq_class> out(s.output_literal.size() * B);
  SimOptions o = options;
  if (o.tile == 0) o.tile = 64;  // rationals are heap objects: a small tile keeps them warm
  std::atomic<int> over{0};
  std::uint64_t max_bits = 0;
  auto go = [&](auto& lanes) {  // the plain kernels, or those that record bit lengths
    lanes.over = &over;
    max_bits = lanes.max_bits;
    run(s, lanes, inputs.data(), B, out.data(), o, stats);
  };
  if (options.precision) {
    std::vector<std::uint64_t> value_bits(s.num_values(), 0);
    source_bits(s, inputs.data(), B, value_bits);
    ExactLanes<true> lanes;
    lanes.gate_bits = value_bits.data() + s.input_row.size() + s.const_row.size();
    go(lanes);
    if (!over.load()) options.precision->fold(s, value_bits, B);
  } else {
    ExactLanes<false> lanes;
    go(lanes);
  }
  if (const int op = over.load())
    circuits::check_exact_bits(max_bits + 1,
                               fmt::format("a value of a {} gate in the exact simulation", circuits::mnemonic(static_cast<Op>(op - 1))));
  count(s, B, stats);
  return out;
}

std::vector<std::uint64_t> simulate_modp(const Schedule& s, std::uint64_t p, const std::vector<std::uint64_t>& inputs,
                                         std::size_t B, const SimOptions& options, SimStats* stats) {
  check_precision_request(s, options);
  check_shape(s, inputs.size(), B, "instances");
  std::vector<std::uint64_t> out(s.output_literal.size() * B);
  const Barrett barrett(p);
  const circuits::ModpDomain dom(p);
  for (std::uint64_t x : inputs)
    if (x >= p) throw Error(fmt::format("simulate: input residue {} is not below p = {}", x, p));
  if (p == circuits::kDefaultModulus)
    run(s, ModpLanes<true>{{}, dom, barrett}, inputs.data(), B, out.data(), options, stats);
  else
    run(s, ModpLanes<false>{{}, dom, barrett}, inputs.data(), B, out.data(), options, stats);
  count(s, B, stats);
  return out;
}

std::vector<std::uint64_t> simulate_bool(const Schedule& s, const std::vector<std::uint64_t>& inputs, std::size_t B,
                                         const SimOptions& options, SimStats* stats) {
  check_precision_request(s, options);
  const std::size_t W = bool_words(B);
  check_shape(s, inputs.size(), W, "words");
  std::vector<std::uint64_t> out(s.output_literal.size() * W);
  run(s, BoolLanes{}, inputs.data(), W, out.data(), options, stats);
  if (B % 64 != 0)
    for (std::size_t o = 0; o < s.output_literal.size(); ++o) out[o * W + W - 1] &= (1ull << (B % 64)) - 1;
  count(s, B, stats);
  return out;
}

}  // namespace rnncc::sim
