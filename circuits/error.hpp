// The one error type of rnncc's libraries: a message a user can act on, optionally located
// in a file (path, line, column). The CLI prints `what()` on one line and exits 2.
#pragma once

#include <stdexcept>
#include <string>

namespace rnncc {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// "path:line:col: message" (column omitted when 0).
inline Error located_error(const std::string& path, std::size_t line, std::size_t col,
                           const std::string& message) {
  std::string where = path + ":" + std::to_string(line);
  if (col != 0) where += ":" + std::to_string(col);
  return Error(where + ": " + message);
}

}  // namespace rnncc
