// rnncc construct rwkv7-imm and deltanet-matrix: the specs and inputs they write run through
// sim and verify, and give the exact matrix products (computed here with proofs/matrix.hpp);
// help lists the kinds; bad matrices are one located line, exit 2, no file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "proofs/matrix.hpp"
#include "tests/tools/cli_support.hpp"

namespace rnncc::test {
namespace {

TEST(CliConstructLrnn, HelpListsTheKinds) {
  const RunResult r = run_cli({"construct", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("rwkv7-imm MATRICES"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deltanet-matrix N|MATRICES"), std::string::npos) << r.out;
  const RunResult sub = run_cli({"construct", "deltanet-matrix", "--help"});
  EXPECT_EQ(sub.status, 0);
  EXPECT_NE(sub.out.find("rnncc construct deltanet-matrix 9 -o d9.toml"), std::string::npos) << sub.out;
}

TEST(CliConstructLrnn, Rwkv7ImmSpecRunsThroughSimAndVerify) {
  const std::string dir = scratch("construct_rwkv7_imm");
  const std::string matrices = source_dir() + "/examples/matrices/imm3.txt";
  const std::string spec = dir + "/imm.toml", inputs = dir + "/imm.txt";
  const RunResult r = run_cli({"construct", "rwkv7-imm", matrices, "-o", spec, "--inputs", inputs});
  ASSERT_EQ(r.status, 0) << r.out;
  const std::vector<proofs::QMatrix> as = proofs::load_matrices(matrices, 3, true);
  const proofs::QMatrix p = proofs::multiply(proofs::multiply(as[0], as[1]), as[2]);
  std::string vec;
  for (const auto& row : p)
    for (const auto& v : row) vec += (vec.empty() ? "" : ", ") + v.get_str();
  EXPECT_NE(r.out.find("T = 36"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vec(A_1 ... A_N) = [" + vec + "]"), std::string::npos) << r.out;
  // sim on the written inputs: the last 9 outputs are vec(A_1 A_2 A_3).
  const RunResult sim = run_cli({"sim", spec, "--inputs", inputs, "--json"});
  ASSERT_EQ(sim.status, 0) << sim.out;
  for (std::size_t e = 0; e < 9; ++e)
    EXPECT_NE(sim.out.find("\"y[" + std::to_string(28 + e) + "][0]\":\"" + p[e / 3][e % 3].get_str() + "\""), std::string::npos)
        << e << ": " << sim.out;
  const RunResult verify = run_cli({"verify", spec, "-p", "lift-scan -n sklansky", "--trials", "2"});
  EXPECT_EQ(verify.status, 0) << verify.out;
  EXPECT_NE(verify.out.find("OK"), std::string::npos) << verify.out;
}

TEST(CliConstructLrnn, DeltanetMatrixSpecRunsThroughSimAndVerify) {
  const std::string dir = scratch("construct_deltanet");
  const std::string spec = dir + "/d2.toml", inputs = dir + "/d2.txt";
  const RunResult r = run_cli({"construct", "deltanet-matrix", "--matrices", "1,2,3,4; 0,1,-1,1/2", "-o", spec, "--inputs", inputs});
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("2 matrix(es) of size 2, 43 steps each (8n^2+5n+1 = 43)"), std::string::npos) << r.out;
  // Q = [[1, 2], [3, 4]] [[0, 1], [-1, 1/2]] = [[-2, 2], [-4, 5]]; columns read by r0 and r1.
  const std::string text = read_text(inputs);
  EXPECT_NE(text.find("# y at r0 = [-2, -4]"), std::string::npos) << text;
  EXPECT_NE(text.find("# y at r1 = [2, 5]"), std::string::npos) << text;
  const RunResult sim = run_cli({"sim", spec, "--inputs", inputs});
  ASSERT_EQ(sim.status, 0) << sim.out;
  const RunResult verify = run_cli({"verify", spec, "-T", "24", "-p", "lift-scan -n brent-kung", "--trials", "2"});
  EXPECT_EQ(verify.status, 0) << verify.out;
  // n = 9: 694 program steps.
  const RunResult nine = run_cli({"construct", "deltanet-matrix", "9", "-o", dir + "/d9.toml"});
  ASSERT_EQ(nine.status, 0) << nine.out;
  EXPECT_NE(nine.out.find("694 steps each (8n^2+5n+1 = 694)"), std::string::npos) << nine.out;
  EXPECT_NE(nine.out.find("T = 703"), std::string::npos) << nine.out;
}

TEST(CliConstructLrnn, BadMatricesAreOneLocatedLine) {
  const std::string dir = scratch("construct_lrnn_bad");
  const std::string bad = dir + "/bad.txt", spec = dir + "/x.toml";
  std::ofstream(bad) << "1 0 0 0 1 0 0 0 1\n1 0 0 0 1 0 0 0 1/2\n";
  const RunResult r = run_cli({"construct", "rwkv7-imm", bad, "-o", spec});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find(bad + ":2:17: expected an integer in [-2^31, 2^31), got '1/2'"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(spec));
  const RunResult inl = run_cli({"construct", "deltanet-matrix", "--matrices", "1,2,3,4; 1,2,3", "-o", spec});
  EXPECT_EQ(inl.status, 2);
  EXPECT_NE(inl.out.find("--matrices:2:1: expected 4 numbers (a 2x2 matrix, row-major), got 3"), std::string::npos) << inl.out;
  const RunResult both = run_cli({"construct", "rwkv7-imm", bad, "--random", "3", "-o", spec});
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.out.find("exactly one of"), std::string::npos) << both.out;
  const RunResult ext = run_cli({"construct", "deltanet-matrix", "3", "-o", dir + "/x.rc"});
  EXPECT_EQ(ext.status, 2);
  EXPECT_FALSE(std::filesystem::exists(spec));
}

}  // namespace
}  // namespace rnncc::test
