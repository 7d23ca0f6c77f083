// balance: tree-height reduction (docs/passes.md, "balance"). Every maximal chain of one
// associative, commutative kind (add, mul, and, or, xor) is rebuilt as a tree of least depth for
// the levels of its leaves, by Huffman's rule: always combine the two operands of lowest level.
//
// A chain is a tree of gates of one such kind whose inner gates are read by exactly one live
// gate and named by no output; a gate read twice (or by an output) ends the chain and starts its
// own, so nothing is ever duplicated and the size never grows. `not` gates and gates of any
// other kind (`sub` included) are leaves, as in ABC's `balance`. The result is built through a
// fresh Builder in topological order, so leaf levels are final when their chain is rebuilt; the
// pass is iterative throughout (a chain of 10^7 gates is fine).
#pragma once

#include <cstddef>

#include "circuits/circuit.hpp"

namespace rnncc::compiler::passes {

struct BalanceParams {
  // Level function: `not` and `buf` take their operand's level (ABC's `lev`), as measure()'s
  // not_free. It decides which operands count as low when a chain is rebuilt.
  bool not_free = false;
};

struct BalanceStats {
  std::size_t chains = 0;       // chains rebuilt (a lone gate of a chain kind counts as one)
  std::size_t leaves = 0;       // their leaves, with multiplicity (x + x has two)
  std::size_t size_before = 0;  // measure() with the level function of the params
  std::size_t depth_before = 0;
  std::size_t size_after = 0;
  std::size_t depth_after = 0;
};

// The balanced circuit: same inputs (order and names, dead ones included), same outputs (order
// and names), the same value at every output in any domain where the chain kinds are associative
// and commutative (exact, modp, bool; `real` up to rounding). A rebuilt gate takes the origin of
// its chain's root, every other gate keeps its own. Step metadata maps each state gate to its new
// id; state gates that vanished (dead, or absorbed into a longer chain) are dropped from their
// step, and a step left with none is dropped. Dead gates are not kept.
circuits::Circuit balance(const circuits::Circuit& c, const BalanceParams& params = {},
                          BalanceStats* stats = nullptr);

}  // namespace rnncc::compiler::passes
