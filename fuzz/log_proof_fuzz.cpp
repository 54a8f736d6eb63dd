// Differential libFuzzer target for the log's proofs: the input picks two
// tree sizes, a leaf and one byte to bend. The proofs made from the tree in
// memory must equal those made from its tiles, must verify, and must stop
// verifying once any byte of them, or of a root, is changed.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/proofs.hpp"
#include "tlog/tile_nodes.hpp"

using namespace chartprov;

namespace {

constexpr std::uint64_t kLeaves = 600;

const tlog::HashTree& tree() {
  static const tlog::HashTree t = [] {
    tlog::HashTree built;
    for (std::uint64_t i = 0; i < kLeaves; ++i) {
      const std::uint8_t b[2] = {static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
      fuzz::check(built.append(tlog::leaf_hash(ByteView(b, 2))).ok());
    }
    return built;
  }();
  return t;
}

std::uint64_t pick(const std::uint8_t* data, std::size_t at, std::uint64_t below) {
  return ((std::uint64_t{data[at]} << 8) | data[at + 1]) % below;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  const std::uint64_t n = 1 + pick(data, 0, kLeaves);
  const std::uint64_t m = pick(data, 2, n + 1);
  const std::uint64_t index = pick(data, 4, n);
  const std::size_t bend = data[6];
  const auto bit = static_cast<std::uint8_t>(1u << (data[7] % 8));
  const tlog::NodeSource memory = tree().nodes();
  const tlog::NodeSource tiles = tlog::tile_nodes([](const tlog::TileId& id) { return tree().tile(id); }, n);
  const Bytes old_root = tree().root(m).value();
  const Bytes new_root = tree().root(n).value();
  fuzz::check(tlog::tree_root(tiles, n).value() == new_root);

  auto consistency = tlog::consistency_proof(memory, m, n);
  fuzz::check(consistency.ok() && consistency.value() == tlog::consistency_proof(tiles, m, n).value());
  fuzz::check(tlog::verify_consistency(m, n, old_root, new_root, *consistency));
  if (!consistency->empty()) {
    auto bent = *consistency;
    bent[bend % bent.size()][bend % 32] ^= bit;
    fuzz::check(!tlog::verify_consistency(m, n, old_root, new_root, bent));
  }
  if (m > 0 && m < n) {
    Bytes other = old_root;
    other[bend % 32] ^= bit;
    fuzz::check(!tlog::verify_consistency(m, n, other, new_root, *consistency));
  }

  const Bytes leaf = tree().nodes()(0, index).value();
  auto inclusion = tlog::inclusion_proof(memory, index, n);
  fuzz::check(inclusion.ok() && inclusion.value() == tlog::inclusion_proof(tiles, index, n).value());
  fuzz::check(tlog::verify_inclusion(index, n, leaf, *inclusion, new_root));
  if (!inclusion->empty()) {
    auto bent = *inclusion;
    bent[bend % bent.size()][bend % 32] ^= bit;
    fuzz::check(!tlog::verify_inclusion(index, n, leaf, bent, new_root));
  }
  return 0;
}
