// The three tasks of the paper's experiments (§5, App. G) as data generators, for training on
// exactly those tasks (`rnncc task`, docs/tasks.md), and the specs that solve the two IMM tasks:
//
//  - sdgc: sorted deterministic graph connectivity (proofs/sdgc.hpp): an instance on N nodes, its
//    token sequence (Def 11's unary encoding, or the binary one), and its reachability label
//    from the Boost.Graph BFS (not the released generator's shortcut, shortcut_label());
//  - imm-mod: N random 3x3 matrices over {-1, 0, 1}, each invertible mod a prime P, a query
//    entry q = 3i + j, and the targets (M_1 ⋯ M_t)_ij mod P for t = 1..N;
//  - imm-z: N random 3x3 matrices with entries -1, 0, 1 drawn with probabilities 0.45, 0.10,
//    0.45, labelled 1 iff (M_1 ⋯ M_N)_00 = 0 over the integers.
//
// Every generator draws from one splitmix64 stream seeded with the seed (compiler::SplitMix64),
// so a seed fixes the whole output. The labels of sdgc and imm-z follow a balanced schedule
// (BalancedLabels): exactly half of every two consecutive instances are positive.
//
// The oracles here do not use rnncc's models: reachability is a BFS, imm-mod's targets are
// products in integers mod P, imm-z's label a product in GMP integers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/interface.hpp"
#include "compiler/spec.hpp"
#include "proofs/sdgc.hpp"

namespace rnncc::proofs {

enum class TaskKind { Sdgc, ImmMod, ImmZ };
std::optional<TaskKind> parse_task(std::string_view s);  // "sdgc", "imm-mod", "imm-z"
std::string_view task_name(TaskKind t);

enum class SdgcEncoding { Unary, Binary };
std::optional<SdgcEncoding> parse_sdgc_encoding(std::string_view s);  // "unary", "binary"
std::string_view sdgc_encoding_name(SdgcEncoding e);

// imm-mod's default modulus. The paper does not give the one it used; 97 is rnncc's choice (a
// prime large enough that the targets are not dominated by small residues, small enough that a
// classifier over P classes is practical).
inline constexpr std::uint64_t kDefaultImmModulus = 97;
// Ranges of N (nodes for sdgc, matrices for imm-mod and imm-z) and of the instance count K.
inline constexpr std::size_t kMinSdgcNodes = 2, kMaxSdgcNodes = 4096;
inline constexpr std::size_t kMinImmMatrices = 1, kMaxImmMatrices = 65536;
inline constexpr std::size_t kMaxTaskCount = 10'000'000;
// imm-z draws sequences until one has the wanted label; it gives up on an instance after drawing
// this many matrices (seconds of work).
inline constexpr std::size_t kImmZMaxMatrices = 20'000'000;

// A 3x3 integer matrix, row-major: entry (i, j) at 3i + j.
using Matrix3 = std::array<int, 9>;

// What `rnncc task` generates. Options that do not apply to the task stay unset (nullopt):
// check_task_options refuses them.
struct TaskOptions {
  TaskKind task = TaskKind::Sdgc;
  std::size_t n = 0;          // nodes (sdgc) or matrices (imm-mod, imm-z)
  std::size_t count = 0;      // K, instances
  std::uint64_t seed = 1;
  std::optional<std::uint64_t> modulus;     // imm-mod only (default kDefaultImmModulus)
  std::optional<SdgcEncoding> encoding;     // sdgc only (default unary)
  std::optional<SdgcGraphs> graphs;         // sdgc only (default paths)
  std::size_t max_matrices = kImmZMaxMatrices;  // imm-z: matrices the rejection sampler may draw per instance
};
// Error (one line naming the flag: "--n: …", "--modulus: …") unless N and K are in range, the
// modulus is a prime below 2^62 (and at least 2), and only options of the task are set.
void check_task_options(const TaskOptions& o);

// The label schedule of sdgc and imm-z: instances 2k and 2k + 1 get opposite labels, which of
// them is positive drawn by a fair coin (one draw of the stream, below(2), at every even index).
// So every prefix of even length is exactly half positive, and a model cannot read the label off
// the position.
class BalancedLabels {
 public:
  bool next(compiler::SplitMix64& rng);

 private:
  std::size_t index_ = 0;
  bool first_ = false;
};

// ---- sdgc ----

// The instances `rnncc task sdgc` writes for these options (count, seed, graphs; the encoding
// does not change the graphs), in order: random_sdgc(n, graphs, label, rng) with the labels of
// BalancedLabels, all from one stream. reachable(g) is the label of each.
std::vector<SdgcInstance> sdgc_task_instances(const TaskOptions& o);
// Its line: {"tokens":[…],"source":s,"target":t,"edges":[[i,j],…],"label":0|1}, the label from
// reachable() (BFS).
std::string sdgc_json_line(const SdgcInstance& g, SdgcEncoding encoding);

// ---- imm-mod ----

struct ImmModInstance {
  std::uint64_t modulus = kDefaultImmModulus;
  std::size_t query = 0;              // q = 3i + j in 0..8
  std::vector<Matrix3> matrices;      // M_1 … M_N, entries in {-1, 0, 1}, det ≢ 0 mod P
  std::vector<std::uint64_t> targets; // (M_1 ⋯ M_t)_ij mod P, t = 1..N, in 0..P−1
};
// One instance from the stream: the query (below(9)), then each matrix's 9 entries row-major
// (below(3) − 1 each), the matrix drawn again while its determinant is 0 mod P.
ImmModInstance random_imm_mod(std::size_t n, std::uint64_t modulus, compiler::SplitMix64& rng);
// The targets of a query (entry q of every prefix product, mod P), in integers mod P.
std::vector<std::uint64_t> imm_mod_targets(const std::vector<Matrix3>& ms, std::size_t query, std::uint64_t modulus);
std::vector<ImmModInstance> imm_mod_task_instances(const TaskOptions& o);
// {"modulus":P,"query":q,"matrices":[[9 entries],…],"targets":[…]}
std::string imm_mod_json_line(const ImmModInstance& x);
// The determinant over the integers.
std::int64_t determinant(const Matrix3& m);

// ---- imm-z ----

struct ImmZInstance {
  std::vector<Matrix3> matrices;  // M_1 … M_N
  bool label = false;             // (M_1 ⋯ M_N)_00 = 0
};
// One entry: below(20) < 9 → −1, 9 or 10 → 0, else 1 (probabilities 0.45, 0.10, 0.45 exactly).
int imm_z_entry(compiler::SplitMix64& rng);
// (M_1 ⋯ M_N)_00 = 0 over the integers (GMP: the row e_0ᵀ M_1 ⋯ M_t, exact; once it is the zero
// row it stays zero, which is why label 1 dominates at large N: docs/tasks.md).
bool imm_z_label(const std::vector<Matrix3>& ms);
// What the rejection sampler drew: sequences (attempts), how many of them had label 1 (so
// positives / draws estimates the unconditioned rate of (M_1 ⋯ M_N)_00 = 0), and matrices.
struct ImmZDraws {
  std::size_t draws = 0, positives = 0, matrices = 0;
};
// Rejection sampling of N matrices with imm_z_label = `label`: an attempt draws M_1, M_2, …
// (imm_z_entry, row-major) keeping the row e_0ᵀ M_1 ⋯ M_t; when `label` is 0 and the row becomes
// zero, the attempt is abandoned at once (its label is 1 whatever follows), otherwise the N
// matrices are drawn and kept if the label is the wanted one. Abandoning an attempt whose outcome
// is already a rejection does not change the distribution of the accepted sequences: they are
// i.i.d. sequences conditioned on the label, as with whole-sequence rejection. Error when more
// than `max_matrices` matrices were drawn without success. `stats`, when given, accumulates the
// draws.
ImmZInstance random_imm_z(std::size_t n, bool label, compiler::SplitMix64& rng, std::size_t max_matrices = kImmZMaxMatrices,
                          ImmZDraws* stats = nullptr);
std::vector<ImmZInstance> imm_z_task_instances(const TaskOptions& o);
// {"matrices":[[9 entries],…],"label":0|1}
std::string imm_z_json_line(const ImmZInstance& x);

// ---- the whole output ----

struct TaskSummary {
  std::size_t instances = 0;
  std::size_t positives = 0;         // sdgc, imm-z: label 1
  std::size_t shortcut_correct = 0;  // sdgc: instances where shortcut_label() equals the BFS label
  std::size_t zero_targets = 0;      // imm-mod: targets equal to 0, over all steps
  std::size_t targets = 0;           // imm-mod: targets written (K·N)
  ImmZDraws draws;                   // imm-z: the rejection sampler's draws
};
// Checks the options (check_task_options), then writes K lines, one instance each, calling
// `progress(done, K)` after each. Deterministic for the options.
TaskSummary write_task_jsonl(const TaskOptions& o, std::ostream& out,
                             const std::function<void(std::size_t, std::size_t)>& progress = {});
// One line for stderr: instances and label balance (sdgc: and the shortcut's accuracy; imm-mod:
// the fraction of zero targets, against 1/P; imm-z: the rate of label 1 among all draws).
std::string task_summary_text(const TaskOptions& o, const TaskSummary& s);

// ---- the specs that solve the IMM tasks ----

// The imm3 example (examples/specs/imm3.toml: dense, d = 3, A_t = M_tᵀ, x_t the 9 entries of M_t
// row-major) with h_0 = e_i and W_y = e_jᵀ for the query q = 3i + j, and outputs = "all", so
// y_t = (M_1 ⋯ M_t)_ij: h_t = (M_1 ⋯ M_t)ᵀ e_i is row i of the product. In the modp domain with
// `modulus` P when it is not 0 (y_t is then imm-mod's target t), in the exact domain when it is
// (imm-z's label is y_N = 0 with q = 0). T is the spec's default length.
std::string imm_query_spec_text(std::uint64_t modulus, std::size_t query, std::size_t T);
// The spec's input sequence: x_t = the 9 entries of M_t.
compiler::InputSequence imm_inputs(const std::vector<Matrix3>& ms);

}  // namespace rnncc::proofs
