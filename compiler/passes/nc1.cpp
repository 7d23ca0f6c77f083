// nc1: a boolean circuit in NC1 normal form (circuits/normal_form.hpp): `and`/`or` of fan-in 2,
// `not` only on inputs. Negations are pushed down to the inputs by De Morgan, and xor is
// expanded into and/or over both polarities of its operands.
//
// Building both polarities ("dual rail") of every gate would double the circuit; instead one
// backward loop over ids marks which polarities each gate is needed in (outputs: positive; and/or
// pass their polarity to their operands, since !(a & b) = !a | !b; not flips it; buf passes it;
// xor needs both polarities of both operands, whichever of its own is asked), and one forward
// loop builds exactly those rails. Each rail of a gate is one level per and/or above its
// operands' rails and an xor rail two, so the depth with `not` free is at most the input's depth
// with xor counted as two levels and not/buf free; counting `not`, one more (the input negation).
//
// The builder folds as usual (x & 1 -> x, x & !x -> 0, constants propagate) but never creates a
// `not` or an `xor` here: folding and/or only ever returns an existing gate or a 0/1 constant,
// and the only not_() calls are on inputs. The validator checks the result anyway.
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/normal_form.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::BigVector;
using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

constexpr std::uint8_t kPos = 1, kNeg = 2, kBoth = kPos | kNeg;

constexpr std::uint8_t flipped(std::uint8_t p) {
  return static_cast<std::uint8_t>(((p & kPos) << 1) | ((p & kNeg) >> 1));
}

// Why nc1 cannot take `c` (the first gate of another kind or a constant other than 0/1), or "".
std::string refusal(const Circuit& c) {
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    if (op == Op::Const && c.constant(g) != 0 && c.constant(g) != 1)
      return fmt::format("nc1 takes boolean circuits: gate g{} is the constant {} (only 0 and 1)", g,
                         c.constant(g).get_str());
    if (!circuits::is_boolean(op))
      return fmt::format("nc1 takes boolean circuits (input, 0/1 constants, and, or, xor, not, buf): gate g{} is {}",
                         g, circuits::mnemonic(op));
  }
  return "";
}

// The polarities (kPos, kNeg) in which each gate is needed; 0 for dead gates.
BigVector<std::uint8_t> polarities_needed(const Circuit& c) {
  BigVector<std::uint8_t> need(c.num_gates(), 0);
  for (const circuits::Output& o : c.outputs()) need[o.gate] |= kPos;
  for (std::size_t i = c.num_gates(); i-- > 0;) {
    const auto g = static_cast<GateId>(i);
    const std::uint8_t p = need[g];
    if (!p) continue;
    switch (c.op(g)) {
      case Op::And:
      case Op::Or:
        need[c.a(g)] |= p;
        need[c.b(g)] |= p;
        break;
      case Op::Not: need[c.a(g)] |= flipped(p); break;
      case Op::Buf: need[c.a(g)] |= p; break;
      case Op::Xor:
        need[c.a(g)] = kBoth;
        need[c.b(g)] = kBoth;
        break;
      default: break;  // inputs and constants
    }
  }
  return need;
}


// Kinds whose rails are new gates (not and buf only relabel their operand's rails).
constexpr bool costs_gates(Op op) { return op == Op::And || op == Op::Or || op == Op::Xor; }

class Nc1Builder {
 public:
  explicit Nc1Builder(const Circuit& c)
      : c_(c), r_(c), b_(r_.builder()), pos_(c.num_gates(), kNoGate), neg_(c.num_gates(), kNoGate) {}

  Circuit run() {
    need_ = polarities_needed(c_);
    r_.reserve(c_.num_gates());
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      // Inputs are copied in id order, live or not: input order, names and ports are kept.
      if (c_.op(g) != Op::Input && !need_[g]) continue;
      r_.stamp_origin(g);
      build(g);
      if (need_[g] == kBoth && costs_gates(c_.op(g))) ++dual_rail_gates;
      if (c_.op(g) == Op::Xor) ++xors_expanded;
      // Outputs and step metadata name a gate's positive rail.
      if (pos_[g] != kNoGate) r_.set(g, pos_[g]);
    }
    return circuits::drop_dead(r_.finish());
  }

  std::size_t dual_rail_gates = 0, xors_expanded = 0, negated_inputs = 0;

 private:
  bool wants(GateId g, std::uint8_t p) const { return (need_[g] & p) != 0; }

  void build(GateId g) {
    const GateId a = c_.a(g), b = c_.b(g);
    switch (c_.op(g)) {
      case Op::Input:
        pos_[g] = r_.copy(g);
        if (wants(g, kNeg)) {
          neg_[g] = b_.not_(pos_[g]);
          ++negated_inputs;
        }
        break;
      case Op::Const: {
        const bool one = c_.constant(g) == 1;
        if (wants(g, kPos)) pos_[g] = b_.constant(one ? 1 : 0);
        if (wants(g, kNeg)) neg_[g] = b_.constant(one ? 0 : 1);
        break;
      }
      case Op::And:  // !(a & b) = !a | !b
        if (wants(g, kPos)) pos_[g] = b_.and_(pos_[a], pos_[b]);
        if (wants(g, kNeg)) neg_[g] = b_.or_(neg_[a], neg_[b]);
        break;
      case Op::Or:  // !(a | b) = !a & !b
        if (wants(g, kPos)) pos_[g] = b_.or_(pos_[a], pos_[b]);
        if (wants(g, kNeg)) neg_[g] = b_.and_(neg_[a], neg_[b]);
        break;
      case Op::Not:  // no gate: the rails swap
        pos_[g] = neg_[a];
        neg_[g] = pos_[a];
        break;
      case Op::Buf:
        pos_[g] = pos_[a];
        neg_[g] = neg_[a];
        break;
      case Op::Xor:  // a ^ b = (a & !b) | (!a & b); !(a ^ b) = (a & b) | (!a & !b)
        if (wants(g, kPos)) pos_[g] = b_.or_(b_.and_(pos_[a], neg_[b]), b_.and_(neg_[a], pos_[b]));
        if (wants(g, kNeg)) neg_[g] = b_.or_(b_.and_(pos_[a], pos_[b]), b_.and_(neg_[a], neg_[b]));
        break;
      default: throw Error(fmt::format("nc1: gate g{} is {}", g, circuits::mnemonic(c_.op(g))));  // refused before
    }
  }

  const Circuit& c_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  BigVector<std::uint8_t> need_;
  BigVector<GateId> pos_, neg_;  // old id -> new id of each rail (kNoGate: not needed)
};

std::uint32_t depth_of(const Circuit& c, bool not_free) {
  const std::vector<std::uint32_t> level = circuits::gate_levels(c, not_free);
  std::uint32_t d = 0;
  for (const circuits::Output& o : c.outputs()) d = std::max(d, level[o.gate]);
  return d;
}

class Nc1Pass final : public Pass {
 public:
  std::string_view name() const override { return "nc1"; }
  std::string_view help() const override {
    return "rewrite a boolean circuit into and/or with not only on inputs (De Morgan, dual rail where needed)";
  }
  PassResult run(const Circuit& c, const PassArgs&) const override {
    if (std::string why = refusal(c); !why.empty()) return PassResult::refused(std::move(why));
    Nc1Builder nb(c);
    Circuit out = nb.run();
    if (const std::vector<std::string> v = circuits::nc1_violations(out); !v.empty())
      throw Error("nc1: internal error: the result is not in NC1 form: " + circuits::join_violations(v));
    PassResult r;
    r.counters = {{"depth", static_cast<std::int64_t>(depth_of(out, false))},
                  {"depth_not_free", static_cast<std::int64_t>(depth_of(out, true))},
                  {"dual_rail_gates", static_cast<std::int64_t>(nb.dual_rail_gates)},
                  {"negated_inputs", static_cast<std::int64_t>(nb.negated_inputs)},
                  {"xors_expanded", static_cast<std::int64_t>(nb.xors_expanded)}};
    r.circuit = std::move(out);
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_nc1_pass() { return std::make_unique<Nc1Pass>(); }

}  // namespace rnncc::compiler::passes
