// Whole-file reading and atomic writing: outputs are written to a temporary file beside the
// target and renamed over it, so an error never leaves a partial file.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

namespace rnncc::circuits::io {

// The whole file, or Error("cannot read PATH: reason").
std::string read_file(const std::string& path);

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
