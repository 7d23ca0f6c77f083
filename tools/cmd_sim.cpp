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
#include "sim/precision.hpp"
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

// "gate 57 = y[8][0] (add, from diagonal.h, step 8)": id, label when it has one, kind, origin.
std::string precision_gate_text(const circuits::Circuit& c, circuits::GateId g) {
  std::string t = fmt::format("gate {}", g);
  const std::string label = circuits::gate_label(c, g);
  if (label != "g" + std::to_string(g)) t += " = " + label;
  const circuits::Origin& origin = c.origin(g);
  t += " (" + std::string(circuits::mnemonic(c.op(g)));
  if (!origin.construct.empty()) t += ", from " + origin.construct;
  if (origin.step) t += fmt::format(", step {}", origin.step);
  return t + ")";
}

// The precision after the outputs: the largest bit length, the gate with it, and the largest of
// each step's state gates (the first and last 6 steps when there are more than 12).
std::string precision_text(const circuits::Circuit& c, const sim::Precision& p,
                           const std::vector<sim::StepPrecision>& steps) {
  std::string out = fmt::format("precision: {} bits over {} instance{} (numerator + denominator bits, the largest of "
                                "any gate's value)",
                                p.bits, p.instances, p.instances == 1 ? "" : "s");
  if (p.gate != circuits::kNoGate) out += ", at " + precision_gate_text(c, p.gate);
  out += '\n';
  if (steps.empty()) return out;
  out += fmt::format("bits by step (the largest of the step's state gates), {} step{}:", steps.size(),
                     steps.size() == 1 ? "" : "s");
  constexpr std::size_t kEnds = 6;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps.size() > 2 * kEnds && i == kEnds) {
      out += " ...";
      i = steps.size() - kEnds;
    }
    if (steps[i].bits)
      fmt::format_to(std::back_inserter(out), " {}:{}", steps[i].step, steps[i].bits);
    else  // none of its gates was simulated (an initial state folded away, say)
      fmt::format_to(std::back_inserter(out), " {}:-", steps[i].step);
  }
  return out + '\n';
}

nlohmann::ordered_json precision_json(const circuits::Circuit& c, const sim::Precision& p,
                                      const std::vector<sim::StepPrecision>& steps) {
  nlohmann::ordered_json j;
  j["bits"] = p.bits;
  j["instances"] = p.instances;
  if (p.gate == circuits::kNoGate) {
    j["gate"] = nullptr;
  } else {
    nlohmann::ordered_json g;
    g["id"] = p.gate;
    g["kind"] = std::string(circuits::mnemonic(c.op(p.gate)));
    g["label"] = circuits::gate_label(c, p.gate);
    const circuits::Origin& origin = c.origin(p.gate);
    if (!origin.construct.empty() || origin.step) g["origin"] = {{"construct", origin.construct}, {"step", origin.step}};
    j["gate"] = std::move(g);
  }
  if (!steps.empty()) {
    j["per_step"] = nlohmann::ordered_json::array();
    for (const sim::StepPrecision& sp : steps) {
      nlohmann::ordered_json e;
      e["step"] = sp.step;
      e["bits"] = sp.bits;
      e["gate"] = sp.gate == circuits::kNoGate ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(sp.gate);
      j["per_step"].push_back(std::move(e));
    }
  }
  return j;
}

// --precision-gates FILE: "gate bits" lines, one per live gate, after two comment lines.
std::string precision_gates_text(const sim::Precision& p) {
  std::string out = fmt::format(
      "# precision per gate: the largest bit length (numerator + denominator) of its value over {} instance{}\n"
      "# gate bits\n",
      p.instances, p.instances == 1 ? "" : "s");
  for (std::size_t g = 0; g < p.gate_bits.size(); ++g)
    if (p.gate_bits[g]) fmt::format_to(std::back_inserter(out), "{} {}\n", g, p.gate_bits[g]);
  return out;
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
    bool precision = false;
    std::string precision_gates;
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
      "  rnncc sim big.aig --random 65536 --device gpu          # the CUDA simulator\n"
      "  rnncc sim examples/specs/diagonal.toml -T 64 --domain exact --random 16 --precision   # bits against t\n"
      "  rnncc sim examples/specs/dense.toml -T 16 --domain exact --random 8 --precision-gates bits.txt  # every gate");
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
  cmd->add_flag("--precision", o->precision,
                "exact domain: also print the precision of the run (docs/measures.md): the largest bit length of "
                "any gate's value over the instances (bits of |numerator| plus bits of the denominator, 0 counting "
                "1 bit: 7/12 has 3 + 4), the gate with it, and the largest of each step's state gates");
  cmd->add_option("--precision-gates", o->precision_gates,
                  "exact domain: write every live gate's precision to this file (written atomically), one 'gate "
                  "bits' line each; implies --precision");
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
      const bool precision = o->precision || !o->precision_gates.empty();
      if (precision && d.kind != DomainKind::Exact)
        throw Error(fmt::format("{}: the precision (bit lengths of exact values) is measured in the exact domain only, "
                                "and this run is in {}: give --domain exact",
                                o->precision ? "--precision" : "--precision-gates", circuits::domain_name(d.kind)));
      Instances from_file;
      if (!o->inputs.empty()) from_file = read_instances(o->inputs, l, d);
      else if (o->random == 0) throw Error("--random: give at least 1 instance");
      const std::size_t K = o->inputs.empty() ? o->random : from_file.size();
      const std::size_t lanes = std::min(K, o->batch ? o->batch : K);
      const circuits::Schedule s =
          precision ? circuits::levelize(c, d.kind, {.gate_map = true})  // exact: the CPU simulator
                    : schedule_for(o->device, c, d.kind, d.kind == DomainKind::Bool ? sim::bool_words(lanes) : lanes);
      sim::BatchOptions bo;
      bo.batch = o->batch;
      bo.modulus = d.modulus;
      bo.sim.threads = o->threads;
      sim::Precision prec;
      if (precision) bo.sim.precision = &prec;
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
        if (precision) j["precision"] = precision_json(c, prec, sim::precision_by_step(c, prec));
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
        if (precision) out += precision_text(c, prec, sim::precision_by_step(c, prec));
      }
      if (!o->precision_gates.empty()) circuits::io::write_file_atomic(o->precision_gates, precision_gates_text(prec));
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
