// Real-time counter machines, Lemma 2's SDGC machine, and their compilation to an mlp spec.
#include "proofs/counter_machine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "circuits/error.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/matrix.hpp"

namespace rnncc::proofs {

void check_machine(const CounterMachine& m) {
  const std::size_t Q = m.states.size(), S = m.alphabet.size();
  if (Q == 0 || S == 0) throw Error("counter machine: no states or no symbols");
  if (m.counters > 16) throw Error(fmt::format("counter machine: at most 16 counters, got {}", m.counters));
  if (m.counter_names.size() != m.counters) throw Error("counter machine: one name per counter");
  if (m.start >= Q || m.reject >= Q || m.accept_state >= Q) throw Error("counter machine: a state index out of range");
  if (m.counters == 0 || m.accept_counter >= m.counters) throw Error("counter machine: the accept counter is out of range");
  if (m.rules.size() != Q * S) throw Error(fmt::format("counter machine: {} rule lists, expected {}", m.rules.size(), Q * S));
  const std::uint32_t all = (std::uint32_t{1} << m.counters) - 1;
  for (const std::vector<CounterCase>& cases : m.rules)
    for (const CounterCase& c : cases) {
      if (c.next >= Q) throw Error("counter machine: a next state out of range");
      if ((c.tested & ~all) != 0 || (c.zero & ~c.tested) != 0) throw Error("counter machine: a bad zero test");
      if (c.delta.size() != m.counters) throw Error("counter machine: one change per counter");
      for (int dlt : c.delta)
        if (dlt < -1 || dlt > 1) throw Error("counter machine: changes must be −1, 0 or +1");
    }
}

namespace {

// The first case whose guard holds for the zero pattern `zero` (bit k: counter k is 0).
const CounterCase* match(const std::vector<CounterCase>& cases, std::uint32_t zero) {
  for (const CounterCase& c : cases)
    if ((zero & c.tested) == c.zero) return &c;
  return nullptr;
}

std::vector<int> no_change(std::size_t k) { return std::vector<int>(k, 0); }

}  // namespace

CounterRun run_machine(const CounterMachine& m, const std::vector<std::size_t>& word, const CounterObserver& observe) {
  CounterRun r;
  r.state = m.start;
  r.counters.assign(m.counters, 0);
  for (std::size_t sigma : word) {
    if (sigma >= m.alphabet.size()) throw Error(fmt::format("counter machine: symbol {} out of range", sigma));
    std::uint32_t zero = 0;
    for (std::size_t k = 0; k < m.counters; ++k)
      if (r.counters[k] == 0) zero |= std::uint32_t{1} << k;
    const CounterCase* c = match(m.cases(r.state, sigma), zero);
    const std::size_t before = r.state;
    r.state = c ? c->next : m.reject;
    for (std::size_t k = 0; c && k < m.counters; ++k) {
      r.counters[k] += c->delta[k];
      r.max_abs = std::max(r.max_abs, r.counters[k] < 0 ? -r.counters[k] : r.counters[k]);
    }
    if (observe) observe(before, sigma, r);
  }
  r.accept = r.state == m.accept_state && r.counters[m.accept_counter] == 0;
  return r;
}

CounterMachine sdgc_machine() {
  enum State : std::size_t { Src, Edge, Follow, Restore, Tgt, Reject };
  enum Counter : std::uint32_t { S = 0, I = 1, T = 2 };
  enum Sym : std::size_t { One = 0, Arrow = 1, Bar = 2, Query = 3, Pad = 4 };  // proofs/sdgc.hpp's kUnaryAlphabet
  CounterMachine m;
  m.states = {"src", "edge", "follow", "restore", "tgt", "reject"};
  m.alphabet = {"1", ">", "|", "?", "_"};
  m.counters = 3;
  m.counter_names = {"S", "I", "T"};
  m.start = Src;
  m.reject = Reject;
  m.accept_state = Tgt;
  m.accept_counter = S;
  m.rules.assign(m.states.size() * m.alphabet.size(), {});
  auto rule = [&](std::size_t q, std::size_t sigma) -> std::vector<CounterCase>& {
    return m.rules[q * m.alphabet.size() + sigma];
  };
  auto go = [](std::size_t next, std::vector<int> delta, std::uint32_t tested = 0, std::uint32_t zero = 0) {
    return CounterCase{tested, zero, next, std::move(delta)};
  };
  const std::uint32_t bS = 1u << S, bI = 1u << I;
  rule(Src, One) = {go(Src, {+1, 0, 0})};
  rule(Src, Bar) = {go(Edge, no_change(3))};
  rule(Edge, One) = {go(Edge, {-1, +1, 0})};
  rule(Edge, Arrow) = {go(Follow, no_change(3), bS, bS), go(Restore, no_change(3), bS, 0)};
  rule(Edge, Query) = {go(Tgt, no_change(3))};
  rule(Follow, One) = {go(Follow, {+1, -1, 0}, bI, 0), go(Follow, {+1, 0, 0}, bI, bI)};
  rule(Follow, Bar) = {go(Edge, no_change(3))};
  rule(Restore, One) = {go(Restore, {+1, -1, 0}, bI, 0), go(Restore, no_change(3), bI, bI)};
  rule(Restore, Bar) = {go(Edge, no_change(3))};
  rule(Tgt, One) = {go(Tgt, {-1, 0, +1})};
  for (std::size_t q : {Src, Edge, Follow, Restore, Tgt}) rule(q, Pad) = {go(q, no_change(3))};  // padding
  check_machine(m);
  return m;
}

namespace {

// The hidden units and weights of the compiled network.
class NetBuilder {
 public:
  explicit NetBuilder(const CounterMachine& m) : m_(m), Q_(m.states.size()), k_(m.counters) {
    d_ = Q_ + 2 * k_;
    // Pass-through units first: ReLU(c⁺_k), ReLU(c⁻_k).
    for (std::size_t j = 0; j < 2 * k_; ++j) {
      Unit u;
      u.pass = Q_ + j;
      pass_.push_back(add_unit(u));
      w2(Q_ + j, pass_.back(), 1);
    }
    for (std::size_t q = 0; q < Q_; ++q)
      for (std::size_t s = 0; s < m.alphabet.size(); ++s) compile(q, s);
  }

  std::size_t d() const { return d_; }
  std::size_t hidden() const { return units_.size(); }

  // W1 (H × d), U1 (H × m), b1 (H), W2 (d × H).
  QMatrix W1() const {
    QMatrix w = zero_matrix(hidden(), d_);
    for (std::size_t u = 0; u < hidden(); ++u) {
      const Unit& x = units_[u];
      if (x.pass != kNone) {
        w[u][x.pass] = 1;
        continue;
      }
      w[u][x.q] = 1;
      for (std::size_t k = 0; k < k_; ++k) {
        const std::uint32_t b = std::uint32_t{1} << k;
        if ((x.zero | x.plus) & b) w[u][plus(k)] = -1;
        if ((x.zero | x.minus) & b) w[u][minus(k)] = -1;
      }
    }
    return w;
  }
  QMatrix U1() const {
    QMatrix w = zero_matrix(hidden(), m_.alphabet.size());
    for (std::size_t u = 0; u < hidden(); ++u)
      if (units_[u].pass == kNone) w[u][units_[u].sigma] = 1;
    return w;
  }
  QVector b1() const {
    QVector b(hidden(), 0);
    for (std::size_t u = 0; u < hidden(); ++u)
      if (units_[u].pass == kNone) b[u] = -1;
    return b;
  }
  QMatrix W2() const {
    QMatrix w = zero_matrix(d_, hidden());
    for (const auto& [key, v] : w2_) w[key.first][key.second] = v;
    return w;
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Unit {
    std::size_t pass = kNone;  // a pass-through unit's state index
    std::size_t q = 0, sigma = 0;
    std::uint32_t zero = 0, plus = 0, minus = 0;  // parts that must be 0: both, c⁺ only, c⁻ only
    auto key() const { return std::tie(pass, q, sigma, zero, plus, minus); }
  };

  std::size_t plus(std::size_t k) const { return Q_ + 2 * k; }
  std::size_t minus(std::size_t k) const { return Q_ + 2 * k + 1; }

  std::size_t add_unit(const Unit& u) {
    units_.push_back(u);
    return units_.size() - 1;
  }
  // The unit "in q, reading σ, counters in `zero` are 0, c⁺ of `plus` and c⁻ of `minus` are 0".
  std::size_t unit(std::size_t q, std::size_t sigma, std::uint32_t zero, std::uint32_t plus, std::uint32_t minus) {
    zero |= plus & minus;
    plus &= ~zero;
    minus &= ~zero;
    Unit u;
    u.q = q;
    u.sigma = sigma;
    u.zero = zero;
    u.plus = plus;
    u.minus = minus;
    const auto key = std::make_tuple(q, sigma, zero, plus, minus);
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    const std::size_t id = add_unit(u);
    index_.emplace(key, id);
    return id;
  }
  void w2(std::size_t row, std::size_t u, std::int64_t v) {
    if (v != 0) w2_[{row, u}] += v;
  }
  // coefficient · [in q, reading σ, the counters of `zero` are 0, those of `nonzero` are not,
  // and the parts of plus/minus are 0], by inclusion–exclusion over subsets of `nonzero`.
  void add_indicator(std::size_t row, std::int64_t coefficient, std::size_t q, std::size_t sigma, std::uint32_t zero,
                     std::uint32_t nonzero, std::uint32_t plus, std::uint32_t minus) {
    // Subsets C of nonzero, by the standard sub-mask walk (includes the empty set).
    for (std::uint32_t C = nonzero;; C = (C - 1) & nonzero) {
      const int sign = (__builtin_popcount(C) % 2) ? -1 : 1;
      w2(row, unit(q, sigma, zero | C, plus, minus), sign * coefficient);
      if (C == 0) break;
    }
  }

  void compile(std::size_t q, std::size_t sigma) {
    const std::vector<CounterCase>& cases = m_.cases(q, sigma);
    std::uint32_t tested = 0;
    for (const CounterCase& c : cases) tested |= c.tested;
    // Every zero pattern of the tested counters (sub-masks of `tested`).
    for (std::uint32_t zero = tested;; zero = (zero - 1) & tested) {
      const std::uint32_t nonzero = tested & ~zero;
      const CounterCase* c = match(cases, zero);
      const std::size_t next = c ? c->next : m_.reject;
      add_indicator(next, 1, q, sigma, zero, nonzero, 0, 0);
      for (std::size_t k = 0; c && k < k_; ++k) {
        const std::uint32_t b = std::uint32_t{1} << k;
        if (c->delta[k] == +1) {  // c⁺ += [c ≥ 0]; c⁻ −= [c < 0]
          add_indicator(plus(k), 1, q, sigma, zero, nonzero, 0, b);
          add_indicator(minus(k), -1, q, sigma, zero, nonzero, 0, 0);
          add_indicator(minus(k), 1, q, sigma, zero, nonzero, 0, b);
        } else if (c->delta[k] == -1) {  // c⁻ += [c ≤ 0]; c⁺ −= [c > 0]
          add_indicator(minus(k), 1, q, sigma, zero, nonzero, b, 0);
          add_indicator(plus(k), -1, q, sigma, zero, nonzero, 0, 0);
          add_indicator(plus(k), 1, q, sigma, zero, nonzero, b, 0);
        }
      }
      if (zero == 0) break;
    }
  }

  const CounterMachine& m_;
  std::size_t Q_, k_, d_ = 0;
  std::vector<Unit> units_;
  std::vector<std::size_t> pass_;
  std::map<std::tuple<std::size_t, std::size_t, std::uint32_t, std::uint32_t, std::uint32_t>, std::size_t> index_;
  std::map<std::pair<std::size_t, std::size_t>, std::int64_t> w2_;
};

std::string toml_strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", v[i]);
  return out + "]";
}

}  // namespace

CounterNetShape counter_net_shape(const CounterMachine& m) {
  check_machine(m);
  const NetBuilder b(m);
  return {b.d(), b.hidden()};
}

std::vector<std::int64_t> encode_configuration(const CounterMachine& m, std::size_t state,
                                               const std::vector<std::int64_t>& counters) {
  std::vector<std::int64_t> h(m.states.size() + 2 * m.counters, 0);
  h.at(state) = 1;
  for (std::size_t k = 0; k < m.counters; ++k) {
    const std::int64_t c = counters.at(k);
    h[m.states.size() + 2 * k] = c > 0 ? c : 0;
    h[m.states.size() + 2 * k + 1] = c < 0 ? -c : 0;
  }
  return h;
}

std::string counter_mlp_spec_text(const CounterMachine& m, const CounterSpecOptions& options) {
  check_machine(m);
  const NetBuilder b(m);
  const std::size_t d = b.d(), Q = m.states.size();
  std::string out = fmt::format(
      "# A real-time counter machine ({} states, {} counters: {}) as a one-layer MLP RNN\n"
      "# (rnncc construct sdgc; the paper's Lemma 3 with the exact zero test):\n"
      "# h = [one-hot state | c+, c- per counter], h_t = W2 relu(W1 h + U1 x + b1) + b2,\n"
      "# y = h[{}] - {}+ - {}- (> 0 exactly when the machine accepts).\n",
      Q, m.counters, fmt::join(m.counter_names, ", "), m.states[m.accept_state], m.counter_names[m.accept_counter],
      m.counter_names[m.accept_counter]);
  out += fmt::format("name = \"{}\"\nkind = \"mlp\"\nd = {}\nhidden = {}\nd_out = 1\nalphabet = {}\n", options.name, d,
                     b.hidden(), toml_strings(m.alphabet));
  out += fmt::format("outputs = \"{}\"\ndomain = \"exact\"\nT = {}\n", options.accept ? "accept" : "all", options.T);
  QVector h0(d, 0);
  h0[m.start] = 1;
  out += "initial_state = " + toml_vector(h0) + "\n\n[parameters]\n";
  QMatrix Wy = zero_matrix(1, d);
  Wy[0][m.accept_state] = 1;
  Wy[0][Q + 2 * m.accept_counter] = -1;
  Wy[0][Q + 2 * m.accept_counter + 1] = -1;
  out += "W1 = " + toml_matrix(b.W1()) + "\nU1 = " + toml_matrix(b.U1()) + "\nb1 = " + toml_vector(b.b1()) + "\n";
  out += "W2 = " + toml_matrix(b.W2()) + "\nb2 = " + toml_vector(QVector(d, 0)) + "\n";
  out += "W_y = " + toml_matrix(Wy) + "\nc_y = [0]\n";
  if (options.accept) out += "o = [1]\n";
  return out;
}

compiler::Spec counter_mlp_spec(const CounterMachine& m, const CounterSpecOptions& options) {
  return compiler::parse_spec(counter_mlp_spec_text(m, options), options.name + ".toml");
}

namespace {

// A parameter as 64-bit integers (Error unless every entry is an integer that fits).
std::vector<std::int64_t> integer_param(const compiler::Spec& spec, const std::string& key) {
  std::vector<std::int64_t> out;
  auto it = spec.params.find(key);
  if (it == spec.params.end()) return out;
  for (const mpq_class& v : it->second.values) {
    if (v.get_den() != 1 || !v.get_num().fits_slong_p()) throw Error("run_counter_net: " + key + " is not a small integer");
    out.push_back(v.get_num().get_si());
  }
  return out;
}

// Sparse rows of a rows × cols matrix.
struct SparseRows {
  std::vector<std::vector<std::pair<std::size_t, std::int64_t>>> rows;
  SparseRows(const std::vector<std::int64_t>& w, std::size_t r, std::size_t c) : rows(r) {
    for (std::size_t i = 0; i < r; ++i)
      for (std::size_t j = 0; j < c; ++j)
        if (w[i * c + j] != 0) rows[i].emplace_back(j, w[i * c + j]);
  }
};

}  // namespace

CounterNetRun run_counter_net(const compiler::Spec& spec, const std::vector<std::size_t>& word) {
  if (spec.kind != compiler::Kind::Mlp) throw Error("run_counter_net: the spec is not an mlp");
  const std::size_t d = spec.d, H = spec.hidden, m = spec.m();
  const SparseRows W1(integer_param(spec, "W1"), H, d), W2(integer_param(spec, "W2"), d, H);
  const std::vector<std::int64_t> U1 = integer_param(spec, "U1"), b1 = integer_param(spec, "b1"),
                                  b2 = integer_param(spec, "b2"), Wy = integer_param(spec, "W_y"),
                                  cy = integer_param(spec, "c_y");
  CounterNetRun r;
  r.h.assign(d, 0);
  for (std::size_t i = 0; i < d; ++i) {
    const mpq_class& v = spec.initial_values.at(i);
    if (v.get_den() != 1) throw Error("run_counter_net: the initial state is not integer");
    r.h[i] = v.get_num().get_si();
  }
  // acc += w·x, false when that overflows 64 bits (or reaches −2^63, whose magnitude does not fit).
  auto mac = [](std::int64_t& acc, std::int64_t w, std::int64_t x) {
    std::int64_t p = 0;
    return !__builtin_mul_overflow(w, x, &p) && !__builtin_add_overflow(acc, p, &acc) &&
           acc != std::numeric_limits<std::int64_t>::min();
  };
  auto note = [&](std::int64_t v) { r.max_abs = std::max(r.max_abs, v < 0 ? -v : v); };
  std::vector<std::int64_t> hidden(H), next(d);
  for (std::size_t sigma : word) {
    if (sigma >= m) throw Error(fmt::format("run_counter_net: symbol {} out of range", sigma));
    for (std::size_t u = 0; u < H; ++u) {
      std::int64_t z = U1[u * m + sigma];
      bool fits = mac(z, 1, b1.empty() ? 0 : b1[u]);
      for (const auto& [j, w] : W1.rows[u]) fits = fits && mac(z, w, r.h[j]);
      if (!fits) return r.overflow = true, r;
      note(z);
      hidden[u] = z > 0 ? z : 0;
    }
    for (std::size_t i = 0; i < d; ++i) {
      std::int64_t v = b2.empty() ? 0 : b2[i];
      bool fits = true;
      for (const auto& [u, w] : W2.rows[i]) fits = fits && mac(v, w, hidden[u]);
      if (!fits) return r.overflow = true, r;
      note(v);
      next[i] = v;
    }
    r.h.swap(next);
  }
  r.y = cy.empty() ? 0 : cy[0];
  bool fits = true;
  for (std::size_t i = 0; i < d; ++i) fits = fits && mac(r.y, Wy[i], r.h[i]);
  r.overflow = !fits;
  return r;
}

}  // namespace rnncc::proofs
