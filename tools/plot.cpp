#include "tools/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"

namespace rnncc::tools {
namespace {

constexpr const char* kColors[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};

// Text for SVG element content or attribute values; control characters (not allowed in XML)
// become spaces.
std::string escape_xml(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (ch == '<') r += "&lt;";
    else if (ch == '>') r += "&gt;";
    else if (ch == '&') r += "&amp;";
    else if (ch == '"') r += "&quot;";
    else if (ch == '\'') r += "&apos;";
    else if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t') || ch == 0x7f) r += ' ';
    else r += ch;
  }
  return r;
}

// A gnuplot single-quoted string holding `s` as text: inside single quotes gnuplot expands
// nothing (no backslash escapes, backquotes or macros) and a quote is written twice; a newline
// or other control character would end the command, so it becomes a space.
std::string gnuplot_string(const std::string& s) {
  std::string r = "'";
  for (char ch : s) {
    if (ch == '\'') r += "''";
    else if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) r += ' ';
    else r += ch;
  }
  return r + "'";
}

// The first executable `name` on $PATH, "" if none (no shell involved).
std::string find_in_path(const std::string& name) {
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find(':', pos);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(pos, end - pos);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    pos = end + 1;
  }
  return "";
}

// Runs `gnuplot SCRIPT` in directory `dir` with fork and execvp (argv, no shell), stdin and
// output on /dev/null. Returns its exit status, -ENOENT if gnuplot could not be executed, or
// another negative errno.
int run_gnuplot(const std::string& dir, const std::string& script) {
  int report[2];  // the child sends exec's errno here; closed on a successful exec
  if (::pipe2(report, O_CLOEXEC) != 0) return -errno;
  const char* argv[] = {"gnuplot", script.c_str(), nullptr};
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(report[0]);
    ::close(report[1]);
    return -err;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    int err = 0;
    int null = ::open("/dev/null", O_RDWR);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0 || ::chdir(dir.c_str()) != 0) {
      err = errno;
    } else {
      ::execvp(argv[0], const_cast<char* const*>(argv));
      err = errno;
    }
    ssize_t ignored = ::write(report[1], &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  }
  ::close(report[1]);
  int child_err = 0;
  ssize_t got;
  do got = ::read(report[0], &child_err, sizeof child_err);
  while (got < 0 && errno == EINTR);
  ::close(report[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -errno;
  if (got == static_cast<ssize_t>(sizeof child_err)) return child_err == ENOENT ? -ENOENT : -(child_err ? child_err : EIO);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
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
  const std::string no_gnuplot =
      "--plot " + path + ": PNG needs gnuplot (scripts/setup-deps installs gnuplot-nox); or write .svg";
  if (find_in_path("gnuplot").empty()) throw Error(no_gnuplot);
  namespace fs = std::filesystem;
  // A private directory (mkdtemp: a fresh name, mode 0700) beside the target; gnuplot runs in
  // it, so the script names its files relatively and holds no path of the user's.
  fs::path parent = fs::path(path).parent_path();
  std::string tmpl = (parent.empty() ? std::string(".") : parent.string()) + "/.rnncc-plot.XXXXXX";
  std::unique_ptr<circuits::io::RemoveOnSignal> dir_guard;
  if (!::mkdtemp(tmpl.data())) throw Error("--plot " + path + ": cannot create a temporary directory: " + std::strerror(errno));
  const fs::path dir(tmpl);
  dir_guard = std::make_unique<circuits::io::RemoveOnSignal>(dir.string(), true);
  std::vector<std::unique_ptr<circuits::io::RemoveOnSignal>> file_guards;
  auto track = [&](const std::string& name) {
    file_guards.push_back(std::make_unique<circuits::io::RemoveOnSignal>((dir / name).string()));
  };
  auto cleanup = [&] {
    std::error_code ec;
    fs::remove_all(dir, ec);
  };
  try {
    track("plot.png");
    // Title and key labels are user text (the spec's name, series names): written only as
    // gnuplot single-quoted strings, escaped, with enhanced-text markup off.
    std::string script =
        "set terminal pngcairo size 900,560\nset output 'plot.png'\nset logscale x 2\nset logscale y 10\n"
        "set format x '2^{%L}'\nset xlabel 'sequence length T'\nset ylabel 'circuit depth (log axis)'\n"
        "set title " + gnuplot_string(title) + " noenhanced\nset key top left\nset grid\nplot ";
    bool first = true;
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (series[i].points.empty()) continue;
      std::string data;
      for (const auto& p : series[i].points) data += fmt::format("{} {}\n", p.T, p.depth);
      const std::string file = fmt::format("s{}.dat", i);
      track(file);
      circuits::io::write_file_atomic((dir / file).string(), data);
      script += fmt::format("{}'{}' using 1:2 with linespoints lw 2 title {} noenhanced", first ? "" : ", ", file,
                            gnuplot_string(series[i].name + " (" + series[i].growth + ")"));
      first = false;
    }
    script += "\n";
    track("plot.gp");
    circuits::io::write_file_atomic((dir / "plot.gp").string(), script);
    int rc = run_gnuplot(dir.string(), "plot.gp");
    if (rc == -ENOENT) throw Error(no_gnuplot);
    if (rc != 0 || !fs::exists(dir / "plot.png")) throw Error("--plot " + path + ": gnuplot failed");
    circuits::io::write_file_atomic(path, circuits::io::read_file((dir / "plot.png").string()));
  } catch (...) {
    cleanup();
    throw;
  }
  cleanup();
}

}  // namespace rnncc::tools
