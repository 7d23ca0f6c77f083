#include "sim/instances.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "circuits/error.hpp"

namespace rnncc::sim {

using circuits::DomainKind;

std::string InstanceValues::format(std::size_t k, std::size_t o) const {
  const std::size_t i = k * outputs + o;
  switch (domain) {
    case DomainKind::Real: return fmt::format("{}", real[i]);
    case DomainKind::Exact: return exact[i].get_str();
    default: return std::to_string(modp_or_bool[i]);
  }
}

namespace {

void fetch(const InstanceFn& instance, std::vector<mpq_class>& values, std::size_t k, std::size_t n_in) {
  values.assign(n_in, mpq_class(0));
  instance(k, values);
  if (values.size() != n_in)
    throw Error(fmt::format("instance {}: {} values for {} inputs", k + 1, values.size(), n_in));
}

// One batch of instances [k0, k0 + B), fetched one by one and converted with `conv` into an
// [input][lane] matrix.
template <class Elem, class Conv>
std::vector<Elem> transpose_in(const InstanceFn& instance, std::vector<mpq_class>& values, std::size_t k0,
                               std::size_t B, std::size_t n_in, Conv conv) {
  std::vector<Elem> m(n_in * B);
  for (std::size_t k = 0; k < B; ++k) {
    fetch(instance, values, k0 + k, n_in);
    for (std::size_t i = 0; i < n_in; ++i) m[i * B + k] = conv(values[i]);
  }
  return m;
}

// A run's [output][lane] matrix into the instance-major result, at instances [k0, k0 + B).
template <class Elem>
void transpose_out(std::vector<Elem>& out, std::size_t k0, std::size_t B, std::size_t n_out, std::vector<Elem>& dst) {
  for (std::size_t o = 0; o < n_out; ++o)
    for (std::size_t k = 0; k < B; ++k) dst[(k0 + k) * n_out + o] = std::move(out[o * B + k]);
}

void add(SimStats& total, const SimStats& s) {
  total.seconds += s.seconds;
  total.transfer_seconds += s.transfer_seconds;
  total.gate_evals += s.gate_evals;
  total.tiles += s.tiles;
  total.tile = std::max(total.tile, s.tile);
  total.threads = s.threads;
  total.buffer_bytes = std::max(total.buffer_bytes, s.buffer_bytes);
}

}  // namespace

InstanceValues simulate_instances(const Schedule& s, const std::vector<std::vector<mpq_class>>& inputs,
                                  const BatchOptions& options, SimStats* stats) {
  return simulate_instances(
      s, inputs.size(), [&](std::size_t k, std::vector<mpq_class>& values) { values = inputs[k]; }, options, stats);
}

InstanceValues simulate_instances(const Schedule& s, std::size_t K, const InstanceFn& instance,
                                  const BatchOptions& options, SimStats* stats) {
  const std::size_t n_in = s.input_row.size(), n_out = s.output_literal.size();
  check_precision_request(s, options.sim);  // before any batch
  std::vector<mpq_class> values;
  InstanceValues r;
  r.domain = s.domain;
  r.instances = K;
  r.outputs = n_out;
  switch (s.domain) {
    case DomainKind::Real: r.real.resize(K * n_out); break;
    case DomainKind::Exact: r.exact.resize(K * n_out); break;
    default: r.modp_or_bool.resize(K * n_out);
  }
  std::size_t batch = options.batch;
  if (batch == 0) {  // as many lanes as keep a batch's input matrix within 64 MiB, at least 64
    const std::size_t elem = s.domain == DomainKind::Bool ? 1 : s.domain == DomainKind::Exact ? sizeof(mpq_class) + 16 : 8;
    const std::size_t fit = (std::size_t{64} << 20) * (s.domain == DomainKind::Bool ? 8 : 1) / std::max<std::size_t>(1, n_in * elem);
    batch = std::max<std::size_t>(K, 1);
    if (fit < batch) batch = std::max<std::size_t>(64, fit / 64 * 64);
  }
  const circuits::ModpDomain modp = s.domain == DomainKind::Modp ? circuits::ModpDomain(options.modulus)
                                                                  : circuits::ModpDomain();
  SimStats total;
  for (std::size_t k0 = 0; k0 < K; k0 += batch) {
    const std::size_t B = std::min(batch, K - k0);
    SimStats st;
    switch (s.domain) {
      case DomainKind::Real: {
        auto in = transpose_in<double>(instance, values, k0, B, n_in, [](const mpq_class& q) { return circuits::nearest_double(q); });
        auto out = options.engine ? options.engine->real(in, B, &st) : simulate_real(s, in, B, options.sim, &st);
        transpose_out(out, k0, B, n_out, r.real);
        break;
      }
      case DomainKind::Exact: {
        auto in = transpose_in<mpq_class>(instance, values, k0, B, n_in, [](const mpq_class& q) { return q; });
        auto out = simulate_exact(s, in, B, options.sim, &st);
        transpose_out(out, k0, B, n_out, r.exact);
        break;
      }
      case DomainKind::Modp: {
        auto in = transpose_in<std::uint64_t>(instance, values, k0, B, n_in, [&](const mpq_class& q) { return modp.constant(q); });
        auto out = options.engine ? options.engine->modp(in, B, &st)
                                  : simulate_modp(s, options.modulus, in, B, options.sim, &st);
        transpose_out(out, k0, B, n_out, r.modp_or_bool);
        break;
      }
      case DomainKind::Bool: {
        const std::size_t W = bool_words(B);
        std::vector<std::uint64_t> in(n_in * W, 0);
        for (std::size_t k = 0; k < B; ++k) {
          fetch(instance, values, k0 + k, n_in);
          for (std::size_t i = 0; i < n_in; ++i) {
            const mpq_class& q = values[i];
            if (q != 0 && q != 1)
              throw Error(fmt::format("instance {}: input {} is {}, not a bit (bool domain)", k0 + k + 1, i + 1,
                                      q.get_str()));
            if (q == 1) in[i * W + k / 64] |= 1ull << (k % 64);
          }
        }
        auto out = options.engine ? options.engine->boolean(in, B, &st) : simulate_bool(s, in, B, options.sim, &st);
        for (std::size_t o = 0; o < n_out; ++o)
          for (std::size_t k = 0; k < B; ++k) r.modp_or_bool[(k0 + k) * n_out + o] = (out[o * W + k / 64] >> (k % 64)) & 1;
        break;
      }
    }
    add(total, st);
    if (options.progress) options.progress(k0 + B, K);
  }
  total.batch = batch;
  if (stats) *stats = total;
  return r;
}

}  // namespace rnncc::sim
