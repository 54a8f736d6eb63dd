// libFuzzer target for the private key file reader (headers + PKCS#8 PEM),
// with a fixed passphrase and with none. Invariant: a file that reads back
// is written again (unencrypted) and reads back to the same key and headers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_check.hpp"
#include "infra/openssl/key_file.hpp"

using chartprov::fuzz::check;

using namespace chartprov;
using namespace chartprov::crypto;

namespace {

void round_trip(const PrivateKeyFile& file) {
  auto written = write_private_key_file(file.key, file.info, nullptr);
  if (!written.ok()) return;  // e.g. a key type we read but do not write
  auto again = parse_private_key_file(written->bytes(), nullptr, "rewritten");
  check(again.ok());
  check(again->info.created == file.info.created && again->info.user_id == file.info.user_id);
  check(*spki_der(again->key) == *spki_der(file.key));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SecretString kPassphrase("fuzz passphrase");
  const ByteView in(data, size);
  if (auto f = parse_private_key_file(in, &kPassphrase, "fuzz"); f.ok()) round_trip(*f);
  if (auto f = parse_private_key_file(in, nullptr, "fuzz"); f.ok()) round_trip(*f);
  return 0;
}
