#pragma once
// Result<T>: a value or an Error. Failures are values, never exceptions, so
// every caller has to decide what a failure means (fail closed).
#include <string>
#include <utility>
#include <variant>

namespace chartprov {

// What kind of failure, which decides the exit code at the CLI edge:
// kUsage/kInput -> 2, kVerify -> 1, kInternal -> 2 (still a deny).
enum class ErrorKind { kUsage, kInput, kVerify, kInternal };

struct Error {
  ErrorKind kind = ErrorKind::kInput;
  std::string message;

  // Prefix the message with context ("reading keyring: ...").
  Error with_context(const std::string& context) const& { return {kind, context + ": " + message}; }
};

inline Error input_error(std::string m) { return {ErrorKind::kInput, std::move(m)}; }
inline Error usage_error(std::string m) { return {ErrorKind::kUsage, std::move(m)}; }
inline Error verify_error(std::string m) { return {ErrorKind::kVerify, std::move(m)}; }
inline Error internal_error(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void> spelled as Status.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace chartprov

// Propagate an error: `TRY(auto x, expr);` or `TRY_STATUS(expr);`.
#define CHARTPROV_CONCAT_INNER(a, b) a##b
#define CHARTPROV_CONCAT(a, b) CHARTPROV_CONCAT_INNER(a, b)
#define TRY_STATUS(expr)                                       \
  do {                                                         \
    auto&& chartprov_try_r = (expr);                           \
    if (!chartprov_try_r.ok()) return chartprov_try_r.error(); \
  } while (0)
#define TRY_IMPL(tmp, decl, expr)    \
  auto tmp = (expr);                 \
  if (!tmp.ok()) return tmp.error(); \
  decl = std::move(tmp).value()
#define TRY(decl, expr) TRY_IMPL(CHARTPROV_CONCAT(chartprov_try_, __LINE__), decl, expr)
