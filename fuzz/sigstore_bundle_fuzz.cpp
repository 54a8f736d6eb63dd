// libFuzzer target for Sigstore bundles and trusted roots (the strict
// protojson-style readers) and for verification of whatever parses, against
// a fixed key and the empty artifact, key-only and with an empty root. What
// parses keeps its bounds: certificates (leaf first, none empty, at most
// kMaxCertificates, has_certificate derived from them), non-negative log
// indexes and tree sizes, at most 32 entries and timestamps.
// fuzz-seeds: *.sigstore.json *.sigstore *.json
#include <cstddef>
#include <cstdint>

#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "fuzz_check.hpp"

using namespace chartprov;

namespace {

void check_bounds(const sigstore::Bundle& b) {
  fuzz::check(b.has_certificate == !b.certificates.empty());
  fuzz::check(b.certificates.size() <= sigstore::kMaxCertificates);
  for (const auto& c : b.certificates) fuzz::check(!c.empty());
  fuzz::check(b.tlog_entries.size() <= sigstore::kMaxTlogEntries);
  fuzz::check(b.rfc3161_timestamps.size() <= sigstore::kMaxTimestamps);
  for (const auto& e : b.tlog_entries) {
    fuzz::check(e.log_index >= 0 && !e.body.empty());
    fuzz::check(!e.integrated_time || *e.integrated_time > 0);
    if (e.proof) fuzz::check(e.proof->log_index >= 0 && e.proof->tree_size >= 0);
    fuzz::check(b.minor_version >= 2 ? e.proof.has_value() : e.signed_entry_timestamp.has_value());
  }
  fuzz::check(b.message.has_value() != b.dsse.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::PKey key = std::move(crypto::generate_key("ecdsa-p256").value());
  static const sigstore::TrustedRoot empty_root;
  const std::string_view text = as_chars(ByteView(data, size));
  (void)sigstore::parse_trusted_root(text);
  if (auto b = sigstore::parse_bundle(text); b.ok()) {
    check_bounds(*b);
    (void)app::verify_bundle(ByteView(), text, key, nullptr);
    (void)app::verify_bundle(ByteView(), text, key, &empty_root);
    (void)app::verify_bundle_for_digest(std::string(64, 'a'), text, key, &empty_root);
  }
  return 0;
}
