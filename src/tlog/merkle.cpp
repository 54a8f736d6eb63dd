#include "tlog/merkle.hpp"

#include <algorithm>

#include "infra/openssl/digest.hpp"

namespace chartprov::tlog {

Bytes leaf_hash(ByteView entry) {
  Bytes in;
  in.reserve(entry.size() + 1);
  in.push_back(0x00);
  in.insert(in.end(), entry.begin(), entry.end());
  return crypto::sha256(in);
}

Bytes node_hash(ByteView left, ByteView right) {
  Bytes in;
  in.reserve(left.size() + right.size() + 1);
  in.push_back(0x01);
  in.insert(in.end(), left.begin(), left.end());
  in.insert(in.end(), right.begin(), right.end());
  return crypto::sha256(in);
}

bool verify_inclusion(std::uint64_t index, std::uint64_t tree_size, ByteView leaf, const std::vector<Bytes>& proof,
                      ByteView root) {
  if (index >= tree_size || leaf.size() != 32 || root.size() != 32 || proof.size() > 64) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Bytes r(leaf.begin(), leaf.end());
  for (const auto& p : proof) {
    if (p.size() != 32 || sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && std::equal(r.begin(), r.end(), root.begin(), root.end());
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, ByteView old_root, ByteView new_root,
                        const std::vector<Bytes>& proof) {
  if (old_root.size() != 32 || new_root.size() != 32 || old_size > new_size || proof.size() > 128) return false;
  const auto same = [](ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); };
  if (old_size == new_size) return proof.empty() && same(old_root, new_root);
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Bytes> path;
  path.reserve(proof.size() + 1);
  if ((old_size & (old_size - 1)) == 0) path.emplace_back(old_root.begin(), old_root.end());
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  if (path[0].size() != 32) return false;
  Bytes fr = path[0];
  Bytes sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Bytes& c = path[i];
    if (c.size() != 32 || sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && same(fr, old_root) && same(sr, new_root);
}

}  // namespace chartprov::tlog
