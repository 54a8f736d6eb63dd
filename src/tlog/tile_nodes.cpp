#include "tlog/tile_nodes.hpp"

#include <string>

#include "tlog/merkle.hpp"

namespace chartprov::tlog {
namespace {

struct TileCache {
  TileFetcher fetch;
  std::uint64_t tree_size = 0;
  std::map<std::pair<unsigned, std::uint64_t>, Bytes> tiles;  // (level, index) -> hashes

  Result<const Bytes*> get(unsigned level, std::uint64_t node_index) {
    const TileId id = tile_for(level, node_index, tree_size);
    const auto key = std::make_pair(level, id.index);
    if (auto it = tiles.find(key); it != tiles.end()) return &it->second;
    TRY(Bytes data, fetch(id));
    if (data.size() != std::size_t{id.width} * 32) {
      return verify_error(tile_path(id) + ": " + std::to_string(data.size()) + " bytes where " +
                          std::to_string(std::size_t{id.width} * 32) + " were expected");
    }
    return &tiles.emplace(key, std::move(data)).first->second;
  }

  // The node of height `height` (0..7 above the tile level) at `index`, from one tile.
  Result<Bytes> node(unsigned height, std::uint64_t index) {
    const unsigned tile_level = height / kTileHeight;
    const unsigned above = height % kTileHeight;
    const std::uint64_t first = index << above;  // at tree level 8*tile_level
    TRY(const Bytes* tile, get(tile_level, first));
    const std::uint64_t offset = first % kTileWidth;
    std::vector<Bytes> row;
    const std::uint64_t count = std::uint64_t{1} << above;
    row.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto* p = tile->data() + (offset + i) * 32;
      row.emplace_back(p, p + 32);
    }
    while (row.size() > 1) {
      std::vector<Bytes> up;
      up.reserve(row.size() / 2);
      for (std::size_t i = 0; i + 1 < row.size(); i += 2) up.push_back(node_hash(row[i], row[i + 1]));
      row = std::move(up);
    }
    return row.front();
  }
};

}  // namespace

NodeSource tile_nodes(TileFetcher fetch, std::uint64_t tree_size) {
  auto cache = std::make_shared<TileCache>();
  cache->fetch = std::move(fetch);
  cache->tree_size = tree_size;
  return [cache](unsigned level, std::uint64_t index) -> Result<Bytes> {
    const bool inside =
        level < 64 && index < (std::uint64_t{1} << (63 - level)) && ((index + 1) << level) <= cache->tree_size;
    if (!inside) {
      return verify_error("node " + std::to_string(level) + "/" + std::to_string(index) + " is not in a tree of " +
                          std::to_string(cache->tree_size) + " leaves");
    }
    return cache->node(level, index);
  };
}

}  // namespace chartprov::tlog
