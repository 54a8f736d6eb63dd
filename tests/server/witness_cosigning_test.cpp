// A log asking real witnesses for cosignatures over HTTP (issue 17): the
// witness service (server/witness_service) in this process, the log's client
// (app/log/witness_client) through the chartprov-oci helper as in production.
// Cosignatures verify with the witness's key; a witness that lies, or is not
// there, costs only its own cosignature.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <thread>

#include "app/log/witness.hpp"
#include "app/log/witness_client.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "server/http_server.hpp"
#include "server/witness_service.hpp"
#include "support/test_support.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/vkey.hpp"

namespace chartprov::server {
namespace {

constexpr const char* kOrigin = "log.example.com";

crypto::PKey ed25519() { return std::move(crypto::generate_key("ed25519").value()); }

crypto::PKey copy_of(const crypto::PKey& key) {
  const SecretBytes der = crypto::private_key_info_der(key).value();
  return std::move(crypto::parse_private_key_info_der(der.bytes()).value());
}

// An HTTP server on a free loopback port, answering with `handler`, until destroyed.
class Running {
 public:
  explicit Running(Handler handler) {
    auto s = HttpServer::listen(parse_listen_address("127.0.0.1:0").value(), false, [] {
      ServerOptions o;
      o.limits = witness_limits();
      return o;
    }());
    EXPECT_TRUE(s.ok());
    server_ = std::move(*s);
    thread_ = std::thread([this, h = std::move(handler)] { (void)server_->run(h); });
  }
  ~Running() {
    server_->stop();
    thread_.join();
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

struct CosigningTest : ::testing::Test {
  test::TempDir dir;
  tlog::NoteKey log_key = std::move(tlog::make_note_key(ed25519(), kOrigin).value());
  tlog::HashTree tree;
  crypto::PKey witness_key = ed25519();
  std::unique_ptr<app::log::Witness> witness;

  void SetUp() override {
    ::setenv("CHARTPROV_OCI", (std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-oci").c_str(), 1);
    app::log::WitnessConfig config;
    config.name = "witness.example/w1";
    config.key = copy_of(witness_key);
    config.logs.push_back({kOrigin, copy_of(log_key.key)});
    config.state = dir / "witness.json";
    witness = std::move(app::log::Witness::open(std::move(config)).value());
  }

  std::string grow_and_sign(std::uint64_t to) {
    while (tree.size() < to) {
      EXPECT_TRUE(tree.append(tlog::leaf_hash(to_bytes("entry " + std::to_string(tree.size())))).ok());
    }
    return tlog::sign_note(tlog::checkpoint_body(kOrigin, to, tree.root().value()).value(), log_key).value();
  }

  app::log::WitnessEndpoint endpoint(const std::string& url) {
    return {url, std::make_shared<const tlog::VerifierKey>(tlog::parse_vkey(witness->vkey()).value())};
  }
};

TEST_F(CosigningTest, TheLogGetsVerifiedCosignaturesAsItGrows) {
  Running real([this](const HttpRequest& r) { return handle_witness_request(*witness, r); });
  std::map<std::string, std::uint64_t> known;
  std::vector<app::log::WitnessEndpoint> witnesses;
  witnesses.push_back(endpoint(real.url()));
  witnesses.push_back(endpoint("http://127.0.0.1:1"));  // nobody there
  for (const std::uint64_t size : {5, 6, 300}) {
    const std::string note = grow_and_sign(size);
    const auto got = app::log::request_cosignatures(witnesses, note, tree.nodes(), known);
    ASSERT_EQ(got.failures.size(), 1u) << size;
    auto cp = tlog::parse_checkpoint(note + got.lines);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    EXPECT_TRUE(tlog::cosigned_at(*cp, "witness.example/w1", witness_key).has_value()) << size;
    EXPECT_TRUE(tlog::checkpoint_signed_by(*cp, log_key.key, kOrigin));
    EXPECT_EQ(known[real.url()], size);
  }
}

TEST_F(CosigningTest, AWitnessThatRestartedFromOldStateIsAskedAgainFromItsSize) {
  Running real([this](const HttpRequest& r) { return handle_witness_request(*witness, r); });
  std::map<std::string, std::uint64_t> known;
  std::vector<app::log::WitnessEndpoint> witnesses;
  witnesses.push_back(endpoint(real.url()));
  ASSERT_TRUE(app::log::request_cosignatures(witnesses, grow_and_sign(40), tree.nodes(), known).failures.empty());
  known.clear();  // the log forgot (a restart): the witness answers 409 with 40, and the log retries from it
  const auto got = app::log::request_cosignatures(witnesses, grow_and_sign(90), tree.nodes(), known);
  EXPECT_TRUE(got.failures.empty()) << got.failures.front();
  EXPECT_FALSE(got.lines.empty());
  EXPECT_EQ(known[real.url()], 90u);
}

TEST_F(CosigningTest, LinesThatDoNotVerifyAreDropped) {
  const crypto::PKey impostor = ed25519();
  Running liar([&impostor](const HttpRequest& r) {
    const auto cp = tlog::parse_checkpoint(r.body.substr(r.body.find("\n\n") + 2)).value();
    HttpResponse resp;
    resp.content_type = "text/plain";
    resp.body = tlog::sign_cosignature(cp.body, "witness.example/w1", impostor, 1).value() +
                "\xE2\x80\x94 witness.example/w1 AAAAAAAAAAAA\n";
    return resp;
  });
  std::map<std::string, std::uint64_t> known;
  std::vector<app::log::WitnessEndpoint> witnesses;
  witnesses.push_back(endpoint(liar.url()));
  const auto got = app::log::request_cosignatures(witnesses, grow_and_sign(3), tree.nodes(), known);
  EXPECT_TRUE(got.lines.empty());
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_NE(got.failures[0].find("no cosignature that verifies"), std::string::npos) << got.failures[0];
  EXPECT_EQ(known[liar.url()], 0u);
}

TEST(WitnessEndpoint, ParsesUrlEqualsVkeyAndRefusesTheRest) {
  const std::string vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
  auto w = app::log::parse_witness_endpoint("https://witness.example/=" + vkey);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->url, "https://witness.example");
  EXPECT_FALSE(app::log::parse_witness_endpoint(vkey).ok());
  EXPECT_FALSE(app::log::parse_witness_endpoint("ftp://w=" + vkey).ok());
  EXPECT_FALSE(
      app::log::parse_witness_endpoint("https://w=PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
}

}  // namespace
}  // namespace chartprov::server
