// Exact rational matrices and the matrices file.
#include "proofs/matrix.hpp"

#include <fmt/format.h>

#include <limits>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/text.hpp"
#include "compiler/spec.hpp"

namespace rnncc::proofs {

QMatrix zero_matrix(std::size_t rows, std::size_t cols) { return QMatrix(rows, QVector(cols, mpq_class(0))); }

QMatrix identity_matrix(std::size_t n) {
  QMatrix m = zero_matrix(n, n);
  for (std::size_t i = 0; i < n; ++i) m[i][i] = 1;
  return m;
}

QMatrix multiply(const QMatrix& a, const QMatrix& b) {
  const std::size_t inner = b.size();
  for (const QVector& row : a)
    if (row.size() != inner) throw Error(fmt::format("multiply: a row of {} entries times {} rows", row.size(), inner));
  const std::size_t cols = b.empty() ? 0 : b[0].size();
  QMatrix out = zero_matrix(a.size(), cols);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t k = 0; k < inner; ++k) {
      if (a[i][k] == 0) continue;
      for (std::size_t j = 0; j < cols; ++j) out[i][j] += a[i][k] * b[k][j];
    }
  return out;
}

QVector row_times(const QVector& r, const QMatrix& m) { return multiply(QMatrix{r}, m)[0]; }

QVector unit_vector(std::size_t n, std::size_t i) {
  QVector v(n, mpq_class(0));
  v.at(i) = 1;
  return v;
}

std::string vector_text(const QVector& v) {
  std::string out = "[";
  for (std::size_t j = 0; j < v.size(); ++j) out += (j ? ", " : "") + v[j].get_str();
  return out + "]";
}

std::string matrix_text(const QMatrix& m) {
  std::string out = "[";
  for (std::size_t i = 0; i < m.size(); ++i) out += (i ? ", " : "") + vector_text(m[i]);
  return out + "]";
}

std::vector<QMatrix> parse_matrices(std::string_view text, const std::string& path, std::size_t n, bool integers) {
  std::vector<QMatrix> out;
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    const std::size_t line_start = pos;
    pos = end + 1;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::pair<std::string_view, std::size_t>> tokens;  // token, column (1-based)
    for (std::size_t i = 0; i < line.size();) {
      const char c = line[i];
      if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != ',' && line[j] != '\r') ++j;
      tokens.emplace_back(line.substr(i, j - i), i + 1);
      i = j;
    }
    (void)line_start;
    if (tokens.empty()) {
      if (end == text.size()) break;
      continue;
    }
    auto fail = [&](std::size_t col, const std::string& what) {
      throw Error(fmt::format("{}:{}:{}: {}", path, line_no, col, what));
    };
    if (n == 0) {
      std::size_t r = 0;
      while ((r + 1) * (r + 1) <= tokens.size()) ++r;
      if (r * r != tokens.size() || r == 0 || r > 64)
        fail(1, fmt::format("expected a square matrix's entries, row-major (n² numbers a line, n in 1..64), got {} numbers",
                            tokens.size()));
      n = r;
    }
    if (tokens.size() != n * n)
      fail(tokens.size() > n * n ? tokens[n * n].second : 1,
           fmt::format("expected {} numbers (a {}x{} matrix, row-major), got {}", n * n, n, n, tokens.size()));
    QMatrix m = zero_matrix(n, n);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const auto [tok, col] = tokens[k];
      std::optional<mpq_class> v = circuits::io::parse_number(tok);
      const std::string shown = std::string(tok.substr(0, 40));
      if (!v) fail(col, fmt::format("expected {}, got '{}'", integers ? "an integer" : "an exact number (an integer, p/q or a decimal)", shown));
      if (integers && (v->get_den() != 1 || *v < std::numeric_limits<std::int32_t>::min() ||
                       *v > std::numeric_limits<std::int32_t>::max()))
        fail(col, fmt::format("expected an integer in [-2^31, 2^31), got '{}'", shown));
      m[k / n][k % n] = *v;
    }
    out.push_back(std::move(m));
    if (end == text.size()) break;
  }
  if (out.empty()) throw Error(fmt::format("{}:1:1: expected at least one matrix (n² numbers a line), got none", path));
  return out;
}

std::vector<QMatrix> load_matrices(const std::string& path, std::size_t n, bool integers) {
  return parse_matrices(circuits::io::read_file(path), path, n, integers);
}

std::string matrices_text(const std::vector<QMatrix>& ms) {
  std::string out;
  for (const QMatrix& m : ms) {
    std::string line;
    for (const QVector& row : m)
      for (const mpq_class& v : row) line.append(line.empty() ? "" : " ").append(v.get_str());
    out += line + "\n";
  }
  return out;
}

std::vector<QMatrix> random_integer_matrices(std::size_t count, std::size_t n, std::int64_t lo, std::int64_t hi,
                                             std::uint64_t seed) {
  if (hi < lo) throw Error("random_integer_matrices: empty range");
  compiler::SplitMix64 rng(seed);
  std::vector<QMatrix> out;
  for (std::size_t c = 0; c < count; ++c) {
    QMatrix m = zero_matrix(n, n);
    for (QVector& row : m)
      for (mpq_class& v : row)
        v = static_cast<long>(lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo) + 1)));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace rnncc::proofs

namespace rnncc::proofs {

std::string toml_number(const mpq_class& v) {
  if (v.get_den() == 1) return v.get_str();
  std::string out(1, '"');  // built by append (GCC 12 misreads "\"" + s)
  return out.append(v.get_str()).append(1, '"');
}

std::string toml_vector(const QVector& v) {
  std::string out = "[";
  for (std::size_t j = 0; j < v.size(); ++j) out += (j ? ", " : "") + toml_number(v[j]);
  return out + "]";
}

std::string toml_matrix(const QMatrix& m) {
  std::string out = "[";
  for (std::size_t i = 0; i < m.size(); ++i) out += (i ? ", " : "") + toml_vector(m[i]);
  return out + "]";
}

}  // namespace rnncc::proofs
