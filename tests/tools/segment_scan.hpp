#pragma once
// For the tools that look at segment alone on one scan (segment-overlay, mask-score): the scan
// loaded, cleaned and every page of it segmented (both halves of a fold), in order.

#include <cstdio>
#include <filesystem>
#include <optional>
#include <vector>

#include "ingest/ingest.hpp"
#include "preprocess/preprocess.hpp"
#include "segment/segment.hpp"

namespace broadsheet::tools {

struct SegmentedScan {
  ingest::PageImage image;                 ///< the scan as decoded
  std::vector<segment::PageLayout> pages;  ///< one per page of it, boxes in the scan's pixels
};

/// The scan at `path` segmented page by page; on a failure, prints what failed to stderr and
/// returns nothing.
inline std::optional<SegmentedScan> segment_scan(const std::filesystem::path& path) {
  auto image = ingest::load_page(path);
  if (!image) {
    std::fprintf(stderr, "%s\n", image.error().describe().c_str());
    return std::nullopt;
  }
  const auto clean = preprocess::clean_page(*image);
  if (!clean) {
    std::fprintf(stderr, "%s\n", clean.error().describe().c_str());
    return std::nullopt;
  }
  SegmentedScan out{std::move(*image), {}};
  int half = 0;
  for (const preprocess::CleanPage& page : *clean) {
    auto layout = segment::segment_page(page, ++half);
    if (!layout) {
      std::fprintf(stderr, "%s\n", layout.error().describe().c_str());
      return std::nullopt;
    }
    out.pages.push_back(std::move(*layout));
  }
  return out;
}

}  // namespace broadsheet::tools
