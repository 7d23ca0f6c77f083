// pnc1: an integer circuit in PNC1 normal form (circuits/normal_form.hpp): `add`, `sub`, `mul`
// of fan-in 2 over inputs and the constants -1, 0, 1, with `step` only as the last gate before
// an output. The builder runs in raw mode (Builder::set_folding): folding would turn 1 + 1 back
// into the constant 2, 0 - x and x * -1 into neg.
//
// Every other integer constant c is built from 1. With m = |c| = sum of 2^j over its set bits j,
// the powers 2^j come from doubling (2^j = 2^(j-1) + 2^(j-1), level j; shared by all constants
// through hash-consing), and the set bits' powers are summed by Huffman's rule (always add the
// two of lowest level; Golumbic 1976): that reaches the Kraft bound ceil(log2 sum 2^level) =
// ceil(log2 m). So c is at depth exactly ceil(log2 |c|) for c >= 2, and one more for c <= -2,
// built as 0 - |c|; it takes (bits - 1) doublings and (popcount - 1) additions.
// neg x becomes 0 - x (the same depth), buf disappears, dead gates are dropped.
#include <algorithm>
#include <cstdint>
#include <queue>
#include <tuple>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmpxx.h>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/normal_form.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/passes/integer_kinds.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

// Why pnc1 cannot take `c` (the first gate of another kind, a non-integer constant, a step that
// a gate reads), or "".
std::string refusal(const Circuit& c) {
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    if (!is_integer_gate(c, g)) {
      if (op == Op::Const)
        return fmt::format("pnc1 takes integer circuits: gate g{} is the constant {}, not an integer", g,
                           c.constant(g).get_str());
      return fmt::format("pnc1 takes integer circuits (input, integer constants, add, sub, mul, neg, buf, step at "
                         "outputs): gate g{} is {}",
                         g, circuits::mnemonic(op));
    }
    const int k = circuits::arity(op);
    for (int i = 0; i < k; ++i) {
      const GateId x = i == 0 ? c.a(g) : c.b(g);
      if (c.op(x) == Op::Step)
        return fmt::format("pnc1 takes step only directly at outputs: gate g{} ({}) reads the step gate g{}", g,
                           circuits::mnemonic(op), x);
    }
  }
  return "";
}

class Pnc1Builder {
 public:
  explicit Pnc1Builder(const Circuit& c) : c_(c), r_(c, circuits::Rebuild::Folding::Off), b_(r_.builder()) {}

  Circuit run() {
    const std::vector<std::uint8_t> live = circuits::live_gates(c_);
    r_.reserve(c_.num_gates());
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (c_.op(g) != Op::Input && !live[g]) continue;
      r_.stamp_origin(g);
      r_.set(g, build(g));
    }
    return r_.finish();
  }

  std::size_t constants_built = 0, largest_constant_bits = 0, constant_depth = 0;

 private:
  GateId build(GateId g) {
    const Op op = c_.op(g);
    switch (op) {
      case Op::Input: return r_.copy(g);
      case Op::Const: return integer(c_.constant(g).get_num());
      case Op::Neg: return b_.sub(b_.constant(0), r_[c_.a(g)]);
      case Op::Buf: return r_[c_.a(g)];
      case Op::Step: return b_.make(Op::Step, r_[c_.a(g)]);
      default: return b_.make(op, r_[c_.a(g)], r_[c_.b(g)]);
    }
  }

  // 2^j at level j: 2^(j-1) + 2^(j-1).
  GateId power_of_two(std::size_t j) {
    if (powers_.empty()) powers_.push_back(b_.constant(1));
    while (powers_.size() <= j) powers_.push_back(b_.add(powers_.back(), powers_.back()));
    return powers_[j];
  }

  // The integer v from the constants -1, 0, 1 (see the top of the file).
  GateId integer(const mpz_class& v) {
    if (v >= -1 && v <= 1) return b_.constant(mpq_class(v));
    const mpz_class m = abs(v);
    const std::size_t bits = mpz_sizeinbase(m.get_mpz_t(), 2);
    // Huffman's rule over (level, creation order, gate): the set bits' powers, then the sums.
    using Item = std::tuple<std::size_t, std::size_t, GateId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
    std::size_t seq = 0;
    for (std::size_t j = 0; j < bits; ++j)
      if (mpz_tstbit(m.get_mpz_t(), j)) heap.emplace(j, seq++, power_of_two(j));
    while (heap.size() > 1) {
      const Item x = heap.top();
      heap.pop();
      const Item y = heap.top();
      heap.pop();
      heap.emplace(std::max(std::get<0>(x), std::get<0>(y)) + 1, seq++, b_.add(std::get<2>(x), std::get<2>(y)));
    }
    auto [level, unused, gate] = heap.top();
    if (v < 0) {
      gate = b_.sub(b_.constant(0), gate);
      ++level;
    }
    ++constants_built;
    largest_constant_bits = std::max(largest_constant_bits, bits);
    constant_depth = std::max(constant_depth, level);
    return gate;
  }

  const Circuit& c_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  std::vector<GateId> powers_;  // powers_[j] = the gate of 2^j
};

class Pnc1Pass final : public Pass {
 public:
  std::string_view name() const override { return "pnc1"; }
  std::string_view help() const override {
    return "rewrite an integer circuit into add/sub/mul over -1, 0, 1 (constants built in log depth), step at outputs";
  }
  PassResult run(const Circuit& c, const PassArgs&) const override {
    if (std::string why = refusal(c); !why.empty()) return PassResult::refused(std::move(why));
    Pnc1Builder pb(c);
    Circuit out = pb.run();
    if (const std::vector<std::string> v = circuits::pnc1_violations(out); !v.empty())
      throw Error("pnc1: internal error: the result is not in PNC1 form: " + circuits::join_violations(v));
    PassResult r;
    r.counters = {{"constants_built", static_cast<std::int64_t>(pb.constants_built)},
                  {"largest_constant_bits", static_cast<std::int64_t>(pb.largest_constant_bits)},
                  {"constant_depth", static_cast<std::int64_t>(pb.constant_depth)}};
    r.circuit = std::move(out);
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_pnc1_pass() { return std::make_unique<Pnc1Pass>(); }

}  // namespace rnncc::compiler::passes
