// Spec files: TOML through toml++, validated key by key into a Spec (docs/spec.md). Each check
// throws at the first problem with the file, line and column of the offending value, the key,
// what was expected and what was found; nothing is partially filled for a caller to misuse.
#include "compiler/spec_toml.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <utility>
#include <vector>

#include "circuits/io/file.hpp"
#include "circuits/io/text.hpp"
#include "compiler/domain_policy.hpp"

namespace rnncc::compiler {
namespace {

constexpr std::size_t kMaxDim = 4096;
constexpr std::int64_t kMaxT = std::int64_t{1} << 30;
constexpr std::size_t kMaxValues = std::size_t{1} << 25;  // all parameters together

constexpr std::array<std::string_view, 22> kTopKeys = {
    "name",     "kind",        "activation", "d",      "d_k",           "d_v",     "d_out",
    "alphabet", "input_width", "bias",       "params", "initial_state", "outputs", "accept",
    "domain",   "modulus",     "T",          "init",   "parameters",    "input_range", "maps",
    "hidden"};

std::string display_path(const std::string& path) {
  return path.empty() ? "<spec>" : path;
}

SourcePos pos_of(const toml::source_region& r) {
  if (r.begin.line == 0) return {};
  return {r.begin.line, r.begin.column == 0 ? 1 : std::size_t{r.begin.column}};
}

[[noreturn]] void fail_at(const std::string& path, SourcePos pos, std::string_view key,
                          const std::string& what) {
  throw located_error(display_path(path), pos.line, pos.col,
                      "key '" + std::string(key) + "': " + what);
}

template <class Range>
std::string join(const Range& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string quote_text(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char ch : s) {
    if (++n > 40) {
      out += "...";
      break;
    }
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      out += ch == '\n' ? "\\n" : ch == '\t' ? "\\t" : "?";
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

std::string shortest(double v) {
  std::array<char, 64> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

// What a value is, for "got ..." in messages.
std::string describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "the string " + quote_text(n.as_string()->get());
    case toml::node_type::integer:
      return "the integer " + std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point:
      return "the float " + shortest(n.as_floating_point()->get());
    case toml::node_type::boolean:
      return std::string("the boolean ") + (n.as_boolean()->get() ? "true" : "false");
    case toml::node_type::array:
      return "an array of " + std::to_string(n.as_array()->size());
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time value";
  }
}

// "a number", "an array of 8 numbers", "a 8x4 matrix", "a 5x8x8 array".
std::string shape_text(const std::vector<std::size_t>& shape) {
  if (shape.empty()) return "a number";
  if (shape.size() == 1) return "an array of " + std::to_string(shape[0]) + " numbers";
  std::string dims;
  for (std::size_t n : shape) dims += (dims.empty() ? "" : "x") + std::to_string(n);
  return "a " + dims + (shape.size() == 2 ? " matrix" : " array");
}

constexpr std::string_view kNumberExpected =
    "a number (an integer, a float, or a string like \"-3/4\" or \"0.25\")";

struct TableKeys {
  const toml::table* table = nullptr;
  SourcePos pos;
};

class SpecReader {
 public:
  SpecReader(const toml::table& root, const std::string& path) : root_(root) { spec_.path = path; }

  Spec read() {
    check_keys(root_, "", kTopKeys, "expected one of " + join(kTopKeys));
    read_kind();
    read_name();
    read_activation();
    read_maps();
    read_dims();
    read_inputs();
    read_modes();
    read_domain();
    read_initial_state();
    read_parameters();
    if (spec_.domain == DomainKind::Modp) check_modulus(spec_, spec_.modulus);
    return std::move(spec_);
  }

 private:
  const toml::table& root_;
  Spec spec_;

  [[noreturn]] void fail(SourcePos pos, std::string_view key, const std::string& what) const {
    fail_at(spec_.path, pos, key, what);
  }
  [[noreturn]] void fail(const toml::node& n, std::string_view key, const std::string& what) const {
    fail(pos_of(n.source()), key, what);
  }
  [[noreturn]] void expected(const toml::node& n, std::string_view key,
                             std::string_view what) const {
    fail(n, key, "expected " + std::string(what) + ", got " + describe(n));
  }

  std::string kind_text() const { return "kind '" + std::string(kind_name(spec_.kind)) + "'"; }

  // Looks a key up in `table` (the root when null) and records where its value sits.
  const toml::node* get(std::string_view key, const toml::table* table = nullptr,
                        std::string_view prefix = "") {
    const toml::node* n = (table ? *table : root_).get(key);
    if (n) spec_.positions[std::string(prefix) + std::string(key)] = pos_of(n->source());
    return n;
  }

  template <class Keys>
  void check_keys(const toml::table& table, std::string_view prefix, const Keys& valid,
                  const std::string& expectation) const {
    for (auto&& [k, v] : table) {
      if (std::find(valid.begin(), valid.end(), k.str()) != valid.end()) continue;
      fail(pos_of(k.source()), std::string(prefix) + std::string(k.str()),
           "unknown key; " + expectation);
    }
  }

  std::string read_string(const toml::node& n, std::string_view key, std::string_view what) const {
    if (!n.is_string()) expected(n, key, what);
    return n.as_string()->get();
  }

  template <class Options>
  std::size_t read_choice(const toml::node& n, std::string_view key, const Options& options) const {
    std::string what = "one of " + join(options);
    std::string s = read_string(n, key, what);
    auto it = std::find(options.begin(), options.end(), s);
    if (it == options.end()) expected(n, key, what);
    return static_cast<std::size_t>(it - options.begin());
  }

  bool read_bool(const toml::node& n, std::string_view key) const {
    if (!n.is_boolean()) expected(n, key, "true or false");
    return n.as_boolean()->get();
  }

  std::size_t read_dim(const toml::node& n, std::string_view key) const {
    constexpr std::string_view what = "a positive integer at most 4096";
    if (!n.is_integer()) expected(n, key, what);
    std::int64_t v = n.as_integer()->get();
    if (v < 1 || v > static_cast<std::int64_t>(kMaxDim)) expected(n, key, what);
    return static_cast<std::size_t>(v);
  }

  // A TOML integer >= 0, or a string of decimal digits (for values up to 2^64 - 1).
  std::uint64_t read_uint(const toml::node& n, std::string_view key, std::string_view what) const {
    if (n.is_integer() && n.as_integer()->get() >= 0)
      return static_cast<std::uint64_t>(n.as_integer()->get());
    if (n.is_string())
      if (auto v = circuits::io::parse_uint<std::uint64_t>(n.as_string()->get())) return *v;
    expected(n, key, what);
  }

  mpq_class read_number(const toml::node& n, std::string_view key) const {
    if (n.is_integer()) {
      mpz_class z;
      mpz_set_si(z.get_mpz_t(), static_cast<long>(n.as_integer()->get()));
      return mpq_class(z);
    }
    if (n.is_floating_point()) {
      double v = n.as_floating_point()->get();
      if (!std::isfinite(v)) expected(n, key, "a finite number");
      if (auto q = circuits::io::parse_number(shortest(v))) return *q;
    }
    if (n.is_string()) {
      std::string_view s = n.as_string()->get();
      if (auto q = circuits::io::parse_number(s)) return *q;
      std::size_t slash = s.find('/');
      if (slash != std::string_view::npos &&
          s.find_first_not_of('0', slash + 1) == std::string_view::npos && slash + 1 < s.size())
        fail(n, key,
             "expected " + std::string(kNumberExpected) + ", got " + describe(n) +
                 " (zero denominator)");
    }
    expected(n, key, kNumberExpected);
  }

  // Reads nested arrays of the given shape (row-major) into `out`; `note` follows the expected
  // shape in the message about the whole value.
  void read_tensor(const toml::node& n, const std::vector<std::size_t>& shape, std::size_t level,
                   const std::string& key, const std::string& whole, std::vector<mpq_class>& out,
                   std::string_view note = "") {
    if (level == shape.size()) {
      out.push_back(read_number(n, key));
      return;
    }
    const toml::array* arr = n.as_array();
    if (!arr || arr->size() != shape[level]) {
      std::vector<std::size_t> rest(shape.begin() + static_cast<std::ptrdiff_t>(level),
                                    shape.end());
      expected(
          n, key,
          level == 0 ? whole + std::string(note) : shape_text(rest) + " (part of " + whole + ")");
    }
    for (std::size_t i = 0; i < arr->size(); ++i)
      read_tensor(*arr->get(i), shape, level + 1, key + "[" + std::to_string(i) + "]", whole, out);
  }

  void read_kind() {
    const toml::node* n = get("kind");
    if (!n) fail(SourcePos{}, "kind", "missing; expected one of " + join(kind_names()));
    spec_.kind = static_cast<Kind>(read_choice(*n, "kind", kind_names()));
  }

  void read_name() {
    if (const toml::node* n = get("name")) {
      spec_.name = read_string(*n, "name", "a non-empty string");
      if (spec_.name.empty()) expected(*n, "name", "a non-empty string");
      for (unsigned char c : spec_.name)  // names reach reports, plots and file names: printable only
        if (c < 0x20 || c == 0x7F) expected(*n, "name", "a name without control characters (newlines, tabs, NUL)");
    } else {
      spec_.name = spec_.path.empty() ? "spec" : std::filesystem::path(spec_.path).stem().string();
    }
  }

  void read_activation() {
    static constexpr std::array<std::string_view, 3> kActivations = {"tanh", "relu", "sign"};
    const toml::node* n = get("activation");
    if (spec_.kind != Kind::Elman) {
      if (n)
        fail(*n, "activation", "only kind 'elman' takes an activation, got it for " + kind_text());
      return;
    }
    if (!n) fail(SourcePos{}, "activation", "missing; kind 'elman' needs one of tanh, relu, sign");
    constexpr std::array<Activation, 3> kValues = {Activation::Tanh, Activation::Relu,
                                                   Activation::Sign};
    spec_.activation = kValues[read_choice(*n, "activation", kActivations)];
  }

  // maps = true (pd only): P's rows may be any maps of 0..d-1 to itself (Thm 8's automata).
  void read_maps() {
    const toml::node* n = get("maps");
    if (!n) return;
    if (spec_.kind != Kind::Pd)
      fail(*n, "maps", "only kind 'pd' takes maps (P's rows as maps of 0..d-1), got it for " + kind_text());
    spec_.maps = read_bool(*n, "maps");
  }

  void read_dims() {
    const bool matrix = has_matrix_state(spec_.kind);
    const std::string takes = matrix ? "d_k, d_v" : spec_.kind == Kind::Mlp ? "d, hidden, d_out" : "d, d_out";
    auto dim = [&](std::string_view key, bool applies, bool required, std::string_view meaning) {
      const toml::node* n = get(key);
      if (!applies) {
        if (n)
          fail(*n, key, "does not apply to " + kind_text() + " (its dimensions: " + takes + ")");
        return std::size_t{0};
      }
      if (!n) {
        if (!required) return std::size_t{0};
        fail(SourcePos{}, key,
             "missing; expected a positive integer (" + std::string(meaning) + ") for " +
                 kind_text());
      }
      return read_dim(*n, key);
    };
    spec_.d = dim("d", !matrix, true, "the state width");
    spec_.d_out = dim("d_out", !matrix, false, "readout rows");
    if (!matrix && spec_.d_out == 0) spec_.d_out = spec_.d;
    spec_.d_k = dim("d_k", matrix, true, "the key width: columns of the state");
    spec_.d_v = dim("d_v", matrix, true, "the value width: rows of the state");
    // hidden: mlp's hidden layer width H, required there and refused elsewhere.
    const toml::node* h = get("hidden");
    if (spec_.kind != Kind::Mlp) {
      if (h) fail(*h, "hidden", "only kind 'mlp' takes hidden (the hidden layer width), got it for " + kind_text());
      return;
    }
    if (!h) fail(SourcePos{}, "hidden", "missing; expected a positive integer (the hidden layer width H) for kind 'mlp'");
    spec_.hidden = read_dim(*h, "hidden");
  }

  // input_range = [lo, hi]: every real input is an integer in [lo, hi] (what lower-int needs).
  void read_input_range() {
    const toml::node* n = get("input_range");
    if (!n) return;
    constexpr std::int64_t kLimit = std::int64_t{1} << 31;
    const toml::array* a = n->as_array();
    auto bound = [&](std::size_t i) -> std::optional<std::int32_t> {
      const toml::node* x = a->get(i);
      if (!x->is_integer()) return std::nullopt;
      const std::int64_t v = x->as_integer()->get();
      if (v < -kLimit || v >= kLimit) return std::nullopt;
      return static_cast<std::int32_t>(v);
    };
    std::optional<std::int32_t> lo, hi;
    if (a && a->size() == 2) {
      lo = bound(0);
      hi = bound(1);
    }
    if (!lo || !hi || *lo > *hi)
      expected(*n, "input_range", "[lo, hi]: two integers in [-2^31, 2^31) with lo <= hi");
    spec_.input_range = {*lo, *hi};
  }

  void read_inputs() {
    const toml::node* a = get("alphabet");
    const toml::node* w = get("input_width");
    if (a && w)
      fail(*w, "input_width", "expected exactly one of alphabet or input_width, got both");
    if (!a && !w)
      fail(SourcePos{}, "alphabet",
           "missing; expected exactly one of alphabet (one-hot symbols) or input_width (real "
           "input vectors), got neither");
    if (w) {
      if (spec_.kind == Kind::Pd)
        fail(*w, "input_width",
             "kind 'pd' reads one-hot symbols: expected alphabet, got input_width");
      spec_.one_hot = false;
      spec_.input_width = read_dim(*w, "input_width");
      read_input_range();
      return;
    }
    if (const toml::node* r = get("input_range"))
      fail(*r, "input_range", "alphabet inputs are 0 or 1: input_range goes with input_width only");
    const toml::array* arr = a->as_array();
    if (!arr || arr->empty() || arr->size() > kMaxDim)
      expected(*a, "alphabet", "a non-empty array of at most 4096 symbols");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& sym = *arr->get(i);
      std::string key = "alphabet[" + std::to_string(i) + "]";
      constexpr std::string_view what = "a non-empty symbol string without whitespace";
      std::string s = read_string(sym, key, what);
      bool ok = !s.empty() && std::none_of(s.begin(), s.end(), [](char ch) {
        return std::isspace(static_cast<unsigned char>(ch)) ||
               static_cast<unsigned char>(ch) < 0x20;
      });
      if (!ok) expected(sym, key, what);
      auto dup = std::find(spec_.alphabet.begin(), spec_.alphabet.end(), s);
      if (dup != spec_.alphabet.end())
        fail(sym, key,
             "expected unique symbols, got " + quote_text(s) + " again (also alphabet[" +
                 std::to_string(dup - spec_.alphabet.begin()) + "])");
      spec_.alphabet.push_back(std::move(s));
    }
    spec_.one_hot = true;
    spec_.input_width = spec_.alphabet.size();
  }

  void read_modes() {
    if (const toml::node* n = get("bias")) spec_.bias = read_bool(*n, "bias");
    if (const toml::node* n = get("params")) {
      static constexpr std::array<std::string_view, 2> kModes = {"constants", "inputs"};
      spec_.params_mode =
          read_choice(*n, "params", kModes) == 0 ? ParamMode::Constants : ParamMode::Inputs;
    }
    if (const toml::node* n = get("outputs")) {
      static constexpr std::array<std::string_view, 3> kModes = {"all", "final", "accept"};
      static constexpr std::array<OutputMode, 3> kValues = {OutputMode::All, OutputMode::Final, OutputMode::Accept};
      spec_.outputs = kValues[read_choice(*n, "outputs", kModes)];
      spec_.accept = spec_.outputs == OutputMode::Accept;
    }
    if (const toml::node* n = get("accept")) {
      const bool accept = read_bool(*n, "accept");
      if (accept && spec_.outputs == OutputMode::All)
        fail(*n, "accept", "accept = true needs outputs = \"final\", got outputs = \"all\"");
      if (!accept && spec_.outputs == OutputMode::Accept)
        fail(*n, "accept", "accept = false contradicts outputs = \"accept\" (whose only output is the accept bit)");
      spec_.accept = accept;
    }
    if (const toml::node* n = get("T")) {
      constexpr std::string_view what = "a positive integer at most 2^30";
      if (!n->is_integer()) expected(*n, "T", what);
      std::int64_t t = n->as_integer()->get();
      if (t < 1 || t > kMaxT) expected(*n, "T", what);
      spec_.T = static_cast<std::uint64_t>(t);
    }
  }

  void read_domain() {
    static constexpr std::array<std::string_view, 3> kDomains = {"real", "exact", "modp"};
    constexpr std::array<DomainKind, 3> kValues = {DomainKind::Real, DomainKind::Exact,
                                                   DomainKind::Modp};
    if (const toml::node* n = get("domain"))
      spec_.domain = kValues[read_choice(*n, "domain", kDomains)];
    if (const toml::node* n = get("modulus")) {
      if (spec_.domain != DomainKind::Modp)
        fail(*n, "modulus",
             "applies only to domain 'modp', got domain '" +
                 std::string(circuits::domain_name(spec_.domain)) + "'");
      constexpr std::string_view what = "a prime below 2^62 (an integer, or a string of digits)";
      std::uint64_t p = read_uint(*n, "modulus", what);
      if (std::string why = circuits::modulus_message(p); !why.empty()) fail(*n, "modulus", why);
      spec_.modulus = p;
    }
    check_domain(spec_, spec_.domain);
  }

  std::vector<std::size_t> state_shape() const {
    if (has_matrix_state(spec_.kind)) return {spec_.d_v, spec_.d_k};
    if (spec_.kind == Kind::Lstm) return {2, spec_.d};
    return {spec_.d};
  }

  void read_initial_state() {
    const toml::node* n = get("initial_state");
    if (!n) return;
    std::vector<std::size_t> shape = state_shape();
    std::string whole = shape_text(shape), note;
    if (spec_.kind == Kind::Lstm) note = " (rows h and c)";
    if (has_matrix_state(spec_.kind)) note = " (d_v rows of d_k)";
    std::string what = "\"zero\", \"inputs\" or " + whole + note;
    if (n->is_string()) {
      std::string s = n->as_string()->get();
      if (s == "zero")
        spec_.initial = InitialState::Zero;
      else if (s == "inputs")
        spec_.initial = InitialState::Inputs;
      else
        expected(*n, "initial_state", what);
      return;
    }
    if (!n->is_array()) expected(*n, "initial_state", what);
    read_tensor(*n, shape, 0, "initial_state", whole, spec_.initial_values, note);
    spec_.initial = InitialState::Constants;
  }

  const toml::table* read_table(std::string_view key, std::string_view what) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_table()) expected(*n, key, what);
    return n->as_table();
  }

  void read_init(const toml::table& init) {
    static constexpr std::array<std::string_view, 2> kInitKeys = {"seed", "scale"};
    check_keys(init, "init.", kInitKeys, "expected seed or scale");
    const toml::node* seed = get("seed", &init, "init.");
    if (!seed)
      fail(pos_of(init.source()), "init.seed",
           "missing; expected a non-negative integer seed in [init]");
    spec_.seed = read_uint(*seed, "init.seed", "a non-negative integer (or a string of digits)");
    if (const toml::node* scale = get("scale", &init, "init.")) {
      spec_.scale = read_number(*scale, "init.scale");
      if (sgn(spec_.scale) <= 0) expected(*scale, "init.scale", "a positive number");
    }
  }

  // pd's P: each row a permutation of 0..d-1 (maps = true: each entry an integer in 0..d-1).
  void check_permutation(const toml::node& n, const Tensor& t) const {
    const std::size_t rows = t.shape[0], d = t.shape[1];
    std::string what = spec_.maps ? "a map of 0.." + std::to_string(d - 1) + " to itself (integers in 0.." +
                                        std::to_string(d - 1) + ")"
                                  : "a permutation of 0.." + std::to_string(d - 1) + " (integers)";
    for (std::size_t s = 0; s < rows; ++s) {
      const toml::node& row = *n.as_array()->get(s);
      std::string key = "parameters.P[" + std::to_string(s) + "]";
      std::vector<bool> seen(d, false);
      for (std::size_t j = 0; j < d; ++j) {
        const mpq_class& v = t.at(s, j);
        if (v.get_den() != 1) fail(row, key, "expected " + what + ", got " + v.get_str());
        if (sgn(v) < 0 || v >= static_cast<unsigned long>(d))
          fail(row, key, "expected " + what + ", got " + v.get_str() + " (out of range)");
        std::size_t i = v.get_num().get_ui();
        if (seen[i] && !spec_.maps) fail(row, key, "expected " + what + ", got " + v.get_str() + " twice");
        seen[i] = true;
      }
    }
  }

  void draw(const std::vector<ParamInfo>& table) {
    SplitMix64 rng(*spec_.seed);
    for (const ParamInfo& info : table) {
      Tensor t{info.shape, {}};
      if (info.permutation) {
        const std::size_t rows = info.shape[0], d = info.shape[1];
        for (std::size_t s = 0; s < rows && spec_.maps; ++s)  // a random map: each image uniform
          for (std::size_t j = 0; j < d; ++j) t.values.emplace_back(static_cast<unsigned long>(rng.below(d)));
        for (std::size_t s = 0; s < rows && !spec_.maps; ++s) {
          std::vector<std::size_t> perm(d);
          std::iota(perm.begin(), perm.end(), std::size_t{0});
          for (std::size_t i = d - 1; i >= 1; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
          for (std::size_t v : perm) t.values.emplace_back(static_cast<unsigned long>(v));
        }
      } else {
        std::size_t n = std::accumulate(info.shape.begin(), info.shape.end(), std::size_t{1},
                                        std::multiplies<>());
        t.values.reserve(n);
        for (std::size_t i = 0; i < n; ++i) t.values.push_back(rng.dyadic(spec_.scale));
      }
      spec_.params[info.key] = std::move(t);
    }
  }

  void read_parameters() {
    const toml::table* init = read_table("init", "a table with seed and scale");
    if (init) read_init(*init);
    const toml::table* given = read_table("parameters", "a table of parameter values");
    const std::vector<ParamInfo> table = parameter_table(spec_);

    std::vector<std::string> names;
    std::size_t total = 0;
    for (const ParamInfo& info : table) {
      names.push_back(info.key);
      total += std::accumulate(info.shape.begin(), info.shape.end(), std::size_t{1},
                               std::multiplies<>());
    }
    if (total > kMaxValues) {
      std::string key = has_matrix_state(spec_.kind) ? "d_k" : "d";
      fail(spec_.positions[key], key,
           "expected dimensions whose parameters hold at most 2^25 values, got " +
               std::to_string(total) + " values");
    }
    if (given) {
      Spec with_bias = spec_;
      with_bias.bias = true;
      std::vector<ParamInfo> full = parameter_table(with_bias);
      for (auto&& [k, v] : *given) {
        if (std::find(names.begin(), names.end(), k.str()) != names.end()) continue;
        std::string key = "parameters." + std::string(k.str());
        bool is_bias = std::any_of(full.begin(), full.end(),
                                   [name = k.str()](const ParamInfo& i) { return i.bias && i.key == name; });
        if (is_bias)
          fail(pos_of(k.source()), key,
               "bias = false omits this bias parameter; expected one of " + join(names));
        fail(pos_of(k.source()), key,
             "unknown parameter for " + kind_text() + "; expected one of " + join(names));
      }
    }

    if (spec_.seed) draw(table);  // the whole stream, so inline values never shift drawn ones
    for (const ParamInfo& info : table) {
      std::string key = "parameters." + info.key;
      const toml::node* n = given ? get(info.key, given, "parameters.") : nullptr;
      if (!n) {
        if (spec_.seed) continue;
        fail(given ? pos_of(given->source()) : SourcePos{}, key,
             "missing parameter '" + info.key + "' (expected " + shape_text(info.shape) + ": " +
                 info.meaning + ") and no [init] table to draw it from");
      }
      Tensor t{info.shape, {}};
      read_tensor(*n, info.shape, 0, key, shape_text(info.shape), t.values);
      if (info.permutation) check_permutation(*n, t);
      spec_.params[info.key] = std::move(t);
    }
  }
};

SourcePos position(const Spec& spec, const std::string& key) {
  auto it = spec.positions.find(key);
  if (it == spec.positions.end() && key == "init.scale") it = spec.positions.find("init");
  return it == spec.positions.end() ? SourcePos{} : it->second;
}

}  // namespace

Spec parse_spec(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    SourcePos pos = pos_of(e.source());
    // One line: toml++ quotes the offending text, newline included ("expected 'true', saw
    // 't\n'"), so control characters are written as escapes and trailing blanks dropped.
    std::string what;
    for (char ch : std::string_view(e.description())) {
      switch (ch) {
        case '\n': what += "\\n"; break;
        case '\r': what += "\\r"; break;
        case '\t': what += "\\t"; break;
        default:
          if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
            const auto b = static_cast<unsigned char>(ch);
            what += "\\x";
            what += "0123456789ABCDEF"[b >> 4];
            what += "0123456789ABCDEF"[b & 15];
          } else {
            what += ch;
          }
      }
    }
    while (!what.empty() && what.back() == ' ') what.pop_back();
    throw located_error(display_path(path), pos.line, pos.col, "TOML syntax error: " + what);
  }
  return SpecReader(root, path).read();
}

Spec load_spec(const std::string& path) {
  // read_file refuses what is not a regular file (a directory, a FIFO that would block).
  return parse_spec(circuits::io::read_file(path), path);
}

void fail_at_key(const Spec& spec, const std::string& key, const std::string& what) {
  fail_at(spec.path, position(spec, key), key, what);
}

}  // namespace rnncc::compiler
