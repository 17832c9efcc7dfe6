// Background flattening, binarisation and despeckling.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "preprocess/detail.hpp"
#include "preprocess/preprocess.hpp"

namespace broadsheet::preprocess {

int percentile_u8(const cv::Mat& gray, double q) {
  // Every row of a small image, about a million pixels of a large one.
  const int stride = std::max<int>(1, static_cast<int>(gray.total() / 1'000'000));
  long long hist[256] = {};
  long long total = 0;
  for (int y = 0; y < gray.rows; y += stride) {
    const auto* row = gray.ptr<std::uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) ++hist[row[x]];
    total += gray.cols;
  }
  if (total <= 0) return 255;
  long long seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (static_cast<double>(seen) >= q * static_cast<double>(total)) return v;
  }
  return 255;
}

cv::Mat estimate_background(const cv::Mat& gray, double dpi) {
  CV_Assert(gray.type() == CV_8UC1 && !gray.empty());
  // Work at about 50 dpi: body-text lines and the paper between them are still apart, so a
  // closing finds the paper; strokes up to the kernel size (≈ 9 mm, thicker than any headline
  // stroke) vanish into it. Larger dark areas (photos) stay partly in the estimate, see below.
  constexpr double kBackgroundDpi = 50;
  const double scale = std::min(1.0, kBackgroundDpi / std::max(dpi, 1.0));
  cv::Mat small;
  if (scale < 1.0) {
    cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    small = gray.clone();
  }
  const double small_dpi = dpi * scale;
  const int k = std::max(3, static_cast<int>(std::lround(9.0 / 25.4 * small_dpi)) | 1);
  cv::Mat closed;
  cv::morphologyEx(small, closed, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k)));
  cv::GaussianBlur(closed, closed, cv::Size(), k / 2.0);
  // Uneven light and a gutter shadow rarely take paper below 55 % of its brightest level; a darker
  // estimate is a photo or a black border, and dividing by it would wash the photo out.
  const int paper = percentile_u8(closed, 0.95);
  const double floor_level = std::max(1.0, 0.55 * paper);
  cv::max(closed, cv::Scalar(floor_level), closed);
  cv::Mat background;
  if (scale < 1.0) {
    cv::resize(closed, background, gray.size(), 0, 0, cv::INTER_LINEAR);
  } else {
    background = closed;
  }
  return background;
}

cv::Mat flatten_background(const cv::Mat& gray, const cv::Mat& background) {
  CV_Assert(gray.type() == CV_8UC1 && background.type() == CV_8UC1 &&
            gray.size() == background.size());
  cv::Mat flat;
  cv::divide(gray, background, flat, 255.0, CV_8U);
  return flat;
}

namespace {

// Sauvola, fused with the two global levels of binarize(): ink where (gray < T and gray < gate)
// or gray < sure.
template <class Sum>
cv::Mat sauvola_gated_impl(const cv::Mat& gray, int w, double k, float gate, float sure,
                           float range) {
  constexpr int kDepth = cv::DataType<Sum>::depth;
  cv::Mat sum;
  cv::boxFilter(gray, sum, kDepth, cv::Size(w, w), cv::Point(-1, -1), false, cv::BORDER_REPLICATE);
  cv::Mat lut(1, 256, CV_16U);
  for (int v = 0; v < 256; ++v) lut.at<std::uint16_t>(v) = static_cast<std::uint16_t>(v * v);
  cv::Mat squares;
  cv::LUT(gray, lut, squares);
  cv::Mat sq_sum;
  cv::boxFilter(squares, sq_sum, kDepth, cv::Size(w, w), cv::Point(-1, -1), false,
                cv::BORDER_REPLICATE);
  cv::Mat out(gray.size(), CV_8UC1);
  const float inv_n = 1.0f / static_cast<float>(w * w);
  const auto kf = static_cast<float>(k);
  const float inv_range = 1.0f / range;
  for (int y = 0; y < gray.rows; ++y) {
    const auto* g = gray.ptr<std::uint8_t>(y);
    const auto* s1 = sum.ptr<Sum>(y);
    const auto* s2 = sq_sum.ptr<Sum>(y);
    auto* o = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) {
      const float m = static_cast<float>(s1[x]) * inv_n;
      const float var = std::max(0.0f, static_cast<float>(s2[x]) * inv_n - m * m);
      const float t = m * (1.0f + kf * (std::sqrt(var) * inv_range - 1.0f));
      const auto v = static_cast<float>(g[x]);
      // Branch-free, so the loop vectorises.
      const int ink =
          (static_cast<int>(v < t) & static_cast<int>(v < gate)) | static_cast<int>(v < sure);
      o[x] = static_cast<std::uint8_t>(ink * 255);
    }
  }
  return out;
}

// Sauvola, fused with the two global levels of binarize(): ink where (gray < T and gray < gate)
// or gray < sure. Window sums in integers (8U and 16U box filters are several times faster than
// float ones) while they fit: 181² · 255² < 2³¹; in doubles above that (beyond 1100 dpi).
cv::Mat sauvola_gated(const cv::Mat& gray, int window_px, double k, float gate, float sure,
                      float range = 128.0f) {
  CV_Assert(gray.type() == CV_8UC1);
  const int w = std::max(3, window_px | 1);
  if (w <= 181) return sauvola_gated_impl<int>(gray, w, k, gate, sure, range);
  return sauvola_gated_impl<double>(gray, w, k, gate, sure, range);
}

}  // namespace

cv::Mat binarize_sauvola(const cv::Mat& gray, int window_px, double k) {
  return sauvola_gated(gray, window_px, k, 256.0f, -1.0f);
}

cv::Mat binarize_otsu(const cv::Mat& gray) {
  CV_Assert(gray.type() == CV_8UC1);
  cv::Mat out;
  cv::threshold(gray, out, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  return out;
}

namespace {

// The page's ink level: the median, over the pieces of ink (connected components of `ink` of at
// least min_area pixels), of each piece's darkest gray; -1 when there are none. By pieces, not
// pixels: the many small pieces of body text count, not the area of a bold masthead or headline.
int ink_level(const cv::Mat& gray, const cv::Mat& ink, int min_area) {
  cv::Mat labels;
  const int n = cv::connectedComponents(ink, labels, 8, CV_32S);
  if (n <= 1) return -1;
  std::vector<std::uint8_t> darkest(static_cast<std::size_t>(n), 255);
  std::vector<int> area(static_cast<std::size_t>(n), 0);
  for (int y = 0; y < gray.rows; ++y) {
    const auto* g = gray.ptr<std::uint8_t>(y);
    const auto* l = labels.ptr<int>(y);
    for (int x = 0; x < gray.cols; ++x) {
      if (l[x] == 0) continue;
      const auto k = static_cast<std::size_t>(l[x]);
      darkest[k] = std::min(darkest[k], g[x]);
      ++area[k];
    }
  }
  std::vector<std::uint8_t> levels;
  for (std::size_t k = 1; k < darkest.size(); ++k) {
    if (area[k] >= min_area) levels.push_back(darkest[k]);
  }
  if (levels.empty()) return -1;
  const auto mid = levels.begin() + static_cast<std::ptrdiff_t>(levels.size() / 2);
  std::nth_element(levels.begin(), mid, levels.end());
  return *mid;
}

}  // namespace

double page_ink_level(const cv::Mat& flat_gray, const cv::Mat& sauvola_ink, double dpi,
                      const Options& options) {
  const int paper = percentile_u8(flat_gray, 0.95);
  if (paper <= 0) return -1;
  const double r = dpi / 300.0;  // pieces larger than the specks despeckling removes
  const int min_area = 1 + static_cast<int>(std::floor(options.speck_area_px_at_300dpi * r * r));
  const int darkest = ink_level(flat_gray, sauvola_ink, min_area);
  if (darkest < 0) return -1;
  return std::min(1.0, darkest / static_cast<double>(paper));
}

cv::Mat binarize(const cv::Mat& flat_gray, double dpi, const Options& options) {
  const int window =
      std::max(7, static_cast<int>(std::lround(options.sauvola_window_mm / 25.4 * dpi)));
  const int paper = percentile_u8(flat_gray, 0.95);
  const auto sure = static_cast<float>(options.ink_sure_paper_ratio * paper);
  cv::Mat ink = sauvola_gated(flat_gray, window, options.sauvola_k, 256.0f, sure);
  double gate = options.ink_max_paper_ratio;
  if (gate >= 1) return ink;
  // Sauvola and the gate assume black ink: its range R = 128 is the deviation of a window half
  // black, half white, and the gate sits at a fixed share of the paper. A light face at a low
  // resolution prints grey (a one-pixel stroke blurred by the scan), and both take its thin
  // strokes away — the commas and the bars that hold a line of text together. Both follow the
  // page's ink instead: R is the deviation of a window half ink, half paper, and the gate sits
  // between the ink and the paper. Black ink keeps Sauvola's R and the fixed gate.
  const double level =
      options.ink_gate_share > 0 ? page_ink_level(flat_gray, ink, dpi, options) : -1;
  if (level >= 0) {
    const double top = std::max(gate, options.ink_gate_max_ratio);
    const double ink_level = std::min(level, top);
    gate = std::clamp(ink_level + options.ink_gate_share * (1 - ink_level), gate, top);
    const double range = (1 - ink_level) * paper / 2;
    if (range < 127.5) {
      ink = sauvola_gated(flat_gray, window, options.sauvola_k, 256.0f, sure,
                          static_cast<float>(range));
    }
  }
  // Gated afterwards: the sure level is below the gate, so (Sauvola or sure) and under the gate is
  // what sauvola_gated computes.
  cv::Mat under_gate;
  cv::compare(flat_gray, cv::Scalar(gate * paper), under_gate, cv::CMP_LT);
  cv::bitwise_and(ink, under_gate, ink);
  return ink;
}

void remove_specks(cv::Mat& binary, int max_area_px) {
  CV_Assert(binary.type() == CV_8UC1);
  if (max_area_px < 1 || binary.empty()) return;
  // Labels only, and the areas counted here: connectedComponentsWithStats costs five times more.
  cv::Mat labels;
  const int n = cv::connectedComponents(binary, labels, 8, CV_32S);
  std::vector<int> area(static_cast<std::size_t>(n), 0);
  for (int y = 0; y < labels.rows; ++y) {
    const auto* l = labels.ptr<int>(y);
    for (int x = 0; x < labels.cols; ++x) ++area[static_cast<std::size_t>(l[x])];
  }
  bool any = false;
  for (int i = 1; i < n; ++i) any = any || area[static_cast<std::size_t>(i)] <= max_area_px;
  if (!any) return;
  for (int y = 0; y < binary.rows; ++y) {
    const auto* l = labels.ptr<int>(y);
    auto* b = binary.ptr<std::uint8_t>(y);
    for (int x = 0; x < binary.cols; ++x) {
      if (b[x] != 0 && area[static_cast<std::size_t>(l[x])] <= max_area_px) b[x] = 0;
    }
  }
}

}  // namespace broadsheet::preprocess
