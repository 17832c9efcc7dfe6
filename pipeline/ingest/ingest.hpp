#pragma once
/// ingest: find the issues under a scan root and decode page images (DESIGN.md "Scan folders").
/// A multi-page TIFF or PDF is an issue by itself, its pages in the file's order; a page is a
/// (file, frame) pair, frame 0 for a one-image file (ingest/frames.hpp decodes frames).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "ingest/frames.hpp"

namespace broadsheet::ingest {

/// One page of an issue: a file, and which of its frames (pages) when it holds several.
struct ScanPage {
  std::filesystem::path path;
  int frame = 0;        ///< 0-based page within the file
  int frame_count = 1;  ///< pages the file holds: > 1 for a multi-page TIFF or PDF

  /// The frame as issue.json's pages record it (extra "frame"): nullopt for a one-image file.
  [[nodiscard]] std::optional<int> recorded_frame() const {
    return frame_count > 1 ? std::optional<int>(frame) : std::nullopt;
  }
};

/// One issue: a folder that directly holds page images, or one multi-page TIFF or PDF.
struct IssueScans {
  /// The folder relative to the scan root, '/'-separated; for a multi-page file that folder's id
  /// plus "/" and the file's stem ("jb/1919-04-03" for jb/1919-04-03.tif), or its whole name when
  /// the stem is taken (a sub-folder or another multi-page file of that name).
  std::string id;
  std::filesystem::path folder;  ///< the folder holding the files (pages[].image is relative to it)
  /// In page order: one-image files by the number in the file name, then name; a multi-page file's
  /// frames in the file's order.
  std::vector<ScanPage> pages;
};

/// True for the file endings broadsheet reads as page images, PDF included (case-insensitive).
[[nodiscard]] bool is_page_image(const std::filesystem::path& path);

/// The page number in a file name: the last run of digits in the stem ("page-01" → 1, "p3" → 3,
/// "0003" → 3); nullopt when the stem holds no digit.
[[nodiscard]] std::optional<int> page_number_from_name(std::string_view stem);

/// Every issue under `root`, sorted by id. A root that itself holds images is one issue whose id is
/// the root's own folder name. Each TIFF and PDF is opened to count its pages (not decoded): one
/// holding several is an issue by itself; one that cannot be counted stays a page of its folder
/// and fails, with its reason, when it is read. Other files (truth.json, Thumbs.db) are ignored.
/// Fails when `root` does not exist or is not a folder; an empty list when it holds no images.
[[nodiscard]] Result<std::vector<IssueScans>> find_issues(const std::filesystem::path& root);

/// A decoded scan as 8-bit gray (16-bit scans keep their high byte, 1-bit scans become 0/255).
struct PageImage {
  std::filesystem::path path;
  int frame = 0;  ///< 0-based page within the file
  cv::Mat gray;   ///< CV_8UC1
  double dpi = 300;
  bool dpi_assumed = false;           ///< true when the file carried no DPI or an absurd one
  std::optional<int> rasterised_dpi;  ///< set for a PDF page: rendered at this resolution
};

/// Decodes frame `frame` (0-based) of one scan; a one-image file has frame 0 only. Errors name
/// the file: missing, empty, undecodable, damaged or password-protected PDF, frame out of range,
/// too large, too small.
[[nodiscard]] Result<PageImage> load_page(const std::filesystem::path& path, int frame,
                                          const LoadOptions& options = {});
/// Frame 0 of one scan.
[[nodiscard]] Result<PageImage> load_page(const std::filesystem::path& path,
                                          const LoadOptions& options = {});

}  // namespace broadsheet::ingest
