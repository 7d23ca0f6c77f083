// Stack encodings in exact arithmetic: margins, head gadgets, pops and bit lengths.
#include "proofs/stack_encoding.hpp"

#include <algorithm>
#include <optional>

#include "circuits/error.hpp"
#include "sim/precision.hpp"
#include "compiler/spec.hpp"

namespace rnncc::proofs {
namespace {

mpq_class relu(const mpq_class& x) { return x > 0 ? x : mpq_class(0); }

mpq_class empty(StackBase base) { return base == StackBase::Two ? mpq_class(1) : mpq_class(0); }

mpq_class push(StackBase base, const mpq_class& s, int bit) {
  if (base == StackBase::Two) return mpq_class(bit) + s / 2;
  return (mpq_class(2 * bit + 1) + s) / 4;
}

mpq_class pop(StackBase base, const mpq_class& s, const mpq_class& head) {
  if (base == StackBase::Two) return 2 * (s - head);
  return 4 * s - (2 * head + 1);
}

}  // namespace

std::vector<StackOp> random_stack_ops(std::size_t steps, std::uint64_t seed) {
  compiler::SplitMix64 rng(seed);
  std::vector<StackOp> ops;
  std::size_t depth = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    StackOp op;
    op.push = depth == 0 || rng.below(2) == 0;
    op.bit = static_cast<int>(rng.below(2));
    depth += op.push ? 1 : -1;
    ops.push_back(op);
  }
  return ops;
}

std::vector<StackOp> extremal_stack_ops(std::size_t depth) {
  std::vector<StackOp> ops;
  for (std::size_t D = 1; D <= depth; ++D)
    for (int top : {0, 1}) {
      for (std::size_t i = 1; i < D; ++i) ops.push_back({true, 1 - top});
      ops.push_back({true, top});
      for (std::size_t i = 0; i < D; ++i) ops.push_back({false, 0});
    }
  return ops;
}

mpq_class encode_stack(StackBase base, const std::vector<int>& stack_bits) {
  mpq_class s = empty(base);
  for (std::size_t i = stack_bits.size(); i-- > 0;) s = push(base, s, stack_bits[i]);
  return s;
}

mpq_class head_gadget(StackBase base, const mpq_class& s) {
  if (base == StackBase::Two) {
    const mpq_class eps(1, 3);
    return relu((s - 1 + eps) / eps) - relu((s - 1) / eps);
  }
  return 4 * relu(s - mpq_class(1, 2)) - 4 * relu(s - mpq_class(3, 4));
}

StackEncodingReport run_stack_encoding(StackBase base, const std::vector<StackOp>& ops) {
  StackEncodingReport r;
  std::vector<int> stack;  // back() is the top
  mpq_class s = empty(base);
  std::vector<std::optional<mpq_class>> max0, min1;  // per depth
  auto observe = [&] {
    const std::size_t D = stack.size();
    r.max_depth = std::max(r.max_depth, D);
    r.max_bits = std::max(r.max_bits, sim::bit_length(s));
    if (D == 0) return;
    if (max0.size() <= D) {
      max0.resize(D + 1);
      min1.resize(D + 1);
    }
    if (stack.back() == 0) {
      if (!max0[D] || s > *max0[D]) max0[D] = s;
    } else if (!min1[D] || s < *min1[D]) {
      min1[D] = s;
    }
    const mpq_class head = head_gadget(base, s);
    if (head != stack.back()) {
      ++r.head_wrong;
      if (r.first_wrong_depth == 0) r.first_wrong_depth = D;
    }
  };
  observe();
  for (const StackOp& op : ops) {
    ++r.steps;
    if (op.push) {
      if (op.bit != 0 && op.bit != 1) throw Error("stack encoding: pushed bits are 0 or 1");
      stack.push_back(op.bit);
      s = push(base, s, op.bit);
    } else {
      if (stack.empty()) throw Error("stack encoding: pop of the empty stack");
      const mpq_class popped = pop(base, s, head_gadget(base, s));
      stack.pop_back();
      s = encode_stack(base, std::vector<int>(stack.rbegin(), stack.rend()));
      if (popped != s) ++r.decode_wrong;  // resynchronized: later steps are counted on their own
    }
    observe();
  }
  // gap[D] over depths ≤ D.
  std::optional<mpq_class> hi0, lo1;
  r.gap.assign(r.max_depth + 1, 0);
  for (std::size_t D = 1; D <= r.max_depth && D < max0.size(); ++D) {
    if (max0[D] && (!hi0 || *max0[D] > *hi0)) hi0 = max0[D];
    if (min1[D] && (!lo1 || *min1[D] < *lo1)) lo1 = min1[D];
    if (hi0 && lo1) r.gap[D] = *lo1 - *hi0;
  }
  return r;
}

}  // namespace rnncc::proofs
