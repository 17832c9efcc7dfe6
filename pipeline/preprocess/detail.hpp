#pragma once
// Internal to preprocess/: the analysis steps clean_page runs on the reduced-resolution binary.

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "preprocess/preprocess.hpp"

namespace broadsheet::preprocess {

/// Gray level below which a share q (0..1) of the pixels lie.
[[nodiscard]] int percentile_u8(const cv::Mat& gray, double q);

struct SkewEstimate {
  double deg = 0;
  /// Profile sharpness at the best angle over the mean sharpness of all angles searched; about 1
  /// when the ink has no line structure (photo, noise).
  double peak_ratio = 1;
  int points = 0;
};
[[nodiscard]] SkewEstimate estimate_skew(const cv::Mat& binary, double max_deg, int min_points);

/// Median size of character-like components, in pixels; 0 when there are too few.
[[nodiscard]] double typical_char_px(const cv::Mat& binary, double dpi);

struct Orientation {
  int rotation_deg = 0;  ///< counter-clockwise turn of the content found in the scan
  std::string note;      ///< why, or why not, for CleanPage::notes; empty when nothing to say
};
/// Turn of an already deskewed page, from the direction of its text lines and the side where they
/// start (paragraph indents are short notches, paragraph ends long ones).
[[nodiscard]] Orientation detect_orientation(const cv::Mat& binary, double dpi, TextAxis axis);

/// The cut between the two pages of a fold, as a line in the coordinates of `binary`.
struct FoldCut {
  cv::Point2d top;
  cv::Point2d bottom;
  double gutter_width_px = 0;
};
[[nodiscard]] std::optional<FoldCut> find_fold_cut(const cv::Mat& binary, double dpi,
                                                   double skew_deg, double search_ratio);

}  // namespace broadsheet::preprocess
