// Depth against sequence length: a spec unrolled for T = 2^a .. 2^b, measured after each of
// several pass scripts (the empty script: the naive circuit; "lift-scan -n NET": a prefix
// network); least-squares fits of depth to a*log2(T) + b and a*T + b;
// and the growth read off exact increments per doubling (a log family adds a constant per
// doubling, a linear family doubles its increment).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/pipeline.hpp"
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
  std::string name;     // "naive", a network name, or the script's text
  std::string script;   // canonical text of its script ("" for the naive circuit)
  std::vector<SweepPoint> points;
  std::string refusal;  // a pass refused at some T (points then empty): "lift-scan refused: ..."
  Fit log_fit, linear_fit;
  std::string growth;   // "log", "linear", "other"
};

struct SweepParams {
  std::uint64_t T_min = 8, T_max = 4096;  // powers of two
  // One series per script, with its name.
  std::vector<std::pair<std::string, Script>> series;
  bool not_free = false;
};

// The series of --scan's shorthand: "none" is the naive circuit, any other name lift-scan with
// that network. Error naming an unknown network.
std::vector<std::pair<std::string, Script>> network_series(const std::vector<std::string>& networks);

// `progress(done, total)` counts (T, series) cells.
std::vector<SweepSeries> sweep(const Spec& spec, const SweepParams& params,
                               const std::function<void(std::size_t, std::size_t)>& progress = {});

Fit fit_line(const std::vector<double>& x, const std::vector<double>& y);

// "log" when the increments of depth per doubling of T are equal (and positive) over the last
// three doublings, "linear" when each is twice the previous one, "other" otherwise (or with
// fewer than four points).
std::string classify_growth(const std::vector<std::size_t>& depths_per_doubling);

}  // namespace rnncc::compiler
