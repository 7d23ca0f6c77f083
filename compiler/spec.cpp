// Model kinds, their parameter tables (the documented drawing order) and the seeded generator.
#include "compiler/spec.hpp"

#include <array>

namespace rnncc::compiler {
namespace {

constexpr std::array<std::string_view, 11> kKindNames = {
    "elman", "lstm", "gru", "diagonal", "dense", "pd", "dplr", "deltanet", "rwkv7", "mlp", "switched"};

}  // namespace

std::span<const std::string_view> kind_names() { return kKindNames; }

std::string_view kind_name(Kind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::optional<Kind> parse_kind(std::string_view s) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == s) return static_cast<Kind>(i);
  return std::nullopt;
}

std::string_view activation_name(Activation a) {
  switch (a) {
    case Activation::None: return "none";
    case Activation::Tanh: return "tanh";
    case Activation::Relu: return "relu";
    case Activation::Sign: return "sign";
  }
  return "?";
}

bool is_linear(Kind k) {
  return !(k == Kind::Elman || k == Kind::Lstm || k == Kind::Gru || k == Kind::Mlp || k == Kind::Switched);
}
bool has_matrix_state(Kind k) { return k == Kind::Deltanet || k == Kind::Rwkv7; }

std::size_t Spec::state_size() const {
  if (has_matrix_state(kind)) return d_v * d_k;
  return kind == Kind::Lstm ? 2 * d : d;
}

std::size_t Spec::output_width() const { return has_matrix_state(kind) ? d_v : d_out; }

std::string element_name(const std::string& key, const std::vector<std::size_t>& shape, std::size_t flat) {
  std::string idx;
  for (std::size_t r = shape.size(); r-- > 0;) {
    idx = "[" + std::to_string(flat % shape[r]) + "]" + idx;
    flat /= shape[r];
  }
  return key + idx;
}

std::vector<ParamInfo> parameter_table(const Spec& s) {
  const std::size_t d = s.d, m = s.input_width, p = s.d_out, dk = s.d_k, dv = s.d_v, H = s.hidden;
  std::vector<ParamInfo> t;
  auto add = [&](std::string key, std::vector<std::size_t> shape, bool bias, const char* meaning) {
    t.push_back({std::move(key), std::move(shape), bias, false, meaning});
  };
  auto gate = [&](const std::string& g, const char* what) {  // lstm/gru gate: W_g x + U_g h + b_g
    add("W_" + g, {d, m}, false, what);
    add("U_" + g, {d, d}, false, what);
    add("b_" + g, {d}, true, what);
  };
  auto readout = [&] {
    add("W_y", {p, d}, false, "readout y_t = W_y h_t + c_y");
    add("c_y", {p}, true, "readout bias");
  };
  switch (s.kind) {
    case Kind::Elman:
      add("W", {d, d}, false, "recurrent weights");
      add("U", {d, m}, false, "input weights");
      add("c", {d}, true, "bias");
      readout();
      break;
    case Kind::Lstm:
      gate("i", "input gate");
      gate("f", "forget gate");
      gate("g", "cell candidate");
      gate("o", "output gate");
      readout();
      break;
    case Kind::Gru:
      gate("r", "reset gate");
      gate("z", "update gate");
      add("W_n", {d, m}, false, "candidate");
      add("U_n", {d, d}, false, "candidate");
      add("b_n", {d}, true, "candidate input bias");
      add("b_hn", {d}, true, "candidate recurrent bias");
      readout();
      break;
    case Kind::Diagonal:
      add("W_a", {d, m}, false, "diagonal A_t = diag(W_a x_t + c_a)");
      add("c_a", {d}, true, "diagonal bias");
      add("W_b", {d, m}, false, "b_t = W_b x_t + c_b");
      add("c_b", {d}, true, "b_t bias");
      readout();
      break;
    case Kind::Dense:
      add("A", {m + 1, d, d}, false, "A_t = A[0] + sum_j x_{t,j} A[j+1]");
      add("W_b", {d, m}, false, "b_t = W_b x_t + c_b");
      add("c_b", {d}, true, "b_t bias");
      readout();
      break;
    case Kind::Pd:
      t.push_back({"P", {m, d}, false, true,
                   s.maps ? "P[s][j] = i: symbol s's map sends j to i (any map of 0..d-1 to itself)"
                          : "P[s][j] = i: symbol s's permutation maps j to i"});
      add("delta", {m, d}, false, "A_t = P_s diag(delta[s])");
      add("W_b", {d, m}, false, "b_t = W_b x_t + c_b");
      add("c_b", {d}, true, "b_t bias");
      readout();
      break;
    case Kind::Dplr:
      add("W_w", {d, m}, false, "A_t = diag(w) - u v^T, w = W_w x + c_w");
      add("c_w", {d}, true, "w bias");
      add("W_u", {d, m}, false, "u = W_u x + c_u");
      add("c_u", {d}, true, "u bias");
      add("W_v", {d, m}, false, "v = W_v x + c_v");
      add("c_v", {d}, true, "v bias");
      add("W_b", {d, m}, false, "b_t = W_b x_t + c_b");
      add("c_b", {d}, true, "b_t bias");
      readout();
      break;
    case Kind::Deltanet:
      add("W_k", {dk, m}, false, "k_t = W_k x_t");
      add("W_v", {dv, m}, false, "v_t = W_v x_t");
      add("w_beta", {m}, false, "beta_t = w_beta . x_t + c_beta");
      add("c_beta", {}, true, "beta bias");
      add("W_q", {dk, m}, false, "readout y_t = S_t q_t, q_t = W_q x_t");
      break;
    case Kind::Rwkv7:
      add("W_w", {dk, m}, false, "A_t = diag(w) - lambda kappa (a . kappa)^T, w = W_w x + c_w");
      add("c_w", {dk}, true, "w bias");
      add("W_kappa", {dk, m}, false, "kappa = W_kappa x + c_kappa");
      add("c_kappa", {dk}, true, "kappa bias");
      add("W_a", {dk, m}, false, "a = W_a x + c_a");
      add("c_a", {dk}, true, "a bias");
      add("W_lambda", {m}, false, "lambda = W_lambda . x + c_lambda");
      add("c_lambda", {}, true, "lambda bias");
      add("W_v", {dv, m}, false, "B_t = v k~^T, v = W_v x + c_v");
      add("c_v", {dv}, true, "v bias");
      add("W_kt", {dk, m}, false, "k~ = W_kt x + c_kt");
      add("c_kt", {dk}, true, "k~ bias");
      add("W_q", {dk, m}, false, "readout y_t = S_t q_t, q_t = W_q x_t");
      break;
    case Kind::Mlp:
      add("W1", {H, d}, false, "hidden layer r = relu(W1 h + U1 x + b1)");
      add("U1", {H, m}, false, "hidden layer input weights");
      add("b1", {H}, true, "hidden layer bias");
      add("W2", {d, H}, false, "state h_t = W2 r + b2");
      add("b2", {d}, true, "state bias");
      readout();
      break;
    case Kind::Switched:
      add("A", {m, d, d}, false, "h_t = relu(A(x) h + b(x)), A(x) = sum_s x_s A[s]");
      add("b", {m, d}, true, "b(x) = sum_s x_s b[s]");
      readout();
      break;
  }
  if (s.accept) add("o", {s.output_width()}, false, "acceptance: accept = step(o . y_T)");
  if (!s.bias) std::erase_if(t, [](const ParamInfo& info) { return info.bias; });
  return t;
}

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t n) {
  const std::uint64_t limit = ~0ull - (~0ull % n);  // a multiple of n: [0, limit) maps evenly
  for (;;) {
    std::uint64_t x = next();
    if (x < limit) return x % n;
  }
}

mpq_class SplitMix64::dyadic(const mpq_class& scale) {
  constexpr std::uint64_t kHalf = 1u << 16;
  long k = static_cast<long>(below(2 * kHalf + 1)) - static_cast<long>(kHalf);
  mpq_class v(k, kHalf);
  v.canonicalize();
  return v * scale;
}

}  // namespace rnncc::compiler
