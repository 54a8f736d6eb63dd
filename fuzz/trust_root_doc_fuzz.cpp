// libFuzzer target for chartprov's own trust root (trust.json, issue 5):
// the strict parser (signing keys, keyless identities, the embedded Sigstore
// trusted root), signature counting and the TUF acceptance rules against
// a fixed trusted version. Invariant: whatever parses has canonical bytes that
// parse again to the same canonical bytes.
// fuzz-seeds: root.json staged.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "trust/trust_root.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  auto doc = trust::parse_trust_root(text);
  if (!doc.ok()) return 0;
  const std::string again = trust::serialize_trust_root(doc->root.canonical_signed, doc->signatures);
  auto reparsed = trust::parse_trust_root(again);
  if (!reparsed.ok() || reparsed->root.canonical_signed != doc->root.canonical_signed) std::abort();
  (void)trust::count_valid_signatures(*doc, doc->root.root_keys);
  (void)trust::accept_initial(text, 1795590000);
  (void)trust::accept_update(doc->root, text, 1795590000);
  return 0;
}
