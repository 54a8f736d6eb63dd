#pragma once
// The log's sequencer: submissions wait in a queue; one thread takes them in
// batches (up to batch_size, or what came within batch_wait of the first),
// and sequences each batch in one store transaction (log_store.hpp):
//
//   catch the in-memory tree up with entries other front-ends committed;
//   find the batch's duplicates (answered with the entry already logged);
//   insert the new leaves (time: the log's clock), compute the root, sign the
//   checkpoint, set it, commit;
//   only then acknowledge each waiter: its index, inclusion proof, checkpoint.
//
// Any failure rolls the transaction back, forgets the batch's leaves, and
// answers every waiter of the batch with the error: nothing is acknowledged
// that is not durable. Readers (the HTTP routes) see only committed state.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/log/log_metrics.hpp"
#include "app/log/log_store.hpp"
#include "app/log/submission.hpp"
#include "app/log/witness_client.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/tile_path.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

struct SequencerConfig {
  std::size_t batch_size = 256;
  std::chrono::milliseconds batch_wait{5};
  std::size_t max_queue = 8192;         // waiting submissions; beyond: refused at once
  std::function<std::int64_t()> clock;  // unix seconds of the log; unset: the wall clock
  // Witnesses asked to cosign each new checkpoint once it is durable, before any
  // waiter is acknowledged (witness_client.hpp): the checkpoint readers and waiters
  // get carries the cosignatures that verified, and is stored so again. A witness
  // that does not cosign is reported on stderr and costs only its cosignature.
  std::vector<WitnessEndpoint> witnesses;
  int witness_timeout_ms = 5000;
};

// What a waiter gets once its entry is durable.
struct Acknowledgement {
  std::uint64_t index = 0;
  bool existed = false;  // logged before (a resubmission): the entry is the one logged then
  Bytes leaf;            // the entry's bytes
  std::vector<Bytes> proof;
  std::uint64_t tree_size = 0;
  Bytes root;
  std::string checkpoint;  // the signed note of tree_size
};

// The committed tree as readers see it.
struct Published {
  std::uint64_t size = 0;
  Bytes root;
  std::string checkpoint;
};

class Sequencer {
  struct Key {
    explicit Key() = default;
  };

 public:
  Sequencer(Key, LogStore& store, tlog::NoteKey key, SequencerConfig config);
  // Rebuilds the tree from the store's leaf hashes, checks it against the stored checkpoint
  // and starts the sequencing thread. A log never sequenced gets its first (empty)
  // checkpoint. Refusals: the store's errors; a stored checkpoint that does not parse, is of
  // another origin ("the stored checkpoint is of origin X, not Y: the log was started under
  // another --origin"), not signed by this key ("the stored checkpoint is not signed by this
  // log key: ..."), of another size than the store's, or whose root is not the root of
  // the stored leaves ("the stored checkpoint's root is not the root of the N stored entries:
  // the database does not hold the tree it signed").
  static Result<std::unique_ptr<Sequencer>> start(LogStore& store, tlog::NoteKey key, SequencerConfig config);
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;
  // Stops the thread; submissions still queued are answered with an error.
  ~Sequencer();

  // Queues the submission and waits until its batch commits. Refusals (internal errors:
  // the service answers 503): a full queue ("log: too many submissions waiting"), a
  // stopped sequencer ("log: stopping"), the batch's store or signing error
  // ("log: sequencing failed: ...").
  Result<Acknowledgement> submit(Submission submission);

  // The committed tree, after catching up with entries other front-ends committed (when no
  // batch is in flight; else as it is). Catch-up errors are reported and the state kept.
  Published published();
  Status catch_up();

  // Reads of the committed tree (Published::size leaves). Refusals: a tile or proof outside it.
  Result<Bytes> hash_tile(const tlog::TileId& tile);
  Result<std::vector<Bytes>> inclusion_proof(std::uint64_t index, std::uint64_t tree_size);

  [[nodiscard]] const tlog::NoteKey& note_key() const { return key_; }

  // What the sequencer counted since it started: batches and witness failures
  // (LogMetrics' batches_* and witness_failures; the rest is left as it is).
  void count_into(LogMetrics& metrics) const;

 private:
  struct Pending {
    Submission submission;
    std::promise<Result<Acknowledgement>> done;
  };
  using Batch = std::vector<std::unique_ptr<Pending>>;

  Status rebuild();
  void run();
  Batch next_batch();
  void sequence(Batch& batch);
  // Appends leaf hashes [from, to) read by `read` to the tree (under the exclusive lock).
  Status append_hashes(std::uint64_t from, std::uint64_t to,
                       const std::function<Result<std::vector<Bytes>>(std::uint64_t, std::uint64_t)>& read);
  Result<std::string> sign_checkpoint(std::uint64_t size, ByteView root) const;
  // Asks the witnesses to cosign the published checkpoint; publishes and stores it cosigned.
  void cosign_published();

  LogStore& store_;
  tlog::NoteKey key_;
  SequencerConfig config_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool stopping_ = false;

  std::mutex mutate_mu_;               // held by whoever grows or shrinks the tree: a batch, a catch-up
  mutable std::shared_mutex tree_mu_;  // the tree and published_
  tlog::HashTree tree_;
  Published published_;
  std::map<std::string, std::uint64_t> witnessed_;  // by witness URL: the size it last cosigned (sequencer thread)

  mutable std::mutex counts_mu_;
  std::uint64_t batches_committed_ = 0;
  std::uint64_t batches_failed_ = 0;
  std::map<std::string, std::uint64_t> witness_failures_;  // by witness name

  std::thread thread_;
};

}  // namespace chartprov::app::log
