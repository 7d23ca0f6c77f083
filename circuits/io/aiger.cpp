// AIGER reader (one pass over one buffer, straight into the builder) and writer.
#include "circuits/io/aiger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <unordered_set>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/name_bytes.hpp"
#include "circuits/io/text.hpp"
#include "circuits/io/text_out.hpp"

namespace rnncc::circuits::io {
namespace {

class AigerReader {
 public:
  AigerReader(std::string_view data, const std::string& path) : d_(data), path_(path) {}

  Circuit read() {
    parse_header();
    vars_.assign(max_var_ + 1, Var{});
    b_.reserve(inputs_ + 2 * ands_ + 16);
    for (std::uint64_t i = 0; i < inputs_; ++i)
      vars_[i + 1].gate = b_.input(fmt::format("i{}", i));

    std::vector<std::uint32_t> input_lits;
    if (!binary_) {
      input_lits.reserve(inputs_);
      for (std::uint64_t i = 0; i < inputs_; ++i) input_lits.push_back(read_literal_line("input literal"));
      remap_ascii_inputs(input_lits);
    }
    std::vector<std::uint32_t> output_lits;
    output_lits.reserve(outputs_);
    for (std::uint64_t i = 0; i < outputs_; ++i) output_lits.push_back(read_literal_line("output literal"));

    ands_start_ = pos_;
    if (binary_) {
      read_binary_ands();
    } else {
      read_ascii_ands();
    }
    std::vector<std::string> input_names(inputs_), output_names(outputs_);
    read_symbols(input_names, output_names);
    // Names are applied together: a symbol table may give an input another input's default name.
    fill_default_names(input_names, 'i');
    fill_default_names(output_names, 'o');
    try {
      b_.set_input_names(std::move(input_names));
    } catch (const Error& e) {
      fail(e.what());
    }
    for (std::uint64_t i = 0; i < outputs_; ++i) {
      std::uint32_t lit = output_lits[i];
      check_literal(lit, "output literal");
      std::string name = std::move(output_names[i]);
      GateId g = gate_of(lit);  // fails with its own location
      try {
        b_.output(std::move(name), g);
      } catch (const Error& e) {
        fail(e.what());
      }
    }
    Circuit c = b_.finish();
    c.name = stem_of(path_);
    return c;
  }

 private:
  [[noreturn]] void fail(const std::string& msg) const {
    throw located_error(path_, line_, 0, msg);
  }

  // Text line at pos_ (without the newline); advances past it.
  std::string_view next_line(const char* what) {
    if (pos_ >= d_.size()) {
      if (line_ == 0) line_ = 1;
      fail(fmt::format("unexpected end of file: expected {}", what));
    }
    std::size_t end = d_.find('\n', pos_);
    if (end == std::string_view::npos) end = d_.size();
    std::string_view line = d_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++line_;
    return line;
  }

  void parse_header() {
    line_ = 0;
    std::string_view line = next_line("the AIGER header");
    std::vector<Token> t;
    tokenize(line, t, '\0');
    if (t.empty() || (t[0].text != "aig" && t[0].text != "aag"))
      fail("expected an AIGER header 'aig M I L O A' or 'aag M I L O A'");
    binary_ = t[0].text == "aig";
    if (t.size() < 6) fail("AIGER header needs five numbers: M I L O A");
    std::uint64_t v[9] = {};
    for (std::size_t i = 1; i < t.size() && i < 10; ++i) {
      auto x = parse_uint<std::uint64_t>(t[i].text);
      if (!x) fail(fmt::format("bad number '{}' in the AIGER header", t[i].text));
      v[i - 1] = *x;
    }
    if (t.size() > 10) fail("too many fields in the AIGER header");
    max_var_ = v[0];
    inputs_ = v[1];
    std::uint64_t latches = v[2];
    outputs_ = v[3];
    ands_ = v[4];
    if (latches != 0) fail("latches are not supported: rnncc reads combinational AIGER only");
    for (int i = 5; i < 9; ++i)
      if (v[i] != 0) fail("AIGER 1.9 bad/constraint/justice/fairness sections are not supported");
    // Every sum is checked without wrapping around 2^64 ("aig 0 16 0 0 2^64-16" must not pass as
    // M = I + A), and before any size estimate or allocation.
    std::uint64_t sum = 0;
    const bool wraps = __builtin_add_overflow(inputs_, latches, &sum) || __builtin_add_overflow(sum, ands_, &sum);
    if (binary_ && (wraps || max_var_ != sum))
      fail(wraps ? fmt::format("binary AIGER needs M = I + L + A, got M = {} and I + L + A = {} + {} + {}, "
                               "which is not even a 64-bit number",
                               max_var_, inputs_, latches, ands_)
                 : fmt::format("binary AIGER needs M = I + L + A, got M = {} and I + L + A = {}", max_var_, sum));
    if (wraps || sum > max_var_) fail("header: I + L + A exceeds M");
    if (max_var_ >= (1ull << 31)) fail("too many variables");
    // Refuse large headers the file cannot hold before allocating for them. The fewest bytes each
    // item takes: an output line (binary) or any line (ASCII) 2 ("0\n"), a binary AND 2 (two
    // one-byte deltas); the file's last line may lack its newline. Counts are summed saturating,
    // so no number wraps. Headers promising few items pass: small truncated files get the precise
    // message of the section where they end, and allocate next to nothing.
    const std::uint64_t room = d_.size() - pos_;
    const std::uint64_t items = saturating_add(saturating_add(binary_ ? 0 : inputs_, outputs_), ands_);
    const std::uint64_t need = saturating_add(items, items) - (items ? 1 : 0);
    if (need > room && items > kFewItems)
      fail(fmt::format("header promises {} inputs, {} outputs and {} ANDs, more than the {} bytes that follow "
                       "can hold",
                       inputs_, outputs_, ands_, room));
    if (inputs_ > (std::uint64_t{1} << 28)) fail(fmt::format("too many inputs: {}", inputs_));
    // Binary inputs take no bytes, but M = I + A sizes the variable table: bound it by the file.
    if (max_var_ > (1u << 20) && max_var_ > room)
      fail(fmt::format("header M = {} is larger than any variable the {} bytes that follow can define", max_var_,
                       room));
  }

  static std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r;
    return __builtin_add_overflow(a, b, &r) ? ~std::uint64_t{0} : r;
  }
  // Headers promising at most this many inputs, outputs and ANDs together allocate little.
  static constexpr std::uint64_t kFewItems = std::uint64_t{1} << 16;

  void check_literal(std::uint64_t lit, const char* what) const {
    if (lit > 2 * max_var_ + 1) fail(fmt::format("{} {} exceeds 2M+1 = {}", what, lit, 2 * max_var_ + 1));
  }

  std::uint32_t read_literal_line(const char* what) {
    std::string_view line = next_line(what);
    auto x = parse_uint<std::uint64_t>(line);
    if (!x) fail(fmt::format("expected {}, got '{}'", what, line));
    check_literal(*x, what);
    return static_cast<std::uint32_t>(*x);
  }

  // Gate of a literal; complements become one NOT gate per variable.
  GateId gate_of(std::uint32_t lit) {
    Var& v = vars_[lit >> 1];
    if (v.gate == kNoGate) {
      if (lit >> 1 != 0)
        fail(fmt::format("literal {} uses variable {}, which is not an input and no AND before this point defines",
                         lit, lit >> 1));
      v.gate = b_.constant(0);
    }
    if (!(lit & 1)) return v.gate;
    if (v.negated == kNoGate) v.negated = b_.not_(v.gate);
    return v.negated;
  }

  // Prefetches what building with literal `lit` will read: the gate's op and first operand
  // (the builder's folding rules look at them), or the slot of the NOT gate still to be made.
  void prefetch_literal(std::uint32_t lit) const {
    const Var& v = vars_[lit >> 1];
    GateId g = (lit & 1) ? v.negated : v.gate;
    if (g != kNoGate) {
      __builtin_prefetch(b_.circuit().ops().data() + g);
      __builtin_prefetch(b_.circuit().as().data() + g);
    } else if (v.gate != kNoGate) {
      b_.prefetch(Op::Not, v.gate);
    }
  }

  // Unnamed inputs and outputs get "i<k>" / "o<k>", with '_' appended while a symbol has it.
  static void fill_default_names(std::vector<std::string>& names, char prefix) {
    std::unordered_set<std::string> given;
    for (const std::string& n : names)
      if (!n.empty()) given.insert(n);
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (!names[k].empty()) continue;
      std::string n = fmt::format("{}{}", prefix, k);
      while (given.count(n)) n += '_';
      names[k] = std::move(n);
    }
  }

  std::uint64_t read_varint() {
    std::uint64_t x = 0;
    int shift = 0;
    for (;;) {
      if (pos_ >= d_.size()) fail("unexpected end of file inside the binary AND section");
      unsigned char ch = static_cast<unsigned char>(d_[pos_++]);
      x |= std::uint64_t{ch & 0x7fu} << shift;
      if (!(ch & 0x80)) return x;
      shift += 7;
      if (shift > 56) fail("malformed varint in the binary AND section");
    }
  }

  // Software-pipelined: the deltas of AND i + kVarAhead are decoded and their variables'
  // entries prefetched; for AND i + kGateAhead the gates those entries name are prefetched; AND
  // i is built with everything in cache. Operands of rand.aig-like files are uniformly random,
  // so without this every AND pays several cache misses in a row.
  void read_binary_ands() {
    constexpr std::uint64_t kRing = 64, kVarAhead = 40, kGateAhead = 16;
    struct Pair {
      std::uint32_t r0, r1;
    };
    Pair ring[kRing];
    std::uint64_t decoded = 0;
    auto decode_next = [&] {
      std::uint64_t lhs = 2 * (inputs_ + 1 + decoded);
      std::uint64_t d0 = read_varint();
      std::uint64_t d1 = read_varint();
      if (d0 == 0 || d0 > lhs || d1 > lhs - d0)
        fail(fmt::format("AND {} (literal {}): invalid deltas {} {}", decoded, lhs, d0, d1));
      Pair& p = ring[decoded++ % kRing];
      p.r0 = static_cast<std::uint32_t>(lhs - d0);
      p.r1 = static_cast<std::uint32_t>(p.r0 - d1);
      __builtin_prefetch(&vars_[p.r0 >> 1]);
      __builtin_prefetch(&vars_[p.r1 >> 1]);
    };
    while (decoded < ands_ && decoded < kVarAhead) decode_next();
    std::uint64_t lhs_var = inputs_ + 1;
    for (std::uint64_t i = 0; i < ands_; ++i, ++lhs_var) {
      if (decoded < ands_) decode_next();
      if (i + kGateAhead < decoded) {
        const Pair& q = ring[(i + kGateAhead) % kRing];
        prefetch_literal(q.r0);
        prefetch_literal(q.r1);
      }
      const Pair& p = ring[i % kRing];
      GateId x = gate_of(p.r0), y = gate_of(p.r1);
      vars_[lhs_var].gate = b_.and_(x, y);
    }
    // Binary ANDs are not line-based; count the newline bytes they spanned, as an editor would,
    // so that symbol-table errors point at the right line.
    line_ += static_cast<std::size_t>(std::count(d_.begin() + static_cast<std::ptrdiff_t>(ands_start_),
                                                 d_.begin() + static_cast<std::ptrdiff_t>(pos_), '\n'));
  }

  // ASCII inputs may use any even literals; map them to input gates.
  void remap_ascii_inputs(const std::vector<std::uint32_t>& lits) {
    std::vector<GateId> gates;
    for (std::uint64_t i = 0; i < inputs_; ++i) gates.push_back(vars_[i + 1].gate);
    std::fill(vars_.begin(), vars_.end(), Var{});
    for (std::uint64_t i = 0; i < inputs_; ++i) {
      std::uint32_t lit = lits[i];
      if (lit & 1 || lit < 2) fail(fmt::format("input literal {} must be even and positive", lit));
      if (vars_[lit >> 1].gate != kNoGate) fail(fmt::format("variable {} defined twice", lit >> 1));
      vars_[lit >> 1].gate = gates[i];
    }
  }

  void read_ascii_ands() {
    struct And {
      std::uint32_t lhs, r0, r1;
      std::size_t line;
    };
    std::vector<And> ands;
    ands.reserve(ands_);
    std::vector<Token> t;
    // Built in file order when every AND reads only inputs, constants and ANDs listed before it.
    bool ordered = true;
    std::vector<std::uint8_t> defined(max_var_ + 1, 0);
    defined[0] = 1;
    for (std::uint64_t v = 0; v <= max_var_; ++v)
      if (vars_[v].gate != kNoGate) defined[v] = 1;
    for (std::uint64_t i = 0; i < ands_; ++i) {
      std::string_view line = next_line("an AND line 'lhs rhs0 rhs1'");
      tokenize(line, t, '\0');
      if (t.size() != 3) fail("expected an AND line 'lhs rhs0 rhs1'");
      std::uint32_t v[3];
      for (int k = 0; k < 3; ++k) {
        auto x = parse_uint<std::uint64_t>(t[k].text);
        if (!x) fail(fmt::format("bad literal '{}'", t[k].text));
        check_literal(*x, "AND literal");
        v[k] = static_cast<std::uint32_t>(*x);
      }
      if (v[0] & 1 || v[0] < 2) fail(fmt::format("AND output literal {} must be even and positive", v[0]));
      if (vars_[v[0] >> 1].gate != kNoGate) fail(fmt::format("variable {} defined twice", v[0] >> 1));
      if (!defined[v[1] >> 1] || !defined[v[2] >> 1]) ordered = false;
      defined[v[0] >> 1] = 1;
      ands.push_back({v[0], v[1], v[2], line_});
    }
    if (!ordered) topological_order(ands);
    std::size_t saved = line_;
    for (const And& a : ands) {
      line_ = a.line;
      if (vars_[a.lhs >> 1].gate != kNoGate) fail(fmt::format("variable {} defined twice", a.lhs >> 1));
      GateId x = gate_of(a.r0), y = gate_of(a.r1);
      vars_[a.lhs >> 1].gate = b_.and_(x, y);
    }
    line_ = saved;
  }

  // ASCII AIGER need not list ANDs in topological order: sort them (Kahn), or report a cycle.
  template <class And>
  void topological_order(std::vector<And>& ands) {
    std::vector<std::uint32_t> and_of(max_var_ + 1, 0xFFFFFFFFu);
    for (std::uint32_t i = 0; i < ands.size(); ++i) {
      if (and_of[ands[i].lhs >> 1] != 0xFFFFFFFFu) {
        line_ = ands[i].line;
        fail(fmt::format("variable {} defined twice", ands[i].lhs >> 1));
      }
      and_of[ands[i].lhs >> 1] = i;
    }
    std::vector<std::uint32_t> pending(ands.size(), 0);
    std::vector<std::vector<std::uint32_t>> users(ands.size());
    for (std::uint32_t i = 0; i < ands.size(); ++i) {
      for (std::uint32_t r : {ands[i].r0, ands[i].r1}) {
        std::uint32_t j = and_of[r >> 1];
        if (j != 0xFFFFFFFFu) {
          ++pending[i];
          users[j].push_back(i);
        }
      }
    }
    std::vector<std::uint32_t> order;
    order.reserve(ands.size());
    for (std::uint32_t i = 0; i < ands.size(); ++i)
      if (pending[i] == 0) order.push_back(i);
    for (std::size_t k = 0; k < order.size(); ++k)
      for (std::uint32_t u : users[order[k]])
        if (--pending[u] == 0) order.push_back(u);
    if (order.size() != ands.size()) {
      auto it = std::find_if(pending.begin(), pending.end(), [](std::uint32_t p) { return p != 0; });
      line_ = ands[static_cast<std::size_t>(it - pending.begin())].line;
      fail("the AND gates form a cycle");
    }
    std::vector<And> sorted;
    sorted.reserve(ands.size());
    for (std::uint32_t i : order) sorted.push_back(ands[i]);
    ands.swap(sorted);
  }

  void read_symbols(std::vector<std::string>& input_names, std::vector<std::string>& output_names) {
    while (pos_ < d_.size()) {
      std::string_view line = next_line("a symbol");
      if (line.empty()) continue;
      if (line[0] == 'c') break;  // comment section: the rest of the file is free text
      char kind = line[0];
      std::size_t sp = line.find(' ');
      if ((kind != 'i' && kind != 'o' && kind != 'l' && kind != 'b' && kind != 'c' && kind != 'j' && kind != 'f') ||
          sp == std::string_view::npos)
        fail(fmt::format("expected a symbol line 'i<k> name', 'o<k> name' or 'c', got '{}'", line.substr(0, 40)));
      auto index = parse_uint<std::uint64_t>(line.substr(1, sp - 1));
      if (!index) fail(fmt::format("bad symbol index in '{}'", line.substr(0, 40)));
      std::string name(line.substr(sp + 1));
      for (char& ch : name)  // rnncc names hold no whitespace, '=' or '#'
        if (ch == ' ' || ch == '\t' || ch == '=' || ch == '#') ch = '_';
      if (name.empty()) fail("empty symbol name");
      if (kind == 'i' || kind == 'o') {  // names that rnncc keeps: UTF-8 without control characters
        if (auto bad = bad_name_byte(name)) {
          // The column counts from the line's start: after a binary AND section, the first
          // symbol shares its line with the ANDs' bytes.
          const auto at = static_cast<std::size_t>(line.data() - d_.data());
          const std::size_t nl = at == 0 ? std::string_view::npos : d_.rfind('\n', at - 1);
          const std::size_t col = at - (nl == std::string_view::npos ? 0 : nl + 1) + sp + 2 + *bad;
          throw located_error(path_, line_, col,
                              fmt::format("{} symbol name: {}", kind == 'i' ? "input" : "output",
                                          bad_name_byte_message(name, *bad)));
        }
      }
      if (kind == 'i') {
        if (*index >= inputs_) fail(fmt::format("symbol for input {}, but there are {} inputs", *index, inputs_));
        input_names[*index] = std::move(name);
      } else if (kind == 'o') {
        if (*index >= outputs_) fail(fmt::format("symbol for output {}, but there are {} outputs", *index, outputs_));
        output_names[*index] = std::move(name);
      }
    }
  }

  std::string_view d_;
  const std::string& path_;
  std::size_t pos_ = 0, line_ = 0, ands_start_ = 0;
  bool binary_ = true;
  std::uint64_t max_var_ = 0, inputs_ = 0, outputs_ = 0, ands_ = 0;
  struct Var {
    GateId gate = kNoGate;     // the variable's gate
    GateId negated = kNoGate;  // its NOT gate, made on first use of the complemented literal
  };
  BigVector<Var> vars_;
  Builder b_;
};

}  // namespace

Circuit read_aiger(std::string_view data, const std::string& path) {
  return AigerReader(data, path).read();
}

namespace {

// One pass in gate order after the liveness pass: each live gate's literal, its ANDs' deltas
// (binary) or lines (ASCII) into a buffer; then the header, which needs the AND count, and the
// buffer go out together. A gate AIGER cannot hold stops the pass, and require_boolean (which
// finds the same first gate) says why.
void write_aiger_to(const Circuit& c, AigerMode mode, TextOut& o) {
  const std::size_t n = c.num_gates();
  const std::vector<std::uint8_t> live = live_gates(c);
  const std::uint64_t num_inputs = c.inputs().size();
  if (num_inputs >= (1ull << 31)) throw Error("cannot write AIGER: too many variables");
  const std::uint8_t* ops = c.ops().data();
  const GateId* as = c.as().data();
  const GateId* bs = c.bs().data();

  // Literals of live gates and inputs only: every other entry stays unwritten and unread.
  std::unique_ptr<std::uint32_t[]> lit(new std::uint32_t[n ? n : 1]);
  std::uint32_t next_var = static_cast<std::uint32_t>(num_inputs);
  std::string ands_section;
  TextOut ascii(ands_section);
  // Binary: deltas go straight into a buffer, grown when less than one AND's worst case (two
  // varints of 5 bytes) is left.
  std::size_t cap = mode == AigerMode::Binary ? n * 2 + 64 : 0;
  std::unique_ptr<char[]> binary(new char[cap ? cap : 1]);
  char* bp = binary.get();
  char* bend = bp + cap;
  auto varint = [&bp](std::uint32_t x) {
    while (x & ~0x7fu) {
      *bp++ = static_cast<char>((x & 0x7f) | 0x80);
      x >>= 7;
    }
    *bp++ = static_cast<char>(x);
  };
  auto emit_and = [&](std::uint32_t x, std::uint32_t y) -> std::uint32_t {
    if (next_var >= (1u << 31) - 1) throw Error("cannot write AIGER: too many variables");
    const std::uint32_t lhs = 2 * ++next_var;
    if (x < y) std::swap(x, y);
    if (mode == AigerMode::Binary) {
      if (bend - bp < 10) [[unlikely]] {
        const std::size_t used = static_cast<std::size_t>(bp - binary.get());
        cap *= 2;
        std::unique_ptr<char[]> grown(new char[cap]);
        std::memcpy(grown.get(), binary.get(), used);
        binary = std::move(grown);
        bp = binary.get() + used;
        bend = binary.get() + cap;
      }
      varint(lhs - x);
      varint(x - y);
    } else {
      ascii.put_uint(lhs).put(' ').put_uint(x).put(' ').put_uint(y).put('\n');
    }
    return lhs;
  };
  for (GateId g = 0; g < n; ++g) {
    const Op op = static_cast<Op>(ops[g]);
    if (op == Op::Input) {
      lit[g] = 2 * (as[g] + 1);
      continue;
    }
    if (!live[g]) continue;
    switch (op) {
      case Op::Const:
        if (c.constant(g) != 0 && c.constant(g) != 1) require_boolean(c, live, "AIGER");
        lit[g] = c.constant(g) == 0 ? 0 : 1;
        break;
      case Op::Not: lit[g] = lit[as[g]] ^ 1; break;
      case Op::Buf: lit[g] = lit[as[g]]; break;
      case Op::And: lit[g] = emit_and(lit[as[g]], lit[bs[g]]); break;
      case Op::Or: lit[g] = emit_and(lit[as[g]] ^ 1, lit[bs[g]] ^ 1) ^ 1; break;
      case Op::Xor: {
        const std::uint32_t x = lit[as[g]], y = lit[bs[g]];
        const std::uint32_t t1 = emit_and(x, y ^ 1), t2 = emit_and(x ^ 1, y);
        lit[g] = emit_and(t1 ^ 1, t2 ^ 1) ^ 1;
        break;
      }
      default: require_boolean(c, live, "AIGER"); throw Error("cannot write AIGER: not a boolean circuit");
    }
  }
  ascii.flush();
  const std::uint64_t ands = next_var - num_inputs;
  o.put(mode == AigerMode::Binary ? "aig " : "aag ").put_uint(next_var).put(' ').put_uint(num_inputs).put(" 0 ");
  o.put_uint(c.outputs().size()).put(' ').put_uint(ands).put('\n');
  if (mode == AigerMode::Ascii)
    for (std::uint64_t i = 0; i < num_inputs; ++i) o.put_uint(2 * (i + 1)).put('\n');
  for (const Output& out : c.outputs()) o.put_uint(lit[out.gate]).put('\n');
  if (mode == AigerMode::Binary)
    o.put(std::string_view(binary.get(), static_cast<std::size_t>(bp - binary.get())));
  else
    o.put(ands_section);
  for (std::uint64_t i = 0; i < num_inputs; ++i) o.put('i').put_uint(i).put(' ').put(c.input_name(i)).put('\n');
  for (std::size_t i = 0; i < c.outputs().size(); ++i) o.put('o').put_uint(i).put(' ').put(c.outputs()[i].name).put('\n');
  o.put("c\nwritten by rnncc\n");
  o.flush();
}

}  // namespace

std::string write_aiger(const Circuit& c, AigerMode mode) {
  std::string s;
  TextOut o(s);
  write_aiger_to(c, mode, o);
  return s;
}

void write_aiger(const Circuit& c, AigerMode mode, std::ostream& out) {
  TextOut o(out);
  write_aiger_to(c, mode, o);
}

}  // namespace rnncc::circuits::io
