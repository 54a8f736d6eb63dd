#include "app/sign/sign_external.hpp"

#include <ctime>

#include "app/helpers/openpgp_bridge.hpp"
#include "app/keys/key_history_file.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {

Status check_signing_allowed(const keys::KeyHistory& history, const std::string& key_id,
                             const std::string& chart_name) {
  const keys::KeyRecord* record = history.find(key_id);
  if (record == nullptr) return verify_error("key " + key_id + " is not in the key history; record it first");
  if (record->status != keys::KeyStatus::kActive) {
    return verify_error(
        "key " + key_id.substr(0, 16) + " is " + std::string(keys::to_string(record->status)) +
        (record->successor.empty() ? std::string() : "; sign with its successor " + record->successor.substr(0, 16)));
  }
  const auto allowed = keys::check_chart_allowed(*record, chart_name);
  if (!allowed.ok) return verify_error(allowed.reason);
  return ok_status();
}

}  // namespace chartprov::app
