// The log's wire formats (issue 17): C2SP tile paths and entry bundles,
// checkpoints signed as notes and read back by parse_checkpoint, witness
// cosignatures, and the chart entry.
#include <gtest/gtest.h>

#include "infra/openssl/pkey.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/entry_bundle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/tile_path.hpp"
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
  for (const char* p :
       {"tile/0/1", "tile/0/01", "tile/0/x001", "tile/0/001/234", "tile/0/x001/x234", "tile/8/000", "tile/01/000",
        "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07", "tile/0/000.p/", "tile/0/000.p/5/x", "tiles/0/000",
        "tile/0", "tile/0/x001/x002/x003/x004/x005/x006/x007/008", "tile/entries/abc", "/tile/0/000", "tile/-1/000"}) {
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

}  // namespace
}  // namespace chartprov::tlog
