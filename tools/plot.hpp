// Depth-against-T plots of a sweep: SVG written directly, PNG through gnuplot.
#pragma once

#include <string>
#include <vector>

#include "compiler/sweep.hpp"

namespace rnncc::tools {

// An SVG line chart: x = T on a log2 axis, y = depth on a log10 axis, one line per series.
std::string sweep_svg(const std::string& title, const std::vector<compiler::SweepSeries>& series);

// Writes `path` (.svg directly, .png with gnuplot); Error for another extension or no gnuplot.
void write_sweep_plot(const std::string& path, const std::string& title,
                      const std::vector<compiler::SweepSeries>& series);

}  // namespace rnncc::tools
