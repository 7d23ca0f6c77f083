// lift-scan: affine forms per step, maps, prefix combination, rewiring of state readers.
#include "compiler/passes/lift_scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "circuits/analysis.hpp"
#include "circuits/budget.hpp"
#include "circuits/builder.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"
#include "circuits/error.hpp"

namespace rnncc::compiler::passes {
namespace {
using namespace rnncc::circuits;

struct Term {
  std::uint32_t var;
  GateId coef;  // in the new circuit
};
// The terms of a form: up to two inline (a diagonal state lane has one), more on the heap.
// Forms are made and copied for every state-path gate of every step, so a heap allocation each
// would be a good part of lift-scan's time.
class Terms {
 public:
  std::size_t size() const { return big_ ? heap_.size() : n_; }
  bool empty() const { return size() == 0; }
  const Term* begin() const { return big_ ? heap_.data() : inline_; }
  const Term* end() const { return begin() + size(); }
  const Term& operator[](std::size_t i) const { return begin()[i]; }
  void clear() {
    n_ = 0;
    heap_.clear();
    big_ = false;
  }
  void push_back(const Term& t) {
    if (big_) {
      heap_.push_back(t);
    } else if (n_ < kInline) {
      inline_[n_++] = t;
    } else {
      heap_.assign(inline_, inline_ + kInline);
      heap_.push_back(t);
      big_ = true;
    }
  }

 private:
  static constexpr std::uint32_t kInline = 2;
  Term inline_[kInline] = {};
  std::uint32_t n_ = 0;
  bool big_ = false;
  std::vector<Term> heap_;
};

// c + sum coef * s_{t-1}[var], terms sorted by var; c == kNoGate means 0.
struct Form {
  GateId c = kNoGate;
  Terms terms;
};

// An affine map of one position: column h -> A h + b (A d x d, or diagonal d) or row
// S -> S A + B (A d_k x d_k, B d_v x d_k). Entries are new-circuit gates; kNoGate is 0.
struct Map {
  std::vector<GateId> A, b;
};

enum class Mode { Diagonal, Dense, Row };

struct Refused {
  GateId gate;
  std::uint32_t step;
  std::string why;
};

class LiftScan {
  std::unordered_map<GateId, mpq_class> memo_;  // value_at's, for one (step, symbol)
  std::pair<std::uint32_t, std::uint32_t> memo_key_{0, 0};

 public:
  LiftScan(const Circuit& c, const LiftScanParams& p, LiftScanStats& st)
      : c_(c), p_(p), st_(st), r_(c), b_(r_.builder()), map_(r_.map()) {}

  Circuit run() {
    collect_steps();
    // The copied state-free part and the step forms are about as large as the naive circuit:
    // reserve once, so the hash table is not regrown (and its keys rehashed) as it fills.
    r_.reserve(c_.num_gates() + c_.num_gates() / 4);
    copy_recurrence_free();
    zero_ = b_.constant(0);
    one_ = b_.constant(1);
    decide_reduction();

    // Position 1: step 1 as it is, a constant map.
    maps_.resize(T_);
    for (GateId g : step_gates(1)) maps_[0].b.push_back(materialize(g, 1));
    for (GateId g : step_gates(1)) memoryless_[g] = 1;
    std::vector<std::vector<Form>> forms(T_ + 1);
    bool diagonal = true;
    for (std::uint32_t t = 2; t <= T_; ++t) {
      std::vector<Form> f = step_forms(t);
      for (std::size_t i = 0; i < f.size(); ++i)
        if (f[i].terms.empty()) memoryless_[step_gates(t)[i]] = 1;
      for (std::size_t i = 0; i < f.size(); ++i)
        for (const Term& term : f[i].terms)
          if (term.var != i) diagonal = false;
      forms[t] = std::move(f);
    }
    mode_ = diagonal ? Mode::Diagonal : row_structure(forms) ? Mode::Row : Mode::Dense;
    st_.combine = mode_ == Mode::Diagonal ? "diagonal" : mode_ == Mode::Row ? "row" : "dense";
    for (std::uint32_t t = 2; t <= T_; ++t) {
      maps_[t - 1] = to_map(forms[t]);
      std::vector<Form>().swap(forms[t]);
    }
    maps_[0].A.assign(a_size(), kNoGate);  // position 1 in the chosen layout: A = 0

    if (p_.finite != FiniteValues::Off) {
      st_.finite_why = prove_finite();
      st_.finite = st_.finite_why.empty();
      if (!st_.finite && p_.finite == FiniteValues::Require)
        throw Refused{kNoGate, 0, "finite values were required but cannot be proved: " + st_.finite_why};
    }
    scan();
    rewire_and_copy();
    return r_.finish(circuits::Rebuild::Steps::Own);
  }

 private:
  // ---- steps ----
  void collect_steps() {
    for (const StepRecord& r : c_.steps()) {
      if (r.step >= by_step_.size()) by_step_.resize(r.step + 1, nullptr);
      by_step_[r.step] = &r;
    }
    T_ = by_step_.empty() ? 0 : static_cast<std::uint32_t>(by_step_.size() - 1);
    if (T_ == 0 || !by_step_[1])
      throw Error("lift-scan needs step metadata (the states of steps 1..T, as `rnncc compile` writes); "
                  "this circuit has none");
    d_ = by_step_[1]->gates.size();
    for (std::uint32_t t = 1; t <= T_; ++t)
      if (!by_step_[t] || by_step_[t]->gates.size() != d_)
        throw Error(fmt::format("lift-scan: step {} has no state record of {} gates", t, d_));
    if (p_.matrix_shape && p_.matrix_shape->first * p_.matrix_shape->second != d_)
      throw Error("lift-scan: the matrix shape does not match the state size");
    state_step_.assign(c_.num_gates(), 0);
    memoryless_.assign(c_.num_gates(), 0);
    for (std::uint32_t t = 1; t <= T_; ++t)
      for (GateId g : by_step_[t]->gates) state_step_[g] = t;
    st_.steps = T_;
  }
  const std::vector<GateId>& step_gates(std::uint32_t t) const { return by_step_[t]->gates; }

  // Only the final state is read (outputs = "final"): a reduction tree replaces the network.
  void decide_reduction() {
    need_.assign(c_.num_gates(), 0);
    for (const Output& o : c_.outputs()) need_[o.gate] = 1;
    bool only_final = true;
    for (std::size_t g = c_.num_gates(); g-- > 0;) {
      if (!need_[g]) continue;
      ++need_count_;
      if (state_step_[g] != 0) {  // cut: states come from the scan
        if (state_step_[g] != T_) only_final = false;
        continue;
      }
      int k = arity(c_.op(static_cast<GateId>(g)));
      if (k >= 1) need_[c_.a(static_cast<GateId>(g))] = 1;
      if (k == 2) need_[c_.b(static_cast<GateId>(g))] = 1;
    }
    st_.reduction_tree = only_final;
  }

  // ---- copying ----
  // Copies, in id order, every input (so input order and names are kept) and every live gate
  // whose value does not depend on a state of step 1 or later: parameters, a step's
  // coefficients. In id order a step's inputs stay next to the gates that read them, which
  // keeps the builder's hash table local; the forms then find their coefficients mapped.
  void copy_recurrence_free() {
    const std::vector<std::uint8_t> live = live_gates(c_);
    std::vector<std::uint8_t> rec(c_.num_gates(), 0);
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      Op op = c_.op(g);
      int k = arity(op);
      if (op == Op::Input) {
        r_.copy(g);
        continue;
      }
      rec[g] = k > 0 && (state_step_[g] != 0 || rec[c_.a(g)] || (k == 2 && rec[c_.b(g)]));
      if (!rec[g] && live[g]) map_[g] = copy(g);
    }
  }

  void set_origin_of(GateId g) { r_.stamp_origin(g); }

  GateId copy(GateId g) { return r_.copy(g); }  // operands already mapped

  // Copies a gate that does not depend on the recurrence, with its unmapped operands, without
  // recursion. States of step `own_step` may be crossed (step 1's state gates read each other,
  // as LSTM's h reads c), and so may memoryless states (step 1, and states whose step form reads
  // no earlier state); reaching a recurrent state of another step means a step reads an older
  // state: refuse.
  GateId materialize(GateId root, std::uint32_t own_step = 0) {
    if (map_[root] != kNoGate) return map_[root];
    std::vector<GateId> stack{root};
    while (!stack.empty()) {
      GateId g = stack.back();
      if (map_[g] != kNoGate) {
        stack.pop_back();
        continue;
      }
      bool ready = true;
      int k = arity(c_.op(g));
      for (int i = 0; i < k; ++i) {
        GateId x = i == 0 ? c_.a(g) : c_.b(g);
        if (map_[x] != kNoGate) continue;
        if (state_step_[x] != 0 && state_step_[x] != own_step && !memoryless_[x])
          throw Refused{g, c_.origin(g).step,
                        fmt::format("a coefficient reads the state of step {} directly", state_step_[x])};
        stack.push_back(x);
        ready = false;
      }
      if (!ready) continue;
      map_[g] = copy(g);
      stack.pop_back();
    }
    return map_[root];
  }

  // ---- affine forms of step t over the state of step t-1 ----
  std::vector<Form> step_forms(std::uint32_t t) {
    step_ = t;
    const std::vector<GateId>& prev = step_gates(t - 1);
    // Per-gate arrays over the step's id window [base_, hi] (gates below the previous state
    // cannot depend on it), reset after the step: variable index of a previous-state gate, the
    // slot of a state-dependent gate's form, and a visit mark. A window keeps them small and
    // cached; a huge one (a state lane that is an old gate) falls back to whole-circuit arrays.
    GateId lo = kNoGate, hi = 0;
    for (GateId g : prev) lo = std::min(lo, g), hi = std::max(hi, g);
    for (GateId g : step_gates(t)) hi = std::max(hi, g);
    base_ = hi - lo < (1u << 24) ? lo : 0;
    if (var_of_.size() < hi - base_ + 1) {
      var_of_.resize(hi - base_ + 1, kNone);
      form_slot_.resize(hi - base_ + 1, kNone);
      visit_.resize(hi - base_ + 1, 0);
    }
    for (std::uint32_t j = 0; j < prev.size(); ++j)
      if (var_of_[prev[j] - base_] == kNone) var_of_[prev[j] - base_] = j;
    // The cone of the new state, stopping at the previous state and at gates older than it.
    ++epoch_;
    std::vector<GateId>& cone = cone_;
    cone.clear();
    std::vector<GateId>& stack = stack_;
    stack.assign(step_gates(t).begin(), step_gates(t).end());
    while (!stack.empty()) {
      GateId g = stack.back();
      stack.pop_back();
      if (g < lo || visit_[g - base_] == epoch_) continue;
      visit_[g - base_] = epoch_;
      if (var_of_[g - base_] != kNone || arity(c_.op(g)) == 0) continue;
      cone.push_back(g);
      int k = arity(c_.op(g));
      stack.push_back(c_.a(g));
      if (k == 2) stack.push_back(c_.b(g));
    }
    std::sort(cone.begin(), cone.end());

    // forms_[0..used) hold this step's forms; sized up front so that pointers into it stay
    // valid while a gate's form is built from its operands' forms.
    std::size_t used = 0;
    if (forms_.size() < cone.size() + prev.size() + 1) forms_.resize(cone.size() + prev.size() + 1);
    std::vector<GateId> touched;
    auto new_form = [&](GateId g) -> Form& {
      Form& f = forms_[used];
      f.c = kNoGate;
      f.terms.clear();
      form_slot_[g - base_] = static_cast<std::uint32_t>(used++);
      touched.push_back(g);
      return f;
    };
    auto form_of = [&](GateId g) -> const Form* {
      if (g < lo) return nullptr;  // older than the previous state: state-free
      if (form_slot_[g - base_] != kNone) return &forms_[form_slot_[g - base_]];
      if (var_of_[g - base_] != kNone) {
        Form& f = new_form(g);
        f.terms.push_back({var_of_[g - base_], one_});
        return &forms_[form_slot_[g - base_]];
      }
      return nullptr;  // state-free
    };
    auto is_var = [&](GateId g) { return g >= lo && var_of_[g - base_] != kNone; };
    for (GateId g : cone) {
      Op op = c_.op(g);
      const Form* fa = form_of(c_.a(g));
      const Form* fb = arity(op) == 2 ? form_of(c_.b(g)) : nullptr;
      if (!fa && !fb) continue;  // state-free: a coefficient, copied when used
      set_origin_of(g);
      Form f;
      switch (op) {
        case Op::Add:
        case Op::Sub: f = add_forms(lift(c_.a(g), fa), lift(c_.b(g), fb), op == Op::Sub); break;
        case Op::Neg: f = scale(*fa, kNoGate, true); break;
        case Op::Buf: f = *fa; break;
        case Op::Mul:
          if (fa && fb) {
            // Hash-consing may make one gate both a memoryless state (a constant, a function
            // of the inputs alone) and a coefficient: that side is a value, not a variable.
            GateId x = c_.a(g), y = c_.b(g);
            if (is_var(x) && memoryless_[x]) {
              f = scale(*fb, materialize(x, t), false);
            } else if (is_var(y) && memoryless_[y]) {
              f = scale(*fa, materialize(y, t), false);
            } else {
              refuse(g, t, "a product of two state-dependent values");
            }
            break;
          }
          f = fa ? scale(*fa, materialize(c_.b(g), t), false) : scale(*fb, materialize(c_.a(g), t), false);
          break;
        default: refuse(g, t, std::string(mnemonic(op)));
      }
      new_form(g) = std::move(f);
    }
    std::vector<Form> out;
    out.reserve(d_);
    for (GateId g : step_gates(t)) {
      const Form* f = form_of(g);
      out.push_back(f ? *f : Form{materialize(g, t), {}});
    }
    for (GateId g : touched) form_slot_[g - base_] = kNone;
    for (GateId g : prev) var_of_[g - base_] = kNone;
    return out;
  }

  [[noreturn]] void refuse(GateId g, std::uint32_t t, const std::string& what) {
    throw Refused{g, t, what};
  }

  Form lift(GateId g, const Form* f) { return f ? *f : Form{materialize(g, step_), {}}; }

  GateId add_or(GateId x, GateId y, bool subtract) {
    if (x == kNoGate) return y == kNoGate ? kNoGate : subtract ? b_.neg(y) : y;
    if (y == kNoGate) return x;
    return subtract ? b_.sub(x, y) : b_.add(x, y);
  }

  Form add_forms(const Form& x, const Form& y, bool subtract) {
    Form f;
    f.c = add_or(x.c, y.c, subtract);
    std::size_t i = 0, j = 0;
    while (i < x.terms.size() || j < y.terms.size()) {
      if (j == y.terms.size() || (i < x.terms.size() && x.terms[i].var < y.terms[j].var)) {
        f.terms.push_back(x.terms[i++]);
      } else if (i == x.terms.size() || y.terms[j].var < x.terms[i].var) {
        f.terms.push_back({y.terms[j].var, subtract ? b_.neg(y.terms[j].coef) : y.terms[j].coef});
        ++j;
      } else {
        GateId s = add_or(x.terms[i].coef, y.terms[j].coef, subtract);
        if (s != zero_) f.terms.push_back({x.terms[i].var, s});
        ++i;
        ++j;
      }
    }
    return f;
  }

  // k * form (k == kNoGate: negate).
  Form scale(const Form& x, GateId k, bool negate) {
    auto op = [&](GateId v) { return negate ? b_.neg(v) : b_.mul(v, k); };
    Form f;
    if (x.c != kNoGate) f.c = op(x.c);
    for (const Term& term : x.terms) {
      GateId v = op(term.coef);
      if (v != zero_) f.terms.push_back({term.var, v});
    }
    return f;
  }

  // One A_t shared by every row of a d_v x d_k state: S'[r][c] = sum_j S[r][j] A[j][c] + B[r][c].
  bool row_structure(const std::vector<std::vector<Form>>& forms) const {
    if (!p_.matrix_shape) return false;
    const auto [dv, dk] = *p_.matrix_shape;
    for (std::uint32_t t = 2; t <= T_; ++t) {
      for (std::size_t r = 0; r < dv; ++r)
        for (std::size_t col = 0; col < dk; ++col) {
          const Form& f = forms[t][r * dk + col];
          const Form& f0 = forms[t][col];
          if (f.terms.size() != f0.terms.size()) return false;
          for (std::size_t k = 0; k < f.terms.size(); ++k) {
            if (f.terms[k].var / dk != r || f.terms[k].coef != f0.terms[k].coef ||
                f.terms[k].var % dk != f0.terms[k].var % dk)
              return false;
          }
        }
    }
    return true;
  }

  std::size_t a_size() const {
    if (mode_ == Mode::Diagonal) return d_;
    if (mode_ == Mode::Row) return p_.matrix_shape->second * p_.matrix_shape->second;
    return d_ * d_;
  }

  Map to_map(const std::vector<Form>& f) {
    Map m;
    m.A.assign(a_size(), kNoGate);
    m.b.resize(d_);
    const std::size_t dk = p_.matrix_shape ? p_.matrix_shape->second : 0;
    for (std::size_t i = 0; i < d_; ++i) {
      m.b[i] = f[i].c;
      for (const Term& term : f[i].terms) {
        if (mode_ == Mode::Diagonal) m.A[i] = term.coef;
        else if (mode_ == Mode::Row) m.A[(term.var % dk) * dk + i % dk] = term.coef;  // A[j][c]
        else m.A[i * d_ + term.var] = term.coef;
      }
    }
    return m;
  }

  // ---- finite values ----

  // The value of gate g of the new circuit with the alphabet inputs of step t set to symbol s
  // (x_t = e_s); nullopt when g reads any other input, or a kind that is not arithmetic. One
  // memo per (t, s), an explicit stack: the cones are a step's coefficients, a few gates each.
  std::optional<mpq_class> value_at(GateId root, std::uint32_t t, std::uint32_t s) {
    if (memo_key_ != std::pair{t, s}) {
      memo_.clear();
      memo_key_ = {t, s};
    }
    const Circuit& c = b_.circuit();
    std::vector<GateId> stack{root};
    while (!stack.empty()) {
      const GateId g = stack.back();
      if (memo_.count(g)) {
        stack.pop_back();
        continue;
      }
      const Op op = c.op(g);
      if (op == Op::Input) {
        const Port& p = c.input_port(c.a(g));
        if (p.role != PortRole::Sequence || p.step != t || !p.has_range || p.lo != 0 || p.hi != 1 || p.word_bits)
          return std::nullopt;
        memo_[g] = p.index == s ? 1 : 0;
        stack.pop_back();
        continue;
      }
      if (op == Op::Const) {
        memo_[g] = c.constant(g);
        stack.pop_back();
        continue;
      }
      if (op != Op::Add && op != Op::Sub && op != Op::Mul && op != Op::Neg && op != Op::Buf) return std::nullopt;
      bool ready = true;
      for (int i = 0; i < arity(op); ++i) {
        const GateId x = i == 0 ? c.a(g) : c.b(g);
        if (!memo_.count(x)) {
          stack.push_back(x);
          ready = false;
        }
      }
      if (!ready) continue;
      const mpq_class& a = memo_[c.a(g)];
      const mpq_class b = arity(op) == 2 ? memo_[c.b(g)] : mpq_class(0);
      memo_[g] = op == Op::Add ? a + b : op == Op::Sub ? a - b : op == Op::Mul ? a * b : op == Op::Neg ? mpq_class(-a) : a;
      stack.pop_back();
    }
    return memo_[root];
  }

  // Symbols of step t: the alphabet inputs (sequence, range 0:1) of that step in the new circuit.
  std::uint32_t alphabet_size() const {
    const Circuit& c = b_.circuit();
    std::uint32_t m = 0;
    for (std::size_t k = 0; k < c.inputs().size(); ++k) {
      const Port& p = c.input_port(k);
      if (p.role == PortRole::Sequence && p.has_range && p.lo == 0 && p.hi == 1 && !p.word_bits)
        m = std::max(m, p.index + 1);
    }
    return m;
  }

  // "" when every step map is a partial signed permutation for every symbol with b_t = 0 after
  // step 1 (then the hints' ranges are set and the coefficients hinted); else why not.
  std::string prove_finite() {
    if (mode_ == Mode::Row) return "the row combine (matrix states) has no finite-value form here";
    const std::uint32_t m = alphabet_size();
    if (m == 0) return "the inputs are not one-hot symbols (an alphabet spec)";
    bool nonneg = true;
    std::vector<ValueHint> coef_hints;
    auto value = [&](GateId g, std::uint32_t t, std::uint32_t s) -> std::optional<mpq_class> {
      if (g == kNoGate) return mpq_class(0);
      return value_at(g, t, s);
    };
    for (std::uint32_t t = 2; t <= T_; ++t) {
      const Map& map = maps_[t - 1];
      std::vector<mpq_class> lo(map.A.size()), hi(map.A.size());
      for (std::uint32_t s = 0; s < m; ++s) {
        std::vector<int> row_nz(d_, 0), col_nz(d_, 0);
        for (std::size_t e = 0; e < map.A.size(); ++e) {
          const std::optional<mpq_class> v = value(map.A[e], t, s);
          if (!v) return fmt::format("a coefficient of step {} reads more than the step's symbol", t);
          if (*v != 0 && *v != 1 && *v != -1)
            return fmt::format("step {} under symbol {} has the coefficient {}, not -1, 0 or 1", t, s, v->get_str());
          nonneg = nonneg && *v >= 0;
          if (s == 0 || *v < lo[e]) lo[e] = *v;
          if (s == 0 || *v > hi[e]) hi[e] = *v;
          if (*v != 0 && mode_ == Mode::Dense && (++row_nz[e / d_] > 1 || ++col_nz[e % d_] > 1))
            return fmt::format("step {} under symbol {} is no partial signed permutation (two nonzeros in a row or "
                               "column)", t, s);
        }
        for (GateId g : map.b) {
          const std::optional<mpq_class> v = value(g, t, s);
          if (!v || *v != 0) return fmt::format("step {} adds a nonzero b_t (or one that reads more than its symbol)", t);
        }
      }
      for (std::size_t e = 0; e < map.A.size(); ++e)
        if (map.A[e] != kNoGate && b_.circuit().op(map.A[e]) != Op::Const)
          coef_hints.push_back({map.A[e], lo[e].get_num().get_si(), hi[e].get_num().get_si(), false});
    }
    // Position 1 holds h_1 = A_1 h_0 + b_1: its values, over the symbols, bound every later b.
    mpq_class v_lo = 0, v_hi = 0;
    for (GateId g : maps_[0].b) {
      mpq_class glo, ghi;
      for (std::uint32_t s = 0; s < m; ++s) {
        const std::optional<mpq_class> v = value(g, 1, s);
        if (!v) return "the first state reads more than the first symbol (initial-state or parameter inputs)";
        if (v->get_den() != 1 || abs(*v) > mpq_class(1L << 40))
          return fmt::format("the first state takes the value {}, not a small integer", v->get_str());
        if (s == 0 || *v < glo) glo = *v;
        if (s == 0 || *v > ghi) ghi = *v;
      }
      v_lo = std::min(v_lo, glo);
      v_hi = std::max(v_hi, ghi);
      if (g != kNoGate && b_.circuit().op(g) != Op::Const) coef_hints.push_back({g, glo.get_num().get_si(), ghi.get_num().get_si(), false});
    }
    const mpq_class big = std::max(mpq_class(-v_lo), v_hi);
    st_.a_lo = nonneg ? 0 : -1;
    st_.a_hi = 1;
    st_.b_lo = nonneg ? v_lo.get_num().get_si() : -big.get_num().get_si();
    st_.b_hi = nonneg ? v_hi.get_num().get_si() : big.get_num().get_si();
    for (const ValueHint& h : coef_hints) b_.add_hint(h);
    memo_.clear();
    return "";
  }

  // ---- combining ----
  GateId mul0(GateId x, GateId y) { return x == kNoGate || y == kNoGate ? kNoGate : b_.mul(x, y); }

  // Balanced sum of the present terms (depth ceil(log2 n) over equal levels). With `hint`, every
  // add it builds gets that range, exclusive (finite values: at most one term is nonzero).
  GateId sum(std::vector<GateId>& terms, const ValueHint* hint = nullptr) {
    std::erase(terms, kNoGate);
    if (terms.empty()) return kNoGate;
    while (terms.size() > 1) {
      std::size_t h = 0;
      for (std::size_t i = 0; i + 1 < terms.size(); i += 2) {
        terms[h++] = b_.add(terms[i], terms[i + 1]);
        if (hint && b_.circuit().op(terms[h - 1]) == Op::Add)
          b_.add_hint({terms[h - 1], hint->lo, hint->hi, true});
      }
      if (terms.size() % 2) terms[h++] = terms.back();
      terms.resize(h);
    }
    return terms[0];
  }

  // The map "earlier, then later".
  Map combine(const Map& e, const Map& l) {
    ++st_.combines;
    Map m;
    m.A.assign(a_size(), kNoGate);
    m.b.assign(d_, kNoGate);
    std::vector<GateId> terms;
    const ValueHint a_hint{kNoGate, st_.a_lo, st_.a_hi, true}, b_hint{kNoGate, st_.b_lo, st_.b_hi, true};
    const ValueHint* ah = st_.finite ? &a_hint : nullptr;
    const ValueHint* bh = st_.finite ? &b_hint : nullptr;
    if (mode_ == Mode::Diagonal) {  // (a_l a_e, a_l b_e + b_l)
      for (std::size_t i = 0; i < d_; ++i) {
        m.A[i] = mul0(l.A[i], e.A[i]);
        terms = {mul0(l.A[i], e.b[i]), l.b[i]};
        m.b[i] = sum(terms, bh);
      }
    } else if (mode_ == Mode::Dense) {  // (A_l A_e, A_l b_e + b_l)
      for (std::size_t i = 0; i < d_; ++i) {
        for (std::size_t k = 0; k < d_; ++k) {
          terms.clear();
          for (std::size_t j = 0; j < d_; ++j) terms.push_back(mul0(l.A[i * d_ + j], e.A[j * d_ + k]));
          m.A[i * d_ + k] = sum(terms, ah);
        }
        terms.clear();
        for (std::size_t j = 0; j < d_; ++j) terms.push_back(mul0(l.A[i * d_ + j], e.b[j]));
        terms.push_back(l.b[i]);
        m.b[i] = sum(terms, bh);
      }
    } else {  // row: (A_e A_l, B_e A_l + B_l)
      const auto [dv, dk] = *p_.matrix_shape;
      for (std::size_t j = 0; j < dk; ++j)
        for (std::size_t c = 0; c < dk; ++c) {
          terms.clear();
          for (std::size_t k = 0; k < dk; ++k) terms.push_back(mul0(e.A[j * dk + k], l.A[k * dk + c]));
          m.A[j * dk + c] = sum(terms);
        }
      for (std::size_t r = 0; r < dv; ++r)
        for (std::size_t c = 0; c < dk; ++c) {
          terms.clear();
          for (std::size_t k = 0; k < dk; ++k) terms.push_back(mul0(e.b[r * dk + k], l.A[k * dk + c]));
          terms.push_back(l.b[r * dk + c]);
          m.b[r * dk + c] = sum(terms);
        }
    }
    return m;
  }

  // Combines of the network over T positions, without building it: upper bounds of the
  // textbook counts (docs/passes.md, "Prefix networks"), L = ceil(log2 T).
  std::size_t prefix_schedule_size() const {
    const double t = static_cast<double>(T_), L = std::max(1.0, std::ceil(std::log2(t)));
    switch (p_.network) {
      case PrefixNetwork::Serial: return static_cast<std::size_t>(t);
      case PrefixNetwork::BrentKung: return static_cast<std::size_t>(2 * t);
      case PrefixNetwork::Sklansky: return static_cast<std::size_t>(t / 2 * L);
      case PrefixNetwork::KoggeStone: return static_cast<std::size_t>(t * L);
      default: return static_cast<std::size_t>(t / 2 * L + t);  // ladner-fischer, han-carlson
    }
  }

  // Gates one combine can build, at most (products and sums of models.md's combine counts).
  std::size_t combine_gates() const {
    if (mode_ == Mode::Diagonal) return 3 * d_;
    if (mode_ == Mode::Dense) return 2 * d_ * d_ * d_ + 2 * d_ * d_;
    const auto [dv, dk] = *p_.matrix_shape;
    return 2 * (dk * dk * dk + dv * dk * dk) + dv * dk;
  }

  void scan() {
    b_.set_origin({"lift-scan", 0});
    {
      const double combines = st_.reduction_tree ? static_cast<double>(T_) : static_cast<double>(prefix_schedule_size());
      circuits::check_gates(static_cast<double>(b_.num_gates()) + combines * static_cast<double>(combine_gates()) +
                                static_cast<double>(need_count_),
                            fmt::format("lift-scan over T = {} steps ({} combine, {} state values)", T_, st_.combine, d_));
    }
    if (st_.reduction_tree) {
      b_.reserve(b_.num_gates() + T_ * combine_gates() + need_count_);  // balanced tree over positions, order kept
      std::vector<Map> level = std::move(maps_);
      std::uint32_t depth = 0;
      while (level.size() > 1) {
        std::vector<Map> next;
        for (std::size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(combine(level[i], level[i + 1]));
        if (level.size() % 2) next.push_back(std::move(level.back()));
        level.swap(next);
        ++depth;
      }
      st_.network_depth = depth;
      maps_.assign(T_, Map{});
      maps_[T_ - 1] = std::move(level[0]);
      return;
    }
    PrefixSchedule s = prefix_schedule(p_.network, T_);
    st_.network_depth = s.depth;
    // Every combine and the copied readers at once: regrowing 10^7-gate arrays costs more.
    b_.reserve(b_.num_gates() + s.steps.size() * combine_gates() + need_count_);
    for (const Combine& step : s.steps) {
      b_.set_origin({"lift-scan", step.out + 1});
      maps_[step.out] = combine(maps_[step.left], maps_[step.right]);
    }
  }

  // States come from the prefix maps; every gate an output still needs is copied.
  void rewire_and_copy() {
    if (by_step_[0]) {
      std::vector<GateId> initial;
      for (GateId g : step_gates(0)) initial.push_back(materialize(g));
      b_.add_step(0, initial);
    }
    for (std::uint32_t t = st_.reduction_tree ? T_ : 1; t <= T_; ++t) {
      const std::vector<GateId>& olds = step_gates(t);
      std::vector<GateId> news(d_);
      for (std::size_t i = 0; i < d_; ++i) {
        GateId v = maps_[t - 1].b[i];
        news[i] = v == kNoGate ? zero_ : v;
        map_[olds[i]] = news[i];
      }
      b_.add_step(t, news);
    }
    for (GateId g = 0; g < c_.num_gates(); ++g)
      if (need_[g] && map_[g] == kNoGate) {
        if (state_step_[g] != 0) continue;  // a state the reduction tree does not produce
        map_[g] = copy(g);
      }
  }

  const Circuit& c_;
  const LiftScanParams& p_;
  LiftScanStats& st_;
  circuits::Rebuild r_;
  Builder& b_;
  BigVector<GateId>& map_;
  std::vector<const StepRecord*> by_step_;
  std::uint32_t T_ = 0;
  std::size_t d_ = 0;
  Mode mode_ = Mode::Dense;
  std::vector<std::uint32_t> state_step_, visit_;
  std::uint32_t epoch_ = 0;
  std::vector<std::uint8_t> need_, memoryless_;
  std::size_t need_count_ = 0;  // gates the outputs still read (copied after the scan, at most)
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  std::vector<std::uint32_t> var_of_, form_slot_;  // per gate of the step window, from base_
  GateId base_ = 0;
  std::vector<Form> forms_;                         // reused across steps (term capacity kept)
  std::vector<GateId> cone_, stack_;
  std::uint32_t step_ = 0;  // the step whose forms are being built
  std::vector<Map> maps_;
  GateId zero_ = kNoGate, one_ = kNoGate;
};

}  // namespace

std::optional<Circuit> try_lift_scan(const Circuit& c, const LiftScanParams& params, LiftScanStats* stats) {
  LiftScanStats local;
  LiftScanStats& st = stats ? *stats : local;
  st = LiftScanStats{};
  LiftScanParams p = params;
  if (!p.matrix_shape && c.state_shape().size() == 2) p.matrix_shape = {{c.state_shape()[0], c.state_shape()[1]}};
  try {
    std::optional<Circuit> out(LiftScan(c, p, st).run());
    st.lifted = true;
    return out;
  } catch (const Refused& r) {
    if (r.gate == kNoGate) {  // not about one gate (finite values required)
      st = LiftScanStats{};
      st.refusal = r.why;
      return std::nullopt;
    }
    const Origin& o = c.origin(r.gate);
    st = LiftScanStats{};
    st.refusal_gate = r.gate;
    st.refusal_step = r.step;
    st.refusal = fmt::format("{} on the state path at step {}{} (gate {})", r.why, r.step,
                             o.construct.empty() ? "" : ", from " + o.construct, gate_label(c, r.gate));
    return std::nullopt;
  }
}

Circuit lift_scan(const Circuit& c, const LiftScanParams& params, LiftScanStats* stats) {
  std::optional<Circuit> out = try_lift_scan(c, params, stats);
  if (out) return std::move(*out);
  return c;
}

}  // namespace rnncc::compiler::passes

// ---- the pass (compiler/pipeline.hpp) ----
namespace rnncc::compiler::passes {
namespace {

class LiftScanPass final : public Pass {
 public:
  std::string_view name() const override { return "lift-scan"; }
  std::string_view help() const override {
    return "rebuild a linear recurrence (step metadata) as a parallel-prefix network over affine maps";
  }
  std::vector<ParamSpec> params() const override {
    ParamSpec net{.name = "network", .short_flag = 'n', .type = ParamSpec::Type::Choice, .choices = {},
                  .default_value = "brent-kung", .help = "the prefix network combining the step maps", .shown = true};
    for (PrefixNetwork n : kPrefixNetworks) net.choices.emplace_back(network_name(n));
    ParamSpec finite{.name = "finite", .short_flag = 0, .type = ParamSpec::Type::Choice,
                     .choices = {"auto", "require", "off"}, .default_value = "auto",
                     .help = "record finite-value hints for lower-bool when every step map is a partial signed "
                             "permutation (auto: when provable; require: refuse otherwise)"};
    return {net, finite};
  }
  PassResult run(const Circuit& c, const PassArgs& args) const override {
    LiftScanParams p;
    p.network = *parse_network(args.text("network"));
    const std::string& finite = args.text("finite");
    p.finite = finite == "off" ? FiniteValues::Off : finite == "require" ? FiniteValues::Require : FiniteValues::Auto;
    LiftScanStats st;
    std::optional<Circuit> out = try_lift_scan(c, p, &st);
    if (!out) return PassResult::refused(st.refusal, {{"refusal_step", std::int64_t{st.refusal_step}}});
    PassResult r;
    r.circuit = std::move(out);
    const bool log_depth = p.network != PrefixNetwork::Serial || st.reduction_tree;
    r.counters = {{"network", std::string(network_name(p.network))},
                  {"combine", st.combine},
                  {"reduction_tree", st.reduction_tree},
                  {"steps", static_cast<std::int64_t>(st.steps)},
                  {"combines", static_cast<std::int64_t>(st.combines)},
                  {"network_depth", static_cast<std::int64_t>(st.network_depth)},
                  {"log_depth", log_depth},
                  {"finite", st.finite}};
    if (st.finite)
      r.notes.push_back(fmt::format("finite values: every combine entry of A in [{}, {}], of b in [{}, {}], at most "
                                    "one nonzero term a sum (value hints for lower-bool)",
                                    st.a_lo, st.a_hi, st.b_lo, st.b_hi));
    else if (p.finite != FiniteValues::Off)
      r.notes.push_back("no finite values: " + st.finite_why);
    if (st.reduction_tree)
      r.notes.push_back("only the final state is read: a balanced tree of T - 1 combines replaces the network");
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_lift_scan_pass() { return std::make_unique<LiftScanPass>(); }

}  // namespace rnncc::compiler::passes
