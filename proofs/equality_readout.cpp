// Readout by equality tests: positivity against an OR of modular equality tests.
#include "proofs/equality_readout.hpp"

#include <fmt/format.h>

#include <set>

#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "sim/precision.hpp"
#include "circuits/evaluate.hpp"
#include "compiler/interface.hpp"
#include "compiler/unroll.hpp"
#include "proofs/spec_run.hpp"

namespace rnncc::proofs {
namespace {

struct WordValues {
  mpq_class z;
  bool positive_readout = false;
};

}  // namespace

EqualityReadoutReport check_equality_readout(const compiler::Spec& spec, std::size_t L, std::uint64_t prime_floor,
                                             const std::vector<std::uint64_t>& primes_override) {
  if (!compiler::is_linear(spec.kind) || !spec.one_hot || !spec.accept)
    throw Error("equality readout: needs an alphabet spec of a linear kind with accept");
  if (L < 1 || L > 16) throw Error(fmt::format("equality readout: L must be in 1..16, got {}", L));
  compiler::Spec scores = spec;  // y_T without the accept test
  scores.accept = false;
  scores.outputs = compiler::OutputMode::Final;
  scores.params.erase("o");
  const compiler::Tensor& o = spec.param("o");
  const std::size_t m = spec.m();

  // Pass 1, exact: z and the positivity readout for every word; V_T; B.
  EqualityReadoutReport r;
  std::vector<std::vector<std::vector<std::size_t>>> words(L + 1);
  std::vector<std::vector<WordValues>> values(L + 1);
  std::vector<std::set<mpq_class>> V(L + 1);
  circuits::ExactDomain exact;
  for (std::size_t T = 1; T <= L; ++T) {
    words[T] = words_of_length(m, T);
    const circuits::Circuit accept_c = compiler::unroll(spec, T), score_c = compiler::unroll(scores, T);
    const compiler::CircuitInputs accept_in(spec, accept_c), score_in(scores, score_c);
    for (const auto& w : words[T]) {
      const compiler::InputSequence xs = one_hot_inputs(m, w);
      const auto acc = circuits::evaluate(accept_c, exact, accept_in.values(xs));
      const auto y = circuits::evaluate(score_c, exact, score_in.values(xs));
      WordValues wv;
      for (std::size_t i = 0; i < y.size(); ++i) wv.z += o.at(i) * y[i];
      wv.positive_readout = acc.at(0) != 0;
      r.max_bits = std::max(r.max_bits, sim::bit_length(wv.z));
      V[T].insert(wv.z);
      values[T].push_back(std::move(wv));
      ++r.words;
    }
    r.values_per_length.push_back(V[T].size());
  }
  for (const auto& set : V)
    for (const mpq_class& v : set) r.max_bits = std::max(r.max_bits, sim::bit_length(v));

  // The primes.
  if (!primes_override.empty()) {
    r.primes = primes_override;
  } else {
    mpz_class product = 1, bound = 1;
    mpz_mul_2exp(bound.get_mpz_t(), bound.get_mpz_t(), 2 * r.max_bits + 1);
    for (std::uint64_t p = std::max<std::uint64_t>(prime_floor, 2); product <= bound; ++p)
      if (circuits::is_prime(p)) {
        r.primes.push_back(p);
        product *= static_cast<unsigned long>(p);
      }
  }

  // Pass 2, modular: [z ≡ v (mod p) for every p] for the v ∈ V_T with v > 0; OR over them.
  for (std::size_t T = 1; T <= L; ++T) {
    const circuits::Circuit score_c = compiler::unroll(scores, T);
    const compiler::CircuitInputs score_in(scores, score_c);
    std::vector<std::vector<bool>> equal(words[T].size());  // equal[word][index of positive v]
    std::vector<mpq_class> positives;
    for (const mpq_class& v : V[T])
      if (v > 0) positives.push_back(v);
    for (auto& e : equal) e.assign(positives.size(), true);
    for (std::uint64_t p : r.primes) {
      circuits::ModpDomain dom(p);
      std::vector<std::uint64_t> vres;
      for (const mpq_class& v : positives) vres.push_back(dom.constant(v));
      for (std::size_t k = 0; k < words[T].size(); ++k) {
        const auto exact_in = score_in.values(one_hot_inputs(m, words[T][k]));
        std::vector<std::uint64_t> in;
        for (const mpq_class& x : exact_in) in.push_back(dom.constant(x));
        const auto y = circuits::evaluate(score_c, dom, in);
        std::uint64_t z = 0;
        for (std::size_t i = 0; i < y.size(); ++i) z = dom.add(z, dom.mul(dom.constant(o.at(i)), y[i]));
        for (std::size_t j = 0; j < positives.size(); ++j)
          if (z != vres[j]) equal[k][j] = false;
      }
    }
    for (std::size_t k = 0; k < words[T].size(); ++k) {
      bool any = false;
      for (bool e : equal[k]) any = any || e;
      if (values[T][k].positive_readout) ++r.positive;
      if (any == values[T][k].positive_readout) ++r.agree;
    }
  }
  return r;
}

}  // namespace rnncc::proofs
