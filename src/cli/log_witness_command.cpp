// `chartprov log witness --listen IP:PORT --key WITNESS.key --name NAME
// --log ORIGIN=LOG.pub|VKEY... --state FILE`: a C2SP tlog-witness
// (app/log/witness.hpp, server/witness_service.hpp). It prints its vkey, the
// line a policy lists it by. SIGTERM/SIGINT stop it gracefully.
#include "cli/log_witness_command.hpp"

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/log/witness.hpp"
#include "cli/output.hpp"
#include "cli/passphrase.hpp"
#include "cli/server_options.hpp"
#include "cli/server_signals.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/spki.hpp"
#include "server/http_server.hpp"
#include "server/witness_service.hpp"
#include "tlog/vkey.hpp"
#include "util/file.hpp"

namespace chartprov::cli {
namespace {

struct WitnessOptions {
  std::string listen = "127.0.0.1:8090";
  bool allow_remote = false;
  std::string key, passphrase_file, name, state;
  std::vector<std::string> logs;
  ServerTuning tuning;
};

// ORIGIN=FILE (a PEM public key) or a C2SP vkey of type 0x01.
Result<app::log::WitnessedLog> witnessed_log(const std::string& arg) {
  if (const auto eq = arg.find('='); eq != std::string::npos) {
    TRY(const std::string pem, read_text_file(arg.substr(eq + 1), 1u << 20));
    TRY(crypto::PKey key, crypto::parse_public_key_pem(pem));
    return app::log::WitnessedLog{arg.substr(0, eq), std::move(key)};
  }
  auto vkey = tlog::parse_vkey(arg);
  if (!vkey.ok())
    return usage_error("--log " + arg + ": neither ORIGIN=LOG.pub nor a vkey (" + vkey.error().message + ")");
  if (vkey->type != tlog::kNoteKeyType) return usage_error("--log " + arg + ": a witness's vkey, not a log's");
  return app::log::WitnessedLog{vkey->name, std::move(vkey->key)};
}

Result<crypto::PKey> witness_key(const WitnessOptions& o) {
  auto plain = crypto::read_private_key_file(o.key, nullptr);
  if (plain.ok()) return std::move(plain->key);
  PassphraseSource source;
  if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
  source.env_names = {"CHARTPROV_WITNESS_PASSWORD", "CHARTPROV_PASSWORD"};
  source.prompt = "Passphrase for the witness key: ";
  TRY(const SecretString pw, obtain_passphrase(source));
  TRY(crypto::PrivateKeyFile file, crypto::read_private_key_file(o.key, &pw));
  return std::move(file.key);
}

int run_witness(const WitnessOptions& o) {
  app::log::WitnessConfig config;
  config.name = o.name;
  config.state = o.state;
  for (const auto& arg : o.logs) {
    auto log = witnessed_log(arg);
    if (!log.ok()) return report_error(log.error());
    config.logs.push_back(std::move(*log));
  }
  auto key = witness_key(o);
  if (!key.ok()) return report_error(key.error());
  config.key = std::move(*key);
  const auto address = server::parse_listen_address(o.listen);
  if (!address) return report_error(address.error());
  const sigset_t set = block_server_signals();  // before any thread starts
  auto witness = app::log::Witness::open(std::move(config));
  if (!witness) return report_error(witness.error());
  server::ServerOptions options = o.tuning.options();
  options.limits = server::witness_limits();
  auto http = server::HttpServer::listen(*address, o.allow_remote, options);
  if (!http) return report_error(http.error());
  std::printf("chartprov log witness: listening on http://%s:%u as %s\n",
              address->text.substr(0, address->text.rfind(':')).c_str(), static_cast<unsigned>((*http)->port()),
              (*witness)->vkey().c_str());
  std::fflush(stdout);
  std::atomic<bool> done = false;
  const SignalActions actions{"chartprov log witness", [&] { (*http)->stop(); }, [] { return ok_status(); }};
  std::thread signals([&] { handle_server_signals(set, actions, done); });
  const auto st =
      (*http)->run([&](const server::HttpRequest& r) { return server::handle_witness_request(**witness, r); });
  done.store(true);
  signals.join();
  if (!st) return report_error(st.error());
  std::fprintf(stderr, "chartprov log witness: stopped\n");
  return kExitOk;
}

}  // namespace

Runner add_log_witness_command(CLI::App& log) {
  auto o = std::make_shared<WitnessOptions>();
  auto* cmd = log.add_subcommand("witness", "Cosign checkpoints of logs that grow append-only (C2SP tlog-witness)");
  cmd->add_option("--listen", o->listen, "numeric IPv4:PORT or [IPv6]:PORT (port 0: any free port)")
      ->capture_default_str();
  cmd->add_flag("--allow-remote", o->allow_remote, "listen on a non-loopback address");
  cmd->add_option("--key", o->key, "the witness's Ed25519 key file (chartprov key generate --algorithm ed25519)")
      ->required();
  cmd->add_option("--passphrase-file", o->passphrase_file, "the key's passphrase (else CHARTPROV_WITNESS_PASSWORD)");
  cmd->add_option("--name", o->name, "the witness's key name, e.g. witness.example.com/w1")->required();
  cmd->add_option("--log", o->logs, "a log to witness: ORIGIN=LOG.pub (PEM) or the log's vkey (repeat)")->required();
  cmd->add_option("--state", o->state, "the last cosigned checkpoint of each log (JSON, written atomically)")
      ->required();
  add_server_tuning_options(cmd, o->tuning);
  return [o] { return run_witness(*o); };
}

}  // namespace chartprov::cli
