#pragma once
// The OpenPGP cleartext signature framework (RFC 4880 §7) as Helm's .prov
// uses it: parsing with the rules Helm's reader applies, and writing in the
// form every verifier accepts (helm v3/v4, gpg, sq, rnp).
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::envelope::prov {

struct Cleartext {
  std::vector<std::string> hash_headers;  // Hash: values, comma lists split and trimmed
  bool has_hash_header = false;
  std::string signed_text;   // the bytes the signature covers (lines joined with CR LF)
  std::string plaintext;     // the same lines joined with LF, no final LF (what Helm parses)
  Bytes signature_packets;   // the dearmored PGP SIGNATURE block
};

// The first "-----BEGIN PGP SIGNED MESSAGE-----" line (at the start or after
// a LF) starts the block; text before it and after the armor is ignored. A
// second block in the file is refused (which one would count is ambiguous).
Result<Cleartext> parse_cleartext(std::string_view file);

// What a verifier hashes for write_cleartext(text, ...): text must end in LF
// and hold no CR and no line with trailing spaces or tabs (verifiers would
// strip them, and the signature would not cover what the file shows).
Result<std::string> signed_text_for(std::string_view text);

// Helm v4's layout (text, then one empty line, so the signed text ends with
// CR LF) with a CRC line and a final newline added.
std::string write_cleartext(std::string_view text, std::string_view hash_name, ByteView signature_packets);

}  // namespace chartprov::envelope::prov
