// The GPU benchmark's baselines (see gpu_baselines.hpp). Plain code, as a user would write it
// without a simulator: one thread an item, one launch a level.
#include <cuda_runtime.h>
#include <cub/device/device_scan.cuh>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "bench/gpu_baselines.hpp"

namespace rnncc::bench::gpu_baselines {

namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess)
    throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(e));
}

// The lane count as a template argument when it is 1 or 64 (index arithmetic by shifts, as a
// hand-written kernel for a known batch would have it), else at run time.
template <int kE>
__device__ __forceinline__ std::uint64_t lanes(std::uint64_t E) {
  return kE > 0 ? static_cast<std::uint64_t>(kE) : E;
}

template <int kE>
__global__ void plain_level(const gpu::GateDesc* __restrict__ g, double* v, std::uint64_t n,
                            std::uint64_t E_rt) {
  const std::uint64_t i = static_cast<std::uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const std::uint64_t E = lanes<kE>(E_rt), q = i / E, lane = i % E;
  const gpu::GateDesc d = g[q];
  v[d.dst * E + lane] = circuits::arith::real_gate(
      static_cast<circuits::Op>(d.op), v[(d.a >> 1) * E + lane], v[(d.b >> 1) * E + lane]);
}

template <int kE>
__global__ void plain_store(const std::uint32_t* __restrict__ lit, const double* v, double* out,
                            std::uint64_t n, std::uint64_t E_rt) {
  const std::uint64_t i = static_cast<std::uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const std::uint64_t E = lanes<kE>(E_rt), q = i / E, lane = i % E;
  out[i] = v[(lit[q] >> 1) * E + lane];
}

__global__ void empty_kernel() {}

struct Affine {
  double a, b;
};
struct AffineCombine {  // x earlier, y later: y o x
  __device__ __forceinline__ Affine operator()(const Affine& x, const Affine& y) const {
    return {y.a * x.a, y.a * x.b + y.b};
  }
};

constexpr unsigned kBlock = 256;

unsigned blocks(std::uint64_t n) {
  return static_cast<unsigned>((n + kBlock - 1) / kBlock);
}

}  // namespace

struct PlainGather::State {
  std::vector<std::uint32_t> level_start;
  std::uint64_t E = 1, rows = 0, n_out = 0;
  gpu::GateDesc* gates = nullptr;
  std::uint32_t* lits = nullptr;
  double *values = nullptr, *out = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr;
  ~State() {
    cudaFree(gates);
    cudaFree(lits);
    cudaFree(values);
    cudaFree(out);
    if (start) cudaEventDestroy(start);
    if (stop) cudaEventDestroy(stop);
  }
  template <int kE>
  void launch_all() {
    for (std::size_t l = 0; l + 1 < level_start.size(); ++l) {
      const std::uint64_t n = static_cast<std::uint64_t>(level_start[l + 1] - level_start[l]) * E;
      plain_level<kE><<<blocks(n), kBlock>>>(gates + level_start[l], values, n, E);
    }
    plain_store<kE><<<blocks(std::max<std::uint64_t>(n_out * E, 1)), kBlock>>>(lits, values, out,
                                                                               n_out * E, E);
  }
};

PlainGather::PlainGather(const std::vector<gpu::GateDesc>& gates,
                         const std::vector<std::uint32_t>& level_start, std::uint32_t rows,
                         const std::vector<std::uint32_t>& output_literal, std::uint64_t E)
    : st_(std::make_unique<State>()) {
  State& s = *st_;
  s.level_start = level_start;
  s.E = E;
  s.rows = std::max<std::uint32_t>(rows, 1);
  s.n_out = output_literal.size();
  check(cudaMalloc(&s.gates, std::max<std::size_t>(gates.size(), 1) * sizeof(gpu::GateDesc)),
        "cudaMalloc");
  check(cudaMalloc(&s.lits, std::max<std::size_t>(output_literal.size(), 1) * 4), "cudaMalloc");
  check(cudaMalloc(&s.values, s.rows * E * sizeof(double)), "cudaMalloc");
  check(cudaMalloc(&s.out, std::max<std::uint64_t>(s.n_out * E, 1) * sizeof(double)), "cudaMalloc");
  check(cudaMemcpy(s.gates, gates.data(), gates.size() * sizeof(gpu::GateDesc),
                   cudaMemcpyHostToDevice),
        "copy");
  check(
      cudaMemcpy(s.lits, output_literal.data(), output_literal.size() * 4, cudaMemcpyHostToDevice),
      "copy");
  check(cudaEventCreate(&s.start), "event");
  check(cudaEventCreate(&s.stop), "event");
}

PlainGather::~PlainGather() = default;

double PlainGather::run(const std::vector<double>& inputs, std::uint32_t first_input_row) {
  State& s = *st_;
  check(cudaMemcpy(s.values + static_cast<std::uint64_t>(first_input_row) * s.E, inputs.data(),
                   inputs.size() * sizeof(double), cudaMemcpyHostToDevice),
        "copying inputs");
  check(cudaEventRecord(s.start), "event");
  if (s.E == 1)
    s.launch_all<1>();
  else if (s.E == 64)
    s.launch_all<64>();
  else
    s.launch_all<0>();
  check(cudaGetLastError(), "launching the plain kernels");
  check(cudaEventRecord(s.stop), "event");
  check(cudaEventSynchronize(s.stop), "running the plain kernels");
  float ms = 0;
  check(cudaEventElapsedTime(&ms, s.start, s.stop), "event");
  return ms * 1e-3;
}

std::vector<double> PlainGather::outputs() const {
  std::vector<double> out(st_->n_out * st_->E);
  check(cudaMemcpy(out.data(), st_->out, out.size() * sizeof(double), cudaMemcpyDeviceToHost),
        "copying outputs");
  return out;
}

double empty_launch_seconds(int n) {
  cudaEvent_t a, b;
  check(cudaEventCreate(&a), "event");
  check(cudaEventCreate(&b), "event");
  for (int i = 0; i < 100; ++i) empty_kernel<<<1, 32>>>();  // warm-up
  check(cudaEventRecord(a), "event");
  for (int i = 0; i < n; ++i) empty_kernel<<<1, 32>>>();
  check(cudaEventRecord(b), "event");
  check(cudaEventSynchronize(b), "empty kernels");
  float ms = 0;
  check(cudaEventElapsedTime(&ms, a, b), "event");
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  return ms * 1e-3 / n;
}

double empty_graph_node_seconds(int n) {
  cudaStream_t st;
  check(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking), "stream");
  cudaGraph_t graph;
  check(cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal), "capture");
  for (int i = 0; i < n; ++i) empty_kernel<<<1, 32, 0, st>>>();
  check(cudaStreamEndCapture(st, &graph), "capture");
  cudaGraphExec_t exec;
  check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
  cudaEvent_t a, b;
  check(cudaEventCreate(&a), "event");
  check(cudaEventCreate(&b), "event");
  check(cudaGraphLaunch(exec, st), "graph");  // warm-up
  float best = 1e30f;
  for (int rep = 0; rep < 5; ++rep) {
    check(cudaEventRecord(a, st), "event");
    check(cudaGraphLaunch(exec, st), "graph");
    check(cudaEventRecord(b, st), "event");
    check(cudaEventSynchronize(b), "graph");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, a, b), "event");
    best = std::min(best, ms);
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  cudaStreamDestroy(st);
  return best * 1e-3 / n;
}

ScanResult cub_affine_scan(const std::vector<double>& a, const std::vector<double>& b, int reps) {
  const std::size_t T = a.size();
  std::vector<Affine> host(T);
  for (std::size_t t = 0; t < T; ++t) host[t] = {a[t], b[t]};
  Affine *in = nullptr, *out = nullptr;
  check(cudaMalloc(&in, T * sizeof(Affine)), "cudaMalloc");
  check(cudaMalloc(&out, T * sizeof(Affine)), "cudaMalloc");
  check(cudaMemcpy(in, host.data(), T * sizeof(Affine), cudaMemcpyHostToDevice), "copy");
  std::size_t temp_bytes = 0;
  check(cub::DeviceScan::InclusiveScan(nullptr, temp_bytes, in, out, AffineCombine{},
                                       static_cast<int>(T)),
        "cub");
  void* temp = nullptr;
  check(cudaMalloc(&temp, std::max<std::size_t>(temp_bytes, 16)), "cudaMalloc");
  cudaEvent_t e0, e1;
  check(cudaEventCreate(&e0), "event");
  check(cudaEventCreate(&e1), "event");
  check(cub::DeviceScan::InclusiveScan(temp, temp_bytes, in, out, AffineCombine{},
                                       static_cast<int>(T)),
        "cub");
  ScanResult r;
  r.seconds = 1e30;
  for (int rep = 0; rep < reps; ++rep) {
    check(cudaEventRecord(e0), "event");
    check(cub::DeviceScan::InclusiveScan(temp, temp_bytes, in, out, AffineCombine{},
                                         static_cast<int>(T)),
          "cub");
    check(cudaEventRecord(e1), "event");
    check(cudaEventSynchronize(e1), "cub scan");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, e0, e1), "event");
    r.seconds = std::min(r.seconds, ms * 1e-3);
  }
  check(cudaMemcpy(host.data(), out, T * sizeof(Affine), cudaMemcpyDeviceToHost), "copy");
  r.h.resize(T);
  for (std::size_t t = 0; t < T; ++t)
    r.h[t] = host[t].b;  // h_0 = 0: h_t is the offset of the composed map
  cudaEventDestroy(e0);
  cudaEventDestroy(e1);
  cudaFree(temp);
  cudaFree(in);
  cudaFree(out);
  return r;
}

}  // namespace rnncc::bench::gpu_baselines
