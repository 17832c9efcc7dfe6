#pragma once
/// issue.json reading and writing: the only code that knows the field spellings.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet {

[[nodiscard]] nlohmann::json to_json(const Issue& issue);
/// An error as the manifest, report.json and failed pages record it: input, code, stage, message,
/// hint.
[[nodiscard]] nlohmann::json to_json(const Error& error);
/// Parses an issue.json document. Unknown fields are kept in the `extra` members; a missing
/// required field or a wrong type is an error naming the field.
[[nodiscard]] Result<Issue> issue_from_json(const nlohmann::json& j);

/// Reads and parses a file; errors name the path.
[[nodiscard]] Result<Issue> read_issue_json(const std::filesystem::path& path);
/// The text of issue.json: indented one space a level, except that each line's "chars" array holds
/// one compact glyph a line; ends with a newline. Invalid UTF-8 becomes U+FFFD.
[[nodiscard]] std::string format_issue_json(const Issue& issue);
/// Writes format_issue_json to a temporary file beside `path` and renames it, so a reader never
/// sees half a file.
[[nodiscard]] Result<void> write_issue_json(const std::filesystem::path& path, const Issue& issue);

/// Writes `content` to `path` atomically (temp file + rename), creating parent folders.
[[nodiscard]] Result<void> write_file_atomic(const std::filesystem::path& path,
                                             const std::string& content);

}  // namespace broadsheet
