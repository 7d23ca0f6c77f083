#include "circuits/normal_form.hpp"

#include <fmt/format.h>

#include "circuits/gate.hpp"

namespace rnncc::circuits {
namespace {

// Collects violations, listing the first kMaxViolationsListed and counting the rest.
class Violations {
 public:
  void add(GateId g, const std::string& why) {
    if (++count_ <= kMaxViolationsListed) list_.push_back(fmt::format("gate g{}: {}", g, why));
  }
  std::vector<std::string> finish() {
    if (count_ > kMaxViolationsListed)
      list_.push_back(fmt::format("... and {} more", count_ - kMaxViolationsListed));
    return std::move(list_);
  }

 private:
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

std::string kind_not_allowed(Op op, const char* form) {
  return fmt::format("{} is not allowed in {} form", mnemonic(op), form);
}

}  // namespace

std::vector<std::string> nc1_violations(const Circuit& c) {
  Violations v;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    switch (op) {
      case Op::Input:
      case Op::And:
      case Op::Or: break;
      case Op::Const:
        if (c.constant(g) != 0 && c.constant(g) != 1)
          v.add(g, fmt::format("constant {} (only 0 and 1 are allowed)", c.constant(g).get_str()));
        break;
      case Op::Not:
        if (c.op(c.a(g)) != Op::Input)
          v.add(g, fmt::format("not of a {} gate (g{}): not is allowed only on inputs", mnemonic(c.op(c.a(g))), c.a(g)));
        break;
      default: v.add(g, kind_not_allowed(op, "NC1"));
    }
  }
  return v.finish();
}

std::vector<std::string> pnc1_violations(const Circuit& c) {
  Violations v;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const Op op = c.op(g);
    switch (op) {
      case Op::Input:
      case Op::Step: break;  // placement checked on its readers below
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
        if (c.op(c.a(g)) == Op::Step || c.op(c.b(g)) == Op::Step)
          v.add(g, fmt::format("{} reads a step gate (g{}): step is allowed only before an output", mnemonic(op),
                               c.op(c.a(g)) == Op::Step ? c.a(g) : c.b(g)));
        break;
      case Op::Const:
        if (c.constant(g) != 0 && c.constant(g) != 1 && c.constant(g) != -1)
          v.add(g, fmt::format("constant {} (only -1, 0 and 1 are allowed)", c.constant(g).get_str()));
        break;
      default: v.add(g, kind_not_allowed(op, "PNC1"));
    }
    // A step reading a step would give its output two.
    if (op == Op::Step && c.op(c.a(g)) == Op::Step)
      v.add(g, fmt::format("step of a step gate (g{}): at most one step per output", c.a(g)));
  }
  return v.finish();
}

std::string join_violations(const std::vector<std::string>& violations) {
  return fmt::format("{}", fmt::join(violations, "; "));
}

}  // namespace rnncc::circuits
