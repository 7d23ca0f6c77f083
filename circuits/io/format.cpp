#include "circuits/io/format.hpp"

#include <sys/stat.h>

#include "circuits/error.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/rc.hpp"

namespace rnncc::circuits::io {

Format format_of(const std::string& path) {
  std::string ext = extension_of(path);
  // A device or a FIFO without an extension (/dev/null, /dev/stdout, a named pipe): the native
  // format, written in place (file.hpp).
  struct stat st {};
  if (ext.empty() && ::stat(path.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
    return Format::Rc;
  if (ext == "rc") return Format::Rc;
  if (ext == "aig") return Format::Aig;
  if (ext == "aag") return Format::Aag;
  if (ext == "blif") return Format::Blif;
  if (ext == "dot") return Format::Dot;
  throw Error("unknown circuit file extension '." + ext + "' in " + path +
              ": expected .rc, .aig, .aag, .blif or .dot");
}

Circuit load_circuit(const std::string& path) {
  const std::string ext = extension_of(path);
  if (ext != "rc" && ext != "aig" && ext != "aag") {
    MappedFile check(path);  // a directory or a missing file: say so first
    throw Error("cannot read " + path + ": rnncc reads .rc, .aig and .aag circuits, not '." + ext + "' files");
  }
  const Format f = format_of(path);
  MappedFile file(path);
  return f == Format::Rc ? read_rc(file.view(), path) : read_aiger(file.view(), path);
}

std::string serialize(const Circuit& c, Format format, const DotParams& dot) {
  switch (format) {
    case Format::Rc: return write_rc(c);
    case Format::Aig: return write_aiger(c, AigerMode::Binary);
    case Format::Aag: return write_aiger(c, AigerMode::Ascii);
    case Format::Blif: return write_blif(c);
    case Format::Dot: return write_dot(c, dot);
  }
  return {};
}

void save_circuit(const std::string& path, const Circuit& c, const DotParams& dot) {
  const Format f = format_of(path);
  // Streamed: no copy of the whole file in memory.
  if (f == Format::Rc) return write_file_atomic(path, [&](std::ostream& out) { write_rc(c, out); });
  if (f == Format::Aig || f == Format::Aag)
    return write_file_atomic(path, [&](std::ostream& out) {
      write_aiger(c, f == Format::Aig ? AigerMode::Binary : AigerMode::Ascii, out);
    });
  write_file_atomic(path, serialize(c, f, dot));
}

}  // namespace rnncc::circuits::io
