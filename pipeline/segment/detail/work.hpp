#pragma once
// Internal to segment/: the analysis frame and the steps segment_page runs in it. Never included
// from another stage.
//
// Everything is measured on a "frame": the clean binary reduced to about Options::work_dpi and,
// for a page of vertical text, turned a quarter counter-clockwise so that its columns become
// horizontal lines read top to bottom (the right-most column on top). The steps below therefore
// only know horizontal lines; Frame::to_clean maps a frame rectangle back to the clean page.

#include <cstddef>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "core/issue.hpp"
#include "segment/segment.hpp"

namespace broadsheet::segment::detail {

struct Frame {
  double scale = 1;     ///< frame px per clean px
  bool turned = false;  ///< vertical page, analysed turned 90° counter-clockwise
  cv::Size clean_size;  ///< of the clean page
  cv::Size work_size;   ///< of the reduced, unturned image
  cv::Mat ink;          ///< CV_8UC1 255 = ink, in the frame
  cv::Mat gray;         ///< CV_8UC1 flattened gray, in the frame (paper ≈ 255)
  cv::Mat clean_ink;    ///< the clean page's binary at full resolution, unturned (shared)
  double char_px = 0;   ///< body character size in frame px

  /// A frame rectangle as a clean-page box (outward rounding, clipped).
  [[nodiscard]] Box to_clean(const cv::Rect& r) const;
  /// A clean-page box as a frame rectangle (for tests and debugging).
  [[nodiscard]] cv::Rect from_clean(const Box& b) const;
};

/// Reduces binary and gray by `scale` (area, ink kept where at least a sixth of a cell is ink).
void reduce(const cv::Mat& binary, const cv::Mat& gray, double scale, cv::Mat& ink_out,
            cv::Mat& gray_out);

/// Body character size in px of `ink` (see estimate_body_char_px).
[[nodiscard]] double char_size_px(const cv::Mat& ink, double dpi, const Options& options);

/// Clears the connected components of `ink` whose longer side is below max_side_px.
void remove_marks(cv::Mat& ink, double max_side_px);

/// Clears the small components of `ink` (longer side under 0.6 char_px) that stand beside the lines
/// of text rather than in them: no glyph-sized ink in their own rows within 1.2 characters along
/// the line. Punctuation set beside the characters of a vertical column (the frame's lines), in
/// the gap between columns; a small piece of a character (the 口 of 品) has its line's other
/// characters in its rows.
void remove_side_marks(cv::Mat& ink, double char_px);

/// True when the text of `ink` runs in vertical columns: more of its ink lies in long lines when
/// smeared vertically than when smeared horizontally.
[[nodiscard]] bool looks_vertical(const cv::Mat& ink, double char_px);

struct Rule {
  cv::Rect box;
  bool horizontal = true;
};

/// Straight rules: ink runs at least min_rule_length_chars long and at most
/// max_rule_thickness_chars thick, outside `photos`. Their pixels are cleared from `ink`.
/// On a horizontal page (`horizontal_page`) a short vertical run with glyph ink right beside it
/// is strokes chained down the leading of a headline of several lines, not a rule. A vertical
/// page (turned) keeps such runs: the short rules between the items of a dense 1919 page stand
/// that close to the type.
[[nodiscard]] std::vector<Rule> find_rules(cv::Mat& ink, double char_px, const Options& options,
                                           const std::vector<cv::Rect>& photos,
                                           bool horizontal_page = true);

/// Rectangles closed by rules on all four sides (boxed modules, adverts), with `boxes` (see
/// find_boxes) added, each once, innermost first.
[[nodiscard]] std::vector<cv::Rect> find_frames(const std::vector<Rule>& rules, double char_px,
                                                const std::vector<cv::Rect>& boxes = {});

/// Boxes drawn as a closed border (a worn or wavy frame that find_rules does not see as four
/// rules): holes of the ink that fill their bounding rectangle. Call on the ink before
/// find_rules clears the rules from it.
[[nodiscard]] std::vector<cv::Rect> find_boxes(const cv::Mat& ink, double char_px);

/// Photos: large areas of half-tone or continuous tone, from `gray` and `ink`.
[[nodiscard]] std::vector<cv::Rect> find_photos(const cv::Mat& ink, const cv::Mat& gray,
                                                double char_px, const Options& options);

/// One line of text in the frame (lines run left to right).
struct TextLine {
  cv::Rect box;
  double size = 0;     ///< character size: the height of the line's ink
  int pieces = 1;      ///< ink pieces joined into it
  double max_gap = 0;  ///< widest run of empty columns inside it, px (a space)
  int block = -1;
  double fill = 0;  ///< share of its box that is ink: over 0.7, white type on a black bar
};

/// Lines of text in `ink` (rules and photos already removed). Pieces of one line are joined over
/// gaps up to word_gap_chars unless a gutter or a vertical rule lies between them. With
/// `marks_beside` (a page of vertical columns punctuated beside its characters), a line's box
/// leaves out marks fused to a few of its characters.
[[nodiscard]] std::vector<TextLine> find_lines(const cv::Mat& ink, double char_px,
                                               const Options& options,
                                               const std::vector<Rule>& rules,
                                               bool marks_beside = false);

struct Block {
  cv::Rect box;
  std::vector<int> lines;  ///< indices into the line list, top to bottom
  double size = 0;         ///< median character size of its lines
  RegionKind kind = RegionKind::Other;
  bool flipped =
      false;          ///< runs across the page's direction (a horizontal head on a vertical page)
  int frame = -1;     ///< innermost frame holding it
  double stroke = 0;  ///< stroke width in body characters, measured at full resolution
};

/// Groups lines into blocks: lines of one size, one above the other within the leading, aligned
/// on the left (body, captions) or centred (headlines), with no rule between them.
[[nodiscard]] std::vector<Block> group_blocks(std::vector<TextLine>& lines, const cv::Mat& ink,
                                              double char_px, const Options& options,
                                              const std::vector<Rule>& rules,
                                              const std::vector<cv::Rect>& photos);

struct Page {
  Frame frame;
  std::vector<Rule> rules;
  std::vector<cv::Rect> frames;
  std::vector<cv::Rect> photos;
  std::vector<TextLine> lines;
  std::vector<Block> blocks;  ///< text blocks, photos, adverts; kinds set by classify
  int columns = 0;
  std::vector<std::string> notes;
};

/// Mean stroke width of the ink of `clean_box` in the full-resolution binary, px (twice the ink
/// area over its outline).
[[nodiscard]] double stroke_width_px(const cv::Mat& clean_ink, const Box& clean_box);

/// Gives every block its kind; adds photo and advert blocks, merges masthead and header blocks.
void classify(Page& page, int page_number, const Options& options);

}  // namespace broadsheet::segment::detail
