#pragma once
// tests/data/sigstore-keyless/cases.tsv: the keyless Sigstore vectors, one row
// per case (tests/data/sigstore-keyless/README.md).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/case_table.hpp"  // tsv_rows
#include "support/test_support.hpp"

namespace chartprov::test {

struct KeylessCase {
  std::string id, bundle, artifact, trusted_root, identity, issuer, expect, sigstore_js, source, note;
  bool has_artifact() const { return artifact != "-"; }
  // A path of the row (bundle, artifact, trusted_root) under tests/data/sigstore-keyless.
  static std::filesystem::path path(const std::string& rel) { return data("sigstore-keyless/" + rel); }
};

inline std::vector<KeylessCase> keyless_cases() {
  std::vector<KeylessCase> out;
  for (const auto& f : tsv_rows("sigstore-keyless/cases.tsv", 10))
    out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]});
  return out;
}

// The row whose id is `id`; a failed expectation (and an empty row) when there is none.
inline KeylessCase keyless_case(const std::string& id) {
  for (auto& c : keyless_cases()) {
    if (c.id == id) return c;
  }
  ADD_FAILURE() << "no row " << id << " in sigstore-keyless/cases.tsv";
  return {};
}

}  // namespace chartprov::test
