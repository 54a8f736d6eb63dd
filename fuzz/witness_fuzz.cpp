// libFuzzer target for what a witness reads from the network: an
// add-checkpoint request (tlog/witness_request) and, inside it, a checkpoint,
// through app::log::Witness::add_checkpoint. It never crashes, keeps to 63
// proof hashes of 32 bytes, and never cosigns: no input can carry a signature
// by the log key this process made up. Vkeys (tlog/vkey) read from the same
// bytes never crash either, and one that parses has a 4-byte key id.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "app/log/witness.hpp"
#include "fuzz_check.hpp"
#include "tlog/vkey.hpp"
#include "tlog/witness_request.hpp"

using namespace chartprov;

namespace {

app::log::Witness& witness() {
  static std::unique_ptr<app::log::Witness> w = [] {
    app::log::WitnessConfig config;
    config.name = "witness.example/fuzz";
    config.key = std::move(crypto::generate_key("ed25519").value());
    config.logs.push_back({"log.example.com", std::move(crypto::generate_key("ed25519").value())});
    config.state = std::filesystem::temp_directory_path() / "chartprov-witness-fuzz.json";
    std::filesystem::remove(config.state);
    return std::move(app::log::Witness::open(std::move(config)).value());
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  if (auto req = tlog::parse_add_checkpoint(text); req.ok()) {
    fuzz::check(req->proof.size() <= tlog::kMaxProofLines);
    for (const auto& h : req->proof) fuzz::check(h.size() == 32);
  }
  const app::log::WitnessAnswer a = witness().add_checkpoint(text, 1);
  fuzz::check(a.status != 200 && a.status != 500);
  if (auto vkey = tlog::parse_vkey(text); vkey.ok()) fuzz::check(vkey->key_id.size() == 4);
  return 0;
}
