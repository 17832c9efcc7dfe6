#pragma once
/// Drawing one page: masthead or running header, article modules (head block, body columns,
/// byline, jump lines), photos with captions and adverts, each leaving a truth region behind.
/// Everything is drawn as ink coverage on an 8-bit surface; boxes are page pixels before the
/// scan transformation.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/issue.hpp"
#include "synth/content.hpp"
#include "synth/layout.hpp"
#include "synth/spec.hpp"
#include "synth/typeset.hpp"

using cairo_surface_t = struct _cairo_surface;

namespace broadsheet::synth {

struct LineDraft {
  Rect box;
  std::string text;
};

struct RegionDraft {
  RegionKind kind = RegionKind::Other;
  Rect box;
  std::string text;
  std::optional<std::string> article_id;
  std::vector<LineDraft> lines;
};

/// Fonts and measures of one page, all in pixels at the page's resolution.
struct PageStyle {
  double dpi = 300;
  int width = 2800;
  int height = 4400;
  Grid grid;
  Font body;
  double pitch = 44;  ///< baseline to baseline of body text
  std::string headline_family = "Noto Sans CJK TC";
  std::string display_family = "Noto Serif CJK TC";  ///< second decks, section labels
  std::string soft_family = "AR PL UKai TW";         ///< kickers, subheadlines, captions
  double gap = 30;                                   ///< between stacked modules
  double rule = 2;                                   ///< rule thickness
  bool rules = true;                                 ///< rules between modules
  bool column_rules = false;      ///< hairlines between the columns of an article
  bool section_reversed = false;  ///< section labels white on black
  Align headline_align = Align::Center;
  bool jump_in_right = false;
  double halftone = 0;  ///< photo screen period in pixels; 0: continuous tone
};

/// What an article module prints on this page.
struct PartContent {
  std::string article_id;
  ArticleKind kind = ArticleKind::Article;
  std::optional<std::string> section;  ///< printed only when it opens a group
  std::optional<std::string> kicker;
  std::optional<std::string> headline;
  std::optional<std::string> deck2;
  std::optional<std::string> subheadline;
  double headline_scale = 2.4;          ///< headline em size over body em size
  std::optional<std::string> jump_in;   ///< "上接第一版"
  std::optional<std::string> jump_out;  ///< "下轉第三版"
  std::optional<std::string> byline;    ///< names; printed in full-width brackets
  bool continues_paragraph = false;
  std::vector<std::string> paragraphs;
  std::optional<std::string> credit;  ///< captions
  bool photo = true;                  ///< captions: a photo above the text
};

/// Where random body text comes from: corpus paragraphs, and the rest of a paragraph cut by a
/// jump (which the next part prints first).
class ParagraphStream {
 public:
  ParagraphStream(const Corpus& corpus, Rng rng, std::string dateline);
  [[nodiscard]] bool has_carry() const { return !carry_.empty(); }
  std::string next();
  void set_carry(std::string rest) { carry_ = std::move(rest); }

 private:
  const Corpus* corpus_;
  Rng rng_;
  std::string dateline_;
  std::string carry_;
  int produced_ = 0;
};

/// The printed result of one module: its regions in reading order and, for articles, what it
/// contributed to the article.
struct ModuleOutput {
  std::vector<RegionDraft> regions;
  std::optional<std::string> article_id;
  std::vector<std::string> paragraphs;  ///< body paragraphs printed here (cut ones included)
  bool continues_paragraph = false;
};

struct Photo {
  Rect rect;
  cv::Mat pixels;  ///< CV_8UC1, rect size
};

/// One page being drawn.
class PageCanvas {
 public:
  PageCanvas(const Typesetter& typesetter, PageStyle style, Rng& rng);
  ~PageCanvas();
  PageCanvas(const PageCanvas&) = delete;
  PageCanvas& operator=(const PageCanvas&) = delete;

  [[nodiscard]] const PageStyle& style() const { return style_; }

  /// Masthead of a front page; returns its region and the y below it.
  RegionDraft draw_masthead(const IssueMeta& meta, double top, double height);
  /// Running header of an inner page.
  RegionDraft draw_header(const IssueMeta& meta, int page,
                          const std::optional<std::string>& section, double top);

  /// Height an article part needs at `span` columns (content-first packing); < 0 when it cannot
  /// be set that narrow.
  [[nodiscard]] double measure_article(const PartContent& part, int span) const;
  [[nodiscard]] double measure_caption(const PartContent& part, int span) const;

  /// Draws a part whose text is fixed, its lines shared evenly over the module's columns.
  ModuleOutput draw_article(const ModuleGeom& geom, const PartContent& part);
  /// Draws a part whose text is pulled from `stream` until the module is full. With
  /// `part.jump_out` set the module is filled to the last line and the paragraph it cuts is left
  /// in the stream; otherwise the article ends at a sentence.
  ModuleOutput draw_article_streamed(const ModuleGeom& geom, PartContent part,
                                     ParagraphStream& stream);
  ModuleOutput draw_caption(const ModuleGeom& geom, const PartContent& part);
  ModuleOutput draw_advert(const ModuleGeom& geom, const std::vector<std::string>& lines);
  /// Column and module rules around a module.
  void draw_rules(const ModuleGeom& geom);

  /// The page as 8-bit gray (255 paper, 0 ink) with photos pasted in.
  [[nodiscard]] cv::Mat finish();

 private:
  struct Slot {
    Rect rect;
    int capacity = 0;
  };
  struct FlowLine {
    enum class Role { Body, Byline, JumpIn, JumpOut } role = Role::Body;
    std::string text;
    bool indent = false;
    bool paragraph_end = false;
  };

  /// Draws a line and returns the box of the ink it left (drawn pixels, not font extents).
  Rect put_line(std::string_view text, const Font& font, double x, double baseline, double width,
                Align align) const;
  [[nodiscard]] Rect content_rect(const ModuleGeom& geom, double x_pad = 0) const;
  /// Sets section label, kicker, headline decks and subheadline at the top of `area`; returns
  /// the y where the body starts. With `draw` false it only measures.
  double draw_head(const PartContent& part, const Rect& area, bool draw,
                   std::vector<RegionDraft>* regions) const;
  /// Lines of a headline deck in `width`: one line (slightly smaller type if that is enough), or
  /// balanced lines, shrinking `font` until at most `max_lines` remain.
  [[nodiscard]] std::vector<std::string> fit_display(const std::string& text, Font& font,
                                                     double width, size_t max_lines,
                                                     double min_px) const;
  [[nodiscard]] double head_height(const PartContent& part, double width) const;
  [[nodiscard]] std::vector<Slot> slots(const ModuleGeom& geom, double head_bottom) const;
  [[nodiscard]] int capacity(double height) const;
  [[nodiscard]] std::vector<FlowLine> flow_lines(const PartContent& part, double width) const;
  void append_paragraph(std::vector<FlowLine>& out, std::string_view text, bool indent,
                        double width) const;
  void draw_column_rules(const std::vector<Slot>& slots);
  void draw_flow(const std::vector<Slot>& slots, const std::vector<FlowLine>& lines,
                 const std::vector<int>& per_slot, const std::string& article_id,
                 std::vector<RegionDraft>& regions);
  [[nodiscard]] Font head_font(const PartContent& part) const;
  [[nodiscard]] Font caption_font() const;
  RegionDraft text_block(RegionKind kind, const std::vector<std::string>& lines, const Font& font,
                         double x, double y, double width, Align align, double pitch,
                         const std::optional<std::string>& article_id, bool draw) const;

  const Typesetter* ts_;
  PageStyle style_;
  Rng* rng_;
  double ascent_ = 0.88;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  std::vector<Photo> photos_;
};

}  // namespace broadsheet::synth
