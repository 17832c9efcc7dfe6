#pragma once
// Runs the broadsheet binary the way a user would from a shell: the end-to-end tests' one way in.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "test_paths.hpp"

namespace broadsheet::test {

struct Outcome {
  int exit_code = -1;
  std::string out;  ///< stdout and stderr together
};

/// `broadsheet ARGS 2>&1` through the shell; the exit code, or -1 when it did not exit normally.
inline Outcome run_cli(const std::string& args) {
  const std::string cmd = std::string(kBroadsheetExe) + " " + args + " 2>&1";
  Outcome o;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) o.out.append(buf.data(), n);
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

}  // namespace broadsheet::test
