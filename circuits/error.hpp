// The error types of rnncc's libraries: a message a user can act on, on one line, optionally
// located in a file (path, line, column). The CLI prints `what()` and exits with the type's
// status: Error (bad input or usage) 2, LimitError (a resource limit: the estimate, the limit and
// the flag that raises it) 3. Anything else that escapes is a bug: exit 4.
#pragma once

#include <stdexcept>
#include <string>

namespace rnncc {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A resource limit would be passed (gates, bytes, the size of an exact value): exit 3.
class LimitError : public Error {
 public:
  explicit LimitError(const std::string& message) : Error(message) {}
};

// "path:line:col: message" (column omitted when 0).
inline Error located_error(const std::string& path, std::size_t line, std::size_t col,
                           const std::string& message) {
  std::string where = path + ":" + std::to_string(line);
  if (col != 0) where += ":" + std::to_string(col);
  return Error(where + ": " + message);
}

}  // namespace rnncc
