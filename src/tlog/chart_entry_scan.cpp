#include "tlog/chart_entry_scan.hpp"

#include <string_view>

#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool literal(std::string_view text) {
    if (s_.substr(0, text.size()) != text) return false;
    s_.remove_prefix(text.size());
    return true;
  }
  // The characters up to the next '"' (which stays); none may be '\\' or a control character.
  bool string_body(std::string& out) {
    std::size_t n = 0;
    while (n < s_.size() && s_[n] != '"') {
      const auto c = static_cast<unsigned char>(s_[n]);
      if (c == '\\' || c < 0x20) return false;
      ++n;
    }
    if (n == s_.size()) return false;
    out.assign(s_.data(), n);
    s_.remove_prefix(n);
    return true;
  }
  // A base64 string's body, decoded, when the encoding is the canonical one.
  bool base64_body(Bytes& out) {
    std::string text;
    if (!string_body(text)) return false;
    auto decoded = base64_decode(text);
    if (!decoded.ok() || base64_encode(*decoded) != text) return false;
    out = std::move(*decoded);
    return true;
  }
  // A JSON integer as nlohmann writes an int64: '-'?, no leading zeros.
  bool integer(std::int64_t& out) {
    const bool negative = !s_.empty() && s_[0] == '-';
    std::size_t n = negative ? 1 : 0;
    const std::size_t first = n;
    while (n < s_.size() && s_[n] >= '0' && s_[n] <= '9') ++n;
    const std::size_t digits = n - first;
    if (digits == 0 || digits > 18 || (digits > 1 && s_[first] == '0') || (negative && s_[first] == '0')) return false;
    std::int64_t v = 0;
    for (std::size_t i = first; i < n; ++i) v = v * 10 + (s_[i] - '0');
    out = negative ? -v : v;
    s_.remove_prefix(n);
    return true;
  }
  [[nodiscard]] bool done() const { return s_.empty(); }

 private:
  std::string_view s_;
};

bool scan_event(Cursor& c, std::string_view envelope, ChartEvent& e) {
  e.envelope = std::string(envelope);
  return c.literal(R"("chartprov":{"chart":")") && c.string_body(e.chart) && c.literal(R"(","envelope":")") &&
         c.literal(envelope) && c.literal(R"(","time":)") && c.integer(e.time) && c.literal(R"(,"version":")") &&
         c.string_body(e.version) && c.literal(R"("},)");
}

bool scan_hashedrekord(Cursor& c, ChartEntry& e) {
  e.kind = EntryKind::hashedrekord;
  if (!(scan_event(c, "sigstore-bundle", e.event) &&
        c.literal(R"("kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest":")") &&
        c.base64_body(e.digest) && c.literal(R"("},"signature":{"content":")") && c.base64_body(e.signature) &&
        c.literal(R"(","verifier":{"keyDetails":")") && c.string_body(e.key_details))) {
    return false;
  }
  if (c.literal(R"(","publicKey":{"rawBytes":")")) {
    if (!c.base64_body(e.public_key)) return false;
  } else if (!(c.literal(R"(","x509Certificate":{"rawBytes":")") && c.base64_body(e.certificate))) {
    return false;
  }
  return c.literal(R"("}}}}}})");
}

bool scan_helm_prov(Cursor& c, ChartEntry& e) {
  e.kind = EntryKind::helm_prov;
  return scan_event(c, "prov", e.event) &&
         c.literal(R"("kind":"helmprov","spec":{"helmProvV001":{"chartDigest":{"algorithm":"SHA2_256","digest":")") &&
         c.base64_body(e.digest) && c.literal(R"("},"provenance":")") && c.base64_body(e.provenance) &&
         c.literal(R"(","publicKey":")") && c.base64_body(e.openpgp_key) && c.literal(R"("}}})");
}

}  // namespace

std::optional<ChartEntry> scan_chart_entry(ByteView leaf) {
  Cursor c(as_chars(leaf));
  ChartEntry e;
  bool matched = false;
  if (c.literal(R"({"apiVersion":"0.0.2",)")) {
    matched = scan_hashedrekord(c, e);
  } else if (c.literal(R"({"apiVersion":"0.0.1",)")) {
    matched = scan_helm_prov(c, e);
  }
  if (!matched || !c.done()) return std::nullopt;
  return e;
}

}  // namespace chartprov::tlog
