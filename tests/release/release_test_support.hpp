#pragma once
// Shared by the release tests: the trusted charts of tests/data/helm-release
// and reviews read from disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "chart/archive_reader.hpp"
#include "release/admission_review.hpp"
#include "release/verified_chart.hpp"
#include "support/test_support.hpp"

namespace chartprov::test {

inline std::filesystem::path release_data(const std::string& relative) { return data("helm-release/" + relative); }

inline release::VerifiedChart load_chart_file(const std::filesystem::path& tgz) {
  const std::string bytes = read_text(tgz);
  auto contents = chart::read_chart_contents_bytes(as_bytes(bytes));
  EXPECT_TRUE(contents.ok()) << tgz << ": " << (contents.ok() ? "" : contents.error().message);
  auto chart = release::load_verified_chart(*contents);
  EXPECT_TRUE(chart.ok()) << tgz << ": " << (chart.ok() ? "" : chart.error().message);
  return std::move(chart).value();
}

// The trusted set of expected.tsv: charts/*.tgz (not the variants).
inline std::vector<release::VerifiedChart> trusted_charts() {
  std::vector<release::VerifiedChart> out;
  for (const char* name : {"plain-0.1.0.tgz", "parent-0.1.0.tgz", "withschema-0.1.0.tgz", "sub-0.1.0.tgz"}) {
    out.push_back(load_chart_file(release_data(std::string("charts/") + name)));
  }
  return out;
}

// expected.tsv: review file -> whether the apiserver must be told "allowed".
inline std::map<std::string, bool> expected_verdicts() {
  std::ifstream in(release_data("expected.tsv"));
  std::map<std::string, bool> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string review, allowed;
    std::getline(fields, review, '\t');
    std::getline(fields, allowed, '\t');
    if (!review.empty()) out[review] = allowed == "true";
  }
  return out;
}

inline release::AdmissionRequest read_review(const std::string& file) {
  const std::string body = read_text(release_data("reviews/" + file));
  auto request = release::parse_admission_review(as_bytes(body));
  EXPECT_TRUE(request.ok()) << file << ": " << (request.ok() ? "" : request.error().message);
  return std::move(request).value();
}

}  // namespace chartprov::test
