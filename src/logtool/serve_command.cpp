#include "logtool/serve_command.hpp"

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "app/log/sequencer.hpp"
#include "cli/output.hpp"
#include "cli/passphrase.hpp"
#include "cli/server_options.hpp"
#include "cli/server_signals.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_file.hpp"
#include "logstore/open_log_store.hpp"
#include "server/http_server.hpp"
#include "server/log_service.hpp"
#include "tlog/note_signer.hpp"

namespace chartprov::logtool {
namespace {

struct ServeOptions {
  std::string listen;
  std::string db;
  std::string key;
  std::string origin;
  std::string passphrase_file;
  int batch_size = 256;
  int batch_wait_ms = 5;
  std::vector<std::string> witnesses;
  int witness_timeout_ms = 5000;
  cli::ServerTuning tuning{64, 10, 1000};
};

// The log key: a chartprov private key file (Ed25519), its passphrase asked for when encrypted.
Result<crypto::PKey> read_log_key(const ServeOptions& o) {
  TRY(crypto::PrivateKeyFile file, crypto::read_private_key_file_asking(o.key, [&o] {
        cli::PassphraseSource source;
        if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
        source.prompt = "Passphrase for " + o.key + ": ";
        return cli::obtain_passphrase(source);
      }));
  return std::move(file.key);
}

int run_serve(const ServeOptions& o) {
  const auto address = server::parse_listen_address(o.listen);
  if (!address) return cli::report_error(address.error());
  // The origin defaults to the listen address's host; deployments name the log's host.
  std::string origin = o.origin;
  if (origin.empty()) {
    origin = address->text.substr(0, address->text.rfind(':'));
    if (origin.size() > 2 && origin.front() == '[') origin = origin.substr(1, origin.size() - 2);
    // A wildcard address is no client's name for the log: every checkpoint would name a log
    // nobody can reach, for the log's whole life.
    if (origin == "0.0.0.0" || origin == "::") {
      return cli::report_error(usage_error("--origin NAME is needed when the log listens on every address (" +
                                           address->text + "): the host clients reach the log by"));
    }
  }
  auto key = read_log_key(o);
  if (!key) return cli::report_error(key.error());
  auto note_key = tlog::make_note_key(std::move(*key), origin);
  if (!note_key) return cli::report_error(note_key.error());

  const sigset_t set = cli::block_server_signals();  // before any thread starts

  auto store = logstore::open_log_store(o.db);
  if (!store) return cli::report_error(store.error());
  app::log::SequencerConfig config;
  config.batch_size = static_cast<std::size_t>(o.batch_size);
  config.batch_wait = std::chrono::milliseconds(o.batch_wait_ms);
  for (const auto& w : o.witnesses) {
    auto endpoint = app::log::parse_witness_endpoint(w);
    if (!endpoint) return cli::report_error(endpoint.error());
    config.witnesses.push_back(std::move(*endpoint));
  }
  config.witness_timeout_ms = o.witness_timeout_ms;
  auto sequencer = app::log::Sequencer::start(**store, std::move(*note_key), std::move(config));
  if (!sequencer) return cli::report_error(sequencer.error());
  auto service = server::LogService::make(**store, **sequencer);
  if (!service) return cli::report_error(service.error());
  auto http = server::HttpServer::listen(*address, /*allow_remote=*/true, o.tuning.options());
  if (!http) return cli::report_error(http.error());
  const auto pub = (*sequencer)->published();
  std::printf("chartprov log serve: listening on http://%s:%u (origin %s, %llu entries)\n",
              address->text.substr(0, address->text.rfind(':')).c_str(), static_cast<unsigned>((*http)->port()),
              origin.c_str(), static_cast<unsigned long long>(pub.size));
  std::fflush(stdout);

  std::atomic<bool> done = false;
  const cli::SignalActions actions{"chartprov log serve", [&] { (*http)->stop(); }, [] { return ok_status(); }};
  std::thread signals([&] { cli::handle_server_signals(set, actions, done); });
  const auto st = (*http)->run([&](const server::HttpRequest& r) { return (*service)->handle(r); });
  done.store(true);
  signals.join();
  sequencer->reset();  // every queued submission is sequenced (or failed) before the store closes
  if (!st) return cli::report_error(st.error());
  std::fprintf(stderr, "chartprov log serve: stopped\n");
  return cli::kExitOk;
}

}  // namespace

int serve_command(int argc, char** argv) {
  crypto::init_openssl();
  auto o = std::make_shared<ServeOptions>();
  CLI::App app(
      "chartprov log serve: an append-only Merkle log of chart signing events (C2SP tlog-tiles reads, "
      "POST /api/v2/log/entries writes)",
      "chartprov log serve");
  app.add_option("--listen", o->listen, "numeric IPv4:PORT or [IPv6]:PORT (port 0: any free port)")->required();
  app.add_option("--db", o->db, "sqlite:FILE (one process) or postgresql://... (several front-ends)")->required();
  app.add_option("--key", o->key, "the log's Ed25519 private key (chartprov key generate --algorithm ed25519)")
      ->required();
  app.add_option("--passphrase-file", o->passphrase_file, "the key's passphrase (else CHARTPROV_PASSWORD, a prompt)");
  app.add_option("--origin", o->origin,
                 "the log's name in checkpoints: its URL's host (default: the listen IP; needed with 0.0.0.0 or ::)");
  app.add_option("--batch-size", o->batch_size, "entries sequenced in one transaction at most")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option(
      "--witness", o->witnesses,
      "a C2SP witness asked to cosign each checkpoint: URL=VKEY (its vkey, as log witness prints it; repeat)");
  app.add_option("--witness-timeout-ms", o->witness_timeout_ms, "how long one witness may take to answer")
      ->capture_default_str()
      ->check(CLI::Range(100, 60000));
  app.add_option("--batch-wait-ms", o->batch_wait_ms, "how long a batch waits for more entries")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cli::add_server_tuning_options(&app, o->tuning);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run_serve(*o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chartprov log serve: internal error: %s\n", e.what());
    return cli::kExitError;
  }
}

}  // namespace chartprov::logtool
