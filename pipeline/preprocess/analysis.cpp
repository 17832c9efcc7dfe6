// Measurements on the reduced-resolution binary: skew, character size, text-line direction and
// start side (for 90°/180° turns), and the gutter of a two-page fold.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "preprocess/detail.hpp"
#include "preprocess/preprocess.hpp"

namespace broadsheet::preprocess {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kMmPerInch = 25.4;

// Sharpness of the row and the column projection of the points turned by -angle: Σh² of both
// histograms. Horizontal lines make the row profile spiky, vertical columns (and the character grid
// of CJK text) the column profile; both peak at the true skew.
class ProfileScorer {
 public:
  ProfileScorer(const cv::Mat& binary, int max_points) {
    const int total = cv::countNonZero(binary);
    const int stride = std::max(1, (total + max_points - 1) / std::max(1, max_points));
    const double cx = binary.cols / 2.0;
    const double cy = binary.rows / 2.0;
    xs_.reserve(static_cast<std::size_t>(total / stride + 1));
    ys_.reserve(static_cast<std::size_t>(total / stride + 1));
    int seen = 0;
    for (int y = 0; y < binary.rows; ++y) {
      const auto* row = binary.ptr<std::uint8_t>(y);
      for (int x = 0; x < binary.cols; ++x) {
        if (row[x] == 0) continue;
        if (seen++ % stride != 0) continue;
        xs_.push_back(static_cast<float>(x - cx));
        ys_.push_back(static_cast<float>(y - cy));
      }
    }
    const double diag = std::hypot(binary.cols, binary.rows);
    offset_ = static_cast<float>(diag / 2.0 + 2.0);
    bins_ = static_cast<std::size_t>(diag + 6.0);
    rows_.resize(bins_);
    cols_.resize(bins_);
  }

  [[nodiscard]] int points() const { return static_cast<int>(xs_.size()); }

  double score(double angle_deg) {
    const auto c = static_cast<float>(std::cos(angle_deg * kDegToRad));
    const auto s = static_cast<float>(std::sin(angle_deg * kDegToRad));
    std::fill(rows_.begin(), rows_.end(), 0);
    std::fill(cols_.begin(), cols_.end(), 0);
    const std::size_t n = xs_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const float x = xs_[i];
      const float y = ys_[i];
      ++rows_[static_cast<std::size_t>(y * c + x * s + offset_)];
      ++cols_[static_cast<std::size_t>(x * c - y * s + offset_)];
    }
    double sum = 0;
    for (std::size_t b = 0; b < bins_; ++b) {
      sum += static_cast<double>(rows_[b]) * rows_[b] + static_cast<double>(cols_[b]) * cols_[b];
    }
    return sum;
  }

 private:
  std::vector<float> xs_;
  std::vector<float> ys_;
  std::vector<int> rows_;
  std::vector<int> cols_;
  float offset_ = 0;
  std::size_t bins_ = 0;
};

struct LineBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // x1, y1 exclusive
  [[nodiscard]] int width() const { return x1 - x0; }
};

// Text lines running horizontally: characters smeared together along the row, then the
// components shaped like a line of text.
std::vector<LineBox> horizontal_lines(const cv::Mat& binary, double char_px, double smear_chars) {
  const int k = std::max(2, static_cast<int>(std::lround(smear_chars * char_px)));
  cv::Mat smeared;
  cv::morphologyEx(binary, smeared, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, 1)));
  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8, CV_32S);
  std::vector<LineBox> lines;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (w < 2.5 * char_px || h < 0.5 * char_px || h > 1.6 * char_px) continue;
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT);
    const int y = stats.at<int>(i, cv::CC_STAT_TOP);
    lines.push_back({x, y, x + w, y + h});
  }
  return lines;
}

struct StartEvidence {
  double line_chars = 0;            // total length of the lines found, in characters
  std::vector<double> left_notch;   // indents on the left, in characters
  std::vector<double> right_notch;  // short-line gaps on the right, in characters
};

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Within a column of justified lines, a paragraph's first line is indented at its start (about two
// characters) and its last line stops short at its end (half a line on average). Which side holds
// the long notches tells where the lines end.
StartEvidence start_evidence(const cv::Mat& binary, double char_px, double smear_chars) {
  std::vector<LineBox> lines = horizontal_lines(binary, char_px, smear_chars);
  StartEvidence ev;
  for (const auto& l : lines) ev.line_chars += l.width() / char_px;
  std::sort(lines.begin(), lines.end(),
            [](const LineBox& a, const LineBox& b) { return a.y0 < b.y0; });
  const double max_gap = 1.2 * char_px;
  const double tolerance = 0.3 * char_px;
  auto overlap = [](const LineBox& a, const LineBox& b) {
    return std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  };
  const std::size_t n = lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    const LineBox& li = lines[i];
    const LineBox* above = nullptr;
    const LineBox* below = nullptr;
    double best_above = 1e9;
    double best_below = 1e9;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const LineBox& lj = lines[j];
      if (lj.y0 > li.y1 + max_gap) break;
      if (overlap(li, lj) < 0.5 * std::min(li.width(), lj.width())) continue;
      const double gap_up = li.y0 - lj.y1;
      const double gap_down = lj.y0 - li.y1;
      if (gap_up >= -tolerance && gap_up <= max_gap && gap_up < best_above) {
        best_above = gap_up;
        above = &lj;
      } else if (gap_down >= -tolerance && gap_down <= max_gap && gap_down < best_below) {
        best_below = gap_down;
        below = &lj;
      }
    }
    if (above == nullptr || below == nullptr) continue;
    const double right = std::min(above->x1, below->x1) - li.x1;
    const double left = li.x0 - std::max(above->x0, below->x0);
    if (right >= char_px) ev.right_notch.push_back(right / char_px);
    if (left >= char_px) ev.left_notch.push_back(left / char_px);
  }
  return ev;
}

}  // namespace

SkewEstimate estimate_skew(const cv::Mat& binary, double max_deg, int min_points) {
  SkewEstimate est;
  ProfileScorer scorer(binary, 300'000);
  est.points = scorer.points();
  if (est.points < min_points) return est;

  // The sharpness ratio is always taken over at least ±5°, so that it means the same whatever the
  // range allowed for the answer.
  constexpr double kCoarseStep = 0.25;
  constexpr double kFineStep = 0.02;
  const double range = std::max(max_deg, 5.0);
  double best = 0;
  double best_score = -1;
  double sum = 0;
  int count = 0;
  const int coarse_steps = static_cast<int>(std::ceil(range / kCoarseStep));
  for (int i = -coarse_steps; i <= coarse_steps; ++i) {
    const double a = std::clamp(i * kCoarseStep, -range, range);
    const double s = scorer.score(a);
    sum += s;
    ++count;
    if (std::abs(a) <= max_deg && s > best_score) {
      best_score = s;
      best = a;
    }
  }
  est.peak_ratio = best_score / (sum / count);
  if (max_deg <= 0) return est;

  const double centre = best;
  std::vector<double> fine;
  const int fine_steps = static_cast<int>(std::lround(kCoarseStep * 1.2 / kFineStep));
  int best_i = 0;
  best_score = -1;
  for (int i = -fine_steps; i <= fine_steps; ++i) {
    const double s = scorer.score(centre + i * kFineStep);
    fine.push_back(s);
    if (s > best_score) {
      best_score = s;
      best_i = i;
    }
  }
  double refined = centre + best_i * kFineStep;
  const auto idx = static_cast<std::size_t>(best_i + fine_steps);
  if (idx > 0 && idx + 1 < fine.size()) {
    // Parabola through the best fine step and its neighbours.
    const double l = fine[idx - 1];
    const double m = fine[idx];
    const double r = fine[idx + 1];
    const double denom = l - 2 * m + r;
    if (denom < 0) refined += 0.5 * (l - r) / denom * kFineStep;
  }
  est.deg = std::clamp(refined, -max_deg, max_deg);
  return est;
}

double estimate_skew_deg(const cv::Mat& binary, double max_deg, int min_points) {
  CV_Assert(binary.type() == CV_8UC1);
  return estimate_skew(binary, max_deg, min_points).deg;
}

double typical_char_px(const cv::Mat& binary, double dpi) {
  // A light closing joins the parts of a character (radicals, dots) without joining characters.
  cv::Mat joined;
  const int k = std::max(1, static_cast<int>(std::lround(0.5 / kMmPerInch * dpi)));
  if (k > 1) {
    cv::morphologyEx(binary, joined, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
  } else {
    joined = binary;
  }
  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  const double lo = 1.5 / kMmPerInch * dpi;
  const double hi = 12.0 / kMmPerInch * dpi;
  std::vector<double> sizes;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int side = std::max(w, h);
    if (side < lo || side > hi || std::min(w, h) < 0.3 * side) continue;
    sizes.push_back(side);
  }
  if (sizes.size() < 20) return 0;
  auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
  std::nth_element(sizes.begin(), mid, sizes.end());
  return *mid;
}

Orientation detect_orientation(const cv::Mat& binary, double dpi, TextAxis axis) {
  Orientation out;
  const double char_px = typical_char_px(binary, dpi);
  if (char_px < 4) {
    out.note = "rotation not checked: too few character-sized marks";
    return out;
  }
  cv::Mat transposed;
  cv::transpose(binary, transposed);  // top → left: vertical lines become horizontal, start kept
  // Characters are joined into lines by smearing along the line; the smear must bridge the gaps
  // between characters but not the gaps between lines. A short smear (0.45 em) tells the line
  // direction best where characters sit on a grid both ways (it does not join the lines across);
  // a long one (0.9 em) bridges punctuation and Latin spaces and gives whole lines, whose ends
  // are what the start side is read from. The direction comes from the more decisive of the two.
  StartEvidence horizontal = start_evidence(binary, char_px, 0.9);
  StartEvidence vertical = start_evidence(transposed, char_px, 0.9);
  double h_chars = horizontal.line_chars;
  double v_chars = vertical.line_chars;
  {
    const StartEvidence h = start_evidence(binary, char_px, 0.45);
    const StartEvidence v = start_evidence(transposed, char_px, 0.45);
    auto decisiveness = [](double a, double b) {
      return std::max(a, b) / std::max(1.0, std::min(a, b));
    };
    if (decisiveness(h.line_chars, v.line_chars) > decisiveness(h_chars, v_chars)) {
      h_chars = h.line_chars;
      v_chars = v.line_chars;
    }
  }

  // Thresholds are set so that the dense grids of 1919 vertical pages (where characters, their
  // emphasis dots and neighbouring columns line up both ways) give no verdict: there the line
  // direction scores differ by less than 2 and the notch sums by less than 2.
  constexpr double kAxisRatio = 2.0;
  constexpr double kMinLineChars = 60;
  const bool lines_horizontal = h_chars >= kAxisRatio * v_chars && h_chars >= kMinLineChars;
  const bool lines_vertical = v_chars >= kAxisRatio * h_chars && v_chars >= kMinLineChars;
  if (!lines_horizontal && !lines_vertical) {
    out.note = "rotation not checked: text-line direction unclear";
    return out;
  }
  const StartEvidence& ev = lines_horizontal ? horizontal : vertical;
  // Lines start at the low side (left, or top after the transpose) unless the long notches say
  // otherwise. The start side's notches are indents: about two characters each.
  const bool starts_low = sum(ev.right_notch) >= sum(ev.left_notch);
  const std::vector<double>& start = starts_low ? ev.left_notch : ev.right_notch;
  const std::vector<double>& end = starts_low ? ev.right_notch : ev.left_notch;
  constexpr double kStartRatio = 2.5;
  constexpr std::size_t kMinNotches = 10;
  const double indent = median(start);
  const bool confident = start.size() + end.size() >= kMinNotches &&
                         sum(end) >= kStartRatio * std::max(sum(start), 1.0) &&
                         (start.empty() || (indent >= 1.0 && indent <= 3.5));

  const TextAxis found = lines_horizontal ? TextAxis::Horizontal : TextAxis::Vertical;
  const TextAxis expected = axis == TextAxis::Auto ? found : axis;
  // A quarter turn is drastic: it needs lines that clearly run one way (the 1919 grids score
  // 1.3–2.3 here, typeset horizontal or vertical text far above 10).
  constexpr double kQuarterAxisRatio = 4.0;
  const double axis_ratio = std::max(h_chars, v_chars) / std::max(1.0, std::min(h_chars, v_chars));
  if (found != expected && axis_ratio < kQuarterAxisRatio) {
    out.note = "rotation not checked: text-line direction unclear";
    return out;
  }
  if (found == expected) {
    if (!starts_low && confident) {
      out.rotation_deg = 180;
      out.note = "page upside down: text lines start on the " +
                 std::string(found == TextAxis::Horizontal ? "right" : "bottom");
    }
    return out;
  }
  // Lines run across the expected direction: a quarter turn. Horizontal text starts on the left;
  // a clockwise quarter turn moves the left edge to the top, a counter-clockwise one to the bottom.
  // Vertical text starts at the top; counter-clockwise moves the top to the left.
  if (expected == TextAxis::Horizontal) {
    out.rotation_deg = starts_low ? 270 : 90;
  } else {
    out.rotation_deg = starts_low ? 90 : 270;
  }
  out.note = "page turned by a quarter: text lines run " +
             std::string(found == TextAxis::Horizontal ? "horizontally" : "vertically") +
             (confident ? "" : "; direction of the turn uncertain");
  return out;
}

std::optional<FoldCut> find_fold_cut(const cv::Mat& binary, double dpi, double skew_deg,
                                     double search_ratio) {
  const int w = binary.cols;
  const int h = binary.rows;
  if (w < 8 || h < 8) return std::nullopt;
  const cv::Point2f centre(static_cast<float>(w / 2.0), static_cast<float>(h / 2.0));
  const cv::Mat to_upright = cv::getRotationMatrix2D(centre, -skew_deg, 1.0);
  cv::Mat upright;
  cv::warpAffine(binary, upright, to_upright, binary.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  // Vertical structures taller than any run of characters (page frames, often broken or doubled,
  // rules, the dark band of a gutter shadow) are not text: the gutter is where the text stops,
  // whatever lines run through it.
  // Frames of old pages wobble by a pixel or two and are often doubled: widen before looking for
  // the tall runs, then take the halo away with them.
  const int wobble = std::max(3, static_cast<int>(std::lround(0.75 / kMmPerInch * dpi)) | 1);
  const cv::Mat widen = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(wobble, 1));
  cv::Mat verticals;
  cv::dilate(upright, verticals, widen);
  const int tall = std::max(3, static_cast<int>(std::lround(15.0 / kMmPerInch * dpi)));
  cv::morphologyEx(verticals, verticals, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, tall)));
  cv::dilate(verticals, verticals, widen);
  cv::Mat text = upright & ~verticals;

  const int y0 = static_cast<int>(0.03 * h);
  const int y1 = std::max(y0 + 1, static_cast<int>(0.97 * h));
  cv::Mat column_ink;
  cv::reduce(text.rowRange(y0, y1) / 255, column_ink, 0, cv::REDUCE_SUM, CV_32F);
  column_ink /= static_cast<float>(y1 - y0);
  const int smooth = std::max(1, static_cast<int>(std::lround(1.0 / kMmPerInch * dpi)));
  cv::blur(column_ink, column_ink, cv::Size(smooth | 1, 1), cv::Point(-1, -1),
           cv::BORDER_REPLICATE);

  const int lo = std::max(0, static_cast<int>((0.5 - search_ratio) * w));
  const int hi = std::min(w, static_cast<int>((0.5 + search_ratio) * w) + 1);
  if (hi - lo < 3) return std::nullopt;
  std::vector<float> window(column_ink.ptr<float>(0) + lo, column_ink.ptr<float>(0) + hi);
  std::vector<float> sorted = window;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                   sorted.end());
  const float median = sorted[sorted.size() / 2];
  // Between the text columns of a page the ink rarely drops below a quarter of the median, and
  // then only for a pixel or two; a gutter stays low for millimetres.
  const float low = std::max(0.01f, 0.25f * median);

  const double min_width = 1.5 / kMmPerInch * dpi;
  const int bridge = std::max(1, static_cast<int>(std::lround(0.5 / kMmPerInch * dpi)));
  double best_score = 0;
  std::optional<FoldCut> best;
  int start = -1;
  int last_low = -1;
  auto close_run = [&](int a, int b) {  // [a, b] inclusive, window indices
    const double width = b - a + 1;
    if (width < min_width) return;
    const double x = lo + (a + b) / 2.0;
    const double off_centre = std::abs(x - w / 2.0) / (search_ratio * w);
    const double score = width * (1.0 - 0.5 * off_centre);
    if (score <= best_score) return;
    best_score = score;
    const cv::Matx23d back = [&] {
      cv::Matx23d inv;
      cv::invertAffineTransform(cv::Matx23d(to_upright), inv);
      return inv;
    }();
    auto map = [&](double px, double py) {
      return cv::Point2d(back(0, 0) * px + back(0, 1) * py + back(0, 2),
                         back(1, 0) * px + back(1, 1) * py + back(1, 2));
    };
    best = FoldCut{map(x, 0), map(x, h - 1), width};
  };
  for (int i = 0; i < static_cast<int>(window.size()); ++i) {
    if (window[static_cast<std::size_t>(i)] <= low) {
      if (start < 0 || i - last_low > bridge) {
        if (start >= 0) close_run(start, last_low);
        start = i;
      }
      last_low = i;
    }
  }
  if (start >= 0) close_run(start, last_low);
  return best;
}

}  // namespace broadsheet::preprocess
