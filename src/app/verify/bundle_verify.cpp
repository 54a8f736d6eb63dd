#include "app/verify/bundle_verify.hpp"

#include <nlohmann/json.hpp>

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/timestamp.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/rekor_entry.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

BundleCheck fail(BundleCheck c, std::string reason) {
  c.verified = false;
  c.reason = std::move(reason);
  return c;
}

Result<Bytes> digest_with(const std::string& alg, ByteView data) {
  crypto::DigestAlg a = crypto::DigestAlg::kSha256;
  if (alg == "SHA2_384")
    a = crypto::DigestAlg::kSha384;
  else if (alg == "SHA2_512")
    a = crypto::DigestAlg::kSha512;
  else if (alg != "SHA2_256")
    return input_error("unsupported digest " + alg);
  TRY(auto d, crypto::Digest::create(a));
  d.update(data);
  return d.finish();
}

// The in-toto statement must name the digest as a subject.
std::string subject_refusal(const Bytes& payload, std::string_view sha256_hex) {
  const auto st = parse_untrusted_json(payload);
  if (!st.is_object() || !st.contains("subject") || !st["subject"].is_array()) {
    return "the DSSE payload is not an in-toto statement";
  }
  for (const auto& s : st["subject"]) {
    if (s.is_object() && s.contains("digest") && s["digest"].is_object() && s["digest"].contains("sha256") &&
        s["digest"]["sha256"].is_string() && s["digest"]["sha256"].get<std::string>() == sha256_hex) {
      return "";
    }
  }
  return "the in-toto statement does not name sha256:" + std::string(sha256_hex) + " as a subject";
}

// One log entry against the root; empty when it verifies.
std::string check_entry(const sigstore::TlogEntry& e, const sigstore::TrustedRoot& root,
                        const tlog::ExpectedEntry& expected) {
  const sigstore::TransparencyLog* log = root.find_log(e.log_id);
  if (log == nullptr) return "the log entry's log " + base64_encode(e.log_id) + " is not in the trusted root";
  if (auto body = tlog::check_entry_body(e.body, e.kind, e.version, expected); !body) return body.error().message;
  bool proven = false;
  if (e.proof) {
    const auto& p = *e.proof;
    if (p.log_index < 0 || p.tree_size <= 0 ||
        !tlog::verify_inclusion(static_cast<std::uint64_t>(p.log_index), static_cast<std::uint64_t>(p.tree_size),
                                tlog::leaf_hash(e.body), p.hashes, p.root_hash)) {
      return "the inclusion proof does not lead to the root hash";
    }
    auto cp = tlog::parse_checkpoint(p.checkpoint);
    if (!cp) return cp.error().message;
    if (cp->size != static_cast<std::uint64_t>(p.tree_size) || cp->root_hash != p.root_hash) {
      return "the checkpoint is for another tree than the inclusion proof";
    }
    if (!tlog::checkpoint_signed_by(*cp, log->key)) return "the checkpoint is not signed by the log";
    proven = true;
  }
  if (e.signed_entry_timestamp) {
    if (!e.integrated_time) return "a signed entry timestamp without integratedTime";
    if (!tlog::verify_signed_entry_timestamp(log->key, e.body, *e.integrated_time, e.log_id, e.log_index,
                                             *e.signed_entry_timestamp)) {
      return "the signed entry timestamp does not verify";
    }
    proven = true;
  }
  if (!proven) return "the log entry has neither an inclusion proof nor a signed entry timestamp";
  if (e.integrated_time && !log->valid.contains(*e.integrated_time)) {
    return "the entry was integrated outside the log key's validity";
  }
  return "";
}

BundleCheck verify_parsed(const sigstore::Bundle& b, std::optional<ByteView> artifact,
                          std::optional<std::string> subject_hex, const crypto::PKey& key,
                          const sigstore::TrustedRoot* root) {
  BundleCheck c;
  if (b.has_certificate)
    return fail(c, "the bundle carries a certificate; chartprov verifies key-based bundles with --key");
  tlog::ExpectedEntry expected;
  if (auto spki = crypto::spki_der(key); spki.ok()) expected.spki = *spki;
  Bytes signed_bytes;  // what a timestamp covers: the signature
  if (b.message) {
    c.content = "message-signature";
    const auto& m = *b.message;
    if (!artifact) return fail(c, "a message-signature bundle needs the artifact");
    auto digest = digest_with(m.digest_algorithm, *artifact);
    if (!digest || *digest != m.digest) return fail(c, "the bundle's messageDigest is not the artifact's digest");
    if (!cosign::verify_blob(key, *artifact, m.signature))
      return fail(c, "the bundle's signature does not verify with the key");
    expected.signature = m.signature;
    expected.sha256_hex = hex_encode(crypto::sha256(*artifact));
    signed_bytes = m.signature;
  } else {
    c.content = "dsse";
    const auto& d = *b.dsse;
    const Bytes pae = sigstore::dsse_pae(d.payload_type, d.payload);
    if (!cosign::verify_blob(key, pae, d.signature)) return fail(c, "the DSSE signature does not verify with the key");
    if (artifact) subject_hex = hex_encode(crypto::sha256(*artifact));
    if (subject_hex) {
      if (d.payload_type != "application/vnd.in-toto+json")
        return fail(c, "the DSSE payload is not an in-toto statement");
      if (auto why = subject_refusal(d.payload, *subject_hex); !why.empty()) return fail(c, why);
    }
    expected.signature = d.signature;
    expected.payload_sha256_hex = hex_encode(crypto::sha256(d.payload));
    signed_bytes = d.signature;
  }
  if (root == nullptr) {
    c.verified = true;
    return c;
  }
  for (const auto& e : b.tlog_entries) {
    if (auto why = check_entry(e, *root, expected); !why.empty()) return fail(c, "transparency log: " + why);
    ++c.tlog_entries_verified;
    if (e.integrated_time) c.integrated_time = e.integrated_time;
  }
  if (!root->tlogs.empty() && c.tlog_entries_verified == 0) {
    return fail(c, "the trusted root lists transparency logs but the bundle has no entry in one");
  }
  for (const auto& ts : b.rfc3161_timestamps) {
    std::string why = "no timestamp authority in the trusted root";
    bool ok = false;
    for (const auto& tsa : root->timestamp_authorities) {
      auto when = crypto::verify_rfc3161_timestamp(ts, signed_bytes, tsa.chain);
      if (when.ok() && tsa.valid.contains(*when)) {
        ok = true;
        break;
      }
      why = when.ok() ? "the timestamp is outside its authority's validity" : when.error().message;
    }
    if (!ok) return fail(c, "timestamp: " + why);
    ++c.timestamps_verified;
  }
  c.verified = true;
  return c;
}

}  // namespace

Result<sigstore::TrustedRoot> load_trusted_root(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, sigstore::kMaxTrustedRoot));
  auto root = sigstore::parse_trusted_root(text);
  if (!root) return root.error().with_context(path.string());
  return root;
}

BundleCheck verify_bundle(std::optional<ByteView> artifact, std::string_view bundle_json, const crypto::PKey& key,
                          const sigstore::TrustedRoot* root) {
  auto b = sigstore::parse_bundle(bundle_json);
  if (!b) return fail({}, "bundle: " + b.error().message);
  return verify_parsed(*b, artifact, std::nullopt, key, root);
}

BundleCheck verify_bundle_for_digest(std::string_view sha256_hex, std::string_view bundle_json, const crypto::PKey& key,
                                     const sigstore::TrustedRoot* root) {
  auto b = sigstore::parse_bundle(bundle_json);
  if (!b) return fail({}, "bundle: " + b.error().message);
  if (!b->dsse) return fail({}, "an OCI signature bundle must hold a DSSE envelope");
  return verify_parsed(*b, std::nullopt, std::string(sha256_hex), key, root);
}

}  // namespace chartprov::app
