#include "tlog/tile_path.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

namespace chartprov::tlog {
namespace {

constexpr std::size_t kMaxIndexGroups = 7;  // 10^21 > 2^63
constexpr std::uint64_t kMaxIndex = std::uint64_t{1} << 63;

std::string three_digits(std::uint64_t n) {
  std::string s = std::to_string(n);
  return std::string(3 - s.size(), '0') + s;
}

std::string index_path(std::uint64_t index) {
  std::vector<std::string> groups;
  do {
    groups.push_back(three_digits(index % 1000));
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    if (!out.empty()) out += '/';
    if (std::next(it) != groups.rend()) out += 'x';
    out += *it;
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal number without leading zeros ("0" itself allowed), at most `max`.
bool small_number(std::string_view s, unsigned max, unsigned& out) {
  if (!all_digits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  unsigned v = 0;
  for (char c : s) v = v * 10 + static_cast<unsigned>(c - '0');
  if (v > max) return false;
  out = v;
  return true;
}

Error bad(const char* why) { return input_error(std::string("tile path: ") + why); }

}  // namespace

std::string tile_path(const TileId& tile) {
  std::string out = "tile/";
  out += tile.entries ? std::string("entries") : std::to_string(tile.level);
  out += '/';
  out += index_path(tile.index);
  if (tile.width < kTileWidth) out += ".p/" + std::to_string(tile.width);
  return out;
}

Result<TileId> parse_tile_path(std::string_view path) {
  constexpr std::string_view kPrefix = "tile/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return bad("does not start with tile/");
  path.remove_prefix(kPrefix.size());
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return bad("no tile index");
  TileId tile;
  const std::string_view level = path.substr(0, slash);
  if (level == "entries") {
    tile.entries = true;
  } else if (!small_number(level, kMaxTileLevel, tile.level)) {
    return bad("the level is not entries or 0..7");
  }
  std::string_view rest = path.substr(slash + 1);
  std::string_view width;
  if (const auto p = rest.find(".p/"); p != std::string_view::npos) {
    width = rest.substr(p + 3);
    rest = rest.substr(0, p);
    unsigned w = 0;
    if (!small_number(width, static_cast<unsigned>(kTileWidth - 1), w) || w == 0) {
      return bad("a partial width is not 1..255");
    }
    tile.width = w;
  }
  std::uint64_t index = 0;
  std::size_t groups = 0;
  while (true) {
    const auto next = rest.find('/');
    std::string_view group = rest.substr(0, next);
    const bool last = next == std::string_view::npos;
    if (++groups > kMaxIndexGroups) return bad("the index is too large");
    if (!last) {
      if (group.empty() || group[0] != 'x') return bad("an index group other than the last lacks its x");
      group.remove_prefix(1);
    }
    if (group.size() != 3 || !all_digits(group)) return bad("an index group is not three digits");
    if (groups == 1 && !last && group == "000") return bad("an index starts with a group of zeros");
    if (index > kMaxIndex / 1000) return bad("the index is too large");
    index =
        index * 1000 + static_cast<std::uint64_t>((group[0] - '0') * 100 + (group[1] - '0') * 10 + (group[2] - '0'));
    if (last) break;
    rest.remove_prefix(next + 1);
  }
  if (index > kMaxIndex) return bad("the index is too large");
  tile.index = index;
  return tile;
}

TileId tile_for(unsigned level, std::uint64_t node_index, std::uint64_t tree_size) {
  TileId tile;
  tile.level = level;
  tile.index = node_index / kTileWidth;
  const unsigned shift = kTileHeight * level;
  const std::uint64_t nodes = shift >= 64 ? 0 : tree_size >> shift;  // complete subtrees at that level
  const std::uint64_t first = tile.index * kTileWidth;
  tile.width = nodes <= first ? 0 : static_cast<unsigned>(std::min<std::uint64_t>(kTileWidth, nodes - first));
  return tile;
}

}  // namespace chartprov::tlog
