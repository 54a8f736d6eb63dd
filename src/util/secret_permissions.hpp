#pragma once
// One permission rule for every secret input (issue 14 finding 9), as ssh has
// for its keys: key files (check_private_file_permissions in util/file.hpp),
// secret keyrings, passphrase files, key shares and GnuPG homes.
#include <filesystem>
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

// `what` names the input in the message ("secret keyring", "passphrase
// file", "key share"): refused when it cannot be stat'ed, is not a regular
// file, or group or others may read or write it ("... is accessible by group
// or others (mode 0644); run: chmod 600 ...").
[[nodiscard]] Status check_secret_file_permissions(const std::filesystem::path& path, std::string_view what);

// A directory of secrets (a GnuPG home): refused when it cannot be stat'ed,
// is not a directory, or group or others have any access to it (gpg's own
// "unsafe permissions" rule, made an error; "run: chmod 700 ...").
// A secret that a group is meant to read: a Kubernetes Secret volume with a
// pod fsGroup is mounted root-owned, mode 0440, group fsGroup, and a non-root
// server reads it through that group. Refused when it cannot be stat'ed, is
// not a regular file, group members may write it, or others have any access
// ("... is accessible by others or writable by group (mode 0664); run: chmod
// 440 ...").
[[nodiscard]] Status check_group_secret_file_permissions(const std::filesystem::path& path, std::string_view what);

[[nodiscard]] Status check_secret_dir_permissions(const std::filesystem::path& path, std::string_view what);

}  // namespace chartprov
