// balance: one backward pass finds live gates, their fan-out and the chain boundaries; one
// forward pass rebuilds the circuit through a new Builder, rebuilding each chain at its root from
// leaves collected with an explicit stack. Huffman's rule runs on two queues (the sorted leaves,
// and the combined operands, which come out in nondecreasing level) plus a small heap for the
// rare combination whose level drops because the builder folded it: the same choices as one
// min-heap keyed by (level, sequence number), in linear time after the sort.
#include "compiler/passes/balance.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::BigVector;
using circuits::Builder;
using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

constexpr bool is_chain_kind(Op op) {
  return op == Op::Add || op == Op::Mul || op == Op::And || op == Op::Or || op == Op::Xor;
}

// Per-gate flags of the backward pass; a gate is live iff some flag is set.
constexpr std::uint8_t kFanMask = 3;       // live readers (operand slots), saturating at 2
constexpr std::uint8_t kOutput = 4;        // named by an output
constexpr std::uint8_t kSameKindRead = 8;  // read by a gate of its own chain kind
// An inner chain gate: one live reader, of its own kind, and no output.
constexpr std::uint8_t kInnerMask = kFanMask | kOutput | kSameKindRead;
constexpr std::uint8_t kInner = 1 | kSameKindRead;

BigVector<std::uint8_t> chain_flags(const Circuit& c) {
  const std::size_t n = c.num_gates();
  BigVector<std::uint8_t> flags(n, 0);
  for (const circuits::Output& o : c.outputs()) flags[o.gate] |= kOutput;
  const std::uint8_t* ops = c.ops().data();
  const GateId* as = c.as().data();
  const GateId* bs = c.bs().data();
  for (std::size_t g = n; g-- > 0;) {
    if (!flags[g]) continue;
    const Op op = static_cast<Op>(ops[g]);
    const int k = circuits::arity(op);
    auto read = [&](GateId x) {
      std::uint8_t f = flags[x];
      if ((f & kFanMask) < 2) ++f;
      if (is_chain_kind(op) && ops[x] == ops[g]) f |= kSameKindRead;
      flags[x] = f;
    };
    if (k >= 1) read(as[g]);
    if (k == 2) read(bs[g]);
  }
  return flags;
}


class Balancer {
 public:
  Balancer(const Circuit& c, const BalanceParams& params)
      : c_(c), not_free_(params.not_free), r_(c), b_(r_.builder()), map_(r_.map()) {}

  Circuit run() {
    const std::size_t n = c_.num_gates();
    flags_ = chain_flags(c_);
    r_.reserve(n);
    level_.reserve(n);
    for (GateId g = 0; g < n; ++g) {
      const Op op = c_.op(g);
      // Inputs are created in id order, which is their index order: order and names are kept,
      // dead inputs included.
      if (op != Op::Input && !flags_[g]) continue;
      if (is_chain_kind(op) && (flags_[g] & kInnerMask) == kInner) continue;  // built at its root
      r_.stamp_origin(g);
      if (op == Op::Input || op == Op::Const) {
        r_.copy(g);
        sync_levels();
      } else if (is_chain_kind(op)) {
        map_[g] = rebuild_chain(g);
      } else {
        map_[g] = make(op, map_[c_.a(g)], circuits::arity(op) == 2 ? map_[c_.b(g)] : kNoGate);
      }
    }
    Circuit out = r_.finish();
    if (folded_) return circuits::drop_dead(std::move(out));
    return out;  // not `folded_ ? ... : out`: that copies the whole circuit
  }

  std::size_t chains = 0, leaves = 0;

 private:
  // An operand in Huffman's rule: smaller (level, seq) is combined first; seq makes ties
  // deterministic (leaves in left-to-right order, then combinations in creation order).
  struct Item {  // 12 bytes: a chain of 10^7 leaves keeps up to 2 x 10^7 of them
    std::uint32_t seq;
    std::uint32_t level;
    GateId gate;
    bool operator<(const Item& o) const { return level != o.level ? level < o.level : seq < o.seq; }
    bool operator>(const Item& o) const { return o < *this; }
  };

  // Levels of the gates the builder created since the last call (a fold may create several).
  void sync_levels() {
    const Circuit& nc = b_.circuit();
    for (std::size_t g = level_.size(); g < nc.num_gates(); ++g) {
      const Op op = nc.op(static_cast<GateId>(g));
      const int k = circuits::arity(op);
      std::uint32_t l = 0;
      if (k >= 1) {
        l = level_[nc.a(static_cast<GateId>(g))];
        if (k == 2) l = std::max(l, level_[nc.b(static_cast<GateId>(g))]);
        l += (not_free_ && circuits::is_free_when_not_free(op)) ? 0u : 1u;
      }
      level_.push_back(l);
    }
  }

  // A gate through the builder. When the builder folds (x & !x -> 0, x ^ 1 -> !x), an operand
  // may go unread: then dead gates are possible and are dropped at the end.
  GateId make(Op op, GateId a, GateId b = kNoGate) {
    const GateId r = b_.make(op, a, b);
    sync_levels();
    const Circuit& nc = b_.circuit();
    if (circuits::is_commutative(op) && a > b) std::swap(a, b);
    if (nc.op(r) != op || nc.a(r) != a || nc.b(r) != b) folded_ = true;
    return r;
  }

  // Leaves of the chain rooted at `root` (as new ids, left to right), then the tree.
  GateId rebuild_chain(GateId root) {
    const Op op = c_.op(root);
    leaves_.clear();
    stack_.clear();
    stack_.push_back(c_.b(root));
    stack_.push_back(c_.a(root));
    while (!stack_.empty()) {
      const GateId x = stack_.back();
      stack_.pop_back();
      if ((flags_[x] & kInnerMask) == kInner) {  // one reader, of this kind: inside the chain
        stack_.push_back(c_.b(x));
        stack_.push_back(c_.a(x));
      } else {
        leaves_.push_back(map_[x]);
      }
    }
    ++chains;
    leaves += leaves_.size();
    if (leaves_.size() == 2) return make(op, leaves_[0], leaves_[1]);
    return huffman(op);
  }

  GateId huffman(Op op) {
    const std::size_t n = leaves_.size();
    sorted_.clear();
    sorted_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) sorted_.push_back({static_cast<std::uint32_t>(i), level_[leaves_[i]], leaves_[i]});
    if (!std::is_sorted(sorted_.begin(), sorted_.end())) std::sort(sorted_.begin(), sorted_.end());
    combined_.clear();
    combined_.reserve(n);
    heap_.clear();
    std::size_t next_leaf = 0, next_combined = 0;
    // The least operand left among the three sources.
    auto pop = [&]() -> Item {
      int from = 0;
      const Item* best = nullptr;
      if (next_leaf < sorted_.size()) best = &sorted_[next_leaf];
      if (next_combined < combined_.size() && (!best || combined_[next_combined] < *best)) {
        best = &combined_[next_combined];
        from = 1;
      }
      if (!heap_.empty() && (!best || heap_.front() < *best)) {
        best = &heap_.front();
        from = 2;
      }
      const Item item = *best;
      if (from == 0) {
        ++next_leaf;
      } else if (from == 1) {
        ++next_combined;
      } else {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<Item>());
        heap_.pop_back();
      }
      return item;
    };
    auto seq = static_cast<std::uint32_t>(n);
    for (std::size_t left = n; left > 1; --left) {
      const Item x = pop();
      const Item y = pop();
      const GateId r = make(op, x.gate, y.gate);
      const Item z{seq++, level_[r], r};
      if (next_combined == combined_.size() || combined_.back() < z) {
        combined_.push_back(z);
      } else {  // the builder folded it below an earlier combination
        heap_.push_back(z);
        std::push_heap(heap_.begin(), heap_.end(), std::greater<Item>());
      }
    }
    return pop().gate;
  }

  const Circuit& c_;
  const bool not_free_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  BigVector<GateId>& map_;          // old id -> new id (kNoGate: dead or inside a chain)
  BigVector<std::uint8_t> flags_;
  BigVector<std::uint32_t> level_;  // new id -> level
  BigVector<GateId> stack_, leaves_;  // chains can hold every gate: huge pages
  BigVector<Item> sorted_, combined_;
  std::vector<Item> heap_;
  bool folded_ = false;
};

}  // namespace

Circuit balance(const Circuit& c, const BalanceParams& params, BalanceStats* stats) {
  Balancer balancer(c, params);
  Circuit out = balancer.run();
  if (stats) {
    const circuits::MeasureParams mp{.not_free = params.not_free, .critical_path = false};
    const circuits::Measures before = circuits::measure(c, mp);
    const circuits::Measures after = circuits::measure(out, mp);
    *stats = BalanceStats{.chains = balancer.chains,
                          .leaves = balancer.leaves,
                          .size_before = before.size,
                          .depth_before = before.depth,
                          .size_after = after.size,
                          .depth_after = after.depth};
  }
  return out;
}

}  // namespace rnncc::compiler::passes

// ---- the pass (compiler/pipeline.hpp) ----
namespace rnncc::compiler::passes {
namespace {

class BalancePass final : public Pass {
 public:
  std::string_view name() const override { return "balance"; }
  std::string_view help() const override {
    return "rebuild every chain of one associative kind (add, mul, and, or, xor) as a tree of least depth";
  }
  std::vector<ParamSpec> params() const override {
    return {{.name = "not-free", .short_flag = 0, .type = ParamSpec::Type::Flag, .choices = {},
             .default_value = "false", .help = "not and buf take their operand's level (ABC's lev) when leaves are ranked"}};
  }
  PassResult run(const Circuit& c, const PassArgs& args) const override {
    Balancer b(c, {.not_free = args.flag("not-free")});
    PassResult r;
    r.circuit = b.run();
    r.counters = {{"chains", static_cast<std::int64_t>(b.chains)}, {"leaves", static_cast<std::int64_t>(b.leaves)}};
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_balance_pass() { return std::make_unique<BalancePass>(); }

}  // namespace rnncc::compiler::passes
