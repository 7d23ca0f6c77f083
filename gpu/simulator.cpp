// The GPU simulator's host side: checks, the gate descriptors and constants, segments, lane
// tiles, and the host driver that runs the kernel bodies of kernels.hpp block by block and thread
// by thread, in the order and with the barriers the device kernels use.
#include "gpu/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>

#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "gpu/device.hpp"
#include "sim/simulate.hpp"

namespace rnncc::gpu {

using circuits::DomainKind;

std::vector<Segment> plan_segments(const Schedule& s, std::uint64_t E, std::uint64_t narrow_items) {
  std::vector<Segment> out;
  for (std::uint32_t l = 0; l < s.num_levels(); ++l) {
    const std::uint64_t items =
        static_cast<std::uint64_t>(s.level_start[l + 1] - s.level_start[l]) * E;
    const bool narrow = items <= narrow_items;
    if (narrow && !out.empty() && out.back().narrow)
      out.back().level1 = l + 1;
    else
      out.push_back({l, l + 1, narrow ? 1u : 0u});
  }
  return out;
}

namespace {

void refuse_exact(DomainKind d) {
  if (d == DomainKind::Exact)
    throw Error(
        "the GPU simulator has no exact domain (GMP rationals run on the CPU only): "
        "use --device cpu, or --domain real, modp or bool");
}

}  // namespace

circuits::Schedule levelize_for_gpu(const circuits::Circuit& c, DomainKind domain,
                                    std::uint64_t lanes, std::size_t budget) {
  refuse_exact(domain);
  if (budget == 0) budget = detail::free_memory() / 2;
  const std::uint64_t rows_at_most = c.num_gates() + 1;
  circuits::LevelizeOptions o;
  o.reuse_rows = !(lanes > 0 && rows_at_most <= budget / 8 / lanes);
  return circuits::levelize(c, domain, o);
}

namespace {

// The kernels' three phases on the host: what device.cu's persistent kernel does, with the grid
// barriers and __syncthreads as the points between loops. Threads whose first item is past the
// end would do nothing and are not visited.
template <class Ops>
void host_tile(const Ops& ops, const Frame<typename Ops::Elem>& f, const std::vector<Segment>& segs,
               std::uint64_t grid, std::uint64_t block) {
  const std::uint64_t threads = grid * block;
  const std::uint64_t load = (static_cast<std::uint64_t>(f.num_inputs) + f.num_consts) * f.E;
  for (std::uint64_t t = 0; t < std::min(threads, load); ++t) load_items(f, t, threads);
  for (const Segment& seg : segs) {
    if (seg.narrow) {  // block 0 alone, level after level
      for (std::uint32_t l = seg.level0; l < seg.level1; ++l) {
        const std::uint64_t n =
            static_cast<std::uint64_t>(f.level_start[l + 1] - f.level_start[l]) * f.E;
        for (std::uint64_t t = 0; t < std::min(block, n); ++t)
          gate_items(ops, f, f.level_start[l], f.level_start[l + 1], t, block);
      }
    } else {
      const std::uint32_t g0 = f.level_start[seg.level0], g1 = f.level_start[seg.level0 + 1];
      const std::uint64_t n = static_cast<std::uint64_t>(g1 - g0) * f.E;
      for (std::uint64_t t = 0; t < std::min(threads, n); ++t)
        gate_items(ops, f, g0, g1, t, threads);
    }
  }
  const std::uint64_t store = static_cast<std::uint64_t>(f.num_outputs) * f.E;
  for (std::uint64_t t = 0; t < std::min(threads, store); ++t) store_items(ops, f, t, threads);
}

}  // namespace

Simulator::Simulator(const Schedule& s, std::uint64_t modulus, const GpuOptions& options)
    : s_(s), opt_(options), modulus_(modulus) {
  refuse_exact(s.domain);
  if (opt_.block < 32 || opt_.block > kMaxBlock || opt_.block % 32 != 0)
    throw Error(fmt::format("GPU block size {}: expected a multiple of 32 in [32, {}]", opt_.block,
                            kMaxBlock));
  if (opt_.exec == Exec::Device) {
    info_ = device_info();
    if (!info_.available)
      throw Error("no CUDA GPU available (" + info_.why_not + "): use --device cpu");
    if (opt_.launch == Launch::Persistent && !info_.cooperative_launch)
      throw Error(
          fmt::format("GPU {} cannot launch cooperative kernels (needed by the persistent kernel)",
                      info_.name));
  }
  if (s.domain == DomainKind::Modp)
    barrett_ = sim::Barrett(modulus);  // Error unless a prime in [2, 2^62)
  gates_.resize(s.num_gates());
  for (std::size_t i = 0; i < gates_.size(); ++i)
    gates_[i] = {s.a[i], s.b[i], s.dst[i], static_cast<std::uint32_t>(s.op[i])};
  const circuits::ModpDomain modp =
      s.domain == DomainKind::Modp ? circuits::ModpDomain(modulus) : circuits::ModpDomain();
  for (const mpq_class& q : s.const_value) {
    switch (s.domain) {
      case DomainKind::Real:
        consts_.push_back(std::bit_cast<std::uint64_t>(circuits::nearest_double(q)));
        break;
      case DomainKind::Modp:
        consts_.push_back(modp.constant(q));
        break;
      default:
        consts_.push_back(0);  // bool: the one constant row is 0; 1 is its complement
    }
  }
  inputs_in_place_ = true;
  first_input_row_ = s.input_row.empty() ? 0 : s.input_row[0];
  for (std::size_t i = 0; i < s.input_row.size(); ++i)
    inputs_in_place_ &= s.input_row[i] == first_input_row_ + i;
  if (opt_.exec == Exec::Device)
    dev_.reset(detail::make_resident(s, gates_, consts_, inputs_in_place_, first_input_row_, opt_));
}

void Simulator::ResidentDeleter::operator()(Resident* r) const noexcept {
  detail::destroy(r);
}

std::string Simulator::describe() const {
  return opt_.exec == Exec::Device ? "GPU: " + info_.name : "GPU kernels run on the host";
}

template <class Ops>
std::vector<typename Ops::Elem> Simulator::run(const Ops& ops,
                                               const std::vector<typename Ops::Elem>& inputs,
                                               std::size_t E, sim::SimStats* stats) {
  using Elem = typename Ops::Elem;
  if (inputs.size() != s_.input_row.size() * E)
    throw Error(fmt::format("GPU simulator: {} input elements for {} inputs x {} lanes",
                            inputs.size(), s_.input_row.size(), E));
  std::vector<Elem> out(s_.output_literal.size() * E);
  if (stats) *stats = sim::SimStats{};
  if (E == 0) return out;
  // Lane tiles: as many lanes as the value buffer budget holds.
  const std::uint64_t row_bytes = std::max<std::uint64_t>(s_.num_rows, 1) * sizeof(Elem);
  const std::uint64_t budget = opt_.memory_budget        ? opt_.memory_budget
                               : opt_.exec == Exec::Host ? std::uint64_t{1} << 30
                                                         : detail::free_memory() / 2;
  std::uint64_t tile = budget / row_bytes;
  if (tile == 0)
    throw Error(fmt::format(
        "GPU simulator: one lane of the value buffer ({} rows, {} bytes) exceeds the memory "
        "budget of {} bytes",
        s_.num_rows, row_bytes, budget));
  if (tile < E && tile >= 32) tile -= tile % 32;  // whole warps of lanes
  tile = std::min<std::uint64_t>(tile, E);

  if (opt_.exec == Exec::Device) {
    detail::device_run(*dev_, ops, inputs.data(), E, tile, out.data(), stats);
  } else {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<Elem> values(std::max<std::uint64_t>(s_.num_rows, 1) * tile);
    const std::uint64_t grid = opt_.grid ? opt_.grid : 4;
    const bool in_place =
        inputs_in_place_ && tile == E;  // what the device does: copy, then no input phase
    if (in_place)
      std::copy(inputs.begin(), inputs.end(),
                values.begin() + static_cast<std::ptrdiff_t>(first_input_row_ * E));
    Frame<Elem> batch = detail::batch_frame<Elem>(s_, in_place);
    batch.gate = gates_.data();
    batch.level_start = s_.level_start.data();
    batch.values = values.data();
    batch.in = inputs.data();
    batch.out = out.data();
    batch.input_row = s_.input_row.data();
    batch.const_row = s_.const_row.data();
    batch.const_value = reinterpret_cast<const Elem*>(consts_.data());
    batch.output_literal = s_.output_literal.data();
    for (std::uint64_t lane0 = 0; lane0 < E; lane0 += tile) {
      const Frame<Elem> f = detail::tile_frame(batch, E, tile, lane0);
      host_tile(ops, f, plan_segments(s_, f.E, narrow_items(opt_)), grid, opt_.block);
    }
    if (stats) {
      stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      stats->buffer_bytes = values.size() * sizeof(Elem);
    }
  }
  if (stats) {
    stats->tile = tile;
    stats->tiles = (E + tile - 1) / tile;
    stats->threads = 1;
  }
  return out;
}

namespace {
void check_domain(const Schedule& s, DomainKind want) {
  if (s.domain != want)
    throw Error(fmt::format("GPU simulator: schedule levelized for the {} domain, run in {}",
                            circuits::domain_name(s.domain), circuits::domain_name(want)));
}
void count(const Schedule& s, std::size_t B, sim::SimStats* stats) {
  if (stats) stats->gate_evals = static_cast<std::uint64_t>(s.num_gates()) * B;
}
}  // namespace

std::vector<double> Simulator::run_real(const std::vector<double>& inputs, std::size_t B,
                                        sim::SimStats* stats) {
  check_domain(s_, DomainKind::Real);
  auto out = run(RealOps{}, inputs, B, stats);
  count(s_, B, stats);
  return out;
}

std::vector<std::uint64_t> Simulator::run_modp(const std::vector<std::uint64_t>& inputs,
                                               std::size_t B, sim::SimStats* stats) {
  check_domain(s_, DomainKind::Modp);
  for (std::uint64_t x : inputs)
    if (x >= modulus_)
      throw Error(fmt::format("GPU simulator: input residue {} is not below p = {}", x, modulus_));
  auto out = modulus_ == circuits::kDefaultModulus
                 ? run(ModpOps<true>{barrett_}, inputs, B, stats)
                 : run(ModpOps<false>{barrett_}, inputs, B, stats);
  count(s_, B, stats);
  return out;
}

std::vector<std::uint64_t> Simulator::run_bool(const std::vector<std::uint64_t>& inputs,
                                               std::size_t B, sim::SimStats* stats) {
  check_domain(s_, DomainKind::Bool);
  const std::size_t W = sim::bool_words(B);
  auto out = run(BoolOps{}, inputs, W, stats);
  if (B % 64 != 0)
    for (std::size_t o = 0; o < s_.output_literal.size(); ++o)
      out[o * W + W - 1] &= (1ull << (B % 64)) - 1;
  count(s_, B, stats);
  return out;
}

}  // namespace rnncc::gpu
