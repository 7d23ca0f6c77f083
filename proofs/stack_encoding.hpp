// Stacks of bits as one rational each (the paper's Thm 1, App. A.1; Siegelmann–Sontag), in
// exact arithmetic, to measure what the MLP RNN's stack gadgets rely on.
//
// base 2 (as printed): empty = 1; push_v(s) = v + s/2; head(s) = 1[s ≥ 1];
//   pop(s) = 2(s − head(s)). The RNN reads head with a ReLU threshold of width ε = 1/3:
//   head_ε(s) = ReLU((s − 1 + ε)/ε) − ReLU((s − 1)/ε), right only when s ∉ (1 − ε, 1).
// base 4 (the gapped fix): empty = 0; push_b(s) = (2b + 1 + s)/4;
//   head(s) = 4·ReLU(s − 1/2) − 4·ReLU(s − 3/4); pop(s) = 4s − (2·head(s) + 1).
// The *gap* at depth ≤ D is the distance between the encodings of stacks with top 0 and those
// with top 1: base 2 shrinks like 2^−D, base 4 stays ≥ 1/4 (no encoding falls in (1/2, 3/4)).
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <vector>

namespace rnncc::proofs {

struct StackOp {
  bool push = true;
  int bit = 0;  // pushed bit
};

// `steps` random operations (push with probability 1/2, a random bit; a pop of the empty stack
// becomes a push), splitmix64 on `seed`.
std::vector<StackOp> random_stack_ops(std::size_t steps, std::uint64_t seed);
// For D = 1..depth, the operations that reach the closest top-0 and top-1 stacks of depth D
// (a 0 pushed over D − 1 ones, a 1 pushed over D − 1 zeros), each popped back to empty.
std::vector<StackOp> extremal_stack_ops(std::size_t depth);

enum class StackBase { Two, Four };

struct StackEncodingReport {
  std::size_t steps = 0, max_depth = 0;
  // gap[D] for D = 1..max_depth: min over reached stacks of depth ≤ D with top 1 of s, minus
  // max over those with top 0 (base 4: the same, 0 where a side is missing).
  std::vector<mpq_class> gap;
  std::size_t head_wrong = 0;       // steps where the ReLU head gadget differs from the true top
  std::size_t first_wrong_depth = 0;  // the depth at the first wrong head (0: none)
  std::size_t decode_wrong = 0;     // pops whose result differs from the true stack's encoding
  std::size_t max_bits = 0;         // the largest numerator + denominator bits of s
};

// Runs `ops` on a real stack of bits and on the encoding, checking head and pop at each step.
StackEncodingReport run_stack_encoding(StackBase base, const std::vector<StackOp>& ops);

// The encoding of a stack (bits[0] the top) in each base.
mpq_class encode_stack(StackBase base, const std::vector<int>& bits);

// ReLU head gadgets: base 2 with width ε = 1/3, base 4 as above.
mpq_class head_gadget(StackBase base, const mpq_class& s);

}  // namespace rnncc::proofs
