// The transparency log's proofs in process (issue 17's target: inclusion-proof
// verification under 1 ms). A tree of 2^20 leaves; what a verifier does with a
// bundle's entry offline (parse the checkpoint, check the log's Ed25519
// signature, hash the leaf, verify the inclusion proof), and the parts alone;
// what the log does per entry (append to its tree, make a proof).
#include <benchmark/benchmark.h>

#include <string>

#include "infra/openssl/pkey.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/proofs.hpp"

namespace {

using namespace chartprov;

constexpr std::uint64_t kLeaves = std::uint64_t{1} << 20;
constexpr std::uint64_t kIndex = 777777;

// A chart entry's size: the leaf a Rekor v2-style hashedrekord body is (about 700 bytes).
std::string entry(std::uint64_t i) { return std::string(680, 'e') + std::to_string(i); }

struct Log {
  tlog::HashTree tree;
  tlog::NoteKey key;
  std::string note;
  std::vector<Bytes> proof;
};

const Log& log_of_a_million() {
  static const Log log = [] {
    Log l;
    for (std::uint64_t i = 0; i < kLeaves; ++i) (void)l.tree.append(tlog::leaf_hash(as_bytes(entry(i))));
    l.key =
        std::move(tlog::make_note_key(std::move(crypto::generate_key("ed25519").value()), "log.example.com").value());
    const Bytes root = l.tree.root().value();
    l.note = tlog::sign_note(tlog::checkpoint_body("log.example.com", kLeaves, root).value(), l.key).value();
    l.proof = tlog::inclusion_proof(l.tree.nodes(), kIndex, kLeaves).value();
    return l;
  }();
  return log;
}

void BM_VerifyInclusionProof(benchmark::State& state) {
  const Log& log = log_of_a_million();
  const Bytes leaf = tlog::leaf_hash(as_bytes(entry(kIndex)));
  const Bytes root = log.tree.root().value();
  for (auto _ : state) {
    const bool ok = tlog::verify_inclusion(kIndex, kLeaves, leaf, log.proof, root);
    if (!ok) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_VerifyInclusionProof);

// The whole offline check of one log entry: parse + signature + leaf hash + proof.
void BM_VerifyEntryOffline(benchmark::State& state) {
  const Log& log = log_of_a_million();
  const std::string leaf = entry(kIndex);
  for (auto _ : state) {
    auto cp = tlog::parse_checkpoint(log.note);
    const bool ok = cp.ok() && tlog::checkpoint_signed_by(*cp, log.key.key, "log.example.com") &&
                    tlog::verify_inclusion(kIndex, cp->size, tlog::leaf_hash(as_bytes(leaf)), log.proof, cp->root_hash);
    if (!ok) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_VerifyEntryOffline)->Unit(benchmark::kMicrosecond);

void BM_VerifyConsistencyProof(benchmark::State& state) {
  const Log& log = log_of_a_million();
  const std::uint64_t old_size = kLeaves - 12345;
  const Bytes old_root = log.tree.root(old_size).value();
  const Bytes new_root = log.tree.root().value();
  const auto proof = tlog::consistency_proof(log.tree.nodes(), old_size, kLeaves).value();
  for (auto _ : state) {
    const bool ok = tlog::verify_consistency(old_size, kLeaves, old_root, new_root, proof);
    if (!ok) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_VerifyConsistencyProof);

void BM_MakeInclusionProof(benchmark::State& state) {
  const Log& log = log_of_a_million();
  std::uint64_t i = 0;
  for (auto _ : state) {
    auto proof = tlog::inclusion_proof(log.tree.nodes(), (i += 7919) % kLeaves, kLeaves);
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_MakeInclusionProof);

void BM_AppendToTree(benchmark::State& state) {
  tlog::HashTree tree;
  const Bytes leaf = tlog::leaf_hash(as_bytes(entry(1)));
  for (auto _ : state) {
    if (!tree.append(leaf).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendToTree);

}  // namespace
