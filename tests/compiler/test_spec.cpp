// Spec files: the example specs load with their documented dimensions, every malformed case is
// refused with a located message, seeded drawing matches an independent splitmix64, inline
// values override drawn ones without shifting the stream, and check_modulus refuses what it must.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/domain_policy.hpp"
#include "compiler/spec.hpp"
#include "compiler/spec_toml.hpp"
#include "tests/support.hpp"

namespace rnncc::compiler {
namespace {

using circuits::DomainKind;

// An independent splitmix64 (the reference sequence) with uniform draws by rejection.
struct ReferenceRng {
  std::uint64_t state;
  std::uint64_t next() {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n): reject x >= L, L the largest multiple of n below 2^64 (docs/spec.md).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = (~0ull / n) * n;
    for (;;) {
      std::uint64_t x = next();
      if (x < limit) return x % n;
    }
  }
  mpq_class dyadic(const mpq_class& scale) {
    long k = static_cast<long>(below(131073)) - 65536;
    mpq_class v(k, 65536);
    v.canonicalize();
    return v * scale;
  }
};

std::string example(const std::string& name) {
  return test::source_dir() + "/examples/specs/" + name + ".toml";
}

std::string error_of(const std::string& text, const std::string& path = "bad.toml") {
  try {
    parse_spec(text, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------------------------------------
// Example specs.

struct ExampleRow {
  const char* file;
  Kind kind;
  Activation activation;
  DomainKind domain;
};

TEST(SpecExamples, LoadWithDocumentedDims) {
  const std::vector<ExampleRow> rows = {
      {"elman_tanh", Kind::Elman, Activation::Tanh, DomainKind::Real},
      {"elman_relu", Kind::Elman, Activation::Relu, DomainKind::Exact},
      {"elman_sign", Kind::Elman, Activation::Sign, DomainKind::Exact},
      {"lstm", Kind::Lstm, Activation::None, DomainKind::Real},
      {"gru", Kind::Gru, Activation::None, DomainKind::Real},
      {"diagonal", Kind::Diagonal, Activation::None, DomainKind::Exact},
      {"dense", Kind::Dense, Activation::None, DomainKind::Exact},
      {"pd", Kind::Pd, Activation::None, DomainKind::Exact},
      {"pd_maps", Kind::Pd, Activation::None, DomainKind::Exact},
      {"dplr", Kind::Dplr, Activation::None, DomainKind::Exact},
      {"deltanet", Kind::Deltanet, Activation::None, DomainKind::Exact},
      {"rwkv7", Kind::Rwkv7, Activation::None, DomainKind::Exact},
  };
  std::set<std::uint64_t> seeds;
  for (const ExampleRow& row : rows) {
    SCOPED_TRACE(row.file);
    Spec s = load_spec(example(row.file));
    EXPECT_EQ(s.name, row.file);
    EXPECT_EQ(s.kind, row.kind);
    EXPECT_EQ(s.activation, row.activation);
    EXPECT_EQ(s.domain, row.domain);
    if (has_matrix_state(row.kind)) {
      EXPECT_EQ(s.d, 0u);
      EXPECT_EQ(s.d_k, 4u);
      EXPECT_EQ(s.d_v, 4u);
      EXPECT_EQ(s.output_width(), 4u);
    } else {
      EXPECT_EQ(s.d, 8u);
      EXPECT_EQ(s.d_out, 8u);
    }
    EXPECT_TRUE(s.one_hot);
    EXPECT_EQ(s.alphabet, (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_EQ(s.input_width, 4u);
    EXPECT_EQ(s.outputs, OutputMode::All);
    EXPECT_EQ(s.initial, InitialState::Zero);
    EXPECT_EQ(s.T, std::optional<std::uint64_t>(16));
    ASSERT_TRUE(s.seed.has_value());
    seeds.insert(*s.seed);
    EXPECT_EQ(s.scale, mpq_class(1, 2));
    std::vector<ParamInfo> table = parameter_table(s);
    EXPECT_EQ(s.params.size(), table.size());
    for (const ParamInfo& info : table) {
      ASSERT_TRUE(s.params.count(info.key)) << info.key;
      const Tensor& t = s.param(info.key);
      EXPECT_EQ(t.shape, info.shape) << info.key;
      std::size_t n = 1;
      for (std::size_t k : info.shape) n *= k;
      EXPECT_EQ(t.size(), n) << info.key;
    }
    EXPECT_TRUE(s.positions.count("kind"));
    EXPECT_TRUE(s.positions.count("init.seed"));
  }
  EXPECT_EQ(seeds.size(), rows.size()) << "each example has its own seed";
}

// The two relu kinds' examples have their own dimensions (mlp: d = 6, H = 12; switched: d = 4),
// three symbols each.
TEST(SpecExamples, MlpAndSwitched) {
  const Spec mlp = load_spec(example("mlp"));
  EXPECT_EQ(mlp.kind, Kind::Mlp);
  EXPECT_EQ(mlp.d, 6u);
  EXPECT_EQ(mlp.hidden, 12u);
  EXPECT_EQ(mlp.d_out, 6u);
  const Spec sw = load_spec(example("switched"));
  EXPECT_EQ(sw.kind, Kind::Switched);
  EXPECT_EQ(sw.d, 4u);
  EXPECT_EQ(sw.hidden, 0u);
  for (const Spec* s : {&mlp, &sw}) {
    SCOPED_TRACE(s->name);
    EXPECT_FALSE(is_linear(s->kind));
    EXPECT_FALSE(has_matrix_state(s->kind));
    EXPECT_EQ(s->activation, Activation::None);
    EXPECT_EQ(s->domain, DomainKind::Exact);
    EXPECT_EQ(s->alphabet, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(s->outputs, OutputMode::All);
    EXPECT_EQ(s->T, std::optional<std::uint64_t>(16));
    EXPECT_EQ(s->state_size(), s->d);
    ASSERT_TRUE(s->seed.has_value());
    EXPECT_EQ(s->params.size(), parameter_table(*s).size());
  }
  EXPECT_NE(*mlp.seed, *sw.seed);
  EXPECT_EQ(parse_kind("mlp"), std::optional<Kind>(Kind::Mlp));
  EXPECT_EQ(parse_kind("switched"), std::optional<Kind>(Kind::Switched));
  EXPECT_EQ(kind_name(Kind::Switched), "switched");
}

TEST(SpecExamples, BenchDiagonal64) {
  Spec s = load_spec(test::source_dir() + "/bench/specs/diagonal64.toml");
  EXPECT_EQ(s.kind, Kind::Diagonal);
  EXPECT_EQ(s.d, 64u);
  EXPECT_EQ(s.d_out, 1u);
  EXPECT_EQ(s.alphabet, (std::vector<std::string>{"0", "1"}));
  EXPECT_FALSE(s.bias);
  EXPECT_EQ(s.domain, DomainKind::Exact);
  EXPECT_EQ(s.T, std::optional<std::uint64_t>(65536));
  EXPECT_EQ(s.seed, std::optional<std::uint64_t>(64));
  EXPECT_EQ(s.params.size(), 3u);  // W_a, W_b, W_y: no biases
  EXPECT_EQ(s.param("W_y").shape, (std::vector<std::size_t>{1, 64}));
  EXPECT_FALSE(s.params.count("c_a"));
}

// Every ```toml block of docs/spec.md is a complete spec; together they cover every kind.
TEST(SpecExamples, DocsExamplesParse) {
  std::ifstream in(test::source_dir() + "/docs/spec.md");
  ASSERT_TRUE(in) << "docs/spec.md is missing";
  std::string line, block;
  bool inside = false;
  int count = 0;
  std::set<Kind> kinds;
  while (std::getline(in, line)) {
    if (!inside && line == "```toml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      ++count;
      SCOPED_TRACE(block);
      try {
        kinds.insert(parse_spec(block, "docs/spec.md").kind);
      } catch (const Error& e) {
        ADD_FAILURE() << e.what();
      }
    } else if (inside) {
      block += line + "\n";
    }
  }
  EXPECT_EQ(count, 11);
  EXPECT_EQ(kinds.size(), 11u);
}

// ---------------------------------------------------------------------------------------------
// Malformed specs: each row's message must contain `expected` verbatim.

struct BadCase {
  const char* name;
  std::string text;
  std::string expected;
};

const std::string kDiag = "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\"]\n";  // 3 lines
const std::string kInit = "[init]\nseed = 1\n";                                       // 2 lines
const std::string kNumber =
    "expected a number (an integer, a float, or a string like \"-3/4\" or \"0.25\")";
const std::string kKinds = "elman, lstm, gru, diagonal, dense, pd, dplr, deltanet, rwkv7, mlp, switched";

std::vector<BadCase> bad_cases() {
  const std::string pd = "kind = \"pd\"\nd = 2\nalphabet = [\"a\", \"b\"]\n" + kInit +
                         "[parameters]\n";                      // P on line 7
  const std::string params = kDiag + kInit + "[parameters]\n";  // first parameter on line 7
  return {
      {"syntax", "kind = \"diagonal\"\nd = \n", "bad.toml:2:5: TOML syntax error: "},
      {"unknown_top_key", "colour = 1\n" + kDiag + kInit,
       "bad.toml:1:1: key 'colour': unknown key; expected one of name, kind, activation, d, d_k"},
      {"unknown_init_key", kDiag + kInit + "seeed = 2\n",
       "bad.toml:6:1: key 'init.seeed': unknown key; expected seed or scale"},
      {"unknown_parameter", params + "W_z = 1\n",
       "bad.toml:7:1: key 'parameters.W_z': unknown parameter for kind 'diagonal'; expected one "
       "of W_a, c_a, W_b, c_b, W_y, c_y"},
      {"bias_parameter_without_bias", "bias = false\n" + params + "c_a = [0, 0]\n",
       "bad.toml:8:1: key 'parameters.c_a': bias = false omits this bias parameter; expected one "
       "of W_a, W_b, W_y"},
      {"unknown_kind", "kind = \"lstmx\"\nd = 2\n",
       "bad.toml:1:8: key 'kind': expected one of " + kKinds + ", got the string \"lstmx\""},
      {"missing_kind", "d = 2\n", "bad.toml:1:1: key 'kind': missing; expected one of " + kKinds},
      {"kind_wrong_type", "kind = 3\n",
       "bad.toml:1:8: key 'kind': expected one of " + kKinds + ", got the integer 3"},
      {"d_wrong_type", "kind = \"diagonal\"\nd = \"8\"\n",
       "bad.toml:2:5: key 'd': expected a positive integer at most 4096, got the string \"8\""},
      {"d_zero", "kind = \"diagonal\"\nd = 0\n",
       "bad.toml:2:5: key 'd': expected a positive integer at most 4096, got the integer 0"},
      {"d_negative", "kind = \"diagonal\"\nd = -3\n",
       "bad.toml:2:5: key 'd': expected a positive integer at most 4096, got the integer -3"},
      {"d_too_large", "kind = \"diagonal\"\nd = 4097\n",
       "bad.toml:2:5: key 'd': expected a positive integer at most 4096, got the integer 4097"},
      {"d_missing", "kind = \"diagonal\"\nalphabet = [\"a\"]\n",
       "bad.toml:1:1: key 'd': missing; expected a positive integer (the state width) for kind "
       "'diagonal'"},
      {"d_for_deltanet", "kind = \"deltanet\"\nd = 2\nd_k = 2\nd_v = 2\n",
       "bad.toml:2:5: key 'd': does not apply to kind 'deltanet' (its dimensions: d_k, d_v)"},
      {"d_k_for_diagonal", kDiag + "d_k = 2\n",
       "bad.toml:4:7: key 'd_k': does not apply to kind 'diagonal' (its dimensions: d, d_out)"},
      {"d_out_for_rwkv7", "kind = \"rwkv7\"\nd_k = 2\nd_v = 2\nd_out = 1\n",
       "bad.toml:4:9: key 'd_out': does not apply to kind 'rwkv7' (its dimensions: d_k, d_v)"},
      {"d_v_missing", "kind = \"rwkv7\"\nd_k = 2\n",
       "bad.toml:1:1: key 'd_v': missing; expected a positive integer (the value width: rows of "
       "the state) for kind 'rwkv7'"},
      {"d_out_zero", kDiag + "d_out = 0\n",
       "bad.toml:4:9: key 'd_out': expected a positive integer at most 4096, got the integer 0"},
      {"activation_for_lstm", "kind = \"lstm\"\nactivation = \"tanh\"\n",
       "bad.toml:2:14: key 'activation': only kind 'elman' takes an activation, got it for kind "
       "'lstm'"},
      {"activation_missing", "kind = \"elman\"\nd = 2\n",
       "bad.toml:1:1: key 'activation': missing; kind 'elman' needs one of tanh, relu, sign"},
      {"activation_unknown", "kind = \"elman\"\nactivation = \"sigmoid\"\n",
       "bad.toml:2:14: key 'activation': expected one of tanh, relu, sign, got the string "
       "\"sigmoid\""},
      {"alphabet_and_input_width", kDiag + "input_width = 3\n",
       "bad.toml:4:15: key 'input_width': expected exactly one of alphabet or input_width, got "
       "both"},
      {"neither_alphabet_nor_input_width", "kind = \"diagonal\"\nd = 2\n",
       "bad.toml:1:1: key 'alphabet': missing; expected exactly one of alphabet (one-hot "
       "symbols) or input_width (real input vectors), got neither"},
      {"input_width_zero", "kind = \"diagonal\"\nd = 2\ninput_width = 0\n",
       "bad.toml:3:15: key 'input_width': expected a positive integer at most 4096, got the "
       "integer 0"},
      {"duplicate_symbol", "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"b\", \"a\"]\n",
       "bad.toml:3:23: key 'alphabet[2]': expected unique symbols, got \"a\" again (also "
       "alphabet[0])"},
      {"symbol_with_space", "kind = \"diagonal\"\nd = 2\nalphabet = [\"a b\"]\n",
       "bad.toml:3:13: key 'alphabet[0]': expected a non-empty symbol string without "
       "whitespace, got the string \"a b\""},
      {"empty_symbol", "kind = \"diagonal\"\nd = 2\nalphabet = [\"a\", \"\"]\n",
       "bad.toml:3:18: key 'alphabet[1]': expected a non-empty symbol string without "
       "whitespace, got the string \"\""},
      {"symbol_not_string", "kind = \"diagonal\"\nd = 2\nalphabet = [1]\n",
       "bad.toml:3:13: key 'alphabet[0]': expected a non-empty symbol string without "
       "whitespace, got the integer 1"},
      {"empty_alphabet", "kind = \"diagonal\"\nd = 2\nalphabet = []\n",
       "bad.toml:3:12: key 'alphabet': expected a non-empty array of at most 4096 symbols, got "
       "an array of 0"},
      {"alphabet_string", "kind = \"diagonal\"\nd = 2\nalphabet = \"ab\"\n",
       "bad.toml:3:12: key 'alphabet': expected a non-empty array of at most 4096 symbols, got "
       "the string \"ab\""},
      {"zero_denominator", params + "c_a = [\"1/0\", 0]\n",
       "bad.toml:7:8: key 'parameters.c_a[0]': " + kNumber +
           ", got the string \"1/0\" (zero denominator)"},
      {"not_a_number", params + "c_a = [0, \"abc\"]\n",
       "bad.toml:7:11: key 'parameters.c_a[1]': " + kNumber + ", got the string \"abc\""},
      {"bad_decimal", params + "c_a = [0, \"1.2.3\"]\n",
       "bad.toml:7:11: key 'parameters.c_a[1]': " + kNumber + ", got the string \"1.2.3\""},
      {"exponent_too_large", params + "c_a = [0, \"1e99999\"]\n",
       "bad.toml:7:11: key 'parameters.c_a[1]': " + kNumber + ", got the string \"1e99999\""},
      {"nan", params + "c_a = [nan, 0]\n",
       "bad.toml:7:8: key 'parameters.c_a[0]': expected a finite number, got the float nan"},
      {"bool_value", params + "c_a = [true, 0]\n",
       "bad.toml:7:8: key 'parameters.c_a[0]': " + kNumber + ", got the boolean true"},
      {"too_many_rows", params + "W_a = [[1, 2], [3, 4], [5, 6]]\n",
       "bad.toml:7:7: key 'parameters.W_a': expected a 2x2 matrix, got an array of 3"},
      {"short_row", params + "W_a = [[1, 2], [3]]\n",
       "bad.toml:7:16: key 'parameters.W_a[1]': expected an array of 2 numbers (part of a 2x2 "
       "matrix), got an array of 1"},
      {"number_for_vector", params + "c_a = 1\n",
       "bad.toml:7:7: key 'parameters.c_a': expected an array of 2 numbers, got the integer 1"},
      {"array_for_scalar",
       "kind = \"deltanet\"\nd_k = 2\nd_v = 2\nalphabet = [\"a\"]\n" + kInit +
           "[parameters]\nc_beta = [1]\n",
       "bad.toml:8:10: key 'parameters.c_beta': " + kNumber + ", got an array of 1"},
      {"dense_shape",
       "kind = \"dense\"\nd = 2\nalphabet = [\"a\"]\n" + kInit +
           "[parameters]\nA = [[1, 0], [0, 1]]\n",
       "bad.toml:7:7: key 'parameters.A[0][0]': expected an array of 2 numbers (part of a 2x2x2 "
       "array), got the integer 1"},
      {"missing_parameter", kDiag,
       "bad.toml:1:1: key 'parameters.W_a': missing parameter 'W_a' (expected a 2x2 matrix: "
       "diagonal A_t = diag(W_a x_t + c_a)) and no [init] table to draw it from"},
      {"missing_parameter_in_table", kDiag + "[parameters]\nW_a = [[1, 2], [3, 4]]\n",
       "bad.toml:4:1: key 'parameters.c_a': missing parameter 'c_a' (expected an array of 2 "
       "numbers: diagonal bias) and no [init] table to draw it from"},
      {"permutation_repeats", pd + "P = [[0, 0], [1, 0]]\n",
       "bad.toml:7:6: key 'parameters.P[0]': expected a permutation of 0..1 (integers), got 0 "
       "twice"},
      {"permutation_out_of_range", pd + "P = [[1, 0], [2, 0]]\n",
       "bad.toml:7:14: key 'parameters.P[1]': expected a permutation of 0..1 (integers), got 2 "
       "(out of range)"},
      {"permutation_not_integer", pd + "P = [[\"1/2\", 0], [1, 0]]\n",
       "bad.toml:7:6: key 'parameters.P[0]': expected a permutation of 0..1 (integers), got 1/2"},
      {"map_out_of_range", "maps = true\n" + pd + "P = [[0, 0], [1, 2]]\n",
       "bad.toml:8:14: key 'parameters.P[1]': expected a map of 0..1 to itself (integers in 0..1), got 2 "
       "(out of range)"},
      {"map_not_integer", "maps = true\n" + pd + "P = [[0, 0], [\"1/2\", 1]]\n",
       "bad.toml:8:14: key 'parameters.P[1]': expected a map of 0..1 to itself (integers in 0..1), got 1/2"},
      {"map_negative", "maps = true\n" + pd + "P = [[0, -1], [0, 0]]\n",
       "bad.toml:8:6: key 'parameters.P[0]': expected a map of 0..1 to itself (integers in 0..1), got -1 "
       "(out of range)"},
      {"maps_not_boolean", "maps = 1\n" + pd,
       "bad.toml:1:8: key 'maps': expected true or false, got the integer 1"},
      {"maps_for_diagonal", "maps = true\n" + kDiag,
       "bad.toml:1:8: key 'maps': only kind 'pd' takes maps (P's rows as maps of 0..d-1), got it for kind "
       "'diagonal'"},
      {"maps_false_still_checks_permutations", "maps = false\n" + pd + "P = [[0, 0], [1, 0]]\n",
       "bad.toml:8:6: key 'parameters.P[0]': expected a permutation of 0..1 (integers), got 0 twice"},
      {"mlp_hidden_missing", "kind = \"mlp\"\nd = 2\nalphabet = [\"a\"]\n" + kInit,
       "bad.toml:1:1: key 'hidden': missing; expected a positive integer (the hidden layer width H) for "
       "kind 'mlp'"},
      {"mlp_hidden_zero", "kind = \"mlp\"\nd = 2\nhidden = 0\nalphabet = [\"a\"]\n" + kInit,
       "bad.toml:3:10: key 'hidden': expected a positive integer at most 4096, got the integer 0"},
      {"hidden_for_elman", "kind = \"elman\"\nactivation = \"relu\"\nd = 2\nhidden = 3\n",
       "bad.toml:4:10: key 'hidden': only kind 'mlp' takes hidden (the hidden layer width), got it for "
       "kind 'elman'"},
      {"hidden_for_switched", kDiag + "hidden = 3\n",
       "bad.toml:4:10: key 'hidden': only kind 'mlp' takes hidden (the hidden layer width), got it for "
       "kind 'diagonal'"},
      {"hidden_for_deltanet", "kind = \"deltanet\"\nd_k = 2\nd_v = 2\nhidden = 3\n",
       "bad.toml:4:10: key 'hidden': only kind 'mlp' takes hidden (the hidden layer width), got it for "
       "kind 'deltanet'"},
      {"d_k_for_mlp", "kind = \"mlp\"\nd = 2\nd_k = 2\nhidden = 3\n",
       "bad.toml:3:7: key 'd_k': does not apply to kind 'mlp' (its dimensions: d, hidden, d_out)"},
      {"mlp_unknown_parameter",
       "kind = \"mlp\"\nd = 2\nhidden = 3\nalphabet = [\"a\"]\n" + kInit + "[parameters]\nW = 1\n",
       "bad.toml:8:1: key 'parameters.W': unknown parameter for kind 'mlp'; expected one of W1, U1, b1, "
       "W2, b2, W_y, c_y"},
      {"mlp_parameter_shape",
       "kind = \"mlp\"\nd = 2\nhidden = 3\nalphabet = [\"a\"]\n" + kInit + "[parameters]\nW1 = [[1, 2], [3, 4]]\n",
       "bad.toml:8:6: key 'parameters.W1': expected a 3x2 matrix, got an array of 2"},
      {"mlp_in_modp", "kind = \"mlp\"\nd = 2\nhidden = 3\nalphabet = [\"a\"]\ndomain = \"modp\"\n",
       "bad.toml:5:10: key 'domain': domain 'modp' cannot run relu (integers mod p have no "
       "order); allowed: real, exact"},
      {"switched_in_modp", "kind = \"switched\"\nd = 2\nalphabet = [\"a\"]\ndomain = \"modp\"\n",
       "bad.toml:4:10: key 'domain': domain 'modp' cannot run relu (integers mod p have no "
       "order); allowed: real, exact"},
      {"switched_shape",
       "kind = \"switched\"\nd = 2\nalphabet = [\"a\", \"b\"]\n" + kInit +
           "[parameters]\nA = [[1, 0], [0, 1]]\n",
       "bad.toml:7:7: key 'parameters.A[0][0]': expected an array of 2 numbers (part of a 2x2x2 "
       "array), got the integer 1"},
      {"switched_bias_without_bias",
       "kind = \"switched\"\nd = 2\nalphabet = [\"a\"]\nbias = false\n" + kInit + "[parameters]\nb = [[0, 0]]\n",
       "bad.toml:8:1: key 'parameters.b': bias = false omits this bias parameter; expected one of A, W_y"},
      {"tanh_in_exact",
       "kind = \"elman\"\nactivation = \"tanh\"\nd = 2\nalphabet = [\"a\"]\n"
       "domain = \"exact\"\n",
       "bad.toml:5:10: key 'domain': domain 'exact' cannot run tanh (not rational); allowed: "
       "real"},
      {"lstm_in_modp", "kind = \"lstm\"\nd = 2\nalphabet = [\"a\"]\ndomain = \"modp\"\n",
       "bad.toml:4:10: key 'domain': domain 'modp' cannot run lstm (tanh and sigmoid are not "
       "rational); allowed: real"},
      {"gru_in_exact", "kind = \"gru\"\nd = 2\nalphabet = [\"a\"]\ndomain = \"exact\"\n",
       "bad.toml:4:10: key 'domain': domain 'exact' cannot run gru (tanh and sigmoid are not "
       "rational); allowed: real"},
      {"relu_in_modp",
       "kind = \"elman\"\nactivation = \"relu\"\nd = 2\nalphabet = [\"a\"]\ndomain = \"modp\"\n",
       "bad.toml:5:10: key 'domain': domain 'modp' cannot run relu (integers mod p have no "
       "order); allowed: real, exact"},
      {"accept_in_modp", kDiag + "outputs = \"final\"\naccept = true\ndomain = \"modp\"\n",
       "bad.toml:6:10: key 'domain': domain 'modp' cannot run acceptance (its step needs an "
       "order, which integers mod p lack); allowed: real, exact"},
      {"unknown_domain", kDiag + "domain = \"bool\"\n",
       "bad.toml:4:10: key 'domain': expected one of real, exact, modp, got the string \"bool\""},
      {"accept_without_final", kDiag + "accept = true\n",
       "bad.toml:4:10: key 'accept': accept = true needs outputs = \"final\", got outputs = "
       "\"all\""},
      {"accept_only_in_modp", kDiag + "outputs = \"accept\"\ndomain = \"modp\"\n",
       "bad.toml:5:10: key 'domain': domain 'modp' cannot run acceptance (its step needs an "
       "order, which integers mod p lack); allowed: real, exact"},
      {"accept_false_with_accept_outputs", kDiag + "outputs = \"accept\"\naccept = false\n",
       "bad.toml:5:10: key 'accept': accept = false contradicts outputs = \"accept\" (whose only output is "
       "the accept bit)"},
      {"accept_only_parameter_shape",
       kDiag + "outputs = \"accept\"\n" + kInit + "[parameters]\no = [1]\n",
       "bad.toml:8:5: key 'parameters.o': expected an array of 2 numbers, got an array of 1"},
      {"accept_parameter_shape",
       kDiag + "outputs = \"final\"\naccept = true\n" + kInit + "[parameters]\no = [1]\n",
       "bad.toml:9:5: key 'parameters.o': expected an array of 2 numbers, got an array of 1"},
      {"pd_without_alphabet", "kind = \"pd\"\nd = 2\ninput_width = 2\n",
       "bad.toml:3:15: key 'input_width': kind 'pd' reads one-hot symbols: expected alphabet, got "
       "input_width"},
      {"initial_state_length", kDiag + "initial_state = [1, 2, 3]\n" + kInit,
       "bad.toml:4:17: key 'initial_state': expected an array of 2 numbers, got an array of 3"},
      {"initial_state_lstm_rows",
       "kind = \"lstm\"\nd = 2\nalphabet = [\"a\"]\ninitial_state = [[1, 2]]\n" + kInit,
       "bad.toml:4:17: key 'initial_state': expected a 2x2 matrix (rows h and c), got an array "
       "of 1"},
      {"initial_state_lstm_flat",
       "kind = \"lstm\"\nd = 2\nalphabet = [\"a\"]\ninitial_state = [1, 2]\n" + kInit,
       "bad.toml:4:18: key 'initial_state[0]': expected an array of 2 numbers (part of a 2x2 "
       "matrix), got the integer 1"},
      {"initial_state_matrix",
       "kind = \"deltanet\"\nd_k = 2\nd_v = 1\nalphabet = [\"a\"]\ninitial_state = [0, 1]\n" +
           kInit,
       "bad.toml:5:17: key 'initial_state': expected a 1x2 matrix (d_v rows of d_k), got an "
       "array of 2"},
      {"initial_state_word", kDiag + "initial_state = \"ones\"\n",
       "bad.toml:4:17: key 'initial_state': expected \"zero\", \"inputs\" or an array of 2 "
       "numbers, got the string \"ones\""},
      {"modulus_not_prime", kDiag + "domain = \"modp\"\nmodulus = 100\n" + kInit,
       "bad.toml:5:11: key 'modulus': expected a prime below 2^62, got 100 (not prime)"},
      {"modulus_too_large", kDiag + "domain = \"modp\"\nmodulus = \"4611686018427387907\"\n",
       "bad.toml:5:11: key 'modulus': expected a prime below 2^62, got 4611686018427387907 (too "
       "large)"},
      {"modulus_negative", kDiag + "domain = \"modp\"\nmodulus = -7\n",
       "bad.toml:5:11: key 'modulus': expected a prime below 2^62 (an integer, or a string of "
       "digits), got the integer -7"},
      {"modulus_outside_modp", kDiag + "modulus = 7\n",
       "bad.toml:4:11: key 'modulus': applies only to domain 'modp', got domain 'real'"},
      {"modulus_divides_parameter",
       kDiag + "domain = \"modp\"\nmodulus = 3\n" + kInit + "[parameters]\nc_a = [0, \"1/3\"]\n",
       "bad.toml:9:7: key 'parameters.c_a': the modulus 3 divides the denominator of c_a[1] = "
       "1/3; expected a modulus with an inverse for every constant"},
      {"modulus_divides_scale",
       kDiag + "domain = \"modp\"\nmodulus = 3\n" + kInit + "scale = \"1/3\"\n",
       "bad.toml:8:9: key 'init.scale': the modulus 3 divides the denominator of the scale 1/3"},
      {"modulus_divides_drawn", kDiag + "domain = \"modp\"\nmodulus = 2\n" + kInit,
       "bad.toml:6:1: key 'init.scale': the modulus 2 divides the denominator of the drawn value "
       "W_a[0][0] = "},
      {"modulus_divides_initial",
       kDiag + "domain = \"modp\"\nmodulus = 5\ninitial_state = [\"1/5\", 0]\n" + kInit,
       "bad.toml:6:17: key 'initial_state': the modulus 5 divides the denominator of initial "
       "value 0 = 1/5"},
      {"T_zero", kDiag + "T = 0\n",
       "bad.toml:4:5: key 'T': expected a positive integer at most 2^30, got the integer 0"},
      {"T_too_large", kDiag + "T = 1073741825\n",
       "bad.toml:4:5: key 'T': expected a positive integer at most 2^30, got the integer "
       "1073741825"},
      {"T_string", kDiag + "T = \"16\"\n",
       "bad.toml:4:5: key 'T': expected a positive integer at most 2^30, got the string \"16\""},
      {"init_without_seed", kDiag + "[init]\nscale = 1\n",
       "bad.toml:4:1: key 'init.seed': missing; expected a non-negative integer seed in [init]"},
      {"init_seed_negative", kDiag + "[init]\nseed = -1\n",
       "bad.toml:5:8: key 'init.seed': expected a non-negative integer (or a string of digits), "
       "got the integer -1"},
      {"init_scale_zero", kDiag + kInit + "scale = 0\n",
       "bad.toml:6:9: key 'init.scale': expected a positive number, got the integer 0"},
      {"init_not_table", kDiag + "init = 5\n",
       "bad.toml:4:8: key 'init': expected a table with seed and scale, got the integer 5"},
      {"parameters_not_table", kDiag + "parameters = [1]\n",
       "bad.toml:4:14: key 'parameters': expected a table of parameter values, got an array of "
       "1"},
      {"too_many_values", "kind = \"dense\"\nd = 4096\ninput_width = 4\n" + kInit,
       "bad.toml:2:5: key 'd': expected dimensions whose parameters hold at most 2^25 values, got "
       "100687872 values"},
      {"outputs_unknown", kDiag + "outputs = \"some\"\n",
       "bad.toml:4:11: key 'outputs': expected one of all, final, accept, got the string \"some\""},
      {"bias_not_bool", kDiag + "bias = \"yes\"\n",
       "bad.toml:4:8: key 'bias': expected true or false, got the string \"yes\""},
      {"params_unknown", kDiag + "params = \"weights\"\n",
       "bad.toml:4:10: key 'params': expected one of constants, inputs, got the string "
       "\"weights\""},
      {"name_empty", "name = \"\"\n" + kDiag,
       "bad.toml:1:8: key 'name': expected a non-empty string, got the string \"\""},
  };
}

void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name;
}

class SpecErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(SpecErrors, LocatedMessage) {
  const BadCase& c = GetParam();
  std::string message = error_of(c.text);
  EXPECT_NE(message.find(c.expected), std::string::npos)
      << "spec:\n"
      << c.text << "message:  " << message << "\nexpected: " << c.expected;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
}

// toml++ quotes the offending text, newline included ("expected 'true', saw 'tr<newline>'"): the
// message stays on one line, the newline written as an escape, with the file, line and column.
TEST(SpecErrors, TomlSyntaxErrorsOnOneLine) {
  struct Case {
    std::string text, expected;
  };
  const Case cases[] = {
      {kDiag + "accept = tr\n",
       "bad.toml:4:12: TOML syntax error: Error while parsing boolean: expected 'true', saw 'tr\\n'"},
      {kDiag + "accept = fals\r\n", "bad.toml:4:"},
      {kDiag + "d_k = 0x\n", "bad.toml:4:"},
      {kDiag + "x = 1979-05-2\n", "bad.toml:4:"},
      {kDiag + "x = {a = 1,\n b = 2}\n", "bad.toml:4:"},
      {kDiag + "name = \"abc\ndef\"\n", "bad.toml:4:"},
      {kDiag + "accept = t", "bad.toml:4:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string message = error_of(c.text);
    EXPECT_EQ(message.rfind(c.expected, 0), 0u) << message;
    EXPECT_NE(message.find("TOML syntax error: "), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
    EXPECT_EQ(message.find('\r'), std::string::npos) << "carriage return in: " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Malformed, SpecErrors, ::testing::ValuesIn(bad_cases()),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(SpecErrors, UnreadableFile) {
  try {
    load_spec("/nonexistent/x.toml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "cannot read /nonexistent/x.toml: No such file or directory");
  }
}

// ---------------------------------------------------------------------------------------------
// Values, defaults and seeded drawing.

TEST(SpecValues, NumberForms) {
  Spec s = parse_spec(kDiag + kInit +
                          "[parameters]\n"
                          "c_a = [0.1, 2.5e-1]\n"
                          "c_b = [\"-3/4\", \"6/8\"]\n"
                          "W_b = [[\"-0.25\", \"1e-3\"], [\"12\", -7]]\n"
                          "c_y = [\"+1.5E2\", 1e20]\n",
                      "v.toml");
  EXPECT_EQ(s.param("c_a").at(0), mpq_class(1, 10));  // not the double nearest 0.1
  EXPECT_EQ(s.param("c_a").at(1), mpq_class(1, 4));
  EXPECT_EQ(s.param("c_b").at(0), mpq_class(-3, 4));
  EXPECT_EQ(s.param("c_b").at(1), mpq_class(3, 4));
  EXPECT_EQ(s.param("W_b").at(0, 0), mpq_class(-1, 4));
  EXPECT_EQ(s.param("W_b").at(0, 1), mpq_class(1, 1000));
  EXPECT_EQ(s.param("W_b").at(1, 0), mpq_class(12));
  EXPECT_EQ(s.param("W_b").at(1, 1), mpq_class(-7));
  EXPECT_EQ(s.param("c_y").at(0), mpq_class(150));
  EXPECT_EQ(s.param("c_y").at(1), mpq_class("100000000000000000000"));
}

TEST(SpecValues, DefaultsAndPositions) {
  Spec s = parse_spec(kDiag + kInit, "/some/dir/my_model.toml");
  EXPECT_EQ(s.name, "my_model");
  EXPECT_EQ(s.path, "/some/dir/my_model.toml");
  EXPECT_EQ(s.d_out, 2u);
  EXPECT_TRUE(s.bias);
  EXPECT_EQ(s.params_mode, ParamMode::Constants);
  EXPECT_EQ(s.initial, InitialState::Zero);
  EXPECT_EQ(s.outputs, OutputMode::All);
  EXPECT_FALSE(s.accept);
  EXPECT_EQ(s.domain, DomainKind::Real);
  EXPECT_EQ(s.modulus, circuits::kDefaultModulus);
  EXPECT_FALSE(s.T.has_value());
  EXPECT_EQ(s.scale, 1);
  EXPECT_EQ(s.positions.at("kind").line, 1u);
  EXPECT_EQ(s.positions.at("kind").col, 8u);
  EXPECT_EQ(s.positions.at("d").line, 2u);
  EXPECT_EQ(s.positions.at("init.seed").line, 5u);

  Spec t = parse_spec(
      kDiag + "params = \"inputs\"\n" + kInit + "[parameters]\nW_a = [[1, 2], [3, 4]]\n", "");
  EXPECT_EQ(t.name, "spec");
  EXPECT_EQ(t.params_mode, ParamMode::Inputs);
  EXPECT_EQ(t.positions.at("parameters.W_a").line, 8u);
}

TEST(SpecValues, RealInputsAndInitialState) {
  Spec s = parse_spec(
      "name = \"m\"\nkind = \"lstm\"\nd = 2\ninput_width = 3\n"
      "initial_state = [[1, 2], [\"1/2\", -1]]\n" +
          kInit,
      "x.toml");
  EXPECT_EQ(s.name, "m");
  EXPECT_FALSE(s.one_hot);
  EXPECT_TRUE(s.alphabet.empty());
  EXPECT_EQ(s.input_width, 3u);
  EXPECT_EQ(s.initial, InitialState::Constants);
  EXPECT_EQ(s.initial_values, (std::vector<mpq_class>{1, 2, mpq_class(1, 2), -1}));  // h, then c
  EXPECT_EQ(s.param("W_i").shape, (std::vector<std::size_t>{2, 3}));

  Spec m = parse_spec(
      "kind = \"rwkv7\"\nd_k = 3\nd_v = 2\nalphabet = [\"a\"]\ninitial_state = [[1, 2, 3], [4, 5, "
      "6]]\noutputs = \"final\"\naccept = true\n" +
          kInit,
      "m.toml");
  EXPECT_EQ(m.initial_values.size(), 6u);
  EXPECT_EQ(m.initial_values[3], 4);
  EXPECT_EQ(m.param("o").shape, (std::vector<std::size_t>{2}));
  EXPECT_EQ(m.param("c_lambda").shape, (std::vector<std::size_t>{}));
  EXPECT_EQ(m.param("c_lambda").size(), 1u);

  Spec i = parse_spec(kDiag + "initial_state = \"inputs\"\n" + kInit, "i.toml");
  EXPECT_EQ(i.initial, InitialState::Inputs);
}

TEST(SpecValues, ModpSpec) {
  Spec s = parse_spec(kDiag + "domain = \"modp\"\nmodulus = \"1000000007\"\n" + kInit, "p.toml");
  EXPECT_EQ(s.domain, DomainKind::Modp);
  EXPECT_EQ(s.modulus, 1000000007u);
  Spec d = parse_spec(kDiag + "domain = \"modp\"\n" + kInit, "p.toml");
  EXPECT_EQ(d.modulus, (std::uint64_t{1} << 61) - 1);
}

TEST(SpecDrawing, SameSeedSameValuesOtherSeedOthers) {
  Spec a = load_spec(example("dplr"));
  Spec b = load_spec(example("dplr"));
  ASSERT_EQ(a.params.size(), b.params.size());
  for (const auto& [key, t] : a.params) {
    ASSERT_EQ(t.values.size(), b.param(key).values.size()) << key;
    for (std::size_t i = 0; i < t.size(); ++i) {
      EXPECT_EQ(t.at(i), b.param(key).at(i)) << key << "[" << i << "]";
      // Exact rationals: numerator and denominator, not merely numerically close.
      EXPECT_EQ(t.at(i).get_num(), b.param(key).at(i).get_num());
      EXPECT_EQ(t.at(i).get_den(), b.param(key).at(i).get_den());
    }
  }
  const std::string text = "kind = \"dplr\"\nd = 8\nalphabet = [\"a\", \"b\", \"c\", \"d\"]\n";
  Spec s1 = parse_spec(text + "[init]\nseed = 9\nscale = \"1/2\"\n", "s.toml");
  Spec s2 = parse_spec(text + "[init]\nseed = 10\nscale = \"1/2\"\n", "s.toml");
  for (const auto& [key, t] : a.params) EXPECT_EQ(t.values, s1.param(key).values) << key;
  std::size_t differ = 0, total = 0;
  for (const auto& [key, t] : s1.params)
    for (std::size_t i = 0; i < t.size(); ++i, ++total) differ += t.at(i) != s2.param(key).at(i);
  EXPECT_GT(differ, total * 9 / 10);
}

TEST(SpecDrawing, MatchesReferenceSplitmix64) {
  Spec s = load_spec(example("diagonal"));  // seed 6, scale 1/2; W_a (8x4) is drawn first
  ASSERT_EQ(s.seed, std::optional<std::uint64_t>(6));
  ReferenceRng rng{6};
  const mpq_class half(1, 2);
  const Tensor& w = s.param("W_a");
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(w.at(i), rng.dyadic(half)) << "W_a value " << i;
  // A hand check of the very first value: the first splitmix64 output for seed 6.
  ReferenceRng first{6};
  std::uint64_t x = first.next();
  long k = static_cast<long>(x % 131073) - 65536;  // the first draw is accepted (x < limit)
  mpq_class expected(k, 131072);
  expected.canonicalize();
  EXPECT_EQ(w.at(0), expected);

  // The rest of the stream continues through c_a, W_b, ... in table order.
  ReferenceRng all{6};
  for (const ParamInfo& info : parameter_table(s))
    for (std::size_t i = 0; i < s.param(info.key).size(); ++i)
      ASSERT_EQ(s.param(info.key).at(i), all.dyadic(half)) << info.key << " value " << i;

  // bias = false: the biases are not drawn, so W_b follows W_a directly in the stream.
  Spec nb = parse_spec(
      "kind = \"diagonal\"\nd = 8\nalphabet = [\"a\", \"b\", \"c\", \"d\"]\nbias = false\n"
      "[init]\nseed = 6\nscale = \"1/2\"\n",
      "nb.toml");
  EXPECT_FALSE(nb.params.count("c_a"));
  EXPECT_EQ(nb.param("W_a").values, w.values);
  ReferenceRng skip{6};
  for (int i = 0; i < 32; ++i) skip.dyadic(half);
  EXPECT_EQ(nb.param("W_b").at(0), skip.dyadic(half));
}

// The parameter tables of mlp and switched (names, shapes, order; docs/models.md) and their
// drawing, in table order, on the reference stream; bias = false skips b1, b2, c_y (mlp) and
// b, c_y (switched) in the stream.
TEST(SpecDrawing, MlpAndSwitchedTablesInOrder) {
  struct Row {
    std::string key;
    std::vector<std::size_t> shape;
    bool bias;
  };
  auto table_of = [](const Spec& s) {
    std::vector<Row> rows;
    for (const ParamInfo& info : parameter_table(s)) rows.push_back({info.key, info.shape, info.bias});
    return rows;
  };
  auto same = [](const std::vector<Row>& got, const std::vector<Row>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].key, want[i].key) << i;
      EXPECT_EQ(got[i].shape, want[i].shape) << want[i].key;
      EXPECT_EQ(got[i].bias, want[i].bias) << want[i].key;
    }
  };
  const std::string mlp = "kind = \"mlp\"\nd = 3\nhidden = 5\nd_out = 2\nalphabet = [\"a\", \"b\"]\n";
  const std::string sw = "kind = \"switched\"\nd = 3\nd_out = 2\ninput_width = 4\n";
  const std::string init = "[init]\nseed = 31\nscale = \"1/4\"\n";
  for (bool bias : {true, false}) {
    SCOPED_TRACE(bias ? "bias" : "no bias");
    const std::string b = bias ? "" : "bias = false\n";
    const Spec m = parse_spec(b + mlp + init, "mlp.toml");
    const Spec w = parse_spec(b + sw + init, "switched.toml");
    std::vector<Row> want_m = {{"W1", {5, 3}, false}, {"U1", {5, 2}, false}, {"b1", {5}, true},
                               {"W2", {3, 5}, false}, {"b2", {3}, true},     {"W_y", {2, 3}, false},
                               {"c_y", {2}, true}};
    std::vector<Row> want_w = {{"A", {4, 3, 3}, false}, {"b", {4, 3}, true}, {"W_y", {2, 3}, false},
                               {"c_y", {2}, true}};
    if (!bias) {
      std::erase_if(want_m, [](const Row& r) { return r.bias; });
      std::erase_if(want_w, [](const Row& r) { return r.bias; });
    }
    same(table_of(m), want_m);
    same(table_of(w), want_w);
    for (const auto& [s, want] : {std::pair{&m, &want_m}, std::pair{&w, &want_w}}) {
      ReferenceRng rng{31};
      ASSERT_EQ(s->params.size(), want->size());
      for (const Row& r : *want) {
        const Tensor& t = s->param(r.key);
        EXPECT_EQ(t.shape, r.shape) << r.key;
        for (std::size_t i = 0; i < t.size(); ++i)
          ASSERT_EQ(t.at(i), rng.dyadic(mpq_class(1, 4))) << r.key << " value " << i;
      }
    }
  }
  // With acceptance the table ends with o (the readout width).
  const Spec acc = parse_spec(mlp + "outputs = \"accept\"\n" + init, "acc.toml");
  EXPECT_EQ(parameter_table(acc).back().key, "o");
  EXPECT_EQ(parameter_table(acc).back().shape, (std::vector<std::size_t>{2}));
}

TEST(SpecDrawing, PermutationsByFisherYates) {
  Spec s = load_spec(example("pd"));  // seed 8, d = 8, 4 symbols; P is drawn first
  const Tensor& p = s.param("P");
  ASSERT_EQ(p.shape, (std::vector<std::size_t>{4, 8}));
  ReferenceRng rng{*s.seed};
  for (std::size_t sym = 0; sym < 4; ++sym) {
    std::vector<int> perm = {0, 1, 2, 3, 4, 5, 6, 7};
    for (std::size_t i = 7; i >= 1; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    std::set<long> seen;
    for (std::size_t j = 0; j < 8; ++j) {
      EXPECT_EQ(p.at(sym, j), perm[j]) << "P[" << sym << "][" << j << "]";
      ASSERT_EQ(p.at(sym, j).get_den(), 1);
      seen.insert(p.at(sym, j).get_num().get_si());
    }
    EXPECT_EQ(seen, (std::set<long>{0, 1, 2, 3, 4, 5, 6, 7})) << "row " << sym;
  }
  // delta continues the same stream after the permutations.
  EXPECT_EQ(s.param("delta").at(0), rng.dyadic(mpq_class(1, 2)));
}

TEST(SpecDrawing, MapsDrawEveryImageUniformly) {
  // maps = true: P is drawn first, entry by entry (row-major), each below(d) on the same stream.
  const std::string text =
      "kind = \"pd\"\nmaps = true\nd = 5\nalphabet = [\"a\", \"b\", \"c\"]\n[init]\nseed = 77\n";
  Spec s = parse_spec(text, "m.toml");
  EXPECT_TRUE(s.maps);
  const Tensor& p = s.param("P");
  ASSERT_EQ(p.shape, (std::vector<std::size_t>{3, 5}));
  ReferenceRng rng{77};
  bool some_map_is_not_a_permutation = false;
  for (std::size_t sym = 0; sym < 3; ++sym) {
    std::set<long> images;
    for (std::size_t j = 0; j < 5; ++j) {
      EXPECT_EQ(p.at(sym, j), static_cast<long>(rng.below(5))) << "P[" << sym << "][" << j << "]";
      images.insert(p.at(sym, j).get_num().get_si());
    }
    some_map_is_not_a_permutation = some_map_is_not_a_permutation || images.size() < 5;
  }
  EXPECT_TRUE(some_map_is_not_a_permutation);  // seed 77: rows collide (else the test shows nothing)
  EXPECT_EQ(s.param("delta").at(0), rng.dyadic(1));  // delta continues the stream
  // Without maps the same seed draws permutations.
  Spec perm = parse_spec("kind = \"pd\"\nd = 5\nalphabet = [\"a\", \"b\", \"c\"]\n[init]\nseed = 77\n", "p.toml");
  EXPECT_FALSE(perm.maps);
  for (std::size_t sym = 0; sym < 3; ++sym) {
    std::set<long> images;
    for (std::size_t j = 0; j < 5; ++j) images.insert(perm.param("P").at(sym, j).get_num().get_si());
    EXPECT_EQ(images.size(), 5u);
  }
  // Inline maps, constant ones included, are accepted with maps = true.
  Spec inl = parse_spec("kind = \"pd\"\nmaps = true\nd = 3\nalphabet = [\"a\", \"b\"]\n[init]\nseed = 1\n"
                        "[parameters]\nP = [[0, 0, 0], [2, 2, 1]]\n",
                        "i.toml");
  EXPECT_EQ(inl.param("P").at(1, 0), 2);
  EXPECT_EQ(inl.param("P").at(0, 2), 0);
}

TEST(SpecDrawing, InlineOverridesWithoutShifting) {
  const std::string base = "kind = \"dplr\"\nd = 3\nalphabet = [\"a\", \"b\"]\n[init]\nseed = 42\n";
  Spec drawn = parse_spec(base, "o.toml");
  Spec over = parse_spec(
      base + "[parameters]\nc_u = [1, \"-1/3\", 0.5]\nW_w = [[0, 1], [2, 3], [4, 5]]\n", "o.toml");
  ASSERT_EQ(drawn.params.size(), over.params.size());
  for (const auto& [key, t] : drawn.params) {
    if (key == "c_u" || key == "W_w") continue;
    EXPECT_EQ(t.values, over.param(key).values) << key;
  }
  EXPECT_EQ(over.param("c_u").values,
            (std::vector<mpq_class>{1, mpq_class(-1, 3), mpq_class(1, 2)}));
  EXPECT_EQ(over.param("W_w").at(2, 1), 5);
  EXPECT_NE(drawn.param("c_u").values, over.param("c_u").values);

  // Inline pd permutations are kept as given.
  Spec pd = parse_spec(
      "kind = \"pd\"\nd = 3\nalphabet = [\"a\", \"b\"]\n[init]\nseed = 1\n[parameters]\n"
      "P = [[2, 0, 1], [0, 1, 2]]\n",
      "pd.toml");
  EXPECT_EQ(pd.param("P").at(0, 0), 2);
  EXPECT_EQ(pd.param("P").at(1, 2), 2);
}

// ---------------------------------------------------------------------------------------------
// check_modulus and check_domain on parsed specs (as a CLI override of --modulus/--domain).

std::string modulus_error(const Spec& s, std::uint64_t p) {
  try {
    check_modulus(s, p);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SpecModulus, RefusesWhatItMust) {
  Spec s = parse_spec(kDiag + "domain = \"exact\"\ninitial_state = [\"1/7\", 0]\n" + kInit +
                          "scale = \"1/5\"\n[parameters]\nc_b = [\"2/3\", 1]\n",
                      "m.toml");
  EXPECT_EQ(modulus_error(s, 1000000007), "(no error)");
  EXPECT_EQ(modulus_error(s, circuits::kDefaultModulus), "(no error)");
  EXPECT_EQ(modulus_error(s, 100),
            "m.toml:1:1: key 'modulus': expected a prime below 2^62, got 100 (not prime)");
  EXPECT_EQ(modulus_error(s, 1),
            "m.toml:1:1: key 'modulus': expected a prime below 2^62, got 1 (not prime)");
  EXPECT_NE(modulus_error(s, (std::uint64_t{1} << 62) + 135).find("(too large)"),
            std::string::npos);
  EXPECT_NE(modulus_error(s, 5).find("m.toml:8:9: key 'init.scale': the modulus 5 divides the "
                                     "denominator of the scale 1/5"),
            std::string::npos);
  EXPECT_NE(modulus_error(s, 3).find("m.toml:10:7: key 'parameters.c_b': the modulus 3 divides "
                                     "the denominator of c_b[0] = 2/3"),
            std::string::npos);
  EXPECT_NE(modulus_error(s, 7).find("m.toml:5:17: key 'initial_state': the modulus 7 divides "
                                     "the denominator of initial value 0 = 1/7"),
            std::string::npos);
  EXPECT_NE(modulus_error(s, 2).find("m.toml:8:9: key 'init.scale': the modulus 2 divides the "
                                     "denominator of the drawn value W_a[0][0]"),
            std::string::npos);
}

TEST(SpecModulus, CheckDomain) {
  Spec tanh = load_spec(example("elman_tanh"));
  EXPECT_NO_THROW(check_domain(tanh, DomainKind::Real));
  EXPECT_THROW(check_domain(tanh, DomainKind::Exact), Error);
  Spec relu = load_spec(example("elman_relu"));
  EXPECT_NO_THROW(check_domain(relu, DomainKind::Exact));
  EXPECT_THROW(check_domain(relu, DomainKind::Modp), Error);
  for (const char* name : {"mlp", "switched"}) {
    SCOPED_TRACE(name);
    Spec s = load_spec(example(name));
    EXPECT_NO_THROW(check_domain(s, DomainKind::Real));
    EXPECT_NO_THROW(check_domain(s, DomainKind::Exact));
    try {
      check_domain(s, DomainKind::Modp);
      ADD_FAILURE() << "modp accepted";
    } catch (const Error& e) {  // located at the example's domain key (line 7 in both)
      EXPECT_NE(std::string(e.what()).find(std::string(name) + ".toml:7:10: key 'domain': domain 'modp' cannot run "
                                           "relu (integers mod p have no order); allowed: real, exact"),
                std::string::npos)
          << e.what();
    }
  }
  Spec diag = load_spec(example("diagonal"));
  for (DomainKind d : {DomainKind::Real, DomainKind::Exact, DomainKind::Modp})
    EXPECT_NO_THROW(check_domain(diag, d));
  EXPECT_THROW(check_domain(diag, DomainKind::Bool), Error);
}

}  // namespace
}  // namespace rnncc::compiler
