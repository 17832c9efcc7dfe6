#pragma once
/// preprocess: PageImage → CleanPage (DESIGN.md "Data flow"). Flattens the background, binarises,
/// despeckles, finds and removes the skew and a 90°/180°/270° turn, and splits a two-page fold into
/// its two pages. Every CleanPage carries the Transform back to the pixels of the original scan, so
/// later stages can report boxes in the coordinates issue.json uses.
///
/// Angle convention (everywhere in this stage): positive = counter-clockwise as seen on screen,
/// the convention of cv::getRotationMatrix2D. `skew_deg = 1.5` means the printed lines in the scan
/// rise to the right by 1.5°; the clean page is the scan turned clockwise by 1.5°.
///
/// Thread-safety: all functions are pure over their arguments; call them from any number of
/// threads. They use OpenCV's own parallelism only through cv:: functions (set process-wide
/// with cv::setNumThreads in app/).

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"
#include "ingest/ingest.hpp"

namespace broadsheet::preprocess {

/// Which half of a two-page fold comes first. Chinese papers set in vertical columns are read
/// right to left, so the right-hand page of an open inner fold is the lower page number
/// (the 晶報 scans "0002+0003" show 第二版 on the right, 第三版 on the left). On an outer sheet the
/// physical order is back|front (第一版 left, 第四版 right in "0001+0004"): no single order is
/// right for both, the printed page number (版) read later wins.
enum class FoldOrder { RightFirst, LeftFirst };

/// The direction body-text lines run when the page is upright. Only with Horizontal or Vertical
/// can a 90° turn be detected: a page of vertical Chinese columns and a page of horizontal lines
/// turned by 90° look alike to anything that does not read the characters.
enum class TextAxis { Auto, Horizontal, Vertical };

struct Options {
  bool flatten_background = true;
  bool despeckle = true;
  /// Ink components with an area at most this many pixels at 300 dpi (scaled by (dpi/300)²) are
  /// removed from `binary`. 6 px ≈ 0.2 mm across: dust, never a CJK full stop (≈ 0.8 mm).
  double speck_area_px_at_300dpi = 6;

  /// Sauvola parameters: window side in millimetres (about one body-text character) and k.
  double sauvola_window_mm = 4.0;
  double sauvola_k = 0.30;
  /// After flattening (paper ≈ 255), a pixel is ink only if it is also darker than this share of
  /// the paper level: removes the bleed-through Sauvola keeps where there is no text nearby. 0.65
  /// keeps the faint strokes of 1919 print (≈ 2.5 % of their Sauvola ink lies above it); 0.55
  /// removes bleed-through that darkens the paper by 45 %, at a cost in faint strokes.
  double ink_max_paper_ratio = 0.65;
  /// ... and always ink if darker than this share: the inside of strokes wider than the Sauvola
  /// window (mastheads, bold headlines), which Sauvola alone leaves hollow.
  double ink_sure_paper_ratio = 0.50;
  /// ... but on a page whose ink is light (page_ink_level) the gate rises to the ink level plus
  /// this share of the way to the paper, at most ink_gate_max_ratio, and Sauvola's range follows
  /// the ink's contrast: a light face at a low resolution prints its thin strokes grey.
  /// Bleed-through stays out while it is lighter than the gate; on a page whose bleed-through is
  /// as dark as its text, choose a fixed low gate: ink_gate_share 0 (Sauvola as for black ink).
  double ink_gate_share = 0.5;
  double ink_gate_max_ratio = 0.85;

  bool deskew = true;
  double max_skew_deg = 5.0;  ///< search range ±; 0..45

  /// 180° on strong evidence only (paragraph indents and short last lines on the wrong side);
  /// 90°/270° only with text_axis set. Decided once per scan, before a fold is split.
  bool detect_rotation = true;
  TextAxis text_axis = TextAxis::Auto;

  bool split_folds = true;
  /// A scan is a fold candidate when width / height is at least this (two portrait pages ≈ 1.4,
  /// one portrait page ≈ 0.7).
  double fold_min_aspect = 1.15;
  /// The gutter is searched within this distance of the middle, as a share of the width.
  double fold_search_ratio = 0.12;
  FoldOrder fold_order = FoldOrder::RightFirst;

  /// Resolution at which angles, the fold and the rotation are measured (the output keeps the full
  /// resolution).
  double analysis_dpi = 100;
  /// Images whose shorter side is below this many pixels at analysis_dpi (1 inch by default) are
  /// passed through with a note, not analysed.
  int min_analysis_side_px = 100;
};

/// Checks ranges; BadArguments names the field.
[[nodiscard]] Result<void> validate(const Options& options);

/// Maps CleanPage pixel coordinates back to the original scan. Points use OpenCV's convention
/// (integer coordinates at pixel centres); boxes are pixel edges (x, y, w, h) as in Box.
struct Transform {
  /// x_original = A · (x_clean, y_clean, 1) for pixel centres.
  cv::Matx23d clean_to_original{1, 0, 0, 0, 1, 0};
  cv::Size original_size;  ///< of the whole scan; to_original clips to it
  cv::Size clean_size;
  /// The part of the original scan this page was cut from: all of it unless a fold half. A fold
  /// is cut along a line that may slant with the fold's skew; the other page's side of that line
  /// inside the crop is painted paper.
  cv::Rect crop;

  [[nodiscard]] static Transform identity(cv::Size size);

  [[nodiscard]] cv::Point2d to_original(cv::Point2d clean) const;
  /// The four corners mapped, their axis-aligned bounding box, clipped to the original image.
  [[nodiscard]] Box to_original(const Box& clean) const;
  [[nodiscard]] cv::Point2d to_clean(cv::Point2d original) const;
  /// Inverse of to_original (bounding box, clipped to clean_size); for mapping truth boxes.
  [[nodiscard]] Box to_clean(const Box& original) const;
};

struct CleanPage {
  /// Deskewed, turned upright, background flattened: paper ≈ 255, ink dark. CV_8UC1.
  cv::Mat gray;
  /// Same geometry as gray. CV_8UC1, 255 = ink, 0 = paper (the foreground convention of
  /// cv::connectedComponents and cv::findContours; `255 - binary` gives Tesseract's black on
  /// white).
  cv::Mat binary;
  double dpi = 300;
  double skew_deg = 0;   ///< removed skew, see the angle convention above
  int rotation_deg = 0;  ///< 0, 90, 180, 270: removed turn, counter-clockwise positive
  Transform transform;
  int fold_half = -1;  ///< -1: not a fold; else 0-based position in fold_order (0 = right page
                       ///< with the default RightFirst)
  std::vector<std::string> notes;  ///< what was assumed or could not be done, for provenance
};

/// Cleans one scan: one CleanPage, or two (in fold_order) for a two-page fold.
/// Never fails on what the pixels show: blank, all-photo or tiny pages come back with skew 0 and a
/// note. Fails with InputRejected for an empty or non-8-bit-gray image, BadArguments for invalid
/// options, Internal if OpenCV throws.
[[nodiscard]] Result<std::vector<CleanPage>> clean_page(const ingest::PageImage& page,
                                                        const Options& options = {});

// ---- Building blocks, public for tests and for stages that need one step alone. ----

/// Paper-level estimate of `gray` at the same size (large-scale closing at reduced resolution).
[[nodiscard]] cv::Mat estimate_background(const cv::Mat& gray, double dpi);
/// gray / background · 255: uneven light and yellowed paper become paper ≈ 255.
[[nodiscard]] cv::Mat flatten_background(const cv::Mat& gray, const cv::Mat& background);

/// Sauvola's local threshold T = m · (1 + k (s / 128 − 1)) over a window_px square, computed with
/// box filters; returns 255 where gray < T. window_px is made odd.
[[nodiscard]] cv::Mat binarize_sauvola(const cv::Mat& gray, int window_px, double k);
/// Global Otsu threshold; 255 = ink.
[[nodiscard]] cv::Mat binarize_otsu(const cv::Mat& gray);
/// What clean_page uses on a flattened page: Sauvola, and only where darker than
/// ink_max_paper_ratio · paper level, or darker than ink_sure_paper_ratio · paper level whatever
/// Sauvola says (paper level = 95th percentile of gray). On a page of light ink the gate and
/// Sauvola's range follow the ink (Options::ink_gate_share).
[[nodiscard]] cv::Mat binarize(const cv::Mat& flat_gray, double dpi, const Options& options);
/// The ink level of a page as a share of its paper level: the median, over the pieces of
/// `sauvola_ink` (255 = ink) larger than a speck, of each piece's darkest gray; -1 without ink.
[[nodiscard]] double page_ink_level(const cv::Mat& flat_gray, const cv::Mat& sauvola_ink,
                                    double dpi, const Options& options);

/// Removes 8-connected ink components of at most max_area_px pixels, in place.
void remove_specks(cv::Mat& binary, int max_area_px);

/// Skew of the text in `binary` (255 = ink) within ±max_deg, in degrees (see the convention
/// above): maximises the sharpness of the row and column projection profiles, coarse to fine.
/// Returns 0 when fewer than min_points ink pixels exist.
[[nodiscard]] double estimate_skew_deg(const cv::Mat& binary, double max_deg, int min_points = 500);

}  // namespace broadsheet::preprocess
