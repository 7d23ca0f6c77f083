// DeltaNet primitives and the Lemma 12 program; the deltanet-matrix spec; the checks.
#include "proofs/deltanet.hpp"

#include <fmt/format.h>

#include <map>

#include "circuits/error.hpp"
#include "compiler/interpret.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/spec_run.hpp"

namespace rnncc::proofs {

QMatrix householder(const mpq_class& beta, const QVector& k) {
  QMatrix h = identity_matrix(k.size());
  for (std::size_t i = 0; i < k.size(); ++i)
    for (std::size_t j = 0; j < k.size(); ++j) h[i][j] -= beta * k[i] * k[j];
  return h;
}

QMatrix program_matrix(const std::vector<HStep>& steps, std::size_t dim) {
  QMatrix m = identity_matrix(dim);
  for (const HStep& s : steps) {
    if (s.k.size() != dim) throw Error(fmt::format("program_matrix: a key of {} entries in dimension {}", s.k.size(), dim));
    m = multiply(m, householder(s.beta, s.k));
  }
  return m;
}

HStep scaling(std::size_t dim, std::size_t j, const mpq_class& c) {
  return {1 - c, unit_vector(dim, j), fmt::format("r{} *= {}", j, c.get_str())};
}

std::vector<HStep> transvection(std::size_t dim, std::size_t s, std::size_t d) {
  if (s == d || s >= dim || d >= dim) throw Error(fmt::format("transvection: coordinates {} and {} in dimension {}", s, d, dim));
  QVector sd = unit_vector(dim, s), s2d = unit_vector(dim, s);
  sd[d] = 1;
  s2d[d] = 2;
  const std::string what = fmt::format("r{} += r{}", d, s);
  return {{2, sd, what + " (1/3)"}, {mpq_class(1, 2), unit_vector(dim, s), what + " (2/3)"},
          {mpq_class(1, 3), s2d, what + " (3/3)"}};
}

std::vector<HStep> scaled_add(std::size_t dim, std::size_t s, std::size_t d, std::size_t tau, const mpq_class& c) {
  std::vector<HStep> out = transvection(dim, s, tau);  // τ = r_s (τ was 0)
  out.push_back(scaling(dim, tau, c));                // τ = c r_s
  for (HStep& h : transvection(dim, tau, d)) out.push_back(std::move(h));  // r_d += c r_s
  out.push_back(scaling(dim, tau, 0));                // τ = 0 again
  return out;
}

DeltaNetProgram deltanet_program(const QMatrix& P) {
  const std::size_t n = P.size();
  if (n == 0) throw Error("deltanet_program: an empty matrix");
  for (const QVector& row : P)
    if (row.size() != n) throw Error(fmt::format("deltanet_program: expected a square matrix, got a row of {} in {} rows", row.size(), n));
  const std::size_t dim = 2 * n + 1, tau = 2 * n;
  DeltaNetProgram prog{n, P, {}};
  auto add = [&](HStep h) { prog.steps.push_back(std::move(h)); };
  add(scaling(dim, tau, 0));                                    // τ ← 0            1
  for (std::size_t j = 0; j < n; ++j) add(scaling(dim, n + j, 0));  // s ← 0       n
  for (std::size_t j = 0; j < n; ++j)                           // s_j += P_ij x_i   8n²
    for (std::size_t i = 0; i < n; ++i)
      for (HStep& h : scaled_add(dim, i, n + j, tau, P[i][j])) add(std::move(h));
  for (std::size_t j = 0; j < n; ++j) add(scaling(dim, j, 0));  // x ← 0            n
  for (std::size_t j = 0; j < n; ++j)                           // x_j += s_j        3n
    for (HStep& h : transvection(dim, n + j, j)) add(std::move(h));
  return prog;
}

DeltaNetProgram deltanet_program(std::size_t n, std::uint64_t seed) {
  return deltanet_program(random_integer_matrices(1, n, -2, 2, seed).at(0));
}

std::vector<HStep> broken_steps(const std::vector<HStep>& steps, const ProgramBreak& brk) {
  std::vector<HStep> out = steps;
  if (brk.step >= out.size()) return out;
  if (brk.drop)
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(brk.step));
  else
    out[brk.step].beta += brk.beta_delta;
  return out;
}

// ---- the spec ----

namespace {

std::string step_key(const HStep& h) { return h.beta.get_str() + "|" + vector_text(h.k); }

}  // namespace

std::vector<std::string> deltanet_symbol_names(const DeltaNetConstruction& c) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < c.symbols.size(); ++i) names.push_back(fmt::format("h{}", i));
  for (std::size_t j = 0; j < c.n; ++j) names.push_back(fmt::format("r{}", j));
  return names;
}

DeltaNetConstruction deltanet_construction(const std::vector<QMatrix>& matrices, const DeltaNetSpecOptions& options) {
  if (matrices.empty()) throw Error("deltanet-matrix: no matrix given");
  DeltaNetConstruction c;
  c.n = matrices[0].size();
  c.matrices = matrices;
  for (const QMatrix& P : matrices)
    if (P.size() != c.n) throw Error(fmt::format("deltanet-matrix: matrices of sizes {} and {}", c.n, P.size()));
  const std::size_t n = c.n, dim = 2 * n + 1;
  std::map<std::string, std::size_t> index;
  std::vector<std::size_t> program_symbols;
  for (const QMatrix& P : matrices) {
    c.programs.push_back(broken_steps(deltanet_program(P).steps, options.brk));
    for (const HStep& h : c.programs.back()) {
      auto [it, fresh] = index.emplace(step_key(h), c.symbols.size());
      if (fresh) c.symbols.push_back(h);
      program_symbols.push_back(it->second);
    }
  }
  const std::size_t hs = c.symbols.size(), m = hs + n;
  for (std::size_t s : program_symbols) c.sequence.push_back(s);
  for (std::size_t j = 0; j < n; ++j) c.sequence.push_back(hs + j);

  const std::vector<std::string> names = deltanet_symbol_names(c);
  std::string out = fmt::format(
      "# The Lemma 12 DeltaNet program (rnncc construct deltanet-matrix) for {} {}x{} matrix(es): each\n"
      "# symbol h<i> is one step H(beta, k) = I - beta k k^T (v = 0); the state rows are [x | s | tau]\n"
      "# (row convention S_t = S_(t-1) A_t), S_0 rows [e_r | 1..1 | 1]; the program of P maps\n"
      "# [x | s | tau] to [xP | xP | 0] in 8n^2+5n+1 = {} steps. r<j>: A = I, y[r] = S[r][j].\n",
      matrices.size(), n, n, program_steps_formula(n));
  for (std::size_t i = 0; i < hs; ++i)
    out += fmt::format("#   {}: beta = {}, k = {}   ({})\n", names[i], c.symbols[i].beta.get_str(), vector_text(c.symbols[i].k),
                       c.symbols[i].what);
  out += fmt::format("name = \"{}\"\nkind = \"deltanet\"\nd_k = {}\nd_v = {}\nalphabet = [", options.name, dim, n);
  for (std::size_t s = 0; s < m; ++s) out += (s ? ", \"" : "\"") + names[s] + "\"";
  out += fmt::format("]\nbias = false\noutputs = \"all\"\ndomain = \"exact\"\nT = {}\n", c.sequence.size());
  QMatrix s0 = zero_matrix(n, dim);
  for (std::size_t r = 0; r < n; ++r) {
    s0[r][r] = 1;
    for (std::size_t j = n; j < dim; ++j) s0[r][j] = 1;
  }
  out += "initial_state = " + toml_matrix(s0) + "\n\n[parameters]\n";
  QMatrix Wk = zero_matrix(dim, m), Wv = zero_matrix(n, m), Wq = zero_matrix(dim, m);
  QVector wbeta(m, mpq_class(0));
  for (std::size_t s = 0; s < hs; ++s) {
    for (std::size_t i = 0; i < dim; ++i) Wk[i][s] = c.symbols[s].k[i];
    wbeta[s] = c.symbols[s].beta;
  }
  for (std::size_t j = 0; j < n; ++j) Wq[j][hs + j] = 1;
  out += "W_k = " + toml_matrix(Wk) + "\nW_v = " + toml_matrix(Wv) + "\nw_beta = " + toml_vector(wbeta) +
         "\nW_q = " + toml_matrix(Wq) + "\n";
  c.spec_text = std::move(out);
  return c;
}

compiler::Spec deltanet_spec(const DeltaNetConstruction& c) { return compiler::parse_spec(c.spec_text, "deltanet_matrix.toml"); }

std::string deltanet_inputs_text(const DeltaNetConstruction& c) {
  const std::vector<std::string> names = deltanet_symbol_names(c);
  std::string line;
  for (std::size_t s : c.sequence) line += (line.empty() ? "" : " ") + names[s];
  QMatrix q = identity_matrix(c.n);
  for (const QMatrix& P : c.matrices) q = multiply(q, P);
  std::string out = fmt::format("# the programs of {} matrix(es) ({} steps) and {} read steps; T = {}\n", c.matrices.size(),
                                c.sequence.size() - c.n, c.n, c.sequence.size());
  out += line + "\n";
  out += "# expected (exact product P_1 ... P_N, the oracle): the read step r<j> outputs its column j\n";
  for (std::size_t j = 0; j < c.n; ++j) {
    QVector col;
    for (std::size_t r = 0; r < c.n; ++r) col.push_back(q[r][j]);
    out += fmt::format("# y at r{} = {}\n", j, vector_text(col));
  }
  return out;
}

// ---- checks ----

TransvectionCheck check_transvection(std::size_t max_dim, const mpq_class& beta_delta) {
  TransvectionCheck out;
  std::string first;
  for (std::size_t dim = 2; dim <= max_dim; ++dim)
    for (std::size_t s = 0; s < dim; ++s)
      for (std::size_t d = 0; d < dim; ++d) {
        if (s == d) continue;
        QVector sd = unit_vector(dim, s), s2d = unit_vector(dim, s);
        sd[d] = 1;
        s2d[d] = 2;
        const QMatrix got = multiply(multiply(householder(2, sd), householder(mpq_class(1, 2) + beta_delta, unit_vector(dim, s))),
                                     householder(mpq_class(1, 3), s2d));
        QMatrix want = identity_matrix(dim);
        want[s][d] = 1;
        ++out.pairs;
        if (got != want) {
          ++out.failures;
          if (first.empty()) first = fmt::format("; first failure dim {}, s = {}, d = {}: {}", dim, s, d, matrix_text(got));
        }
      }
  out.ran = fmt::format("H(2, e_s+e_d) H(1/2{}, e_s) H(1/3, e_s+2e_d), exact, every ordered pair s != d in dimensions 2..{}",
                        beta_delta == 0 ? "" : " + " + beta_delta.get_str(), max_dim);
  out.ok = out.failures == 0 && out.pairs > 0;
  out.measured = fmt::format("{} of {} products equal I + e_s e_d^T{}", out.pairs - out.failures, out.pairs, first);
  return out;
}

DeltaNetProgramCheck check_deltanet_program(std::size_t max_n, std::size_t matrices_per_n, std::uint64_t seed,
                                            const std::string& scan, std::size_t scan_max_n, const ProgramBreak& brk) {
  DeltaNetProgramCheck out;
  out.counts_ok = out.products_ok = out.interpreter_ok = true;
  std::string first;
  auto note = [&](const std::string& what) {
    if (first.empty()) first = "; first failure: " + what;
  };
  for (std::size_t n = 1; n <= max_n; ++n) {
    const std::size_t dim = 2 * n + 1;
    const std::vector<QMatrix> Ps = random_integer_matrices(matrices_per_n, n, -2, 2, seed * 1000 + n);
    DeltaNetSpecOptions options;
    options.brk = brk;
    const DeltaNetConstruction c = deltanet_construction(Ps, options);
    out.step_counts.push_back(c.programs.at(0).size());
    for (std::size_t i = 0; i < Ps.size(); ++i) {
      if (c.programs[i].size() != program_steps_formula(n)) {
        out.counts_ok = false;
        note(fmt::format("n = {}: {} steps, 8n^2+5n+1 = {}", n, c.programs[i].size(), program_steps_formula(n)));
      }
      // The oracle: the exact product of the step matrices against [[P, P, 0], [0, 0, 0], [0, 0, 0]].
      QMatrix want = zero_matrix(dim, dim);
      for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < n; ++j) want[r][j] = want[r][n + j] = Ps[i][r][j];
      if (const QMatrix got = program_matrix(c.programs[i], dim); got != want) {
        out.products_ok = false;
        note(fmt::format("n = {}: the program's product is not [[P, P, 0], 0, 0] for P = {}", n, matrix_text(Ps[i])));
      }
    }
    // rnncc's deltanet kind: the interpreter from S_0 = [I | 1 | 1] rows ends in [Q | Q | 0].
    QMatrix Q = identity_matrix(n);
    for (const QMatrix& P : Ps) Q = multiply(Q, P);
    QVector want_state, want_reads;
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t j = 0; j < n; ++j) want_state.push_back(Q[r][j]);
      for (std::size_t j = 0; j < n; ++j) want_state.push_back(Q[r][j]);
      want_state.push_back(0);
    }
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t r = 0; r < n; ++r) want_reads.push_back(Q[r][j]);
    const compiler::Spec spec = deltanet_spec(c);
    const compiler::InputSequence xs = one_hot_inputs(spec.m(), c.sequence);
    const ExactRun run = run_exact(spec, xs);
    QVector reads;
    for (std::size_t t = xs.size() - n; t < xs.size(); ++t) reads.insert(reads.end(), run.outputs[t].begin(), run.outputs[t].end());
    if (run.states.back() != want_state || reads != want_reads) {
      out.interpreter_ok = false;
      note(fmt::format("n = {}: the interpreter's final state {} is not [Q | Q | 0]", n, vector_text(run.states.back())));
    }
    if (!scan.empty() && n <= scan_max_n) {
      for (const std::string& net : {std::string(), scan}) {
        const QVector got = circuit_outputs(spec, xs, net);
        const QVector tail(got.end() - static_cast<std::ptrdiff_t>(n * n), got.end());
        if (tail != want_reads) {
          out.circuits_ok = false;
          note(fmt::format("n = {}: the {} circuit reads {}", n, net.empty() ? "naive" : "lift-scan -n " + net, vector_text(tail)));
        }
      }
    }
  }
  std::string counts;
  for (std::size_t n = 1; n <= out.step_counts.size(); ++n)
    counts += (counts.empty() ? "" : ", ") + fmt::format("{}", out.step_counts[n - 1]);
  out.ran = fmt::format(
      "Lemma 12 programs for n = 1..{}, {} random integer matrices each (entries -2..2, seed {}); exact products; "
      "rnncc's deltanet interpreter{}",
      max_n, matrices_per_n, seed,
      scan.empty() ? "" : fmt::format("; naive and lift-scan -n {} circuits for n <= {}", scan, scan_max_n));
  out.ok = out.counts_ok && out.products_ok && out.interpreter_ok && out.circuits_ok;
  out.measured = fmt::format("steps {} (8n^2+5n+1: {}); [x|s|t] -> [xP|xP|0]: products {}, interpreter {}{}{}", counts,
                             out.counts_ok ? "all equal" : "MISMATCH", out.products_ok ? "exact" : "WRONG",
                             out.interpreter_ok ? "exact" : "WRONG",
                             scan.empty() ? "" : (out.circuits_ok ? ", circuits exact" : ", circuits WRONG"), first);
  return out;
}

}  // namespace rnncc::proofs
