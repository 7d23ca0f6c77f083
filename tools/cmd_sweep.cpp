// rnncc sweep SPEC -T A:B: depth, size and width against T for the naive and scanned circuits.
#include <fmt/format.h>

#include <cstdio>
#include <iterator>

#include "circuits/io/file.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/sweep.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/plot.hpp"
#include "tools/progress.hpp"

namespace rnncc::tools {
namespace {

std::vector<std::string> split_networks(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// A CSV field: quoted when it holds a comma or a quote (a script's text may).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

nlohmann::ordered_json fit_json(const compiler::Fit& f) { return {{"a", f.a}, {"b", f.b}, {"r2", f.r2}}; }

}  // namespace

void add_sweep(CLI::App& app, Action& action) {
  struct Opts {
    std::string spec, range = "8:4096", scan = "none,brent-kung", csv, plot;
    std::vector<std::string> scripts;
    bool json = false, not_free = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Depth, size and max width of a spec's circuit for T = powers of two, after each pass script (-p, "
      "repeatable: one series per script; '' is the naive circuit), or naive and after lift-scan with each "
      "network of --scan; fits depth to a*log2(T) + b and a*T + b and classifies the growth (log: the "
      "depth increment per doubling of T is constant over the last three doublings; linear: it "
      "doubles). A spec that lift-scan refuses gets its naive series and the refusal (exit 0).\n\n"
      "Examples:\n  rnncc sweep examples/specs/diagonal.toml -T 8:4096 --plot diagonal.svg\n"
      "  rnncc sweep examples/specs/elman_tanh.toml --scan none,sklansky,brent-kung --csv elman.csv\n"
      "  rnncc sweep examples/specs/deltanet.toml -T 16:1024 --json\n"
      "  rnncc sweep examples/specs/dplr.toml -p '' -p 'lift-scan -n sklansky' -p 'lift-scan -n sklansky; balance'");
  cmd->add_option("spec", o->spec, "spec file (.toml)")->required();
  cmd->add_option("-T", o->range, "range of T, powers of two A:B")->capture_default_str();
  auto* scan = cmd->add_option("--scan", o->scan,
                               "comma-separated networks, shorthand for -p 'lift-scan -n NET' each; none = the naive "
                               "circuit (used when no -p is given, or when given explicitly)")
                   ->capture_default_str();
  cmd->add_option("-p,--passes", o->scripts, "a pass script (see rnncc passes): one series; repeatable");
  cmd->add_option("--csv", o->csv, "also write series,T,size,depth,max_width rows to this CSV file");
  cmd->add_option("--plot", o->plot, "also draw depth against T: .svg (written directly) or .png (gnuplot)");
  cmd->add_flag("--json", o->json, "print the series, fits and growth as JSON");
  cmd->add_flag("--not-free", o->not_free, "measure with not/buf free (ABC's lev convention)");
  cmd->callback([&action, o, scan] {
    action = [o, scan] {
      compiler::SweepParams p;
      std::tie(p.T_min, p.T_max) = parse_range(o->range, "-T", "A:B with powers of two A <= B (e.g. 8:4096)");
      if (p.T_max > (std::uint64_t{1} << 30))
        throw Error("-T: T is at most 2^30 = 1073741824, got " + std::to_string(p.T_max));
      if (o->scripts.empty() || scan->count() > 0) p.series = compiler::network_series(split_networks(o->scan));
      for (const std::string& text : o->scripts) {
        compiler::Script script = compiler::parse_script(text);
        std::string name = script.empty() ? "naive" : compiler::script_text(script);
        p.series.emplace_back(std::move(name), std::move(script));
      }
      p.not_free = o->not_free;
      if (!o->plot.empty()) {
        std::string ext = circuits::io::extension_of(o->plot);
        if (ext != "svg" && ext != "png") throw Error("--plot: expected a .svg or .png file, got " + o->plot);
      }
      compiler::Spec spec = compiler::load_spec(o->spec);
      ProgressLine progress("sweeping " + spec.name + " (T, series)");
      std::vector<compiler::SweepSeries> series = compiler::sweep(spec, p, std::ref(progress));

      if (!o->csv.empty()) {
        std::string csv = "series,T,size,depth,max_width\n";
        for (const auto& s : series)
          for (const auto& pt : s.points)
            csv += fmt::format("{},{},{},{},{}\n", csv_field(s.name), pt.T, pt.size, pt.depth, pt.max_width);
        circuits::io::write_file_atomic(o->csv, csv);
      }
      if (!o->plot.empty())
        write_sweep_plot(o->plot, fmt::format("{}: depth against T", spec.name), series);

      std::string out;
      if (o->json) {
        nlohmann::ordered_json j;
        j["spec"] = spec_json(spec, p.T_max);
        j["spec"].erase("T");
        j["T"] = {p.T_min, p.T_max};
        nlohmann::ordered_json arr = nlohmann::ordered_json::array();
        for (const auto& s : series) {
          nlohmann::ordered_json js;
          js["name"] = s.name;
          js["script"] = s.script;
          if (!s.refusal.empty()) js["refused"] = s.refusal;
          nlohmann::ordered_json pts = nlohmann::ordered_json::array();
          for (const auto& pt : s.points)
            pts.push_back({{"T", pt.T}, {"size", pt.size}, {"depth", pt.depth}, {"max_width", pt.max_width}});
          js["points"] = pts;
          js["fit_log2"] = fit_json(s.log_fit);
          js["fit_linear"] = fit_json(s.linear_fit);
          js["growth"] = s.growth;
          arr.push_back(js);
        }
        j["series"] = arr;
        out = json_text(j) + "\n";
      } else {
        auto it = std::back_inserter(out);
        fmt::format_to(it, "{}: {} (depth, size and max width per series)\n", spec.name, compiler::kind_name(spec.kind));
        fmt::format_to(it, "{:>8}", "T");
        for (const auto& s : series)
          if (s.refusal.empty()) fmt::format_to(it, " | {:>30}", s.name);
        out += "\n";
        for (std::uint64_t T = p.T_min, row = 0; T <= p.T_max; T *= 2, ++row) {
          fmt::format_to(it, "{:>8}", T);
          for (const auto& s : series)
            if (s.refusal.empty()) {
              const auto& pt = s.points[row];
              fmt::format_to(it, " | {:>8} {:>11} {:>9}", pt.depth, pt.size, pt.max_width);
            }
          out += "\n";
        }
        for (const auto& s : series) {
          const std::string& name = s.name;
          if (!s.refusal.empty()) {
            fmt::format_to(it, "{}: {}\n", name, s.refusal);
            continue;
          }
          fmt::format_to(it, "{}: growth {}; depth = {:.3f} log2(T) + {:.2f} (R^2 {:.4f}); depth = {:.4f} T + {:.2f} (R^2 {:.4f})\n",
                         name, s.growth, s.log_fit.a, s.log_fit.b, s.log_fit.r2, s.linear_fit.a, s.linear_fit.b,
                         s.linear_fit.r2);
        }
        if (!o->csv.empty()) fmt::format_to(it, "wrote {}\n", o->csv);
        if (!o->plot.empty()) fmt::format_to(it, "wrote {}\n", o->plot);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
