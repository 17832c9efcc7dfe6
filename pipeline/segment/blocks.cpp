// Text lines and blocks.
//
// Lines: the ink is smeared along the line by line_gap_chars (less than any gutter, more than the
// space between two characters), and the pieces of one row are then joined over wider gaps
// (an ideographic space, the spaces in a byline) unless the gap is a gutter — a white strip that
// runs down past several lines — or holds a vertical rule.
//
// Blocks: a line continues the block of the line above it when both have one type size, the gap
// is within the leading, and they are aligned the way a block of text is set: on the left (body
// text with its two-character paragraph indent, captions), or centred (headlines set on two
// balanced lines). A right-aligned short line under a column — a jump line or a byline — and a
// centred jump line under a headline therefore stay blocks of their own.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {
namespace {

constexpr double kReversedFill = 0.7;  // TextLine::fill of white type on a black bar

struct Dsu {
  std::vector<int> parent;
  explicit Dsu(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int a) {
    while (parent[static_cast<std::size_t>(a)] != a) {
      parent[static_cast<std::size_t>(a)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(a)])];
      a = parent[static_cast<std::size_t>(a)];
    }
    return a;
  }
  void unite(int a, int b) { parent[static_cast<std::size_t>(find(a))] = find(b); }
};

int overlap(int a0, int a1, int b0, int b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}

// For every pixel of `filled`, the number of white pixels straight above it (up) and below it
// (down), itself included; 0 on ink.
void white_runs(const cv::Mat& filled, cv::Mat& up, cv::Mat& down) {
  up.create(filled.size(), CV_16UC1);
  down.create(filled.size(), CV_16UC1);
  for (int y = 0; y < filled.rows; ++y) {
    const uchar* f = filled.ptr<uchar>(y);
    std::uint16_t* u = up.ptr<std::uint16_t>(y);
    const std::uint16_t* prev = y > 0 ? up.ptr<std::uint16_t>(y - 1) : nullptr;
    for (int x = 0; x < filled.cols; ++x) {
      u[x] = f[x] ? 0 : static_cast<std::uint16_t>(std::min(65535, (prev ? prev[x] : 0) + 1));
    }
  }
  for (int y = filled.rows - 1; y >= 0; --y) {
    const uchar* f = filled.ptr<uchar>(y);
    std::uint16_t* d = down.ptr<std::uint16_t>(y);
    const std::uint16_t* next = y + 1 < filled.rows ? down.ptr<std::uint16_t>(y + 1) : nullptr;
    for (int x = 0; x < filled.cols; ++x) {
      d[x] = f[x] ? 0 : static_cast<std::uint16_t>(std::min(65535, (next ? next[x] : 0) + 1));
    }
  }
}

// Widest run of empty columns inside `box` (between its first and last inked column).
double widest_gap(const cv::Mat& ink, const cv::Rect& box) {
  const cv::Rect r = box & cv::Rect(0, 0, ink.cols, ink.rows);
  if (r.width <= 0) return 0;
  cv::Mat profile;
  cv::reduce(ink(r), profile, 0, cv::REDUCE_MAX);
  const uchar* p = profile.ptr<uchar>(0);
  int widest = 0;
  int run = 0;
  bool started = false;
  for (int x = 0; x < r.width; ++x) {
    if (p[x]) {
      if (started) widest = std::max(widest, run);
      started = true;
      run = 0;
    } else {
      ++run;
    }
  }
  return widest;
}

bool rule_between_x(const std::vector<Rule>& rules, int x0, int x1, int y0, int y1) {
  for (const Rule& r : rules) {
    if (r.horizontal) continue;
    const int rx = r.box.x + r.box.width / 2;
    if (rx >= x0 && rx <= x1 && overlap(r.box.y, r.box.y + r.box.height, y0, y1) > 0) return true;
  }
  return false;
}

bool rule_between_y(const std::vector<Rule>& rules, int y0, int y1, int x0, int x1) {
  for (const Rule& r : rules) {
    if (!r.horizontal) continue;
    const int ry = r.box.y + r.box.height / 2;
    if (ry >= y0 && ry <= y1 && overlap(r.box.x, r.box.x + r.box.width, x0, x1) > 0) return true;
  }
  return false;
}

// Marks fused to some characters of a line (a punctuation circle touching its glyph beside a
// vertical column) stretch the line's box across the line without being type. Such marks stand on
// the right of the characters, the frame's top: the line's extent is from where the ink of three
// in four of its inked columns starts (a mark beside every other character fuses to a good share
// of them) to where nine in ten end. The box is trimmed to that only when it loses a mark's size
// (0.3 characters) and a seventh of its height.
void trim_marks(TextLine& line, const cv::Mat& ink, const cv::Mat& labels,
                const std::vector<int>& own, double char_px) {
  const cv::Rect& b = line.box;
  if (b.height < 0.5 * char_px || b.width < 3 * char_px) return;
  std::vector<int> firsts;
  std::vector<int> lasts;
  firsts.reserve(static_cast<std::size_t>(b.width));
  lasts.reserve(static_cast<std::size_t>(b.width));
  for (int x = b.x; x < b.x + b.width; ++x) {
    int first = -1;
    int last = -1;
    for (int y = b.y; y < b.y + b.height; ++y) {
      if (!ink.at<uchar>(y, x)) continue;
      if (std::find(own.begin(), own.end(), labels.at<int>(y, x)) == own.end()) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first < 0) continue;
    firsts.push_back(first);
    lasts.push_back(last);
  }
  if (firsts.size() < 3) return;
  const std::size_t k = firsts.size() / 10;
  const std::size_t kt = firsts.size() / 4;
  std::nth_element(firsts.begin(), firsts.begin() + static_cast<std::ptrdiff_t>(kt), firsts.end());
  std::nth_element(lasts.begin(), lasts.end() - 1 - static_cast<std::ptrdiff_t>(k), lasts.end());
  const int top = firsts[kt];
  const int bottom = lasts[lasts.size() - 1 - k] + 1;
  const double lost = b.height - (bottom - top);
  if (lost < std::max(0.3 * char_px, 0.15 * b.height) || bottom - top < 0.3 * char_px) return;
  line.box = cv::Rect(b.x, top, b.width, bottom - top);
}

}  // namespace

std::vector<TextLine> find_lines(const cv::Mat& ink, double char_px, const Options& options,
                                 const std::vector<Rule>& rules, bool marks_beside) {
  std::vector<TextLine> lines;
  if (char_px <= 0) return lines;
  const int g = std::max(2, static_cast<int>(std::lround(options.line_gap_chars * char_px)));
  cv::Mat smeared;
  cv::morphologyEx(ink, smeared, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(g, 1)));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8, CV_32S);
  std::vector<cv::Rect> pieces;
  std::vector<int> piece_label;
  pieces.reserve(static_cast<std::size_t>(n));
  const double min_side = 0.3 * char_px;
  for (int i = 1; i < n; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (std::max(r.width, r.height) < min_side) continue;  // dust
    // A vertical sliver thinner than a stroke of body type: what is left of a broken column rule.
    // Smeared text is never that thin; a lone 丨 would be at least a stroke wide.
    if (r.width <= 0.1 * char_px && r.height >= 0.8 * char_px) continue;
    // Taller than any title, or a sparse outline: a page border, the dark edge of a scan, a frame
    // whose rules were not found. Never text.
    if (r.height > 12 * char_px) continue;
    const double fill = stats.at<int>(i, cv::CC_STAT_AREA) / static_cast<double>(r.area());
    if (r.height > 3 * char_px && r.width > 3 * char_px && fill < 0.05) continue;
    pieces.push_back(r);
    piece_label.push_back(i);
  }
  if (pieces.empty()) return lines;

  // Gutters: white strips between text of body size that go on above and below the gap. Large
  // type (a headline spanning the columns) does not interrupt a gutter.
  cv::Mat filled = cv::Mat::zeros(ink.size(), CV_8UC1);
  for (const cv::Rect& r : pieces) {
    if (r.height <= 1.15 * char_px) filled(r).setTo(255);
  }
  cv::Mat up, down;
  white_runs(filled, up, down);
  // A gutter goes on past the neighbouring lines both ways and runs several lines in all; a
  // space in one line that happens to sit under a short paragraph end does not. And a gutter has
  // columns on both sides: lines just above or below end where the gap starts and begin where it
  // ends. An isolated line (a jump line, a caption, a byline) has no gutter in it.
  const double reach = 1.2 * char_px;
  const double strip = 4.0 * char_px;
  std::vector<std::size_t> by_top(pieces.size());
  std::iota(by_top.begin(), by_top.end(), 0);
  std::sort(by_top.begin(), by_top.end(),
            [&](std::size_t a, std::size_t b) { return pieces[a].y < pieces[b].y; });
  auto flanked = [&](int x0, int x1, int y0, int y1) {
    const double band = 3.0 * char_px;
    const bool body_row = y1 - y0 <= 1.3 * char_px;
    int left = 0;
    int left_near = 0;  // lines ending up to 1.5 characters short of the gap's start
    int right = 0;
    int right_flush = 0;  // lines starting exactly at the gap's end: a column's left edge
    int rows = 0;         // rows with a line ending or starting beside the gap
    int row_y = 0;
    for (std::size_t k : by_top) {
      const cv::Rect& r = pieces[k];
      if (r.y > y1 + band) break;
      if (r.y + r.height < y0 - band || r.height > 1.15 * char_px) continue;
      if (r.y < y1 && r.y + r.height > y0) continue;  // the gap's own row
      const int rx1 = r.x + r.width;
      const bool ends_at = rx1 >= x0 - 1.5 * char_px && rx1 <= x0 + 0.5 * char_px;
      const bool starts_at = r.x >= x1 - 0.5 * char_px && r.x <= x1 + 3.0 * char_px;
      if (!ends_at && !starts_at) continue;
      if (ends_at) {
        ++left_near;
        if (rx1 >= x0 - 1.0 * char_px) ++left;
      }
      if (starts_at) {
        ++right;
        if (std::abs(r.x - x1) <= 0.4 * char_px) ++right_flush;
      }
      if (rows == 0 || r.y > row_y + 0.5 * char_px) {
        ++rows;
        row_y = r.y;
      }
      // A gutter has its columns on more than one row. In one row alone, the space after a
      // comma can line up with a gap in a line standing by itself over the column (a
      // right-aligned jump line with white above it, a 二 between two of its characters too
      // thin to survive binarisation).
      //
      // A column's last line may run a character past the lines above it (a character squeezed
      // in, punctuation hanging into the gutter): then, in a row of body type, a line ending
      // near the gap and one starting exactly at its end still make it a gutter. (Over a
      // gutter, the space before a quotation mark in a headline is as wide.)
      if (right_flush >= 2 || (rows >= 2 && ((left >= 1 && right >= 1) ||
                                             (body_row && left_near >= 1 && right_flush >= 1))))
        return true;
    }
    return false;
  };
  // A gap of a character or more in display type is no letter space; where a gutter with columns
  // on both sides runs down from anywhere inside it, two headlines stand side by side.
  auto flanked_at = [&](int x, int y0, int y1) {
    const double band = 3.0 * char_px;
    int left = 0;
    int right = 0;
    for (std::size_t k : by_top) {
      const cv::Rect& r = pieces[k];
      if (r.y > y1 + band) break;
      if (r.y + r.height < y0 - band || r.height > 1.15 * char_px) continue;
      if (r.y < y1 && r.y + r.height > y0) continue;
      const int rx1 = r.x + r.width;
      if (rx1 <= x && rx1 >= x - 1.5 * char_px && r.width >= 3 * char_px) ++left;
      if (r.x >= x && r.x <= x + 3.0 * char_px && r.width >= 3 * char_px) ++right;
      if (left >= 1 && right >= 1) return true;
    }
    return false;
  };
  // The white runs are looked for across the whole gap [x0, x1); the columns beside it are
  // looked for from x0 and from flank_x1, where the white ends in the row itself.
  auto is_gutter = [&](int x0, int x1, int flank_x1, int y0, int y1, bool wide) {
    const int ya = y0 - 1;
    const int yb = y1;
    int found = 0;  // 0 not yet looked, 1 flanked, -1 not flanked
    for (int x = std::max(0, x0); x < std::min(ink.cols, x1); ++x) {
      const double a = ya >= 0 ? up.at<std::uint16_t>(ya, x) : strip;
      const double b = yb < ink.rows ? down.at<std::uint16_t>(yb, x) : strip;
      if (a < reach || b < reach || a + b + (y1 - y0) < strip) continue;
      if (found == 0) found = flanked(x0, flank_x1, y0, y1) ? 1 : -1;
      if (found > 0) return true;
      if (!wide) return false;
      // In a wide space, the white run down from it must be a gutter: long, columns both sides.
      if (b >= strip && flanked_at(x, y0, y1)) return true;
    }
    return false;
  };

  // The first glyph from column x going in direction step (+1 right, -1 left), within `span`
  // columns of rows [y0, y1): is its ink only in the top or the bottom half of the rows?
  auto corner_mark = [&](int x, int step, int span, int y0, int y1) {
    y0 = std::max(0, y0);
    y1 = std::min(ink.rows, y1);
    if (y1 <= y0) return false;
    int top = -1;
    int bottom = -1;
    for (int k = 0; k < span; ++k, x += step) {
      if (x < 0 || x >= ink.cols) break;
      const cv::Mat column = ink(cv::Range(y0, y1), cv::Range(x, x + 1));
      if (cv::countNonZero(column) == 0) {
        if (top >= 0) break;  // the glyph ends
        continue;
      }
      for (int y = 0; y < column.rows; ++y) {
        if (column.at<uchar>(y, 0) == 0) continue;
        top = top < 0 ? y : std::min(top, y);
        bottom = std::max(bottom, y);
      }
    }
    return top >= 0 && bottom - top + 1 <= 0.5 * (y1 - y0);
  };

  // Where the white after p ends in the rows p and q share: at q, or before it at a piece too
  // small to be q's rival (the stroke of a character the binariser broke off). A gutter is
  // judged from the columns beside that white, not beside q.
  auto first_ink = [&](const cv::Rect& p, const cv::Rect& q) {
    const int r0 = std::max({0, p.y, q.y});
    const int r1 = std::min({ink.rows, p.y + p.height, q.y + q.height});
    const int x0 = std::max(0, p.x + p.width);
    const int x1 = std::min(ink.cols, q.x);
    if (r1 <= r0 || x1 <= x0) return q.x;
    cv::Mat profile;
    cv::reduce(ink(cv::Range(r0, r1), cv::Range(x0, x1)), profile, 0, cv::REDUCE_MAX);
    for (int i = 0; i < profile.cols; ++i)
      if (profile.at<uchar>(0, i)) return x0 + i;
    return q.x;
  };

  // Join pieces of one row, left to right.
  std::vector<std::size_t> order(pieces.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return pieces[a].x < pieces[b].x; });
  Dsu dsu(pieces.size());
  std::vector<double> max_gap(pieces.size(), 0.0);
  for (std::size_t oi = 0; oi < order.size(); ++oi) {
    const cv::Rect& p = pieces[order[oi]];
    const double p_size = std::max(p.height, 1);
    // Best right neighbour: the nearest piece of the same row.
    int best = -1;
    int best_gap = 0;
    for (std::size_t oj = oi + 1; oj < order.size(); ++oj) {
      const cv::Rect& q = pieces[order[oj]];
      const int gap = q.x - (p.x + p.width);
      const double small = std::min(p_size, static_cast<double>(q.height));
      const double big = std::max(p_size, static_cast<double>(q.height));
      if (q.x - (p.x + p.width) > options.word_gap_chars * std::max(big, char_px)) break;
      if ((p & q).area() >= 0.8 * std::min(p.area(), q.area())) {
        // A piece inside another is part of its line, whatever its height: the foot of a display
        // character (日 under 晉's top, 口 under 台's) when the smear did not reach a neighbour.
        dsu.unite(static_cast<int>(order[oi]), static_cast<int>(order[oj]));
        continue;
      }
      // A body character in stacked pieces (the top stroke of a worn 了 over its hook): one
      // above the other with next to no white between, together no taller than a character.
      // Two lines of type stand a leading apart and are twice as tall together.
      const int stacked_gap = std::max(q.y - (p.y + p.height), p.y - (q.y + q.height));
      const int stacked_height = std::max(p.y + p.height, q.y + q.height) - std::min(p.y, q.y);
      if (stacked_gap >= 0 && stacked_gap <= 0.25 * char_px && stacked_height <= 1.15 * char_px &&
          overlap(p.x, p.x + p.width, q.x, q.x + q.width) >= 0.5 * std::min(p.width, q.width)) {
        dsu.unite(static_cast<int>(order[oi]), static_cast<int>(order[oj]));
        continue;
      }
      if (overlap(p.y, p.y + p.height, q.y, q.y + q.height) < 0.6 * small) continue;
      if (big > 1.45 * small && small > 0.5 * char_px) continue;
      if (gap < 0) {
        // Pieces of one row that overlap sideways are one line: the smear can cut a display
        // character such as 只 into its top and its foot, each joined to a different neighbour.
        dsu.unite(static_cast<int>(order[oi]), static_cast<int>(order[oj]));
        continue;
      }
      if (gap > options.word_gap_chars * std::max(small, 0.7 * char_px)) continue;
      if (best < 0 || gap < best_gap) {
        best = static_cast<int>(order[oj]);
        best_gap = gap;
      }
    }
    if (best < 0) continue;
    const cv::Rect& q = pieces[static_cast<std::size_t>(best)];
    const int y0 = std::min(p.y, q.y);
    const int y1 = std::max(p.y + p.height, q.y + q.height);
    // Display type keeps its own letter spacing: a gap narrower than a third of its characters
    // is the space between two of them even where a gutter of the body below lines up with it.
    const double display = std::min(p_size, static_cast<double>(q.height));
    // Punctuation (“ 」 。) stands in a corner of its full-width cell, so beside it the space
    // looks half a character wider.
    const int half = static_cast<int>(std::lround(0.5 * display));
    const bool mark =
        corner_mark(q.x, 1, half, y0, y1) || corner_mark(p.x + p.width - 1, -1, half, y0, y1);
    const bool letter_space = display >= options.headline_min_ratio * char_px &&
                              best_gap < (mark ? 0.85 : 0.35) * display;
    // A blank gap as wide as a character: a quote mark standing in it (現 “一日) keeps it one line.
    const bool wide = display >= options.headline_min_ratio * char_px && best_gap >= display &&
                      std::none_of(pieces.begin(), pieces.end(), [&](const cv::Rect& r) {
                        return (r & cv::Rect(p.x + p.width, y0, best_gap, y1 - y0)).area() > 0;
                      });
    if (best_gap >= g && !letter_space &&
        is_gutter(p.x + p.width, q.x, first_ink(p, q), y0, y1, wide))
      continue;
    if (rule_between_x(rules, p.x + p.width - 1, q.x + 1, y0, y1)) continue;
    dsu.unite(static_cast<int>(order[oi]), best);
    max_gap[order[oi]] = std::max(max_gap[order[oi]], static_cast<double>(best_gap));
  }
  std::vector<int> line_of(pieces.size(), -1);
  std::vector<std::vector<int>> labels_of;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const int root = dsu.find(static_cast<int>(i));
    int& li = line_of[static_cast<std::size_t>(root)];
    if (li < 0) {
      li = static_cast<int>(lines.size());
      lines.push_back(TextLine{pieces[i], 0, 0, 0, -1});
      labels_of.emplace_back();
    } else {
      lines[static_cast<std::size_t>(li)].box |= pieces[i];
    }
    TextLine& line = lines[static_cast<std::size_t>(li)];
    ++line.pieces;
    line.max_gap = std::max(line.max_gap, max_gap[i]);
    labels_of[static_cast<std::size_t>(li)].push_back(piece_label[i]);
  }
  for (std::size_t li = 0; li < lines.size(); ++li) {
    TextLine& line = lines[li];
    if (marks_beside) trim_marks(line, ink, labels, labels_of[li], char_px);
    line.size = line.box.height;
    line.max_gap = widest_gap(ink, line.box);
    line.fill = cv::countNonZero(ink(line.box)) / static_cast<double>(line.box.area());
  }
  return lines;
}

namespace {

std::vector<Block> link_blocks(std::vector<TextLine>& lines, double char_px, const Options& options,
                               const std::vector<Rule>& rules) {
  std::vector<Block> blocks;
  const std::size_t n = lines.size();
  if (n == 0) return blocks;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return lines[a].box.y < lines[b].box.y; });

  // The leading of the page's body text: the median gap between a body line and the next one
  // right under it. Modern papers lead by 0.3–0.6 characters, a 1919 page with a column of
  // punctuation dots between its columns by a whole one: allow 1.3 times what the page uses.
  double leading_chars = options.leading_chars;
  {
    std::vector<double> gaps;
    for (std::size_t oi = 0; oi < n && gaps.size() < 2000; ++oi) {
      const TextLine& a = lines[order[oi]];
      if (a.size < 0.8 * char_px || a.size > 1.25 * char_px || a.box.width < 3 * char_px) continue;
      for (std::size_t oj = oi + 1; oj < n; ++oj) {
        const TextLine& b = lines[order[oj]];
        const int gap = b.box.y - (a.box.y + a.box.height);
        if (gap > 2.5 * char_px) break;
        if (gap < 0 || b.size < 0.8 * char_px || b.size > 1.25 * char_px) continue;
        if (overlap(a.box.x, a.box.x + a.box.width, b.box.x, b.box.x + b.box.width) <
            0.8 * std::min(a.box.width, b.box.width))
          continue;
        gaps.push_back(gap / char_px);
        break;
      }
    }
    if (gaps.size() >= 20) {
      std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                       gaps.end());
      leading_chars = std::clamp(1.3 * gaps[gaps.size() / 2], options.leading_chars, 2.0);
    }
  }

  struct Link {
    double score;
    int above;
    int below;
  };
  std::vector<Link> links;
  auto reversed = [&](const TextLine& l) {
    return l.fill > kReversedFill && l.size >= 1.2 * char_px;
  };
  for (std::size_t oi = 0; oi < n; ++oi) {
    const TextLine& a = lines[order[oi]];
    const int a_bottom = a.box.y + a.box.height;
    for (std::size_t oj = oi + 1; oj < n; ++oj) {
      const TextLine& b = lines[order[oj]];
      const double small = std::min(a.size, b.size);
      const double big = std::max(a.size, b.size);
      const double unit = std::max(small, 0.8 * char_px);
      const int gap = b.box.y - a_bottom;
      if (gap > leading_chars * std::max(big, char_px)) break;
      if (gap < -0.3 * small) continue;
      const bool display = small >= options.kicker_min_ratio * char_px;
      if (big > (display ? options.display_size_ratio : options.size_ratio) * small) continue;
      // White type on a black bar (a reversed kicker) never shares a block with black type.
      if (reversed(a) != reversed(b)) continue;
      const int ov = overlap(a.box.x, a.box.x + a.box.width, b.box.x, b.box.x + b.box.width);
      const int narrow = std::max(1, std::min(a.box.width, b.box.width));
      if (gap > leading_chars * unit) continue;
      const double dl = std::abs(a.box.x - b.box.x);
      const double dc = std::abs((a.box.x + a.box.width / 2.0) - (b.box.x + b.box.width / 2.0));
      // Left-aligned lines need not overlap: a paragraph's last line may be one character, the
      // next paragraph starts two characters in.
      const bool left = dl <= 3.3 * unit;
      const bool centred = dc <= 1.0 * unit && ov >= 0.5 * narrow;
      if (!left && !centred) continue;
      if (rule_between_y(rules, a_bottom - 1, b.box.y + 1, std::max(a.box.x, b.box.x),
                         std::min(a.box.x + a.box.width, b.box.x + b.box.width)))
        continue;
      // Lines side by side with a rule between them stand in two modules, however they align: a
      // paper's title beside a page's border and the tops of the columns beyond it.
      if (ov < 0 &&
          rule_between_x(rules, std::min(a.box.x + a.box.width, b.box.x + b.box.width) - 1,
                         std::max(a.box.x, b.box.x) + 1, a.box.y, b.box.y + b.box.height))
        continue;
      const double score =
          gap / unit + (left ? dl : dc) / unit + (1.0 - std::max(0, ov) / double(narrow));
      links.push_back(Link{score, static_cast<int>(order[oi]), static_cast<int>(order[oj])});
    }
  }
  std::sort(links.begin(), links.end(),
            [](const Link& x, const Link& y) { return x.score < y.score; });
  std::vector<char> has_below(n, 0), has_above(n, 0);
  Dsu dsu(n);
  for (const Link& l : links) {
    if (has_below[static_cast<std::size_t>(l.above)] ||
        has_above[static_cast<std::size_t>(l.below)])
      continue;
    has_below[static_cast<std::size_t>(l.above)] = 1;
    has_above[static_cast<std::size_t>(l.below)] = 1;
    dsu.unite(l.below, l.above);
  }
  std::vector<int> block_of(n, -1);
  for (std::size_t oi = 0; oi < n; ++oi) {
    const std::size_t i = order[oi];
    const int root = dsu.find(static_cast<int>(i));
    int& bi = block_of[static_cast<std::size_t>(root)];
    if (bi < 0) {
      bi = static_cast<int>(blocks.size());
      Block b;
      b.box = lines[i].box;
      blocks.push_back(b);
    }
    Block& b = blocks[static_cast<std::size_t>(bi)];
    b.box |= lines[i].box;
    b.lines.push_back(static_cast<int>(i));
    lines[i].block = bi;
  }
  for (Block& b : blocks) {
    std::vector<double> sizes;
    for (int li : b.lines) sizes.push_back(lines[static_cast<std::size_t>(li)].size);
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2),
                     sizes.end());
    b.size = sizes[sizes.size() / 2];
  }
  return blocks;
}

// Pieces of a body line that the gutter test kept apart (a space or a punctuation gap that lines
// up with gaps in the lines around it: CJK text is set on a grid) are joined back into their line
// once the column is known: lines in one row inside an extent belong together.
// Where most lines of a column block start and end: the lower quartile of the left edges (most
// lines are not indented) and the upper quartile of the right edges (justified lines end at the
// column's edge; paragraph ends are shorter). One line run on into the next column does not move
// it.
std::pair<int, int> column_extent(const Block& b, const std::vector<TextLine>& lines) {
  std::vector<int> lefts;
  std::vector<int> rights;
  for (int li : b.lines) {
    const cv::Rect& r = lines[static_cast<std::size_t>(li)].box;
    lefts.push_back(r.x);
    rights.push_back(r.x + r.width);
  }
  std::sort(lefts.begin(), lefts.end());
  std::sort(rights.begin(), rights.end());
  return {lefts[lefts.size() / 4], rights[(rights.size() * 3) / 4]};
}

// A line that runs past its column into the next one (a gutter the line finder missed: a dotted
// rule that did not print, a gutter that closes at the end of a module) is cut at the column's
// edge; the part beyond becomes a line of its own and finds its own column on relinking.
bool split_overhangs(std::vector<TextLine>& lines, const std::vector<Block>& blocks,
                     const cv::Mat& ink, double char_px) {
  bool changed = false;
  const int tol = std::max(1, static_cast<int>(std::lround(0.3 * char_px)));
  for (const Block& b : blocks) {
    if (b.lines.size() < 4) continue;
    const auto [x0, x1] = column_extent(b, lines);
    for (int li : b.lines) {
      const cv::Rect box = lines[static_cast<std::size_t>(li)].box;
      const cv::Rect area = box & cv::Rect(0, 0, ink.cols, ink.rows);
      if (area.width <= 0) continue;
      cv::Mat profile;
      cv::reduce(ink(area), profile, 0, cv::REDUCE_MAX);
      const uchar* p = profile.ptr<uchar>(0);
      auto last_ink_before = [&](int x) {  // last inked column < x, frame coordinates
        for (int i = std::min(area.width, x - area.x) - 1; i >= 0; --i) {
          if (p[i]) return area.x + i + 1;
        }
        return area.x;
      };
      auto first_ink_from = [&](int x) {
        for (int i = std::max(0, x - area.x); i < area.width; ++i) {
          if (p[i]) return area.x + i;
        }
        return area.x + area.width;
      };
      int cut_left = -1;  // new line = [box.x, cut_left) and [cut_right, end)
      int cut_right = -1;
      if (box.x + box.width > x1 + 0.8 * char_px) {
        cut_left = last_ink_before(x1 + tol);
        cut_right = first_ink_from(x1 + tol);
      } else if (box.x < x0 - 0.8 * char_px) {
        cut_left = last_ink_before(x0 - tol);
        cut_right = first_ink_from(x0 - tol);
      }
      if (cut_left < 0 || cut_left <= box.x || cut_right >= box.x + box.width) continue;
      TextLine rest = lines[static_cast<std::size_t>(li)];
      rest.box = cv::Rect(cut_right, box.y, box.x + box.width - cut_right, box.height);
      rest.block = -1;
      rest.max_gap = widest_gap(ink, rest.box);
      TextLine& kept = lines[static_cast<std::size_t>(li)];
      kept.box = cv::Rect(box.x, box.y, cut_left - box.x, box.height);
      kept.max_gap = widest_gap(ink, kept.box);
      lines.push_back(rest);
      changed = true;
    }
  }
  return changed;
}

struct Extent {
  cv::Rect area;          // lines wholly inside belong to rows of this extent
  double max_gap = 0;     // px between pieces of one row
  bool any_size = false;  // join pieces of any height (a caption broken up by the binariser)
};

bool rejoin_pieces(std::vector<TextLine>& lines, const std::vector<Extent>& extents, double char_px,
                   const Options& options) {
  bool changed = false;
  std::vector<char> gone(lines.size(), 0);
  for (const Extent& e : extents) {
    std::vector<std::size_t> inside;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!gone[i] && (lines[i].box & e.area) == lines[i].box) inside.push_back(i);
    }
    std::sort(inside.begin(), inside.end(),
              [&](std::size_t a, std::size_t c) { return lines[a].box.x < lines[c].box.x; });
    for (std::size_t a = 0; a < inside.size(); ++a) {
      if (gone[inside[a]]) continue;
      TextLine& l = lines[inside[a]];
      for (std::size_t c = a + 1; c < inside.size(); ++c) {
        TextLine& f = lines[inside[c]];
        if (gone[inside[c]]) continue;
        const double small = std::min(l.size, f.size);
        const double big = std::max(l.size, f.size);
        if (!e.any_size && big > options.size_ratio * std::max(small, 0.5 * char_px)) continue;
        if (overlap(l.box.y, l.box.y + l.box.height, f.box.y, f.box.y + f.box.height) <
            (e.any_size ? 0.3 : 0.6) * std::min(l.box.height, f.box.height))
          continue;
        const int gap = f.box.x - (l.box.x + l.box.width);
        if (gap > e.max_gap) continue;
        l.box |= f.box;
        l.pieces += f.pieces;
        l.max_gap = std::max({l.max_gap, f.max_gap, static_cast<double>(std::max(0, gap))});
        l.size = std::max(l.size, f.size);
        gone[inside[c]] = 1;
        changed = true;
      }
    }
  }
  if (changed) {
    std::vector<TextLine> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!gone[i]) kept.push_back(lines[i]);
    }
    lines = std::move(kept);
  }
  return changed;
}

// A "continued from" line (（上接第一版）) set flush left at the top of a column joins the column
// as its first line. It is told from a body line by being short, about jump_chars of its own
// characters wide, and by its opening bracket, whose ink sits in the right half of its cell: the
// line starts 0.3–1.8 characters in, where the tail of a paragraph starts flush and a new
// paragraph two characters in.
void split_jump_heads(std::vector<Block>& blocks, std::vector<TextLine>& lines, double char_px,
                      const Options& options) {
  const std::size_t count = blocks.size();
  for (std::size_t bi = 0; bi < count; ++bi) {
    Block& b = blocks[bi];
    if (b.lines.size() < 3) continue;
    const TextLine& top = lines[static_cast<std::size_t>(b.lines.front())];
    const double aspect = top.box.width / std::max(1.0, top.size);
    const bool short_line = top.box.width < 0.75 * b.box.width;
    const bool jump_wide = std::abs(aspect - (options.jump_chars - 1.0)) <= 1.2;
    const double inset = top.box.x - column_extent(b, lines).first;
    const bool bracket = inset >= 0.25 * char_px && inset <= 1.8 * char_px;
    if (!(short_line && jump_wide && bracket)) continue;
    Block head;
    head.lines.push_back(b.lines.front());
    head.box = top.box;
    head.size = top.size;
    b.lines.erase(b.lines.begin());
    b.box = lines[static_cast<std::size_t>(b.lines.front())].box;
    for (int li : b.lines) b.box |= lines[static_cast<std::size_t>(li)].box;
    lines[static_cast<std::size_t>(head.lines.front())].block = static_cast<int>(blocks.size());
    blocks.push_back(head);  // invalidates b
  }
}

}  // namespace

std::vector<Block> group_blocks(std::vector<TextLine>& lines, const cv::Mat& ink, double char_px,
                                const Options& options, const std::vector<Rule>& rules,
                                const std::vector<cv::Rect>& photos) {
  std::vector<Block> blocks = link_blocks(lines, char_px, options, rules);
  bool changed = split_overhangs(lines, blocks, ink, char_px);
  // Rows to join: inside a column (from just over it to just under it, where jump lines and
  // bylines sit; justified body lines fill the column, a neighbouring column is outside), and
  // under a photo, where a caption line may hold wide spaces before the photographer's name.
  std::vector<Extent> extents;
  const int tol = static_cast<int>(std::lround(0.3 * char_px));
  const int over = static_cast<int>(std::lround(2.0 * char_px));
  for (const Block& b : blocks) {
    if (b.lines.size() < 3) continue;
    const auto [x0, x1] = column_extent(b, lines);
    extents.push_back(
        Extent{cv::Rect(x0 - tol, b.box.y - over, x1 - x0 + 2 * tol, b.box.height + 2 * over),
               2.0 * char_px});
  }
  for (const cv::Rect& p : photos) {
    extents.push_back(Extent{cv::Rect(p.x - tol, p.y + p.height - tol, p.width + 2 * tol,
                                      static_cast<int>(std::lround(3.5 * char_px))),
                             3.0 * char_px, true});
  }
  changed = rejoin_pieces(lines, extents, char_px, options) || changed;
  if (changed) {
    for (TextLine& l : lines) l.block = -1;
    blocks = link_blocks(lines, char_px, options, rules);
  }
  split_jump_heads(blocks, lines, char_px, options);
  return blocks;
}

}  // namespace broadsheet::segment::detail
