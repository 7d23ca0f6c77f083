// circuits/io/file: temporaries (mkstemp names, nothing left behind, never followed through a
// symlink, removed on signals), special targets (devices and FIFOs written in place, symlinks
// kept), checked writes, and refusing non-regular inputs without blocking; the BLIF writer's
// refusal of names BLIF cannot hold.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "circuits/error.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/rc.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace rnncc;
using namespace rnncc::circuits;
using rnncc::test::error_of;
using rnncc::test::read_text;
using rnncc::test::scratch;

namespace {

std::set<std::string> entries(const std::string& dir) {
  std::set<std::string> r;
  for (const auto& e : fs::directory_iterator(dir)) r.insert(e.path().filename().string());
  return r;
}

bool is_char_device(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

using test::null_device;

}  // namespace

TEST(FileSafety, WriteLeavesOnlyTheTarget) {
  std::string dir = scratch("file_safety_only_target");
  io::write_file_atomic(dir + "/out.rc", std::string("first\n"));
  io::write_file_atomic(dir + "/out.rc", std::string("second\n"));
  EXPECT_EQ(read_text(dir + "/out.rc"), "second\n");
  EXPECT_EQ(entries(dir), std::set<std::string>{"out.rc"});
}

TEST(FileSafety, TemporaryNamesAreFreshAndUnpredictable) {
  std::string dir = scratch("file_safety_names");
  std::vector<std::string> seen;
  auto spy = [&](std::ostream& out) {
    for (const std::string& e : entries(dir))
      if (e != "out.rc") seen.push_back(e);
    out << "x\n";
  };
  io::write_file_atomic(dir + "/out.rc", spy);
  io::write_file_atomic(dir + "/out.rc", spy);
  ASSERT_EQ(seen.size(), 2u) << "expected one temporary during each write";
  EXPECT_NE(seen[0], seen[1]) << "two writes of one process used the same temporary name";
  const std::string old_name = ".out.rc.tmp" + std::to_string(::getpid());
  EXPECT_NE(seen[0], old_name);
  EXPECT_EQ(seen[0].rfind(".out.rc.tmp", 0), 0u) << seen[0];
  // The temporary is private until renamed; the result has the usual mode (umask applied).
  EXPECT_EQ(entries(dir), std::set<std::string>{"out.rc"});
}

TEST(FileSafety, SymlinkAtOldPredictableNameIsNotFollowed) {
  std::string dir = scratch("file_safety_old_names");
  std::string victim = dir + "/victim";
  rnncc::test::run("printf precious > " + rnncc::test::quote(victim));
  fs::create_symlink(victim, dir + "/.out.rc.tmp" + std::to_string(::getpid()));
  io::write_file_atomic(dir + "/out.rc", std::string("content\n"));
  EXPECT_EQ(read_text(victim), "precious");
  EXPECT_EQ(read_text(dir + "/out.rc"), "content\n");
  EXPECT_TRUE(fs::is_symlink(dir + "/.out.rc.tmp" + std::to_string(::getpid())));
}

TEST(FileSafety, FailedWriteLeavesTargetAndNoTemporary) {
  std::string dir = scratch("file_safety_failed");
  io::write_file_atomic(dir + "/out.rc", std::string("old\n"));
  std::string msg = error_of([&] {
    io::write_file_atomic(dir + "/out.rc", [](std::ostream& out) {
      out << "partial";
      throw Error("refused halfway");
    });
  });
  EXPECT_EQ(msg, "refused halfway");
  EXPECT_EQ(read_text(dir + "/out.rc"), "old\n");
  EXPECT_EQ(entries(dir), std::set<std::string>{"out.rc"});
}

TEST(FileSafety, WriteErrorsAreReportedWithPathAndReason) {
  // /dev/full: every write fails with ENOSPC (written in place, being a device).
  if (!is_char_device("/dev/full")) GTEST_SKIP() << "no /dev/full on this system: skipping";
  std::string msg = error_of([] { io::write_file_atomic("/dev/full", std::string(100000, 'x')); });
  EXPECT_EQ(msg, "cannot write /dev/full: " + std::string(std::strerror(ENOSPC)));
  EXPECT_TRUE(is_char_device("/dev/full"));
  std::string dir = scratch("file_safety_errors");
  msg = error_of([&] { io::write_file_atomic(dir + "/nodir/out.rc", std::string("x")); });
  EXPECT_NE(msg.find("cannot write " + dir + "/nodir/out.rc"), std::string::npos) << msg;
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  fs::create_directory(dir + "/adir");
  msg = error_of([&] { io::write_file_atomic(dir + "/adir", std::string("x")); });
  EXPECT_EQ(msg, "cannot write " + dir + "/adir: a directory (rnncc writes regular files, character devices and FIFOs)");
  EXPECT_TRUE(fs::is_directory(dir + "/adir"));
}

TEST(FileSafety, CharacterDeviceIsWrittenInPlace) {
  std::string dir = scratch("file_safety_device");
  std::string dev = null_device(dir);
  io::write_file_atomic(dev, std::string(1 << 20, 'x'));
  EXPECT_TRUE(is_char_device(dev)) << dev << " was replaced";
  if (dev != "/dev/null") {
    EXPECT_EQ(entries(dir), std::set<std::string>{"null"});
  }
}

TEST(FileSafety, FifoIsWrittenInPlace) {
  std::string dir = scratch("file_safety_fifo");
  std::string fifo = dir + "/pipe.rc";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string content(300000, 'y');  // more than a pipe buffer
  auto reader = std::async(std::launch::async, [&] { return read_text(fifo); });
  io::write_file_atomic(fifo, content);
  ASSERT_EQ(reader.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(reader.get(), content);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(entries(dir), std::set<std::string>{"pipe.rc"});
}

TEST(FileSafety, SymlinkStaysALinkAndItsTargetIsReplaced) {
  std::string dir = scratch("file_safety_symlink");
  fs::create_directory(dir + "/real");
  io::write_file_atomic(dir + "/real/out.rc", std::string("old\n"));
  fs::create_symlink("real/out.rc", dir + "/link.rc");  // relative
  fs::create_symlink("link.rc", dir + "/link2.rc");     // a chain
  io::write_file_atomic(dir + "/link2.rc", std::string("new\n"));
  EXPECT_TRUE(fs::is_symlink(dir + "/link.rc"));
  EXPECT_TRUE(fs::is_symlink(dir + "/link2.rc"));
  EXPECT_EQ(read_text(dir + "/real/out.rc"), "new\n");
  EXPECT_EQ(entries(dir + "/real"), std::set<std::string>{"out.rc"});
  // A dangling link: its target is created, the link kept.
  fs::create_symlink("real/fresh.rc", dir + "/dangling.rc");
  io::write_file_atomic(dir + "/dangling.rc", std::string("fresh\n"));
  EXPECT_TRUE(fs::is_symlink(dir + "/dangling.rc"));
  EXPECT_EQ(read_text(dir + "/real/fresh.rc"), "fresh\n");
  // A loop is an error, not a hang.
  fs::create_symlink("loop2", dir + "/loop1");
  fs::create_symlink("loop1", dir + "/loop2");
  std::string msg = error_of([&] { io::write_file_atomic(dir + "/loop1", std::string("x")); });
  EXPECT_NE(msg.find("cannot write " + dir + "/loop1"), std::string::npos) << msg;
}

TEST(FileSafety, NonRegularInputsAreRefusedWithoutBlocking) {
  std::string dir = scratch("file_safety_inputs");
  EXPECT_EQ(error_of([&] { io::read_file(dir); }), "cannot read " + dir + ": not a regular file (a directory)");
  EXPECT_EQ(error_of([&] { io::MappedFile m(dir); }), "cannot read " + dir + ": not a regular file (a directory)");
  std::string fifo = dir + "/in.rc";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (int mapped = 0; mapped < 2; ++mapped) {
    auto attempt = std::async(std::launch::async, [&] {
      return error_of([&] {
        if (mapped) io::MappedFile m(fifo);
        else io::read_file(fifo);
      });
    });
    if (attempt.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // unblock the reader
      if (fd >= 0) ::close(fd);
      FAIL() << "reading a FIFO blocked";
    }
    EXPECT_EQ(attempt.get(), "cannot read " + fifo + ": not a regular file (a FIFO)");
  }
  EXPECT_EQ(error_of([&] { io::read_file(dir + "/missing.rc"); }),
            "cannot read " + dir + "/missing.rc: " + std::string(std::strerror(ENOENT)));
}

// A signal while a temporary exists removes it, then takes the signal's default action.
TEST(FileSafety, SignalRemovesRegisteredTemporaries) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    std::string dir = scratch("file_safety_signal_" + std::to_string(sig));
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int s : {SIGINT, SIGTERM, SIGHUP}) ::signal(s, SIG_DFL);
      try {
        io::write_file_atomic(dir + "/out.rc", [&](std::ostream& out) {
          out << "partial";
          out.flush();
          ::raise(sig);
        });
      } catch (...) {
      }
      ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "signal " << sig << ", status " << status;
    EXPECT_TRUE(entries(dir).empty()) << "signal " << sig << " left " << *entries(dir).begin();
  }
  // The directory variant: files registered after their directory go first.
  std::string dir = scratch("file_safety_signal_dir");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::signal(SIGTERM, SIG_DFL);
    fs::create_directory(dir + "/priv");
    io::RemoveOnSignal d(dir + "/priv", true);
    io::RemoveOnSignal f(dir + "/priv/file");
    std::FILE* fp = std::fopen((dir + "/priv/file").c_str(), "w");
    if (fp) std::fclose(fp);
    ::raise(SIGTERM);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_TRUE(entries(dir).empty());
  // Handlers are removed again once no temporary exists.
  struct sigaction sa {};
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &sa), 0);
  io::write_file_atomic(scratch("file_safety_signal_after") + "/x", std::string("x"));
  struct sigaction after {};
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, sa.sa_handler);
}

namespace {

Circuit rc(const std::string& text) { return io::read_rc(text, "hand.rc"); }

}  // namespace

TEST(BlifNames, BackslashAndCommentNamesAreRefused) {
  // `b\` ends the .inputs line with a backslash: readers would continue it onto .outputs.
  Circuit c = rc("rnncc 1\n0 = input a\n1 = input b\\\n2 = and 0 1\noutput y = 2\n");
  EXPECT_EQ(error_of([&] { io::write_blif(c); }),
            "cannot write BLIF: input name 'b\\' holds a backslash (BLIF's line continuation)");
  Circuit d = rc("rnncc 1\n0 = input a\n1 = input b\n2 = and 0 1\noutput y\\z = 2\n");
  EXPECT_EQ(error_of([&] { io::write_blif(d); }),
            "cannot write BLIF: output name 'y\\z' holds a backslash (BLIF's line continuation)");
  // A free-text model name is made safe instead.
  Circuit e = rc("rnncc 1\n0 = input a\n1 = input b\n2 = and 0 1\noutput y = 2\n");
  e.name = "my rnn\n.outputs x #1\\";
  std::string blif = io::write_blif(e);
  EXPECT_EQ(blif.rfind(".model my_rnn_.outputs_x__1_\n.inputs a b\n.outputs y\n", 0), 0u) << blif;
}
