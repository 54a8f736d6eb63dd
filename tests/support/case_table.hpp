#pragma once
// tests/data/cosign/cases.tsv: one row per case (FORMAT.md H).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace chartprov::test {

// The rows of a tab-separated table under tests/data (its header line skipped, blank lines
// too), each cut into `columns` cells (missing ones empty).
inline std::vector<std::vector<std::string>> tsv_rows(const std::string& relative, std::size_t columns) {
  std::ifstream in(data(relative));
  std::vector<std::vector<std::string>> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '\t');) f.push_back(cell);
    f.resize(columns);
    out.push_back(std::move(f));
  }
  return out;
}

struct CosignCase {
  std::string name, artifact, signature, key, root, password, expected, source;
  bool has(const std::string& field) const { return !field.empty() && field != "-"; }
  std::filesystem::path path(const std::string& rel) const { return data("cosign/" + rel); }
};

inline std::vector<CosignCase> cosign_cases() {
  std::vector<CosignCase> out;
  for (const auto& f : tsv_rows("cosign/cases.tsv", 7)) {
    CosignCase c{f[0], f[1], f[2], f[3], "", f[4], f[5], f[6]};
    if (const auto semi = c.key.find(";root="); semi != std::string::npos) {
      c.root = c.key.substr(semi + 6);
      c.key = c.key.substr(0, semi);
    }
    if (c.password == "<empty>") c.password.clear();
    out.push_back(c);
  }
  return out;
}

}  // namespace chartprov::test
