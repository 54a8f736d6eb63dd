// libFuzzer target for C2SP tile paths (what `log serve` answers GET
// /tile/... with): parsing never crashes, and a path that parses is exactly
// the path tile_path() writes for it, so no two spellings reach one tile.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view path = as_chars(ByteView(data, size));
  auto tile = tlog::parse_tile_path(path);
  if (!tile.ok()) return 0;
  fuzz::check(tile->width >= 1 && tile->width <= tlog::kTileWidth);
  fuzz::check(tile->entries || tile->level <= tlog::kMaxTileLevel);
  fuzz::check(tlog::tile_path(*tile) == path);
  return 0;
}
