#include "tools/report_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace rnncc::tools {
using namespace rnncc::circuits;

namespace {

constexpr std::size_t kPathEnds = 6;        // text: gates shown at each end of the critical path
constexpr std::size_t kJsonPathEnds = 100;  // JSON: gates kept at each end of the critical path

std::string describe(const Circuit& c, GateId g) {
  std::string s = gate_label(c, g);
  Op op = c.op(g);
  if (op == Op::Const) s = c.constant(g).get_str();
  if (op != Op::Input) s += fmt::format(" ({})", mnemonic(op));
  const Origin& o = c.origin(g);
  if (!o.construct.empty()) s += fmt::format(" [{} step {}]", o.construct, o.step);
  return s;
}

}  // namespace

std::string summary_line(const Circuit& c, const Measures& m) {
  return fmt::format("{}: in/out = {}/{} size = {} depth = {} muldepth = {} width = {}",
                     c.name.empty() ? "circuit" : c.name, m.inputs, m.outputs, m.size, m.depth,
                     m.mul_depth, m.width_max);
}

std::string report_text(const Circuit& c, const Measures& m) {
  std::string s = summary_line(c, m) + "\n";
  auto out = std::back_inserter(s);
  s += "  kind          count\n";
  for (std::size_t k = 0; k < kNumOps; ++k)
    if (m.by_kind[k] != 0) fmt::format_to(out, "  {:<10} {:>8}\n", kMnemonics[k], m.by_kind[k]);
  if (m.depth == 0) {
    s += "  depth 0: every output is an input or a constant\n";
    return s;
  }
  fmt::format_to(out, "  widths over levels 1..{}: min {}, median {}, max {}; average parallelism {:.2f}\n",
                 m.depth, m.width_min, m.width_median, m.width_max, m.average_parallelism);
  // Width profile: one row per level, or per band of levels when there are more than 32.
  const std::size_t depth = m.depth;
  const std::size_t band = (depth + 31) / 32;
  s += band == 1 ? "  width profile (gates per level):\n" : "  width profile (max gates per level in each band):\n";
  for (std::size_t lo = 1; lo <= depth; lo += band) {
    std::size_t hi = std::min(depth, lo + band - 1);
    std::size_t w = *std::max_element(m.levels.begin() + static_cast<std::ptrdiff_t>(lo),
                                      m.levels.begin() + static_cast<std::ptrdiff_t>(hi) + 1);
    std::size_t bar = m.width_max ? (w * 40 + m.width_max - 1) / m.width_max : 0;
    std::string range = lo == hi ? fmt::format("{}", lo) : fmt::format("{}..{}", lo, hi);
    fmt::format_to(out, "    {:>17} {:>9} {}\n", range, w, std::string(bar, '#'));
  }
  if (!m.critical_path.empty()) {
    const auto& p = m.critical_path;
    fmt::format_to(out, "  critical path ({} gates, depth {}):\n", p.size(), m.depth);
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p.size() > 2 * kPathEnds && i == kPathEnds) {
        fmt::format_to(out, "    ... {} more ...\n", p.size() - 2 * kPathEnds);
        i = p.size() - kPathEnds;
      }
      fmt::format_to(out, "    {}\n", describe(c, p[i]));
    }
  }
  if (m.fanout_max_gate != kNoGate)
    fmt::format_to(out, "  fan-out: max {} at {}, mean {:.2f}\n", m.fanout_max, describe(c, m.fanout_max_gate),
                   m.fanout_mean);
  return s;
}

nlohmann::ordered_json report_json(const Circuit& c, const Measures& m, bool not_free) {
  nlohmann::ordered_json j;
  j["name"] = c.name;
  j["inputs"] = m.inputs;
  j["outputs"] = m.outputs;
  j["size"] = m.size;
  j["depth"] = m.depth;
  j["mul_depth"] = m.mul_depth;
  j["max_width"] = m.width_max;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < kNumOps; ++k)
    if (m.by_kind[k] != 0) kinds[std::string(kMnemonics[k])] = m.by_kind[k];
  j["by_kind"] = kinds;
  j["levels"] = m.levels;
  j["not_free"] = not_free;
  j["widths"] = {{"min", m.width_min}, {"median", m.width_median}, {"max", m.width_max}};
  j["average_parallelism"] = m.average_parallelism;
  nlohmann::ordered_json path = nlohmann::ordered_json::array();
  const auto& p = m.critical_path;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p.size() > 2 * kJsonPathEnds && i == kJsonPathEnds) i = p.size() - kJsonPathEnds;
    nlohmann::ordered_json e = {{"gate", p[i]}, {"kind", mnemonic(c.op(p[i]))}, {"label", gate_label(c, p[i])}};
    const Origin& o = c.origin(p[i]);
    if (!o.construct.empty()) e["origin"] = {{"construct", o.construct}, {"step", o.step}};
    path.push_back(std::move(e));
  }
  j["critical_path"] = {{"length", p.size()},
                        {"elided", p.size() > 2 * kJsonPathEnds ? p.size() - 2 * kJsonPathEnds : 0},
                        {"gates", path}};
  j["fanout"] = {{"max", m.fanout_max},
                 {"max_gate", m.fanout_max_gate == kNoGate ? nlohmann::ordered_json(nullptr)
                                                           : nlohmann::ordered_json(m.fanout_max_gate)},
                 {"mean", m.fanout_mean}};
  return j;
}

}  // namespace rnncc::tools
