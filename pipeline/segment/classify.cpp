// Kinds from geometry. Without reading the text, a block's kind follows from its type size (as a
// ratio to the body size), its stroke weight, its shape and what lies around it:
//   masthead     the top of a page that holds a title several times the body size, down to the
//                first long rule under it;
//   header       the lines over a long rule at the top of a page without masthead (第N版, the
//                paper's name, the date);
//   advert       a frame with little or no body text in it;
//   photo        found from the pixels; caption = the lines right under (or beside) a photo;
//   headline     the largest type of a stack of display lines; a second deck under it in the same
//                bold face joins it (the truth holds both decks in one region);
//   kicker       display lines over a headline, or a section label on its own;
//   subheadline  display lines under a headline in a lighter face than a second deck;
//   jump         a single line about jump_chars characters wide: right-aligned under a column
//                （下轉第三版）, under a headline or flush over a column （上接第一版）;
//   byline       any other single short line right-aligned under a column;
//   body         body-sized text.
// What geometry cannot separate (a byline as wide as a jump line, a subheadline set bold) is
// left for recognize to correct from the text: see the notes in segment.hpp.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {
namespace {

/// Weight score (see the display stacks in classify) from which an undashed line under a
/// headline is its second deck.
constexpr double kDeckMinWeightScore = 1.8;

int overlap(int a0, int a1, int b0, int b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}
int hov(const cv::Rect& a, const cv::Rect& b) {
  return overlap(a.x, a.x + a.width, b.x, b.x + b.width);
}
int vov(const cv::Rect& a, const cv::Rect& b) {
  return overlap(a.y, a.y + a.height, b.y, b.y + b.height);
}
int bottom(const cv::Rect& r) {
  return r.y + r.height;
}
int right(const cv::Rect& r) {
  return r.x + r.width;
}

double inside_share(const cv::Rect& inner, const cv::Rect& outer) {
  return inner.area() > 0 ? (inner & outer).area() / static_cast<double>(inner.area()) : 0.0;
}

// A line of scratches: a broken rule, the wavy edge of a page border, a fold's shadow. Across
// a line, glyphs reach over most of its height in nearly every character, and leave most of their
// box white even in a bold face; a scratch is thin all along, or a solid bar.
bool only_scratches(const cv::Mat& ink, cv::Rect box, double char_px) {
  box &= cv::Rect(0, 0, ink.cols, ink.rows);
  if (box.area() <= 0) return false;
  const cv::Mat part = ink(box);
  int inked = 0;
  int tall = 0;
  for (int x = 0; x < part.cols; ++x) {
    int first = -1;
    int last = -1;
    for (int y = 0; y < part.rows; ++y) {
      if (part.at<unsigned char>(y, x) == 0) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first < 0) continue;
    ++inked;
    if (last - first + 1 >= 0.5 * char_px) ++tall;
  }
  if (inked > 0 && tall < 0.25 * inked) return true;
  return cv::countNonZero(part) > 0.75 * static_cast<double>(part.total());
}

cv::Rect grown(const cv::Rect& r, int d) {
  return {r.x - d, r.y - d, r.width + 2 * d, r.height + 2 * d};
}

}  // namespace

namespace {

// True when the line in `box` opens with a dash: over its first character's width the ink is one
// thin horizontal stroke with no break (—— or —, which Tesseract reads as 一一).
bool opens_with_dash(const cv::Mat& ink, const cv::Rect& box) {
  const cv::Rect r = box & cv::Rect(0, 0, ink.cols, ink.rows);
  if (r.width <= 0 || r.height <= 0) return false;
  const int h = r.height;
  const cv::Mat line = ink(r);
  int start = 0;
  while (start < line.cols && cv::countNonZero(line.col(start)) == 0) ++start;
  const int span = static_cast<int>(0.9 * h);
  if (start + span > line.cols) return false;
  int top = h;
  int low = -1;
  int inked = 0;
  for (int x = start; x < start + span; ++x) {
    bool any = false;
    for (int y = 0; y < h; ++y) {
      if (line.at<uchar>(y, x) == 0) continue;
      any = true;
      top = std::min(top, y);
      low = std::max(low, y);
    }
    inked += any ? 1 : 0;
  }
  return inked >= 0.8 * span && low - top + 1 <= 0.25 * h;
}

}  // namespace

void classify(Page& page, int /*page_number*/, const Options& options) {
  const double c = page.frame.char_px;
  std::vector<Block>& blocks = page.blocks;
  const auto ratio = [&](const Block& b) { return b.size / c; };
  const auto larger_body = [&](const Block& b) {
    return b.lines.size() >= 3 && ratio(b) < options.larger_body_max_ratio;
  };
  std::vector<char> drop(blocks.size(), 0);

  // ---- specks: stray punctuation, rule fragments, scratches ----
  // A block too small to be a line of text is absorbed by a text block it touches (a quote mark
  // split off a line), else dropped: it would only feed noise to recognize.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    const int thin = std::min(b.box.width, b.box.height);
    const int along = std::max(b.box.width, b.box.height);
    const bool speck = ratio(b) < 0.5 || along < 0.8 * c ||
                       (thin < 0.3 * c && along >= 3 * thin) ||  // a piece of a rule
                       (b.lines.size() == 1 && only_scratches(page.frame.ink, b.box, c));
    if (!speck) continue;
    drop[i] = 1;
    int host = -1;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (j == i || drop[j] || blocks[j].lines.size() < 2) continue;
      if (inside_share(b.box, grown(blocks[j].box, static_cast<int>(0.3 * c))) >= 0.6) {
        host = static_cast<int>(j);
        break;
      }
    }
    if (host >= 0) blocks[static_cast<std::size_t>(host)].box |= b.box;
  }
  // Blocks held inside another text block (a fragment of a line inside a column) merge into it.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (j == i || drop[j] || blocks[j].lines.size() < blocks[i].lines.size() + 2) continue;
      if (inside_share(blocks[i].box, blocks[j].box) >= 0.8) {
        blocks[j].box |= blocks[i].box;
        drop[i] = 1;
        break;
      }
    }
  }

  cv::Rect content;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!drop[i]) content = content.area() ? (content | blocks[i].box) : blocks[i].box;
  }
  for (const cv::Rect& p : page.photos) content = content.area() ? (content | p) : p;
  std::vector<Block> extra;

  // ---- masthead / header ----
  // Decided on the page as it stands (a vertical page's frame is turned: its top is the frame's
  // left edge, a rule across the page is a vertical rule of the frame).
  const bool turned = page.frame.turned;
  // Frame rectangle → unturned rectangle: turned (x', y') = (y, W−1−x), W = unturned width =
  // frame height.
  auto upright_rect = [&](const cv::Rect& r) {
    if (!turned) return r;
    const int w_unturned = page.frame.ink.rows;
    return cv::Rect(w_unturned - (r.y + r.height), r.x, r.height, r.width);
  };
  const cv::Rect up_content = upright_rect(content);
  auto first_long_rule_below = [&](int y, int max_y) {
    int best = -1;
    for (const Rule& r : page.rules) {
      if (r.horizontal == turned) continue;  // across the page
      const cv::Rect u = upright_rect(r.box);
      if (u.width < 0.5 * up_content.width) continue;
      if (u.y < y || u.y > max_y) continue;
      if (best < 0 || u.y < best) best = u.y;
    }
    return best;
  };
  int title = -1;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    const Block& b = blocks[i];
    // The title stands at the very top of the page (a large advert further down is no title),
    // and runs across it: a paper's name of two characters or more is set in a line; a stack of
    // large characters is a headline set in columns (通信社), or another paper's nameplate in an
    // advert.
    const cv::Rect u = upright_rect(b.box);
    if (ratio(b) >= options.masthead_min_ratio && u.y < up_content.y + 0.12 * up_content.height &&
        u.width >= 1.5 * u.height &&
        (title < 0 || b.size > blocks[static_cast<std::size_t>(title)].size))
      title = static_cast<int>(i);
  }
  int head_bottom = -1;  // blocks wholly above this (upright) are the masthead / header
  RegionKind head_kind = RegionKind::Header;
  // A running header first: a thin band of small type over a long rule at the very top (what
  // lies further up — dirt on the margin of a scan — is not part of it).
  int head_top = std::numeric_limits<int>::min();
  // How far a line of the band may reach below the rule where the rule was measured: the top rule
  // of an old page sags and bends along its length.
  const double below_rule = (turned ? 0.6 : 0.2) * c;
  {
    const int rule = first_long_rule_below(
        up_content.y, up_content.y + static_cast<int>(0.15 * up_content.height));
    if (rule >= 0) {
      bool all_small = true;
      bool any = false;
      int top = rule - static_cast<int>(4 * c);
      for (std::size_t i = 0; i < blocks.size(); ++i) {
        const cv::Rect u = upright_rect(blocks[i].box);
        if (drop[i] || bottom(u) > rule + below_rule) continue;
        // On a vertical page the running header is still set across the page, so each of its
        // characters is a line of the frame, and the paper's name in it is measured across the
        // word: there the band is what ends within it, dirt of the margin welded to a word
        // above it included (else that word would be lost outside the page's frame).
        if (turned ? bottom(u) < rule - 4 * c : u.y < rule - 4 * c) continue;
        any = true;
        top = std::min(top, u.y);
        if (!turned && (ratio(blocks[i]) > 2.0 || blocks[i].lines.size() > 2)) all_small = false;
      }
      if (any && all_small) {
        head_bottom = rule;
        head_top = top;
      }
    }
  }
  if (head_bottom < 0 && title >= 0) {
    const cv::Rect t = upright_rect(blocks[static_cast<std::size_t>(title)].box);
    const int rule = first_long_rule_below(bottom(t) - static_cast<int>(c),
                                           bottom(t) + static_cast<int>(15 * c));
    // Without a rule: the title's own band and the small lines just under it (the paper's name
    // in Latin letters).
    head_bottom = rule >= 0 ? rule : bottom(t) + static_cast<int>(2.5 * c);
    head_kind = RegionKind::Masthead;
    // A masthead is a band about as deep as its title; a "title" far above the first rule is a
    // large headline or nameplate inside a tier of text.
    if (head_bottom - up_content.y > 2.5 * t.height + 3 * c) head_bottom = -1;
  }
  if (head_bottom >= 0) {
    Block head;
    head.kind = head_kind;
    bool any = false;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const cv::Rect u = upright_rect(blocks[i].box);
      if (drop[i] || bottom(u) > head_bottom + below_rule || u.y < head_top) continue;
      head.box = any ? (head.box | blocks[i].box) : blocks[i].box;
      head.size = std::max(head.size, blocks[i].size);
      // Its lines tell which way it runs (across a vertical page, a header or a title's line).
      head.lines.insert(head.lines.end(), blocks[i].lines.begin(), blocks[i].lines.end());
      any = true;
      drop[i] = 1;
    }
    // A masthead or header takes a band of the page, not the page.
    if (any && upright_rect(head.box).height < 0.3 * up_content.height) extra.push_back(head);
    if (any && upright_rect(head.box).height >= 0.3 * up_content.height) {
      for (std::size_t i = 0; i < blocks.size(); ++i) {
        const cv::Rect u = upright_rect(blocks[i].box);
        if (bottom(u) <= head_bottom + below_rule && u.y >= head_top) drop[i] = 0;
      }
    }
  }

  // A caption: at most three lines of small type right under a photo, or beside it at its foot.
  const auto captions = [&](const Block& b, const cv::Rect& p) {
    if (b.lines.size() > 3 || ratio(b) > 1.8) return false;
    const double below = b.box.y - bottom(p);
    const bool under = below >= -0.5 * c && below <= 1.5 * c && hov(b.box, p) >= 0.8 * b.box.width;
    const double side = std::max(b.box.x - right(p), p.x - right(b.box));
    const bool beside = side >= -0.5 * c && side <= 1.5 * c &&
                        vov(b.box, p) >= 0.8 * b.box.height && b.box.width <= 0.5 * p.width &&
                        bottom(b.box) >= bottom(p) - 4 * c;
    return under || beside;
  };

  // ---- adverts: frames without body text ----
  for (const cv::Rect& f : page.frames) {
    if (f.width < 5 * c || f.height < 3 * c) continue;
    // A boxed article is mostly body text under its headline; an advert is mostly display type,
    // with a little small print beside it; a boxed photo holds nothing but its caption.
    std::vector<cv::Rect> photos_in;
    for (const cv::Rect& p : page.photos)
      if (inside_share(p, f) >= 0.9) photos_in.push_back(p);
    double body_area = 0;
    double display_area = 0;
    bool any = false;
    bool only_captions = !photos_in.empty();
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (drop[i] || inside_share(blocks[i].box, f) < 0.9) continue;
      any = true;
      const double r = ratio(blocks[i]);
      if (blocks[i].lines.size() >= 3 && r >= 0.8 && r <= 1.25) body_area += blocks[i].box.area();
      if (r >= options.kicker_min_ratio) display_area += blocks[i].box.area();
      if (std::none_of(photos_in.begin(), photos_in.end(),
                       [&](const cv::Rect& p) { return captions(blocks[i], p); }))
        only_captions = false;
    }
    if (!any || only_captions ||
        (body_area > 0 && body_area >= options.advert_max_body_to_display * display_area))
      continue;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (!drop[i] && inside_share(blocks[i].box, f) >= 0.9) drop[i] = 1;
    }
    Block ad;
    ad.box = f;
    ad.kind = RegionKind::Advert;
    extra.push_back(ad);
  }

  // ---- photos and captions ----
  std::vector<char> caption(blocks.size(), 0);
  for (const cv::Rect& p : page.photos) {
    Block ph;
    ph.box = p;
    ph.kind = RegionKind::Photo;
    extra.push_back(ph);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (!drop[i] && captions(blocks[i], p)) caption[i] = 1;
    }
  }

  // ---- stroke weights (display faces) ----
  std::vector<double> body_strokes;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    Block& b = blocks[i];
    if (drop[i]) continue;
    const double r = ratio(b);
    const bool display = r >= options.kicker_min_ratio;
    const bool body_sample =
        b.lines.size() >= 5 && r >= 0.85 && r <= 1.2 && body_strokes.size() < 8;
    if (!display && !body_sample) continue;
    b.stroke = stroke_width_px(page.frame.clean_ink, page.frame.to_clean(b.box));
    if (body_sample) body_strokes.push_back(b.stroke);
  }
  double body_stroke = 0;
  if (!body_strokes.empty()) {
    std::nth_element(body_strokes.begin(),
                     body_strokes.begin() + static_cast<std::ptrdiff_t>(body_strokes.size() / 2),
                     body_strokes.end());
    body_stroke = body_strokes[body_strokes.size() / 2];
  }

  // ---- display stacks: kicker / headline / second deck / subheadline ----
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i] || caption[i]) continue;
    const double r = ratio(blocks[i]);
    // Display lines stand one or two to a block; a body column with a few tall lines is not one,
    // nor is a run of three or more lines in a larger face (an old page sets its lead stories
    // larger than the rest).
    const bool display = (r >= options.headline_min_ratio && !larger_body(blocks[i])) ||
                         (r >= options.kicker_min_ratio && blocks[i].lines.size() <= 2);
    blocks[i].kind = display ? RegionKind::Kicker : RegionKind::Body;
  }
  // Stacks: display blocks one over the other, close, overlapping sideways.
  std::vector<int> stack(blocks.size(), -1);
  int stacks = 0;
  std::vector<std::size_t> by_top;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!drop[i] && !caption[i] && blocks[i].kind == RegionKind::Kicker) by_top.push_back(i);
  }
  std::sort(by_top.begin(), by_top.end(),
            [&](std::size_t a, std::size_t b) { return blocks[a].box.y < blocks[b].box.y; });
  for (std::size_t k = 0; k < by_top.size(); ++k) {
    const std::size_t i = by_top[k];
    if (stack[i] < 0) stack[i] = stacks++;
    for (std::size_t m = k + 1; m < by_top.size(); ++m) {
      const std::size_t j = by_top[m];
      if (stack[j] >= 0) continue;
      const double gap = blocks[j].box.y - bottom(blocks[i].box);
      if (gap > 1.6 * c) continue;
      if (gap < -0.5 * c || hov(blocks[i].box, blocks[j].box) <= 0) continue;
      stack[j] = stack[i];
    }
  }
  std::vector<Block> merged_decks;
  for (int s = 0; s < stacks; ++s) {
    std::vector<std::size_t> members;
    for (std::size_t i : by_top) {
      if (stack[i] == s) members.push_back(i);
    }
    std::size_t top = members.front();
    for (std::size_t i : members) {
      if (blocks[i].size > blocks[top].size) top = i;
    }
    if (ratio(blocks[top]) < options.headline_min_ratio) continue;  // kickers only: a section label
    blocks[top].kind = RegionKind::Headline;
    bool deck_taken = false;
    for (std::size_t i : members) {
      if (i == top) continue;
      if (blocks[i].box.y < blocks[top].box.y) continue;  // over the headline: kicker
      // Under it: a second deck is set in the headline's bold display face, a subheadline in a
      // lighter one. Score the weight against body text and against the headline. The weights
      // overlap on degraded scans (dev seeds 70–129, lines under a headline without a dash:
      // 193 decks score 1.33–4.47, 17 subheadlines 1.30–2.23); most subheadlines open with a
      // dash, so an undashed line is taken for a deck unless clearly light (at 1.8: 15 decks
      // missed and 10 subheadlines taken; at 2.13, 54 and 1).
      double score = 0;
      if (body_stroke > 0 && blocks[top].stroke > 0) {
        score =
            (blocks[i].stroke / body_stroke) / 1.33 + (blocks[i].stroke / blocks[top].stroke) / 0.6;
      }
      const bool adjacent = blocks[i].box.y - bottom(blocks[top].box) <= 1.0 * c;
      // A line that opens with a dash (——記者手記) is a subheadline whatever its weight.
      const bool dashed =
          !blocks[i].lines.empty() &&
          opens_with_dash(page.frame.ink,
                          page.lines[static_cast<std::size_t>(blocks[i].lines[0])].box);
      if (!deck_taken && adjacent && !dashed && score >= kDeckMinWeightScore &&
          blocks[i].size < blocks[top].size) {
        blocks[top].box |= blocks[i].box;
        drop[i] = 1;
        deck_taken = true;
      } else {
        blocks[i].kind = RegionKind::Subheadline;
      }
    }
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!drop[i] && caption[i]) blocks[i].kind = RegionKind::Caption;
  }

  // ---- short single lines: jump or byline ----
  auto nearest = [&](std::size_t i, bool below, double reach) {
    int best = -1;
    double best_d = reach;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (j == i || drop[j]) continue;
      const double d =
          below ? blocks[j].box.y - bottom(blocks[i].box) : blocks[i].box.y - bottom(blocks[j].box);
      if (d < -0.3 * c || d > best_d || hov(blocks[i].box, blocks[j].box) <= 0) continue;
      best_d = d;
      best = static_cast<int>(j);
    }
    return best;
  };
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    Block& b = blocks[i];
    if (b.lines.size() != 1) continue;
    if (b.kind != RegionKind::Body && b.kind != RegionKind::Kicker) continue;
    const TextLine& line = page.lines[static_cast<std::size_t>(b.lines[0])];
    const double h = std::max(1, line.box.height);
    const double aspect = line.box.width / h;
    if (aspect > 8.0 || ratio(b) > 1.35) continue;
    // Width of "（下轉第三版）" over its height (the brackets are the tallest glyphs) is about
    // jump_chars − 1: 5.0–6.7 over the synthetic fonts; gaps inside are no help on degraded scans.
    const bool jump_shape = aspect >= options.jump_chars - 2.5 && aspect <= options.jump_chars;
    const int above = nearest(i, false, 2.5 * c);
    const int below = nearest(i, true, 1.5 * c);
    const RegionKind above_kind =
        above >= 0 ? blocks[static_cast<std::size_t>(above)].kind : RegionKind::Other;
    if ((above_kind == RegionKind::Headline || above_kind == RegionKind::Subheadline) &&
        aspect >= 4.0 && b.kind != RegionKind::Kicker) {
      b.kind = RegionKind::Jump;  // （上接第一版） under a repeated headline
      continue;
    }
    if (below >= 0 && jump_shape) {
      const Block& d = blocks[static_cast<std::size_t>(below)];
      // Flush left, centred or right-aligned, as papers set it.
      if (d.kind == RegionKind::Body && d.lines.size() >= 2 && b.box.x >= d.box.x - 0.5 * c &&
          right(b.box) <= right(d.box) + 0.5 * c) {
        b.kind = RegionKind::Jump;  // （上接第一版） over a column
        continue;
      }
    }
    if (above_kind != RegionKind::Body) continue;
    const Block& a = blocks[static_cast<std::size_t>(above)];
    // Right-aligned: the closing bracket's ink stops half a character short of its cell.
    const bool right_aligned =
        std::abs(right(b.box) - right(a.box)) <= 1.5 * c && b.box.x - a.box.x >= 2.5 * c;
    if (!right_aligned) continue;
    b.kind = jump_shape ? RegionKind::Jump : RegionKind::Byline;
  }

  // ---- what is left: body-sized text is body, the rest other ----
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    Block& b = blocks[i];
    if (b.kind == RegionKind::Body) {
      const double r = ratio(b);
      if (r < 0.6 || (r > 1.4 && !larger_body(b))) b.kind = RegionKind::Other;
    }
  }

  // ---- dirt: small marks of no kind with nothing near them (a scan's margins) ----
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i] || blocks[i].kind != RegionKind::Other) continue;
    const cv::Rect& r = blocks[i].box;
    if (std::max(r.width, r.height) >= 2 * c) continue;
    bool near = false;
    const cv::Rect around = grown(r, static_cast<int>(1.5 * c));
    for (std::size_t j = 0; j < blocks.size() && !near; ++j) {
      if (j == i || drop[j] || blocks[j].kind == RegionKind::Other) continue;
      near = (around & blocks[j].box).area() > 0;
    }
    if (!near) drop[i] = 1;
  }

  // ---- the page's frame: a long rule with next to nothing printed beyond it ----
  // Old pages are printed inside a ruled frame; the scan shows paper, dust and the next sheet's
  // edge beyond it. A rule along a side, at least half the page long, beyond which lies under
  // 2 % of the area of its text, photos and adverts (masthead and header aside), is the frame: the
  // blocks wholly beyond it are the scan's margin.
  {
    const cv::Rect page_rect(0, 0, page.frame.ink.cols, page.frame.ink.rows);
    double total = 0;
    const auto counted = [](const Block& e) {
      return e.kind != RegionKind::Masthead && e.kind != RegionKind::Header;
    };
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (!drop[i]) total += blocks[i].box.area();
    }
    for (const Block& e : extra) {
      if (counted(e)) total += e.box.area();
    }
    // side: 0 left, 1 right, 2 top, 3 bottom. beyond(r, at): r lies wholly beyond position `at`.
    const int slack = static_cast<int>(std::lround(0.5 * c));
    auto beyond = [&](const cv::Rect& r, int side, int at) {
      switch (side) {
        case 0:
          return right(r) <= at + slack;
        case 1:
          return r.x >= at - slack;
        case 2:
          return bottom(r) <= at + slack;
        default:
          return r.y >= at - slack;
      }
    };
    for (int side = 0; side < 4 && total > 0; ++side) {
      const bool vertical_rule = side < 2;
      int at = -1;
      for (const Rule& r : page.rules) {
        if (r.horizontal == vertical_rule) continue;
        const double len = vertical_rule ? r.box.height : r.box.width;
        if (len < 0.5 * (vertical_rule ? page_rect.height : page_rect.width)) continue;
        const int pos = vertical_rule ? r.box.x + r.box.width / 2 : r.box.y + r.box.height / 2;
        const bool outer = at < 0 || (side == 0 || side == 2 ? pos < at : pos > at);
        if (outer) at = pos;
      }
      if (at < 0) continue;
      double outside = 0;
      for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (!drop[i] && beyond(blocks[i].box, side, at)) outside += blocks[i].box.area();
      }
      for (const Block& e : extra) {
        if (counted(e) && beyond(e.box, side, at)) outside += e.box.area();
      }
      if (outside >= 0.02 * total) continue;
      for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (!drop[i] && beyond(blocks[i].box, side, at)) drop[i] = 1;
      }
      extra.erase(
          std::remove_if(extra.begin(), extra.end(),
                         [&](const Block& e) { return counted(e) && beyond(e.box, side, at); }),
          extra.end());
    }
  }

  // ---- the margins: what stands apart from the printed page ----
  // The printed page is one mass: its text blocks of three lines or more, blocks three
  // characters long or more, photos, adverts and masthead or header, and whatever lies within two
  // characters of it, link by link (a word of an advert beside its display type). A small block
  // of one or two lines that no chain of such gaps reaches stands in the scan's margin, beyond the
  // page's frame: a row of specks, a fold's dust.
  {
    std::vector<cv::Rect> mass;
    std::vector<std::size_t> loose;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (drop[i]) continue;
      // A byline or jump line is placed by its column already (at the foot of a vertical
      // column it may stand far from the column's last character).
      const cv::Rect& r = blocks[i].box;
      if (blocks[i].lines.size() >= 3 || std::max(r.width, r.height) >= 3 * c ||
          blocks[i].kind == RegionKind::Byline || blocks[i].kind == RegionKind::Jump) {
        mass.push_back(blocks[i].box);
      } else {
        loose.push_back(i);
      }
    }
    for (const Block& e : extra) mass.push_back(e.box);
    if (!mass.empty()) {
      const int reach = static_cast<int>(std::lround(2.0 * c));
      std::vector<char> reached(loose.size(), 0);
      for (bool grew = true; grew;) {
        grew = false;
        for (std::size_t k = 0; k < loose.size(); ++k) {
          if (reached[k]) continue;
          const cv::Rect around = grown(blocks[loose[k]].box, reach);
          for (const cv::Rect& m : mass) {
            if ((around & m).area() > 0) {
              reached[k] = 1;
              mass.push_back(blocks[loose[k]].box);
              grew = true;
              break;
            }
          }
        }
      }
      for (std::size_t k = 0; k < loose.size(); ++k) {
        if (!reached[k]) drop[loose[k]] = 1;
      }
    }
  }

  // ---- assemble ----
  std::vector<Block> out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!drop[i]) out.push_back(blocks[i]);
  }
  for (Block& e : extra) out.push_back(e);
  blocks = std::move(out);

  // ---- columns: distinct x ranges of multi-line body blocks ----
  std::vector<std::pair<int, int>> cols;
  for (const Block& b : blocks) {
    if (b.kind != RegionKind::Body || b.lines.size() < 3) continue;
    bool found = false;
    for (auto& col : cols) {
      if (overlap(col.first, col.second, b.box.x, right(b.box)) >= 0.5 * b.box.width) {
        found = true;
        break;
      }
    }
    if (!found) cols.emplace_back(b.box.x, right(b.box));
  }
  page.columns = static_cast<int>(cols.size());
}

}  // namespace broadsheet::segment::detail
