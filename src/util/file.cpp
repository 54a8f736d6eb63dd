#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/fd.hpp"
#include "util/secret_permissions.hpp"
#include "util/writeall.hpp"

namespace chartprov {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

using Fd = UniqueFd;

}  // namespace

Result<UniqueFd> open_regular_file(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return input_error("cannot open " + path.string() + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return input_error("cannot stat " + path.string() + ": " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) return input_error(path.string() + " is a directory, not a file");
  if (!S_ISREG(st.st_mode)) return input_error(path.string() + " is not a regular file");
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return input_error("cannot read " + path.string() + ": " + errno_text(errno));
  }
  return fd;
}

Result<Bytes> read_file(const std::filesystem::path& path, std::uint64_t max_size) {
  const auto deadline = std::chrono::steady_clock::now() + kReadDeadline;
  TRY(const Fd fd, open_regular_file(path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return input_error("cannot stat " + path.string() + ": " + errno_text(errno));
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    return input_error(path.string() + " is too large (" + std::to_string(st.st_size) + " bytes, limit " +
                       std::to_string(max_size) + ")");
  }
  // One byte more than fstat's size is asked for: a file that grew since is refused rather than
  // silently truncated, and a short read at the size is the end of the file (no read for the 0).
  const auto size = static_cast<std::size_t>(st.st_size);
  Bytes out(size + 1);
  std::size_t got = 0;
  while (got < out.size()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return input_error("reading " + path.string() + " took longer than " + std::to_string(kReadDeadline.count()) +
                         " s");
    }
    const std::size_t wanted = out.size() - got;
    const ssize_t n = ::read(fd.get(), out.data() + got, wanted);
    if (n < 0) {
      if (errno == EINTR) continue;
      return input_error("cannot read " + path.string() + ": " + errno_text(errno));
    }
    if (n == 0) break;  // file shrank while reading
    got += static_cast<std::size_t>(n);
    if (got == size && static_cast<std::size_t>(n) < wanted) break;
  }
  if (got > size) return input_error(path.string() + " changed while being read");
  out.resize(got);
  return out;
}

Result<std::string> read_text_file(const std::filesystem::path& path, std::uint64_t max_size) {
  TRY(Bytes b, read_file(path, max_size));
  return std::string(b.begin(), b.end());
}

Status atomic_write(const std::filesystem::path& path, ByteView data, unsigned mode) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-XXXXXX";
  std::string tmpl = (dir / name).string();
  Fd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
  if (fd.get() < 0) return input_error("cannot create a file in " + dir.string() + ": " + errno_text(errno));
  auto fail = [&](const std::string& what, int err) -> Status {
    ::unlink(tmpl.c_str());
    return input_error(what + " " + path.string() + ": " + errno_text(err));
  };
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) return fail("cannot set mode of", errno);
  if (const int err = writeall(fd.get(), data); err != 0) return fail("cannot write", err);
  if (::fsync(fd.get()) != 0) return fail("cannot sync", errno);
  if (::close(fd.release()) != 0) return fail("cannot close", errno);
  if (::rename(tmpl.c_str(), path.c_str()) != 0) return fail("cannot rename onto", errno);
  return ok_status();
}

Status check_private_file_permissions(const std::filesystem::path& path) {
  return check_secret_file_permissions(path, "private key");
}
Status refuse_to_overwrite(std::initializer_list<std::filesystem::path> paths) {
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return input_error(p.string() + " exists; refusing to overwrite (--force)");
  }
  return ok_status();
}

}  // namespace chartprov
