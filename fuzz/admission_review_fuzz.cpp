// libFuzzer target for an AdmissionReview request about a possible Helm
// release record (the admission webhook's input, issue 15): the review parser,
// the release-record payload decoder (base64, gzip, JSON, bounded) and the
// judgement of the record against no verified chart. Invariants: no exception
// escapes and nothing crashes; a refusal says something; an accepted review
// has a uid and the object its operation needs; with no verified chart nothing
// can match, so a record is allowed only when it is not judged or not a
// record; every verdict has a sentence; the response echoes the uid as JSON.
// Then the same bytes through the webhook's use case, admit(), with every
// namespace bound to an enforcing environment whose store is empty and no
// renderer (the manifest check cannot run here: it needs helm, and a record
// that needs it is refused): it answers exactly the reviews the parser
// accepts, with their uid, and admits a request only when
// judge_record_request does not judge it.
// fuzz-seeds: [0-9][0-9]-*.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "app/admission/admit.hpp"
#include "fuzz_check.hpp"
#include "policy/policy.hpp"
#include "release/admission_review.hpp"
#include "release/record_judgement.hpp"
#include "release/release_record.hpp"

using chartprov::fuzz::check;

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto request = release::parse_admission_review(ByteView(data, size));
  if (!request.ok()) {
    check(!request.error().message.empty());
    return 0;
  }
  check(!request->uid.empty());
  using release::Operation;
  if (request->operation == Operation::kCreate || request->operation == Operation::kUpdate)
    check(request->object.is_object());
  if (request->operation == Operation::kUpdate || request->operation == Operation::kDelete)
    check(request->old_object.is_object());

  const auto judged = release::judge_record_request(*request, std::span<const release::VerifiedChart>{});
  check(judged.verdict != release::RecordVerdict::kChartMatches &&
        judged.verdict != release::RecordVerdict::kChartMatchesSubchartsUnseen && judged.chart == nullptr);
  if (release::allowed_by_chart_object(judged.verdict)) {
    check(judged.verdict == release::RecordVerdict::kNotJudgedOperation ||
          judged.verdict == release::RecordVerdict::kNotARecord);
  }
  check(!release::describe(judged).empty());
  if (judged.verdict == release::RecordVerdict::kPayloadRefused) {
    check(judged.payload_failure != release::PayloadFailure::kNone);
    check(!release::describe(judged.payload_failure).empty());
  }

  release::AdmissionResponse response;
  response.uid = request->uid;
  response.allowed = release::allowed_by_chart_object(judged.verdict);
  response.message = release::describe(judged);
  const auto answer = nlohmann::json::parse(release::build_admission_response(response), nullptr, false);
  check(answer.is_object() && answer.contains("response") && answer["response"].value("uid", "") == request->uid);

  static const policy::Policy kPolicy =
      policy::parse_policy(
          "version: 1\nnamespaces:\n  - namespace: \"*\"\n    environment: production\n"
          "environments:\n  production:\n    mode: enforce\n    rules:\n      - charts: [\"*\"]\n",
          "fuzz-policy.yaml")
          .value();
  static const app::ChartStore kEmpty;
  app::AdmissionConfig config;
  config.policy = &kPolicy;
  config.stores = {{"production", &kEmpty}};
  config.renderer = nullptr;  // fail closed: no process is ever run from here
  const auto admitted = app::admit(ByteView(data, size), config);
  check(admitted.ok());
  check(admitted->response.uid == request->uid);
  check(admitted->response.allowed == !release::is_judged_request(*request));
  check(admitted->response.allowed || (admitted->response.code == 403 && !admitted->response.message.empty()));
  return 0;
}
