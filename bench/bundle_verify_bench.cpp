// Sigstore bundle verification as a function: key-only, and with the trusted
// root (inclusion proof, checkpoint signature, SET, RFC 3161 timestamp with
// its certificate chain) on the sigstore-conformance managed-key bundle.
#include <benchmark/benchmark.h>

#include "app/sign/blob_signer.hpp"
#include "app/verify/bundle_verify.hpp"
#include "util/file.hpp"

namespace {

using namespace chartprov;

struct Fixture {
  std::string bundle;
  Bytes artifact;
  crypto::PKey key;
  sigstore::TrustedRoot root;
  Fixture() {
    const std::string d = std::string(CHARTPROV_BENCH_DATA) + "/cosign/";
    bundle = *read_text_file(d + "upstream/sigstore-conformance/managed-key-happy-path/bundle.sigstore.json", 1u << 20);
    artifact = *read_file(d + "upstream/sigstore-conformance/a.txt", 1u << 20);
    key = std::move(app::load_public_key(d + "upstream/sigstore-conformance/managed-key-happy-path/key.pub").value());
    root = std::move(app::load_trusted_root(d + "upstream/sigstore-js/trusted_root.json").value());
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_BundleKeyOnly(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    const auto c = app::verify_bundle(ByteView(f.artifact), f.bundle, f.key, nullptr);
    if (!c.verified) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_BundleKeyOnly);

void BM_BundleWithTrustedRoot(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    const auto c = app::verify_bundle(ByteView(f.artifact), f.bundle, f.key, &f.root);
    if (!c.verified || c.tlog_entries_verified != 1 || c.timestamps_verified != 1)
      state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_BundleWithTrustedRoot);

void BM_TrustedRootParse(benchmark::State& state) {
  const std::string d = std::string(CHARTPROV_BENCH_DATA) + "/cosign/upstream/sigstore-js/trusted_root.json";
  const std::string text = *read_text_file(d, 1u << 20);
  for (auto _ : state) benchmark::DoNotOptimize(sigstore::parse_trusted_root(text));
}
BENCHMARK(BM_TrustedRootParse);

}  // namespace
