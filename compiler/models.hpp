// The model zoo: every kind of docs/models.md written once, generic over a domain D.
//
// D is a value domain of circuits/domains.hpp (RealDomain, ExactDomain, ModpDomain: the
// reference interpreter) or the TraceDomain of compiler/trace.hpp (values are gate ids: the
// unroller). D provides `Value`, `constant(mpq)`, `add sub mul neg relu tanh sigmoid sign step`;
// a tracing domain also provides `construct(name)`, which tags the gates built next.
//
// Everything is computed in the plain order of the equations (sums left to right), so the
// traced circuit is the naive one: depth linear in T. Matrix products that the equations
// factor (DPLR, DeltaNet, RWKV-7) are computed in factored form, as implementations do:
// (diag(w) - u v^T) h = w . h - u (v . h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/spec.hpp"

namespace rnncc::compiler {

// Tags the gates built next with a spec construct, in domains that trace.
template <class D>
void tag(D& dom, const std::string& construct) {
  if constexpr (requires { dom.construct(construct); }) dom.construct(construct);
}

// Parameters in domain D, flat and row-major, keyed like the spec. Absent keys (bias = false)
// read as zero.
template <class D>
struct ParamValues {
  std::map<std::string, std::vector<typename D::Value>> values;
  const typename D::Value* get(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? nullptr : it->second.data();
  }
};

template <class D>
class Model {
 public:
  using V = typename D::Value;

  Model(const Spec& spec, D& dom, const ParamValues<D>& params)
      : s_(spec), dom_(dom), P_(params), zero_(dom.constant(0)), one_(dom.constant(1)),
        name_(kind_name(spec.kind)) {}

  const Spec& spec() const { return s_; }

  // One step: state (state_size() values) becomes the next state; x has input_width values.
  void step(std::vector<V>& h, const std::vector<V>& x) {
    switch (s_.kind) {
      case Kind::Elman: return elman(h, x);
      case Kind::Lstm: return lstm(h, x);
      case Kind::Gru: return gru(h, x);
      case Kind::Diagonal: return diagonal(h, x);
      case Kind::Dense: return dense(h, x);
      case Kind::Pd: return pd(h, x);
      case Kind::Dplr: return dplr(h, x);
      case Kind::Deltanet: return deltanet(h, x);
      case Kind::Rwkv7: return rwkv7(h, x);
      case Kind::Mlp: return mlp(h, x);
      case Kind::Switched: return switched(h, x);
    }
  }

  // y_t from the state after step t (and x_t, which matrix readouts use).
  std::vector<V> readout(const std::vector<V>& h, const std::vector<V>& x) {
    tag(dom_, name_ + ".y");
    if (has_matrix_state(s_.kind)) {  // y = S q, q = W_q x
      std::vector<V> q = lin("W_q", "", s_.d_k, x);
      std::vector<V> y(s_.d_v);
      for (std::size_t r = 0; r < s_.d_v; ++r) y[r] = dot(&h[r * s_.d_k], q.data(), s_.d_k);
      return y;
    }
    return affine("W_y", "c_y", s_.d_out, h.data(), s_.d);  // lstm: h is the first half
  }

  // accept = step(o . y)
  V accept(const std::vector<V>& y) {
    tag(dom_, name_ + ".accept");
    return dom_.step(dot(P_.get("o"), y.data(), y.size()));
  }

 private:
  // sum_j w[j] * v[j], left to right.
  V dot(const V* w, const V* v, std::size_t n) {
    V acc = zero_;
    for (std::size_t j = 0; j < n; ++j) acc = dom_.add(acc, dom_.mul(w[j], v[j]));
    return acc;
  }
  // rows of W v + c (W is rows x n, c may be absent).
  std::vector<V> affine(const std::string& w, const std::string& c, std::size_t rows, const V* v, std::size_t n) {
    const V* W = P_.get(w);
    const V* C = c.empty() ? nullptr : P_.get(c);
    std::vector<V> out(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      V acc = dot(W + i * n, v, n);
      out[i] = C ? dom_.add(acc, C[i]) : acc;
    }
    return out;
  }
  // W x + c for the input x (linear in x).
  std::vector<V> lin(const std::string& w, const std::string& c, std::size_t rows, const std::vector<V>& x) {
    return affine(w, c, rows, x.data(), x.size());
  }
  V scalar_lin(const std::string& w, const std::string& c, const std::vector<V>& x) {
    V acc = dot(P_.get(w), x.data(), x.size());
    const V* C = P_.get(c);
    return C ? dom_.add(acc, C[0]) : acc;
  }

  void elman(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d;
    tag(dom_, name_ + ".ux");
    std::vector<V> ux = lin("U", "c", d, x);
    tag(dom_, name_ + ".h");
    std::vector<V> wh = affine("W", "", d, h.data(), d);
    for (std::size_t i = 0; i < d; ++i) {
      V z = dom_.add(wh[i], ux[i]);
      switch (s_.activation) {
        case Activation::Tanh: h[i] = dom_.tanh(z); break;
        case Activation::Relu: h[i] = dom_.relu(z); break;
        case Activation::Sign: h[i] = dom_.sign(z); break;
        case Activation::None: h[i] = z; break;
      }
    }
  }

  // W_g x + U_g h + b_g for an lstm/gru gate.
  std::vector<V> gate_pre(const std::string& g, const std::vector<V>& x, const V* h) {
    const std::size_t d = s_.d;
    std::vector<V> wx = lin("W_" + g, "b_" + g, d, x);
    std::vector<V> uh = affine("U_" + g, "", d, h, d);
    for (std::size_t i = 0; i < d; ++i) wx[i] = dom_.add(wx[i], uh[i]);
    return wx;
  }

  void lstm(std::vector<V>& hc, const std::vector<V>& x) {
    const std::size_t d = s_.d;
    tag(dom_, name_ + ".gates");
    std::vector<V> i = gate_pre("i", x, hc.data()), f = gate_pre("f", x, hc.data()),
                   g = gate_pre("g", x, hc.data()), o = gate_pre("o", x, hc.data());
    tag(dom_, name_ + ".c");
    for (std::size_t k = 0; k < d; ++k) {
      // Named temporaries: the order in which gates are made must not depend on the compiler.
      V fk = dom_.sigmoid(f[k]);
      V keep = dom_.mul(fk, hc[d + k]);
      V ik = dom_.sigmoid(i[k]);
      V gk = dom_.tanh(g[k]);
      V write = dom_.mul(ik, gk);
      hc[d + k] = dom_.add(keep, write);
    }
    tag(dom_, name_ + ".h");
    for (std::size_t k = 0; k < d; ++k) {
      V ok = dom_.sigmoid(o[k]);
      V tc = dom_.tanh(hc[d + k]);
      hc[k] = dom_.mul(ok, tc);
    }
  }

  void gru(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d;
    tag(dom_, name_ + ".gates");
    std::vector<V> r = gate_pre("r", x, h.data()), z = gate_pre("z", x, h.data());
    std::vector<V> wn = lin("W_n", "b_n", d, x);
    std::vector<V> un = affine("U_n", "b_hn", d, h.data(), d);
    tag(dom_, name_ + ".h");
    for (std::size_t k = 0; k < d; ++k) {
      V rk = dom_.sigmoid(r[k]);
      V n = dom_.tanh(dom_.add(wn[k], dom_.mul(rk, un[k])));
      V zk = dom_.sigmoid(z[k]);
      V fresh = dom_.mul(dom_.sub(one_, zk), n);
      V kept = dom_.mul(zk, h[k]);
      h[k] = dom_.add(fresh, kept);
    }
  }

  void diagonal(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d;
    tag(dom_, name_ + ".a");
    std::vector<V> a = lin("W_a", "c_a", d, x);
    tag(dom_, name_ + ".b");
    std::vector<V> b = lin("W_b", "c_b", d, x);
    tag(dom_, name_ + ".h");
    for (std::size_t i = 0; i < d; ++i) h[i] = dom_.add(dom_.mul(a[i], h[i]), b[i]);
  }

  // h <- A h + b for an explicit d x d matrix A (row-major).
  void apply_matrix(std::vector<V>& h, const std::vector<V>& A, const std::vector<V>& b) {
    const std::size_t d = s_.d;
    std::vector<V> out(d);
    for (std::size_t i = 0; i < d; ++i) out[i] = dom_.add(dot(&A[i * d], h.data(), d), b[i]);
    h.swap(out);
  }

  void dense(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d, m = s_.m();
    const V* A = P_.get("A");  // (m + 1) x d x d
    tag(dom_, name_ + ".A");
    std::vector<V> At(d * d);
    for (std::size_t e = 0; e < d * d; ++e) {
      V acc = A[e];
      for (std::size_t j = 0; j < m; ++j) acc = dom_.add(acc, dom_.mul(x[j], A[(j + 1) * d * d + e]));
      At[e] = acc;
    }
    tag(dom_, name_ + ".b");
    std::vector<V> b = lin("W_b", "c_b", d, x);
    tag(dom_, name_ + ".h");
    apply_matrix(h, At, b);
  }

  // A_t[i][j] = sum_s x_s [P_s maps j to i] delta_s[j]; P is structural (always constant).
  void pd(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d, m = s_.m();
    const Tensor& perm = s_.param("P");
    const V* delta = P_.get("delta");
    tag(dom_, name_ + ".A");
    std::vector<V> At(d * d, zero_);
    for (std::size_t sym = 0; sym < m; ++sym)
      for (std::size_t j = 0; j < d; ++j) {
        std::size_t i = perm.at(sym, j).get_num().get_ui();
        At[i * d + j] = dom_.add(At[i * d + j], dom_.mul(x[sym], delta[sym * d + j]));
      }
    tag(dom_, name_ + ".b");
    std::vector<V> b = lin("W_b", "c_b", d, x);
    tag(dom_, name_ + ".h");
    apply_matrix(h, At, b);
  }

  void dplr(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d;
    tag(dom_, name_ + ".A");
    std::vector<V> w = lin("W_w", "c_w", d, x), u = lin("W_u", "c_u", d, x), v = lin("W_v", "c_v", d, x);
    tag(dom_, name_ + ".b");
    std::vector<V> b = lin("W_b", "c_b", d, x);
    tag(dom_, name_ + ".h");
    V vh = dot(v.data(), h.data(), d);  // v^T h
    for (std::size_t i = 0; i < d; ++i) {
      V wh = dom_.mul(w[i], h[i]);
      V uvh = dom_.mul(u[i], vh);
      h[i] = dom_.add(dom_.sub(wh, uvh), b[i]);
    }
  }

  // S <- S (I - beta k k^T) + beta v k^T, row by row: S[r] - beta (S[r] . k) k + beta v_r k.
  void deltanet(std::vector<V>& S, const std::vector<V>& x) {
    const std::size_t dk = s_.d_k, dv = s_.d_v;
    tag(dom_, name_ + ".A");
    std::vector<V> k = lin("W_k", "", dk, x);
    V beta = scalar_lin("w_beta", "c_beta", x);
    std::vector<V> bk(dk);
    for (std::size_t c = 0; c < dk; ++c) bk[c] = dom_.mul(beta, k[c]);
    tag(dom_, name_ + ".B");
    std::vector<V> v = lin("W_v", "", dv, x);
    tag(dom_, name_ + ".S");
    for (std::size_t r = 0; r < dv; ++r) {
      V* row = &S[r * dk];
      V sk = dot(row, k.data(), dk);
      for (std::size_t c = 0; c < dk; ++c) {
        V erase = dom_.mul(sk, bk[c]);
        V write = dom_.mul(v[r], bk[c]);
        row[c] = dom_.add(dom_.sub(row[c], erase), write);
      }
    }
  }

  // S <- S (diag(w) - lambda kappa (a . kappa)^T) + v k~^T.
  void rwkv7(std::vector<V>& S, const std::vector<V>& x) {
    const std::size_t dk = s_.d_k, dv = s_.d_v;
    tag(dom_, name_ + ".A");
    std::vector<V> w = lin("W_w", "c_w", dk, x), kappa = lin("W_kappa", "c_kappa", dk, x),
                   a = lin("W_a", "c_a", dk, x);
    V lambda = scalar_lin("W_lambda", "c_lambda", x);
    std::vector<V> lk(dk), ak(dk);  // lambda kappa, a . kappa (elementwise)
    for (std::size_t c = 0; c < dk; ++c) {
      lk[c] = dom_.mul(lambda, kappa[c]);
      ak[c] = dom_.mul(a[c], kappa[c]);
    }
    tag(dom_, name_ + ".B");
    std::vector<V> v = lin("W_v", "c_v", dv, x), kt = lin("W_kt", "c_kt", dk, x);
    tag(dom_, name_ + ".S");
    for (std::size_t r = 0; r < dv; ++r) {
      V* row = &S[r * dk];
      V slk = dot(row, lk.data(), dk);  // S[r] . (lambda kappa)
      for (std::size_t c = 0; c < dk; ++c) {
        V decay = dom_.mul(row[c], w[c]);
        V erase = dom_.mul(slk, ak[c]);
        V write = dom_.mul(v[r], kt[c]);
        row[c] = dom_.add(dom_.sub(decay, erase), write);
      }
    }
  }

  // h <- W2 relu(W1 h + U1 x + b1) + b2: each hidden lane is ((W1 h)[k] + (U1 x)[k]) + b1[k].
  void mlp(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d, H = s_.hidden;
    tag(dom_, name_ + ".ux");
    std::vector<V> ux = lin("U1", "", H, x);
    tag(dom_, name_ + ".hidden");
    std::vector<V> r = affine("W1", "", H, h.data(), d);
    const V* b1 = P_.get("b1");
    for (std::size_t k = 0; k < H; ++k) {
      V z = dom_.add(r[k], ux[k]);
      r[k] = dom_.relu(b1 ? dom_.add(z, b1[k]) : z);
    }
    tag(dom_, name_ + ".h");
    h = affine("W2", "b2", d, r.data(), H);
  }

  // h <- relu(A(x) h + b(x)), A(x) = sum_s x_s A[s] and b(x) = sum_s x_s b[s] (dense's A_t
  // without its constant A[0]).
  void switched(std::vector<V>& h, const std::vector<V>& x) {
    const std::size_t d = s_.d, m = s_.m();
    const V* A = P_.get("A");  // m x d x d
    tag(dom_, name_ + ".A");
    std::vector<V> At(d * d);
    for (std::size_t e = 0; e < d * d; ++e) {
      V acc = zero_;
      for (std::size_t sym = 0; sym < m; ++sym) acc = dom_.add(acc, dom_.mul(x[sym], A[sym * d * d + e]));
      At[e] = acc;
    }
    tag(dom_, name_ + ".b");
    const V* B = P_.get("b");  // m x d; absent with bias = false
    std::vector<V> bt;
    for (std::size_t i = 0; i < d && B; ++i) {
      V acc = zero_;
      for (std::size_t sym = 0; sym < m; ++sym) acc = dom_.add(acc, dom_.mul(x[sym], B[sym * d + i]));
      bt.push_back(acc);
    }
    tag(dom_, name_ + ".h");
    std::vector<V> out(d);
    for (std::size_t i = 0; i < d; ++i) {
      V z = dot(&At[i * d], h.data(), d);
      out[i] = dom_.relu(B ? dom_.add(z, bt[i]) : z);
    }
    h.swap(out);
  }

  const Spec& s_;
  D& dom_;
  const ParamValues<D>& P_;
  V zero_, one_;
  std::string name_;
};

}  // namespace rnncc::compiler
