// rnncc task {sdgc,imm-mod,imm-z}: the data of the paper's experiments (§5, App. G) as JSONL, one
// instance a line. The generators live in proofs/tasks.hpp; this only reads the flags.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "proofs/tasks.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/progress.hpp"

namespace rnncc::tools {
namespace {

// A non-negative integer flag; values past 2^64 − 1 saturate (the range checks then refuse them).
std::uint64_t parse_whole(const std::string& flag, const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(fmt::format("{}: expected a non-negative integer, got '{}'", flag, text));
  std::uint64_t v = 0;
  for (char c : text) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return UINT64_MAX;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

void add_task(CLI::App& app, Action& action) {
  struct Opts {
    std::string task, n = "100", count = "1000", modulus, encoding, graphs, out;
    std::uint64_t seed = 1;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "task",
      fmt::format(
          "Generate the data of the paper's experiments (Sec. 5, App. G) as JSONL, one instance a line, on standard "
          "output or -o FILE (written atomically); a summary with the label balance goes to stderr. Deterministic for "
          "a seed (splitmix64). Formats in docs/tasks.md.\n\nTasks:\n"
          "  sdgc     sorted deterministic graph connectivity on N nodes: "
          "{{\"tokens\":[...],\"source\":s,\"target\":t,\"edges\":[[i,j],...],\"label\":0|1}}, the label from a BFS; "
          "half of every two consecutive instances positive (a fair coin picks which)\n"
          "  imm-mod  N random 3x3 matrices over {{-1,0,1}}, each invertible mod P, a query q = 3i+j in 0..8: "
          "{{\"modulus\":P,\"query\":q,\"matrices\":[[9 entries row-major],...],\"targets\":[...]}}, "
          "targets[t-1] = (M_1 ... M_t)_ij mod P\n"
          "  imm-z    N random 3x3 matrices, entries -1, 0, 1 with probabilities 0.45, 0.10, 0.45: "
          "{{\"matrices\":[...],\"label\":0|1}}, label 1 iff (M_1 ... M_N)_00 = 0 over the integers; balanced as sdgc, "
          "by rejection\n\n"
          "Examples:\n"
          "  rnncc task sdgc --n 100 --count 1000 --seed 1 -o sdgc.jsonl\n"
          "  rnncc task sdgc --n 20 --count 4 --encoding binary --graphs forward\n"
          "  rnncc task imm-mod --n 300 --count 1000 --modulus 97 -o imm_mod.jsonl\n"
          "  rnncc task imm-z --n 100 --count 1000 --seed 7 > imm_z.jsonl",
          proofs::kDefaultImmModulus));
  cmd->add_option("task", o->task, "sdgc, imm-mod or imm-z")->required()->type_name("TASK");
  cmd->add_option("--n", o->n,
                  fmt::format("N: nodes for sdgc ({}..{}), matrices for imm-mod and imm-z ({}..{})", proofs::kMinSdgcNodes,
                              proofs::kMaxSdgcNodes, proofs::kMinImmMatrices, proofs::kMaxImmMatrices))
      ->capture_default_str()
      ->type_name("N");
  cmd->add_option("--count", o->count, fmt::format("K: instances to write (1..{})", proofs::kMaxTaskCount))
      ->capture_default_str()
      ->type_name("K");
  add_seed_option(cmd, o->seed, "seed of the splitmix64 stream that draws every instance");
  cmd->add_option("--modulus", o->modulus,
                  fmt::format("imm-mod only: the prime P (below 2^62; default {}, rnncc's choice: the paper gives none)",
                              proofs::kDefaultImmModulus))
      ->type_name("P");
  cmd->add_option("--encoding", o->encoding,
                  "sdgc only: unary (Def 11: 1^s | 1^i > 1^j | ... ? 1^t, the default) or binary (the numbers in binary, "
                  "most significant bit first)")
      ->type_name("unary|binary");
  cmd->add_option("--graphs", o->graphs,
                  "sdgc only: paths (App. G's generator: two disjoint paths from a random bucketing; the default) or "
                  "forward (random sorted forward graphs with random source < target)")
      ->type_name("paths|forward");
  cmd->add_option("-o,--output", o->out, "file to write (atomically) instead of standard output")->type_name("FILE");
  cmd->callback([&action, o, cmd] {
    action = [o, cmd] {
      proofs::TaskOptions t;
      const std::optional<proofs::TaskKind> kind = proofs::parse_task(o->task);
      if (!kind) throw Error("task: expected sdgc, imm-mod or imm-z, got '" + o->task + "'");
      t.task = *kind;
      t.n = parse_whole("--n", o->n);
      t.count = parse_whole("--count", o->count);
      t.seed = o->seed;
      if (cmd->count("--modulus")) t.modulus = parse_whole("--modulus", o->modulus);
      if (cmd->count("--encoding")) {
        t.encoding = proofs::parse_sdgc_encoding(o->encoding);
        if (!t.encoding) throw Error("--encoding: expected unary or binary, got '" + o->encoding + "'");
      }
      if (cmd->count("--graphs")) {
        t.graphs = proofs::parse_sdgc_graphs(o->graphs);
        if (!t.graphs) throw Error("--graphs: expected paths or forward, got '" + o->graphs + "'");
      }
      proofs::check_task_options(t);  // every flag checked before any output
      proofs::TaskSummary summary;
      {
        ProgressLine progress(fmt::format("task {}", proofs::task_name(t.task)));
        // No progress line between instances that go to the same terminal.
        const bool quiet = o->out.empty() && ::isatty(1) != 0;
        auto tick = [&progress, quiet](std::size_t done, std::size_t total) {
          if (!quiet) progress(done, total);
        };
        if (o->out.empty()) {
          try {
            summary = proofs::write_task_jsonl(t, std::cout, tick);
          } catch (const Error&) {
            if (!std::ferror(stdout)) throw;
            return 2;  // main says "cannot write standard output: REASON", once
          }
          std::cout.flush();
        } else {
          circuits::io::write_file_atomic(o->out, [&](std::ostream& os) {
            errno = 0;
            try {
              summary = proofs::write_task_jsonl(t, os, tick);
            } catch (const Error&) {
              if (os) throw;
              const int err = errno;  // the failed write's
              throw Error(fmt::format("cannot write {}: {}", o->out, std::strerror(err ? err : EIO)));
            }
          });
        }
      }
      const std::string line = fmt::format("rnncc task {}; written to {}\n", proofs::task_summary_text(t, summary),
                                           o->out.empty() ? std::string("standard output") : o->out);
      std::fwrite(line.data(), 1, line.size(), stderr);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
