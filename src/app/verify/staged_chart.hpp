#pragma once
// StagedChart: a chart file and the envelopes beside it, read once. The
// archive checks, its SHA-256, Chart.yaml, and whatever the cosign envelopes
// need of the bytes (the bytes themselves, or their digest under a key's
// hash) come from one streaming read; each envelope is read once into
// memory. Every judge works on this, never on the files again, so the bytes
// judged are the bytes read. When a decision hands the chart on (the deploy
// gate, verify --output), the same read also writes a private copy.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/verify/cosign_prov_check.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// The most any envelope file may hold when staged; each judge applies its
// own, smaller limit (envelope::prov::kMaxProvFile, cosign::kMaxSignatureFile, sigstore::kMaxBundle).
inline constexpr std::uint64_t kMaxStagedEnvelope = 8u << 20;

// What the cosign envelopes need of a chart's bytes, gathered while the chart
// is read once: the bytes themselves when an envelope signs the whole message
// (a bundle; a .sig and an Ed25519 key), else for a .sig the digest under
// each key's hash (SHA-256 is the chart's digest already), so that a big
// chart costs no memory.
class ChartBlobDigests {
 public:
  // sig, bundle: whether such envelopes are there (an attestation counts as a bundle); keys:
  // those a .sig may be checked with.
  static Result<ChartBlobDigests> for_envelopes(bool sig, bool bundle, const std::vector<const crypto::PKey*>& keys);
  void update(ByteView chunk);  // every chunk, in order
  void finish();                // after the last chunk
  const Bytes& bytes() const { return bytes_; }
  const std::map<crypto::DigestAlg, Bytes>* digests() const { return &digests_; }

 private:
  bool keep_bytes_ = false;
  Bytes bytes_;
  std::vector<crypto::Digest> running_;
  std::map<crypto::DigestAlg, Bytes> digests_;
};

struct StagedEnvelope {
  std::filesystem::path file;  // the user's file (CHART.tgz.prov, or the one named)
  bool given = false;          // named by the user rather than found beside the chart
  Result<Bytes> bytes = input_error("not read");
  // The bytes as text, or why they cannot be used: unreadable, or larger than `limit`
  // (the message read_file gives for a file that is too large).
  Result<std::string_view> text(std::uint64_t limit) const;
};

struct StagedChart {
  std::filesystem::path path;  // the chart file read (the user's)
  std::string digest;          // "sha256:<hex>" of its bytes
  Result<chart::ChartArchive> archive = input_error("not read");
  std::optional<StagedEnvelope> prov, sig, bundle;
  // CHART.tgz.attestation.sigstore.json (chartprov attest): found beside the
  // chart with the cosign envelopes, never named; judged by the decision's
  // judges (judge_attestation.hpp), not by plain verify.
  std::optional<StagedEnvelope> attestation;
  ChartBlobDigests blob;                      // the bytes or digests the cosign envelopes need
  std::optional<std::filesystem::path> copy;  // the private copy, when one was asked for

  // What a .prov must say about this chart (name and version empty when the archive is unreadable).
  ProvArchiveFacts facts() const;
};

struct StageRequest {
  std::filesystem::path chart;
  bool find_prov = true;    // look for CHART.tgz.prov
  bool find_cosign = true;  // look for CHART.tgz.sig, CHART.tgz.sigstore.json and CHART.tgz.attestation.sigstore.json
  // Named envelopes: read instead of looking beside the chart (then nothing is looked for).
  std::optional<std::filesystem::path> prov, sig, bundle;
  std::vector<const crypto::PKey*> cosign_keys;  // the keys a .sig may be checked with
  // Write the chart and every envelope beside it into this existing private
  // directory, under the chart's file name (new files only, never through a link).
  std::optional<std::filesystem::path> copy_dir;
};

// The one message for a chart that is not there (or not a regular file).
Error chart_not_found(const std::filesystem::path& chart);

// Refusals (input errors): the chart is not a regular file (chart_not_found); the chart cannot be read (I/O, too
// large); with copy_dir, a copy cannot be written, or an envelope beside the chart cannot be read. An archive that
// fails its checks is not an error: `archive` holds the reason, and an unreadable envelope without copy_dir is kept as
// its `bytes` error.
Result<StagedChart> stage_chart(const StageRequest& request);

}  // namespace chartprov::app
