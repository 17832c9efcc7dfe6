#include "batch/process_scan.hpp"

#include <chrono>
#include <cmath>
#include <string>

#include <opencv2/core/utility.hpp>

#include "core/issue_json.hpp"
#include "ingest/ingest.hpp"
#include "reassemble/byline.hpp"
#include "reassemble/jump.hpp"

namespace broadsheet::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string_view to_string(Pipeline p) {
  return p == Pipeline::Baseline ? "baseline" : "layout";
}

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

recognize::ReadMode read_mode(const Region& region) {
  if (region.direction == Direction::Vertical) return recognize::ReadMode::VerticalBlock;
  switch (region.kind) {
    case RegionKind::Jump:
    case RegionKind::Byline:
      return recognize::ReadMode::Line;
    case RegionKind::Headline:
    case RegionKind::Kicker:
    case RegionKind::Subheadline:
      return recognize::ReadMode::DisplayLines;
    default:
      return recognize::ReadMode::Block;
  }
}

// What geometry could not settle, the text does (segment.hpp, Options::jump_chars): a short line
// under a column set as wide as a jump line is a byline when it reads as names and not as
// （下轉第三版）, and a byline that reads as a jump line is one.
RegionKind kind_from_text(const Region& r) {
  if (r.kind == RegionKind::Jump && !reassemble::parse_jump(r.text) &&
      reassemble::parse_byline(r.text))
    return RegionKind::Byline;
  if (r.kind == RegionKind::Byline && reassemble::parse_jump(r.text)) return RegionKind::Jump;
  return r.kind;
}

bool has_text(RegionKind kind) {
  return kind != RegionKind::Photo;
}

Result<std::vector<Page>> baseline_pages(recognize::TesseractEngine& engine,
                                         const ingest::PageImage& image) {
  Page page;
  page.width = image.gray.cols;
  page.height = image.gray.rows;
  page.dpi = image.dpi;
  auto reading = engine.read_page(image.gray, image.dpi, 1);
  if (!reading) return tl::unexpected(reading.error());
  page.text = std::move(reading->text);
  page.regions = std::move(reading->regions);
  return std::vector<Page>{std::move(page)};
}

Result<std::vector<Page>> layout_pages(recognize::TesseractEngine& engine,
                                       const ingest::ScanPage& scan, const ingest::PageImage& image,
                                       const PageOptions& options) {
  std::vector<Page> pages;
  auto start = Clock::now();
  auto cleaned = preprocess::clean_page(image, options.preprocess);
  if (!cleaned) return tl::unexpected(cleaned.error());
  const double preprocess_s = seconds_since(start);

  for (size_t half = 0; half < cleaned->size(); ++half) {
    const preprocess::CleanPage& clean = (*cleaned)[half];
    Page page;
    page.width = image.gray.cols;
    page.height = image.gray.rows;
    page.dpi = clean.dpi;
    page.skew_deg = clean.skew_deg;
    if (clean.fold_half >= 0) page.extra["fold_half"] = clean.fold_half;
    if (clean.rotation_deg != 0) page.extra["rotation_deg"] = clean.rotation_deg;

    start = Clock::now();
    auto layout = segment::segment_page(clean, static_cast<int>(half) + 1, options.segment);
    if (!layout) return tl::unexpected(layout.error());
    const double segment_s = seconds_since(start);

    // Read every text region on the clean page; boxes come back to the original scan.
    start = Clock::now();
    std::vector<recognize::RegionRequest> requests;
    std::vector<size_t> request_region;
    for (size_t i = 0; i < layout->regions.size(); ++i) {
      const Region& r = layout->regions[i];
      if (!has_text(r.kind)) continue;
      // A margin of a quarter of a body character: measured on truth boxes of the sample issue,
      // none cut stroke ends (byline CER 15 %), a third of a character caught neighbours.
      const Box b = layout->clean_boxes[i];
      const int m = static_cast<int>(std::lround(0.25 * layout->body_char_px));
      requests.push_back({Box{b.x - m, b.y - m, b.w + 2 * m, b.h + 2 * m}, read_mode(r)});
      request_region.push_back(i);
    }
    auto texts = engine.read_regions(clean.gray, clean.dpi, requests);
    if (!texts) return tl::unexpected(texts.error());
    for (size_t k = 0; k < requests.size(); ++k) {
      Region& r = layout->regions[request_region[k]];
      recognize::RegionText& t = (*texts)[k];
      r.text = std::move(t.text);
      r.original_text = std::move(t.original_text);
      r.confidence = t.confidence;
      for (Line& line : t.lines) {
        line.bbox = clean.transform.to_original(line.bbox);
        for (Glyph& g : line.chars) g.bbox = clean.transform.to_original(g.bbox);
        r.lines.push_back(std::move(line));
      }
      r.kind = kind_from_text(r);
    }
    const double recognize_s = seconds_since(start);

    for (const Region& r : layout->regions) {
      if (r.text.empty()) continue;
      if (!page.text.empty()) page.text += "\n";
      page.text += r.text;
    }
    page.regions = std::move(layout->regions);
    nlohmann::json notes = clean.notes;
    for (const std::string& n : layout->notes) notes.push_back(n);
    if (!notes.empty()) page.extra["notes"] = notes;
    page.extra["seconds_stage"] = {
        {"preprocess", preprocess_s / static_cast<double>(cleaned->size())},
        {"segment", segment_s},
        {"recognize", recognize_s}};
    page.extra["columns"] = layout->columns;

    if (!options.debug_dir.empty()) {
      std::string name = fs::path(image.path).stem().string();
      if (scan.frame_count > 1) name += "-f" + std::to_string(scan.frame + 1);
      if (cleaned->size() > 1) name += "-" + std::to_string(half + 1);
      segment::PageLayout shown;
      shown.regions = page.regions;
      auto written = segment::write_overlay(image.gray, shown, options.debug_dir / (name + ".png"));
      if (!written) page.extra["debug_error"] = written.error().describe();
    }
    pages.push_back(std::move(page));
  }
  return pages;
}

}  // namespace

ScanOutcome process_scan(recognize::TesseractEngine& engine, const ingest::ScanPage& scan,
                         int scan_index, const PageOptions& options) {
  const auto start = Clock::now();
  const fs::path& image = scan.path;
  ScanOutcome out;
  auto fail_page = [&](Error error) {
    if (error.input.empty()) error.input = image;
    // Which page of a multi-page file, unless the message says so already.
    if (scan.frame_count > 1 && !error.message.starts_with("page "))
      error.message = "page " + std::to_string(scan.frame + 1) + " of " +
                      std::to_string(scan.frame_count) + ": " + error.message;
    Page page;
    page.scan_index = scan_index;
    page.image = image.filename().string();
    if (auto frame = scan.recorded_frame()) page.extra["frame"] = *frame;
    page.extra["status"] = "failed";
    page.extra["error"] = to_json(error);
    out.pages = {std::move(page)};
    out.error = std::move(error);
  };

  auto loaded = ingest::load_page(image, scan.frame);
  if (!loaded) {
    fail_page(loaded.error());
  } else {
    auto pages = options.pipeline == Pipeline::Baseline
                     ? baseline_pages(engine, *loaded)
                     : layout_pages(engine, scan, *loaded, options);
    if (!pages) {
      fail_page(pages.error());
    } else {
      out.pages = std::move(*pages);
      for (size_t i = 0; i < out.pages.size(); ++i) {
        Page& page = out.pages[i];
        page.scan_index = scan_index;
        page.image = image.filename().string();
        if (auto frame = scan.recorded_frame()) page.extra["frame"] = *frame;
        if (loaded->dpi_assumed) page.extra["dpi_assumed"] = true;
        if (loaded->rasterised_dpi) {
          page.extra["rasterised_dpi"] = *loaded->rasterised_dpi;
          nlohmann::json& notes = page.extra["notes"];
          if (!notes.is_array()) notes = nlohmann::json::array();
          notes.insert(notes.begin(), "rasterised from PDF at " +
                                          std::to_string(*loaded->rasterised_dpi) + " dpi");
        }
        page.extra["status"] = "ok";
        renumber_page(page, static_cast<int>(i) + 1);
      }
    }
  }
  out.seconds = seconds_since(start);
  for (Page& page : out.pages)
    page.extra["seconds"] = out.seconds / static_cast<double>(out.pages.size());
  return out;
}

void renumber_page(Page& page, int number) {
  page.page = number;
  int k = 0;
  for (Region& r : page.regions) r.id = "p" + std::to_string(number) + "-r" + std::to_string(++k);
}

}  // namespace broadsheet::batch
