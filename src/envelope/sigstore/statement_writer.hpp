#pragma once
// Writing in-toto statements (https://in-toto.io/Statement/v1): the payload
// `chartprov attest` signs as DSSE. One subject (the chart file, by its
// SHA-256) and one typed predicate, given by the user as a JSON object.
// The reader is intoto_statement.hpp.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::sigstore {

inline constexpr std::string_view kInTotoStatementV1 = "https://in-toto.io/Statement/v1";
// The most a predicate file may hold: a DSSE payload is base64 inside a
// bundle, and the bundle stays far below kMaxBundle (8 MiB).
inline constexpr std::size_t kMaxPredicate = 1u << 20;
inline constexpr std::size_t kMaxPredicateType = 1024;

// A predicate type is a URI: a scheme ([A-Za-z][A-Za-z0-9+.-]*), ":", then
// printable ASCII without spaces, at most kMaxPredicateType bytes in all.
// Refused (usage error): anything else ("predicate type \"...\" is not a URI").
[[nodiscard]] Status check_predicate_type(std::string_view type);

// The statement, compact JSON:
//   {"_type":"https://in-toto.io/Statement/v1",
//    "subject":[{"name":NAME,"digest":{"sha256":HEX}}],
//    "predicateType":TYPE,"predicate":{...}}
// The predicate is parsed and written again (compact); what is signed is
// what is written. Refusals (input errors): a predicate larger than
// kMaxPredicate ("the predicate is larger than 1 MiB"), one that is not JSON
// or nests deeper than the JSON bound ("the predicate is not JSON"), one
// that is not an object ("the predicate is not a JSON object"); an empty
// subject name; a digest that is not 64 lower-case hex digits; and
// check_predicate_type's refusal.
[[nodiscard]] Result<std::string> write_statement(std::string_view subject_name, std::string_view sha256_hex,
                                                  std::string_view predicate_type, std::string_view predicate_json);

}  // namespace chartprov::sigstore
