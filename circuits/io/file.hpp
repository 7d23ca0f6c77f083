// Whole-file reading and atomic writing.
//
// Reading refuses anything that is not a regular file (a directory, a FIFO, a device) with one
// line, without blocking: "cannot read PATH: not a regular file (a FIFO)".
//
// Writing goes to a temporary file created with mkstemp (O_EXCL: a fresh file, never a
// predictable name, never followed through a symlink) in the target's directory, and renamed
// over the target at the end; the temporary is removed on error and on SIGINT, SIGTERM or
// SIGHUP, so nothing partial is ever left. Special targets: an existing character device or FIFO
// is written in place (`-o /dev/null` keeps /dev/null); a symlink is resolved and its final
// target replaced atomically, so the link stays a link; a directory, socket or block device is
// refused. Every write, the close and the rename are checked: errors are Error("cannot write
// PATH: reason").
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

// Calls `write` with a stream on a temporary file, then renames it to `path` (see above). If
// `write` throws or a write fails, the temporary file is removed and the target left untouched.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

// Same, for content already in memory.
void write_file_atomic(const std::string& path, const std::string& content);

// While alive, a SIGINT, SIGTERM or SIGHUP first removes `path` (unlink, or rmdir when
// `directory`), then takes the signal's previous action. Files registered after a directory
// inside it are removed before it. For temporaries of the caller's own (tools/plot.cpp's
// private directory); write_file_atomic registers its temporary itself. At most 64 at a time
// (more are not tracked); paths longer than PATH_MAX are not tracked.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::string& path, bool directory = false);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  int slot_ = -1;
};

// Lower-cased extension without the dot ("aig", "rc"), "" if none.
std::string extension_of(const std::string& path);
// File name without directory and extension.
std::string stem_of(const std::string& path);

}  // namespace rnncc::circuits::io
