#pragma once
// What both log stores (SQLite, PostgreSQL) check before the database is
// touched, so that both refuse the same calls with the same words.
#include <cstdint>
#include <vector>

#include "app/log/log_store.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

// LogStore::leaves reads at most this many entries per call (log_store.hpp),
// leaf_hashes (the store's and a transaction's) at most kMaxLeafHashesPerRead,
// and a transaction's find() at most kMaxKeysPerFind keys.
inline constexpr std::uint64_t kMaxLeavesPerRead = 256;
inline constexpr std::uint64_t kMaxLeafHashesPerRead = 65536;
inline constexpr std::size_t kMaxKeysPerFind = 65536;
// Every entry's leaf; the dedupe key and the leaf hash are SHA-256 values.
inline constexpr std::size_t kMaxLeafSize = 1u << 20;
inline constexpr std::size_t kHashSize = 32;

// [from, to) with from < to, at most max_count entries, to <= size.
// Refused: "log store: empty range [from, to)", "log store: range [from, to)
// holds more than <max> entries", "log store: range [from, to) is beyond the
// tree of <size> entries".
Status check_range(std::uint64_t from, std::uint64_t to, std::uint64_t max_count, std::uint64_t size);

// Leaves to insert at first_index when the transaction's next index is next:
// refused when first_index is not next ("log store: insert at <i>, the next
// index is <n>"), when there are none, and for a dedupe key or leaf hash that
// is not 32 bytes or a leaf that is empty or over kMaxLeafSize.
Status check_insert(std::uint64_t first_index, std::uint64_t next, const std::vector<app::log::NewLeaf>& leaves);

// A checkpoint for size when the transaction holds next entries: refused when
// size is not next ("log store: checkpoint of size <s> over <n> entries") or
// the checkpoint is empty or over 64 KiB.
Status check_checkpoint(std::uint64_t size, std::uint64_t next, std::size_t checkpoint_size);

// Refused ("log store: the transaction is finished" or "log store: the
// transaction failed earlier and can only be rolled back") unless usable.
enum class TxnState { kOpen, kFailed, kDone };
Status check_usable(TxnState state);

}  // namespace chartprov::logstore
