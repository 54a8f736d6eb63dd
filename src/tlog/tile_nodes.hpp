#pragma once
// A NodeSource (proofs.hpp) over a log's hash tiles, for clients that read a
// log the tlog-tiles way (a monitor, a verifier checking consistency). Tiles
// hold the subtrees of heights 0, 8, 16, ...; a subtree in between is hashed
// from the tile below it. Each tile is fetched once per TileNodes (cached).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <tuple>

#include "tlog/proofs.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Fetches one hash tile: W*32 bytes. The fetcher's errors pass through.
using TileFetcher = std::function<Result<Bytes>(const TileId& tile)>;

// The node source of a tree of `tree_size` leaves. Refusals (verify errors):
// a tile of another length than its width says ("tile/L/N.p/W: N bytes where
// W*32 were expected"); a node outside the tree ("node H/I is not in a tree of
// S leaves"). The tiles are not trusted: a proof or root made from them is
// checked against a signed checkpoint by the caller.
NodeSource tile_nodes(TileFetcher fetch, std::uint64_t tree_size);

}  // namespace chartprov::tlog
