#include "compiler/interface.hpp"

#include <fmt/format.h>

#include "circuits/error.hpp"
#include "compiler/models.hpp"

namespace rnncc::compiler {

using circuits::Port;
using circuits::PortRole;

CircuitInputs::CircuitInputs(const Spec& spec, const circuits::Circuit& c) : width_(spec.m()) {
  static const mpq_class kZero(0);
  sources_.resize(c.inputs().size());
  for (std::size_t k = 0; k < sources_.size(); ++k) {
    const Port& p = c.input_port(k);
    Source& src = sources_[k];
    src.port = p;
    src.name = &c.input_name(k);
    auto fail = [&](const std::string& why) {
      return Error(fmt::format("input '{}' of {}: {}", c.input_name(k), spec.name, why));
    };
    switch (p.role) {
      case PortRole::Sequence:
        if (p.step == 0 || p.index >= width_)
          throw fail(fmt::format("its port reads x[{}][{}], outside the spec's input width {}", p.step, p.index, width_));
        src.step = p.step;
        src.index = p.index;
        break;
      case PortRole::Symbol:  // a bit of the binary code of x[step]'s symbol (lower-bool --alphabet binary)
        if (p.step == 0 || p.word_bits == 0)
          throw fail(fmt::format("its symbol port needs a step t >= 1 and bit=B/W, got t={} and a {}-bit word", p.step, p.word_bits));
        if (!spec.one_hot)
          throw fail("it is a bit of a symbol's code, but the spec has no alphabet (real inputs)");
        src.step = p.step;
        src.symbol = true;
        break;
      case PortRole::Initial:
        src.value = &kZero;
        break;
      case PortRole::Parameter: {
        const std::string& key = c.port_keys()[p.key];
        auto it = spec.params.find(key);
        const Tensor* t = it == spec.params.end() ? nullptr : &it->second;
        if (!t) throw fail(fmt::format("its port names parameter '{}', which the spec does not have", key));
        if (p.index >= t->size())
          throw fail(fmt::format("its port reads element {} of parameter '{}', which has {}", p.index, key, t->size()));
        src.value = &t->at(p.index);
        break;
      }
      default:
        throw fail(fmt::format("it has no {} port (a sequence element, initial state or parameter), so no value "
                               "can be given to it",
                               p.role == PortRole::None ? "interface" : "input"));
    }
  }
}

bool word_bit(const mpq_class& v, unsigned bit, unsigned bits, bool is_unsigned) {
  if (v.get_den() != 1) throw Error(fmt::format("{} is not an integer: it has no bits", v.get_str()));
  const mpz_class lo = is_unsigned ? mpz_class(0) : -(mpz_class(1) << (bits - 1));
  const mpz_class hi = mpz_class(1) << (is_unsigned ? bits : bits - 1);
  if (v.get_num() < lo || v.get_num() >= hi)
    throw Error(fmt::format("{} does not fit a {}-bit {} word", v.get_str(), bits,
                            is_unsigned ? "unsigned" : "two's complement"));
  mpz_class n = v.get_num();
  if (n < 0) n += mpz_class(1) << bits;  // two's complement
  return mpz_tstbit(n.get_mpz_t(), bit) != 0;
}

std::vector<mpq_class> CircuitInputs::values(const InputSequence& xs) const {
  std::vector<mpq_class> out(sources_.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const Source& src = sources_[k];
    const mpq_class* v = src.value;
    mpq_class code;
    if (src.symbol) {
      if (src.step > xs.size())
        throw Error(fmt::format("input '{}' reads the symbol of step {}, outside a sequence of {} steps", *src.name,
                                src.step, xs.size()));
      const std::vector<mpq_class>& x = xs[src.step - 1];
      std::size_t ones = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] == 1) {
          ++ones;
          code = static_cast<unsigned long>(i);
        } else if (x[i] != 0) {
          ones = 2;
        }
      }
      if (ones != 1)
        throw Error(fmt::format("input '{}' reads the symbol of step {}, but x[{}] is not one-hot", *src.name, src.step,
                                src.step));
      v = &code;
    } else if (!v) {
      if (src.step > xs.size() || src.index >= xs[src.step - 1].size())
        throw Error(fmt::format("input '{}' reads x[{}][{}], outside a sequence of {} steps of width {}", *src.name,
                                src.step, src.index, xs.size(), width_));
      v = &xs[src.step - 1][src.index];
    }
    const Port& p = src.port;
    if (p.has_range && (*v < p.lo || *v > p.hi))
      throw Error(fmt::format("input '{}': value {} is outside its range [{}, {}]", *src.name, v->get_str(), p.lo, p.hi));
    if (p.word_bits) {
      try {
        out[k] = word_bit(*v, p.bit, p.word_bits, p.word_unsigned) ? 1 : 0;
      } catch (const Error& e) {
        throw Error(fmt::format("input '{}' (bit {} of a {}-bit word): {}", *src.name, p.bit, p.word_bits, e.what()));
      }
    } else {
      out[k] = *v;
    }
  }
  return out;
}

template <class V>
std::vector<V> expected_values(const Spec& spec, const circuits::OutputLayout& layout,
                               const std::vector<std::vector<V>>& ys) {
  std::vector<V> out;
  out.reserve(layout.values().size());
  for (const circuits::DecodedValue& d : layout.values()) {
    const Port& p = d.port;
    if (p.role == PortRole::Output) {
      if (p.step == 0 || p.step > ys.size() || p.index >= spec.output_width() || spec.outputs == compiler::OutputMode::Accept)
        throw Error(fmt::format("output '{}' reads y[{}][{}], outside a run of {} steps with {} outputs a step", d.name,
                                p.step, p.index, ys.size(), spec.output_width()));
      out.push_back(ys[p.step - 1][p.index]);
    } else if (p.role == PortRole::Accept) {
      if (!spec.accept || ys.empty()) throw Error(fmt::format("output '{}' is an accept bit, but {} does not accept", d.name, spec.name));
      out.push_back(ys.back().back());
    } else {
      throw Error(fmt::format("output '{}' has no output port, so the interpreter's value for it is unknown", d.name));
    }
  }
  return out;
}

template std::vector<double> expected_values(const Spec&, const circuits::OutputLayout&,
                                             const std::vector<std::vector<double>>&);
template std::vector<mpq_class> expected_values(const Spec&, const circuits::OutputLayout&,
                                                const std::vector<std::vector<mpq_class>>&);
template std::vector<std::uint64_t> expected_values(const Spec&, const circuits::OutputLayout&,
                                                    const std::vector<std::vector<std::uint64_t>>&);

}  // namespace rnncc::compiler
