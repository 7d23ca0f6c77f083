// The pass library: the registry and every registered pass (help, flags, refusal, record),
// script parsing and its errors, records checked against an independent measure() of each
// stage, verified stages (check/verify.hpp) on every linear example with every network, in
// exact and modp, refusals on the nonlinear ones, a deliberately wrong test-only pass caught at
// its stage, and ports: renamed and reordered interfaces, bit ports, the .rc grammar.
#include "compiler/pipeline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "check/verify.hpp"
#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/rc.hpp"
#include "circuits/levelize.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interface.hpp"
#include "compiler/passes/prefix.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "sim/instances.hpp"
#include "tests/passes/test_only_passes.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Circuit;
using circuits::DomainKind;
using circuits::PortRole;

Spec example(const std::string& name) { return load_spec(test::example_spec_path(name)); }

using test::error_of;

const std::vector<std::string> kLinear = {"diagonal", "dense", "pd", "pd_maps", "dplr", "deltanet", "rwkv7"};

// ---- registry and passes ----

TEST(PassRegistry, EveryBuiltinPassHasHelpAndWellFormedFlags) {
  const PassRegistry& r = pass_registry();
  ASSERT_NE(r.find("lift-scan"), nullptr);
  ASSERT_NE(r.find("balance"), nullptr);
  EXPECT_EQ(r.find("nope"), nullptr);
  for (const auto& p : r.passes()) {
    SCOPED_TRACE(std::string(p->name()));
    EXPECT_FALSE(p->help().empty());
    EXPECT_EQ(p->help().find('\n'), std::string_view::npos);  // one line
    for (const ParamSpec& ps : p->params()) {
      EXPECT_FALSE(ps.help.empty()) << ps.name;
      // The default is an accepted value: a script naming it explicitly parses to the same text.
      const std::string flag = ps.type == ParamSpec::Type::Flag ? "" : " --" + ps.name + " " + ps.default_value;
      const Script s = parse_script(std::string(p->name()) + flag);
      ASSERT_EQ(s.size(), 1u);
      EXPECT_EQ(s[0].text(), parse_script(std::string(p->name()))[0].text());
    }
  }
  const std::vector<ParamSpec> lp = r.find("lift-scan")->params();
  ASSERT_EQ(lp.size(), 2u);
  EXPECT_EQ(lp[1].name, "finite");
  EXPECT_EQ(lp[1].default_value, "auto");
  EXPECT_EQ(lp[0].name, "network");
  EXPECT_EQ(lp[0].short_flag, 'n');
  EXPECT_EQ(lp[0].default_value, "brent-kung");
  EXPECT_EQ(lp[0].choices.size(), passes::kPrefixNetworks.size());
  const std::vector<ParamSpec> bp = r.find("balance")->params();
  ASSERT_EQ(bp.size(), 1u);
  EXPECT_EQ(bp[0].name, "not-free");
  EXPECT_EQ(bp[0].type, ParamSpec::Type::Flag);
}

TEST(PassRegistry, RefusesDuplicateAndMalformedNames) {
  PassRegistry r;
  r.add(std::make_unique<test::PerturbConstantPass>());
  EXPECT_NE(error_of([&] { r.add(std::make_unique<test::PerturbConstantPass>()); }).find("registered twice"),
            std::string::npos);
}

// ---- scripts ----

TEST(Script, ParsesFlagsInEveryFormAndPrintsCanonicalText) {
  EXPECT_TRUE(parse_script("").empty());
  EXPECT_TRUE(parse_script(" ; ;\n").empty());
  Script s = parse_script("lift-scan -n sklansky; balance");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].pass->name(), "lift-scan");
  EXPECT_EQ(s[0].args.text("network"), "sklansky");
  EXPECT_FALSE(s[1].args.flag("not-free"));
  EXPECT_EQ(script_text(s), "lift-scan -n sklansky; balance");
  EXPECT_EQ(script_text(parse_script("lift-scan --network=kogge-stone\nbalance --not-free")),
            "lift-scan -n kogge-stone; balance --not-free");
  EXPECT_EQ(script_text(parse_script("lift-scan --network han-carlson -n serial")), "lift-scan -n serial");  // last wins
  EXPECT_EQ(script_text(parse_script("lift-scan")), "lift-scan -n brent-kung");  // defaults are printed
  EXPECT_EQ(parse_script("lift-scan")[0].args.text("network"), "brent-kung");
  EXPECT_EQ(shorthand_script("brent-kung", true, false), "lift-scan -n brent-kung; balance");
  EXPECT_EQ(script_text(parse_script("balance --not-free; balance")), "balance --not-free; balance");
  EXPECT_EQ(shorthand_script("none", true, true), "balance --not-free");
  EXPECT_EQ(shorthand_script("none", false, false), "");
}

TEST(Script, ErrorsNameThePassAndWhatItAccepts) {
  const std::string unknown = error_of([] { parse_script("lift-scan; nope -x"); });
  EXPECT_EQ(unknown.rfind("-p: unknown pass 'nope': expected one of " + pass_registry().names(), 0), 0u) << unknown;
  EXPECT_EQ(error_of([] { parse_script("balance -x"); }),
            "-p: pass 'balance': unknown flag '-x': pass 'balance' accepts --not-free");
  EXPECT_EQ(error_of([] { parse_script("lift-scan --nets 3"); }),
            "-p: pass 'lift-scan': unknown flag '--nets': pass 'lift-scan' accepts -n/--network (one of serial, "
            "sklansky, kogge-stone, brent-kung, ladner-fischer or han-carlson), --finite (one of auto, require or off)");
  EXPECT_EQ(error_of([] { parse_script("lift-scan -n"); }),
            "-p: pass 'lift-scan': -n/--network needs a value: one of serial, sklansky, kogge-stone, brent-kung, "
            "ladner-fischer or han-carlson");
  EXPECT_EQ(error_of([] { parse_script("lift-scan -n fast"); }),
            "-p: pass 'lift-scan': -n/--network: unknown value 'fast': expected one of serial, sklansky, "
            "kogge-stone, brent-kung, ladner-fischer or han-carlson");
  EXPECT_EQ(error_of([] { parse_script("balance --not-free=yes"); }), "-p: pass 'balance': --not-free takes no value");
  EXPECT_EQ(error_of([] { parse_script("balance sklansky"); }),
            "-p: pass 'balance': unexpected word 'sklansky': pass 'balance' accepts --not-free");
  test::register_test_passes();
  EXPECT_EQ(error_of([] { parse_script("perturb-constant -k 1001"); }),
            "-p: pass 'perturb-constant': -k/--index: expected an integer in [0, 1000], got '1001'");
  EXPECT_EQ(error_of([] { parse_script("rename-ports -k 1"); }),
            "-p: pass 'rename-ports': unknown flag '-k': pass 'rename-ports' takes no flags");
}

// ---- records ----

TEST(RunScript, RecordsMatchAnIndependentMeasureOfEveryStage) {
  const Spec spec = example("dplr");
  const Circuit naive = unroll(spec, 64);
  std::vector<Circuit> stages;
  PipelineOptions po;
  po.critical_path = true;
  po.on_stage = [&](const PassRecord&, const Circuit& c) { stages.push_back(c); };
  const PipelineResult r = run_script(naive, parse_script("balance; lift-scan -n sklansky; balance"), po);
  ASSERT_EQ(r.records.size(), 3u);
  ASSERT_EQ(stages.size(), 3u);
  std::vector<circuits::Measures> m = {circuits::measure(naive, {.not_free = false, .critical_path = false})};
  for (const Circuit& c : stages) m.push_back(circuits::measure(c, {.not_free = false, .critical_path = false}));
  for (std::size_t i = 0; i < 3; ++i) {
    const PassRecord& rec = r.records[i];
    SCOPED_TRACE(rec.invocation);
    EXPECT_FALSE(rec.refused());
    EXPECT_EQ(rec.size_before, m[i].size);
    EXPECT_EQ(rec.depth_before, m[i].depth);
    EXPECT_EQ(rec.size_after, m[i + 1].size);
    EXPECT_EQ(rec.depth_after, m[i + 1].depth);
    EXPECT_GE(rec.seconds, 0.0);
  }
  EXPECT_EQ(r.records[1].invocation, "lift-scan -n sklansky");
  EXPECT_EQ(r.records[1].params,
            (std::vector<std::pair<std::string, std::string>>{{"network", "sklansky"}, {"finite", "auto"}}));
  EXPECT_EQ(std::get<std::string>(*r.records[1].counter("combine")), "dense");
  EXPECT_EQ(std::get<std::string>(*r.records[1].counter("network")), "sklansky");
  EXPECT_EQ(std::get<bool>(*r.records[1].counter("log_depth")), true);
  EXPECT_EQ(std::get<std::int64_t>(*r.records[1].counter("steps")), 64);
  EXPECT_GT(std::get<std::int64_t>(*r.records[2].counter("chains")), 0);
  EXPECT_LT(r.records[1].depth_after, r.records[1].depth_before);
  // The final measures are the last stage's, with a critical path as long as its depth.
  EXPECT_EQ(r.measures.size, m[3].size);
  EXPECT_EQ(r.measures.depth, m[3].depth);
  EXPECT_EQ(r.measures.critical_path.size(), static_cast<std::size_t>(m[3].depth) + 1);
  EXPECT_EQ(circuits::io::write_rc(r.circuit), circuits::io::write_rc(stages.back()));
  EXPECT_EQ(log_depth_problem(r.records), "");
}

TEST(RunScript, RefusalIsDataAndLeavesTheCircuitUnchanged) {
  const Spec spec = example("elman_tanh");
  const Circuit naive = unroll(spec, 8);
  const PipelineResult r = run_script(naive, parse_script("lift-scan -n kogge-stone; balance"));
  ASSERT_EQ(r.records.size(), 2u);
  const PassRecord& scan = r.records[0];
  EXPECT_TRUE(scan.refused());
  EXPECT_NE(scan.refusal.find("tanh on the state path at step 2"), std::string::npos) << scan.refusal;
  EXPECT_EQ(scan.size_after, scan.size_before);
  EXPECT_EQ(scan.depth_after, scan.depth_before);
  EXPECT_EQ(std::get<std::int64_t>(*scan.counter("refusal_step")), 2);
  EXPECT_FALSE(r.records[1].refused());  // balance ran on the unchanged circuit
  EXPECT_EQ(r.records[1].size_before, scan.size_before);
  EXPECT_EQ(log_depth_problem(r.records).rfind("lift-scan refused: tanh", 0), 0u);
  EXPECT_NE(log_depth_problem(run_script(unroll(example("diagonal"), 8), parse_script("lift-scan -n serial")).records),
            "");
  EXPECT_NE(log_depth_problem(run_script(unroll(example("diagonal"), 8), parse_script("balance")).records), "");
  // A refusal as the last pass: the final measures are still those of the final circuit.
  PipelineOptions po;
  po.critical_path = true;
  const PipelineResult last = run_script(naive, parse_script("lift-scan"), po);
  EXPECT_EQ(last.measures.depth, circuits::measure(naive).depth);
  EXPECT_EQ(last.measures.critical_path.size(), static_cast<std::size_t>(last.measures.depth) + 1);
}

TEST(RunScript, ShorthandAndScriptGiveByteIdenticalCircuits) {
  for (const std::string& name : kLinear) {
    SCOPED_TRACE(name);
    const Circuit naive = unroll(example(name), 24);
    const Circuit a = run_script(naive, parse_script(shorthand_script("brent-kung", true, false))).circuit;
    const Circuit b = run_script(naive, parse_script("lift-scan -n brent-kung; balance")).circuit;
    EXPECT_EQ(circuits::io::write_rc(a), circuits::io::write_rc(b));
  }
}

// ---- verified stages ----

check::VerifyOptions options(DomainKind d, std::uint64_t T, std::size_t trials) {
  check::VerifyOptions o;
  o.T = T;
  o.trials = trials;
  o.domain = d;
  o.modulus = 1000003;
  o.threads = 1;
  return o;
}

TEST(VerifyStages, EveryLinearExampleEveryNetworkWithAndWithoutBalance) {
  for (const std::string& name : kLinear) {
    const Spec spec = example(name);
    for (DomainKind d : {DomainKind::Exact, DomainKind::Modp}) {
      for (passes::PrefixNetwork net : passes::kPrefixNetworks) {
        for (const char* tail : {"", "; balance"}) {
          const std::string text = "lift-scan -n " + std::string(passes::network_name(net)) + tail;
          SCOPED_TRACE(name + " " + std::string(circuits::domain_name(d)) + " " + text);
          const check::VerifyResult r = check::verify_script(spec, parse_script(text), options(d, 11, 3));
          ASSERT_EQ(r.stages.size(), *tail ? 3u : 2u);
          EXPECT_EQ(r.stages[0].stage, "naive");
          for (const check::StageCheck& s : r.stages)
            EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
          EXPECT_TRUE(r.ok());
          EXPECT_EQ(r.stages[1].pass, "lift-scan");
          EXPECT_LE(r.stages.back().depth, r.stages[0].depth);
        }
      }
    }
  }
}

TEST(VerifyStages, PassesInOtherOrders) {
  for (const char* text : {"balance; lift-scan -n sklansky", "balance; lift-scan; balance; balance",
                           "balance --not-free; lift-scan -n han-carlson; balance --not-free"}) {
    SCOPED_TRACE(text);
    const check::VerifyResult r = check::verify_script(example("dplr"), parse_script(text), options(DomainKind::Exact, 9, 2));
    for (const check::StageCheck& s : r.stages) EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
  }
  // A second lift-scan sees the states of the first one's network, where step t reads the state
  // of an earlier step than t - 1: it refuses, as data, and the circuit stays right.
  const check::VerifyResult r = check::verify_script(
      example("diagonal"), parse_script("lift-scan -n ladner-fischer; lift-scan -n kogge-stone; balance"),
      options(DomainKind::Exact, 9, 2));
  ASSERT_EQ(r.stages.size(), 4u);
  EXPECT_TRUE(r.stages[1].ok());
  EXPECT_NE(r.stages[2].refusal.find("reads the state of step"), std::string::npos) << r.stages[2].refusal;
  EXPECT_TRUE(r.stages[3].ok()) << r.stages[3].first_mismatch;
}

TEST(VerifyStages, NonlinearSpecsAreRefusedAtTheScanStage) {
  for (const char* name : {"elman_tanh", "elman_relu", "elman_sign", "lstm", "gru", "mlp", "switched"}) {
    SCOPED_TRACE(name);
    const Spec spec = example(name);
    const DomainKind d = spec.domain;
    const check::VerifyResult r = check::verify_script(spec, parse_script("lift-scan -n sklansky; balance"), options(d, 6, 2));
    ASSERT_EQ(r.stages.size(), 3u);
    EXPECT_TRUE(r.stages[0].ok());
    EXPECT_FALSE(r.stages[1].refusal.empty());
    EXPECT_NE(r.stages[1].refusal.find("on the state path"), std::string::npos) << r.stages[1].refusal;
    EXPECT_TRUE(r.stages[2].ok()) << r.stages[2].first_mismatch;  // balance on the unchanged circuit
    EXPECT_FALSE(r.ok());
  }
}

TEST(VerifyStages, AWrongPassIsCaughtAtItsStage) {
  test::register_test_passes();
  for (DomainKind d : {DomainKind::Exact, DomainKind::Modp}) {
    const check::VerifyResult r = check::verify_script(
        example("diagonal"), parse_script("lift-scan -n sklansky; perturb-constant -k 2; balance"), options(d, 16, 4));
    ASSERT_EQ(r.stages.size(), 4u);
    EXPECT_TRUE(r.stages[0].ok());
    EXPECT_TRUE(r.stages[1].ok());
    EXPECT_EQ(r.stages[2].stage, "perturb-constant -k 2");
    EXPECT_FALSE(r.stages[2].agrees_interpreter);
    EXPECT_FALSE(r.stages[2].agrees_previous);
    EXPECT_NE(r.stages[2].first_mismatch.find("the interpreter"), std::string::npos) << r.stages[2].first_mismatch;
    // balance keeps the wrong values: it agrees with the stage before, not with the interpreter.
    EXPECT_TRUE(r.stages[3].agrees_previous);
    EXPECT_FALSE(r.stages[3].agrees_interpreter);
    EXPECT_FALSE(r.ok());
  }
}

// ---- ports ----

TEST(Ports, UnrollDescribesEveryInputAndOutput) {
  // Parameters and initial state as inputs, outputs at every step, acceptance.
  std::string text = test::edited_example("diagonal", "domain = \"exact\"", "domain = \"exact\"\nparams = \"inputs\"\ninitial_state = \"inputs\"");
  const std::string dir = test::scratch("ports_unroll");
  const std::string path = dir + "/p.toml";
  std::ofstream(path) << text;
  const Spec spec = load_spec(path);
  const Circuit c = unroll(spec, 3);
  std::size_t seq = 0, init = 0, param = 0;
  for (std::size_t k = 0; k < c.inputs().size(); ++k) {
    const circuits::Port& p = c.input_port(k);
    const std::string& name = c.input_name(k);
    switch (p.role) {
      case PortRole::Sequence:
        ++seq;
        EXPECT_EQ(name, fmt::format("x[{}][{}]", p.step, p.index));
        EXPECT_TRUE(p.has_range);  // one-hot symbols
        EXPECT_EQ(p.lo, 0);
        EXPECT_EQ(p.hi, 1);
        break;
      case PortRole::Initial:
        ++init;
        EXPECT_EQ(name, fmt::format("h0[{}]", p.index));
        EXPECT_EQ(c.port_keys()[p.key], "h0");
        break;
      case PortRole::Parameter:
        ++param;
        EXPECT_EQ(name.rfind(c.port_keys()[p.key] + "[", 0), 0u) << name;
        break;
      default: ADD_FAILURE() << name << " has no port";
    }
  }
  EXPECT_EQ(seq, 3 * spec.m());
  EXPECT_EQ(init, spec.state_size());
  EXPECT_GT(param, 0u);
  for (const circuits::Output& o : c.outputs()) {
    if (o.name == "accept") {
      EXPECT_EQ(o.port.role, PortRole::Accept);
      continue;
    }
    EXPECT_EQ(o.port.role, PortRole::Output) << o.name;
    EXPECT_EQ(o.name, fmt::format("y[{}][{}]", o.port.step, o.port.index));
  }
  EXPECT_EQ(c.state_shape(), std::vector<std::uint32_t>{static_cast<std::uint32_t>(spec.d)});
  EXPECT_EQ(unroll(example("deltanet"), 2).state_shape().size(), 2u);
  // The .rc file keeps every port and the state shape: write -> read -> write is identical.
  const std::string rc = circuits::io::write_rc(c);
  EXPECT_NE(rc.find("port input x[2][1] sequence t=2 i=1 range=0:1\n"), std::string::npos);
  EXPECT_NE(rc.find("port input h0[0] initial i=0 key=h0\n"), std::string::npos);
  EXPECT_NE(rc.find("state-shape "), std::string::npos);
  const Circuit back = circuits::io::read_rc(rc, "p.rc");
  EXPECT_EQ(circuits::io::write_rc(back), rc);
  for (std::size_t k = 0; k < c.inputs().size(); ++k) EXPECT_EQ(back.input_port(k), c.input_port(k));
}

TEST(Ports, RenamedAndReorderedInterfacesSimulateAndVerify) {
  test::register_test_passes();
  for (const char* name : {"diagonal", "deltanet", "rwkv7"}) {
    SCOPED_TRACE(name);
    const Spec spec = example(name);
    const check::VerifyResult r = check::verify_script(
        spec, parse_script("rename-ports; lift-scan -n brent-kung; balance; rename-ports"), options(DomainKind::Modp, 10, 3));
    for (const check::StageCheck& s : r.stages) EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
    // The renamed circuit's inputs have names outside the x[t][i] pattern, fed through ports.
    const Circuit renamed = run_script(unroll(spec, 4), parse_script("rename-ports")).circuit;
    EXPECT_EQ(renamed.input_name(0), fmt::format("v{}", renamed.inputs().size() - 1));
    SplitMix64 rng(3);
    const InputSequence xs = random_input_sequence(spec, 4, rng);
    const Circuit naive = unroll(spec, 4);
    const std::vector<mpq_class> a = CircuitInputs(spec, naive).values(xs), b = CircuitInputs(spec, renamed).values(xs);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(b[a.size() - 1 - k], a[k]);  // reversed order
  }
}

TEST(Ports, AnInputWithoutAPortIsNamedInTheError) {
  circuits::Builder b;
  b.output("y", b.input("x[1][0]"));  // the right name, but no port: names are not parsed
  const Circuit c = b.finish();
  EXPECT_NE(error_of([&] { CircuitInputs(example("diagonal"), c); }).find("input 'x[1][0]' of diagonal"),
            std::string::npos);
}

TEST(Ports, BitPortsTakeTheTwosComplementBits) {
  // Independent reference: bits of (v mod 2^w) by repeated halving.
  for (long v : {0L, 1L, 5L, -1L, -8L, 7L, -3L, 127L, -128L}) {
    long u = v < 0 ? v + 256 : v;
    for (unsigned bit = 0; bit < 8; ++bit, u /= 2) EXPECT_EQ(word_bit(mpq_class(v), bit, 8), (u % 2) == 1) << v << " " << bit;
  }
  EXPECT_THROW(word_bit(mpq_class(256), 0, 8), Error);
  EXPECT_THROW(word_bit(mpq_class(-129), 0, 8), Error);
  EXPECT_THROW(word_bit(mpq_class(1, 2), 0, 8), Error);
  // A circuit whose x[1][0] is split into 4 bits (and x[1][1] left whole) gets each bit.
  Spec spec = example("diagonal");
  circuits::Builder b;
  std::vector<circuits::GateId> bits;
  for (std::uint8_t i = 0; i < 4; ++i) {
    circuits::Port p{.role = PortRole::Sequence, .word_bits = 4, .bit = i, .has_range = false, .step = 1, .index = 0,
                     .key = 0, .lo = 0, .hi = 0};
    bits.push_back(b.input(fmt::format("w{}", i), p));
  }
  circuits::Port whole{.role = PortRole::Sequence, .word_bits = 0, .bit = 0, .has_range = true, .step = 1, .index = 1,
                       .key = 0, .lo = -2, .hi = 2};
  b.output("y", b.xor_(b.xor_(bits[0], bits[1]), b.xor_(bits[2], b.input("z", whole))));
  const Circuit c = b.finish();
  InputSequence xs = {std::vector<mpq_class>(spec.m(), mpq_class(0))};
  xs[0][0] = -3;  // 1101
  xs[0][1] = 2;
  const std::vector<mpq_class> v = CircuitInputs(spec, c).values(xs);
  EXPECT_EQ(v, (std::vector<mpq_class>{1, 0, 1, 1, 2}));
  xs[0][1] = 3;  // outside the range of z
  EXPECT_NE(error_of([&] { CircuitInputs(spec, c).values(xs); }).find("outside its range [-2, 2]"), std::string::npos);
}

TEST(Ports, OldRcFilesReadAndBadPortLinesAreLocated) {
  const Circuit old = circuits::io::read_rc("rnncc 1\n0 = input x[1][0]\n1 = neg 0\noutput y[1][0] = 1\nstep 1 = 1\n", "old.rc");
  EXPECT_EQ(old.input_port(0).role, PortRole::None);
  EXPECT_EQ(old.outputs()[0].port.role, PortRole::None);
  EXPECT_TRUE(old.state_shape().empty());
  struct Case {
    const char* line;
    const char* want;
  };
  for (const Case& k : std::vector<Case>{
           {"port input nope sequence t=1 i=0", "f.rc:4:12: no input named 'nope' before this line"},
           {"port input a teleport", "f.rc:4:14: unknown role 'teleport'"},
           {"port input a sequence t=x", "f.rc:4:23: 't': expected an integer below 2^32, got 'x'"},
           {"port input a sequence bit=4/4", "f.rc:4:23: 'bit': expected B/W with B < W <= 16777216, got '4/4'"},
           {"port input a parameter i=0", "a port of role parameter needs key=KEY"},
           {"port input a sequence color=red", "f.rc:4:23: unknown port field 'color'"},
           {"port wire a sequence", "f.rc:4:6: expected 'input' or 'output' after 'port', got 'wire'"},
           {"port output y sequence range=3:1", "bad port: empty range 3:1"},
           {"state-shape 0", "f.rc:4:13: expected a positive dimension, got '0'"},
       }) {
    SCOPED_TRACE(k.line);
    const std::string text = std::string("rnncc 1\n0 = input a\noutput y = 0\n") + k.line + "\n";
    EXPECT_NE(error_of([&] { circuits::io::read_rc(text, "f.rc"); }).find(k.want), std::string::npos)
        << error_of([&] { circuits::io::read_rc(text, "f.rc"); });
  }
}

}  // namespace
}  // namespace rnncc::compiler
