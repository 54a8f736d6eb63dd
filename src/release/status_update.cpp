#include "release/status_update.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

// The payload without the fields a status change may touch.
json content_of(json release) {
  if (!release.is_object()) return release;
  if (const auto info = release.find("info"); info != release.end() && info->is_object()) {
    for (const char* key : {"status", "description", "deleted"}) info->erase(key);
  }
  if (const auto hooks = release.find("hooks"); hooks != release.end() && hooks->is_array()) {
    for (json& hook : *hooks) {
      if (hook.is_object()) hook.erase("last_run");
    }
  }
  return release;
}

}  // namespace

bool is_status_only_change(const json& old_release, const json& new_release) {
  return content_of(old_release) == content_of(new_release);
}

}  // namespace chartprov::release
