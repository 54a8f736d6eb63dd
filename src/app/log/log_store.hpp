#pragma once
// Where a transparency log keeps its entries and checkpoints: SQLite (WAL, one
// process) or PostgreSQL (several log front-ends sharing one sequencer). The
// sequencer (sequencer.hpp) does all the tree work; a store only keeps rows:
//
//   entries(idx, dedupe, leaf, leaf_hash)   idx 0.. without gaps; dedupe unique
//   log_state(size, checkpoint)             one row: the tree size and its signed note
//
// Sequencing is one transaction under an exclusive lock (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE of the state row), so that
// front-ends on one database agree on one tree: entries and the checkpoint
// that covers them are durable together or not at all.
//
// The implementations link SQLite and libpq, so they live in their own layer
// (src/logstore/, open_log_store()), linked only by the chartprov-log helper:
// the static chartprov never carries a database driver.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

struct NewLeaf {
  Bytes dedupe;  // what makes two submissions the same entry (a SHA-256)
  Bytes leaf;    // the entry bytes
  Bytes leaf_hash;
};

// One sequencing transaction, holding the lock. Destroyed without commit():
// rolled back. Every error leaves the database as it was.
class SequencingTxn {
 public:
  SequencingTxn() = default;
  SequencingTxn(const SequencingTxn&) = delete;
  SequencingTxn& operator=(const SequencingTxn&) = delete;
  virtual ~SequencingTxn() = default;

  // log_state's size: the number of entries.
  virtual Result<std::uint64_t> size() = 0;
  // The leaf hashes of entries [from, to), in order.
  virtual Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) = 0;
  // For each dedupe key, the index of the entry that has it, if any.
  virtual Result<std::vector<std::optional<std::uint64_t>>> find(const std::vector<Bytes>& dedupe_keys) = 0;
  // Inserts leaves at first_index, first_index+1, ... (first_index must be size()).
  virtual Status insert(std::uint64_t first_index, const std::vector<NewLeaf>& leaves) = 0;
  // Sets log_state to (size, checkpoint).
  virtual Status set_checkpoint(std::uint64_t size, std::string_view checkpoint) = 0;
  // Makes everything durable (synchronous commit); only then may an entry be acknowledged.
  virtual Status commit() = 0;
};

// Thread-safe: HTTP workers read while the sequencer writes.
class LogStore {
 public:
  LogStore() = default;
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;
  virtual ~LogStore() = default;

  virtual Result<std::unique_ptr<SequencingTxn>> begin_sequencing() = 0;
  // The last committed checkpoint and its size; nullopt for a log never sequenced.
  struct Head {
    std::uint64_t size = 0;
    std::string checkpoint;
  };
  virtual Result<std::optional<Head>> head() = 0;
  // Committed entries [from, to) (at most 256 at a time), and their leaf hashes.
  virtual Result<std::vector<Bytes>> leaves(std::uint64_t from, std::uint64_t to) = 0;
  virtual Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) = 0;
};

}  // namespace chartprov::app::log
