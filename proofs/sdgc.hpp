// Sorted deterministic graph connectivity (the paper's Def 11, Prop 2, Thm 2; App. G's task):
// instances, their encodings as token sequences, generators, and the breadth-first-search oracle
// (Boost.Graph) that labels them.
//
// Nodes are numbered 1..nodes (so every unary block is non-empty). An instance is *sorted*
// when its edges' sources strictly increase (so a node has at most one out-edge: the graph is
// deterministic) and *forward* when every edge i → j has i < j. Lemma 2's counter machine
// (proofs/counter_machine.hpp) decides sorted forward instances whose target is a sink.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::proofs {

struct SdgcInstance {
  std::size_t nodes = 0;                                  // nodes 1..nodes
  std::size_t source = 0, target = 0;                     // in 1..nodes
  std::vector<std::pair<std::size_t, std::size_t>> edges;  // (i, j), in the order given

  bool sorted() const;        // sources strictly increasing (so deterministic)
  bool forward() const;       // every edge i < j
  bool target_is_sink() const;
  bool source_has_out_edge() const;
  bool target_has_in_edge() const;
};

// Error unless every node is in 1..nodes.
void check_instance(const SdgcInstance& g);

// Whether target is reachable from source: breadth-first search (Boost.Graph) over the edges.
// A node reaches itself.
bool reachable(const SdgcInstance& g);

// The label App. G's released generator is reported to give every instance: "the source has an
// out-edge and the target has an in-edge" (a shortcut, not reachability).
inline bool shortcut_label(const SdgcInstance& g) { return g.source_has_out_edge() && g.target_has_in_edge(); }

// A deterministic graph: next[v] is v's out-neighbour, or 0 for none (next[0] unused).
struct DetGraph {
  std::size_t nodes = 0;
  std::vector<std::size_t> next;
};

// Prop 2's layering, for any source s and target t of a deterministic graph G on n nodes:
// t's out-edge (if any) is dropped, which does not change whether t is reachable; with m the
// number of edges left, layer h = 0..m holds node v as h·n + v, every edge (i, j) becomes
// (i + h·n, j + (h + 1)·n) for h = 0..m − 1, and each layer's copy of t gets an edge to the
// new sink v_F = (m + 1)·n + 1 (h = 0..m: a path of all m edges reaches t in layer m). The
// query is s (layer 0) → v_F. The result is sorted, forward, with a sink target, and v_F is
// reachable exactly when t is reachable from s in G. (The paper's v_F = nm + 1 and h ≤ m − 1
// would collide with layer m's first node and miss paths of length m.)
SdgcInstance layered(const DetGraph& g, std::size_t s, std::size_t t);

// Every deterministic graph on n nodes (next[v] ∈ {0, 1..n}, self-loops included), for n ≤ 7,
// in a fixed order, by counting in base n + 1 (no recursion).
std::vector<DetGraph> all_det_graphs(std::size_t n);
// Every forward deterministic graph on n nodes (next[v] ∈ {0} ∪ (v, n]): n! of them; n ≤ 8.
std::vector<DetGraph> all_forward_graphs(std::size_t n);
// The sorted instance of a deterministic graph with source s and target t (edges by source).
SdgcInstance instance_of(const DetGraph& g, std::size_t s, std::size_t t);

// The unary encoding of Def 11 over the alphabet {"1", ">", "|", "?"}:
//   1^s | 1^i1 > 1^j1 | 1^i2 > 1^j2 | … | ? 1^t
// (`|` ends the source and each edge, `>` separates an edge's ends, `?` starts the target).
// A fifth symbol "_" is padding (Cor 2's u □^k): appended to make instances of one length, it
// changes nothing in the counter machine.
inline constexpr std::array<std::string_view, 5> kUnaryAlphabet = {"1", ">", "|", "?", "_"};
enum UnarySymbol : std::size_t { kOne = 0, kArrow = 1, kBar = 2, kQuery = 3, kPad = 4 };
std::vector<std::size_t> unary_word(const SdgcInstance& g);  // symbol indices, no padding
std::size_t unary_length(const SdgcInstance& g);             // its length, without building it
// The word followed by padding up to length T (Error when it is longer).
std::vector<std::size_t> padded(std::vector<std::size_t> word, std::size_t T);

// The binary serialization used for the experiments (the paper gives none exactly): the same
// layout with each number written in binary, most significant bit first, over the alphabet
// {"0", "1", ">", "|", "?"}.
inline constexpr std::array<std::string_view, 5> kBinaryAlphabet = {"0", "1", ">", "|", "?"};
std::vector<std::string> unary_tokens(const SdgcInstance& g);
std::vector<std::string> binary_tokens(const SdgcInstance& g);

// Generators (splitmix64). Each returns a sorted forward instance on n ≥ 2 nodes whose target
// is a sink and whose source differs from its target, labelled `positive` (reachable or not):
//  - paths: App. G's generator: nodes 1..n split into two buckets, every node but the source
//    (1) and target (n) in the first bucket with probability 1/2; the target joins the source's
//    bucket when positive, the other one when not; edges join consecutive nodes of a bucket
//    (two disjoint directed paths);
//  - forward: a random sorted forward graph: a random source s < target t, every node other than
//    t gets an out-edge with probability 3/4 to a uniform node after it; positive instances force
//    a random increasing chain s → … → t, negative ones cut the edge into t on s's path.
enum class SdgcGraphs { Paths, Forward };
SdgcInstance random_sdgc(std::size_t n, SdgcGraphs kind, bool positive, compiler::SplitMix64& rng);
std::optional<SdgcGraphs> parse_sdgc_graphs(std::string_view s);
std::string_view sdgc_graphs_name(SdgcGraphs g);

}  // namespace rnncc::proofs
