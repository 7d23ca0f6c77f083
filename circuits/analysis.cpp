// Measures: one backward pass for liveness and fan-out, one forward pass for levels and mul
// levels, a counting pass for the width profile, and a walk back along a maximising operand for
// the critical path. Operand reads are random accesses on large circuits: both passes prefetch
// the operands of the gate kAhead positions away (ids are read sequentially, so that is cheap).
#include "circuits/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "circuits/error.hpp"

namespace rnncc::circuits {

std::vector<std::uint8_t> live_gates(const Circuit& c) {
  const std::size_t n = c.num_gates();
  std::vector<std::uint8_t> live(n, 0);
  for (const Output& o : c.outputs()) live[o.gate] = 1;
  const std::uint8_t* ops = c.ops().data();
  const GateId* as = c.as().data();
  const GateId* bs = c.bs().data();
  for (std::size_t g = n; g-- > 0;) {
    if (!live[g]) continue;
    int k = arity(static_cast<Op>(ops[g]));
    if (k >= 1) live[as[g]] = 1;
    if (k == 2) live[bs[g]] = 1;
  }
  return live;
}

std::vector<std::uint32_t> gate_levels(const Circuit& c, bool not_free) {
  const std::size_t n = c.num_gates();
  std::vector<std::uint32_t> level(n, 0);
  const std::uint8_t* ops = c.ops().data();
  const GateId* as = c.as().data();
  const GateId* bs = c.bs().data();
  for (std::size_t g = 0; g < n; ++g) {
    Op op = static_cast<Op>(ops[g]);
    int k = arity(op);
    if (k == 0) continue;
    std::uint32_t l = level[as[g]];
    if (k == 2) l = std::max(l, level[bs[g]]);
    level[g] = l + ((not_free && is_free_when_not_free(op)) ? 0u : 1u);
  }
  return level;
}

Measures measure(const Circuit& c, const MeasureParams& params) {
  Measures m;
  const std::size_t n = c.num_gates();
  m.inputs = c.inputs().size();
  m.outputs = c.outputs().size();
  const std::uint8_t* ops = c.ops().data();
  const GateId* as = c.as().data();
  const GateId* bs = c.bs().data();
  constexpr std::size_t kAhead = 16;  // prefetch distance: operand reads are random accesses

  // Backward pass: fan-out from live readers; live = read by a live gate or an output.
  constexpr std::uint32_t kIsOutput = 0x80000000u;
  BigVector<std::uint32_t> fan(n, 0);
  for (const Output& o : c.outputs()) fan[o.gate] |= kIsOutput;
  for (std::size_t g = n; g-- > 0;) {
    if (g >= kAhead) {
      __builtin_prefetch(&fan[as[g - kAhead]]);
      __builtin_prefetch(&fan[bs[g - kAhead] == kNoGate ? 0 : bs[g - kAhead]]);
    }
    if (!fan[g]) continue;
    int k = arity(static_cast<Op>(ops[g]));
    if (k >= 1) ++fan[as[g]];
    if (k == 2) ++fan[bs[g]];
  }

  // Forward pass: level and mul level side by side (one cache line per operand read).
  struct Lv {
    std::uint32_t level, mul;
  };
  BigVector<Lv> lv(n, Lv{0, 0});
  const bool not_free = params.not_free;
  for (std::size_t g = 0; g < n; ++g) {
    if (g + kAhead < n) {
      __builtin_prefetch(&lv[as[g + kAhead] < n ? as[g + kAhead] : 0]);
      __builtin_prefetch(&lv[bs[g + kAhead] < n ? bs[g + kAhead] : 0]);
    }
    Op op = static_cast<Op>(ops[g]);
    int k = arity(op);
    if (k == 0) continue;
    Lv x = lv[as[g]];
    if (k == 2) {
      Lv y = lv[bs[g]];
      x.level = std::max(x.level, y.level);
      x.mul = std::max(x.mul, y.mul);
    }
    x.level += (not_free && is_free_when_not_free(op)) ? 0u : 1u;
    x.mul += counts_for_mul_depth(op) ? 1u : 0u;
    lv[g] = x;
  }

  GateId deepest = kNoGate;
  for (const Output& o : c.outputs()) {
    if (deepest == kNoGate || lv[o.gate].level > lv[deepest].level) deepest = o.gate;
    m.mul_depth = std::max(m.mul_depth, lv[o.gate].mul);
  }
  m.depth = deepest == kNoGate ? 0 : lv[deepest].level;

  m.levels.assign(static_cast<std::size_t>(m.depth) + 1, 0);
  std::size_t fanout_sum = 0, fanout_count = 0;
  for (std::size_t g = 0; g < n; ++g) {
    if (!fan[g]) continue;
    Op op = static_cast<Op>(ops[g]);
    ++m.by_kind[static_cast<std::size_t>(op)];
    ++m.levels[lv[g].level];
    if (!is_source(op)) ++m.size;
    std::uint32_t f = fan[g] & ~kIsOutput;
    if (f > 0) {
      fanout_sum += f;
      ++fanout_count;
      if (f > m.fanout_max) {
        m.fanout_max = f;
        m.fanout_max_gate = static_cast<GateId>(g);
      }
    }
  }
  m.fanout_mean = fanout_count ? static_cast<double>(fanout_sum) / static_cast<double>(fanout_count) : 0;

  if (m.depth > 0) {
    std::vector<std::size_t> widths(m.levels.begin() + 1, m.levels.end());
    auto [lo, hi] = std::minmax_element(widths.begin(), widths.end());
    m.width_min = *lo;
    m.width_max = *hi;
    auto mid = widths.begin() + static_cast<std::ptrdiff_t>((widths.size() - 1) / 2);
    std::nth_element(widths.begin(), mid, widths.end());
    m.width_median = *mid;  // lower median
    m.average_parallelism = static_cast<double>(m.size) / m.depth;
  }

  if (params.critical_path && deepest != kNoGate) {
    // Walk back through an operand whose level accounts for this gate's level.
    GateId g = deepest;
    m.critical_path.push_back(g);
    for (;;) {
      Op op = static_cast<Op>(ops[g]);
      int k = arity(op);
      if (k == 0) break;
      GateId next = as[g];
      if (k == 2 && lv[bs[g]].level > lv[as[g]].level) next = bs[g];
      g = next;
      m.critical_path.push_back(g);
    }
    std::reverse(m.critical_path.begin(), m.critical_path.end());
  }
  return m;
}

void require_boolean(const Circuit& c, const std::vector<std::uint8_t>& live, const char* format) {
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) continue;
    Op op = c.op(g);
    if (!is_boolean(op))
      throw Error(fmt::format("cannot write {}: gate {} is '{}'; {} holds only and, or, xor, not, buf, inputs "
                              "and the constants 0 and 1", format, gate_label(c, g), mnemonic(op), format));
    if (op == Op::Const && c.constant(g) != 0 && c.constant(g) != 1)
      throw Error(fmt::format("cannot write {}: constant {} is not boolean (0 or 1)", format, c.constant(g).get_str()));
  }
}

std::string gate_description(const Circuit& c, GateId g) {
  return fmt::format("gate {} ({}, from {})", g, mnemonic(c.op(g)),
                     c.origin(g).construct.empty() ? std::string("no construct") : c.origin(g).construct);
}

std::string gate_label(const Circuit& c, GateId g) {
  if (c.op(g) == Op::Input) return c.name_of_input(g);
  for (const Output& o : c.outputs())
    if (o.gate == g) return o.name;
  return "g" + std::to_string(g);
}

}  // namespace rnncc::circuits
