#pragma once
// The sequencing transaction both stores share (app/log/log_store.hpp): every
// call is checked first (store_checks.hpp) and refused once the transaction
// failed or finished; any error, a refused call included, leaves it good only
// for rollback; commit() finishes it. A store supplies the database steps
// over its own connection, and rolls back in its destructor unless
// committed().
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "app/log/log_store.hpp"
#include "logstore/store_checks.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

class GuardedTxn : public app::log::SequencingTxn {
 public:
  explicit GuardedTxn(std::uint64_t size) : size_(size), next_(size) {}

  Result<std::uint64_t> size() final;
  Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) final;
  Result<std::vector<std::optional<std::uint64_t>>> find(const std::vector<Bytes>& dedupe_keys) final;
  Status insert(std::uint64_t first_index, const std::vector<app::log::NewLeaf>& leaves) final;
  Status set_checkpoint(std::uint64_t size, std::string_view checkpoint) final;
  Status commit() final;

 protected:
  [[nodiscard]] bool committed() const { return state_ == TxnState::kDone; }

  // The database steps, called only with arguments the checks passed.
  virtual Result<std::vector<Bytes>> read_hashes(std::uint64_t from, std::uint64_t to) = 0;
  virtual Result<std::vector<std::optional<std::uint64_t>>> find_keys(const std::vector<Bytes>& keys) = 0;
  virtual Status insert_leaves(std::uint64_t first_index, const std::vector<app::log::NewLeaf>& leaves) = 0;
  virtual Status write_state(std::uint64_t size, std::string_view checkpoint) = 0;
  virtual Status commit_work() = 0;

 private:
  template <typename T>
  T failed_on_error(T result) {
    if (!result.ok()) state_ = TxnState::kFailed;
    return result;
  }

  TxnState state_ = TxnState::kOpen;
  std::uint64_t size_;
  std::uint64_t next_;  // the index the next insert must start at
};

}  // namespace chartprov::logstore
