#pragma once
// A transparency log as its clients read it (C2SP tlog-tiles): the signed
// checkpoint, hash tiles and entry bundles, under the log's URL prefix. A
// monitor and a verifier read through the LogReader interface; HttpLogReader
// is the implementation over HTTP(S) (the chartprov-oci helper,
// app/helpers/http_client.hpp), and tests and benchmarks give one over an
// in-memory tree. Nothing read here is trusted: the checkpoint's signature,
// and the tiles and entries against it, are checked by the caller.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tlog/checkpoint.hpp"
#include "tlog/entry_bundle.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

// The largest answers a client accepts: a checkpoint (tlog::kMaxCheckpoint), a
// hash tile (256 hashes), an entry bundle (256 entries of at most 65535 bytes,
// each behind a 2-byte length).
inline constexpr std::size_t kMaxCheckpointAnswer = tlog::kMaxCheckpoint;
inline constexpr std::size_t kMaxHashTile = tlog::kTileWidth * 32;
inline constexpr std::size_t kMaxEntryBundle = tlog::kTileWidth * (2 + tlog::kMaxEntrySize);
// Tiles fetched in one helper run (one connection): a batch of bundles is at
// most 64 * kMaxEntryBundle bytes on disk, a few MiB in practice.
inline constexpr std::size_t kTilesPerFetch = 64;

// The most a tile of this kind and width may be: W*32 bytes for a hash tile,
// W*(2+65535) for an entry bundle.
std::size_t max_tile_answer(const tlog::TileId& tile);

class LogReader {
 public:
  LogReader() = default;
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;
  virtual ~LogReader() = default;

  // The current signed checkpoint note (text), at most kMaxCheckpointAnswer bytes.
  virtual Result<std::string> checkpoint() = 0;
  // The tiles (hash tiles or entry bundles), one answer each, in order; at
  // most max_tile_answer() bytes each. Any one that cannot be fetched fails
  // the call.
  virtual Result<std::vector<Bytes>> tiles(const std::vector<tlog::TileId>& tiles) = 0;
};

struct LogEndpoint {
  std::string url;         // http(s)://host[:port][/prefix]: /checkpoint and /tile/... are under it
  int timeout_ms = 30000;  // per request
};

// The log's URL with no trailing slash. Refusals (usage errors): not an
// http:// or https:// URL (util/url.hpp's message), or one with a query or a
// fragment ("a log URL has no query or fragment").
Result<std::string> log_base_url(const std::string& url);

// Reads a log over HTTP(S) through the chartprov-oci helper: the checkpoint
// with one GET, tiles kTilesPerFetch at a time in one helper run each (one
// connection), written to a private temporary directory and read back.
// Refusals: those of log_base_url; then, from its calls, each naming the
// redacted URL of what was asked: the helper's errors; a transport failure
// ("log <url>: <error>"); an answer other than 200 ("log <url>: HTTP
// <status>"); an answer larger than its bound (the helper stops the transfer);
// a tile file that cannot be read back. Tiles follow redirects (never from
// https to http: a CDN in front of a tile bucket); the checkpoint does not.
Result<std::unique_ptr<LogReader>> open_http_log(const LogEndpoint& endpoint);

}  // namespace chartprov::app::log
