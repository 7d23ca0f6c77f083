// lower-int (docs/passes.md, "lower-int"): a circuit over the rationals becomes a circuit over
// the integers that carries every value exactly (paper, App. F, Prop 4).
//
// Two forms:
//  - pair: every value is an unnormalised fraction (num, den) of two integer gates:
//      a/b + c/d = (ad + cb)/(bd), a/b - c/d = (ad - cb)/(bd), a/b · c/d = ac/bd, -(a/b) = (-a)/b,
//    constants p/q -> (p, q), inputs (x, 1). At most 4 integer gates and 2 levels per gate.
//  - power: every denominator of the circuit is a power of one integer C (the seeded dyadic
//    parameters: C = 2), so a value is a numerator over a static power C^e(g) known per gate:
//    no denominator gate at all. Sums align exponents by a constant factor C^(e - e_a) first
//    (at most 4 gates with both operands scaled and two levels); products add exponents. This
//    is the form dyadic specs need: in the pair form a sum of k terms carries k denominators in
//    one product, and the dense example's denominators pass 700,000 bits at T = 5.
// The positivity of a value (a `step` read by an output) is a sign test on num · den, or on the
// numerator alone in the power form. Kinds with no integer form are refused: relu, sign, tanh,
// sigmoid, the boolean kinds, and a step read by anything but outputs.
//
// Outputs: a value with a denominator other than 1 becomes NAME.num and NAME.den (ports with
// part=num/den), a power-form value with e > 0 keeps its name with the port's scale C^e, so
// checkers decode them (circuits/decode.hpp). One forward loop over ids; no recursion.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "circuits/analysis.hpp"
#include "circuits/error.hpp"
#include "circuits/rebuild.hpp"
#include "compiler/pipeline.hpp"

namespace rnncc::compiler::passes {
namespace {

using circuits::BigVector;
using circuits::Circuit;
using circuits::GateId;
using circuits::kNoGate;
using circuits::Op;

// The smallest r with r^k = d for some k >= 1 (d >= 2).
mpz_class smallest_root(const mpz_class& d) {
  const std::size_t bits = mpz_sizeinbase(d.get_mpz_t(), 2);
  for (std::size_t k = bits; k >= 2; --k) {
    mpz_class r;
    if (mpz_root(r.get_mpz_t(), d.get_mpz_t(), k) != 0) return r;
  }
  return d;
}

// k with base^k = d, or -1.
long exponent_of(const mpz_class& d, const mpz_class& base) {
  long k = 0;
  mpz_class x = d;
  while (x > 1) {
    if (!mpz_divisible_p(x.get_mpz_t(), base.get_mpz_t())) return -1;
    x /= base;
    ++k;
  }
  return x == 1 ? k : -1;
}


// Why `c` has no integer form here, or "".
std::string refusal(const Circuit& c, const std::vector<std::uint8_t>& live) {
  std::vector<std::uint8_t> read_by_gate(c.num_gates(), 0);
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) continue;
    const int k = circuits::arity(c.op(g));
    if (k >= 1) read_by_gate[c.a(g)] = 1;
    if (k == 2) read_by_gate[c.b(g)] = 1;
  }
  for (std::size_t k = 0; k < c.inputs().size(); ++k) {
    const GateId g = c.inputs()[k];
    const circuits::Port& p = c.input_port(k);
    if (live[g] && !p.has_range && p.word_bits == 0)
      return fmt::format("input '{}' has no declared integer range (alphabet inputs are 0 or 1; a real-input spec "
                         "declares input_range = [lo, hi]): lower-int needs every input to be an integer",
                         c.input_name(k));
  }
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g]) continue;
    switch (c.op(g)) {
      case Op::Input:
      case Op::Const:
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Neg:
      case Op::Buf: break;
      case Op::Step:
        if (read_by_gate[g])
          return fmt::format("{} is read by another gate: only an output's positivity test has an integer form",
                             circuits::gate_description(c, g));
        break;
      default:
        return fmt::format("{} has no integer form (lower-int takes add, sub, mul, neg and a step on outputs)",
                           circuits::gate_description(c, g));
    }
  }
  return "";
}

// The common base C of every live constant's denominator, 1 when all are integers, 0 when
// there is none.
mpz_class common_base(const Circuit& c, const std::vector<std::uint8_t>& live) {
  mpz_class base = 1;
  for (GateId g = 0; g < c.num_gates(); ++g) {
    if (!live[g] || c.op(g) != Op::Const) continue;
    const mpz_class& d = c.constant(g).get_den();
    if (d == 1) continue;
    const mpz_class r = smallest_root(d);
    if (base == 1)
      base = r;
    else if (r != base)
      return 0;
  }
  return base;
}

struct Figures {
  std::int64_t max_gates_per_gate = 0;  // integer gates made for one rational gate
  std::uint64_t max_exponent = 0;
};

std::size_t gates_made(const circuits::Builder& b, std::size_t before) {
  std::size_t n = 0;
  const Circuit& c = b.circuit();
  for (std::size_t g = before; g < c.num_gates(); ++g) n += !circuits::is_source(c.op(static_cast<GateId>(g)));
  return n;
}

circuits::Port with_part(circuits::Port p, circuits::PortPart part) {
  p.part = part;
  return p;
}

class PairLowering {
 public:
  PairLowering(const Circuit& c, const std::vector<std::uint8_t>& live) : c_(c), live_(live), r_(c), b_(r_.builder()) {
    num_.assign(c.num_gates(), kNoGate);
    den_.assign(c.num_gates(), kNoGate);
  }

  Circuit run(Figures& fig) {
    r_.reserve(3 * c_.num_gates());
    const GateId one = b_.constant(1);
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (c_.op(g) != Op::Input && !live_[g]) continue;
      r_.stamp_origin(g);
      const std::size_t before = b_.num_gates();
      const GateId a = c_.a(g), bb = c_.b(g);
      switch (c_.op(g)) {
        case Op::Input:
          num_[g] = r_.copy(g);
          den_[g] = one;
          break;
        case Op::Const:
          num_[g] = b_.constant(mpq_class(c_.constant(g).get_num()));
          den_[g] = b_.constant(mpq_class(c_.constant(g).get_den()));
          break;
        case Op::Add:
        case Op::Sub:
          if (den_[a] == den_[bb]) {  // a common denominator (1, or the same gate): no cross products
            num_[g] = b_.make(c_.op(g), num_[a], num_[bb]);
            den_[g] = den_[a];
          } else {
            num_[g] = b_.make(c_.op(g), b_.mul(num_[a], den_[bb]), b_.mul(num_[bb], den_[a]));
            den_[g] = b_.mul(den_[a], den_[bb]);
          }
          break;
        case Op::Mul:
          num_[g] = b_.mul(num_[a], num_[bb]);
          den_[g] = b_.mul(den_[a], den_[bb]);
          break;
        case Op::Neg:
          num_[g] = b_.neg(num_[a]);
          den_[g] = den_[a];
          break;
        case Op::Buf:
          num_[g] = num_[a];
          den_[g] = den_[a];
          break;
        case Op::Step:  // sign(num/den) = sign(num · den)
          num_[g] = b_.make(Op::Step, b_.mul(num_[a], den_[a]));
          den_[g] = one;
          break;
        default: throw Error(fmt::format("lower-int: {} slipped through", circuits::gate_description(c_, g)));
      }
      fig.max_gates_per_gate = std::max<std::int64_t>(fig.max_gates_per_gate, gates_made(b_, before));
    }
    std::vector<circuits::Output> outs;
    for (const circuits::Output& o : c_.outputs()) {
      const GateId d = den_[o.gate];
      if (d == one || (c_.op(o.gate) == Op::Const && c_.constant(o.gate).get_den() == 1)) {
        outs.push_back({o.name, num_[o.gate], o.port});
        continue;
      }
      outs.push_back({o.name + ".num", num_[o.gate], with_part(o.port, circuits::PortPart::Num)});
      outs.push_back({o.name + ".den", d, with_part(o.port, circuits::PortPart::Den)});
    }
    return r_.finish_interface(std::move(outs));
  }

 private:
  const Circuit& c_;
  const std::vector<std::uint8_t>& live_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  BigVector<GateId> num_, den_;
};

class PowerLowering {
 public:
  PowerLowering(const Circuit& c, const std::vector<std::uint8_t>& live, const mpz_class& base)
      : c_(c), live_(live), base_(base), r_(c), b_(r_.builder()) {
    num_.assign(c.num_gates(), kNoGate);
    exp_.assign(c.num_gates(), 0);
  }

  Circuit run(Figures& fig) {
    r_.reserve(2 * c_.num_gates());
    for (GateId g = 0; g < c_.num_gates(); ++g) {
      if (c_.op(g) != Op::Input && !live_[g]) continue;
      r_.stamp_origin(g);
      const std::size_t before = b_.num_gates();
      const GateId a = c_.a(g), bb = c_.b(g);
      switch (c_.op(g)) {
        case Op::Input: num_[g] = r_.copy(g); break;
        case Op::Const: {
          const mpq_class& v = c_.constant(g);
          num_[g] = b_.constant(mpq_class(v.get_num()));
          exp_[g] = v.get_den() == 1 ? 0 : static_cast<std::uint64_t>(exponent_of(v.get_den(), base_));
          break;
        }
        case Op::Add:
        case Op::Sub: {
          const std::uint64_t e = std::max(exp_[a], exp_[bb]);
          num_[g] = b_.make(c_.op(g), scaled(a, e), scaled(bb, e));
          exp_[g] = e;
          break;
        }
        case Op::Mul:
          num_[g] = b_.mul(num_[a], num_[bb]);
          exp_[g] = exp_[a] + exp_[bb];
          break;
        case Op::Neg:
          num_[g] = b_.neg(num_[a]);
          exp_[g] = exp_[a];
          break;
        case Op::Buf:
          num_[g] = num_[a];
          exp_[g] = exp_[a];
          break;
        case Op::Step: num_[g] = b_.make(Op::Step, num_[a]); break;  // C^e > 0
        default: throw Error(fmt::format("lower-int: {} slipped through", circuits::gate_description(c_, g)));
      }
      if (exp_[g] > 0xFFFFFFFFu) throw LimitError("lower-int: an exponent passed 2^32");
      fig.max_exponent = std::max(fig.max_exponent, exp_[g]);
      fig.max_gates_per_gate = std::max<std::int64_t>(fig.max_gates_per_gate, gates_made(b_, before));
    }
    // Value hints hold for the numerators scaled by C^e (pair form: denominators vary, none kept).
    for (const circuits::ValueHint& h : c_.hints()) {
      if (num_[h.gate] == kNoGate) continue;
      mpz_class f;
      mpz_pow_ui(f.get_mpz_t(), base_.get_mpz_t(), exp_[h.gate]);
      const mpz_class lo = f * h.lo, hi = f * h.hi;
      if (lo.fits_slong_p() && hi.fits_slong_p()) b_.add_hint({num_[h.gate], lo.get_si(), hi.get_si(), h.exclusive});
    }
    std::vector<circuits::Output> outs;
    const auto base = static_cast<std::uint32_t>(base_.get_ui());
    for (const circuits::Output& o : c_.outputs()) {
      circuits::Port p = o.port;
      if (exp_[o.gate] > 0) {
        p.scale_base = base;
        p.scale_exp = static_cast<std::uint32_t>(exp_[o.gate]);
      }
      outs.push_back({o.name, num_[o.gate], p});
    }
    return r_.finish_interface(std::move(outs));
  }

 private:
  // The numerator of gate x over C^e (e >= its own exponent).
  GateId scaled(GateId x, std::uint64_t e) {
    if (e == exp_[x]) return num_[x];
    mpz_class f;
    mpz_pow_ui(f.get_mpz_t(), base_.get_mpz_t(), e - exp_[x]);
    return b_.mul(b_.constant(mpq_class(f)), num_[x]);
  }

  const Circuit& c_;
  const std::vector<std::uint8_t>& live_;
  const mpz_class base_;
  circuits::Rebuild r_;
  circuits::Builder& b_;
  BigVector<GateId> num_;
  BigVector<std::uint64_t> exp_;
};

class LowerIntPass final : public Pass {
 public:
  std::string_view name() const override { return "lower-int"; }
  std::string_view help() const override {
    return "carry every rational value by integers: fractions (num, den), or numerators over a static power of C";
  }
  std::vector<ParamSpec> params() const override {
    return {{.name = "form", .short_flag = 'f', .type = ParamSpec::Type::Choice, .choices = {"auto", "pair", "power"},
             .default_value = "auto",
             .help = "pair: (num, den) per value; power: numerators over C^e (every denominator a power of one C); "
                     "auto: power where it applies"}};
  }

  PassResult run(const Circuit& c, const PassArgs& args) const override {
    const std::vector<std::uint8_t> live = circuits::live_gates(c);
    if (std::string why = refusal(c, live); !why.empty()) return PassResult::refused(std::move(why));
    const std::string& form = args.text("form");
    const mpz_class base = common_base(c, live);
    if (form == "power" && base == 0)
      return PassResult::refused("the denominators are not all powers of one integer: use --form pair");
    if (base > 0xFFFFFFFFu) return PassResult::refused(fmt::format("the common base {} passes 2^32", base.get_str()));
    Figures fig;
    PassResult r;
    const bool power = form != "pair" && base != 0;
    if (power) {
      r.circuit = PowerLowering(c, live, base).run(fig);
      r.counters = {{"form", std::string("power")},
                    {"base", static_cast<std::int64_t>(base.get_ui())},
                    {"max_exponent", static_cast<std::int64_t>(fig.max_exponent)}};
    } else {
      r.circuit = PairLowering(c, live).run(fig);
      r.counters = {{"form", std::string("pair")}};
    }
    r.counters.push_back({"max_gates_per_gate", fig.max_gates_per_gate});
    if (form == "auto" && !power) r.notes.push_back("the denominators are not all powers of one integer: pair form");
    return r;
  }
};

}  // namespace

std::unique_ptr<Pass> make_lower_int_pass() { return std::make_unique<LowerIntPass>(); }

}  // namespace rnncc::compiler::passes
