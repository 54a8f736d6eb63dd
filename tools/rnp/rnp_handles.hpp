#pragma once
// RAII over the RNP FFI handles the helper uses.
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

#include <memory>
#include <string>

#include "util/bytes.hpp"
#include "util/secure.hpp"

namespace chartprov::rnpbridge {

struct FfiDeleter {
  void operator()(rnp_ffi_st* p) const { rnp_ffi_destroy(p); }
};
struct KeyDeleter {
  void operator()(rnp_key_handle_st* p) const { rnp_key_handle_destroy(p); }
};
struct InputDeleter {
  void operator()(rnp_input_st* p) const { rnp_input_destroy(p); }
};
struct OutputDeleter {
  void operator()(rnp_output_st* p) const { rnp_output_destroy(p); }
};
struct UidDeleter {
  void operator()(rnp_uid_handle_st* p) const { rnp_uid_handle_destroy(p); }
};
struct IteratorDeleter {
  void operator()(rnp_identifier_iterator_st* p) const { rnp_identifier_iterator_destroy(p); }
};

using Ffi = std::unique_ptr<rnp_ffi_st, FfiDeleter>;
using Key = std::unique_ptr<rnp_key_handle_st, KeyDeleter>;
using Input = std::unique_ptr<rnp_input_st, InputDeleter>;
using Output = std::unique_ptr<rnp_output_st, OutputDeleter>;
using Uid = std::unique_ptr<rnp_uid_handle_st, UidDeleter>;
using IdIterator = std::unique_ptr<rnp_identifier_iterator_st, IteratorDeleter>;

// A string RNP allocated: freed with rnp_buffer_destroy.
inline std::string take_string(char* s) {
  std::string out = s != nullptr ? s : "";
  rnp_buffer_destroy(s);
  return out;
}

}  // namespace chartprov::rnpbridge
