// The simplest possible evaluator: one pass over gate ids in a value domain of domains.hpp.
// It is the reference the levelized simulators are checked against, and how tests compare an
// unrolled circuit with the interpreter. Kinds a domain does not define are refused before any
// work.
#pragma once

#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"

namespace rnncc::circuits {

// Values of every output, in output order, for one assignment of the inputs (in input order).
template <class D>
std::vector<typename D::Value> evaluate(const Circuit& c, D& dom, const std::vector<typename D::Value>& inputs) {
  using V = typename D::Value;
  if (inputs.size() != c.inputs().size())
    throw Error("evaluate: " + std::to_string(inputs.size()) + " input values for " +
                std::to_string(c.inputs().size()) + " inputs");
  const std::vector<std::uint8_t> live = live_gates(c);
  for (GateId g = 0; g < c.num_gates(); ++g)
    if (live[g] && !domain_defines(D::kind, c.op(g))) throw_undefined(c.op(g), D::kind);
  std::vector<V> v(c.num_gates());
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) continue;
    switch (c.op(g)) {
      case Op::Input: v[g] = inputs[c.a(g)]; break;
      case Op::Const: v[g] = dom.constant(c.constant(g)); break;
      case Op::Add: v[g] = dom.add(v[c.a(g)], v[c.b(g)]); break;
      case Op::Sub: v[g] = dom.sub(v[c.a(g)], v[c.b(g)]); break;
      case Op::Mul: v[g] = dom.mul(v[c.a(g)], v[c.b(g)]); break;
      case Op::Neg: v[g] = dom.neg(v[c.a(g)]); break;
      case Op::Relu: v[g] = dom.relu(v[c.a(g)]); break;
      case Op::Tanh: v[g] = dom.tanh(v[c.a(g)]); break;
      case Op::Sigmoid: v[g] = dom.sigmoid(v[c.a(g)]); break;
      case Op::Sign: v[g] = dom.sign(v[c.a(g)]); break;
      case Op::Step: v[g] = dom.step(v[c.a(g)]); break;
      case Op::Buf: v[g] = v[c.a(g)]; break;
      default: throw_undefined(c.op(g), D::kind);  // boolean kinds: bool domain (simulator)
    }
  }
  std::vector<V> out;
  out.reserve(c.outputs().size());
  for (const Output& o : c.outputs()) out.push_back(v[o.gate]);
  return out;
}

}  // namespace rnncc::circuits
