#pragma once
// verify-repo: every chart of a Helm repository directory (its index.yaml,
// each listed .tgz and the envelopes beside it), in parallel, with the trust
// material loaded once. A chart is verified when its archive is sound, its
// digest, name and version are those index.yaml lists, and its envelopes
// verify as `verify` would check them one by one. Nothing here prints.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/helpers/http_client.hpp"
#include "app/helpers/oci_client.hpp"
#include "app/verify/trust_material.hpp"
#include "oci/reference.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// Where trusted keys come from (exactly one of keyring, key, trust_dir).
struct RepoTrustOptions {
  std::optional<std::filesystem::path> keyring;       // .prov, as verify --keyring
  std::optional<std::filesystem::path> key;           // .sig, .sigstore.json, .prov, as verify --key
  std::optional<std::filesystem::path> trust_dir;     // every envelope, as verify --trust-dir
  std::optional<std::filesystem::path> key_history;   // with keyring
  std::optional<std::filesystem::path> trusted_root;  // with key: bundle log entries
  std::vector<std::string> pinned_signers;            // with keyring
  // With an environment (or a policy file) each chart's verdict is the
  // policy's decision (decide(), as verify --env); without, the envelopes
  // must verify as `verify` checks them.
  std::string environment;
  std::optional<std::filesystem::path> policy;  // policy.yaml; default: the built-in policy
  bool use_keyring_cache = true;
  std::int64_t now = 0;  // 0: the clock
};

// The options that load `trust` as a run's trust material (the inverse of
// what verify-repo loads from its options): no environment, no pinned signers.
RepoTrustOptions repo_trust_options(const TrustSource& trust);

enum class ChartOutcome { kVerified, kFailed, kUnsigned };
const char* outcome_name(ChartOutcome outcome);  // verified | failed | unsigned

struct RepoChartResult {
  std::string file;           // path relative to the repository (as index.yaml's url names it)
  std::string name, version;  // as index.yaml lists them (the archive's when unlisted)
  std::string digest;         // sha256:<hex> of the archive, when it was read
  std::string index_digest;   // sha256:<hex> as index.yaml lists it
  ChartOutcome outcome = ChartOutcome::kFailed;
  std::vector<std::string> reasons;  // empty when verified
  std::string signer;                // fingerprint or key id that verified it
  bool listed = true;                // false: a .tgz in the directory that index.yaml does not list
  // What list_repo's walk of the directory saw (no lookup per file then). Only a positive
  // sighting counts: a chart not seen (remote, a copy, a path the walk does not enter) is
  // looked up as before.
  struct Sighting {
    bool regular_file = false;                       // the chart, as lstat would say
    bool prov = false, sig = false, bundle = false;  // the envelopes beside it (of any type)
  };
  Sighting seen;
};

// The trust material, loaded and checked once; verify() is thread-safe.
class RepoVerifier {
 public:
  static Result<RepoVerifier> load(const RepoTrustOptions& options);
  RepoVerifier(RepoVerifier&&) noexcept;
  RepoVerifier& operator=(RepoVerifier&&) noexcept;
  ~RepoVerifier();

  // One chart file with its envelopes beside it. `expected`: what index.yaml
  // says of it (name, version, digest; empty fields are not compared).
  RepoChartResult verify(const std::filesystem::path& chart, const RepoChartResult& expected) const;

  // What load() read, for a reader that judges by other means (an OCI
  // repository's tags): the trust material, and in policy mode (--env) the
  // policy; null otherwise.
  const TrustMaterial& material() const;
  const policy::Policy* policy() const;

 private:
  struct Material;
  explicit RepoVerifier(std::unique_ptr<Material> m);
  std::unique_ptr<Material> m_;
};

struct VerifyRepoRequest {
  std::filesystem::path dir;  // holds index.yaml
  // Or a repository URL (https://host/path, or .../index.yaml): the index and
  // each chart with its envelopes are downloaded (chartprov-oci http-get) in
  // batches into a private directory, verified there, and removed.
  std::string url;
  // Or every tag of an OCI repository (oci://HOST/REPO/NAME, no tag): each
  // verified as `verify oci://` does (--keyring: its .prov layer; --key: cosign
  // signatures of its manifest; --env: the policy's decision).
  std::optional<oci::Reference> oci_repository;
  OciConnection connection;
  RepoTrustOptions trust;
  unsigned jobs = 0;  // 0: every core
  // Called after each chart (from worker threads, one call at a time).
  std::function<void(std::size_t done, std::size_t total, std::size_t failed)> progress;
};

struct VerifyRepoReport {
  std::filesystem::path index;
  std::vector<RepoChartResult> charts;  // index.yaml's order, then unlisted files by name
  std::size_t verified = 0, failed = 0, unsigned_charts = 0;
  bool all_verified() const { return failed == 0 && unsigned_charts == 0; }
};

// Input errors (no index.yaml, garbage index, unreadable trust material) are
// Errors; every verdict about a chart is in the report.
Result<VerifyRepoReport> verify_repo(const VerifyRepoRequest& request);

// The per-chart work list of a repository directory, checked against its
// index.yaml: each listed entry (with a reason when its url cannot be a file
// of the directory, it is listed twice, or its key differs from its name),
// then each .tgz found that is not listed. Shared with mirror.
struct RepoListing {
  std::filesystem::path index;
  std::vector<RepoChartResult> charts;  // reasons filled in: not verifiable as listed
};
Result<RepoListing> list_repo(const std::filesystem::path& dir);

// A remote repository (https://HOST/PATH[/index.yaml]): index.yaml downloaded
// into dir and read into the work list (absolute chart urls allowed).
struct RemoteListing {
  std::string base;  // the URL without /index.yaml
  std::vector<RepoChartResult> charts;
};
Result<RemoteListing> list_remote_repo(const std::string& url, const std::filesystem::path& dir);
// The chart's own file name (last path component of its url), and the
// downloads of a chart and the envelopes beside its url (each ok() or absent).
std::string remote_file_name(const RepoChartResult& chart);
std::vector<HttpDownload> chart_downloads(const std::string& base, const RepoChartResult& chart,
                                          const std::filesystem::path& local);
// Whether an envelope's download is fine: it came (ok) or is not there (any
// 4xx: object stores answer 403 for a missing object). A transport error, a
// 5xx or an envelope over the cap is neither: the chart fails rather than
// pass as unsigned.
bool envelope_absent(const HttpAnswer& answer);

// Runs verifier.verify over the listing on `jobs` threads; charts that
// already carry a reason are failed without being read.
std::vector<RepoChartResult> verify_listing(const RepoVerifier& verifier, const std::filesystem::path& dir,
                                            std::vector<RepoChartResult> charts, unsigned jobs,
                                            const std::function<void(std::size_t, std::size_t, std::size_t)>& progress);

}  // namespace chartprov::app
