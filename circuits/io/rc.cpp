// `.rc` reader and canonical writer.
#include "circuits/io/rc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <condition_variable>
#include <exception>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "circuits/builder.hpp"
#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/name_bytes.hpp"
#include "circuits/io/text.hpp"
#include "circuits/io/text_out.hpp"

namespace rnncc::circuits::io {
namespace {

constexpr std::string_view kHeader = "rnncc";

// File ids -> builder ids. Dense ids (the writer's: 0, 1, 2, ...) go to a vector; others go to a
// hash map, so that "4000000000 = input x" does not allocate 16 GB. The vector grows only to
// cover ids below 2 * (ids stored) + kSlack, so its size stays within a constant factor of the
// file's lines: ids such as 0, 2^20 + 1, 3 * 2^20 + 3, 7 * 2^20 + 7, ... (each just inside any
// "twice the table" rule) no longer double it on every line.
//
// A canonical file (the writer's) maps every id to itself: while ids 0, 1, 2, ... come in order
// and the builder gives each its own number, the map is the identity on [0, identity_) and
// stores nothing; the first other pair writes that prefix into the vector.
class IdMap {
 public:
  bool contains(std::uint64_t id) const {
    if (id < identity_) return true;
    if (id < dense_.size()) return dense_[id] != kNoGate;
    return sparse_.count(id) != 0;
  }
  GateId get(std::uint64_t id) const {
    if (id < identity_) return static_cast<GateId>(id);
    if (id < dense_.size()) return dense_[id];
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kNoGate : it->second;
  }
  // A hint: room for ids 0 .. n - 1 without regrowing (the writer's ids are dense).
  void reserve(std::size_t n) { hint_ = n; }
  // `id` must not be stored yet.
  void set(std::uint64_t id, GateId g) {
    if (identity_ == stored_ && id == identity_ && g == id) {  // dense_ and sparse_ still empty
      ++identity_;
      ++stored_;
      return;
    }
    if (identity_ > 0) {  // leave the identity: its prefix goes into the vector
      dense_.reserve(std::max<std::size_t>(hint_, identity_));
      dense_.resize(identity_);
      for (std::uint64_t k = 0; k < identity_; ++k) dense_[k] = static_cast<GateId>(k);
      identity_ = 0;
    }
    ++stored_;
    if (id < dense_.size()) {
      dense_[id] = g;
      return;
    }
    const std::uint64_t cap = 2 * stored_ + kSlack;  // stored_ < 2^63: one per line of the file
    if (id >= cap) {
      sparse_[id] = g;
      return;
    }
    // Grow geometrically (amortised O(1) for the writer's ids), but never past the cap.
    const std::uint64_t grown = std::max<std::uint64_t>(id + 1, dense_.size() + dense_.size() / 2);
    dense_.resize(static_cast<std::size_t>(std::min(grown, cap)), kNoGate);
    dense_[id] = g;
    // Sparse ids now inside the dense range move there, where contains() and get() look; the
    // map is ordered, so this visits only the ids that move.
    while (!sparse_.empty() && sparse_.begin()->first < dense_.size()) {
      dense_[static_cast<std::size_t>(sparse_.begin()->first)] = sparse_.begin()->second;
      sparse_.erase(sparse_.begin());
    }
  }

 private:
  static constexpr std::uint64_t kSlack = 1024;
  std::vector<GateId> dense_;
  std::map<std::uint64_t, GateId> sparse_;
  std::uint64_t stored_ = 0;
  std::uint64_t identity_ = 0;  // ids below map to themselves (then dense_ and sparse_ are empty)
  std::size_t hint_ = 0;
};

// Bytes for the line scanner: token bytes, whitespace (' ', '\t', '\r') and the bytes that end
// a token otherwise ('\n', '#').
enum ByteClass : std::uint8_t { kTokenByte, kSpace, kBreak };
constexpr auto kByteClass = [] {
  std::array<ByteClass, 256> t{};
  t[' '] = t['\t'] = t['\r'] = kSpace;
  t['\n'] = t['#'] = kBreak;
  return t;
}();

// A mask whose lowest set bit (bit 7 of a byte) marks the first byte of `x`, in memory order on
// a little-endian machine, that ends a token: ' ', '\t', '\r', '\n' or '#'. Bits above it may
// be wrong (a borrow), never below: each test's lowest bit marks a true match.
inline std::uint64_t break_bytes(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return zero(x ^ (kOnes * ' ')) | zero(x ^ (kOnes * '\t')) | zero(x ^ (kOnes * '\r')) | zero(x ^ (kOnes * '\n')) |
         zero(x ^ (kOnes * '#'));
}

// Tokenizes the line of `text` that starts at `pos`, appending to `tok` (as tokenize() does:
// whitespace is ' ', '\t' and '\r', a '#' starts a comment) in one pass over its bytes, and
// returns where the next line starts. Columns are 1-based from the line's start.
std::size_t scan_line(std::string_view text, std::size_t pos, std::vector<Token>& tok) {
  const char* const base = text.data();
  const char* const line = base + pos;
  const char* const end = base + text.size();
  const char* p = line;
  // Bytes a few lines ahead: the file's pages are separate physical pages, which the hardware
  // prefetcher does not cross.
  __builtin_prefetch(line + 1024);
  for (;;) {
    while (p != end && kByteClass[static_cast<unsigned char>(*p)] == kSpace) ++p;
    if (p == end) return text.size();
    if (*p == '\n') return static_cast<std::size_t>(p - base) + 1;
    if (*p == '#') {  // a comment: the rest of the line
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1 : text.size();
    }
    const char* start = p;
    // Eight bytes at a time: token lengths vary, so a byte loop mispredicts its exit on almost
    // every token.
    for (;;) {
      if constexpr (std::endian::native == std::endian::little) {
        if (end - p >= 8) {
          std::uint64_t x;
          std::memcpy(&x, p, 8);
          if (const std::uint64_t m = break_bytes(x)) {
            p += std::countr_zero(m) / 8;
            break;
          }
          p += 8;
          continue;
        }
      }
      while (p != end && kByteClass[static_cast<unsigned char>(*p)] == kTokenByte) ++p;
      break;
    }
    tok.push_back({std::string_view(start, static_cast<std::size_t>(p - start)), static_cast<std::size_t>(start - line) + 1});
  }
}

constexpr std::uint32_t kNoOrigin = 0xFFFFFFFFu;

// The scanner's numbers for origin tokens: 0, 1, 2, ... in order of first appearance, so the
// reader resolves an origin with one array read instead of comparing its text.
class OriginNumbers {
 public:
  std::uint32_t number(std::string_view token) {
    for (const auto& [text, n] : recent_)  // a few constructs a step: the latest usually match
      if (text == token && !text.empty()) return n;
    auto [it, added] = all_.try_emplace(token, static_cast<std::uint32_t>(all_.size()));
    if (all_.size() >= kNoOrigin) throw Error("too many distinct origins");
    recent_[next_++ % std::size(recent_)] = {token, it->second};
    return it->second;
  }

 private:
  std::pair<std::string_view, std::uint32_t> recent_[4] = {};
  std::size_t next_ = 0;
  std::unordered_map<std::string_view, std::uint32_t> all_;
};

// A non-empty line as the scanner saw it. Plain gate lines ("ID = KIND A [B] [@ORIGIN]" with
// well-formed numbers, a known kind of that arity: almost every line of a large file) come
// parsed; every other line comes as tokens, which the reader takes through the checks and
// messages of the one-line path, as it takes (from the text again) any plain line it cannot
// apply as it stands (an operand not yet defined, a new origin, ...).
struct ScannedLine {
  std::uint64_t line;  // 1-based
  std::size_t start;   // offset of its first byte
  std::uint64_t id = 0, a = 0, b = 0;
  std::uint32_t origin = kNoOrigin;  // the origin token ("@construct:step") as a scanner number
  std::uint32_t tok_begin = 0, tok_end = 0;  // not plain: its tokens in the chunk's list
  Op op = Op::Const;
  bool plain = false;
};

struct ScannedChunk {
  std::vector<ScannedLine> lines;
  std::vector<Token> tokens;
};

// A gate kind's mnemonic (at most 7 bytes) packed into an integer, for comparing in one step.
constexpr std::uint64_t pack_mnemonic(std::string_view s) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < s.size(); ++i) v |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  return v | (std::uint64_t{s.size()} << 56);
}
constexpr auto kPackedMnemonics = [] {
  std::array<std::uint64_t, kNumOps> t{};
  for (std::size_t i = 0; i < kNumOps; ++i) t[i] = pack_mnemonic(kMnemonics[i]);
  return t;
}();
static_assert(std::all_of(kMnemonics.begin(), kMnemonics.end(), [](std::string_view m) { return m.size() < 8; }));

std::optional<Op> op_of_packed(const char* p, std::size_t n) {
  if (n == 0 || n >= 8) return std::nullopt;
  std::uint64_t v = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&v, p, n);  // byte i at bits 8i, as the table is packed
  } else {
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  v |= std::uint64_t{n} << 56;
  for (std::size_t i = 0; i < kNumOps; ++i)
    if (kPackedMnemonics[i] == v) return static_cast<Op>(i);
  return std::nullopt;
}

// Parses the plain gate line at `p` ("ID = KIND A [B] [@ORIGIN]", whitespace and a trailing
// comment as the tokenizer takes them; numbers of at most 19 digits; KIND neither input nor
// const) into `l` and returns where the next line starts, or nullptr for any other line.
const char* parse_plain(const char* p, const char* end, ScannedLine& l, OriginNumbers& origins) {
  auto space = [&] {
    while (p != end && kByteClass[static_cast<unsigned char>(*p)] == kSpace) ++p;
  };
  auto token_ends = [&] { return p == end || kByteClass[static_cast<unsigned char>(*p)] != kTokenByte; };
  auto number = [&](std::uint64_t& v) {
    const char* start = p;
    v = 0;
    while (p != end && static_cast<unsigned>(*p - '0') < 10) v = v * 10 + static_cast<unsigned>(*p++ - '0');
    return p != start && p - start <= 19 && token_ends();
  };
  auto token = [&] {
    const char* start = p;
    while (p != end && kByteClass[static_cast<unsigned char>(*p)] == kTokenByte) ++p;
    return std::string_view(start, static_cast<std::size_t>(p - start));
  };
  if (!number(l.id)) return nullptr;
  space();
  if (p == end || *p != '=') return nullptr;
  ++p;
  if (!token_ends()) return nullptr;
  space();
  const std::string_view kind = token();
  const auto op = op_of_packed(kind.data(), kind.size());
  if (!op || *op == Op::Input || *op == Op::Const) return nullptr;
  l.op = *op;
  space();
  if (!number(l.a)) return nullptr;
  if (arity(*op) == 2) {
    space();
    if (!number(l.b)) return nullptr;
  }
  space();
  if (p != end && *p == '@') {
    const std::string_view origin = token();
    space();
    if (p != end && *p != '\n' && *p != '#') return nullptr;
    l.origin = origins.number(origin);
  }
  if (p == end) return end;
  if (*p == '\n') return p + 1;
  if (*p != '#') return nullptr;
  const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
  return nl ? static_cast<const char*>(nl) + 1 : end;
}

// Scans lines from `pos` into `out` until `max_lines` non-empty lines or the end; returns where
// it stopped. `line` counts every line read (empty ones too).
std::size_t scan_lines(std::string_view text, std::size_t pos, std::size_t max_lines, std::uint64_t& line,
                       ScannedChunk& out, OriginNumbers& origins) {
  out.lines.clear();
  out.tokens.clear();
  const char* const base = text.data();
  const char* const end = base + text.size();
  while (pos < text.size() && out.lines.size() < max_lines) {
    ++line;
    const char* p = base + pos;
    // Bytes a few lines ahead: the file's pages are separate physical pages, which the
    // hardware prefetcher does not cross.
    __builtin_prefetch(p + 1024);
    while (p != end && kByteClass[static_cast<unsigned char>(*p)] == kSpace) ++p;
    if (p == end) return text.size();
    if (*p == '\n' || *p == '#') {  // empty, or a comment
      const void* nl = *p == '\n' ? p : std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      pos = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1 : text.size();
      continue;
    }
    ScannedLine& l = out.lines.emplace_back();
    l.line = line;
    l.start = pos;
    if (const char* next = parse_plain(p, end, l, origins)) {
      l.plain = true;
      pos = static_cast<std::size_t>(next - base);
    } else {
      l.origin = kNoOrigin;
      l.tok_begin = static_cast<std::uint32_t>(out.tokens.size());
      pos = scan_line(text, pos, out.tokens);
      if (out.tokens.size() >= 0xFFFFFFFFu) throw Error("too many tokens in a chunk");
      l.tok_end = static_cast<std::uint32_t>(out.tokens.size());
    }
  }
  return pos;
}

// Scans the text ahead of the reader, in chunks of lines: in a thread of its own for large texts
// (the reader builds one chunk while the next is scanned), inline otherwise. Chunks come in file
// order; destroying the scanner stops its thread.
class LineScanner {
 public:
  static constexpr std::size_t kChunkLines = 8192;
  static constexpr std::size_t kThreadedBytes = std::size_t{8} << 20;

  LineScanner(std::string_view text, RcScan scan) : text_(text) {
    const bool threaded = scan == RcScan::Thread ||
                          (scan == RcScan::Auto && text.size() >= kThreadedBytes && std::thread::hardware_concurrency() > 1);
    if (threaded) {
      try {
        thread_ = std::thread([this] { produce(); });
      } catch (const std::system_error&) {  // no thread to be had: scan inline
      }
    }
  }
  ~LineScanner() {
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
      }
      cv_.notify_all();
      thread_.join();
    }
  }
  LineScanner(const LineScanner&) = delete;
  LineScanner& operator=(const LineScanner&) = delete;

  // The next chunk (valid until the next call), or nullptr after the last one.
  const ScannedChunk* next() {
    if (!thread_.joinable()) {
      if (pos_ >= text_.size()) return nullptr;
      pos_ = scan_lines(text_, pos_, kChunkLines, lines_, slots_[0].chunk, origins_);
      return &slots_[0].chunk;
    }
    std::unique_lock<std::mutex> lock(m_);
    if (held_) {  // hand the chunk read last back to the scanner
      held_->full = false;
      held_ = nullptr;
      cv_.notify_all();
    }
    if (finished_) return nullptr;
    Slot& s = slots_[taken_ % kSlots];
    cv_.wait(lock, [&] { return s.full || error_; });
    if (!s.full) std::rethrow_exception(error_);
    ++taken_;
    held_ = &s;
    finished_ = s.last;
    return &s.chunk;
  }
  // Every line of the text, once next() has returned nullptr.
  std::uint64_t lines() const { return lines_; }

 private:
  struct Slot {
    ScannedChunk chunk;
    bool full = false;
    bool last = false;
  };
  void produce() {
    try {
      std::size_t pos = 0;
      std::uint64_t line = 0;
      for (std::size_t k = 0;; ++k) {
        Slot& s = slots_[k % kSlots];
        {
          std::unique_lock<std::mutex> lock(m_);
          cv_.wait(lock, [&] { return !s.full || stop_; });
          if (stop_) return;
        }
        pos = scan_lines(text_, pos, kChunkLines, line, s.chunk, origins_);
        const bool last = pos >= text_.size();
        {
          std::lock_guard<std::mutex> lock(m_);
          s.full = true;
          s.last = last;
          if (last) lines_ = line;
        }
        cv_.notify_all();
        if (last) return;
      }
    } catch (...) {  // out of memory: the reader rethrows it
      std::lock_guard<std::mutex> lock(m_);
      error_ = std::current_exception();
      cv_.notify_all();
    }
  }

  static constexpr std::size_t kSlots = 4;
  std::string_view text_;
  Slot slots_[kSlots];
  std::uint64_t lines_ = 0;
  OriginNumbers origins_;  // used by one thread at a time: the scanner's, else the reader's
  std::size_t pos_ = 0;    // inline scanning
  // Threaded scanning.
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool finished_ = false;
  std::exception_ptr error_;
  std::size_t taken_ = 0;
  Slot* held_ = nullptr;
};

class RcReader {
 public:
  RcReader(std::string_view text, const std::string& path, RcScan scan) : text_(text), path_(path), scan_(scan) {}

  Circuit read() {
    LineScanner scanner(text_, scan_);
    // Gate lines of unrolled circuits take about 48 bytes: reserving for that many saves
    // regrowing the arrays and the hash table (a hint, bounded by the file's size).
    b_.reserve(text_.size() / 48);
    ids_.reserve(text_.size() / 48);
    while (const ScannedChunk* chunk = scanner.next()) {
      for (const ScannedLine& l : chunk->lines) {
        line_ = l.line;
        line_start_ = l.start;
        if (l.plain) {
          if (header_ && apply_plain(l)) continue;
          tok_.clear();
          scan_line(text_, l.start, tok_);
        } else {
          tok_.assign(chunk->tokens.begin() + l.tok_begin, chunk->tokens.begin() + l.tok_end);
        }
        read_line();
        if (l.plain && l.origin != kNoOrigin) {  // a plain line's origin went through set_origin
          if (l.origin >= origin_index_.size()) origin_index_.resize(std::size_t{l.origin} + 1, kNoOrigin);
          origin_index_[l.origin] = last_origin_;
        }
      }
    }
    line_ = scanner.lines();
    if (!header_) throw located_error(path_, line_ == 0 ? 1 : line_, 0, "empty file: expected the header 'rnncc 1'");
    Circuit c = b_.finish();
    c.name = stem_of(path_);
    return c;
  }

 private:
  struct LocatedFailure : Error {
    using Error::Error;
  };

  // A plain gate line as scanned, when it applies as it stands: its id new, its operands
  // defined, its origin one of the latest. Otherwise false, and nothing has changed.
  bool apply_plain(const ScannedLine& l) {
    if (ids_.contains(l.id)) return false;
    const GateId x = ids_.get(l.a);
    const GateId y = arity(l.op) == 2 ? ids_.get(l.b) : kNoGate;
    if (x == kNoGate || (arity(l.op) == 2 && y == kNoGate)) return false;
    std::uint32_t origin = 0;
    if (l.origin != kNoOrigin) {
      // The builder's index for this token, from the last line that had it, while the builder
      // would still find it (set_origin looks 64 entries back).
      if (l.origin >= origin_index_.size()) return false;
      origin = origin_index_[l.origin];
      if (origin == kNoOrigin || b_.circuit().origins().size() - origin > 64) return false;
    }
    b_.set_origin_index(origin);
    GateId g;
    try {
      g = b_.make(l.op, x, y);
    } catch (const Error&) {  // a limit: the one-line path says where
      return false;
    }
    ids_.set(l.id, g);
    return true;
  }

  // The line in tok_ (non-empty), with every check.
  void read_line() {
    if (!header_) {
      if (tok_[0].text != kHeader) fail(tok_[0], "expected the header 'rnncc 1'");
      if (tok_.size() < 2 || tok_[1].text != "1")
        fail(tok_.size() > 1 ? tok_[1] : tok_[0], "unsupported version: expected 'rnncc 1'");
      if (tok_.size() > 2) fail(tok_[2], "unexpected token after the header 'rnncc 1'");
      header_ = true;
      return;
    }
    try {
      if (tok_[0].text == "output") {
        parse_output();
      } else if (tok_[0].text == "port") {
        parse_port();
      } else if (tok_[0].text == "state-shape") {
        parse_state_shape();
      } else if (tok_[0].text == "step") {
        parse_step();
      } else if (tok_[0].text == "hint") {
        parse_hint();
      } else {
        parse_gate();
      }
    } catch (const LocatedFailure&) {
      throw;
    } catch (const LimitError& e) {  // a resource limit stays one (exit 3), located
      throw LimitError(located_error(path_, line_, tok_.size() > 3 ? tok_[3].col : tok_[0].col, e.what()).what());
    } catch (const Error& e) {  // builder errors (duplicate names, ...): point at the name
      const Token& at = tok_[0].text == "output" || tok_[0].text == "port" ? tok_[tok_[0].text == "port" ? 2 : 1]
                        : tok_.size() > 3                                   ? tok_[3]
                                                                            : tok_[0];
      throw located_error(path_, line_, at.col, e.what());
    }
  }

  [[noreturn]] void fail(const Token& t, const std::string& msg) const {
    throw LocatedFailure(located_error(path_, line_, t.col, msg).what());
  }
  [[noreturn]] void fail_end(const std::string& msg) const {
    std::size_t col = tok_.empty() ? 1 : tok_.back().col + tok_.back().text.size();
    throw LocatedFailure(located_error(path_, line_, col, msg).what());
  }

  std::uint64_t parse_id(const Token& t, const char* what) const {
    auto id = parse_uint<std::uint64_t>(t.text);
    if (!id) fail(t, fmt::format("expected {} (a non-negative integer), got '{}'", what, t.text));
    return *id;
  }

  GateId operand(const Token& t) const {
    std::uint64_t id = parse_id(t, "an operand id");
    GateId g = ids_.get(id);
    if (g == kNoGate) fail(t, fmt::format("operand {} is used before its definition", id));
    return g;
  }

  void expect_equals(std::size_t i, const char* after) const {
    if (tok_.size() <= i) fail_end(fmt::format("expected '=' after {}", after));
    if (tok_[i].text != "=") fail(tok_[i], fmt::format("expected '=' after {}, got '{}'", after, tok_[i].text));
  }

  // Names are UTF-8 without control characters (they go into JSON reports): located at the byte.
  void check_name_bytes(const Token& name, const char* what) const {
    if (auto bad = bad_name_byte(name.text))
      fail(Token{name.text, name.col + *bad},
           fmt::format("bad {} name: {}", what, bad_name_byte_message(name.text, *bad)));
  }

  void parse_gate() {
    std::uint64_t id = parse_id(tok_[0], "a gate id, 'output' or 'step'");
    expect_equals(1, "the gate id");
    if (ids_.contains(id)) fail(tok_[0], fmt::format("gate {} is defined twice", id));
    if (tok_.size() < 3) fail_end("expected a gate kind after '='");
    const Token& kind = tok_[2];
    auto op = op_from_mnemonic(kind.text);
    if (!op) fail(kind, fmt::format("unknown gate kind '{}'", kind.text));

    // An optional trailing origin "@construct:step" (an input's lone name may start with '@').
    std::size_t nargs = tok_.size() - 3;
    if (nargs > 0 && tok_.back().text[0] == '@' && !(*op == Op::Input && nargs == 1)) {
      --nargs;
      set_origin(tok_.back());
    } else {
      b_.set_origin_index(0);
    }

    GateId g;
    if (*op == Op::Input) {
      if (nargs != 1) nargs == 0 ? fail_end("expected an input name") : fail(tok_[4], "unexpected token after the input name");
      if (!valid_name(tok_[3].text)) fail(tok_[3], "bad input name");
      check_name_bytes(tok_[3], "input");
      g = b_.input(std::string(tok_[3].text));
    } else if (*op == Op::Const) {
      if (nargs != 1) nargs == 0 ? fail_end("expected a constant value") : fail(tok_[4], "unexpected token after the constant");
      auto v = parse_rational(tok_[3].text);
      if (!v) fail(tok_[3], fmt::format("bad constant '{}': expected [-]p or [-]p/q with q != 0", tok_[3].text));
      g = b_.constant(*v);
    } else {
      int want = arity(*op);
      if (static_cast<int>(nargs) != want) {
        const Token& at = nargs > static_cast<std::size_t>(want) ? tok_[3 + want] : kind;
        fail(at, fmt::format("fan-in violation: '{}' takes {} operand{}, got {}", kind.text, want,
                             want == 1 ? "" : "s", nargs));
      }
      GateId x = operand(tok_[3]);
      GateId y = want == 2 ? operand(tok_[4]) : kNoGate;
      g = b_.make(*op, x, y);
    }
    ids_.set(id, g);
  }

  void set_origin(const Token& t) {
    // Origins repeat from line to line (a few constructs a step): a token seen lately reuses its
    // index, without building an Origin (a string) and searching the table.
    for (const auto& [text, index] : recent_origins_)
      if (text == t.text && !text.empty()) {
        b_.set_origin_index(index);
        last_origin_ = index;
        return;
      }
    std::string_view s = t.text.substr(1);
    std::size_t colon = s.rfind(':');
    if (colon == std::string_view::npos) fail(t, "bad origin: expected '@construct:step'");
    auto step = parse_uint<std::uint32_t>(s.substr(colon + 1));
    if (!step) fail(t, "bad origin step: expected '@construct:step' with a non-negative integer step");
    check_name_bytes(Token{s.substr(0, colon), t.col + 1}, "origin construct");
    const std::uint32_t index = b_.set_origin({std::string(s.substr(0, colon)), *step});
    recent_origins_[next_recent_++ % std::size(recent_origins_)] = {t.text, index};
    last_origin_ = index;
  }

  void parse_output() {
    if (!outputs_reserved_) {  // outputs come last: the rest of the file bounds their count
      outputs_reserved_ = true;
      b_.reserve_outputs(std::min<std::size_t>((text_.size() - line_start_) / 16, b_.circuit().num_gates() + 1024));
    }
    if (tok_.size() < 2) fail_end("expected an output name");
    if (!valid_name(tok_[1].text)) fail(tok_[1], "bad output name");
    check_name_bytes(tok_[1], "output");
    expect_equals(2, "the output name");
    if (tok_.size() < 4) fail_end("expected a gate id after '='");
    if (tok_.size() > 4) fail(tok_[4], "unexpected token after the output's gate id");
    GateId g = operand(tok_[3]);
    b_.output(std::string(tok_[1].text), g);
  }

  // port input|output NAME ROLE [t=N] [i=N] [key=KEY] [range=LO:HI] [bit=B/W] [word=unsigned]
  //   [part=num|den] [scale=C^E]
  void parse_port() {
    if (tok_.size() < 2 || (tok_[1].text != "input" && tok_[1].text != "output"))
      tok_.size() < 2 ? fail_end("expected 'input' or 'output' after 'port'")
                      : fail(tok_[1], fmt::format("expected 'input' or 'output' after 'port', got '{}'", tok_[1].text));
    const bool is_input = tok_[1].text == "input";
    if (tok_.size() < 3) fail_end(fmt::format("expected the name of an {}", tok_[1].text));
    const std::size_t index = port_index(is_input, tok_[2]);
    if (tok_.size() < 4) fail_end("expected a role: sequence, initial, parameter, output, accept or symbol");
    Port p;
    auto role = parse_port_role(tok_[3].text);
    if (!role || *role == PortRole::None)
      fail(tok_[3], fmt::format("unknown role '{}': expected sequence, initial, parameter, output, accept or symbol", tok_[3].text));
    p.role = *role;
    for (std::size_t k = 4; k < tok_.size(); ++k) {
      const Token& t = tok_[k];
      const std::size_t eq = t.text.find('=');
      if (eq == std::string_view::npos) fail(t, fmt::format("expected key=value, got '{}'", t.text));
      const std::string_view key = t.text.substr(0, eq), value = t.text.substr(eq + 1);
      auto u32 = [&](std::string_view v) {
        auto x = parse_uint<std::uint32_t>(v);
        if (!x) fail(t, fmt::format("'{}': expected an integer below 2^32, got '{}'", key, v));
        return *x;
      };
      auto i32 = [&](std::string_view v) {
        const bool neg = !v.empty() && v[0] == '-';
        auto x = parse_uint<std::uint32_t>(neg ? v.substr(1) : v);
        if (!x || *x > (neg ? 0x80000000u : 0x7FFFFFFFu))
          fail(t, fmt::format("'{}': expected integers in [-2^31, 2^31), got '{}'", key, v));
        return neg ? static_cast<std::int32_t>(-static_cast<std::int64_t>(*x)) : static_cast<std::int32_t>(*x);
      };
      if (key == "t") {
        p.step = u32(value);
      } else if (key == "i") {
        p.index = u32(value);
      } else if (key == "key") {
        if (value.empty()) fail(t, "'key': expected a name");
        p.key = b_.port_key(value);
      } else if (key == "range") {
        const std::size_t colon = value.find(':', value.empty() || value[0] != '-' ? 0 : 1);
        if (colon == std::string_view::npos) fail(t, fmt::format("'range': expected LO:HI, got '{}'", value));
        p.has_range = true;
        p.lo = i32(value.substr(0, colon));
        p.hi = i32(value.substr(colon + 1));
      } else if (key == "bit") {
        const std::size_t slash = value.find('/');
        if (slash == std::string_view::npos) fail(t, fmt::format("'bit': expected B/W, got '{}'", value));
        const std::uint32_t b = u32(value.substr(0, slash)), w = u32(value.substr(slash + 1));
        if (w == 0 || w > kMaxWordBits || b >= w)
          fail(t, fmt::format("'bit': expected B/W with B < W <= {}, got '{}'", kMaxWordBits, value));
        p.bit = b;
        p.word_bits = w;
      } else if (key == "word") {
        if (value != "unsigned" && value != "signed")
          fail(t, fmt::format("'word': expected signed or unsigned, got '{}'", value));
        p.word_unsigned = value == "unsigned";
      } else if (key == "part") {
        auto part = parse_port_part(value);
        if (!part) fail(t, fmt::format("'part': expected value, num or den, got '{}'", value));
        p.part = *part;
      } else if (key == "scale") {
        const std::size_t caret = value.find('^');
        if (caret == std::string_view::npos) fail(t, fmt::format("'scale': expected C^E, got '{}'", value));
        p.scale_base = u32(value.substr(0, caret));
        p.scale_exp = u32(value.substr(caret + 1));
        if (p.scale_base < 2) fail(t, fmt::format("'scale': expected C^E with C >= 2, got '{}'", value));
      } else {
        fail(t, fmt::format("unknown port field '{}': expected t, i, key, range, bit, word, part or scale", key));
      }
    }
    if ((p.role == PortRole::Initial || p.role == PortRole::Parameter) && p.key >= b_.circuit().port_keys().size())
      fail_end(fmt::format("a port of role {} needs key=KEY", tok_[3].text));
    if (p.role == PortRole::Symbol && (p.step == 0 || p.word_bits == 0))
      fail_end("a port of role symbol needs t=N (N >= 1) and bit=B/W");
    if (is_input)
      b_.set_input_port(index, p);
    else
      b_.set_output_port(index, p);
  }

  std::size_t port_index(bool is_input, const Token& name) {
    auto& index = is_input ? input_index_ : output_index_;
    const Circuit& c = b_.circuit();
    const std::size_t n = is_input ? c.inputs().size() : c.outputs().size();
    // The writer puts a port line right after its input or output: names are unique, so the
    // latest one is the answer when the names agree, without a lookup.
    if (n > 0 && (is_input ? c.input_name(n - 1) : c.outputs()[n - 1].name) == name.text) return n - 1;
    for (std::size_t k = index.size(); k < n; ++k)
      index.emplace(is_input ? c.input_name(k) : c.outputs()[k].name, k);
    auto it = index.find(name.text);
    if (it == index.end())
      fail(name, fmt::format("no {} named '{}' before this line", is_input ? "input" : "output", name.text));
    return it->second;
  }

  // state-shape D [D ...]
  void parse_state_shape() {
    if (tok_.size() < 2) fail_end("expected the state's dimensions");
    std::vector<std::uint32_t> shape;
    for (std::size_t k = 1; k < tok_.size(); ++k) {
      auto d = parse_uint<std::uint32_t>(tok_[k].text);
      if (!d || *d == 0) fail(tok_[k], fmt::format("expected a positive dimension, got '{}'", tok_[k].text));
      shape.push_back(*d);
    }
    b_.set_state_shape(std::move(shape));
  }

  // hint ID range=LO:HI [exclusive]
  void parse_hint() {
    if (tok_.size() < 2) fail_end("expected a gate id after 'hint'");
    ValueHint h;
    h.gate = operand(tok_[1]);
    bool have_range = false;
    for (std::size_t k = 2; k < tok_.size(); ++k) {
      const Token& t = tok_[k];
      if (t.text == "exclusive") {
        h.exclusive = true;
      } else if (t.text.starts_with("range=")) {
        const std::string_view v = t.text.substr(6);
        const std::size_t colon = v.find(':', v.empty() || v[0] != '-' ? 0 : 1);
        auto i64 = [&](std::string_view x) {
          const bool neg = !x.empty() && x[0] == '-';
          auto u = parse_uint<std::uint64_t>(neg ? x.substr(1) : x);
          if (!u || *u > (neg ? 0x8000000000000000ull : 0x7FFFFFFFFFFFFFFFull))
            fail(t, fmt::format("'range': expected integers in [-2^63, 2^63), got '{}'", x));
          return neg ? static_cast<std::int64_t>(0 - *u) : static_cast<std::int64_t>(*u);
        };
        if (colon == std::string_view::npos) fail(t, fmt::format("'range': expected LO:HI, got '{}'", v));
        h.lo = i64(v.substr(0, colon));
        h.hi = i64(v.substr(colon + 1));
        if (h.lo > h.hi) fail(t, fmt::format("'range': empty range {}:{}", h.lo, h.hi));
        have_range = true;
      } else {
        fail(t, fmt::format("expected range=LO:HI or exclusive, got '{}'", t.text));
      }
    }
    if (!have_range) fail_end("a hint needs range=LO:HI");
    b_.add_hint(h);
  }

  void parse_step() {
    if (tok_.size() < 2) fail_end("expected a step number");
    auto step = parse_uint<std::uint32_t>(tok_[1].text);
    if (!step) fail(tok_[1], fmt::format("expected a step number, got '{}'", tok_[1].text));
    expect_equals(2, "the step number");
    std::vector<GateId> gates;
    gates.reserve(tok_.size() - 3);
    for (std::size_t i = 3; i < tok_.size(); ++i) gates.push_back(operand(tok_[i]));
    b_.add_step(*step, std::move(gates));
  }

  std::string_view text_;
  const std::string& path_;
  RcScan scan_;
  std::size_t line_ = 0;
  std::size_t line_start_ = 0;
  bool outputs_reserved_ = false;
  bool header_ = false;
  std::vector<Token> tok_;
  IdMap ids_;
  std::pair<std::string_view, std::uint32_t> recent_origins_[4] = {};
  std::size_t next_recent_ = 0;
  std::uint32_t last_origin_ = 0;                // set_origin's latest index
  std::vector<std::uint32_t> origin_index_;      // scanner origin number -> builder index
  Builder b_;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Filled when a port line names an input or output other than the latest.
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> input_index_, output_index_;
};

void write_port(TextOut& o, std::string_view what, const std::string& name, const Port& p,
                const std::vector<std::string>& keys) {
  if (p.role == PortRole::None) return;
  o.put("port ").put(what).put(' ').put(name).put(' ').put(port_role_name(p.role));
  if (p.step) o.put(" t=").put_uint(p.step);
  if (p.role != PortRole::Accept) o.put(" i=").put_uint(p.index);
  if (p.role == PortRole::Initial || p.role == PortRole::Parameter) o.put(" key=").put(keys[p.key]);
  if (p.has_range) o.put(" range=").put_int(p.lo).put(':').put_int(p.hi);
  if (p.word_bits) o.put(" bit=").put_uint(p.bit).put('/').put_uint(p.word_bits);
  if (p.word_unsigned) o.put(" word=unsigned");
  if (p.part != PortPart::Value) o.put(" part=").put(port_part_name(p.part));
  if (p.scale_base) o.put(" scale=").put_uint(p.scale_base).put('^').put_uint(p.scale_exp);
  o.put('\n');
}

void write_rc_to(const Circuit& c, TextOut& o) {
  o.put("rnncc 1\n");
  if (!c.state_shape().empty()) {
    o.put("state-shape");
    for (std::uint32_t d : c.state_shape()) o.put(' ').put_uint(d);
    o.put('\n');
  }
  const std::size_t n = c.num_gates();
  const auto& ops = c.ops();
  const auto& as = c.as();
  const auto& bs = c.bs();
  std::size_t cursor = 0;
  // The line's head "ID = " for consecutive ids, kept as decimal digits and incremented in place.
  char id[24] = "0";
  std::size_t id_len = 1;
  auto next_id = [&] {
    std::size_t k = id_len;
    while (k > 0 && id[k - 1] == '9') id[--k] = '0';
    if (k == 0) {
      std::memmove(id + 1, id, id_len++);
      id[0] = '1';
    } else {
      ++id[k - 1];
    }
  };
  // " @construct:step" of the latest origin: gates of one construct and step come in runs.
  std::uint32_t shown_origin = 0;
  std::string origin_text;
  for (GateId g = 0; g < n; ++g, next_id()) {
    const Op op = static_cast<Op>(ops[g]);
    o.put(std::string_view(id, id_len)).put(" = ").put(mnemonic(op)).put(' ');
    if (op == Op::Input) {
      o.put(c.name_of_input(g));
    } else if (op == Op::Const) {
      o.put(c.constant(g).get_str());
    } else {
      o.put_uint(as[g]);
      if (arity(op) == 2) o.put(' ').put_uint(bs[g]);
    }
    const std::uint32_t origin = c.origin_index(g, cursor);
    if (origin != 0) {
      if (origin != shown_origin) {
        const Origin& org = c.origins()[origin];
        origin_text.assign(" @").append(org.construct).append(":").append(std::to_string(org.step));
        shown_origin = origin;
      }
      o.put(origin_text);
    }
    o.put('\n');
    if (op == Op::Input) write_port(o, "input", c.name_of_input(g), c.input_port(as[g]), c.port_keys());
  }
  for (const Output& out : c.outputs()) {
    o.put("output ").put(out.name).put(" = ").put_uint(out.gate).put('\n');
    write_port(o, "output", out.name, out.port, c.port_keys());
  }
  for (const StepRecord& st : c.steps()) {
    o.put("step ").put_uint(st.step).put(" =");
    for (GateId g : st.gates) o.put(' ').put_uint(g);
    o.put('\n');
  }
  for (const ValueHint& h : c.hints()) {
    o.put("hint ").put_uint(h.gate).put(" range=").put_int(h.lo).put(':').put_int(h.hi);
    if (h.exclusive) o.put(" exclusive");
    o.put('\n');
  }
  o.flush();
}

}  // namespace

Circuit read_rc(std::string_view text, const std::string& path, RcScan scan) {
  return RcReader(text, path, scan).read();
}

std::string write_rc(const Circuit& c) {
  std::string s;
  s.reserve(c.num_gates() * 24 + 64);
  TextOut o(s);
  write_rc_to(c, o);
  return s;
}

void write_rc(const Circuit& c, std::ostream& out) {
  TextOut o(out);
  write_rc_to(c, o);
}

}  // namespace rnncc::circuits::io
