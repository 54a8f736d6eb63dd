#include "app/log/sequencer.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/proofs.hpp"
#include "util/clock.hpp"

namespace chartprov::app::log {
namespace {

// Leaf hashes read from the store per query while rebuilding or catching up.
constexpr std::uint64_t kHashChunk = 4096;

Error sequencing_failed(const Error& e) { return internal_error("log: sequencing failed: " + e.message); }

// Whether the tiles' nodes [index*256, index*256+width) of tree level 8*level are complete
// subtrees of a tree of `size` leaves.
bool tile_inside(const tlog::TileId& tile, std::uint64_t size) {
  const unsigned shift = tlog::kTileHeight * tile.level;
  if (shift >= 64) return false;
  const std::uint64_t nodes = size >> shift;
  if (tile.index > nodes / tlog::kTileWidth) return false;
  return tile.index * tlog::kTileWidth + tile.width <= nodes;
}

}  // namespace

Sequencer::Sequencer(Key /*unused*/, LogStore& store, tlog::NoteKey key, SequencerConfig config)
    : store_(store), key_(std::move(key)), config_(std::move(config)) {
  if (!config_.clock) config_.clock = [] { return unix_now(); };
  config_.batch_size = std::max<std::size_t>(config_.batch_size, 1);
}

Result<std::unique_ptr<Sequencer>> Sequencer::start(LogStore& store, tlog::NoteKey key, SequencerConfig config) {
  auto s = std::make_unique<Sequencer>(Key(), store, std::move(key), std::move(config));
  TRY_STATUS(s->rebuild());
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  return s;
}

Sequencer::~Sequencer() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& p : queue_) p->done.set_value(internal_error("log: stopping"));
}

Status Sequencer::append_hashes(std::uint64_t from, std::uint64_t to,
                                const std::function<Result<std::vector<Bytes>>(std::uint64_t, std::uint64_t)>& read) {
  for (std::uint64_t at = from; at < to;) {
    const std::uint64_t end = std::min(to, at + kHashChunk);
    TRY(const std::vector<Bytes> hashes, read(at, end));
    if (hashes.size() != end - at) return internal_error("log: the store returned a short range of leaf hashes");
    std::unique_lock lock(tree_mu_);
    if (tree_.size() != at) return internal_error("log: the tree changed while catching up");
    for (const Bytes& h : hashes) TRY_STATUS(tree_.append(h));
    at = end;
  }
  return ok_status();
}

Result<std::string> Sequencer::sign_checkpoint(std::uint64_t size, ByteView root) const {
  TRY(const std::string body, tlog::checkpoint_body(key_.name, size, root));
  return tlog::sign_note(body, key_);
}

void Sequencer::cosign_published() {
  Published pub;
  Cosignatures got;
  {
    std::shared_lock lock(tree_mu_);
    pub = published_;
    got =
        request_cosignatures(config_.witnesses, pub.checkpoint, tree_.nodes(), witnessed_, config_.witness_timeout_ms);
  }
  for (const auto& failure : got.failures) std::fprintf(stderr, "chartprov log: witness %s\n", failure.c_str());
  {
    const std::lock_guard counts(counts_mu_);
    for (const auto& name : got.failed) ++witness_failures_[name];
  }
  if (got.lines.empty()) return;
  const std::string cosigned = pub.checkpoint + got.lines;
  // Stored too, so that other front-ends and a restart serve the cosigned checkpoint.
  const Status stored = [&]() -> Status {
    TRY(auto txn, store_.begin_sequencing());
    TRY(const std::uint64_t size, txn->size());
    if (size != pub.size) return ok_status();  // another front-end moved on: its checkpoint stands
    TRY_STATUS(txn->set_checkpoint(pub.size, cosigned));
    return txn->commit();
  }();
  if (!stored)
    std::fprintf(stderr, "chartprov log: the cosigned checkpoint was not stored: %s\n", stored.error().message.c_str());
  std::unique_lock lock(tree_mu_);
  if (published_.size == pub.size && published_.checkpoint == pub.checkpoint) published_.checkpoint = cosigned;
}

Status Sequencer::rebuild() {
  std::lock_guard mutate(mutate_mu_);
  TRY(auto head, store_.head());
  if (!head) {
    // A log never sequenced: its first checkpoint, of the empty tree.
    TRY(auto txn, store_.begin_sequencing());
    TRY(const std::uint64_t size, txn->size());
    if (size != 0) return internal_error("log: the store holds entries but no checkpoint");
    TRY(const Bytes empty_root, tree_.root());
    TRY(const std::string note, sign_checkpoint(0, empty_root));
    TRY_STATUS(txn->set_checkpoint(0, note));
    TRY_STATUS(txn->commit());
    txn.reset();
    TRY(head, store_.head());
    if (!head) return internal_error("log: the store kept no checkpoint");
  }
  auto cp = tlog::parse_checkpoint(head->checkpoint);
  if (!cp) return internal_error("log: the stored checkpoint does not parse: " + cp.error().message);
  if (cp->origin != key_.name) {
    return internal_error("log: the stored checkpoint is of origin " + cp->origin + ", not " + key_.name +
                          ": the log was started under another --origin");
  }
  if (cp->size != head->size) return internal_error("log: the stored checkpoint's size is not the store's");
  if (!tlog::checkpoint_signed_by(*cp, key_.key, key_.name)) {
    return internal_error(
        "log: the stored checkpoint is not signed by this log key: a log keeps its key for life; "
        "a new key is a new log (another --origin and database)");
  }
  TRY_STATUS(append_hashes(0, head->size, [&](std::uint64_t a, std::uint64_t b) { return store_.leaf_hashes(a, b); }));
  TRY(Bytes root, tree_.root());
  if (root != cp->root_hash) {
    return internal_error("log: the stored checkpoint's root is not the root of the " + std::to_string(head->size) +
                          " stored entries: the database does not hold the tree it signed");
  }
  std::unique_lock lock(tree_mu_);
  published_ = {head->size, std::move(root), head->checkpoint};
  return ok_status();
}

Status Sequencer::catch_up() {
  std::unique_lock mutate(mutate_mu_, std::try_to_lock);
  if (!mutate.owns_lock()) return ok_status();  // a batch is in flight: it catches up itself
  TRY(const auto head, store_.head());
  if (!head) return ok_status();
  std::uint64_t have = 0;
  {
    std::shared_lock lock(tree_mu_);
    have = published_.size;
  }
  if (head->size == have) return ok_status();
  if (head->size < have) {
    return internal_error("log: the store holds " + std::to_string(head->size) + " entries, fewer than the " +
                          std::to_string(have) + " committed before");
  }
  auto cp = tlog::parse_checkpoint(head->checkpoint);
  if (!cp || cp->size != head->size) return internal_error("log: the stored checkpoint does not parse");
  auto appended =
      append_hashes(have, head->size, [&](std::uint64_t a, std::uint64_t b) { return store_.leaf_hashes(a, b); });
  std::unique_lock lock(tree_mu_);
  if (!appended) {
    tree_.truncate(have);
    return appended.error();
  }
  auto root = tree_.root();
  if (!root || *root != cp->root_hash) {
    tree_.truncate(have);
    return internal_error("log: the stored checkpoint's root is not the root of the stored entries");
  }
  published_ = {head->size, std::move(*root), head->checkpoint};
  return ok_status();
}

Published Sequencer::published() {
  if (auto st = catch_up(); !st) std::fprintf(stderr, "chartprov log: %s\n", st.error().message.c_str());
  std::shared_lock lock(tree_mu_);
  return published_;
}

Result<Bytes> Sequencer::hash_tile(const tlog::TileId& tile) {
  std::shared_lock lock(tree_mu_);
  if (tile.entries || !tile_inside(tile, published_.size))
    return input_error("log: " + tlog::tile_path(tile) + " is not in the tree");
  return tree_.tile(tile);
}

Result<std::vector<Bytes>> Sequencer::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) {
  std::shared_lock lock(tree_mu_);
  if (tree_size > published_.size) return input_error("log: the tree is smaller than " + std::to_string(tree_size));
  return tlog::inclusion_proof(tree_.nodes(), index, tree_size);
}

Result<Acknowledgement> Sequencer::submit(Submission submission) {
  auto p = std::make_unique<Pending>();
  p->submission = std::move(submission);
  auto done = p->done.get_future();
  {
    std::lock_guard lock(queue_mu_);
    if (stopping_) return internal_error("log: stopping");
    if (queue_.size() >= config_.max_queue) return internal_error("log: too many submissions waiting");
    queue_.push_back(std::move(p));
  }
  queue_cv_.notify_one();
  return done.get();
}

Sequencer::Batch Sequencer::next_batch() {
  std::unique_lock lock(queue_mu_);
  queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.size() < config_.batch_size && !stopping_) {
    queue_cv_.wait_for(lock, config_.batch_wait, [&] { return stopping_ || queue_.size() >= config_.batch_size; });
  }
  Batch batch;
  while (!queue_.empty() && batch.size() < config_.batch_size) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;  // empty only when stopping with nothing queued
}

void Sequencer::run() {
  for (;;) {
    Batch batch = next_batch();
    if (batch.empty()) return;
    sequence(batch);
  }
}

namespace {

// Where each waiter's entry is: its index, and the leaf when this batch logged it.
struct Slot {
  std::uint64_t index = 0;
  bool existed = false;
  Bytes leaf;  // empty for an entry logged by an earlier batch
};

}  // namespace

void Sequencer::sequence(Batch& batch) {
  std::lock_guard mutate(mutate_mu_);
  std::uint64_t before = 0;
  {
    std::shared_lock lock(tree_mu_);
    before = published_.size;
  }

  // One slot per waiter; the first waiter of a dedupe key stands for the others.
  std::vector<Slot> slots(batch.size());
  const auto run_txn = [&]() -> Status {
    TRY(auto txn, store_.begin_sequencing());
    TRY(const std::uint64_t size, txn->size());
    if (size < before) {
      return internal_error("the store holds " + std::to_string(size) + " entries, fewer than the " +
                            std::to_string(before) + " committed before");
    }
    TRY_STATUS(append_hashes(before, size, [&](std::uint64_t a, std::uint64_t b) { return txn->leaf_hashes(a, b); }));

    std::unordered_map<std::string, std::size_t> key_of;  // dedupe key (its bytes) -> position in keys
    std::vector<Bytes> keys;
    std::vector<std::size_t> first_waiter;
    std::vector<std::size_t> key_index(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Bytes& k = batch[i]->submission.dedupe;
      auto [it, inserted] = key_of.emplace(std::string(as_chars(k)), keys.size());
      if (inserted) {
        keys.push_back(k);
        first_waiter.push_back(i);
      }
      key_index[i] = it->second;
    }
    TRY(const auto found, txn->find(keys));
    if (found.size() != keys.size()) return internal_error("the store answered another number of dedupe keys");

    const std::int64_t now = config_.clock();
    std::vector<NewLeaf> leaves;
    std::vector<Slot> by_key(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (found[k]) {
        by_key[k] = {*found[k], true, {}};
        continue;
      }
      tlog::ChartEntry entry = batch[first_waiter[k]]->submission.entry;
      entry.event.time = now;
      TRY(const std::string body, tlog::chart_entry_body(entry));
      NewLeaf leaf{keys[k], to_bytes(body), tlog::leaf_hash(as_bytes(body))};
      by_key[k] = {size + leaves.size(), false, leaf.leaf};
      leaves.push_back(std::move(leaf));
    }
    if (!leaves.empty()) TRY_STATUS(txn->insert(size, leaves));
    const std::uint64_t new_size = size + leaves.size();
    Bytes root;
    {
      std::unique_lock lock(tree_mu_);
      for (const NewLeaf& l : leaves) TRY_STATUS(tree_.append(l.leaf_hash));
      TRY(root, tree_.root(new_size));
    }
    TRY(const std::string note, sign_checkpoint(new_size, root));
    TRY_STATUS(txn->set_checkpoint(new_size, note));
    TRY_STATUS(txn->commit());
    {
      std::unique_lock lock(tree_mu_);
      published_ = {new_size, std::move(root), note};
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      slots[i] = by_key[key_index[i]];
      if (first_waiter[key_index[i]] != i) slots[i].existed = true;  // the same content twice in one batch
    }
    return ok_status();
  };

  if (const Status st = run_txn(); !st) {
    {
      std::unique_lock lock(tree_mu_);
      tree_.truncate(before);
    }
    {
      const std::lock_guard counts(counts_mu_);
      ++batches_failed_;
    }
    for (auto& p : batch) p->done.set_value(sequencing_failed(st.error()));
    return;
  }
  {
    const std::lock_guard counts(counts_mu_);
    ++batches_committed_;
  }

  if (!config_.witnesses.empty()) cosign_published();
  Published pub;
  {
    std::shared_lock lock(tree_mu_);
    pub = published_;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto ack = [&]() -> Result<Acknowledgement> {
      Acknowledgement a;
      a.index = slots[i].index;
      a.existed = slots[i].existed;
      a.leaf = slots[i].leaf;
      if (a.leaf.empty()) {
        TRY(auto leaves, store_.leaves(a.index, a.index + 1));
        if (leaves.size() != 1) return internal_error("log: the store lost entry " + std::to_string(a.index));
        a.leaf = std::move(leaves.front());
      }
      a.tree_size = pub.size;
      a.root = pub.root;
      a.checkpoint = pub.checkpoint;
      std::shared_lock lock(tree_mu_);
      TRY(a.proof, tlog::inclusion_proof(tree_.nodes(), a.index, pub.size));
      return a;
    };
    batch[i]->done.set_value(ack());
  }
}

void Sequencer::count_into(LogMetrics& metrics) const {
  const std::lock_guard counts(counts_mu_);
  metrics.batches_committed = batches_committed_;
  metrics.batches_failed = batches_failed_;
  metrics.witness_failures = witness_failures_;
}

}  // namespace chartprov::app::log
