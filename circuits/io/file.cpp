#include "circuits/io/file.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "circuits/error.hpp"

namespace rnncc::circuits::io {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

// "a FIFO", "a directory", ... for messages about a file that is not a regular one.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "a special file";
}

// Opens `path` for reading, refusing anything but a regular file. O_NONBLOCK so that opening a
// FIFO never waits for a writer (it is refused right after).
int open_regular(const std::string& path, struct stat& st) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + path + ": " + errno_text(errno));
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw Error("cannot read " + path + ": " + errno_text(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error("cannot read " + path + ": not a regular file (" + kind_of(st.st_mode) + ")");
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

// ---- Removing temporaries on SIGINT, SIGTERM, SIGHUP ----------------------------------------

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kSlots = 64;

struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 armed
  bool directory = false;
  char path[PATH_MAX];
};
Slot g_slots[kSlots];
std::atomic<unsigned> g_order{0};
unsigned g_slot_order[kSlots];  // registration order, for removing files before their directory

std::mutex g_handlers_mutex;
int g_handler_users = 0;
struct sigaction g_previous[3];
bool g_installed[3] = {false, false, false};

static_assert(std::atomic<int>::is_always_lock_free, "signal handler needs lock-free atomics");

int signal_index(int sig) {
  for (int i = 0; i < 3; ++i)
    if (kSignals[i] == sig) return i;
  return -1;
}

extern "C" void remove_temporaries_on_signal(int sig) {
  const int saved_errno = errno;
  // Latest registrations first: files inside a private directory before the directory.
  for (int pass = 0; pass < kSlots; ++pass) {
    int best = -1;
    for (int i = 0; i < kSlots; ++i)
      if (g_slots[i].state.load() == 2 && (best < 0 || g_slot_order[i] > g_slot_order[best])) best = i;
    if (best < 0) break;
    Slot& s = g_slots[best];
    if (s.directory)
      ::rmdir(s.path);
    else
      ::unlink(s.path);
    s.state.store(3);  // handled: neither removed again nor reused until released
  }
  // The signal's previous action (normally the default: terminate), taken when this handler
  // returns: the signal is blocked while the handler runs, so raise() leaves it pending.
  int i = signal_index(sig);
  if (i >= 0) ::sigaction(sig, &g_previous[i], nullptr);
  ::raise(sig);
  errno = saved_errno;
}

void install_handlers() {
  std::lock_guard<std::mutex> lock(g_handlers_mutex);
  if (g_handler_users++ > 0) return;
  for (int i = 0; i < 3; ++i) {
    struct sigaction current {};
    if (::sigaction(kSignals[i], nullptr, &current) != 0) continue;
    // An ignored signal (nohup) stays ignored: it cannot interrupt the write.
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN) continue;
    g_previous[i] = current;
    struct sigaction sa {};
    sa.sa_handler = remove_temporaries_on_signal;
    sigemptyset(&sa.sa_mask);
    for (int s : kSignals) sigaddset(&sa.sa_mask, s);
    sa.sa_flags = 0;
    g_installed[i] = ::sigaction(kSignals[i], &sa, nullptr) == 0;
  }
}

void restore_handlers() {
  std::lock_guard<std::mutex> lock(g_handlers_mutex);
  if (--g_handler_users > 0) return;
  for (int i = 0; i < 3; ++i) {
    if (!g_installed[i]) continue;
    struct sigaction current {};
    // Restore only if ours is still there (the handler itself may have restored it).
    if (::sigaction(kSignals[i], nullptr, &current) == 0 && current.sa_handler == remove_temporaries_on_signal)
      ::sigaction(kSignals[i], &g_previous[i], nullptr);
    g_installed[i] = false;
  }
}

// Blocks SIGINT, SIGTERM and SIGHUP in this thread while alive: creating a temporary and
// registering it happen together.
class BlockSignals {
 public:
  BlockSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kSignals) sigaddset(&set, s);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockSignals() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  BlockSignals(const BlockSignals&) = delete;
  BlockSignals& operator=(const BlockSignals&) = delete;

 private:
  sigset_t old_;
};

// ---- Writing -------------------------------------------------------------------------------

// A stream buffer on a file descriptor that checks every write(2) (retrying short writes and
// EINTR) and keeps the first error's errno.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd), buf_(new char[kSize]) { setp(buf_.get(), buf_.get() + kSize); }
  int error() const { return err_; }
  bool write_all(const char* p, std::size_t n) {
    if (err_) return false;
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        err_ = errno;
        return false;
      }
      if (w == 0) {
        err_ = EIO;
        return false;
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n >= static_cast<std::streamsize>(kSize)) {
      if (!flush_buffer() || !write_all(s, static_cast<std::size_t>(n))) return 0;
      return n;
    }
    return std::streambuf::xsputn(s, n);
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  static constexpr std::size_t kSize = 1 << 16;
  bool flush_buffer() {
    std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0 && !write_all(pbase(), n)) return false;
    setp(buf_.get(), buf_.get() + kSize);
    return true;
  }
  int fd_;
  int err_ = 0;
  std::unique_ptr<char[]> buf_;
};

// Runs `write` on a stream over `fd`, then checks the stream and closes `fd`; Error on failure.
void write_through(int fd, const std::string& path, const std::function<void(std::ostream&)>& write) {
  int err = 0;
  bool failed = false;
  try {
    FdBuf buf(fd);
    std::ostream out(&buf);
    write(out);
    out.flush();
    err = buf.error();
    failed = !out;
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) throw Error("cannot write " + path + ": " + errno_text(err));
  if (failed) throw Error("cannot write " + path + ": write failed");
}

std::string parent_of(const std::string& p) {
  std::filesystem::path parent = std::filesystem::path(p).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Follows `path` through symbolic links (up to 40) to the file that is to be written, which
// need not exist. Sets `exists` and `st` (lstat of the result).
std::string resolve_target(const std::string& path, bool& exists, struct stat& st) {
  std::string p = path;
  for (int hops = 0;; ++hops) {
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno != ENOENT) throw Error("cannot write " + path + ": " + errno_text(errno));
      exists = false;
      return p;
    }
    if (!S_ISLNK(st.st_mode)) {
      exists = true;
      return p;
    }
    if (hops == 40) throw Error("cannot write " + path + ": " + errno_text(ELOOP));
    std::string link(PATH_MAX, '\0');
    ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0) throw Error("cannot write " + path + ": " + errno_text(errno));
    link.resize(static_cast<std::size_t>(n));
    if (link.empty()) throw Error("cannot write " + path + ": empty symbolic link");
    p = link[0] == '/' ? link : parent_of(p) + "/" + link;
  }
}

mode_t default_mode() {
  static const mode_t mask = [] {
    mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return 0666 & ~mask;
}

}  // namespace

RemoveOnSignal::RemoveOnSignal(const std::string& path, bool directory) {
  if (path.size() >= PATH_MAX) return;
  install_handlers();
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].directory = directory;
      g_slot_order[i] = g_order.fetch_add(1) + 1;
      g_slots[i].state.store(2);
      slot_ = i;
      return;
    }
  }
  restore_handlers();  // all slots taken: not tracked
}

RemoveOnSignal::~RemoveOnSignal() {
  if (slot_ < 0) return;
  g_slots[slot_].state.store(0);
  restore_handlers();
}

std::string read_file(const std::string& path) {
  struct stat st {};
  int fd = open_regular(path, st);
  std::string data;
  if (st.st_size > 0) data.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error("cannot read " + path + ": " + errno_text(err));
    }
    if (got == 0) break;
    data.append(buf, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return data;
}

MappedFile::MappedFile(const std::string& path) {
  struct stat st {};
  int fd = open_regular(path, st);
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      throw Error("cannot read " + path + ": " + errno_text(err));
    }
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty()) throw Error("cannot write an empty path");
  bool exists = false;
  struct stat st {};
  const std::string target = resolve_target(path, exists, st);

  if (exists && !S_ISREG(st.st_mode)) {
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      // A device or FIFO is written in place: replacing it would break it (/dev/null), and it
      // has no partial state to protect. A FIFO waits here for its reader.
      int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd < 0) throw Error("cannot write " + path + ": " + errno_text(errno));
      struct stat now {};
      if (::fstat(fd, &now) != 0 || !(S_ISCHR(now.st_mode) || S_ISFIFO(now.st_mode))) {
        ::close(fd);
        throw Error("cannot write " + path + ": the file changed while opening it");
      }
      write_through(fd, path, write);
      return;
    }
    throw Error("cannot write " + path + ": " + kind_of(st.st_mode) +
                " (rnncc writes regular files, character devices and FIFOs)");
  }

  namespace fs = std::filesystem;
  const std::string dir = parent_of(target);
  std::string name = fs::path(target).filename().string();
  if (name.empty() || name == "." || name == "..") throw Error("cannot write " + path + ": not a file name");
  struct stat dst {};
  if (::stat(dir.c_str(), &dst) != 0) {
    if (errno == ENOENT) throw Error("cannot write " + path + ": directory " + dir + " does not exist");
    throw Error("cannot write " + path + ": " + dir + ": " + errno_text(errno));
  }
  if (!S_ISDIR(dst.st_mode)) throw Error("cannot write " + path + ": " + dir + " is not a directory");

  // ".NAME.tmpXXXXXX" beside the target, made by mkstemp (O_CREAT|O_EXCL, mode 0600): a fresh
  // file with an unpredictable name, never an existing file or a symlink's target.
  if (name.size() > 200) name.resize(200);
  std::string tmp = dir + "/." + name + ".tmpXXXXXX";
  int fd = -1;
  std::unique_ptr<RemoveOnSignal> guard;
  {
    BlockSignals block;  // a signal between mkstemp and the registration would leave the file
    fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) throw Error("cannot write " + path + ": cannot create a temporary file in " + dir + ": " + errno_text(errno));
    guard = std::make_unique<RemoveOnSignal>(tmp);
  }
  try {
    mode_t mode = exists ? (st.st_mode & 0777) : default_mode();
    if (::fchmod(fd, mode) != 0) {
      int err = errno;
      ::close(fd);
      throw Error("cannot write " + path + ": " + errno_text(err));
    }
    write_through(fd, path, write);
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw Error("cannot write " + path + ": " + errno_text(errno));
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

void write_file_atomic(const std::string& path, const std::string& content) {
  write_file_atomic(path, [&](std::ostream& out) { out.write(content.data(), static_cast<std::streamsize>(content.size())); });
}

std::string extension_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

std::string stem_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

}  // namespace rnncc::circuits::io
