// The fuzz targets' bodies, shared by the libFuzzer binaries (tests/fuzz/fuzz_*.cpp, built with
// clang under `make fuzz`) and the replay test (tests/fuzz/test_replay.cpp, built with the normal
// tests), so that every corpus file goes through exactly the code the fuzzers run.
//
// Each target feeds its bytes to a reader. A refusal (rnncc::Error, located) is the expected
// outcome for most inputs; anything else is a bug: a sanitizer report, another exception, or a
// broken oracle (a circuit that reads but whose written form does not read back the same), which
// calls fail() (abort, so that libFuzzer records the input as a crash).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/instance_file.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "proofs/automaton.hpp"
#include "proofs/cost_register.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::fuzz {

// Inputs above this many bytes are skipped: the readers are linear, and large inputs only slow
// the fuzzer down (libFuzzer's -max_len is below it anyway).
inline constexpr std::size_t kMaxInput = 1 << 20;

[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz target %s: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// .rc: read; what reads must write, read back and write byte-identically (docs/formats.md).
inline int rc_text(std::string_view text) {
  circuits::Circuit c;
  try {
    c = circuits::io::read_rc(text, "fuzz.rc");
  } catch (const Error&) {
    return 0;
  }
  const std::string w1 = circuits::io::write_rc(c);
  std::string w2;
  try {
    w2 = circuits::io::write_rc(circuits::io::read_rc(w1, "fuzz.rc"));
  } catch (const Error& e) {
    fail("rc", std::string("the written form does not read back: ") + e.what());
  }
  if (w1 != w2) fail("rc", "write -> read -> write is not byte-identical");
  return 0;
}
inline int rc(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  return rc_text(as_text(data, size));
}

// AIGER (binary or ASCII, by the header): read; what reads must write in both forms and read back
// with the same inputs, outputs and ANDs.
inline int aiger_text(std::string_view text) {
  circuits::Circuit c;
  try {
    c = circuits::io::read_aiger(text, "fuzz.aig");
  } catch (const Error&) {
    return 0;
  }
  for (auto mode : {circuits::io::AigerMode::Binary, circuits::io::AigerMode::Ascii}) {
    try {
      const std::string w = circuits::io::write_aiger(c, mode);
      circuits::Circuit back = circuits::io::read_aiger(w, "fuzz.aig");
      if (back.inputs().size() != c.inputs().size() || back.outputs().size() != c.outputs().size())
        fail("aiger", "the written form reads back with other inputs or outputs");
      if (circuits::io::write_aiger(back, mode) != w) fail("aiger", "write -> read -> write is not byte-identical");
    } catch (const Error& e) {
      fail("aiger", std::string("the written form does not read back: ") + e.what());
    }
  }
  return 0;
}
inline int aiger(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  return aiger_text(as_text(data, size));
}

// Spec TOML: parse and validate (compiler/spec_toml.cpp), then list the parameters of what passed.
inline int spec(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  try {
    compiler::Spec s = compiler::parse_spec(as_text(data, size), "fuzz.toml");
    (void)compiler::parameter_table(s);
  } catch (const Error&) {
  }
  return 0;
}

// Input-sequence files (`rnncc sim --inputs`): the first byte picks the domain and whether the
// circuit comes from a spec with an alphabet (symbol lines) or is a plain three-input circuit;
// the rest is the file.
struct InstanceContext {
  compiler::Spec spec;
  circuits::Circuit from_spec;
  circuits::Circuit plain;
  InstanceContext() {
    static constexpr std::string_view kSpec =
        "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\", \"c\"]\noutputs = \"all\"\ndomain = \"exact\"\nT = 3\n"
        "[init]\nseed = 1\nscale = \"1/2\"\n";
    spec = compiler::parse_spec(kSpec, "fuzz.toml");
    from_spec = compiler::unroll(spec, 3);
    circuits::Builder b;
    circuits::GateId x = b.input("x"), y = b.input("y"), z = b.input("z[0]");
    b.output("o", b.make(circuits::Op::Add, b.make(circuits::Op::Mul, x, y), z));
    plain = b.finish();
  }
};
inline int instances(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > kMaxInput) return 0;
  static const InstanceContext ctx;
  const unsigned pick = data[0];
  static constexpr circuits::DomainKind kKinds[] = {circuits::DomainKind::Real, circuits::DomainKind::Exact,
                                                    circuits::DomainKind::Modp, circuits::DomainKind::Bool};
  const circuits::DomainKind kind = kKinds[pick & 3];
  const bool with_spec = (pick >> 2) & 1;
  const std::uint64_t modulus = (pick >> 3) & 1 ? 7 : circuits::kDefaultModulus;
  try {
    (void)compiler::parse_instances(as_text(data + 1, size - 1), "fuzz.txt", with_spec ? ctx.from_spec : ctx.plain,
                                    with_spec ? &ctx.spec : nullptr, 3, kind, modulus);
  } catch (const Error&) {
  }
  return 0;
}

// Structure-aware: the bytes are choices, not text. Byte 0 picks the format; AIGER headers get
// numbers near every bound the reader checks (0, 1, 2^31, 2^32, 2^63, 2^64 - 1, ...) followed by
// the rest of the bytes as the body; `.rc` files get well-formed lines whose ids are dense,
// sparse, huge or repeated, so the id map's dense/sparse boundary is exercised.
class Choices {
 public:
  Choices(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool empty() const { return i_ >= n_; }
  std::uint8_t byte() { return i_ < n_ ? d_[i_++] : 0; }
  std::uint64_t u64() {
    std::uint64_t x = 0;
    for (int k = 0; k < 8; ++k) x = x << 8 | byte();
    return x;
  }
  // A number near an interesting bound.
  std::uint64_t number() {
    static constexpr std::uint64_t kBounds[] = {0,
                                                1,
                                                2,
                                                3,
                                                7,
                                                1024,
                                                1u << 16,
                                                1u << 20,
                                                (1u << 28) + 1,
                                                (1ull << 31) - 1,
                                                1ull << 31,
                                                1ull << 32,
                                                1ull << 63,
                                                ~0ull};
    const std::uint8_t b = byte();
    const std::uint64_t base = kBounds[(b >> 2) % std::size(kBounds)];
    switch (b & 3) {
      case 0: return base;
      case 1: return base + (byte() & 15);
      case 2: return base - (byte() & 15);
      default: return u64();
    }
  }
  std::string_view rest() const {
    return i_ < n_ ? std::string_view(reinterpret_cast<const char*>(d_ + i_), n_ - i_) : std::string_view();
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_, i_ = 0;
};

inline std::string structured_aiger(Choices& ch) {
  const bool binary = ch.byte() & 1;
  std::string s = binary ? "aig" : "aag";
  const int fields = 5 + (ch.byte() % 6 == 0 ? ch.byte() % 5 : 0);
  for (int k = 0; k < fields; ++k) s += " " + std::to_string(ch.number());
  s += '\n';
  const unsigned lines = ch.byte() % 8;  // a few literal lines: inputs (ASCII) and outputs
  for (unsigned k = 0; k < lines; ++k) s += std::to_string(ch.number() % 64) + "\n";
  s += ch.rest();
  return s;
}

inline std::string structured_rc(Choices& ch) {
  static constexpr const char* kKinds[] = {"add", "sub", "mul", "neg", "and", "or", "xor",
                                           "not", "relu", "tanh", "sigmoid", "sign", "step", "buf"};
  std::string s = "rnncc 1\n";
  std::vector<std::uint64_t> ids;
  auto id_of = [&](std::uint8_t b) -> std::uint64_t {
    if (!ids.empty() && (b & 1)) return ids[(b >> 1) % ids.size()];
    return ch.number();
  };
  unsigned inputs = 0;
  while (!ch.empty() && s.size() < (1u << 16)) {
    const std::uint8_t op = ch.byte();
    switch (op % 8) {
      case 0:
      case 1: {  // input or constant
        const std::uint64_t id = (op & 8) ? ids.size() : ch.number();
        s += std::to_string(id) + (op & 16 ? " = const " + std::to_string(static_cast<std::int8_t>(ch.byte())) : " = input x" + std::to_string(inputs++)) + "\n";
        ids.push_back(id);
        break;
      }
      case 2:
      case 3:
      case 4: {  // a gate on earlier ids (or any id)
        const std::uint64_t id = (op & 8) ? ids.size() : ch.number();
        const char* kind = kKinds[ch.byte() % std::size(kKinds)];
        const bool binary = std::string_view(kind) == "add" || std::string_view(kind) == "sub" ||
                            std::string_view(kind) == "mul" || std::string_view(kind) == "and" ||
                            std::string_view(kind) == "or" || std::string_view(kind) == "xor";
        s += std::to_string(id) + " = " + kind + " " + std::to_string(id_of(ch.byte()));
        if (binary) s += " " + std::to_string(id_of(ch.byte()));
        if (op & 16) s += " @c:" + std::to_string(ch.byte());
        s += "\n";
        ids.push_back(id);
        break;
      }
      case 5:
        s += "output o" + std::to_string(ch.byte()) + " = " + std::to_string(id_of(ch.byte())) + "\n";
        break;
      case 6: {
        s += "step " + std::to_string(ch.byte()) + " =";
        for (unsigned k = ch.byte() % 4; k > 0; --k) s += " " + std::to_string(id_of(ch.byte()));
        s += "\n";
        break;
      }
      default:
        s += "port input x" + std::to_string(ch.byte() % (inputs + 1)) + " sequence t=" + std::to_string(ch.byte()) +
             " i=" + std::to_string(ch.number()) + (op & 8 ? " bit=" + std::to_string(ch.byte() % 40) + "/" + std::to_string(ch.number()) : "") +
             "\n";
        break;
    }
  }
  return s;
}

inline int structured(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > kMaxInput) return 0;
  Choices ch(data + 1, size - 1);
  return data[0] & 1 ? aiger_text(structured_aiger(ch)) : rc_text(structured_rc(ch));
}

// The input files of `rnncc construct` (proofs/): byte 0 picks the reader — 'a' automaton TOML
// (dwfa), 'c' cost-register automaton TOML (cra), 'm' a matrices file (rwkv7-imm,
// deltanet-matrix), any other byte by its value mod 3 in that order — and the rest is the file. What reads must write back to text that reads to the same text.
template <class Read, class Write>
void round_trip(const char* target, std::string_view text, const char* path, Read read, Write write) {
  std::string w1;
  try {
    w1 = write(read(text, path));
  } catch (const Error&) {
    return;
  }
  std::string w2;
  try {
    w2 = write(read(w1, path));
  } catch (const Error& e) {
    fail(target, std::string("the written form does not read back: ") + e.what());
  }
  if (w1 != w2) fail(target, "write -> read -> write is not identical");
}
inline int automata(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > kMaxInput) return 0;
  const std::string_view text = as_text(data + 1, size - 1);
  const unsigned pick = data[0] == 'a' ? 0 : data[0] == 'c' ? 1 : data[0] == 'm' ? 2 : data[0] % 3;
  switch (pick) {
    case 0:
      round_trip("automata", text, "fuzz.toml", proofs::parse_automaton,
                 [](const proofs::Automaton& a) { return proofs::automaton_text(a); });
      break;
    case 1:
      round_trip("automata", text, "fuzz.toml", proofs::parse_cra,
                 [](const proofs::CostRegisterAutomaton& a) { return proofs::cra_text(a); });
      break;
    default:
      round_trip(
          "automata", text, "fuzz.txt",
          [](std::string_view t, const char* p) { return proofs::parse_matrices(t, p); },
          [](const std::vector<proofs::QMatrix>& ms) { return proofs::matrices_text(ms); });
  }
  return 0;
}

}  // namespace rnncc::fuzz
