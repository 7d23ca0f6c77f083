// RWKV-7 overwrites (Lemmas 4–6) and the IMM layer of Thm 10; the checks.
#include "proofs/rwkv7.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "circuits/error.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/spec_run.hpp"

namespace rnncc::proofs {

QMatrix overwrite_matrix(const Overwrite& o) {
  const std::size_t n = o.c.size();
  if (o.dst >= n) throw Error(fmt::format("overwrite: dst {} in dimension {}", o.dst, n));
  if (o.c[o.dst] != 0) throw Error(fmt::format("overwrite: c[dst] must be 0, got {}", o.c[o.dst].get_str()));
  QMatrix u = identity_matrix(n);
  u[o.dst][o.dst] = 0;
  for (std::size_t i = 0; i < n; ++i) u[i][o.dst] += o.c[i];
  return u;
}

std::string overwrite_spec_text(const std::vector<Overwrite>& symbols, const QMatrix& initial, const std::string& name,
                                bool broken) {
  if (symbols.empty() || initial.empty()) throw Error("overwrite spec: no symbols or no state rows");
  const std::size_t dk = symbols[0].c.size(), dv = initial.size(), m = symbols.size();
  QMatrix Ww = zero_matrix(dk, m), Wkappa = zero_matrix(dk, m), Wa = zero_matrix(dk, m), Wv = zero_matrix(dv, m),
          Wkt = zero_matrix(dk, m), Wq = zero_matrix(dk, m);
  QVector Wlambda(m, mpq_class(1));
  for (std::size_t s = 0; s < m; ++s) {
    const Overwrite& o = symbols[s];
    if (o.c.size() != dk) throw Error("overwrite spec: overwrites of different dimensions");
    overwrite_matrix(o);  // c[dst] = 0
    for (std::size_t i = 0; i < dk; ++i) {
      Ww[i][s] = 1;
      Wkappa[i][s] = broken ? o.c[i] : -o.c[i];
    }
    Wa[o.dst][s] = 1;
    Wkappa[o.dst][s] += 1;
    Wq[o.dst][s] = 1;
  }
  std::string out = fmt::format(
      "# RWKV-7 overwrites U(dst; c) = I - e_dst e_dst^T + c e_dst^T (Lemma 5: w = 1, a = e_dst,\n"
      "# kappa = e_dst - c, lambda = 1); one symbol per overwrite; y_t = S_t e_dst.\n"
      "name = \"{}\"\nkind = \"rwkv7\"\nd_k = {}\nd_v = {}\nalphabet = [",
      name, dk, dv);
  for (std::size_t s = 0; s < m; ++s) out += fmt::format("{}\"u{}\"", s ? ", " : "", s);
  out += "]\nbias = false\noutputs = \"all\"\ndomain = \"exact\"\n";
  out += "initial_state = " + toml_matrix(initial) + "\n\n[parameters]\n";
  out += "W_w = " + toml_matrix(Ww) + "\nW_kappa = " + toml_matrix(Wkappa) + "\nW_a = " + toml_matrix(Wa) +
         "\nW_lambda = " + toml_vector(Wlambda) + "\nW_v = " + toml_matrix(Wv) + "\nW_kt = " + toml_matrix(Wkt) +
         "\nW_q = " + toml_matrix(Wq) + "\n";
  return out;
}

std::vector<Overwrite> lemma6_program(const QMatrix& P, bool broken) {
  const std::size_t n = P.size();
  std::vector<Overwrite> compute, copy;
  for (std::size_t j = 0; j < n; ++j) {
    Overwrite o{n + j, QVector(2 * n, mpq_class(0))};
    for (std::size_t i = 0; i < n; ++i) o.c[i] = P.at(i).at(j);
    compute.push_back(std::move(o));
    copy.push_back({j, unit_vector(2 * n, n + j)});
  }
  std::vector<Overwrite> out = broken ? copy : compute;
  for (Overwrite& o : broken ? compute : copy) out.push_back(std::move(o));
  return out;
}

// ---- IMM ----

namespace {
constexpr std::size_t kHalf = 9, kDim = 18;
std::size_t pi(std::size_t i, std::size_t j) { return 3 * i + j; }
}  // namespace

std::vector<QVector> imm_prefix_products(const std::vector<QMatrix>& matrices) {
  std::vector<QVector> out;
  QMatrix p = identity_matrix(3);
  auto vec = [](const QMatrix& m) {
    QVector v;
    for (const QVector& row : m) v.insert(v.end(), row.begin(), row.end());
    return v;
  };
  out.push_back(vec(p));
  for (const QMatrix& a : matrices) {
    p = multiply(p, a);
    out.push_back(vec(p));
  }
  return out;
}

RwkvImmConstruction rwkv_imm_construction(const std::vector<QMatrix>& matrices, const RwkvImmOptions& options) {
  if (matrices.empty()) throw Error("rwkv7-imm: no matrix given");
  RwkvImmConstruction c;
  c.matrices = matrices;
  for (const QMatrix& a : matrices)
    if (a.size() != 3 || a[0].size() != 3 || a[1].size() != 3 || a[2].size() != 3)
      throw Error("rwkv7-imm: every matrix is 3x3");
  // Block l = 1 .. N+1 applies A_{l-1} (A_0 = I) from half b = (l-1) mod 2.
  for (std::size_t l = 1; l <= matrices.size() + 1; ++l) {
    const QMatrix a = l == 1 ? identity_matrix(3) : matrices[l - 2];
    const std::size_t b = (l - 1) % 2;
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) {
        Overwrite o{kHalf * (1 - b) + pi(i, j), QVector(kDim, mpq_class(0))};
        for (std::size_t k = 0; k < 3; ++k) o.c[kHalf * b + pi(i, k)] = options.broken ? a[j][k] : a[k][j];
        c.steps.push_back(std::move(o));
      }
  }
  mpq_class lo = 0, hi = 1;
  for (const QMatrix& a : matrices)
    for (const QVector& row : a)
      for (const mpq_class& v : row) lo = std::min(lo, v), hi = std::max(hi, v);
  // The router's output x_t = [e_dst | c]: a = [I | 0] x, kappa = [I | -I] x, q = [I | 0] x.
  QMatrix Wa = zero_matrix(kDim, 2 * kDim), Wkappa = zero_matrix(kDim, 2 * kDim), Wq = zero_matrix(kDim, 2 * kDim);
  for (std::size_t i = 0; i < kDim; ++i) {
    Wa[i][i] = Wq[i][i] = Wkappa[i][i] = 1;
    Wkappa[i][kDim + i] = -1;
  }
  QMatrix s0 = zero_matrix(1, kDim);
  for (std::size_t i = 0; i < 3; ++i) s0[0][pi(i, i)] = 1;  // [vec(I) | 0]
  std::string out = fmt::format(
      "# Thm 10's multiplicative layer (rnncc construct rwkv7-imm) for {} 3x3 matrices: the 18-dim\n"
      "# ping-pong state [x0 | x1] (d_v = 1), one RWKV-7 overwrite U(dst; c) per step with w = 1,\n"
      "# a = e_dst, kappa = e_dst - c, lambda = 1. The input x_t = [e_dst | c] is the router's output\n"
      "# (computed by the generator: rnncc has one layer). Block l applies A_(l-1) (A_0 = I), so\n"
      "# y_t = S_t[dst] is vec(P_(l-1)) over block l, and the last 9 outputs are vec(A_1 ... A_N).\n",
      matrices.size());
  out += fmt::format("name = \"{}\"\nkind = \"rwkv7\"\nd_k = {}\nd_v = 1\ninput_width = {}\n", options.name, kDim, 2 * kDim);
  out += fmt::format("input_range = [{}, {}]\noutputs = \"all\"\ndomain = \"exact\"\nT = {}\n", lo.get_str(), hi.get_str(),
                     c.steps.size());
  out += "initial_state = " + toml_matrix(s0) + "\n\n[parameters]\n";
  const QMatrix z = zero_matrix(kDim, 2 * kDim);
  out += "W_w = " + toml_matrix(z) + "\nc_w = " + toml_vector(QVector(kDim, mpq_class(1))) + "\n";
  out += "W_kappa = " + toml_matrix(Wkappa) + "\nc_kappa = " + toml_vector(QVector(kDim, mpq_class(0))) + "\n";
  out += "W_a = " + toml_matrix(Wa) + "\nc_a = " + toml_vector(QVector(kDim, mpq_class(0))) + "\n";
  out += "W_lambda = " + toml_vector(QVector(2 * kDim, mpq_class(0))) + "\nc_lambda = 1\n";
  out += "W_v = " + toml_matrix(zero_matrix(1, 2 * kDim)) + "\nc_v = [0]\n";
  out += "W_kt = " + toml_matrix(z) + "\nc_kt = " + toml_vector(QVector(kDim, mpq_class(0))) + "\n";
  out += "W_q = " + toml_matrix(Wq) + "\n";
  c.spec_text = std::move(out);
  return c;
}

compiler::Spec rwkv_imm_spec(const RwkvImmConstruction& c) { return compiler::parse_spec(c.spec_text, "rwkv7_imm.toml"); }

compiler::InputSequence rwkv_imm_inputs(const RwkvImmConstruction& c) {
  compiler::InputSequence xs;
  for (const Overwrite& o : c.steps) {
    std::vector<mpq_class> x(2 * kDim, mpq_class(0));
    x[o.dst] = 1;
    for (std::size_t i = 0; i < kDim; ++i) x[kDim + i] = o.c[i];
    xs.push_back(std::move(x));
  }
  return xs;
}

std::string rwkv_imm_inputs_text(const RwkvImmConstruction& c) {
  std::string line;
  for (const std::vector<mpq_class>& x : rwkv_imm_inputs(c))
    for (const mpq_class& v : x) line.append(line.empty() ? "" : " ").append(v.get_str());
  std::string out = fmt::format(
      "# the router's outputs x_t = [e_dst | c] for {} matrices, T = {}: the circuit inputs x[1][0..35], x[2][0..35], ...\n"
      "# in input order (rnncc sim --inputs); then the oracle: block l outputs vec(P_(l-1))\n",
      c.matrices.size(), c.steps.size());
  out += line + "\n";
  const std::vector<QVector> prefix = imm_prefix_products(c.matrices);
  for (std::size_t l = 1; l < prefix.size() + 1; ++l)
    out += fmt::format("# block {}: vec(P_{}) = {}\n", l, l - 1, vector_text(prefix[l - 1]));
  return out;
}

// ---- checks ----

OverwriteCheck check_rwkv_overwrite(std::size_t max_dim, std::uint64_t seed, bool broken) {
  OverwriteCheck out;
  compiler::SplitMix64 rng(seed);
  auto draw = [&] {
    mpq_class v(static_cast<long>(rng.below(7)) - 3, static_cast<unsigned long>(rng.below(3) + 1));
    v.canonicalize();
    return v;
  };
  std::string first;
  for (std::size_t dim = 2; dim <= max_dim; ++dim) {
    std::vector<Overwrite> symbols;
    for (std::size_t dst = 0; dst < dim; ++dst) {
      Overwrite o{dst, QVector(dim)};
      for (std::size_t i = 0; i < dim; ++i) o.c[i] = i == dst ? mpq_class(0) : draw();
      o.c[(dst + 1) % dim] = o.c[(dst + 1) % dim] == 0 ? mpq_class(1) : o.c[(dst + 1) % dim];  // c ≠ 0
      symbols.push_back(std::move(o));
    }
    const compiler::Spec spec = compiler::parse_spec(
        overwrite_spec_text(symbols, identity_matrix(dim), fmt::format("overwrite{}", dim), broken), "overwrite.toml");
    for (std::size_t dst = 0; dst < dim; ++dst) {
      ++out.cases;
      const QMatrix u = overwrite_matrix(symbols[dst]);
      // S_0 = I, so S_1 = A_1 (B = 0): the interpreter's state is rnncc's transition matrix.
      const ExactRun run = run_exact(spec, one_hot_inputs(dim, {dst}));
      QMatrix a = zero_matrix(dim, dim);
      for (std::size_t r = 0; r < dim; ++r)
        for (std::size_t col = 0; col < dim; ++col) a[r][col] = run.states.at(1).at(r * dim + col);
      // Lemma 4 on a random row, by the oracle's U.
      QVector r(dim);
      for (mpq_class& v : r) v = draw();
      const QVector ru = row_times(r, u);
      mpq_class dot = 0;
      for (std::size_t i = 0; i < dim; ++i) dot += r[i] * symbols[dst].c[i];
      bool lemma4 = ru[dst] == dot;
      for (std::size_t i = 0; i < dim; ++i) lemma4 = lemma4 && (i == dst || ru[i] == r[i]);
      if (a != u || !lemma4) {
        ++out.failures;
        if (first.empty())
          first = fmt::format("; first failure dim {}, dst {}, c = {}: rwkv7 A = {}, U = {}", dim, dst,
                              vector_text(symbols[dst].c), matrix_text(a), matrix_text(u));
      }
    }
  }
  out.ok = out.failures == 0 && out.cases > 0;
  out.ran = fmt::format("one rwkv7 step (w = 1, a = e_dst, kappa = e_dst {} c, lambda = 1) from S_0 = I in rnncc's interpreter, "
                        "every dst in dimensions 2..{}, random rational c (seed {}); row convention S_t = S_(t-1) A_t",
                        broken ? "+" : "-", max_dim, seed);
  out.measured = fmt::format("{} of {} transitions equal U(dst; c), with (rU)_dst = r.c{}", out.cases - out.failures, out.cases, first);
  return out;
}

Lemma6Check check_rwkv_lemma6(std::size_t max_n, std::uint64_t seed, bool broken) {
  Lemma6Check out;
  bool products = true, interpreter = true, counts = true;
  std::string first;
  for (std::size_t n = 1; n <= max_n; ++n) {
    const QMatrix P = random_integer_matrices(1, n, -2, 2, seed * 100 + n).at(0);
    const std::vector<Overwrite> prog = lemma6_program(P, broken);
    out.overwrites.push_back(prog.size());
    counts = counts && prog.size() == 2 * n;
    QMatrix m = identity_matrix(2 * n), want = zero_matrix(2 * n, 2 * n);
    for (const Overwrite& o : prog) m = multiply(m, overwrite_matrix(o));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) want[i][j] = want[i][n + j] = P[i][j];
    if (m != want) {
      products = false;
      if (first.empty()) first = fmt::format("; n = {}: the product of the overwrites is {}", n, matrix_text(m));
    }
    QMatrix s0 = zero_matrix(n, 2 * n);
    for (std::size_t r = 0; r < n; ++r) {
      s0[r][r] = 1;
      for (std::size_t j = n; j < 2 * n; ++j) s0[r][j] = 1;
    }
    const compiler::Spec spec = compiler::parse_spec(overwrite_spec_text(prog, s0, "lemma6"), "lemma6.toml");
    std::vector<std::size_t> word(prog.size());
    for (std::size_t i = 0; i < word.size(); ++i) word[i] = i;
    const ExactRun run = run_exact(spec, one_hot_inputs(prog.size(), word));
    QVector want_state;
    for (std::size_t r = 0; r < n; ++r) want_state.insert(want_state.end(), want[r].begin(), want[r].end());
    if (run.states.back() != want_state) {
      interpreter = false;
      if (first.empty()) first = fmt::format("; n = {}: the interpreter ends in {}", n, vector_text(run.states.back()));
    }
  }
  out.ok = products && interpreter && counts;
  out.ran = fmt::format("Lemma 6 programs for n = 1..{} (random integer P, seed {}{}): exact products of U(dst; c), and "
                        "rnncc's rwkv7 interpreter from S_0 rows [e_r | 1..1]",
                        max_n, seed, broken ? ", broken: copy-back first" : "");
  out.measured = fmt::format("2n overwrites: {}; [x|s] -> [xP|xP]: products {}, interpreter {}{}", counts ? "yes" : "NO",
                             products ? "exact" : "WRONG", interpreter ? "exact" : "WRONG", first);
  return out;
}

RwkvImmCheck check_rwkv_imm(std::size_t max_N, std::size_t trials, std::uint64_t seed, const std::string& scan,
                            std::size_t scan_max_N, bool broken) {
  RwkvImmCheck out;
  out.interpreter_ok = true;
  std::string first;
  for (std::size_t N = 1; N <= max_N; ++N)
    for (std::size_t trial = 0; trial < trials; ++trial) {
      const std::vector<QMatrix> as = random_integer_matrices(N, 3, -1, 1, seed * 10007 + N * 101 + trial);
      RwkvImmOptions options;
      options.broken = broken;
      const RwkvImmConstruction c = rwkv_imm_construction(as, options);
      const compiler::Spec spec = rwkv_imm_spec(c);
      const compiler::InputSequence xs = rwkv_imm_inputs(c);
      const std::vector<QVector> prefix = imm_prefix_products(as);
      QVector want;
      for (const QVector& p : prefix) want.insert(want.end(), p.begin(), p.end());
      ++out.sequences;
      out.blocks += N + 1;
      const ExactRun run = run_exact(spec, xs);
      QVector got;
      for (const QVector& y : run.outputs) got.insert(got.end(), y.begin(), y.end());
      if (got != want) {
        out.interpreter_ok = false;
        if (first.empty())
          first = fmt::format("; N = {}: interpreter's last block {}, vec(P_N) = {}", N,
                              vector_text(QVector(got.end() - 9, got.end())), vector_text(prefix.back()));
      }
      if (!scan.empty() && N <= scan_max_N && trial == 0)
        for (const std::string& net : {std::string(), scan})
          if (circuit_outputs(spec, xs, net) != want) {
            out.circuits_ok = false;
            if (first.empty()) first = fmt::format("; N = {}: the {} circuit disagrees", N, net.empty() ? "naive" : net);
          }
    }
  out.ok = out.interpreter_ok && out.circuits_ok;
  out.ran = fmt::format(
      "Thm 10 layer 4 (rwkv7, d_k = 18, router outputs as inputs) on {} random sequences of N = 1..{} 3x3 matrices over "
      "{{-1,0,1}} (seed {}){}{}",
      out.sequences, max_N, seed, scan.empty() ? "" : fmt::format("; naive and lift-scan -n {} circuits for N <= {}", scan, scan_max_N),
      broken ? "; broken: c transposed" : "");
  out.measured = fmt::format("{} blocks of 9 overwrites: outputs vec(P_(l-1)) {}{}{}", out.blocks,
                             out.interpreter_ok ? "exactly (interpreter)" : "WRONG (interpreter)",
                             scan.empty() ? "" : (out.circuits_ok ? ", circuits exact" : ", circuits WRONG"), first);
  return out;
}

}  // namespace rnncc::proofs
