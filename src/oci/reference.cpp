#include "oci/reference.hpp"

#include <algorithm>

namespace chartprov::oci {
namespace {

bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  return std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == ':' || c == '[' || c == ']';
  });
}

// OCI distribution spec: path components [a-z0-9]+ separated by . _ __ - .
bool valid_repository(std::string_view r) {
  if (r.empty() || r.size() > 255 || r.front() == '/' || r.back() == '/') return false;
  std::size_t start = 0;
  while (start <= r.size()) {
    const auto slash = r.find('/', start);
    const std::string_view part =
        r.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return false;
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(part.front()) || !alnum(part.back())) return false;
    for (const char c : part) {
      if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  const auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!word(t.front())) return false;
  return std::all_of(t.begin(), t.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

}  // namespace

bool is_sha256_digest(std::string_view d) {
  constexpr std::string_view kPrefix = "sha256:";
  if (d.size() != kPrefix.size() + 64 || d.substr(0, kPrefix.size()) != kPrefix) return false;
  return std::all_of(d.begin() + kPrefix.size(), d.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_oci_reference(std::string_view text) { return text.substr(0, kScheme.size()) == kScheme; }

std::string tag_for_version(std::string_view version) {
  std::string t(version);
  std::replace(t.begin(), t.end(), '+', '_');
  return t;
}

std::string signature_tag(std::string_view digest) { return referrers_tag(digest) + ".sig"; }

std::string referrers_tag(std::string_view digest) {
  std::string t(digest);
  std::replace(t.begin(), t.end(), ':', '-');
  return t;
}

std::string Reference::name() const {
  const auto slash = repository.rfind('/');
  return slash == std::string::npos ? repository : repository.substr(slash + 1);
}

std::string Reference::display() const {
  return std::string(kScheme) + registry + "/" + repository + (digest.empty() ? ":" + tag : "@" + digest);
}

Result<Reference> parse_reference(std::string_view text, std::string_view version) {
  const auto bad = [&](const std::string& why) {
    return usage_error("OCI reference '" + std::string(text) + "': " + why);
  };
  if (!is_oci_reference(text)) return bad("must start with oci://");
  std::string_view rest = text.substr(kScheme.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return bad("no repository after the registry");
  Reference r;
  r.registry = std::string(rest.substr(0, slash));
  if (!valid_host(r.registry)) return bad("bad registry host");
  rest.remove_prefix(slash + 1);
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    r.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!is_sha256_digest(r.digest)) return bad("the digest must be sha256:<64 lower-case hex>");
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    r.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  r.repository = std::string(rest);
  if (!valid_repository(r.repository)) return bad("bad repository name (lower-case letters, digits, . _ -, '/')");
  if (!version.empty()) {
    if (!r.tag.empty() || !r.digest.empty()) return bad("give the version either in the reference or with --version");
    r.tag = tag_for_version(version);
  }
  if (!r.tag.empty() && !valid_tag(r.tag)) return bad("bad tag '" + r.tag + "'");
  if (r.tag.empty() && r.digest.empty()) return bad("no version: add --version V (or :TAG)");
  if (!r.tag.empty() && !r.digest.empty()) r.tag.clear();  // the digest decides
  return r;
}

}  // namespace chartprov::oci
