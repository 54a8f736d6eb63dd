#pragma once
// The OpenPGP cleartext signature framework (RFC 4880 §7) as Helm's .prov
// uses it: parsing with the rules Helm's reader applies, and writing in the
// form every verifier accepts (helm v3/v4, gpg, sq, rnp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::envelope::prov {

// The most a .prov file may hold: every reader of one (verify, the staged
// envelope's judge, an OCI .prov layer, the RNP helper) refuses more, unread.
inline constexpr std::uint64_t kMaxProvFile = 1u << 20;

struct Cleartext {
  std::vector<std::string> hash_headers;  // Hash: values, comma lists split and trimmed
  bool has_hash_header = false;
  std::string signed_text;  // the bytes the signature covers (lines joined with CR LF)
  std::string plaintext;    // the same lines joined with LF, no final LF (what Helm parses)
  Bytes signature_packets;  // the dearmored PGP SIGNATURE block
};

// The first "-----BEGIN PGP SIGNED MESSAGE-----" line (at the start or after
// a LF) starts the block; text before it and after the armor is ignored.
// Errors start with "signature block not found" where Helm's reader finds no
// block (none, a suffix on the BEGIN line, cut off before the END line).
// Stricter than Helm where readers disagree or the file is ambiguous:
//  - a second BEGIN PGP SIGNED MESSAGE line anywhere after the first;
//  - an armor header other than Hash:, an empty Hash: value, a control
//    character (tab included) or non-ASCII byte in a header;
//  - a text line with a CR that is not part of its CR LF ending (Helm signs
//    it, gpg strips it), or one starting with '-' but not "- " (RFC 4880
//    §7.1 dash-escaping; such a line is not what any writer produces).
// The signature armor must be well-formed (openpgp::dearmor), CRC checked.
Result<Cleartext> parse_cleartext(std::string_view file);

// Exactly the bytes a verifier hashes for write_cleartext(text, ...): lines
// joined with CR LF, ending with CR LF. The text is refused, not normalised,
// when it is empty, does not end in LF, holds a CR, or has a line with
// trailing spaces or tabs (verifiers strip them, so the file would not show
// what was signed).
Result<std::string> signed_text_for(std::string_view text);

// Helm v4's layout (header "Hash: <hash_name>", the text dash-escaped, then
// one empty line, so the signed text ends with CR LF), plus a CRC-24 line and
// a final newline so that gpg and rnp accept every signature size. `text`
// must be one signed_text_for accepts (sign those bytes, then write).
std::string write_cleartext(std::string_view text, std::string_view hash_name, ByteView signature_packets);

}  // namespace chartprov::envelope::prov
