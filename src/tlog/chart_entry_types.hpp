#pragma once
// The values of a log entry (chart_entry.hpp): what its writer, its parser
// and its fast scan (chart_entry_scan.hpp) share.
#include <cstddef>
#include <cstdint>
#include <string>

#include "util/bytes.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxChartEntry = 60u << 10;  // under an entry bundle's 65535
inline constexpr std::size_t kMaxChartName = 253;
inline constexpr std::size_t kMaxChartVersion = 128;

enum class EntryKind { hashedrekord, helm_prov };

// What the entry says of the chart: its name and version (Chart.yaml), which
// envelope signed it ("sigstore-bundle", "prov"), and when it was logged.
struct ChartEvent {
  std::string chart;
  std::string version;
  std::string envelope;
  std::int64_t time = 0;
};

struct ChartEntry {
  EntryKind kind = EntryKind::hashedrekord;
  ChartEvent event;
  Bytes digest;  // SHA-256 of the chart archive (hashedrekord: of what was signed)
  // hashedrekord
  Bytes signature;
  Bytes public_key;         // DER SubjectPublicKeyInfo; empty with a certificate
  Bytes certificate;        // DER; empty with a public key
  std::string key_details;  // protobuf-specs PublicKeyDetails ("PKIX_ECDSA_P256_SHA_256")
  // helm_prov
  Bytes provenance;   // the .prov file
  Bytes openpgp_key;  // the signer's OpenPGP certificate (binary)
};

}  // namespace chartprov::tlog
