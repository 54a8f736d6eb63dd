#include "server/witness_service.hpp"

#include "util/clock.hpp"

namespace chartprov::server {
namespace {

HttpResponse text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

}  // namespace

HttpLimits witness_limits() {
  HttpLimits limits;
  limits.max_body = app::log::kMaxWitnessRequest;
  return limits;
}

HttpResponse handle_witness_request(app::log::Witness& witness, const HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/healthz") return request.method == "GET" ? text(200, "ok\n") : text(405, "GET only\n");
  if (path != "/add-checkpoint") return text(404, "not found\n");
  if (request.method != "POST") return text(405, "POST only\n");
  const app::log::WitnessAnswer a = witness.add_checkpoint(request.body, static_cast<std::uint64_t>(unix_now()));
  HttpResponse r = text(a.status, a.body);
  r.content_type = a.content_type;
  return r;
}

}  // namespace chartprov::server
