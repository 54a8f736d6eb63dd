#pragma once
// RFC 9162 proofs made from a tree's complete subtrees. A NodeSource answers
// the hash of the complete subtree of height `level` whose leftmost leaf is
// index << level (level 0: a leaf hash); hash_tree.hpp answers from memory,
// tile_reader.hpp from a log's tiles. Every function asks only for complete
// subtrees inside the tree it is given.
#include <cstdint>
#include <functional>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

using NodeSource = std::function<Result<Bytes>(unsigned level, std::uint64_t index)>;

// MTH(D[0:size]), RFC 9162 2.1.1; the empty tree's root is SHA-256("").
Result<Bytes> tree_root(const NodeSource& nodes, std::uint64_t size);

// PATH(index, D[0:size]), RFC 9162 2.1.3.1. Refusal (input error): index not
// below size ("inclusion proof: index I is not in a tree of S leaves").
// The source's errors pass through.
Result<std::vector<Bytes>> inclusion_proof(const NodeSource& nodes, std::uint64_t index, std::uint64_t size);

// PROOF(old_size, D[0:new_size]), RFC 9162 2.1.4.1; empty when old_size is 0
// or equals new_size. Refusal (input error): old_size above new_size
// ("consistency proof: tree of O leaves is larger than S").
Result<std::vector<Bytes>> consistency_proof(const NodeSource& nodes, std::uint64_t old_size, std::uint64_t new_size);

}  // namespace chartprov::tlog
