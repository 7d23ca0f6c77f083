#include "compiler/pipeline.hpp"

#include <fmt/format.h>

#include <chrono>
#include <charconv>

#include "circuits/error.hpp"

namespace rnncc::compiler {

// ---- parameters ----

std::string accepted_values(const ParamSpec& p) {
  switch (p.type) {
    case ParamSpec::Type::Choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < p.choices.size(); ++i)
        s += (i == 0 ? "" : i + 1 == p.choices.size() ? " or " : ", ") + p.choices[i];
      return s;
    }
    case ParamSpec::Type::Flag: return "no value (a flag)";
    case ParamSpec::Type::Count:
      return p.max == UINT64_MAX ? fmt::format("an integer >= {}", p.min)
                                 : fmt::format("an integer in [{}, {}]", p.min, p.max);
    case ParamSpec::Type::Text: return "text";
  }
  return {};
}

const std::string& PassArgs::get(std::string_view name) const {
  for (const auto& [k, v] : values_)
    if (k == name) return v;
  throw Error(fmt::format("internal: no pass parameter '{}'", name));
}

const std::string& PassArgs::text(std::string_view name) const { return get(name); }
bool PassArgs::flag(std::string_view name) const { return get(name) == "true"; }
std::uint64_t PassArgs::count(std::string_view name) const {
  const std::string& s = get(name);
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

void PassArgs::set(std::string name, std::string value) {
  for (auto& [k, v] : values_)
    if (k == name) {
      v = std::move(value);
      return;
    }
  values_.emplace_back(std::move(name), std::move(value));
}

// ---- passes ----

PassResult PassResult::refused(std::string why, std::vector<Counter> counters) {
  PassResult r;
  r.refusal = std::move(why);
  r.counters = std::move(counters);
  return r;
}

void PassRegistry::add(std::unique_ptr<Pass> pass) {
  const std::string_view name = pass->name();
  if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos)
    throw Error(fmt::format("pass name '{}': use lower-case letters, digits and '-'", name));
  if (find(name)) throw Error(fmt::format("pass '{}' is registered twice", name));
  passes_.push_back(std::move(pass));
}

const Pass* PassRegistry::find(std::string_view name) const {
  for (const auto& p : passes_)
    if (p->name() == name) return p.get();
  return nullptr;
}

std::string PassRegistry::names() const {
  std::string s;
  for (const auto& p : passes_) s += (s.empty() ? "" : ", ") + std::string(p->name());
  return s;
}

namespace passes {
#define RNNCC_PASS(id) std::unique_ptr<Pass> make_##id##_pass();
#include "compiler/passes/builtin.def"
#undef RNNCC_PASS
}  // namespace passes

PassRegistry& pass_registry() {
  static PassRegistry* registry = [] {
    auto* r = new PassRegistry;  // never destroyed: passes may be used from static destructors
#define RNNCC_PASS(id) r->add(passes::make_##id##_pass());
#include "compiler/passes/builtin.def"
#undef RNNCC_PASS
    return r;
  }();
  return *registry;
}

// ---- scripts ----

namespace {

std::string flag_label(const ParamSpec& p) {
  return p.short_flag ? fmt::format("-{}/--{}", p.short_flag, p.name) : "--" + p.name;
}

std::string flags_accepted(const Pass& pass, const std::vector<ParamSpec>& specs) {
  if (specs.empty()) return fmt::format("pass '{}' takes no flags", pass.name());
  std::string s;
  for (const ParamSpec& p : specs)
    s += (s.empty() ? "" : ", ") + flag_label(p) + (p.type == ParamSpec::Type::Flag ? "" : " (" + accepted_values(p) + ")");
  return fmt::format("pass '{}' accepts {}", pass.name(), s);
}

// Splits on whitespace.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string check_value(const Pass& pass, const ParamSpec& p, std::string_view value) {
  const std::string flag = flag_label(p);
  switch (p.type) {
    case ParamSpec::Type::Choice:
      for (const std::string& c : p.choices)
        if (c == value) return c;
      throw Error(fmt::format("-p: pass '{}': {}: unknown value '{}': expected {}", pass.name(), flag, value,
                              accepted_values(p)));
    case ParamSpec::Type::Count: {
      std::uint64_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() || v < p.min || v > p.max)
        throw Error(fmt::format("-p: pass '{}': {}: expected {}, got '{}'", pass.name(), flag, accepted_values(p), value));
      return std::to_string(v);
    }
    case ParamSpec::Type::Text:
      if (value.empty()) throw Error(fmt::format("-p: pass '{}': {}: expected a value", pass.name(), flag));
      return std::string(value);
    case ParamSpec::Type::Flag: break;
  }
  return std::string(value);
}

Invocation parse_invocation(const std::vector<std::string_view>& w, const PassRegistry& registry) {
  Invocation inv;
  inv.pass = registry.find(w[0]);
  if (!inv.pass)
    throw Error(fmt::format("-p: unknown pass '{}': expected one of {} (see rnncc passes)", w[0], registry.names()));
  const Pass& pass = *inv.pass;
  const std::vector<ParamSpec> specs = pass.params();
  for (const ParamSpec& p : specs) inv.args.set(p.name, p.default_value);
  for (std::size_t i = 1; i < w.size(); ++i) {
    std::string_view tok = w[i], value;
    bool has_value = false;
    const ParamSpec* spec = nullptr;
    if (tok.size() > 2 && tok.substr(0, 2) == "--") {
      std::string_view name = tok.substr(2);
      if (auto eq = name.find('='); eq != std::string_view::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      for (const ParamSpec& p : specs)
        if (p.name == name) spec = &p;
    } else if (tok.size() == 2 && tok[0] == '-') {
      for (const ParamSpec& p : specs)
        if (p.short_flag == tok[1]) spec = &p;
    }
    if (!spec) {
      const bool looks_like_flag = tok.size() > 1 && tok[0] == '-';
      throw Error(fmt::format("-p: pass '{}': {} '{}': {}", pass.name(), looks_like_flag ? "unknown flag" : "unexpected word",
                              tok, flags_accepted(pass, specs)));
    }
    if (spec->type == ParamSpec::Type::Flag) {
      if (has_value) throw Error(fmt::format("-p: pass '{}': {} takes no value", pass.name(), flag_label(*spec)));
      inv.args.set(spec->name, "true");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= w.size())
        throw Error(fmt::format("-p: pass '{}': {} needs a value: {}", pass.name(), flag_label(*spec), accepted_values(*spec)));
      value = w[++i];
    }
    inv.args.set(spec->name, check_value(pass, *spec, value));
  }
  return inv;
}

}  // namespace

std::string Invocation::text() const {
  std::string s(pass->name());
  for (const ParamSpec& p : pass->params()) {
    const std::string& v = args.text(p.name);
    if (p.type == ParamSpec::Type::Flag && v != "true") continue;
    if (p.type != ParamSpec::Type::Flag && !p.shown && v == p.default_value) continue;
    const std::string flag = p.short_flag ? fmt::format("-{}", p.short_flag) : "--" + p.name;
    s += p.type == ParamSpec::Type::Flag ? " " + flag : fmt::format(" {} {}", flag, v);
  }
  return s;
}

Script parse_script(std::string_view text, const PassRegistry& registry) {
  Script script;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(";\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::vector<std::string_view> w = words(text.substr(start, end - start));
    if (!w.empty()) script.push_back(parse_invocation(w, registry));
    start = end + 1;
  }
  return script;
}

std::string script_text(const Script& script) {
  std::string s;
  for (const Invocation& inv : script) s += (s.empty() ? "" : "; ") + inv.text();
  return s;
}

std::string shorthand_script(const std::string& scan, bool balance, bool not_free) {
  std::string s;
  if (scan != "none") s = "lift-scan -n " + scan;
  if (balance) s += std::string(s.empty() ? "" : "; ") + (not_free ? "balance --not-free" : "balance");
  return s;
}

// ---- running ----

const CounterValue* PassRecord::counter(std::string_view name) const {
  for (const Counter& c : counters)
    if (c.name == name) return &c.value;
  return nullptr;
}

std::string counter_text(const CounterValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return x;
        else if constexpr (std::is_same_v<T, double>) return fmt::format("{:.6g}", x);
        else return std::to_string(x);
      },
      v);
}

PipelineResult run_script(circuits::Circuit c, const Script& script, const PipelineOptions& o) {
  PipelineResult r;
  auto measure = [&](const circuits::Circuit& x, bool path) {
    return circuits::measure(x, {.not_free = o.not_free, .critical_path = path && o.critical_path});
  };
  r.measures = measure(c, script.empty());
  bool have_path = script.empty();
  for (std::size_t i = 0; i < script.size(); ++i) {
    const Invocation& inv = script[i];
    const bool last = i + 1 == script.size();
    if (o.on_start) o.on_start(inv);
    PassRecord rec;
    rec.pass = std::string(inv.pass->name());
    rec.invocation = inv.text();
    rec.params = inv.args.values();
    rec.size_before = r.measures.size;
    rec.depth_before = r.measures.depth;
    const auto t0 = std::chrono::steady_clock::now();
    PassResult res = inv.pass->run(c, inv.args);
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.counters = std::move(res.counters);
    rec.notes = std::move(res.notes);
    if (!res.circuit) {
      rec.refusal = res.refusal.empty() ? "refused" : std::move(res.refusal);
    } else {
      c = std::move(*res.circuit);
      r.measures = measure(c, last);
      have_path = last;
    }
    rec.size_after = r.measures.size;
    rec.depth_after = r.measures.depth;
    if (o.on_stage) o.on_stage(rec, c);
    r.records.push_back(std::move(rec));
  }
  if (o.critical_path && !have_path) r.measures = measure(c, true);
  r.circuit = std::move(c);
  return r;
}

std::string log_depth_problem(const std::vector<PassRecord>& records) {
  const PassRecord* scan = nullptr;
  for (const PassRecord& r : records)
    if (r.pass == "lift-scan") scan = &r;
  if (!scan) return "--require-log-depth needs a lift-scan pass (--scan NET or -p 'lift-scan -n NET')";
  if (scan->refused()) return "lift-scan refused: " + scan->refusal;
  const CounterValue* log = scan->counter("log_depth");
  if (log && std::holds_alternative<bool>(*log) && !std::get<bool>(*log))
    return "--require-log-depth: the serial network has linear depth";
  return {};
}

}  // namespace rnncc::compiler
