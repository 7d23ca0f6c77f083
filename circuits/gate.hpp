// Gate kinds of the circuit IR: the `.rc` mnemonics, arities and algebraic properties.
// Everything about a kind that passes, measures and file formats need lives here, so that
// adding a kind is one edit.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rnncc::circuits {

using GateId = std::uint32_t;
inline constexpr GateId kNoGate = 0xFFFFFFFFu;

enum class Op : std::uint8_t {
  Input,
  Const,
  Add,
  Sub,
  Mul,
  Neg,
  And,
  Or,
  Xor,
  Not,
  Relu,
  Tanh,
  Sigmoid,
  Sign,
  Step,
  Buf,
};
inline constexpr std::size_t kNumOps = 16;

inline constexpr std::array<std::string_view, kNumOps> kMnemonics = {
    "input", "const", "add", "sub", "mul", "neg", "and",  "or",
    "xor",   "not",   "relu", "tanh", "sigmoid", "sign", "step", "buf"};

constexpr std::string_view mnemonic(Op op) { return kMnemonics[static_cast<std::size_t>(op)]; }

inline std::optional<Op> op_from_mnemonic(std::string_view s) {
  for (std::size_t i = 0; i < kNumOps; ++i)
    if (kMnemonics[i] == s) return static_cast<Op>(i);
  return std::nullopt;
}

// Number of gate operands (inputs and constants have none; their `a` field holds an index).
constexpr int arity(Op op) {
  switch (op) {
    case Op::Input:
    case Op::Const: return 0;
    case Op::Neg:
    case Op::Not:
    case Op::Relu:
    case Op::Tanh:
    case Op::Sigmoid:
    case Op::Sign:
    case Op::Step:
    case Op::Buf: return 1;
    default: return 2;
  }
}

constexpr bool is_source(Op op) { return op == Op::Input || op == Op::Const; }

// Operands of commutative kinds are stored in ascending id order (hash-consing key).
constexpr bool is_commutative(Op op) {
  return op == Op::Add || op == Op::Mul || op == Op::And || op == Op::Or || op == Op::Xor;
}

// Kinds that AIGER/BLIF can hold (constants only 0 and 1).
constexpr bool is_boolean(Op op) {
  return op == Op::Input || op == Op::Const || op == Op::And || op == Op::Or ||
         op == Op::Xor || op == Op::Not || op == Op::Buf;
}

// Kinds that cost no level under `--not-free` (the AIG convention of ABC's `lev`).
constexpr bool is_free_when_not_free(Op op) { return op == Op::Not || op == Op::Buf; }

// Kinds that add one to mul_depth.
constexpr bool counts_for_mul_depth(Op op) { return op == Op::Mul || op == Op::And; }

}  // namespace rnncc::circuits
