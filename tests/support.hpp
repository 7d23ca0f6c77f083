// Helpers shared by the test suites: paths to the source tree (example specs, the EPFL
// circuits of tests/data/epfl), the rnncc binary and a scratch directory; running a command and
// capturing its output; finding ABC.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "circuits/error.hpp"

namespace rnncc::test {

// Paths are compiled in; the environment variables of the same names override them (to run the
// test binaries from a copy of the tree on another machine, such as a GPU host).
inline std::string path_setting(const char* name, const char* compiled) {
  const char* v = std::getenv(name);
  return v && *v ? v : compiled;
}
inline std::string rnncc_binary() { return path_setting("RNNCC_BINARY", RNNCC_BINARY); }
inline std::string source_dir() { return path_setting("RNNCC_SOURCE_DIR", RNNCC_SOURCE_DIR); }
// The 20 EPFL benchmark circuits, shipped in the tree (tests/data/epfl, MIT license).
inline std::string epfl_dir() { return source_dir() + "/tests/data/epfl"; }
inline bool have_epfl() { return std::filesystem::is_regular_file(epfl_dir() + "/adder.aig"); }
inline std::string epfl(const std::string& name) { return epfl_dir() + "/" + name + ".aig"; }
inline std::string example_spec_path(const std::string& stem) {
  return source_dir() + "/examples/specs/" + stem + ".toml";
}

// The message of the rnncc::Error that `f` throws; "(no error)" (and a test failure) if none.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ::rnncc::Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return "(no error)";
}

// A character device that behaves as /dev/null: a private node in `dir` when we may make one
// (root), so that a regression cannot replace the system's /dev/null; /dev/null itself otherwise
// (an unprivileged process cannot replace it either).
inline std::string null_device(const std::string& dir) {
  std::string p = dir + "/null";
  if (::mknod(p.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    int fd = ::open(p.c_str(), O_WRONLY);
    if (fd >= 0) {
      ::close(fd);
      return p;
    }
    ::unlink(p.c_str());  // a nodev mount
  }
  return "/dev/null";
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An example spec's text with `from` replaced by `to`, which must occur in it.
inline std::string edited_example(const std::string& stem, const std::string& from, const std::string& to) {
  std::string text = read_text(example_spec_path(stem));
  std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in example " + stem);
  return text.replace(at, from.size(), to);
}

// A fresh scratch directory for one test.
inline std::string scratch(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(path_setting("RNNCC_TEST_TMP", RNNCC_TEST_TMP)) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

struct RunResult {
  int status = -1;  // exit code
  std::string out;  // stdout and stderr together
};

// Runs `cmd` through the shell with stderr merged into stdout.
inline RunResult run(const std::string& cmd) {
  RunResult r;
  std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline bool have_program(const std::string& name) {
  return run("command -v " + name + " >/dev/null").status == 0;
}

inline std::string quote(const std::string& s) {
  std::string r = "'";
  for (char ch : s) r += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return r + "'";
}

}  // namespace rnncc::test

// The EPFL circuits are part of the tree: a test that reads them fails (never skips) when they
// cannot be found, e.g. when RNNCC_SOURCE_DIR points at a copy of the tree without them.
#define RNNCC_REQUIRE_EPFL()                                                                \
  do {                                                                                      \
    ASSERT_TRUE(::rnncc::test::have_epfl())                                                 \
        << ::rnncc::test::epfl_dir()                                                        \
        << " has no EPFL circuits (RNNCC_SOURCE_DIR must name the source tree)";            \
  } while (0)

#define RNNCC_REQUIRE_PROGRAM(name)                                                         \
  do {                                                                                      \
    if (!::rnncc::test::have_program(name))                                                 \
      GTEST_SKIP() << name << " is not installed (scripts/setup-deps installs it): skipping"; \
  } while (0)
