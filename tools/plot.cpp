#include "tools/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <iterator>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"

namespace rnncc::tools {
namespace {

constexpr const char* kColors[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};

std::string escape_xml(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (ch == '<') r += "&lt;";
    else if (ch == '>') r += "&gt;";
    else if (ch == '&') r += "&amp;";
    else r += ch;
  }
  return r;
}

}  // namespace

std::string sweep_svg(const std::string& title, const std::vector<compiler::SweepSeries>& series) {
  const double W = 760, H = 480, L = 70, R = 190, Tp = 50, B = 60;
  double kmin = 1e9, kmax = -1e9, ymin = 1e18, ymax = 1;
  for (const auto& s : series)
    for (const auto& p : s.points) {
      double k = std::log2(static_cast<double>(p.T));
      kmin = std::min(kmin, k);
      kmax = std::max(kmax, k);
      ymin = std::min(ymin, std::max(1.0, static_cast<double>(p.depth)));
      ymax = std::max(ymax, static_cast<double>(p.depth));
    }
  if (kmin > kmax) kmin = 0, kmax = 1, ymin = 1;
  if (kmin == kmax) kmax = kmin + 1;
  // Depth on a log10 axis, from the decade below the smallest depth to the one above the largest:
  // a linear family and a log family are both readable on one chart.
  const double lo = std::floor(std::log10(ymin)), hi = std::max(lo + 1, std::ceil(std::log10(ymax)));
  auto X = [&](double k) { return L + (k - kmin) / (kmax - kmin) * (W - L - R); };
  auto Y = [&](double y) { return H - B - (std::log10(std::max(y, 1.0)) - lo) / (hi - lo) * (H - Tp - B); };
  std::vector<double> yticks;
  for (double e = lo; e <= hi; ++e)
    for (double m : {1.0, 2.0, 5.0})
      if (e + std::log10(m) <= hi + 1e-9) yticks.push_back(m * std::pow(10.0, e));
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out,
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"Helvetica,Arial\" "
                 "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
                 W, H);
  fmt::format_to(out, "<text x=\"{}\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">{}</text>\n", (L + W - R) / 2,
                 escape_xml(title));
  // Axes, grid, ticks.
  fmt::format_to(out, "<g stroke=\"#999\" stroke-width=\"1\">\n");
  for (double y : yticks)
    fmt::format_to(out, "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eee\"/>\n", L, Y(y), W - R, Y(y));
  fmt::format_to(out, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n</g>\n",
                 L, H - B, W - R, H - B, L, Tp, L, H - B);
  for (double y : yticks)
    fmt::format_to(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", L - 6, Y(y) + 4, y);
  for (int k = static_cast<int>(kmin); k <= static_cast<int>(kmax); ++k)
    fmt::format_to(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">2<tspan dy=\"-5\" font-size=\"9\">{}</tspan></text>\n",
                   X(k), H - B + 18, k);
  fmt::format_to(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">sequence length T (log2 axis)</text>\n",
                 (L + W - R) / 2, H - 18);
  fmt::format_to(out, "<text transform=\"translate(18,{:.1f}) rotate(-90)\" text-anchor=\"middle\">circuit depth (log axis)</text>\n",
                 (Tp + H - B) / 2);
  // Series and legend.
  std::size_t i = 0;
  for (const auto& ser : series) {
    const char* color = kColors[i % std::size(kColors)];
    double ly = Tp + 10 + 22.0 * static_cast<double>(i);
    std::string label = ser.name;
    if (!ser.refusal.empty()) {
      label += " (refused)";
    } else {
      std::string pts;
      for (const auto& p : ser.points)
        pts += fmt::format("{:.1f},{:.1f} ", X(std::log2(static_cast<double>(p.T))), Y(static_cast<double>(p.depth)));
      fmt::format_to(out, "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", color, pts);
      for (const auto& p : ser.points)
        fmt::format_to(out, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n",
                       X(std::log2(static_cast<double>(p.T))), Y(static_cast<double>(p.depth)), color);
      label += " (" + ser.growth + ")";
    }
    fmt::format_to(out, "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\"/>\n", W - R + 15,
                   ly, W - R + 40, ly, color);
    fmt::format_to(out, "<text x=\"{}\" y=\"{:.1f}\">{}</text>\n", W - R + 46, ly + 4, escape_xml(label));
    ++i;
  }
  s += "</svg>\n";
  return s;
}

void write_sweep_plot(const std::string& path, const std::string& title,
                      const std::vector<compiler::SweepSeries>& series) {
  std::string ext = circuits::io::extension_of(path);
  if (ext == "svg") {
    circuits::io::write_file_atomic(path, sweep_svg(title, series));
    return;
  }
  if (ext != "png") throw Error("--plot: expected a .svg or .png file, got " + path);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    throw Error("--plot " + path + ": PNG needs gnuplot (scripts/setup-deps installs gnuplot-nox); or write .svg");
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / fmt::format("rnncc-plot-{}", ::getpid());
  fs::create_directories(dir);
  std::string script = fmt::format(
      "set terminal pngcairo size 900,560\nset output '{}'\nset logscale x 2\nset logscale y 10\nset format x '2^{{%L}}'\n"
      "set xlabel 'sequence length T'\nset ylabel 'circuit depth (log axis)'\nset title '{}'\nset key top left\nset grid\nplot ",
      (dir / "plot.png").string(), title);
  bool first = true;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series[i].points.empty()) continue;
    std::string data;
    for (const auto& p : series[i].points) data += fmt::format("{} {}\n", p.T, p.depth);
    std::string file = (dir / fmt::format("s{}.dat", i)).string();
    circuits::io::write_file_atomic(file, data);
    script += fmt::format("{}'{}' using 1:2 with linespoints lw 2 title '{} ({})'", first ? "" : ", ", file,
                          series[i].name, series[i].growth);
    first = false;
  }
  script += "\n";
  circuits::io::write_file_atomic((dir / "plot.gp").string(), script);
  int rc = std::system(fmt::format("gnuplot '{}' 2>/dev/null", (dir / "plot.gp").string()).c_str());
  std::error_code ec;
  if (rc != 0 || !fs::exists(dir / "plot.png")) {
    fs::remove_all(dir, ec);
    throw Error("--plot " + path + ": gnuplot failed");
  }
  circuits::io::write_file_atomic(path, circuits::io::read_file((dir / "plot.png").string()));
  fs::remove_all(dir, ec);
}

}  // namespace rnncc::tools
