#include "compiler/sweep.hpp"

#include <bit>
#include <cmath>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"
#include "compiler/passes/prefix.hpp"
#include "compiler/unroll.hpp"

namespace rnncc::compiler {

Fit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  Fit f;
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return f;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const double den = n * sxx - sx * sx;
  if (den == 0) return f;
  f.a = (n * sxy - sx * sy) / den;
  f.b = (sy - f.a * sx) / n;
  const double mean = sy / n;
  double ss_tot = 0, ss_res = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    ss_tot += (y[i] - mean) * (y[i] - mean);
    double r = y[i] - (f.a * x[i] + f.b);
    ss_res += r * r;
  }
  f.r2 = ss_tot == 0 ? 1.0 : 1.0 - ss_res / ss_tot;
  return f;
}

std::string classify_growth(const std::vector<std::size_t>& d) {
  if (d.size() < 4) return "other";
  const std::size_t k = d.size();
  auto inc = [&](std::size_t i) { return static_cast<long long>(d[i]) - static_cast<long long>(d[i - 1]); };
  long long i1 = inc(k - 3), i2 = inc(k - 2), i3 = inc(k - 1);
  if (i1 > 0 && i1 == i2 && i2 == i3) return "log";
  if (i1 > 0 && i2 == 2 * i1 && i3 == 2 * i2) return "linear";
  return "other";
}

std::vector<std::pair<std::string, Script>> network_series(const std::vector<std::string>& networks) {
  std::vector<std::pair<std::string, Script>> out;
  for (const std::string& name : networks) {
    if (name == "none") {
      out.emplace_back("naive", Script{});
      continue;
    }
    if (!passes::parse_network(name))
      throw Error("sweep: unknown network '" + name +
                  "': expected none, serial, sklansky, kogge-stone, brent-kung, ladner-fischer or han-carlson");
    out.emplace_back(name, parse_script("lift-scan -n " + name));
  }
  return out;
}

std::vector<SweepSeries> sweep(const Spec& spec, const SweepParams& p,
                               const std::function<void(std::size_t, std::size_t)>& progress) {
  if (p.T_min < 1 || !std::has_single_bit(p.T_min) || !std::has_single_bit(p.T_max) || p.T_min > p.T_max)
    throw Error("sweep: -T A:B needs powers of two A <= B");
  std::vector<SweepSeries> series;
  for (const auto& [name, script] : p.series) {
    SweepSeries s;
    s.name = name;
    s.script = script_text(script);
    series.push_back(s);
  }
  std::size_t cells = 0, done = 0;
  for (std::uint64_t T = p.T_min; T <= p.T_max; T *= 2) cells += series.size();
  PipelineOptions po;
  po.not_free = p.not_free;
  for (std::uint64_t T = p.T_min; T <= p.T_max; T *= 2) {
    const circuits::Circuit naive = unroll(spec, T);
    for (std::size_t i = 0; i < series.size(); ++i) {
      SweepSeries& s = series[i];
      if (s.refusal.empty()) {
        PipelineResult r = run_script(naive, p.series[i].second, po);
        for (const PassRecord& rec : r.records)
          if (rec.refused() && s.refusal.empty()) s.refusal = rec.pass + " refused: " + rec.refusal;
        if (s.refusal.empty())
          s.points.push_back({T, r.measures.size, r.measures.depth, r.measures.width_max});
        else
          s.points.clear();
      }
      if (progress) progress(++done, cells);
    }
  }
  for (SweepSeries& s : series) {
    std::vector<double> logT, T, depth;
    std::vector<std::size_t> depths;
    for (const SweepPoint& pt : s.points) {
      logT.push_back(std::log2(static_cast<double>(pt.T)));
      T.push_back(static_cast<double>(pt.T));
      depth.push_back(static_cast<double>(pt.depth));
      depths.push_back(pt.depth);
    }
    s.log_fit = fit_line(logT, depth);
    s.linear_fit = fit_line(T, depth);
    s.growth = s.refusal.empty() ? classify_growth(depths) : "refused";
  }
  return series;
}

}  // namespace rnncc::compiler
