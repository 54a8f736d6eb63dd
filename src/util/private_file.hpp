#pragma once
// A file only its owner may read or write, made before a library that creates
// files with its own mode (SQLite: 0644 less the umask) opens it.
#include <filesystem>

#include "util/result.hpp"

namespace chartprov {

// Creates path as an empty regular file of mode 0600 when nothing is there;
// an existing path is left as it is (whatever it is: the opener judges it).
// Refused: the file cannot be created ("<path>: cannot create: <strerror>").
Status create_private_file_if_missing(const std::filesystem::path& path);

}  // namespace chartprov
