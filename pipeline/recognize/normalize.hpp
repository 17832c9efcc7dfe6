#pragma once
/// Chinese text normalisation of OCR output (DESIGN.md "Known facts about the engine"): Debian's
/// chi_tra model writes ASCII punctuation in Chinese text and may put spaces between CJK
/// characters. Pure functions, no Tesseract: unit-tested on their own.

#include <string>
#include <string_view>
#include <vector>

#include "core/issue.hpp"

namespace broadsheet::recognize {

/// Normalises one line of recognised text:
/// - white space beside a CJK character or CJK punctuation is removed unless its other side is a
///   Latin letter ("8 月 6 日" → "8月6日"; "機遇期 and 歷史窗口期" stays); other runs of white
///   space become one space;
/// - ASCII punctuation next to CJK text becomes full-width (, ; : ? ! ( ) → ，；：？！（）, a
///   full stop after CJK → 。); inside numbers and Latin text it stays ("8,000", "5.3", "A3");
/// - ASCII double quotes in CJK context become “ and ”, alternating within the line.
/// Leading and trailing white space is removed.
[[nodiscard]] std::string normalize_line(std::string_view line);

/// Joins the lines of one block into paragraphs: nothing is inserted between lines of a paragraph
/// (a sentence broken over a line or column comes out whole); a line that starts a paragraph is
/// preceded by "\n". `starts_paragraph[i]` says whether line i starts one (the first line always
/// does, whatever it says).
[[nodiscard]] std::string join_lines(const std::vector<std::string>& lines,
                                     const std::vector<bool>& starts_paragraph);

/// One Tesseract symbol as glyphs of one code point each (core Glyph): white space is dropped; a
/// symbol of several code points (a ligature, a multi-character unichar) is split into that many
/// glyphs sharing its box in equal parts along the line (its width, or its height when
/// `vertical`), each with the symbol's confidence. Empty for a symbol of only white space.
[[nodiscard]] std::vector<Glyph> split_symbol(const Glyph& symbol, bool vertical);

/// `box` cut to `frame`: a glyph's box to its line's. Tesseract's LSTM symbol boxes are
/// approximate; on the sample issue a fifth of them reach into the next line (a box 43 px tall in
/// a line 27 px tall). Where `box` misses `frame` along an axis, it becomes one pixel at the
/// nearest edge of `frame`, never empty. `frame` must not be empty.
[[nodiscard]] Box clip_into(const Box& box, const Box& frame);

/// Gives `glyphs` (one code point each) the characters of `to`, a rewriting of `from` that keeps
/// each character that is not white space in place (normalize_line, a character-for-character
/// script conversion): glyph k takes the k-th such code point of `to`. Applies only when the glyphs
/// spell `from` (white space aside) and `to` has as many such code points as there are glyphs;
/// otherwise returns false and leaves `glyphs` as they were, since no glyph can be matched to its
/// character. Afterwards the glyphs spell `to` without its white space.
[[nodiscard]] bool respell_glyphs(std::vector<Glyph>& glyphs, std::string_view from,
                                  std::string_view to);

}  // namespace broadsheet::recognize
