#pragma once
// OCI references as chartprov takes them: oci://HOST[:PORT]/REPO/NAME with
// the version (or tag) given separately (helm's --version) or as :TAG, or a
// digest as @sha256:HEX. Helm stores SemVer build metadata '+' as '_' in tags.
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::oci {

struct Reference {
  std::string registry;      // host[:port]
  std::string repository;    // path below the host, e.g. charts/demo
  std::string tag;           // empty when digest is set
  std::string digest;        // sha256:<64 hex>, or empty
  std::string name() const;  // last path component (the chart name)
  std::string ref() const { return digest.empty() ? tag : digest; }
  std::string display() const;  // oci://registry/repository[:tag|@digest]
};

inline constexpr std::string_view kScheme = "oci://";

bool is_oci_reference(std::string_view text);

// version: helm's --version (may be empty when the reference carries a tag or digest).
Result<Reference> parse_reference(std::string_view text, std::string_view version = {});

// "1.2.3+build" -> "1.2.3_build" (OCI tags cannot hold '+').
std::string tag_for_version(std::string_view version);

// sha256-<hex>.sig and sha256-<hex>: cosign's legacy signature tag and the referrers fallback tag.
std::string signature_tag(std::string_view digest);
std::string referrers_tag(std::string_view digest);

// "sha256:<64 lower hex>" only.
bool is_sha256_digest(std::string_view digest);

}  // namespace chartprov::oci
