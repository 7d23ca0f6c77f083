// The tracing domain: values are gate ids, operations build gates through the hash-consing
// builder, and `construct` stamps the gates that follow with a spec construct and the current
// step. Instantiating the model zoo with it is how the unroller turns a spec into a circuit.
#pragma once

#include <string>

#include "circuits/builder.hpp"

namespace rnncc::compiler {

struct TraceDomain {
  using Value = circuits::GateId;
  circuits::Builder& b;
  std::uint32_t current_step = 0;

  Value constant(const mpq_class& q) { return b.constant(q); }
  Value add(Value x, Value y) { return b.add(x, y); }
  Value sub(Value x, Value y) { return b.sub(x, y); }
  Value mul(Value x, Value y) { return b.mul(x, y); }
  Value neg(Value x) { return b.neg(x); }
  Value relu(Value x) { return b.make(circuits::Op::Relu, x); }
  Value tanh(Value x) { return b.make(circuits::Op::Tanh, x); }
  Value sigmoid(Value x) { return b.make(circuits::Op::Sigmoid, x); }
  Value sign(Value x) { return b.make(circuits::Op::Sign, x); }
  Value step(Value x) { return b.make(circuits::Op::Step, x); }
  void construct(const std::string& name) { b.set_origin({name, current_step}); }
};

}  // namespace rnncc::compiler
