#pragma once
/// ingest: find the issues under a scan root and decode page images (DESIGN.md "Scan folders").

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"

namespace broadsheet::ingest {

/// One issue: a folder that directly holds page images.
struct IssueScans {
  std::string id;  ///< folder relative to the scan root, '/'-separated
  std::filesystem::path folder;
  std::vector<std::filesystem::path> pages;  ///< in page order (number in the file name, then name)
};

/// True for the file endings broadsheet reads as page images (case-insensitive).
[[nodiscard]] bool is_page_image(const std::filesystem::path& path);

/// The page number in a file name: the last run of digits in the stem ("page-01" → 1, "p3" → 3,
/// "0003" → 3); nullopt when the stem holds no digit.
[[nodiscard]] std::optional<int> page_number_from_name(std::string_view stem);

/// Every issue under `root`, sorted by id. A root that itself holds images is one issue whose id is
/// the root's own folder name. Other files (truth.json, Thumbs.db) are ignored. Fails when `root`
/// does not exist or is not a folder; an empty list when it holds no images.
[[nodiscard]] Result<std::vector<IssueScans>> find_issues(const std::filesystem::path& root);

/// A decoded scan as 8-bit gray.
struct PageImage {
  std::filesystem::path path;
  cv::Mat gray;  ///< CV_8UC1
  double dpi = 300;
  bool dpi_assumed = false;  ///< true when the file carried no DPI or an absurd one
};

struct LoadOptions {
  double assumed_dpi = 300;
  /// Images claiming more pixels than this are refused before decoding (decompression bombs).
  long long max_pixels = 400'000'000;
  int min_side_px = 16;
};

/// Decodes one scan. Errors name the file: missing, empty, undecodable, too large, too small.
[[nodiscard]] Result<PageImage> load_page(const std::filesystem::path& path,
                                          const LoadOptions& options = {});

}  // namespace broadsheet::ingest
