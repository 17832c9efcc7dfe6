#include "synth/typeset.hpp"

#include <cmath>

#include <pango/pangocairo.h>

namespace broadsheet::synth {

namespace {

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

struct FontDescDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};

constexpr double kScale = PANGO_SCALE;

int to_pango(double px) {
  return static_cast<int>(std::lround(px * kScale));
}
double from_pango(int units) {
  return units / kScale;
}

LayoutPtr make_layout(PangoContext* context, std::string_view text, const Font& font) {
  LayoutPtr layout(pango_layout_new(context));
  std::unique_ptr<PangoFontDescription, FontDescDeleter> desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), font.family.c_str());
  pango_font_description_set_weight(desc.get(),
                                    font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(desc.get(), font.px * kScale);
  pango_layout_set_font_description(layout.get(), desc.get());
  if (font.letter_spacing != 0) {
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(to_pango(font.letter_spacing)));
    pango_layout_set_attributes(layout.get(), attrs);
    pango_attr_list_unref(attrs);
  }
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

}  // namespace

Typesetter::Typesetter() {
  font_map_ = pango_cairo_font_map_new();
  pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(font_map_), 72.0);
  context_ = pango_font_map_create_context(font_map_);
  // Unhinted outlines and metrics: glyph positions then scale linearly with the size, so a page
  // at 200 dpi is the same page as at 300 dpi, and nothing depends on the screen set-up.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(context_, options);
  cairo_font_options_destroy(options);
}

Typesetter::~Typesetter() {
  g_object_unref(context_);
  g_object_unref(font_map_);
}

std::vector<LineSpan> Typesetter::break_lines(std::string_view text, const Font& font, double width,
                                              double first_indent) const {
  std::vector<LineSpan> lines;
  if (text.empty()) return lines;
  LayoutPtr layout = make_layout(context_, text, font);
  pango_layout_set_width(layout.get(), to_pango(width));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_indent(layout.get(), to_pango(first_indent));
  const int count = pango_layout_get_line_count(layout.get());
  for (int i = 0; i < count; ++i) {
    PangoLayoutLine* line = pango_layout_get_line_readonly(layout.get(), i);
    LineSpan span;
    span.start = static_cast<size_t>(line->start_index);
    span.length = static_cast<size_t>(line->length);
    span.text = std::string(text.substr(span.start, span.length));
    // A wrapped line keeps the space it broke at; the printed line does not show it.
    while (!span.text.empty() && span.text.back() == ' ') span.text.pop_back();
    if (!span.text.empty()) lines.push_back(std::move(span));
  }
  return lines;
}

SetLine Typesetter::measure(std::string_view text, const Font& font) const {
  SetLine out;
  out.text = std::string(text);
  if (text.empty()) return out;
  LayoutPtr layout = make_layout(context_, text, font);
  PangoRectangle ink;
  PangoRectangle logical;
  pango_layout_get_extents(layout.get(), &ink, &logical);
  const double baseline = from_pango(pango_layout_get_baseline(layout.get()));
  out.advance = from_pango(logical.width);
  out.ink = {from_pango(ink.x), from_pango(ink.y) - baseline, from_pango(ink.width),
             from_pango(ink.height)};
  return out;
}

Rect Typesetter::draw_line(cairo_t* cr, std::string_view text, const Font& font, double x,
                           double baseline, double width, Align align) const {
  if (text.empty()) return {};
  LayoutPtr layout = make_layout(context_, text, font);
  PangoRectangle ink;
  PangoRectangle logical;
  pango_layout_get_extents(layout.get(), &ink, &logical);
  const double natural = from_pango(logical.width);
  double pen_x = x;
  if (align == Align::Justify && natural < width - 0.5) {
    pango_layout_set_width(layout.get(), to_pango(width));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_justify(layout.get(), TRUE);
    pango_layout_set_justify_last_line(layout.get(), TRUE);
    // Justification can only widen a line that fits; a line Pango would wrap again is drawn as
    // it is rather than split.
    if (pango_layout_get_line_count(layout.get()) > 1) {
      pango_layout_set_width(layout.get(), -1);
      pango_layout_set_justify(layout.get(), FALSE);
    }
    pango_layout_get_extents(layout.get(), &ink, &logical);
  } else if (align == Align::Center) {
    pen_x = x + (width - natural) / 2;
  } else if (align == Align::Right) {
    pen_x = x + width - natural;
  }
  const double layout_baseline = from_pango(pango_layout_get_baseline(layout.get()));
  const double top = baseline - layout_baseline;
  if (cr != nullptr) {
    cairo_move_to(cr, pen_x, top);
    pango_cairo_show_layout(cr, layout.get());
  }
  if (ink.width <= 0 || ink.height <= 0) return {};
  return {pen_x + from_pango(ink.x), top + from_pango(ink.y), from_pango(ink.width),
          from_pango(ink.height)};
}

double Typesetter::ascent_ratio(const Font& font) const {
  Font probe = font;
  probe.px = 100;
  const SetLine line = measure("國", probe);
  return line.ink.empty() ? 0.88 : -line.ink.y / 100.0;
}

}  // namespace broadsheet::synth
