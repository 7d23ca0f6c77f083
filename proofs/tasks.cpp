// The experiments' tasks: generators, their JSON lines, and the IMM query spec.
#include "proofs/tasks.hpp"

#include <fmt/format.h>
#include <gmpxx.h>

#include <algorithm>
#include <ostream>

#include "circuits/domains.hpp"
#include "circuits/error.hpp"

namespace rnncc::proofs {

std::optional<TaskKind> parse_task(std::string_view s) {
  if (s == "sdgc") return TaskKind::Sdgc;
  if (s == "imm-mod") return TaskKind::ImmMod;
  if (s == "imm-z") return TaskKind::ImmZ;
  return std::nullopt;
}

std::string_view task_name(TaskKind t) {
  switch (t) {
    case TaskKind::Sdgc: return "sdgc";
    case TaskKind::ImmMod: return "imm-mod";
    case TaskKind::ImmZ: return "imm-z";
  }
  return "?";  // LCOV_EXCL_LINE
}

std::optional<SdgcEncoding> parse_sdgc_encoding(std::string_view s) {
  if (s == "unary") return SdgcEncoding::Unary;
  if (s == "binary") return SdgcEncoding::Binary;
  return std::nullopt;
}

std::string_view sdgc_encoding_name(SdgcEncoding e) { return e == SdgcEncoding::Unary ? "unary" : "binary"; }

void check_task_options(const TaskOptions& o) {
  const std::string_view name = task_name(o.task);
  auto not_for = [&](const char* flag, const char* task) {
    throw Error(fmt::format("{} applies to {} only, not to {}", flag, task, name));
  };
  if (o.task == TaskKind::Sdgc) {
    if (o.n < kMinSdgcNodes || o.n > kMaxSdgcNodes)
      throw Error(fmt::format("--n: sdgc takes {}..{} nodes, got {}", kMinSdgcNodes, kMaxSdgcNodes, o.n));
  } else if (o.n < kMinImmMatrices || o.n > kMaxImmMatrices) {
    throw Error(fmt::format("--n: {} takes {}..{} matrices, got {}", name, kMinImmMatrices, kMaxImmMatrices, o.n));
  }
  if (o.count < 1 || o.count > kMaxTaskCount)
    throw Error(fmt::format("--count: expected 1..{} instances, got {}", kMaxTaskCount, o.count));
  if (o.task != TaskKind::ImmMod && o.modulus) not_for("--modulus", "imm-mod");
  if (o.task != TaskKind::Sdgc && o.encoding) not_for("--encoding", "sdgc");
  if (o.task != TaskKind::Sdgc && o.graphs) not_for("--graphs", "sdgc");
  if (o.max_matrices < 1) throw Error("imm-z: the rejection sampler needs a budget of at least 1 matrix");
  if (o.modulus) {
    const std::string why = circuits::modulus_message(*o.modulus);
    if (!why.empty()) throw Error("--modulus: " + why);
  }
}


bool BalancedLabels::next(compiler::SplitMix64& rng) {
  if (index_++ % 2 == 0) {
    first_ = rng.below(2) == 1;
    return first_;
  }
  return !first_;
}

// ---- sdgc ----

namespace {

template <class F>
void for_each_sdgc(const TaskOptions& o, F&& f) {
  compiler::SplitMix64 rng(o.seed);
  BalancedLabels labels;
  const SdgcGraphs graphs = o.graphs.value_or(SdgcGraphs::Paths);
  for (std::size_t k = 0; k < o.count; ++k) {
    const bool label = labels.next(rng);
    f(random_sdgc(o.n, graphs, label, rng));
  }
}

void append_matrices(std::string& out, const std::vector<Matrix3>& ms) {
  out += '[';
  for (std::size_t t = 0; t < ms.size(); ++t) {
    if (t) out += ',';
    out += '[';
    for (std::size_t e = 0; e < 9; ++e) {
      if (e) out += ',';
      out += ms[t][e] < 0 ? "-1" : ms[t][e] == 0 ? "0" : "1";
    }
    out += ']';
  }
  out += ']';
}

}  // namespace

std::vector<SdgcInstance> sdgc_task_instances(const TaskOptions& o) {
  if (o.task != TaskKind::Sdgc) throw Error("sdgc_task_instances: the options are for " + std::string(task_name(o.task)));
  check_task_options(o);
  std::vector<SdgcInstance> out;
  out.reserve(o.count);
  for_each_sdgc(o, [&](SdgcInstance g) { out.push_back(std::move(g)); });
  return out;
}

std::string sdgc_json_line(const SdgcInstance& g, SdgcEncoding encoding) {
  std::string out = "{\"tokens\":[";
  auto token = [&out, first = true](std::string_view t) mutable {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += t;  // symbols of a fixed alphabet: nothing to escape
    out += '"';
  };
  if (encoding == SdgcEncoding::Unary) {
    const std::vector<std::size_t> word = unary_word(g);  // the same symbols as unary_tokens(g)
    out.reserve(out.size() + 4 * word.size() + 16 * g.edges.size() + 64);
    for (std::size_t s : word) token(kUnaryAlphabet[s]);
  } else {
    for (const std::string& t : binary_tokens(g)) token(t);
  }
  out += fmt::format("],\"source\":{},\"target\":{},\"edges\":[", g.source, g.target);
  for (std::size_t e = 0; e < g.edges.size(); ++e)
    out += fmt::format("{}[{},{}]", e ? "," : "", g.edges[e].first, g.edges[e].second);
  out += fmt::format("],\"label\":{}}}", reachable(g) ? 1 : 0);
  return out;
}

// ---- imm-mod ----

std::int64_t determinant(const Matrix3& m) {
  const std::int64_t a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

std::vector<std::uint64_t> imm_mod_targets(const std::vector<Matrix3>& ms, std::size_t query, std::uint64_t modulus) {
  if (query > 8) throw Error(fmt::format("imm-mod: the query is an entry index 0..8, got {}", query));
  const std::uint64_t p = modulus;
  // P_0 = I; P_t = P_{t−1} M_t, all entries in 0..p−1 (p < 2^62: sums of two stay below 2^63).
  // M_t's entries are −1, 0, 1: a term is a residue added, subtracted or skipped.
  std::array<std::uint64_t, 9> prod{};
  for (std::size_t i = 0; i < 3; ++i) prod[4 * i] = 1 % p;
  std::vector<std::uint64_t> out;
  out.reserve(ms.size());
  for (const Matrix3& m : ms) {
    std::array<std::uint64_t, 9> next{};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t k = 0; k < 3; ++k) {
        std::uint64_t acc = 0;
        for (std::size_t j = 0; j < 3; ++j) {
          const int e = m[3 * j + k];
          if (e != -1 && e != 0 && e != 1) throw Error(fmt::format("imm-mod: matrix entries are -1, 0 or 1, got {}", e));
          if (e == 1) acc = (acc + prod[3 * i + j]) % p;
          else if (e == -1) acc = (acc + (p - prod[3 * i + j])) % p;
        }
        next[3 * i + k] = acc;
      }
    prod = next;
    out.push_back(prod[query]);
  }
  return out;
}

ImmModInstance random_imm_mod(std::size_t n, std::uint64_t modulus, compiler::SplitMix64& rng) {
  ImmModInstance x;
  x.modulus = modulus;
  x.query = static_cast<std::size_t>(rng.below(9));
  x.matrices.reserve(n);
  const auto p = static_cast<std::int64_t>(modulus);
  for (std::size_t t = 0; t < n; ++t) {
    Matrix3 m{};
    do {
      for (int& v : m) v = static_cast<int>(rng.below(3)) - 1;
    } while (determinant(m) % p == 0);  // |det| ≤ 4, so for p ≥ 5 exactly the singular ones
    x.matrices.push_back(m);
  }
  x.targets = imm_mod_targets(x.matrices, x.query, modulus);
  return x;
}

std::vector<ImmModInstance> imm_mod_task_instances(const TaskOptions& o) {
  if (o.task != TaskKind::ImmMod) throw Error("imm_mod_task_instances: the options are for " + std::string(task_name(o.task)));
  check_task_options(o);
  compiler::SplitMix64 rng(o.seed);
  std::vector<ImmModInstance> out;
  out.reserve(o.count);
  for (std::size_t k = 0; k < o.count; ++k) out.push_back(random_imm_mod(o.n, o.modulus.value_or(kDefaultImmModulus), rng));
  return out;
}

std::string imm_mod_json_line(const ImmModInstance& x) {
  std::string out = fmt::format("{{\"modulus\":{},\"query\":{},\"matrices\":", x.modulus, x.query);
  append_matrices(out, x.matrices);
  out += ",\"targets\":[";
  for (std::size_t t = 0; t < x.targets.size(); ++t) out += fmt::format("{}{}", t ? "," : "", x.targets[t]);
  out += "]}";
  return out;
}

// ---- imm-z ----

int imm_z_entry(compiler::SplitMix64& rng) {
  const std::uint64_t r = rng.below(20);
  return r < 9 ? -1 : r < 11 ? 0 : 1;
}

namespace {

// The row r_t = e_0ᵀ M_1 ⋯ M_t for matrices over {−1, 0, 1} (r ← r M takes additions and
// subtractions only). In 64-bit integers while every entry is at most 2^61 in magnitude (a step at
// most triples the largest one), then in GMP integers: the entries grow without bound.
class Row0 {
 public:
  void times(const Matrix3& m) {
    if (!big_) {
      std::array<std::int64_t, 3> next{};
      std::int64_t largest = 0;
      for (std::size_t k = 0; k < 3; ++k) {
        for (std::size_t j = 0; j < 3; ++j) next[k] += m[3 * j + k] * small_[j];
        largest = std::max(largest, next[k] < 0 ? -next[k] : next[k]);
      }
      small_ = next;
      if (largest > (std::int64_t{1} << 61)) {
        big_ = true;
        for (std::size_t k = 0; k < 3; ++k) big_row_[k] = mpz_class(std::to_string(small_[k]));
      }
      return;
    }
    std::array<mpz_class, 3> next;
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t j = 0; j < 3; ++j) {
        if (m[3 * j + k] > 0) next[k] += big_row_[j];
        else if (m[3 * j + k] < 0) next[k] -= big_row_[j];
      }
    big_row_ = std::move(next);
  }
  // Once zero, zero for good.
  bool zero() const {
    return big_ ? big_row_[0] == 0 && big_row_[1] == 0 && big_row_[2] == 0 : small_ == std::array<std::int64_t, 3>{};
  }
  bool first_zero() const { return big_ ? big_row_[0] == 0 : small_[0] == 0; }

 private:
  bool big_ = false;
  std::array<std::int64_t, 3> small_ = {1, 0, 0};
  std::array<mpz_class, 3> big_row_;
};

}  // namespace

bool imm_z_label(const std::vector<Matrix3>& ms) {
  Row0 r;  // row 0 of the prefix product
  for (const Matrix3& m : ms) {
    r.times(m);
    if (r.zero()) return true;  // the zero row stays zero
  }
  return r.first_zero();
}

ImmZInstance random_imm_z(std::size_t n, bool label, compiler::SplitMix64& rng, std::size_t max_matrices,
                          ImmZDraws* stats) {
  ImmZInstance x;
  x.matrices.resize(n);
  std::size_t drawn = 0;
  while (drawn < max_matrices) {
    Row0 r;
    bool abandoned = false;
    for (std::size_t t = 0; t < n; ++t) {
      for (int& v : x.matrices[t]) v = imm_z_entry(rng);
      ++drawn;
      if (r.zero()) continue;  // label 1 whatever comes: the row stays zero
      r.times(x.matrices[t]);
      if (!label && r.zero()) {
        abandoned = true;
        break;
      }
    }
    const bool got = abandoned || r.first_zero();
    if (stats) {
      ++stats->draws;
      stats->positives += got;
    }
    if (got == label) {
      if (stats) stats->matrices += drawn;
      x.label = label;
      return x;
    }
  }
  if (stats) stats->matrices += drawn;
  throw Error(fmt::format(
      "imm-z: no sequence of {} matrices with label {} ((M_1 ... M_N)_00 {} 0) after drawing {} matrices, where the "
      "rejection sampler gives up: that label is too rare at this N (label 0 vanishes as N grows, since the row "
      "e_0^T M_1 ... M_t reaches 0 and stays there; docs/tasks.md gives the rates): use a smaller N",
      n, label ? 1 : 0, label ? "=" : "!=", drawn));
}

std::vector<ImmZInstance> imm_z_task_instances(const TaskOptions& o) {
  if (o.task != TaskKind::ImmZ) throw Error("imm_z_task_instances: the options are for " + std::string(task_name(o.task)));
  check_task_options(o);
  compiler::SplitMix64 rng(o.seed);
  BalancedLabels labels;
  std::vector<ImmZInstance> out;
  out.reserve(o.count);
  for (std::size_t k = 0; k < o.count; ++k) {
    const bool label = labels.next(rng);
    out.push_back(random_imm_z(o.n, label, rng, o.max_matrices));
  }
  return out;
}

std::string imm_z_json_line(const ImmZInstance& x) {
  std::string out = "{\"matrices\":";
  append_matrices(out, x.matrices);
  out += fmt::format(",\"label\":{}}}", x.label ? 1 : 0);
  return out;
}

// ---- the whole output ----

TaskSummary write_task_jsonl(const TaskOptions& o, std::ostream& out,
                             const std::function<void(std::size_t, std::size_t)>& progress) {
  check_task_options(o);
  TaskSummary s;
  auto emit = [&](const std::string& line) {
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.put('\n');
    if (!out) throw Error("cannot write the instances: the output stream failed");
    ++s.instances;
    if (progress) progress(s.instances, o.count);
  };
  compiler::SplitMix64 rng(o.seed);
  switch (o.task) {
    case TaskKind::Sdgc: {
      const SdgcEncoding encoding = o.encoding.value_or(SdgcEncoding::Unary);
      for_each_sdgc(o, [&](const SdgcInstance& g) {
        const bool label = reachable(g);
        s.positives += label;
        s.shortcut_correct += shortcut_label(g) == label;
        emit(sdgc_json_line(g, encoding));
      });
      break;
    }
    case TaskKind::ImmMod:
      for (std::size_t k = 0; k < o.count; ++k) {
        const ImmModInstance x = random_imm_mod(o.n, o.modulus.value_or(kDefaultImmModulus), rng);
        for (std::uint64_t v : x.targets) s.zero_targets += v == 0;
        s.targets += x.targets.size();
        emit(imm_mod_json_line(x));
      }
      break;
    case TaskKind::ImmZ: {
      BalancedLabels labels;
      for (std::size_t k = 0; k < o.count; ++k) {
        const bool label = labels.next(rng);
        const ImmZInstance x = random_imm_z(o.n, label, rng, o.max_matrices, &s.draws);
        s.positives += x.label;
        emit(imm_z_json_line(x));
      }
      break;
    }
  }
  return s;
}

std::string task_summary_text(const TaskOptions& o, const TaskSummary& s) {
  auto plural = [](std::size_t k) { return k == 1 ? "instance" : "instances"; };
  const double k = s.instances ? static_cast<double>(s.instances) : 1.0;
  switch (o.task) {
    case TaskKind::Sdgc:
      return fmt::format(
          "sdgc: {} {} (N = {}, {} graphs, {} encoding, seed {}); label balance {}/{} positive ({:.3f}); the "
          "shortcut label (source has an out-edge and target an in-edge) agrees with BFS on {:.3f}",
          s.instances, plural(s.instances), o.n, sdgc_graphs_name(o.graphs.value_or(SdgcGraphs::Paths)),
          sdgc_encoding_name(o.encoding.value_or(SdgcEncoding::Unary)), o.seed, s.positives, s.instances,
          static_cast<double>(s.positives) / k, static_cast<double>(s.shortcut_correct) / k);
    case TaskKind::ImmMod: {
      const std::uint64_t p = o.modulus.value_or(kDefaultImmModulus);
      return fmt::format(
          "imm-mod: {} {} (N = {}, P = {}, seed {}); no binary label: {} targets, {:.4f} of them 0 (1/P = {:.4f})",
          s.instances, plural(s.instances), o.n, p, o.seed, s.targets,
          s.targets ? static_cast<double>(s.zero_targets) / static_cast<double>(s.targets) : 0.0, 1.0 / static_cast<double>(p));
    }
    case TaskKind::ImmZ:
      return fmt::format(
          "imm-z: {} {} (N = {}, seed {}); label balance {}/{} positive ({:.3f}); the rejection sampler tried {} sequences, "
          "{:.4f} of them with (M_1 ... M_N)_00 = 0",
          s.instances, plural(s.instances), o.n, o.seed, s.positives, s.instances, static_cast<double>(s.positives) / k,
          s.draws.draws, s.draws.draws ? static_cast<double>(s.draws.positives) / static_cast<double>(s.draws.draws) : 0.0);
  }
  return "";  // LCOV_EXCL_LINE
}

// ---- the IMM query spec ----

std::string imm_query_spec_text(std::uint64_t modulus, std::size_t query, std::size_t T) {
  if (query > 8) throw Error(fmt::format("imm query spec: the query is an entry index 0..8, got {}", query));
  if (T < 1) throw Error("imm query spec: T must be at least 1");
  if (modulus != 0) circuits::check_modulus_value(modulus);
  const std::size_t i = query / 3, j = query % 3;
  std::string out = fmt::format(
      "# The imm3 example (examples/specs/imm3.toml) asked for entry ({}, {}) of every prefix product:\n"
      "# h_0 = e_{}, A_t = M_t^T, so h_t = (M_1 ... M_t)^T e_{} (row {} of the product) and y_t = h_t[{}].\n"
      "kind = \"dense\"\nd = 3\nd_out = 1\ninput_width = 9\ninput_range = [-1, 1]\noutputs = \"all\"\n",
      i, j, i, i, i, j);
  if (modulus != 0) out += fmt::format("domain = \"modp\"\nmodulus = \"{}\"\n", modulus);
  else out += "domain = \"exact\"\n";
  out += fmt::format("initial_state = [{}, {}, {}]\nT = {}\n\n[parameters]\nA = [\n  [[0, 0, 0], [0, 0, 0], [0, 0, 0]],\n",
                     i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0, T);
  for (std::size_t k = 0; k < 9; ++k) {  // A[k+1] = E_kᵀ: a 1 at row k % 3, column k / 3
    out += "  [";
    for (std::size_t r = 0; r < 3; ++r) {
      out += r ? ", [" : "[";
      for (std::size_t c = 0; c < 3; ++c) out += fmt::format("{}{}", c ? ", " : "", r == k % 3 && c == k / 3 ? 1 : 0);
      out += "]";
    }
    out += "],\n";
  }
  out += "]\nW_b = [[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]]\n";
  out += fmt::format("c_b = [0, 0, 0]\nW_y = [[{}, {}, {}]]\nc_y = [0]\n", j == 0 ? 1 : 0, j == 1 ? 1 : 0, j == 2 ? 1 : 0);
  return out;
}

compiler::InputSequence imm_inputs(const std::vector<Matrix3>& ms) {
  compiler::InputSequence xs;
  xs.reserve(ms.size());
  for (const Matrix3& m : ms) xs.emplace_back(m.begin(), m.end());
  return xs;
}

}  // namespace rnncc::proofs
