// Hash-consing circuit builder: folding rules, the open-addressing table, growth policy.
#include "circuits/builder.hpp"
#include "circuits/domains.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

#include "circuits/budget.hpp"
#include "circuits/error.hpp"

namespace rnncc::circuits {
namespace {

constexpr double kMaxLoad = 0.7;
constexpr std::size_t kLocalRun = 32;    // slots probed around a key's local home
constexpr std::uint64_t kLocalSpread = 1023;  // local homes spread over a 4 KiB window (mask)

inline std::uint64_t hash_key(std::uint8_t op, GateId a, GateId b) {
  std::uint64_t h = (std::uint64_t{a} << 32 | b) * 0x9E3779B97F4A7C15ull;
  h ^= (h >> 29) + op * 0xBF58476D1CE4E5B9ull;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

std::size_t slots_for(std::size_t gates) {
  std::size_t want = static_cast<std::size_t>(static_cast<double>(gates) / kMaxLoad) + 1;
  return std::max<std::size_t>(16, std::bit_ceil(want));
}

mpq_class fold_const(Op op, const mpq_class& x, const mpq_class& y) {
  switch (op) {
    case Op::Add: return x + y;
    case Op::Sub: return x - y;
    case Op::Mul: return x * y;
    case Op::Neg: return -x;
    case Op::Relu: return sgn(x) > 0 ? x : mpq_class(0);
    case Op::Sign: return mpq_class(sgn(x));
    case Op::Step: return mpq_class(sgn(x) > 0 ? 1 : 0);
    default: return x;  // not reached: callers only fold the kinds above
  }
}

}  // namespace

Builder::Builder(Circuit base) : c_(std::move(base)) {
  for (GateId g = 0; g < c_.num_gates(); ++g) {
    Op op = c_.op(g);
    if (op == Op::Input) {
      std::uint32_t i = c_.a_[g];
      input_names_.insert(c_.input_names_[i], i, [this](std::uint32_t k) { return input_name_at(k); });
    } else if (op == Op::Const) {
      const mpq_class& v = c_.constants_[c_.a_[g]];
      constant_ids_.emplace(v, g);
      if (v == 0) zero_ = g;
      if (v == 1) one_ = g;
      if (v == -1) minus_one_ = g;
    }
  }
  for (std::uint32_t i = 0; i < c_.outputs_.size(); ++i)
    output_names_.insert(c_.outputs_[i].name, i, [this](std::uint32_t k) { return output_name_at(k); });
  grow_table(slots_for(c_.num_gates()));
  if (!c_.origin_runs_.empty()) origin_ = c_.origin_runs_.back().origin;
}

void Builder::reserve(std::size_t gates) {
  gates = std::min<std::size_t>(gates, max_gates_ + 1);  // a hint: never past the budget
  c_.op_.reserve(gates);
  c_.a_.reserve(gates);
  c_.b_.reserve(gates);
  if (slots_for(gates) > slots_.size()) {
    expected_gates_ = gates;
    grow_table(slots_for(gates));
  }
}

void Builder::grow_table(std::size_t n) {
  BigVector<std::uint32_t>().swap(slots_);  // free the old table first: lower peak
  slots_.assign(n, 0);
  mask_ = static_cast<std::uint32_t>(n - 1);
  bits_ = std::countr_zero(n);
  if (bits_ > 31) throw Error("circuit too large: more than 2^31 gates");
  hashed_ = 0;
  // The ids expected for this table (a reserve() says how many; growth expects kMaxLoad * n)
  // are spread over all n slots: a generous reserve leaves every region room to spare.
  const double full = kMaxLoad * static_cast<double>(n);
  const double expected =
      expected_gates_ ? std::clamp(static_cast<double>(expected_gates_), full / 2, full) : full;
  home_scale_ = static_cast<std::uint64_t>(static_cast<double>(n) * static_cast<double>(std::uint64_t{1} << 32) / expected);
  expected_gates_ = 0;
  for (GateId g = 0; g < c_.num_gates(); ++g) {
    std::uint8_t op = c_.op_[g];
    if (is_source(static_cast<Op>(op))) continue;
    GateId a = c_.a_[g], b = c_.b_[g];
    std::uint64_t h = hash_key(op, a, b);
    std::uint32_t tag = static_cast<std::uint32_t>(h >> 32) >> bits_;
    std::size_t i = local_home(a, b, h);
    std::size_t k = 0;
    for (; k < kLocalRun && slots_[i] != 0; ++k) i = (i + 1) & mask_;
    if (k == kLocalRun)
      for (i = h & mask_; slots_[i] != 0;) i = (i + overflow_stride(h)) & mask_;
    slots_[i] = (tag << bits_) | (g + 1);
    ++hashed_;
  }
}

std::size_t Builder::local_home(GateId a, GateId b, std::uint64_t h) const {
  GateId newest = (b == kNoGate || a > b) ? a : b;
  return static_cast<std::size_t>(((std::uint64_t{newest} * home_scale_) >> 32) + (h & kLocalSpread)) & mask_;
}

void Builder::prefetch(Op op, GateId a, GateId b) const {
  if (slots_.empty()) return;
  if (is_commutative(op) && a > b) std::swap(a, b);
  std::uint64_t h = hash_key(static_cast<std::uint8_t>(op), a, b);
  __builtin_prefetch(slots_.data() + local_home(a, b, h));
}

std::size_t Builder::overflow_stride(std::uint64_t h) { return static_cast<std::size_t>((h >> 17) | 1); }

bool Builder::table_full_for_one_more() const {
  return static_cast<double>(c_.op_.size() + 1) > kMaxLoad * static_cast<double>(slots_.size());
}

GateId Builder::append(Op op, GateId a, GateId b) {
  std::size_t n = c_.op_.size();
  if (n == c_.op_.capacity()) {  // grow by 1.5x, not 2x: lower peak memory
    std::size_t cap = n + n / 2 + 64;
    c_.op_.reserve(cap);
    c_.a_.reserve(cap);
    c_.b_.reserve(cap);
  }
  if (n >= max_gates_) [[unlikely]]  // the backstop of the estimates
    throw LimitError(fmt::format("building this circuit passed the limit of {} gates (raise it with --max-gates or "
                                 "--max-memory)",
                                 max_gates_));
  if (n >= 0xFFFFFFF0u) throw LimitError("circuit too large: more than 2^32 gates");
  GateId id = static_cast<GateId>(n);
  c_.op_.push_back(static_cast<std::uint8_t>(op));
  c_.a_.push_back(a);
  c_.b_.push_back(b);
  auto& runs = c_.origin_runs_;
  std::uint32_t current = runs.empty() ? 0 : runs.back().origin;
  if (current != origin_) runs.push_back({id, origin_});
  return id;
}

GateId Builder::intern(Op op, GateId a, GateId b) {
  if (table_full_for_one_more()) grow_table(std::max<std::size_t>(16, slots_.size() * 2));
  const std::uint8_t op8 = static_cast<std::uint8_t>(op);
  const std::uint64_t h = hash_key(op8, a, b);
  const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32) >> bits_;
  const std::uint32_t id_mask = (1u << bits_) - 1;
  const std::uint8_t* ops = c_.op_.data();
  const GateId* as = c_.a_.data();
  const GateId* bs = c_.b_.data();
  // Homes lie up to kLocalSpread slots past the frontier's base: keep that window in cache by
  // fetching the line just beyond it as the frontier advances.
  __builtin_prefetch(slots_.data() + ((((std::uint64_t{static_cast<GateId>(c_.op_.size())} * home_scale_) >> 32) +
                                       kLocalSpread + 16) & mask_));
  auto matches = [&](std::uint32_t s) {
    if ((s >> bits_) != tag) return false;
    GateId g = (s & id_mask) - 1;
    return as[g] == a && bs[g] == b && ops[g] == op8;
  };
  // Phase 1: the local run.
  std::size_t i = local_home(a, b, h);
  for (std::size_t k = 0; k < kLocalRun; ++k, i = (i + 1) & mask_) {
    std::uint32_t s = slots_[i];
    if (s == 0) return insert_at(i, tag, op, a, b);
    if (matches(s)) return (s & id_mask) - 1;
  }
  // Phase 2: the local run is full. Double hashing from the hash position: regions packed solid
  // (new gates whose operands are all old pile into old regions, as in prefix networks) are
  // left in a few probes instead of being walked slot by slot.
  const std::size_t stride = overflow_stride(h);
  for (i = h & mask_;; i = (i + stride) & mask_) {
    std::uint32_t s = slots_[i];
    if (s == 0) return insert_at(i, tag, op, a, b);
    if (matches(s)) return (s & id_mask) - 1;
  }
}

GateId Builder::insert_at(std::size_t slot, std::uint32_t tag, Op op, GateId a, GateId b) {
  GateId g = append(op, a, b);
  slots_[slot] = (tag << bits_) | (g + 1);
  ++hashed_;
  return g;
}

void Builder::check_operand(Op op, GateId x, const char* which) const {
  if (x >= c_.num_gates())
    throw Error(fmt::format("{} operand {} of a '{}' gate is not defined", which,
                            x == kNoGate ? std::string("(none)") : std::to_string(x),
                            mnemonic(op)));
}

GateId Builder::make(Op op, GateId a, GateId b) {
  const int n = arity(op);
  if (n == 0) throw Error(fmt::format("'{}' gates are made with input() or constant()", mnemonic(op)));
  check_operand(op, a, "first");
  if (n == 2) {
    check_operand(op, b, "second");
    if (is_commutative(op) && a > b) std::swap(a, b);
  } else if (b != kNoGate) {
    throw Error(fmt::format("'{}' takes 1 operand, got 2", mnemonic(op)));
  }
  if (folding_) {
    const GateId folded = fold(op, a, b);
    if (folded != kNoGate) return folded;
  }
  return intern(op, a, n == 2 ? b : kNoGate);
}

// Constant folding and algebraic identities applied on creation; kNoGate if none applies.
GateId Builder::fold(Op op, GateId a, GateId b) {
  switch (op) {
    case Op::And:
      if (a == zero_ || b == zero_) return constant(0);
      if (a == one_) return b;
      if (b == one_) return a;
      if (a == b) return a;
      if (is_complement_ordered(a, b)) return constant(0);
      return kNoGate;
    case Op::Or:
      if (a == one_ || b == one_) return constant(1);
      if (a == zero_) return b;
      if (b == zero_) return a;
      if (a == b) return a;
      if (is_complement_ordered(a, b)) return constant(1);
      return kNoGate;
    case Op::Xor:
      if (a == zero_) return b;
      if (b == zero_) return a;
      if (a == one_) return not_(b);
      if (b == one_) return not_(a);
      if (a == b) return constant(0);
      if (is_complement_ordered(a, b)) return constant(1);
      return kNoGate;
    case Op::Not:
      if (a == zero_) return constant(1);
      if (a == one_) return constant(0);
      if (c_.op(a) == Op::Not) return c_.a_[a];
      return kNoGate;
    case Op::Add:
      if (a == zero_) return b;
      if (b == zero_) return a;
      break;
    case Op::Sub:
      if (b == zero_) return a;
      if (a == b) return constant(0);
      if (a == zero_) return neg(b);
      break;
    case Op::Mul:
      if (a == zero_ || b == zero_) return constant(0);
      if (a == one_) return b;
      if (b == one_) return a;
      if (a == minus_one_) return neg(b);
      if (b == minus_one_) return neg(a);
      break;
    case Op::Neg:
      if (c_.op(a) == Op::Neg) return c_.a_[a];
      break;
    case Op::Relu:
    case Op::Sign:
    case Op::Step: break;
    default: return kNoGate;  // tanh, sigmoid (not rational), buf (kept on purpose)
  }
  // The newer operand first: it is usually in cache, and rarely a constant.
  if ((arity(op) == 2 && !is_const(b)) || !is_const(a)) return kNoGate;
  const mpq_class& x = c_.constants_[c_.a_[a]];
  return constant(arity(op) == 2 ? fold_const(op, x, c_.constants_[c_.a_[b]]) : fold_const(op, x, x));
}

namespace {
// Names and origin constructs travel through every text format: no whitespace, '=' or '#'.
void check_name(const std::string& name, const char* what) {
  if (name.empty()) throw Error(fmt::format("empty {} name", what));
  if (name.find_first_of(" \t\r\n=#") != std::string::npos)
    throw Error(fmt::format("bad {} name '{}': names hold no whitespace, '=' or '#'", what, name));
}

void check_port(const Port& p, const std::vector<std::string>& keys) {
  if (p.word_bits > kMaxWordBits || (p.word_bits > 0 && p.bit >= p.word_bits))
    throw Error(fmt::format("bad port: bit {} of a {}-bit word", p.bit, p.word_bits));
  if (p.scale_base == 1 || (p.scale_base == 0 && p.scale_exp != 0))
    throw Error(fmt::format("bad port: scale {}^{}", p.scale_base, p.scale_exp));
  if (p.has_range && p.lo > p.hi) throw Error(fmt::format("bad port: empty range {}:{}", p.lo, p.hi));
  if ((p.role == PortRole::Initial || p.role == PortRole::Parameter) && p.key >= keys.size())
    throw Error(fmt::format("bad port: key {} of {}", p.key, keys.size()));
}
}  // namespace

GateId Builder::input_unchecked(std::string name, const Port& port) {
  if (table_full_for_one_more()) grow_table(std::max<std::size_t>(16, slots_.size() * 2));
  GateId g = append(Op::Input, static_cast<GateId>(c_.inputs_.size()), kNoGate);
  c_.inputs_.push_back(g);
  c_.input_names_.push_back(std::move(name));
  c_.input_ports_.push_back(port);
  input_names_stale_ = true;
  return g;
}

void Builder::index_input_names() {
  input_names_.clear();
  for (std::uint32_t i = 0; i < c_.input_names_.size(); ++i)
    if (!input_names_.insert(c_.input_names_[i], i, [this](std::uint32_t k) { return input_name_at(k); }))
      throw Error(fmt::format("duplicate input name '{}'", c_.input_names_[i]));
  input_names_stale_ = false;
}

GateId Builder::input(std::string name, const Port& port) {
  check_name(name, "input");
  check_port(port, c_.port_keys_);
  if (input_names_stale_) index_input_names();
  const auto index = static_cast<std::uint32_t>(c_.input_names_.size());
  if (!input_names_.insert(name, index, [&](std::uint32_t k) { return k == index ? std::string_view(name) : input_name_at(k); }))
    throw Error(fmt::format("duplicate input name '{}'", name));
  if (table_full_for_one_more()) grow_table(std::max<std::size_t>(16, slots_.size() * 2));
  GateId g = append(Op::Input, static_cast<GateId>(c_.inputs_.size()), kNoGate);
  c_.inputs_.push_back(g);
  c_.input_names_.push_back(std::move(name));
  c_.input_ports_.push_back(port);
  return g;
}

GateId Builder::constant(const mpq_class& value) {
  auto it = constant_ids_.find(value);
  if (it != constant_ids_.end()) return it->second;
  if (table_full_for_one_more()) grow_table(std::max<std::size_t>(16, slots_.size() * 2));
  mpq_class v = value;
  v.canonicalize();
  const std::uint64_t bits = mpz_sizeinbase(v.get_num_mpz_t(), 2) + mpz_sizeinbase(v.get_den_mpz_t(), 2);
  constant_bytes_ += bits / 8 + 32;
  if (bits > budget().max_exact_bits || constant_bytes_ > budget().max_bytes / 64) [[unlikely]] {
    const Origin& o = c_.origins_[origin_];
    const std::string gate = fmt::format("the constant of gate g{}{}", c_.op_.size(),
                                         o.construct.empty() ? "" : fmt::format(" (from {}, step {})", o.construct, o.step));
    check_exact_bits(bits, gate);
    throw LimitError(fmt::format("the exact constants of this circuit take {} at {}, past a 64th of the memory "
                                 "budget (raise it with --max-memory)",
                                 format_bytes(static_cast<double>(constant_bytes_)), gate));
  }
  GateId g = append(Op::Const, static_cast<GateId>(c_.constants_.size()), kNoGate);
  c_.constants_.push_back(v);
  c_.constant_doubles_.push_back(nearest_double(v));
  constant_ids_.emplace(v, g);
  if (v == 0) zero_ = g;
  if (v == 1) one_ = g;
  if (v == -1) minus_one_ = g;
  return g;
}

void Builder::set_input_names(std::vector<std::string> names) {
  if (names.size() != c_.input_names_.size())
    throw Error(fmt::format("{} input names for {} inputs", names.size(), c_.input_names_.size()));
  NameSet seen;
  for (std::uint32_t i = 0; i < names.size(); ++i) {
    check_name(names[i], "input");
    if (!seen.insert(names[i], i, [&](std::uint32_t k) { return std::string_view(names[k]); }))
      throw Error(fmt::format("duplicate input name '{}'", names[i]));
  }
  input_names_ = std::move(seen);
  input_names_stale_ = false;
  c_.input_names_ = std::move(names);
}

void Builder::output(std::string name, GateId g, const Port& port) {
  check_name(name, "output");
  check_port(port, c_.port_keys_);
  if (g >= c_.num_gates())
    throw Error(fmt::format("output '{}' names gate {}, which is not defined", name, g));
  const auto index = static_cast<std::uint32_t>(c_.outputs_.size());
  if (!output_names_.insert(name, index, [&](std::uint32_t k) { return k == index ? std::string_view(name) : output_name_at(k); }))
    throw Error(fmt::format("duplicate output name '{}'", name));
  c_.outputs_.push_back({std::move(name), g, port});
}

void Builder::set_input_port(std::size_t index, const Port& port) {
  if (index >= c_.input_ports_.size()) throw Error(fmt::format("no input {}", index));
  check_port(port, c_.port_keys_);
  c_.input_ports_[index] = port;
}

void Builder::set_output_port(std::size_t index, const Port& port) {
  if (index >= c_.outputs_.size()) throw Error(fmt::format("no output {}", index));
  check_port(port, c_.port_keys_);
  c_.outputs_[index].port = port;
}

std::uint32_t Builder::port_key(std::string_view key) {
  for (std::size_t i = 0; i < c_.port_keys_.size(); ++i)
    if (c_.port_keys_[i] == key) return static_cast<std::uint32_t>(i);
  if (key.empty() || key.find_first_of(" \t\r\n=#") != std::string_view::npos)
    throw Error(fmt::format("bad port key '{}': no whitespace, '=' or '#'", key));
  c_.port_keys_.emplace_back(key);
  return static_cast<std::uint32_t>(c_.port_keys_.size() - 1);
}

std::uint32_t Builder::set_origin(const Origin& origin) {
  auto& table = c_.origins_;
  // Constructs repeat every step; searching from the back finds recent ones at once. Steps are
  // compared first: most entries differ there, and an int is cheaper than a string.
  auto same = [&](const Origin& o) { return o.step == origin.step && o.construct == origin.construct; };
  if (origin_ < table.size() && same(table[origin_])) return origin_;
  for (std::size_t i = table.size(); i-- > 0;) {
    if (same(table[i])) return origin_ = static_cast<std::uint32_t>(i);
    if (table.size() - i > 64) break;
  }
  if (origin.construct.find_first_of(" \t\r\n#") != std::string::npos)
    throw Error(fmt::format("bad origin construct '{}': no whitespace or '#'", origin.construct));
  table.push_back(origin);
  return origin_ = static_cast<std::uint32_t>(table.size() - 1);
}

void Builder::add_hint(const ValueHint& h) {
  if (h.gate >= c_.op_.size()) throw Error(fmt::format("hint on gate {}, which does not exist", h.gate));
  if (h.lo > h.hi) throw Error(fmt::format("hint on gate {}: empty range {}:{}", h.gate, h.lo, h.hi));
  c_.hints_.push_back(h);
}

void Builder::add_step(std::uint32_t step, std::vector<GateId> gates) {
  for (GateId g : gates)
    if (g >= c_.num_gates())
      throw Error(fmt::format("step {} names gate {}, which is not defined", step, g));
  c_.steps_.push_back({step, std::move(gates)});
}

Circuit Builder::finish() {
  BigVector<std::uint32_t>().swap(slots_);
  mask_ = 0;
  bits_ = 0;
  hashed_ = 0;
  Circuit out = std::move(c_);
  c_ = Circuit{};
  zero_ = one_ = minus_one_ = kNoGate;
  origin_ = 0;
  constant_ids_.clear();
  constant_bytes_ = 0;
  input_names_.clear();
  input_names_stale_ = false;
  output_names_.clear();
  return out;
}

}  // namespace rnncc::circuits
