#include "logstore/store_checks.hpp"

#include <string>

namespace chartprov::logstore {
namespace {

std::string range_text(std::uint64_t from, std::uint64_t to) {
  std::string out = "[";
  out.append(std::to_string(from)).append(", ").append(std::to_string(to)).append(")");
  return out;
}

}  // namespace

Status check_range(std::uint64_t from, std::uint64_t to, std::uint64_t max_count, std::uint64_t size) {
  if (from >= to) return input_error("log store: empty range " + range_text(from, to));
  if (to - from > max_count)
    return input_error("log store: range " + range_text(from, to) + " holds more than " + std::to_string(max_count) +
                       " entries");
  if (to > size)
    return input_error("log store: range " + range_text(from, to) + " is beyond the tree of " + std::to_string(size) +
                       " entries");
  return ok_status();
}

Status check_insert(std::uint64_t first_index, std::uint64_t next, const std::vector<app::log::NewLeaf>& leaves) {
  if (first_index != next)
    return input_error("log store: insert at " + std::to_string(first_index) + ", the next index is " +
                       std::to_string(next));
  if (leaves.empty()) return input_error("log store: insert of no entries");
  for (const auto& leaf : leaves) {
    if (leaf.dedupe.size() != kHashSize) return input_error("log store: a dedupe key is not 32 bytes");
    if (leaf.leaf_hash.size() != kHashSize) return input_error("log store: a leaf hash is not 32 bytes");
    if (leaf.leaf.empty() || leaf.leaf.size() > kMaxLeafSize)
      return input_error("log store: a leaf is empty or over " + std::to_string(kMaxLeafSize) + " bytes");
  }
  return ok_status();
}

Status check_checkpoint(std::uint64_t size, std::uint64_t next, std::size_t checkpoint_size) {
  if (size != next)
    return input_error("log store: checkpoint of size " + std::to_string(size) + " over " + std::to_string(next) +
                       " entries");
  if (checkpoint_size == 0 || checkpoint_size > (64u << 10))
    return input_error("log store: a checkpoint is empty or over 64 KiB");
  return ok_status();
}

Status check_usable(TxnState state) {
  switch (state) {
    case TxnState::kOpen: return ok_status();
    case TxnState::kFailed: return input_error("log store: the transaction failed earlier and can only be rolled back");
    case TxnState::kDone: break;
  }
  return input_error("log store: the transaction is finished");
}

}  // namespace chartprov::logstore
