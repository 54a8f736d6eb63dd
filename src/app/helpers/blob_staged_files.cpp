#include "app/helpers/blob_staged_files.hpp"

#include <unistd.h>

#include "infra/openssl/random.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

void remove_quietly(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::remove(p, ec);
}

}  // namespace

Status write_all_or_nothing(const std::vector<StagedFile>& files) {
  Bytes tag(6);
  TRY_STATUS(crypto::random_fill(tag));
  std::string suffix = ".staged-";
  suffix += std::to_string(::getpid());
  suffix += "-";
  suffix += hex_encode(tag);
  std::vector<std::filesystem::path> staged;
  for (const auto& f : files) {
    const std::filesystem::path dir = f.path.has_parent_path() ? f.path.parent_path() : ".";
    std::string name = ".";  // hidden; appended step by step (GCC 12 -Wrestrict misfires on "." + s)
    name += f.path.filename().string();
    name += suffix;
    const std::filesystem::path tmp = dir / name;
    if (auto s = atomic_write(tmp, f.content, f.mode); !s) {
      for (const auto& p : staged) remove_quietly(p);
      return s.error().with_context("nothing was written");
    }
    staged.push_back(tmp);
  }
  // Renames within one directory: they do not fail for want of space.
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    std::filesystem::rename(staged[i], files[i].path, ec);
    if (ec) {
      for (std::size_t j = i; j < staged.size(); ++j) remove_quietly(staged[j]);
      std::string msg = "cannot rename onto ";
      msg.append(files[i].path.string()).append(": ").append(ec.message());
      for (std::size_t j = 0; j < i; ++j)
        msg.append(j == 0 ? " (already written: " : ", ").append(files[j].path.string());
      if (i > 0) msg.append(")");
      return input_error(msg);
    }
  }
  return ok_status();
}

}  // namespace chartprov::app
