#pragma once
// The embedded SCTs of a Fulcio leaf checked against the CT logs of a
// Sigstore trusted root: proof that the certificate was logged, so that a
// mis-issued one can be found (RFC 6962; Sigstore's client spec asks for one).
#include <cstddef>
#include <vector>

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// How many distinct CT logs of `ctlogs` vouch for `leaf`: an SCT counts when
// its log id names a log of `ctlogs` (TransparencyLog::log_id), that log's
// validity holds at the SCT's time (whole seconds), and its signature
// verifies with that log's key over the precertificate entry made from
// `leaf` (without its SCT list) and `issuer`'s key hash (`issuer`: the CA
// certificate that issued `leaf`, crypto::find_issuer). SCTs of unknown logs,
// outside their log's validity, or with a bad signature are not counted; two
// SCTs of one log count once. The caller compares the count with its
// threshold. Refusals (verify errors): a leaf without the SCT list extension
// ("the signing certificate carries no embedded SCTs"); a list that does not
// parse ("the signing certificate's SCT list: " + parse_sct_list's refusal).
Result<std::size_t> verify_embedded_scts(const crypto::Certificate& leaf, const crypto::Certificate& issuer,
                                         const std::vector<sigstore::TransparencyLog>& ctlogs);

}  // namespace chartprov::app
