#include "app/verify/verify.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "app/keys/key_history_file.hpp"
#include "app/verify/signature_policy.hpp"
#include "app/verify/staged_chart.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "infra/openssl/digest.hpp"
#include "openpgp/signature.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

bool ends_with_tgz(const std::string& name) {
  if (name.size() < 4) return false;
  std::string ext = name.substr(name.size() - 4);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".tgz";
}

// Statuses that do not sink the verification on their own: a signature by a
// key we were not told to trust is simply not evidence.
bool is_ignorable(const SignatureReport& s) {
  return s.status == SignatureStatus::unknown_key || s.status == SignatureStatus::not_pinned;
}

// The Hash: armor header must be present and name every signature's hash;
// gpg, sq and rnp refuse a mismatch, and so do we.
void check_hash_header(const envelope::prov::Cleartext& ct, const std::vector<openpgp::Signature>& sigs,
                       std::vector<std::string>& reasons) {
  if (!ct.has_hash_header) {
    reasons.emplace_back("the cleartext has no Hash: header");
    return;
  }
  for (const auto& h : ct.hash_headers) {
    bool known = false;
    for (const int id : {1, 2, 3, 8, 9, 10, 11, 12, 14})
      known = known || openpgp::hash_header_name(static_cast<std::uint8_t>(id)) == h;
    if (!known) reasons.push_back("unknown hash '" + h + "' in the Hash: header");
  }
  for (const auto& s : sigs) {
    const std::string name = openpgp::hash_header_name(s.hash_algo);
    if (std::find(ct.hash_headers.begin(), ct.hash_headers.end(), name) == ct.hash_headers.end()) {
      reasons.push_back("the Hash: header does not name " +
                        (name.empty() ? std::string("the signature's hash") : name) + ", the hash the signature uses");
    }
  }
}

void check_signatures(const envelope::prov::Cleartext& ct, const openpgp::Keyring& keyring,
                      const std::vector<std::string>& pinned_signers, const keys::KeyHistory* history, std::int64_t now,
                      VerifyReport& report) {
  auto sigs = openpgp::parse_signatures(ct.signature_packets);
  if (!sigs.ok()) {
    report.reasons.push_back("signature block: " + sigs.error().message);
    return;
  }
  if (sigs->empty()) {
    report.reasons.emplace_back("the signature block holds no signature");
    return;
  }
  check_hash_header(ct, *sigs, report.reasons);
  std::vector<std::string> pins;
  for (const auto& p : pinned_signers) {
    if (auto n = normalize_fingerprint(p); n.ok()) pins.push_back(*n);
  }
  for (const auto& sig : *sigs) {
    report.signatures.push_back(evaluate_signature(sig, keyring, ct.signed_text, now, pins));
    auto& added = report.signatures.back();
    if (history != nullptr && added.status == SignatureStatus::good) {
      const std::string refusal = key_history_refusal(
          *history, added.primary_fingerprint.empty() ? added.fingerprint : added.primary_fingerprint,
          added.created.value_or(0), now);
      if (!refusal.empty()) {
        added.status = SignatureStatus::key_history;
        added.reason = refusal;
      }
    }
  }
  bool any_good = false;
  for (const auto& s : report.signatures) {
    if (s.status == SignatureStatus::good) {
      any_good = true;
    } else if (!is_ignorable(s)) {
      report.reasons.push_back(s.reason);
    }
  }
  if (!any_good && report.reasons.empty()) {
    // Only unknown or unpinned signers: say who signed.
    for (const auto& s : report.signatures) report.reasons.push_back(s.reason);
  }
}

void check_message_block(const envelope::prov::Cleartext& ct, const chart::ChartArchive* archive,
                         VerifyReport& report) {
  auto block = envelope::prov::parse_message_block(ct.plaintext);
  if (!block.ok()) {
    report.reasons.push_back("provenance message: " + block.error().message);
    return;
  }
  const auto* entry = block->find(report.chart_file);
  if (entry == nullptr) {
    report.reasons.push_back("provenance does not contain a digest for a file named \"" + report.chart_file + "\"");
  } else if (!report.digest.empty()) {
    const std::string signed_digest = entry->algorithm + ":" + entry->hex;
    if (signed_digest != report.digest) {
      report.reasons.push_back("sha256 mismatch for " + report.chart_file + ": signed " + signed_digest +
                               ", archive is " + report.digest);
    }
  }
  const auto& meta = block->metadata;
  if (archive != nullptr) {
    if (meta.name != archive->metadata.name) {
      report.reasons.push_back("signed chart name \"" + meta.name + "\" differs from the archive's \"" +
                               archive->metadata.name + "\"");
    }
    if (meta.version != archive->metadata.version) {
      report.reasons.push_back("signed chart version \"" + meta.version + "\" differs from the archive's \"" +
                               archive->metadata.version + "\"");
    }
  }
  const std::string expected_file = meta.name + "-" + meta.version + ".tgz";
  if (report.chart_file != expected_file) {
    report.reasons.push_back("file name " + report.chart_file + " does not match the signed chart (" + expected_file +
                             ")");
  }
}

// Streaming SHA-256 of a file, for when the archive reader gave up early.
Result<std::string> file_sha256(const std::filesystem::path& path) {
  TRY(const UniqueFd fd, open_regular_file(path));  // never waits on a FIFO
  TRY(crypto::Digest d, crypto::Digest::create(crypto::DigestAlg::kSha256));
  std::uint8_t buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return input_error("cannot read " + path.string());
    if (n == 0) break;
    d.update(ByteView(buf, static_cast<std::size_t>(n)));
  }
  return hex_encode(d.finish());
}

}  // namespace

Status check_request_names(const VerifyRequest& req) {
  for (const auto& p : req.pinned_signers) TRY_STATUS(normalize_fingerprint(p));
  if (!ends_with_tgz(req.chart.filename().string())) {
    return input_error("chart must be a .tgz file: " + req.chart.string());
  }
  return ok_status();
}

Status check_verify_request(const VerifyRequest& req) {
  TRY_STATUS(check_request_names(req));
  std::error_code ec;
  if (std::filesystem::is_directory(req.chart, ec)) {
    return input_error(req.chart.string() + " is a directory; unpacked charts cannot be verified");
  }
  if (!std::filesystem::exists(req.chart, ec)) return chart_not_found(req.chart);
  return ok_status();
}

StagedChart stage_chart_or_refusal(const StageRequest& request) {
  if (auto staged = stage_chart(request); staged.ok()) return std::move(staged).value();
  // Not a regular file, too large, unreadable: the reader's own words, and the digest when the bytes can be read.
  StagedChart staged;
  staged.path = request.chart;
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  staged.archive = chart::read_chart_archive(request.chart, limits);
  if (staged.archive.ok()) {
    staged.digest = "sha256:" + staged.archive->sha256_hex;
  } else if (auto digest = file_sha256(request.chart); digest.ok()) {
    staged.digest = "sha256:" + *digest;
  }
  return staged;
}

VerifyReport prov_report_base(const StagedChart& staged) {
  VerifyReport base;
  base.chart_file = staged.path.filename().string();
  base.digest = staged.digest;
  if (staged.archive.ok()) {
    base.chart_name = staged.archive->metadata.name;
    base.chart_version = staged.archive->metadata.version;
  } else {
    base.reasons.push_back("archive: " + staged.archive.error().message);
  }
  return base;
}

const SignatureReport* VerifyReport::signer() const {
  if (!verified) return nullptr;
  for (const auto& s : signatures) {
    if (s.status == SignatureStatus::good) return &s;
  }
  return nullptr;
}

Result<std::string> normalize_fingerprint(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return usage_error("signer fingerprint '" + std::string(text) + "' is not hexadecimal");
    }
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (out.size() != 40 && out.size() != 64) {
    return usage_error("signer fingerprint '" + std::string(text) + "' must be 40 hex digits (a full fingerprint)");
  }
  return out;
}

VerifyReport judge_prov(VerifyReport report, const chart::ChartArchive* archive, const Result<std::string_view>& prov,
                        const openpgp::Keyring& keyring, const keys::KeyHistory* history,
                        const std::vector<std::string>& pinned_signers, std::int64_t now) {
  if (!prov.ok()) {
    report.reasons.push_back("no usable provenance file: " + prov.error().message);
    return report;
  }
  auto ct = envelope::prov::parse_cleartext(*prov);
  if (!ct.ok()) {
    report.reasons.push_back("provenance: " + ct.error().message);
    return report;
  }
  check_signatures(*ct, keyring, pinned_signers, history, now, report);
  check_message_block(*ct, archive, report);
  report.verified = report.reasons.empty();
  return report;
}

}  // namespace chartprov::app
