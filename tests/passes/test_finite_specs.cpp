// Finite-value specs: outputs = "accept" (the accept bit the only output), the S5 word problem
// (examples/specs/s5.toml) and iterated 3x3 integer matrix products (imm3.toml) against oracles
// that share nothing with rnncc's models (permutations composed and matrices multiplied here),
// their lowered forms verified stage by stage, and lower-bool's binary-coded alphabets (symbol
// ports) and --output-bits.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "check/verify.hpp"
#include "circuits/error.hpp"
#include "circuits/io/rc.hpp"
#include "compiler/interface.hpp"
#include "compiler/interpret.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"
#include "tests/bool_reference.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::Circuit;
using circuits::DomainKind;
using circuits::PortRole;

Spec example(const std::string& name) { return load_spec(test::example_spec_path(name)); }

check::VerifyOptions options(std::uint64_t T, std::size_t trials) {
  check::VerifyOptions o;
  o.T = T;
  o.trials = trials;
  o.domain = DomainKind::Exact;
  o.threads = 1;
  return o;
}

void expect_all_ok(const check::VerifyResult& r) {
  ASSERT_FALSE(r.stages.empty());
  for (const check::StageCheck& s : r.stages) EXPECT_TRUE(s.ok()) << s.stage << ": " << s.refusal << s.first_mismatch;
}

std::string parse_error(const std::string& text) {
  try {
    parse_spec(text, "t.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---- outputs = "accept" ----

const char* kAcceptHead =
    "kind = \"diagonal\"\nd = 2\nd_out = 1\nalphabet = [\"a\", \"b\"]\ndomain = \"exact\"\n";
const char* kAcceptParams =
    "[parameters]\nW_a = [[\"1/2\", -1], [1, \"1/4\"]]\nc_a = [0, 0]\nW_b = [[1, -1], [2, 0]]\nc_b = [0, 1]\n"
    "W_y = [[1, -2]]\nc_y = [\"1/8\"]\no = [1]\n";

TEST(OutputsAccept, ParsesAndRefusesContradictions) {
  const Spec s = parse_spec(std::string(kAcceptHead) + "outputs = \"accept\"\n" + kAcceptParams, "a.toml");
  EXPECT_EQ(s.outputs, OutputMode::Accept);
  EXPECT_TRUE(s.accept);
  EXPECT_EQ(parameter_table(s).back().key, "o");
  // accept = true restates it; accept = false contradicts it.
  EXPECT_TRUE(parse_spec(std::string(kAcceptHead) + "outputs = \"accept\"\naccept = true\n" + kAcceptParams, "a.toml").accept);
  EXPECT_NE(parse_error(std::string(kAcceptHead) + "outputs = \"accept\"\naccept = false\n" + kAcceptParams)
                .find("contradicts outputs = \"accept\""),
            std::string::npos);
  // final with accept stays valid; all with accept does not.
  const Spec f = parse_spec(std::string(kAcceptHead) + "outputs = \"final\"\naccept = true\n" + kAcceptParams, "f.toml");
  EXPECT_EQ(f.outputs, OutputMode::Final);
  EXPECT_TRUE(f.accept);
  EXPECT_NE(parse_error(std::string(kAcceptHead) + "outputs = \"all\"\naccept = true\n" + kAcceptParams).find("needs outputs"),
            std::string::npos);
  const std::string bad = parse_error(std::string(kAcceptHead) + "outputs = \"accepts\"\n" + kAcceptParams);
  EXPECT_NE(bad.find("accept"), std::string::npos) << bad;
  EXPECT_NE(bad.find("outputs"), std::string::npos) << bad;
}

TEST(OutputsAccept, TheAcceptBitIsTheOnlyOutputAndVerifies) {
  const Spec s = parse_spec(std::string(kAcceptHead) + "outputs = \"accept\"\n" + kAcceptParams, "a.toml");
  const Spec f = parse_spec(std::string(kAcceptHead) + "outputs = \"final\"\naccept = true\n" + kAcceptParams, "f.toml");
  const Circuit c = unroll(s, 3);
  ASSERT_EQ(c.outputs().size(), 1u);
  EXPECT_EQ(c.outputs()[0].name, "accept");
  EXPECT_EQ(c.outputs()[0].port.role, PortRole::Accept);
  EXPECT_EQ(unroll(f, 3).outputs().size(), 2u);  // y[0] and accept
  // The interpreter agrees: no y_t among the outputs, the accept bit the same as final's.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    InputSequence xs;
    for (int t = 0; t < 3; ++t) {
      std::vector<mpq_class> x(2, mpq_class(0));
      x[rng() % 2] = 1;
      xs.push_back(x);
    }
    circuits::ExactDomain dom;
    const auto ys = interpret_values(s, dom, xs);
    const auto yf = interpret_values(f, dom, xs);
    ASSERT_EQ(ys.size(), 3u);
    EXPECT_TRUE(ys[0].empty());
    EXPECT_TRUE(ys[1].empty());
    ASSERT_EQ(ys[2].size(), 1u);
    EXPECT_EQ(ys[2][0], yf[2].back());
    EXPECT_EQ(in_output_order(s, ys), std::vector<mpq_class>{yf[2].back()});
    const RunResult r = interpret(s, xs, DomainKind::Exact, 0);
    EXPECT_TRUE(r.outputs.empty());
    EXPECT_EQ(r.states.size(), 4u);
    EXPECT_EQ(r.accept, yf[2].back().get_str());
  }
  for (const char* script : {"lift-scan -n sklansky", "lower-int; lower-bool", "lift-scan; lower-int; pnc1"}) {
    SCOPED_TRACE(script);
    expect_all_ok(check::verify_script(s, parse_script(script), options(3, 8)));
  }
}

// ---- S5 ----

// The S5 word problem by hand: a = j -> j+1 (mod 5), b = (0 1), composed in reading order.
bool s5_identity(const std::vector<int>& word) {
  const std::array<std::array<int, 5>, 2> perm = {{{1, 2, 3, 4, 0}, {1, 0, 2, 3, 4}}};
  std::array<int, 5> f = {0, 1, 2, 3, 4};
  for (int s : word)
    for (int& v : f) v = perm[s][v];
  return f == std::array<int, 5>{0, 1, 2, 3, 4};
}

InputSequence one_hot(const std::vector<int>& word, std::size_t m) {
  InputSequence xs;
  for (int s : word) {
    std::vector<mpq_class> x(m, mpq_class(0));
    x[s] = 1;
    xs.push_back(x);
  }
  return xs;
}

mpq_class s5_accept(const Spec& s, const std::vector<int>& word) {
  circuits::ExactDomain dom;
  const auto ys = interpret_values(s, dom, one_hot(word, 2));
  return ys.back().back();
}

TEST(S5, AcceptsExactlyTheWordsThatMultiplyToTheIdentity) {
  const Spec s = example("s5");
  EXPECT_EQ(s.outputs, OutputMode::Accept);
  EXPECT_EQ(s.m(), 2u);
  std::size_t words = 0, identities = 0;
  for (std::size_t len = 1; len <= 8; ++len) {
    for (std::size_t bits = 0; bits < (std::size_t{1} << len); ++bits) {
      std::vector<int> word;
      for (std::size_t i = 0; i < len; ++i) word.push_back(static_cast<int>((bits >> i) & 1));
      const bool want = s5_identity(word);
      ASSERT_EQ(s5_accept(s, word), want ? 1 : 0) << "word of length " << len << ", bits " << bits;
      ++words;
      identities += want;
    }
  }
  EXPECT_EQ(words, 510u);
  EXPECT_GT(identities, 3u);  // a^5, b^2, b a^5 b, ...
  std::mt19937_64 rng(55);
  std::size_t random_identities = 0;
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<int> word(50 + rng() % 151);
    for (int& v : word) v = static_cast<int>(rng() % 2);
    if (trial % 3 == 0) {  // make some words the identity: w then w's inverse (a^-1 = a^4, b^-1 = b)
      std::vector<int> w = word;
      for (auto it = w.rbegin(); it != w.rend(); ++it)
        for (int k = 0; k < (*it == 0 ? 4 : 1); ++k) word.push_back(*it);
    }
    const bool want = s5_identity(word);
    random_identities += want;
    ASSERT_EQ(s5_accept(s, word), want ? 1 : 0) << "random word " << trial << " of length " << word.size();
  }
  EXPECT_GE(random_identities, 20u);
}

TEST(S5, LoweredFormsVerify) {
  const Spec s = example("s5");
  for (std::uint64_t T : {4u, 8u}) {
    SCOPED_TRACE(T);
    expect_all_ok(check::verify_script(s, parse_script("lift-scan -n sklansky; lower-int; lower-bool; nc1"), options(T, 8)));
    expect_all_ok(check::verify_script(s, parse_script("lower-int; lower-bool --alphabet one-hot"), options(T, 8)));
  }
}

// ---- iterated 3x3 matrix products ----

using Mat = std::array<std::array<mpz_class, 3>, 3>;

Mat product(const Mat& a, const Mat& b) {
  Mat c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      c[i][j] = 0;
      for (int k = 0; k < 3; ++k) c[i][j] += a[i][k] * b[k][j];
    }
  return c;
}

TEST(Imm3, ComputesTheTopLeftEntryOfTheProduct) {
  const Spec s = example("imm3");
  ASSERT_EQ(s.m(), 9u);
  std::mt19937_64 rng(33);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t T = 1 + trial % 10;
    InputSequence xs;
    Mat p;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) p[i][j] = i == j ? 1 : 0;
    for (std::size_t t = 0; t < T; ++t) {
      std::vector<mpq_class> x(9);
      Mat m;
      for (int k = 0; k < 9; ++k) {
        const long v = static_cast<long>(rng() % 3) - 1;
        x[k] = v;
        m[k / 3][k % 3] = v;  // row-major
      }
      xs.push_back(x);
      p = product(p, m);  // M_1 M_2 ... M_t
    }
    circuits::ExactDomain dom;
    const auto ys = interpret_values(s, dom, xs);
    ASSERT_EQ(ys.size(), T);
    ASSERT_EQ(ys.back().size(), 1u);
    ASSERT_EQ(ys.back()[0], mpq_class(p[0][0])) << "trial " << trial << ", T = " << T;
  }
}

TEST(Imm3, LoweredFormsVerify) {
  const Spec s = example("imm3");
  for (std::uint64_t T : {2u, 3u}) {
    SCOPED_TRACE(T);
    expect_all_ok(check::verify_script(s, parse_script("lift-scan -n sklansky; lower-int; lower-bool; nc1"), options(T, 8)));
  }
}

// ---- lower-bool --alphabet ----

std::size_t count_role(const Circuit& c, PortRole role) {
  std::size_t n = 0;
  for (std::size_t k = 0; k < c.inputs().size(); ++k) n += c.input_port(k).role == role;
  return n;
}

TEST(LowerBoolAlphabet, BinaryCodesVerifyInBothModes) {
  const Spec diag = example("diagonal");  // m = 4: two bits a step
  const Circuit naive = unroll(diag, 2);
  const Circuit binary = run_script(naive, parse_script("lower-int; lower-bool")).circuit;
  EXPECT_EQ(count_role(binary, PortRole::Symbol), 4u);
  EXPECT_EQ(count_role(binary, PortRole::Sequence), 0u);
  EXPECT_EQ(binary.input_name(0), "x[1].0");
  const Circuit onehot = run_script(naive, parse_script("lower-int; lower-bool --alphabet one-hot")).circuit;
  EXPECT_EQ(count_role(onehot, PortRole::Symbol), 0u);
  EXPECT_EQ(count_role(onehot, PortRole::Sequence), 8u);
  for (const char* script : {"lower-int; lower-bool", "lower-int; lower-bool --alphabet one-hot",
                             "lift-scan -n sklansky; lower-int; lower-bool --alphabet binary"}) {
    SCOPED_TRACE(script);
    const check::VerifyResult r = check::verify_script(diag, parse_script(script), options(2, 4));
    expect_all_ok(r);
  }
  const PipelineResult s5 = run_script(unroll(example("s5"), 4), parse_script("lower-int; lower-bool"));
  EXPECT_EQ(count_role(s5.circuit, PortRole::Symbol), 4u);  // m = 2: one bit a step
  EXPECT_EQ(counter_text(*s5.records.back().counter("alphabet_bits")), "1");
  // Real inputs are not an alphabet.
  const Circuit imm = run_script(unroll(example("imm3"), 2), parse_script("lower-int; lower-bool")).circuit;
  EXPECT_EQ(count_role(imm, PortRole::Symbol), 0u);
}

// A diagonal spec over m symbols with drawn parameters.
Spec alphabet_spec(std::size_t m) {
  std::string symbols;
  for (std::size_t s = 0; s < m; ++s) symbols += fmt::format("{}\"s{}\"", s ? ", " : "", s);
  return parse_spec(fmt::format("kind = \"diagonal\"\nd = 2\nalphabet = [{}]\noutputs = \"final\"\ndomain = \"exact\"\n"
                                "[init]\nseed = {}\nscale = \"1/2\"\n",
                                symbols, 40 + m),
                    fmt::format("m{}.toml", m));
}

TEST(LowerBoolAlphabet, CodesPastTheLastSymbolReadAsIt) {
  for (std::size_t m : {3u, 5u}) {
    SCOPED_TRACE(m);
    const Spec s = alphabet_spec(m);
    expect_all_ok(check::verify_script(s, parse_script("lower-int; lower-bool"), options(3, 8)));
    const Circuit c = run_script(unroll(s, 2), parse_script("lower-int; lower-bool")).circuit;
    const std::size_t k = m == 3 ? 2 : 3;
    ASSERT_EQ(c.inputs().size(), 2 * k);
    for (std::size_t i = 0; i < c.inputs().size(); ++i) {
      const circuits::Port& p = c.input_port(i);
      EXPECT_EQ(p.role, PortRole::Symbol);
      EXPECT_EQ(p.word_bits, k);
      EXPECT_EQ(p.bit, i % k);
      EXPECT_EQ(p.step, i / k + 1);
      EXPECT_TRUE(p.word_unsigned);
      EXPECT_EQ(p.hi, static_cast<std::int32_t>(m - 1));
    }
    // Every code of step 1 past m - 1 gives the outputs of code m - 1, whatever step 2 reads.
    auto outputs = [&](std::size_t code1, std::size_t code2) {
      std::vector<std::uint64_t> in(c.inputs().size());
      for (std::size_t b = 0; b < k; ++b) {
        in[b] = (code1 >> b) & 1;
        in[k + b] = (code2 >> b) & 1;
      }
      std::vector<std::uint64_t> out = test::eval_bool<std::uint64_t>(c, in);
      for (std::uint64_t& w : out) w &= 1;  // lane 0
      return out;
    };
    for (std::size_t code2 = 0; code2 < (std::size_t{1} << k); ++code2)
      for (std::size_t code1 = m; code1 < (std::size_t{1} << k); ++code1)
        EXPECT_EQ(outputs(code1, code2), outputs(m - 1, std::min(code2, m - 1))) << code1 << " " << code2;
    // CircuitInputs codes a one-hot sequence, and refuses one that is not.
    const CircuitInputs inputs(s, c);
    InputSequence xs(2, std::vector<mpq_class>(m, mpq_class(0)));
    xs[0][m - 1] = 1;
    xs[1][1] = 1;
    const std::vector<mpq_class> v = inputs.values(xs);
    for (std::size_t b = 0; b < k; ++b) {
      EXPECT_EQ(v[b], ((m - 1) >> b) & 1) << b;
      EXPECT_EQ(v[k + b], (1 >> b) & 1) << b;
    }
    xs[1][0] = 1;
    EXPECT_NE(test::error_of([&] { inputs.values(xs); }).find("not one-hot"), std::string::npos);
  }
}

TEST(LowerBoolAlphabet, SymbolPortsSurviveTheRcFormat) {
  const Circuit c = run_script(unroll(alphabet_spec(5), 2), parse_script("lower-int; lower-bool")).circuit;
  const std::string text = circuits::io::write_rc(c);
  EXPECT_NE(text.find("port input x[1].2 symbol t=1 i=0 range=0:4 bit=2/3 word=unsigned\n"), std::string::npos) << text;
  const Circuit back = circuits::io::read_rc(text, "sym.rc");
  EXPECT_EQ(circuits::io::write_rc(back), text);
  for (std::size_t k = 0; k < c.inputs().size(); ++k) EXPECT_EQ(back.input_port(k), c.input_port(k));
  const std::string bad = test::error_of(
      [] { circuits::io::read_rc("rnncc 1\n0 = input x\nport input x symbol t=1\noutput y = 0\n", "bad.rc"); });
  EXPECT_NE(bad.find("symbol needs"), std::string::npos) << bad;
}

// ---- lower-bool --output-bits ----

TEST(LowerBoolOutputBits, WordsExactlyKBitsOrRefusedByName) {
  const Spec s = example("imm3");
  const check::VerifyResult r = check::verify_script(s, parse_script("lower-int; lower-bool -o 12"), options(3, 8));
  expect_all_ok(r);
  const Circuit c = run_script(unroll(s, 3), parse_script("lower-int; lower-bool --output-bits 12")).circuit;
  ASSERT_EQ(c.outputs().size(), 12u);
  for (const circuits::Output& o : c.outputs()) {
    EXPECT_EQ(o.port.word_bits, 12u) << o.name;
    EXPECT_FALSE(o.port.word_unsigned) << o.name;
  }
  // (M_1 M_2 M_3)[0][0] can be 9 or -9 (the interval analysis finds no narrower range): more
  // than 4 bits of two's complement.
  const PipelineResult refused = run_script(unroll(s, 3), parse_script("lower-int; lower-bool -o 4"));
  ASSERT_TRUE(refused.records.back().refused());
  EXPECT_NE(refused.records.back().refusal.find("output 'y[0]'"), std::string::npos) << refused.records.back().refusal;
  EXPECT_NE(refused.records.back().refusal.find("--output-bits 4"), std::string::npos) << refused.records.back().refusal;
  // An accept bit stays whole.
  const Circuit a = run_script(unroll(example("s5"), 4), parse_script("lower-int; lower-bool -o 8")).circuit;
  ASSERT_EQ(a.outputs().size(), 1u);
  EXPECT_EQ(a.outputs()[0].port.word_bits, 0u);
  expect_all_ok(check::verify_script(example("s5"), parse_script("lower-int; lower-bool -o 8"), options(4, 8)));
}

}  // namespace
}  // namespace rnncc::compiler
