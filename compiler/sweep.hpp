// Depth against sequence length: a spec unrolled for T = 2^a .. 2^b, measured naive and after
// lift-scan with each prefix network; least-squares fits of depth to a*log2(T) + b and a*T + b;
// and the growth read off exact increments per doubling (a log family adds a constant per
// doubling, a linear family doubles its increment).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::compiler {

struct SweepPoint {
  std::uint64_t T = 0;
  std::size_t size = 0, depth = 0, max_width = 0;
};

struct Fit {
  double a = 0, b = 0, r2 = 0;  // y = a*x + b, coefficient of determination
};

struct SweepSeries {
  std::string network;  // "none" for the naive circuit
  std::vector<SweepPoint> points;
  std::string refusal;  // lift-scan refused (points then empty)
  Fit log_fit, linear_fit;
  std::string growth;   // "log", "linear", "other"
};

struct SweepParams {
  std::uint64_t T_min = 8, T_max = 4096;         // powers of two
  std::vector<std::string> networks = {"none", "brent-kung"};
  bool not_free = false;
};

// `progress(done, total)` counts (T, network) cells.
std::vector<SweepSeries> sweep(const Spec& spec, const SweepParams& params,
                               const std::function<void(std::size_t, std::size_t)>& progress = {});

Fit fit_line(const std::vector<double>& x, const std::vector<double>& y);

// "log" when the increments of depth per doubling of T are equal (and positive) over the last
// three doublings, "linear" when each is twice the previous one, "other" otherwise (or with
// fewer than four points).
std::string classify_growth(const std::vector<std::size_t>& depths_per_doubling);

}  // namespace rnncc::compiler
