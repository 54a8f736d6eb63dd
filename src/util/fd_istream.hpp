#pragma once
// An std::istream over a descriptor it owns, for parsers that stream (a
// repository's index.yaml can be tens of MB). tellg/seekg work on a regular
// file (a parser may read the stream twice). Open the descriptor with
// open_regular_file (util/file.hpp), so that nothing waits on a FIFO.
// A failed read() ends the stream as its end would; read_failed() tells the
// two apart, so check it after parsing.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <istream>
#include <streambuf>

#include "util/fd.hpp"

namespace chartprov {

class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(UniqueFd fd) : fd_(std::move(fd)) {}
  bool read_failed() const { return failed_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t n = 0;
    do {
      n = ::read(fd_.get(), buf_.data(), buf_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) failed_ = true;
    if (n <= 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode /*which*/) override {
    int whence = SEEK_SET;
    if (dir == std::ios_base::cur) {
      whence = SEEK_CUR;
      off -= egptr() - gptr();  // the descriptor is ahead by what is buffered and unread
    } else if (dir == std::ios_base::end) {
      whence = SEEK_END;
    }
    return seek_to(off, whence);
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode /*which*/) override {
    return seek_to(static_cast<off_type>(pos), SEEK_SET);
  }

 private:
  pos_type seek_to(off_type off, int whence) {
    const off_t at = ::lseek(fd_.get(), static_cast<off_t>(off), whence);
    if (at < 0) return pos_type(off_type(-1));
    setg(buf_.data(), buf_.data(), buf_.data());  // nothing buffered from before
    return pos_type(static_cast<off_type>(at));
  }

  UniqueFd fd_;
  bool failed_ = false;
  std::array<char, std::size_t{64} * 1024> buf_{};
};

class FdIstream : public std::istream {
 public:
  explicit FdIstream(UniqueFd fd) : std::istream(nullptr), buf_(std::move(fd)) { rdbuf(&buf_); }
  bool read_failed() const { return buf_.read_failed(); }

 private:
  FdStreamBuf buf_;
};

}  // namespace chartprov
