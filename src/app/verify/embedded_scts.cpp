#include "app/verify/embedded_scts.hpp"

#include <algorithm>
#include <cstdint>

#include "envelope/sigstore/sct.hpp"
#include "envelope/sigstore/sct_signature.hpp"
#include "infra/openssl/digest.hpp"

namespace chartprov::app {
namespace {

const sigstore::TransparencyLog* find_ctlog(const std::vector<sigstore::TransparencyLog>& ctlogs, ByteView log_id) {
  for (const auto& log : ctlogs) {
    if (std::equal(log.log_id.begin(), log.log_id.end(), log_id.begin(), log_id.end())) return &log;
  }
  return nullptr;
}

}  // namespace

Result<std::size_t> verify_embedded_scts(const crypto::Certificate& leaf, const crypto::Certificate& issuer,
                                         const std::vector<sigstore::TransparencyLog>& ctlogs) {
  const auto extension = leaf.extension(crypto::kSctListOid);
  if (!extension) return verify_error("the signing certificate carries no embedded SCTs");
  auto scts = sigstore::parse_sct_list(*extension);
  if (!scts.ok()) return verify_error("the signing certificate's SCT list: " + scts.error().message);
  auto tbs = leaf.precert_tbs();
  if (!tbs.ok()) return tbs.error();
  const Bytes issuer_key_hash = crypto::sha256(issuer.spki_der());
  std::vector<const sigstore::TransparencyLog*> vouching;
  for (const sigstore::Sct& sct : *scts) {
    const sigstore::TransparencyLog* log = find_ctlog(ctlogs, sct.log_id);
    if (log == nullptr || !log->key) continue;
    if (std::find(vouching.begin(), vouching.end(), log) != vouching.end()) continue;
    // Milliseconds to whole seconds; every uint64 count of milliseconds fits an int64 of seconds.
    const auto seconds = static_cast<std::int64_t>(sct.timestamp_ms / 1000);
    if (!log->valid.contains(seconds)) continue;
    if (!sigstore::verify_sct(sct, sigstore::sct_signed_data(sct, issuer_key_hash, *tbs), log->key)) continue;
    vouching.push_back(log);
  }
  return vouching.size();
}

}  // namespace chartprov::app
