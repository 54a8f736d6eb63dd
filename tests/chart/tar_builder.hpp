#pragma once
// Builds tar and gzip bytes for the archive tests, independently of the code
// under test (its own header layout and checksum, zlib called directly), so
// that malformed archives can be made on purpose.
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace chartprov::test {

using TarBytes = std::vector<std::uint8_t>;

struct TarHeader {
  std::string name;
  char type = '0';
  std::uint64_t size = 0;
  std::string linkname;
  std::string prefix;
  std::string magic = std::string("ustar\0", 6);
  std::string version = "00";
  unsigned mode = 0644;
  bool corrupt_checksum = false;
};

class TarBuilder {
 public:
  // A header block as given (size is not derived from anything).
  TarBuilder& header(const TarHeader& h) {
    std::uint8_t b[512] = {};
    auto put = [&b](std::size_t off, std::size_t len, const std::string& s) {
      std::memcpy(b + off, s.data(), std::min(len, s.size()));
    };
    auto octal = [&b](std::size_t off, std::size_t len, std::uint64_t v) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(v));
      std::memcpy(b + off, buf, len - 1);
    };
    put(0, 100, h.name);
    octal(100, 8, h.mode);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, h.size);
    octal(136, 12, 1735689600);
    b[156] = static_cast<std::uint8_t>(h.type);
    put(157, 100, h.linkname);
    put(257, 6, h.magic);
    put(263, 2, h.version);
    put(345, 155, h.prefix);
    std::memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (const std::uint8_t c : b) sum += c;
    if (h.corrupt_checksum) sum += 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06o", sum);
    std::memcpy(b + 148, buf, 6);
    b[154] = 0;
    b[155] = ' ';
    out_.insert(out_.end(), b, b + 512);
    return *this;
  }

  // Data padded to the block size (padding byte configurable).
  TarBuilder& data(const std::string& content, std::uint8_t pad = 0) {
    out_.insert(out_.end(), content.begin(), content.end());
    out_.insert(out_.end(), (512 - content.size() % 512) % 512, pad);
    return *this;
  }

  TarBuilder& file(const std::string& name, const std::string& content, unsigned mode = 0644) {
    TarHeader h;
    h.name = name;
    h.size = content.size();
    h.mode = mode;
    return header(h).data(content);
  }

  TarBuilder& dir(const std::string& name) {
    TarHeader h;
    h.name = name;
    h.type = '5';
    h.mode = 0755;
    return header(h);
  }

  static std::string pax_record(const std::string& key, const std::string& value) {
    const std::size_t body = key.size() + value.size() + 3;
    std::size_t len = body + 1;
    while (std::to_string(len).size() + body != len) ++len;
    return std::to_string(len) + " " + key + "=" + value + "\n";
  }

  // An extended header ('x', 'g', 'L' or 'K') carrying `payload`.
  TarBuilder& extended(char type, const std::string& payload) {
    TarHeader h;
    h.name = "././@LongLink";
    h.type = type;
    h.size = payload.size();
    return header(h).data(payload);
  }

  TarBuilder& raw(const std::string& bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
  }

  TarBuilder& end() {
    out_.insert(out_.end(), 1024, 0);
    return *this;
  }

  const TarBytes& bytes() const { return out_; }

 private:
  TarBytes out_;
};

// One gzip member of `data` (zlib directly, default level).
inline TarBytes gzip_bytes(const TarBytes& data, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  TarBytes out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  return out;
}

inline TarBytes gzip_bytes(const TarBuilder& tar) { return gzip_bytes(tar.bytes()); }

// Inflates one gzip stream (zlib directly), for looking at tar headers.
inline TarBytes gunzip_bytes(const TarBytes& gz) {
  z_stream zs{};
  if (inflateInit2(&zs, 31) != Z_OK) throw std::runtime_error("inflateInit2");
  TarBytes out;
  std::uint8_t buf[65536];
  zs.next_in = const_cast<Bytef*>(gz.data());
  zs.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  do {
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.insert(out.end(), buf, buf + (sizeof buf - zs.avail_out));
  } while (rc != Z_STREAM_END);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("inflate");
  return out;
}

inline std::string minimal_chart_yaml(const std::string& name = "demo", const std::string& version = "0.1.0") {
  return "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n";
}

}  // namespace chartprov::test
