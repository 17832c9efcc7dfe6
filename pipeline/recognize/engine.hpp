#pragma once
/// recognize: the only code that includes Tesseract. One TesseractEngine per worker thread,
/// initialised once and reused for every page the worker reads (DESIGN.md "Known facts").

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::recognize {

struct EngineOptions {
  std::filesystem::path tessdata;  ///< folder holding <language>.traineddata
  std::string language = "chi_tra";
  /// The model for vertical blocks (ReadMode::VerticalBlock). chi_tra reads a vertical column at
  /// a CER near 0.95 in PSM 5, chi_tra_vert at 0.05-0.23 (models/README.md).
  std::string vertical_language = "chi_tra_vert";
  /// The Latin model that reads numbers again where chi_tra may have taken a % for digits
  /// (settle_percent in recognize/punctuation.hpp); empty = not read again.
  std::string number_language = "eng";
  /// OpenCC configuration applied to every region's text, e.g. "s2t" (simplified characters to
  /// traditional); empty = none. Off by default: on synthesised traditional pages s2t also turns
  /// correct traditional characters into variants (台→臺, 群→羣) and costs 0.36 points of F1.
  std::string opencc;
  /// Where Tesseract's own diagnostics go (its debug_file parameter); empty = discarded.
  std::filesystem::path log_file;
};

/// The tessdata folder to use: `explicit_dir` if given, else $TESSDATA_PREFIX, else the folder
/// Debian's tesseract-ocr packages install to.
[[nodiscard]] std::filesystem::path default_tessdata(const std::filesystem::path& explicit_dir);

/// Checks, before any page is read, that the model files (horizontal and vertical) exist; the
/// error names the file and the Debian package that provides it. Returns the horizontal model.
[[nodiscard]] Result<std::filesystem::path> find_model(const EngineOptions& options);

/// Text and blocks of one page as Tesseract's own layout analysis (PSM 3) finds them: the
/// baseline every broadsheet stage must beat.
struct PageReading {
  std::string text;  ///< blocks in Tesseract's order, separated by "\n"
  std::vector<Region> regions;
};

/// How a region is read: Tesseract's page-segmentation mode for it.
enum class ReadMode {
  Block,  ///< a uniform block of horizontal text (PSM 6): body, caption
  Line,   ///< a single line (PSM 7): jump, byline
  /// Display type (headline, kicker, subheadline): the block's lines found as in PSM 6, each
  /// read on its own as a raw line (PSM 13) with a margin of a quarter of its height.
  DisplayLines,
  VerticalBlock,  ///< a block of vertical text (PSM 5)
};

/// One region to read: its box in the coordinates of the image given to read_regions.
struct RegionRequest {
  Box box;
  ReadMode mode = ReadMode::Block;
};

/// What was read in one region. Line boxes are in the coordinates of the image given.
struct RegionText {
  std::string text;  ///< normalised (recognize/normalize.hpp); paragraphs separated by "\n"
  std::vector<Line> lines;
  double confidence = 0;  ///< mean of the line confidences, 0..1; 0 when nothing was read
  /// The text before script conversion, where EngineOptions::opencc changed it.
  std::optional<std::string> original_text;
};

class TesseractEngine {
 public:
  /// Initialises Tesseract once. Fails with ErrorCode::ModelMissing when the model cannot load.
  [[nodiscard]] static Result<std::unique_ptr<TesseractEngine>> create(
      const EngineOptions& options);
  ~TesseractEngine();
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  /// Reads a whole page with automatic page segmentation. `gray` is CV_8UC1; region ids are
  /// "p<page>-r<k>". Not thread-safe: one engine per thread.
  [[nodiscard]] Result<PageReading> read_page(const cv::Mat& gray, double dpi, int page_number);

  /// Reads each requested region of one page image (CV_8UC1), in the order given. The image is
  /// handed to Tesseract once; each region is read through a rectangle on it. A paragraph starts
  /// at a line indented by at least one character, or after a line that ends well short of the
  /// region's right edge. Not thread-safe: one engine per thread.
  [[nodiscard]] Result<std::vector<RegionText>> read_regions(
      const cv::Mat& gray, double dpi, const std::vector<RegionRequest>& regions);

  [[nodiscard]] static std::string version();

 private:
  struct Impl;
  explicit TesseractEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace broadsheet::recognize
