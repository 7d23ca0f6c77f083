// An RNN spec: the typed, validated content of a spec TOML file (docs/spec.md). Parameters are
// exact rationals, whatever domain the model later runs in; the parameter table of each model
// kind (names, shapes, order) is fixed here and is the documented order of seeded drawing.
#pragma once

#include <gmpxx.h>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/domains.hpp"

namespace rnncc::compiler {

using circuits::DomainKind;

enum class Kind { Elman, Lstm, Gru, Diagonal, Dense, Pd, Dplr, Deltanet, Rwkv7, Mlp, Switched };
enum class Activation { None, Tanh, Relu, Sign };
// all: y_t every step; final: y_T only; accept: final with acceptance, the accept bit the only
// output (a recognizer's).
enum class OutputMode { All, Final, Accept };
enum class InitialState { Zero, Constants, Inputs };
enum class ParamMode { Constants, Inputs };

// The kinds' names ("elman", ..., "rwkv7", "mlp", "switched"), in Kind order: spec files' `kind` values.
std::span<const std::string_view> kind_names();
std::string_view kind_name(Kind k);
std::optional<Kind> parse_kind(std::string_view s);
std::string_view activation_name(Activation a);

// Linear kinds run in every exact domain; nonlinear ones as models.md's table says.
bool is_linear(Kind k);
// Matrix-state kinds (row convention S_t = S_{t-1} A_t + B_t).
bool has_matrix_state(Kind k);

// A parameter: a tensor of rank 0 (scalar), 1 (vector), 2 (matrix) or 3, row-major.
struct Tensor {
  std::vector<std::size_t> shape;
  std::vector<mpq_class> values;
  std::size_t size() const { return values.size(); }
  const mpq_class& at(std::size_t i) const { return values[i]; }
  const mpq_class& at(std::size_t i, std::size_t j) const { return values[i * shape[1] + j]; }
  const mpq_class& at(std::size_t i, std::size_t j, std::size_t k) const {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
};

// "KEY", "KEY[i]", "KEY[i][j]", "KEY[i][j][k]" for a flat (row-major) index into a tensor of
// `shape`: "W_a[1][0]" for flat index 4 of a 3x4 tensor. Parameter inputs and errors name
// elements so.
std::string element_name(const std::string& key, const std::vector<std::size_t>& shape, std::size_t flat);

// One row of a kind's parameter table.
struct ParamInfo {
  std::string key;
  std::vector<std::size_t> shape;
  bool bias = false;         // omitted (zero) when the spec says `bias = false`
  // pd's P: one permutation of 0..d-1 per symbol (integers); with `maps = true`, any map of
  // 0..d-1 to itself. Structural: always constants, never a parameter input.
  bool permutation = false;
  const char* meaning = "";
};

// Where a key's value sits in the spec file, for errors found after parsing.
struct SourcePos {
  std::size_t line = 1, col = 1;
};

struct Spec {
  std::string path;  // file the spec came from ("" when parsed from text)
  std::string name;  // default: the file stem
  Kind kind = Kind::Diagonal;
  Activation activation = Activation::None;  // elman only (mlp and switched always use relu)
  bool maps = false;  // pd only: P's rows are any maps of 0..d-1 to itself, not only permutations

  std::size_t d = 0;       // vector state width
  std::size_t d_k = 0;     // matrix state: columns (key width)
  std::size_t d_v = 0;     // matrix state: rows (value width)
  std::size_t d_out = 0;   // vector readout rows (default d)
  std::size_t hidden = 0;  // mlp only: H, the width of the hidden layer

  bool one_hot = true;               // alphabet inputs; false: real vectors of input_width
  std::vector<std::string> alphabet; // symbols, in one-hot order
  std::size_t input_width = 0;       // m: alphabet size, or the real input width
  // Real inputs declared integers in [lo, hi] (input_range); random sequences draw from it.
  std::optional<std::pair<std::int32_t, std::int32_t>> input_range;

  bool bias = true;
  ParamMode params_mode = ParamMode::Constants;
  std::map<std::string, Tensor> params;  // every parameter of the kind's table
  std::optional<std::uint64_t> seed;     // [init] seed and scale, when parameters were drawn
  mpq_class scale = 1;

  InitialState initial = InitialState::Zero;
  std::vector<mpq_class> initial_values;  // InitialState::Constants: state values, flat

  OutputMode outputs = OutputMode::All;
  bool accept = false;  // final or accept only: accept = step(o . y_T); true for OutputMode::Accept
  DomainKind domain = DomainKind::Real;
  std::optional<std::uint64_t> T;  // default sequence length
  std::uint64_t modulus = circuits::kDefaultModulus;  // modp domain (CLI --modulus overrides)

  // Positions of keys ("kind", "parameters.W_a", "init.scale", ...) for located errors.
  std::map<std::string, SourcePos> positions;

  std::size_t m() const { return input_width; }
  std::size_t state_size() const;   // d, 2d (lstm), d_v * d_k
  std::size_t output_width() const; // d_out, or d_v for matrix states
  const Tensor& param(const std::string& key) const { return params.at(key); }
};

// The parameter table of a spec's kind with shapes for its dimensions, in drawing order.
std::vector<ParamInfo> parameter_table(const Spec& s);

// Seeded drawing (models.md): splitmix64 seeded with `seed`; each value (k / 2^16) * scale
// with k uniform in [-2^16, 2^16] by rejection; permutations by Fisher-Yates on the same stream
// (pd with maps = true: every entry of P uniform in [0, d) instead).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n);  // uniform in [0, n), by rejection
  mpq_class dyadic(const mpq_class& scale);  // (k / 2^16) * scale

 private:
  std::uint64_t state_;
};

}  // namespace rnncc::compiler
