#pragma once
// A compact range [0, size): the roots of the perfect subtrees that make up the
// first `size` leaves, largest first (one per set bit of size, at most 64).
// Enough to append leaves and compute the root without the rest of the tree:
// a monitor's state between runs.
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

class CompactRange {
 public:
  CompactRange() = default;
  // Refusal (input error, "compact range: ..."): not one 32-byte hash per set
  // bit of size.
  static Result<CompactRange> from(std::uint64_t size, std::vector<Bytes> hashes);

  // Appends a leaf hash (32 bytes; refused otherwise).
  Status append(ByteView leaf_hash);
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] const std::vector<Bytes>& hashes() const { return hashes_; }
  // MTH of the first size() leaves; SHA-256("") when empty.
  [[nodiscard]] Bytes root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<Bytes> hashes_;
};

}  // namespace chartprov::tlog
