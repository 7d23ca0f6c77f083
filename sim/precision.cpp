#include "sim/precision.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "circuits/error.hpp"

namespace rnncc::sim {

namespace {

void rescan(Precision& p) {
  p.bits = 0;
  p.gate = circuits::kNoGate;
  for (std::size_t g = 0; g < p.gate_bits.size(); ++g)
    if (p.gate_bits[g] > p.bits) {
      p.bits = p.gate_bits[g];
      p.gate = static_cast<circuits::GateId>(g);
    }
}

void check_size(const Precision& p, std::size_t gates) {
  if (!p.gate_bits.empty() && p.gate_bits.size() != gates)
    throw Error(fmt::format("precision: a record of a circuit of {} gates used for one of {} gates", p.gate_bits.size(),
                            gates));
}

}  // namespace

void Precision::fold(const circuits::Schedule& s, const std::vector<std::uint64_t>& value_bits, std::uint64_t lanes) {
  if (!s.gate_map)
    throw Error("precision: the schedule has no gate map (levelize it with LevelizeOptions::gate_map)");
  if (value_bits.size() != s.num_values())
    throw Error(fmt::format("precision: {} value figures for a schedule of {} values", value_bits.size(), s.num_values()));
  check_size(*this, s.gate_value.size());
  gate_bits.resize(s.gate_value.size(), 0);
  for (std::size_t g = 0; g < gate_bits.size(); ++g) {
    const std::uint32_t l = s.gate_value[g];
    if (l != circuits::kNoRow) gate_bits[g] = std::max(gate_bits[g], value_bits[l >> 1]);
  }
  instances += lanes;
  rescan(*this);
}

void Precision::merge(const Precision& other) {
  if (other.gate_bits.empty()) {
    instances += other.instances;
    return;
  }
  check_size(*this, other.gate_bits.size());
  gate_bits.resize(other.gate_bits.size(), 0);
  for (std::size_t g = 0; g < gate_bits.size(); ++g) gate_bits[g] = std::max(gate_bits[g], other.gate_bits[g]);
  instances += other.instances;
  rescan(*this);
}

std::vector<StepPrecision> precision_by_step(const circuits::Circuit& c, const Precision& p) {
  check_size(p, c.num_gates());
  std::vector<StepPrecision> out;
  out.reserve(c.steps().size());
  for (const circuits::StepRecord& r : c.steps()) {
    StepPrecision sp;
    sp.step = r.step;
    if (!p.gate_bits.empty())
      for (circuits::GateId g : r.gates) {
        if (g >= p.gate_bits.size()) continue;
        const std::uint64_t b = p.gate_bits[g];
        if (b > sp.bits || (b == sp.bits && b > 0 && g < sp.gate)) {
          sp.bits = b;
          sp.gate = g;
        }
      }
    out.push_back(sp);
  }
  return out;
}

}  // namespace rnncc::sim
