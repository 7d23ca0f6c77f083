// The test suites' independent reference for boolean circuits: one loop over gate ids in id
// order (operands always have smaller ids), no levelization, nothing shared with rnncc's own
// simulator. One instance per `bool` (per-bit evaluation), or 64 instances per std::uint64_t,
// bit k of every word belonging to instance k. Defined for boolean kinds only (input, 0/1
// constants, and, or, xor, not, buf); anything else is a test failure.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/gate.hpp"

namespace rnncc::test {

// `c` on the values in `in` (one per circuit input, in input order): one value per output, in
// output order. W is `bool` (one instance) or std::uint64_t (64 instances).
template <class W>
std::vector<W> eval_bool(const circuits::Circuit& c, const std::vector<W>& in) {
  using circuits::GateId;
  using circuits::Op;
  auto negate = [](W x) -> W {
    if constexpr (std::is_same_v<W, bool>) return !x;
    else return static_cast<W>(~x);
  };
  std::vector<W> v(c.num_gates(), W{0});
  for (GateId g = 0; g < c.num_gates(); ++g) {
    switch (c.op(g)) {
      case Op::Input:
        v[g] = in[c.a(g)];
        break;
      case Op::Const:
        EXPECT_TRUE(c.constant(g) == 0 || c.constant(g) == 1)
            << "non-boolean constant " << c.constant(g).get_str() << " at gate " << g;
        v[g] = c.constant(g) == 0 ? W{0} : negate(W{0});
        break;
      case Op::And:
        v[g] = v[c.a(g)] & v[c.b(g)];
        break;
      case Op::Or:
        v[g] = v[c.a(g)] | v[c.b(g)];
        break;
      case Op::Xor:
        v[g] = v[c.a(g)] ^ v[c.b(g)];
        break;
      case Op::Not:
        v[g] = negate(v[c.a(g)]);
        break;
      case Op::Buf:
        v[g] = v[c.a(g)];
        break;
      default:
        ADD_FAILURE() << "not a boolean gate: " << circuits::mnemonic(c.op(g)) << " at gate " << g;
    }
  }
  std::vector<W> out;
  out.reserve(c.outputs().size());
  for (const circuits::Output& o : c.outputs()) out.push_back(v[o.gate]);
  return out;
}

inline std::vector<std::uint64_t> eval_bool_words(const circuits::Circuit& c, const std::vector<std::uint64_t>& in) {
  return eval_bool<std::uint64_t>(c, in);
}

}  // namespace rnncc::test
