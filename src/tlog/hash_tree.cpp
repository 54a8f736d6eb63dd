#include "tlog/hash_tree.hpp"

#include <algorithm>
#include <string>

#include "tlog/merkle.hpp"

namespace chartprov::tlog {

Status HashTree::append(ByteView leaf_hash) {
  if (leaf_hash.size() != 32) return input_error("hash tree: a leaf hash is 32 bytes");
  Hash h{};
  std::copy(leaf_hash.begin(), leaf_hash.end(), h.begin());
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(h);
  for (std::size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const auto& row = levels_[level];
    const Hash& left = row[row.size() - 2];
    const Hash& right = row.back();
    const Bytes parent = node_hash(ByteView(left.data(), left.size()), ByteView(right.data(), right.size()));
    if (levels_.size() == level + 1) levels_.emplace_back();
    Hash p{};
    std::copy(parent.begin(), parent.end(), p.begin());
    levels_[level + 1].push_back(p);
  }
  return ok_status();
}

void HashTree::truncate(std::uint64_t size) {
  if (size >= this->size()) return;
  for (std::size_t level = 0; level < levels_.size(); ++level) {
    levels_[level].resize(level >= 64 ? 0 : size >> level);
  }
}

std::uint64_t HashTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

Result<Bytes> HashTree::root(std::uint64_t size) const {
  if (size > this->size()) {
    return input_error("hash tree: " + std::to_string(size) + " leaves asked of a tree of " +
                       std::to_string(this->size()));
  }
  return tree_root(nodes(), size);
}

Result<Bytes> HashTree::root() const { return root(size()); }

Result<Bytes> HashTree::tile(const TileId& tile) const {
  const std::size_t level = std::size_t{kTileHeight} * tile.level;
  const std::uint64_t first = tile.index * kTileWidth;
  const bool held = !tile.entries && tile.width >= 1 && tile.width <= kTileWidth && level < levels_.size() &&
                    tile.index < (std::uint64_t{1} << 56) && levels_[level].size() >= first + tile.width;
  if (!held) {
    return input_error("hash tree: no " + tile_path(tile) + " in a tree of " + std::to_string(size()) + " leaves");
  }
  Bytes out;
  out.reserve(std::size_t{tile.width} * 32);
  const auto& row = levels_[level];
  for (std::uint64_t i = first; i < first + tile.width; ++i) out.insert(out.end(), row[i].begin(), row[i].end());
  return out;
}

NodeSource HashTree::nodes() const {
  return [this](unsigned level, std::uint64_t index) -> Result<Bytes> {
    if (level >= levels_.size() || index >= levels_[level].size()) {
      return input_error("hash tree: no node " + std::to_string(level) + "/" + std::to_string(index));
    }
    const Hash& h = levels_[level][index];
    return Bytes(h.begin(), h.end());
  };
}

}  // namespace chartprov::tlog
