#include "openpgp/packet.hpp"

#include <gtest/gtest.h>

#include "openpgp/mpi.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

Bytes bytes(std::initializer_list<int> v) {
  Bytes out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

}  // namespace

TEST(Packet, OldFormatLengths) {
  // tag 2, one-octet length
  const Bytes one = bytes({0x88, 0x02, 0xaa, 0xbb, 0xcc});  // packets are views: keep the bytes alive
  auto p = read_packet(one);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->tag, 2);
  EXPECT_FALSE(p->new_format);
  EXPECT_EQ(p->body.size(), 2u);
  EXPECT_EQ(p->whole.size(), 4u);
  // tag 6, two-octet length
  Bytes two = bytes({0x99, 0x01, 0x00});
  two.resize(3 + 256, 0x11);
  p = read_packet(two);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->tag, 6);
  EXPECT_EQ(p->body.size(), 256u);
  // four-octet length
  const Bytes four = bytes({0x8a, 0x00, 0x00, 0x00, 0x01, 0x42});
  p = read_packet(four);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->body[0], 0x42);
}

TEST(Packet, NewFormatLengths) {
  const Bytes one = bytes({0xc2, 0x01, 0x07});
  auto p = read_packet(one);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->tag, 2);
  EXPECT_TRUE(p->new_format);
  // two-octet: 192..8383
  Bytes two = bytes({0xc2, 0xc0, 0x00});
  two.resize(3 + 192, 0);
  p = read_packet(two);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->body.size(), 192u);
  Bytes five = bytes({0xc6, 0xff, 0x00, 0x00, 0x20, 0xc0});
  five.resize(6 + 8384, 0);
  p = read_packet(five);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->body.size(), 8384u);
}

TEST(Packet, WriterPicksShortestHeaderAndRoundTrips) {
  for (std::size_t len : {0u, 1u, 191u, 192u, 8383u, 8384u, 70000u}) {
    const Bytes body(len, 0x5a);
    const Bytes pkt = make_packet(2, body);
    const std::size_t header = len < 192 ? 2 : len < 8384 ? 3 : 6;
    EXPECT_EQ(pkt.size(), len + header) << len;
    EXPECT_EQ(pkt[0], 0xc2);
    auto p = read_packet(pkt);
    ASSERT_TRUE(p.ok()) << len;
    EXPECT_EQ(p->body.size(), len);
    EXPECT_EQ(p->whole.size(), pkt.size());
  }
}

TEST(Packet, RejectsPartialIndeterminateAndOverlongLengths) {
  auto partial = read_packet(bytes({0xc2, 0xe1, 0x00, 0x00}));
  ASSERT_FALSE(partial.ok());
  EXPECT_NE(partial.error().message.find("partial"), std::string::npos);
  auto indeterminate = read_packet(bytes({0x8b, 0x00}));
  ASSERT_FALSE(indeterminate.ok());
  EXPECT_NE(indeterminate.error().message.find("indeterminate"), std::string::npos);
  auto past_end = read_packet(bytes({0xc2, 0x05, 0x00}));
  ASSERT_FALSE(past_end.ok());
  EXPECT_NE(past_end.error().message.find("truncated"), std::string::npos);
  EXPECT_FALSE(read_packet(bytes({0xc2, 0xff, 0x00, 0x00})).ok());  // truncated 4-octet length
  EXPECT_FALSE(read_packet(bytes({0xc2})).ok());
  EXPECT_FALSE(read_packet(bytes({})).ok());
  auto no_msb = read_packet(bytes({0x2d, 0x2d}));
  ASSERT_FALSE(no_msb.ok());
  EXPECT_NE(no_msb.error().message.find("high bit"), std::string::npos);
  EXPECT_FALSE(read_packet(bytes({0xc0, 0x00})).ok());  // reserved tag 0
}

TEST(Packet, SequenceFailsOnTrailingGarbage) {
  auto ok = read_packets(bytes({0xc2, 0x01, 0x00, 0x88, 0x00}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
  EXPECT_FALSE(read_packets(bytes({0xc2, 0x01, 0x00, 0x01})).ok());
}

TEST(Mpi, ReadsExactAndNonMinimal) {
  const Bytes data = bytes({0x00, 0x09, 0x01, 0xff,  // 9 bits: 0x01ff
                            0x00, 0x10, 0x00, 0x05,  // 16 bits claimed, value 5 (Helm 3 style)
                            0x00, 0x00});            // zero
  ByteReader in(data);
  auto a = read_mpi(in, "a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Bytes(a->begin(), a->end()), bytes({0x01, 0xff}));
  auto b = read_mpi(in, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 2u);
  EXPECT_EQ(bit_length(*b), 3u);
  auto c = read_mpi(in, "c");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
  EXPECT_TRUE(in.empty());
}

TEST(Mpi, RejectsLengthPastData) {
  const Bytes data = bytes({0x01, 0x00, 0xaa});  // 256 bits, one octet present
  ByteReader in(data);
  auto r = read_mpi(in, "n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("past the end"), std::string::npos);
  const Bytes one = bytes({0x00});
  ByteReader in2(one);
  EXPECT_FALSE(read_mpi(in2, "n").ok());
}

TEST(Mpi, WritesMinimal) {
  Bytes out;
  append_mpi(out, bytes({0x00, 0x00, 0x7f, 0x01}));
  EXPECT_EQ(out, bytes({0x00, 0x0f, 0x7f, 0x01}));
  out.clear();
  append_mpi(out, bytes({}));
  EXPECT_EQ(out, bytes({0x00, 0x00}));
  EXPECT_EQ(left_pad(bytes({0x00, 0x01}), 3), bytes({0x00, 0x00, 0x01}));
  EXPECT_TRUE(left_pad(bytes({0x01, 0x02}), 1).empty());
}
