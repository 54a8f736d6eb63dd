#pragma once
// What a transparency-log entry body must say about the signature being
// verified (FORMAT.md F): filled by the verifier from the bundle, compared
// with the body by check_entry_body (rekor_entry.hpp).
#include <optional>
#include <string>

#include "util/bytes.hpp"

namespace chartprov::tlog {

// A digest as protobuf-specs HashOutput names it.
struct SignedDigest {
  std::string algorithm;  // SHA2_256 | SHA2_384 | SHA2_512
  Bytes digest;
};

// The chart a signature is for (Chart.yaml's name and version).
struct ExpectedChart {
  std::string name;
  std::string version;
};

struct ExpectedEntry {
  Bytes signature;  // the bundle's signature bytes
  // Rekor v1 hashedrekord 0.0.1: the artifact's SHA-256 (hex).
  std::optional<std::string> sha256_hex;
  // DSSE in Rekor v1 dsse 0.0.1 / intoto 0.0.2 and Rekor v2 dsse 0.0.2: SHA-256 of the envelope's payload (hex).
  std::optional<std::string> payload_sha256_hex;
  // Rekor v2 hashedrekord 0.0.2: the digest the signature is over. A message
  // signature: the messageDigest (the artifact's digest). A DSSE envelope
  // ("hashedrekord-over-DSSE", rekor-tiles; sigstore-go reconstructV2EntryHash):
  // the digest of PAE(payloadType, payload), with the hash of the signing key's
  // algorithm (SHA-256 for ECDSA P-256), never the payload's digest.
  std::optional<SignedDigest> signed_digest;
  // Rekor v2 verifiers: the keyDetails the signing key's algorithm has
  // (PKIX_ECDSA_P256_SHA_256, ...); not compared when unset.
  std::optional<std::string> key_details;
  // What verified the signature, which the body must name: the bundle's leaf
  // certificate (DER) when it has one, else its public key (DER SPKI). One of
  // the two must be set: a body is never accepted for an unstated key.
  std::optional<Bytes> certificate_der;
  std::optional<Bytes> spki;
  // chartprov's log (tlog/chart_entry.hpp): a Rekor v2 body with a
  // "chartprov" member must name this chart. Unset (a blob, not a chart): not
  // compared.
  std::optional<ExpectedChart> chart;
};

}  // namespace chartprov::tlog
