#pragma once
/// Error values carried by every stage (STYLE.md 2.4). A stage that can fail on its input returns
/// Result<T>; only app/ turns an Error into an exit code and a line on stderr.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace broadsheet {

enum class ErrorCode {
  BadArguments,       ///< option or config value out of range
  InputMissing,       ///< a path the user named does not exist
  InputUnreadable,    ///< file exists but cannot be decoded
  InputRejected,      ///< decodable but refused (too large, 1x1, ...)
  ModelMissing,       ///< traineddata not found
  OutputNotWritable,  ///< cannot create or write the output
  Internal,           ///< violated invariant
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string stage;            ///< "ingest", "recognize", ...
  std::filesystem::path input;  ///< the file the error is about, if any
  std::string message;          ///< what went wrong, for a user
  std::string hint;             ///< what to do next, for a user

  /// One line for stderr: "<input>: <message>; <hint>".
  [[nodiscard]] std::string describe() const;
};

template <class T>
using Result = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string stage,
                                                std::filesystem::path input, std::string message,
                                                std::string hint = {}) {
  return tl::unexpected<Error>(
      Error{code, std::move(stage), std::move(input), std::move(message), std::move(hint)});
}

/// Process exit codes, documented in README.md.
enum class ExitCode : int {
  Ok = 0,
  BadArguments = 1,
  InputsFailed = 2,
  ModelMissing = 3,
  OutputNotWritable = 4,
  Internal = 10,
  Interrupted = 130,
};

}  // namespace broadsheet
