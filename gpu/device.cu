// The GPU simulator's launch layer: device queries, the resident schedule and buffers, the
// persistent cooperative kernel (one launch a lane tile, grid barriers between segments) and the
// CUDA Graph alternative (one kernel node a segment, recorded once per lane count). Everything a
// thread computes comes from kernels.hpp, which the host driver runs too.
#include <cooperative_groups.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "circuits/error.hpp"
#include "gpu/device.hpp"

namespace rnncc::gpu {

namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw Error(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

// A device allocation of raw bytes that only grows.
struct DeviceBuffer {
  void* p = nullptr;
  std::size_t bytes = 0;
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (p) cudaFree(p);
  }
  // True when the allocation moved (graphs recorded with the old address are stale).
  bool reserve(std::size_t n) {
    if (n <= bytes && p) return false;
    if (p) cudaFree(p);
    p = nullptr;
    bytes = 0;
    check(cudaMalloc(&p, std::max<std::size_t>(n, 16)), "allocating device memory");
    bytes = std::max<std::size_t>(n, 16);
    return true;
  }
  template <class T>
  void upload(const std::vector<T>& v) {
    reserve(v.size() * sizeof(T));
    if (!v.empty())
      check(cudaMemcpy(p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice),
            "copying to the device");
  }
  template <class T>
  T* as() const {
    return static_cast<T*>(p);
  }
};

__device__ __forceinline__ std::uint64_t global_thread() {
  return static_cast<std::uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ std::uint64_t grid_threads() {
  return static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
}

// Block 0's part of a narrow segment: its levels one after another, a block barrier between.
template <class Ops>
__device__ __forceinline__ void narrow_levels(const Ops& ops, const Frame<typename Ops::Elem>& f,
                                              std::uint32_t l0, std::uint32_t l1) {
  for (std::uint32_t l = l0; l < l1; ++l) {
    gate_items(ops, f, f.level_start[l], f.level_start[l + 1], threadIdx.x, blockDim.x);
    __syncthreads();
  }
}

// Every phase of one lane tile in one launch: load, the segments, store, with a grid barrier
// after each (cooperative launch: all blocks are co-resident).
template <class Ops>
__global__ void __launch_bounds__(kMaxBlock, 2)
    persistent_kernel(Ops ops, Frame<typename Ops::Elem> f, const Segment* segs,
                      std::uint32_t num_segs) {
  cooperative_groups::grid_group grid = cooperative_groups::this_grid();
  const std::uint64_t me = global_thread(), threads = grid_threads();
  load_items(f, me, threads);
  grid.sync();
  for (std::uint32_t k = 0; k < num_segs; ++k) {
    const Segment seg = segs[k];
    if (seg.narrow) {
      if (blockIdx.x == 0) narrow_levels(ops, f, seg.level0, seg.level1);
    } else {
      gate_items(ops, f, f.level_start[seg.level0], f.level_start[seg.level0 + 1], me, threads);
    }
    grid.sync();
  }
  store_items(ops, f, me, threads);
}

// The graph's nodes: one kernel a phase.
template <class Elem>
__global__ void __launch_bounds__(kMaxBlock) load_kernel(Frame<Elem> f) {
  load_items(f, global_thread(), grid_threads());
}
template <class Ops>
__global__ void __launch_bounds__(kMaxBlock, 2)
    level_kernel(Ops ops, Frame<typename Ops::Elem> f, std::uint32_t g0, std::uint32_t g1) {
  gate_items(ops, f, g0, g1, global_thread(), grid_threads());
}
template <class Ops>
__global__ void __launch_bounds__(kMaxBlock)
    narrow_kernel(Ops ops, Frame<typename Ops::Elem> f, std::uint32_t l0, std::uint32_t l1) {
  narrow_levels(ops, f, l0, l1);
}
template <class Ops>
__global__ void __launch_bounds__(kMaxBlock) store_kernel(Ops ops, Frame<typename Ops::Elem> f) {
  store_items(ops, f, global_thread(), grid_threads());
}

unsigned blocks_for(std::uint64_t items, unsigned block, unsigned cap) {
  const std::uint64_t b = (items + block - 1) / block;
  return static_cast<unsigned>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(b, cap)));
}

}  // namespace

DeviceInfo device_info() {
  DeviceInfo d;
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    d.why_not = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(e);
    cudaGetLastError();  // clear the sticky error of a failed initialisation, if any
    return d;
  }
  if (n == 0) {
    d.why_not = "no CUDA device";
    return d;
  }
  cudaDeviceProp p{};
  if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) {
    d.why_not = "cudaGetDeviceProperties failed";
    return d;
  }
  int coop = 0;
  cudaDeviceGetAttribute(&coop, cudaDevAttrCooperativeLaunch, 0);
  d.available = true;
  d.name = p.name;
  d.multiprocessors = p.multiProcessorCount;
  d.compute_major = p.major;
  d.compute_minor = p.minor;
  d.memory_bytes = p.totalGlobalMem;
  d.cooperative_launch = coop != 0;
  return d;
}

struct Simulator::Resident {
  const Schedule* s = nullptr;
  GpuOptions opt;
  bool inputs_in_place = false;
  std::uint32_t first_input_row = 0;
  int multiprocessors = 1;
  int persistent_blocks = 0;  // co-resident blocks of the persistent kernel (0: not computed yet)
  cudaStream_t stream = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr;
  DeviceBuffer gates, level_start, input_row, const_row, consts, output_literal;
  DeviceBuffer values, in, out;
  std::map<std::uint64_t, DeviceBuffer> segments;  // per tile lane count
  std::map<std::uint64_t, std::vector<Segment>> host_segments;
  std::map<std::pair<std::uint64_t, std::uint64_t>, cudaGraphExec_t> graphs;  // per (E, tile)

  ~Resident() {
    for (auto& g : graphs) cudaGraphExecDestroy(g.second);
    if (start) cudaEventDestroy(start);
    if (stop) cudaEventDestroy(stop);
    if (stream) cudaStreamDestroy(stream);
  }
  void drop_graphs() {
    for (auto& g : graphs) cudaGraphExecDestroy(g.second);
    graphs.clear();
  }
  const std::vector<Segment>& segments_for(std::uint64_t E) {
    auto it = host_segments.find(E);
    if (it != host_segments.end()) return it->second;
    std::vector<Segment> segs = plan_segments(*s, E, narrow_items(opt));
    segments[E].upload(segs);
    return host_segments.emplace(E, std::move(segs)).first->second;
  }
};

namespace detail {

Simulator::Resident* make_resident(const Schedule& s, const std::vector<GateDesc>& gates,
                                   const std::vector<std::uint64_t>& consts, bool inputs_in_place,
                                   std::uint32_t first_input_row, const GpuOptions& options) {
  auto r = std::make_unique<Simulator::Resident>();
  r->s = &s;
  r->inputs_in_place = inputs_in_place;
  r->first_input_row = first_input_row;
  r->opt = options;
  check(cudaSetDevice(0), "selecting the device");
  check(cudaDeviceGetAttribute(&r->multiprocessors, cudaDevAttrMultiProcessorCount, 0),
        "reading the device");
  check(cudaStreamCreateWithFlags(&r->stream, cudaStreamNonBlocking), "creating a stream");
  check(cudaEventCreate(&r->start), "creating an event");
  check(cudaEventCreate(&r->stop), "creating an event");
  r->gates.upload(gates);
  r->level_start.upload(s.level_start);
  r->input_row.upload(s.input_row);
  r->const_row.upload(s.const_row);
  r->consts.upload(consts);
  r->output_literal.upload(s.output_literal);
  return r.release();
}

void destroy(Simulator::Resident* r) noexcept {
  delete r;
}

std::size_t free_memory() {
  std::size_t free = 0, total = 0;
  if (cudaMemGetInfo(&free, &total) != cudaSuccess) return 0;
  return free;
}

namespace {

template <class Ops>
void run_tiles(Simulator::Resident& r, const Ops& ops, const typename Ops::Elem* in,
               std::uint64_t E, std::uint64_t tile, typename Ops::Elem* out, sim::SimStats* stats) {
  using Elem = typename Ops::Elem;
  const Schedule& s = *r.s;
  const std::uint64_t rows = std::max<std::uint64_t>(s.num_rows, 1);
  const std::size_t in_bytes = s.input_row.size() * E * sizeof(Elem),
                    out_bytes = s.output_literal.size() * E * sizeof(Elem);
  const bool in_place = r.inputs_in_place && tile == E;  // inputs copied straight into their rows
  bool moved = r.values.reserve(rows * tile * sizeof(Elem));
  if (!in_place) moved |= r.in.reserve(in_bytes);
  moved |= r.out.reserve(out_bytes);
  if (moved) r.drop_graphs();

  Frame<Elem> batch = detail::batch_frame<Elem>(s, in_place);
  batch.gate = r.gates.template as<GateDesc>();
  batch.level_start = r.level_start.as<std::uint32_t>();
  batch.values = r.values.as<Elem>();
  batch.in = r.in.as<Elem>();
  batch.out = r.out.as<Elem>();
  batch.input_row = r.input_row.as<std::uint32_t>();
  batch.const_row = r.const_row.as<std::uint32_t>();
  batch.const_value = r.consts.as<Elem>();
  batch.output_literal = r.output_literal.as<std::uint32_t>();
  auto frame = [&](std::uint64_t lane0) { return detail::tile_frame(batch, E, tile, lane0); };
  const unsigned block = r.opt.block;
  auto items_of_level = [&](std::uint32_t l, std::uint64_t Et) {
    return static_cast<std::uint64_t>(s.level_start[l + 1] - s.level_start[l]) * Et;
  };

  // One tile's launches, on r.stream.
  auto launch_persistent = [&](const Frame<Elem>& f) {
    const std::vector<Segment>& segs = r.segments_for(f.E);
    if (r.persistent_blocks == 0) {  // the schedule's domain, so the kernel, is fixed: once
      int per_sm = 0;
      check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, persistent_kernel<Ops>,
                                                          static_cast<int>(block), 0),
            "computing the occupancy");
      if (per_sm < 1)
        throw Error("CUDA: the persistent kernel does not fit a multiprocessor at this block size");
      r.persistent_blocks = per_sm * r.multiprocessors;
    }
    std::uint64_t most =
        std::max<std::uint64_t>((static_cast<std::uint64_t>(f.num_inputs) + f.num_consts) * f.E,
                                static_cast<std::uint64_t>(f.num_outputs) * f.E);
    for (const Segment& g : segs)
      if (!g.narrow) most = std::max(most, items_of_level(g.level0, f.E));
    const unsigned resident = static_cast<unsigned>(r.persistent_blocks);
    const unsigned grid =
        blocks_for(most, block, r.opt.grid ? std::min(r.opt.grid, resident) : resident);
    Frame<Elem> fa = f;
    Ops oa = ops;
    const Segment* sp = r.segments[f.E].template as<Segment>();
    std::uint32_t ns = static_cast<std::uint32_t>(segs.size());
    void* args[] = {&oa, &fa, &sp, &ns};
    check(cudaLaunchCooperativeKernel(reinterpret_cast<const void*>(persistent_kernel<Ops>),
                                      dim3(grid), dim3(block), args, 0, r.stream),
          "launching the persistent kernel");
  };
  auto launch_phases = [&](const Frame<Elem>& f) {  // what the graph records
    // Four items a thread, which gate_items keeps in flight together.
    const unsigned cap = r.opt.grid ? r.opt.grid : 1u << 20;
    auto grid_for = [&](std::uint64_t items) { return blocks_for((items + 3) / 4, block, cap); };
    load_kernel<Elem><<<grid_for((static_cast<std::uint64_t>(f.num_inputs) + f.num_consts) * f.E),
                        block, 0, r.stream>>>(f);
    for (const Segment& g : r.segments_for(f.E)) {
      if (g.narrow)
        narrow_kernel<Ops><<<1, block, 0, r.stream>>>(ops, f, g.level0, g.level1);
      else
        level_kernel<Ops><<<grid_for(items_of_level(g.level0, f.E)), block, 0, r.stream>>>(
            ops, f, s.level_start[g.level0], s.level_start[g.level0 + 1]);
    }
    store_kernel<Ops>
        <<<grid_for(static_cast<std::uint64_t>(f.num_outputs) * f.E), block, 0, r.stream>>>(ops, f);
  };

  const auto w0 = std::chrono::steady_clock::now();
  if (in_bytes)
    check(cudaMemcpyAsync(
              in_place ? static_cast<void*>(r.values.as<Elem>() + r.first_input_row * E) : r.in.p,
              in, in_bytes, cudaMemcpyHostToDevice, r.stream),
          "copying inputs");
  cudaGraphExec_t exec = nullptr;
  if (r.opt.launch == Launch::Graph) {
    auto key = std::make_pair(E, tile);
    auto it = r.graphs.find(key);
    if (it == r.graphs.end()) {
      for (std::uint64_t lane0 = 0; lane0 < E; lane0 += tile)
        r.segments_for(frame(lane0).E);  // uploads outside capture
      check(cudaStreamSynchronize(r.stream), "copying inputs");
      cudaGraph_t graph = nullptr;
      check(cudaStreamBeginCapture(r.stream, cudaStreamCaptureModeThreadLocal),
            "recording a graph");
      for (std::uint64_t lane0 = 0; lane0 < E; lane0 += tile) launch_phases(frame(lane0));
      check(cudaStreamEndCapture(r.stream, &graph), "recording a graph");
      const cudaError_t ie = cudaGraphInstantiate(&exec, graph, 0);
      cudaGraphDestroy(graph);
      check(ie, "instantiating a graph");
      r.graphs.emplace(key, exec);
    } else {
      exec = it->second;
    }
  } else {
    for (std::uint64_t lane0 = 0; lane0 < E; lane0 += tile)
      r.segments_for(frame(lane0).E);  // uploads before timing
  }
  check(cudaEventRecord(r.start, r.stream), "recording an event");
  if (exec) {
    check(cudaGraphLaunch(exec, r.stream), "launching a graph");
  } else {
    for (std::uint64_t lane0 = 0; lane0 < E; lane0 += tile) launch_persistent(frame(lane0));
  }
  check(cudaGetLastError(), "launching the kernels");
  check(cudaEventRecord(r.stop, r.stream), "recording an event");
  if (out_bytes)
    check(cudaMemcpyAsync(out, r.out.p, out_bytes, cudaMemcpyDeviceToHost, r.stream),
          "copying outputs");
  check(cudaStreamSynchronize(r.stream), "running the kernels");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  float ms = 0;
  check(cudaEventElapsedTime(&ms, r.start, r.stop), "reading the timer");
  if (stats) {
    stats->seconds = ms * 1e-3;
    stats->transfer_seconds = std::max(0.0, wall - stats->seconds);
    stats->buffer_bytes = rows * tile * sizeof(Elem);
  }
}

}  // namespace

void device_run(Simulator::Resident& r, const RealOps& ops, const double* in, std::uint64_t E,
                std::uint64_t tile, double* out, sim::SimStats* stats) {
  run_tiles(r, ops, in, E, tile, out, stats);
}
void device_run(Simulator::Resident& r, const ModpOps<true>& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats) {
  run_tiles(r, ops, in, E, tile, out, stats);
}
void device_run(Simulator::Resident& r, const ModpOps<false>& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats) {
  run_tiles(r, ops, in, E, tile, out, stats);
}
void device_run(Simulator::Resident& r, const BoolOps& ops, const std::uint64_t* in,
                std::uint64_t E, std::uint64_t tile, std::uint64_t* out, sim::SimStats* stats) {
  run_tiles(r, ops, in, E, tile, out, stats);
}

}  // namespace detail
}  // namespace rnncc::gpu
