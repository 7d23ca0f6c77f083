// The reference interpreter against hand computation, one model kind at a time: tiny specs with
// explicit rational parameters, and the equations of docs/models.md written out again here in
// plain arithmetic (with full matrices where compiler/models.hpp uses factored forms), so the
// model zoo is checked against something it does not share code with.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/interpret.hpp"
#include "compiler/spec.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/unroll.hpp"

namespace rnncc::compiler {
namespace {

using circuits::ExactDomain;
using circuits::ModpDomain;
using circuits::RealDomain;
using Q = mpq_class;
template <class T>
using Vec = std::vector<T>;
template <class T>
using Mat = std::vector<Vec<T>>;  // a list of rows

Q q(const char* text) {
  Q v(text);
  v.canonicalize();
  return v;
}

Spec parse(const std::string& text) {
  return parse_spec(text, "test.toml");
}

// One-hot inputs over m symbols: seq holds symbol indices.
InputSequence one_hot(std::size_t m, const std::vector<std::size_t>& seq) {
  InputSequence xs;
  for (std::size_t s : seq) {
    std::vector<Q> x(m, Q(0));
    x[s] = 1;
    xs.push_back(x);
  }
  return xs;
}

// Inputs as the test's scalar type.
Vec<double> as(const std::vector<Q>& x, double) {
  Vec<double> out;
  for (const Q& v : x) out.push_back(v.get_d());
  return out;
}

// ---- plain linear algebra, written for the test ----

template <class T>
Vec<T> mat_vec(const Mat<T>& m, const Vec<T>& v) {
  Vec<T> out(m.size(), T(0));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < v.size(); ++j) out[i] += m[i][j] * v[j];
  return out;
}

template <class T>
Vec<T> plus(Vec<T> a, const Vec<T>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

// W x + c; an empty c reads as zero (bias = false).
template <class T>
Vec<T> affine(const Mat<T>& w, const Vec<T>& x, const Vec<T>& c) {
  Vec<T> out = mat_vec(w, x);
  return c.empty() ? out : plus(out, c);
}

template <class T>
T dot(const Vec<T>& a, const Vec<T>& b) {
  T s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

template <class T>
Mat<T> mat_mul(const Mat<T>& a, const Mat<T>& b) {
  Mat<T> out(a.size(), Vec<T>(b[0].size(), T(0)));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t k = 0; k < b.size(); ++k)
      for (std::size_t j = 0; j < b[0].size(); ++j) out[i][j] += a[i][k] * b[k][j];
  return out;
}

template <class T>
Mat<T> mat_plus(Mat<T> a, const Mat<T>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = plus(a[i], b[i]);
  return a;
}

template <class T>
Mat<T> scaled(const T& s, Mat<T> a) {
  for (auto& row : a)
    for (auto& v : row) v *= s;
  return a;
}

template <class T>
Mat<T> outer(const Vec<T>& u, const Vec<T>& v) {
  Mat<T> out(u.size(), Vec<T>(v.size()));
  for (std::size_t i = 0; i < u.size(); ++i)
    for (std::size_t j = 0; j < v.size(); ++j) out[i][j] = u[i] * v[j];
  return out;
}

template <class T>
Mat<T> diag(const Vec<T>& w) {
  Mat<T> out(w.size(), Vec<T>(w.size(), T(0)));
  for (std::size_t i = 0; i < w.size(); ++i) out[i][i] = w[i];
  return out;
}

template <class T>
Mat<T> identity(std::size_t n) {
  return diag(Vec<T>(n, T(1)));
}

double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

// ---- running the interpreter and comparing ----

std::vector<Vec<Q>> run_exact(const Spec& s, const InputSequence& xs) {
  ExactDomain dom;
  return interpret_values(s, dom, xs);
}

std::vector<Vec<double>> run_real(const Spec& s, const InputSequence& xs) {
  RealDomain dom;
  return interpret_values(s, dom, xs);
}

void expect_exact(const std::vector<Vec<Q>>& got, const std::vector<Vec<Q>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t t = 0; t < want.size(); ++t) {
    ASSERT_EQ(got[t].size(), want[t].size()) << "y_" << t + 1;
    for (std::size_t i = 0; i < want[t].size(); ++i)
      EXPECT_EQ(got[t][i], want[t][i]) << "y_" << t + 1 << "[" << i << "]";
  }
}

void expect_near(const std::vector<Vec<double>>& got, const std::vector<Vec<double>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t t = 0; t < want.size(); ++t) {
    ASSERT_EQ(got[t].size(), want[t].size()) << "y_" << t + 1;
    for (std::size_t i = 0; i < want[t].size(); ++i)
      EXPECT_NEAR(got[t][i], want[t][i], 1e-12 * std::max(1.0, std::abs(want[t][i])))
          << "y_" << t + 1 << "[" << i << "]";
  }
}

// A rational as a residue mod p, by GMP's modular inverse (not through ModpDomain).
std::uint64_t mod_p(const Q& v, std::uint64_t p) {
  mpz_class pz(static_cast<unsigned long>(p)), num = v.get_num() % pz, inv;
  if (num < 0) num += pz;
  mpz_class den = v.get_den();
  EXPECT_NE(mpz_invert(inv.get_mpz_t(), den.get_mpz_t(), pz.get_mpz_t()), 0);
  mpz_class r = num * inv % pz;
  return r.get_ui();
}

// The interpreter in modp, for each prime, gives the hand-computed exact outputs `want`
// (y_1..y_T, each of width 2) reduced mod p.
void expect_modp_outputs(const Spec& s, const InputSequence& xs, const std::vector<Vec<Q>>& want,
                         std::initializer_list<std::uint64_t> primes) {
  for (std::uint64_t p : primes) {
    ModpDomain dom(p);
    const auto got = interpret_values(s, dom, xs);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t t = 0; t < want.size(); ++t)
      for (std::size_t i = 0; i < 2; ++i)
        EXPECT_EQ(got[t][i], mod_p(want[t][i], p)) << "p = " << p << ", y_" << t + 1;
  }
}

// ---- diagonal ----

constexpr const char* kDiagonal = R"(
kind = "diagonal"
d = 2
alphabet = ["a", "b"]
domain = "exact"

[parameters]
W_a = [["1/2", -1], [2, "1/3"]]
c_a = ["1/4", 0]
W_b = [[1, 0], ["-1/2", 3]]
c_b = [0, 1]
W_y = [[1, 2], [0, -1]]
c_y = ["1/2", 0]
)";

struct DiagonalParams {
  Mat<Q> W_a = {{q("1/2"), -1}, {2, q("1/3")}};
  Vec<Q> c_a = {q("1/4"), 0};
  Mat<Q> W_b = {{1, 0}, {q("-1/2"), 3}};
  Vec<Q> c_b = {0, 1};
  Mat<Q> W_y = {{1, 2}, {0, -1}};
  Vec<Q> c_y = {q("1/2"), 0};
};

// h_t = diag(W_a x + c_a) h_{t-1} + W_b x + c_b, y_t = W_y h_t + c_y.
std::vector<Vec<Q>> diagonal_by_hand(const DiagonalParams& p, const InputSequence& xs, Vec<Q> h) {
  std::vector<Vec<Q>> ys;
  for (const auto& x : xs) {
    Vec<Q> a = affine(p.W_a, x, p.c_a), b = affine(p.W_b, x, p.c_b);
    for (std::size_t i = 0; i < h.size(); ++i) h[i] = a[i] * h[i] + b[i];
    ys.push_back(affine(p.W_y, h, p.c_y));
  }
  return ys;
}

TEST(ModelsDiagonal, MatchesLiteralHandValues) {
  // a(a) = (3/4, 2), b(a) = (1, 1/2); a(b) = (-3/4, 1/3), b(b) = (0, 4).
  // h1 = (1, 1/2), h2 = (-3/4, 25/6), h3 = (9/16, 97/18).
  const Spec s = parse(kDiagonal);
  const auto ys = run_exact(s, one_hot(2, {0, 1, 1}));
  expect_exact(ys, {{q("5/2"), q("-1/2")}, {q("97/12"), q("-25/6")}, {q("1705/144"), q("-97/18")}});
}

TEST(ModelsDiagonal, MatchesEquationsOnLongerInput) {
  const Spec s = parse(kDiagonal);
  const InputSequence xs = one_hot(2, {1, 0, 0, 1, 0});
  expect_exact(run_exact(s, xs), diagonal_by_hand(DiagonalParams{}, xs, {0, 0}));
}

TEST(ModelsDiagonal, InitialStateConstantsAndNarrowReadout) {
  const Spec s = parse(R"(
kind = "diagonal"
d = 2
d_out = 1
alphabet = ["a", "b"]
initial_state = ["-1/2", 3]

[parameters]
W_a = [["1/2", -1], [2, "1/3"]]
c_a = ["1/4", 0]
W_b = [[1, 0], ["-1/2", 3]]
c_b = [0, 1]
W_y = [[2, -1]]
c_y = [1]
)");
  ASSERT_EQ(s.output_width(), 1u);
  DiagonalParams p;
  p.W_y = {{2, -1}};
  p.c_y = {1};
  const InputSequence xs = one_hot(2, {0, 1, 0});
  expect_exact(run_exact(s, xs), diagonal_by_hand(p, xs, {q("-1/2"), 3}));
  // y_1 by hand: h1 = (3/4 * -1/2 + 1, 2 * 3 + 1/2) = (5/8, 13/2); y_1 = 5/4 - 13/2 + 1.
  EXPECT_EQ(run_exact(s, one_hot(2, {0}))[0][0], q("-17/4"));
}

TEST(ModelsDiagonal, BiasFalseOmitsBiasesAsZero) {
  const Spec s = parse(R"(
kind = "diagonal"
d = 2
alphabet = ["a", "b"]
bias = false

[parameters]
W_a = [["1/2", -1], [2, "1/3"]]
W_b = [[1, 0], ["-1/2", 3]]
W_y = [[1, 2], [0, -1]]
)");
  for (const ParamInfo& info : parameter_table(s)) EXPECT_FALSE(info.bias) << info.key;
  EXPECT_EQ(s.params.count("c_a"), 0u);
  DiagonalParams p;
  p.c_a = {};
  p.c_b = {};
  p.c_y = {};
  const InputSequence xs = one_hot(2, {0, 1, 1, 0});
  expect_exact(run_exact(s, xs), diagonal_by_hand(p, xs, {0, 0}));
  // h1 = (0, 0) * ... + (1, -1/2): y_1 = (1 - 1, 1/2), no bias added anywhere.
  EXPECT_EQ(run_exact(s, xs)[0], (Vec<Q>{0, q("1/2")}));
}

TEST(ModelsDiagonal, ModpMatchesHandValuesMappedModP) {
  std::string text = kDiagonal;
  text.replace(text.find("domain = \"exact\""), 16, "domain = \"modp\"\nmodulus = 1000003");
  const Spec s = parse(text);
  ASSERT_EQ(s.modulus, 1000003u);
  const InputSequence xs = one_hot(2, {0, 1, 1, 0});
  const auto want = diagonal_by_hand(DiagonalParams{}, xs, {0, 0});
  expect_modp_outputs(s, xs, want, {s.modulus, circuits::kDefaultModulus});
}

// ---- acceptance (outputs = "final") ----

TEST(ModelsAccept, CountingRecognizerAcceptsExactlyWhenMoreAs) {
  // h counts a's and b's; y = h; accept = 1[#a - #b > 0] (step(0) = 0).
  const Spec s = parse(R"(
kind = "diagonal"
d = 2
alphabet = ["a", "b"]
domain = "exact"
outputs = "final"
accept = true

[parameters]
W_a = [[1, 1], [1, 1]]
c_a = [0, 0]
W_b = [[1, 0], [0, 1]]
c_b = [0, 0]
W_y = [[1, 0], [0, 1]]
c_y = [0, 0]
o = [1, -1]
)");
  struct Case {
    std::vector<std::size_t> seq;
    Q a_count, b_count, accept;
  };
  const std::vector<Case> cases = {
      {{0, 0, 1}, 2, 1, 1}, {{0, 1}, 1, 1, 0}, {{1}, 0, 1, 0}, {{1, 0, 0, 1, 0}, 3, 2, 1}};
  for (const Case& c : cases) {
    const auto ys = run_exact(s, one_hot(2, c.seq));
    ASSERT_EQ(ys.size(), c.seq.size());
    ASSERT_EQ(ys.back().size(), 3u) << "y_T and accept";
    EXPECT_EQ(ys.back()[0], c.a_count);
    EXPECT_EQ(ys.back()[1], c.b_count);
    EXPECT_EQ(ys.back()[2], c.accept) << "sequence of length " << c.seq.size();
  }
  // The final circuit: outputs y[0], y[1], accept.
  const circuits::Circuit circ = unroll(s, 3);
  ASSERT_EQ(circ.outputs().size(), 3u);
  EXPECT_EQ(circ.outputs()[0].name, "y[0]");
  EXPECT_EQ(circ.outputs()[1].name, "y[1]");
  EXPECT_EQ(circ.outputs()[2].name, "accept");
  ExactDomain dom;
  const auto out = circuits::evaluate(circ, dom, {1, 0, 0, 1, 1, 0});  // a b a
  EXPECT_EQ(out, (Vec<Q>{2, 1, 1}));
  EXPECT_EQ(circuits::evaluate(circ, dom, {1, 0, 0, 1, 0, 1}), (Vec<Q>{1, 2, 0}));  // a b b
}

// ---- elman ----

struct ElmanParams {
  Mat<Q> W, U;
  Vec<Q> c;
  Mat<Q> W_y;
  Vec<Q> c_y;
};

// h_t = phi(W h_{t-1} + U x_t + c); counts pre-activations that are zero / negative.
template <class Phi>
std::vector<Vec<Q>> elman_by_hand(const ElmanParams& p, const InputSequence& xs, Phi phi,
                                  int* zeros, int* negatives) {
  Vec<Q> h(p.W.size(), Q(0));
  std::vector<Vec<Q>> ys;
  for (const auto& x : xs) {
    Vec<Q> z = plus(plus(mat_vec(p.W, h), mat_vec(p.U, x)), p.c);
    for (std::size_t i = 0; i < z.size(); ++i) {
      *zeros += z[i] == 0;
      *negatives += z[i] < 0;
      h[i] = phi(z[i]);
    }
    ys.push_back(affine(p.W_y, h, p.c_y));
  }
  return ys;
}

TEST(ModelsElman, ReluMatchesEquations) {
  const Spec s = parse(R"(
kind = "elman"
activation = "relu"
d = 2
d_out = 3
alphabet = ["a", "b"]
domain = "exact"

[parameters]
W = [[1, "-1/2"], ["1/3", 2]]
U = [[1, -2], ["-1/2", 1]]
c = ["1/4", -1]
W_y = [[1, 0], ["1/2", -1], [0, 3]]
c_y = [0, 1, "-1/3"]
)");
  const ElmanParams p{{{1, q("-1/2")}, {q("1/3"), 2}},
                      {{1, -2}, {q("-1/2"), 1}},
                      {q("1/4"), -1},
                      {{1, 0}, {q("1/2"), -1}, {0, 3}},
                      {0, 1, q("-1/3")}};
  const InputSequence xs = one_hot(2, {0, 1, 0});
  int zeros = 0, negatives = 0;
  const auto want = elman_by_hand(
      p, xs, [](const Q& z) { return z > 0 ? z : Q(0); }, &zeros, &negatives);
  EXPECT_GT(negatives, 0) << "the input should exercise relu's clipping";
  expect_exact(run_exact(s, xs), want);
  // Step 1 by hand: z = (5/4, -3/2), h1 = (5/4, 0), y_1 = (5/4, 13/8, -1/3).
  EXPECT_EQ(want[0], (Vec<Q>{q("5/4"), q("13/8"), q("-1/3")}));
}

TEST(ModelsElman, SignMatchesEquationsIncludingSignOfZero) {
  const Spec s = parse(R"(
kind = "elman"
activation = "sign"
d = 2
alphabet = ["a", "b"]
domain = "exact"

[parameters]
W = [[1, 1], ["1/2", -1]]
U = [[0, 1], [-1, "1/2"]]
c = [0, "1/2"]
W_y = [[1, 2], [-1, 1]]
c_y = ["1/2", 0]
)");
  const ElmanParams p{{{1, 1}, {q("1/2"), -1}},
                      {{0, 1}, {-1, q("1/2")}},
                      {0, q("1/2")},
                      {{1, 2}, {-1, 1}},
                      {q("1/2"), 0}};
  const InputSequence xs = one_hot(2, {0, 1, 0});
  int zeros = 0, negatives = 0;
  auto sign = [](const Q& z) { return Q(sgn(z)); };  // 1, 0, -1
  const auto want = elman_by_hand(p, xs, sign, &zeros, &negatives);
  EXPECT_GT(zeros, 0) << "the input should reach sign(0) = 0";
  expect_exact(run_exact(s, xs), want);
  // h1 = sign(0, -1/2) = (0, -1), h2 = sign(0, 2) = (0, 1), h3 = sign(1, -3/2) = (1, -1).
  EXPECT_EQ(want[0], (Vec<Q>{q("-3/2"), -1}));
  EXPECT_EQ(want[1], (Vec<Q>{q("5/2"), 1}));
  EXPECT_EQ(want[2], (Vec<Q>{q("-1/2"), -2}));
}

TEST(ModelsElman, TanhMatchesEquationsInReal) {
  const Spec s = parse(R"(
kind = "elman"
activation = "tanh"
d = 2
d_out = 1
alphabet = ["a", "b"]

[parameters]
W = [[0.5, -0.25], [1, 0.75]]
U = [[1, -1], [0.5, 0.25]]
c = [0, -0.5]
W_y = [[1, 1]]
c_y = [-0.25]
)");
  const Mat<double> W = {{0.5, -0.25}, {1, 0.75}}, U = {{1, -1}, {0.5, 0.25}};
  const Vec<double> c = {0, -0.5};
  const InputSequence xs = one_hot(2, {1, 0, 1});
  Vec<double> h = {0, 0};
  std::vector<Vec<double>> want;
  for (const auto& xq : xs) {
    Vec<double> z = plus(plus(mat_vec(W, h), mat_vec(U, as(xq, 0.0))), c);
    for (std::size_t i = 0; i < 2; ++i) h[i] = std::tanh(z[i]);
    want.push_back({h[0] + h[1] - 0.25});
  }
  expect_near(run_real(s, xs), want);
  EXPECT_NEAR(want[0][0], std::tanh(-1.0) + std::tanh(-0.25) - 0.25, 1e-15);
}

// ---- lstm ----

struct Gate {
  Mat<double> W, U;
  Vec<double> b;
  Vec<double> pre(const Vec<double>& x, const Vec<double>& h) const {
    return plus(affine(W, x, b), mat_vec(U, h));
  }
};

TEST(ModelsLstm, MatchesEquationsWithInitialState) {
  const Spec s = parse(R"(
kind = "lstm"
d = 2
d_out = 1
alphabet = ["a", "b"]
initial_state = [[0.5, -0.5], [1, 0.25]]

[parameters]
W_i = [[0.5, -0.25], [1, 0]]
U_i = [[0.25, 0], [-0.5, 0.75]]
b_i = [0, 0.125]
W_f = [[-1, 0.5], [0.25, 0.25]]
U_f = [[0, 1], [0.5, -0.25]]
b_f = [1, -0.5]
W_g = [[0.75, -1], [0, 0.5]]
U_g = [[-0.25, 0.5], [1, 0]]
b_g = [0.25, 0]
W_o = [[0, 0.5], [-0.75, 1]]
U_o = [[0.5, 0.5], [0, -1]]
b_o = [-0.25, 0.5]
W_y = [[1, -1]]
c_y = [0.5]
)");
  ASSERT_EQ(s.state_size(), 4u);
  const Gate gi{{{0.5, -0.25}, {1, 0}}, {{0.25, 0}, {-0.5, 0.75}}, {0, 0.125}};
  const Gate gf{{{-1, 0.5}, {0.25, 0.25}}, {{0, 1}, {0.5, -0.25}}, {1, -0.5}};
  const Gate gg{{{0.75, -1}, {0, 0.5}}, {{-0.25, 0.5}, {1, 0}}, {0.25, 0}};
  const Gate go{{{0, 0.5}, {-0.75, 1}}, {{0.5, 0.5}, {0, -1}}, {-0.25, 0.5}};
  Vec<double> h = {0.5, -0.5}, c = {1, 0.25};
  const InputSequence xs = one_hot(2, {0, 1, 1});
  std::vector<Vec<double>> want;
  for (const auto& xq : xs) {
    const Vec<double> x = as(xq, 0.0);
    Vec<double> i = gi.pre(x, h), f = gf.pre(x, h), g = gg.pre(x, h), o = go.pre(x, h);
    for (std::size_t k = 0; k < 2; ++k) {
      c[k] = sigmoid(f[k]) * c[k] + sigmoid(i[k]) * std::tanh(g[k]);
      h[k] = sigmoid(o[k]) * std::tanh(c[k]);
    }
    want.push_back({h[0] - h[1] + 0.5});
  }
  expect_near(run_real(s, xs), want);
}

// ---- gru ----

struct GruParams {
  Gate r, z;
  Mat<double> W_n, U_n;
  Vec<double> b_n, b_hn;
  Mat<double> W_y;
  Vec<double> c_y;
};

std::vector<Vec<double>> gru_by_hand(const GruParams& p, const InputSequence& xs, Vec<double> h) {
  std::vector<Vec<double>> ys;
  for (const auto& xq : xs) {
    const Vec<double> x = as(xq, 0.0);
    const Vec<double> r = p.r.pre(x, h), z = p.z.pre(x, h);
    const Vec<double> wn = affine(p.W_n, x, p.b_n), un = affine(p.U_n, h, p.b_hn);
    for (std::size_t k = 0; k < h.size(); ++k) {
      const double n = std::tanh(wn[k] + sigmoid(r[k]) * un[k]);
      h[k] = (1 - sigmoid(z[k])) * n + sigmoid(z[k]) * h[k];
    }
    ys.push_back(affine(p.W_y, h, p.c_y));
  }
  return ys;
}

constexpr const char* kGruWeights = R"(
W_r = [[0.5, -1], [0.25, 0]]
U_r = [[0, 0.5], [-0.25, 1]]
W_z = [[1, 0.25], [-0.5, 0.5]]
U_z = [[0.25, -0.25], [0.5, 0]]
W_n = [[-0.75, 0.5], [1, -1]]
U_n = [[0.5, 0], [0.25, 0.75]]
W_y = [[1, 0], [0.5, -1]]
)";

GruParams gru_params(bool bias) {
  GruParams p{{{{0.5, -1}, {0.25, 0}}, {{0, 0.5}, {-0.25, 1}}, {0.125, -0.5}},
              {{{1, 0.25}, {-0.5, 0.5}}, {{0.25, -0.25}, {0.5, 0}}, {0, 0.25}},
              {{-0.75, 0.5}, {1, -1}},
              {{0.5, 0}, {0.25, 0.75}},
              {0.25, 0},
              {-0.5, 0.125},
              {{1, 0}, {0.5, -1}},
              {0, 0.25}};
  if (!bias) p.r.b = p.z.b = p.b_n = p.b_hn = p.c_y = Vec<double>(2, 0.0);
  return p;
}

TEST(ModelsGru, MatchesEquationsWithInitialState) {
  const Spec s = parse(std::string(R"(
kind = "gru"
d = 2
alphabet = ["a", "b"]
initial_state = [0.25, -0.5]

[parameters]
b_r = [0.125, -0.5]
b_z = [0, 0.25]
b_n = [0.25, 0]
b_hn = [-0.5, 0.125]
c_y = [0, 0.25]
)") + kGruWeights);
  const InputSequence xs = one_hot(2, {1, 1, 0});
  expect_near(run_real(s, xs), gru_by_hand(gru_params(true), xs, {0.25, -0.5}));
}

TEST(ModelsGru, BiasFalse) {
  const Spec s = parse(std::string(R"(
kind = "gru"
d = 2
alphabet = ["a", "b"]
bias = false

[parameters]
)") + kGruWeights);
  const InputSequence xs = one_hot(2, {0, 1, 0});
  expect_near(run_real(s, xs), gru_by_hand(gru_params(false), xs, {0, 0}));
  // The biased equations give another value: the biases really are dropped.
  EXPECT_NE(gru_by_hand(gru_params(true), xs, {0, 0})[0][1], run_real(s, xs)[0][1]);
}

// ---- dense (real input vectors) ----

TEST(ModelsDense, RealInputsMatchEquations) {
  const Spec s = parse(R"(
kind = "dense"
d = 2
input_width = 2
domain = "exact"
initial_state = [1, -1]

[parameters]
A = [[[1, "1/2"], [0, -1]], [["1/4", 0], [1, 1]], [[0, -2], ["1/2", "1/3"]]]
W_b = [[1, -1], [0, 2]]
c_b = ["1/2", 0]
W_y = [[1, 1], [-1, 0]]
c_y = [0, 1]
)");
  const std::vector<Mat<Q>> A = {
      {{1, q("1/2")}, {0, -1}}, {{q("1/4"), 0}, {1, 1}}, {{0, -2}, {q("1/2"), q("1/3")}}};
  const Mat<Q> W_b = {{1, -1}, {0, 2}}, W_y = {{1, 1}, {-1, 0}};
  const Vec<Q> c_b = {q("1/2"), 0}, c_y = {0, 1};
  const InputSequence xs = {{q("1/2"), -1}, {0, 2}, {3, q("1/4")}};
  Vec<Q> h = {1, -1};
  std::vector<Vec<Q>> want;
  for (const auto& x : xs) {
    // A_t = A_0 + x_1 A_1 + x_2 A_2
    Mat<Q> At = mat_plus(mat_plus(A[0], scaled(x[0], A[1])), scaled(x[1], A[2]));
    h = plus(mat_vec(At, h), affine(W_b, x, c_b));
    want.push_back(affine(W_y, h, c_y));
  }
  expect_exact(run_exact(s, xs), want);
  // Step 1 by hand: A_1 = [[1 + 1/8, 1/2 + 2], [1/2 - 1/2, -1 + 1/2 - 1/3]] = [[9/8, 5/2],
  // [0, -5/6]]; h1 = (9/8 - 5/2 + 1/2 + 1 + 1/2, 5/6 - 2) = (5/8, -7/6).
  EXPECT_EQ(want[0], (Vec<Q>{q("5/8") - q("7/6"), q("-5/8") + 1}));
}

TEST(ModelsDense, OneHotSelectsPerSymbolMatrix) {
  const Spec s = parse(R"(
kind = "dense"
d = 2
alphabet = ["a", "b"]
domain = "exact"

[parameters]
A = [[[0, 0], [0, 0]], [[0, 1], [1, 0]], [[2, 0], [0, "1/2"]]]
W_b = [[1, 0], [0, 1]]
c_b = [0, 0]
W_y = [[1, 0], [0, 1]]
c_y = [0, 0]
)");
  // a: swap then add e_a; b: scale by (2, 1/2) then add e_b.
  // a: (1, 0); b: (2, 1); a: (2, 2); b: (4, 2).
  expect_exact(run_exact(s, one_hot(2, {0, 1, 0, 1})), {{1, 0}, {2, 1}, {2, 2}, {4, 2}});
}

// ---- pd ----

TEST(ModelsPd, PermutationMapsJToI) {
  const Spec s = parse(R"(
kind = "pd"
d = 3
alphabet = ["a", "b"]
domain = "exact"
initial_state = [1, 2, 3]

[parameters]
P = [[1, 2, 0], [0, 1, 2]]
delta = [[1, 1, 1], ["1/2", 2, -1]]
W_b = [[0, 0], [0, 0], [0, 0]]
c_b = [0, 0, 0]
W_y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
c_y = [0, 0, 0]
)");
  // Symbol a: h[P(j)] = h[j]: (1, 2, 3) -> (3, 1, 2). Symbol b: diag(1/2, 2, -1).
  expect_exact(run_exact(s, one_hot(2, {0, 0, 1})), {{3, 1, 2}, {2, 3, 1}, {1, 6, -1}});
}

TEST(ModelsPd, MatchesEquationsWithBias) {
  const Spec s = parse(R"(
kind = "pd"
d = 3
d_out = 2
alphabet = ["a", "b"]
domain = "exact"

[parameters]
P = [[2, 0, 1], [1, 0, 2]]
delta = [["1/2", -2, 3], [1, "1/3", "-1/4"]]
W_b = [[1, 0], [0, -1], ["1/2", 2]]
c_b = [0, "1/4", 1]
W_y = [[1, -1, 0], [2, 0, "1/2"]]
c_y = [0, -1]
)");
  const Mat<Q> perm = {{2, 0, 1}, {1, 0, 2}};
  const Mat<Q> delta = {{q("1/2"), -2, 3}, {1, q("1/3"), q("-1/4")}};
  const Mat<Q> W_b = {{1, 0}, {0, -1}, {q("1/2"), 2}}, W_y = {{1, -1, 0}, {2, 0, q("1/2")}};
  const Vec<Q> c_b = {0, q("1/4"), 1}, c_y = {0, -1};
  const std::vector<std::size_t> seq = {0, 1, 1, 0};
  const InputSequence xs = one_hot(2, seq);
  Vec<Q> h = {0, 0, 0};
  std::vector<Vec<Q>> want;
  for (std::size_t t = 0; t < seq.size(); ++t) {
    const std::size_t sym = seq[t];
    Mat<Q> Pm(3, Vec<Q>(3, Q(0)));  // permutation matrix: column j has its 1 in row P[j]
    for (std::size_t j = 0; j < 3; ++j) Pm[perm[sym][j].get_num().get_ui()][j] = 1;
    const Mat<Q> At = mat_mul(Pm, diag(delta[sym]));
    h = plus(mat_vec(At, h), affine(W_b, xs[t], c_b));
    want.push_back(affine(W_y, h, c_y));
  }
  expect_exact(run_exact(s, xs), want);
}

// pd with maps = true: P's rows any maps of 0..d-1 (column one-hot P_s), the form weighted
// automata need. The closed form of a product (docs/models.md), in the column convention
// h_t = A_t h_{t-1}, A_t = P_t D_t, f_t the map of P_t:
//   A_T ... A_1 = P~ D~,  P~ the matrix of F = f_T o ... o f_1,
//   D~[k] = prod_j D_j[(f_{j-1} o ... o f_1)(k)],
// checked exactly against the explicit matrix product, and both against the interpreter.
TEST(ModelsPd, MapsClosedFormOfRandomProducts) {
  std::mt19937_64 rng(2026);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng)); };
  auto rational = [&] {  // small nonzero-or-zero rationals p/q, p in [-3, 3], q in [1, 4]
    Q v(static_cast<long>(pick(7)) - 3, static_cast<unsigned long>(pick(4) + 1));
    v.canonicalize();
    return v;
  };
  std::size_t non_bijective = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t d = 1 + pick(6), m = 1 + pick(3), T = 1 + pick(12);
    Mat<std::size_t> maps(m, Vec<std::size_t>(d));
    Mat<Q> delta(m, Vec<Q>(d));
    for (std::size_t sym = 0; sym < m; ++sym)
      for (std::size_t j = 0; j < d; ++j) {
        maps[sym][j] = pick(d);
        delta[sym][j] = rational();
      }
    Vec<Q> h0(d);
    for (Q& v : h0) v = rational();
    std::vector<std::size_t> seq(T);
    for (std::size_t& sym : seq) sym = pick(m);

    // The explicit product A_T ... A_1.
    Mat<Q> prod = identity<Q>(d);
    for (std::size_t sym : seq) {
      Mat<Q> Pm(d, Vec<Q>(d, Q(0)));  // column j has its 1 in row f(j)
      for (std::size_t j = 0; j < d; ++j) Pm[maps[sym][j]][j] = 1;
      prod = mat_mul(mat_mul(Pm, diag(delta[sym])), prod);
    }
    // The closed form: follow each lane k through the maps, multiplying the deltas it meets.
    Mat<Q> closed(d, Vec<Q>(d, Q(0)));
    for (std::size_t k = 0; k < d; ++k) {
      std::size_t lane = k;  // (f_{j-1} o ... o f_1)(k)
      Q weight = 1;
      for (std::size_t sym : seq) {
        weight *= delta[sym][lane];
        lane = maps[sym][lane];
      }
      closed[lane][k] = weight;  // P~ D~: column k has D~[k] in row F(k)
    }
    ASSERT_EQ(prod, closed) << "trial " << trial;

    // The interpreter: h_T = A_T ... A_1 h0 (no bias, W_b = 0, readout the identity).
    std::string text = "kind = \"pd\"\nmaps = true\nbias = false\ndomain = \"exact\"\nd = " + std::to_string(d) +
                       "\nalphabet = [";
    for (std::size_t sym = 0; sym < m; ++sym) text += (sym ? ", \"s" : "\"s") + std::to_string(sym) + "\"";
    auto row = [](const auto& v, auto show) {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + show(v[i]);
      return out + "]";
    };
    auto num = [](const Q& v) { return "\"" + v.get_str() + "\""; };
    auto idx = [](std::size_t v) { return std::to_string(v); };
    text += "]\ninitial_state = " + row(h0, num) + "\n[parameters]\nP = [";
    for (std::size_t sym = 0; sym < m; ++sym) text += (sym ? ", " : "") + row(maps[sym], idx);
    text += "]\ndelta = [";
    for (std::size_t sym = 0; sym < m; ++sym) text += (sym ? ", " : "") + row(delta[sym], num);
    text += "]\nW_b = [";
    for (std::size_t i = 0; i < d; ++i) text += (i ? ", " : "") + row(Vec<Q>(m, Q(0)), num);
    text += "]\nW_y = [";
    for (std::size_t i = 0; i < d; ++i) text += (i ? ", " : "") + row(identity<Q>(d)[i], num);
    text += "]\n";
    const Spec s = parse(text);
    const auto ys = run_exact(s, one_hot(m, seq));
    ASSERT_EQ(ys.size(), T);
    expect_exact({ys.back()}, {mat_vec(closed, h0)});
    for (std::size_t sym = 0; sym < m; ++sym)
      if (std::set<std::size_t>(maps[sym].begin(), maps[sym].end()).size() < d) {
        ++non_bijective;
        break;
      }
  }
  EXPECT_GT(non_bijective, 30u);  // the trials exercise maps, not only permutations
}

TEST(ModelsPd, MapsMergeLanesByAddition) {
  // Symbol a sends lanes 0 and 1 to lane 2 and lane 2 to lane 0: values meeting in a lane add.
  const Spec s = parse(R"(
kind = "pd"
maps = true
d = 3
alphabet = ["a", "b"]
domain = "exact"
initial_state = [1, 2, 3]

[parameters]
P = [[2, 2, 0], [0, 0, 0]]
delta = [["1/2", 3, -1], [1, 1, 1]]
W_b = [[0, 0], [0, 0], [0, 0]]
c_b = [0, 0, 0]
W_y = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
c_y = [0, 0, 0]
)");
  // a: lane 2 gets 1/2 * 1 + 3 * 2 = 13/2, lane 0 gets -3. b: everything into lane 0.
  expect_exact(run_exact(s, one_hot(2, {0, 1})), {{-3, 0, q("13/2")}, {q("7/2"), 0, 0}});
}

// ---- dplr ----

TEST(ModelsDplr, MatchesFullMatrixEquations) {
  const Spec s = parse(R"(
kind = "dplr"
d = 2
alphabet = ["a", "b"]
domain = "exact"
initial_state = [1, "1/2"]

[parameters]
W_w = [["1/2", 1], [-1, "1/4"]]
c_w = [0, "1/2"]
W_u = [[1, 0], ["1/2", -1]]
c_u = ["1/4", 0]
W_v = [[0, 2], [1, "-1/3"]]
c_v = [1, 0]
W_b = [[1, -1], [0, "1/2"]]
c_b = [0, 1]
W_y = [[1, 0], [1, -1]]
c_y = [0, 0]
)");
  const Mat<Q> W_w = {{q("1/2"), 1}, {-1, q("1/4")}}, W_u = {{1, 0}, {q("1/2"), -1}},
               W_v = {{0, 2}, {1, q("-1/3")}}, W_b = {{1, -1}, {0, q("1/2")}},
               W_y = {{1, 0}, {1, -1}};
  const Vec<Q> c_w = {0, q("1/2")}, c_u = {q("1/4"), 0}, c_v = {1, 0}, c_b = {0, 1};
  const InputSequence xs = one_hot(2, {0, 1, 1});
  Vec<Q> h = {1, q("1/2")};
  std::vector<Vec<Q>> want;
  for (const auto& x : xs) {
    // A_t = diag(w) - u v^T as a full matrix.
    const Mat<Q> At = mat_plus(diag(affine(W_w, x, c_w)),
                               scaled(Q(-1), outer(affine(W_u, x, c_u), affine(W_v, x, c_v))));
    h = plus(mat_vec(At, h), affine(W_b, x, c_b));
    want.push_back(affine(W_y, h, Vec<Q>{0, 0}));
  }
  expect_exact(run_exact(s, xs), want);
  // Step 1 by hand (symbol a): w = (1/2, -1/2), u = (5/4, 1/2), v = (1, 1), b = (1, 1);
  // v.h0 = 3/2; h1 = (1/2 - 15/8 + 1, -1/4 - 3/4 + 1) = (-3/8, 0).
  EXPECT_EQ(want[0], (Vec<Q>{q("-3/8"), q("-3/8")}));
}

// ---- deltanet ----

struct DeltanetParams {
  Mat<Q> W_k, W_v;
  Vec<Q> w_beta;
  Q c_beta;
  Mat<Q> W_q;
};

// S_t = S_{t-1} (I - beta k k^T) + beta v k^T, y_t = S_t W_q x_t, with full matrices.
std::vector<Vec<Q>> deltanet_by_hand(const DeltanetParams& p, const InputSequence& xs, Mat<Q> S) {
  const std::size_t dk = p.W_k.size();
  std::vector<Vec<Q>> ys;
  for (const auto& x : xs) {
    const Vec<Q> k = mat_vec(p.W_k, x), v = mat_vec(p.W_v, x);
    const Q beta = dot(p.w_beta, x) + p.c_beta;
    const Mat<Q> A = mat_plus(identity<Q>(dk), scaled(Q(-beta), outer(k, k)));
    const Mat<Q> B = scaled(beta, outer(v, k));
    S = mat_plus(mat_mul(S, A), B);
    ys.push_back(mat_vec(S, mat_vec(p.W_q, x)));
  }
  return ys;
}

TEST(ModelsDeltanet, MatchesEquationsWithInitialState) {
  const Spec s = parse(R"(
kind = "deltanet"
d_k = 2
d_v = 2
alphabet = ["a", "b"]
domain = "exact"
initial_state = [[1, 0], ["1/2", -1]]

[parameters]
W_k = [[1, "1/2"], [-1, 1]]
W_v = [[2, 0], ["-1/2", 1]]
w_beta = ["1/2", "1/3"]
c_beta = "1/4"
W_q = [[1, -1], [0, 2]]
)");
  ASSERT_EQ(s.state_size(), 4u);
  ASSERT_EQ(s.output_width(), 2u);
  const DeltanetParams p{{{1, q("1/2")}, {-1, 1}},
                         {{2, 0}, {q("-1/2"), 1}},
                         {q("1/2"), q("1/3")},
                         q("1/4"),
                         {{1, -1}, {0, 2}}};
  const InputSequence xs = one_hot(2, {0, 1, 0});
  const auto want = deltanet_by_hand(p, xs, {{1, 0}, {q("1/2"), -1}});
  expect_exact(run_exact(s, xs), want);
  // Step 1 by hand (symbol a): k = (1, -1), v = (2, -1/2), beta = 3/4, q = (1, 0).
  // S0 k = (1, 3/2); S1 = S0 - beta (S0 k) k^T + beta v k^T:
  // row 0 = (1, 0) - 3/4 (1, -1) + 3/2 (1, -1) = (7/4, -3/4);
  // row 1 = (1/2, -1) - 9/8 (1, -1) - 3/8 (1, -1) = (-1, 1/2); y_1 = S1 (1, 0) = (7/4, -1).
  EXPECT_EQ(want[0], (Vec<Q>{q("7/4"), -1}));
}

TEST(ModelsDeltanet, RectangularStateRealInputsNoBias) {
  const Spec s = parse(R"(
kind = "deltanet"
d_k = 3
d_v = 2
input_width = 2
domain = "exact"
bias = false

[parameters]
W_k = [[1, 0], ["1/2", -1], [0, 2]]
W_v = [[1, 1], [-1, "1/4"]]
w_beta = ["1/2", -1]
W_q = [[0, 1], [1, 0], ["1/2", "1/2"]]
)");
  ASSERT_EQ(s.state_size(), 6u);
  ASSERT_EQ(s.output_width(), 2u);
  const DeltanetParams p{{{1, 0}, {q("1/2"), -1}, {0, 2}},
                         {{1, 1}, {-1, q("1/4")}},
                         {q("1/2"), -1},
                         0,
                         {{0, 1}, {1, 0}, {q("1/2"), q("1/2")}}};
  const InputSequence xs = {{1, q("1/2")}, {q("-1/2"), 2}, {0, 1}};
  expect_exact(run_exact(s, xs), deltanet_by_hand(p, xs, Mat<Q>(2, Vec<Q>(3, Q(0)))));
}

TEST(ModelsDeltanet, ModpMatchesHandValuesMappedModP) {
  const Spec s = parse(R"(
kind = "deltanet"
d_k = 2
d_v = 2
alphabet = ["a", "b"]
domain = "modp"

[parameters]
W_k = [[1, "1/2"], [-1, 1]]
W_v = [[2, 0], ["-1/2", 1]]
w_beta = ["1/2", "1/3"]
c_beta = "1/4"
W_q = [[1, -1], [0, 2]]
)");
  const DeltanetParams p{{{1, q("1/2")}, {-1, 1}},
                         {{2, 0}, {q("-1/2"), 1}},
                         {q("1/2"), q("1/3")},
                         q("1/4"),
                         {{1, -1}, {0, 2}}};
  const InputSequence xs = one_hot(2, {1, 0, 0, 1});
  const auto want = deltanet_by_hand(p, xs, Mat<Q>(2, Vec<Q>(2, Q(0))));
  expect_modp_outputs(s, xs, want, {circuits::kDefaultModulus, std::uint64_t{1000003}});
}

// ---- rwkv7 ----

TEST(ModelsRwkv7, MatchesFullMatrixEquations) {
  const Spec s = parse(R"(
kind = "rwkv7"
d_k = 2
d_v = 2
alphabet = ["a", "b"]
domain = "exact"
initial_state = [[1, -1], [0, "1/2"]]

[parameters]
W_w = [["1/2", 1], [-1, "1/4"]]
c_w = ["1/4", 0]
W_kappa = [[1, -1], ["1/2", 0]]
c_kappa = [0, 1]
W_a = [[0, 1], ["1/3", "1/2"]]
c_a = [1, 0]
W_lambda = ["1/2", -1]
c_lambda = "1/4"
W_v = [[1, 2], [-1, 0]]
c_v = [0, "1/2"]
W_kt = [["1/2", 0], [1, -1]]
c_kt = [1, 0]
W_q = [[1, 0], ["1/2", -2]]
)");
  const Mat<Q> W_w = {{q("1/2"), 1}, {-1, q("1/4")}}, W_kappa = {{1, -1}, {q("1/2"), 0}},
               W_a = {{0, 1}, {q("1/3"), q("1/2")}}, W_v = {{1, 2}, {-1, 0}},
               W_kt = {{q("1/2"), 0}, {1, -1}}, W_q = {{1, 0}, {q("1/2"), -2}};
  const Vec<Q> c_w = {q("1/4"), 0}, c_kappa = {0, 1}, c_a = {1, 0}, W_lambda = {q("1/2"), -1},
               c_v = {0, q("1/2")}, c_kt = {1, 0};
  const Q c_lambda = q("1/4");
  const InputSequence xs = one_hot(2, {1, 0, 1});
  Mat<Q> S = {{1, -1}, {0, q("1/2")}};
  std::vector<Vec<Q>> want;
  for (const auto& x : xs) {
    const Vec<Q> w = affine(W_w, x, c_w), kappa = affine(W_kappa, x, c_kappa),
                 a = affine(W_a, x, c_a), v = affine(W_v, x, c_v), kt = affine(W_kt, x, c_kt);
    const Q lambda = dot(W_lambda, x) + c_lambda;
    Vec<Q> a_kappa(2);
    for (std::size_t i = 0; i < 2; ++i) a_kappa[i] = a[i] * kappa[i];
    // A_t = diag(w) - lambda kappa (a . kappa)^T, B_t = v k~^T.
    const Mat<Q> A = mat_plus(diag(w), scaled(Q(-lambda), outer(kappa, a_kappa)));
    S = mat_plus(mat_mul(S, A), outer(v, kt));
    want.push_back(mat_vec(S, mat_vec(W_q, x)));
  }
  expect_exact(run_exact(s, xs), want);
}

// ---- mlp and switched: relu kinds, checked on seeded random parameters ----

// A parameter of the spec as the test's matrices; an absent key (bias = false) is empty (zero).
Mat<Q> mat_of(const Spec& s, const std::string& key) {
  const Tensor& t = s.param(key);
  Mat<Q> m(t.shape[0], Vec<Q>(t.shape[1]));
  for (std::size_t i = 0; i < t.shape[0]; ++i)
    for (std::size_t j = 0; j < t.shape[1]; ++j) m[i][j] = t.at(i, j);
  return m;
}

Vec<Q> vec_of(const Spec& s, const std::string& key) {
  return s.params.count(key) ? s.param(key).values : Vec<Q>{};
}

// relu lane by lane, counting the lanes it clips (z < 0) and those it passes (z > 0).
struct ReluCount {
  int clipped = 0, passed = 0;
};
Vec<Q> relu(Vec<Q> z, ReluCount& n) {
  for (Q& v : z) {
    n.clipped += v < 0;
    n.passed += v > 0;
    if (v < 0) v = 0;
  }
  return z;
}

// r = relu(W1 h + U1 x + b1), h_t = W2 r + b2, y_t = W_y h_t + c_y.
std::vector<Vec<Q>> mlp_by_hand(const Spec& s, const InputSequence& xs, Vec<Q> h, ReluCount& n) {
  const Mat<Q> W1 = mat_of(s, "W1"), U1 = mat_of(s, "U1"), W2 = mat_of(s, "W2"), W_y = mat_of(s, "W_y");
  const Vec<Q> b1 = vec_of(s, "b1"), b2 = vec_of(s, "b2"), c_y = vec_of(s, "c_y");
  std::vector<Vec<Q>> ys;
  for (const auto& x : xs) {
    const Vec<Q> r = relu(plus(mat_vec(W1, h), affine(U1, x, b1)), n);
    h = affine(W2, r, b2);
    ys.push_back(affine(W_y, h, c_y));
  }
  return ys;
}

// A(x) = sum_s x[s] A[s] and b(x) = sum_s x[s] b[s] built as full matrices; h_t = relu(A(x) h + b(x)).
std::vector<Vec<Q>> switched_by_hand(const Spec& s, const InputSequence& xs, Vec<Q> h, ReluCount& n) {
  const std::size_t d = s.d, m = s.m();
  const Tensor& A = s.param("A");
  const Mat<Q> W_y = mat_of(s, "W_y");
  const Vec<Q> c_y = vec_of(s, "c_y");
  const bool bias = s.params.count("b") > 0;
  std::vector<Vec<Q>> ys;
  for (const auto& x : xs) {
    Mat<Q> Ax(d, Vec<Q>(d, Q(0)));
    Vec<Q> bx(d, Q(0));
    for (std::size_t sym = 0; sym < m; ++sym) {
      Mat<Q> As(d, Vec<Q>(d));
      for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = 0; j < d; ++j) As[i][j] = A.at(sym, i, j);
      Ax = mat_plus(Ax, scaled(x[sym], As));
      for (std::size_t i = 0; i < d && bias; ++i) bx[i] += x[sym] * s.param("b").at(sym, i);
    }
    h = relu(plus(mat_vec(Ax, h), bx), n);
    ys.push_back(affine(W_y, h, c_y));
  }
  return ys;
}

// Random real input vectors: components k/8, k in [-8, 8].
InputSequence random_vectors(std::size_t m, std::size_t T, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(-8, 8);
  InputSequence xs;
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<Q> x;
    for (std::size_t i = 0; i < m; ++i) x.push_back(Q(pick(rng), 8));
    for (Q& v : x) v.canonicalize();
    xs.push_back(x);
  }
  return xs;
}

InputSequence random_one_hot(std::size_t m, std::size_t T, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, m - 1);
  std::vector<std::size_t> seq;
  for (std::size_t t = 0; t < T; ++t) seq.push_back(pick(rng));
  return one_hot(m, seq);
}

// The relu kinds on seeded parameters: `dims` (the kind's keys), alphabet or real inputs, with and
// without biases, several seeds; the interpreter against the equations, and relu must both clip and
// pass lanes somewhere (else the check shows nothing).
template <class ByHand>
void check_relu_kind(const std::string& dims, ByHand by_hand) {
  ReluCount n;
  for (std::uint64_t seed = 1; seed <= 6; ++seed)
    for (bool one_hot_inputs : {true, false})
      for (bool bias : {true, false}) {
        const std::string inputs = one_hot_inputs ? "alphabet = [\"a\", \"b\", \"c\"]\n" : "input_width = 2\n";
        const std::string text = dims + inputs + "domain = \"exact\"\n" + (bias ? "" : "bias = false\n") +
                                 "[init]\nseed = " + std::to_string(seed) + "\nscale = \"3/4\"\n";
        SCOPED_TRACE(text);
        const Spec s = parse(text);
        std::mt19937_64 rng(seed);
        const InputSequence xs = one_hot_inputs ? random_one_hot(3, 10, rng) : random_vectors(2, 10, rng);
        const Vec<Q> h0 = s.initial == InitialState::Constants ? s.initial_values : Vec<Q>(s.d, Q(0));
        expect_exact(run_exact(s, xs), by_hand(s, xs, h0, n));
        if (::testing::Test::HasFailure()) return;
      }
  EXPECT_GT(n.clipped, 0);
  EXPECT_GT(n.passed, 0);
}

TEST(ModelsMlp, MatchesEquationsOnSeededParameters) {
  check_relu_kind("kind = \"mlp\"\nd = 3\nhidden = 5\nd_out = 2\n", mlp_by_hand);
}

TEST(ModelsMlp, LiteralHandValues) {
  const Spec s = parse(R"(
kind = "mlp"
d = 1
hidden = 2
alphabet = ["a"]
domain = "exact"

[parameters]
W1 = [[1], [-1]]
U1 = [[1], [1]]
b1 = [0, "-1/2"]
W2 = [[2, 3]]
b2 = [-1]
W_y = [[1]]
c_y = [0]
)");
  // Step 1 (h0 = 0): pre = (1, 1/2), r = (1, 1/2), h1 = 2 + 3/2 - 1 = 5/2.
  // Step 2: pre = (5/2 + 1, -5/2 + 1 - 1/2) = (7/2, -2), r = (7/2, 0), h2 = 7 - 1 = 6.
  expect_exact(run_exact(s, one_hot(1, {0, 0})), {{q("5/2")}, {6}});
  ReluCount n;
  expect_exact(run_exact(s, one_hot(1, {0, 0, 0})), mlp_by_hand(s, one_hot(1, {0, 0, 0}), {0}, n));
}

TEST(ModelsSwitched, MatchesEquationsOnSeededParameters) {
  // From h0 = 0 without biases the state would stay 0: start elsewhere.
  check_relu_kind("kind = \"switched\"\nd = 4\nd_out = 3\ninitial_state = [1, -1, \"1/2\", 2]\n", switched_by_hand);
}

TEST(ModelsSwitched, OneHotAppliesTheSymbolsMap) {
  const Spec s = parse(R"(
kind = "switched"
d = 2
d_out = 1
alphabet = ["a", "b"]
domain = "exact"

[parameters]
A = [[[1, 0], [0, 0]], [[0, 1], [1, 0]]]
b = [[0, 1], ["-1/2", 0]]
W_y = [[1, -1]]
c_y = [0]
)");
  // a: h = (0, 1); b: relu((1, 0) + (-1/2, 0)) = (1/2, 0); b: relu((0, 1/2) + (-1/2, 0)) =
  // (0, 1/2), relu clips lane 0; a: relu((0, 0) + (0, 1)) = (0, 1).
  expect_exact(run_exact(s, one_hot(2, {0, 1, 1, 0})), {{-1}, {q("1/2")}, {q("-1/2")}, {-1}});
}

// The unrolled circuit of both kinds, evaluated exactly, gives the interpreter's outputs (and,
// through the equations above, the hand computation's), on the example specs and on variants:
// initial state constants, outputs final with acceptance, bias = false, real inputs. Its relu
// gates are one per hidden lane (mlp) or state lane (switched) and step, tagged KIND.hidden /
// KIND.h, and every construct is one of the documented ones.
TEST(ModelsReluKinds, UnrolledCircuitMatchesInterpreter) {
  const std::vector<std::string> specs = {
      "kind = \"mlp\"\nd = 6\nhidden = 12\nalphabet = [\"a\", \"b\", \"c\"]\n[init]\nseed = 13\nscale = \"1/2\"\n",
      "kind = \"mlp\"\nd = 2\nhidden = 3\nd_out = 1\ninput_width = 2\ninitial_state = [\"1/2\", -1]\n"
      "outputs = \"final\"\naccept = true\n[init]\nseed = 4\n",
      "kind = \"mlp\"\nd = 3\nhidden = 2\nalphabet = [\"a\", \"b\"]\nbias = false\n[init]\nseed = 5\n",
      "kind = \"switched\"\nd = 4\nalphabet = [\"a\", \"b\", \"c\"]\n[init]\nseed = 15\nscale = \"1/2\"\n",
      "kind = \"switched\"\nd = 3\nd_out = 2\ninput_width = 3\ninitial_state = [1, 0, \"-1/4\"]\n"
      "outputs = \"final\"\naccept = true\n[init]\nseed = 6\n",
      "kind = \"switched\"\nd = 2\nalphabet = [\"a\", \"b\"]\nbias = false\ninitial_state = [1, 2]\n[init]\nseed = 7\n"};
  const std::uint64_t T = 7;
  for (const std::string& text : specs) {
    SCOPED_TRACE(text);
    const Spec s = parse("domain = \"exact\"\n" + text);
    const std::string kind(kind_name(s.kind));
    const circuits::Circuit c = unroll(s, T);
    std::size_t relus = 0;
    std::set<std::string> constructs;
    for (circuits::GateId g = 0; g < c.num_gates(); ++g) {
      constructs.insert(c.origin(g).construct);
      if (c.op(g) != circuits::Op::Relu) continue;
      ++relus;
      EXPECT_EQ(c.origin(g).construct, kind + (s.kind == Kind::Mlp ? ".hidden" : ".h")) << "gate " << g;
    }
    EXPECT_EQ(relus, (s.kind == Kind::Mlp ? s.hidden : s.d) * T);
    const std::set<std::string> documented =
        s.kind == Kind::Mlp
            ? std::set<std::string>{"mlp.params", "mlp.h0", "mlp.x", "mlp.ux", "mlp.hidden", "mlp.h", "mlp.y",
                                    "mlp.accept"}
            : std::set<std::string>{"switched.params", "switched.h0", "switched.x", "switched.A", "switched.b",
                                    "switched.h", "switched.y", "switched.accept"};
    for (const std::string& name : constructs) EXPECT_TRUE(documented.count(name)) << name;
    for (std::uint64_t trial = 0; trial < 3; ++trial) {
      std::mt19937_64 rng(trial);
      const InputSequence xs = s.one_hot ? random_one_hot(s.m(), T, rng) : random_vectors(s.m(), T, rng);
      Vec<Q> in;
      for (const auto& x : xs) in.insert(in.end(), x.begin(), x.end());
      ExactDomain dom;
      const Vec<Q> out = circuits::evaluate(c, dom, in);
      const std::vector<Vec<Q>> want = run_exact(s, xs);
      Vec<Q> flat;
      if (s.outputs == OutputMode::All) {
        for (const auto& y : want) flat.insert(flat.end(), y.begin(), y.end());
      } else {
        flat = want.back();  // y_T, then the accept bit
      }
      ASSERT_EQ(out.size(), flat.size());
      for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], flat[i]) << "output " << i;
      // And the equations, written out above, agree with both.
      ReluCount n;
      Vec<Q> h0 = s.initial == InitialState::Constants ? s.initial_values : Vec<Q>(s.d, Q(0));
      const std::vector<Vec<Q>> eq = s.kind == Kind::Mlp ? mlp_by_hand(s, xs, h0, n) : switched_by_hand(s, xs, h0, n);
      for (std::size_t t = 0; t < eq.size(); ++t)
        for (std::size_t i = 0; i < eq[t].size(); ++i) EXPECT_EQ(want[t][i], eq[t][i]) << "y_" << t + 1;
    }
  }
}

// ---- params = "inputs" ----

TEST(ModelsParamsInputs, CircuitInputsNamedByKeyAndComputeWithFedValues) {
  std::string text = kDiagonal;
  text.insert(0, "params = \"inputs\"\n");
  const Spec s = parse(text);
  ASSERT_EQ(s.params_mode, ParamMode::Inputs);
  const circuits::Circuit c = unroll(s, 3);
  const std::vector<std::string> names = {
      "W_a[0][0]", "W_a[0][1]", "W_a[1][0]", "W_a[1][1]", "c_a[0]",  "c_a[1]",
      "W_b[0][0]", "W_b[0][1]", "W_b[1][0]", "W_b[1][1]", "c_b[0]",  "c_b[1]",
      "W_y[0][0]", "W_y[0][1]", "W_y[1][0]", "W_y[1][1]", "c_y[0]",  "c_y[1]",
      "x[1][0]",   "x[1][1]",   "x[2][0]",   "x[2][1]",   "x[3][0]", "x[3][1]"};
  ASSERT_EQ(c.inputs().size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(c.input_name(i), names[i]);

  // Feed parameter values other than the spec's: the circuit computes with the fed ones.
  DiagonalParams p;
  p.W_a = {{2, q("-1/3")}, {q("1/5"), 1}};
  p.c_a = {0, q("1/2")};
  p.W_b = {{-1, 1}, {q("3/2"), 0}};
  p.c_b = {q("1/7"), -2};
  p.W_y = {{0, 1}, {1, q("1/2")}};
  p.c_y = {-1, 3};
  Vec<Q> in;
  for (const Mat<Q>* m : {&p.W_a, &p.W_b, &p.W_y}) {
    for (const auto& row : *m) in.insert(in.end(), row.begin(), row.end());
    const Vec<Q>& bias = m == &p.W_a ? p.c_a : m == &p.W_b ? p.c_b : p.c_y;
    in.insert(in.end(), bias.begin(), bias.end());
  }
  const InputSequence xs = one_hot(2, {1, 1, 0});
  for (const auto& x : xs) in.insert(in.end(), x.begin(), x.end());
  ExactDomain dom;
  const Vec<Q> out = circuits::evaluate(c, dom, in);
  const auto want = diagonal_by_hand(p, xs, {0, 0});
  ASSERT_EQ(out.size(), 6u);
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(out[2 * t + i], want[t][i]);
}

TEST(ModelsParamsInputs, NamesForRankThreeScalarAndPermutation) {
  auto input_names = [](const std::string& text) {
    const circuits::Circuit c = unroll(parse("params = \"inputs\"\n" + text), 1);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < c.inputs().size(); ++i) names.push_back(c.input_name(i));
    return names;
  };
  // dense: A is (m + 1) x d x d, named A[k][i][j].
  const auto dense = input_names(R"(
kind = "dense"
d = 2
d_out = 1
alphabet = ["a"]
bias = false
[parameters]
A = [[[1, 0], [0, 1]], [[0, 1], [-1, 0]]]
W_b = [[1], [0]]
W_y = [[1, 1]]
)");
  EXPECT_EQ(dense, (std::vector<std::string>{"A[0][0][0]", "A[0][0][1]", "A[0][1][0]", "A[0][1][1]",
                                             "A[1][0][0]", "A[1][0][1]", "A[1][1][0]", "A[1][1][1]",
                                             "W_b[0][0]", "W_b[1][0]", "W_y[0][0]", "W_y[0][1]",
                                             "x[1][0]"}));
  // pd: the permutation P is structural and stays constant; delta is an input.
  const auto pd = input_names(R"(
kind = "pd"
d = 2
d_out = 1
alphabet = ["a"]
bias = false
[parameters]
P = [[1, 0]]
delta = [[2, 3]]
W_b = [[1], [0]]
W_y = [[1, 1]]
)");
  EXPECT_EQ(pd, (std::vector<std::string>{"delta[0][0]", "delta[0][1]", "W_b[0][0]", "W_b[1][0]",
                                          "W_y[0][0]", "W_y[0][1]", "x[1][0]"}));
  // deltanet: the scalar c_beta is named without an index.
  const auto deltanet = input_names(R"(
kind = "deltanet"
d_k = 1
d_v = 1
alphabet = ["a"]
[parameters]
W_k = [[1]]
W_v = [[1]]
w_beta = [1]
c_beta = 0
W_q = [[1]]
)");
  EXPECT_EQ(deltanet, (std::vector<std::string>{"W_k[0][0]", "W_v[0][0]", "w_beta[0]", "c_beta",
                                                "W_q[0][0]", "x[1][0]"}));
}

}  // namespace
}  // namespace rnncc::compiler
