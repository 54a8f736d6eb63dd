#pragma once
// The witness cosignatures a policy asks for (policy.yaml's
// transparency_log: witnesses:, policy/log_requirement.hpp), checked on the
// checkpoints of the chart's verified log entries: the cryptography the pure
// policy leaves to app/verify.
#include "policy/evidence.hpp"
#include "policy/policy.hpp"

namespace chartprov::app {

// For every verified log entry of every envelope, the witness vkeys listed
// by any rule of `policy` whose C2SP cosignature (tlog::cosigned_at) on the
// entry's checkpoint verifies are added to LogInclusion::witnesses. A vkey
// whose key id is not its key's (SHA-256(name || 0x0A || 0x04 || key)[:4])
// never counts. Reads only its arguments; never fails (a cosignature that
// does not verify is simply not there).
void add_witness_cosignatures(const policy::Policy& policy, policy::Evidence& evidence);

}  // namespace chartprov::app
