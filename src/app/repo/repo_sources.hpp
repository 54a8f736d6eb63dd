#pragma once
// verify-repo by the kind of repository it reads: what verify_repo() (app/repo/verify_repo.cpp,
// a local directory) calls of the http(s) and OCI readers (verify_repo_remote.cpp,
// verify_repo_oci.cpp), and the one reader of index.yaml they share. Internal to app/repo. Its
// own header so that the three files build on it without including each other. It names the
// types of app/repo/verify_repo.hpp but does not include it: that header and verify_repo.cpp
// count as one file, which includes this one (an include cycle). Nothing here prints.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "app/verify/trust_material.hpp"
#include "util/result.hpp"

namespace chartprov::app {

class RepoVerifier;
struct RepoChartResult;
struct RepoTrustOptions;
struct VerifyRepoRequest;

// The trust material's files as verify-repo's options name them, for
// load_trust_material (once per run, whatever the repository's kind).
TrustSource trust_source_of(const RepoTrustOptions& options);

// The entries of index.yaml as a work list, each with a reason when it cannot
// be verified as listed. Remote: absolute http(s) urls are allowed (helm
// downloads them too); a directory: only paths inside it. Errors: index_file
// is not a regular file (never waits on a FIFO) or cannot be read, or is no
// index.yaml (the parser's error, in the context of `where`).
Result<std::vector<RepoChartResult>> listed_charts(const std::filesystem::path& index_file, const std::string& where,
                                                   bool remote);

// A remote repository (req.url): index.yaml, then batches of charts
// downloaded into a private directory (each chart in its own subdirectory
// under its own file name, envelopes beside it), verified there and removed.
// index_url: set to the index's URL. Errors: no private directory, the URL is
// not http(s), index.yaml cannot be downloaded or read (list_remote_repo), the
// download helper fails; a chart or an envelope that cannot be downloaded
// (but for a 4xx on an envelope: not there) is a reason of its chart.
Result<std::vector<RepoChartResult>> verify_remote(const RepoVerifier& verifier, const VerifyRepoRequest& req,
                                                   std::filesystem::path& index_url);

// Every tag of req.oci_repository (but sha256-* tags: cosign signatures
// and referrer fallbacks, not charts), in tag order, each as verify oci://
// (or verify --env) judges it, with the trust material and policy `verifier`
// loaded. Refuses a repository given with a tag or a digest (usage). Errors:
// the registry cannot be reached, answers other than 200 to the tag list, or
// the tag list is unreadable.
Result<std::vector<RepoChartResult>> verify_oci_repository(const RepoVerifier& verifier, const VerifyRepoRequest& req);

// How many charts a run has verified and failed so far, across the batches
// of verify_in_parallel calls it makes.
struct ProgressTally {
  std::mutex mutex;
  std::size_t done = 0, failed = 0;
};

// charts[i] = verify_one(i) for each i in [begin, end), on `jobs` threads (0:
// every core; never more than there are charts), with `progress` called after
// each chart, one call at a time (done and failed from `tally`, out of
// charts.size()). verify_one is called from those threads and must be
// thread-safe; each call writes only its own charts[i].
void verify_in_parallel(std::vector<RepoChartResult>& charts, std::size_t begin, std::size_t end, unsigned jobs,
                        const std::function<void(std::size_t, std::size_t, std::size_t)>& progress,
                        ProgressTally& tally, const std::function<RepoChartResult(std::size_t)>& verify_one);

}  // namespace chartprov::app
