// Exact rational matrices for the oracles of the RWKV-7 and DeltaNet constructions (GMP, no rnncc
// model involved), and the matrices file that `rnncc construct rwkv7-imm` and
// `rnncc construct deltanet-matrix` read (docs/constructions.md).
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rnncc::proofs {

// A dense matrix of exact rationals, row-major: m[i][j] is row i, column j.
using QMatrix = std::vector<std::vector<mpq_class>>;
using QVector = std::vector<mpq_class>;

QMatrix zero_matrix(std::size_t rows, std::size_t cols);
QMatrix identity_matrix(std::size_t n);
QMatrix multiply(const QMatrix& a, const QMatrix& b);   // a b; Error on a shape mismatch
QVector row_times(const QVector& r, const QMatrix& m);  // the row vector r m
// e_i e_jᵀ-style building blocks: the unit vector e_i of length n.
QVector unit_vector(std::size_t n, std::size_t i);
// "[[1, 0], [0, 1]]" (rationals as p/q): for messages and test failures.
std::string matrix_text(const QMatrix& m);
std::string vector_text(const QVector& v);

// A matrices file: one square matrix per line, its n² entries row-major, separated by spaces
// and/or commas; `#` starts a comment; blank lines are skipped. Entries are exact numbers
// (integers, "p/q", decimals). Every matrix has the same n (inferred from the first line:
// its entry count must be a square). With `integers`, entries must be integers in
// [−2^31, 2^31). With `n` ≠ 0 the size is imposed (n² entries a line). At least one matrix.
// Error "PATH:LINE:COL: expected …, got …" at the first problem.
std::vector<QMatrix> parse_matrices(std::string_view text, const std::string& path, std::size_t n = 0,
                                    bool integers = false);
std::vector<QMatrix> load_matrices(const std::string& path, std::size_t n = 0, bool integers = false);
// The matrices in that format (parse_matrices reads it back).
std::string matrices_text(const std::vector<QMatrix>& ms);

// `count` random n×n matrices with integer entries uniform in [lo, hi] (splitmix64 on `seed`).
std::vector<QMatrix> random_integer_matrices(std::size_t count, std::size_t n, std::int64_t lo, std::int64_t hi,
                                             std::uint64_t seed);

}  // namespace rnncc::proofs

namespace rnncc::proofs {
// A number as a TOML value that compiler::parse_spec reads exactly: an integer, or "p/q" quoted.
std::string toml_number(const mpq_class& v);
// A vector / matrix of them as TOML arrays.
std::string toml_vector(const QVector& v);
std::string toml_matrix(const QMatrix& m);
}  // namespace rnncc::proofs
