#pragma once
// The HTTP routes of `chartprov log serve`: C2SP tlog-tiles reads and a
// Rekor-v2-like write API over app::log::Sequencer (docs/TRANSPARENCY-LOG.md).
//
//   GET  /checkpoint                  the signed note (text/plain, Cache-Control: no-cache)
//   GET  /tile/<L>/<N>[.p/<W>]        W*32 bytes of hashes
//   GET  /tile/entries/<N>[.p/<W>]    the entry bundle of leaves 256N .. 256N+W-1
//                                     (full tiles: public, max-age=31536000, immutable)
//   POST /api/v2/log/entries          a submission (app/log/submission.hpp); 201 with the new
//                                     entry, 200 with the entry already logged (a resubmission)
//   GET  /healthz                     "ok": the process serves
//   GET  /readyz                      "ready" when the store answers a read, else 503 {"error": ...}
//   GET  /metrics                     Prometheus text (app/log/log_metrics.hpp)
//
// Answers: 400 {"error": ...} for a malformed or unverifiable submission or tile path; 404
// for a tile outside the committed tree or an unknown path; 405 for another method; 413 for a
// submission over app::log::kMaxSubmission; 503 {"error": ...} when the store fails.
#include <atomic>
#include <cstdint>
#include <memory>

#include "app/log/log_store.hpp"
#include "app/log/sequencer.hpp"
#include "server/http_server.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::server {

class LogService {
  struct Key {
    explicit Key() = default;
  };

 public:
  LogService(Key, app::log::LogStore& store, app::log::Sequencer& sequencer, Bytes log_id);
  // Refusal: the log id cannot be computed from the sequencer's key.
  static Result<std::unique_ptr<LogService>> make(app::log::LogStore& store, app::log::Sequencer& sequencer);

  // Thread-safe.
  HttpResponse handle(const HttpRequest& request) const;

 private:
  HttpResponse checkpoint() const;
  HttpResponse tile(std::string_view path) const;
  HttpResponse submit(const HttpRequest& request) const;
  HttpResponse metrics() const;
  HttpResponse ready() const;
  HttpResponse counted(HttpResponse response) const;  // a submission's answer, counted by its status

  app::log::LogStore& store_;
  app::log::Sequencer& sequencer_;
  Bytes log_id_;
  mutable std::atomic<std::uint64_t> logged_{0}, duplicate_{0}, refused_{0}, failed_{0};
};

}  // namespace chartprov::server
