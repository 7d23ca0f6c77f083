// Output and input files through the binary, against hostile names and special files (issue 16):
// a spec name never reaches a shell or a gnuplot command; temporaries are never predictable or
// followed through symlinks, and are removed on SIGINT/SIGTERM/SIGHUP; devices, FIFOs and
// symlinks given to -o stay what they are; non-regular inputs are refused at once; write errors
// and names BLIF cannot hold are one-line errors (exit 2).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>
#include <vector>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

extern char** environ;

namespace rnncc::test {
namespace {

namespace fs = std::filesystem;

std::set<std::string> entries(const std::string& dir) {
  std::set<std::string> r;
  for (const auto& e : fs::directory_iterator(dir)) r.insert(e.path().filename().string());
  return r;
}

std::string list(const std::set<std::string>& s) {
  std::string r;
  for (const std::string& e : s) r += (r.empty() ? "" : ", ") + e;
  return r.empty() ? "(nothing)" : r;
}

bool is_char_device(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

bool is_fifo(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char ch : s) n += ch == '\n';
  return n;
}

std::string write_spec(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

using test::null_device;

// rnncc started without a shell, stdout and stderr on /dev/null, SIGINT/SIGTERM/SIGHUP at their
// defaults. It waits before exec until release(), so that its pid (which exec keeps) is known
// first; `tmpdir` sets TMPDIR.
struct Child {
  pid_t pid = -1;
  int gate = -1;
  void release() {
    if (gate >= 0) ::close(gate);
    gate = -1;
  }
  int wait() {
    release();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  }
};

Child start_rnncc(const std::vector<std::string>& args, const std::string& tmpdir = "") {
  std::vector<std::string> strings{rnncc_binary()};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (tmpdir.empty() || std::strncmp(*e, "TMPDIR=", 7) != 0) env_strings.emplace_back(*e);
  if (!tmpdir.empty()) env_strings.push_back("TMPDIR=" + tmpdir);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  int gate[2];
  if (::pipe(gate) != 0) return {};
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    ::close(gate[1]);
    char ch;
    while (::read(gate[0], &ch, 1) < 0 && errno == EINTR) {
    }
    ::close(gate[0]);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) ::signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(gate[0]);
  c.gate = gate[1];
  return c;
}

// kTiny with a hostile name: a quote and a ';' end a gnuplot string and command, then a gnuplot
// `system` call, a backquote substitution and XML markup. (A newline in a name is refused by the
// spec reader: see below.)
std::string hostile_spec(const std::string& dir, const std::string& pwned) {
  std::string name = "x'; system \\\"touch " + pwned + "\\\"; print '`touch " + pwned + "2` <b>&amp;\\\"";
  return write_spec(dir + "/hostile.toml", "name = \"" + name + "\"\n" + kTiny);
}

TEST(CliOutputs, PlotNeverRunsTextOfTheSpec) {
  std::string dir = scratch("cli_outputs_plot");
  const std::string pwned = dir + "/PWNED";
  std::string spec = hostile_spec(dir, pwned);
  // SVG: the name is text, escaped.
  RunResult r = run(rnncc("sweep " + quote(spec) + " -T 2:8 --plot " + quote(dir + "/x.svg")));
  ASSERT_EQ(r.status, 0) << r.out;
  std::string svg = read_text(dir + "/x.svg");
  EXPECT_NE(svg.find("x&apos;; system &quot;touch "), std::string::npos) << svg.substr(0, 600);
  EXPECT_NE(svg.find("&lt;b&gt;&amp;amp;"), std::string::npos) << svg.substr(0, 600);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  // PNG: gnuplot gets the name as an escaped string.
  if (!have_program("gnuplot")) GTEST_SKIP() << "gnuplot is not installed: PNG part skipped (SVG part passed)";
  r = run(rnncc("sweep " + quote(spec) + " -T 2:8 --plot " + quote(dir + "/x.png")));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_FALSE(fs::exists(pwned)) << "the spec's name ran a command through gnuplot";
  EXPECT_FALSE(fs::exists(pwned + "2")) << "the spec's name ran a backquote substitution";
  EXPECT_EQ(read_text(dir + "/x.png").substr(1, 3), "PNG");
  // Nothing but the inputs and outputs is left in the directory (the private directory is gone).
  EXPECT_EQ(entries(dir), (std::set<std::string>{"hostile.toml", "x.png", "x.svg"}));
}

TEST(CliOutputs, ANameWithANewlineIsRefusedByTheSpecReader) {
  std::string dir = scratch("cli_outputs_newline_name");
  const std::string spec = write_spec(dir + "/nl.toml", std::string("name = \"x\\nsystem \\\"touch PWNED\\\"\"\n") + kTiny);
  const RunResult r = run(rnncc("sweep " + quote(spec) + " -T 2:8 --plot " + quote(dir + "/x.svg")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("key 'name': expected a name without control characters"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_FALSE(fs::exists(dir + "/x.svg"));
}

TEST(CliOutputs, SymlinksAtOldPredictableTemporaryNamesAreNotFollowed) {
  std::string dir = scratch("cli_outputs_old_names");
  std::string spec = write_spec(dir + "/tiny.toml", kTiny);
  std::string victim = dir + "/victim";
  std::ofstream(victim) << "precious";
  fs::create_directory(dir + "/out");
  // compile -o out/out.rc used out/.out.rc.tmp<pid>.
  Child c = start_rnncc({"compile", spec, "-o", dir + "/out/out.rc"});
  ASSERT_GT(c.pid, 0);
  fs::create_symlink(victim, dir + "/out/.out.rc.tmp" + std::to_string(c.pid));
  int status = c.wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(read_text(victim), "precious");
  EXPECT_EQ(read_text(dir + "/out/out.rc").rfind("rnncc 1\n", 0), 0u);
  // sweep --plot x.png used $TMPDIR/rnncc-plot-<pid>.
  if (!have_program("gnuplot")) GTEST_SKIP() << "gnuplot is not installed: --plot part skipped";
  fs::create_directory(dir + "/tmp");
  fs::create_directory(dir + "/victimdir");
  Child p = start_rnncc({"sweep", spec, "-T", "2:4", "--plot", dir + "/out/x.png"}, dir + "/tmp");
  ASSERT_GT(p.pid, 0);
  fs::create_directory_symlink(dir + "/victimdir", dir + "/tmp/rnncc-plot-" + std::to_string(p.pid));
  status = p.wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(entries(dir + "/victimdir").empty()) << list(entries(dir + "/victimdir"));
  EXPECT_EQ(entries(dir + "/out"), (std::set<std::string>{".out.rc.tmp" + std::to_string(c.pid), "out.rc", "x.png"}));
}

TEST(CliOutputs, DeviceTargetsAreWrittenInPlace) {
  std::string dir = scratch("cli_outputs_device");
  std::string spec = write_spec(dir + "/tiny.toml", kTiny);
  std::string dev = null_device(dir);
  RunResult r = run(rnncc("dot " + quote(spec) + " -o " + quote(dev)));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(is_char_device(dev)) << dev << " was replaced";
  // A link with a circuit extension to the device: the link and the device both stay.
  fs::create_symlink(dev, dir + "/null.rc");
  r = run(rnncc("compile " + quote(spec) + " -o " + quote(dir + "/null.rc")));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::is_symlink(dir + "/null.rc"));
  EXPECT_TRUE(is_char_device(dev)) << dev << " was replaced";
  // compile -o /dev/null itself: whatever the answer, /dev/null stays a device.
  r = run(rnncc("compile " + quote(spec) + " -o /dev/null"));
  EXPECT_LE(lines(r.out), 1u) << r.out;
  EXPECT_TRUE(is_char_device("/dev/null")) << "/dev/null was replaced";
}

TEST(CliOutputs, FifoTargetReceivesTheBytesAndStaysAFifo) {
  std::string dir = scratch("cli_outputs_fifo");
  std::string spec = write_spec(dir + "/tiny.toml", kTiny);
  RunResult r = run(rnncc("compile " + quote(spec) + " -o " + quote(dir + "/regular.rc")));
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string fifo = dir + "/pipe.rc";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return read_text(fifo); });
  r = run(rnncc("compile " + quote(spec) + " -o " + quote(fifo)));
  EXPECT_EQ(r.status, 0) << r.out;
  if (reader.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // let the reader finish
    if (fd >= 0) ::close(fd);
    FAIL() << "rnncc never wrote to the FIFO";
  }
  EXPECT_EQ(reader.get(), read_text(dir + "/regular.rc"));
  EXPECT_TRUE(is_fifo(fifo));
  EXPECT_EQ(entries(dir), (std::set<std::string>{"pipe.rc", "regular.rc", "tiny.toml"}));
}

TEST(CliOutputs, SymlinkTargetStaysALink) {
  std::string dir = scratch("cli_outputs_symlink");
  std::string spec = write_spec(dir + "/tiny.toml", kTiny);
  fs::create_directory(dir + "/real");
  std::ofstream(dir + "/real/out.rc") << "old";
  fs::create_symlink("real/out.rc", dir + "/link.rc");
  RunResult r = run(rnncc("compile " + quote(spec) + " -o " + quote(dir + "/link.rc")));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(fs::is_symlink(dir + "/link.rc"));
  EXPECT_EQ(read_text(dir + "/real/out.rc").rfind("rnncc 1\n", 0), 0u);
  EXPECT_EQ(entries(dir + "/real"), std::set<std::string>{"out.rc"});
}

// SIGINT, SIGTERM and SIGHUP while `compile -o` writes: no temporary and no target remain.
TEST(CliOutputs, SignalDuringWriteLeavesNoFile) {
  const std::string spec = example("diagonal");
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    bool caught = false;
    std::string why;
    // About 50 MB of .rc at T = 4000 (a fraction of a second of writing, polled every 0.2 ms);
    // T doubles when the signal missed the write.
    for (std::uint64_t T = 4000; T <= 16000 && !caught; T *= 2) {
      std::string dir = scratch("cli_outputs_signal_" + std::to_string(sig));
      fs::create_directory(dir + "/out");
      Child c = start_rnncc({"compile", spec, "-T", std::to_string(T), "-o", dir + "/out/out.rc"});
      ASSERT_GT(c.pid, 0);
      c.release();
      bool sent = false;
      int status = 0;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
      for (;;) {
        if (::waitpid(c.pid, &status, WNOHANG) == c.pid) break;  // ended by itself
        bool temporary = false;
        for (const std::string& e : entries(dir + "/out")) temporary |= e.rfind(".out.rc.tmp", 0) == 0;
        if (temporary) {
          ::kill(c.pid, sig);
          sent = true;
          status = c.wait();
          break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(c.pid, SIGKILL);
          c.wait();
          FAIL() << "compile -T " << T << " ran 5 minutes without creating its temporary";
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      std::set<std::string> left = entries(dir + "/out");
      if (!sent) {
        why = "at T=" + std::to_string(T) + " compile finished before its temporary was seen (status " +
              std::to_string(status) + ")";
        continue;
      }
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig)
          << "signal " << sig << ": status " << status << ", left " << list(left);
      if (left == std::set<std::string>{"out.rc"}) {  // the signal came after the rename
        why = "at T=" + std::to_string(T) + " the signal came after the rename";
        continue;
      }
      EXPECT_TRUE(left.empty()) << "signal " << sig << " (" << strsignal(sig) << ") left " << list(left);
      caught = true;
    }
    EXPECT_TRUE(caught) << "could not signal compile during its write: " << why;
  }
}

TEST(CliOutputs, NonRegularInputsAreRefusedAtOnce) {
  std::string dir = scratch("cli_outputs_inputs");
  // A directory named like a circuit file.
  fs::create_directory(dir + "/d.rc");
  RunResult r = run(rnncc("report " + quote(dir + "/d.rc")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "rnncc: cannot read " + dir + "/d.rc: not a regular file (a directory)\n");
  // A directory without an extension: still exit 2 and one line (format.cpp words this one).
  r = run(rnncc("report " + quote(dir)));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(lines(r.out), 1u) << r.out;
  // A FIFO: refused without waiting for a writer (timeout guards against a regression).
  ASSERT_EQ(::mkfifo((dir + "/f.rc").c_str(), 0600), 0);
  r = run("timeout 60 " + rnncc("report " + quote(dir + "/f.rc")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "rnncc: cannot read " + dir + "/f.rc: not a regular file (a FIFO)\n");
}

TEST(CliOutputs, WriteErrorsAreOneLine) {
  if (!is_char_device("/dev/full")) GTEST_SKIP() << "no /dev/full on this system: skipping";
  std::string dir = scratch("cli_outputs_write_error");
  std::string spec = write_spec(dir + "/tiny.toml", kTiny);
  fs::create_symlink("/dev/full", dir + "/full.rc");
  RunResult r = run(rnncc("compile " + quote(spec) + " -o " + quote(dir + "/full.rc")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "rnncc: cannot write " + dir + "/full.rc: " + std::strerror(ENOSPC) + "\n");
  EXPECT_TRUE(is_char_device("/dev/full"));
  EXPECT_TRUE(fs::is_symlink(dir + "/full.rc"));
}

TEST(CliOutputs, BlifRefusesNamesItCannotHold) {
  std::string dir = scratch("cli_outputs_blif");
  // `b\` is a legal .rc name; in BLIF it would continue .inputs onto the .outputs line.
  write_spec(dir + "/hand.rc", "rnncc 1\n0 = input a\n1 = input b\\\n2 = and 0 1\noutput y = 2\n");
  RunResult r = run(rnncc("convert " + quote(dir + "/hand.rc") + " " + quote(dir + "/out.blif")));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "rnncc: cannot write BLIF: input name 'b\\' holds a backslash (BLIF's line continuation)\n");
  EXPECT_EQ(entries(dir), std::set<std::string>{"hand.rc"});
}

}  // namespace
}  // namespace rnncc::test
