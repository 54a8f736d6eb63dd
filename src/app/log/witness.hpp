#pragma once
// A C2SP tlog-witness (`chartprov log witness`): it keeps, for each log it is
// configured with, the last checkpoint it cosigned, and cosigns a newer one
// only when a consistency proof shows the log grew append-only. Logs ask it
// with add-checkpoint (tlog/witness_request.hpp) before they publish a
// checkpoint; verifiers that require k of n witnesses then know that the tree
// they are shown is the one everybody is shown.
//
// Answers, as C2SP tlog-witness fixes them:
//   200  one cosignature line (tlog/cosignature.hpp) on the checkpoint
//   400  a malformed request or checkpoint; an old size above the checkpoint's
//   403  no signature of the log's key on the checkpoint
//   404  a log (origin) this witness does not know
//   409  an old size other than the last cosigned one (body: that size and a
//        newline, text/x.tlog.size), or the same size with another root
//   422  a consistency proof that does not verify
//   500  the state could not be saved (nothing is cosigned then)
// The check of the old size and the saving of the new checkpoint happen under
// one lock: two requests cannot roll the state back.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "tlog/witness_request.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

// The largest add-checkpoint request a witness reads.
inline constexpr std::size_t kMaxWitnessRequest = tlog::kMaxAddCheckpoint;

struct WitnessedLog {
  std::string origin;  // the checkpoints' origin line, also the log key's name
  crypto::PKey key;    // the log's public key (Ed25519 or ECDSA, tlog/checkpoint.hpp)
};

struct WitnessConfig {
  std::string name;                // the witness's key name ("witness.example.com/w1")
  crypto::PKey key;                // Ed25519 private key
  std::vector<WitnessedLog> logs;  // at least one; origins distinct
  std::filesystem::path state;     // JSON, written atomically after every cosignature
};

struct WitnessAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class Witness {
 public:
  // Refusals (input errors): no log, or two with one origin ("witness: ...");
  // a name tlog::is_note_name refuses; a key that is not an Ed25519 private
  // key; a state file that exists and is not one this writes ("witness state
  // FILE: ..."). A missing state file is an empty state.
  static Result<std::unique_ptr<Witness>> open(WitnessConfig config);

  // Thread-safe. `now`: unix seconds, the cosignature's timestamp.
  WitnessAnswer add_checkpoint(std::string_view request, std::uint64_t now);

  // The witness's C2SP vkey (type 0x04), for the policies that list it.
  [[nodiscard]] const std::string& vkey() const { return vkey_; }

 private:
  struct Seen {
    std::uint64_t size = 0;
    Bytes root;
  };
  explicit Witness(WitnessConfig config) : config_(std::move(config)) {}
  Status save() const;

  WitnessConfig config_;
  std::string vkey_;
  std::mutex mutex_;
  std::map<std::string, Seen> seen_;  // by origin
};

}  // namespace chartprov::app::log
