#include "envelope/sigstore/statement_writer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"

namespace chartprov::sigstore {
namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Status check_predicate_type(std::string_view type) {
  const auto refused = [&] { return usage_error("predicate type \"" + std::string(type) + "\" is not a URI"); };
  if (type.empty() || type.size() > kMaxPredicateType) return refused();
  const auto colon = type.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == type.size()) return refused();
  const char first = type.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return refused();
  if (!std::all_of(type.begin(), type.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char)) return refused();
  if (!std::all_of(type.begin(), type.end(), [](char c) { return c > ' ' && c < 0x7f; })) return refused();
  return ok_status();
}

Result<std::string> write_statement(std::string_view subject_name, std::string_view sha256_hex,
                                    std::string_view predicate_type, std::string_view predicate_json) {
  TRY_STATUS(check_predicate_type(predicate_type));
  if (subject_name.empty()) return input_error("the statement's subject has no name");
  if (!is_sha256_hex(sha256_hex)) return input_error("the statement's subject digest is not a SHA-256");
  if (predicate_json.size() > kMaxPredicate)
    return input_error("the predicate is larger than " + byte_size_text(kMaxPredicate));
  const nlohmann::json predicate = parse_untrusted_json(predicate_json);
  if (predicate.is_discarded()) return input_error("the predicate is not JSON");
  if (!predicate.is_object()) return input_error("the predicate is not a JSON object");
  nlohmann::ordered_json doc;
  doc["_type"] = std::string(kInTotoStatementV1);
  doc["subject"] = nlohmann::ordered_json::array(
      {{{"name", std::string(subject_name)}, {"digest", {{"sha256", std::string(sha256_hex)}}}}});
  doc["predicateType"] = std::string(predicate_type);
  doc["predicate"] = predicate;
  try {
    return doc.dump();
  } catch (const nlohmann::json::exception&) {
    return input_error("the subject name is not UTF-8");  // the parser checked the predicate's strings
  }
}

}  // namespace chartprov::sigstore
