// The analysis frame: reduction, body character size, text direction.

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {
namespace {

constexpr double kMmPerInch = 25.4;

// Share of the ink of `ink` that lies in long, one-character-high pieces after a horizontal smear.
// The smear is short: CJK type sits on a grid both ways, and only the gap between characters of
// a line (0.05–0.3) is narrower than the gap between lines (0.3–1).
double line_share(const cv::Mat& ink, double char_px, double smear_chars) {
  const int k = std::max(2, static_cast<int>(std::lround(smear_chars * char_px)));
  cv::Mat smeared;
  cv::morphologyEx(ink, smeared, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, 1)));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8, CV_32S);
  double in_lines = 0;
  double total = 0;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const double area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (std::max(w, h) < 0.4 * char_px) continue;  // dust
    total += area;
    if (w >= 4 * char_px && h <= 1.6 * char_px && h >= 0.5 * char_px) in_lines += area;
  }
  return total > 0 ? in_lines / total : 0;
}

}  // namespace

Box Frame::to_clean(const cv::Rect& r) const {
  cv::Rect u = r;  // in the unturned work image
  if (turned) {
    // turned (x', y') = (y, W-1-x)  ⇔  x = W-1-y', y = x'
    u = cv::Rect(work_size.width - (r.y + r.height), r.x, r.height, r.width);
  }
  const double x0 = std::floor(u.x / scale);
  const double y0 = std::floor(u.y / scale);
  const double x1 = std::ceil((u.x + u.width) / scale);
  const double y1 = std::ceil((u.y + u.height) / scale);
  const int cx0 = std::clamp(static_cast<int>(x0), 0, clean_size.width);
  const int cy0 = std::clamp(static_cast<int>(y0), 0, clean_size.height);
  const int cx1 = std::clamp(static_cast<int>(x1), 0, clean_size.width);
  const int cy1 = std::clamp(static_cast<int>(y1), 0, clean_size.height);
  return Box{cx0, cy0, cx1 - cx0, cy1 - cy0};
}

cv::Rect Frame::from_clean(const Box& b) const {
  const int x0 = static_cast<int>(std::floor(b.x * scale));
  const int y0 = static_cast<int>(std::floor(b.y * scale));
  const int x1 = static_cast<int>(std::ceil((b.x + b.w) * scale));
  const int y1 = static_cast<int>(std::ceil((b.y + b.h) * scale));
  cv::Rect u(x0, y0, x1 - x0, y1 - y0);
  if (!turned) return u;
  return {u.y, work_size.width - (u.x + u.width), u.height, u.width};
}

void reduce(const cv::Mat& binary, const cv::Mat& gray, double scale, cv::Mat& ink_out,
            cv::Mat& gray_out) {
  if (scale >= 0.999) {
    ink_out = binary > 0;
    gray_out = gray.clone();
    return;
  }
  const cv::Size size(std::max(1, static_cast<int>(std::lround(binary.cols * scale))),
                      std::max(1, static_cast<int>(std::lround(binary.rows * scale))));
  cv::Mat small;
  cv::resize(binary, small, size, 0, 0, cv::INTER_AREA);
  // A thin stroke covers a third to a half of a reduced pixel: keep it.
  ink_out = small > 42;
  cv::resize(gray, gray_out, size, 0, 0, cv::INTER_AREA);
}

double char_size_px(const cv::Mat& ink, double dpi, const Options& options) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double lo = options.min_char_mm / kMmPerInch * dpi;
  const double hi = options.max_char_mm / kMmPerInch * dpi;
  const int bins = static_cast<int>(std::ceil(hi)) + 2;
  std::vector<double> hist(static_cast<std::size_t>(bins), 0.0);
  int counted = 0;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int side = std::max(w, h);
    if (side < lo || side > hi || std::min(w, h) < 0.3 * side) continue;
    // Most CJK characters have one component that spans the character one way or the other;
    // radicals and dots are smaller, so the most common large side is the character size.
    hist[static_cast<std::size_t>(side)] += side;
    ++counted;
  }
  if (counted < 30) return 0;
  // Smooth over ±2 px (a fifth of a small face) and take the peak.
  std::vector<double> count(static_cast<std::size_t>(bins), 0.0);  // characters, not weighted
  double best = 0;
  int best_side = 0;
  for (int s = 0; s < bins; ++s) {
    double v = 0;
    double k = 0;
    for (int d = -2; d <= 2; ++d) {
      const int j = s + d;
      if (j <= 0 || j >= bins) continue;
      v += hist[static_cast<std::size_t>(j)] * (3 - std::abs(d));
      k += hist[static_cast<std::size_t>(j)] / j * (3 - std::abs(d));
    }
    count[static_cast<std::size_t>(s)] = k;
    if (v > best) {
      best = v;
      best_side = s;
    }
  }
  // A page of adverts sets more of its ink in display type than in running text: the larger face
  // wins by area. Running text is still there in numbers — a smaller face with at least 0.6 times
  // as many characters, 0.55 to 0.8 of the larger one's size (radicals and punctuation are half
  // a character or less) — and it, not the display type, is the body.
  {
    const double top = count[static_cast<std::size_t>(best_side)];
    int smaller = -1;
    for (int s = static_cast<int>(std::ceil(0.55 * best_side));
         s <= static_cast<int>(0.8 * best_side) && s > 0; ++s) {
      const double k = count[static_cast<std::size_t>(s)];
      if (k < 0.6 * top || k < count[static_cast<std::size_t>(s - 1)] ||
          k < count[static_cast<std::size_t>(s + 1)])
        continue;
      if (smaller < 0 || k > count[static_cast<std::size_t>(smaller)]) smaller = s;
    }
    if (smaller > 0) best_side = smaller;
  }
  // Refine: weighted mean over the peak ±2.
  double num = 0, den = 0;
  for (int d = -2; d <= 2; ++d) {
    const int j = best_side + d;
    if (j >= 0 && j < bins) {
      num += j * hist[static_cast<std::size_t>(j)];
      den += hist[static_cast<std::size_t>(j)];
    }
  }
  return den > 0 ? num / den : best_side;
}

double stroke_width_px(const cv::Mat& clean_ink, const Box& clean_box) {
  const cv::Rect r = cv::Rect(clean_box.x, clean_box.y, clean_box.w, clean_box.h) &
                     cv::Rect(0, 0, clean_ink.cols, clean_ink.rows);
  if (r.area() <= 0) return 0;
  const cv::Mat roi = clean_ink(r) > 0;
  const double area = cv::countNonZero(roi);
  if (area <= 0) return 0;
  cv::Mat eroded;
  cv::erode(roi, eroded, cv::Mat());
  const double outline = area - cv::countNonZero(eroded);
  return outline > 0 ? 2.0 * area / outline : 0;
}

namespace {

/// Rewrites `ink` from its component labels: each pixel becomes keep[its label] (255 or 0).
void keep_components(cv::Mat& ink, const cv::Mat& labels, const std::vector<uchar>& keep) {
  for (int y = 0; y < ink.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uchar* g = ink.ptr<uchar>(y);
    for (int x = 0; x < ink.cols; ++x) g[x] = keep[static_cast<std::size_t>(l[x])];
  }
}

}  // namespace

void remove_marks(cv::Mat& ink, double max_side_px) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<uchar> keep(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    const int side =
        std::max(stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    keep[static_cast<std::size_t>(i)] = side >= max_side_px ? 255 : 0;
  }
  keep_components(ink, labels, keep);
}

void remove_side_marks(cv::Mat& ink, double char_px) {
  if (char_px <= 0 || ink.empty()) return;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double small = 0.6 * char_px;
  // Glyph ink: components at least `small` long and not a thin stroke alone (a rule in a gutter
  // stands between the lines, beside the marks).
  cv::Mat glyphs = cv::Mat::zeros(ink.size(), CV_8UC1);
  std::vector<char> candidate(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int side = std::max(w, h);
    if (side < small) {
      candidate[static_cast<std::size_t>(i)] = 1;
      continue;
    }
    if (std::min(w, h) < 0.25 * char_px || side > 4 * char_px) continue;
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
    glyphs(r).setTo(255, labels(r) == i);
  }
  cv::Mat sum;
  cv::integral(glyphs > 0, sum, CV_32S);
  const cv::Rect page(0, 0, ink.cols, ink.rows);
  const int reach = std::max(1, static_cast<int>(std::lround(1.2 * char_px)));
  std::vector<uchar> keep(static_cast<std::size_t>(n), 255);
  keep[0] = 0;
  for (int i = 1; i < n; ++i) {
    if (!candidate[static_cast<std::size_t>(i)]) continue;
    const cv::Rect r =
        cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT) - reach, stats.at<int>(i, cv::CC_STAT_TOP),
                 stats.at<int>(i, cv::CC_STAT_WIDTH) + 2 * reach,
                 stats.at<int>(i, cv::CC_STAT_HEIGHT)) &
        page;
    const int inked = sum.at<int>(r.y + r.height, r.x + r.width) - sum.at<int>(r.y, r.x + r.width) -
                      sum.at<int>(r.y + r.height, r.x) + sum.at<int>(r.y, r.x);
    if (inked == 0) keep[static_cast<std::size_t>(i)] = 0;
  }
  keep_components(ink, labels, keep);
}

bool looks_vertical(const cv::Mat& ink, double char_px) {
  // Small marks out first: 1919 papers punctuate with a dot beside every character, in the gap
  // between columns, where it would bridge the columns into "lines" across.
  cv::Mat glyphs = ink.clone();
  remove_marks(glyphs, 0.4 * char_px);
  cv::Mat transposed;
  cv::transpose(glyphs, transposed);
  // Two smears, the more decisive wins: 0.35 for tight modern setting, 0.5 for 1919 columns whose
  // characters stand 0.3 apart.
  double h = 0;
  double v = 0;
  double decisive = 0;
  for (const double smear : {0.35, 0.5}) {
    const double hs = line_share(glyphs, char_px, smear);
    const double vs = line_share(transposed, char_px, smear);
    const double d = std::max(hs, vs) / std::max(0.01, std::min(hs, vs));
    if (d > decisive) {
      decisive = d;
      h = hs;
      v = vs;
    }
  }
  return v > 1.4 * h && v > 0.06;
}

}  // namespace broadsheet::segment::detail
