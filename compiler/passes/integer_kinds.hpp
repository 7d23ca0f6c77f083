// The gate kinds of an integer circuit, as lower-bool and pnc1 take it: inputs, integer
// constants, add, sub, mul, neg, buf and step.
#pragma once

#include "circuits/circuit.hpp"

namespace rnncc::compiler::passes {

// Whether gate g is of an integer circuit's kinds (a constant only when it is an integer).
inline bool is_integer_gate(const circuits::Circuit& c, circuits::GateId g) {
  switch (c.op(g)) {
    case circuits::Op::Input:
    case circuits::Op::Add:
    case circuits::Op::Sub:
    case circuits::Op::Mul:
    case circuits::Op::Neg:
    case circuits::Op::Buf:
    case circuits::Op::Step: return true;
    case circuits::Op::Const: return c.constant(g).get_den() == 1;
    default: return false;
  }
}

}  // namespace rnncc::compiler::passes
