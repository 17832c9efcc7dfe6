#pragma once
/// export internals: what the page formats (ALTO, hOCR) and METS must agree on — block IDs, which
/// regions are text, the lines a block shows and how a line splits into words. Included only by
/// export/*.cpp and its unit tests.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/issue.hpp"

namespace broadsheet::exporter::detail {

/// The block ID of each region of `page`, in region order: the region id as an xsd:ID (xml_id),
/// made unique within the page. ALTO writes them, hOCR uses them as element ids and METS points
/// at them, so all three take them from here.
[[nodiscard]] std::vector<std::string> block_ids(const Page& page);

/// Photos, and adverts with no text at all, are pictures (ALTO Illustration, hOCR ocr_photo /
/// ocr_image); every other region is a text block, empty or not. A photo's text, if a region
/// ever had one, is not exported: recognize does not read photos.
[[nodiscard]] bool is_picture(const Region& region);

/// `box` clipped to the page when the page size is known (width and height > 0); never a
/// negative size.
[[nodiscard]] Box clamp_to_page(Box box, const Page& page);

/// The lines a text block shows: the region's lines whose text has something besides white space
/// and XML-forbidden characters; a region with no such line but such text gets one line made of
/// region.bbox, region.text and region.confidence.
[[nodiscard]] std::vector<Line> text_lines(const Region& region);

/// One word of a line as ALTO String and hOCR ocrx_word show it.
struct Run {
  std::string text;           ///< UTF-8, never empty, no white space, only XML-legal characters
  Box box;                    ///< estimated inside the line box (see split_runs)
  bool space_before = false;  ///< the line had white space between the previous run and this one
  Box space;                  ///< that white space's estimated box, when space_before
};

/// Splits a line into runs: maximal stretches of CJK characters, of other letters and digits
/// (with . , : / - ' kept inside when between two of them: "1.5", "0350-1234"), and of
/// punctuation (an opening bracket or quote starts a new one), breaking at white space.
/// Concatenated, the runs are the line's text without white space and XML-forbidden characters.
///
/// Why runs and not one String per character, nor one per line: ALTO and hOCR readers (search
/// highlighting, text extraction, correction tools) treat a String/ocrx_word as a word and join
/// neighbours with a space only where an SP / a space says so. Chinese has no word spaces and
/// issue.json no word segmentation, so a "word" is the longest stretch that is certainly not split
/// by anything: a run of ideographs between punctuation marks (a clause), a Latin or digit run
/// ("CN14", "2025"), a punctuation run. Per-character Strings would multiply the file size by about
/// ten for boxes that are only estimates anyway; per-line Strings would hide the script changes
/// and punctuation that searches and correction tools key on.
///
/// Boxes are proportional estimates from the line's text alone (ALTO puts the recognized
/// characters' own boxes on its Glyph elements, where a line has them): a wide character
/// (CJK, full-width forms, CJK punctuation) counts 1 em, anything else 0.5 em, and the line's
/// extent (width, or height for a vertical line) is shared out in that ratio after leading and
/// trailing white space is dropped. The other axis is the line's.
[[nodiscard]] std::vector<Run> split_runs(std::string_view text, const Box& line_box,
                                          Direction direction);

/// The glyphs of each run of `line` (runs as split_runs made them from line.text), where the
/// line's glyphs spell the runs exactly, code point for code point; else empty (no glyphs, or
/// characters XML cannot hold were dropped from the runs). The run boxes stay estimates; the
/// glyphs carry the boxes Tesseract measured.
[[nodiscard]] std::vector<std::vector<Glyph>> glyphs_of_runs(const Line& line,
                                                             const std::vector<Run>& runs);

/// Where a region is printed: its index in issue.pages and in that page's regions.
struct Place {
  size_t page = SIZE_MAX;
  size_t region = SIZE_MAX;
  friend auto operator<=>(const Place&, const Place&) = default;
};

/// The place of every region by id (the first one, should an id repeat).
[[nodiscard]] std::unordered_map<std::string, Place> region_places(const Issue& issue);

/// Where each article (same index as issue.articles) starts: the first of its regions, named by
/// its parts or by the regions' article_id. An article none of whose regions exists starts after
/// everything on the page of article.pages.front() (region SIZE_MAX), or at the very end.
[[nodiscard]] std::vector<Place> article_starts(const Issue& issue);

/// Indices into issue.articles in reading order: by start, ties in issue order. The text and the
/// METS logical map list articles in this order.
[[nodiscard]] std::vector<size_t> articles_in_reading_order(const Issue& issue);

/// Confidence as the formats need it: clamped to 0..1, NaN as 0.
[[nodiscard]] double unit_confidence(double confidence);

/// The version of a provenance entry that is a string ("broadsheet", "tesseract"), else "".
[[nodiscard]] std::string provenance_string(const Issue& issue, std::string_view key);

}  // namespace broadsheet::exporter::detail
