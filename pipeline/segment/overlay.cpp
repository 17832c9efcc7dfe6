// The debug overlay (issue 3, --debug-images): regions coloured by kind and numbered in reading
// order, over the original scan.

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "segment/segment.hpp"

namespace broadsheet::segment {
namespace {

// BGR, one per RegionKind in declaration order.
cv::Scalar colour_of(RegionKind kind) {
  switch (kind) {
    case RegionKind::Masthead:
      return {128, 0, 128};
    case RegionKind::Header:
      return {160, 80, 160};
    case RegionKind::Headline:
      return {0, 0, 230};
    case RegionKind::Kicker:
      return {0, 140, 255};
    case RegionKind::Subheadline:
      return {0, 200, 200};
    case RegionKind::Body:
      return {200, 120, 0};
    case RegionKind::Byline:
      return {0, 160, 0};
    case RegionKind::Caption:
      return {170, 170, 0};
    case RegionKind::Photo:
      return {90, 90, 90};
    case RegionKind::Jump:
      return {220, 0, 220};
    case RegionKind::Advert:
      return {0, 90, 160};
    case RegionKind::Other:
      return {150, 150, 150};
  }
  return {0, 0, 0};
}

}  // namespace

Result<void> write_overlay(const cv::Mat& original, const PageLayout& layout,
                           const std::filesystem::path& path, int max_side_px) {
  if (original.empty() || (original.type() != CV_8UC1 && original.type() != CV_8UC3)) {
    return fail(ErrorCode::InputRejected, "segment", path,
                "overlay needs an 8-bit gray or colour image of the original scan");
  }
  try {
    const double s =
        std::min(1.0, max_side_px / static_cast<double>(std::max(original.cols, original.rows)));
    cv::Mat base;
    if (s < 1.0) {
      cv::resize(original, base, cv::Size(), s, s, cv::INTER_AREA);
    } else {
      base = original.clone();
    }
    if (base.channels() == 1) cv::cvtColor(base, base, cv::COLOR_GRAY2BGR);
    cv::Mat fill = base.clone();
    auto scaled = [&](const Box& b) {
      return cv::Rect(static_cast<int>(std::floor(b.x * s)), static_cast<int>(std::floor(b.y * s)),
                      std::max(1, static_cast<int>(std::ceil(b.w * s))),
                      std::max(1, static_cast<int>(std::ceil(b.h * s))));
    };
    for (const Region& r : layout.regions) {
      cv::rectangle(fill, scaled(r.bbox), colour_of(r.kind), cv::FILLED);
    }
    cv::addWeighted(fill, 0.25, base, 0.75, 0, base);
    const int thick = std::max(1, static_cast<int>(std::lround(base.cols / 800.0)));
    const double font = std::max(0.4, base.cols / 2000.0);
    int k = 0;
    for (const Region& r : layout.regions) {
      const cv::Rect box = scaled(r.bbox);
      cv::rectangle(base, box, colour_of(r.kind), thick);
      const std::string label = std::to_string(++k);
      const cv::Point at(box.x + 2, box.y + static_cast<int>(14 * font) + 2);
      cv::putText(base, label, at, cv::FONT_HERSHEY_SIMPLEX, font, cv::Scalar(255, 255, 255),
                  thick + 2);
      cv::putText(base, label, at, cv::FONT_HERSHEY_SIMPLEX, font, colour_of(r.kind), thick);
    }
    // Key.
    int y = static_cast<int>(20 * font) + 4;
    for (RegionKind kind : kAllRegionKinds) {
      const std::string name(to_string(kind));
      cv::putText(base, name, cv::Point(6, y), cv::FONT_HERSHEY_SIMPLEX, font * 0.8,
                  cv::Scalar(255, 255, 255), thick + 2);
      cv::putText(base, name, cv::Point(6, y), cv::FONT_HERSHEY_SIMPLEX, font * 0.8,
                  colour_of(kind), thick);
      y += static_cast<int>(18 * font) + 2;
    }
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (!cv::imwrite(path.string(), base)) {
      return fail(ErrorCode::OutputNotWritable, "segment", path, "cannot write the overlay image",
                  "check that the folder is writable and the name ends in .png or .jpg");
    }
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::OutputNotWritable, "segment", path,
                fmt::format("cannot write the overlay image: {}", e.what()));
  }
  return {};
}

}  // namespace broadsheet::segment
