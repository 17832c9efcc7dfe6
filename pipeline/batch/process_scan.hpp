#pragma once
/// One scan through the stages: ingest → preprocess → segment → recognize (the layout pipeline),
/// or ingest → whole-page Tesseract (the baseline). A scan yields one page, or two for a fold.

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/issue.hpp"
#include "ingest/ingest.hpp"
#include "preprocess/preprocess.hpp"
#include "recognize/engine.hpp"
#include "segment/segment.hpp"

namespace broadsheet::batch {

enum class Pipeline {
  Layout,    ///< broadsheet's own page analysis, then Tesseract region by region
  Baseline,  ///< Tesseract's own layout analysis on the whole page (PSM 3): the bar to beat
};
[[nodiscard]] std::string_view to_string(Pipeline p);

struct PageOptions {
  /// Layout beats the baseline on the test set (README "Figures"): page CER 14.7 % vs 55.7 %.
  Pipeline pipeline = Pipeline::Layout;
  preprocess::Options preprocess;
  segment::Options segment;
  /// When set, an overlay per page (regions coloured by kind, numbered in reading order) is
  /// written here as <image stem>[-f<frame>][-<half>].png (frame and half 1-based).
  std::filesystem::path debug_dir;
};

struct ScanOutcome {
  /// The scan's pages with `page` numbered from 1 within the scan and region ids "p<n>-r<k>";
  /// the caller renumbers them within the issue (renumber_page). On failure one page marked
  /// "status": "failed" that names the error.
  std::vector<Page> pages;
  std::optional<Error> error;
  double seconds = 0;
};

/// Processes one scan: one frame of a file. Its pages name the file in `image` and, for a
/// multi-page file, the frame in extra "frame" (0-based); a PDF page notes that it was rasterised.
/// Never throws for bad input: failures are in `error`.
[[nodiscard]] ScanOutcome process_scan(recognize::TesseractEngine& engine,
                                       const ingest::ScanPage& scan, int scan_index,
                                       const PageOptions& options);

/// Sets a page's number and rewrites its region ids to "p<number>-r<k>".
void renumber_page(Page& page, int number);

}  // namespace broadsheet::batch
