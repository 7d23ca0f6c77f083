// rnncc sim FILE|SPEC: the levelized simulator on given or random instances.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "circuits/analysis.hpp"
#include "circuits/decode.hpp"
#include "circuits/error.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/text.hpp"
#include "circuits/levelize.hpp"
#include "compiler/instance_file.hpp"
#include "compiler/input_sequence.hpp"
#include "compiler/spec_toml.hpp"
#include "sim/instances.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"
#include "tools/progress.hpp"
#include "tools/sim_support.hpp"

namespace rnncc::tools {

namespace {

using circuits::DomainKind;
using Instances = std::vector<std::vector<mpq_class>>;

// The --inputs file (compiler/instance_file.hpp), checked against the domain `d`.
Instances read_instances(const std::string& path, const Loaded& l, const DomainChoice& d) {
  const std::string text = circuits::io::read_file(path);
  return compiler::parse_instances(text, path, l.circuit, l.spec ? &*l.spec : nullptr, l.T, d.kind, d.modulus);
}

}  // namespace

void add_sim(CLI::App& app, Action& action) {
  struct Opts {
    std::string file, inputs;
    std::optional<std::uint64_t> T;
    DomainOptions dom;
    PassOptions passes;
    std::size_t random = 1, batch = 0;
    std::uint64_t seed = 1;
    int threads = 0;
    std::string device = "cpu";
    bool json = false;
    bool raw = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "sim",
      "Evaluate a circuit, or a spec unrolled for T steps, on a batch of instances with the levelized "
      "simulator (OpenMP across the gates of a level, or across lane tiles for large batches) and print every "
      "instance's outputs by name.\n\n"
      "Input files hold one instance per line: the values of the inputs in input order, name=value "
      "pairs, or for alphabet specs the T symbols of a sequence ('#' starts a comment).\n\nExamples:\n"
      "  rnncc sim examples/specs/diagonal.toml -T 8 --domain exact --random 4 --seed 7\n"
      "  rnncc sim examples/circuits/adder4.aag --random 3 --json\n"
      "  rnncc sim examples/specs/diagonal.toml -T 4 --inputs seqs.txt   # lines like: a b a c\n"
      "  rnncc sim big.aig --domain bool --random 65536 --threads 2\n"
      "  rnncc sim big.aig --random 65536 --device gpu          # the CUDA simulator");
  cmd->add_option("file", o->file, "circuit file (.rc, .aig, .aag) or spec (.toml)")->required();
  add_T_option(cmd, o->T);
  add_domain_options(cmd, o->dom);
  add_pass_options(cmd, o->passes, false);
  auto* in = cmd->add_option("--inputs", o->inputs, "file with one instance per line");
  cmd->add_option("--random", o->random,
                  "simulate K random instances (models.md: symbol sequences for alphabet specs, dyadic values "
                  "k/2^16 otherwise, bits in bool)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40))
      ->capture_default_str()
      ->excludes(in);
  add_seed_option(cmd, o->seed, "seed of the random instances (splitmix64)");
  cmd->add_option("--batch", o->batch, "instances per simulator run (lanes); 0: all at once, or as many as keep a run's inputs within 64 MiB")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 40));
  add_threads_option(cmd, o->threads, "OpenMP threads; 0: every core");
  add_device_option(cmd, o->device);
  cmd->add_flag("--raw", o->raw,
                "print every output as it is; by default values carried by several outputs (bits of a word, "
                "num/den pairs, numerators over C^E: what lower-int and lower-bool make) are decoded");
  cmd->add_flag("--json", o->json,
                "print {\"outputs\": [{name: value, ...}, ...], \"gate_evals_per_s\": ...} (exact values as "
                "\"p/q\" strings, residues as decimal strings)");
  cmd->callback([&action, o] {
    action = [o] {
      const compiler::Script script = o->passes.parse();  // refuse a bad script before work
      Loaded l = load_circuit_or_spec(o->file, o->T);
      apply_passes(l, script, o->passes);
      const circuits::Circuit& c = l.circuit;
      const DomainChoice d = choose_domain(o->dom, l);
      Instances from_file;
      if (!o->inputs.empty()) from_file = read_instances(o->inputs, l, d);
      else if (o->random == 0) throw Error("--random: give at least 1 instance");
      const std::size_t K = o->inputs.empty() ? o->random : from_file.size();
      const std::size_t lanes = std::min(K, o->batch ? o->batch : K);
      const circuits::Schedule s =
          schedule_for(o->device, c, d.kind, d.kind == DomainKind::Bool ? sim::bool_words(lanes) : lanes);
      sim::BatchOptions bo;
      bo.batch = o->batch;
      bo.modulus = d.modulus;
      bo.sim.threads = o->threads;
      const std::unique_ptr<sim::Engine> engine = make_engine(o->device, s, d.modulus);
      bo.engine = engine.get();
      ProgressLine progress("simulating (instances)");
      bo.progress = std::ref(progress);
      sim::SimStats st;
      const sim::InstanceValues v = o->inputs.empty()
                                        ? sim::simulate_instances(s, K, random_instances(l, d.kind, o->seed), bo, &st)
                                        : sim::simulate_instances(s, from_file, bo, &st);

      // Values carried by several outputs (bits of a word, num/den, C^E scales) are put back
      // together, unless --raw asks for the outputs themselves.
      const circuits::OutputLayout layout(c);
      const bool decode = !o->raw && !layout.trivial() && (d.kind == DomainKind::Exact || d.kind == DomainKind::Bool);
      std::vector<std::string> names;
      std::vector<std::vector<std::string>> shown(v.instances);
      if (decode) {
        for (const circuits::DecodedValue& dv : layout.values()) names.push_back(dv.name);
        std::vector<mpq_class> raw(v.outputs);
        for (std::size_t k = 0; k < v.instances; ++k) {
          for (std::size_t i = 0; i < v.outputs; ++i)
            raw[i] = d.kind == DomainKind::Bool ? mpq_class(static_cast<unsigned long>(v.modp_or_bool[k * v.outputs + i]))
                                                : v.exact[k * v.outputs + i];
          for (const mpq_class& x : layout.decode(raw.data())) shown[k].push_back(x.get_str());
        }
      } else {
        for (const circuits::Output& output : c.outputs()) names.push_back(output.name);
        for (std::size_t k = 0; k < v.instances; ++k)
          for (std::size_t i = 0; i < v.outputs; ++i) shown[k].push_back(v.format(k, i));
      }
      const bool quoted = decode || (d.kind != DomainKind::Real && d.kind != DomainKind::Bool);

      std::string out;
      if (o->json) {
        nlohmann::ordered_json j;
        j["domain"] = circuits::domain_name(d.kind);
        if (d.kind == DomainKind::Modp) j["modulus"] = std::to_string(d.modulus);
        j["instances"] = K;
        j["gates"] = s.num_gates();
        j["levels"] = s.num_levels();
        j["outputs"] = nullptr;  // written below: an ordered_json object finds keys by linear search
        j["seconds"] = st.seconds;
        j["gate_evals"] = st.gate_evals;
        j["gate_evals_per_s"] = st.gate_evals_per_s();
        j["device"] = engine ? "gpu" : "cpu";
        if (engine) {
          j["gpu"] = engine->describe();
          j["transfer_seconds"] = st.transfer_seconds;
        } else {
          j["threads"] = st.threads;
        }
        j["batch"] = st.batch;
        if (decode) j["decoded"] = true;
        std::vector<std::string> keys;  // "name":
        for (const std::string& name : names) keys.push_back(json_text(nlohmann::json(name)) + ":");
        std::string outs = "[";
        for (std::size_t k = 0; k < v.instances; ++k) {
          outs += k ? ",{" : "{";
          for (std::size_t i = 0; i < names.size(); ++i) {
            if (i) outs += ',';
            outs += keys[i];
            if (!decode && d.kind == DomainKind::Real)
              outs += nlohmann::json(v.real[k * v.outputs + i]).dump();
            else if (quoted)
              (outs += '"') += shown[k][i] += '"';  // digits, '-' and '/': nothing to escape
            else
              outs += shown[k][i];
          }
          outs += '}';
        }
        outs += ']';
        out = json_text(j);
        const std::string placeholder = "\"outputs\":null";
        out.replace(out.find(placeholder), placeholder.size(), "\"outputs\":" + outs);
        out += '\n';
      } else {
        out = fmt::format("{}: {} instance{}, {} gates in {} levels, {} domain{}\n", c.name.empty() ? o->file : c.name,
                          K, K == 1 ? "" : "s", s.num_gates(), s.num_levels(),
                          circuits::domain_name(d.kind),
                          d.kind == DomainKind::Modp ? fmt::format(" (p = {})", d.modulus) : "");
        for (std::size_t k = 0; k < v.instances; ++k) {
          fmt::format_to(std::back_inserter(out), "#{}", k + 1);
          for (std::size_t i = 0; i < names.size(); ++i)
            fmt::format_to(std::back_inserter(out), " {}={}", names[i], shown[k][i]);
          out += '\n';
        }
        const std::string where = engine ? fmt::format("{}; {:.3f} ms copying", engine->describe(), st.transfer_seconds * 1e3)
                                         : fmt::format("{} thread{}", st.threads, st.threads == 1 ? "" : "s");
        out += fmt::format("{:.3f} ms, {:.3g} gate evaluations/s ({})\n", st.seconds * 1e3, st.gate_evals_per_s(), where);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
