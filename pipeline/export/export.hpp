#pragma once
/// export: issue.json's Issue written in the formats libraries and readers use. Every writer is a
/// pure function of the Issue (corrections, once applied to the Issue, flow into every format);
/// only the searchable PDF reads the scans, through Leptonica. No OpenCV, no Tesseract.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::exporter {

enum class Format { Json, Alto, Mets, Hocr, Text, Pdf };
inline constexpr Format kAllFormats[] = {Format::Json, Format::Alto, Format::Mets,
                                         Format::Hocr, Format::Text, Format::Pdf};

/// "json", "alto", "mets", "hocr", "txt", "pdf"
[[nodiscard]] std::string_view to_string(Format f);
/// Parses "json,alto,mets": names separated by commas, "all" for every format. The error names the
/// unknown word and lists the known ones. json is always added: every other format is made from it.
[[nodiscard]] Result<std::vector<Format>> parse_formats(std::string_view csv);

/// File stem of a page's own files: the scan's stem, with "-f<k>" for page k of a multi-page TIFF
/// or PDF and "-1"/"-2" for the halves of a fold ("page-01", "scan-0003-2", "1919-04-03-f2").
/// Unique within an issue.
[[nodiscard]] std::string page_stem(const Page& page);

/// Names of the files an issue's export writes, relative to the issue's output folder.
[[nodiscard]] std::string alto_file_name(const Page& page);  ///< "<stem>.alto.xml"
[[nodiscard]] std::string hocr_file_name(const Page& page);  ///< "<stem>.hocr"
inline constexpr std::string_view kMetsFileName = "issue.mets.xml";
inline constexpr std::string_view kTextFileName = "issue.txt";
inline constexpr std::string_view kPdfFileName = "issue.pdf";

/// ALTO 4.4 of one page of `issue` (alto.cpp).
/// `image_href` is the scan as the METS and ALTO refer to it (sourceImageInformation/fileName).
[[nodiscard]] std::string to_alto(const Issue& issue, const Page& page,
                                  std::string_view image_href);

/// hOCR (HTML with ocr_page / ocr_carea / ocr_par / ocr_line / ocrx_word) of one page (hocr.cpp).
[[nodiscard]] std::string to_hocr(const Issue& issue, const Page& page,
                                  std::string_view image_href);

/// Plain text of the issue: a short heading with newspaper, date and number, then each article in
/// reading order (page by page, in each page's region order), headline first, then kicker line /
/// subheadline / byline where present, then the body; articles separated by a blank line
/// (text.cpp).
[[nodiscard]] std::string to_text(const Issue& issue);

/// METS 1.12 of the issue (mets.cpp): fileGrp IMAGE (the scans, `image_hrefs[i]` for pages[i]),
/// fileGrp ALTO (`alto_file_name` of each page), a physical structMap of pages, a logical structMap
/// with one div per article whose parts (one per page, in order) point at their ALTO blocks.
[[nodiscard]] std::string to_mets(const Issue& issue, std::span<const std::string> image_hrefs);

struct PdfOptions {
  /// The glyph-less font Tesseract ships for its own PDFs (tessdata/pdf.ttf): one invisible glyph
  /// for every character, so the text layer selects and searches but never draws.
  std::filesystem::path font;
  int jpeg_quality = 85;  ///< for scans that are not already JPEG
};

/// Searchable PDF of the issue (pdf.cpp, library broadsheet_export_pdf): one PDF page per page,
/// the scan as the picture, each line's text invisible over it. `scan_dir` holds the images that
/// pages[].image names.
[[nodiscard]] Result<void> write_pdf(const Issue& issue, const std::filesystem::path& scan_dir,
                                     const std::filesystem::path& out, const PdfOptions& options);

/// The issue with the corrections people made to articles (review: the corrected field beside its
/// OCR copy in articles[].extra["ocr"]) carried into the lines and text of the article's regions,
/// and page text rebuilt, so that every format prints what was corrected (corrected.cpp). Without
/// corrections it is the issue as given.
[[nodiscard]] Issue with_corrections_in_lines(const Issue& issue);

/// Where an issue's output files refer to its scans: the path of `page.image` in `scan_dir`
/// relative to `issue_dir` when both are known ("../../../scans/paper/2025-08-07/page-01.jpg"),
/// else the bare file name.
[[nodiscard]] std::string image_href(const Page& page, const std::filesystem::path& scan_dir,
                                     const std::filesystem::path& issue_dir);

/// Writes every format in `formats` but json (the caller owns issue.json) into `issue_dir`, each
/// file atomically (write.cpp). Goes on past a failing format; returns the first error, naming the
/// file, after trying them all.
[[nodiscard]] Result<void> write_formats(const Issue& issue, const std::filesystem::path& issue_dir,
                                         const std::filesystem::path& scan_dir,
                                         std::span<const Format> formats, const PdfOptions& pdf);

}  // namespace broadsheet::exporter
