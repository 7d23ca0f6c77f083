#include "circuits/rebuild.hpp"

#include <fmt/format.h>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits {

namespace {
constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
}

Rebuild::Rebuild(const Circuit& source, Folding folding)
    : src_(source),
      map_(source.num_gates(), kNoGate),
      origin_map_(source.origins().size(), kUnset),
      trivial_origins_(source.origins().size() == 1) {
  origin_map_[0] = 0;
  b_.set_folding(folding == Folding::On);
  for (const std::string& key : src_.port_keys()) b_.port_key(key);  // same indices as the source's
}

void Rebuild::reserve(std::size_t gates) {
  b_.reserve(gates);
  b_.reserve_inputs(src_.inputs().size());
}

void Rebuild::stamp_origin(GateId g) {
  if (trivial_origins_) return;
  const std::uint32_t i = src_.origin_index(g, origin_cursor_);
  if (origin_map_[i] == kUnset) origin_map_[i] = b_.set_origin(src_.origins()[i]);
  b_.set_origin_index(origin_map_[i]);
}

GateId Rebuild::copy(GateId g) {
  stamp_origin(g);
  const Op op = src_.op(g);
  GateId out;
  if (op == Op::Input) {
    const std::size_t k = src_.a(g);
    if (k != b_.circuit().inputs().size())
      throw Error(fmt::format("rebuild: input {} copied out of order (after {} inputs)", k, b_.circuit().inputs().size()));
    out = b_.input_unchecked(src_.input_name(k), src_.input_port(k));  // names of a valid circuit
  } else if (op == Op::Const) {
    out = b_.constant(src_.constant(g));
  } else {
    out = b_.make(op, map_[src_.a(g)], arity(op) == 2 ? map_[src_.b(g)] : kNoGate);
  }
  map_[g] = out;
  return out;
}

Circuit Rebuild::finish(Steps steps) {
  if (b_.circuit().inputs().size() != src_.inputs().size())
    throw Error(fmt::format("rebuild: {} of {} inputs copied", b_.circuit().inputs().size(), src_.inputs().size()));
  for (const Output& o : src_.outputs()) {
    if (map_[o.gate] == kNoGate) throw Error(fmt::format("rebuild: output '{}' lost its gate", o.name));
    b_.output(o.name, map_[o.gate], o.port);
  }
  if (steps == Steps::Map)
    for (const StepRecord& s : src_.steps()) {
      std::vector<GateId> gates;
      gates.reserve(s.gates.size());
      for (GateId g : s.gates)
        if (map_[g] != kNoGate) gates.push_back(map_[g]);
      if (!gates.empty()) b_.add_step(s.step, std::move(gates));
    }
  for (const ValueHint& h : src_.hints())  // a hint holds for whatever gate now computes the value
    if (map_[h.gate] != kNoGate) b_.add_hint({map_[h.gate], h.lo, h.hi, h.exclusive});
  b_.set_state_shape(src_.state_shape());
  Circuit out = b_.finish();
  out.name = src_.name;
  return out;
}

Circuit Rebuild::finish_interface(std::vector<Output> outputs) {
  for (Output& o : outputs) b_.output(std::move(o.name), o.gate, o.port);
  b_.set_state_shape(src_.state_shape());
  Circuit out = b_.finish();
  out.name = src_.name;
  return out;
}

Circuit drop_dead(Circuit c) {
  const std::vector<std::uint8_t> live = live_gates(c);
  bool any_dead = false;
  for (GateId g = 0; g < c.num_gates() && !any_dead; ++g) any_dead = !live[g] && c.op(g) != Op::Input;
  if (!any_dead) return c;
  Rebuild r(c);
  r.reserve(c.num_gates());
  for (GateId g = 0; g < c.num_gates(); ++g)
    if (live[g] || c.op(g) == Op::Input) r.copy(g);
  return r.finish();
}

}  // namespace rnncc::circuits
