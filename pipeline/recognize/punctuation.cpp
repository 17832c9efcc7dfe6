#include "recognize/punctuation.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/text.hpp"

namespace broadsheet::recognize {

namespace {

// The thresholds below were read off the glyphs of the development pages (seeds 70-81, 39 pages,
// each output glyph aligned to its truth character): a full stop read as a full stop is at least
// 0.21 H wide and tall in nine cases of ten, with a hole; a comma read as a full stop is at most
// 0.15 H, solid, its centre below 0.6 H. A double quotation mark is two ticks spanning at least
// 0.28 H; a single one, one tick about 0.13 H wide. The ellipsis, dash and degree shapes are what
// those marks are in any font (dots at mid-height; a stroke that fills its cell; a ring high in
// the line), sized from the few such marks on the same pages.
constexpr double kStopReach = 0.3;    ///< window widening for 。, in line heights
constexpr double kDotMax = 0.18;      ///< a comma's ink fits in this square (line heights)
constexpr double kSolidHole = 0.05;   ///< less enclosed paper than this: no ring
constexpr double kLowCentre = 0.6;    ///< a comma's ink centre lies below this (from the top)
constexpr double kQuoteReach = 0.4;   ///< window widening for “
constexpr double kTickMax = 0.22;     ///< one tick is narrower than this (line heights)
constexpr int kMinContrast = 48;      ///< gray levels between paper and ink in the window
constexpr double kThinStroke = 0.2;   ///< a dash's stroke is thinner than this (line heights)
constexpr double kRingReach = 0.1;    ///< window widening for a degree sign
constexpr double kRingMax = 0.45;     ///< a degree sign's ring fits in this square
constexpr double kRingHole = 0.1;     ///< and encloses at least this share of paper
constexpr double kRingFill = 0.55;    ///< or leaves at least this much of its box paper
constexpr double kHighCentre = 0.45;  ///< its centre lies above this
constexpr double kDashGap = 0.25;     ///< two dashes' gap is below this share of a stroke's length
// A number's run is read again over its glyphs' box widened by this share of the line height on
// each side (LSTM boxes often start inside a number's first digit); the reading counts from this
// confidence on. On the development pages (seeds 70-81, 2617 runs), every reading that passed
// the rule from 0.5 on was right (58 of 58); below it, misreads of the neighbouring characters
// as % appear.
constexpr double kNumberReach = 0.2;
constexpr double kNumberConfidence = 0.5;
constexpr size_t kMaxPercentGlyphs = 3;  ///< a % read as 00, 9%6: at most three glyphs

/// Replaces the glyphs [from, to) of the line, and their characters in its text, by `glyphs`.
void replace_glyphs(Line& line, size_t from, size_t to, const std::vector<Glyph>& glyphs) {
  std::u32string text = text::to_u32(line.text);
  std::u32string out;
  size_t seen = 0;
  for (char32_t c : text) {
    if (text::is_space(c)) {
      out.push_back(c);
      continue;
    }
    if (seen == from)
      for (const Glyph& g : glyphs) out += text::to_u32(g.text);
    if (seen < from || seen >= to) out.push_back(c);
    ++seen;
  }
  if (seen == from)
    for (const Glyph& g : glyphs) out += text::to_u32(g.text);
  line.text = text::to_utf8(out);
  std::vector<Glyph> chars(line.chars.begin(),
                           line.chars.begin() + static_cast<std::ptrdiff_t>(from));
  chars.insert(chars.end(), glyphs.begin(), glyphs.end());
  chars.insert(chars.end(), line.chars.begin() + static_cast<std::ptrdiff_t>(to), line.chars.end());
  line.chars = std::move(chars);
}

/// Replaces the k-th glyph's character and the same character of the line's text.
void set_char(Line& line, size_t k, char32_t c) {
  Glyph g = line.chars[k];
  g.text = text::to_utf8(std::u32string(1, c));
  replace_glyphs(line, k, k + 1, {g});
}

/// Removes the k-th character of the line's text (white space aside), its glyph, and the white
/// space that removal leaves at either end.
void erase_char(Line& line, size_t k) {
  replace_glyphs(line, k, k + 1, {});
  const std::u32string text = text::to_u32(line.text);
  size_t b = 0, e = text.size();
  while (b < e && text::is_space(text[b])) ++b;
  while (e > b && text::is_space(text[e - 1])) --e;
  line.text = text::to_utf8(text.substr(b, e - b));
}

/// A | at either end of a line, beside a Chinese character, is a column rule or a box's border
/// the region's margin took in: Chinese text has no such character.
void drop_edge_bars(Line& line) {
  std::u32string s = text::strip_space(text::to_u32(line.text));
  if (s.size() >= 2 && s.back() == U'|' && text::is_cjk(s[s.size() - 2])) {
    erase_char(line, s.size() - 1);
    s.pop_back();
  }
  if (s.size() >= 2 && s.front() == U'|' && text::is_cjk(s[1])) erase_char(line, 0);
}

char32_t char_of(const Glyph& g) {
  const std::u32string u = text::to_u32(g.text);
  return u.size() == 1 ? u[0] : U'\0';
}

bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

bool is_latin_letter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool is_mark(char32_t c) {
  return c != U'\0' && !text::is_cjk(c) && !text::is_space(c) && !is_ascii_digit(c) &&
         !is_latin_letter(c) && c != U'…';
}

/// The ink between two glyphs of a line, read as a sequence of marks: dots at mid-height (an
/// ellipsis is three) and ticks in the upper half (a quotation mark is one or two). Empty when
/// any piece of ink is neither, or fewer than three dots are found.
struct Piece {
  bool dot = false;
  Box box;
};

std::vector<Piece> dots_and_ticks(const cv::Mat& gray, int x0, int x1, const Box& line) {
  const int h = line.h;
  const int pad = std::max(2, h / 8);
  x0 = std::max(0, x0);
  x1 = std::min(gray.cols, x1);
  const int y0 = std::max(0, line.y - pad);
  const int y1 = std::min(gray.rows, line.y + line.h + pad);
  if (h <= 0 || x1 - x0 < h || y1 - y0 < 3) return {};
  const cv::Mat window = gray(cv::Rect(x0, y0, x1 - x0, y1 - y0));
  double lo = 0, hi = 0;
  cv::minMaxLoc(window, &lo, &hi);
  if (hi - lo < kMinContrast) return {};
  cv::Mat ink, labels, stats, centroids;
  cv::threshold(window, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<Piece> pieces;
  int dots = 0;
  for (int i = 1; i < n; ++i) {
    const int left = stats.at<int>(i, cv::CC_STAT_LEFT);
    const int width = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int top = stats.at<int>(i, cv::CC_STAT_TOP);
    const int height = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (left == 0 || left + width >= ink.cols) continue;  // a neighbour's stroke
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 2) continue;
    const double cy = (top + height / 2.0 + y0 - line.y) / h;
    Piece p;
    p.box = Box{x0 + left, y0 + top, width, height};
    if (width <= kDotMax * h && height <= kDotMax * h && cy > 0.3 && cy < 0.7) {
      p.dot = true;
      ++dots;
    } else if (2 * height >= h || cy >= 0.45 || width > kTickMax * h) {
      return {};  // a character's stroke, a comma, a rule: not an ellipsis
    }
    pieces.push_back(p);
  }
  if (dots < 3) return {};
  std::sort(pieces.begin(), pieces.end(),
            [](const Piece& a, const Piece& b) { return a.box.x < b.box.x; });
  return pieces;
}

Box union_of(const Box& a, const Box& b) {
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return Box{x0, y0, x1 - x0, y1 - y0};
}

/// An ellipsis (……, six dots at mid-height) comes out of the model as a run of stray marks
/// (“‧‧“, 。.-, '‧'). Where the ink between two characters is only such dots, with perhaps a
/// quotation mark's ticks, the run becomes one … per three dots and the quotation mark.
void settle_ellipses(const cv::Mat& gray, Line& line) {
  for (size_t j = 1; j < line.chars.size(); ++j) {
    if (!text::is_cjk(char_of(line.chars[j - 1])) || !is_mark(char_of(line.chars[j]))) continue;
    size_t k = j;
    bool closing = false;
    while (k < line.chars.size() && is_mark(char_of(line.chars[k]))) {
      const char32_t c = char_of(line.chars[k]);
      closing = closing || c == U'”' || c == U'’';
      ++k;
    }
    const Box& before = line.chars[j - 1].bbox;
    const int x0 = before.x + before.w;
    const int x1 = k < line.chars.size() ? line.chars[k].bbox.x : line.bbox.x + line.bbox.w;
    const std::vector<Piece> pieces = dots_and_ticks(gray, x0, x1, line.bbox);
    if (pieces.empty()) continue;
    double confidence = 1.0;
    for (size_t q = j; q < k; ++q) confidence = std::min(confidence, line.chars[q].confidence);
    std::vector<Glyph> marks;
    for (size_t p = 0; p < pieces.size();) {
      size_t e = p;
      Box box = pieces[p].box;
      while (e < pieces.size() && pieces[e].dot == pieces[p].dot)
        box = union_of(box, pieces[e++].box);
      const size_t count = e - p;
      if (pieces[p].dot) {
        const size_t n = std::max<size_t>(1, (count + 1) / 3);
        for (size_t i = 0; i < n; ++i) {
          Glyph g{box, "…", confidence};
          g.bbox.x = box.x + box.w * static_cast<int>(i) / static_cast<int>(n);
          g.bbox.w = std::max(1, box.w / static_cast<int>(n));
          marks.push_back(g);
        }
      } else {
        for (size_t i = 0; i < count; i += 2) {
          const bool pair = i + 1 < count;
          const char* quote = closing ? (pair ? "”" : "’") : (pair ? "“" : "‘");
          marks.push_back(Glyph{box, quote, confidence});
        }
      }
      p = e;
    }
    replace_glyphs(line, j, k, marks);
    j += marks.size();
  }
}

bool is_dash_like(char32_t c) {
  return c == U'一' || c == U'-' || c == U'—' || c == U'–' || c == U'‐' || c == U'_';
}

/// A dash of two cells (——) is one thin stroke at mid-height twice a character wide, or two that
/// nearly touch; the model reads it as 一一, -一 or 一. Two printed 一 are strokes with both
/// side bearings between them. A run of such glyphs over a chain of two or more nearly touching
/// strokes, or over one stroke at least 1.5 characters long, becomes one — per cell.
void settle_dashes(const cv::Mat& gray, Line& line) {
  const int h = line.bbox.h;
  if (h <= 0) return;
  for (size_t j = 0; j < line.chars.size(); ++j) {
    if (!is_dash_like(char_of(line.chars[j]))) continue;
    size_t k = j;
    while (k < line.chars.size() && is_dash_like(char_of(line.chars[k]))) ++k;
    const Box& first = line.chars[j].bbox;
    const Box& last = line.chars[k - 1].bbox;
    const int pad = std::max(2, h / 8);
    const int x0 = std::max(0, first.x - h / 2);
    const int x1 = std::min(gray.cols, last.x + last.w + h / 2);
    const int y0 = std::max(0, line.bbox.y - pad);
    const int y1 = std::min(gray.rows, line.bbox.y + h + pad);
    if (x1 - x0 < h || y1 - y0 < 3) continue;
    const cv::Mat window = gray(cv::Rect(x0, y0, x1 - x0, y1 - y0));
    double lo = 0, hi = 0;
    cv::minMaxLoc(window, &lo, &hi);
    if (hi - lo < kMinContrast) continue;
    cv::Mat ink, labels, stats, centroids;
    cv::threshold(window, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
    // Thin strokes at mid-height with nothing above or below them (a dash alone in its cell,
    // not the bar of 大 or 子), left to right.
    std::vector<Box> strokes;
    for (int i = 1; i < n; ++i) {
      const int left = stats.at<int>(i, cv::CC_STAT_LEFT);
      const int width = stats.at<int>(i, cv::CC_STAT_WIDTH);
      const int height = stats.at<int>(i, cv::CC_STAT_HEIGHT);
      const int top = stats.at<int>(i, cv::CC_STAT_TOP);
      const double cy = (top + height / 2.0 + y0 - line.bbox.y) / h;
      if (5 * width < 2 * h || height > kThinStroke * h || cy <= 0.3 || cy >= 0.7) continue;
      bool alone = true;
      for (int o = 1; o < n && alone; ++o) {
        if (o == i || stats.at<int>(o, cv::CC_STAT_AREA) < 3) continue;
        const int ol = stats.at<int>(o, cv::CC_STAT_LEFT);
        const int overlap =
            std::min(left + width, ol + stats.at<int>(o, cv::CC_STAT_WIDTH)) - std::max(left, ol);
        alone = 5 * overlap <= width;
      }
      if (alone) strokes.push_back(Box{x0 + left, y0 + top, width, height});
    }
    std::sort(strokes.begin(), strokes.end(), [](const Box& a, const Box& b) { return a.x < b.x; });
    // The longest chain of strokes that touch or nearly touch: a dash fills its cell, so two
    // dashes leave a gap of a side bearing at most; two 一 leave their side bearings and more.
    Box stroke;
    int cells = 0;
    for (size_t a = 0; a < strokes.size(); ++a) {
      Box chain = strokes[a];
      size_t b = a + 1;
      while (b < strokes.size()) {
        const int gap = strokes[b].x - (chain.x + chain.w);
        const int narrow = std::min(strokes[b].w, strokes[b - 1].w);
        if (gap > kDashGap * narrow || std::abs(strokes[b].y - strokes[b - 1].y) > pad) break;
        chain = union_of(chain, strokes[b++]);
      }
      const int count = static_cast<int>(b - a);
      const int long_cells = 2 * chain.w >= 3 * h
                                 ? static_cast<int>(std::lround(chain.w / static_cast<double>(h)))
                                 : 0;
      const int c = count >= 2 ? count : long_cells;
      if (c >= 2 && chain.w > stroke.w) {
        stroke = chain;
        cells = c;
      }
    }
    if (cells < 2) continue;
    double confidence = 1.0;
    for (size_t q = j; q < k; ++q) confidence = std::min(confidence, line.chars[q].confidence);
    std::vector<Glyph> dashes;
    for (int c = 0; c < cells; ++c) {
      Glyph g{stroke, "—", confidence};
      g.bbox.x = stroke.x + stroke.w * c / cells;
      g.bbox.w = std::max(1, stroke.w / cells);
      dashes.push_back(g);
    }
    replace_glyphs(line, j, k, dashes);
    j += dashes.size() - 1;
  }
}

}  // namespace

std::optional<MarkShape> measure_mark(const cv::Mat& gray, const Box& glyph, const Box& line,
                                      double reach, bool ticks_only) {
  const int h = line.h;
  if (gray.empty() || gray.type() != CV_8UC1 || h <= 0) return std::nullopt;
  const int pad = std::max(2, h / 8);
  const int widen = static_cast<int>(reach * h);
  const int x0 = std::max(0, glyph.x - widen);
  const int x1 = std::min(gray.cols, glyph.x + glyph.w + widen);
  const int y0 = std::max(0, line.y - pad);
  const int y1 = std::min(gray.rows, line.y + line.h + pad);
  if (x1 - x0 < 3 || y1 - y0 < 3) return std::nullopt;
  const cv::Mat window = gray(cv::Rect(x0, y0, x1 - x0, y1 - y0));
  double lo = 0, hi = 0;
  cv::minMaxLoc(window, &lo, &hi);
  if (hi - lo < kMinContrast) return std::nullopt;
  cv::Mat ink;
  cv::threshold(window, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  // Pieces that lie wholly inside the window's columns: a neighbouring character runs past them.
  std::vector<bool> keep(static_cast<size_t>(n), false);
  MarkShape shape;
  for (int i = 1; i < n; ++i) {
    const int left = stats.at<int>(i, cv::CC_STAT_LEFT);
    const int width = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int top = stats.at<int>(i, cv::CC_STAT_TOP) + y0 - line.y;
    const int height = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    // A tick: shorter than half the line, taller than an eighth (not a crumb of a broken
    // stroke), its centre in the upper half.
    const bool tick = 2 * height < h && 8 * height > h && 2 * top + height < h;
    if (left > 0 && left + width < ink.cols && stats.at<int>(i, cv::CC_STAT_AREA) >= 2 &&
        (!ticks_only || tick)) {
      keep[static_cast<size_t>(i)] = true;
      ++shape.components;
    }
  }
  if (shape.components == 0) return std::nullopt;
  cv::Mat mark = cv::Mat::zeros(ink.size(), CV_8UC1);
  double row_sum = 0;
  int count = 0;
  int mx0 = ink.cols, my0 = ink.rows, mx1 = -1, my1 = -1;
  for (int y = 0; y < ink.rows; ++y) {
    const int* lab = labels.ptr<int>(y);
    unsigned char* m = mark.ptr<unsigned char>(y);
    for (int x = 0; x < ink.cols; ++x) {
      if (!keep[static_cast<size_t>(lab[x])]) continue;
      m[x] = 255;
      row_sum += y;
      ++count;
      mx0 = std::min(mx0, x);
      mx1 = std::max(mx1, x);
      my0 = std::min(my0, y);
      my1 = std::max(my1, y);
    }
  }
  // Enclosed paper: the paper of the mark's box that a flood from outside it does not reach.
  cv::Mat paper;
  cv::copyMakeBorder(mark(cv::Rect(mx0, my0, mx1 - mx0 + 1, my1 - my0 + 1)), paper, 1, 1, 1, 1,
                     cv::BORDER_CONSTANT, 0);
  cv::bitwise_not(paper, paper);
  cv::floodFill(paper, cv::Point(0, 0), 0);
  const int holes = cv::countNonZero(paper);
  shape.width = (mx1 - mx0 + 1) / static_cast<double>(h);
  shape.height = (my1 - my0 + 1) / static_cast<double>(h);
  shape.centre_y = (row_sum / count + y0 - line.y) / static_cast<double>(h);
  shape.hole = holes / static_cast<double>(holes + count);
  shape.fill = count / static_cast<double>((mx1 - mx0 + 1) * (my1 - my0 + 1));
  return shape;
}

namespace {

/// ℃ comes out as a C after a stray character ("C, ?C, 5C, ”C): the degree sign's small ring
/// high in the line. Where the glyph before a C (not inside a Latin word) is such a ring, the
/// two become ℃.
void settle_degrees(const cv::Mat& gray, Line& line) {
  for (size_t k = 1; k < line.chars.size(); ++k) {
    if (char_of(line.chars[k]) != U'C') continue;
    const char32_t before = char_of(line.chars[k - 1]);
    const char32_t after = k + 1 < line.chars.size() ? char_of(line.chars[k + 1]) : U'\0';
    if (is_latin_letter(before) || is_latin_letter(after)) continue;
    if (k < 2 || !(char_of(line.chars[k - 2]) >= U'0' && char_of(line.chars[k - 2]) <= U'9'))
      continue;  // a temperature: a number before it
    const auto s = measure_mark(gray, line.chars[k - 1].bbox, line.bbox, kRingReach);
    // A ring, closed or broken by a faint print: a hole, or little ink in a squarish box.
    const bool ring =
        s && (s->hole >= kRingHole ||
              (s->fill <= kRingFill && s->width <= 1.6 * s->height && s->height <= 1.6 * s->width));
    if (!ring || std::max(s->width, s->height) > kRingMax || s->centre_y > kHighCentre) continue;
    Glyph degree{union_of(line.chars[k - 1].bbox, line.chars[k].bbox), "℃",
                 std::min(line.chars[k - 1].confidence, line.chars[k].confidence)};
    replace_glyphs(line, k - 1, k + 1, {degree});
  }
}

/// Chinese text has no ASCII apostrophe. Between two Chinese characters one is a comma the model
/// placed too high (punctuation set in the middle of its cell, as Taiwanese type sets it); beside
/// a comma it is that comma read twice.
void settle_apostrophes(Line& line) {
  for (size_t k = 0; k < line.chars.size(); ++k) {
    if (char_of(line.chars[k]) != U'\'') continue;
    const char32_t before = k > 0 ? char_of(line.chars[k - 1]) : U'\0';
    const char32_t after = k + 1 < line.chars.size() ? char_of(line.chars[k + 1]) : U'\0';
    if (before == U'，' || after == U'，') {
      erase_char(line, k--);
    } else if (text::is_cjk(before) && text::is_cjk(after)) {
      set_char(line, k, U'，');
    }
  }
}

bool in_number(char32_t c) {
  return is_ascii_digit(c) || c == U'.' || c == U'%';
}

/// Whether `reading` is digits (with perhaps a decimal point) and a final %.
bool is_percentage(const std::u32string& reading) {
  if (reading.size() < 2 || reading.back() != U'%' || !is_ascii_digit(reading.front()))
    return false;
  return std::all_of(reading.begin(), reading.end() - 1,
                     [](char32_t c) { return is_ascii_digit(c) || c == U'.'; });
}

void settle_percent_line(Line& line, const NumberReader& read) {
  for (size_t i = 0; i < line.chars.size();) {
    if (!is_ascii_digit(char_of(line.chars[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    std::u32string run;
    Box box = line.chars[i].bbox;
    while (j < line.chars.size() && in_number(char_of(line.chars[j]))) {
      run.push_back(char_of(line.chars[j]));
      box = union_of(box, line.chars[j++].bbox);
    }
    if (run.size() < 2) {
      i = j;
      continue;
    }
    const int reach = static_cast<int>(std::lround(kNumberReach * line.bbox.h));
    const int pad = std::max(1, line.bbox.h / 16);
    const Box window{box.x - reach, line.bbox.y - pad, box.w + 2 * reach, line.bbox.h + 2 * pad};
    const auto reading = read(window);
    const std::u32string got =
        reading ? text::strip_space(text::to_u32(reading->text)) : std::u32string();
    const size_t digits = got.size() - 1;  // what comes before the %
    if (!reading || reading->confidence < kNumberConfidence || !is_percentage(got) ||
        run.size() <= digits || run.size() - digits > kMaxPercentGlyphs ||
        run.compare(0, digits, got, 0, digits) != 0 || run == got) {
      i = j;
      continue;
    }
    std::vector<Glyph> glyphs(line.chars.begin() + static_cast<std::ptrdiff_t>(i),
                              line.chars.begin() + static_cast<std::ptrdiff_t>(i + digits));
    Glyph percent{line.chars[i + digits].bbox, "%", reading->confidence};
    for (size_t k = i + digits; k < j; ++k)
      percent.bbox = union_of(percent.bbox, line.chars[k].bbox);
    glyphs.push_back(percent);
    replace_glyphs(line, i, j, glyphs);
    i += glyphs.size();
  }
}

}  // namespace

void settle_percent(std::vector<Line>& lines, const NumberReader& read) {
  for (Line& line : lines) settle_percent_line(line, read);
}

void settle_punctuation(const cv::Mat& gray, std::vector<Line>& lines) {
  bool single_open = false;  // a ‘ was found and its closing mark not yet
  for (Line& line : lines) {
    drop_edge_bars(line);
    settle_ellipses(gray, line);
    settle_dashes(gray, line);
    settle_degrees(gray, line);
    settle_apostrophes(line);
    for (size_t k = 0; k < line.chars.size(); ++k) {
      const char32_t c = char_of(line.chars[k]);
      if (c == U'。') {
        const auto s = measure_mark(gray, line.chars[k].bbox, line.bbox, kStopReach);
        if (s && std::max(s->width, s->height) < kDotMax && s->hole < kSolidHole &&
            s->centre_y > kLowCentre)
          set_char(line, k, U'，');
      } else if (c == U'“') {
        const auto s = measure_mark(gray, line.chars[k].bbox, line.bbox, kQuoteReach, true);
        single_open = s && s->components == 1 && s->width < kTickMax;
        if (single_open) set_char(line, k, U'‘');
      } else if (c == U'”' && single_open) {
        set_char(line, k, U'’');
        single_open = false;
      }
    }
  }
}

}  // namespace broadsheet::recognize
