#pragma once
/// Internal to reassemble: the article parts of one page (parts.cpp) and the links between parts
/// on different pages (link.cpp). reassemble.cpp turns linked parts into Articles.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/issue.hpp"
#include "reassemble/jump.hpp"
#include "reassemble/reassemble.hpp"

namespace broadsheet::reassemble::detail {

/// Yes / no / cannot tell (no line geometry).
enum class Cue { Unknown, No, Yes };

/// One body region's contribution to a part.
struct Piece {
  std::size_t region = 0;             ///< index into page.regions
  std::string text;                   ///< the region's text without a merged jump line or byline
  Cue first_indented = Cue::Unknown;  ///< its first line starts a paragraph (indent)
  Cue last_short = Cue::Unknown;      ///< its last line ends a paragraph (short line)
};

/// What one article prints on one page.
struct Part {
  std::size_t page_index = 0;  ///< index into issue.pages
  int scan_index = 0;
  int page = 0;           ///< printed page number
  std::size_t first = 0;  ///< index of its first region on the page (reading order)
  ArticleKind kind = ArticleKind::Article;
  std::vector<std::size_t> regions;  ///< every region of the part, in reading order

  std::optional<std::string> section;
  std::optional<std::string> kicker;
  std::optional<std::string> headline;
  std::optional<std::string> subheadline;
  std::optional<std::string> byline;
  std::optional<std::string> credit;
  std::optional<Jump> jump_in;
  std::optional<Jump> jump_out;
  /// A jump line was there but its page number could not be read.
  bool jump_in_unread = false;
  bool jump_out_unread = false;

  std::vector<Piece> pieces;
  std::string text;  ///< pieces joined
};

/// Body-text character size of a region in pixels, from its lines (width per character, which a
/// skewed scan does not inflate) or, without lines, from its box and text length. 0 when unknown.
[[nodiscard]] double char_px(const Region& region);

/// Groups the regions of one page into parts, in reading order of their first region.
/// `page_number` is the printed number the parts carry. `jumped_here` holds the headlines of the
/// parts on other pages whose （下轉…） line names this page: a continuation that repeats one of
/// them over its columns is one part with the （上接…） line and the column under it.
[[nodiscard]] std::vector<Part> group_page(const Page& page, std::size_t page_index,
                                           int page_number, const Options& options,
                                           const std::vector<std::string>& jumped_here = {});

/// Whether `next` begins a new paragraph after `prev` (the end of the text before it).
[[nodiscard]] bool starts_paragraph(const Piece& prev, const Piece& next);

/// Across a jump: whether the continuation goes on with the paragraph the part before it cut. Its
/// first line decides where it can be seen (a part before a jump may end on a short line that is
/// not a paragraph end); else as starts_paragraph.
[[nodiscard]] bool continues_on(const Piece& before_jump, const Piece& continuation);

/// Joins a part's pieces: "\n" before a piece that starts a paragraph, nothing otherwise.
void join_pieces(Part& part);

/// Links between parts on different pages: next[i] is the part that continues part i (or -1).
[[nodiscard]] std::vector<std::ptrdiff_t> link_parts(const std::vector<Part>& parts,
                                                     const Options& options);

/// Share of the character bigrams of `part` (comparison form) found in `whole`; 0..1.
[[nodiscard]] double bigram_containment(std::string_view part, std::string_view whole);

}  // namespace broadsheet::reassemble::detail
