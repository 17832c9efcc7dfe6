#pragma once
/// segment: CleanPage → PageLayout (DESIGN.md "Data flow"). Finds the rules, photos, columns and
/// text blocks of one clean page, gives each block a kind (masthead, header, headline, kicker,
/// subheadline, body, byline, caption, photo, jump, advert, other) from geometry alone — character
/// size, position, alignment, rules and boxes — and puts the blocks in reading order: article by
/// article (module by module), inside a module kicker, headline, subheadline, then the body column
/// by column, then byline and jump line.
///
/// Every threshold is relative to the body character size measured on the page (or to the dpi
/// where nothing is measured yet), so the same options serve 200 and 300 dpi scans and papers with
/// different type sizes.
///
/// Thread-safety: all functions are pure over their arguments.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"
#include "preprocess/preprocess.hpp"

namespace broadsheet::segment {

inline constexpr std::string_view kStageName = "segment";

/// Which way the body text of a page runs. Auto decides per page from the shape of its lines.
enum class Layout { Auto, Horizontal, Vertical };

struct Options {
  Layout layout = Layout::Auto;

  /// The page is analysed at about this resolution (the binary is reduced by area, ink kept):
  /// 150 dpi leaves a 9-pt body character about 18 px tall, plenty for layout.
  double work_dpi = 150;

  /// Plausible body character size, in millimetres (a 5-pt to a 20-pt face).
  double min_char_mm = 1.6;
  double max_char_mm = 7.5;

  // ---- rules and photos, in body characters ----
  /// A straight ink run at least this long is a rule (headline strokes are at most one headline
  /// character long, 3.6 body characters at the largest synthetic size).
  double min_rule_length_chars = 6.0;
  /// ... and at most this thick (a double rule is about 0.4).
  double max_rule_thickness_chars = 0.5;
  /// A photo is at least this large on both sides.
  double min_photo_side_chars = 3.0;

  // ---- lines and blocks, in body characters ----
  /// Ink closer than this along a line belongs to one line piece.
  double line_gap_chars = 0.6;
  /// Line pieces of one line further apart than this stay apart (an ideographic space is 1.0, a
  /// full-width comma with its cell about 1.3; gutters are told apart by shape, not width).
  double word_gap_chars = 2.0;
  /// Lines of one block are at most this far apart (body leading is about 0.3–0.6); raised per
  /// page to 1.3 × the measured leading of its body text (old pages lead by a whole character).
  double leading_chars = 0.95;
  /// Lines whose character sizes differ by more than this ratio never share a block.
  double size_ratio = 1.25;
  /// Lines of display size (kicker_min_ratio or more) share a block only within this ratio: a
  /// headline's lines are of one size, a deck under it is set a size smaller (a ratio of 1.24 on
  /// dev seed 140, linfen-ribao page 1, where headline, deck and subheadline became one block
  /// of three lines and were taken for body text in a larger face).
  double display_size_ratio = 1.15;

  // ---- kinds, as ratios to the body character size ----
  double headline_min_ratio = 1.45;
  double kicker_min_ratio = 1.25;
  double masthead_min_ratio = 4.0;
  /// A block of three or more lines below this ratio is body text set in a larger face (old
  /// pages set lead stories larger than the rest), not a headline: headlines stand one or two
  /// lines to a block, and a three-deck one is set larger still (dev pages: 2.5 and over).
  double larger_body_max_ratio = 2.0;
  /// Jump lines are set as 7 characters "（下轉第三版）". A single short line whose width over
  /// height lies in [jump_chars − 2.5, jump_chars] (the brackets set the height; a bracket lost
  /// by the binariser shortens it) is taken for a jump line where a jump line stands: right-aligned
  /// under a column, under a headline, or over a column. Any other short line right-aligned under
  /// a column is a byline.
  ///
  /// What geometry cannot settle, recognize must: a byline of two names is as wide as a jump
  /// line (recognize: a Jump region whose text does not match （[上下][接轉]第.+版） is a
  /// Byline), and a bold subheadline can pass for a headline's second deck.
  double jump_chars = 7.0;
  /// A frame (a box drawn round a module) is an advert when the body-sized text in it covers less
  /// area than this share of its display type's; a boxed article is mostly body text.
  double advert_max_body_to_display = 0.4;
};

/// Checks ranges; BadArguments names the field.
[[nodiscard]] Result<void> validate(const Options& options);

struct PageLayout {
  /// In reading order. ids "p<page>-r<k>" (k from 1), bbox in pixels of the ORIGINAL scan (through
  /// CleanPage::transform), kind and direction set; text empty, article_id null.
  std::vector<Region> regions;
  /// The same regions' boxes in clean-page pixels (deskewed), index for index: what recognize
  /// crops. Mapping `regions[i].bbox` back would grow it by the skew.
  std::vector<Box> clean_boxes;
  /// Body character size measured on the page, in clean-page pixels (0 when there is no text).
  double body_char_px = 0;
  /// Number of body columns found (0 when there is no body text).
  int columns = 0;
  /// Direction of the body text.
  Direction direction = Direction::Horizontal;
  /// What could not be done or was assumed ("no text found", ...), for provenance.
  std::vector<std::string> notes;
};

/// Segments one clean page.
/// Preconditions: page.binary is CV_8UC1 (255 = ink), deskewed, same size as page.gray.
/// Guarantees: regions in reading order, inside the original scan, no two body regions overlapping
/// in the clean page.
/// Failure: InputRejected for an empty or non-8-bit binary; BadArguments for invalid options;
/// Internal if OpenCV throws. Blank pages, all-photo pages and tiny images are not failures: they
/// give an empty or partial layout with a note.
[[nodiscard]] Result<PageLayout> segment_page(const preprocess::CleanPage& page, int page_number,
                                              const Options& options = {});

// ---- Building blocks, public for tests. ----

/// Body character size of a binary page (255 = ink) in pixels: the most common size of
/// character-like connected components after a light closing; 0 when there are too few.
[[nodiscard]] double estimate_body_char_px(const cv::Mat& binary, double dpi,
                                           const Options& options = {});

/// A block for reading order: its box (any coordinates, top-left origin) and kind.
struct OrderItem {
  Box box;
  RegionKind kind = RegionKind::Other;
};

/// Reading order of the blocks of one page: indices into `items`. Blocks are grouped into modules
/// (an article: its kickers, headline, subheadline, body columns, byline and jump lines; a photo
/// and its caption; an advert; the masthead or running header), modules are read by their top edge
/// in bands (tops within `band_px` of each other) and, within a band, in the direction columns are
/// read (left to right for horizontal text, right to left for vertical); inside a module
/// kicker → headline → subheadline → jump lines above the body → body column by column (each
/// column top to bottom) → byline → jump lines below the body.
/// `body_char_px` scales the distances used to attach blocks to a module.
[[nodiscard]] std::vector<std::size_t> reading_order(std::span<const OrderItem> items,
                                                     Direction direction, double body_char_px);

/// Draws the regions over `original` (gray or colour, the original scan): a translucent fill and
/// an outline per region, coloured by kind, numbered in reading order, and a key. Written as
/// PNG or JPEG by the file ending; reduced so that the longer side is at most max_side_px.
[[nodiscard]] Result<void> write_overlay(const cv::Mat& original, const PageLayout& layout,
                                         const std::filesystem::path& path, int max_side_px = 2000);

}  // namespace broadsheet::segment
