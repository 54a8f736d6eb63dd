// libFuzzer target for in-toto statements and SLSA provenance predicates
// (an attestation's DSSE payload): parsing never crashes; what parses has
// subjects with hex digests and a predicate type, and its predicate, when
// there is one, re-parses as JSON and reads as provenance or is refused.
// The same bytes as chartprov attest's predicate: a statement written
// around them reads back with its subject, type and the predicate as parsed.
// fuzz-seeds: *.sigstore.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/intoto_statement.hpp"
#include "envelope/sigstore/statement_writer.hpp"
#include "infra/json/untrusted_json.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

namespace {

constexpr const char* kDigest = "6dec7ea21e655d5796c1e214cfb75b73428b2abfa2e66c8f7bc64ff4a7b3b29f";

void check_written(std::string_view predicate) {
  auto text = sigstore::write_statement("c-1.0.0.tgz", kDigest, sigstore::kSlsaProvenanceV1, predicate);
  if (!text.ok()) return;
  auto st = sigstore::parse_statement(*text);
  if (!st.ok() || !st->names_sha256(kDigest) || st->subjects.size() != 1 || st->subjects[0].name != "c-1.0.0.tgz" ||
      st->predicate_type != sigstore::kSlsaProvenanceV1 ||
      st->predicate_json != parse_untrusted_json(predicate).dump()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_written(as_chars(ByteView(data, size)));
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
