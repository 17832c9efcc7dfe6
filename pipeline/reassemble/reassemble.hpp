#pragma once
/// reassemble: the regions of every page of an issue → articles (DESIGN.md "Data flow").
///
/// Per page, regions are read in reading order and grouped into article parts: section kicker,
/// kicker, headline (one or two decks), subheadline, （上接…）, body columns, byline, （下轉…）;
/// photos with their captions become caption articles. Text decides over a region's kind where
/// the two disagree (a region that reads as a jump line is one; a short bracketed name list at an
/// article's end is a byline), and jump lines or bylines left inside a body region are cut out.
/// Across pages, the part that ends in （下轉第N版） is joined to the part on printed page N that
/// starts with （上接第M版）: by the markers, by the repeated headline, and by text continuity.
/// Masthead and running headers give the issue metadata and the printed page numbers.
///
/// Body text is joined with nothing inserted and nothing lost: a column that goes on with the
/// previous column's paragraph is appended as is; a new paragraph gets "\n".
///
/// Thread-safety: pure over its arguments. Cost: linear in the text of the issue (well under a
/// second for a 16-page issue).

#include <string_view>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::reassemble {

inline constexpr std::string_view kStageName = "reassemble";

struct Options {
  /// A continuation's headline is "the repeated headline" when at least this share of its
  /// character bigrams occurs in the article's headline (a shortened headline is a prefix).
  double headline_match_ratio = 0.5;
  /// Kicker or headline: a "headline" region whose characters are smaller than the next
  /// headline's by this ratio is a kicker set over it.
  double kicker_size_ratio = 0.8;
  /// A first body line that starts this many characters right of the column's left edge is
  /// indented: a new paragraph.
  double indent_chars = 1.0;
  /// A last line that ends this many characters short of the column's right edge ends a
  /// paragraph.
  double short_line_chars = 1.5;
  /// Body regions of one part share a top edge within this many characters (plus the skew the
  /// page may have), or follow one another down a column within this gap.
  double column_gap_chars = 4.0;
  /// A jump to a page missing from the scans is kept and flagged; with false it is dropped.
  bool keep_missing_continuations = true;
  /// Printed page numbers from running headers replace scan-order numbers.
  bool use_printed_page_numbers = true;
};

/// Checks ranges; BadArguments names the field.
[[nodiscard]] Result<void> validate(const Options& options);

/// Groups the regions of every page into articles and fills issue.articles, each region's
/// article_id, issue metadata (issue.issue.*, extras newspaper_latin, organ, publisher, serial)
/// and printed page numbers (page.page; continuations use printed numbers).
/// Input: an Issue whose pages carry regions (kind, bbox, text, confidence, lines where known) in
/// reading order, and page text; existing articles are replaced. Fields already set in issue.issue
/// are overwritten only by values read from the pages.
/// Articles come in reading order (page, then first region) with ids "a1", "a2", ...; each has
/// parts (page, region ids, box union, that page's body text), pages, continuations, confidence
/// (mean region confidence weighted by text length) and, in extra, flags such as
/// "missing_continuation" (pages named by a jump but not scanned) and "missing_start".
/// Fails only on invalid options (BadArguments). Pure: no I/O.
[[nodiscard]] Result<Issue> reassemble_issue(Issue issue, const Options& options = {});

}  // namespace broadsheet::reassemble
