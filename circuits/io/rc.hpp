// The native `.rc` text format (docs/formats.md): one item per line, `#` comments.
//
//   rnncc 1
//   0 = input x[1][0]
//   2 = const -3/4
//   3 = add 0 1 @diagonal.b:1      (optional origin: construct and step)
//   output y[1][0] = 3
//   step 1 = 3
//
// The reader builds through the hash-consing builder (duplicates and foldable gates merge);
// the writer numbers gates densely in id order, so write -> read -> write is byte-identical.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace rnncc::circuits::io {

// How the reader scans the text: Auto scans texts of 8 MiB and more in a second thread (one
// chunk of lines scanned while the previous one is built), others inline; the result and the
// errors are the same either way (Inline and Thread force one, for tests).
enum class RcScan { Auto, Inline, Thread };

// `path` is used in error messages ("path:line:col: ...") and for the circuit's default name.
Circuit read_rc(std::string_view text, const std::string& path, RcScan scan = RcScan::Auto);
std::string write_rc(const Circuit& c);
// The same bytes, written to `out` a chunk at a time (no copy of the whole file in memory).
void write_rc(const Circuit& c, std::ostream& out);

}  // namespace rnncc::circuits::io
