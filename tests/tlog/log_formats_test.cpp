// The log's wire formats (issue 17): C2SP tile paths and entry bundles,
// checkpoints signed as notes and read back by parse_checkpoint, witness
// cosignatures, and the chart entry.
#include <gtest/gtest.h>

#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/pkey.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/chart_entry_scan.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/entry_bundle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/tile_path.hpp"
#include "tlog/vkey.hpp"
#include "tlog/witness_request.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

TEST(TilePath, WritesTheC2spExamples) {
  // C2SP tlog-tiles: "index 1234067 will be encoded as x001/x234/067".
  EXPECT_EQ(tile_path(TileId{false, 0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(tile_path(TileId{false, 2, 5, 7}), "tile/2/005.p/7");
  EXPECT_EQ(tile_path(TileId{true, 0, 1000, 256}), "tile/entries/x001/000");
  EXPECT_EQ(tile_path(TileId{true, 0, 0, 1}), "tile/entries/000.p/1");
}

TEST(TilePath, ParsesWhatItWrites) {
  for (const TileId id : {TileId{false, 0, 1234067, 256}, TileId{false, 7, 0, 1}, TileId{true, 0, 999, 255},
                          TileId{false, 3, 1000000000, 100}}) {
    auto back = parse_tile_path(tile_path(id));
    ASSERT_TRUE(back.ok()) << tile_path(id);
    EXPECT_EQ(back->entries, id.entries);
    EXPECT_EQ(back->level, id.level);
    EXPECT_EQ(back->index, id.index);
    EXPECT_EQ(back->width, id.width);
  }
}

TEST(TilePath, RefusesEveryOtherSpelling) {
  for (const char* p : {"tile/0/1",
                        "tile/0/01",
                        "tile/0/x001",
                        "tile/0/001/234",
                        "tile/0/x001/x234",
                        "tile/8/000",
                        "tile/01/000",
                        "tile/0/000.p/0",
                        "tile/0/000.p/256",
                        "tile/0/000.p/07",
                        "tile/0/000.p/",
                        "tile/0/000.p/5/x",
                        "tiles/0/000",
                        "tile/0",
                        "tile/0/x001/x002/x003/x004/x005/x006/x007/008",
                        "tile/entries/abc",
                        "/tile/0/000",
                        "tile/-1/000",
                        "tile/3/x000/x999/999.p/255",
                        "tile/0/x205/x234/x001/x001/x234/x234/586"}) {
    EXPECT_FALSE(parse_tile_path(p).ok()) << p;
  }
}

TEST(TilePath, TileForGivesThePartialWidthAtTheRightEdge) {
  const TileId t = tile_for(0, 300, 300 + 1);
  EXPECT_EQ(t.index, 1u);
  EXPECT_EQ(t.width, 45u);
  EXPECT_EQ(tile_for(0, 10, 1000).width, 256u);
  EXPECT_EQ(tile_for(1, 0, 1000).width, 3u);
  EXPECT_EQ(tile_for(1, 0, 255).width, 0u);
}

TEST(EntryBundle, RoundTripsAndRefusesTruncation) {
  const std::vector<Bytes> entries = {to_bytes("a"), {}, Bytes(300, 7)};
  auto bundle = encode_entry_bundle(entries);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->size(), 2 + 1 + 2 + 2 + 300u);
  EXPECT_EQ((*bundle)[0], 0);
  EXPECT_EQ((*bundle)[1], 1);
  auto back = parse_entry_bundle(*bundle, 3);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, entries);
  EXPECT_FALSE(parse_entry_bundle(*bundle, 2).ok());
  EXPECT_FALSE(parse_entry_bundle(*bundle, 0, 2).ok());
  Bytes cut = *bundle;
  cut.pop_back();
  EXPECT_FALSE(parse_entry_bundle(cut, 0).ok());
  EXPECT_FALSE(parse_entry_bundle(Bytes{0}, 0).ok());
  EXPECT_FALSE(encode_entry_bundle({Bytes(65536, 0)}).ok());
}

crypto::PKey ed25519() {
  auto k = crypto::generate_key("ed25519");
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

TEST(NoteSigner, SignedCheckpointsParseAndVerifyUnderTheLogsName) {
  auto key = make_note_key(ed25519(), "log.example.com");
  ASSERT_TRUE(key.ok());
  const Bytes root(32, 0xAB);
  auto body = checkpoint_body("log.example.com", 42, root);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "log.example.com\n42\n" + base64_encode(root) + "\n");
  auto note = sign_note(*body, *key);
  ASSERT_TRUE(note.ok());
  auto cp = parse_checkpoint(*note);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  EXPECT_EQ(cp->origin, "log.example.com");
  EXPECT_EQ(cp->size, 42u);
  EXPECT_EQ(cp->root_hash, root);
  EXPECT_EQ(cp->signatures.size(), 1u);
  EXPECT_TRUE(checkpoint_signed_by(*cp, key->key, "log.example.com"));
  EXPECT_FALSE(checkpoint_signed_by(*cp, key->key, "other.example.com"));
  EXPECT_FALSE(checkpoint_signed_by(*cp, ed25519(), "log.example.com"));
  std::string tampered = *note;
  tampered[tampered.find("42")] = '4';
  tampered[tampered.find("42") + 1] = '3';
  auto bad = parse_checkpoint(tampered);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(checkpoint_signed_by(*bad, key->key, "log.example.com"));
}

TEST(NoteSigner, RefusesBadNamesKeysAndBodies) {
  EXPECT_FALSE(make_note_key(ed25519(), "").ok());
  EXPECT_FALSE(make_note_key(ed25519(), "a b").ok());
  EXPECT_FALSE(make_note_key(ed25519(), "a+b").ok());
  auto ec = crypto::generate_key("ecdsa-p256");
  ASSERT_TRUE(ec.ok());
  EXPECT_FALSE(make_note_key(std::move(*ec), "log").ok());
  EXPECT_FALSE(checkpoint_body("", 1, Bytes(32, 0)).ok());
  EXPECT_FALSE(checkpoint_body("a\nb", 1, Bytes(32, 0)).ok());
  EXPECT_FALSE(checkpoint_body("log", 1, Bytes(31, 0)).ok());
  auto key = make_note_key(ed25519(), "log");
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(sign_note("log\n1", *key).ok());
  EXPECT_FALSE(sign_note("log\n\n1\n", *key).ok());
}

TEST(Cosignature, AWitnessLineVerifiesWithItsTimeAndNothingElseDoes) {
  auto log_key = make_note_key(ed25519(), "log.example.com");
  ASSERT_TRUE(log_key.ok());
  auto note = sign_note(*checkpoint_body("log.example.com", 7, Bytes(32, 1)), *log_key);
  ASSERT_TRUE(note.ok());
  const crypto::PKey witness = ed25519();
  auto line = sign_cosignature(note->substr(0, note->find("\n\n") + 1), "witness.example", witness, 1765000000);
  ASSERT_TRUE(line.ok());
  auto cp = parse_checkpoint(*note + *line);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  EXPECT_EQ(cosigned_at(*cp, "witness.example", witness), std::optional<std::uint64_t>(1765000000));
  EXPECT_EQ(cosigned_at(*cp, "other.witness", witness), std::nullopt);
  EXPECT_EQ(cosigned_at(*cp, "witness.example", ed25519()), std::nullopt);
  EXPECT_TRUE(checkpoint_signed_by(*cp, log_key->key, "log.example.com"))
      << "a cosignature is ignored by the log check";
  // The log's own signature is not a cosignature, even under the witness's name.
  auto log_as_witness = parse_checkpoint(*note);
  ASSERT_TRUE(log_as_witness.ok());
  EXPECT_EQ(cosigned_at(*log_as_witness, "log.example.com", log_key->key), std::nullopt);
}

ChartEntry signed_chart() {
  ChartEntry e;
  e.event = {"web", "0.1.0", "sigstore-bundle", 1765000000};
  e.digest = Bytes(32, 3);
  e.signature = Bytes(70, 4);
  e.public_key = Bytes(91, 5);
  e.key_details = "PKIX_ECDSA_P256_SHA_256";
  return e;
}

TEST(ChartEntry, IsAHashedrekordBodyThatNamesTheChart) {
  auto body = chart_entry_body(signed_chart());
  ASSERT_TRUE(body.ok());
  const std::string head =
      R"({"apiVersion":"0.0.2","chartprov":{"chart":"web","envelope":"sigstore-bundle","time":1765000000,)"
      R"("version":"0.1.0"},"kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256",)";
  EXPECT_EQ(body->substr(0, head.size()), head);
  auto back = parse_chart_entry(as_bytes(*body));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->event.chart, "web");
  EXPECT_EQ(back->event.time, 1765000000);
  EXPECT_EQ(back->digest, Bytes(32, 3));
  EXPECT_EQ(back->public_key, Bytes(91, 5));
  EXPECT_TRUE(back->certificate.empty());
}

TEST(ChartEntry, ProvEntriesRoundTrip) {
  ChartEntry e;
  e.kind = EntryKind::helm_prov;
  e.event = {"web", "1.0.0+build.1", "prov", 5};
  e.digest = Bytes(32, 9);
  e.provenance = to_bytes("-----BEGIN PGP SIGNED MESSAGE-----");
  e.openpgp_key = Bytes(10, 1);
  auto body = chart_entry_body(e);
  ASSERT_TRUE(body.ok());
  auto back = parse_chart_entry(as_bytes(*body));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->kind, EntryKind::helm_prov);
  EXPECT_EQ(back->provenance, e.provenance);
}

TEST(ChartEntry, TheFastScanReadsWhatTheWriterWritesAndNothingElse) {
  ChartEntry with_cert = signed_chart();
  with_cert.public_key.clear();
  with_cert.certificate = Bytes(300, 6);
  ChartEntry prov;
  prov.kind = EntryKind::helm_prov;
  prov.event = {"web", "1.0.0", "prov", -5};
  prov.digest = Bytes(32, 9);
  prov.provenance = Bytes(100, 2);
  prov.openpgp_key = Bytes(10, 1);
  for (const ChartEntry& e : {signed_chart(), with_cert, prov}) {
    const std::string body = chart_entry_body(e).value();
    auto scanned = scan_chart_entry(as_bytes(body));
    ASSERT_TRUE(scanned.has_value()) << body;
    EXPECT_EQ(chart_entry_body(*scanned).value(), body);
    EXPECT_EQ(scanned->certificate, e.certificate);
    EXPECT_EQ(scanned->event.time, e.event.time);
  }
  const std::string body = chart_entry_body(signed_chart()).value();
  std::string padded = body;
  padded.insert(padded.find("\"time\":") + 7, "0");  // a leading zero: not how the writer writes a time
  EXPECT_FALSE(scan_chart_entry(as_bytes(padded)).has_value());
  EXPECT_FALSE(parse_chart_entry(as_bytes(padded)).ok());
  std::string escaped = body;
  escaped.replace(escaped.find("\"web\""), 5, "\"w\\u0065b\"");
  EXPECT_FALSE(scan_chart_entry(as_bytes(escaped)).has_value());
  EXPECT_FALSE(parse_chart_entry(as_bytes(escaped)).ok()) << "an escape is not canonical either";
  ChartEntry quoted = signed_chart();
  quoted.event.version = "1.0\"";
  EXPECT_FALSE(chart_entry_body(quoted).ok());
  ChartEntry lower = signed_chart();
  lower.key_details = "pkix_ecdsa";
  EXPECT_FALSE(chart_entry_body(lower).ok());
}

TEST(ChartEntry, RefusesWhatItWouldNotWrite) {
  auto e = signed_chart();
  e.event.chart = "../web";
  EXPECT_FALSE(chart_entry_body(e).ok());
  e = signed_chart();
  e.event.version = "1 0";
  EXPECT_FALSE(chart_entry_body(e).ok());
  e = signed_chart();
  e.event.envelope = "prov";
  EXPECT_FALSE(chart_entry_body(e).ok());
  e = signed_chart();
  e.certificate = Bytes(3, 1);
  EXPECT_FALSE(chart_entry_body(e).ok());
  e = signed_chart();
  e.digest.pop_back();
  EXPECT_FALSE(chart_entry_body(e).ok());

  const std::string body = *chart_entry_body(signed_chart());
  std::string spaced = body;
  spaced.insert(1, " ");
  EXPECT_FALSE(parse_chart_entry(as_bytes(spaced)).ok());
  std::string extra = body;
  extra.insert(1, R"("extra":1,)");
  EXPECT_FALSE(parse_chart_entry(as_bytes(extra)).ok());
  std::string kind = body;
  kind.replace(kind.find("0.0.2"), 5, "0.0.1");
  EXPECT_FALSE(parse_chart_entry(as_bytes(kind)).ok());
  EXPECT_FALSE(parse_chart_entry(as_bytes(std::string("[]"))).ok());
  EXPECT_FALSE(parse_chart_entry(Bytes(kMaxChartEntry + 1, '{')).ok());
}

// Verifier keys published with golang.org/x/mod's sumdb/note tests (PeterNeumann, with the note
// it signed), and with transparency-dev/formats' note tests (TEST: base64 holding a '+';
// remora.n621.de: a real witness's cosignature key).
constexpr const char* kPeterNeumann = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char* kPlusKey = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
constexpr const char* kRemora = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

TEST(Vkey, ReadsPublishedKeysAndWritesThemBackTheSame) {
  for (const char* text : {kPeterNeumann, kPlusKey, kRemora}) {
    auto vkey = parse_vkey(text);
    ASSERT_TRUE(vkey.ok()) << text << ": " << vkey.error().message;
    EXPECT_EQ(format_vkey(vkey->name, vkey->type, vkey->key).value(), text);
  }
  EXPECT_EQ(parse_vkey(kRemora)->type, kCosignatureKeyType);
  EXPECT_EQ(hex_encode(parse_vkey(kPeterNeumann)->key_id), "c74f20a3");
}

TEST(Vkey, VerifiesTheNoteItsOwnerSigned) {
  const auto vkey = parse_vkey(kPeterNeumann);
  ASSERT_TRUE(vkey.ok());
  const std::string text =
      "If you think cryptography is the answer to your problem,\n"
      "then you don't know what your problem is.\n";
  const Bytes blob =
      base64_decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
          .value();
  EXPECT_EQ(Bytes(blob.begin(), blob.begin() + 4), vkey->key_id);
  const ByteView sig(blob.data() + 4, blob.size() - 4);
  EXPECT_TRUE(crypto::verify_eddsa(vkey->key, as_bytes(text), sig));
  EXPECT_FALSE(crypto::verify_eddsa(vkey->key, as_bytes(text + "!"), sig));
}

TEST(Vkey, RefusesWhatTheNotePackageRefuses) {
  for (const char* text :
       {"bananas.sigstore.dev+12344556", "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB", "PeterNeumann+NOT_A_NUMBER+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+BBpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"}) {
    EXPECT_FALSE(parse_vkey(text).ok()) << text;
  }
}

TEST(WitnessRequest, RoundTripsTheC2spExampleShape) {
  AddCheckpoint r{20852014, {Bytes(32, 1), Bytes(32, 2)}, "example.com/behind-the-sofa\n20852163\nroot\n\n- sig\n"};
  const std::string text = format_add_checkpoint(r).value();
  EXPECT_EQ(text.substr(0, 13), "old 20852014\n");
  auto back = parse_add_checkpoint(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->old_size, 20852014u);
  EXPECT_EQ(back->proof, r.proof);
  EXPECT_EQ(back->checkpoint, r.checkpoint);
  auto empty_proof = parse_add_checkpoint("old 0\n\ncheckpoint\n");
  ASSERT_TRUE(empty_proof.ok());
  EXPECT_TRUE(empty_proof->proof.empty());
}

TEST(WitnessRequest, RefusesMalformedRequests) {
  const std::string hash = base64_encode(Bytes(32, 7));
  std::string many = "old 1\n";
  for (int i = 0; i < 64; ++i) many += hash + "\n";
  many += "\ncp\n";
  for (const std::string& body :
       {std::string("old 01\n\ncp\n"), std::string("old -1\n\ncp\n"), std::string("new 1\n\ncp\n"),
        std::string("old 1\n") + hash + "\ncp\n", std::string("old 1\nAAAA\n\ncp\n"), std::string("old 1\n\n"), many,
        std::string("old 1")}) {
    EXPECT_FALSE(parse_add_checkpoint(body).ok()) << body;
  }
  EXPECT_FALSE(format_add_checkpoint(AddCheckpoint{1, {Bytes(31, 0)}, "cp\n"}).ok());
}

}  // namespace
}  // namespace chartprov::tlog
