// Hostile input files (issue 16): headers whose numbers wrap around 2^64 or promise more than
// the file holds, .rc ids chosen to inflate the reader's id table, names that are not UTF-8,
// TOML syntax errors whose message quotes a newline, and `sim --inputs` files with bad values.
// Each is run through the rnncc binary in a child process whose peak memory (wait4's ru_maxrss)
// is measured: every one ends with an input error (exit 2, one line naming the file, line and,
// where one token is at fault, column) or the right answer, within a small memory budget.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

namespace fs = std::filesystem;

struct Measured {
  int status = -1;        // exit code; -1 if killed by a signal
  int signal = 0;         // the signal that killed it, if any
  std::string out, err;   // stdout, stderr
  long max_rss_kb = 0;    // peak resident set of the child
  double seconds = 0;
};

void put(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

// Built with AddressSanitizer (the debug preset), the binary runs 10-20x slower, keeps freed
// blocks in quarantine and maps shadow memory: more CPU time and resident memory are allowed,
// and no address-space limit (ASan cannot start under one).
#if defined(__SANITIZE_ADDRESS__)
constexpr rlim_t kCpuSeconds = 600;
constexpr long kMaxRssKb = 1024 * 1024;  // 1 GB
#else
constexpr rlim_t kCpuSeconds = 120;
constexpr long kMaxRssKb = 300 * 1024;  // 300 MB: far above what these tiny files need
#endif

// Runs the rnncc binary with `args` in `cwd`, without a shell, under a 4 GiB address-space limit
// and kCpuSeconds of CPU (so that a regression fails the test instead of exhausting the
// machine), and measures its peak memory.
Measured rnncc_measured(const std::vector<std::string>& args, const std::string& cwd) {
  const std::string out_path = cwd + "/.stdout", err_path = cwd + "/.stderr";
  const std::string binary = rnncc_binary();
  std::vector<std::string> argv_s{binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(120);
    const int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(121);
    const rlimit cpu{kCpuSeconds, kCpuSeconds};
#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer reserves terabytes of address space
    const rlimit as{std::uint64_t{4} << 30, std::uint64_t{4} << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
    setrlimit(RLIMIT_CPU, &cpu);
    setenv("OMP_NUM_THREADS", "2", 1);
    execv(binary.c_str(), argv.data());
    _exit(122);
  }
  Measured m;
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return m;
  }
  int st = 0;
  rusage ru{};
  if (wait4(pid, &st, 0, &ru) != pid) ADD_FAILURE() << "wait4 failed";
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (WIFEXITED(st)) m.status = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) m.signal = WTERMSIG(st);
  m.max_rss_kb = ru.ru_maxrss;
  m.out = read_text(out_path);
  m.err = read_text(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return m;
}

// Exit 2, nothing on stdout, one line "rnncc: <where>: ..." on stderr containing `message`.
void expect_input_error(const Measured& m, const std::string& where, const std::string& message) {
  EXPECT_EQ(m.signal, 0) << "killed by signal " << m.signal << "; stderr: " << m.err;
  EXPECT_EQ(m.status, 2) << m.err;
  EXPECT_EQ(m.out, "");
  ASSERT_FALSE(m.err.empty());
  EXPECT_EQ(m.err.find('\n'), m.err.size() - 1) << "not one line: " << m.err;
  EXPECT_EQ(m.err.rfind("rnncc: " + where, 0), 0u) << m.err;
  EXPECT_NE(m.err.find(message), std::string::npos) << m.err;
  EXPECT_LT(m.max_rss_kb, kMaxRssKb) << "peak RSS " << m.max_rss_kb << " kB";
}

// ---------------------------------------------------------------------------------------------
// AIGER headers (defects 1 and 2).

struct HeaderCase {
  const char* what;
  const char* file;
  std::string text;
  const char* message;
};

TEST(HostileAiger, HeaderSumsAndCountsAreInputErrors) {
  const std::string dir = scratch("hostile_aiger_header");
  const HeaderCase cases[] = {
      // I + A = 16 + (2^64 - 16) wraps to 0 = M: used to pass the check, then crash (SIGSEGV).
      {"binary I + A wraps to M", "x.aig", "aig 0 16 0 0 18446744073709551600\n",
       "binary AIGER needs M = I + L + A, got M = 0 and I + L + A = 16 + 0 + 18446744073709551600"},
      // 200016 + (2^64 - 100016) wraps to 100000 = M.
      {"ASCII I + A wraps to M", "y.aag", "aag 100000 200016 0 0 18446744073709451600\n",
       "header: I + L + A exceeds M"},
      {"binary I + A wraps below M", "w.aig", "aig 5 18446744073709551615 0 0 6\n",
       "which is not even a 64-bit number"},
      // 2^62 outputs: used to exit 3 "internal error" (std::length_error from reserve).
      {"2^62 ASCII outputs", "z.aag", "aag 0 0 0 4611686018427387904 0\n",
       "header promises 0 inputs, 4611686018427387904 outputs and 0 ANDs, more than the 0 bytes"},
      {"2^62 binary outputs", "z.aig", "aig 0 0 0 4611686018427387904 0\n1\n", "header promises"},
      {"2^64 - 1 outputs", "o.aag", "aag 0 0 0 18446744073709551615 0\n", "header promises"},
      {"a million binary ANDs in no bytes", "a.aig", "aig 1000000 0 0 1 1000000\n2\n",
       "header promises 0 inputs, 1 outputs and 1000000 ANDs, more than the 2 bytes"},
      {"a million ASCII inputs in no bytes", "i.aag", "aag 1000000 1000000 0 0 0\n", "header promises"},
      {"large ASCII M in no bytes", "m.aag", "aag 2000000000 0 0 0 0\n", "header M = 2000000000 is larger"},
      {"M of 2^31", "m.aig", "aig 2147483648 0 0 0 2147483648\n", "too many variables"},
      {"M beyond 2^64", "b.aag", "aag 18446744073709551616 0 0 0 0\n", "bad number '18446744073709551616'"},
  };
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(c.what);
    put(dir + "/" + c.file, c.text);
    for (const char* json : {"", "--json"}) {
      std::vector<std::string> args{"report", c.file};
      if (*json) args.push_back(json);
      expect_input_error(rnncc_measured(args, dir), std::string(c.file) + ":1: ", c.message);
    }
  }
}

// A header that promises much but is consistent (2^20 binary inputs, which take no bytes) reads
// within the memory budget; one more input and M is bounded by the file.
TEST(HostileAiger, ManyImplicitBinaryInputsStayWithinBudget) {
  const std::string dir = scratch("hostile_aiger_inputs");
  put(dir + "/wide.aig", "aig 1048576 1048576 0 1 0\n2097152\n");
  Measured m = rnncc_measured({"report", "--json", "wide.aig"}, dir);
  ASSERT_EQ(m.status, 0) << m.err;
  EXPECT_LT(m.max_rss_kb, kMaxRssKb) << "peak RSS " << m.max_rss_kb << " kB";
  nlohmann::json j = nlohmann::json::parse(m.out);
  EXPECT_EQ(j["inputs"], 1048576);
  EXPECT_EQ(j["outputs"], 1);
  EXPECT_EQ(j["size"], 0);
  put(dir + "/wider.aig", "aig 1048577 1048577 0 1 0\n2097154\n");
  expect_input_error(rnncc_measured({"report", "wider.aig"}, dir), "wider.aig:1: ",
                     "header M = 1048577 is larger than any variable the 8 bytes that follow can define");
}

// ---------------------------------------------------------------------------------------------
// .rc ids (defect 3): each id just inside "twice the table + 2^20" used to double the dense id
// table on every line (13 lines: gigabytes).

// Gates at ids s_0 = 0, s_{k+1} = 2 s_k + 2^20 + 1 (or at 0 .. n-1 when `dense`): inputs a = s_0
// and b = s_1, then s_k = and s_{k-1} s_{k-2}, output y = s_{n-1}: a chain of n - 2 ANDs, depth
// n - 2.
std::string inflating_rc(int n, bool dense) {
  std::vector<std::uint64_t> id(static_cast<std::size_t>(n));
  for (std::size_t k = 1; k < id.size(); ++k) id[k] = dense ? k : 2 * id[k - 1] + (1u << 20) + 1;
  std::string s = "rnncc 1\n";
  s += std::to_string(id[0]) + " = input a\n";
  s += std::to_string(id[1]) + " = input b\n";
  for (std::size_t k = 2; k < id.size(); ++k)
    s += std::to_string(id[k]) + " = and " + std::to_string(id[k - 1]) + " " + std::to_string(id[k - 2]) + "\n";
  s += "output y = " + std::to_string(id.back()) + "\n";
  return s;
}

TEST(HostileRc, SparseIdsDoNotInflateMemory) {
  const std::string dir = scratch("hostile_rc_ids");
  for (int n : {13, 40}) {
    SCOPED_TRACE(n);
    const std::string name = "ids" + std::to_string(n);
    put(dir + "/" + name + ".rc", inflating_rc(n, false));
    fs::create_directory(dir + "/dense");
    put(dir + "/dense/" + name + ".rc", inflating_rc(n, true));
    Measured m = rnncc_measured({"report", "--json", name + ".rc"}, dir);
    ASSERT_EQ(m.status, 0) << m.err;
    EXPECT_EQ(m.signal, 0);
    EXPECT_LT(m.max_rss_kb, kMaxRssKb) << "peak RSS " << m.max_rss_kb << " kB";
    EXPECT_LT(m.seconds, 20.0);
    nlohmann::json j = nlohmann::json::parse(m.out);
    EXPECT_EQ(j["inputs"], 2);
    EXPECT_EQ(j["outputs"], 1);
    EXPECT_EQ(j["size"], n - 2);
    EXPECT_EQ(j["depth"], n - 2);
    EXPECT_EQ(j["by_kind"]["and"], n - 2);
    // The same circuit with the writer's dense ids measures the same.
    Measured d = rnncc_measured({"report", "--json", name + ".rc"}, dir + "/dense");
    ASSERT_EQ(d.status, 0) << d.err;
    EXPECT_EQ(nlohmann::json::parse(d.out), j);
    // And converts to the same canonical .rc.
    ASSERT_EQ(rnncc_measured({"convert", name + ".rc", "canon.rc"}, dir).status, 0);
    ASSERT_EQ(rnncc_measured({"convert", name + ".rc", "canon.rc"}, dir + "/dense").status, 0);
    EXPECT_EQ(read_text(dir + "/canon.rc"), read_text(dir + "/dense/canon.rc"));
  }
}

// ---------------------------------------------------------------------------------------------
// Names that are not UTF-8, or hold control characters (defect 6): `report --json` used to die
// with "internal error" (nlohmann::json's type_error 316). The readers refuse them.

struct NameCase {
  const char* what;
  const char* file;
  std::string text;
  const char* where;  // "file:line:col: "
  const char* message;
};

TEST(HostileNames, InvalidBytesInNamesAreInputErrors) {
  const std::string dir = scratch("hostile_names");
  const std::string aag = "aag 1 1 0 1 0\n2\n2\n";
  const NameCase cases[] = {
      {"AIGER input symbol, byte 0xFF", "s1.aag", aag + "i0 ab\xff\n", "s1.aag:4:6: ",
       "input symbol name: byte 0xFF at byte offset 2 of the name is not valid UTF-8"},
      {"AIGER output symbol, Latin-1", "s2.aag", aag + "o0 gr\xf6\xdf" "e\n", "s2.aag:4:6: ",
       "output symbol name: byte 0xF6 at byte offset 2"},
      {"AIGER symbol, NUL", "s3.aag", aag + "i0 a" + std::string(1, '\0') + "b\n", "s3.aag:4:5: ",
       "input symbol name: control character 0x00 at byte offset 1"},
      {"AIGER symbol, escape", "s4.aag", aag + "o0 \x1b[31mred\n", "s4.aag:4:4: ",
       "control character 0x1B at byte offset 0"},
      {"AIGER symbol, truncated sequence", "s5.aag", aag + "i0 x\xe2\x82\n", "s5.aag:4:5: ",
       "byte 0xE2 at byte offset 1"},
      {"AIGER symbol, overlong '/'", "s6.aag", aag + "i0 \xc0\xaf\n", "s6.aag:4:4: ", "byte 0xC0"},
      {"AIGER symbol, UTF-16 surrogate", "s7.aag", aag + "i0 \xed\xa0\x80\n", "s7.aag:4:4: ", "byte 0xED"},
      {"binary AIGER symbol after ANDs", "s8.aig", std::string("aig 3 2 0 1 1\n6\n\x02\x02i1 \x80\n"),
       "s8.aig:3:6: ", "byte 0x80 at byte offset 0"},
      {".rc input name", "n1.rc", "rnncc 1\n0 = input x\xff\n1 = not 0\noutput y = 1\n", "n1.rc:2:12: ",
       "bad input name: byte 0xFF at byte offset 1 of the name is not valid UTF-8"},
      {".rc output name", "n2.rc", "rnncc 1\n0 = input x\n1 = not 0\noutput \xc3(y = 1\n", "n2.rc:4:8: ",
       "bad output name: byte 0xC3 at byte offset 0"},
      {".rc output name, NUL", "n3.rc", "rnncc 1\n0 = input x\noutput y" + std::string(1, '\0') + "z = 0\n",
       "n3.rc:3:9: ", "bad output name: control character 0x00 at byte offset 1"},
      // An origin's construct goes into --json's critical path.
      {".rc origin construct", "n5.rc", "rnncc 1\n0 = input x\n1 = not 0 @\xfe:1\noutput y = 1\n", "n5.rc:3:12: ",
       "bad origin construct name: byte 0xFE at byte offset 0 of the name is not valid UTF-8"},
      {".rc input name, DEL", "n4.rc", "rnncc 1\n0 = input \x7f\noutput y = 0\n", "n4.rc:2:11: ",
       "control character 0x7F"},
  };
  for (const NameCase& c : cases) {
    SCOPED_TRACE(c.what);
    put(dir + "/" + c.file, c.text);
    for (const char* json : {"", "--json"}) {
      std::vector<std::string> args{"report", c.file};
      if (*json) args.push_back(json);
      expect_input_error(rnncc_measured(args, dir), c.where, c.message);
    }
  }
}

// Well-formed UTF-8 names (2-, 3- and 4-byte sequences) are kept, and come out of --json intact.
TEST(HostileNames, Utf8NamesAreKept) {
  const std::string dir = scratch("hostile_names_utf8");
  put(dir + "/u.aag", "aag 1 1 0 1 0\n2\n3\ni0 gr\xc3\xb6\xc3\x9f" "e\no0 \xe2\x88\x91\xf0\x9f\x98\x80\n");
  put(dir + "/u.rc", "rnncc 1\n0 = input \xcf\x80\n1 = not 0\noutput \xe2\x88\x9a = 1\n");
  Measured a = rnncc_measured({"convert", "u.aag", "back.aag"}, dir);
  ASSERT_EQ(a.status, 0) << a.err;
  const std::string back = read_text(dir + "/back.aag");
  EXPECT_NE(back.find("i0 gr\xc3\xb6\xc3\x9f" "e\n"), std::string::npos) << back;
  EXPECT_NE(back.find("o0 \xe2\x88\x91\xf0\x9f\x98\x80\n"), std::string::npos) << back;
  for (const char* f : {"u.aag", "u.rc"}) {
    Measured m = rnncc_measured({"report", "--json", f}, dir);
    ASSERT_EQ(m.status, 0) << f << ": " << m.err;
    EXPECT_EQ(nlohmann::json::parse(m.out)["inputs"], 1) << f;
  }
}

// ---------------------------------------------------------------------------------------------
// A TOML syntax error whose toml++ description quotes a newline (defect 4): one line.

TEST(HostileSpec, TomlSyntaxErrorOnOneLine) {
  const std::string dir = scratch("hostile_toml");
  // toml++: "Error while parsing boolean: expected 'true', saw 'tr<newline>'".
  put(dir + "/bad.toml", std::string(kTiny) + "accept = tr\n");
  Measured m = rnncc_measured({"report", "bad.toml"}, dir);
  expect_input_error(m, "bad.toml:13:12: ", "TOML syntax error: Error while parsing boolean: expected 'true', saw 'tr\\n'");
  // Also when the newline is CR LF, and at the end of the file without a newline.
  put(dir + "/crlf.toml", "kind = \"diagonal\"\r\naccept = fals\r\n");
  expect_input_error(rnncc_measured({"compile", "crlf.toml", "-o", "x.rc"}, dir), "crlf.toml:2:",
                     "TOML syntax error:");
  EXPECT_FALSE(fs::exists(dir + "/x.rc"));
  put(dir + "/eof.toml", "kind = t");
  expect_input_error(rnncc_measured({"sim", "eof.toml", "--random", "2"}, dir), "eof.toml:1:", "TOML syntax error:");
}

// ---------------------------------------------------------------------------------------------
// `sim --inputs` (defect 5): every error names the inputs file, the line and (one token at fault)
// the column, including values the simulator's domain cannot take.

struct InputsCase {
  const char* what;
  const char* circuit;  // file in the scratch directory
  std::vector<std::string> flags;
  std::string inputs;
  const char* where;  // "inputs.txt:line[:col]: "
  const char* message;
};

TEST(HostileSimInputs, EveryErrorIsLocated) {
  const std::string dir = scratch("hostile_sim_inputs");
  put(dir + "/and.aag", "aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n");  // inputs i0, i1: bool domain
  put(dir + "/sum.rc", "rnncc 1\n0 = input x\n1 = input y\n2 = add 0 1\noutput s = 2\n");
  put(dir + "/tiny.toml", kTiny);  // alphabet a b, T = 3
  const InputsCase cases[] = {
      {"bool: not a bit", "and.aag", {}, "1 1\n# comment\n1 2\n", "inputs.txt:3:3: ",
       "value 2 is not a bit (0 or 1) in the bool domain"},
      {"bool: not a bit, by name", "and.aag", {}, "i1=1 i0=1/2\n", "inputs.txt:1:9: ", "value 1/2 is not a bit"},
      {"bool: bad number", "and.aag", {}, "1 x\n", "inputs.txt:1:3: ", "bad number 'x'"},
      {"too few values", "and.aag", {}, "1 0\n1\n", "inputs.txt:2:2: ", "expected 2 values (one per input, in input order), got 1"},
      {"too many values", "and.aag", {}, "1 0 1\n", "inputs.txt:1:5: ", "expected 2 values"},
      {"missing name", "and.aag", {}, "i0=1\n", "inputs.txt:1:5: ", "no value for input 'i1'"},
      {"unknown name", "and.aag", {}, "i0=1 q=0\n", "inputs.txt:1:6: ", "unknown input 'q'"},
      {"name twice", "and.aag", {}, "i0=1 i0=0\n", "inputs.txt:1:6: ", "input 'i0' given twice"},
      {"not name=value", "and.aag", {}, "i0=1 1\n", "inputs.txt:1:6: ", "expected name=value, got '1'"},
      {"modp: modulus divides a denominator", "sum.rc", {"--domain", "modp", "--modulus", "7"}, "1 2\n3 5/14\n",
       "inputs.txt:2:3: ", "the modulus 7 divides the denominator of the constant 5/14"},
      {"modp: big denominator", "sum.rc", {"--domain", "modp", "--modulus", "7"},
       "1/700000000000000000000000000000000000007 0\n", "inputs.txt:1:1: ", "the modulus 7 divides"},
      {"exact: bad number", "sum.rc", {"--domain", "exact"}, "1 2/0\n", "inputs.txt:1:3: ", "bad number '2/0'"},
      {"symbols: unknown symbol", "tiny.toml", {}, "a b a\na z b\n", "inputs.txt:2:3: ",
       "unknown symbol 'z': the alphabet is a b"},
      {"symbols: unknown first symbol", "tiny.toml", {}, "zz a b\n", "inputs.txt:1:1: ", "unknown symbol 'zz'"},
      {"symbols: too few", "tiny.toml", {}, "a b\n", "inputs.txt:1:4: ", "2 symbols for a sequence of T = 3 steps"},
      {"symbols: too many", "tiny.toml", {}, "a b a b\n", "inputs.txt:1:7: ", "4 symbols for a sequence of T = 3 steps"},
      {"no instances", "and.aag", {}, "# nothing\n\n", "inputs.txt:2: ", "no instances (one per line)"},
      {"empty file", "and.aag", {}, "", "inputs.txt:1: ", "no instances"},
  };
  for (const InputsCase& c : cases) {
    SCOPED_TRACE(c.what);
    put(dir + "/inputs.txt", c.inputs);
    std::vector<std::string> args{"sim", c.circuit, "--inputs", "inputs.txt"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    expect_input_error(rnncc_measured(args, dir), c.where, c.message);
  }
  // The good lines of the same files simulate.
  put(dir + "/inputs.txt", "1 1\ni1=0 i0=1\n");
  Measured ok = rnncc_measured({"sim", "and.aag", "--inputs", "inputs.txt"}, dir);
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("#1 o0=1"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("#2 o0=0"), std::string::npos) << ok.out;
  put(dir + "/inputs.txt", "a b a\n");
  ok = rnncc_measured({"sim", "tiny.toml", "--inputs", "inputs.txt"}, dir);
  ASSERT_EQ(ok.status, 0) << ok.err;
  // h1 = 1, h2 = 2, h3 = 2 (test_cli_spec's hand computation).
  EXPECT_NE(ok.out.find("#1 y[1][0]=1 y[2][0]=2 y[3][0]=2\n"), std::string::npos) << ok.out;
}

}  // namespace
}  // namespace rnncc::test
