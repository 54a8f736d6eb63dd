#include "infra/process/replace_process.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace chartprov::process {

Status replace_process(const std::string& path, const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // execv does not write them
  args.push_back(nullptr);
  ::execv(path.c_str(), args.data());
  return input_error("cannot run " + path + ": " + std::strerror(errno));
}

}  // namespace chartprov::process
