// The checks of the nonlinear side of the paper (claims 10, 11, 13, 14, 15 and errata E2, E3,
// E7, E8) for the rows of proofs/claims.cpp, and the depth table of docs/claims.md.
#pragma once

#include <string>

#include "proofs/claims.hpp"

namespace rnncc::proofs {

Check check_sdgc_counter(const ClaimContext& ctx);      // 10
Check check_sdgc_size(const ClaimContext& ctx);         // 11
Check check_stack_margin(const ClaimContext& ctx);      // 13
Check check_cost_register(const ClaimContext& ctx);     // 14
Check check_equality_readout(const ClaimContext& ctx);  // 15
Check check_sink_target(const ClaimContext& ctx);       // E2
Check check_drain(const ClaimContext& ctx);             // E3
Check check_max_gadget(const ClaimContext& ctx);        // E7
Check check_base2_margin(const ClaimContext& ctx);      // E8

// Depth against T of the SDGC counter RNN (naive: lift-scan refuses it) next to the PD (dwfa),
// RWKV-7 and DeltaNet constructions after lift-scan -n sklansky, as a markdown section.
std::string depth_table_markdown(const ClaimContext& ctx);

}  // namespace rnncc::proofs
