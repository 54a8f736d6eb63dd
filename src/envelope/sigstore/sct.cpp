#include "envelope/sigstore/sct.hpp"

#include <string>

#include "envelope/sigstore/der_value.hpp"

namespace chartprov::sigstore {
namespace {

constexpr std::size_t kLogIdSize = 32;

// A cursor over TLS-encoded bytes: big-endian integers and length-prefixed
// vectors, every read checked against what is left.
class TlsReader {
 public:
  explicit TlsReader(ByteView data) : data_(data) {}
  bool done() const { return at_ == data_.size(); }
  std::size_t left() const { return data_.size() - at_; }

  bool uint(std::size_t bytes, std::uint64_t& out) {
    if (left() < bytes) return false;
    out = 0;
    for (std::size_t i = 0; i < bytes; ++i) out = (out << 8) | data_[at_ + i];
    at_ += bytes;
    return true;
  }
  bool fixed(std::size_t bytes, ByteView& out) {
    if (left() < bytes) return false;
    out = data_.subspan(at_, bytes);
    at_ += bytes;
    return true;
  }
  // A vector with a `prefix`-byte length.
  bool vector(std::size_t prefix, ByteView& out) {
    std::uint64_t length = 0;
    return uint(prefix, length) && fixed(static_cast<std::size_t>(length), out);
  }

 private:
  ByteView data_;
  std::size_t at_ = 0;
};

Bytes copy(ByteView v) { return {v.begin(), v.end()}; }

Result<Sct> parse_sct(ByteView bytes) {
  TlsReader in(bytes);
  Sct sct;
  std::uint64_t version = 0;
  if (!in.uint(1, version)) return input_error("truncated SCT");
  if (version != 0) return input_error("SCT version " + std::to_string(version) + " is not v1");
  sct.version = 0;
  ByteView log_id, extensions, signature;
  std::uint64_t hash_alg = 0, sig_alg = 0;
  if (!in.fixed(kLogIdSize, log_id) || !in.uint(8, sct.timestamp_ms) || !in.vector(2, extensions) ||
      !in.uint(1, hash_alg) || !in.uint(1, sig_alg) || !in.vector(2, signature)) {
    return input_error("truncated SCT");
  }
  if (!in.done()) return input_error("trailing bytes in an SCT");
  sct.log_id = copy(log_id);
  sct.extensions = copy(extensions);
  sct.hash_alg = static_cast<std::uint8_t>(hash_alg);
  sct.sig_alg = static_cast<std::uint8_t>(sig_alg);
  sct.signature = copy(signature);
  return sct;
}

void put_uint(Bytes& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = bytes; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

Result<std::vector<Sct>> parse_sct_list(ByteView extension_value) {
  if (extension_value.size() > kMaxSctListExtension) return input_error("SCT list extension larger than 64 KiB");
  auto contents = der_contents(extension_value, kDerOctetString);
  if (!contents.ok()) return contents.error().with_context("SCT list");
  TlsReader list(*contents);
  ByteView entries;
  if (!list.vector(2, entries) || !list.done()) return input_error("SCT list length does not match its contents");
  if (entries.empty()) return input_error("empty SCT list");
  TlsReader in(entries);
  std::vector<Sct> out;
  while (!in.done()) {
    if (out.size() == kMaxScts) return input_error("more than " + std::to_string(kMaxScts) + " SCTs");
    ByteView serialized;
    if (!in.vector(2, serialized) || serialized.empty()) return input_error("truncated SCT");
    TRY(Sct sct, parse_sct(serialized));
    out.push_back(std::move(sct));
  }
  return out;
}

Bytes sct_signed_data(const Sct& sct, ByteView issuer_key_hash, ByteView precert_tbs) {
  if (precert_tbs.size() >= (std::size_t{1} << 24) || sct.extensions.size() >= (std::size_t{1} << 16)) return {};
  Bytes out;
  out.reserve(2 + 8 + 2 + issuer_key_hash.size() + 3 + precert_tbs.size() + 2 + sct.extensions.size());
  out.push_back(sct.version);
  out.push_back(0);  // signature_type: certificate_timestamp
  put_uint(out, sct.timestamp_ms, 8);
  put_uint(out, 1, 2);  // entry_type: precert_entry
  out.insert(out.end(), issuer_key_hash.begin(), issuer_key_hash.end());
  put_uint(out, precert_tbs.size(), 3);
  out.insert(out.end(), precert_tbs.begin(), precert_tbs.end());
  put_uint(out, sct.extensions.size(), 2);
  out.insert(out.end(), sct.extensions.begin(), sct.extensions.end());
  return out;
}

}  // namespace chartprov::sigstore
