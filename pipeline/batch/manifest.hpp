#pragma once
/// The per-issue manifest that makes a batch resumable (issue 6): for every scan, the content hash
/// of the file and the key of everything its result depends on (scan, options, model), its status
/// and error. A scan whose key is unchanged and whose saved page result is there is not read again.
/// Everything here is written to a temporary file and renamed: a run killed at any moment leaves
/// either the old file or the new one.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::batch {

/// 64-bit FNV-1a: a content fingerprint for change detection, not a cryptographic hash.
[[nodiscard]] std::uint64_t fnv1a64(std::string_view bytes,
                                    std::uint64_t seed = 14695981039346656037ULL);
/// FNV-1a of a file's bytes, streamed; nullopt when the file cannot be read.
[[nodiscard]] std::optional<std::uint64_t> hash_file(const std::filesystem::path& path);
[[nodiscard]] std::string hex(std::uint64_t v);
/// SHA-256 of a file's bytes as 64 hex digits (Nettle), for provenance: what model read a page,
/// checkable against models/README.md. Nullopt when the file cannot be read.
[[nodiscard]] std::optional<std::string> sha256_file(const std::filesystem::path& path);

struct ScanRecord {
  std::string image;         ///< file name in the issue folder
  std::string content_hash;  ///< of the scan's bytes
  std::string key;           ///< of scan + options + model: equal key = up to date
  std::string status;        ///< "ok" or "failed"
  nlohmann::json error;      ///< null when ok
  double seconds = 0;
  std::optional<int> frame;  ///< 0-based page of a multi-page TIFF or PDF; unset for one image
};

struct Manifest {
  std::string issue_id;
  std::string issue_key;  ///< key of the issue.json last written (all scan keys together)
  std::map<std::string, ScanRecord> scans;  ///< by scan_label(image, frame) (core/issue.hpp)
};

/// Reads OUT/<issue>/manifest.json; a missing or unreadable manifest is an empty one (everything
/// is redone), never an error.
[[nodiscard]] Manifest read_manifest(const std::filesystem::path& path);
[[nodiscard]] Result<void> write_manifest(const std::filesystem::path& path, const Manifest& m);

/// Where a scan's page results are kept between runs: OUT/<issue>/pages/<scan>.json, where <scan>
/// is scan_label(image, frame): the file name, "-f<k>" added for page k of a multi-page file.
[[nodiscard]] std::filesystem::path page_result_path(const std::filesystem::path& issue_dir,
                                                     const std::string& scan);

}  // namespace broadsheet::batch
