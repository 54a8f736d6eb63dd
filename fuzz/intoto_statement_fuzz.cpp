// libFuzzer target for in-toto statements and SLSA provenance predicates
// (an attestation's DSSE payload): parsing never crashes; what parses has
// subjects with hex digests and a predicate type, and its predicate, when
// there is one, re-parses as JSON and reads as provenance or is refused.
// fuzz-seeds: *.sigstore.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/intoto_statement.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto st = sigstore::parse_statement(as_chars(ByteView(data, size)));
  if (!st.ok()) return 0;
  if (st->subjects.empty() || st->predicate_type.empty()) std::abort();
  for (const auto& s : st->subjects) {
    if (s.digests.empty()) std::abort();
    for (const auto& [alg, hex] : s.digests) {
      if (hex.empty() || hex.size() % 2 != 0) std::abort();
    }
  }
  if (!st->predicate_json.empty()) (void)sigstore::parse_slsa_provenance(st->predicate_json);
  return 0;
}
