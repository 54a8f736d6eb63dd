#pragma once
// RFC 6962 / RFC 9162 Merkle trees as Rekor uses them: leaf hash, interior
// hash, inclusion proof verification (RFC 9162 section 2.1.3.2) and
// consistency proof verification (section 2.1.4.2).
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"

namespace chartprov::tlog {

Bytes leaf_hash(ByteView entry);                 // SHA-256(0x00 || entry)
Bytes node_hash(ByteView left, ByteView right);  // SHA-256(0x01 || left || right)

// Whether `proof` shows the leaf with hash `leaf` at `index` in a tree of
// `tree_size` leaves whose root is `root`. Malformed input is simply false.
bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, ByteView leaf, const std::vector<Bytes>& proof,
                      ByteView root);

// Whether `proof` shows the tree of `old_size` leaves with root `old_root` to
// be a prefix of the tree of `new_size` leaves with root `new_root` (RFC 9162
// section 2.1.4.2). Equal sizes need equal roots and an empty proof; an old
// size of 0 needs an empty proof. Malformed input is simply false.
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, ByteView old_root, ByteView new_root,
                        const std::vector<Bytes>& proof);

}  // namespace chartprov::tlog
