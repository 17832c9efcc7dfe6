// clean_page: the order of the steps and the geometry that ties the output to the scan.
//
// Everything is decided on a copy at analysis_dpi (≈ 100 dpi: a 3300×5000 px scan becomes
// 1100×1667), and the full-resolution image is touched only by the few passes that make the output:
// divide by the background, cut, turn, warp, binarise, despeckle.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "preprocess/detail.hpp"
#include "preprocess/preprocess.hpp"

namespace broadsheet::preprocess {
namespace {

constexpr const char* kStage = "preprocess";
// Below this the projection profiles of the analysis copy show no line structure: the best angle
// is hardly sharper than the average one. Measured: noise, random strokes and photos 1.02–1.04;
// the real 1919/1940 folds 1.08–1.25; synthetic text pages 1.28–1.43.
constexpr double kMinSkewPeakRatio = 1.05;
// Fewer ink pixels than this share of the analysis copy is a blank page.
constexpr double kMinInkRatio = 0.0005;

struct Part {
  cv::Rect crop;                 // full resolution, in the scan
  std::vector<cv::Point> blank;  // polygon in crop coordinates beyond the cut, painted paper
  int fold_half = -1;
};

cv::Matx33d to33(const cv::Matx23d& m) {
  return {m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), 0, 0, 1};
}

cv::Matx23d to23(const cv::Matx33d& m) {
  return {m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2)};
}

int speck_area(const Options& options, double dpi, int minimum) {
  const double r = dpi / 300.0;
  return std::max(minimum, static_cast<int>(std::floor(options.speck_area_px_at_300dpi * r * r)));
}

// Clean-to-source map of cv::rotate for a source of `size` turned back by `rotation_deg`.
cv::Matx33d quarter_turn_inverse(int rotation_deg, cv::Size size) {
  const double w1 = size.width - 1.0;
  const double h1 = size.height - 1.0;
  switch (rotation_deg) {
    case 90:  // fixed with ROTATE_90_CLOCKWISE: new(x', y') = old(y', h-1-x')
      return {0, 1, 0, -1, 0, h1, 0, 0, 1};
    case 180:
      return {-1, 0, w1, 0, -1, h1, 0, 0, 1};
    case 270:  // fixed with ROTATE_90_COUNTERCLOCKWISE: new(x', y') = old(w-1-y', x')
      return {0, -1, w1, 1, 0, 0, 0, 0, 1};
    default:
      return cv::Matx33d::eye();
  }
}

// Pixel-edge rectangle through a map that turns by quarter turns only (exact).
cv::Rect map_rect(const cv::Matx33d& m, cv::Rect r) {
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const cv::Point2d p : {cv::Point2d(r.x, r.y), cv::Point2d(r.x + r.width, r.y + r.height)}) {
    const cv::Point2d c = p - cv::Point2d(0.5, 0.5);
    const double x = m(0, 0) * c.x + m(0, 1) * c.y + m(0, 2) + 0.5;
    const double y = m(1, 0) * c.x + m(1, 1) * c.y + m(1, 2) + 0.5;
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  return {static_cast<int>(std::lround(x0)), static_cast<int>(std::lround(y0)),
          static_cast<int>(std::lround(x1 - x0)), static_cast<int>(std::lround(y1 - y0))};
}

void turn_upright(const cv::Mat& src, cv::Mat& dst, int rotation_deg) {
  switch (rotation_deg) {
    case 90:
      cv::rotate(src, dst, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(src, dst, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(src, dst, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      dst = src;
      break;
  }
}

// Forward map that turns an image of `size` clockwise by skew_deg into a canvas large enough to
// hold all of it.
cv::Matx23d deskew_matrix(cv::Size size, double skew_deg, cv::Size& out_size) {
  const cv::Point2f centre(static_cast<float>((size.width - 1) / 2.0),
                           static_cast<float>((size.height - 1) / 2.0));
  cv::Matx23d m = cv::getRotationMatrix2D(centre, -skew_deg, 1.0);
  const double c = std::abs(m(0, 0));
  const double s = std::abs(m(0, 1));
  out_size = cv::Size(static_cast<int>(std::ceil(size.width * c + size.height * s)),
                      static_cast<int>(std::ceil(size.width * s + size.height * c)));
  m(0, 2) += (out_size.width - 1) / 2.0 - centre.x;
  m(1, 2) += (out_size.height - 1) / 2.0 - centre.y;
  return m;
}

// The pixels of the other page beyond a slanted cut are painted `value`.
void paint_blank(cv::Mat& img, const std::vector<cv::Point>& polygon, int value) {
  if (polygon.size() >= 3) cv::fillConvexPoly(img, polygon, cv::Scalar(value));
}

std::vector<cv::Point> scaled(const std::vector<cv::Point>& poly, double scale) {
  std::vector<cv::Point> out;
  out.reserve(poly.size());
  for (const auto& p : poly) {
    out.emplace_back(static_cast<int>(std::lround(p.x * scale)),
                     static_cast<int>(std::lround(p.y * scale)));
  }
  return out;
}

// Splits the scan along the cut line (given at full resolution by its x at the top and bottom
// rows) into the left and the right page, in reading order.
std::vector<Part> fold_parts(cv::Size size, double x_top, double x_bottom, FoldOrder order) {
  const int w = size.width;
  const int h = size.height;
  const int left_end = std::clamp(static_cast<int>(std::ceil(std::max(x_top, x_bottom))), 1, w);
  const int right_start =
      std::clamp(static_cast<int>(std::floor(std::min(x_top, x_bottom))), 0, w - 1);
  Part left;
  left.crop = cv::Rect(0, 0, left_end, h);
  left.blank = {cv::Point(static_cast<int>(std::lround(x_top)), 0), cv::Point(left_end, 0),
                cv::Point(left_end, h), cv::Point(static_cast<int>(std::lround(x_bottom)), h)};
  Part right;
  right.crop = cv::Rect(right_start, 0, w - right_start, h);
  right.blank = {cv::Point(0, 0), cv::Point(static_cast<int>(std::lround(x_top)) - right_start, 0),
                 cv::Point(static_cast<int>(std::lround(x_bottom)) - right_start, h),
                 cv::Point(0, h)};
  if (order == FoldOrder::RightFirst) {
    right.fold_half = 0;
    left.fold_half = 1;
    return {right, left};
  }
  left.fold_half = 0;
  right.fold_half = 1;
  return {left, right};
}

CleanPage pass_through(const cv::Mat& gray, double dpi, const Options& options,
                       std::vector<std::string> notes) {
  CleanPage out;
  out.gray = gray.clone();
  out.binary = binarize(out.gray, dpi, options);
  out.dpi = dpi;
  out.transform = Transform::identity(gray.size());
  out.notes = std::move(notes);
  return out;
}

std::vector<CleanPage> clean(const ingest::PageImage& page, const Options& options) {
  std::vector<std::string> notes;
  double dpi = page.dpi;
  if (page.dpi_assumed) notes.push_back(fmt::format("dpi assumed {:g}", dpi));
  if (!(dpi >= 50 && dpi <= 2400)) {
    notes.push_back(fmt::format("dpi {:g} implausible; analysed as 300", dpi));
    dpi = 300;
  }
  const cv::Mat& gray = page.gray;
  const cv::Size size = gray.size();
  const double scale = std::min(1.0, options.analysis_dpi / dpi);
  const double small_dpi = dpi * scale;
  if (std::min(size.width, size.height) * scale < options.min_analysis_side_px) {
    notes.push_back(fmt::format("image too small ({}x{} px at {:g} dpi) to analyse; not deskewed",
                                size.width, size.height, dpi));
    return {pass_through(gray, dpi, options, std::move(notes))};
  }

  cv::Mat flat = gray;
  if (options.flatten_background) flat = flatten_background(gray, estimate_background(gray, dpi));

  cv::Mat small;
  if (scale < 1.0) {
    cv::resize(flat, small, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    small = flat;
  }
  // Thin strokes come out of the reduction light grey: the analysis copy is binarised by Sauvola
  // alone, without the bleed-through gate that would take them away.
  Options analysis_options = options;
  analysis_options.ink_max_paper_ratio = 1.0;
  cv::Mat small_bin = binarize(small, small_dpi, analysis_options);
  if (options.despeckle) remove_specks(small_bin, speck_area(options, small_dpi, 1));

  const int ink = cv::countNonZero(small_bin);
  const double ink_ratio = static_cast<double>(ink) / static_cast<double>(small_bin.total());
  if (ink_ratio < kMinInkRatio) {
    notes.push_back("no ink found (blank page?); not deskewed");
    CleanPage out = pass_through(flat, dpi, options, std::move(notes));
    out.binary.setTo(0);
    return {out};
  }
  if (ink_ratio > 0.45) {
    notes.push_back(
        fmt::format("{:.0f} % of the page is ink: photo or dark border?", 100 * ink_ratio));
  }

  // One orientation for the whole scan (the two pages of a fold were printed the same way up),
  // found on the deskewed analysis copy, and applied to the scan before anything else is measured:
  // a portrait page turned by a quarter is as wide as a fold. The profile sharpness also tells
  // whether the page has text lines at all: without them there is no orientation to read and no
  // gutter to trust.
  const SkewEstimate whole_skew = estimate_skew(small_bin, options.max_skew_deg, 500);
  const bool has_lines = whole_skew.points >= 500 && whole_skew.peak_ratio >= kMinSkewPeakRatio;
  const double whole_skew_deg = options.deskew && has_lines ? whole_skew.deg : 0.0;
  int rotation = 0;
  if (options.detect_rotation && has_lines) {
    cv::Mat upright = small_bin;
    if (whole_skew_deg != 0) {
      cv::Size sz;
      const cv::Matx23d m = deskew_matrix(small_bin.size(), whole_skew_deg, sz);
      cv::warpAffine(small_bin, upright, m, sz, cv::INTER_NEAREST, cv::BORDER_CONSTANT,
                     cv::Scalar(0));
    }
    const Orientation o = detect_orientation(upright, small_dpi, options.text_axis);
    rotation = o.rotation_deg;
    if (!o.note.empty()) notes.push_back(o.note);
  }
  // From here on "the scan" is the scan turned upright by quarter turns (exact, no resampling).
  const cv::Matx33d turned_to_original = quarter_turn_inverse(rotation, size);
  if (rotation != 0) {
    // Into new buffers: flat may still be the caller's image, and a 180° turn could run in place.
    cv::Mat turned;
    turn_upright(flat, turned, rotation);
    flat = turned;
    cv::Mat turned_bin;
    turn_upright(small_bin, turned_bin, rotation);
    small_bin = turned_bin;
  }
  const cv::Size turned_size = flat.size();
  // A quarter turn changes the sign of nothing: the skew of the content is the same angle.

  std::vector<Part> parts;
  if (options.split_folds && has_lines &&
      turned_size.width >= options.fold_min_aspect * static_cast<double>(turned_size.height)) {
    const auto cut = find_fold_cut(small_bin, small_dpi, whole_skew_deg, options.fold_search_ratio);
    if (cut) {
      // Extend the cut line to the top and bottom rows, in full-resolution pixel centres.
      auto to_full = [&](cv::Point2d p) {
        return (p + cv::Point2d(0.5, 0.5)) / scale - cv::Point2d(0.5, 0.5);
      };
      const cv::Point2d a = to_full(cut->top);
      const cv::Point2d b = to_full(cut->bottom);
      const double slope = (b.y != a.y) ? (b.x - a.x) / (b.y - a.y) : 0.0;
      const double x_top = a.x - slope * a.y;
      const double x_bottom = a.x + slope * (turned_size.height - a.y);
      parts = fold_parts(turned_size, x_top, x_bottom, options.fold_order);
      notes.push_back(
          fmt::format("two-page fold: cut at x = {:.0f}..{:.0f} px ({:.1f} % of the width)", x_top,
                      x_bottom, 100.0 * (x_top + x_bottom) / 2.0 / turned_size.width));
    } else {
      notes.push_back("wide scan but no gutter near the middle; not split as a fold");
    }
  }
  if (parts.empty()) {
    parts.push_back(Part{cv::Rect(0, 0, turned_size.width, turned_size.height), {}, -1});
  }

  std::vector<CleanPage> pages;
  for (const Part& part : parts) {
    CleanPage out;
    out.dpi = dpi;
    out.fold_half = part.fold_half;
    out.notes = notes;
    out.rotation_deg = rotation;

    // Skew of this part, on the analysis copy (the pages of a fold lie at their own angles).
    double skew = whole_skew_deg;
    if (options.deskew && part.fold_half >= 0) {
      const cv::Rect small_crop = cv::Rect(static_cast<int>(std::floor(part.crop.x * scale)),
                                           static_cast<int>(std::floor(part.crop.y * scale)),
                                           static_cast<int>(std::ceil(part.crop.width * scale)),
                                           static_cast<int>(std::ceil(part.crop.height * scale))) &
                                  cv::Rect(0, 0, small_bin.cols, small_bin.rows);
      cv::Mat part_bin = small_bin(small_crop).clone();
      paint_blank(part_bin, scaled(part.blank, scale), 0);
      const SkewEstimate est = estimate_skew(part_bin, options.max_skew_deg, 500);
      skew = est.peak_ratio >= kMinSkewPeakRatio && est.points >= 500 ? est.deg : 0.0;
    }
    if (!has_lines) {
      out.notes.push_back(
          whole_skew.points < 500
              ? std::string("too little ink to find text lines; not deskewed, turned or split")
              : fmt::format("no clear text lines (profile peak ratio {:.2f}); not deskewed, turned "
                            "or split",
                            whole_skew.peak_ratio));
    }

    // Full resolution: cut, paint the other page's side of a slanted cut, deskew.
    cv::Mat cut = flat(part.crop).clone();
    paint_blank(cut, part.blank, 255);
    cv::Matx33d clean_to_cut = cv::Matx33d::eye();
    if (std::abs(skew) >= 0.02) {
      cv::Size sz;
      const cv::Matx23d m = deskew_matrix(cut.size(), skew, sz);
      cv::warpAffine(cut, out.gray, m, sz, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
      cv::Matx23d inv;
      cv::invertAffineTransform(m, inv);
      clean_to_cut = to33(inv);
    } else {
      out.gray = cut;
      skew = 0;
    }
    out.skew_deg = skew;
    out.binary = binarize(out.gray, dpi, options);
    if (options.despeckle) remove_specks(out.binary, speck_area(options, dpi, 0));

    const cv::Matx33d crop_offset(1, 0, part.crop.x, 0, 1, part.crop.y, 0, 0, 1);
    out.transform.clean_to_original = to23(turned_to_original * crop_offset * clean_to_cut);
    out.transform.original_size = size;
    out.transform.clean_size = out.gray.size();
    out.transform.crop = map_rect(turned_to_original, part.crop);
    pages.push_back(std::move(out));
  }
  return pages;
}

}  // namespace

Result<void> validate(const Options& o) {
  auto bad = [](std::string field, std::string why) -> Result<void> {
    return fail(ErrorCode::BadArguments, kStage, {},
                fmt::format("preprocess option {} {}", field, why));
  };
  if (!(o.max_skew_deg >= 0 && o.max_skew_deg <= 45)) return bad("max_skew_deg", "must be 0..45");
  if (!(o.sauvola_window_mm > 0 && o.sauvola_window_mm <= 50))
    return bad("sauvola_window_mm", "must be in (0, 50]");
  if (!(o.sauvola_k > 0 && o.sauvola_k < 1)) return bad("sauvola_k", "must be in (0, 1)");
  if (!(o.ink_max_paper_ratio > 0 && o.ink_max_paper_ratio <= 1))
    return bad("ink_max_paper_ratio", "must be in (0, 1]");
  if (!(o.ink_sure_paper_ratio >= 0 && o.ink_sure_paper_ratio < o.ink_max_paper_ratio))
    return bad("ink_sure_paper_ratio", "must be in [0, ink_max_paper_ratio)");
  if (!(o.ink_gate_share >= 0 && o.ink_gate_share <= 1))
    return bad("ink_gate_share", "must be in [0, 1]");
  if (!(o.ink_gate_max_ratio > 0 && o.ink_gate_max_ratio <= 1))
    return bad("ink_gate_max_ratio", "must be in (0, 1]");
  if (!(o.speck_area_px_at_300dpi >= 0 && o.speck_area_px_at_300dpi <= 1000))
    return bad("speck_area_px_at_300dpi", "must be 0..1000");
  if (!(o.fold_min_aspect >= 1)) return bad("fold_min_aspect", "must be at least 1");
  if (!(o.fold_search_ratio > 0 && o.fold_search_ratio < 0.5))
    return bad("fold_search_ratio", "must be in (0, 0.5)");
  if (!(o.analysis_dpi >= 25 && o.analysis_dpi <= 600))
    return bad("analysis_dpi", "must be 25..600");
  if (o.min_analysis_side_px < 16) return bad("min_analysis_side_px", "must be at least 16");
  return {};
}

Result<std::vector<CleanPage>> clean_page(const ingest::PageImage& page, const Options& options) {
  if (auto ok = validate(options); !ok) return tl::unexpected(ok.error());
  if (page.gray.empty() || page.gray.type() != CV_8UC1) {
    return fail(ErrorCode::InputRejected, kStage, page.path, "image is empty or not 8-bit gray",
                "decode scans with ingest::load_page");
  }
  try {
    return clean(page, options);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, kStage, page.path,
                fmt::format("image processing failed: {}", e.what()),
                "please report this with the scan");
  }
}

}  // namespace broadsheet::preprocess
