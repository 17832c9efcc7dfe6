#pragma once
/// Chinese text normalisation of OCR output (DESIGN.md "Known facts about the engine"): Debian's
/// chi_tra model writes ASCII punctuation in Chinese text and may put spaces between CJK
/// characters. Pure functions, no Tesseract: unit-tested on their own.

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace broadsheet::recognize
