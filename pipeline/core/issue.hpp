#pragma once
/// The value types of an issue as issue.json (schema_version 1, DESIGN.md) holds them. Truth files
/// and pipeline output share these types; only core/issue_json.cpp knows the JSON spellings.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace broadsheet {

inline constexpr int kSchemaVersion = 1;

/// Axis-aligned box in pixels of the original scan: x, y of the top-left corner, width, height.
struct Box {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  [[nodiscard]] long long area() const { return static_cast<long long>(w) * h; }
  [[nodiscard]] bool empty() const { return w <= 0 || h <= 0; }
  friend bool operator==(const Box&, const Box&) = default;
};

/// Intersection area of two boxes (0 when disjoint).
[[nodiscard]] long long intersection_area(const Box& a, const Box& b);
/// Intersection over union, 0..1.
[[nodiscard]] double iou(const Box& a, const Box& b);
/// Smallest box holding both; an empty box is ignored.
[[nodiscard]] Box unite(const Box& a, const Box& b);

enum class RegionKind {
  Masthead,
  Header,
  Headline,
  Kicker,
  Subheadline,
  Body,
  Byline,
  Caption,
  Photo,
  Jump,
  Advert,
  Other,
};
inline constexpr RegionKind kAllRegionKinds[] = {
    RegionKind::Masthead,    RegionKind::Header, RegionKind::Headline, RegionKind::Kicker,
    RegionKind::Subheadline, RegionKind::Body,   RegionKind::Byline,   RegionKind::Caption,
    RegionKind::Photo,       RegionKind::Jump,   RegionKind::Advert,   RegionKind::Other};

[[nodiscard]] std::string_view to_string(RegionKind kind);
[[nodiscard]] std::optional<RegionKind> region_kind_from_string(std::string_view s);

enum class Direction { Horizontal, Vertical };
[[nodiscard]] std::string_view to_string(Direction d);
[[nodiscard]] std::optional<Direction> direction_from_string(std::string_view s);

enum class ArticleKind { Article, Caption, Notice, Advert };
[[nodiscard]] std::string_view to_string(ArticleKind kind);
[[nodiscard]] std::optional<ArticleKind> article_kind_from_string(std::string_view s);

/// One character of a line as the OCR engine read it: one Unicode code point (a CJK character, a
/// punctuation mark, one letter or digit of a Latin word), its box and its confidence. One code
/// point, not one Latin word, because that is what ALTO's Glyph holds (CONTENT of length 1) and
/// what a correction tool points at; a word's box is the union of its glyphs' boxes.
struct Glyph {
  Box bbox;                 ///< pixels of the original scan, like the line's
  std::string text;         ///< UTF-8, exactly one code point, never white space
  double confidence = 1.0;  ///< 0..1; issue.json keeps three decimals
  friend bool operator==(const Glyph&, const Glyph&) = default;
};

struct Line {
  Box bbox;
  std::string text;
  double confidence = 1.0;  ///< 0..1
  /// The line's characters in reading order (left to right in a horizontal line, top to bottom in
  /// a vertical one), or empty when unknown (truth files, older issue.json, a line a person
  /// corrected in a way no character can be matched to). When not empty, the glyphs' texts
  /// concatenated equal `text` with its white space removed (line_glyphs_match). Boxes are
  /// Tesseract's, cut to the line's box: approximate (LSTM symbol positions), a few pixels off.
  /// The `{}` lets Line{box, text, confidence} leave it out without -Wmissing-field-initializers.
  std::vector<Glyph> chars{};
};

/// Whether `line.chars` spells `line.text`: true when chars is empty or their texts, concatenated,
/// equal the line's text without white space.
[[nodiscard]] bool line_glyphs_match(const Line& line);

struct Region {
  std::string id;  ///< unique within the issue, e.g. "p1-r12"
  RegionKind kind = RegionKind::Other;
  Box bbox;
  Direction direction = Direction::Horizontal;
  std::string text;
  double confidence = 1.0;  ///< 0..1
  std::optional<std::string> article_id;
  std::vector<Line> lines;
  /// The text as Tesseract read it, where script conversion (OpenCC, --opencc) changed it.
  std::optional<std::string> original_text;
};

struct Page {
  int page = 1;        ///< printed page number (版) where known, else 1-based scan order
  int scan_index = 0;  ///< 0-based position of the scan in the issue
  std::string image;   ///< file name of the scan, relative to the issue folder
                       ///< (a multi-page TIFF or PDF: extra "frame" is the 0-based page in it)
  int width = 0;
  int height = 0;
  double dpi = 300;
  double skew_deg = 0;
  std::string text;  ///< all text of the page in reading order; regions separated by "\n"
  std::vector<Region> regions;
  nlohmann::json extra = nlohmann::json::object();  ///< fields this version does not model
};

struct Continuation {
  int from_page = 0;
  int to_page = 0;
  std::string marker;  ///< the jump line as printed, without brackets: "下轉第三版"
  friend bool operator==(const Continuation&, const Continuation&) = default;
};

struct ArticlePart {
  int page = 0;
  std::vector<std::string> region_ids;
  Box bbox;
  std::string text;  ///< body text of this part alone (what continuation accuracy compares)
};

struct Article {
  std::string id;
  ArticleKind kind = ArticleKind::Article;
  std::optional<std::string> headline;
  std::optional<std::string> kicker;  ///< the article's own kicker line over its headline
  std::optional<std::string> subheadline;
  std::optional<std::string> section;  ///< section kicker over a group of articles
  std::optional<std::string> byline;   ///< names without the parentheses
  std::optional<std::string> credit;   ///< photo credit as printed ("張澤慧攝")
  std::string text;                    ///< body paragraphs joined by "\n"
  std::vector<std::string> paragraphs;
  std::vector<int> pages;
  std::vector<Continuation> continuations;
  std::vector<ArticlePart> parts;
  double confidence = 1.0;
  nlohmann::json extra = nlohmann::json::object();
};

struct IssueInfo {
  std::string id;  ///< scan folder relative to the scan root: "yangquan-ribao/2025-08-07"
  std::optional<std::string> newspaper;
  std::optional<std::string> date;  ///< ISO 8601
  std::optional<long long> number;
  std::optional<int> page_count;
  std::optional<std::string> weekday;
  std::optional<std::string> lunar_date;
  nlohmann::json extra = nlohmann::json::object();  ///< newspaper_latin, serial, ...
};

struct Issue {
  int schema_version = kSchemaVersion;
  IssueInfo issue;
  std::vector<Page> pages;
  std::vector<Article> articles;
  nlohmann::json provenance = nlohmann::json::object();
};

/// The order a page is read in, as indices into page.regions (DESIGN.md "page CER"): the regions
/// of one article part together, in the order of the part's region_ids, at the place of the
/// part's first region; parts in reading order; a region in no part (masthead, running header,
/// unclaimed text) keeps its own place. Page text, ALTO, hOCR and the PDF's text layer all follow
/// it. Without articles it is the regions' own order.
[[nodiscard]] std::vector<std::size_t> text_order(const Page& page,
                                                  const std::vector<Article>& articles);
/// The 0-based frame (page) of the file a page was read from, for a multi-page TIFF or PDF (extra
/// "frame"); nullopt for a page from a one-image file.
[[nodiscard]] std::optional<int> page_frame(const Page& page);
/// One name per scan where a file name is not enough (manifest entries, saved page results): the
/// file name, with "-f<k>" (k 1-based) for frame k-1 of a multi-page file ("1919-04-03.tif-f2").
[[nodiscard]] std::string scan_label(const std::string& image, std::optional<int> frame);

/// The texts of the page's regions in text_order, separated by "\n" (empty texts skipped).
[[nodiscard]] std::string ordered_page_text(const Page& page, const std::vector<Article>& articles);

}  // namespace broadsheet
