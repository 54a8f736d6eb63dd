// The verify hot path, function by function, on the project's vectors:
// what one `chartprov verify` spends beyond process start-up.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "app/verify/keyring_loader.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify_plain.hpp"
#include "chart/archive_reader.hpp"
#include "chart/package.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "infra/openssl/digest.hpp"
#include "openpgp/key.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signature.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace {

using namespace chartprov;

const std::filesystem::path kData = CHARTPROV_BENCH_DATA;

std::string text(const std::string& rel) { return *read_text_file(kData / rel); }

openpgp::PublicKey first_key(const std::string& rel) {
  const Bytes ring = *read_file(kData / rel);
  const auto packets = *openpgp::read_packets(ring);
  return *openpgp::parse_public_key(packets.front().body);
}

void verify_case(benchmark::State& state, const std::string& alg) {
  const auto ct =
      *envelope::prov::parse_cleartext(text("helm/generated/cases/ok-helm-" + alg + "/demo-0.1.0.tgz.prov"));
  const auto sig = (*openpgp::parse_signatures(ct.signature_packets)).front();
  const auto key = first_key("helm/generated/keys/" + alg + ".pub.gpg");
  for (auto _ : state) {
    const auto check = openpgp::verify_signature(sig, key, as_bytes(ct.signed_text));
    if (!check.valid) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(check);
  }
}

void BM_VerifySignature_Rsa3072(benchmark::State& s) { verify_case(s, "rsa3072"); }
void BM_VerifySignature_EcdsaP256(benchmark::State& s) { verify_case(s, "nistp256"); }
void BM_VerifySignature_Ed25519(benchmark::State& s) { verify_case(s, "ed25519"); }

void BM_ParseProv(benchmark::State& state) {
  const std::string prov = text("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz.prov");
  for (auto _ : state) {
    auto ct = envelope::prov::parse_cleartext(prov);
    auto block = envelope::prov::parse_message_block(ct->plaintext);
    benchmark::DoNotOptimize(block);
  }
}

void BM_ReadChartArchive_5KB(benchmark::State& state) {
  const auto path = kData / "helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz";
  for (auto _ : state) {
    auto a = chart::read_chart_archive(path);
    if (!a.ok()) state.SkipWithError(a.error().message.c_str());
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::filesystem::file_size(path)));
}

// Removes the generated chart's directory when the benchmark exits.
struct TempDir {
  std::filesystem::path path;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// A ~10 MB chart: four 2.5 MiB files of incompressible bytes (each under
// Helm's 5 MiB per-file limit), packaged by chart::package_chart once.
const std::filesystem::path& big_chart() {
  static const TempDir tmp{std::filesystem::temp_directory_path() / ("chartprov-bench-" + std::to_string(::getpid()))};
  static const std::filesystem::path tgz = [] {
    const auto& dir = tmp.path;
    const auto src = dir / "big";
    std::filesystem::create_directories(src / "files");
    std::ofstream(src / "Chart.yaml") << "apiVersion: v2\nname: big\nversion: 0.1.0\n";
    std::mt19937_64 rng(42);
    for (int i = 0; i < 4; ++i) {
      std::string blob(5u << 19, '\0');
      for (auto& c : blob) c = static_cast<char>(rng());
      std::ofstream(src / "files" / ("blob" + std::to_string(i)), std::ios::binary) << blob;
    }
    const auto packaged = chart::package_chart(src);
    if (!packaged.ok()) std::abort();
    const auto out = dir / packaged->file_name;
    std::ofstream(out, std::ios::binary)
        .write(reinterpret_cast<const char*>(packaged->tgz.data()), static_cast<std::streamsize>(packaged->tgz.size()));
    return out;
  }();
  return tgz;
}

void BM_ReadChartArchive_10MB(benchmark::State& state) {
  const auto& path = big_chart();
  for (auto _ : state) {
    auto a = chart::read_chart_archive(path);
    if (!a.ok()) state.SkipWithError(a.error().message.c_str());
    benchmark::DoNotOptimize(a);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::filesystem::file_size(path)));
  state.counters["tgz_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}

void BM_Sha256(benchmark::State& state) {
  const Bytes data(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::sha256(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void parse_key_case(benchmark::State& state, const std::string& alg) {
  const Bytes ring = *read_file(kData / ("helm/generated/keys/" + alg + ".pub.gpg"));
  const auto packets = *openpgp::read_packets(ring);
  for (auto _ : state) {
    auto key = openpgp::parse_public_key(packets.front().body);
    if (!key.ok()) state.SkipWithError("key did not parse");
    benchmark::DoNotOptimize(key);
  }
}

void BM_ParsePublicKey_Rsa3072(benchmark::State& s) { parse_key_case(s, "rsa3072"); }
void BM_ParsePublicKey_EcdsaP256(benchmark::State& s) { parse_key_case(s, "nistp256"); }
void BM_ParsePublicKey_Ed25519(benchmark::State& s) { parse_key_case(s, "ed25519"); }

// The whole verify use case in one process, keyring cache warm: everything one
// `chartprov verify` does except process start-up and printing. The first call
// (outside the timing) runs the RNP helper next to the build's chartprov.
// The vector chart and keyring of `alg`, with the build's RNP helper to read the keyring.
app::PlainVerifyRequest vector_request(const std::string& alg) {
  const auto build = std::filesystem::canonical("/proc/self/exe").parent_path().parent_path();
  ::setenv("CHARTPROV_RNP", (build / "chartprov-rnp").c_str(), 0);
  app::PlainVerifyRequest req;
  req.chart = kData / ("helm/generated/cases/ok-helm-" + alg + "/demo-0.1.0.tgz");
  req.trust.keyring = kData / ("helm/generated/keys/" + alg + ".pub.gpg");
  return req;
}

void verify_plain_case(benchmark::State& state, const std::string& alg) {
  const TempDir cache{std::filesystem::temp_directory_path() / ("chartprov-bench-cache-" + std::to_string(::getpid()))};
  ::setenv("CHARTPROV_CACHE_DIR", cache.path.c_str(), 1);
  const app::PlainVerifyRequest req = vector_request(alg);
  const auto first = app::verify_plain(req);
  if (!first.ok() || !first->verified()) {
    state.SkipWithError(first.ok() ? "chart did not verify" : first.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto r = app::verify_plain(req);
    if (!r.ok() || !r->verified()) state.SkipWithError("chart did not verify");
    benchmark::DoNotOptimize(r);
  }
}

void BM_VerifyPlain_WarmCache_Rsa3072(benchmark::State& s) { verify_plain_case(s, "rsa3072"); }
void BM_VerifyPlain_WarmCache_EcdsaP256(benchmark::State& s) { verify_plain_case(s, "nistp256"); }
void BM_VerifyPlain_WarmCache_Ed25519(benchmark::State& s) { verify_plain_case(s, "ed25519"); }

// One chart as verify-repo verifies it: the trust material loaded once,
// outside the timing; what is timed is everything verify-repo does per chart
// but the walk (the chart staged, the .prov judged, the policy applied).
void verify_plain_loaded_case(benchmark::State& state, const std::string& alg) {
  app::PlainVerifyRequest req = vector_request(alg);
  req.trust.use_keyring_cache = false;
  auto material = app::load_trust_material(req.trust, 0);  // the keys built once, as verify-repo does
  if (!material.ok()) {
    state.SkipWithError(material.error().message.c_str());
    return;
  }
  req.trust = {};
  for (auto _ : state) {
    auto r = app::verify_plain(req, *material);
    if (!r.ok() || !r->verified()) state.SkipWithError("chart did not verify");
    benchmark::DoNotOptimize(r);
  }
}

void BM_VerifyPlainLoaded_Rsa3072(benchmark::State& s) { verify_plain_loaded_case(s, "rsa3072"); }
void BM_VerifyPlainLoaded_EcdsaP256(benchmark::State& s) { verify_plain_loaded_case(s, "nistp256"); }
void BM_VerifyPlainLoaded_Ed25519(benchmark::State& s) { verify_plain_loaded_case(s, "ed25519"); }

// What verify-repo would do per chart without the archive checks, as `helm
// verify` does: read and hash the archive, read and parse the .prov, check the
// signature with the prebuilt key, compare the signed digest. A lower bound on
// a signature-only mode (one file, caches hot), to weigh against the archive
// checks' cost (BM_ReadChartArchive_5KB) and the crypto limit.
void signature_only_case(benchmark::State& state, const std::string& alg) {
  const auto chart = kData / ("helm/generated/cases/ok-helm-" + alg + "/demo-0.1.0.tgz");
  const auto key = first_key("helm/generated/keys/" + alg + ".pub.gpg");
  const auto prebuilt = openpgp::to_openssl_public_key(key);
  if (!prebuilt.ok()) {
    state.SkipWithError("key cannot be built");
    return;
  }
  for (auto _ : state) {
    const auto tgz = read_file(chart);
    const std::string digest = hex_encode(crypto::sha256(*tgz));
    const auto prov = read_text_file(chart.string() + ".prov");
    const auto ct = envelope::prov::parse_cleartext(*prov);
    const auto sigs = openpgp::parse_signatures(ct->signature_packets);
    const auto check = openpgp::verify_signature(sigs->front(), key, as_bytes(ct->signed_text), &*prebuilt);
    const auto block = envelope::prov::parse_message_block(ct->plaintext);
    const auto* entry = block->find(chart.filename().string());
    if (!check.valid || entry == nullptr || entry->hex != digest) state.SkipWithError("chart did not verify");
    benchmark::DoNotOptimize(check);
  }
}

void BM_SignatureOnly_Rsa3072(benchmark::State& s) { signature_only_case(s, "rsa3072"); }
void BM_SignatureOnly_EcdsaP256(benchmark::State& s) { signature_only_case(s, "nistp256"); }
void BM_SignatureOnly_Ed25519(benchmark::State& s) { signature_only_case(s, "ed25519"); }

}  // namespace

BENCHMARK(BM_VerifySignature_Rsa3072);
BENCHMARK(BM_VerifySignature_EcdsaP256);
BENCHMARK(BM_VerifySignature_Ed25519);
BENCHMARK(BM_ParseProv);
BENCHMARK(BM_ReadChartArchive_5KB);
BENCHMARK(BM_ReadChartArchive_10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sha256)->Arg(4 << 10)->Arg(1 << 20)->Arg(10 << 20);
BENCHMARK(BM_ParsePublicKey_Rsa3072);
BENCHMARK(BM_ParsePublicKey_EcdsaP256);
BENCHMARK(BM_ParsePublicKey_Ed25519);
BENCHMARK(BM_VerifyPlain_WarmCache_Rsa3072);
BENCHMARK(BM_VerifyPlain_WarmCache_EcdsaP256);
BENCHMARK(BM_VerifyPlain_WarmCache_Ed25519);
BENCHMARK(BM_VerifyPlainLoaded_Rsa3072);
BENCHMARK(BM_VerifyPlainLoaded_EcdsaP256);
BENCHMARK(BM_VerifyPlainLoaded_Ed25519);
BENCHMARK(BM_SignatureOnly_Rsa3072);
BENCHMARK(BM_SignatureOnly_EcdsaP256);
BENCHMARK(BM_SignatureOnly_Ed25519);
