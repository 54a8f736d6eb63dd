// The cosign-blob envelope's verify path on the project's vectors (the
// upstream rekor chart and its sign-blob signatures): what `chartprov verify
// --key cosign.pub` spends beyond process start-up and reading the chart.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "app/sign/blob_signer.hpp"
#include "app/verify/verify_plain.hpp"
#include "envelope/cosign/key_file.hpp"
#include "util/file.hpp"

namespace {

using namespace chartprov;

const std::filesystem::path kData = CHARTPROV_BENCH_DATA;
const std::filesystem::path kChart = kData / "cosign/upstream/rekor/test-0.1.0.tgz";

struct Vector {
  crypto::PKey key;
  Bytes chart, sig;
};

Vector load(const std::string& pub, const std::string& sig) {
  Vector v;
  v.key = app::load_public_key(kData / "cosign/generated/keys" / pub).value();
  v.chart = *read_file(kChart);
  v.sig = app::decode_blob_signature(*read_file(kData / "cosign/generated/blob" / sig));
  return v;
}

void verify_case(benchmark::State& state, const std::string& pub, const std::string& sig) {
  const Vector v = load(pub, sig);
  for (auto _ : state) {
    const bool ok = app::verify_blob(v.key, v.chart, v.sig);
    if (!ok) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(v.chart.size()));
}

void BM_VerifyBlob_EcdsaP256(benchmark::State& s) { verify_case(s, "chartprov-p256.pub", "test-0.1.0.tgz.sig"); }
void BM_VerifyBlob_Rsa4096(benchmark::State& s) {
  verify_case(s, "upstream-rs-rsa4096.pub", "test-0.1.0.tgz.upstream-rs-rsa4096.sig");
}

void BM_ReadCosignPub(benchmark::State& state) {
  const std::string pem = *read_text_file(kData / "cosign/generated/keys/chartprov-p256.pub");
  for (auto _ : state) {
    auto key = cosign::read_cosign_public_key(pem);
    benchmark::DoNotOptimize(key);
  }
}

void BM_DecodeSigFile(benchmark::State& state) {
  const Bytes file = *read_file(kData / "cosign/generated/blob/test-0.1.0.tgz.sig");
  for (auto _ : state) benchmark::DoNotOptimize(app::decode_blob_signature(file));
}

// The whole use case: key file, chart read with the archive limits, .sig found beside it.
void BM_VerifyWithKey_EcdsaP256(benchmark::State& state) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "chartprov-bench-cosign";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kChart, dir / "test-0.1.0.tgz", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(kData / "cosign/generated/blob/test-0.1.0.tgz.sig", dir / "test-0.1.0.tgz.sig",
                             std::filesystem::copy_options::overwrite_existing);
  app::PlainVerifyRequest req;
  req.chart = dir / "test-0.1.0.tgz";
  req.trust.key = kData / "cosign/generated/keys/chartprov-p256.pub";
  for (auto _ : state) {
    auto r = app::verify_plain(req);
    if (!r.ok() || !r->verified()) state.SkipWithError("did not verify");
    benchmark::DoNotOptimize(r);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_VerifyBlob_EcdsaP256);
BENCHMARK(BM_VerifyBlob_Rsa4096);
BENCHMARK(BM_ReadCosignPub);
BENCHMARK(BM_DecodeSigFile);
BENCHMARK(BM_VerifyWithKey_EcdsaP256);
