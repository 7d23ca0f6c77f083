// Cost-register automata: files, the direct run (the oracle), and the switched ReLU spec.
#include "proofs/cost_register.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>

#include "circuits/budget.hpp"
#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "compiler/spec_toml.hpp"
#include "proofs/matrix.hpp"
#include "proofs/toml_reader.hpp"

namespace rnncc::proofs {
namespace {

constexpr std::int64_t kMaxConstant = (std::int64_t{1} << 31) - 1;

// A cursor over one update string.
class UpdateParser {
 public:
  explicit UpdateParser(std::string_view s) : s_(s) {}

  // "xJ := max(xA, xB)" | "xJ := xA + xB" | "xJ := xA + C"; registers 1-based in the text.
  std::optional<CraUpdate> parse() {
    CraUpdate u;
    auto dst = reg();
    if (!dst || !lit(":=")) return std::nullopt;
    u.dst = *dst;
    if (lit("max")) {
      auto a = (lit("(") ? reg() : std::nullopt);
      if (!a || !lit(",")) return std::nullopt;
      auto b = reg();
      if (!b || !lit(")")) return std::nullopt;
      u.op = CraUpdate::Op::Max;
      u.a = *a;
      u.b = *b;
    } else {
      auto a = reg();
      if (!a || !lit("+")) return std::nullopt;
      u.a = *a;
      if (auto b = reg()) {
        u.op = CraUpdate::Op::Add;
        u.b = *b;
      } else if (auto c = number()) {
        u.op = CraUpdate::Op::AddConst;
        u.c = static_cast<long>(*c);
      } else {
        return std::nullopt;
      }
    }
    skip();
    if (i_ != s_.size()) return std::nullopt;
    return u;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;

  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool lit(std::string_view t) {
    skip();
    if (s_.substr(i_, t.size()) != t) return false;
    i_ += t.size();
    return true;
  }
  std::optional<std::int64_t> number() {
    skip();
    const std::size_t start = i_;
    std::int64_t v = 0;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      v = v * 10 + (s_[i_++] - '0');
      if (v > kMaxConstant) return std::nullopt;
    }
    if (i_ == start) return std::nullopt;
    return v;
  }
  // "xN", returned 0-based (N ≥ 1); the range is checked by the caller.
  std::optional<std::size_t> reg() {
    skip();
    const std::size_t save = i_;
    if (i_ < s_.size() && s_[i_] == 'x') {
      ++i_;
      if (auto n = number(); n && *n >= 1 && (i_ >= s_.size() || !std::isalnum(static_cast<unsigned char>(s_[i_]))))
        return static_cast<std::size_t>(*n - 1);
    }
    i_ = save;
    return std::nullopt;
  }
};

class CraReader : TomlReader {
 public:
  CraReader(const toml::table& root, const std::string& path) : TomlReader(root, path, "<cost-register automaton>") {
    a_.path = path;
  }

  CostRegisterAutomaton read() {
    static constexpr std::array<std::string_view, 3> kKeys = {"registers", "alphabet", "updates"};
    check_keys(kKeys);
    a_.registers = read_count(require("registers", "the number of registers, a positive integer"), "registers",
                              kMaxRegisters);
    a_.alphabet = read_alphabet(kMaxCraSymbols);
    const std::string table_what = "a table [updates] with one array of update strings per symbol";
    const toml::node& n = require("updates", table_what);
    const toml::table* t = n.as_table();
    if (!t) expected(n, "updates", table_what);
    for (auto&& [k, v] : *t)
      if (std::find(a_.alphabet.begin(), a_.alphabet.end(), k.str()) == a_.alphabet.end())
        fail(pos_of(k.source()), "updates." + std::string(k.str()), "not a symbol of the alphabet");
    for (const std::string& sym : a_.alphabet) {
      const std::string key = "updates." + sym;
      const toml::node* row = t->get(sym);
      if (!row) fail(pos_of(t->source()), key, "missing; expected an array of update strings (possibly empty)");
      const toml::array* arr = row->as_array();
      if (!arr || arr->size() > a_.registers)
        expected(*row, key, fmt::format("an array of at most {} update strings (one per register)", a_.registers));
      std::vector<CraUpdate> ups;
      std::vector<bool> assigned(a_.registers, false);
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const toml::node& u = *arr->get(i);
        const std::string ukey = fmt::format("{}[{}]", key, i);
        constexpr std::string_view what =
            "an update \"xJ := max(xA, xB)\", \"xJ := xA + xB\" or \"xJ := xA + C\" (C an integer 0..2^31-1)";
        if (!u.is_string() || u.as_string()->get().size() > 256) expected(u, ukey, what);
        std::optional<CraUpdate> up = UpdateParser(u.as_string()->get()).parse();
        if (!up) expected(u, ukey, what);
        for (std::size_t r : {up->dst, up->a, up->b})
          if (r >= a_.registers)
            fail(pos_of(u.source()), ukey, fmt::format("register x{} out of range; expected x1..x{}", r + 1, a_.registers));
        if (assigned[up->dst])
          fail(pos_of(u.source()), ukey, fmt::format("x{} is assigned twice for one symbol", up->dst + 1));
        assigned[up->dst] = true;
        ups.push_back(*up);
      }
      a_.updates.push_back(std::move(ups));
    }
    return std::move(a_);
  }

 private:
  CostRegisterAutomaton a_;
};

}  // namespace

CostRegisterAutomaton parse_cra(std::string_view text, const std::string& path) {
  const toml::table root = parse_toml(text, path, "<cost-register automaton>");
  return CraReader(root, path).read();
}

CostRegisterAutomaton load_cra(const std::string& path) { return parse_cra(circuits::io::read_file(path), path); }

std::string update_text(const CraUpdate& u) {
  switch (u.op) {
    case CraUpdate::Op::Max: return fmt::format("x{} := max(x{}, x{})", u.dst + 1, u.a + 1, u.b + 1);
    case CraUpdate::Op::Add: return fmt::format("x{} := x{} + x{}", u.dst + 1, u.a + 1, u.b + 1);
    case CraUpdate::Op::AddConst: return fmt::format("x{} := x{} + {}", u.dst + 1, u.a + 1, u.c.get_str());
  }
  return "";  // LCOV_EXCL_LINE
}

std::string cra_text(const CostRegisterAutomaton& a) {
  std::string out = fmt::format("registers = {}\nalphabet = [", a.registers);
  for (std::size_t s = 0; s < a.alphabet.size(); ++s) out += fmt::format("{}\"{}\"", s ? ", " : "", a.alphabet[s]);
  out += "]\n\n[updates]\n";
  for (std::size_t s = 0; s < a.alphabet.size(); ++s) {
    out += a.alphabet[s] + " = [";
    for (std::size_t i = 0; i < a.updates[s].size(); ++i)
      out += fmt::format("{}\"{}\"", i ? ", " : "", update_text(a.updates[s][i]));
    out += "]\n";
  }
  return out;
}

std::vector<std::vector<mpz_class>> run_cra(const CostRegisterAutomaton& a, const std::vector<std::size_t>& word) {
  std::vector<mpz_class> x(a.registers, 0), next;
  std::vector<std::vector<mpz_class>> out;
  out.reserve(word.size());
  for (std::size_t t = 0; t < word.size(); ++t) {
    if (word[t] >= a.alphabet.size())
      throw Error(fmt::format("run_cra: symbol {} at position {} is not in the alphabet", word[t], t + 1));
    next = x;
    for (const CraUpdate& u : a.updates[word[t]]) {
      switch (u.op) {
        case CraUpdate::Op::Max: next[u.dst] = x[u.a] > x[u.b] ? x[u.a] : x[u.b]; break;
        case CraUpdate::Op::Add: next[u.dst] = x[u.a] + x[u.b]; break;
        case CraUpdate::Op::AddConst: next[u.dst] = x[u.a] + u.c; break;
      }
    }
    x.swap(next);
    out.push_back(x);
  }
  return out;
}

CostRegisterAutomaton random_cra(std::size_t registers, std::size_t symbols, std::uint64_t seed) {
  if (registers < 1 || registers > kMaxRegisters || symbols < 1 || symbols > kMaxCraSymbols)
    throw Error("random_cra: registers and symbols must be positive and within the file limits");
  compiler::SplitMix64 rng(seed);
  CostRegisterAutomaton a;
  a.registers = registers;
  for (std::size_t s = 0; s < symbols; ++s) a.alphabet.push_back(std::string(1, static_cast<char>('a' + s % 26)) +
                                                                  (s >= 26 ? std::to_string(s / 26) : ""));
  a.updates.resize(symbols);
  for (std::size_t s = 0; s < symbols; ++s)
    for (std::size_t j = 0; j < registers; ++j) {
      if (rng.below(2) == 0) continue;
      CraUpdate u;
      u.dst = j;
      u.op = static_cast<CraUpdate::Op>(rng.below(3));
      u.a = rng.below(registers);
      u.b = rng.below(registers);
      if (u.op == CraUpdate::Op::AddConst) u.c = static_cast<unsigned long>(rng.below(4));
      a.updates[s].push_back(u);
    }
  return a;
}

std::string cra_spec_text(const CostRegisterAutomaton& a, const CraSpecOptions& options) {
  const std::size_t k = a.registers, d = 2 * k, m = a.alphabet.size();
  // The spec holds one dense d × d matrix a symbol (m·d² entries: a few bytes of text each, then
  // an exact rational each once parsed): a file within the reader's limits (1024 registers, 4096
  // symbols) could ask for 10^10 of them, so the size is checked before anything is built.
  circuits::check_bytes(static_cast<double>(m) * static_cast<double>(d) * static_cast<double>(d) * 40,
                        fmt::format("the switched spec of a cost-register automaton ({} symbols, {} × {} matrices)", m,
                                    d, d));
  std::string out = fmt::format(
      "# A cost-register automaton over (N, +, max) ({} registers, {} symbols) as a switched ReLU RNN\n"
      "# (rnncc construct cra; the paper's Thm 14): register j is h[2j] + h[2j+1], each coordinate one ReLU;\n"
      "# max(a, b) = relu(a - b) + relu(b){}.\n",
      k, m, options.printed_max ? " -- HERE THE PRINTED GADGET relu(a - b) ALONE, which is not max" : "");
  out += fmt::format("name = \"{}\"\nkind = \"switched\"\nd = {}\nd_out = {}\nalphabet = [", options.name, d,
                     options.accept ? 1 : k);
  for (std::size_t s = 0; s < m; ++s) out += fmt::format("{}\"{}\"", s ? ", " : "", a.alphabet[s]);
  out += fmt::format("]\noutputs = \"{}\"\ndomain = \"exact\"\nT = {}\n\n[parameters]\nA = [", options.accept ? "accept" : "all",
                     options.T);
  QMatrix b = zero_matrix(m, d);
  for (std::size_t s = 0; s < m; ++s) {
    QMatrix A = zero_matrix(d, d);
    std::vector<bool> assigned(k, false);
    auto reg = [&](std::size_t row, std::size_t r, int sign) {  // row += sign · x_r
      A[row][2 * r] += sign;
      A[row][2 * r + 1] += sign;
    };
    for (const CraUpdate& u : a.updates[s]) {
      assigned[u.dst] = true;
      const std::size_t lo = 2 * u.dst, hi = lo + 1;
      switch (u.op) {
        case CraUpdate::Op::Max:
          reg(lo, u.a, +1);
          reg(lo, u.b, -1);
          if (!options.printed_max) reg(hi, u.b, +1);
          break;
        case CraUpdate::Op::Add:
          reg(lo, u.a, +1);
          reg(lo, u.b, +1);
          break;
        case CraUpdate::Op::AddConst:
          reg(lo, u.a, +1);
          b[s][lo] = mpq_class(u.c);
          break;
      }
    }
    for (std::size_t j = 0; j < k; ++j)
      if (!assigned[j]) {
        A[2 * j][2 * j] = 1;
        A[2 * j + 1][2 * j + 1] = 1;
      }
    out += (s ? ",\n  " : "\n  ") + toml_matrix(A);
  }
  out += ",\n]\nb = " + toml_matrix(b) + "\n";
  QMatrix Wy = zero_matrix(options.accept ? 1 : k, d);
  for (std::size_t j = 0; j < (options.accept ? 1 : k); ++j) Wy[j][2 * j] = Wy[j][2 * j + 1] = 1;
  out += "W_y = " + toml_matrix(Wy) + "\nc_y = " + toml_vector(QVector(options.accept ? 1 : k, 0)) + "\n";
  if (options.accept) out += "o = [1]\n";
  return out;
}

compiler::Spec cra_spec(const CostRegisterAutomaton& a, const CraSpecOptions& options) {
  return compiler::parse_spec(cra_spec_text(a, options), a.path.empty() ? options.name + ".toml" : a.path + ".spec.toml");
}

}  // namespace rnncc::proofs
