// The verify hot path, function by function, on the project's vectors:
// what one `chartprov verify` spends beyond process start-up.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "infra/openssl/digest.hpp"
#include "openpgp/key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signature.hpp"
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
  const auto ct = *envelope::prov::parse_cleartext(text("helm/generated/cases/ok-helm-" + alg + "/demo-0.1.0.tgz.prov"));
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

void BM_Sha256_1MiB(benchmark::State& state) {
  const Bytes data(1u << 20, 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::sha256(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * (1 << 20));
}

}  // namespace

BENCHMARK(BM_VerifySignature_Rsa3072);
BENCHMARK(BM_VerifySignature_EcdsaP256);
BENCHMARK(BM_VerifySignature_Ed25519);
BENCHMARK(BM_ParseProv);
BENCHMARK(BM_ReadChartArchive_5KB);
BENCHMARK(BM_Sha256_1MiB);
