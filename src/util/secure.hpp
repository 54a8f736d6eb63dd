#pragma once
// Memory for secrets (passphrases, private key bytes): wiped on destruction,
// never copied implicitly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chartprov {

void secure_wipe(void* data, std::size_t size);

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string s) : s_(std::move(s)) {}
  ~SecretString() { secure_wipe(s_.data(), s_.size()); }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& o) noexcept : s_(std::move(o.s_)) { o.s_.clear(); }
  SecretString& operator=(SecretString&& o) noexcept {
    if (this != &o) {
      secure_wipe(s_.data(), s_.size());
      s_ = std::move(o.s_);
      o.s_.clear();
    }
    return *this;
  }
  const std::string& str() const { return s_; }
  bool empty() const { return s_.empty(); }
  std::size_t size() const { return s_.size(); }

 private:
  std::string s_;
};

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::vector<std::uint8_t> b) : b_(std::move(b)) {}
  ~SecretBytes() { secure_wipe(b_.data(), b_.size()); }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& o) noexcept : b_(std::move(o.b_)) { o.b_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept {
    if (this != &o) {
      secure_wipe(b_.data(), b_.size());
      b_ = std::move(o.b_);
      o.b_.clear();
    }
    return *this;
  }
  const std::vector<std::uint8_t>& bytes() const { return b_; }
  std::vector<std::uint8_t>& mutable_bytes() { return b_; }

 private:
  std::vector<std::uint8_t> b_;
};

}  // namespace chartprov
