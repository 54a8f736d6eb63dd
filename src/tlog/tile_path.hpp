#pragma once
// C2SP tlog-tiles paths: how a log's tree and entries are laid out for any
// static web server or object store.
//
//   tile/<L>/<N>[.p/<W>]        hashes: level L, tile index N, W of 256 hashes
//   tile/entries/<N>[.p/<W>]    the entries of leaves 256N .. 256N+W-1
//
// N is written in groups of three decimal digits, every group but the last
// prefixed with "x": 1234067 is "x001/x234/067", 5 is "005". A full tile (256)
// has no ".p/<W>" suffix and never changes; a partial one (1..255) is the
// right edge of the current tree. A level-L tile holds the hashes of the
// complete subtrees of height 8L: level 0 the leaf hashes, level 1 the roots
// of 256-leaf subtrees, and so on.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr unsigned kTileHeight = 8;
inline constexpr std::uint64_t kTileWidth = 256;
inline constexpr unsigned kMaxTileLevel = 7;  // 2^(8*8) leaves: more than any log holds

struct TileId {
  bool entries = false;  // an entry bundle rather than hashes
  unsigned level = 0;    // hashes only; 0..kMaxTileLevel
  std::uint64_t index = 0;
  unsigned width = 256;  // 1..256
};

// The path of a tile, relative to the log's prefix: "tile/0/x001/234.p/7".
std::string tile_path(const TileId& tile);

// Parses a path tile_path() writes (nothing before "tile/"). Refusals (input
// errors, "tile path: ..."): not starting "tile/"; a level that is neither
// "entries" nor 0..kMaxTileLevel written without leading zeros; an index group
// that is not three digits, an "x" on the last group or none on another, a
// first group of zeros before others ("x000/..."), more than 7 groups (index past 2^63); a ".p/" width that is
// not 1..255 without leading zeros; anything after the width.
Result<TileId> parse_tile_path(std::string_view path);

// The tile of `level` that holds node `node_index` of tree level 8*level, in a
// tree of `tree_size` leaves: its width is what that tree has of it (partial
// at the right edge). Node index past the tree: width 0.
TileId tile_for(unsigned level, std::uint64_t node_index, std::uint64_t tree_size);

}  // namespace chartprov::tlog
