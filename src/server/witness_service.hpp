#pragma once
// The HTTP face of `chartprov log witness` (app/log/witness.hpp):
//   POST /add-checkpoint   C2SP tlog-witness; the witness's own answer
//   GET  /healthz          200 "ok"
// Any other path is 404, another method on these paths 405. Bodies larger
// than the server's limit never reach here (413 from the HTTP layer).
#include "app/log/witness.hpp"
#include "server/http_request.hpp"
#include "server/http_server.hpp"

namespace chartprov::server {

// The request limits a witness needs: an add-checkpoint body of up to
// app::log::kMaxWitnessRequest.
HttpLimits witness_limits();

HttpResponse handle_witness_request(app::log::Witness& witness, const HttpRequest& request);

}  // namespace chartprov::server
