// Photos: large areas that are dark or textured at every scale above a character.
//
// A half-tone photo binarises into dots and blotches, and its light parts (a sky) into nothing at
// all, so the binary alone finds only the darker half of a photo. The flattened gray finds all of
// it: there a photo is non-paper everywhere, while text is non-paper only in strokes with white
// between its lines. An opening with a line 1.7 body characters long, vertical and then
// horizontal, wipes out lines of body text both ways and keeps what is dark over a larger area:
// photos, and also the solid parts of big headline glyphs, mastheads and black bars, which the
// checks below tell apart.

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {

std::vector<cv::Rect> find_photos(const cv::Mat& ink, const cv::Mat& gray, double char_px,
                                  const Options& options) {
  std::vector<cv::Rect> photos;
  if (char_px <= 0 || ink.empty()) return photos;
  // Paper level: flattened pages sit near 255, but measure (the 90th percentile).
  int hist[256] = {0};
  for (int y = 0; y < gray.rows; y += 2) {
    const uchar* row = gray.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; x += 2) ++hist[row[x]];
  }
  long long total = 0;
  for (int v : hist) total += v;
  long long acc = 0;
  int paper = 255;
  for (int v = 0; v < 256; ++v) {
    acc += hist[v];
    if (static_cast<double>(acc) >= 0.9 * static_cast<double>(total)) {
      paper = v;
      break;
    }
  }
  cv::Mat blurred;
  cv::blur(gray, blurred, cv::Size(3, 3));
  cv::Mat tone = blurred < 0.92 * paper;
  tone |= ink;

  const int k = std::max(3, static_cast<int>(std::lround(1.7 * char_px)));
  cv::Mat solid;
  cv::morphologyEx(tone, solid, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, k)));
  cv::morphologyEx(solid, solid, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, 1)));
  const int c = std::max(3, static_cast<int>(std::lround(1.0 * char_px)));
  cv::Mat joined;
  cv::morphologyEx(solid, joined, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(c, c)));

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  const double min_side = options.min_photo_side_chars * char_px;
  for (int i = 1; i < n; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (r.width < min_side || r.height < min_side) continue;
    const double area = r.area();
    const double solid_share = cv::countNonZero(solid(r)) / area;
    const double ink_share = cv::countNonZero(ink(r)) / area;
    const double tone_share = cv::countNonZero(tone(r)) / area;
    // Mostly solid tone at the 1.7-character scale; real ink in it (not a bleed-through ghost,
    // which the binariser already dropped).
    if (solid_share < 0.5 || tone_share < 0.6 || ink_share < 0.05) continue;
    photos.push_back(r);
  }
  return photos;
}

}  // namespace broadsheet::segment::detail
