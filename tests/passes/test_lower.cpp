// Lowering passes: lower-int (rational -> integer circuits, pair and power forms, the paper's
// Prop 4 bounds) and lower-bool (integer -> boolean circuits), checked by verified stages on
// every linear example (each stage against the reference interpreter, decoded through the
// ports), and on random circuits against direct evaluation with GMP in this file (an evaluator
// that shares nothing with rnncc's simulators, and decodes num/den and bits by hand).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "check/verify.hpp"
#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/decode.hpp"
#include "circuits/error.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "circuits/normal_form.hpp"
#include "nlohmann/json.hpp"
#include "tests/abc_support.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Builder;
using circuits::Circuit;
using circuits::DomainKind;
using circuits::GateId;
using circuits::Op;
using circuits::PortPart;
using circuits::PortRole;

Spec example(const std::string& name) { return load_spec(test::example_spec_path(name)); }
const std::vector<std::string> kLinear = {"diagonal", "dense", "pd", "dplr", "deltanet", "rwkv7"};

check::VerifyOptions options(std::uint64_t T, std::size_t trials) {
  check::VerifyOptions o;
  o.T = T;
  o.trials = trials;
  o.domain = DomainKind::Exact;
  o.threads = 1;
  return o;
}

void expect_all_ok(const check::VerifyResult& r) {
  for (const check::StageCheck& s : r.stages) EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
}

std::string counter(const PassRecord& r, const std::string& name) {
  const CounterValue* v = r.counter(name);
  return v ? counter_text(*v) : "(none)";
}

// Direct evaluation over the rationals, one forward loop: the independent reference.
std::vector<mpq_class> eval_exact(const Circuit& c, const std::vector<mpq_class>& in) {
  std::vector<mpq_class> v(c.num_gates());
  for (GateId g = 0; g < c.num_gates(); ++g) {
    const mpq_class& a = v[c.a(g) < g ? c.a(g) : 0];
    const mpq_class& b = v[circuits::arity(c.op(g)) == 2 ? c.b(g) : 0];
    switch (c.op(g)) {
      case Op::Input: v[g] = in[c.a(g)]; break;
      case Op::Const: v[g] = c.constant(g); break;
      case Op::Add: v[g] = a + b; break;
      case Op::Sub: v[g] = a - b; break;
      case Op::Mul: v[g] = a * b; break;
      case Op::Neg: v[g] = -a; break;
      case Op::Buf: v[g] = a; break;
      case Op::Step: v[g] = a > 0 ? 1 : 0; break;
      case Op::And: v[g] = (a != 0 && b != 0) ? 1 : 0; break;
      case Op::Or: v[g] = (a != 0 || b != 0) ? 1 : 0; break;
      case Op::Xor: v[g] = ((a != 0) != (b != 0)) ? 1 : 0; break;
      case Op::Not: v[g] = a == 0 ? 1 : 0; break;
      default: ADD_FAILURE() << "kind " << circuits::mnemonic(c.op(g)); break;
    }
  }
  std::vector<mpq_class> out;
  for (const circuits::Output& o : c.outputs()) out.push_back(v[o.gate]);
  return out;
}

// A random rational circuit over `n_in` inputs in [lo, hi] with constants over `den_base`^k (or
// arbitrary small denominators when den_base is 0, integers when it is 1), ending in 3 outputs
// and, when `step`,
// one positivity test on an output.
Circuit random_rational(std::mt19937_64& rng, int n_in, int gates, int den_base, bool step, int lo = -3, int hi = 5) {
  Builder b;
  std::vector<GateId> pool;
  for (int i = 0; i < n_in; ++i) {
    circuits::Port p{.role = PortRole::Sequence, .word_bits = 0, .bit = 0, .has_range = true, .step = 1,
                     .index = static_cast<std::uint32_t>(i), .key = 0, .lo = lo, .hi = hi};
    pool.push_back(b.input("x" + std::to_string(i), p));
  }
  auto pick = [&] { return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)]; };
  for (int k = 0; k < gates; ++k) {
    const int r = static_cast<int>(rng() % 10);
    GateId g;
    if (r < 2) {
      const long num = static_cast<long>(rng() % 19) - 9;
      const long den = den_base == 2 ? (1L << (rng() % 4)) : den_base == 1 ? 1 : 1 + static_cast<long>(rng() % 6);
      mpq_class q(num, den);
      q.canonicalize();
      g = b.mul(pick(), b.constant(q));
    } else if (r < 5) {
      g = b.add(pick(), pick());
    } else if (r < 7) {
      g = b.sub(pick(), pick());
    } else if (r < 9) {
      g = b.mul(pick(), pick());
    } else {
      g = b.neg(pick());
    }
    pool.push_back(g);
  }
  for (int o = 0; o < 3; ++o) {
    circuits::Port p{.role = PortRole::Output, .word_bits = 0, .bit = 0, .has_range = false, .step = 1,
                     .index = static_cast<std::uint32_t>(o)};
    b.output("y" + std::to_string(o), pool[pool.size() - 1 - static_cast<std::size_t>(o)], p);
  }
  if (step) {
    circuits::Port p{.role = PortRole::Accept};
    b.output("accept", b.make(Op::Step, pool[pool.size() / 2]), p);
  }
  return b.finish();
}

// The values the lowered outputs stand for, decoded by hand from their ports: num/den pairs,
// numerators over C^E, and (for boolean circuits) two's complement or unsigned bits.
std::map<std::string, mpq_class> decode_by_hand(const Circuit& c, const std::vector<mpq_class>& outs) {
  std::map<std::string, mpq_class> num, den;
  std::map<std::string, mpz_class> scale;
  for (std::size_t k = 0; k < outs.size(); ++k) {
    const circuits::Output& o = c.outputs()[k];
    const circuits::Port& p = o.port;
    std::string name = o.name;
    mpq_class v = outs[k];
    if (p.word_bits) {
      name = name.substr(0, name.rfind('.'));
      mpz_class w = v.get_num() << p.bit;
      if (!p.word_unsigned && p.bit + 1 == p.word_bits) w = -w;  // the sign bit weighs -2^(W-1)
      v = w;
    }
    if (p.part == PortPart::Den) name = name.substr(0, name.size() - 4);
    if (p.part == PortPart::Num) name = name.substr(0, name.size() - 4);
    mpz_class s = 1;
    for (std::uint32_t e = 0; e < p.scale_exp; ++e) s *= p.scale_base;
    scale[name] = s;
    if (p.part == PortPart::Den) {
      den[name] += v;
    } else {
      num[name] += v;
      den.try_emplace(name, 0);
    }
  }
  std::map<std::string, mpq_class> r;
  for (auto& [name, n] : num) {
    mpq_class d = den[name] == 0 ? mpq_class(1) : den[name];
    r[name] = n / d / mpq_class(scale[name]);
  }
  return r;
}

std::vector<mpq_class> random_inputs(std::mt19937_64& rng, const Circuit& c) {
  std::vector<mpq_class> in;
  for (std::size_t k = 0; k < c.inputs().size(); ++k) {
    const circuits::Port& p = c.input_port(k);
    in.emplace_back(p.lo + static_cast<long>(rng() % static_cast<std::uint64_t>(p.hi - p.lo + 1)));
  }
  return in;
}

PipelineResult lower(const Circuit& c, const std::string& script) { return run_script(c, parse_script(script)); }

// ---- decoding (circuits/decode.hpp) ----

TEST(OutputLayout, PutsBitsPartsAndScalesBackTogether) {
  Builder b;
  const GateId x = b.input("x");
  auto port = [](std::uint32_t index, std::uint32_t bits, std::uint32_t bit, bool uns, PortPart part, std::uint32_t e) {
    return circuits::Port{.role = PortRole::Output, .word_bits = bits, .bit = bit, .has_range = false, .step = 1,
                          .index = index, .key = 0, .lo = 0, .hi = 0, .word_unsigned = uns, .part = part,
                          .scale_base = e ? 2u : 0u, .scale_exp = e};
  };
  // y0: 3-bit two's complement over 2^2; y1: 3-bit unsigned; y2: num (2-bit signed) / den (whole).
  for (std::uint32_t k = 0; k < 3; ++k) b.output("y0." + std::to_string(k), x, port(0, 3, k, false, PortPart::Value, 2));
  for (std::uint32_t k = 0; k < 3; ++k) b.output("y1." + std::to_string(k), x, port(1, 3, k, true, PortPart::Value, 0));
  for (std::uint32_t k = 0; k < 2; ++k) b.output("y2.num." + std::to_string(k), x, port(2, 2, k, false, PortPart::Num, 0));
  b.output("y2.den", x, port(2, 0, 0, false, PortPart::Den, 0));
  const Circuit c = b.finish();
  const circuits::OutputLayout layout(c);
  ASSERT_EQ(layout.values().size(), 3u);
  EXPECT_FALSE(layout.trivial());
  EXPECT_EQ(layout.values()[0].name, "y0");
  EXPECT_EQ(layout.values()[2].name, "y2");
  // y0 bits 1,0,1 = -3 (two's complement) over 4; y1 bits 1,0,1 = 5; y2 = (bits 1,1 = -1) / 6.
  const std::vector<mpq_class> outs = {1, 0, 1, 1, 0, 1, 1, 1, 6};
  const std::vector<mpq_class> v = layout.decode(outs.data());
  EXPECT_EQ(v, (std::vector<mpq_class>{mpq_class(-3, 4), 5, mpq_class(-1, 6)}));
  EXPECT_EQ(layout.widest_word(), 3u);
}

TEST(OutputLayout, RefusesEncodingsThatDoNotFit) {
  auto out = [](std::uint32_t bits, std::uint32_t bit) {
    return circuits::Port{.role = PortRole::Output, .word_bits = bits, .bit = bit, .has_range = false, .step = 1, .index = 0};
  };
  {
    Builder b;
    const GateId x = b.input("x");
    b.output("y.0", x, out(3, 0));
    b.output("y.2", x, out(3, 2));
    EXPECT_NE(test::error_of([&] { circuits::OutputLayout{b.finish()}; }).find("no output carries bit 1"), std::string::npos);
  }
  {
    Builder b;
    const GateId x = b.input("x");
    b.output("y.0", x, out(3, 0));
    b.output("z.0", x, out(4, 0));
    EXPECT_NE(test::error_of([&] { circuits::OutputLayout{b.finish()}; }).find("does not match"), std::string::npos);
  }
  {
    Builder b;
    const GateId x = b.input("x");
    b.output("y.0", x, out(2, 0));
    b.output("y.0b", x, out(2, 0));
    EXPECT_NE(test::error_of([&] { circuits::OutputLayout{b.finish()}; }).find("carried twice"), std::string::npos);
  }
  {
    // A hostile file: one output claiming bit 0 of a 2^24-bit word; no table of its width is made.
    const circuits::Circuit c = circuits::io::read_rc(
        "rnncc 1\n0 = input x\noutput y.0 = 0\nport output y.0 output t=1 i=0 bit=0/16777216\n", "w.rc");
    EXPECT_NE(test::error_of([&] { circuits::OutputLayout{c}; }).find("value y: no output carries bit 1"),
              std::string::npos);
  }
}

// ---- lower-int ----

TEST(LowerInt, EveryLinearExampleInPowerFormAgreesStageByStage) {
  for (const std::string& name : kLinear) {
    for (const char* script : {"lower-int", "lift-scan -n sklansky; lower-int", "lower-int; balance"}) {
      SCOPED_TRACE(name + ": " + script);
      const check::VerifyResult r = check::verify_script(example(name), parse_script(script), options(4, 3));
      expect_all_ok(r);
      const PassRecord* li = nullptr;
      for (const PassRecord& rec : r.records)
        if (rec.pass == "lower-int") li = &rec;
      ASSERT_NE(li, nullptr);
      // Seeded parameters are dyadic: one base C = 2, numerators only.
      EXPECT_EQ(counter(*li, "form"), "power");
      EXPECT_EQ(counter(*li, "base"), "2");
      // Prop 4: at most 4 integer gates per rational gate, at most twice the depth.
      EXPECT_LE(std::stoi(counter(*li, "max_gates_per_gate")), 4);
      EXPECT_LE(li->size_after, 4 * li->size_before);
      EXPECT_LE(li->depth_after, 2 * li->depth_before);
    }
  }
}

TEST(LowerInt, PairFormAgreesAndKeepsProp4Bounds) {
  for (const std::string& name : kLinear) {
    SCOPED_TRACE(name);
    const check::VerifyResult r = check::verify_script(example(name), parse_script("lower-int --form pair"), options(3, 2));
    expect_all_ok(r);
    ASSERT_EQ(r.records.size(), 1u);
    const PassRecord& li = r.records[0];
    EXPECT_EQ(counter(li, "form"), "pair");
    EXPECT_LE(std::stoi(counter(li, "max_gates_per_gate")), 4);
    EXPECT_LE(li.size_after, 4 * li.size_before);
    EXPECT_LE(li.depth_after, 2 * li.depth_before);
  }
}

TEST(LowerInt, RandomCircuitsAgainstGmpInBothForms) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 60; ++trial) {
    const int base = trial % 2 == 0 ? 2 : 0;  // dyadic constants, or arbitrary denominators
    const Circuit c = random_rational(rng, 3, 25, base, trial % 3 == 0);
    for (const char* form : {"pair", "power", "auto"}) {
      const PipelineResult lo = lower(c, std::string("lower-int --form ") + form);
      ASSERT_EQ(lo.records.size(), 1u);
      if (base == 0 && std::string(form) == "power") {
        // Power form needs one base; arbitrary denominators may still share one (1/3, 1/9).
        if (lo.records[0].refused()) continue;
      }
      ASSERT_FALSE(lo.records[0].refused()) << lo.records[0].refusal;
      for (GateId g = 0; g < lo.circuit.num_gates(); ++g)
        if (lo.circuit.op(g) == Op::Const) {
          ASSERT_EQ(lo.circuit.constant(g).get_den(), 1) << "a constant that is no integer";
        }
      for (int k = 0; k < 4; ++k) {
        const std::vector<mpq_class> in = random_inputs(rng, c);
        const std::vector<mpq_class> want = eval_exact(c, in);
        const auto got = decode_by_hand(lo.circuit, eval_exact(lo.circuit, in));
        for (std::size_t o = 0; o < want.size(); ++o) {
          auto it = got.find(c.outputs()[o].name);
          ASSERT_NE(it, got.end()) << c.outputs()[o].name;
          EXPECT_EQ(it->second, want[o]) << "trial " << trial << " " << form << " output " << c.outputs()[o].name;
        }
      }
    }
  }
}

TEST(LowerInt, RefusesWhatHasNoIntegerForm) {
  // relu: no integer form.
  PipelineResult r = lower(compiler::unroll(example("elman_relu"), 2), "lower-int");
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("relu"), std::string::npos) << r.records[0].refusal;
  // A real-input spec without input_range: its inputs are not integers.
  const std::string real = "kind = \"diagonal\"\nd = 2\ninput_width = 2\n";
  const std::string init = "[init]\nseed = 1\n";
  Spec s = parse_spec(real + init, "real.toml");
  r = lower(compiler::unroll(s, 2), "lower-int");
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("input 'x[1][0]'"), std::string::npos) << r.records[0].refusal;
  EXPECT_NE(r.records[0].refusal.find("input_range"), std::string::npos);
  // With input_range it lowers, and verifies against the interpreter on integer inputs.
  s = parse_spec(real + "input_range = [-4, 7]\n" + init, "real.toml");
  s.domain = DomainKind::Exact;
  expect_all_ok(check::verify_script(s, parse_script("lower-int"), options(3, 3)));
  // A step read by a gate.
  Builder b;
  circuits::Port in{.role = PortRole::Sequence, .word_bits = 0, .bit = 0, .has_range = true, .step = 1, .index = 0,
                    .key = 0, .lo = 0, .hi = 1};
  const GateId x = b.input("x", in);
  b.output("y", b.add(b.make(Op::Step, x), x));
  r = lower(b.finish(), "lower-int");
  ASSERT_TRUE(r.records[0].refused());
  EXPECT_NE(r.records[0].refusal.find("read by another gate"), std::string::npos) << r.records[0].refusal;
  // --form power on denominators of two bases.
  Builder b2;
  const GateId y = b2.input("x", in);
  b2.output("y", b2.add(b2.mul(y, b2.constant(mpq_class(1, 2))), b2.mul(y, b2.constant(mpq_class(1, 3)))));
  const Circuit two = b2.finish();
  r = lower(two, "lower-int --form power");
  ASSERT_TRUE(r.records[0].refused());
  r = lower(two, "lower-int");
  EXPECT_EQ(counter(r.records[0], "form"), "pair");
}

TEST(LowerInt, EncodedPortsSurviveTheRcFormat) {
  const PipelineResult r = lower(compiler::unroll(example("dplr"), 2), "lower-int --form pair");
  const std::string text = circuits::io::write_rc(r.circuit);
  EXPECT_NE(text.find("part=num"), std::string::npos);
  EXPECT_NE(text.find("part=den"), std::string::npos);
  const Circuit back = circuits::io::read_rc(text, "pair.rc");
  EXPECT_EQ(circuits::io::write_rc(back), text);
  const PipelineResult p = lower(compiler::unroll(example("dplr"), 2), "lower-int");
  const std::string ptext = circuits::io::write_rc(p.circuit);
  EXPECT_NE(ptext.find("scale=2^"), std::string::npos);
  EXPECT_EQ(circuits::io::write_rc(circuits::io::read_rc(ptext, "p.rc")), ptext);
}

// ---- lower-bool ----

// The lowered circuit's input values for one instance of the original's: each bit input takes
// its bit of the value of the input its port names (index), by hand.
// (Inputs are matched by name: NAME.K is bit K of the original input NAME.)
std::vector<std::uint64_t> bit_inputs(const Circuit& c, const Circuit& lowered, const std::vector<std::vector<mpq_class>>& lanes) {
  std::map<std::string, std::size_t> original;
  for (std::size_t i = 0; i < c.inputs().size(); ++i) original[c.input_name(i)] = i;
  std::vector<std::uint64_t> in(lowered.inputs().size(), 0);
  for (std::size_t k = 0; k < in.size(); ++k) {
    const circuits::Port& p = lowered.input_port(k);
    std::string name = lowered.input_name(k);
    if (p.word_bits) name = name.substr(0, name.rfind('.'));
    EXPECT_EQ(original.count(name), 1u) << name;
    const std::size_t i = original[name];
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
      const mpz_class v = lanes[lane][i].get_num();
      bool bit;
      if (p.word_bits == 0) {
        bit = v != 0;
      } else {
        mpz_class u = v < 0 ? v + (mpz_class(1) << p.word_bits) : v;  // two's complement
        bit = mpz_tstbit(u.get_mpz_t(), p.bit) != 0;
      }
      if (bit) in[k] |= std::uint64_t{1} << lane;
    }
  }
  return in;
}

// Checks `lowered` (boolean) against direct evaluation of `c` on 64 random instances.
void expect_lowering_agrees(const Circuit& c, const Circuit& lowered, std::mt19937_64& rng,
                            const std::function<mpq_class(std::size_t input)>& draw, const std::string& what) {
  for (GateId g = 0; g < lowered.num_gates(); ++g)
    ASSERT_TRUE(circuits::is_boolean(lowered.op(g))) << what << ": gate " << g << " is " << circuits::mnemonic(lowered.op(g));
  std::vector<std::vector<mpq_class>> lanes(64);
  for (auto& lane : lanes)
    for (std::size_t i = 0; i < c.inputs().size(); ++i) lane.push_back(draw(i));
  (void)rng;
  const std::vector<std::uint64_t> got = test::eval_bool<std::uint64_t>(lowered, bit_inputs(c, lowered, lanes));
  for (std::size_t lane = 0; lane < 64; ++lane) {
    std::vector<mpq_class> outs;
    for (std::uint64_t w : got) outs.emplace_back(static_cast<long>((w >> lane) & 1));
    const auto values = decode_by_hand(lowered, outs);
    const std::vector<mpq_class> want = eval_exact(c, lanes[lane]);
    for (std::size_t o = 0; o < want.size(); ++o) {
      auto it = values.find(c.outputs()[o].name);
      ASSERT_NE(it, values.end()) << what << ": " << c.outputs()[o].name;
      ASSERT_EQ(it->second, want[o]) << what << ", lane " << lane << ", output " << c.outputs()[o].name;
    }
  }
}

TEST(LowerBool, RandomIntegerCircuitsEverySettingAgainstGmp) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 4; ++trial) {
    const Circuit c = random_rational(rng, 3, 14, 1, trial % 2 == 0, -5, 6);
    auto draw = [&](std::size_t) { return mpq_class(static_cast<long>(rng() % 12) - 5); };
    for (const char* adder : {"ripple", "sklansky", "kogge-stone", "brent-kung"})
      for (const char* mul : {"array", "wallace", "dadda"})
        for (const char* constants : {"csd", "general"})
          for (const char* sums : {"carry-save", "adders"}) {
            const std::string script = fmt::format("lower-bool -a {} -m {} --constants {} --sums {}", adder, mul, constants, sums);
            const PipelineResult r = lower(c, script);
            ASSERT_FALSE(r.records[0].refused()) << r.records[0].refusal;
            expect_lowering_agrees(c, r.circuit, rng, draw, fmt::format("trial {}: {}", trial, script));
          }
  }
}

TEST(LowerBool, WideInputsFromInputBitsAgainstGmp) {
  // A circuit file without ranges: --input-bits K declares them, unsigned or (--signed) two's complement.
  Builder b;
  const GateId x = b.input("x"), y = b.input("y"), z = b.input("z");
  circuits::Port out{.role = PortRole::Output, .word_bits = 0, .bit = 0, .has_range = false, .step = 1, .index = 0};
  b.output("p", b.sub(b.mul(x, y), b.mul(z, b.constant(mpq_class(-1000003)))), out);
  out.index = 1;
  b.output("s", b.add(b.add(x, y), b.neg(z)), out);
  out.index = 2;
  b.output("q", b.mul(b.mul(x, x), y), out);
  const Circuit c = b.finish();
  std::mt19937_64 rng(3);
  for (const bool is_signed : {false, true}) {
    const PipelineResult r = lower(c, std::string("lower-bool -k 40") + (is_signed ? " --signed" : ""));
    ASSERT_FALSE(r.records[0].refused()) << r.records[0].refusal;
    // q = x·x·y: unsigned < 2^120; signed, the interval analysis sees x·x in [-2^78 + 2^39, 2^78]
    // (it does not know both factors are x), so q in [-2^117, 2^117 - 2^78]: 118 bits.
    EXPECT_EQ(counter(r.records[0], "widest_output"), is_signed ? "118" : "120");
    auto draw = [&](std::size_t) {
      mpz_class v = static_cast<unsigned long>(rng() & ((std::uint64_t{1} << 40) - 1));
      if (is_signed) v -= mpz_class(1) << 39;
      return mpq_class(v);
    };
    expect_lowering_agrees(c, r.circuit, rng, draw, is_signed ? "signed" : "unsigned");
  }
  // Without a range or --input-bits the input is refused, by name.
  const PipelineResult refused = lower(c, "lower-bool");
  ASSERT_TRUE(refused.records[0].refused());
  EXPECT_NE(refused.records[0].refusal.find("input 'x'"), std::string::npos) << refused.records[0].refusal;
  // Rational circuits are lower-int's.
  const PipelineResult rational = lower(compiler::unroll(example("diagonal"), 2), "lower-bool");
  ASSERT_TRUE(rational.records[0].refused());
  EXPECT_NE(rational.records[0].refusal.find("run lower-int first"), std::string::npos) << rational.records[0].refusal;
}

TEST(LowerBool, EveryLinearExampleAgreesStageByStage) {
  for (const std::string& name : kLinear) {
    for (const char* script : {"lower-int; lower-bool", "lift-scan -n sklansky; lower-int; lower-bool -a kogge-stone -m wallace",
                               "lower-int; lower-bool -a ripple -m array --constants general --sums adders"}) {
      SCOPED_TRACE(name + ": " + script);
      const check::VerifyResult r = check::verify_script(example(name), parse_script(script), options(2, 2));
      expect_all_ok(r);
      const PassRecord& lb = r.records.back();
      EXPECT_EQ(lb.pass, "lower-bool");
      EXPECT_GT(std::stoi(counter(lb, "widest_output")), 8);
    }
  }
}

TEST(LowerBool, PairFormAndAcceptOutputsLowerToo) {
  // The pair form's num/den words, and an accept output (one positivity test): a real-input
  // spec with integer inputs, final outputs and accept.
  const std::string text =
      "kind = \"dense\"\nd = 2\ninput_width = 2\ninput_range = [-2, 3]\noutputs = \"final\"\naccept = true\n"
      "domain = \"exact\"\n[init]\nseed = 4\nscale = \"1/3\"\n";
  const Spec s = parse_spec(text, "acc.toml");
  const check::VerifyResult r = check::verify_script(s, parse_script("lower-int; lower-bool"), options(3, 6));
  expect_all_ok(r);
  EXPECT_EQ(counter(r.records[0], "form"), "pair");  // scale 1/3 of k/2^16: denominators 3 * 2^j
  // The PNC1 form of the same: one positivity test, on the accept output.
  const check::VerifyResult p = check::verify_script(s, parse_script("lower-int; pnc1"), options(3, 6));
  expect_all_ok(p);
  const Circuit c = run_script(compiler::unroll(s, 3), parse_script("lower-int; pnc1")).circuit;
  std::size_t steps = 0;
  for (GateId g = 0; g < c.num_gates(); ++g) steps += c.op(g) == Op::Step;
  EXPECT_EQ(steps, 1u);
  const circuits::Output& accept = c.outputs().back();  // after y_T's num/den pairs
  EXPECT_EQ(accept.port.role, PortRole::Accept);
  EXPECT_EQ(c.op(accept.gate), Op::Step);
}

// ---- normal forms of lowered circuits, and ABC ----

// A small diagonal spec with short dyadic parameters: its boolean forms stay small enough for
// ABC's cec to finish in a second.
const char* kSmallDiagonal =
    "kind = \"diagonal\"\nd = 2\nd_out = 1\nalphabet = [\"a\", \"b\"]\nbias = false\noutputs = \"final\"\n"
    "domain = \"exact\"\n[parameters]\nW_a = [[\"1/2\", \"-3/4\"], [1, \"1/4\"]]\nW_b = [[1, -1], [2, 0]]\n"
    "W_y = [[1, -2]]\n";

TEST(LoweredForms, NormalFormsOfEveryLinearExampleAgreeAndValidate) {
  for (const std::string& name : kLinear) {
    SCOPED_TRACE(name);
    const check::VerifyResult r =
        check::verify_script(example(name), parse_script("lower-int; lower-bool; nc1"), options(2, 2));
    expect_all_ok(r);
    const check::VerifyResult p = check::verify_script(example(name), parse_script("lift-scan; lower-int; pnc1"), options(3, 2));
    expect_all_ok(p);
  }
  // The validators, on the forms themselves.
  const Circuit naive = compiler::unroll(example("dplr"), 2);
  const PipelineResult b = run_script(naive, parse_script("lower-int; lower-bool; nc1"));
  EXPECT_EQ(circuits::nc1_violations(b.circuit), std::vector<std::string>{});
  const PipelineResult i = run_script(naive, parse_script("lower-int; pnc1"));
  EXPECT_EQ(circuits::pnc1_violations(i.circuit), std::vector<std::string>{});
  EXPECT_FALSE(circuits::nc1_violations(run_script(naive, parse_script("lower-int; lower-bool")).circuit).empty());
}

TEST(LoweredForms, AbcCountsWhatReportCountsAndProvesNc1Equivalent) {
  RNNCC_REQUIRE_PROGRAM("berkeley-abc");
  const std::string dir = test::scratch("lowered_abc");
  const std::string spec = dir + "/small.toml";
  std::ofstream(spec) << kSmallDiagonal;
  std::string script;
  std::vector<std::pair<std::size_t, std::size_t>> reported;  // (and, depth) per file
  std::size_t files = 0;
  for (const char* scan : {"", "lift-scan -n sklansky; "}) {
    for (const char* lowering : {"lower-bool", "lower-bool -a ripple -m array --sums adders"}) {
      const std::string base = fmt::format("{}/f{}", dir, files);
      const std::string bool_script = fmt::format("{}lower-int; {}", scan, lowering);
      for (const std::string& s : {bool_script, bool_script + "; nc1"}) {
        const std::string out = base + (s == bool_script ? "b" : "n") + ".aig";
        const test::RunResult c = test::run(fmt::format("{} compile {} -T 4 -p {} -o {}", test::quote(test::rnncc_binary()),
                                                        test::quote(spec), test::quote(s), test::quote(out)));
        ASSERT_EQ(c.status, 0) << c.out;
        const test::RunResult rep = test::run(fmt::format("{} report {} --not-free --json", test::quote(test::rnncc_binary()),
                                                          test::quote(out)));
        ASSERT_EQ(rep.status, 0) << rep.out;
        const auto j = nlohmann::json::parse(rep.out);
        reported.emplace_back(j["by_kind"]["and"].get<std::size_t>(), j["depth"].get<std::size_t>());
        script += "read " + out + "; print_stats; ";
      }
      script += fmt::format("cec {}b.aig {}n.aig; ", base, base);
      ++files;
    }
  }
  const test::AbcRun a = test::abc(script);
  ASSERT_EQ(a.status, 0) << a.out;
  ASSERT_EQ(a.stats.size(), reported.size()) << a.out;
  for (std::size_t k = 0; k < reported.size(); ++k) {
    EXPECT_EQ(a.stats[k].ands, reported[k].first) << "file " << k;
    EXPECT_EQ(a.stats[k].lev, reported[k].second) << "file " << k;
  }
  EXPECT_EQ(a.equivalent, files) << a.out;
  EXPECT_EQ(a.not_equivalent, 0u) << a.out;
}

}  // namespace
}  // namespace rnncc::compiler
