// Whole-file reading and atomic writing: outputs are written to a temporary file beside the
// target and renamed over it, so an error never leaves a partial file.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace rnncc::circuits::io {

// The whole file, or Error("cannot read PATH: reason").
std::string read_file(const std::string& path);

// A read-only memory map of a whole file (no copy): readers parse straight from the page cache.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // Error("cannot read PATH: reason")
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Calls `write` with a stream on a temporary file, then renames it to `path`. If `write` throws
// or the stream fails, the temporary file is removed and the target left untouched.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

// Same, for content already in memory.
void write_file_atomic(const std::string& path, const std::string& content);

// Lower-cased extension without the dot ("aig", "rc"), "" if none.
std::string extension_of(const std::string& path);
// File name without directory and extension.
std::string stem_of(const std::string& path);

}  // namespace rnncc::circuits::io
