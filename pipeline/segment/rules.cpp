// Rules and frames. A rule is a straight ink run many characters long and thinner than a stroke of
// a large character; an opening with a line of that length keeps nothing else, since no glyph
// stroke is longer than its character (3.6 body characters for the largest headline face; the
// masthead's strokes are thicker than a rule). Rules are cleared from the ink so that a rule under
// a headline or around a box never joins text lines.

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {
namespace {

// No chain of glyph strokes runs this many body characters: a run that long is a rule even with
// ink close along both sides (ornament) or a stroke heavier than a rule is allowed.
constexpr double kColumnLongChars = 25.0;

double ink_share(const cv::Mat& ink, cv::Rect r) {
  r &= cv::Rect(0, 0, ink.cols, ink.rows);
  return r.area() > 0 ? cv::countNonZero(ink(r)) / static_cast<double>(r.area()) : 0.0;
}

/// Ink share of the bands [from, to) characters away on either side of a rule's box, each at
/// least `min_width` pixels wide.
std::pair<double, double> side_ink(const cv::Mat& ink, const cv::Rect& r, bool horizontal,
                                   double char_px, double from, double to, int min_width = 1) {
  const int near = std::max(1, static_cast<int>(std::lround(from * char_px)));
  const int far = std::max(near + min_width, static_cast<int>(std::lround(to * char_px)));
  cv::Rect before, after;
  if (horizontal) {
    before = cv::Rect(r.x, r.y - far, r.width, far - near);
    after = cv::Rect(r.x, r.y + r.height + near, r.width, far - near);
  } else {
    before = cv::Rect(r.x - far, r.y, far - near, r.height);
    after = cv::Rect(r.x + r.width + near, r.y, far - near, r.height);
  }
  return {ink_share(ink, before), ink_share(ink, after)};
}

/// Strokes hang off a chain of glyph strokes right beside it; a rule stands clear.
bool touching(const cv::Mat& ink, const cv::Rect& r, bool horizontal, double char_px) {
  const auto [a, b] = side_ink(ink, r, horizontal, char_px, 0.0, 0.25);
  return a > 0.12 || b > 0.12;
}

bool crowded(const cv::Mat& ink, const cv::Rect& r, bool horizontal, double char_px) {
  if (touching(ink, r, horizontal, char_px)) return true;
  const auto [near_a, near_b] = side_ink(ink, r, horizontal, char_px, 0.1, 0.6);
  return near_a > 0.15 && near_b > 0.15;
}

// Both sides of a rule clear of ink between 0.15 and 0.45 characters away: a rule in a gutter or
// between modules; strokes chained along a text line have text right beside them.
bool clear_sides(const cv::Mat& ink, const cv::Rect& r, bool horizontal, double char_px) {
  const auto [a, b] = side_ink(ink, r, horizontal, char_px, 0.15, 0.45, 2);
  return a < 0.06 && b < 0.06;
}

// dashed: a dotted or dashed rule, its dashes up to 0.8 characters apart. Only thin runs with
// clear sides count then, since a closing that long chains glyph strokes too.
void find_one_way(const cv::Mat& ink, bool horizontal, bool dashed, double char_px,
                  const Options& options, std::vector<Rule>& rules, cv::Mat& rule_mask,
                  bool horizontal_page) {
  const int length =
      std::max(8, static_cast<int>(std::lround(options.min_rule_length_chars * 0.5 * char_px)));
  const cv::Size k = horizontal ? cv::Size(length, 1) : cv::Size(1, length);
  // A thin rule printed or scanned poorly breaks into dashes; close gaps shorter than the leading
  // of body text first (a wider closing would join the strokes of successive text lines).
  const int mend = std::max(1, static_cast<int>(std::lround((dashed ? 0.8 : 0.3) * char_px)));
  cv::Mat mended;
  cv::morphologyEx(ink, mended, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT,
                                             horizontal ? cv::Size(mend, 1) : cv::Size(1, mend)));
  cv::Mat runs;
  cv::morphologyEx(mended, runs, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, k));
  // Bridge small breaks along the rule (a worn or badly binarised line), never across.
  const int bridge = std::max(2, static_cast<int>(std::lround(0.5 * char_px)));
  cv::Mat bridged;
  cv::morphologyEx(runs, bridged, cv::MORPH_CLOSE,
                   cv::getStructuringElement(
                       cv::MORPH_RECT, horizontal ? cv::Size(bridge, 1) : cv::Size(1, bridge)));
  // The ink that is not part of a long run: glyph strokes, not a parallel rule of a double rule
  // or a frame.
  cv::Mat residue;
  cv::subtract(ink, runs, residue);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(bridged, labels, stats, centroids, 8, CV_32S);
  const double min_length = options.min_rule_length_chars * char_px;
  const double max_thickness = std::max(2.0, options.max_rule_thickness_chars * char_px);
  for (int i = 1; i < n; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    const double len = horizontal ? r.width : r.height;
    const double across = horizontal ? r.height : r.width;
    if (len < min_length) continue;
    const double thickness = stats.at<int>(i, cv::CC_STAT_AREA) / len;
    // A long run that is thick on average is a bar or a dark photo edge, not a rule; a slanted
    // rule is thin but spans a few rows. A run many characters long may be heavier: the thick
    // rule under an old page's header.
    const double heaviest =
        len >= kColumnLongChars * char_px ? std::max(max_thickness, 0.8 * char_px) : max_thickness;
    if (thickness > heaviest || across > 4 * heaviest) continue;
    // A rule is as thick across its box as it is on average, but for a slant of a degree or so
    // (a page deskewed to 0.1°, a rule printed slightly bent). Strokes of a row of glyphs chained
    // into a run (the middle strokes of a line of type over a faint bleed-through rule) wander up
    // and down: a box twice as deep as the run is thick.
    if (across > thickness + 2 + 0.015 * len) continue;
    // Glyph strokes of a large face can line up into a long thin run along a line (the middle
    // strokes of 「季重」); unlike a rule they have ink close by on both sides. Across the lines
    // no run forms (the leading breaks it), and a column rule has text close by on both sides.
    // No chain of glyph strokes runs on for a long stretch of a column, though: a run that long
    // is a rule with ornament close along it (the scallops of a wavy border).
    if (!dashed && horizontal && len < kColumnLongChars * char_px &&
        crowded(residue, r, horizontal, char_px))
      continue;
    // Down a headline of two or more lines the leading is narrow enough to mend, and strokes of
    // characters standing one above the other chain into a short vertical run (亻 of 個 over the
    // left of 難). Such a run has the rest of its glyphs right beside it; a column rule, even a
    // short one between two headlines, stands clear of the type on both sides.
    if (!dashed && !horizontal && horizontal_page && len < 2 * min_length &&
        touching(residue, r, false, char_px))
      continue;
    cv::Mat component = labels(r) == i;
    if (dashed) {
      if (across > std::max(3.0, 0.3 * char_px) || !clear_sides(ink, r, horizontal, char_px))
        continue;
      if (cv::countNonZero(component & rule_mask(r)) > 0) continue;  // found solid already
    }
    rules.push_back(Rule{r, horizontal});
    cv::Mat target = rule_mask(r);
    target.setTo(255, component & runs(r));
  }
}

// What the opening leaves of a worn or waving rule — the crests of a wave, a blot on the line —
// lies beside the straight run as short pieces. Left in, such a piece bridges the type on both
// sides of the rule into one line (a paper's title and the columns under it). An ink piece lying
// wholly within a third of a character of the rule's ink and drawn out like a stroke (one and a
// half times as long as it is wide) is the rule's; a glyph beside a rule reaches further, and a
// punctuation mark is round.
void clear_remnants(const cv::Mat& ink, double char_px, cv::Mat& rule_mask) {
  cv::Mat rest = ink.clone();
  rest.setTo(0, rule_mask);
  const int widen = std::max(2, static_cast<int>(std::lround(0.33 * char_px)));
  cv::Mat band;
  cv::dilate(rule_mask, band,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * widen + 1, 2 * widen + 1)));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(rest, labels, stats, centroids, 8, CV_32S);
  for (int i = 1; i < n; ++i) {
    const cv::Rect c(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (std::max(c.width, c.height) < 1.5 * std::min(c.width, c.height)) continue;
    const cv::Mat own = labels(c) == i;
    if (cv::countNonZero(own & ~band(c)) > 0) continue;
    rule_mask(c).setTo(255, own);
  }
}

}  // namespace

std::vector<Rule> find_rules(cv::Mat& ink, double char_px, const Options& options,
                             const std::vector<cv::Rect>& photos, bool horizontal_page) {
  std::vector<Rule> rules;
  if (char_px <= 0) return rules;
  cv::Mat search = ink.clone();
  for (const cv::Rect& p : photos) search(p & cv::Rect(0, 0, ink.cols, ink.rows)).setTo(0);
  cv::Mat rule_mask = cv::Mat::zeros(ink.size(), CV_8UC1);
  find_one_way(search, true, false, char_px, options, rules, rule_mask, horizontal_page);
  find_one_way(search, false, false, char_px, options, rules, rule_mask, horizontal_page);
  // Dashed rules only across the lines: along a text line a long closing chains the top strokes
  // of a row of characters into a "rule" with white on both sides.
  find_one_way(search, false, true, char_px, options, rules, rule_mask, horizontal_page);
  if (!rules.empty()) {
    // A rule's edge: the opening keeps the straight core of a rule that drifts by a pixel or two
    // along its length (a slightly slanted or worn one); the slivers beside it go with it, even
    // where a glyph touches them.
    const int edge = 2 * std::max(1, static_cast<int>(std::lround(0.12 * char_px))) + 1;
    cv::dilate(rule_mask, rule_mask,
               cv::getStructuringElement(cv::MORPH_RECT, cv::Size(edge, edge)));
    clear_remnants(search, char_px, rule_mask);
    ink.setTo(0, rule_mask);
  }
  return rules;
}

std::vector<cv::Rect> find_frames(const std::vector<Rule>& rules, double char_px,
                                  const std::vector<cv::Rect>& boxes) {
  std::vector<cv::Rect> frames = boxes;
  const double tol = 1.0 * char_px;
  std::vector<const Rule*> hs, vs;
  for (const Rule& r : rules) (r.horizontal ? hs : vs).push_back(&r);
  std::sort(hs.begin(), hs.end(), [](const Rule* a, const Rule* b) { return a->box.y < b->box.y; });
  // A side may stop short of the corners (an old page's rules seldom meet): by a character, or
  // on a tall box by up to a quarter of its height and two and a half characters.
  auto reach = [&](int from, int to) { return std::clamp(0.25 * (to - from), tol, 2.5 * char_px); };
  auto covers = [&](const Rule& v, int y0, int y1) {
    const double r = reach(y0, y1);
    return v.box.y <= y0 + r && v.box.y + v.box.height >= y1 - r;
  };
  for (std::size_t i = 0; i < hs.size(); ++i) {
    for (std::size_t j = 0; j < hs.size(); ++j) {
      const cv::Rect& top = hs[i]->box;
      const cv::Rect& bottom = hs[j]->box;
      if (bottom.y <= top.y + 2 * char_px) continue;
      // Common horizontal extent of the two rules.
      const int x0 = std::max(top.x, bottom.x);
      const int x1 = std::min(top.x + top.width, bottom.x + bottom.width);
      if (x1 - x0 < 2 * char_px) continue;
      const int y0 = top.y;
      const int y1 = bottom.y + bottom.height;
      // A vertical rule near each end of the common extent, spanning top to bottom. The top and
      // bottom rules may stop short of the sides as the sides may of them.
      const double end = reach(x0, x1);
      const Rule* left = nullptr;
      const Rule* right = nullptr;
      std::vector<const Rule*> inner;  // spanning top to bottom inside the extent
      for (const Rule* v : vs) {
        if (!covers(*v, y0, y1)) continue;
        const int vx = v->box.x + v->box.width / 2;
        if (std::abs(vx - x0) <= end && (!left || std::abs(vx - x0) < std::abs(left->box.x - x0)))
          left = v;
        if (std::abs(vx - x1) <= end && (!right || std::abs(vx - x1) < std::abs(right->box.x - x1)))
          right = v;
        if (vx > x0 + end && vx < x1 - end) inner.push_back(v);
      }
      std::sort(inner.begin(), inner.end(),
                [](const Rule* a, const Rule* b) { return a->box.x < b->box.x; });
      // A row of boxes sharing their top and bottom rules (a tier of adverts): each cell between
      // two of the vertical rules is a frame of its own. A cell needs its own two sides only: a
      // box at the end of a tier that runs on past the page's unruled edge is still a box.
      std::vector<std::pair<int, int>> sides;  // x of each side's left and right edge
      if (left) sides.emplace_back(std::min(left->box.x, x0), left->box.x + left->box.width);
      for (const Rule* v : inner) sides.emplace_back(v->box.x, v->box.x + v->box.width);
      if (right && right != left)
        sides.emplace_back(right->box.x, std::max(right->box.x + right->box.width, x1));
      const bool closed = left && right && left != right;
      // A closed frame of two sides is one cell, the whole frame, added below.
      if (!closed || sides.size() > 2) {
        for (std::size_t k = 1; k < sides.size(); ++k) {
          if (sides[k].first - sides[k - 1].first < 2 * char_px) continue;
          frames.emplace_back(sides[k - 1].first, y0, sides[k].second - sides[k - 1].first,
                              y1 - y0);
        }
      }
      if (!closed) continue;
      const int fx0 = sides.front().first;
      const int fx1 = sides.back().second;
      frames.emplace_back(fx0, y0, fx1 - fx0, y1 - y0);
      break;  // the nearest bottom rule closing this top one is found in order below
    }
  }
  // Keep each frame once; innermost (smallest) first.
  std::sort(frames.begin(), frames.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.area() < b.area(); });
  std::vector<cv::Rect> unique;
  for (const cv::Rect& f : frames) {
    bool dup = false;
    for (const cv::Rect& u : unique) {
      const double inter = (f & u).area();
      if (inter >= 0.9 * f.area() && inter >= 0.9 * u.area()) dup = true;
    }
    if (!dup) unique.push_back(f);
  }
  return unique;
}

std::vector<cv::Rect> find_boxes(const cv::Mat& ink, double char_px) {
  std::vector<cv::Rect> boxes;
  if (char_px <= 0 || ink.empty()) return boxes;
  // A worn border breaks here and there; close breaks of a few pixels (more would weld the
  // strokes of the text inside to the border).
  cv::Mat mended;
  const int mend = std::max(1, static_cast<int>(std::lround(0.15 * char_px)));
  cv::morphologyEx(ink, mended, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(mend, mend)));
  // The inside of a closed border is a hole of the border's ink, whatever else the border is
  // joined to (the page's frame, the rules of a row of boxes): a hole that fills its bounding
  // rectangle is a box. The text inside stands in the hole as islands and does not change it.
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> hierarchy;
  cv::findContours(mended, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
  const int band = std::max(1, static_cast<int>(std::lround(0.2 * char_px)));
  for (std::size_t i = 0; i < contours.size(); ++i) {
    if (hierarchy[i][3] < 0) continue;  // an outer boundary, not a hole
    const cv::Rect r = cv::boundingRect(contours[i]);
    if (r.width < 3 * char_px || r.height < 3 * char_px) continue;
    if (r.width > 0.9 * ink.cols && r.height > 0.9 * ink.rows) continue;  // the page itself
    // Type or a bar that touches the border bites into the hole; its hull still fills the
    // rectangle.
    std::vector<cv::Point> hull;
    cv::convexHull(contours[i], hull);
    if (cv::contourArea(hull) < 0.9 * r.area() || cv::contourArea(contours[i]) < 0.6 * r.area())
      continue;
    boxes.emplace_back(r.x - band, r.y - band, r.width + 2 * band, r.height + 2 * band);
  }
  return boxes;
}

}  // namespace broadsheet::segment::detail
