// The log's own tree (issue 17): HashTree, CompactRange, proofs from memory
// and from tiles, against a Merkle tree hash written straight from RFC 9162
// 2.1.1 here, and against verify_inclusion (checked on Rekor's real proofs in
// tlog_test.cpp).
#include <gtest/gtest.h>

#include <bit>
#include <string>

#include "infra/openssl/digest.hpp"
#include "tlog/compact_range.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/proofs.hpp"
#include "tlog/tile_nodes.hpp"

namespace chartprov::tlog {
namespace {

Bytes leaf(std::uint64_t i) { return leaf_hash(as_bytes("entry " + std::to_string(i))); }

// MTH(D[begin:end]) by the RFC's definition: split at the largest power of two below n.
Bytes reference_root(std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 0) return crypto::sha256(ByteView{});
  if (n == 1) return leaf(begin);
  const std::uint64_t k = std::bit_floor(n - 1);
  return node_hash(reference_root(begin, begin + k), reference_root(begin + k, end));
}

HashTree tree_of(std::uint64_t size) {
  HashTree tree;
  for (std::uint64_t i = 0; i < size; ++i) EXPECT_TRUE(tree.append(leaf(i)).ok());
  return tree;
}

TEST(HashTree, RootsMatchTheRfcDefinitionAtEverySize) {
  const HashTree tree = tree_of(300);
  for (std::uint64_t size = 0; size <= 300; ++size) {
    auto root = tree.root(size);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(*root, reference_root(0, size)) << size;
  }
  EXPECT_FALSE(tree.root(301).ok());
}

TEST(HashTree, RefusesALeafHashOfAnotherLength) {
  HashTree tree;
  EXPECT_FALSE(tree.append(Bytes(31, 0)).ok());
  EXPECT_EQ(tree.size(), 0u);
}

TEST(HashTree, TruncateForgetsWhatDidNotCommit) {
  HashTree tree = tree_of(100);
  const Bytes before = *tree.root(77);
  tree.truncate(77);
  EXPECT_EQ(tree.size(), 77u);
  EXPECT_EQ(*tree.root(), before);
  for (std::uint64_t i = 77; i < 130; ++i) ASSERT_TRUE(tree.append(leaf(i)).ok());
  EXPECT_EQ(*tree.root(), reference_root(0, 130));
}

TEST(Proofs, InclusionProofsVerifyAndOnlyForTheirLeaf) {
  const HashTree tree = tree_of(70);
  for (std::uint64_t size = 1; size <= 70; size += 3) {
    const Bytes root = reference_root(0, size);
    for (std::uint64_t i = 0; i < size; ++i) {
      auto proof = inclusion_proof(tree.nodes(), i, size);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(verify_inclusion(i, size, leaf(i), *proof, root)) << i << "/" << size;
      EXPECT_FALSE(verify_inclusion(i, size, leaf(i + 1), *proof, root));
      if (!proof->empty()) {
        auto bent = *proof;
        bent.back()[0] ^= 1;
        EXPECT_FALSE(verify_inclusion(i, size, leaf(i), bent, root));
      }
    }
  }
  EXPECT_FALSE(inclusion_proof(tree.nodes(), 5, 5).ok());
}

TEST(Proofs, ConsistencyProofsVerifyBetweenEveryPairOfSizes) {
  const HashTree tree = tree_of(40);
  for (std::uint64_t m = 0; m <= 40; ++m) {
    for (std::uint64_t n = m; n <= 40; ++n) {
      auto proof = consistency_proof(tree.nodes(), m, n);
      ASSERT_TRUE(proof.ok());
      const Bytes old_root = reference_root(0, m);
      const Bytes new_root = reference_root(0, n);
      EXPECT_TRUE(verify_consistency(m, n, old_root, new_root, *proof)) << m << "->" << n;
      if (m > 0 && m < n) {
        EXPECT_FALSE(verify_consistency(m, n, reference_root(0, m - 1), new_root, *proof)) << m << "->" << n;
        EXPECT_FALSE(verify_consistency(m, n, old_root, reference_root(0, n - 1), *proof)) << m << "->" << n;
        auto bent = *proof;
        bent.front()[5] ^= 0x10;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bent)) << m << "->" << n;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, {})) << m << "->" << n;
      }
    }
  }
  EXPECT_FALSE(consistency_proof(tree.nodes(), 9, 8).ok());
  EXPECT_FALSE(verify_consistency(9, 8, reference_root(0, 9), reference_root(0, 8), {}));
}

TEST(CompactRange, AppendsToTheSameRootAndRoundTrips) {
  CompactRange range;
  EXPECT_EQ(range.root(), reference_root(0, 0));
  for (std::uint64_t i = 0; i < 260; ++i) {
    ASSERT_TRUE(range.append(leaf(i)).ok());
    ASSERT_EQ(range.root(), reference_root(0, i + 1)) << i;
  }
  EXPECT_EQ(range.hashes().size(), static_cast<std::size_t>(std::popcount(std::uint64_t{260})));
  auto again = CompactRange::from(range.size(), range.hashes());
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->append(leaf(260)).ok());
  EXPECT_EQ(again->root(), reference_root(0, 261));
  EXPECT_FALSE(CompactRange::from(260, {}).ok());
  EXPECT_FALSE(CompactRange::from(1, {Bytes(31, 0)}).ok());
  EXPECT_FALSE(range.append(Bytes(33, 0)).ok());
}

TEST(TileNodes, ProofsFromTilesEqualProofsFromMemory) {
  // 256*256 + 300 leaves: full and partial tiles at levels 0 and 1, and a level-2 tile.
  const std::uint64_t size = 65536 + 300;
  const HashTree tree = tree_of(size);
  int fetches = 0;
  const TileFetcher fetch = [&](const TileId& id) {
    ++fetches;
    return tree.tile(id);
  };
  const NodeSource tiles = tile_nodes(fetch, size);
  auto root = tree_root(tiles, size);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, *tree.root());
  for (std::uint64_t i : {std::uint64_t{0}, std::uint64_t{255}, std::uint64_t{256}, std::uint64_t{40000}, size - 1}) {
    auto from_tiles = inclusion_proof(tiles, i, size);
    ASSERT_TRUE(from_tiles.ok());
    EXPECT_EQ(*from_tiles, *inclusion_proof(tree.nodes(), i, size)) << i;
  }
  for (std::uint64_t m : {std::uint64_t{1}, std::uint64_t{256}, std::uint64_t{1000}, std::uint64_t{65536}}) {
    auto from_tiles = consistency_proof(tiles, m, size);
    ASSERT_TRUE(from_tiles.ok());
    EXPECT_EQ(*from_tiles, *consistency_proof(tree.nodes(), m, size)) << m;
  }
  const int after = fetches;
  ASSERT_TRUE(tree_root(tiles, size).ok());
  EXPECT_EQ(fetches, after) << "each tile is fetched once";
}

TEST(TileNodes, RefusesTilesOfTheWrongLengthAndNodesOutsideTheTree) {
  const HashTree tree = tree_of(10);
  const NodeSource short_tiles =
      tile_nodes([](const TileId&) -> Result<Bytes> { return Bytes(std::size_t{32} * 3, 0); }, 10);
  auto r = tree_root(short_tiles, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tile/0/000.p/10: 96 bytes where 320 were expected"), std::string::npos)
      << r.error().message;
  const NodeSource tiles = tile_nodes([&](const TileId& id) { return tree.tile(id); }, 10);
  EXPECT_FALSE(tiles(0, 10).ok());
  EXPECT_FALSE(tiles(2, 2).ok());
  EXPECT_TRUE(tiles(3, 0).ok());
  EXPECT_FALSE(tiles(63, 1).ok());
}

TEST(HashTree, ServesTilesOnlyAsWideAsItHolds) {
  const HashTree tree = tree_of(300);
  auto full = tree.tile(TileId{false, 0, 0, 256});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->size(), 256u * 32);
  EXPECT_EQ(Bytes(full->begin() + std::ptrdiff_t{32} * 5, full->begin() + std::ptrdiff_t{32} * 6), leaf(5));
  EXPECT_TRUE(tree.tile(TileId{false, 0, 1, 44}).ok());
  EXPECT_TRUE(tree.tile(TileId{false, 0, 1, 10}).ok());
  EXPECT_FALSE(tree.tile(TileId{false, 0, 1, 45}).ok());
  EXPECT_FALSE(tree.tile(TileId{false, 0, 1, 256}).ok());
  auto upper = tree.tile(TileId{false, 1, 0, 1});
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, reference_root(0, 256));
  EXPECT_FALSE(tree.tile(TileId{false, 1, 0, 2}).ok());
  EXPECT_FALSE(tree.tile(TileId{true, 0, 0, 256}).ok());
}

}  // namespace
}  // namespace chartprov::tlog
