// Kinds from geometry. Without reading the text, a block's kind follows from its type size (as a
// ratio to the body size), its shape and what lies around it:
//   masthead     the top of a page that holds a title several times the body size;
//   header       the lines over a page-wide rule at the top of a page without masthead;
//   advert       a frame with no body text in it;
//   photo        found from the pixels; caption = the lines right under (or beside) a photo;
//   headline     type at least headline_min_ratio × body;
//   kicker       larger than body, over a headline (or a section label on its own);
//   subheadline  larger than body, under a headline;
//   jump         a single short line, as wide as 7 characters with no space in it, right-aligned
//                under a column or centred under a headline;
//   byline       any other single short line right-aligned under a column;
//   body         body-sized text.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "segment/detail/work.hpp"

namespace broadsheet::segment::detail {
namespace {

int overlap(int a0, int a1, int b0, int b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}
int hov(const cv::Rect& a, const cv::Rect& b) {
  return overlap(a.x, a.x + a.width, b.x, b.x + b.width);
}
int bottom(const cv::Rect& r) {
  return r.y + r.height;
}
int right(const cv::Rect& r) {
  return r.x + r.width;
}

bool inside(const cv::Rect& inner, const cv::Rect& outer, double share) {
  return (inner & outer).area() >= share * inner.area();
}

}  // namespace

void classify(Page& page, int /*page_number*/, const Options& options) {
  const double c = page.frame.char_px;
  std::vector<Block>& blocks = page.blocks;
  const cv::Size size = page.frame.ink.size();
  const auto ratio = [&](const Block& b) { return b.size / c; };

  // Content extent.
  cv::Rect content;
  for (const Block& b : blocks) content = content.area() ? (content | b.box) : b.box;
  for (const cv::Rect& p : page.photos) content = content.area() ? (content | p) : p;

  std::vector<char> drop(blocks.size(), 0);
  std::vector<Block> extra;

  // ---- masthead / header ----
  // The first long horizontal rule under the top of the page closes the masthead or header.
  auto first_long_rule_below = [&](int y, int max_y) {
    int best = -1;
    for (const Rule& r : page.rules) {
      if (!r.horizontal || r.box.width < 0.5 * content.width) continue;
      if (r.box.y < y || r.box.y > max_y) continue;
      if (best < 0 || r.box.y < best) best = r.box.y;
    }
    return best;
  };
  int title = -1;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (ratio(b) >= options.masthead_min_ratio && b.box.y < content.y + 0.25 * content.height &&
        (title < 0 || b.size > blocks[static_cast<std::size_t>(title)].size))
      title = static_cast<int>(i);
  }
  int head_bottom = -1;  // blocks wholly above this are the masthead / header
  RegionKind head_kind = RegionKind::Header;
  if (title >= 0) {
    const Block& t = blocks[static_cast<std::size_t>(title)];
    const int rule = first_long_rule_below(bottom(t.box) - static_cast<int>(c),
                                           bottom(t.box) + static_cast<int>(6 * c));
    head_bottom = rule >= 0 ? rule : bottom(t.box) + static_cast<int>(0.5 * c);
    head_kind = RegionKind::Masthead;
  } else {
    const int rule =
        first_long_rule_below(content.y, content.y + static_cast<int>(0.12 * size.height));
    if (rule >= 0) {
      bool all_small = true;
      bool any = false;
      for (const Block& b : blocks) {
        if (bottom(b.box) <= rule + 0.2 * c) {
          any = true;
          if (ratio(b) > 2.0 || b.lines.size() > 2) all_small = false;
        }
      }
      if (any && all_small) head_bottom = rule;
    }
  }
  if (head_bottom >= 0) {
    Block head;
    head.kind = head_kind;
    bool any = false;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (bottom(blocks[i].box) <= head_bottom + 0.2 * c) {
        head.box = any ? (head.box | blocks[i].box) : blocks[i].box;
        head.size = std::max(head.size, blocks[i].size);
        any = true;
        drop[i] = 1;
      }
    }
    if (any) extra.push_back(head);
  }

  // ---- adverts: frames without body text ----
  for (const cv::Rect& f : page.frames) {
    if (f.width < 5 * c || f.height < 3 * c) continue;
    bool body_like = false;
    bool any = false;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (drop[i] || !inside(blocks[i].box, f, 0.9)) continue;
      any = true;
      const double r = ratio(blocks[i]);
      if (blocks[i].lines.size() >= 3 && r >= 0.8 && r <= 1.25) body_like = true;
    }
    if (!any || body_like) continue;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (!drop[i] && inside(blocks[i].box, f, 0.9)) drop[i] = 1;
    }
    Block ad;
    ad.box = f;
    ad.kind = RegionKind::Advert;
    extra.push_back(ad);
  }

  // ---- text kinds by size ----
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    Block& b = blocks[i];
    const double r = ratio(b);
    if (r >= options.headline_min_ratio) {
      b.kind = RegionKind::Headline;
    } else if (r >= options.kicker_min_ratio && b.lines.size() <= 2) {
      b.kind = RegionKind::Kicker;  // kicker or subheadline: decided below
    } else if (r >= 0.6 && r <= 1.4) {
      b.kind = RegionKind::Body;
    } else {
      b.kind = RegionKind::Other;
    }
  }
  // Kicker over a headline, subheadline under one.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i] || blocks[i].kind != RegionKind::Kicker) continue;
    const cv::Rect& k = blocks[i].box;
    bool headline_above = false;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (drop[j] || blocks[j].kind != RegionKind::Headline) continue;
      const double d = k.y - bottom(blocks[j].box);
      if (d >= -0.5 * c && d <= 2.5 * c && hov(k, blocks[j].box) > 0) headline_above = true;
    }
    if (headline_above) blocks[i].kind = RegionKind::Subheadline;
  }

  // ---- photos and captions ----
  for (const cv::Rect& p : page.photos) {
    Block ph;
    ph.box = p;
    ph.kind = RegionKind::Photo;
    extra.push_back(ph);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (drop[i]) continue;
      Block& b = blocks[i];
      if (b.lines.size() > 3) continue;
      const double below = b.box.y - bottom(p);
      const bool under =
          below >= -0.5 * c && below <= 1.5 * c && hov(b.box, p) >= 0.8 * b.box.width;
      const double side = std::max(b.box.x - right(p), p.x - right(b.box));
      const bool beside = side >= -0.5 * c && side <= 1.5 * c &&
                          overlap(b.box.y, bottom(b.box), p.y, bottom(p)) >= 0.8 * b.box.height &&
                          b.box.width <= 0.5 * p.width;
      if (under || beside) b.kind = RegionKind::Caption;
    }
  }

  // ---- short single lines: jump or byline ----
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (drop[i]) continue;
    Block& b = blocks[i];
    if (b.lines.size() != 1 || (b.kind != RegionKind::Body && b.kind != RegionKind::Other))
      continue;
    const TextLine& line = page.lines[static_cast<std::size_t>(b.lines[0])];
    const double h = std::max(1, line.box.height);
    const double aspect = line.box.width / h;
    if (aspect > 8.0) continue;
    // What is right over it?
    int above = -1;
    double above_d = 2.5 * c;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      if (j == i || drop[j]) continue;
      const double d = b.box.y - bottom(blocks[j].box);
      if (d < -0.3 * c || d > above_d || hov(b.box, blocks[j].box) <= 0) continue;
      above_d = d;
      above = static_cast<int>(j);
    }
    if (above < 0) continue;
    const Block& a = blocks[static_cast<std::size_t>(above)];
    // Width of "（下轉第三版）" over its height (the brackets are the tallest glyphs) is about
    // jump_chars − 1: 5.0–6.7 over the synthetic fonts; gaps inside are no help on degraded scans.
    const bool jump_shape = std::abs(aspect - (options.jump_chars - 1.0)) <= 1.0;
    if (a.kind == RegionKind::Headline || a.kind == RegionKind::Subheadline ||
        a.kind == RegionKind::Kicker) {
      if (jump_shape || aspect <= 8.0) b.kind = RegionKind::Jump;
      continue;
    }
    if (a.kind != RegionKind::Body) continue;
    const bool right_aligned =
        std::abs(right(b.box) - right(a.box)) <= 1.0 * c && b.box.x - a.box.x >= 2.5 * c;
    if (!right_aligned) continue;
    b.kind = jump_shape ? RegionKind::Jump : RegionKind::Byline;
  }

  // ---- assemble ----
  std::vector<Block> out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!drop[i]) out.push_back(blocks[i]);
  }
  for (Block& e : extra) out.push_back(e);
  blocks = std::move(out);

  // ---- columns: distinct left edges of multi-line body blocks ----
  std::vector<std::pair<int, int>> cols;
  for (const Block& b : blocks) {
    if (b.kind != RegionKind::Body || b.lines.size() < 3) continue;
    bool found = false;
    for (auto& col : cols) {
      if (overlap(col.first, col.second, b.box.x, right(b.box)) >= 0.5 * b.box.width) {
        col.first = std::min(col.first, b.box.x);
        col.second = std::max(col.second, right(b.box));
        found = true;
        break;
      }
    }
    if (!found) cols.emplace_back(b.box.x, right(b.box));
  }
  page.columns = static_cast<int>(cols.size());
}

}  // namespace broadsheet::segment::detail
