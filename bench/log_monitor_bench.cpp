// The log monitor's catch-up (issue 17: "monitor catch-up on 1,000,000
// entries, in entries per second"). A log of 2^20 hashedrekord chart entries
// signed by four ECDSA P-256 keys (three listed in the trust root, one not;
// every 1000th entry for a chart its key may not sign), served from memory as
// encoded entry bundles: what `chartprov log monitor` does with them (hash
// onto the compact range, check the root against the signed checkpoint,
// parse and judge each entry), without the network. The parts alone, per
// entry: the leaf hash onto the compact range, parse_chart_entry, the judge.
// The whole command against a real `chartprov log serve`: bench/run-log-monitor-bench.sh.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "app/log/entry_judgement.hpp"
#include "app/log/entry_signature.hpp"
#include "app/log/monitor.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/compact_range.hpp"
#include "tlog/entry_bundle.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"

namespace {

using namespace chartprov;

constexpr std::uint64_t kEntries = std::uint64_t{1} << 20;
constexpr const char* kOrigin = "log.example.com";
constexpr std::size_t kSignaturesPerKey = 256;  // signatures made once, reused with other chart versions

struct Signer {
  crypto::PKey key;
  Bytes spki;
  std::vector<std::pair<Bytes, Bytes>> signed_digests;  // digest, ECDSA signature
};

struct Log {
  std::vector<Signer> signers;
  trust::TrustRoot root;
  tlog::HashTree tree;
  std::vector<Bytes> bundles;  // encoded, 256 entries each
  tlog::NoteKey key;
  std::string note;
  std::vector<Bytes> sample;  // the first bundle's entries
};

const char* const kCharts[] = {"web", "api-gateway", "payments", "billing-worker"};

const Log& big_log() {
  static const Log log = [] {
    Log l;
    for (int s = 0; s < 4; ++s) {
      Signer signer;
      signer.key = crypto::generate_key("ecdsa-p256").value();
      signer.spki = crypto::spki_der(signer.key).value();
      for (std::size_t i = 0; i < kSignaturesPerKey; ++i) {
        Bytes digest = crypto::sha256(as_bytes(std::to_string(s) + "/" + std::to_string(i)));
        Bytes sig = crypto::sign_digest_encoded(signer.key, crypto::DigestAlg::kSha256, digest).value();
        signer.signed_digests.emplace_back(std::move(digest), std::move(sig));
      }
      if (s < 3) {
        trust::SigningKey k;
        k.key.key_id = crypto::spki_key_id(signer.key).value();
        k.key.key = crypto::parse_spki_der(signer.spki).value();
        k.owner = "team-" + std::to_string(s);
        k.allowed_charts = {kCharts[s], std::string(kCharts[s]) + "-*"};
        k.allowed_environments = {"*"};
        l.root.signing_keys.push_back(std::move(k));
      }
      l.signers.push_back(std::move(signer));
    }
    std::vector<Bytes> bundle;
    for (std::uint64_t i = 0; i < kEntries; ++i) {
      const std::size_t s = i % 3 == 0 && i % 7 == 0 ? 3 : i % 3;  // a seventh of a third by the unlisted key
      const Signer& signer = l.signers[s];
      const auto& [digest, sig] = signer.signed_digests[(i / 4) % kSignaturesPerKey];
      tlog::ChartEntry e;
      // Its own chart, but every 1000th entry one its key may not sign.
      const std::size_t chart = i % 1000 == 999 ? (s + 1) % 3 : s % 3;
      e.event = {kCharts[chart], "1." + std::to_string(i / 1000) + "." + std::to_string(i % 1000), "sigstore-bundle",
                 1765000000 + static_cast<std::int64_t>(i)};
      e.digest = digest;
      e.signature = sig;
      e.public_key = signer.spki;
      e.key_details = "PKIX_ECDSA_P256_SHA_256";
      const std::string body = tlog::chart_entry_body(e).value();
      Bytes leaf(body.begin(), body.end());
      (void)l.tree.append(tlog::leaf_hash(leaf));
      bundle.push_back(std::move(leaf));
      if (bundle.size() == tlog::kTileWidth || i + 1 == kEntries) {
        if (l.sample.empty()) l.sample = bundle;
        l.bundles.push_back(tlog::encode_entry_bundle(bundle).value());
        bundle.clear();
      }
    }
    l.key = tlog::make_note_key(crypto::generate_key("ed25519").value(), kOrigin).value();
    l.note = tlog::sign_note(tlog::checkpoint_body(kOrigin, kEntries, l.tree.root().value()).value(), l.key).value();
    return l;
  }();
  return log;
}

// The log's bundles from memory, as the HTTP reader hands them over (copies).
class MemoryReader final : public app::log::LogReader {
 public:
  explicit MemoryReader(const Log& log) : log_(log) {}
  Result<std::string> checkpoint() override { return log_.note; }
  Result<std::vector<Bytes>> tiles(const std::vector<tlog::TileId>& ids) override {
    std::vector<Bytes> out;
    out.reserve(ids.size());
    for (const auto& id : ids) out.push_back(log_.bundles.at(id.index));
    return out;
  }

 private:
  const Log& log_;
};

void BM_MonitorCatchUp(benchmark::State& state) {
  const Log& log = big_log();
  const app::log::MonitoredLog monitored{"http://log.example.com", kOrigin,
                                         crypto::parse_spki_der(crypto::spki_der(log.key.key).value()).value()};
  std::size_t alerts = 0;
  for (auto _ : state) {
    MemoryReader reader(log);
    app::log::EntryJudge judge(log.root, {});
    const auto r = app::log::check_log(reader, monitored, std::nullopt, judge);
    if (!r.next || r.to != kEntries) state.SkipWithError("the round did not check the log");
    alerts = r.alerts.size();
  }
  state.counters["alerts"] = static_cast<double>(alerts);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEntries));
}
BENCHMARK(BM_MonitorCatchUp)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_EntryLeafHashOntoRange(benchmark::State& state) {
  const Log& log = big_log();
  tlog::CompactRange range;
  std::size_t i = 0;
  for (auto _ : state) {
    (void)range.append(tlog::leaf_hash(log.sample[i++ % log.sample.size()]));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EntryLeafHashOntoRange);

// The audit (log monitor --verify-signatures): every entry's signature checked again.
void BM_EntrySignatureCheck(benchmark::State& state) {
  const Log& log = big_log();
  std::vector<tlog::ChartEntry> entries;
  for (const auto& leaf : log.sample) entries.push_back(tlog::parse_chart_entry(leaf).value());
  std::size_t i = 0;
  for (auto _ : state) {
    const tlog::ChartEntry& e = entries[i++ % entries.size()];
    if (!app::log::check_entry_signature(e, e.event.time).ok()) state.SkipWithError("a signature did not verify");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EntrySignatureCheck);

void BM_EntryParse(benchmark::State& state) {
  const Log& log = big_log();
  std::size_t i = 0;
  for (auto _ : state) {
    auto e = tlog::parse_chart_entry(log.sample[i++ % log.sample.size()]);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EntryParse);

void BM_EntryJudge(benchmark::State& state) {
  const Log& log = big_log();
  std::vector<tlog::ChartEntry> entries;
  for (const auto& leaf : log.sample) entries.push_back(tlog::parse_chart_entry(leaf).value());
  app::log::EntryJudge judge(log.root, {});
  std::size_t i = 0;
  for (auto _ : state) {
    auto v = judge.judge(entries[i++ % entries.size()]);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EntryJudge);

}  // namespace
