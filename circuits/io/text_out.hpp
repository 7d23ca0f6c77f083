// The writers' formatter: appends to a fixed buffer and hands each full chunk to a sink (a
// stream on the output file, or a string), so writing costs a copy and an integer conversion an
// item: no streams, format strings or allocations per line.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace rnncc::circuits::io {

class TextOut {
 public:
  using Sink = std::function<void(const char*, std::size_t)>;
  explicit TextOut(Sink sink) : sink_(std::move(sink)), buf_(new char[kSize]), p_(buf_.get()), end_(p_ + kSize) {}
  // Into a stream (one write a chunk) or a string.
  explicit TextOut(std::ostream& out)
      : TextOut([&out](const char* p, std::size_t n) { out.write(p, static_cast<std::streamsize>(n)); }) {}
  explicit TextOut(std::string& out) : TextOut([&out](const char* p, std::size_t n) { out.append(p, n); }) {}
  TextOut(const TextOut&) = delete;
  TextOut& operator=(const TextOut&) = delete;

  TextOut& put(char ch) {
    if (p_ == end_) flush();
    *p_++ = ch;
    return *this;
  }
  TextOut& put(std::string_view s) {
    if (s.size() > static_cast<std::size_t>(end_ - p_)) {
      flush();
      if (s.size() > kSize) {
        sink_(s.data(), s.size());
        return *this;
      }
    }
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
    return *this;
  }
  TextOut& put_uint(std::uint64_t v) {
    if (end_ - p_ < 20) flush();
    p_ = std::to_chars(p_, end_, v).ptr;
    return *this;
  }
  TextOut& put_int(std::int64_t v) {
    if (end_ - p_ < 21) flush();
    p_ = std::to_chars(p_, end_, v).ptr;
    return *this;
  }
  // Hands what is buffered to the sink; call once at the end.
  void flush() {
    if (p_ != buf_.get()) sink_(buf_.get(), static_cast<std::size_t>(p_ - buf_.get()));
    p_ = buf_.get();
  }

 private:
  static constexpr std::size_t kSize = std::size_t{1} << 20;
  Sink sink_;
  std::unique_ptr<char[]> buf_;
  char* p_;
  char* end_;
};

}  // namespace rnncc::circuits::io
