// Rendering of Measures for people (text: ABC-style one-liner, kind table, width profile,
// critical path, fan-out) and for programs (JSON, as in docs/measures.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "circuits/analysis.hpp"

namespace rnncc::tools {

// "name: in/out = 97/2 size = 12345 depth = 42 muldepth = 17 width = 900"
std::string summary_line(const circuits::Circuit& c, const circuits::Measures& m);
std::string report_text(const circuits::Circuit& c, const circuits::Measures& m);
nlohmann::ordered_json report_json(const circuits::Circuit& c, const circuits::Measures& m, bool not_free);

}  // namespace rnncc::tools
