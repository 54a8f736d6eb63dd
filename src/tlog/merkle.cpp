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

}  // namespace chartprov::tlog
