// Appends per second to chartprov's transparency log: the sequencer in process
// (app/log/sequencer.hpp) on a real store, with concurrent submitters that each wait for their
// acknowledgement (the entry durable, its proof and signed checkpoint made), as HTTP workers
// do. SQLite always (a file in a temporary directory); PostgreSQL when
// CHARTPROV_BENCH_PG=postgresql://... names a database (bench/run-log-bench.sh starts one).
// Arguments: submitting threads, batch size. Each run appends new entries (no dedupe hits).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "app/log/sequencer.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "infra/openssl/pkey.hpp"
#include "logstore/open_log_store.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app::log {
namespace {

constexpr int kPerThread = 100;  // submissions per thread per iteration

std::atomic<std::uint64_t> g_serial{0};

// A distinct, well-formed hashedrekord entry (signatures are checked before the sequencer).
Submission next_submission() {
  const std::uint64_t n = g_serial.fetch_add(1) + static_cast<std::uint64_t>(std::time(nullptr)) * 1000000;
  Submission s;
  s.entry.kind = tlog::EntryKind::hashedrekord;
  s.entry.event = {"chart-" + std::to_string(n), "1.0.0", "sigstore-bundle", 0};
  s.entry.digest = crypto::sha256(as_bytes(std::to_string(n)));
  s.entry.signature = Bytes(72, 0x30);
  s.entry.public_key = Bytes(91, 0x30);
  s.entry.key_details = "PKIX_ECDSA_P256_SHA_256";
  auto key = dedupe_key(s.entry);
  if (key.ok()) s.dedupe = *key;
  return s;
}

void append(benchmark::State& state, const std::string& db_url) {
  const int threads = static_cast<int>(state.range(0));
  auto store = logstore::open_log_store(db_url);
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  // One log key for the whole run: a PostgreSQL database outlives each benchmark, and a log keeps its key.
  static const SecretBytes kLogKey = [] {
    auto k = crypto::generate_key("ed25519");
    return k.ok() ? std::move(crypto::private_key_info_der(*k).value()) : SecretBytes();
  }();
  auto key = crypto::parse_private_key_info_der(kLogKey.bytes());
  auto note_key =
      key.ok() ? tlog::make_note_key(std::move(*key), "bench.log.invalid") : Result<tlog::NoteKey>(key.error());
  if (!note_key) {
    state.SkipWithError(note_key.error().message.c_str());
    return;
  }
  SequencerConfig config;
  config.batch_size = static_cast<std::size_t>(state.range(1));
  config.batch_wait = std::chrono::milliseconds(2);
  auto seq = Sequencer::start(**store, std::move(*note_key), config);
  if (!seq) {
    state.SkipWithError(seq.error().message.c_str());
    return;
  }
  std::atomic<int> failed = 0;
  for (auto _ : state) {
    std::vector<std::thread> submitters;
    for (int t = 0; t < threads; ++t) {
      submitters.emplace_back([&] {
        for (int i = 0; i < kPerThread; ++i) {
          if (!(*seq)->submit(next_submission())) ++failed;
        }
      });
    }
    for (auto& th : submitters) th.join();
  }
  if (failed > 0) state.SkipWithError("submissions failed");
  state.SetItemsProcessed(state.iterations() * threads * kPerThread);
  state.counters["tree_size"] = static_cast<double>((*seq)->published().size);
}

void sqlite_append(benchmark::State& state) {
  auto dir = TempDir::create("chartprov-log-bench");
  if (!dir) {
    state.SkipWithError(dir.error().message.c_str());
    return;
  }
  append(state, "sqlite:" + (dir->path() / "log.db").string());
}

void postgres_append(benchmark::State& state) { append(state, std::getenv("CHARTPROV_BENCH_PG")); }

void arguments(benchmark::internal::Benchmark* b) {
  b->ArgNames({"submitters", "batch"})->Args({1, 256})->Args({16, 256})->Args({64, 256})->Args({256, 256});
  b->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(3);
}

BENCHMARK(sqlite_append)->Apply(arguments);

const bool kPostgres = [] {
  const char* url = std::getenv("CHARTPROV_BENCH_PG");
  if (url != nullptr && *url != '\0')
    benchmark::RegisterBenchmark("postgres_append", postgres_append)->Apply(arguments);
  return true;
}();

}  // namespace
}  // namespace chartprov::app::log
