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

namespace {

// The light parts of a half-tone photo (a sky of sparse dots) are not "tone" at the strict level
// that keeps text out, so a photo found by its darker parts is grown over rows and columns that
// are still, on average, darker than paper; the white margin around a photo stops it.
// A row of text is darker than paper on average too, but has paper between its black strokes: a
// strip with many paper-white pixels and some black ones is not photo.
cv::Rect grow_photo(cv::Rect r, const cv::Mat& gray, const cv::Mat& soft, double paper) {
  const cv::Rect page(0, 0, soft.cols, soft.rows);
  auto toned = [&](const cv::Rect& strip) {
    const cv::Rect s = strip & page;
    if (s.area() <= 0) return false;
    if (cv::mean(soft(s))[0] >= 0.95 * paper) return false;
    const double n = s.area();
    const double white = cv::countNonZero(gray(s) >= 0.97 * paper) / n;
    const double black = cv::countNonZero(gray(s) < 0.5 * paper) / n;
    // Dense tone, or light tone without the black strokes of type (a sky of fine dots).
    return white < 0.25 || black < 0.02;
  };
  for (bool grew = true; grew;) {
    grew = false;
    if (toned({r.x, r.y - 1, r.width, 1})) {
      r.y -= 1;
      r.height += 1;
      grew = true;
    }
    if (toned({r.x, r.y + r.height, r.width, 1})) {
      r.height += 1;
      grew = true;
    }
    if (toned({r.x - 1, r.y, 1, r.height})) {
      r.x -= 1;
      r.width += 1;
      grew = true;
    }
    if (toned({r.x + r.width, r.y, 1, r.height})) {
      r.width += 1;
      grew = true;
    }
    r &= page;
  }
  return r;
}

}  // namespace

std::vector<cv::Rect> find_photos(const cv::Mat& ink, const cv::Mat& gray, double char_px,
                                  const Options& options) {
  std::vector<cv::Rect> photos;
  if (char_px <= 0 || ink.empty()) return photos;
  // Paper level: flattened pages sit near 255, but measure it (the 99th percentile: even a page
  // that is all photo has some paper at its edges).
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
    if (static_cast<double>(acc) >= 0.99 * static_cast<double>(total)) {
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

  cv::Mat soft;
  const int sk = std::max(3, static_cast<int>(std::lround(0.4 * char_px)) | 1);
  cv::blur(gray, soft, cv::Size(sk, sk));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  const double min_side = options.min_photo_side_chars * char_px;
  for (int i = 1; i < n; ++i) {
    const cv::Rect joined_box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                              stats.at<int>(i, cv::CC_STAT_WIDTH),
                              stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (joined_box.width < min_side || joined_box.height < min_side) continue;
    // The closing that joins a photo's dark patches also reaches a caption set close under it;
    // the box is that of the solid part alone.
    const cv::Mat solid_here = solid(joined_box) & (labels(joined_box) == i);
    const cv::Rect tight = cv::boundingRect(solid_here);
    if (tight.area() <= 0) continue;
    const cv::Rect r = tight + joined_box.tl();
    if (r.width < min_side || r.height < min_side) continue;
    const double area = r.area();
    const double solid_share = cv::countNonZero(solid(r)) / area;
    const double ink_share = cv::countNonZero(ink(r)) / area;
    const double tone_share = cv::countNonZero(tone(r)) / area;
    // Mostly solid tone at the 1.7-character scale; real ink in it (not a bleed-through ghost,
    // which the binariser already dropped) — or, for a continuous-tone photo that the binariser
    // keeps almost nothing of, an area that is toned nearly all over.
    const bool large = std::min(r.width, r.height) >= 10 * char_px;
    if (solid_share < (large ? 0.45 : 0.5) || tone_share < 0.6) continue;
    const bool light_photo = solid_share >= 0.75 && tone_share >= 0.85 && r.width >= 6 * char_px &&
                             r.height >= 6 * char_px;
    if (ink_share < 0.03 && !light_photo) continue;
    // A line of bold display type (a black-face headline) is dark all over its strokes too, but
    // it is a line: under 6.5 characters across, and mostly ink.
    if (std::min(r.width, r.height) < 6.5 * char_px && ink_share >= 0.4) continue;
    photos.push_back(grow_photo(r, gray, soft, paper));
  }
  // Light parts of one photo found apart grow into each other: keep one box per photo.
  std::sort(photos.begin(), photos.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
  std::vector<cv::Rect> merged;
  for (const cv::Rect& p : photos) {
    bool taken = false;
    for (cv::Rect& m : merged) {
      const double inter = (p & m).area();
      if (inter >= 0.5 * p.area()) {
        m |= p;
        taken = true;
        break;
      }
    }
    if (!taken) merged.push_back(p);
  }
  return merged;
}

}  // namespace broadsheet::segment::detail
