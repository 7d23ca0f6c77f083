// What a construction's check reports, for a claims table: what ran, the measured result, and
// whether it matched what the paper states (or, for errata, what the correction states).
#pragma once

#include <string>

namespace rnncc::proofs {

struct CheckOutcome {
  std::string ran;       // e.g. "n = 1..9, 3 random matrices each; interpreter and lift-scan -n sklansky"
  std::string measured;  // e.g. "steps 14, 43, 88, …, 694 = 8n²+5n+1; every final state [xP | xP | 0]"
  bool ok = false;
};

}  // namespace rnncc::proofs
