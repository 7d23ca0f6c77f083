// rnncc passes [NAME]: the registered passes, or one pass's flags.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "circuits/error.hpp"
#include "compiler/pipeline.hpp"
#include "tools/commands.hpp"
#include "tools/load.hpp"

namespace rnncc::tools {

namespace {

nlohmann::ordered_json param_json(const compiler::ParamSpec& p) {
  static const char* kTypes[] = {"choice", "flag", "count", "text"};
  nlohmann::ordered_json j;
  j["name"] = p.name;
  j["flag"] = "--" + p.name;
  if (p.short_flag) j["short"] = std::string("-") + p.short_flag;
  j["type"] = kTypes[static_cast<int>(p.type)];
  if (p.type == compiler::ParamSpec::Type::Choice) j["choices"] = p.choices;
  if (p.type == compiler::ParamSpec::Type::Count) {
    j["min"] = p.min;
    j["max"] = p.max;
  }
  j["default"] = p.default_value;
  j["help"] = p.help;
  return j;
}

std::string pass_text(const compiler::Pass& pass) {
  std::string s = fmt::format("{}: {}\n", pass.name(), pass.help());
  const auto params = pass.params();
  if (params.empty()) return s + "  (no flags)\n";
  for (const compiler::ParamSpec& p : params) {
    const std::string flag = p.short_flag ? fmt::format("-{}, --{}", p.short_flag, p.name) : "--" + p.name;
    const bool valued = p.type != compiler::ParamSpec::Type::Flag;
    s += fmt::format("  {}{}\n      {}\n      accepts {}; default {}\n", flag, valued ? " VALUE" : "", p.help,
                     compiler::accepted_values(p), valued ? p.default_value : "off");
  }
  return s;
}

}  // namespace

void add_passes(CLI::App& app, Action& action) {
  struct Opts {
    std::string name;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "passes",
      "List the passes that pass scripts (-p) can run, with their help; with a NAME, that pass's flags with "
      "their accepted values and defaults.\n\nExamples:\n  rnncc passes\n  rnncc passes lift-scan\n"
      "  rnncc report examples/specs/dplr.toml -T 256 -p 'lift-scan -n sklansky; balance'");
  cmd->add_option("name", o->name, "a pass");
  cmd->add_flag("--json", o->json, "print the passes and their flags as JSON");
  cmd->callback([&action, o] {
    action = [o] {
      const compiler::PassRegistry& registry = compiler::pass_registry();
      std::vector<const compiler::Pass*> shown;
      if (o->name.empty()) {
        for (const auto& p : registry.passes()) shown.push_back(p.get());
      } else {
        const compiler::Pass* p = registry.find(o->name);
        if (!p) throw Error(fmt::format("unknown pass '{}': expected one of {}", o->name, registry.names()));
        shown.push_back(p);
      }
      std::string out;
      if (o->json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const compiler::Pass* p : shown) {
          nlohmann::ordered_json j;
          j["name"] = p->name();
          j["help"] = p->help();
          j["params"] = nlohmann::ordered_json::array();
          for (const compiler::ParamSpec& ps : p->params()) j["params"].push_back(param_json(ps));
          a.push_back(std::move(j));
        }
        out = json_text(a) + "\n";
      } else if (o->name.empty()) {
        std::size_t w = 0;
        for (const compiler::Pass* p : shown) w = std::max(w, p->name().size());
        out = "Passes (run them with -p 'NAME [FLAGS]; NAME ...'; rnncc passes NAME for the flags):\n";
        for (const compiler::Pass* p : shown) out += fmt::format("  {:<{}}  {}\n", p->name(), w, p->help());
      } else {
        out = pass_text(*shown[0]);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return 0;
    };
  });
}

}  // namespace rnncc::tools
