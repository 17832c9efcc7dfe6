#pragma once
/// Text setting through Pango and Cairo: line breaking with CJK rules, justification, drawing one
/// line at a time onto an 8-bit ink surface, and ink extents (what truth boxes are made of).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "synth/geometry.hpp"

using cairo_t = struct _cairo;
using PangoContext = struct _PangoContext;
using PangoFontMap = struct _PangoFontMap;

namespace broadsheet::synth {

struct Font {
  std::string family = "Noto Serif CJK TC";
  bool bold = false;
  double px = 30;             ///< em size in pixels
  double letter_spacing = 0;  ///< extra pixels between characters
};

/// A line found by break_lines: the bytes [start, start + length) of the paragraph, without the
/// space a line may have broken at.
struct LineSpan {
  std::size_t start = 0;
  std::size_t length = 0;
  std::string text;
};

/// One line of set text: its characters and where its ink lies relative to the pen position
/// (x at the line start, y at the baseline).
struct SetLine {
  std::string text;
  double advance = 0;  ///< logical width
  Rect ink;            ///< relative to (pen x, baseline)
};

enum class Align { Left, Center, Right, Justify };

/// Owns a private Pango font map (so output never depends on a process-wide cache) with a
/// resolution of 72 dpi: a font size in points is then a size in pixels.
class Typesetter {
 public:
  Typesetter();
  ~Typesetter();
  Typesetter(const Typesetter&) = delete;
  Typesetter& operator=(const Typesetter&) = delete;

  /// Breaks a paragraph into lines no wider than `width`; the first line is shorter by
  /// `first_indent`. Line breaks follow Unicode line-breaking rules, which keep CJK closing
  /// punctuation off the start of a line.
  [[nodiscard]] std::vector<LineSpan> break_lines(std::string_view text, const Font& font,
                                                  double width, double first_indent = 0) const;

  /// Measures one line set without wrapping.
  [[nodiscard]] SetLine measure(std::string_view text, const Font& font) const;

  /// Draws one line with its pen at (x, baseline). With Align::Justify the characters are spread
  /// to fill `width`; Center and Right place the line inside [x, x + width]. Returns the ink box
  /// in page pixels (empty for blank text).
  Rect draw_line(cairo_t* cr, std::string_view text, const Font& font, double x, double baseline,
                 double width, Align align) const;

  /// Typical ink top above the baseline and bottom below it for CJK text of this font, as
  /// fractions of the em size (used to place baselines before any text is drawn).
  [[nodiscard]] double ascent_ratio(const Font& font) const;

 private:
  PangoFontMap* font_map_ = nullptr;
  PangoContext* context_ = nullptr;
};

}  // namespace broadsheet::synth
