#pragma once
// A whole Merkle tree in memory, as a log server keeps it: every complete
// subtree's hash, level by level (about 64 bytes per leaf). Appending costs
// one hash per completed subtree; proofs and tiles are read from it. Not
// thread-safe: the owner locks.
#include <array>
#include <cstdint>
#include <vector>

#include "tlog/proofs.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

class HashTree {
 public:
  // Appends a leaf hash (32 bytes; anything else is a programming error,
  // refused with an input error "hash tree: a leaf hash is 32 bytes").
  Status append(ByteView leaf_hash);
  // Forgets every leaf from `size` on (a sequencing transaction that did not
  // commit). A size above size() changes nothing.
  void truncate(std::uint64_t size);

  [[nodiscard]] std::uint64_t size() const;
  // The root of the first `size` leaves (size() when omitted). Refusal: a size
  // above size() ("hash tree: S leaves asked of a tree of N").
  [[nodiscard]] Result<Bytes> root(std::uint64_t size) const;
  [[nodiscard]] Result<Bytes> root() const;
  // The hashes of `tile` (a hash tile, not entries) as tlog-tiles serves them,
  // W*32 bytes. Refusals: an entries tile; a tile this tree does not hold
  // whole at that width ("hash tree: no tile/L/N.p/W in a tree of S leaves").
  [[nodiscard]] Result<Bytes> tile(const TileId& tile) const;
  // A NodeSource over this tree (valid while the tree lives and does not shrink).
  [[nodiscard]] NodeSource nodes() const;

 private:
  using Hash = std::array<std::uint8_t, 32>;
  std::vector<std::vector<Hash>> levels_;  // levels_[h][i]: subtree of height h at index i
};

}  // namespace chartprov::tlog
