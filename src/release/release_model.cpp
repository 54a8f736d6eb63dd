#include "release/release_model.hpp"

#include <initializer_list>
#include <string_view>

#include "util/encoding.hpp"
#include "util/go_yaml_text.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

Error bad(std::string_view field, std::string_view problem) {
  return input_error("release: " + std::string(field) + " " + std::string(problem));
}

// Refuses keys Go would take for one of `fields` only by case folding.
Status check_keys(const json& object, std::string_view where, std::initializer_list<std::string_view> fields) {
  for (const auto& [key, value] : object.items()) {
    for (const std::string_view field : fields) {
      if (key != field && go_json_key_matches(key, field)) {
        return bad(where, "has the key '" + key + "', which Helm reads as '" + std::string(field) + "'");
      }
    }
  }
  return ok_status();
}

// The member named exactly `key`, or nullptr when absent or null (Go leaves the field zero).
const json* field(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Result<std::string> string_field(const json& object, std::string_view key, std::string_view where) {
  const json* v = field(object, key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return bad(std::string(where) + "." + std::string(key), "is not a string");
  return v->get<std::string>();
}

Result<json> object_field(const json& object, std::string_view key, std::string_view where, bool null_is_empty) {
  const json* v = field(object, key);
  if (v == nullptr) return null_is_empty ? json::object() : json(nullptr);
  if (!v->is_object()) return bad(std::string(where) + "." + std::string(key), "is not an object");
  return *v;
}

Result<Bytes> base64_field(const json& v, std::string_view where) {
  if (!v.is_string()) return bad(where, "is not a base64 string");
  auto bytes = base64_decode(v.get_ref<const std::string&>());
  if (!bytes.ok()) return bad(where, "is not base64");
  return std::move(bytes).value();
}

Result<std::vector<RecordFile>> file_list(const json& chart, std::string_view key) {
  std::vector<RecordFile> out;
  const json* list = field(chart, key);
  if (list == nullptr) return out;
  const std::string where = "chart." + std::string(key);
  if (!list->is_array()) return bad(where, "is not an array");
  for (const json& entry : *list) {
    if (entry.is_null()) continue;  // a nil *File
    if (!entry.is_object()) return bad(where, "has an entry that is not an object");
    TRY_STATUS(check_keys(entry, where, {"name", "data", "modtime"}));
    RecordFile f;
    TRY(f.name, string_field(entry, "name", where));
    if (f.name.empty()) return bad(where, "has an entry without a name");
    if (const json* data = field(entry, "data"); data != nullptr) {
      TRY(f.data, base64_field(*data, where + "[" + f.name + "].data"));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<RecordChart> read_chart(const json& chart) {
  if (!chart.is_object()) return bad("chart", "is not an object");
  TRY_STATUS(check_keys(chart, "chart",
                        {"metadata", "lock", "templates", "values", "schema", "schemamodtime", "files", "modtime"}));
  RecordChart c;
  TRY(c.metadata, object_field(chart, "metadata", "chart", false));
  if (c.metadata.is_null()) return bad("chart", "has no metadata");
  TRY(c.lock, object_field(chart, "lock", "chart", false));
  TRY(c.templates, file_list(chart, "templates"));
  TRY(c.files, file_list(chart, "files"));
  TRY(c.values, object_field(chart, "values", "chart", true));
  if (const json* schema = field(chart, "schema"); schema != nullptr) {
    TRY(c.schema, base64_field(*schema, "chart.schema"));
  }
  return c;
}

Result<std::vector<RecordHook>> read_hooks(const json& release) {
  std::vector<RecordHook> out;
  const json* hooks = field(release, "hooks");
  if (hooks == nullptr) return out;
  if (!hooks->is_array()) return bad("hooks", "is not an array");
  for (const json& hook : *hooks) {
    if (hook.is_null()) continue;
    if (!hook.is_object()) return bad("hooks", "has an entry that is not an object");
    TRY_STATUS(check_keys(hook, "hooks[]", {"path", "manifest"}));
    RecordHook h;
    TRY(h.path, string_field(hook, "path", "hooks[]"));
    TRY(h.manifest, string_field(hook, "manifest", "hooks[]"));
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace

Result<Release> read_release(const json& release) {
  if (!release.is_object()) return bad("the release", "is not an object");
  TRY_STATUS(
      check_keys(release, "the release",
                 {"name", "info", "chart", "config", "manifest", "hooks", "version", "namespace", "apply_method"}));
  Release r;
  TRY(r.name, string_field(release, "name", "the release"));
  if (r.name.empty()) return bad("name", "is missing");
  TRY(r.namespace_name, string_field(release, "namespace", "the release"));
  const json* version = field(release, "version");
  if (version == nullptr || !version->is_number_integer()) return bad("version", "is missing or not an integer");
  r.version = version->get<std::int64_t>();
  TRY(const json info, object_field(release, "info", "the release", true));
  TRY_STATUS(check_keys(info, "info",
                        {"first_deployed", "last_deployed", "deleted", "description", "status", "notes", "resources"}));
  TRY(r.status, string_field(info, "status", "info"));
  const json* chart = field(release, "chart");
  if (chart == nullptr) return bad("chart", "is missing");
  TRY(r.chart, read_chart(*chart));
  TRY(r.config, object_field(release, "config", "the release", true));
  TRY(r.manifest, string_field(release, "manifest", "the release"));
  TRY(r.hooks, read_hooks(release));
  return r;
}

}  // namespace chartprov::release
