// Keyless (certificate) Sigstore bundles verified in-process (issue 16):
// app::verify_certificate_bundle on three sigstore-conformance rows, with the
// trusted root parsed once outside the loop as a server would, and each part
// of it alone so that the time can be attributed:
//   rekor_v1  conf/happy-path-v0.3: message signature, Rekor v1 hashedrekord
//             (SET + inclusion proof + checkpoint), production root;
//   rekor_v2  conf/rekor2-happy-path: message signature, Rekor v2 (checkpoint,
//             Ed25519) + RFC 3161 timestamp, the row's staging root;
//   dsse      conf/happy-path-intoto-in-dsse-v3: DSSE in-toto, Rekor v1 dsse.
// The parts repeat what certificate_bundle.cpp and bundle_parts.cpp do, with
// the same functions, on the same inputs; each checks its own verdict so that
// a part that stopped verifying cannot time a refusal. bench/run-keyless-bench.sh
// runs this beside `openssl speed` and the hyperfine comparison with sigstore-js.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/verify/bundle_parts.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/certificate_bundle.hpp"
#include "app/verify/embedded_scts.hpp"
#include "app/verify/verify_blob.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/certificate_identity.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/timestamp.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "policy/identity.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/rekor_entry.hpp"
#include "util/file.hpp"

namespace {

using namespace chartprov;

const std::filesystem::path kDir = std::filesystem::path(CHARTPROV_BENCH_DATA) / "sigstore-keyless";
const std::string kIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const std::string kIssuer = "https://token.actions.githubusercontent.com";

struct Row {
  std::filesystem::path bundle_path, root_path, artifact_path;
  std::string bundle_text, root_text;
  Bytes artifact;
  sigstore::TrustedRoot root;
  sigstore::Bundle bundle;
  std::optional<crypto::Certificate> leaf;
  crypto::PKey key;
  std::vector<crypto::Certificate> ca_chain;  // the authority that issued the leaf, parsed
  std::optional<crypto::Certificate> issuer;  // its certificate that signed the leaf
  std::int64_t signed_at = 0;                 // the verified time the chain is checked at
  app::SignedContent content;
};

Row load(const std::string& name, const std::string& root) {
  Row r;
  r.bundle_path = kDir / "bundles/sigstore-conformance" / name / "bundle.sigstore.json";
  r.root_path = kDir / "roots" / root / "trusted_root.json";
  r.artifact_path = kDir / "artifacts/sigstore-conformance/a.txt";
  r.bundle_text = read_text_file(r.bundle_path, sigstore::kMaxBundle).value();
  r.root_text = read_text_file(r.root_path, sigstore::kMaxTrustedRoot).value();
  r.artifact = read_file(r.artifact_path).value();
  r.root = sigstore::parse_trusted_root(r.root_text).value();
  r.bundle = sigstore::parse_bundle(r.bundle_text).value();
  r.leaf = crypto::Certificate::parse_der(r.bundle.certificates.front()).value();
  r.key = r.leaf->public_key().value();
  r.content = app::check_signed_content(r.bundle, ByteView(r.artifact), std::nullopt, r.key).value();
  r.content.expected.certificate_der = r.leaf->der();
  r.content.expected.spki.reset();  // as verify_certificate_bundle does: the body must name the certificate
  const app::SignedTimes times = app::check_log_and_timestamps(r.bundle, r.root, r.content).value();
  r.signed_at = *std::min_element(times.verified_times.begin(), times.verified_times.end());
  for (const auto& ca : r.root.certificate_authorities) {
    if (!ca.valid.contains(r.signed_at)) continue;
    std::vector<crypto::Certificate> chain;
    for (const auto& der : ca.chain) chain.push_back(crypto::Certificate::parse_der(der).value());
    if (!crypto::verify_certificate_chain(*r.leaf, chain, r.signed_at, true).ok()) continue;
    r.ca_chain = std::move(chain);
    break;
  }
  if (const crypto::Certificate* i = crypto::find_issuer(*r.leaf, r.ca_chain)) r.issuer = *i;
  return r;
}

const Row& row(const std::string& which) {
  static const Row v1 = load("happy-path-v0.3", "production");
  static const Row v2 = load("rekor2-happy-path", "sigstore-conformance/rekor2-happy-path");
  static const Row dsse = load("happy-path-intoto-in-dsse-v3", "production");
  if (which == "rekor_v1") return v1;
  if (which == "rekor_v2") return v2;
  return dsse;
}

// ---- the whole check, trusted root parsed once --------------------------------------------

void BM_VerifyCertificateBundle(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto c = app::verify_certificate_bundle(ByteView(r.artifact), std::nullopt, r.bundle_text, r.root, 0);
    if (!c.verified) state.SkipWithError(c.reason.c_str());
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK_CAPTURE(BM_VerifyCertificateBundle, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_VerifyCertificateBundle, rekor_v2_tsa, std::string("rekor_v2"));
BENCHMARK_CAPTURE(BM_VerifyCertificateBundle, dsse, std::string("dsse"));

// What one `chartprov verify-blob` does after start-up: read the three files, parse the
// trusted root, verify, match the identity.
void BM_VerifyBlobFiles(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  app::BlobVerifyRequest req;
  req.artifact = r.artifact_path;
  req.bundle = r.bundle_path;
  req.trusted_root = r.root_path;
  req.identity = policy::IdentityRequirement{
      policy::TextMatch::exact(kIdentity).value(), policy::TextMatch::exact(kIssuer).value(), {}};
  for (auto _ : state) {
    auto rep = app::verify_blob(req);
    if (!rep || !rep->verified) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(rep);
  }
}
BENCHMARK_CAPTURE(BM_VerifyBlobFiles, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_VerifyBlobFiles, rekor_v2_tsa, std::string("rekor_v2"));
BENCHMARK_CAPTURE(BM_VerifyBlobFiles, dsse, std::string("dsse"));

// ---- parsing ------------------------------------------------------------------------------

void BM_ParseBundle(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto b = sigstore::parse_bundle(r.bundle_text);
    if (!b) state.SkipWithError("did not parse");
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK_CAPTURE(BM_ParseBundle, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_ParseBundle, rekor_v2_tsa, std::string("rekor_v2"));
BENCHMARK_CAPTURE(BM_ParseBundle, dsse, std::string("dsse"));

void BM_ParseTrustedRoot(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto t = sigstore::parse_trusted_root(r.root_text);
    if (!t) state.SkipWithError("did not parse");
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_ParseTrustedRoot, production, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_ParseTrustedRoot, rekor2_staging, std::string("rekor_v2"));

void BM_ParseLeafCertificate(benchmark::State& state) {
  const Row& r = row("rekor_v1");
  for (auto _ : state) {
    auto c = crypto::Certificate::parse_der(r.bundle.certificates.front());
    if (!c) state.SkipWithError("did not parse");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_ParseLeafCertificate);

// What certificate_bundle.cpp's parse_authorities does on every bundle: every CA
// certificate of the trusted root parsed from DER.
void BM_ParseRootAuthorities(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    std::size_t n = 0;
    for (const auto& ca : r.root.certificate_authorities) {
      for (const auto& der : ca.chain) n += crypto::Certificate::parse_der(der).ok() ? 1 : 0;
    }
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK_CAPTURE(BM_ParseRootAuthorities, production, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_ParseRootAuthorities, rekor2_staging, std::string("rekor_v2"));

// ---- the checks ---------------------------------------------------------------------------

// The artifact's digest and the leaf key's signature (message: ECDSA P-256 over the
// digest; DSSE: over the PAE, and the in-toto subject).
void BM_SignedContent(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto c = app::check_signed_content(r.bundle, ByteView(r.artifact), std::nullopt, r.key);
    if (!c) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK_CAPTURE(BM_SignedContent, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_SignedContent, dsse, std::string("dsse"));

// The leaf to the Fulcio CA at the signing time (chain already parsed): ECDSA P-384
// signatures (leaf by the intermediate, intermediate by the root), validity, EKU.
void BM_ChainCheck(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    const Status s = crypto::verify_certificate_chain(*r.leaf, r.ca_chain, r.signed_at, true);
    if (!s) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK_CAPTURE(BM_ChainCheck, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_ChainCheck, rekor_v2_tsa, std::string("rekor_v2"));

// The CA certificate that issued the leaf, whose key hash the SCTs sign: X509_check_issued
// and the leaf's signature verified again with that certificate's key (ECDSA P-384).
void BM_FindIssuer(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    const crypto::Certificate* i = crypto::find_issuer(*r.leaf, r.ca_chain);
    if (i == nullptr) state.SkipWithError("no issuer");
    benchmark::DoNotOptimize(i);
  }
}
BENCHMARK_CAPTURE(BM_FindIssuer, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_FindIssuer, rekor_v2_tsa, std::string("rekor_v2"));

// The leaf's public key, as an EVP_PKEY (its SPKI encoded, then decoded).
void BM_LeafPublicKey(benchmark::State& state) {
  const Row& r = row("rekor_v1");
  for (auto _ : state) {
    auto k = r.leaf->public_key();
    if (!k) state.SkipWithError("no key");
    benchmark::DoNotOptimize(k);
  }
}
BENCHMARK(BM_LeafPublicKey);

// The embedded SCTs against the root's CT logs (precertificate TBS rebuilt, ECDSA P-256).
void BM_SctCheck(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto n = app::verify_embedded_scts(*r.leaf, *r.issuer, r.root.ctlogs);
    if (!n || *n == 0) state.SkipWithError("no SCT verified");
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK_CAPTURE(BM_SctCheck, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_SctCheck, rekor_v2_tsa, std::string("rekor_v2"));

// The log entry's body names this certificate, signature and digest (JSON parse, compare).
void BM_EntryBody(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  const auto& e = r.bundle.tlog_entries.front();
  for (auto _ : state) {
    const Status s = tlog::check_entry_body(e.body, e.kind, e.version, r.content.expected);
    if (!s) state.SkipWithError("body refused");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK_CAPTURE(BM_EntryBody, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_EntryBody, rekor_v2_tsa, std::string("rekor_v2"));
BENCHMARK_CAPTURE(BM_EntryBody, dsse, std::string("dsse"));

// The inclusion proof to the root hash, the checkpoint parsed and its log signature
// (Rekor v1: ECDSA P-256; Rekor v2: Ed25519 under the log's origin).
void BM_InclusionAndCheckpoint(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  const auto& e = r.bundle.tlog_entries.front();
  const auto& p = *e.proof;
  const sigstore::TransparencyLog* log = r.root.find_log(e.log_id);
  const bool tile_log = e.version == "0.0.2";
  for (auto _ : state) {
    bool ok = tlog::verify_inclusion(static_cast<std::uint64_t>(p.log_index), static_cast<std::uint64_t>(p.tree_size),
                                     tlog::leaf_hash(e.body), p.hashes, p.root_hash);
    auto cp = tlog::parse_checkpoint(p.checkpoint);
    ok =
        ok && cp.ok() &&
        (tile_log ? tlog::checkpoint_signed_by(*cp, log->key, log->origin) : tlog::checkpoint_signed_by(*cp, log->key));
    if (!ok) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(ok);
  }
  state.counters["proof_hashes"] = static_cast<double>(p.hashes.size());
}
BENCHMARK_CAPTURE(BM_InclusionAndCheckpoint, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_InclusionAndCheckpoint, rekor_v2_tsa, std::string("rekor_v2"));

// Rekor v1's signed entry timestamp (canonical JSON of the entry, ECDSA P-256).
void BM_SignedEntryTimestamp(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  const auto& e = r.bundle.tlog_entries.front();
  const sigstore::TransparencyLog* log = r.root.find_log(e.log_id);
  for (auto _ : state) {
    const bool ok = tlog::verify_signed_entry_timestamp(log->key, e.body, *e.integrated_time, e.log_id, e.log_index,
                                                        *e.signed_entry_timestamp);
    if (!ok) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK_CAPTURE(BM_SignedEntryTimestamp, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_SignedEntryTimestamp, dsse, std::string("dsse"));

// The RFC 3161 token against the root's timestamp authority (OpenSSL TS: CMS signature
// and the TSA's chain, ECDSA P-384).
void BM_TimestampToken(benchmark::State& state) {
  const Row& r = row("rekor_v2");
  const Bytes& ts = r.bundle.rfc3161_timestamps.front();
  const auto& tsa = r.root.timestamp_authorities.front();
  for (auto _ : state) {
    auto when = crypto::verify_rfc3161_timestamp(ts, r.content.signed_bytes, tsa.chain);
    if (!when) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(when);
  }
}
BENCHMARK(BM_TimestampToken);

// Every log entry and timestamp of the bundle, as verify_certificate_bundle calls it.
void BM_LogAndTimestamps(benchmark::State& state, const std::string& which) {
  const Row& r = row(which);
  for (auto _ : state) {
    auto t = app::check_log_and_timestamps(r.bundle, r.root, r.content);
    if (!t) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_LogAndTimestamps, rekor_v1, std::string("rekor_v1"));
BENCHMARK_CAPTURE(BM_LogAndTimestamps, rekor_v2_tsa, std::string("rekor_v2"));
BENCHMARK_CAPTURE(BM_LogAndTimestamps, dsse, std::string("dsse"));

// The identity the certificate names (SAN, OIDC issuer, Fulcio's CI claims).
void BM_IdentityExtraction(benchmark::State& state) {
  const Row& r = row("rekor_v1");
  for (auto _ : state) {
    auto id = sigstore::certificate_identity(*r.leaf);
    if (!id || id->subject != kIdentity) state.SkipWithError("wrong identity");
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_IdentityExtraction);

}  // namespace
