#include "synth/compose.hpp"

#include <algorithm>
#include <cmath>

#include <cairo.h>
#include <fmt/format.h>

#include "synth/photo.hpp"

namespace broadsheet::synth {

namespace {

// Ink bottom of CJK text below the baseline, as a share of the em size.
constexpr double kDescent = 0.15;

std::string bracketed(const std::string& s) {
  return "（" + s + "）";
}

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

std::string ltrim(std::string s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

}  // namespace

// ---- ParagraphStream ------------------------------------------------------------------------

ParagraphStream::ParagraphStream(const Corpus& corpus, Rng rng, std::string dateline)
    : corpus_(&corpus), rng_(rng), dateline_(std::move(dateline)) {}

std::string ParagraphStream::next() {
  if (!carry_.empty()) return std::exchange(carry_, {});
  std::string p = corpus_->paragraph(rng_);
  const std::string bare = strip_dateline(p);
  // Only the first paragraph of a story opens with a dateline: the corpus's own, or one made up.
  if (produced_++ > 0) return bare;
  if (bare != p || dateline_.empty()) return p;
  return dateline_ + p;
}

// ---- PageCanvas -----------------------------------------------------------------------------

PageCanvas::PageCanvas(const Typesetter& typesetter, PageStyle style, Rng& rng)
    : ts_(&typesetter), style_(std::move(style)), rng_(&rng) {
  ascent_ = ts_->ascent_ratio(style_.body);
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_A8, style_.width, style_.height);
  cr_ = cairo_create(surface_);
  cairo_set_source_rgba(cr_, 0, 0, 0, 1);
}

PageCanvas::~PageCanvas() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

Font PageCanvas::head_font(const PartContent& part) const {
  Font f;
  f.family = style_.headline_family;
  f.bold = true;
  f.px = style_.body.px * part.headline_scale;
  return f;
}

Font PageCanvas::caption_font() const {
  Font f;
  f.family = style_.soft_family;
  f.px = style_.body.px * 0.95;
  return f;
}

Rect PageCanvas::content_rect(const ModuleGeom& geom, double x_pad) const {
  const Grid& g = style_.grid;
  Rect r{g.column_x(geom.col0), geom.top + style_.gap / 2, g.span_width(geom.span),
         geom.bottom() - geom.top - style_.gap};
  if (x_pad > 0) r = {r.x + x_pad, r.y + x_pad, r.w - 2 * x_pad, r.h - 2 * x_pad};
  return r;
}

int PageCanvas::capacity(double height) const {
  const double px = style_.body.px;
  const double first = (ascent_ + kDescent) * px;
  if (height < first) return 0;
  return static_cast<int>(std::floor((height - first) / style_.pitch)) + 1;
}

RegionDraft PageCanvas::text_block(RegionKind kind, const std::vector<std::string>& lines,
                                   const Font& font, double x, double y, double width, Align align,
                                   double pitch, const std::optional<std::string>& article_id,
                                   bool draw) const {
  RegionDraft region;
  region.kind = kind;
  region.article_id = article_id;
  const double ascent = ts_->ascent_ratio(font) * font.px;
  for (size_t i = 0; i < lines.size(); ++i) {
    const double baseline = y + ascent + static_cast<double>(i) * pitch;
    const Align a = (align == Align::Justify && i + 1 == lines.size()) ? Align::Left : align;
    const Rect ink = draw ? put_line(lines[i], font, x, baseline, width, a)
                          : ts_->draw_line(nullptr, lines[i], font, x, baseline, width, a);
    if (ink.empty()) continue;
    region.lines.push_back({ink, lines[i]});
    region.box = unite(region.box, ink);
  }
  return region;
}

Rect PageCanvas::put_line(std::string_view text, const Font& font, double x, double baseline,
                          double width, Align align) const {
  const Rect outline = ts_->draw_line(cr_, text, font, x, baseline, width, align);
  if (outline.empty()) return outline;
  // Glyph extents from the font are a little generous; truth boxes follow the pixels.
  cairo_surface_flush(surface_);
  const unsigned char* data = cairo_image_surface_get_data(surface_);
  const int stride = cairo_image_surface_get_stride(surface_);
  const int x0 = std::max(0, static_cast<int>(std::floor(outline.x)) - 1);
  const int y0 = std::max(0, static_cast<int>(std::floor(outline.y)) - 1);
  const int x1 = std::min(style_.width, static_cast<int>(std::ceil(outline.right())) + 1);
  const int y1 = std::min(style_.height, static_cast<int>(std::ceil(outline.bottom())) + 1);
  constexpr unsigned char kInk = 96;  // about the 160 gray level of a clean page
  int min_x = x1;
  int min_y = y1;
  int max_x = -1;
  int max_y = -1;
  for (int y = y0; y < y1; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int xx = x0; xx < x1; ++xx) {
      if (row[xx] < kInk) continue;
      min_x = std::min(min_x, xx);
      max_x = std::max(max_x, xx);
      min_y = std::min(min_y, y);
      max_y = y;
    }
  }
  if (max_x < 0) return outline;
  return {static_cast<double>(min_x), static_cast<double>(min_y),
          static_cast<double>(max_x - min_x + 1), static_cast<double>(max_y - min_y + 1)};
}

// ---- masthead and running header ------------------------------------------------------------

RegionDraft PageCanvas::draw_masthead(const IssueMeta& meta, double top, double height) {
  const Grid& g = style_.grid;
  const double px = style_.body.px;
  RegionDraft mast;
  mast.kind = RegionKind::Masthead;
  std::vector<std::string> texts;

  auto add = [&](const std::string& text, const Font& font, double x, double baseline, double width,
                 Align align) {
    if (text.empty()) return Rect{};
    const Rect ink = put_line(text, font, x, baseline, width, align);
    if (!ink.empty()) {
      mast.lines.push_back({ink, text});
      mast.box = unite(mast.box, ink);
      texts.push_back(text);
    }
    return ink;
  };

  const bool centered = chance(*rng_, 0.4);
  Font title;
  title.family = chance(*rng_, 0.6) ? "AR PL UKai TW" : "Noto Serif CJK TC";
  title.bold = true;
  title.px = height * 0.5;
  const SetLine title_set = ts_->measure(meta.newspaper, title);
  const double max_title = (g.right - g.left) * (centered ? 0.42 : 0.55);
  if (title_set.advance > max_title) title.px *= max_title / title_set.advance;
  const double title_w = ts_->measure(meta.newspaper, title).advance;
  const double title_x = centered ? (g.left + g.right - title_w) / 2 : g.left + px * 0.5;
  const double title_base = top + height * 0.08 + ts_->ascent_ratio(title) * title.px;
  const Rect title_ink = add(meta.newspaper, title, title_x, title_base, title_w, Align::Left);

  Font latin;
  latin.family = "Noto Sans CJK TC";
  latin.px = height * 0.085;
  latin.letter_spacing = latin.px * 0.25;
  add(meta.newspaper_latin, latin, title_x, title_ink.bottom() + latin.px * 1.1, title_w,
      Align::Center);

  Font info;
  info.family = "Noto Sans CJK TC";
  info.px = px * 1.05;
  Font info_bold = info;
  info_bold.bold = true;
  info_bold.px = px * 1.25;
  Font date_font;
  date_font.family = "Noto Serif CJK TC";
  date_font.bold = true;
  date_font.px = px * 1.5;

  Date date;
  (void)parse_iso_date(meta.date, date);
  const std::string date_text = fmt::format("{}年{}月{}日", date.year, date.month, date.day);
  const std::string serial = meta.serial.empty() ? "" : "國內統一連續出版物號 " + meta.serial;
  const std::string number = fmt::format("第{}期  今日{}版", meta.number, meta.page_count);
  const double line = px * 1.75;

  if (centered) {
    // Organ and serial on the left, the date block on the right of a centred title.
    const double block_w = (g.right - g.left - title_w) / 2 - px * 2;
    double y = top + height * 0.2;
    add(meta.organ, info_bold, g.left, y, block_w, Align::Left);
    y += line * 1.1;
    add(meta.publisher, info, g.left, y, block_w, Align::Left);
    y += line;
    add(serial, info, g.left, y, block_w, Align::Left);
    y += line;
    add(number, info, g.left, y, block_w, Align::Left);
    const double rx = g.right - block_w;
    y = top + height * 0.2 + px * 0.3;
    add(date_text, date_font, rx, y, block_w, Align::Right);
    y += line * 1.2;
    add(meta.weekday, info_bold, rx, y, block_w, Align::Right);
    y += line;
    add(meta.lunar_date, info, rx, y, block_w, Align::Right);
  } else {
    // Title on the left; a column of organ, date and numbers on the right.
    const double block_x = g.left + (g.right - g.left) * 0.64;
    const double block_w = g.right - block_x;
    double y = top + height * 0.14;
    add(meta.organ, info_bold, block_x, y, block_w, Align::Left);
    y += line * 1.05;
    add(meta.publisher, info, block_x, y, block_w, Align::Left);
    y += line * 1.25;
    add(date_text + "  " + meta.weekday, date_font, block_x, y, block_w, Align::Left);
    y += line * 1.1;
    add(meta.lunar_date, info, block_x, y, block_w, Align::Left);
    y += line;
    add(serial, info, block_x, y, block_w, Align::Left);
    y += line;
    add(number, info_bold, block_x, y, block_w, Align::Left);
  }

  // Heavy rule over a thin one under the masthead.
  const double rule_y = top + height - style_.rule * 5;
  cairo_rectangle(cr_, g.left, rule_y, g.right - g.left, style_.rule * 2.5);
  cairo_rectangle(cr_, g.left, rule_y + style_.rule * 4, g.right - g.left, style_.rule * 0.8);
  cairo_fill(cr_);

  for (size_t i = 0; i < texts.size(); ++i) mast.text += (i ? "\n" : "") + texts[i];
  return mast;
}

RegionDraft PageCanvas::draw_header(const IssueMeta& meta, int page,
                                    const std::optional<std::string>& section, double top) {
  const Grid& g = style_.grid;
  const double px = style_.body.px;
  Font info;
  info.family = "Noto Sans CJK TC";
  info.px = px * 1.05;
  Font sect = info;
  sect.bold = true;
  sect.px = px * 1.6;
  Date date;
  (void)parse_iso_date(meta.date, date);
  const std::string date_text =
      fmt::format("{}年{}月{}日  {}", date.year, date.month, date.day, meta.weekday);
  const std::string page_text = fmt::format("第{}版", page);
  const double baseline = top + ts_->ascent_ratio(sect) * sect.px;
  const double width = g.right - g.left;

  RegionDraft header;
  header.kind = RegionKind::Header;
  struct Item {
    std::string text;
    Font font;
    Align align;
  };
  // Outer edge carries the page number: left on even pages, right on odd ones.
  std::vector<Item> items;
  const bool even = page % 2 == 0;
  const std::string paper = meta.newspaper;
  if (even) {
    items.push_back({page_text + "  " + paper, info, Align::Left});
    if (section) items.push_back({*section, sect, Align::Center});
    items.push_back({date_text, info, Align::Right});
  } else {
    items.push_back({date_text, info, Align::Left});
    if (section) items.push_back({*section, sect, Align::Center});
    items.push_back({paper + "  " + page_text, info, Align::Right});
  }
  for (const Item& item : items) {
    const Rect ink = put_line(item.text, item.font, g.left, baseline, width, item.align);
    header.lines.push_back({ink, item.text});
    header.box = unite(header.box, ink);
    header.text += (header.text.empty() ? "" : " ") + item.text;
  }
  const double rule_y = header.box.bottom() + px * 0.5;
  cairo_rectangle(cr_, g.left, rule_y, width, style_.rule * 2);
  cairo_rectangle(cr_, g.left, rule_y + style_.rule * 3.5, width, style_.rule * 0.8);
  cairo_fill(cr_);
  return header;
}

// ---- head block -----------------------------------------------------------------------------

std::vector<std::string> PageCanvas::fit_display(const std::string& text, Font& font, double width,
                                                 size_t max_lines, double min_px) const {
  const double natural = ts_->measure(text, font).advance;
  if (natural <= width) return {text};
  // A little too long for one line: set it a little smaller rather than leave a word alone on
  // the second line.
  if (natural <= width * 1.3 && font.px * width / natural >= min_px) {
    font.px *= width / natural * 0.99;
    return {text};
  }
  // Two lines of similar length: at the space nearest the middle when the text has one.
  const size_t middle = text.size() / 2;
  size_t best = std::string::npos;
  for (size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at + 1))
    if (best == std::string::npos ||
        (at > middle ? at - middle : middle - at) < (best > middle ? best - middle : middle - best))
      best = at;
  if (best != std::string::npos) {
    std::vector<std::string> halves{text.substr(0, best), text.substr(best + 1)};
    if (ts_->measure(halves[0], font).advance <= width &&
        ts_->measure(halves[1], font).advance <= width)
      return halves;
  }
  auto set = [&](double w) {
    std::vector<std::string> out;
    for (const LineSpan& l : ts_->break_lines(text, font, w)) out.push_back(l.text);
    return out;
  };
  std::vector<std::string> lines = set(std::min(width, natural / 2 * 1.06 + font.px));
  while (lines.size() > max_lines && font.px > min_px) {
    font.px *= 0.92;
    lines = set(width);
  }
  return lines;
}

double PageCanvas::draw_head(const PartContent& part, const Rect& area, bool draw,
                             std::vector<RegionDraft>* regions) const {
  const double px = style_.body.px;
  double y = area.y;
  bool any = false;
  const Align align = style_.headline_align;
  auto emit = [&](RegionDraft r) {
    if (regions != nullptr && !r.box.empty()) regions->push_back(std::move(r));
  };
  auto set = [&](const std::string& text, const Font& font) {
    std::vector<std::string> out;
    for (const LineSpan& l : ts_->break_lines(text, font, area.w)) out.push_back(l.text);
    return out;
  };

  if (part.section) {
    Font f;
    f.family = style_.display_family;
    f.bold = true;
    f.px = px * 1.35;
    const double pad = px * 0.35;
    const std::vector<std::string> lines = set(*part.section, f);
    const double pitch = f.px * 1.3;
    RegionDraft r;
    if (style_.section_reversed) {
      // White type on a black bar.
      double widest = 0;
      for (const std::string& l : lines) widest = std::max(widest, ts_->measure(l, f).advance);
      const Rect bar{area.x, y, std::min(area.w, widest + 2 * pad),
                     static_cast<double>(lines.size()) * pitch + pad};
      if (draw) {
        cairo_rectangle(cr_, bar.x, bar.y, bar.w, bar.h);
        cairo_fill(cr_);
        cairo_set_operator(cr_, CAIRO_OPERATOR_CLEAR);
      }
      r = text_block(RegionKind::Kicker, lines, f, bar.x + pad, bar.y + pad * 0.7, bar.w - 2 * pad,
                     Align::Left, pitch, part.article_id, draw);
      if (draw) cairo_set_operator(cr_, CAIRO_OPERATOR_OVER);
      r.box = bar;
      y = bar.bottom();
    } else {
      r = text_block(RegionKind::Kicker, lines, f, area.x, y, area.w, Align::Left, pitch,
                     part.article_id, draw);
      y = r.box.bottom() + pad;
      if (draw) {
        cairo_rectangle(cr_, area.x, y, area.w, style_.rule * 1.5);
        cairo_fill(cr_);
      }
      y += style_.rule * 1.5;
    }
    r.text = *part.section;
    emit(std::move(r));
    y += px * 0.6;
  }

  if (part.kicker) {
    Font f;
    f.family = style_.soft_family;
    f.px = px * 1.35;
    RegionDraft r = text_block(RegionKind::Kicker, set(*part.kicker, f), f, area.x, y, area.w,
                               align, f.px * 1.3, part.article_id, draw);
    r.text = *part.kicker;
    if (!r.box.empty()) y = r.box.bottom() + px * 0.45;
    emit(std::move(r));
    any = true;
  }

  if (part.headline) {
    Font f = head_font(part);
    const size_t max_lines = area.w < px * 12 ? 3 : 2;
    std::vector<std::string> lines = fit_display(*part.headline, f, area.w, max_lines, px * 1.4);
    RegionDraft r = text_block(RegionKind::Headline, lines, f, area.x, y, area.w, align,
                               f.px * 1.22, part.article_id, draw);
    if (!r.box.empty()) y = r.box.bottom() + px * 0.35;
    r.text = *part.headline;
    if (part.deck2) {
      Font d;
      d.family = style_.display_family;
      d.bold = true;
      d.px = std::max(px * 1.3, f.px * 0.62);
      std::vector<std::string> dlines = fit_display(*part.deck2, d, area.w, max_lines, px * 1.2);
      RegionDraft r2 = text_block(RegionKind::Headline, dlines, d, area.x, y, area.w, align,
                                  d.px * 1.22, part.article_id, draw);
      if (!r2.box.empty()) y = r2.box.bottom() + px * 0.35;
      r.box = unite(r.box, r2.box);
      r.lines.insert(r.lines.end(), r2.lines.begin(), r2.lines.end());
      r.text += " " + *part.deck2;
    }
    emit(std::move(r));
    any = true;
  }

  if (part.subheadline) {
    Font f;
    f.family = style_.soft_family;
    f.px = px * 1.4;
    RegionDraft r = text_block(RegionKind::Subheadline, set(*part.subheadline, f), f, area.x,
                               y + px * 0.1, area.w, align, f.px * 1.3, part.article_id, draw);
    r.text = *part.subheadline;
    if (!r.box.empty()) y = r.box.bottom() + px * 0.3;
    emit(std::move(r));
    any = true;
  }
  return any ? y + px * 0.7 : y;
}

double PageCanvas::head_height(const PartContent& part, double width) const {
  return draw_head(part, {0, 0, width, 1e6}, false, nullptr);
}

// ---- body flow ------------------------------------------------------------------------------

std::vector<PageCanvas::Slot> PageCanvas::slots(const ModuleGeom& geom, double head_bottom) const {
  const double pad = geom.boxed ? style_.body.px * 0.7 : 0;
  const Rect area = content_rect(geom, pad);
  const double g = style_.grid.gutter;
  const double col_w = (area.w - (geom.span - 1) * g) / geom.span;
  std::vector<Slot> out;
  for (int i = 0; i < geom.span; ++i) {
    const double bottom = geom.bottoms[static_cast<size_t>(i)] - style_.gap / 2 - pad;
    Slot s;
    s.rect = {area.x + i * (col_w + g), head_bottom, col_w, bottom - head_bottom};
    s.capacity = capacity(s.rect.h);
    out.push_back(s);
  }
  return out;
}

void PageCanvas::append_paragraph(std::vector<FlowLine>& out, std::string_view text, bool indent,
                                  double width) const {
  const std::vector<LineSpan> spans =
      ts_->break_lines(text, style_.body, width, indent ? 2 * style_.body.px : 0);
  for (size_t i = 0; i < spans.size(); ++i) {
    FlowLine l;
    l.text = spans[i].text;
    l.indent = indent && i == 0;
    l.paragraph_end = i + 1 == spans.size();
    out.push_back(std::move(l));
  }
}

std::vector<PageCanvas::FlowLine> PageCanvas::flow_lines(const PartContent& part,
                                                         double width) const {
  std::vector<FlowLine> out;
  if (part.jump_in) out.push_back({FlowLine::Role::JumpIn, bracketed(*part.jump_in), false, true});
  for (size_t i = 0; i < part.paragraphs.size(); ++i)
    append_paragraph(out, part.paragraphs[i], !(i == 0 && part.continues_paragraph), width);
  if (part.byline) out.push_back({FlowLine::Role::Byline, bracketed(*part.byline), false, true});
  if (part.jump_out)
    out.push_back({FlowLine::Role::JumpOut, bracketed(*part.jump_out), false, true});
  return out;
}

void PageCanvas::draw_column_rules(const std::vector<Slot>& slot_list) {
  if (!style_.column_rules) return;
  for (size_t s = 1; s < slot_list.size(); ++s) {
    const Rect& a = slot_list[s - 1].rect;
    const Rect& b = slot_list[s].rect;
    const double w = std::max(1.0, style_.rule * 0.6);
    const double x = (a.right() + b.x - w) / 2;
    // Between a deep and a short column of an L the rule stops with the short one.
    cairo_rectangle(cr_, x, a.y, w, std::min(a.bottom(), b.bottom()) - a.y);
  }
  cairo_fill(cr_);
}

void PageCanvas::draw_flow(const std::vector<Slot>& slot_list, const std::vector<FlowLine>& lines,
                           const std::vector<int>& per_slot, const std::string& article_id,
                           std::vector<RegionDraft>& regions) {
  const Font& font = style_.body;
  const double px = font.px;
  size_t k = 0;
  for (size_t s = 0; s < slot_list.size() && k < lines.size(); ++s) {
    const Slot& slot = slot_list[s];
    RegionDraft body;
    body.kind = RegionKind::Body;
    body.article_id = article_id;
    auto flush = [&] {
      if (!body.box.empty()) regions.push_back(std::move(body));
      body = RegionDraft{};
      body.kind = RegionKind::Body;
      body.article_id = article_id;
    };
    for (int row = 0; row < per_slot[s] && k < lines.size(); ++row, ++k) {
      const FlowLine& l = lines[k];
      const double baseline = slot.rect.y + ascent_ * px + row * style_.pitch;
      const double indent = l.indent ? 2 * px : 0;
      Align align = l.paragraph_end ? Align::Left : Align::Justify;
      RegionKind kind = RegionKind::Body;
      switch (l.role) {
        case FlowLine::Role::Body:
          break;
        case FlowLine::Role::Byline:
          align = Align::Right;
          kind = RegionKind::Byline;
          break;
        case FlowLine::Role::JumpIn:
          align = style_.jump_in_right ? Align::Right : Align::Left;
          kind = RegionKind::Jump;
          break;
        case FlowLine::Role::JumpOut:
          align = Align::Right;
          kind = RegionKind::Jump;
          break;
      }
      const Rect ink =
          put_line(l.text, font, slot.rect.x + indent, baseline, slot.rect.w - indent, align);
      if (ink.empty()) continue;
      if (kind == RegionKind::Body) {
        if (l.indent && !body.text.empty()) body.text += "\n";
        body.text += l.text;
        body.box = unite(body.box, ink);
        body.lines.push_back({ink, l.text});
      } else {
        flush();
        RegionDraft r;
        r.kind = kind;
        r.box = ink;
        r.text = l.text;
        r.article_id = article_id;
        r.lines.push_back({ink, l.text});
        regions.push_back(std::move(r));
      }
    }
    flush();
  }
}

double PageCanvas::measure_article(const PartContent& part, int span) const {
  const Grid& g = style_.grid;
  const double width = g.span_width(span);
  const double col_w = g.column_width();
  if (part.headline && width < style_.body.px * 6) return -1;
  const double head = head_height(part, width);
  const auto lines = static_cast<int>(flow_lines(part, col_w).size());
  const int rows = (lines + span - 1) / span;
  const double body =
      rows > 0 ? (rows - 1) * style_.pitch + (ascent_ + kDescent) * style_.body.px : 0;
  return head + body + 1;
}

double PageCanvas::measure_caption(const PartContent& part, int span) const {
  const double width = style_.grid.span_width(span);
  if (span > 3 || width < style_.body.px * 8) return -1;
  const Font f = caption_font();
  std::string text = part.paragraphs.empty() ? "" : part.paragraphs.front();
  if (part.credit) text += "　" + *part.credit;
  const auto n = static_cast<double>(ts_->break_lines(text, f, width).size());
  return (part.photo ? width * 0.62 + style_.body.px * 0.5 : 0.0) + n * f.px * 1.35;
}

ModuleOutput PageCanvas::draw_article(const ModuleGeom& geom, const PartContent& part) {
  ModuleOutput out;
  out.article_id = part.article_id;
  out.paragraphs = part.paragraphs;
  out.continues_paragraph = part.continues_paragraph;
  const double pad = geom.boxed ? style_.body.px * 0.7 : 0;
  const Rect area = content_rect(geom, pad);
  if (geom.boxed) {
    const Rect frame = content_rect(geom);
    cairo_set_line_width(cr_, style_.rule);
    cairo_rectangle(cr_, frame.x, frame.y, frame.w, frame.h);
    cairo_stroke(cr_);
  }
  const double head_bottom = draw_head(part, area, true, &out.regions);
  const std::vector<Slot> slot_list = slots(geom, head_bottom);
  const std::vector<FlowLine> lines = flow_lines(part, slot_list.front().rect.w);
  const int total = static_cast<int>(lines.size());
  const int span = static_cast<int>(slot_list.size());
  const int rows = (total + span - 1) / span;
  std::vector<int> per_slot;
  int left = total;
  for (size_t s = 0; s < slot_list.size(); ++s) {
    const bool last = s + 1 == slot_list.size();
    // Columns are balanced; the last one takes whatever is left so no line is ever lost.
    const int n = last ? left : std::min({rows, slot_list[s].capacity, left});
    per_slot.push_back(n);
    left -= n;
  }
  draw_column_rules(slot_list);
  draw_flow(slot_list, lines, per_slot, part.article_id, out.regions);
  return out;
}

ModuleOutput PageCanvas::draw_article_streamed(const ModuleGeom& geom, PartContent part,
                                               ParagraphStream& stream) {
  const double pad = geom.boxed ? style_.body.px * 0.7 : 0;
  const Rect area = content_rect(geom, pad);
  // The head is measured first: the text is chosen to fill what it leaves.
  const double head_bottom = area.y + head_height(part, area.w);
  const std::vector<Slot> slot_list = slots(geom, head_bottom);
  int total = 0;
  for (const Slot& s : slot_list) total += s.capacity;
  const double col_w = slot_list.front().rect.w;
  const bool final_part = !part.jump_out;

  std::vector<FlowLine> lines;
  if (part.jump_in)
    lines.push_back({FlowLine::Role::JumpIn, bracketed(*part.jump_in), false, true});
  const int tail = final_part ? (part.byline ? 1 : 0) : 1;
  const int body_cap = total - static_cast<int>(lines.size()) - tail;
  int body = 0;
  int skipped = 0;
  bool first = true;
  for (int guard = 0; body < body_cap && guard < 400; ++guard) {
    const bool cont = stream.has_carry();
    const std::string text = stream.next();
    if (first) part.continues_paragraph = cont;
    first = false;
    std::vector<FlowLine> candidate;
    append_paragraph(candidate, text, !cont, col_w);
    const int room = body_cap - body;
    if (static_cast<int>(candidate.size()) <= room) {
      lines.insert(lines.end(), candidate.begin(), candidate.end());
      body += static_cast<int>(candidate.size());
      part.paragraphs.push_back(text);
      continue;
    }
    auto cut_at_line = [&] {
      const std::vector<LineSpan> spans =
          ts_->break_lines(text, style_.body, col_w, cont ? 0 : 2 * style_.body.px);
      const size_t cut = spans[static_cast<size_t>(room)].start;
      lines.insert(lines.end(), candidate.begin(), candidate.begin() + room);
      lines.back().paragraph_end = false;
      body += room;
      part.paragraphs.push_back(rtrim(text.substr(0, cut)));
      return ltrim(text.substr(cut));
    };
    if (!final_part) {
      stream.set_carry(cut_at_line());
      break;
    }
    // The last part ends with the longest run of whole sentences that fits.
    const std::vector<std::string> sentences = split_sentences(text);
    bool placed = false;
    for (size_t m = sentences.size(); m-- > 1 && !placed;) {
      std::string prefix;
      for (size_t i = 0; i < m; ++i) prefix += sentences[i];
      std::vector<FlowLine> shorter;
      append_paragraph(shorter, prefix, !cont, col_w);
      if (static_cast<int>(shorter.size()) <= room) {
        lines.insert(lines.end(), shorter.begin(), shorter.end());
        body += static_cast<int>(shorter.size());
        part.paragraphs.push_back(prefix);
        placed = true;
      }
    }
    if (placed) break;
    // A story must print something, and a continuation must print the rest of its sentence.
    if (room > 0 && (part.paragraphs.empty() || cont)) {
      (void)cut_at_line();
      break;
    }
    // Random text: a shorter paragraph may still fill the space this one could not.
    if (++skipped > 8) break;
  }
  if (final_part && part.byline)
    lines.push_back({FlowLine::Role::Byline, bracketed(*part.byline), false, true});
  if (part.jump_out)
    lines.push_back({FlowLine::Role::JumpOut, bracketed(*part.jump_out), false, true});

  ModuleOutput out;
  out.article_id = part.article_id;
  if (geom.boxed) {
    const Rect frame = content_rect(geom);
    cairo_set_line_width(cr_, style_.rule);
    cairo_rectangle(cr_, frame.x, frame.y, frame.w, frame.h);
    cairo_stroke(cr_);
  }
  (void)draw_head(part, area, true, &out.regions);
  std::vector<int> per_slot;
  int left = static_cast<int>(lines.size());
  for (size_t s = 0; s < slot_list.size(); ++s) {
    // A jump line closes the last column; the final part's byline follows its text.
    const int n = s + 1 == slot_list.size() ? left : std::min(slot_list[s].capacity, left);
    per_slot.push_back(n);
    left -= n;
  }
  draw_column_rules(slot_list);
  draw_flow(slot_list, lines, per_slot, part.article_id, out.regions);
  out.paragraphs = part.paragraphs;
  out.continues_paragraph = part.continues_paragraph;
  return out;
}

// ---- captions, adverts, rules ---------------------------------------------------------------

ModuleOutput PageCanvas::draw_caption(const ModuleGeom& geom, const PartContent& part) {
  ModuleOutput out;
  out.article_id = part.article_id;
  out.paragraphs = part.paragraphs;
  const Rect area = content_rect(geom);
  const Font f = caption_font();
  std::string text = part.paragraphs.empty() ? "" : part.paragraphs.front();
  if (part.credit) text += "　" + *part.credit;
  std::vector<std::string> lines;
  for (const LineSpan& l : ts_->break_lines(text, f, area.w)) lines.push_back(l.text);
  const double pitch = f.px * 1.35;
  const double caption_h = static_cast<double>(lines.size()) * pitch;
  const double photo_h =
      part.photo ? std::max(area.h - caption_h - style_.body.px * 0.5, area.h * 0.3) : 0.0;
  if (part.photo) {
    Photo photo;
    photo.rect = {std::round(area.x), std::round(area.y), std::round(area.w), std::round(photo_h)};
    photo.pixels = make_photo(static_cast<int>(photo.rect.w), static_cast<int>(photo.rect.h),
                              style_.halftone, *rng_);
    RegionDraft pr;
    pr.kind = RegionKind::Photo;
    pr.box = photo.rect;
    pr.article_id = part.article_id;
    out.regions.push_back(std::move(pr));
    photos_.push_back(std::move(photo));
  }
  const double caption_y = part.photo ? area.y + photo_h + style_.body.px * 0.5 : area.y;
  RegionDraft cap = text_block(RegionKind::Caption, lines, f, area.x, caption_y, area.w,
                               Align::Justify, pitch, part.article_id, true);
  cap.text = text;
  if (!cap.box.empty()) out.regions.push_back(std::move(cap));
  return out;
}

ModuleOutput PageCanvas::draw_advert(const ModuleGeom& geom,
                                     const std::vector<std::string>& lines) {
  ModuleOutput out;
  const Rect frame = content_rect(geom);
  const double px = style_.body.px;
  // Double frame.
  cairo_set_line_width(cr_, style_.rule * 1.5);
  cairo_rectangle(cr_, frame.x, frame.y, frame.w, frame.h);
  cairo_stroke(cr_);
  cairo_set_line_width(cr_, style_.rule * 0.7);
  const double in = px * 0.3;
  cairo_rectangle(cr_, frame.x + in, frame.y + in, frame.w - 2 * in, frame.h - 2 * in);
  cairo_stroke(cr_);

  const Rect inner{frame.x + px, frame.y + px, frame.w - 2 * px, frame.h - 2 * px};
  if (inner.w < px * 4 || inner.h < px * 2) return out;
  Font title;
  title.family = "Noto Sans CJK TC";
  title.bold = true;
  title.px = std::min(px * 4.0, inner.h * 0.3);
  if (!lines.empty()) {
    const double w = ts_->measure(lines.front(), title).advance;
    if (w > inner.w) title.px = std::max(px * 1.2, title.px * inner.w / w);
  }
  Font text;
  text.family = chance(*rng_, 0.5) ? "Noto Sans CJK TC" : style_.soft_family;
  text.px = std::clamp(inner.h / 14, px, px * 1.8);

  // Set everything first, then centre it vertically, dropping lines that do not fit.
  struct Set {
    std::string text;
    const Font* font;
  };
  std::vector<Set> set;
  double height = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Font& f = i == 0 ? title : text;
    std::vector<std::string> broken;
    if (i == 0) {
      broken = fit_display(lines[i], title, inner.w, 2, px * 1.2);
    } else {
      for (const LineSpan& l : ts_->break_lines(lines[i], f, inner.w)) broken.push_back(l.text);
    }
    for (const std::string& l : broken) {
      const double h = f.px * 1.4;
      if (height + h > inner.h) break;
      set.push_back({l, &f});
      height += h;
    }
  }
  RegionDraft ad;
  ad.kind = RegionKind::Advert;
  double y = inner.y + (inner.h - height) / 2;
  std::vector<std::string> printed;
  for (const Set& s : set) {
    const double baseline = y + ts_->ascent_ratio(*s.font) * s.font->px;
    const Rect ink = put_line(s.text, *s.font, inner.x, baseline, inner.w, Align::Center);
    y += s.font->px * 1.4;
    if (ink.empty()) continue;
    ad.lines.push_back({ink, s.text});
    printed.push_back(s.text);
  }
  if (printed.empty()) return out;
  for (size_t i = 0; i < printed.size(); ++i) ad.text += (i ? "\n" : "") + printed[i];
  ad.box = frame.inflated(style_.rule);
  out.regions.push_back(std::move(ad));
  return out;
}

void PageCanvas::draw_rules(const ModuleGeom& geom) {
  if (!style_.rules) return;
  const Grid& g = style_.grid;
  const double x0 = g.column_x(geom.col0);
  const double w = g.span_width(geom.span);
  const double t = style_.rule;
  if (geom.top > g.top + 1) {
    cairo_rectangle(cr_, x0, geom.top - t / 2, w, t);
  }
  if (geom.col0 > 0) {
    const double x = x0 - g.gutter / 2 - t / 2;
    cairo_rectangle(cr_, x, geom.top + style_.gap * 0.25, t,
                    geom.bottoms.front() - geom.top - style_.gap * 0.5);
  }
  cairo_fill(cr_);
}

cv::Mat PageCanvas::finish() {
  cairo_surface_flush(surface_);
  const cv::Mat ink(style_.height, style_.width, CV_8UC1, cairo_image_surface_get_data(surface_),
                    static_cast<size_t>(cairo_image_surface_get_stride(surface_)));
  cv::Mat page = 255 - ink;
  for (const Photo& p : photos_) {
    const cv::Rect r(static_cast<int>(p.rect.x), static_cast<int>(p.rect.y), p.pixels.cols,
                     p.pixels.rows);
    const cv::Rect clipped = r & cv::Rect(0, 0, page.cols, page.rows);
    if (clipped.area() <= 0) continue;
    p.pixels(cv::Rect(clipped.x - r.x, clipped.y - r.y, clipped.width, clipped.height))
        .copyTo(page(clipped));
  }
  return page;
}

}  // namespace broadsheet::synth
