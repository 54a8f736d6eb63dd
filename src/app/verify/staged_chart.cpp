#include "app/verify/staged_chart.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "app/sign/attest.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "util/fd.hpp"
#include "util/file.hpp"
#include "util/writeall.hpp"

namespace chartprov::app {
namespace {

Status write_checked(int fd, ByteView data) {
  if (const int err = writeall(fd, data); err != 0) return input_error(std::string("write: ") + std::strerror(err));
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

// The copy is written without fsync: it lives only as long as the decision.
Status write_private(const std::filesystem::path& path, ByteView bytes) {
  TRY(UniqueFd fd, create_private(path));
  TRY_STATUS(write_checked(fd.get(), bytes));
  return close_checked(fd, path);
}

std::optional<StagedEnvelope> read_envelope(const std::filesystem::path& file, bool given) {
  std::error_code ec;
  if (!given && !std::filesystem::exists(file, ec)) return std::nullopt;
  StagedEnvelope e;
  e.file = file;
  e.given = given;
  e.bytes = read_file(file, kMaxStagedEnvelope);
  return e;
}

}  // namespace

Result<ChartBlobDigests> ChartBlobDigests::for_envelopes(bool sig, bool bundle,
                                                         const std::vector<const crypto::PKey*>& keys) {
  ChartBlobDigests d;
  d.keep_bytes_ = bundle;  // a bundle signs the message
  if (!sig) return d;
  std::vector<crypto::DigestAlg> algs;
  for (const crypto::PKey* k : keys) {
    const auto alg = cosign::blob_digest_alg(*k);
    if (!alg) {
      d.keep_bytes_ = true;  // Ed25519 signs the message itself
    } else if (*alg != crypto::DigestAlg::kSha256 && std::find(algs.begin(), algs.end(), *alg) == algs.end()) {
      algs.push_back(*alg);
    }
  }
  if (d.keep_bytes_) return d;
  for (const auto alg : algs) {
    TRY(crypto::Digest digest, crypto::Digest::create(alg));
    d.running_.push_back(std::move(digest));
  }
  return d;
}

void ChartBlobDigests::update(ByteView chunk) {
  if (keep_bytes_) bytes_.insert(bytes_.end(), chunk.begin(), chunk.end());
  for (auto& r : running_) r.update(chunk);
}

void ChartBlobDigests::finish() {
  for (auto& r : running_) {
    const auto alg = r.alg();
    digests_[alg] = r.finish();
  }
  running_.clear();
}

Result<std::string_view> StagedEnvelope::text(std::uint64_t limit) const {
  if (!bytes) return bytes.error();
  if (bytes->size() > limit) {
    return input_error(file.string() + " is too large (" + std::to_string(bytes->size()) + " bytes, limit " +
                       std::to_string(limit) + ")");
  }
  return std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

ProvArchiveFacts StagedChart::facts() const {
  ProvArchiveFacts f{path.filename().string(), digest, "", ""};
  if (archive) {
    f.name = archive->metadata.name;
    f.version = archive->metadata.version;
  }
  return f;
}

Error chart_not_found(const std::filesystem::path& chart) {
  return input_error("chart not found: " + chart.string() + " (a packaged .tgz or an oci:// reference)");
}

Result<StagedChart> stage_chart(const StageRequest& req) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(req.chart, ec)) {
    return chart_not_found(req.chart);
  }
  StagedChart staged;
  staged.path = req.chart;
  const std::string base = req.chart.string();
  if (req.prov || req.sig || req.bundle) {
    if (req.prov) staged.prov = read_envelope(*req.prov, true);
    if (req.sig) staged.sig = read_envelope(*req.sig, true);
    if (req.bundle) staged.bundle = read_envelope(*req.bundle, true);
  } else {
    // The private copy holds every envelope beside the chart, whatever this decision reads.
    const bool all = req.copy_dir.has_value();
    if (req.find_prov || all) staged.prov = read_envelope(base + ".prov", false);
    if (req.find_cosign || all) {
      staged.sig = read_envelope(base + ".sig", false);
      staged.bundle = read_envelope(base + ".sigstore.json", false);
      staged.attestation = read_envelope(base + std::string(kAttestationSuffix), false);
    }
  }
  // A keyless attestation's judge checks its statement against the chart's bytes, as a bundle's.
  TRY(staged.blob,
      ChartBlobDigests::for_envelopes(staged.sig.has_value(),
                                      staged.bundle.has_value() || staged.attestation.has_value(), req.cosign_keys));

  std::optional<UniqueFd> out;
  std::filesystem::path copy;
  if (req.copy_dir) {
    copy = *req.copy_dir / req.chart.filename();
    const std::pair<const std::optional<StagedEnvelope>*, std::string_view> envelopes[] = {
        {&staged.prov, ".prov"},
        {&staged.sig, ".sig"},
        {&staged.bundle, ".sigstore.json"},
        {&staged.attestation, kAttestationSuffix}};
    for (const auto& [e, suffix] : envelopes) {
      if (!*e) continue;
      if (!(*e)->bytes) return (*e)->bytes.error();
      TRY_STATUS(write_private(copy.string() + std::string(suffix), ByteView(*(*e)->bytes)));
    }
    TRY(UniqueFd fd, create_private(copy));
    out.emplace(std::move(fd));
  }
  Status written = ok_status();
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;  // helm plugin tarballs carry the same envelopes
  TRY(chart::ChartFileRead read, chart::read_chart_file(req.chart, limits, [&](ByteView chunk) {
        staged.blob.update(chunk);
        if (out && written) written = write_checked(out->get(), chunk);
      }));
  staged.blob.finish();
  if (out) {
    TRY_STATUS(written);
    TRY_STATUS(close_checked(*out, copy));
    staged.copy = copy;
  }
  staged.digest = "sha256:" + read.sha256_hex;
  staged.archive = std::move(read.archive);
  return staged;
}

}  // namespace chartprov::app
