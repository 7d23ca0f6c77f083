// Progress of long work on a terminal: a single line on stderr, redrawn at most 10 times a
// second, only when stderr is a terminal (quiet in pipes, files and CI).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace rnncc::tools {

class ProgressLine {
 public:
  explicit ProgressLine(std::string what) : what_(std::move(what)), enabled_(::isatty(2) != 0) {}
  ~ProgressLine() {
    if (drawn_) std::fputs("\r\033[K", stderr);
  }
  // A named stage of the work ("lift-scan -n sklansky"), shown at once: stages are few and long.
  void status(const std::string& text) {
    if (!enabled_) return;
    drawn_ = true;
    std::fprintf(stderr, "\r\033[K%s: %s", what_.c_str(), text.c_str());
    std::fflush(stderr);
  }
  void operator()(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && done != total) return;
    if (!started_) {  // stay silent for work that finishes within half a second
      started_ = true;
      first_ = now;
    }
    if (now - first_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    drawn_ = true;
    std::fprintf(stderr, "\r%s: %llu/%llu (%.0f%%)", what_.c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0);
    std::fflush(stderr);
  }

 private:
  std::string what_;
  bool enabled_, started_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point first_{}, last_{};
};

}  // namespace rnncc::tools
