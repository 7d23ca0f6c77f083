// SDGC instances (proofs/sdgc.hpp): the enumerations against their counts, Prop 2's layering
// against breadth-first search on the original graph, the encodings on hand-written instances,
// and the generators' promises (label = BFS, sorted, forward, sink target, s ≠ t).
#include <gtest/gtest.h>

#include <set>

#include "circuits/error.hpp"
#include "proofs/sdgc.hpp"
#include "tests/support.hpp"

namespace rnncc::proofs {
namespace {

SdgcInstance chain() {  // 1 → 2 → 4, 3 → 4; s = 1, t = 4
  SdgcInstance g;
  g.nodes = 4;
  g.source = 1;
  g.target = 4;
  g.edges = {{1, 2}, {2, 4}, {3, 4}};
  return g;
}

TEST(Sdgc, ReachabilityByHand) {
  SdgcInstance g = chain();
  EXPECT_TRUE(reachable(g));
  g.source = 3;
  EXPECT_TRUE(reachable(g));
  g.target = 2;
  EXPECT_FALSE(reachable(g));
  g.target = 3;  // a node reaches itself
  EXPECT_TRUE(reachable(g));
  g.edges.clear();
  EXPECT_TRUE(reachable(g));
  g.target = 4;
  EXPECT_FALSE(reachable(g));
  g.target = 5;
  EXPECT_NE(test::error_of([&] { reachable(g); }).find("must be nodes 1..4"), std::string::npos);
}

TEST(Sdgc, Predicates) {
  const SdgcInstance g = chain();
  EXPECT_TRUE(g.sorted());
  EXPECT_TRUE(g.forward());
  EXPECT_TRUE(g.target_is_sink());
  EXPECT_TRUE(g.source_has_out_edge());
  EXPECT_TRUE(g.target_has_in_edge());
  SdgcInstance h = g;
  h.edges = {{2, 1}, {1, 3}};
  EXPECT_FALSE(h.sorted());
  EXPECT_FALSE(h.forward());
}

TEST(Sdgc, Enumerations) {
  for (std::size_t n = 1; n <= 5; ++n) {
    std::size_t expected = 1, fact = 1;
    for (std::size_t i = 0; i < n; ++i) expected *= n + 1;
    for (std::size_t i = 2; i <= n; ++i) fact *= i;
    const std::vector<DetGraph> all = all_det_graphs(n);
    EXPECT_EQ(all.size(), expected) << n;
    const std::vector<DetGraph> fwd = all_forward_graphs(n);
    EXPECT_EQ(fwd.size(), fact) << n;
    for (const DetGraph& g : fwd)
      for (std::size_t v = 1; v <= n; ++v) EXPECT_TRUE(g.next[v] == 0 || g.next[v] > v);
    // All distinct.
    std::set<std::vector<std::size_t>> seen;
    for (const DetGraph& g : all) seen.insert(g.next);
    EXPECT_EQ(seen.size(), all.size());
  }
  EXPECT_THROW(all_det_graphs(8), Error);
}

TEST(Sdgc, LayeringPreservesReachabilityAndGivesTheMachinesForm) {
  std::size_t checked = 0;
  for (std::size_t n = 1; n <= 4; ++n)
    for (const DetGraph& g : all_det_graphs(n))
      for (std::size_t s = 1; s <= n; ++s)
        for (std::size_t t = 1; t <= n; ++t) {
          const SdgcInstance l = layered(g, s, t);
          ASSERT_EQ(reachable(l), reachable(instance_of(g, s, t))) << n << " " << s << " " << t;
          ASSERT_TRUE(l.sorted() && l.forward() && l.target_is_sink());
          ++checked;
        }
  EXPECT_EQ(checked, 1u * 2 * 1 + 9u * 4 + 64u * 9 + 625u * 16);
  // A path using every edge: 1 → 2 → 3 with t = 3 (the paper's h ≤ m − 1 would miss it).
  DetGraph g{3, {0, 2, 3, 0}};
  EXPECT_TRUE(reachable(layered(g, 1, 3)));
  EXPECT_EQ(layered(g, 1, 3).target, 3u * 3 + 1);  // (m + 1)·n + 1 with m = 2
}

TEST(Sdgc, UnaryAndBinaryEncodings) {
  SdgcInstance g;
  g.nodes = 3;
  g.source = 1;
  g.target = 3;
  g.edges = {{1, 3}};
  const std::vector<std::string> u = unary_tokens(g);
  EXPECT_EQ(u, (std::vector<std::string>{"1", "|", "1", ">", "1", "1", "1", "|", "?", "1", "1", "1"}));
  EXPECT_EQ(unary_length(g), u.size());
  EXPECT_EQ(binary_tokens(g), (std::vector<std::string>{"1", "|", "1", ">", "1", "1", "|", "?", "1", "1"}));
  const std::vector<std::size_t> w = padded(unary_word(g), 14);
  EXPECT_EQ(w.size(), 14u);
  EXPECT_EQ(w[12], kPad);
  EXPECT_THROW(padded(unary_word(g), 5), Error);
}

TEST(Sdgc, GeneratorsKeepTheirPromises) {
  compiler::SplitMix64 rng(5);
  for (SdgcGraphs kind : {SdgcGraphs::Paths, SdgcGraphs::Forward})
    for (std::size_t n : {2, 3, 7, 40, 300})
      for (int k = 0; k < 6; ++k) {
        const bool positive = k % 2 == 0;
        const SdgcInstance g = random_sdgc(n, kind, positive, rng);
        EXPECT_EQ(reachable(g), positive);
        EXPECT_TRUE(g.sorted() && g.forward() && g.target_is_sink());
        EXPECT_NE(g.source, g.target);
        EXPECT_EQ(g.nodes, n);
      }
  // Deterministic for a seed.
  compiler::SplitMix64 a(9), b(9);
  EXPECT_EQ(random_sdgc(50, SdgcGraphs::Forward, true, a).edges, random_sdgc(50, SdgcGraphs::Forward, true, b).edges);
  EXPECT_THROW(random_sdgc(1, SdgcGraphs::Paths, true, a), Error);
  EXPECT_EQ(parse_sdgc_graphs("paths"), SdgcGraphs::Paths);
  EXPECT_EQ(parse_sdgc_graphs("nope"), std::nullopt);
}

// The released generator's reported label, "the source has an out-edge and the target an
// in-edge", is not reachability: on App. G's two-path instances it is right on about half.
TEST(Sdgc, TheShortcutLabelIsNotReachability) {
  compiler::SplitMix64 rng(17);
  std::size_t right = 0, total = 0;
  for (int k = 0; k < 400; ++k) {
    const bool positive = k % 2 == 0;
    const SdgcInstance g = random_sdgc(20 + k % 50, SdgcGraphs::Paths, positive, rng);
    right += shortcut_label(g) == reachable(g);
    ++total;
  }
  EXPECT_GT(right, total * 4 / 10);
  EXPECT_LT(right, total * 6 / 10);
}

}  // namespace
}  // namespace rnncc::proofs
