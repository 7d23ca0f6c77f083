// Automaton files (toml++), the direct run (the oracle), and reachability and trimming on the
// transition graph with Boost.Graph.
#include "proofs/automaton.hpp"

#include <toml++/toml.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/pending/queue.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/text.hpp"
#include "compiler/spec.hpp"
#include "proofs/toml_reader.hpp"

namespace rnncc::proofs {
namespace {

class AutomatonReader : TomlReader {
 public:
  AutomatonReader(const toml::table& root, const std::string& path) : TomlReader(root, path, "<automaton>") {
    a_.path = path;
  }

  Automaton read() {
    static constexpr std::array<std::string_view, 5> kKeys = {"states", "alphabet", "start", "final", "transitions"};
    check_keys(kKeys);
    a_.states = read_count(require("states", "the number of states, a positive integer"), "states", kMaxStates);
    a_.alphabet = read_alphabet(kMaxSymbols);
    const toml::node& start = require("start", "the start state, an integer in 0.." + std::to_string(a_.states - 1));
    a_.start = read_state(start, "start");
    read_final();
    read_transitions();
    return std::move(a_);
  }

 private:
  Automaton a_;

  std::size_t read_state(const toml::node& n, const std::string& key) const {
    const std::string what = "a state, an integer in 0.." + std::to_string(a_.states - 1);
    if (!n.is_integer() || n.as_integer()->get() < 0 || n.as_integer()->get() >= static_cast<std::int64_t>(a_.states))
      expected(n, key, what);
    return static_cast<std::size_t>(n.as_integer()->get());
  }

  void read_final() {
    const toml::node& n = require("final", "an array of " + std::to_string(a_.states) + " rationals ρ(q)");
    const toml::array& arr =
        read_array(n, "final", a_.states, "an array of " + std::to_string(a_.states) + " rationals ρ(q), one per state");
    for (std::size_t q = 0; q < a_.states; ++q)
      a_.final.push_back(read_rational(*arr.get(q), "final[" + std::to_string(q) + "]"));
  }

  void read_transitions() {
    const toml::node& n = require("transitions", "a table [transitions] with one row per symbol");
    const toml::table* t = n.as_table();
    if (!t) expected(n, "transitions", "a table [transitions] with one row per symbol");
    for (auto&& [k, v] : *t)
      if (std::find(a_.alphabet.begin(), a_.alphabet.end(), k.str()) == a_.alphabet.end())
        fail(pos_of(k.source()), "transitions." + std::string(k.str()),
             "not a symbol of the alphabet; expected one row per symbol of alphabet");
    const std::string row_what = "an array of " + std::to_string(a_.states) + " pairs [δ(q, σ), w(q, σ)], one per state q";
    for (const std::string& sym : a_.alphabet) {
      const std::string key = "transitions." + sym;
      const toml::node* row = t->get(sym);
      if (!row) fail(pos_of(t->source()), key, "missing; expected " + row_what);
      const toml::array& arr = read_array(*row, key, a_.states, row_what);
      std::vector<std::size_t> next;
      std::vector<mpq_class> weight;
      for (std::size_t q = 0; q < a_.states; ++q) {
        const std::string pkey = key + "[" + std::to_string(q) + "]";
        const toml::array& pair = read_array(*arr.get(q), pkey, 2, "a pair [δ(q, σ), w(q, σ)]: the next state and the weight");
        next.push_back(read_state(*pair.get(0), pkey + "[0]"));
        weight.push_back(read_rational(*pair.get(1), pkey + "[1]"));
      }
      a_.next.push_back(std::move(next));
      a_.weight.push_back(std::move(weight));
    }
  }
};

// The transition graph: an edge q → δ(q, σ) per state and symbol (parallel edges kept).
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

// Vertices reached from `sources` by breadth-first search (Boost.Graph) in `g`.
template <class G>
std::vector<bool> reached(const G& g, const std::vector<std::size_t>& sources) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  auto colors = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  std::vector<bool> out(n, false);
  if (sources.empty()) return out;
  boost::queue<std::size_t> queue;
  boost::breadth_first_search(g, sources.begin(), sources.end(), queue, boost::default_bfs_visitor(), colors);
  for (std::size_t v = 0; v < n; ++v) out[v] = color[v] != boost::white_color;
  return out;
}

}  // namespace

Automaton parse_automaton(std::string_view text, const std::string& path) {
  const toml::table root = parse_toml(text, path, "<automaton>");
  return AutomatonReader(root, path).read();
}

Automaton load_automaton(const std::string& path) { return parse_automaton(circuits::io::read_file(path), path); }

std::string automaton_text(const Automaton& a) {
  auto rational = [](const mpq_class& v) {
    if (v.get_den() == 1) return v.get_str();
    std::string out(1, '"');
    return out.append(v.get_str()).append(1, '"');
  };
  std::string out = "states = " + std::to_string(a.states) + "\nalphabet = [";
  for (std::size_t s = 0; s < a.alphabet.size(); ++s) out += (s ? ", \"" : "\"") + a.alphabet[s] + "\"";
  out += "]\nstart = " + std::to_string(a.start) + "\nfinal = [";
  for (std::size_t q = 0; q < a.states; ++q) out += (q ? ", " : "") + rational(a.final[q]);
  out += "]\n\n[transitions]\n";
  for (std::size_t s = 0; s < a.alphabet.size(); ++s) {
    out += a.alphabet[s] + " = [";
    for (std::size_t q = 0; q < a.states; ++q)
      out += (q ? ", [" : "[") + std::to_string(a.next[s][q]) + ", " + rational(a.weight[s][q]) + "]";
    out += "]\n";
  }
  return out;
}

mpq_class run_automaton(const Automaton& a, const std::vector<std::size_t>& word) {
  std::size_t q = a.start;
  mpq_class value = 1;
  for (std::size_t t = 0; t < word.size(); ++t) {
    const std::size_t s = word[t];
    if (s >= a.alphabet.size())
      throw Error("run_automaton: symbol " + std::to_string(s) + " at position " + std::to_string(t + 1) +
                  " is not in the alphabet of " + std::to_string(a.alphabet.size()));
    value *= a.weight[s][q];
    q = a.next[s][q];
  }
  return value * a.final[q];
}

std::vector<std::size_t> Reachability::unreachable() const {
  std::vector<std::size_t> out;
  for (std::size_t q = 0; q < reachable.size(); ++q)
    if (!reachable[q]) out.push_back(q);
  return out;
}

std::vector<std::size_t> Reachability::dead() const {
  std::vector<std::size_t> out;
  for (std::size_t q = 0; q < reachable.size(); ++q)
    if (reachable[q] && !live[q]) out.push_back(q);
  return out;
}

Reachability reachability(const Automaton& a) {
  Graph all(a.states), weighted(a.states);  // every transition; those of nonzero weight
  for (std::size_t s = 0; s < a.alphabet.size(); ++s)
    for (std::size_t q = 0; q < a.states; ++q) {
      boost::add_edge(q, a.next[s][q], all);
      if (a.weight[s][q] != 0) boost::add_edge(q, a.next[s][q], weighted);
    }
  Reachability r;
  r.reachable = reached(all, {a.start});
  std::vector<std::size_t> accepting;
  for (std::size_t q = 0; q < a.states; ++q)
    if (a.final[q] != 0) accepting.push_back(q);
  // Co-reachability: the states that reach an accepting one, i.e. those reached from the
  // accepting states in the reversed graph of nonzero-weight transitions.
  r.live = reached(boost::make_reverse_graph(weighted), accepting);
  for (std::size_t q = 0; q < a.states; ++q) r.live[q] = r.live[q] && r.reachable[q];
  return r;
}

Automaton trim(const Automaton& a) {
  const Reachability r = reachability(a);
  Automaton t;
  t.path = a.path;
  t.alphabet = a.alphabet;
  if (!r.live[a.start]) {  // f_A = 0 on every word: one state, ρ = 0
    t.states = 1;
    t.start = 0;
    t.final = {0};
    t.next.assign(a.alphabet.size(), {0});
    t.weight.assign(a.alphabet.size(), {mpq_class(0)});
    return t;
  }
  constexpr std::size_t kNone = SIZE_MAX;
  std::vector<std::size_t> index(a.states, kNone);
  for (std::size_t q = 0; q < a.states; ++q)
    if (r.live[q]) index[q] = t.states++;
  const bool sink = !r.dead().empty();
  const std::size_t sink_state = t.states;
  if (sink) ++t.states;
  t.start = index[a.start];
  t.final.assign(t.states, 0);
  t.next.assign(a.alphabet.size(), std::vector<std::size_t>(t.states, sink_state));
  t.weight.assign(a.alphabet.size(), std::vector<mpq_class>(t.states, 0));
  for (std::size_t q = 0; q < a.states; ++q) {
    if (index[q] == kNone) continue;
    t.final[index[q]] = a.final[q];
    for (std::size_t s = 0; s < a.alphabet.size(); ++s) {
      const std::size_t to = a.next[s][q];  // reachable, since q is
      if (index[to] != kNone) {
        t.next[s][index[q]] = index[to];
        t.weight[s][index[q]] = a.weight[s][q];
      }  // else: to the sink with weight 0 (the dead state contributes 0 anyway)
    }
  }
  return t;
}

Automaton random_automaton(std::size_t states, std::size_t symbols, std::uint64_t seed, bool permutations) {
  if (states == 0 || symbols == 0 || symbols > 26) throw Error("random_automaton: 1..4096 states and 1..26 symbols");
  compiler::SplitMix64 rng(seed);
  auto rational = [&] {
    mpq_class v(static_cast<long>(rng.below(7)) - 3, static_cast<unsigned long>(rng.below(3) + 1));
    v.canonicalize();
    return v;
  };
  Automaton a;
  a.states = states;
  for (std::size_t s = 0; s < symbols; ++s) a.alphabet.push_back(std::string(1, static_cast<char>('a' + s)));
  a.start = rng.below(states);
  for (std::size_t q = 0; q < states; ++q) a.final.push_back(rational());
  for (std::size_t s = 0; s < symbols; ++s) {
    std::vector<std::size_t> next(states);
    if (permutations) {
      std::iota(next.begin(), next.end(), std::size_t{0});
      for (std::size_t i = states - 1; i >= 1; --i) std::swap(next[i], next[rng.below(i + 1)]);
    } else {
      for (std::size_t& n : next) n = rng.below(states);
    }
    std::vector<mpq_class> weight;
    for (std::size_t q = 0; q < states; ++q) weight.push_back(rational());
    a.next.push_back(std::move(next));
    a.weight.push_back(std::move(weight));
  }
  return a;
}

Automaton s5_automaton() {
  std::vector<std::array<int, 5>> perms;
  std::array<int, 5> p = {0, 1, 2, 3, 4};
  do perms.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));  // lexicographic: the identity first
  auto index = [&](const std::array<int, 5>& x) {
    return static_cast<std::size_t>(std::lower_bound(perms.begin(), perms.end(), x) - perms.begin());
  };
  const std::array<std::array<int, 5>, 2> gens = {{{1, 2, 3, 4, 0}, {1, 0, 2, 3, 4}}};
  Automaton a;
  a.states = perms.size();
  a.alphabet = {"c", "t"};
  a.start = 0;
  a.final.assign(a.states, 0);
  a.final[0] = 1;
  for (const auto& g : gens) {
    std::vector<std::size_t> next;
    for (const auto& x : perms) {
      std::array<int, 5> y;  // g after x: y(k) = g(x(k))
      for (std::size_t k = 0; k < 5; ++k) y[k] = g[static_cast<std::size_t>(x[k])];
      next.push_back(index(y));
    }
    a.next.push_back(std::move(next));
    a.weight.emplace_back(a.states, mpq_class(1));
  }
  return a;
}

}  // namespace rnncc::proofs
