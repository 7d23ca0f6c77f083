// The rows of `rnncc claims` and the checks behind them (docs/claims.md). Every check builds
// what it tests in this invocation and compares it with an oracle that does not share the code
// under test: the sequential recurrence (the reference interpreter, or plain matrix arithmetic
// written here), the automaton run directly, exact rational arithmetic. Seeds are fixed and no
// timing is printed, so the output is the same on every run.
#include "proofs/claims.hpp"

#include <fmt/format.h>
#include <gmpxx.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "check/verify.hpp"
#include "circuits/analysis.hpp"
#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "compiler/interface.hpp"
#include "compiler/interpret.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/spec_toml.hpp"
#include "compiler/sweep.hpp"
#include "compiler/unroll.hpp"
#include "proofs/automaton.hpp"
#include "proofs/claims_nonlinear.hpp"
#include "proofs/claims_support.hpp"
#include "proofs/deltanet.hpp"
#include "proofs/dwfa.hpp"
#include "proofs/router.hpp"
#include "proofs/rwkv7.hpp"
#include "proofs/spec_run.hpp"

namespace rnncc::proofs {
namespace {

using claims_fmt::ceil_log2;
using claims_fmt::join;
using claims_fmt::num;
using compiler::InputSequence;
using compiler::Spec;
using Q = mpq_class;
using Vec = std::vector<Q>;
using Mat = std::vector<Vec>;

// ---- small exact linear algebra (the oracles' arithmetic, independent of rnncc's models) ----

Mat identity(std::size_t d) {
  Mat m(d, Vec(d, Q(0)));
  for (std::size_t i = 0; i < d; ++i) m[i][i] = 1;
  return m;
}

Mat mat_mul(const Mat& a, const Mat& b) {
  const std::size_t n = a.size(), k = b.size(), m = b.empty() ? 0 : b[0].size();
  Mat c(n, Vec(m, Q(0)));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j)
      if (a[i][j] != 0)
        for (std::size_t l = 0; l < m; ++l) c[i][l] += a[i][j] * b[j][l];
  return c;
}

Vec mat_vec(const Mat& a, const Vec& x) {
  Vec y(a.size(), Q(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) y[i] += a[i][j] * x[j];
  return y;
}

Vec plus(Vec a, const Vec& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

// p/q with p in [−3, 3], q in [1, 4] (zero included).
Q small_rational(compiler::SplitMix64& rng) {
  Q v(static_cast<long>(rng.below(7)) - 3, static_cast<unsigned long>(rng.below(4) + 1));
  v.canonicalize();
  return v;
}

// ---- the example specs ----

struct Example {
  std::string name;  // file stem
  Spec spec;
  std::vector<std::uint64_t> Ts = {};  // the lengths a sweep uses (empty: the row's own)
};

std::vector<Example> example_specs(const ClaimContext& ctx) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(ctx.examples_dir, ec))
    if (entry.path().extension() == ".toml") paths.push_back(entry.path().string());
  if (ec || paths.empty())
    throw Error("claims: no example specs (*.toml) in '" + ctx.examples_dir + "' (--examples DIR)");
  std::sort(paths.begin(), paths.end());
  std::vector<Example> out;
  for (const std::string& p : paths) out.push_back({fs::path(p).stem().string(), compiler::load_spec(p)});
  return out;
}

std::vector<Example> linear_examples(const ClaimContext& ctx) {
  std::vector<Example> out;
  for (Example& e : example_specs(ctx))
    if (compiler::is_linear(e.spec.kind)) out.push_back(std::move(e));
  return out;
}

std::vector<std::string> names_of(const std::vector<Example>& xs) {
  std::vector<std::string> out;
  for (const Example& e : xs) out.push_back(e.name);
  return out;
}

// The fault of the circuit-building rows: the spec with the first entry of its first
// non-structural parameter (P is structural) increased by 1, so the circuit computes another
// function than the spec.
Spec perturbed(Spec s) {
  for (const compiler::ParamInfo& info : compiler::parameter_table(s)) {
    if (info.permutation) continue;
    auto it = s.params.find(info.key);
    if (it == s.params.end() || it->second.values.empty()) continue;
    it->second.values[0] += 1;
    return s;
  }
  throw Error("claims: spec '" + s.name + "' has no parameter to perturb");
}

std::int64_t counter_int(const compiler::PassRecord& r, std::string_view name) {
  const compiler::CounterValue* v = r.counter(name);
  if (!v || !std::holds_alternative<std::int64_t>(*v))
    throw Error(fmt::format("claims: pass {} has no integer counter '{}'", r.invocation, name));
  return std::get<std::int64_t>(*v);
}

std::string counter_string(const compiler::PassRecord& r, std::string_view name) {
  const compiler::CounterValue* v = r.counter(name);
  return v ? compiler::counter_text(*v) : "";
}

// ---- claim 1: affine compose is associative ----

// An affine step h ↦ A h + b (the column convention of rnncc's vector kinds).
struct Affine {
  Mat A;
  Vec b;
};

// (earlier, later) ↦ later ∘ earlier = (A_l A_e, A_l b_e + b_l). Broken: A_e A_l.
Affine compose(const Affine& e, const Affine& l, bool broken) {
  return {broken ? mat_mul(e.A, l.A) : mat_mul(l.A, e.A), plus(mat_vec(l.A, e.b), l.b)};
}

Check check_associativity(const ClaimContext& ctx) {
  Check out;
  bool ok = true;
  std::vector<std::string> problems;
  // (a) Random parenthesizations of random rational affine steps against the recurrence.
  const std::size_t kTrials = 24, kT = 12;
  compiler::SplitMix64 rng(1);
  std::size_t agree = 0;
  ctx.say("random parenthesizations");
  for (std::size_t trial = 0; trial < kTrials; ++trial) {
    const std::size_t d = 1 + trial % 4;
    std::vector<Affine> steps(kT);
    for (Affine& s : steps) {
      s.A.assign(d, Vec(d));
      for (Vec& row : s.A)
        for (Q& v : row) v = small_rational(rng);
      s.b.resize(d);
      for (Q& v : s.b) v = small_rational(rng);
    }
    Vec h0(d);
    for (Q& v : h0) v = small_rational(rng);
    Vec h = h0;
    for (const Affine& s : steps) h = plus(mat_vec(s.A, h), s.b);
    // A random parenthesization: combine a random adjacent pair until one map is left.
    std::vector<Affine> list = steps;
    while (list.size() > 1) {
      const std::size_t i = rng.below(list.size() - 1);
      list[i] = compose(list[i], list[i + 1], ctx.broken);
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
    if (plus(mat_vec(list[0].A, h0), list[0].b) == h) ++agree;
  }
  if (agree != kTrials) {
    ok = false;
    problems.push_back(fmt::format("random parenthesizations: {} of {} disagree", kTrials - agree, kTrials));
  }
  // (b) lift-scan's scanned circuits on every linear example, every log-depth network, exact
  // and mod p, against the naive circuit and the interpreter (verify's stage check).
  const std::vector<std::string> nets = {"sklansky", "kogge-stone", "brent-kung", "ladner-fischer", "han-carlson"};
  const std::vector<std::uint64_t> Ts = {5, 16, 33};
  const std::vector<Example> examples = linear_examples(ctx);
  std::size_t checks = 0, failed = 0;
  for (const Example& ex : examples) {
    Spec s = ex.spec;
    // Only the final state read: lift-scan would use its reduction tree, whatever the network.
    // Reading every y_t makes each network's prefix schedule run.
    if (s.outputs == compiler::OutputMode::Final && !s.accept) s.outputs = compiler::OutputMode::All;
    std::vector<circuits::DomainKind> domains = {circuits::DomainKind::Exact};
    if (!s.accept) domains.push_back(circuits::DomainKind::Modp);  // step has no meaning mod p
    for (std::uint64_t T : Ts) {
      ctx.say(fmt::format("{} T = {}", ex.name, T));
      std::optional<circuits::Circuit> bad;
      if (ctx.broken) bad = compiler::unroll(perturbed(s), T);
      for (circuits::DomainKind dom : domains)
        for (const std::string& net : nets) {
          check::VerifyOptions o;
          o.T = T;
          o.trials = 3;
          o.seed = 1;
          o.domain = dom;
          o.threads = 1;
          if (bad) o.circuit = &*bad;
          const check::VerifyResult r = check::verify_script(s, compiler::parse_script("lift-scan -n " + net), o);
          ++checks;
          if (!r.ok()) {
            ++failed;
            if (problems.size() < 3) {
              std::string why;
              for (const check::StageCheck& st : r.stages)
                if (!st.ok()) {
                  why = st.refusal.empty() ? st.stage + ": " + st.first_mismatch : st.stage + " refused: " + st.refusal;
                  break;
                }
              problems.push_back(fmt::format("{} T = {} {} {}: {}", ex.name, T, circuits::domain_name(dom), net, why));
            }
          }
        }
    }
  }
  if (failed) ok = false;
  out.ran = fmt::format(
      "{} random parenthesizations of {} random rational affine steps (d = 1..4) against the recurrence; "
      "lift-scan -n {{{}}} on the {} linear examples ({}), T ∈ {{5, 16, 33}}, exact and mod p (exact only with "
      "accept), 3 random sequences each, against the naive circuit and the interpreter",
      kTrials, kT, join(nets, ", "), examples.size(), join(names_of(examples)));
  out.measured = ok ? fmt::format("{} of {} parenthesizations and {} of {} scanned circuits agree exactly", agree,
                                  kTrials, checks, checks)
                    : fmt::format("{} of {} scanned circuits disagree; {}", failed, checks, join(problems, "; "));
  out.ok = ok;
  return out;
}

// ---- claim 2: log depth after lift-scan ----

// The derived per-combine depth (not in the paper): a d×d product with fan-in 2 has depth
// 1 + ⌈log2 d⌉, and bC + d one more. d is the size of the matrices the combine multiplies: the
// state size (dense, diagonal), or d_k for matrix states whose rows share A_t (row).
std::size_t combine_bound(const Spec& s, const std::string& combine) {
  const std::size_t d = combine == "row" ? s.d_k : s.state_size();
  return 2 + ceil_log2(d);
}

Check check_log_depth(const ClaimContext& ctx) {
  Check out;
  const std::vector<std::uint64_t> Ts = {8, 16, 32, 64, 128, 256, 512, 1024};
  // The fault: a network that does not rebalance (serial), as if it were a log-depth one.
  const std::vector<std::string> nets =
      ctx.broken ? std::vector<std::string>{"serial", "brent-kung"} : std::vector<std::string>{"sklansky", "brent-kung"};
  std::vector<Example> examples = linear_examples(ctx);
  const std::size_t num_examples = examples.size();
  // The constructions too (docs/constructions.md), over shorter lengths: their states are
  // larger (the IMM layer's 18 × 18 combine).
  {
    const QMatrix a = {{1, -1, 0}, {0, 1, 1}, {1, 0, -1}}, b = {{0, 1, 0}, {-1, 0, 1}, {1, 1, 0}};
    const QMatrix p = {{1, 2}, {-1, 0}};
    examples.push_back({"dwfa(random 6-state automaton)", dwfa_spec(random_automaton(6, 2, 7)), {8, 16, 32, 64, 128, 256}});
    examples.push_back({"rwkv7-imm", rwkv_imm_spec(rwkv_imm_construction({a, b})), {8, 16, 32, 64}});
    examples.push_back({"deltanet-matrix(n = 2)", deltanet_spec(deltanet_construction({p})), {8, 16, 32, 64, 128, 256}});
  }
  bool ok = true;
  std::map<std::string, std::vector<std::string>> per_net;  // "dense 10 ≤ 10"
  std::vector<std::string> problems, naive_fits;
  double worst_size_exponent = 0;
  for (const Example& ex : examples) {
    const std::vector<std::uint64_t>& ts = ex.Ts.empty() ? Ts : ex.Ts;
    std::vector<double> logT;
    for (std::uint64_t T : ts) logT.push_back(std::log2(static_cast<double>(T)));
    std::vector<std::size_t> naive_depth;
    std::map<std::string, std::vector<std::size_t>> depth, net_depth, size;
    std::map<std::string, std::string> combine;
    for (std::uint64_t T : ts) {
      ctx.say(fmt::format("{} T = {}", ex.name, T));
      const circuits::Circuit naive = compiler::unroll(ex.spec, T);
      naive_depth.push_back(circuits::measure(naive).depth);
      for (const std::string& net : nets) {
        const compiler::PipelineResult r = compiler::run_script(naive, compiler::parse_script("lift-scan -n " + net));
        const compiler::PassRecord& rec = r.records.at(0);
        if (rec.refused()) throw Error(ex.name + ": lift-scan refused: " + rec.refusal);
        depth[net].push_back(rec.depth_after);
        size[net].push_back(rec.size_after);
        net_depth[net].push_back(static_cast<std::size_t>(counter_int(rec, "network_depth")));
        combine[net] = counter_string(rec, "combine");
      }
    }
    // Naive unrolling: depth linear in T (each doubling doubles the increment).
    std::vector<double> Td(ts.begin(), ts.end()), nd(naive_depth.begin(), naive_depth.end());
    const compiler::Fit lin = compiler::fit_line(Td, nd);
    naive_fits.push_back(fmt::format("{} {}·T{:+}", ex.name, num(lin.a), std::lround(lin.b)));
    if (compiler::classify_growth(naive_depth) != "linear") {
      ok = false;
      problems.push_back(ex.name + " naive depth not linear in T");
    }
    for (const std::string& net : nets) {
      const auto& dep = depth[net];
      const auto& nd_net = net_depth[net];
      std::vector<double> dd(dep.begin(), dep.end()), nn(nd_net.begin(), nd_net.end());
      const compiler::Fit fit = compiler::fit_line(logT, dd);       // depth = a·log2 T + b
      const compiler::Fit levels = compiler::fit_line(logT, nn);    // network levels per doubling
      const std::size_t c_d = combine_bound(ex.spec, combine[net]);
      const double bound = static_cast<double>(c_d) * levels.a;
      // depth − c_d·depth_net(T) must not grow: the O(1) of "≤ c_d·depth_net(T) + O(1)".
      bool offset_bounded = true;
      for (std::size_t i = 1; i < dep.size(); ++i)
        if (static_cast<long long>(dep[i]) - static_cast<long long>(c_d * nd_net[i]) >
            static_cast<long long>(dep[i - 1]) - static_cast<long long>(c_d * nd_net[i - 1]))
          offset_bounded = false;
      const std::string growth = compiler::classify_growth(dep);
      const bool good = growth == "log" && fit.a <= bound + 1e-9 && offset_bounded;
      const double size_exp = std::log2(static_cast<double>(size[net].back()) /
                                        static_cast<double>(size[net][size[net].size() - 2]));
      worst_size_exponent = std::max(worst_size_exponent, size_exp);
      if (size_exp > 2) {
        ok = false;
        problems.push_back(fmt::format("{} {}: size grows like T^{}", ex.name, net, num(size_exp)));
      }
      per_net[net].push_back(fmt::format("{} {}{}{} (c_d {} × {})", ex.name, num(fit.a), good ? " ≤ " : " vs ",
                                         num(bound), c_d, num(levels.a)));
      if (!good) {
        ok = false;
        problems.push_back(fmt::format("{} {}: depth growth {}, slope {} against c_d·L = {}{}", ex.name, net, growth,
                                       num(fit.a), num(bound), offset_bounded ? "" : ", depth − c_d·depth_net grows"));
      }
    }
  }
  const std::vector<std::string> names = names_of(examples);
  out.ran = fmt::format(
      "the {} linear examples ({}) unrolled at T = 8, 16, …, 1024 and the constructions ({}) at T = 8 … 64 or 256, "
      "lift-scan -n {}; depth fitted to a·log2 T + b "
      "and compared with c_d·L, c_d = 2 + ⌈log2 d⌉ (d: the combine's matrix size, d_k for row), L the network's "
      "levels per doubling (its recorded network_depth, fitted); also depth − c_d·depth_net(T) non-increasing",
      num_examples, join(std::vector<std::string>(names.begin(), names.begin() + num_examples)),
      join(std::vector<std::string>(names.begin() + num_examples, names.end())), join(nets, " and "));
  std::string m;
  for (const std::string& net : nets) m += fmt::format("{}: slope a vs c_d·L: {}; ", net, join(per_net[net]));
  m += fmt::format("naive: linear, depth = {}; size exponent per doubling ≤ {}", join(naive_fits), num(worst_size_exponent));
  if (!ok) m = "FAILED: " + join(problems, "; ") + ". " + m;
  out.measured = m;
  out.ok = ok;
  return out;
}

// ---- claim 12: nonlinear kinds do not rebalance ----

Check check_nonlinear(const ClaimContext& ctx) {
  Check out;
  std::vector<Example> subjects;
  for (Example& e : example_specs(ctx))
    if (!compiler::is_linear(e.spec.kind)) subjects.push_back(std::move(e));
  // The fault: a linear spec passed off as nonlinear; lift-scan lifts it and the check must say so.
  if (ctx.broken) subjects = {linear_examples(ctx).at(0)};
  const std::vector<std::uint64_t> Ts = {8, 16, 32, 64, 128, 256, 512};
  bool ok = !subjects.empty();
  std::vector<std::string> rows, problems;
  for (const Example& ex : subjects) {
    std::vector<std::size_t> naive_depth;
    std::string refusal;
    bool always_refused = true;
    for (std::uint64_t T : Ts) {
      ctx.say(fmt::format("{} T = {}", ex.name, T));
      const compiler::PipelineResult r =
          compiler::run_script(compiler::unroll(ex.spec, T), compiler::parse_script("lift-scan -n brent-kung"));
      const compiler::PassRecord& rec = r.records.at(0);
      naive_depth.push_back(rec.depth_before);
      if (!rec.refused()) always_refused = false;
      else if (refusal.empty()) refusal = rec.refusal.substr(0, rec.refusal.find(" on the state path"));
    }
    std::vector<double> Td(Ts.begin(), Ts.end()), nd(naive_depth.begin(), naive_depth.end());
    const compiler::Fit lin = compiler::fit_line(Td, nd);
    const std::string growth = compiler::classify_growth(naive_depth);
    rows.push_back(fmt::format("{}: refused ({}), naive {}·T{:+}", ex.name, always_refused ? refusal : "LIFTED",
                               num(lin.a), std::lround(lin.b)));
    if (!always_refused) {
      ok = false;
      problems.push_back(ex.name + ": lift-scan lifted it");
    }
    if (growth != "linear") {
      ok = false;
      problems.push_back(ex.name + ": naive depth growth " + growth);
    }
  }
  out.ran = fmt::format("the {} nonlinear examples ({}) unrolled at T = 8, 16, …, 512, then lift-scan -n brent-kung",
                        subjects.size(), join(names_of(subjects)));
  out.measured = (ok ? "" : "FAILED: " + join(problems, "; ") + ". ") + join(rows, "; ") +
                 "; depth increments double with T on every one";
  out.ok = ok;
  return out;
}

// ---- claim 3: Q → Z lowering (Prop 4) ----

Check check_lower_int(const ClaimContext& ctx) {
  Check out;
  const std::uint64_t T = 3;
  const std::vector<Example> examples = linear_examples(ctx);
  bool ok = true;
  std::vector<std::string> rows, problems;
  std::size_t worst_gates = 0;
  double worst_depth_ratio = 0, worst_size_ratio = 0;
  for (const Example& ex : examples) {
    ctx.say(ex.name);
    const compiler::Script script = compiler::parse_script("lower-int -f pair");
    const compiler::PipelineResult r = compiler::run_script(compiler::unroll(ex.spec, T), script);
    const compiler::PassRecord& rec = r.records.at(0);
    if (rec.refused()) throw Error(ex.name + ": lower-int refused: " + rec.refusal);
    const auto gates = static_cast<std::size_t>(counter_int(rec, "max_gates_per_gate"));
    const double depth_ratio = static_cast<double>(rec.depth_after) / static_cast<double>(rec.depth_before);
    const double size_ratio = static_cast<double>(rec.size_after) / static_cast<double>(rec.size_before);
    worst_gates = std::max(worst_gates, gates);
    worst_depth_ratio = std::max(worst_depth_ratio, depth_ratio);
    worst_size_ratio = std::max(worst_size_ratio, size_ratio);
    if (gates > 4 || rec.depth_after > 2 * rec.depth_before || rec.size_after > 4 * rec.size_before) {
      ok = false;
      problems.push_back(fmt::format("{}: {} gates per gate, depth {} → {}, size {} → {}", ex.name, gates,
                                     rec.depth_before, rec.depth_after, rec.size_before, rec.size_after));
    }
    // The integer circuit computes the spec: verify's stages against the interpreter.
    check::VerifyOptions o;
    o.T = T;
    o.trials = 2;
    o.seed = 1;
    o.domain = circuits::DomainKind::Exact;
    o.threads = 1;
    std::optional<circuits::Circuit> bad;
    if (ctx.broken) {
      bad = compiler::unroll(perturbed(ex.spec), T);
      o.circuit = &*bad;
    }
    const check::VerifyResult v = check::verify_script(ex.spec, script, o);
    if (!v.ok()) {
      ok = false;
      std::string why;
      for (const check::StageCheck& st : v.stages)
        if (!st.ok()) {
          why = st.stage + ": " + (st.refusal.empty() ? st.first_mismatch : "refused: " + st.refusal);
          break;
        }
      problems.push_back(ex.name + " disagrees with the interpreter (" + why + ")");
    }
    rows.push_back(fmt::format("{} {} → {} gates, depth {} → {}", ex.name, rec.size_before, rec.size_after,
                               rec.depth_before, rec.depth_after));
  }
  out.ran = fmt::format(
      "lower-int -f pair on the {} linear examples ({}) at T = {}; its counter max_gates_per_gate, sizes and "
      "depths; the integer circuit against the interpreter (verify, exact, 2 random sequences)",
      examples.size(), join(names_of(examples)), T);
  out.measured = (ok ? "" : "FAILED: " + join(problems, "; ") + ". ") +
                 fmt::format("at most {} Z gates per Q gate, size ×{} and depth ×{} at most; ", worst_gates,
                             num(worst_size_ratio), num(worst_depth_ratio)) +
                 join(rows, "; ") + (ok ? "; every integer circuit agrees with the interpreter" : "");
  out.ok = ok;
  return out;
}

// ---- E1: Prop 4's denominator ----

Check check_prop4_denominator(const ClaimContext& ctx) {
  Check out;
  compiler::SplitMix64 rng(4);
  const std::size_t kTrials = 200;
  std::size_t printed_wrong = 0, corrected_right = 0;
  std::string example;
  for (std::size_t i = 0; i < kTrials; ++i) {
    const mpz_class a = static_cast<long>(rng.below(11)) - 5, c = static_cast<long>(rng.below(11)) - 5;
    const mpz_class b = static_cast<long>(rng.below(5)) + 1, d = static_cast<long>(rng.below(5)) + 1;
    Q x(a, b), y(c, d);
    x.canonicalize();
    y.canonicalize();
    const Q truth = x + y;  // GMP's own canonical sum
    const mpz_class numerator = a * d + b * c, bc = b * c, bd = b * d;
    const bool printed_defined = bc != 0;
    Q printed(numerator, printed_defined ? bc : mpz_class(1));
    printed.canonicalize();
    // The correction; the fault takes the printed denominator for it.
    const mpz_class den = ctx.broken ? bc : bd;
    bool right = false;
    if (den != 0) {
      Q corrected(numerator, den);
      corrected.canonicalize();
      right = corrected == truth;
    }
    if (right) ++corrected_right;
    if (!printed_defined || printed != truth) {
      ++printed_wrong;
      if (example.empty() && printed_defined)
        example = fmt::format("{}/{} + {}/{} = {}, printed (ad + bc)/(bc) = {}", a.get_str(), b.get_str(), c.get_str(),
                              d.get_str(), truth.get_str(), printed.get_str());
    }
  }
  out.ran = fmt::format("{} random pairs a/b, c/d (a, c in [−5, 5], b, d in [1, 5]) in exact rationals (GMP)", kTrials);
  out.measured = fmt::format(
      "printed (ad + bc)/(bc) wrong on {} of {} (e.g. {}); corrected (ad + bc)/(bd) right on {} of {}", printed_wrong,
      kTrials, example, corrected_right, kTrials);
  out.ok = printed_wrong > 0 && corrected_right == kTrials;
  return out;
}

// ---- claim 5: the closed form of pd products ----

std::string toml_row(const std::vector<std::string>& items) { return "[" + join(items) + "]"; }

// A one-layer pd spec with maps, no bias, h_0 = h0, the identity readout, outputs "final".
std::string pd_spec_text(const std::vector<std::vector<std::size_t>>& maps, const Mat& delta, const Vec& h0) {
  const std::size_t m = maps.size(), d = h0.size();
  auto q = [](const Q& v) { return "\"" + v.get_str() + "\""; };
  std::vector<std::string> alphabet, P, D, W_b, W_y, init;
  for (std::size_t s = 0; s < m; ++s) {
    alphabet.push_back("\"s" + std::to_string(s) + "\"");
    std::vector<std::string> p, dl;
    for (std::size_t j = 0; j < d; ++j) {
      p.push_back(std::to_string(maps[s][j]));
      dl.push_back(q(delta[s][j]));
    }
    P.push_back(toml_row(p));
    D.push_back(toml_row(dl));
  }
  for (std::size_t i = 0; i < d; ++i) {
    W_b.push_back(toml_row(std::vector<std::string>(m, "0")));
    std::vector<std::string> row(d, "0");
    row[i] = "1";
    W_y.push_back(toml_row(row));
    init.push_back(q(h0[i]));
  }
  return fmt::format(
      "kind = \"pd\"\nmaps = true\nbias = false\ndomain = \"exact\"\noutputs = \"final\"\nd = {}\nalphabet = {}\n"
      "initial_state = {}\n[parameters]\nP = {}\ndelta = {}\nW_b = {}\nW_y = {}\n",
      d, toml_row(alphabet), toml_row(init), toml_row(P), toml_row(D), toml_row(W_b), toml_row(W_y));
}

Check check_pd_closed_form(const ClaimContext& ctx) {
  Check out;
  compiler::SplitMix64 rng(5);
  const std::size_t kTrials = 40;
  std::size_t agree_product = 0, agree_interp = 0, agree_circuit = 0, non_bijective = 0;
  std::string first_problem;
  for (std::size_t trial = 0; trial < kTrials; ++trial) {
    ctx.say(fmt::format("product {}", trial + 1));
    const std::size_t d = 1 + rng.below(6), m = 1 + rng.below(3), T = 1 + rng.below(12);
    std::vector<std::vector<std::size_t>> maps(m, std::vector<std::size_t>(d));
    Mat delta(m, Vec(d));
    bool bijective = true;
    for (std::size_t s = 0; s < m; ++s) {
      for (std::size_t j = 0; j < d; ++j) {
        maps[s][j] = rng.below(d);
        delta[s][j] = small_rational(rng);
      }
      bijective = bijective && std::set<std::size_t>(maps[s].begin(), maps[s].end()).size() == d;
    }
    if (!bijective) ++non_bijective;
    Vec h0(d);
    for (Q& v : h0) v = small_rational(rng);
    std::vector<std::size_t> word(T);
    for (std::size_t& s : word) s = rng.below(m);
    // The explicit product A_T ⋯ A_1, A_t = P_t D_t, P_t's column j with its 1 in row f_t(j).
    Mat prod = identity(d);
    for (std::size_t s : word) {
      Mat A(d, Vec(d, Q(0)));
      for (std::size_t j = 0; j < d; ++j) A[maps[s][j]][j] = delta[s][j];
      prod = mat_mul(A, prod);
    }
    // The closed form P̃ D̃: lane k follows the maps, D̃[k] = Π_j D_j[(f_{j−1} ∘ ⋯ ∘ f_1)(k)], and
    // column k of P̃ has its 1 in row F(k). The fault reads D_j after f_j instead of before.
    Mat closed(d, Vec(d, Q(0)));
    for (std::size_t k = 0; k < d; ++k) {
      std::size_t lane = k;
      Q weight = 1;
      for (std::size_t s : word) {
        if (!ctx.broken) weight *= delta[s][lane];
        lane = maps[s][lane];
        if (ctx.broken) weight *= delta[s][lane];
      }
      closed[lane][k] = weight;
    }
    const Vec want = mat_vec(closed, h0);
    if (prod == closed) ++agree_product;
    else if (first_problem.empty()) first_problem = fmt::format("product {}: the closed form differs from A_T⋯A_1", trial + 1);
    // rnncc's pd kind with maps: the interpreter and lift-scan's circuit, h_T = A_T ⋯ A_1 h_0.
    const Spec spec = compiler::parse_spec(pd_spec_text(maps, delta, h0), "closed-form.toml");
    circuits::ExactDomain dom;
    const auto ys = compiler::interpret_values(spec, dom, one_hot_inputs(m, word));
    if (ys.back() == want) ++agree_interp;
    else if (first_problem.empty()) first_problem = fmt::format("product {}: the interpreter differs from the closed form", trial + 1);
    const compiler::PipelineResult r =
        compiler::run_script(compiler::unroll(spec, T), compiler::parse_script("lift-scan -n sklansky"));
    const compiler::CircuitInputs inputs(spec, r.circuit);
    if (circuits::evaluate(r.circuit, dom, inputs.values(one_hot_inputs(m, word))) == want) ++agree_circuit;
    else if (first_problem.empty()) first_problem = fmt::format("product {}: the scanned circuit differs from the closed form", trial + 1);
  }
  out.ran = fmt::format(
      "{} random products (d = 1..6, 1..3 symbols, T = 1..12; entries p/q, |p| ≤ 3, q ≤ 4; {} with a map that is "
      "not a permutation): the closed form against A_T⋯A_1 in exact rationals, and against a pd spec with "
      "maps = true (interpreter, and lift-scan -n sklansky's circuit)",
      kTrials, non_bijective);
  out.ok = agree_product == kTrials && agree_interp == kTrials && agree_circuit == kTrials && non_bijective > 0;
  out.measured = fmt::format("closed form = explicit product on {} of {}; = interpreter on {}; = scanned circuit on {}{}",
                             agree_product, kTrials, agree_interp, agree_circuit,
                             first_problem.empty() ? "" : "; first: " + first_problem);
  return out;
}

// ---- claim 6: a DWFA is a one-layer pd RNN ----

Check check_dwfa(const ClaimContext& ctx) {
  Check out;
  const std::size_t kAutomata = 8;
  std::size_t words = 0, wrong = 0, max_states = 0;
  std::string first_problem;
  for (std::size_t i = 0; i < kAutomata; ++i) {
    const std::size_t states = 1 + (i * 5 + 2) % 6, symbols = 2 + i % 2;
    max_states = std::max(max_states, states);
    const Automaton a = random_automaton(states, symbols, 100 + i, /*permutations=*/i == 7);
    // The fault: the construction writes ρ + 1 as its readout.
    Automaton compiled = a;
    if (ctx.broken)
      for (Q& r : compiled.final) r += 1;
    const std::size_t max_len = symbols == 2 ? 8 : 6;
    for (std::size_t T = 1; T <= max_len; ++T) {
      ctx.say(fmt::format("automaton {} T = {}", i + 1, T));
      const Spec spec = dwfa_spec(compiled);
      const circuits::Circuit naive = compiler::unroll(spec, T);
      const compiler::PipelineResult scanned = compiler::run_script(naive, compiler::parse_script("lift-scan -n sklansky"));
      const compiler::CircuitInputs in_naive(spec, naive), in_scanned(spec, scanned.circuit);
      circuits::ExactDomain dom;
      for (const auto& w : words_of_length(symbols, T)) {
        ++words;
        const Q want = run_automaton(a, w);
        const InputSequence xs = one_hot_inputs(symbols, w);
        const Q interp = compiler::interpret_values(spec, dom, xs).back().at(0);
        const Q n = circuits::evaluate(naive, dom, in_naive.values(xs)).at(0);
        const Q sc = circuits::evaluate(scanned.circuit, dom, in_scanned.values(xs)).at(0);
        if (interp != want || n != want || sc != want) {
          ++wrong;
          if (first_problem.empty())
            first_problem = fmt::format("automaton {}, a word of length {}: f_A = {}, interpreter {}, naive {}, scanned {}",
                                        i + 1, T, want.get_str(), interp.get_str(), n.get_str(), sc.get_str());
        }
      }
    }
  }
  // The 120-state S5 automaton (f_A = 1 iff the word multiplies to the identity), at small T:
  // lift-scan's dense combine on 120 × 120 step matrices.
  const Automaton s5 = s5_automaton();
  Automaton s5_compiled = s5;
  if (ctx.broken) s5_compiled.final[0] += 1;
  const std::size_t kS5Len = 5;
  std::size_t s5_words = 0, s5_identity = 0;
  for (std::size_t T = 1; T <= kS5Len; ++T) {
    ctx.say(fmt::format("S5 automaton T = {}", T));
    const Spec spec = dwfa_spec(s5_compiled);
    const circuits::Circuit naive = compiler::unroll(spec, T);
    const compiler::PipelineResult scanned = compiler::run_script(naive, compiler::parse_script("lift-scan -n sklansky"));
    const compiler::CircuitInputs in_naive(spec, naive), in_scanned(spec, scanned.circuit);
    circuits::ExactDomain dom;
    for (const auto& w : words_of_length(2, T)) {
      ++words;
      ++s5_words;
      const Q want = run_automaton(s5, w);
      if (want == 1) ++s5_identity;
      const InputSequence xs = one_hot_inputs(2, w);
      const Q interp = compiler::interpret_values(spec, dom, xs).back().at(0);
      const Q n = circuits::evaluate(naive, dom, in_naive.values(xs)).at(0);
      const Q sc = circuits::evaluate(scanned.circuit, dom, in_scanned.values(xs)).at(0);
      if (interp != want || n != want || sc != want) {
        ++wrong;
        if (first_problem.empty())
          first_problem = fmt::format("S5, a word of length {}: f_A = {}, interpreter {}, naive {}, scanned {}", T,
                                      want.get_str(), interp.get_str(), n.get_str(), sc.get_str());
      }
    }
  }
  out.ran = fmt::format(
      "{} random automata (1..{} states, 2 or 3 symbols, maps; one permutation automaton) and the 120-state S5 "
      "automaton (every word of length 1..{}, {} of them; {} multiply to the identity): proofs::dwfa's pd spec "
      "(interpreter, naive circuit, lift-scan -n sklansky) against the automaton run directly on every word of length "
      "1..8 (2 symbols) or 1..6 (3 symbols)",
      kAutomata, max_states, kS5Len, s5_words, s5_identity);
  out.ok = wrong == 0;
  out.measured = fmt::format("{} of {} words agree (f_A = interpreter = naive = scanned){}", words - wrong, words,
                             first_problem.empty() ? "" : "; first disagreement: " + first_problem);
  return out;
}

// ---- E9: the two readout conventions ----

Check check_readout_convention(const ClaimContext& ctx) {
  Check out;
  std::vector<Example> subjects;
  for (Example& e : linear_examples(ctx))
    if (compiler::has_matrix_state(e.spec.kind)) subjects.push_back(std::move(e));
  const std::size_t T = 6;
  bool follows_app_c = !subjects.empty(), conventions_differ = false;
  std::vector<std::string> rows;
  compiler::SplitMix64 rng(9);
  for (const Example& ex : subjects) {
    ctx.say(ex.name);
    const Spec& s = ex.spec;
    std::vector<std::size_t> word(T);
    for (std::size_t& sym : word) sym = rng.below(s.m());
    const compiler::RunResult run = compiler::interpret(s, one_hot_inputs(s.m(), word), circuits::DomainKind::Exact, 0);
    const compiler::Tensor& W_q = s.param("W_q");  // d_k × m
    std::size_t app_c = 0, sec_2_4 = 0;
    for (std::size_t t = 1; t <= T; ++t) {
      // q_t = W_q x_t (x_t one-hot); App. C: y_t = S_t q_t; §2.4: y_t = q_tᵀ S_{t−1} (as S_{t−1} q_t
      // in rnncc's d_v × d_k orientation).
      auto readout = [&](const std::vector<std::string>& S) {
        Vec y(s.d_v, Q(0));
        for (std::size_t r = 0; r < s.d_v; ++r)
          for (std::size_t c = 0; c < s.d_k; ++c) y[r] += Q(S.at(r * s.d_k + c)) * W_q.at(c, word[t - 1]);
        return y;
      };
      Vec got(s.d_v);
      for (std::size_t r = 0; r < s.d_v; ++r) got[r] = Q(run.outputs.at(t - 1).at(r));
      // The fault: take §2.4's convention for rnncc's.
      const Vec current = readout(run.states.at(t)), previous = readout(run.states.at(t - 1));
      if (got == (ctx.broken ? previous : current)) ++app_c;
      if (current != previous) ++sec_2_4;
    }
    if (app_c != T) follows_app_c = false;
    if (sec_2_4 > 0) conventions_differ = true;
    rows.push_back(fmt::format("{}: y_t = {} on {} of {} steps; S_t q_t ≠ S_{{t−1}} q_t on {} of {}", ex.name,
                               ctx.broken ? "S_{t−1} q_t" : "S_t q_t", app_c, T, sec_2_4, T));
  }
  out.ran = fmt::format(
      "the matrix-state examples ({}) run by the interpreter in exact arithmetic on a random word of length {}; "
      "y_t against S_t q_t (App. C) and S_{{t−1}} q_t (§2.4) computed here from the states and W_q",
      join(names_of(subjects)), T);
  out.measured = join(rows, "; ") + (follows_app_c && conventions_differ
                                         ? "; the conventions differ and rnncc reads S_t (App. C)"
                                         : "; rnncc does not follow App. C as documented");
  out.ok = follows_app_c && conventions_differ;
  return out;
}

// ---- claims 7, 8, 9 and errata E4, E5: the RWKV-7, DeltaNet and router constructions ----

std::string joined(const std::vector<std::size_t>& v, const char* sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + std::to_string(v[i]);
  return s;
}
std::string orders_text(const std::set<std::size_t>& orders) {
  std::string s = "{";
  bool first = true;
  for (std::size_t o : orders) {
    if (o == 0) continue;
    s += (first ? "" : ", ") + std::to_string(o);
    first = false;
  }
  return s + (orders.count(0) ? (first ? "∞}" : ", ∞}") : "}");
}

Check check_rwkv7(const ClaimContext& ctx) {
  ctx.say("U(dst; c) from rwkv7's transition");
  const OverwriteCheck u = check_rwkv_overwrite(6, 1, ctx.broken);
  ctx.say("Lemma 6");
  const Lemma6Check l6 = check_rwkv_lemma6(6, 1, ctx.broken);
  ctx.say("Thm 10's IMM layer");
  const RwkvImmCheck imm = check_rwkv_imm(6, 2, 1, "sklansky", 2, ctx.broken);
  Check out;
  out.ran = "U(dst; c) read off rnncc's rwkv7 transition (d = 1..6, " + std::to_string(u.cases) +
            " cases); Lemma 6 for n = 1..6 (exact product and the interpreter); Thm 10's layer on " +
            std::to_string(imm.sequences) + " random IMM sequences of N = 1..6 matrices in {−1, 0, 1}^{3×3} (router outputs "
            "computed by the generator; interpreter, naive and lift-scan -n sklansky circuits for N ≤ 2), against exact 3×3 products";
  out.measured = "A(w=1, a=e_dst, κ=e_dst−c, λ=1) = U(dst; c) in " + std::to_string(u.cases - u.failures) + " of " +
                 std::to_string(u.cases) + " cases; Lemma 6: " + joined(l6.overwrites) + " overwrites for n = 1..6, " +
                 (l6.ok ? "[x|s] → [xP|xP] on every n" : "wrong maps") + "; IMM: " + std::to_string(imm.blocks) + " blocks, " +
                 (imm.ok ? "every block's outputs = vec(P_{ℓ−1})" : "outputs differ from the product");
  out.ok = u.ok && l6.ok && imm.ok;
  return out;
}

Check check_deltanet(const ClaimContext& ctx) {
  ctx.say("transvection");
  const TransvectionCheck tv = check_transvection(6, ctx.broken ? mpq_class(1, 7) : mpq_class(0));
  ctx.say("Lemma 12 programs, n = 1..9");
  ProgramBreak brk;
  if (ctx.broken) {
    brk.step = 5;
    brk.drop = true;
  }
  const DeltaNetProgramCheck prog = check_deltanet_program(9, 1, 1, "sklansky", 2, brk);
  Check out;
  out.ran = "H(2, e_s+e_d)·H(1/2, e_s)·H(1/3, e_s+2e_d) on " + std::to_string(tv.pairs) +
            " coordinate pairs (d = 2..6), exact; the Lemma 12 program of a random integer n×n matrix for n = 1..9: exact "
            "product of its H matrices, rnncc's deltanet interpreter on the construction's spec, naive and lift-scan -n "
            "sklansky circuits for n ≤ 2";
  std::vector<std::size_t> formula;
  for (std::size_t n = 1; n <= prog.step_counts.size(); ++n) formula.push_back(program_steps_formula(n));
  out.measured = "transvection identity on " + std::to_string(tv.pairs - tv.failures) + " of " + std::to_string(tv.pairs) +
                 " pairs; steps for n = 1..9: " + joined(prog.step_counts) +
                 (prog.counts_ok ? " = 8n² + 5n + 1" : " ≠ 8n² + 5n + 1 (" + joined(formula) + ")") + "; " +
                 (prog.products_ok ? "every program maps [x|s|t] to [xP|xP|0]" : "a program's product is wrong") + "; " +
                 (prog.interpreter_ok && prog.circuits_ok ? "the interpreter and circuits read P" : "the spec's run differs");
  out.ok = tv.ok && prog.ok;
  return out;
}

// The router computation is shared by rows 9, E4 and E5: run once per fault setting.
const RouterOrdersCheck& router(const ClaimContext& ctx) {
  static std::map<bool, RouterOrdersCheck> done;
  auto it = done.find(ctx.broken);
  if (it == done.end()) {
    ctx.say("orders of rational 2×2 matrices");
    it = done.emplace(ctx.broken, router_orders(3, 2000, ctx.broken)).first;
  }
  return it->second;
}
std::string router_ran(const RouterOrdersCheck& r) {
  return std::to_string(r.reflection_pairs) + " pairs of rational reflections (integer k, entries in [−3, 3]) and their "
         "characteristic polynomials; every 2×2 integer matrix with entries in [−2, 2] (" + std::to_string(r.integer_matrices) +
         "); φ(m) for m ≤ 2000; exact powers" + (r.floating ? "; plus the printed rotation by 2π/m in double precision" : "");
}

Check check_router(const ClaimContext& ctx) {
  const RouterOrdersCheck& r = router(ctx);
  Check out;
  out.ran = router_ran(r);
  out.measured = "two-reflection products have orders " + orders_text(r.reflection_orders) + ", integer matrices " +
                 orders_text(r.matrix_orders) + "; φ(m) ≤ 2 exactly for m ∈ {" + joined(r.phi_at_most_2) +
                 "}; char. poly x² − τx + 1 on " + std::to_string(r.charpoly_checked) + " of " +
                 std::to_string(r.reflection_pairs) + " pairs; a rational counter of period 1404 does not exist";
  out.ok = r.ok;
  return out;
}

Check check_router_1404(const ClaimContext& ctx) {
  const RouterOrdersCheck& r = router(ctx);
  Check out;
  out.ran = router_ran(r);
  out.ok = r.ok;
  for (const RouterModulus& m : r.moduli)
    if (m.two_m == 1404) {
      out.measured = "2m = 1404: the rotation needs order m = " + std::to_string(m.m) + ", φ(" + std::to_string(m.m) +
                     ") = " + std::to_string(m.phi_m) + " > 2, and no searched rational pair has it" +
                     (m.rational_counter ? " (but one was found)" : "");
      out.ok = out.ok && !m.rational_counter;
    }
  if (out.measured.empty()) {
    out.measured = "modulus 1404 not examined";
    out.ok = false;
  }
  return out;
}

Check check_router_thm11(const ClaimContext& ctx) {
  const RouterOrdersCheck& r = router(ctx);
  Check out;
  out.ran = router_ran(r);
  out.ok = r.ok;
  std::vector<std::size_t> two_m, phis;
  for (const RouterModulus& m : r.moduli)
    if (m.two_m != 1404) {
      two_m.push_back(m.two_m);
      phis.push_back(m.phi_m);
      out.ok = out.ok && !m.rational_counter && m.phi_m > 2;
    }
  out.measured = "finite orders of rational 2×2 matrices found: " + orders_text(r.matrix_orders) +
                 "; Thm 11's 2m = 2(8n² + 5n + 1) for n = 1..9: " + joined(two_m) + ", φ(m) = " + joined(phis) +
                 ", all > 2: no two-reflection counter";
  if (two_m.empty()) out.ok = false;
  return out;
}

// ---- the registry ----

std::vector<ClaimRow> make_rows() {
  using E = Expect;
  std::vector<ClaimRow> rows = {
      {"1", "Affine compose (A,b)∘(C,d) is associative: every parenthesization gives the sequential recurrence's state, exactly over Q and Z",
       "Thm 3 proof, convolutional form (App. B)", E::Holds, check_associativity, ""},
      {"2", "A rebalanced LRNN has arithmetic depth ≤ c_d·(prefix network levels) + O(1), c_d = 2 + ⌈log2 d⌉, and poly size; naive unrolling has depth Θ(T)",
       "Thm 3; Cor 5 (the constants are derived, not in the paper)", E::Holds, check_log_depth, ""},
      {"3", "Q → Z lowering to integer pairs uses at most 4 Z gates per Q gate and at most doubles the depth",
       "App. F, Prop 4", E::Holds, check_lower_int, ""},
      {"4", "Lowering the Z circuit to boolean bounded fan-in gives depth growing like log n · log* n (Jung): a super-constant overhead over O(log n)",
       "§2.5 footnote 4; Cor 5; Prop 4", E::Holds, nullptr,
       "needs a CRT/carry-save lowering with a log* analysis (lower-bool's words widen with T, so its overhead is not Jung's)"},
      {"5", "PD closed form: Π P_i D_i = (Π P_i)·(Π_j π̃_j(D_j)), exactly (maps included)",
       "Thm 7 (App. D); Thm 8; Cor 7", E::Holds, check_pd_closed_form, ""},
      {"6", "A DWFA compiled to a one-layer PD LRNN (P_σ[q, δ(q,σ)] = 1, D_σ[q] = weight) computes f_A(w) on every string",
       "Thm 8 (App. E.2)", E::Holds, check_dwfa, ""},
      {"7", "RWKV-7: A(w=1, a=e_dst, κ=e_dst−c, λ=1) = U(dst; c); 2n overwrites map [x|s] to [xP|xP]; the 18-dim ping-pong layer gives vec(P_N)",
       "Lemmas 4–6; Thm 10 (App. C.2–C.3)", E::Holds, check_rwkv7, ""},
      {"8", "DeltaNet: H(2,e_s+e_d)·H(1/2,e_s)·H(1/3,e_s+2e_d) = I + e_s e_dᵀ; Lemma 12 programs have 8n² + 5n + 1 steps (694 at n = 9) and map [x|s|t] to [xP|xP|0]",
       "Lemmas 9–12 (App. C.4–C.5)", E::Holds, check_deltanet, ""},
      {"9", "DeltaNet router caveat: the printed router (a 2-dim rational rotation of period 1404) cannot be exact over Q",
       "Thm 12 / Lemma 7 (audit)", E::Correction, check_router, ""},
      {"10", "The 3-counter machine of Lemma 2 with the exact zero test ReLU(1 − ReLU(z) − ReLU(−z)) decides unary SDGC (sink targets) in one pass",
       "Prop 2; Lemmas 2–3; Thm 2 (App. A.2)", E::Holds, check_sdgc_counter, ""},
      {"11", "The L-completeness RNN has constant hidden size and O(log n) precision",
       "Lemma 3", E::Holds, check_sdgc_size, ""},
      {"12", "Nonlinear RNNs do not rebalance: associativity-based rebalancing does not apply and the unrolled depth stays Θ(T)",
       "Cor 1; Cor 3; Cor 4", E::Holds, check_nonlinear, ""},
      {"13", "The base-2 stack encoding's margin shrinks like 2^−depth; the base-4 encoding keeps a gap ≥ 1/4 with O(T) bits",
       "Thm 1 (App. A.1)", E::Holds, check_stack_margin, ""},
      {"14", "The App. H cost-register RNN equals the automaton step by step, with max(a, b) = b + ReLU(a − b)",
       "Thm 14 (App. H)", E::Holds, check_cost_register, ""},
      {"15", "When a log-precision LRNN's output takes poly(n) values, an OR of equality tests replaces the positivity test with the same output",
       "Thm 4", E::Holds, check_equality_readout, ""},
      {"16", "Experiments: on SDGC only the nonlinear RNN generalizes to lengths 101–300; on IMM over Z, RWKV-7, DeltaNet and the RNN stay near 100%",
       "§6, Fig. 2", E::Holds, nullptr, "needs training"},
      {"E1", "Prop 4's sum is a/b + c/d = (ad + bc)/(bd); the printed denominator bc is wrong",
       "App. F, Prop 4", E::Correction, check_prop4_denominator, ""},
      {"E2", "Lemma 2's machine keeps the path's last node, so it is correct only when the target is a sink (as after Prop 2's layering)",
       "Lemma 2; Prop 2 (App. A.2)", E::Correction, check_sink_target, ""},
      {"E3", "Lemma 3's ×0 counter update is not a fixed-weight ReLU map (Lipschitz); reset by draining (decrement while non-zero)",
       "Lemma 3 (App. A.2)", E::Correction, check_drain, ""},
      {"E4", "Thm 12's router counts mod 1404 with a 2-dim rational rotation, which does not exist (φ(1404) = 432 > 2)",
       "Thm 12 (App. C.5)", E::Correction, check_router_1404, ""},
      {"E5", "A rational 2×2 matrix of finite order has order 1, 2, 3, 4 or 6: Lemma 7's two-reflection counter fails for Thm 11's 2m = 2(8n² + 5n + 1) ≥ 28, every n",
       "Thm 11; Lemma 7", E::Correction, check_router_thm11, ""},
      {"E6", "Thm 12's router lookup keyed on the last 1404 tokens has 3^1404 keys: an existence argument, not a circuit to compile",
       "Thm 12 (App. C.5)", E::Correction, nullptr, "an existence argument: nothing to build or run"},
      {"E7", "App. H's max gadget ReLU(x_s − x_t) is not max; max(a, b) = b + ReLU(a − b)",
       "Thm 14 (App. H)", E::Correction, check_max_gadget, ""},
      {"E8", "Thm 1's base-2 stack encoding has no fixed margin (ε = 1/3 fails as depth grows); the gapped base-4 encoding fixes it",
       "Thm 1 (App. A.1)", E::Correction, check_base2_margin, ""},
      {"E9", "Two readout conventions: §2.4 reads an LRNN head as q_tᵀ S_{t−1}, App. C as S_t q_t; rnncc follows App. C",
       "§2.4 (head outputs); App. C", E::Correction, check_readout_convention, ""},
  };
  return rows;
}

std::string cell(const std::string& s) {  // a markdown table cell
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::NotCheckable: return "not-checkable";
    case Verdict::Confirmed: return "confirmed";
  }
  return "?";
}

const std::vector<ClaimRow>& claim_rows() {
  static const std::vector<ClaimRow> rows = make_rows();
  return rows;
}

ClaimOutcome run_claim(const ClaimRow& row, const ClaimContext& context) {
  ClaimOutcome o{row.id, row.claim, row.source, "", "", Verdict::NotCheckable};
  if (!row.check) {
    o.ran = "nothing ran";
    o.measured = row.not_checkable;
    return o;
  }
  try {
    Check c = row.check(context);
    o.ran = std::move(c.ran);
    o.measured = std::move(c.measured);
    o.verdict = !c.ok ? Verdict::Fail : row.expect == Expect::Holds ? Verdict::Pass : Verdict::Confirmed;
  } catch (const std::exception& e) {
    if (o.ran.empty()) o.ran = "the check stopped";
    o.measured = std::string("error: ") + e.what();
    o.verdict = Verdict::Fail;
  }
  return o;
}

std::vector<const ClaimRow*> select_rows(const std::string& only) {
  const std::vector<ClaimRow>& rows = claim_rows();
  std::vector<const ClaimRow*> out;
  if (only.empty()) {
    for (const ClaimRow& r : rows) out.push_back(&r);
    return out;
  }
  std::set<std::string> wanted;
  std::stringstream ss(only);
  std::string id;
  while (std::getline(ss, id, ',')) {
    const auto b = id.find_first_not_of(" \t"), e = id.find_last_not_of(" \t");
    id = b == std::string::npos ? "" : id.substr(b, e - b + 1);
    if (id.empty()) continue;
    std::string known;
    bool found = false;
    for (const ClaimRow& r : rows) {
      found = found || r.id == id;
      known += (known.empty() ? "" : ", ") + r.id;
    }
    if (!found) throw Error("--only: unknown claim id '" + id + "': expected one of " + known);
    wanted.insert(id);
  }
  if (wanted.empty()) throw Error("--only: expected claim ids such as 1,5,E1, got '" + only + "'");
  for (const ClaimRow& r : rows)
    if (wanted.count(r.id)) out.push_back(&r);
  return out;
}

int claims_exit_code(const std::vector<ClaimOutcome>& outcomes) {
  for (const ClaimOutcome& o : outcomes)
    if (o.verdict == Verdict::Fail) return 1;
  return 0;
}

std::string claims_text(const std::vector<ClaimOutcome>& outcomes) {
  std::string out;
  std::map<Verdict, std::size_t> counts;
  for (const ClaimOutcome& o : outcomes) {
    ++counts[o.verdict];
    out += fmt::format("[{}] {}: {}\n  paper:    {}\n  ran:      {}\n  measured: {}\n\n", o.id, verdict_name(o.verdict),
                       o.claim, o.source, o.ran, o.measured);
  }
  out += fmt::format("{} rows: {} pass, {} confirmed, {} fail, {} not-checkable\n", outcomes.size(),
                     counts[Verdict::Pass], counts[Verdict::Confirmed], counts[Verdict::Fail],
                     counts[Verdict::NotCheckable]);
  return out;
}

std::string claims_json(const std::vector<ClaimOutcome>& outcomes) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const ClaimOutcome& o : outcomes)
    rows.push_back({{"id", o.id},
                    {"claim", o.claim},
                    {"source", o.source},
                    {"ran", o.ran},
                    {"measured", o.measured},
                    {"verdict", std::string(verdict_name(o.verdict))}});
  nlohmann::ordered_json doc = {{"claims", rows}};
  return doc.dump(2) + "\n";
}

std::string claims_markdown(const std::vector<ClaimOutcome>& outcomes) {
  std::map<Verdict, std::size_t> counts;
  for (const ClaimOutcome& o : outcomes) ++counts[o.verdict];
  std::string out =
      "# Claims of the paper, checked\n\n"
      "<!-- Generated by `rnncc claims --markdown > docs/claims.md` (run from the repository root); do not edit:\n"
      "     the ctest test `claims.doc_is_current` fails when this file differs from the command's output. -->\n\n"
      "`rnncc claims` runs one row per checkable claim of *Why Are Linear RNNs More Parallelizable?* (the\n"
      "claims 1–16) and one per erratum or caveat found in it (E1 …), and gives each a verdict from what ran\n"
      "in that invocation: `pass` (the claim held on everything that ran), `fail`, `confirmed` (an erratum:\n"
      "the printed statement is shown wrong and the correction holds) or `not-checkable` (nothing ran; the\n"
      "reason is in the *measured* column). A row whose construction is not built is `not-checkable`, never\n"
      "`fail`; the command exits 1 when a row fails. The\n"
      "constructions and oracles are in `proofs/` (docs/constructions.md); what each row runs is in its\n"
      "*ran* column. Seeds are fixed, so the table is the same on every run. rnncc reads an LRNN head as\n"
      "S_t q_t (App. C), not q_tᵀ S_{t−1} (§2.4): row E9.\n\n"
      "```sh\n"
      "rnncc claims                 # the table as text; exit 1 when a row fails\n"
      "rnncc claims --only 2,E1     # some rows\n"
      "rnncc claims --json          # {\"claims\": [{\"id\", \"claim\", \"source\", \"ran\", \"measured\", \"verdict\"}, ...]}\n"
      "rnncc claims --markdown > docs/claims.md\n"
      "```\n\n";
  out += fmt::format("{} rows: {} pass, {} confirmed, {} fail, {} not-checkable.\n\n", outcomes.size(),
                     counts[Verdict::Pass], counts[Verdict::Confirmed], counts[Verdict::Fail],
                     counts[Verdict::NotCheckable]);
  out += "| id | claim | paper | ran | measured | verdict |\n|---|---|---|---|---|---|\n";
  for (const ClaimOutcome& o : outcomes)
    out += fmt::format("| {} | {} | {} | {} | {} | **{}** |\n", o.id, cell(o.claim), cell(o.source), cell(o.ran),
                       cell(o.measured), verdict_name(o.verdict));
  out +=
      "\n## Notes\n\n"
      "- Row 2 checks the derived bound on what it measures: over T = 8 … 1024 the depth after lift-scan must grow by\n"
      "  a constant per doubling of T (log growth), its fitted slope must be at most c_d·L (c_d = 2 + ⌈log2 d⌉ the\n"
      "  paper-style per-combine depth, L the network's levels per doubling: 1 for Sklansky and the reduction tree,\n"
      "  2 for Brent-Kung), and depth − c_d·depth_net(T) must not grow (the O(1)). rnncc's own combines are at most\n"
      "  c_d deep (diagonal 2, dense and row 1 + ⌈log2 (d + 1)⌉), so measured slopes can be below the bound.\n"      "  \"Poly size\" is read as: the scanned size grows at most like T² over the last doubling.\n"
      "- E9 is not a wrong formula but two conventions that give different outputs (shown on both matrix-state\n"
      "  examples); rnncc documents and follows App. C's (docs/models.md), so claims that depend on it use S_t q_t.\n"
      "- Rows that sweep the example specs take every `examples/specs/*.toml` of a linear kind (row 12: of a\n"
      "  nonlinear kind), so a new example is checked without a change here.\n"
      "- Rows 10, 11, E2 and E3 use Lemma 2's machine with the paper's corrections: sink targets (Prop 2's\n"
      "  layering, with v_F = (m + 1)·n + 1 and a sink edge from every layer, or generators that produce them) and\n"
      "  I reset by draining; row 14 uses max(a, b) = ReLU(a − b) + ReLU(b). Each correction is its erratum row\n"
      "  (E2, E3, E7), `confirmed` when the printed version is shown wrong and the corrected one right.\n"
      "  docs/constructions.md describes these constructions.\n"
      "- `rnncc claims --inject-fault ID,…` breaks those rows' constructions on purpose (a perturbed spec, a\n"
      "  combine in the wrong order, a serial network, the printed formula taken as the correction, …); each must\n"
      "  then fail, which the tests check for every row that runs.\n";
  return out;
}

}  // namespace rnncc::proofs
