#pragma once
// Runs the real helm binary (a peer, never a mock) with a fixed argv through
// posix_spawn, with its state confined to a private directory.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace chartprov::test {

inline const char* kHelm = "/opt/peers/bin/helm";

inline bool helm_available() { return ::access(kHelm, X_OK) == 0; }

// Exit status of `helm args...`, or -1 if it could not run. Output goes to
// `log` (stdout and stderr).
inline int run_helm(const std::vector<std::string>& args, const std::filesystem::path& state_dir,
                    const std::filesystem::path& log) {
  std::vector<std::string> env_text = {"HELM_CONFIG_HOME=" + (state_dir / "config").string(),
                                       "HELM_CACHE_HOME=" + (state_dir / "cache").string(),
                                       "HELM_DATA_HOME=" + (state_dir / "data").string(),
                                       "KUBECONFIG=" + (state_dir / "none").string(),
                                       "HOME=" + state_dir.string(),
                                       "PATH=/usr/bin:/bin"};
  std::vector<char*> env;
  for (std::string& s : env_text) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> argv_text = {kHelm};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_text) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, kHelm, &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace chartprov::test
