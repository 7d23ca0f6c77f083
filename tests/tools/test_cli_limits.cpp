// Exit codes and resource limits from the command line: a table of commands for every status
// (0 ok, 1 a failed check, 2 bad input or usage, 3 a resource limit), oversized requests refused
// from an estimate within a second with nothing written, exact values bounded (constants folded
// by the builder, the interpreter, the exact simulator), memory exhaustion as exit 3, standard
// output write errors, CLI values that used to be accepted silently, and verify --circuit with
// a wrong circuit (the negative control) in exact and modp.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr double kRefusalSeconds = 300.0;
#else
constexpr double kRefusalSeconds = 30.0;
#endif

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// h_t = 3 h_{t-1}, h_0 = 1: the builder folds 3^t into constants.
constexpr char kPow3[] = R"(kind = "diagonal"
d = 1
alphabet = ["a", "b"]
domain = "exact"
initial_state = [1]
[parameters]
W_a = [[0, 0]]
c_a = [3]
W_b = [[0, 0]]
c_b = [0]
W_y = [[1]]
c_y = [0]
)";

// k = k * k, 40 times over `first`: 2^40 bits.
std::string squarings(const std::string& first) {
  std::string s = "rnncc 1\n0 = " + first + "\n";
  for (int k = 1; k <= 40; ++k) s += std::to_string(k) + " = mul " + std::to_string(k - 1) + " " + std::to_string(k - 1) + "\n";
  return s + "output y = 40\n";
}

struct Case {
  const char* what;
  std::string args;
  int status;
  std::string message;  // on the last line; empty: not checked
};

TEST(CliExitCodes, EveryStatusFromATable) {
  const std::string dir = scratch("cli_exit_codes");
  const std::string tiny = write(dir, "tiny.toml", kTiny), pow3 = write(dir, "pow3.toml", kPow3);
  const std::string sq = write(dir, "sq.rc", squarings("const 3")), sqin = write(dir, "sqin.rc", squarings("input x"));
  const std::string three = write(dir, "three.txt", "3\n");
  const std::string bits5 = write(dir, "bits5.rc", "rnncc 1\n0 = input a\n1 = const 5\n2 = and 0 1\noutput y = 2\n");
  const std::string diag = quote(example("diagonal"));
  const std::vector<Case> cases = {
      {"ok", "report " + quote(tiny), 0, ""},
      {"verify mismatch (tolerance 0 in real)", "verify " + quote(example("dense")) + " -T 16 --scan kogge-stone --domain real --tol 0 --trials 1", 1, "MISMATCH"},
      {"require-log-depth", "report " + quote(example("gru")) + " -T 8 --scan sklansky --require-log-depth", 1,
       "lift-scan refused"},
      {"usage", "report", 2, ""},
      {"unknown command", "frobnicate", 2, "unknown command 'frobnicate'"},
      {"tol nan", "verify " + diag + " -T 4 --tol nan", 2, "--tol: expected a finite number >= 0, got nan"},
      {"tol negative", "verify " + diag + " -T 4 --tol -1", 2, "--tol: expected a finite number >= 0, got -1"},
      {"seed negative", "sim " + diag + " -T 4 --seed -1", 2, "--seed: expected an integer in [0, 2^64), got -1"},
      {"threads negative", "verify " + diag + " -T 4 --threads -1", 2, "--threads"},
      {"random negative", "sim " + diag + " -T 4 --random -1", 2, "--random"},
      {"sweep past 2^30", "sweep " + diag + " -T 8:2147483648", 2, "-T: T is at most 2^30 = 1073741824, got 2147483648"},
      {"a boolean circuit reading const 5: no domain chosen silently", "sim " + quote(bits5) + " --random 2", 2,
       "this circuit has only boolean gates but reads the constant 5 (gate g1), which is not a bit"},
      {"estimate past --max-gates", "report " + diag + " -T 100000 --max-gates 1000000", 3,
       "unrolling diagonal for T = 100000 would need about"},
      {"estimate past the memory", "compile " + quote(example("dense")) + " -T 1073741824 -o " + quote(dir + "/big.rc"), 3,
       "raise them with --max-gates and --max-memory"},
      {"backstop: the builder's own count", "--max-gates 100 report " + diag + " -T 12", 3,
       "building this circuit passed the limit of 100 gates"},
      {"folded constants", "report " + quote(pow3) + " -T 1000000", 3, "(raise it with --max-memory)"},
      {"folded constant past the bits", "report " + quote(pow3) + " -T 1000000 --max-exact-bits 65536", 3,
       "bits, past the limit of 65536 bits for an exact value (raise it with --max-exact-bits)"},
      {"squarings of a constant", "report " + quote(sq), 3, "sq.rc:22:10: the constant of gate g20 has"},
      {"squarings of an input, simulated exactly", "sim " + quote(sqin) + " --domain exact --inputs " + quote(three), 3,
       "a value of a mul gate in the exact simulation has"},
      {"the interpreter's exact values", "run " + quote(pow3) + " --input '" + repeat("a ", 100) + "' --max-exact-bits 64", 3,
       "in the exact domain, a product has"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult r = run("(" + rnncc(c.args) + " > " + quote(dir + "/stdout.txt") + ")");
    EXPECT_EQ(r.status, c.status) << r.out;
    if (c.status >= 2) {
      EXPECT_EQ(lines(r.out), 1u) << r.out;  // one line on stderr
    }
    if (!c.message.empty()) {
      const std::string all = r.out + read_text(dir + "/stdout.txt");
      EXPECT_NE(all.find(c.message), std::string::npos) << all;
    }
    // Refused from the estimate or the limit, not after filling the machine: a bound two orders
    // above the time it takes (under a second; ten times more under AddressSanitizer's -O0).
    if (c.status == 3) {
      EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), kRefusalSeconds);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/big.rc"));
}

TEST(CliExitCodes, AnOversizedRequestFailsWithinASecondAndWritesNothing) {
  const std::string dir = scratch("cli_oversized");
  for (const char* spec : {"dense", "deltanet", "lstm"}) {
    SCOPED_TRACE(spec);
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult r = run(rnncc("compile " + quote(example(spec)) + " -T 1073741824 -p 'lift-scan; balance' -o " +
                                  quote(dir + "/out.rc")));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.status, 3) << r.out;
    EXPECT_LT(s, 1.0);
    EXPECT_NE(r.out.find("would need about"), std::string::npos) << r.out;
  }
  // lift-scan's own estimate: the naive circuit fits, the dense prefix network would not.
  const RunResult r = run(rnncc("report " + quote(example("dense")) + " -T 4096 --scan kogge-stone --max-gates 3500000"));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("lift-scan over T = 4096 steps (dense combine"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(CliExitCodes, RunningOutOfMemoryIsALimitNotACrash) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "built with AddressSanitizer, which reserves terabytes of address space: ulimit -v cannot cap it";
#endif
  // The estimates are lifted (--max-memory 1T), the address space capped: the allocation fails.
  const RunResult r = run("ulimit -v 1500000 && " + rnncc("report " + quote(example("dense")) +
                                                           " -T 400000 --max-memory 1T --max-gates 4000000000"));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("rnncc: out of memory: an allocation failed with "), std::string::npos) << r.out;
  EXPECT_EQ(lines(r.out), 1u) << r.out;
}

TEST(CliExitCodes, StandardOutputWriteErrorsExitTwo) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system: skipping";
  const std::string tiny = write(scratch("cli_dev_full"), "tiny.toml", kTiny);
  for (const std::string& args :
       {"report " + quote(tiny) + " --json", "sim " + quote(tiny) + " --random 2", "dot " + quote(tiny),
        "run " + quote(tiny) + " --input 'a b'", std::string("--help"), std::string("passes")}) {
    SCOPED_TRACE(args);
    const RunResult r = run("(" + rnncc(args) + " > /dev/full)");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("rnncc: cannot write standard output: No space left on device"), std::string::npos) << r.out;
  }
}

TEST(CliExitCodes, MessagesStayOnOneLine) {
  // A NUL byte and a newline in a user value reach the message escaped, not cut or split.
  const RunResult r = run(rnncc("report " + quote(example("diagonal")) + " -T 4 -p \"$(printf 'balance; no\\npe')\""));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(lines(r.out), 1u) << r.out;
  const RunResult h = run(rnncc("--help"));
  EXPECT_NE(h.out.find("Exit status: 0 ok; 1 a check failed"), std::string::npos) << h.out;
  EXPECT_NE(h.out.find("--max-exact-bits"), std::string::npos) << h.out;
}

TEST(CliExitCodes, AFifoGivenAsASpecIsRefusedNotWaitedOn) {
  const std::string dir = scratch("cli_fifo_spec");
  const std::string fifo = dir + "/f.toml";
  ASSERT_EQ(run("mkfifo " + quote(fifo)).status, 0);
  const RunResult r = run("timeout 20 " + rnncc("report " + quote(fifo) + " -T 4"));
  EXPECT_EQ(r.status, 2) << r.out;  // 124 would mean it blocked
  EXPECT_NE(r.out.find("not a regular file (a FIFO)"), std::string::npos) << r.out;
}

TEST(CliExitCodes, AFileNameThatIsNotUtf8StillGivesJson) {
  const std::string dir = scratch("cli_non_utf8_name");
  const std::string path = dir + "/\xff\xfe.aag";
  std::filesystem::copy_file(source_dir() + "/examples/circuits/adder4.aag", path);
  const RunResult r = run(rnncc("report " + quote(path) + " --json"));
  EXPECT_EQ(r.status, 0) << r.out;  // was exit 3 (an internal error): the name became invalid JSON
  EXPECT_NE(r.out.find("\xEF\xBF\xBD"), std::string::npos) << r.out;  // U+FFFD in its place
}

TEST(CliVerify, AWrongCircuitFileIsCaughtInExactAndModp) {
  const std::string dir = scratch("cli_verify_wrong");
  const std::string good = dir + "/good.rc", bad = dir + "/bad.rc";
  ASSERT_EQ(run(rnncc("compile " + quote(example("diagonal")) + " -T 6 -o " + quote(good))).status, 0);
  // The same circuit with one constant changed (its first non-trivial constant line).
  std::string text = read_text(good);
  std::size_t at = text.find(" = const ");
  while (at != std::string::npos) {
    const std::size_t end = text.find('\n', at);
    const std::string value = text.substr(at + 9, text.find_first_of(" \n", at + 9) - at - 9);
    if (value != "0" && value != "1" && value != "-1") {
      text.replace(at + 9, value.size(), value + "0");  // ten times the value (or a new digit)
      break;
    }
    at = text.find(" = const ", end);
  }
  ASSERT_NE(at, std::string::npos);
  std::ofstream(bad) << text;
  for (const char* domain : {"exact", "modp"}) {
    SCOPED_TRACE(domain);
    RunResult r = run(rnncc("verify " + quote(example("diagonal")) + " -T 6 --trials 4 --domain " + domain +
                            " --circuit " + quote(good)));
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("\n  good "), std::string::npos) << r.out;
    r = run(rnncc("verify " + quote(example("diagonal")) + " -T 6 --trials 4 --domain " + domain + " --circuit " +
                  quote(bad) + " --scan sklansky"));
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("\n  bad "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("DIFFERS from the interpreter"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("first mismatch at bad: output y["), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nMISMATCH\n"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace rnncc::test
