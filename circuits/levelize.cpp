// Levelization in four forward passes (no recursion): nodes and levels, a counting sort by level,
// last uses, and row assignment with a free-row stack.
#include "circuits/levelize.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits {

std::size_t Schedule::max_level_width() const {
  std::size_t w = 0;
  for (std::size_t l = 0; l + 1 < level_start.size(); ++l) w = std::max<std::size_t>(w, level_start[l + 1] - level_start[l]);
  return w;
}

namespace {

// A value the simulator computes or loads: a source (input, constant) or a gate.
struct Nodes {
  std::vector<Op> op;
  std::vector<std::uint32_t> a, b;  // node literals (gates), input index or constant index (sources)
  std::vector<std::uint32_t> level;
  std::uint32_t add(Op o, std::uint32_t x, std::uint32_t y, std::uint32_t lvl) {
    op.push_back(o);
    a.push_back(x);
    b.push_back(y);
    level.push_back(lvl);
    return static_cast<std::uint32_t>(op.size() - 1);
  }
  std::size_t size() const { return op.size(); }
};

constexpr std::uint32_t kNever = 0xFFFFFFFFu;

// A counting sort: the values v < n whose key(v) is not kNever, grouped by key in [0, buckets),
// in increasing v within a bucket. Bucket k is items[start[k] .. start[k + 1]).
struct Buckets {
  std::vector<std::uint32_t> start, items;
};
template <class Key>
Buckets bucket_by(std::uint32_t n, std::size_t buckets, Key key) {
  Buckets b;
  b.start.assign(buckets + 1, 0);
  for (std::uint32_t v = 0; v < n; ++v)
    if (key(v) != kNever) ++b.start[key(v) + 1];
  for (std::size_t k = 1; k <= buckets; ++k) b.start[k] += b.start[k - 1];
  b.items.resize(b.start[buckets]);
  std::vector<std::uint32_t> next(b.start.begin(), b.start.end() - 1);
  for (std::uint32_t v = 0; v < n; ++v)
    if (key(v) != kNever) b.items[next[key(v)]++] = v;
  return b;
}

}  // namespace

Schedule levelize(const Circuit& c, DomainKind domain, const LevelizeOptions& options) {
  const std::size_t n = c.num_gates();
  if (n >= kNoRow / 2) throw Error("levelize: circuit too large (" + std::to_string(n) + " gates)");
  const std::vector<std::uint8_t> live = live_gates(c);
  const bool boolean = domain == DomainKind::Bool;

  for (GateId g = 0; g < n; ++g) {
    if (!live[g]) continue;
    const Op op = c.op(g);
    if (!domain_defines(domain, op)) throw_undefined(op, domain);
    if (boolean && op == Op::Const && c.constant(g) != 0 && c.constant(g) != 1)
      throw Error(fmt::format("constant {} (gate g{}) is not defined in the bool domain (only 0 and 1)",
                              c.constant(g).get_str(), g));
  }

  Schedule s;
  s.domain = domain;

  // Pass 1: nodes and their levels; lit[g] is gate g's value as a node literal.
  Nodes nodes;
  std::vector<std::uint32_t> lit(n, kNever);
  std::uint32_t zero_node = kNever;
  std::uint32_t max_level = 0;
  for (GateId g = 0; g < n; ++g) {
    if (!live[g]) continue;
    const Op op = c.op(g);
    std::uint32_t la = arity(op) >= 1 ? lit[c.a(g)] : 0, lb = arity(op) == 2 ? lit[c.b(g)] : 0;
    auto level_of = [&](std::uint32_t l) { return nodes.level[l >> 1]; };
    switch (op) {
      case Op::Input: lit[g] = nodes.add(op, c.a(g), 0, 0) << 1; break;
      case Op::Const:
        if (boolean) {
          if (zero_node == kNever) {
            zero_node = nodes.add(op, static_cast<std::uint32_t>(s.const_value.size()), 0, 0);
            s.const_value.emplace_back(0);
          }
          lit[g] = zero_node << 1 | (c.constant(g) == 1 ? 1u : 0u);
        } else {
          lit[g] = nodes.add(op, static_cast<std::uint32_t>(s.const_value.size()), 0, 0) << 1;
          s.const_value.push_back(c.constant(g));
        }
        break;
      case Op::Buf: lit[g] = la; break;
      case Op::Not: lit[g] = la ^ 1u; break;
      default: {
        std::uint32_t lvl = level_of(la) + 1;
        if (arity(op) == 2) lvl = std::max(lvl, level_of(lb) + 1);
        max_level = std::max(max_level, lvl);
        if (op == Op::Or)  // a | b = !(!a & !b)
          lit[g] = nodes.add(Op::And, la ^ 1u, lb ^ 1u, lvl) << 1 | 1u;
        else
          lit[g] = nodes.add(op, la, lb, lvl) << 1;
      }
    }
  }
  std::vector<std::uint32_t> out_lit;
  out_lit.reserve(c.outputs().size());
  for (const Output& o : c.outputs()) out_lit.push_back(lit[o.gate]);
  if (!options.gate_map) std::vector<std::uint32_t>().swap(lit);  // else kept for the gate map (below)

  // Pass 2: gate nodes sorted by level (stable in node, that is gate id, order).
  const auto num_nodes = static_cast<std::uint32_t>(nodes.size());
  const Buckets by_level = bucket_by(num_nodes, static_cast<std::size_t>(max_level) + 1,
                                     [&](std::uint32_t v) { return nodes.level[v] > 0 ? nodes.level[v] : kNever; });
  const std::vector<std::uint32_t>& start = by_level.start;  // level l: positions [start[l], start[l + 1])
  const std::vector<std::uint32_t>& order = by_level.items;  // position -> node
  s.level_start.assign(start.begin() + 1, start.end());

  // Pass 3: the last level reading each node (kNever: an output, kept to the end).
  std::vector<std::uint32_t> last_use(num_nodes, 0);
  for (std::uint32_t v = 0; v < num_nodes; ++v) {
    if (nodes.level[v] == 0) continue;
    const std::uint32_t lvl = nodes.level[v];
    last_use[nodes.a[v] >> 1] = std::max(last_use[nodes.a[v] >> 1], lvl);
    if (arity(nodes.op[v]) == 2) last_use[nodes.b[v] >> 1] = std::max(last_use[nodes.b[v] >> 1], lvl);
  }
  for (std::uint32_t l : out_lit) last_use[l >> 1] = kNever;

  // Pass 4: rows. Inputs first, in input order (so a batch's input matrix is one block of rows
  // when every input is live), then constants in node order; then level by level, taking freed
  // rows first.
  std::vector<std::uint32_t> row(num_nodes, kNoRow);
  s.input_row.assign(c.inputs().size(), kNoRow);
  std::uint32_t rows = 0;
  std::vector<std::uint32_t> input_node(c.inputs().size(), kNever);
  for (std::uint32_t v = 0; v < num_nodes; ++v)
    if (nodes.level[v] == 0 && nodes.op[v] == Op::Input) input_node[nodes.a[v]] = v;
  for (std::size_t i = 0; i < input_node.size(); ++i)
    if (input_node[i] != kNever) s.input_row[i] = row[input_node[i]] = rows++;
  for (std::uint32_t v = 0; v < num_nodes; ++v) {
    if (nodes.level[v] != 0 || nodes.op[v] == Op::Input) continue;
    row[v] = rows++;
    s.const_row.push_back(row[v]);
  }
  // Rows to free after each level: nodes bucketed by their last use.
  const Buckets to_free = options.reuse_rows ? bucket_by(num_nodes, static_cast<std::size_t>(max_level) + 1,
                                                         [&](std::uint32_t v) { return last_use[v]; })
                                             : Buckets{};
  std::vector<std::uint32_t> free_rows;
  const std::size_t gates = order.size();
  s.op.resize(gates);
  s.a.resize(gates);
  s.b.resize(gates);
  s.dst.resize(gates);
  auto row_lit = [&](std::uint32_t l) { return row[l >> 1] << 1 | (l & 1u); };
  for (std::uint32_t lvl = 1; lvl <= max_level; ++lvl) {
    if (options.reuse_rows)  // values last read before this level (sources: last read at level 0 never)
      for (std::uint32_t k = to_free.start[lvl - 1]; k < to_free.start[lvl]; ++k) free_rows.push_back(row[to_free.items[k]]);
    // This level's rows: the most recently freed ones, then new ones, handed out in ascending
    // order so that a level writes its rows front to back.
    const std::uint32_t width = start[lvl + 1] - start[lvl];
    const std::size_t reused = std::min<std::size_t>(width, free_rows.size());
    std::sort(free_rows.end() - static_cast<std::ptrdiff_t>(reused), free_rows.end());
    const std::size_t first_reused = free_rows.size() - reused;
    for (std::uint32_t i = start[lvl], j = 0; i < start[lvl + 1]; ++i, ++j) {
      const std::uint32_t v = order[i];
      s.op[i] = nodes.op[v];
      s.a[i] = row_lit(nodes.a[v]);
      s.b[i] = arity(nodes.op[v]) == 2 ? row_lit(nodes.b[v]) : 0;
      row[v] = j < reused ? free_rows[first_reused + j] : rows++;
      s.dst[i] = row[v];
    }
    free_rows.resize(first_reused);
  }
  s.num_rows = rows;
  if (options.gate_map) {
    // Node -> value: inputs by input index, constants after them in node order (the order of
    // const_value and const_row), gates by position after those.
    const auto n_in = static_cast<std::uint32_t>(c.inputs().size());
    const auto n_const = static_cast<std::uint32_t>(s.const_value.size());
    std::vector<std::uint32_t> value(num_nodes, kNever);
    for (std::uint32_t v = 0; v < num_nodes; ++v)
      if (nodes.level[v] == 0) value[v] = nodes.op[v] == Op::Input ? nodes.a[v] : n_in + nodes.a[v];
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(gates); ++i) value[order[i]] = n_in + n_const + i;
    s.gate_map = true;
    s.gate_value.assign(n, kNoRow);
    for (GateId g = 0; g < n; ++g)
      if (lit[g] != kNever) s.gate_value[g] = value[lit[g] >> 1] << 1 | (lit[g] & 1u);
  }
  s.output_literal.reserve(out_lit.size());
  for (std::uint32_t l : out_lit) s.output_literal.push_back(row_lit(l));
  return s;
}

}  // namespace rnncc::circuits
