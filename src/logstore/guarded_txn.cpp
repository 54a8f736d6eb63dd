#include "logstore/guarded_txn.hpp"

namespace chartprov::logstore {

Result<std::uint64_t> GuardedTxn::size() {
  TRY_STATUS(check_usable(state_));
  return size_;
}

Result<std::vector<Bytes>> GuardedTxn::leaf_hashes(std::uint64_t from, std::uint64_t to) {
  TRY_STATUS(check_usable(state_));
  TRY_STATUS(failed_on_error(check_range(from, to, kMaxLeafHashesPerRead, next_)));
  return failed_on_error(read_hashes(from, to));
}

Result<std::vector<std::optional<std::uint64_t>>> GuardedTxn::find(const std::vector<Bytes>& dedupe_keys) {
  TRY_STATUS(check_usable(state_));
  if (dedupe_keys.size() > kMaxKeysPerFind) {
    state_ = TxnState::kFailed;
    return input_error("log store: too many dedupe keys in one find");
  }
  return failed_on_error(find_keys(dedupe_keys));
}

Status GuardedTxn::insert(std::uint64_t first_index, const std::vector<app::log::NewLeaf>& leaves) {
  TRY_STATUS(check_usable(state_));
  TRY_STATUS(failed_on_error(check_insert(first_index, next_, leaves)));
  TRY_STATUS(failed_on_error(insert_leaves(first_index, leaves)));
  next_ = first_index + leaves.size();
  return ok_status();
}

Status GuardedTxn::set_checkpoint(std::uint64_t size, std::string_view checkpoint) {
  TRY_STATUS(check_usable(state_));
  TRY_STATUS(failed_on_error(check_checkpoint(size, next_, checkpoint.size())));
  return failed_on_error(write_state(size, checkpoint));
}

Status GuardedTxn::commit() {
  TRY_STATUS(check_usable(state_));
  TRY_STATUS(failed_on_error(commit_work()));
  state_ = TxnState::kDone;
  return ok_status();
}

}  // namespace chartprov::logstore
