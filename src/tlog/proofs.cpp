#include "tlog/proofs.hpp"

#include <bit>
#include <string>

#include "infra/openssl/digest.hpp"
#include "tlog/merkle.hpp"

namespace chartprov::tlog {
namespace {

// The largest power of two below n (n > 1).
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

// MTH(D[begin:begin+n]), n > 0, begin a multiple of the largest power of two
// not above n (true of every range the RFC's recursions make from 0).
Result<Bytes> subtree(const NodeSource& nodes, std::uint64_t begin, std::uint64_t n) {
  if (std::has_single_bit(n)) {
    const auto level = static_cast<unsigned>(std::countr_zero(n));
    return nodes(level, begin >> level);
  }
  const std::uint64_t k = split_point(n);
  TRY(const Bytes left, subtree(nodes, begin, k));
  TRY(const Bytes right, subtree(nodes, begin + k, n - k));
  return node_hash(left, right);
}

Status path(const NodeSource& nodes, std::uint64_t m, std::uint64_t begin, std::uint64_t n, std::vector<Bytes>& out) {
  if (n <= 1) return ok_status();
  const std::uint64_t k = split_point(n);
  if (m < k) {
    TRY_STATUS(path(nodes, m, begin, k, out));
    TRY(Bytes sibling, subtree(nodes, begin + k, n - k));
    out.push_back(std::move(sibling));
  } else {
    TRY_STATUS(path(nodes, m - k, begin + k, n - k, out));
    TRY(Bytes sibling, subtree(nodes, begin, k));
    out.push_back(std::move(sibling));
  }
  return ok_status();
}

Status subproof(const NodeSource& nodes, std::uint64_t m, std::uint64_t begin, std::uint64_t n, bool whole,
                std::vector<Bytes>& out) {
  if (m == n) {
    if (!whole) {
      TRY(Bytes root, subtree(nodes, begin, n));
      out.push_back(std::move(root));
    }
    return ok_status();
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    TRY_STATUS(subproof(nodes, m, begin, k, whole, out));
    TRY(Bytes right, subtree(nodes, begin + k, n - k));
    out.push_back(std::move(right));
  } else {
    TRY_STATUS(subproof(nodes, m - k, begin + k, n - k, false, out));
    TRY(Bytes left, subtree(nodes, begin, k));
    out.push_back(std::move(left));
  }
  return ok_status();
}

}  // namespace

Result<Bytes> tree_root(const NodeSource& nodes, std::uint64_t size) {
  if (size == 0) return crypto::sha256(ByteView{});
  return subtree(nodes, 0, size);
}

Result<std::vector<Bytes>> inclusion_proof(const NodeSource& nodes, std::uint64_t index, std::uint64_t size) {
  if (index >= size) {
    return input_error("inclusion proof: index " + std::to_string(index) + " is not in a tree of " +
                       std::to_string(size) + " leaves");
  }
  std::vector<Bytes> out;
  TRY_STATUS(path(nodes, index, 0, size, out));
  return out;
}

Result<std::vector<Bytes>> consistency_proof(const NodeSource& nodes, std::uint64_t old_size, std::uint64_t new_size) {
  if (old_size > new_size) {
    return input_error("consistency proof: tree of " + std::to_string(old_size) + " leaves is larger than " +
                       std::to_string(new_size));
  }
  std::vector<Bytes> out;
  if (old_size == 0 || old_size == new_size) return out;
  TRY_STATUS(subproof(nodes, old_size, 0, new_size, true, out));
  return out;
}

}  // namespace chartprov::tlog
