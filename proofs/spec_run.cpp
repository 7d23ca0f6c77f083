#include "proofs/spec_run.hpp"

#include "circuits/domains.hpp"
#include "circuits/error.hpp"
#include "circuits/evaluate.hpp"
#include "compiler/interpret.hpp"
#include "compiler/interface.hpp"
#include "compiler/pipeline.hpp"
#include "compiler/unroll.hpp"

namespace rnncc::proofs {

ExactRun run_exact(const compiler::Spec& spec, const compiler::InputSequence& xs) {
  const compiler::RunResult r = compiler::interpret(spec, xs, circuits::DomainKind::Exact, spec.modulus);
  ExactRun out;
  for (const auto& s : r.states) {
    QVector v;
    for (const std::string& x : s) v.emplace_back(x, 10);
    out.states.push_back(std::move(v));
  }
  for (const auto& y : r.outputs) {
    QVector v;
    for (const std::string& x : y) v.emplace_back(x, 10);
    out.outputs.push_back(std::move(v));
  }
  return out;
}

QVector circuit_outputs(const compiler::Spec& spec, const compiler::InputSequence& xs, const std::string& scan) {
  circuits::Circuit c = compiler::unroll(spec, xs.size());
  if (!scan.empty()) {
    compiler::PipelineResult r = compiler::run_script(std::move(c), compiler::parse_script("lift-scan -n " + scan));
    if (r.records.at(0).refused()) throw Error("lift-scan -n " + scan + " refused: " + r.records[0].refusal);
    c = std::move(r.circuit);
  }
  const compiler::CircuitInputs inputs(spec, c);
  circuits::ExactDomain dom;
  const auto out = circuits::evaluate(c, dom, inputs.values(xs));
  return QVector(out.begin(), out.end());
}

compiler::InputSequence one_hot_inputs(std::size_t m, const std::vector<std::size_t>& word) {
  compiler::InputSequence xs;
  for (std::size_t s : word) {
    std::vector<mpq_class> x(m, mpq_class(0));
    x.at(s) = 1;
    xs.push_back(std::move(x));
  }
  return xs;
}

std::vector<std::vector<std::size_t>> words_of_length(std::size_t m, std::size_t T) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> w(T, 0);
  while (true) {
    out.push_back(w);
    std::size_t i = T;
    while (i > 0 && w[i - 1] == m - 1) w[--i] = 0;
    if (i == 0) break;
    ++w[i - 1];
  }
  return out;
}

}  // namespace rnncc::proofs
