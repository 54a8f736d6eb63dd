#include "tlog/compact_range.hpp"

#include <bit>

#include "infra/openssl/digest.hpp"
#include "tlog/merkle.hpp"

namespace chartprov::tlog {

Result<CompactRange> CompactRange::from(std::uint64_t size, std::vector<Bytes> hashes) {
  if (hashes.size() != static_cast<std::size_t>(std::popcount(size))) {
    return input_error("compact range: " + std::to_string(hashes.size()) + " hashes for a tree of " +
                       std::to_string(size) + " leaves");
  }
  for (const auto& h : hashes) {
    if (h.size() != 32) return input_error("compact range: a hash is not 32 bytes");
  }
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

Status CompactRange::append(ByteView leaf_hash) {
  if (leaf_hash.size() != 32) return input_error("compact range: a leaf hash is 32 bytes");
  Bytes cur(leaf_hash.begin(), leaf_hash.end());
  for (std::uint64_t s = size_; (s & 1) == 1; s >>= 1) {
    cur = node_hash(hashes_.back(), cur);
    hashes_.pop_back();
  }
  hashes_.push_back(std::move(cur));
  ++size_;
  return ok_status();
}

Bytes CompactRange::root() const {
  if (hashes_.empty()) return crypto::sha256(ByteView{});
  Bytes r = hashes_.back();
  for (std::size_t i = hashes_.size() - 1; i-- > 0;) r = node_hash(hashes_[i], r);
  return r;
}

}  // namespace chartprov::tlog
