// segment_page: the order of the steps. See segment.hpp for the contract and detail/work.hpp for
// the analysis frame.

#include "segment/segment.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "segment/detail/work.hpp"

namespace broadsheet::segment {
namespace {

constexpr const char* kStage = "segment";
constexpr double kMmPerInch = 25.4;

double plausible_dpi(double dpi, std::vector<std::string>& notes) {
  if (dpi >= 50 && dpi <= 2400) return dpi;
  notes.push_back(fmt::format("dpi {:g} implausible; segmented as 300", dpi));
  return 300;
}

// Lines of a flipped block are single characters stacked across the page's direction: a
// horizontal headline on a page of vertical columns (or the reverse).
bool is_flipped(const detail::Block& b, const std::vector<detail::TextLine>& lines) {
  if (b.lines.size() < 2 || b.box.height < 2 * b.box.width) return false;
  for (int li : b.lines) {
    const cv::Rect& r = lines[static_cast<std::size_t>(li)].box;
    if (r.width > 1.5 * r.height) return false;
  }
  return true;
}

}  // namespace

Result<void> validate(const Options& o) {
  auto bad = [](std::string field, std::string why) -> Result<void> {
    return fail(ErrorCode::BadArguments, kStage, {},
                fmt::format("segment option {} {}", field, why));
  };
  if (!(o.work_dpi >= 50 && o.work_dpi <= 600)) return bad("work_dpi", "must be 50..600");
  if (!(o.min_char_mm > 0 && o.min_char_mm < o.max_char_mm))
    return bad("min_char_mm", "must be positive and below max_char_mm");
  if (!(o.max_char_mm <= 50)) return bad("max_char_mm", "must be at most 50");
  if (!(o.min_rule_length_chars >= 2)) return bad("min_rule_length_chars", "must be at least 2");
  if (!(o.max_rule_thickness_chars > 0 && o.max_rule_thickness_chars <= 1))
    return bad("max_rule_thickness_chars", "must be in (0, 1]");
  if (!(o.min_photo_side_chars >= 1)) return bad("min_photo_side_chars", "must be at least 1");
  if (!(o.line_gap_chars > 0 && o.line_gap_chars <= o.word_gap_chars))
    return bad("line_gap_chars", "must be positive and at most word_gap_chars");
  if (!(o.word_gap_chars <= 5)) return bad("word_gap_chars", "must be at most 5");
  if (!(o.leading_chars > 0 && o.leading_chars <= 5))
    return bad("leading_chars", "must be in (0, 5]");
  if (!(o.size_ratio >= 1 && o.size_ratio <= 3)) return bad("size_ratio", "must be 1..3");
  if (!(o.kicker_min_ratio >= 1 && o.kicker_min_ratio <= o.headline_min_ratio))
    return bad("kicker_min_ratio", "must be at least 1 and at most headline_min_ratio");
  if (!(o.larger_body_max_ratio >= o.headline_min_ratio &&
        o.larger_body_max_ratio <= o.masthead_min_ratio))
    return bad("larger_body_max_ratio",
               "must be between headline_min_ratio and masthead_min_ratio");
  if (!(o.headline_min_ratio <= o.masthead_min_ratio))
    return bad("headline_min_ratio", "must be at most masthead_min_ratio");
  if (!(o.jump_chars >= 3 && o.jump_chars <= 12)) return bad("jump_chars", "must be 3..12");
  if (!(o.advert_max_body_to_display >= 0 && o.advert_max_body_to_display <= 1))
    return bad("advert_max_body_to_display", "must be 0..1");
  return {};
}

double estimate_body_char_px(const cv::Mat& binary, double dpi, const Options& options) {
  if (binary.empty() || binary.type() != CV_8UC1 || !(dpi > 0)) return 0;
  const double scale = std::min(1.0, options.work_dpi / dpi);
  cv::Mat ink, gray;
  detail::reduce(binary, binary, scale, ink, gray);
  return detail::char_size_px(ink, dpi * scale, options) / scale;
}

Result<PageLayout> segment_page(const preprocess::CleanPage& page, int page_number,
                                const Options& options) {
  if (auto ok = validate(options); !ok) return tl::unexpected(ok.error());
  if (page.binary.empty() || page.binary.type() != CV_8UC1) {
    return fail(
        ErrorCode::InputRejected, kStage, {},
        fmt::format("page {}: binary image is empty or not 8-bit single-channel", page_number),
        "run preprocess::clean_page first");
  }
  PageLayout layout;
  try {
    const double dpi = plausible_dpi(page.dpi, layout.notes);
    const double scale = std::min(1.0, options.work_dpi / dpi);
    const cv::Size size = page.binary.size();
    const double min_side_px = 20.0 / kMmPerInch * dpi;  // 2 cm: not a page
    if (std::min(size.width, size.height) < min_side_px || size.width * scale < 16 ||
        size.height * scale < 16) {
      layout.notes.push_back(fmt::format("image too small to segment ({}x{} px at {:g} dpi)",
                                         size.width, size.height, dpi));
      return layout;
    }

    detail::Page work;
    detail::Frame& f = work.frame;
    f.scale = scale;
    f.clean_size = size;
    const cv::Mat gray_source =
        page.gray.size() == size && page.gray.type() == CV_8UC1 ? page.gray : 255 - page.binary;
    cv::Mat ink, gray;
    detail::reduce(page.binary, gray_source, scale, ink, gray);
    f.work_size = ink.size();
    const double work_dpi = dpi * scale;

    const double ink_share = cv::countNonZero(ink) / static_cast<double>(ink.total());
    if (ink_share < 0.0005) {
      layout.notes.push_back("no text found (blank page)");
      return layout;
    }
    double c = detail::char_size_px(ink, work_dpi, options);
    const bool no_text = c <= 0;
    if (no_text) c = 3.0 / kMmPerInch * work_dpi;  // a 9-pt face, to size what is looked for

    bool vertical = options.layout == Layout::Vertical;
    if (options.layout == Layout::Auto && !no_text) vertical = detail::looks_vertical(ink, c);
    f.turned = vertical;
    if (vertical) {
      cv::rotate(ink, f.ink, cv::ROTATE_90_COUNTERCLOCKWISE);
      cv::rotate(gray, f.gray, cv::ROTATE_90_COUNTERCLOCKWISE);
    } else {
      f.ink = ink;
      f.gray = gray;
    }
    f.char_px = c;
    f.clean_ink = page.binary;
    layout.direction = vertical ? Direction::Vertical : Direction::Horizontal;

    work.photos = detail::find_photos(f.ink, f.gray, c, options);
    cv::Mat text_ink = f.ink.clone();
    const int pad = static_cast<int>(std::lround(0.15 * c));
    for (const cv::Rect& p : work.photos) {
      cv::Rect r(p.x - pad, p.y - pad, p.width + 2 * pad, p.height + 2 * pad);
      text_ink(r & cv::Rect(0, 0, text_ink.cols, text_ink.rows)).setTo(0);
    }
    if (vertical) {
      // Old vertical pages punctuate with a dot or circle beside every character, in the gap
      // between columns; out of the way, the columns stand apart.
      detail::remove_marks(text_ink, 0.4 * c);
      // Larger marks (a circle of 0.5 characters) are told from parts of characters by where
      // they stand: beside the column.
      detail::remove_side_marks(text_ink, c);
    }
    if (!no_text) {
      const std::vector<cv::Rect> boxes = detail::find_boxes(text_ink, c);
      work.rules = detail::find_rules(text_ink, c, options, work.photos, !vertical);
      work.frames = detail::find_frames(work.rules, c, boxes);
      work.lines = detail::find_lines(text_ink, c, options, work.rules, vertical);
      work.blocks = detail::group_blocks(work.lines, text_ink, c, options, work.rules, work.photos);
    }
    detail::classify(work, page_number, options);
    if (no_text || work.lines.empty()) layout.notes.push_back("no text found");
    if (!work.photos.empty() && work.lines.empty()) layout.notes.push_back("page is all photo");

    // Clean-page boxes, reading order, original-scan boxes.
    std::vector<OrderItem> items;
    std::vector<Direction> directions;
    for (const detail::Block& b : work.blocks) {
      const Box clean = f.to_clean(b.box);
      if (clean.empty()) continue;
      items.push_back(OrderItem{clean, b.kind});
      const bool flipped =
          b.kind != RegionKind::Photo && b.kind != RegionKind::Advert && is_flipped(b, work.lines);
      directions.push_back(flipped == vertical ? Direction::Horizontal : Direction::Vertical);
    }
    const std::vector<std::size_t> order = reading_order(items, layout.direction, c / scale);
    const bool has_transform = page.transform.original_size.area() > 0;
    if (!has_transform)
      layout.notes.push_back("page has no transform; boxes are clean-page pixels");
    int k = 0;
    for (std::size_t i : order) {
      Region r;
      r.bbox = has_transform ? page.transform.to_original(items[i].box) : items[i].box;
      if (r.bbox.empty()) continue;
      r.id = fmt::format("p{}-r{}", page_number, ++k);
      r.kind = items[i].kind;
      r.direction = directions[i];
      layout.regions.push_back(std::move(r));
      layout.clean_boxes.push_back(items[i].box);
    }
    layout.body_char_px = no_text ? 0 : c / scale;
    layout.columns = work.columns;
    for (std::string& n : work.notes) layout.notes.push_back(std::move(n));
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, kStage, {},
                fmt::format("page {}: OpenCV failed: {}", page_number, e.what()));
  }
  return layout;
}

}  // namespace broadsheet::segment
