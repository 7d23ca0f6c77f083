// SDGC instances, encodings, generators and the BFS oracle.
#include "proofs/sdgc.hpp"

#include <fmt/format.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/pending/queue.hpp>

#include <algorithm>

#include "circuits/error.hpp"

namespace rnncc::proofs {

bool SdgcInstance::sorted() const {
  for (std::size_t e = 1; e < edges.size(); ++e)
    if (edges[e].first <= edges[e - 1].first) return false;
  return true;
}

bool SdgcInstance::forward() const {
  return std::all_of(edges.begin(), edges.end(), [](const auto& e) { return e.first < e.second; });
}

bool SdgcInstance::target_is_sink() const {
  return std::none_of(edges.begin(), edges.end(), [&](const auto& e) { return e.first == target; });
}

bool SdgcInstance::source_has_out_edge() const {
  return std::any_of(edges.begin(), edges.end(), [&](const auto& e) { return e.first == source; });
}

bool SdgcInstance::target_has_in_edge() const {
  return std::any_of(edges.begin(), edges.end(), [&](const auto& e) { return e.second == target; });
}

void check_instance(const SdgcInstance& g) {
  auto in_range = [&](std::size_t v) { return v >= 1 && v <= g.nodes; };
  if (!in_range(g.source) || !in_range(g.target))
    throw Error(fmt::format("sdgc instance: source {} and target {} must be nodes 1..{}", g.source, g.target, g.nodes));
  for (const auto& [i, j] : g.edges)
    if (!in_range(i) || !in_range(j)) throw Error(fmt::format("sdgc instance: edge ({}, {}) outside 1..{}", i, j, g.nodes));
}

bool reachable(const SdgcInstance& g) {
  check_instance(g);
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Graph graph(g.nodes + 1);
  for (const auto& [i, j] : g.edges) boost::add_edge(i, j, graph);
  std::vector<boost::default_color_type> color(g.nodes + 1, boost::white_color);
  auto colors = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, graph));
  boost::queue<std::size_t> queue;
  boost::breadth_first_search(graph, g.source, queue, boost::default_bfs_visitor(), colors);
  return color[g.target] != boost::white_color;
}

SdgcInstance layered(const DetGraph& g, std::size_t s, std::size_t t) {
  const std::size_t n = g.nodes;
  if (s < 1 || s > n || t < 1 || t > n) throw Error(fmt::format("layered: s = {}, t = {} outside 1..{}", s, t, n));
  std::vector<std::pair<std::size_t, std::size_t>> base;
  for (std::size_t v = 1; v <= n; ++v)
    if (g.next[v] != 0 && v != t) base.emplace_back(v, g.next[v]);
  const std::size_t m = base.size();
  SdgcInstance out;
  out.nodes = (m + 1) * n + 1;
  out.source = s;
  out.target = out.nodes;  // v_F
  for (std::size_t h = 0; h <= m; ++h)
    for (std::size_t v = 1; v <= n; ++v) {  // by source: layer h, node v
      if (v == t) out.edges.emplace_back(t + h * n, out.target);
      else if (h < m && g.next[v] != 0) out.edges.emplace_back(v + h * n, g.next[v] + (h + 1) * n);
    }
  return out;
}

std::vector<DetGraph> all_det_graphs(std::size_t n) {
  if (n < 1 || n > 7) throw Error(fmt::format("all_det_graphs: n must be in 1..7, got {}", n));
  std::vector<DetGraph> out;
  DetGraph g{n, std::vector<std::size_t>(n + 1, 0)};
  for (;;) {  // count in base n + 1, the last node fastest
    out.push_back(g);
    std::size_t v = n;
    for (; v >= 1; --v) {
      if (g.next[v] < n) {
        ++g.next[v];
        break;
      }
      g.next[v] = 0;
    }
    if (v == 0) return out;
  }
}

std::vector<DetGraph> all_forward_graphs(std::size_t n) {
  // next[v] ∈ {0} ∪ (v, n]: after 0 comes v + 1.
  if (n < 1 || n > 8) throw Error(fmt::format("all_forward_graphs: n must be in 1..8, got {}", n));
  std::vector<DetGraph> out;
  DetGraph g{n, std::vector<std::size_t>(n + 1, 0)};
  for (;;) {
    out.push_back(g);
    std::size_t v = n;
    for (; v >= 1; --v) {
      const std::size_t next = g.next[v] == 0 ? v + 1 : g.next[v] + 1;
      if (next <= n) {
        g.next[v] = next;
        break;
      }
      g.next[v] = 0;
    }
    if (v == 0) return out;
  }
}

SdgcInstance instance_of(const DetGraph& g, std::size_t s, std::size_t t) {
  SdgcInstance out;
  out.nodes = g.nodes;
  out.source = s;
  out.target = t;
  for (std::size_t v = 1; v <= g.nodes; ++v)
    if (g.next[v] != 0) out.edges.emplace_back(v, g.next[v]);
  check_instance(out);
  return out;
}

std::size_t unary_length(const SdgcInstance& g) {
  std::size_t len = g.source + 1 + 1 + g.target;
  for (const auto& [i, j] : g.edges) len += i + 1 + j + 1;
  return len;
}

std::vector<std::size_t> unary_word(const SdgcInstance& g) {
  check_instance(g);
  std::vector<std::size_t> w;
  w.reserve(unary_length(g));
  w.insert(w.end(), g.source, kOne);
  w.push_back(kBar);
  for (const auto& [i, j] : g.edges) {
    w.insert(w.end(), i, kOne);
    w.push_back(kArrow);
    w.insert(w.end(), j, kOne);
    w.push_back(kBar);
  }
  w.push_back(kQuery);
  w.insert(w.end(), g.target, kOne);
  return w;
}

std::vector<std::size_t> padded(std::vector<std::size_t> word, std::size_t T) {
  if (word.size() > T) throw Error(fmt::format("sdgc: a word of length {} does not fit in T = {}", word.size(), T));
  word.resize(T, kPad);
  return word;
}

std::vector<std::string> unary_tokens(const SdgcInstance& g) {
  std::vector<std::string> out;
  for (std::size_t s : unary_word(g)) out.emplace_back(kUnaryAlphabet[s]);
  return out;
}

std::vector<std::string> binary_tokens(const SdgcInstance& g) {
  check_instance(g);
  std::vector<std::string> out;
  auto number = [&](std::size_t v) {
    const std::string bits = fmt::format("{:b}", v);
    for (char b : bits) out.emplace_back(1, b);
  };
  number(g.source);
  out.emplace_back("|");
  for (const auto& [i, j] : g.edges) {
    number(i);
    out.emplace_back(">");
    number(j);
    out.emplace_back("|");
  }
  out.emplace_back("?");
  number(g.target);
  return out;
}

namespace {

SdgcInstance from_next(std::size_t n, std::size_t s, std::size_t t, const std::vector<std::size_t>& next) {
  DetGraph g{n, next};
  return instance_of(g, s, t);
}

SdgcInstance random_paths(std::size_t n, bool positive, compiler::SplitMix64& rng) {
  // Buckets 0 and 1; the source (node 1) is in bucket 0.
  std::vector<int> bucket(n + 1, 0);
  for (std::size_t v = 2; v < n; ++v) bucket[v] = static_cast<int>(rng.below(2));
  bucket[n] = positive ? 0 : 1;
  std::vector<std::size_t> next(n + 1, 0), last(2, 0);
  for (std::size_t v = 1; v <= n; ++v) {
    const int b = bucket[v];
    if (last[b] != 0) next[last[b]] = v;
    last[b] = v;
  }
  return from_next(n, 1, n, next);
}

SdgcInstance random_forward(std::size_t n, bool positive, compiler::SplitMix64& rng) {
  // A random pair s < t.
  std::size_t s = 1 + rng.below(n), t = 1 + rng.below(n - 1);
  if (t >= s) ++t;
  if (s > t) std::swap(s, t);
  std::vector<std::size_t> next(n + 1, 0);
  for (std::size_t v = 1; v < n; ++v)
    if (v != t && rng.below(4) != 0) next[v] = v + 1 + rng.below(n - v);
  if (positive) {  // a random increasing chain s = v0 < v1 < … < vk = t
    std::size_t v = s;
    while (v != t) {
      const std::size_t u = rng.below(2) == 0 ? t : v + 1 + rng.below(t - v);
      next[v] = u;
      v = u;
    }
  } else {  // follow s's path; cut the edge into t if it reaches t
    for (std::size_t v = s; next[v] != 0; v = next[v])
      if (next[v] == t) {
        next[v] = 0;
        break;
      }
  }
  return from_next(n, s, t, next);
}

}  // namespace

SdgcInstance random_sdgc(std::size_t n, SdgcGraphs kind, bool positive, compiler::SplitMix64& rng) {
  if (n < 2) throw Error(fmt::format("sdgc: at least 2 nodes are needed, got {}", n));
  SdgcInstance g = kind == SdgcGraphs::Paths ? random_paths(n, positive, rng) : random_forward(n, positive, rng);
  if (reachable(g) != positive || !g.sorted() || !g.forward() || !g.target_is_sink() || g.source == g.target)
    throw Error("sdgc generator: internal error: the instance does not have the promised form");  // LCOV_EXCL_LINE
  return g;
}

std::optional<SdgcGraphs> parse_sdgc_graphs(std::string_view s) {
  if (s == "paths") return SdgcGraphs::Paths;
  if (s == "forward") return SdgcGraphs::Forward;
  return std::nullopt;
}

std::string_view sdgc_graphs_name(SdgcGraphs g) { return g == SdgcGraphs::Paths ? "paths" : "forward"; }

}  // namespace rnncc::proofs
