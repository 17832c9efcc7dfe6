#pragma once
/// recognize: punctuation marks settled from the pixels under them.
///
/// chi_tra's fast model reads small marks by where they stand in the line more than by their
/// shape: on faint or 1-bit pages it reads a comma as a full stop (，→。) and a single quotation
/// mark as a double one (‘→“). The shapes differ plainly in the binarised image: a full stop is a
/// ring as large as a third of the line, a comma a small solid dot low in the line; a double mark
/// is two ticks, a single one one tick. These functions look at the ink around each such glyph
/// and correct the character where the shape contradicts it, keeping the line's text and its
/// glyphs spelling the same.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/issue.hpp"

namespace broadsheet::recognize {

/// The ink of one punctuation mark, measured in units of the line's height H.
struct MarkShape {
  int components = 0;   ///< connected pieces of ink
  double width = 0;     ///< of all pieces together
  double height = 0;    ///< of all pieces together
  double centre_y = 0;  ///< mean ink row below the line's top
  double hole = 0;      ///< enclosed paper ÷ (ink + enclosed paper): a ring ≈ 0.2-0.4, a dot 0
  double fill = 0;  ///< ink ÷ the area of its box: a thin or broken ring ≈ 0.3-0.5, a dot ≈ 0.8
};

/// The ink of the mark Tesseract placed at `glyph` in `line` (boxes in `gray`'s coordinates):
/// the pieces of ink that lie wholly within the glyph's columns widened by `reach`·H on each side
/// (LSTM symbol boxes are a few pixels off), over the line's full height. Thresholded with Otsu's
/// method inside that window. With `ticks_only`, only pieces in the upper half of the line and
/// shorter than half its height count (the ticks of a quotation mark, not a bracket or a
/// neighbour's stroke). None when the window holds no such ink or no contrast.
[[nodiscard]] std::optional<MarkShape> measure_mark(const cv::Mat& gray, const Box& glyph,
                                                    const Box& line, double reach,
                                                    bool ticks_only = false);

/// Corrects, in place, the punctuation of horizontal lines read from `gray` (CV_8UC1, the image
/// the line and glyph boxes refer to), keeping each line's text and glyphs spelling the same:
/// - a | at either end of a line, beside a Chinese character, is dropped (a rule or a border);
/// - a run of stray marks between two characters over ink that is only dots at mid-height (and
///   a quotation mark's ticks) becomes one … per three dots (and the quotation mark);
/// - a run of 一/- over two nearly touching thin strokes, or one 1.5 characters long, is ——;
/// - an ASCII ' between two Chinese characters is ，, beside a ， it is dropped;
/// - a C after a number, whose preceding glyph's ink is a small ring high in the line, is ℃;
/// - a 。 whose ink is a small solid dot low in the line is ，;
/// - a “ whose ink is one narrow tick is ‘, and the next ” after it in these lines (before
///   another “) is ’.
/// Only the | rule applies to lines without glyphs.
void settle_punctuation(const cv::Mat& gray, std::vector<Line>& lines);

/// What a second model read in a box: its text and its confidence (0..1).
struct BoxReading {
  std::string text;
  double confidence = 0;
};

/// Reads the digits and marks in a box of the image the lines refer to; none when it cannot.
using NumberReader = std::function<std::optional<BoxReading>(const Box&)>;

/// chi_tra reads the % of a Latin-digit number as digits: 63% comes out as 6300, 9296 or 630%
/// (50 of 53 % signs missed on the development pages, seeds 70-81). Each run of two or more
/// glyphs that are digits, . or %, starting with a digit, is read again by `read` (a Latin model
/// restricted to digits, . and %) over the run's box widened by kNumberReach·H each side. Its
/// reading replaces the run only when it is a number ending in % at a confidence of at least
/// kNumberConfidence, the run begins with the same digits and has one to three glyphs more after
/// them (what the % was read as): "6300" read again as "63%" becomes "63%", while "79" read
/// again as "79%" (the next character's ink taken for a %) is left alone. The % glyph takes the
/// boxes of the glyphs it replaces.
void settle_percent(std::vector<Line>& lines, const NumberReader& read);

}  // namespace broadsheet::recognize
