// The dwfa construction: an automaton written as a pd spec with maps, and its input files.
#include "proofs/dwfa.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "circuits/error.hpp"
#include "compiler/spec_toml.hpp"

namespace rnncc::proofs {
namespace {

std::string number(const mpq_class& v) {
  if (v.get_den() == 1) return v.get_str();
  std::string out(1, '"');  // a quoted rational ("-1/3"); built by append (GCC 12 misreads "\"" + s)
  return out.append(v.get_str()).append(1, '"');
}

template <class Items, class Show>
std::string array(const Items& items, Show show) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + show(items[i]);
  return out + "]";
}

}  // namespace

std::string dwfa_spec_text(const Automaton& a, const DwfaOptions& options) {
  const std::size_t d = a.states, m = a.alphabet.size();
  std::string name = options.name;
  if (name.empty()) name = a.path.empty() ? "dwfa" : std::filesystem::path(a.path).stem().string();
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  auto index = [](std::size_t v) { return std::to_string(v); };
  std::string out = fmt::format(
      "# A deterministic weighted automaton ({} states, {} symbols) as a one-layer pd RNN with maps\n"
      "# (rnncc construct dwfa): lane q is state q, P[s][q] = next state, delta[s][q] = weight,\n"
      "# h_0 = e_start, no bias, y = final . h_T = f_A(word).\n",
      d, m);
  out += fmt::format("name = {}\nkind = \"pd\"\nmaps = true\nd = {}\nd_out = 1\nalphabet = {}\n", quoted(name), d,
                     array(a.alphabet, quoted));
  out += fmt::format("bias = false\noutputs = \"final\"\ndomain = \"exact\"\nT = {}\n", options.T);
  std::vector<mpq_class> h0(d, 0);
  h0[a.start] = 1;
  out += "initial_state = " + array(h0, number) + "\n\n[parameters]\nP = [";
  for (std::size_t s = 0; s < m; ++s) out += (s ? ", " : "") + array(a.next[s], index);
  out += "]\ndelta = [";
  for (std::size_t s = 0; s < m; ++s) out += (s ? ", " : "") + array(a.weight[s], number);
  out += "]\nW_b = [";
  const std::vector<mpq_class> zeros(m, 0);
  for (std::size_t q = 0; q < d; ++q) out += (q ? ", " : "") + array(zeros, number);
  out += "]\nW_y = [" + array(a.final, number) + "]\n";
  return out;
}

compiler::Spec dwfa_spec(const Automaton& a, const DwfaOptions& options) {
  return compiler::parse_spec(dwfa_spec_text(a, options), a.path.empty() ? "dwfa.toml" : a.path + ".spec.toml");
}

std::vector<std::vector<std::size_t>> dwfa_words(const Automaton& a, std::uint64_t T, std::size_t count,
                                                 std::uint64_t seed) {
  if (T < 1 || T > (std::uint64_t{1} << 30)) throw Error("dwfa inputs: T must be in 1..2^30, got " + std::to_string(T));
  if (count < 1) throw Error("dwfa inputs: at least one word is needed");
  const std::size_t m = a.alphabet.size();
  // m^T, saturated above `count`.
  std::size_t all = 1;
  for (std::uint64_t t = 0; t < T && all <= count; ++t) all *= m;
  std::vector<std::vector<std::size_t>> words;
  if (all <= count) {
    std::vector<std::size_t> w(T, 0);
    for (std::size_t i = 0; i < all; ++i) {
      words.push_back(w);
      for (std::size_t t = T; t-- > 0;) {  // the next word: increment in base m, last symbol fastest
        if (++w[t] < m) break;
        w[t] = 0;
      }
    }
    return words;
  }
  compiler::SplitMix64 rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::size_t> w(T);
    for (std::size_t& s : w) s = rng.below(m);
    words.push_back(std::move(w));
  }
  return words;
}

std::string dwfa_inputs_text(const Automaton& a, std::uint64_t T, std::size_t count, std::uint64_t seed) {
  const std::vector<std::vector<std::size_t>> words = dwfa_words(a, T, count, seed);
  std::string out = fmt::format("# {} words of length {}, each followed by f_A (the automaton run directly)\n",
                                words.size(), T);
  for (const std::vector<std::size_t>& w : words) {
    std::string line;
    for (std::size_t s : w) line += (line.empty() ? "" : " ") + a.alphabet[s];
    out += line + "  # f_A = " + run_automaton(a, w).get_str() + "\n";
  }
  return out;
}

}  // namespace rnncc::proofs
