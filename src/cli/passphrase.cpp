#include "cli/passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "util/fd.hpp"
#include "util/file.hpp"
#include "util/secret_permissions.hpp"
#include "util/writeall.hpp"

namespace chartprov::cli {
namespace {

// Restores the terminal's echo setting on every path out.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// Reads one line from fd (without the newline), at most 4 KiB.
Result<SecretString> read_line(int fd) {
  std::string line;
  char c = 0;
  while (true) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0) return input_error("cannot read passphrase");
    if (n == 0 || c == '\n') break;
    if (line.size() >= 4096) {
      secure_wipe(line.data(), line.size());
      return input_error("passphrase longer than 4096 bytes");
    }
    line.push_back(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return SecretString(std::move(line));
}

Result<SecretString> prompt_once(int tty, const std::string& prompt) {
  (void)writeall(tty, prompt);  // a prompt not shown does not change what is read
  Result<SecretString> r = [&] {
    const EchoOff quiet(tty);
    return read_line(tty);
  }();
  (void)writeall(tty, "\n");
  return r;
}

Result<SecretString> from_file(const std::string& file) {
  if (file == "-") return read_line(STDIN_FILENO);
  TRY_STATUS(check_secret_file_permissions(file, "passphrase file"));
  TRY(auto bytes, read_file(file, 1 << 16));
  SecretBytes guard(std::move(bytes));
  const auto& b = guard.bytes();
  std::string line;
  for (const auto ch : b) {
    if (ch == '\n') break;
    line.push_back(static_cast<char>(ch));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return SecretString(std::move(line));
}

}  // namespace

Result<SecretString> obtain_passphrase(const PassphraseSource& source) {
  if (source.file) return from_file(*source.file);
  for (const auto& name : source.env_names) {
    if (const char* v = std::getenv(name.c_str()); v != nullptr) return SecretString(std::string(v));
  }
  const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0) {
    std::string names;
    for (const auto& n : source.env_names) names += (names.empty() ? "" : " or ") + n;
    return input_error("a passphrase is needed: set " + names + ", pass --passphrase-file, or run on a terminal");
  }
  const UniqueFd closer(tty);
  TRY(SecretString first, prompt_once(tty, source.prompt));
  if (source.confirm) {
    TRY(SecretString second, prompt_once(tty, "Repeat passphrase: "));
    if (first.str() != second.str()) return input_error("the passphrases do not match");
  }
  return first;
}

}  // namespace chartprov::cli
