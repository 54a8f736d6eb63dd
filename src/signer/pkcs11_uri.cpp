#include "signer/pkcs11_uri.hpp"

#include <set>

namespace chartprov::signer {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> pct_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return input_error("a '%' escape is cut short");
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return input_error("bad '%' escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

template <typename Assign>
Status for_each_attribute(std::string_view part, char separator, Assign assign) {
  std::set<std::string> seen;
  while (!part.empty()) {
    const auto end = part.find(separator);
    const std::string_view item = part.substr(0, end);
    part = end == std::string_view::npos ? std::string_view() : part.substr(end + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return input_error("attribute '" + std::string(item) + "' has no '='");
    const std::string name(item.substr(0, eq));
    if (!seen.insert(name).second) return input_error("attribute '" + name + "' is given twice");
    if (name.rfind("x-", 0) == 0) continue;  // vendor-specific: ignored
    auto value = pct_decode(item.substr(eq + 1));
    if (!value) return value.error().with_context("attribute '" + name + "'");
    TRY_STATUS(assign(name, std::move(*value)));
  }
  return ok_status();
}

}  // namespace

Result<Pkcs11Uri> parse_pkcs11_uri(std::string_view text, bool token_only) {
  const auto fail = [](const Error& e) { return e.with_context("PKCS#11 URI"); };
  if (text.size() > kMaxPkcs11Uri) return fail(input_error("longer than 4096 characters"));
  if (text.substr(0, kPkcs11Scheme.size()) != kPkcs11Scheme) return fail(input_error("must start with 'pkcs11:'"));
  text.remove_prefix(kPkcs11Scheme.size());
  const auto q = text.find('?');
  const std::string_view path = text.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : text.substr(q + 1);

  Pkcs11Uri uri;
  auto path_status = for_each_attribute(path, ';', [&](const std::string& name, std::string value) -> Status {
    if (name == "token") {
      uri.token = std::move(value);
    } else if (name == "manufacturer") {
      uri.manufacturer = std::move(value);
    } else if (name == "serial") {
      uri.serial = std::move(value);
    } else if (name == "model") {
      uri.model = std::move(value);
    } else if (name == "object") {
      uri.object = std::move(value);
    } else if (name == "id") {
      uri.id.assign(value.begin(), value.end());
    } else if (name == "type") {
      static const std::set<std::string> kTypes = {"private", "public", "cert", "secret-key", "data"};
      if (kTypes.count(value) == 0) return input_error("unknown type '" + value + "'");
      uri.type = std::move(value);
    } else if (name == "slot-id") {
      if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos) {
        return input_error("slot-id must be a decimal number");
      }
      uri.slot_id = std::stoul(value);
    } else if (name == "library-manufacturer" || name == "library-description" || name == "library-version" ||
               name == "slot-description" || name == "slot-manufacturer") {
      // Accepted and not used to select: one module, one library.
    } else {
      return input_error("unknown path attribute '" + name + "'");
    }
    return ok_status();
  });
  if (!path_status) return fail(path_status.error());
  auto query_status = for_each_attribute(query, '&', [&](const std::string& name, std::string value) -> Status {
    if (name == "module-path") {
      uri.module_path = std::move(value);
    } else if (name == "module-name") {
      uri.module_name = std::move(value);
    } else if (name == "pin-value") {
      uri.pin_value = SecretString(std::move(value));
    } else if (name == "pin-source") {
      uri.pin_source = std::move(value);
    } else {
      return input_error("unknown query attribute '" + name + "'");
    }
    return ok_status();
  });
  if (!query_status) return fail(query_status.error());
  if (!uri.type.empty() && uri.type != "private") return fail(input_error("a signing key has type=private"));
  if (!token_only && uri.object.empty() && uri.id.empty()) return fail(input_error("name the key with object= or id="));
  return uri;
}

std::string pkcs11_uri_for_object(std::string_view uri, std::string_view label, ByteView id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto pct = [](ByteView bytes, bool all) {
    std::string out;
    for (const std::uint8_t b : bytes) {
      const bool plain = !all && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                                  b == '-' || b == '_' || b == '.' || b == '~');
      if (plain) {
        out += static_cast<char>(b);
      } else {
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 15];
      }
    }
    return out;
  };
  std::string_view rest = uri.substr(kPkcs11Scheme.size());
  const auto q = rest.find('?');
  const std::string_view path = rest.substr(0, q);
  const std::string query = q == std::string_view::npos ? std::string() : std::string(rest.substr(q));
  std::string kept;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find(';', start);
    const std::string_view item =
        path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!item.empty() && item.rfind("object=", 0) != 0 && item.rfind("id=", 0) != 0) {
      kept += std::string(item) + ";";
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::string(kPkcs11Scheme) + kept + "object=" + pct(as_bytes(label), false) + ";id=" + pct(id, true) + query;
}

std::string redact_pkcs11_uri(std::string_view text) {
  std::string out(text.substr(0, kMaxPkcs11Uri));
  for (const char* name : {"pin-value="}) {
    auto pos = out.find(name);
    while (pos != std::string::npos) {
      const auto value = pos + std::string_view(name).size();
      const auto end = out.find_first_of("&;", value);
      out.replace(value, end == std::string::npos ? std::string::npos : end - value, "REDACTED");
      pos = out.find(name, value);
    }
  }
  return out;
}

}  // namespace chartprov::signer
