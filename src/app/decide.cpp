#include "app/decide.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "app/bundle_verify.hpp"
#include "app/oci_verify.hpp"
#include "app/trust_store.hpp"
#include "app/verify.hpp"
#include "app/verify_envelopes.hpp"
#include "app/verify_trusted.hpp"
#include "chart/archive_reader.hpp"
#include "infra/openssl/digest.hpp"
#include "oci/reference.hpp"
#include "util/encoding.hpp"
#include "util/fd.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {
namespace {

constexpr std::uint64_t kMaxChart = 100u << 20;
constexpr std::uint64_t kMaxEnvelope = 4u << 20;
const char* const kEnvelopeSuffixes[] = {".prov", ".sig", ".sigstore.json"};

std::int64_t clock_now(std::int64_t now) { return now != 0 ? now : static_cast<std::int64_t>(std::time(nullptr)); }

bool is_oci(const std::string& chart) { return chart.rfind("oci://", 0) == 0; }

int trust_sources(const TrustSource& t) { return (t.trust_dir ? 1 : 0) + (t.keyring || t.key ? 1 : 0); }

// What the decision trusted, for reports: "trust root v7", "keyring F", "key F".
std::string trust_label(const TrustSource& t, const std::optional<trust::TrustRoot>& root) {
  if (root) return "trust root v" + std::to_string(root->version);
  return t.keyring ? "keyring " + t.keyring->string() : "key " + t.key->string();
}

// The chart and its envelopes, copied once into a directory only we can
// write: every check below reads these copies, and the deploy gate hands
// the same copy to helm (no time-of-check/time-of-use gap). The copy is
// written as the chart is hashed and checked, in one streaming read, and
// without fsync: it lives only as long as the decision.
struct StagedChart {
  std::filesystem::path chart;
  std::string sha256_hex;
  Result<chart::ChartArchive> archive = input_error("not read");
};

Status write_all(int fd, ByteView data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return input_error(std::string("write: ") + std::strerror(errno));
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return ok_status();
}

// A new file in the private directory (never an existing one, never through a link).
Result<UniqueFd> create_private(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return input_error("cannot create " + path.string() + ": " + std::strerror(errno));
  return fd;
}

Status close_checked(UniqueFd& fd, const std::filesystem::path& path) {
  if (::close(fd.release()) != 0) return input_error("cannot write " + path.string() + ": " + std::strerror(errno));
  return ok_status();
}

// blob: with a trust root, what its envelope checks need of the bytes
// (judge_with_trust_root); keyring and key checks read the copy themselves.
Result<StagedChart> stage_file(const std::filesystem::path& source, const std::filesystem::path& dir,
                               ChartBlobDigests* blob) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source, ec)) {
    return input_error("chart not found (a packaged .tgz or an oci:// reference): " + source.string());
  }
  StagedChart staged;
  staged.chart = dir / source.filename();
  for (const char* suffix : kEnvelopeSuffixes) {
    const std::filesystem::path envelope = source.string() + suffix;
    if (!std::filesystem::exists(envelope, ec)) continue;
    auto bytes = read_file(envelope, kMaxEnvelope);
    if (!bytes) return bytes.error().with_context(envelope.string());
    const std::filesystem::path copy = staged.chart.string() + suffix;
    TRY(UniqueFd fd, create_private(copy));
    TRY_STATUS(write_all(fd.get(), ByteView(*bytes)));
    TRY_STATUS(close_checked(fd, copy));
  }
  TRY(UniqueFd out, create_private(staged.chart));
  Status written = ok_status();
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  TRY(chart::ChartFileRead read, chart::read_chart_file(source, limits, [&](ByteView chunk) {
        if (blob != nullptr) blob->update(chunk);
        if (written) written = write_all(out.get(), chunk);
      }));
  TRY_STATUS(written);
  TRY_STATUS(close_checked(out, staged.chart));
  if (blob != nullptr) blob->finish();
  staged.sha256_hex = std::move(read.sha256_hex);
  staged.archive = std::move(read.archive);
  return staged;
}

// Everything a .prov failed on, in one line.
std::string all_reasons(const VerifyReport& r) {
  std::string out;
  for (const auto& reason : r.reasons) out += (out.empty() ? "" : "; ") + reason;
  return out;
}

std::string lower_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

policy::EnvelopeEvidence from_signature(const std::string& source, const VerifyReport& r, const SignatureReport& s) {
  policy::EnvelopeEvidence e;
  e.format = "prov";
  e.source = source;
  e.status = s.status == "good"                                      ? "good"
             : s.status == "unknown-key" || s.status == "not-pinned" ? "unknown-key"
             : s.status == "expired"                                 ? "expired"
             : s.status == "revoked"                                 ? "revoked"
                                                                     : "bad";
  // Fingerprints compare in lower case, as policy files write them. The key
  // id is the one a .sig by the same key carries; a subkey also names its
  // primary key: one certificate is one signer.
  e.fingerprint = lower_case(s.fingerprint);
  e.key_id = s.spki_key_id;
  if (!s.primary_fingerprint.empty() && s.primary_fingerprint != s.fingerprint) {
    e.primary_fingerprint = lower_case(s.primary_fingerprint);
    e.primary_key_id = s.primary_spki_key_id;
  }
  if (!s.user_ids.empty()) e.owner = s.user_ids.front();
  if (s.created) e.signed_at = *s.created;
  e.reason = s.reason;
  // A good signature counts only when the whole .prov checks out for this
  // chart (digest, name, version, file name, no bad signature beside it): a
  // signed .prov of another chart is no evidence for this one.
  if (e.good() && !r.verified) {
    e.status = "bad";
    e.reason = all_reasons(r);
  }
  return e;
}

// --keyring: the .prov through the keyring; --key: the cosign envelopes (and
// the .prov by key material when there is no keyring).
Status judge_with_keys(const DecideRequest& req, const std::filesystem::path& chart, policy::Evidence& ev) {
  const std::int64_t now = clock_now(req.now);
  if (req.trust.keyring) {
    std::error_code ec;
    const std::filesystem::path prov = chart.string() + ".prov";
    if (std::filesystem::exists(prov, ec)) {
      VerifyRequest v;
      v.chart = chart;
      v.keyring = *req.trust.keyring;
      v.key_history = req.trust.key_history;
      v.use_keyring_cache = req.trust.use_keyring_cache;
      v.now = now;
      TRY(const VerifyReport r, verify_chart(v));
      bool any = false;
      for (const auto& s : r.signatures) {
        ev.envelopes.push_back(from_signature(prov.string(), r, s));
        any = true;
      }
      if (!any) {
        policy::EnvelopeEvidence e;
        e.format = "prov";
        e.source = prov.string();
        e.status = "bad";
        for (const auto& reason : r.reasons) e.reason += (e.reason.empty() ? "" : "; ") + reason;
        ev.envelopes.push_back(std::move(e));
      }
    }
  }
  if (req.trust.key) {
    KeyVerifyRequest k;
    k.chart = chart;
    k.key = *req.trust.key;
    k.prov_by_key = !req.trust.keyring;
    k.now = now;
    k.trusted_root = req.trust.trusted_root;
    TRY(const KeyVerifyReport r, verify_with_key(k));
    for (const auto& env : r.envelopes) {
      if (env.ignored) continue;  // a .prov that another key signed: not evidence for this key
      policy::EnvelopeEvidence e;
      e.format = env.format;
      e.source = env.file;
      e.status = env.verified ? "good" : "bad";
      e.key_id = r.key_id;
      e.reason = env.reason;
      e.in_transparency_log = env.verified && env.tlog_entries_verified > 0;
      ev.envelopes.push_back(std::move(e));
    }
  }
  return ok_status();
}

Result<policy::Evidence> gather_file(const DecideRequest& req, const std::filesystem::path& dir,
                                     std::optional<std::filesystem::path>& saved) {
  const std::int64_t now = clock_now(req.now);
  // Trust material first: a bad trust dir is an input error before any work.
  std::optional<trust::TrustRoot> root;
  if (req.trust.trust_dir) {
    TRY(root, load_trust_dir(*req.trust.trust_dir, now));
  }
  std::optional<sigstore::TrustedRoot> tlog_root;
  if (req.trust.trusted_root) {
    TRY(tlog_root, load_trusted_root(*req.trust.trusted_root));
  }
  std::optional<ChartBlobDigests> blob;
  if (root) {
    TRY(blob, ChartBlobDigests::for_chart(req.chart, *root));
  }
  TRY(const StagedChart staged, stage_file(req.chart, dir, blob ? &*blob : nullptr));
  saved = staged.chart;
  policy::Evidence ev;
  ev.chart = req.chart;
  ev.digest = "sha256:" + staged.sha256_hex;
  ev.trust_source = trust_label(req.trust, root);
  ev.owners_are_claims = !root && req.trust.keyring.has_value();  // owners are user ids
  const auto& archive = staged.archive;
  if (!archive) {
    // stage_file read the user's file: the reader's message names it already.
    ev.problems.push_back("archive: " + archive.error().message);
    return ev;
  }
  ev.name = archive->metadata.name;
  ev.version = archive->metadata.version;
  if (root) {
    const TrustedChart chart{staged.chart, ByteView(blob->bytes()),
                             ProvArchiveFacts{staged.chart.filename().string(), ev.digest, ev.name, ev.version},
                             blob->digests()};
    ev.envelopes = judge_with_trust_root(chart, *root, req.environment, now, tlog_root ? &*tlog_root : nullptr);
  } else {
    TRY_STATUS(judge_with_keys(req, staged.chart, ev));
  }
  // Reasons name the files the user gave, not our private copies.
  const std::string staged_name = staged.chart.string();
  for (auto& e : ev.envelopes) {
    if (e.source.rfind(staged_name, 0) == 0) e.source = req.chart + e.source.substr(staged_name.size());
  }
  return ev;
}

Result<policy::Evidence> gather_oci(const DecideRequest& req, const std::filesystem::path& dir,
                                    std::optional<std::filesystem::path>& saved) {
  const std::int64_t now = clock_now(req.now);
  std::optional<trust::TrustRoot> root;
  if (req.trust.trust_dir) {
    TRY(root, load_trust_dir(*req.trust.trust_dir, now));
  }
  TRY(oci::Reference ref, oci::parse_reference(req.chart, req.version));
  OciVerifyRequest o;
  o.reference = ref;
  // The server reuses its connection settings for every request: copy the secret.
  o.connection.registry = ref.registry;
  o.connection.plain_http = req.connection.plain_http;
  o.connection.username = req.connection.username;
  if (req.connection.password) o.connection.password.emplace(req.connection.password->str());
  o.keyring = req.trust.keyring;
  o.key = req.trust.key;
  o.key_history = req.trust.key_history;
  o.trusted_root = req.trust.trusted_root;
  o.use_keyring_cache = req.trust.use_keyring_cache;
  o.now = clock_now(req.now);
  o.output = dir / (ref.name() + "-" + (ref.tag.empty() ? std::string("chart") : ref.tag) + ".tgz");
  o.output_unverified = true;
  if (root) {
    // The .prov layer is judged like a .prov file; cosign signatures of the
    // manifest by any listed key are looked for.
    o.fetch_prov = true;
    for (const auto& k : root->signing_keys) o.trusted_keys.push_back(&k.key.key);
  }
  TRY_STATUS(resolve_registry_credentials(o.connection));
  TRY(const OciVerifyReport r, verify_oci_chart(std::move(o)));
  policy::Evidence ev;
  ev.chart = req.chart;
  ev.name = r.chart_name;
  ev.version = r.chart_version;
  ev.digest = r.chart_digest;
  ev.trust_source = trust_label(req.trust, root);
  ev.owners_are_claims = !root && req.trust.keyring.has_value();  // owners are user ids
  if (r.saved) saved = r.saved;
  if (r.chart_name.empty()) {
    ev.problems = r.reasons;
    if (ev.problems.empty()) ev.problems.push_back("the chart could not be read from the registry");
    return ev;
  }
  if (root && r.saved) {
    TRY(const Bytes bytes, read_file(*r.saved, kMaxChart));
    if ("sha256:" + hex_encode(crypto::sha256(bytes)) != r.chart_digest)
      return internal_error("the saved chart changed");
    const TrustedChart chart{
        *r.saved, ByteView(bytes),
        ProvArchiveFacts{r.saved->filename().string(), r.chart_digest, r.chart_name, r.chart_version}};
    ev.envelopes = judge_with_trust_root(chart, *root, req.environment, now, nullptr);
    for (auto& e : ev.envelopes) e.source = req.chart + " (.prov layer)";
    for (std::size_t i = 0; i < r.good_by_trusted_key.size(); ++i) {
      if (r.good_by_trusted_key[i] == 0) continue;
      const auto& k = root->signing_keys[i];
      policy::EnvelopeEvidence e;
      e.format = "oci-cosign";
      e.source = req.chart + "@" + r.manifest_digest;
      e.key_id = k.key.key_id;
      e.fingerprint = k.openpgp_fingerprint;
      e.owner = k.owner;
      e.reason = scope_refusal(k, r.chart_name, req.environment, now);  // a cosign signature has no time: now
      e.status = e.reason.empty() ? "good" : status_of_refusal(k, now);
      ev.envelopes.push_back(std::move(e));
    }
  }
  if (r.prov) {
    for (const auto& s : r.prov->signatures)
      ev.envelopes.push_back(from_signature(req.chart + " (.prov layer)", *r.prov, s));
  }
  if (req.trust.key) {
    policy::EnvelopeEvidence e;
    e.format = "oci-cosign";
    e.source = req.chart + "@" + r.manifest_digest;
    e.status = r.cosign_signatures > 0 ? "good" : "bad";
    e.key_id = r.key_id;
    if (r.cosign_signatures == 0) e.reason = "no cosign signature of the manifest by this key";
    ev.envelopes.push_back(std::move(e));
  }
  // Reasons that are about the chart itself (wrong name, wrong version,
  // manifest digest) are problems whatever the envelopes say.
  for (const auto& reason : r.chart_problems) ev.problems.push_back(reason);
  return ev;
}

}  // namespace

Result<policy::Policy> load_policy(const std::optional<std::filesystem::path>& file) {
  if (!file) return policy::default_policy();
  TRY(const std::string text, read_text_file(*file, policy::kMaxPolicyBytes));
  return policy::parse_policy(text, file->string());
}

namespace {

Result<policy::Evidence> gather_into(const DecideRequest& req, const std::filesystem::path& dir,
                                     std::optional<std::filesystem::path>& saved) {
  if (trust_sources(req.trust) != 1) {
    return usage_error("give exactly one source of trusted keys: --trust-dir, or --keyring and/or --key");
  }
  if (req.chart.empty()) return usage_error("no chart given");
  return is_oci(req.chart) ? gather_oci(req, dir, saved) : gather_file(req, dir, saved);
}

}  // namespace

Result<policy::Evidence> gather_evidence(const DecideRequest& request) {
  TRY(const TempDir stage, TempDir::create("chartprov-verify"));
  std::optional<std::filesystem::path> saved;
  return gather_into(request, stage.path(), saved);
}

Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request) {
  std::optional<TempDir> stage;
  std::filesystem::path dir;
  if (request.save_dir) {
    dir = *request.save_dir;
  } else {
    TRY(TempDir t, TempDir::create("chartprov-verify"));
    stage.emplace(std::move(t));
    dir = stage->path();
  }
  DecideResult result;
  std::optional<std::filesystem::path> saved;
  TRY(result.evidence, gather_into(request, dir, saved));
  if (request.save_dir) result.saved_chart = saved;
  result.decision = policy::evaluate(policy, request.environment, result.evidence, clock_now(request.now));
  return result;
}

}  // namespace chartprov::app
