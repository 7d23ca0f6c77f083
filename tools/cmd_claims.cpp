// rnncc claims: runs the paper's checkable claims and errata (proofs/claims.hpp) and prints the
// table, as text, JSON or markdown (docs/claims.md is this command's --markdown output). Thin:
// the rows, checks and formats live in proofs/.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "proofs/claims.hpp"
#include "proofs/claims_nonlinear.hpp"
#include "tools/commands.hpp"

#ifndef RNNCC_EXAMPLES_DIR
#define RNNCC_EXAMPLES_DIR "examples/specs"
#endif

namespace rnncc::tools {

void add_claims(CLI::App& app, Action& action) {
  struct Opts {
    bool json = false, markdown = false;
    std::string only, inject, examples;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "claims",
      "Run the paper's checkable claims (1-16) and its errata (E1...) and print one row each: id, claim, paper "
      "location, what ran, the measured result and a verdict (pass, fail, confirmed, not-checkable). Every verdict "
      "comes from what ran in this invocation (fixed seeds: the output is the same on every run). Exit 1 when a "
      "row fails. Progress goes to stderr.\n\nExamples:\n"
      "  rnncc claims\n  rnncc claims --only 1,5,E1 --json\n  rnncc claims --markdown > docs/claims.md");
  cmd->add_flag("--json", o->json,
                "print {\"claims\": [{\"id\", \"claim\", \"source\", \"ran\", \"measured\", \"verdict\"}, ...]}");
  cmd->add_flag("--markdown", o->markdown,
                "print docs/claims.md: an introduction, the table in markdown and (without --only) the depth table of "
                "the SDGC RNN against the linear constructions");
  cmd->add_option("--only", o->only, "run only these rows: ids separated by commas, e.g. 2,5,E1");
  cmd->add_option("--inject-fault", o->inject,
                  "self-test: break the construction of these rows on purpose (ids separated by commas); each "
                  "must then fail");
  cmd->add_option("--examples", o->examples,
                  "directory of the example specs the rows sweep (default: examples/specs when it exists here, "
                  "else the source tree's)");
  cmd->callback([&action, o] {
    action = [o] {
      if (o->json && o->markdown) throw Error("claims: --json and --markdown exclude each other");
      const std::vector<const proofs::ClaimRow*> rows = proofs::select_rows(o->only);
      std::vector<const proofs::ClaimRow*> broken;
      if (!o->inject.empty()) broken = proofs::select_rows(o->inject);
      proofs::ClaimContext ctx;
      ctx.examples_dir = !o->examples.empty()                              ? o->examples
                         : std::filesystem::is_directory("examples/specs") ? std::string("examples/specs")
                                                                           : std::string(RNNCC_EXAMPLES_DIR);
      std::vector<proofs::ClaimOutcome> outcomes;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const proofs::ClaimRow& row = *rows[i];
        std::fprintf(stderr, "claims: [%zu/%zu] %s%s\n", i + 1, rows.size(), row.id.c_str(),
                     row.check ? "" : " (not checkable)");
        ctx.broken = false;
        for (const proofs::ClaimRow* b : broken) ctx.broken = ctx.broken || b == rows[i];
        ctx.progress = [&row](const std::string& stage) {
          std::fprintf(stderr, "claims:   %s: %s\n", row.id.c_str(), stage.c_str());
        };
        outcomes.push_back(proofs::run_claim(row, ctx));
        std::fprintf(stderr, "claims: %s %s\n", row.id.c_str(),
                     std::string(proofs::verdict_name(outcomes.back().verdict)).c_str());
      }
      std::string out = o->json       ? proofs::claims_json(outcomes)
                        : o->markdown ? proofs::claims_markdown(outcomes)
                                      : proofs::claims_text(outcomes);
      // docs/claims.md (every row) ends with the depth table of the nonlinear and linear constructions.
      if (o->markdown && o->only.empty()) {
        std::fprintf(stderr, "claims: the depth table\n");
        ctx.broken = false;
        ctx.progress = [](const std::string& stage) { std::fprintf(stderr, "claims:   %s\n", stage.c_str()); };
        out += proofs::depth_table_markdown(ctx);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return proofs::claims_exit_code(outcomes);
    };
  });
}

}  // namespace rnncc::tools
