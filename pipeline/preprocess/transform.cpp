#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "preprocess/preprocess.hpp"

namespace broadsheet::preprocess {
namespace {

cv::Matx23d invert(const cv::Matx23d& m) {
  cv::Matx23d inv;
  cv::invertAffineTransform(m, inv);
  return inv;
}

cv::Point2d apply(const cv::Matx23d& m, cv::Point2d p) {
  return {m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)};
}

// A box is pixel edges; pixel centres sit half a pixel inside. Map the edge corners by moving to
// the centre convention, applying the centre map, and moving back.
Box map_box(const cv::Matx23d& m, const Box& b, cv::Size clip) {
  if (b.empty()) return {};
  const std::array<cv::Point2d, 4> corners{cv::Point2d(b.x, b.y), cv::Point2d(b.x + b.w, b.y),
                                           cv::Point2d(b.x, b.y + b.h),
                                           cv::Point2d(b.x + b.w, b.y + b.h)};
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const auto& c : corners) {
    const cv::Point2d q = apply(m, c - cv::Point2d(0.5, 0.5)) + cv::Point2d(0.5, 0.5);
    x0 = std::min(x0, q.x);
    y0 = std::min(y0, q.y);
    x1 = std::max(x1, q.x);
    y1 = std::max(y1, q.y);
  }
  // Round outward only past a small tolerance, so an exact 90° turn keeps integer boxes exact.
  constexpr double kEps = 1e-6;
  const int ix0 = std::clamp(static_cast<int>(std::floor(x0 + kEps)), 0, clip.width);
  const int iy0 = std::clamp(static_cast<int>(std::floor(y0 + kEps)), 0, clip.height);
  const int ix1 = std::clamp(static_cast<int>(std::ceil(x1 - kEps)), 0, clip.width);
  const int iy1 = std::clamp(static_cast<int>(std::ceil(y1 - kEps)), 0, clip.height);
  if (ix1 <= ix0 || iy1 <= iy0) return {};
  return {ix0, iy0, ix1 - ix0, iy1 - iy0};
}

}  // namespace

Transform Transform::identity(cv::Size size) {
  Transform t;
  t.original_size = size;
  t.clean_size = size;
  t.crop = cv::Rect(0, 0, size.width, size.height);
  return t;
}

cv::Point2d Transform::to_original(cv::Point2d clean) const {
  return apply(clean_to_original, clean);
}

Box Transform::to_original(const Box& clean) const {
  return map_box(clean_to_original, clean, original_size);
}

cv::Point2d Transform::to_clean(cv::Point2d original) const {
  return apply(invert(clean_to_original), original);
}

Box Transform::to_clean(const Box& original) const {
  return map_box(invert(clean_to_original), original, clean_size);
}

}  // namespace broadsheet::preprocess
