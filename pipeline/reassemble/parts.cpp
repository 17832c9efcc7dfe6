// One page → article parts: regions in reading order, a small state machine over their roles.
//
// A page is made up of modules (DESIGN.md, segment's reading order): an article module reads
// section kicker, kicker, headline, subheadline, （上接…）, body columns, byline, （下轉…）; a
// photo goes with its caption; masthead, running header and adverts stand alone. So a head region
// after body text, or a （上接…） line, opens a new part; a byline or a （下轉…） line closes one.
// What segment may get wrong is checked against the text (a "jump" that reads as a byline is a
// byline) and, for body columns, against geometry (a column that neither stands beside nor below
// the part's other columns starts a part of its own).
//
// Then the repairs that the layout pipeline's output on scans/ asked for: pieces put in column
// order by their boxes (segment reads a column late, or a paragraph number after its line); a
// headline cut in two on one line read as one; a short body ending in …攝 under a photo read as
// its caption; a section label read as a headline folded into the story under it; a large
// dash-less subheadline read as the second deck; and columns that landed in a part with no head
// (a continuation's first column read after the others) joined to the part with the head beside
// them when the text runs on across the join.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/text.hpp"
#include "reassemble/byline.hpp"
#include "reassemble/cues.hpp"
#include "reassemble/detail.hpp"

namespace broadsheet::reassemble::detail {

namespace {

// How many articles after the one that prints a section kicker also belong to the section.
constexpr int kSectionFollowers = 1;
// tan(2°): a scan may be rotated this much, so column tops drift by this share of their distance.
constexpr double kSkewSlope = 0.04;
// A body region whose characters are this much larger than the page's body text is a headline.
constexpr double kHeadlineBodyRatio = 1.5;
// A subheadline this much larger than body text, and not much smaller than the headline, is a
// second deck: synthetic and real subheadlines are set at about 1.4 body sizes (ink 1.2–1.4),
// second decks at 0.62 of the headline.
constexpr double kDeckBodyRatio = 1.55;
constexpr double kDeckHeadlineRatio = 0.5;
// The halves of a cut column stand less than this many body characters apart (a paragraph gap
// of a blank line); a lost headline line with the space around it leaves at least 2.5.
constexpr double kHalvesMaxGapChars = 2.0;
// Of a headline's visible characters at least this share are Chinese (增長5.1% leaves 0.8 in a
// short one; 5G+工業互聯網 0.6).
constexpr double kMinHeadlineCjkShare = 0.6;
// A region inside a larger one is the same lines read twice when this share of its character
// bigrams is in the larger one's text.
constexpr double kDuplicateTextShare = 0.6;
// Display type (kicker, headline, subheadline) is set larger than this share of body text.
constexpr double kBodySizedRatio = 1.15;
constexpr double kBodySizedLineRatio = 1.3;  // its line height, with a tall bracket or mark
// A short body region that ends in a photographer's credit (…。吳泉攝) is a caption segment cut
// off its photo.
constexpr std::size_t kMaxLooseCaptionChars = 80;
// A byline region holds no more than this many characters when it does not read as one.
constexpr std::size_t kMaxLooseBylineChars = 24;
// A part with this many body lines, a sentence among them, has a column of its own: a dateline
// after it opens another story.
constexpr std::size_t kStoryLines = 3;

enum class Role {
  None,
  Meta,
  Advert,
  Photo,
  Caption,
  Kicker,
  Headline,
  Subheadline,
  Body,
  Byline,
  JumpIn,
  JumpOut,
};

struct Token {
  std::size_t region = 0;
  Role role = Role::None;
  std::string text;  ///< body: the cut text; byline: the names
  std::optional<Jump> jump;
  bool loose = false;  ///< a byline only by its kind: body text where no body came before it
};

/// Weighted length in ems: a CJK character is one, ASCII about half, a space about a third.
double em_length(std::u32string_view s) {
  double n = 0;
  for (char32_t c : s) {
    if (c == U'\n' || c == U'\r') continue;
    if (c == U' ' || c == U'\t') {
      n += 0.3;
    } else if (c < 0x80) {
      n += 0.55;
    } else {
      n += 1.0;
    }
  }
  return n;
}

/// A line's width per character (per em); 0 when it holds fewer than `min_em` characters.
double line_em_px(const Line& l, double min_em) {
  const double n = em_length(text::to_u32(l.text));
  return n >= min_em && n > 0 && l.bbox.w > 0 ? l.bbox.w / n : 0;
}

/// Display text that is no Chinese heading: no two Chinese characters in a row, or under
/// kMinHeadlineCjkShare of its visible characters Chinese. A real headline may be as short as two
/// characters (醉後) and may hold figures (增長5.1%), but is Chinese above all.
bool display_noise(std::u32string_view s) {
  std::size_t best = 0, run = 0, cjk = 0, visible = 0;
  for (char32_t c : s) {
    if (text::is_space(c)) continue;
    ++visible;
    run = text::is_cjk(c) ? run + 1 : 0;
    cjk += text::is_cjk(c) ? 1 : 0;
    best = std::max(best, run);
  }
  return best < 2 || static_cast<double>(cjk) < kMinHeadlineCjkShare * static_cast<double>(visible);
}

/// The boxes share a column: they overlap across at least half the narrower one's width.
bool share_column(const Box& a, const Box& b) {
  const int overlap_x = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  return overlap_x >= std::max(1, std::min(a.w, b.w)) / 2;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

/// The median height of the region's line boxes; 0 without lines.
double line_height(const Region& r) {
  std::vector<double> heights;
  for (const Line& l : r.lines) heights.push_back(l.bbox.h);
  return median(std::move(heights));
}

/// Newlines inside a display line (headline, kicker) are line breaks of the setting: dropped
/// between CJK characters, a space elsewhere.
std::string display_text(std::string_view s) {
  const std::u32string u = text::to_u32(s);
  std::u32string out;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (u[i] != U'\n' && u[i] != U'\r') {
      out += u[i];
      continue;
    }
    const bool cjk_before = !out.empty() && !text::is_space(out.back()) && out.back() >= 0x2E80;
    const bool cjk_after = i + 1 < u.size() && u[i + 1] >= 0x2E80;
    if (!(cjk_before && cjk_after) && !out.empty() && out.back() != U' ') out += U' ';
  }
  return text::to_utf8(cues::trim(out));
}

std::string joined_display(const Page& page, const std::vector<std::size_t>& regions) {
  std::string out;
  for (std::size_t r : regions) {
    const std::string t = display_text(page.regions[r].text);
    if (t.empty()) continue;
    if (!out.empty()) out += " ";
    out += t;
  }
  return out;
}

bool has_sentence_punct(std::u32string_view s) {
  return std::any_of(s.begin(), s.end(), [](char32_t c) {
    return c == U'，' || c == U'。' || c == U'；' || c == U'！' || c == U'？' || c == U',';
  });
}

/// 本報訊, 新華社…電: how a story's first paragraph opens, never a byline.
bool is_dateline(std::u32string_view s) {
  s = cues::trim(s);
  return s.starts_with(U"本報訊") || s.starts_with(U"本报讯") || s.starts_with(U"新華社") ||
         s.starts_with(U"新华社");
}

/// ——市總工會扎實推進… (OCR: 一一, --).
bool opens_with_dash(std::string_view text) {
  const std::u32string u = text::to_u32(text);
  const std::u32string_view s = cues::trim(u);
  if (s.empty()) return false;
  if (s.front() == U'—' || s.front() == U'─' || s.front() == U'―' || s.front() == U'–') return true;
  return s.size() >= 2 &&
         (s.substr(0, 2) == U"一一" || s.substr(0, 2) == U"--" || s.substr(0, 2) == U"－－");
}

/// 鞠振出席並講話, 王琳玉、李明主持: the note under a report's headline of who attended,
/// chaired or spoke: one to three names of two to four characters, then what they did. Set
/// under the headline in display type, it is the subheadline, never the headline's second deck.
bool is_attendance_note(std::string_view text) {
  const std::u32string s = text::strip_space(text::to_u32(text));
  static constexpr std::u32string_view kDid[] = {
      U"出席並講話",     U"出席并讲话",     U"出席並致辭", U"出席并致辞",
      U"出席會議並講話", U"出席会议并讲话", U"出席",       U"主持",
      U"講話",           U"讲话",           U"致辭",       U"致辞"};
  // Names of two to four characters, parted by 、 (or a comma OCR read for it).
  auto are_names = [](std::u32string_view names) {
    int count = 0;
    for (std::size_t start = 0; start <= names.size(); ++count) {
      std::size_t end = names.find_first_of(U"、，", start);
      if (end == std::u32string_view::npos) end = names.size();
      const std::u32string_view name = names.substr(start, end - start);
      if (name.size() < 2 || name.size() > 4 ||
          !std::all_of(name.begin(), name.end(), text::is_cjk))
        return false;
      start = end + 1;
    }
    return count <= 3;
  };
  const std::u32string_view sv(s);
  return std::any_of(std::begin(kDid), std::end(kDid), [&](std::u32string_view did) {
    return sv.size() > did.size() && sv.ends_with(did) &&
           are_names(sv.substr(0, sv.size() - did.size()));
  });
}

/// The lines at the foot of a headline block that are its subheadline, as display text: from the
/// first after its top line that opens with a dash to its end (——記者手記), or else its last line
/// when that is an attendance note (董建平出席並講話): a subheadline segment read with the
/// headline.
std::optional<std::string> subheadline_tail(const Region& r) {
  for (std::size_t k = 1; k < r.lines.size(); ++k) {
    if (!opens_with_dash(r.lines[k].text)) continue;
    std::string tail;
    for (std::size_t j = k; j < r.lines.size(); ++j) tail += (j > k ? "\n" : "") + r.lines[j].text;
    tail = display_text(tail);
    if (tail.empty()) return std::nullopt;
    return tail;
  }
  if (r.lines.size() >= 2 && is_attendance_note(r.lines.back().text)) {
    std::string tail = display_text(r.lines.back().text);
    if (!tail.empty()) return tail;
  }
  return std::nullopt;
}

bool ends_with_she(std::u32string_view s) {
  s = cues::trim(s);
  return !s.empty() && (s.back() == U'攝' || s.back() == U'摄');
}

bool mentions(std::u32string_view s, std::u32string_view chars) {
  return std::any_of(s.begin(), s.end(),
                     [&](char32_t c) { return chars.find(c) != std::u32string_view::npos; });
}

/// Paragraph cues of a body region from its line boxes.
void line_cues(const Region& r, double c, const Options& options, Piece& piece) {
  if (r.lines.size() < 2 || c <= 0) return;
  const Box& l0 = r.lines[0].bbox;
  const Box& l1 = r.lines[1].bbox;
  piece.first_indented = l0.x - l1.x >= options.indent_chars * c ? Cue::Yes : Cue::No;
  const Box& last = r.lines.back().bbox;
  const Box& before = r.lines[r.lines.size() - 2].bbox;
  piece.last_short = (before.x + before.w) - (last.x + last.w) >= options.short_line_chars * c
                         ? Cue::Yes
                         : Cue::No;
}

/// A part being read.
struct Builder {
  Part part;
  bool active = false;
  bool closed = false;
  std::vector<std::size_t> kickers;
  std::vector<std::size_t> decks;
  std::vector<std::size_t> subs;
  std::vector<std::size_t> late;  ///< kickers after the headline, before any body

  [[nodiscard]] bool has_body() const { return !part.pieces.empty(); }
  void add_region(std::size_t r) {
    if (std::find(part.regions.begin(), part.regions.end(), r) == part.regions.end())
      part.regions.push_back(r);
  }
};

class PageGrouper {
 public:
  PageGrouper(const Page& page, std::size_t page_index, int page_number, const Options& options,
              const std::vector<std::string>& jumped_here)
      : page_(page),
        page_index_(page_index),
        page_number_(page_number),
        options_(options),
        jumped_here_(jumped_here) {
    std::vector<double> sizes;
    for (const Region& r : page.regions)
      if (r.kind == RegionKind::Body && r.lines.size() >= 3) sizes.push_back(char_px(r));
    if (sizes.empty())
      for (const Region& r : page.regions)
        if (r.kind == RegionKind::Body) sizes.push_back(char_px(r));
    std::erase(sizes, 0.0);
    body_px_ = median(sizes);
    if (body_px_ <= 0) body_px_ = std::max(8.0, page.dpi / 300.0 * 30.0);
    constexpr double kMaxSkewDeg = 5;
    constexpr double kRadPerDeg = 3.14159265358979323846 / 180;
    sin_ = std::sin(std::clamp(page.skew_deg, -kMaxSkewDeg, kMaxSkewDeg) * kRadPerDeg);
  }

  std::vector<Part> run() {
    find_duplicates();
    find_headline_fragments();
    std::vector<Token> tokens;
    for (std::size_t i = 0; i < page_.regions.size(); ++i)
      if (!absorbed_.contains(i)) classify(i, tokens);
    place_jump_ins(tokens);
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      Token& tok = tokens[t];
      // A body right under an unclaimed photo that ends in a credit is its caption.
      if (tok.role == Role::Body && t > 0 && tokens[t - 1].role == Role::Photo &&
          split_credit(tok.text))
        tok.role = Role::Caption;
      step(tok);
    }
    finish();
    match_captions();
    sort_parts();
    fold_head_only_parts();
    merge_fragments();
    reclaim_lower_halves();
    for (Part& part : parts_) {
      order_pieces(part);
      drop_lines_read_twice(part);
      join_pieces(part);
    }
    propagate_sections();
    return std::move(parts_);
  }

 private:
  // ---- roles ----------------------------------------------------------------------------------

  void classify(std::size_t i, std::vector<Token>& out) const {
    const Region& r = page_.regions[i];
    const std::u32string u = text::to_u32(r.text);
    const std::size_t visible = cues::visible_length(u);
    switch (r.kind) {
      case RegionKind::Masthead:
      case RegionKind::Header:
        out.push_back({i, Role::Meta, {}, {}});
        return;
      case RegionKind::Advert:
        out.push_back({i, Role::Advert, {}, {}});
        return;
      case RegionKind::Photo:
        out.push_back({i, Role::Photo, {}, {}});
        return;
      default:
        break;
    }
    if (visible == 0) return;
    // A "headline" of a lone Chinese character (誠) or mostly other signs (2 1 人人1人) is the
    // edge of a photo, a speck or a stroke segment took for display type: no head for anything.
    if (r.kind == RegionKind::Headline && display_noise(u)) return;
    // Text decides: whatever its kind, a region that reads as a jump line is one.
    if (std::optional<Jump> jump = parse_jump(r.text)) {
      out.push_back(
          {i, jump->direction == Jump::Direction::To ? Role::JumpOut : Role::JumpIn, {}, jump});
      return;
    }
    const bool display = r.kind == RegionKind::Kicker || r.kind == RegionKind::Headline ||
                         r.kind == RegionKind::Subheadline;
    switch (display && body_line_over_column(r) ? RegionKind::Body : r.kind) {
      case RegionKind::Caption:
        out.push_back({i, Role::Caption, r.text, {}});
        return;
      case RegionKind::Kicker:
        out.push_back({i, Role::Kicker, {}, {}});
        return;
      case RegionKind::Headline:
        out.push_back({i, Role::Headline, {}, {}});
        return;
      case RegionKind::Subheadline:
        out.push_back({i, Role::Subheadline, {}, {}});
        return;
      default:
        break;
    }
    if (r.kind != RegionKind::Body && visible <= 12 && mentions(u, U"轉转接續续") &&
        mentions(u, U"版板第")) {
      // A jump line whose page number is unreadable: its direction still shows.
      out.push_back({i, mentions(u, U"接續续上") ? Role::JumpIn : Role::JumpOut, {}, {}});
      return;
    }
    if (std::optional<std::string> names = parse_byline(r.text)) {
      out.push_back({i, Role::Byline, *names, {}});
      return;
    }
    if (r.kind == RegionKind::Byline || r.kind == RegionKind::Jump) {
      // Brackets, and what OCR makes of them at the ends of a short line (a comma or full stop
      // for the closing one, + or a quote for the opening one), are not part of the names.
      const auto edge_junk = [](char32_t c) {
        return cues::is_open_bracket(c) || cues::is_close_bracket(c) || text::is_space(c) ||
               std::u32string_view(U"，,。.、+*'\"‘’“”:;：；").find(c) != std::u32string_view::npos;
      };
      std::u32string_view inner = cues::trim(u);
      while (!inner.empty() && edge_junk(inner.front())) inner.remove_prefix(1);
      while (!inner.empty() && edge_junk(inner.back())) inner.remove_suffix(1);
      // Sentence punctuation read at an end stands for a bracket only before a name list.
      const bool names_only = !has_sentence_punct(u) || starts_with_surname(inner);
      // A column going on right under it: a line fragment of that column, not a byline.
      if (visible <= kMaxLooseBylineChars && !has_sentence_punct(inner) && names_only &&
          !is_dateline(u) && body_right_under(r) == nullptr) {
        if (!inner.empty()) {
          out.push_back({i, Role::Byline, text::to_utf8(inner), {}, true});
          return;
        }
      }
    }
    // Body (or other text) right under a photo that ends in a credit is the photo's caption.
    if ((under_a_photo(r) || (visible <= kMaxLooseCaptionChars && ends_with_she(u))) &&
        split_credit(r.text)) {
      out.push_back({i, Role::Caption, r.text, {}});
      return;
    }
    // A headline-sized block is a headline segment took for body text: every line of it wide per
    // character and tall. A line of body type spread across its column is as wide but no taller
    // than body text (dev seed 120 p1, “今天我們來學); one that opens with a dateline is a
    // story's first line, boxed with the line under it (dev seed 126 p1); a short line whose box
    // took in a speck beside it looks wide, the line over it does not (dev seed 119 p2).
    if (r.lines.size() <= 2 && visible <= 40 && !is_dateline(u) && headline_sized(r)) {
      out.push_back({i, Role::Headline, {}, {}});
      return;
    }
    std::string body = r.text;
    std::optional<Jump> in;
    std::optional<Jump> tail;
    if (auto lead = split_leading_jump(body);
        lead && lead->jump.direction == Jump::Direction::From) {
      in = lead->jump;
      body = lead->text;
    }
    if (auto trail = split_trailing_jump(body);
        trail && trail->jump.direction == Jump::Direction::To) {
      tail = trail->jump;
      body = trail->text;
    }
    if (in) out.push_back({i, Role::JumpIn, {}, in});
    if (cues::visible_length(text::to_u32(body)) > 0) out.push_back({i, Role::Body, body, {}});
    if (tail) out.push_back({i, Role::JumpOut, {}, tail});
  }

  /// A （上接…） line heads the first column of its continuation, but segment may read it with
  /// the columns above it (a module whose columns start at staggered heights, a skewed page).
  /// Each jump-in line of its own is read again just before the body column right under it.
  void place_jump_ins(std::vector<Token>& tokens) const {
    const double c = body_px_;
    std::map<std::size_t, std::vector<Token>> before;  // body region → jump lines to read first
    std::vector<bool> moved(tokens.size(), false);
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      const Token& jump = tokens[t];
      if (jump.role != Role::JumpIn) continue;
      // Cut from the top of a body region: already where it belongs.
      if (t + 1 < tokens.size() && tokens[t + 1].region == jump.region) continue;
      const Box& j = page_.regions[jump.region].bbox;
      std::optional<std::size_t> best;
      double best_gap = 0;
      for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (tokens[k].role != Role::Body || tokens[k].region == jump.region) continue;
        const Box& b = page_.regions[tokens[k].region].bbox;
        const double gap = b.y - (j.y + j.h);
        if (!share_column(j, b) || gap < -c || gap > 1.5 * c) continue;
        if (!best || std::abs(gap) < best_gap) {
          best = k;
          best_gap = std::abs(gap);
        }
      }
      if (!best || *best == t + 1) continue;
      // Followed by body text on the lines right under it (the rest of a first line whose
      // paragraph number segment cut off): already where it belongs.
      if (t + 1 < tokens.size() && tokens[t + 1].role == Role::Body) {
        const Box& n = page_.regions[tokens[t + 1].region].bbox;
        const double gap = n.y - (j.y + j.h);
        const int apart_x = std::max(n.x - (j.x + j.w), j.x - (n.x + n.w));
        if (gap >= -c && gap <= 1.5 * c && apart_x <= 2 * c) continue;
      }
      before[tokens[*best].region].push_back(jump);
      moved[t] = true;
    }
    if (before.empty()) return;
    std::vector<Token> out;
    out.reserve(tokens.size());
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      if (moved[t]) continue;
      if (tokens[t].role == Role::Body)
        if (auto it = before.find(tokens[t].region); it != before.end()) {
          out.insert(out.end(), it->second.begin(), it->second.end());
          before.erase(it);
        }
      out.push_back(std::move(tokens[t]));
    }
    tokens = std::move(out);
  }

  // ---- the state machine ----------------------------------------------------------------------

  void open_part(std::size_t first) {
    finish();
    cur_ = Builder{};
    cur_.active = true;
    cur_.part.page_index = page_index_;
    cur_.part.scan_index = page_.scan_index;
    cur_.part.page = page_number_;
    cur_.part.first = first;
  }

  void step(const Token& tok) {
    switch (tok.role) {
      case Role::None:
      case Role::Meta:
      case Role::Advert:
        return;
      case Role::Photo:
        photos_.push_back(tok.region);
        return;
      case Role::Caption:
        captions_.push_back(tok);
        return;
      case Role::Kicker:
        if (!cur_.active || cur_.closed || cur_.has_body() || cur_.part.jump_in ||
            cur_.part.jump_in_unread) {
          open_part(tok.region);
          cur_.kickers.push_back(tok.region);
        } else if (!cur_.decks.empty() && cur_.subs.empty() && cur_.late.empty() &&
                   larger(tok.region, cur_.decks.back())) {
          // A "kicker" larger than the "headline" before it: the two kinds are swapped.
          cur_.kickers.insert(cur_.kickers.end(), cur_.decks.begin(), cur_.decks.end());
          cur_.decks.assign(1, tok.region);
        } else if (!cur_.decks.empty() || !cur_.subs.empty()) {
          cur_.late.push_back(tok.region);
        } else {
          cur_.kickers.push_back(tok.region);
        }
        cur_.add_region(tok.region);
        return;
      case Role::Headline:
        on_headline(tok.region);
        return;
      case Role::Subheadline:
        if (!cur_.active || cur_.closed || cur_.has_body()) open_part(tok.region);
        cur_.subs.push_back(tok.region);
        cur_.add_region(tok.region);
        return;
      case Role::JumpIn:
        if (!cur_.active || cur_.closed || cur_.has_body() || cur_.part.jump_in ||
            cur_.part.jump_in_unread)
          open_part(tok.region);
        if (tok.jump) {
          cur_.part.jump_in = tok.jump;
        } else {
          cur_.part.jump_in_unread = true;
        }
        cur_.add_region(tok.region);
        return;
      case Role::Body:
        on_body(tok);
        return;
      case Role::Byline:
        if (tok.loose && (!cur_.active || cur_.closed || !cur_.has_body())) {
          // Named a byline, reads as text, and no body before it: the first body line.
          on_body({tok.region, Role::Body, page_.regions[tok.region].text, {}, false});
          return;
        }
        if (!cur_.active) return;  // a name list with no article: left unassigned
        if (Part* before = signs_part_before(tok.region)) {
          before->byline = tok.text;
          before->regions.push_back(tok.region);
          return;
        }
        if (!cur_.part.byline) cur_.part.byline = tok.text;
        cur_.add_region(tok.region);
        // 本報記者 … under the headline opens the story; a byline after the body closes it.
        if (cur_.has_body()) cur_.closed = true;
        return;
      case Role::JumpOut:
        if (!cur_.active) open_part(tok.region);
        if (tok.jump && !cur_.part.jump_out) {
          cur_.part.jump_out = tok.jump;
        } else if (!tok.jump) {
          cur_.part.jump_out_unread = true;
        }
        cur_.add_region(tok.region);
        cur_.closed = true;
        return;
    }
  }

  void on_headline(std::size_t region) {
    if (!cur_.active || cur_.closed || cur_.has_body()) {
      open_part(region);
      cur_.decks.push_back(region);
      cur_.add_region(region);
      add_fragments(region);
      return;
    }
    if (!cur_.late.empty() || (!cur_.decks.empty() && !cur_.subs.empty())) {
      // Kicker (or subheadline) then headline after a complete head block: the next article,
      // whose predecessor printed no body.
      std::vector<std::size_t> carried = cur_.late;
      cur_.late.clear();
      if (carried.empty()) {
        carried = cur_.subs;
        cur_.subs.clear();
      }
      for (std::size_t r : carried) std::erase(cur_.part.regions, r);
      open_part(carried.empty() ? region : carried.front());
      for (std::size_t r : carried) {
        cur_.kickers.push_back(r);
        cur_.add_region(r);
      }
      cur_.decks.push_back(region);
      cur_.add_region(region);
      add_fragments(region);
      return;
    }
    if (!cur_.decks.empty()) {
      // Two headline blocks in a row: a second deck, or a kicker set smaller over the headline.
      if (larger(region, cur_.decks.back())) {
        cur_.kickers.insert(cur_.kickers.end(), cur_.decks.begin(), cur_.decks.end());
        cur_.decks.clear();
      }
    }
    cur_.decks.push_back(region);
    cur_.add_region(region);
    add_fragments(region);
  }

  /// The rest of a headline segment cut in pieces on one line.
  void add_fragments(std::size_t region) {
    auto it = fragments_.find(region);
    if (it == fragments_.end()) return;
    for (std::size_t r : it->second) {
      cur_.decks.push_back(r);
      cur_.add_region(r);
    }
  }

  void on_body(const Token& tok) {
    const Region& r = page_.regions[tok.region];
    const bool start =
        !cur_.active || cur_.closed || (cur_.has_body() && !fits(r)) || opens_another_story(tok);
    if (start) open_part(tok.region);
    Piece piece;
    piece.region = tok.region;
    piece.text = tok.text;
    line_cues(r, char_px_or_page(r), options_, piece);
    // A recognizer may mark a paragraph start at the very beginning of a region.
    if (!piece.text.empty() && piece.text.front() == '\n') {
      piece.first_indented = Cue::Yes;
      piece.text.erase(0, piece.text.find_first_not_of("\r\n"));
    }
    cur_.part.pieces.push_back(std::move(piece));
    cur_.add_region(tok.region);
  }

  /// The part read just before this one on the page, when the byline stands at the foot of one
  /// of its columns and of none of the current part's: segment reads a module's byline after all
  /// its columns, and a column the next story opens (see opens_another_story) may come between.
  [[nodiscard]] Part* signs_part_before(std::size_t byline) {
    if (parts_.empty() || !cur_.has_body()) return nullptr;
    Part& before = parts_.back();
    if (before.byline || before.jump_out || before.jump_out_unread) return nullptr;
    const Box& b = page_.regions[byline].bbox;
    const auto at_foot = [&](const std::vector<Piece>& pieces) {
      for (const Piece& p : pieces) {
        const Box& col = page_.regions[p.region].bbox;
        const double below = b.y - (col.y + col.h);
        if (share_column(b, col) && below >= -body_px_ && below <= 2 * body_px_) return true;
      }
      return false;
    };
    return !at_foot(cur_.part.pieces) && at_foot(before.pieces) ? &before : nullptr;
  }

  /// A column that opens with a dateline (本報訊, 新華社…電) after the part has a column of its
  /// own is the next story's first, its headline set beside rather than over it (dev seed 106 p2:
  /// 秋季重大動物疫病集中免疫啟動 stands over its second to fifth columns).
  [[nodiscard]] bool opens_another_story(const Token& tok) const {
    if (!cur_.has_body() || !is_dateline(text::to_u32(tok.text))) return false;
    // Text of a story: sentences over a few lines, not a subheadline segment took for body text.
    std::size_t lines = 0;
    bool sentence = false;
    for (const Piece& p : cur_.part.pieces) {
      lines += page_.regions[p.region].lines.size();
      const std::u32string u = text::to_u32(p.text);
      sentence = sentence || std::any_of(u.begin(), u.end(), cues::is_sentence_end);
    }
    return sentence && lines >= kStoryLines;
  }

  struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    [[nodiscard]] double bottom() const { return y + h; }
  };
  /// The box as it stood before the scan rotated it by page.skew_deg (counter-clockwise as
  /// viewed): centre rotated back, size without the tilt's spread. Translation is left out, which
  /// comparisons between boxes of one page do not see.
  [[nodiscard]] Rect upright(const Box& b) const {
    const double cx = b.x + b.w / 2.0;
    const double cy = b.y + b.h / 2.0;
    const double sn = std::abs(sin_);
    const double cs = std::sqrt(1 - sin_ * sin_);
    const double w = std::max(1.0, (b.w - b.h * sn) / cs);
    const double h = std::max(1.0, (b.h - b.w * sn) / cs);
    const double ux = cs * cx - sin_ * cy;
    const double uy = sin_ * cx + cs * cy;
    return {ux - w / 2, uy - h / 2, w, h};
  }

  /// Region a is set in clearly larger type than region b.
  [[nodiscard]] bool larger(std::size_t a, std::size_t b) const {
    const double ca = char_px(page_.regions[a]);
    const double cb = char_px(page_.regions[b]);
    return ca > 0 && cb > 0 && cb < options_.kicker_size_ratio * ca;
  }

  [[nodiscard]] double char_px_or_page(const Region& r) const {
    const double c = char_px(r);
    return c > 0 ? c : body_px_;
  }

  /// A body region belongs with the part's columns: beside one of them or right under or over
  /// one.
  [[nodiscard]] bool fits(const Region& r) const {
    const auto fits_box = [&](const Box& b) {
      for (const Piece& p : cur_.part.pieces)
        if (beside_or_under(b, page_.regions[p.region].bbox)) return true;
      return false;
    };
    if (fits_box(r.bbox)) return true;
    // A column's first line that segment set apart (a short line centred or spread wide, its left
    // edge far from the column's) goes with the rest of its column right under it (dev seed 117
    // p3, seed 115 p3).
    if (r.lines.size() != 1) return false;
    const Region* rest = body_right_under(r);
    return rest != nullptr && fits_box(rest->bbox);
  }

  // ---- closing a part -------------------------------------------------------------------------

  void finish() {
    if (!cur_.active) return;
    cur_.active = false;
    Part& part = cur_.part;
    // A byline left on the last body line.
    if (!part.byline && !part.pieces.empty()) {
      Piece& last = part.pieces.back();
      const bool ends_article = !part.jump_out && !part.jump_out_unread;
      auto split = split_trailing_byline(last.text, ends_article);
      // A piece that is nothing but the names is a byline only after some body text.
      if (split && split->text.empty() && part.pieces.size() < 2) split.reset();
      if (split) {
        last.text = split->text;
        last.last_short = Cue::Yes;
        part.byline = split->byline;
      }
    }
    head(part);
    join_pieces(part);
    if (part.regions.empty()) return;
    parts_.push_back(std::move(part));
  }

  void head(Part& part) {
    std::vector<std::size_t> kickers = cur_.kickers;
    std::vector<std::size_t> decks = cur_.decks;
    std::vector<std::size_t> subs = cur_.subs;
    // Kickers after the headline, before the body, are subheadlines segment misnamed.
    subs.insert(subs.end(), cur_.late.begin(), cur_.late.end());
    if (decks.empty() && !kickers.empty()) {
      // No headline: the largest kicker is it (a headline segment took for a kicker).
      std::size_t best = kickers.size() - 1;
      for (std::size_t k = 0; k < kickers.size(); ++k)
        if (char_px(page_.regions[kickers[k]]) > char_px(page_.regions[kickers[best]]) * 1.15)
          best = k;
      decks.push_back(kickers[best]);
      kickers.erase(kickers.begin() + static_cast<std::ptrdiff_t>(best));
    }
    // A "subheadline" set large right under the headline, not opened by a dash, is the
    // headline's second deck (搶抓黃金期 跑出加速度 | 以高質量項目建設推動全市高質量發展);
    // a real one is set smaller or opens with ——.
    if (!decks.empty() && !cur_.subs.empty() && cur_.late.empty()) {
      const Region& sub = page_.regions[cur_.subs.front()];
      const double c = char_px(sub);
      if (!opens_with_dash(sub.text) && !is_attendance_note(sub.text) &&
          c >= kDeckBodyRatio * body_px_ &&
          c >= kDeckHeadlineRatio * char_px(page_.regions[decks.back()])) {
        decks.push_back(cur_.subs.front());
        subs.erase(subs.begin());
      }
    }
    // An attendance note segment took for a second deck is the subheadline.
    if (decks.size() >= 2 && is_attendance_note(page_.regions[decks.back()].text)) {
      subs.insert(subs.begin(), decks.back());
      decks.pop_back();
    }
    std::optional<std::string> inner_kicker;
    if (!decks.empty()) {
      // A label set small on the first line of the headline's own block (segment joined them).
      const Region& first = page_.regions[decks.front()];
      if (auto split = small_top_lines(first)) {
        inner_kicker = split->first;
        part.headline = split->second;
        for (std::size_t k = 1; k < decks.size(); ++k)
          *part.headline += " " + display_text(page_.regions[decks[k]].text);
      } else {
        part.headline = joined_display(page_, decks);
      }
    }
    if (!subs.empty()) part.subheadline = joined_display(page_, subs);
    // A line opening with a dash, or an attendance note, at the foot of the headline block is
    // the subheadline.
    if (part.headline && !decks.empty()) {
      if (std::optional<std::string> tail = subheadline_tail(page_.regions[decks.back()])) {
        std::string& head = *part.headline;
        if (head.size() > tail->size() && head.ends_with(*tail)) {
          head.erase(head.size() - tail->size());
          while (!head.empty() && head.back() == ' ') head.pop_back();
          part.subheadline = part.subheadline ? *tail + " " + *part.subheadline : *tail;
        }
      }
    }
    if (inner_kicker) {
      if (!kickers.empty()) part.section = joined_display(page_, kickers);
      part.kicker = inner_kicker;
    } else if (kickers.size() >= 2) {
      part.section = display_text(page_.regions[kickers.front()].text);
      kickers.erase(kickers.begin());
      part.kicker = joined_display(page_, kickers);
    } else if (kickers.size() == 1) {
      const std::size_t next = decks.empty() ? kickers.front() : decks.front();
      if (looks_like_section(kickers.front(), next, part)) {
        part.section = display_text(page_.regions[kickers.front()].text);
      } else {
        part.kicker = display_text(page_.regions[kickers.front()].text);
      }
    }
    if (part.headline && part.headline->empty()) part.headline.reset();
  }

  /// Every line of `r` is set as large as a headline: wide per character and tall. Without lines,
  /// the size its box gives.
  [[nodiscard]] bool headline_sized(const Region& r) const {
    if (r.lines.empty()) return char_px(r) >= kHeadlineBodyRatio * body_px_;
    bool any = false;
    for (const Line& l : r.lines) {
      const double px = line_em_px(l, 1);
      if (px <= 0) continue;
      if (px < kHeadlineBodyRatio * body_px_ || l.bbox.h < kBodySizedLineRatio * body_px_)
        return false;
      any = true;
    }
    return any;
  }

  /// The lines at the top of a headline block set clearly smaller than its largest line (a
  /// kicker or section label segment read with the headline): {their text, the rest}.
  [[nodiscard]] std::optional<std::pair<std::string, std::string>> small_top_lines(
      const Region& r) const {
    if (r.lines.size() < 2) return std::nullopt;
    // A line of a character or two (a deck misread as 1) says nothing of its size.
    std::vector<double> sizes;
    for (const Line& l : r.lines) sizes.push_back(line_em_px(l, 2));
    const double largest = *std::max_element(sizes.begin(), sizes.end());
    std::size_t small = 0;
    while (small < sizes.size() && sizes[small] > 0 &&
           sizes[small] < options_.kicker_size_ratio * largest)
      ++small;
    if (small == 0 || small == sizes.size()) return std::nullopt;
    std::string top;
    std::string rest;
    for (std::size_t k = 0; k < r.lines.size(); ++k) {
      std::string& into = k < small ? top : rest;
      const std::string t = display_text(r.lines[k].text);
      if (!into.empty() && !t.empty()) into += " ";
      into += t;
    }
    return std::make_pair(top, rest);
  }

  /// A section kicker labels a group of articles: set on a black bar, or flush left over the
  /// module with a rule (more space) below it, where an article's own kicker is aligned like its
  /// headline and sits close over it.
  [[nodiscard]] bool looks_like_section(std::size_t kicker, std::size_t next,
                                        const Part& part) const {
    const Region& k = page_.regions[kicker];
    const double c = char_px_or_page(k);
    if (!k.lines.empty()) {
      Box ink;
      for (const Line& l : k.lines) ink = unite(ink, l.bbox);
      if (ink.x - k.bbox.x >= 0.2 * c || k.bbox.h - ink.h >= 0.4 * c) return true;  // a bar
    }
    // The module's left edge: its body columns, else the kicker itself.
    int left = k.bbox.x;
    int right = k.bbox.x + k.bbox.w;
    bool body = false;
    for (const Piece& p : part.pieces) {
      const Box& b = page_.regions[p.region].bbox;
      left = body ? std::min(left, b.x) : b.x;
      right = body ? std::max(right, b.x + b.w) : b.x + b.w;
      body = true;
    }
    if (!body || next == kicker) return false;
    const Box& h = page_.regions[next].bbox;
    const bool flush_left = std::abs(k.bbox.x - left) <= 0.6 * c;
    if (!flush_left) return false;
    const double module_mid = (left + right) / 2.0;
    const double head_mid = h.x + h.w / 2.0;
    const double kicker_mid = k.bbox.x + k.bbox.w / 2.0;
    const bool head_centred =
        std::abs(head_mid - module_mid) <= 1.5 * c && std::abs(h.x - left) > 0.6 * c;
    if (head_centred && std::abs(kicker_mid - head_mid) > 1.5 * c) return true;
    // Space under it, measured on the upright page (a skewed scan tilts wide boxes' tops).
    return upright(h).y - upright(k.bbox).bottom() >= 0.65 * c;
  }

  // ---- captions -------------------------------------------------------------------------------

  void match_captions() {
    std::vector<bool> used(photos_.size(), false);
    for (const Token& cap : captions_) {
      const Box& cb = page_.regions[cap.region].bbox;
      std::ptrdiff_t best = -1;
      double best_distance = 0;
      for (std::size_t p = 0; p < photos_.size(); ++p) {
        if (used[p]) continue;
        const Box& pb = page_.regions[photos_[p]].bbox;
        const int overlap_x = std::min(cb.x + cb.w, pb.x + pb.w) - std::max(cb.x, pb.x);
        if (overlap_x < std::min(cb.w, pb.w) / 3) continue;
        // Under the photo (usual) or over it.
        const double below = cb.y - (pb.y + pb.h);
        const double above = pb.y - (cb.y + cb.h);
        const double distance = std::max(below, above);
        if (distance > 4 * body_px_ || distance < -2 * body_px_) continue;
        if (best < 0 || distance < best_distance) {
          best = static_cast<std::ptrdiff_t>(p);
          best_distance = distance;
        }
      }
      Part part;
      part.page_index = page_index_;
      part.scan_index = page_.scan_index;
      part.page = page_number_;
      part.kind = ArticleKind::Caption;
      if (best >= 0) {
        used[static_cast<std::size_t>(best)] = true;
        part.regions.push_back(photos_[static_cast<std::size_t>(best)]);
      }
      part.regions.push_back(cap.region);
      part.first = *std::min_element(part.regions.begin(), part.regions.end());
      std::string caption = cap.text;
      if (auto credit = split_credit(caption)) {
        caption = credit->text;
        part.credit = credit->credit;
        part.byline = credit->byline;
      }
      Piece piece;
      piece.region = cap.region;
      piece.text = cues::trim_utf8(caption);
      part.pieces.push_back(std::move(piece));
      join_pieces(part);
      parts_.push_back(std::move(part));
    }
  }

  // ---- repairs of segment's grouping and order ---------------------------------------------

  /// A text region lying inside a larger one whose text already holds its own: segment found
  /// the same lines twice (a headline's second deck inside the two-deck headline). Read once.
  void find_duplicates() {
    const std::vector<Region>& rs = page_.regions;
    const auto reads_text = [](RegionKind k) {
      return k != RegionKind::Photo && k != RegionKind::Advert && k != RegionKind::Masthead &&
             k != RegionKind::Header;
    };
    for (std::size_t i = 0; i < rs.size(); ++i) {
      const Box& small = rs[i].bbox;
      if (!reads_text(rs[i].kind) || small.empty() || rs[i].text.empty()) continue;
      for (std::size_t j = 0; j < rs.size(); ++j) {
        const Box& large = rs[j].bbox;
        if (j == i || !reads_text(rs[j].kind) || absorbed_.contains(j) ||
            large.area() <= small.area())
          continue;
        if (5 * intersection_area(small, large) < 4 * small.area()) continue;
        if (bigram_containment(rs[i].text, rs[j].text) < kDuplicateTextShare) continue;
        absorbed_.insert(i);
        break;
      }
    }
  }

  /// A headline segment cut in two on one line ("“健康義診進社區" | "溫暖居民心"): the right piece
  /// goes with the left one.
  void find_headline_fragments() {
    const std::vector<Region>& rs = page_.regions;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      if (rs[i].kind != RegionKind::Headline || absorbed_.contains(i)) continue;
      for (std::size_t j = 0; j < rs.size(); ++j) {
        if (j == i || rs[j].kind != RegionKind::Headline || absorbed_.contains(j) ||
            fragments_.contains(j))
          continue;
        const Box& a = rs[i].bbox;
        const Box& b = rs[j].bbox;
        const int h = std::max(a.h, b.h);
        const double mid_a = a.y + a.h / 2.0;
        const double mid_b = b.y + b.h / 2.0;
        const int gap = b.x - (a.x + a.w);
        if (std::abs(mid_a - mid_b) <= 0.3 * h && std::abs(a.h - b.h) <= 0.3 * h && gap >= 0 &&
            gap <= 1.5 * h && column_under_gap(a, b)) {
          fragments_[i].push_back(j);
          absorbed_.insert(j);
        }
      }
    }
  }

  /// Some body column right under two headline pieces runs across the gap between them: they
  /// head one module (side-by-side modules have their gutter under that gap).
  [[nodiscard]] bool column_under_gap(const Box& left, const Box& right) const {
    const int gap0 = left.x + left.w;
    const int gap1 = right.x;
    const int bottom = std::max(left.y + left.h, right.y + right.h);
    for (const Region& r : page_.regions) {
      if (r.kind != RegionKind::Body) continue;
      const int below = r.bbox.y - bottom;
      if (below < -body_px_ || below > 4 * body_px_) continue;
      // Well across: a skewed scan's boxes spread a little past their neighbours.
      if (r.bbox.x < gap0 - body_px_ && r.bbox.x + r.bbox.w > gap1 + body_px_) return true;
    }
    return false;
  }

  /// Set at body size with a body column right under it: a line of that column segment took for
  /// display type (a paragraph's short last line, a first line opening with 本報訊). Kickers and
  /// subheadlines are set at 1.2 body sizes and more.
  [[nodiscard]] bool body_line_over_column(const Region& r) const {
    const double c = char_px(r);
    if (c <= 0 || c >= kBodySizedRatio * body_px_) return false;
    const Region* b = body_right_under(r);
    if (b == nullptr) return false;
    // And no taller than that column's lines (a width per character can mislead on a page with
    // little body text, where justified short lines stretch).
    const double line_h = line_height(*b);
    if (line_h <= 0) return false;
    return std::all_of(r.lines.begin(), r.lines.end(),
                       [&](const Line& l) { return l.bbox.h <= kBodySizedLineRatio * line_h; });
  }

  /// The body region that goes on right under `r` in its column, if any.
  [[nodiscard]] const Region* body_right_under(const Region& r) const {
    for (const Region& b : page_.regions) {
      if (b.kind != RegionKind::Body || &b == &r) continue;
      const double below = b.bbox.y - (r.bbox.y + r.bbox.h);
      if (share_column(r.bbox, b.bbox) && below >= -body_px_ / 2 && below <= 1.5 * body_px_)
        return &b;
    }
    return nullptr;
  }

  [[nodiscard]] bool under_a_photo(const Region& r) const {
    for (const Region& p : page_.regions) {
      if (p.kind != RegionKind::Photo) continue;
      const int overlap_x =
          std::min(r.bbox.x + r.bbox.w, p.bbox.x + p.bbox.w) - std::max(r.bbox.x, p.bbox.x);
      const double below = r.bbox.y - (p.bbox.y + p.bbox.h);
      if (overlap_x >= std::min(r.bbox.w, p.bbox.w) / 2 && below >= -body_px_ &&
          below <= 3 * body_px_)
        return true;
    }
    return false;
  }

  void sort_parts() {
    std::sort(parts_.begin(), parts_.end(),
              [](const Part& a, const Part& b) { return a.first < b.first; });
  }

  [[nodiscard]] static bool headless(const Part& p) {
    return p.kind == ArticleKind::Article && !p.headline && !p.kicker && !p.subheadline &&
           !p.section;
  }

  [[nodiscard]] Box box_of(const Part& p) const {
    Box b;
    for (std::size_t r : p.regions) b = unite(b, page_.regions[r].bbox);
    return b;
  }

  /// A part that printed only a head (a section label segment took for a headline, set over the
  /// next story's own kicker and headline) labels the part right under it.
  void fold_head_only_parts() {
    for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
      Part& label = parts_[i];
      Part& story = parts_[i + 1];
      const bool head_only = label.kind == ArticleKind::Article && label.pieces.empty() &&
                             !label.jump_in && !label.jump_out && !label.jump_in_unread &&
                             !label.jump_out_unread && !label.byline && label.headline;
      if (!head_only || story.kind != ArticleKind::Article || !story.headline || story.section)
        continue;
      const Box a = box_of(label);
      const Box b = box_of(story);
      const int overlap_x = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
      const double gap = b.y - (a.y + a.h);
      if (overlap_x <= 0 || gap < -body_px_ || gap > 3 * body_px_) continue;
      std::string text = *label.headline;
      if (label.section) text = *label.section + " " + text;
      story.section = text;
      story.regions.insert(story.regions.begin(), label.regions.begin(), label.regions.end());
      story.first = label.first;
      parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(i));
      --i;
    }
  }

  /// Whether the text goes on from `before` into `after`: a sentence cut and no indent.
  [[nodiscard]] static bool goes_on(const Piece& before, const Piece& after) {
    if (cues::ends_sentence(text::to_u32(before.text))) return false;
    if (after.first_indented == Cue::Yes || before.last_short == Cue::Yes) return false;
    return !is_dateline(text::to_u32(after.text));
  }

  /// Columns of one article that segment put in a part of their own, with no head: the first
  /// column of a continuation read after the others, a column it could not place beside its
  /// neighbours, the lower half of a column it cut across, the columns a headline set inside its
  /// article stands among (the seed's 《若干規定》). Such a part joins a part with a head, or a
  /// continuation's part that opens with its jump line, when a column of one stands beside a
  /// column of the other or the fragment's columns are the lower halves of the part's, their
  /// jump lines and bylines do not collide, and the text goes on (a sentence cut, no indent)
  /// wherever columns of the two meet.
  void merge_fragments() {
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t f = 0; f < parts_.size() && !changed; ++f) {
        if (!headless(parts_[f]) || parts_[f].pieces.empty()) continue;
        for (std::size_t t = 0; t < parts_.size() && !changed; ++t) {
          Part& to = parts_[t];
          Part& from = parts_[f];
          // Into a part that has a head, or that a jump line shows is a continuation.
          if (t == f || to.kind != ArticleKind::Article ||
              (!to.headline && !to.jump_in && !to.jump_in_unread))
            continue;
          if (!mergeable(from, to)) continue;
          to.regions.insert(to.regions.end(), from.regions.begin(), from.regions.end());
          std::sort(to.regions.begin(), to.regions.end());
          to.pieces.insert(to.pieces.end(), from.pieces.begin(), from.pieces.end());
          order_pieces(to);
          to.first = std::min(to.first, from.first);
          if (!to.jump_in) to.jump_in = from.jump_in;
          if (!to.jump_out) to.jump_out = from.jump_out;
          to.jump_in_unread = to.jump_in_unread || from.jump_in_unread;
          to.jump_out_unread = to.jump_out_unread || from.jump_out_unread;
          if (!to.byline) to.byline = from.byline;
          parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(f));
          sort_parts();
          changed = true;
        }
      }
    }
  }

  [[nodiscard]] bool mergeable(const Part& f, const Part& t) const {
    if ((f.jump_in || f.jump_in_unread) && (t.jump_in || t.jump_in_unread)) return false;
    if ((f.jump_out || f.jump_out_unread) && (t.jump_out || t.jump_out_unread)) return false;
    if (f.byline && t.byline) return false;
    // Columns side by side, or the lower halves of the part's own columns (a fragment under
    // another part's columns, reaching below them, is another module).
    bool adjacent = false;
    for (const Piece& a : f.pieces)
      for (const Piece& b : t.pieces)
        adjacent = adjacent || beside(page_.regions[a.region].bbox, page_.regions[b.region].bbox);
    const bool stacked = column_halves(f, t);
    if (!adjacent && !stacked) return false;
    // A continuation that repeats its article's headline over its columns, the （上接…） line
    // standing over a column beside them (dev seed 95 p3): the jump line's column comes first and
    // its text need not go on into the next, since a paragraph may end at its foot.
    const bool repeated_head = (f.jump_in || f.jump_in_unread) && !t.jump_in && !t.jump_in_unread &&
                               t.headline && repeats_jumped(*t.headline);
    // Columns standing right under the part's headline are its own, whatever the text where they
    // meet its other columns (dev seed 72 p1: the story's first column, left of its headline, read
    // with the headline; the columns under it read apart, a paragraph ending between them).
    const bool under_head = t.headline && !stacked && piece_under_head(f, t);
    // A headless column that opens with a dateline is a story's first column; beside a headed
    // part whose own text does not open with one, its top level with the tops of that part's
    // columns under the headline, it is that story's, read first (its headline set over the
    // other columns only: dev seed 106 p2).
    const bool first_column = adjacent && !stacked && t.headline && !t.jump_in &&
                              !t.jump_in_unread && !f.jump_in && !f.jump_in_unread &&
                              opens_with_dateline(f) && !opens_with_dateline(t) &&
                              level_with_columns_under_head(f, t);
    // A headless column beside a headed part's last one, its top level with the part's columns
    // under the headline, ending in the byline the part lacks and not opening a story with a
    // dateline, is the part's last column: its headline set over the other columns only, a
    // paragraph starting at the column's head (dev seed 71 p3).
    const bool last_column = adjacent && !stacked && t.headline && !t.byline && f.byline &&
                             !t.jump_out && !t.jump_out_unread && !opens_with_dateline(f) &&
                             level_with_columns_under_head(f, t);
    Part merged;
    merged.pieces = t.pieces;
    merged.pieces.insert(merged.pieces.end(), f.pieces.begin(), f.pieces.end());
    order_pieces(merged);
    const std::size_t from_t = t.pieces.size();
    auto origin = [&](const Piece& p) {
      for (std::size_t k = 0; k < from_t; ++k)
        if (t.pieces[k].region == p.region) return 0;
      return 1;
    };
    // The two meet once: one's columns, then the other's (interleaved columns are two modules
    // stacked in the same columns).
    if ((repeated_head || first_column) && origin(merged.pieces.front()) != 1) return false;
    if (last_column && origin(merged.pieces.back()) != 1) return false;
    int meetings = 0;
    std::optional<std::size_t> last_of_t;  // the part's piece read last, by region
    for (std::size_t k = 1; k < merged.pieces.size(); ++k) {
      if (origin(merged.pieces[k - 1]) == 0) last_of_t = merged.pieces[k - 1].region;
      if (origin(merged.pieces[k - 1]) == origin(merged.pieces[k])) continue;
      // Down a column into its lower half the text may start a paragraph: segment cuts columns
      // at paragraph gaps. Across to another column it must go on, unless the part's own columns
      // met there already (out of a lower half on to the next column).
      const Box& before = page_.regions[merged.pieces[k - 1].region].bbox;
      const Box& after = page_.regions[merged.pieces[k].region].bbox;
      const bool down_the_column = stacked && share_column(before, after) && after.y > before.y;
      const bool rejoins = stacked && origin(merged.pieces[k]) == 0 && last_of_t &&
                           follows_in(t, *last_of_t, merged.pieces[k].region);
      if (!down_the_column && !rejoins && !repeated_head && !under_head && !first_column &&
          !last_column && !goes_on(merged.pieces[k - 1], merged.pieces[k]))
        return false;
      ++meetings;
    }
    // Lower halves meet the part's columns twice each (down into them, on to the next column)
    // but once at the end of the last one.
    if (stacked) return meetings >= 1 && meetings <= 2 * static_cast<int>(f.pieces.size());
    return meetings == 1;
  }

  /// The part's text, in its own reading order, opens with 本報訊 or 新華社…電.
  [[nodiscard]] bool opens_with_dateline(const Part& p) const {
    if (p.pieces.empty()) return false;
    Part ordered;
    ordered.pieces = p.pieces;
    order_pieces(ordered);
    return is_dateline(text::to_u32(ordered.pieces.front().text));
  }

  /// The top of `f`'s first piece is level (within a character) with the top of a piece of `t`
  /// that stands right under one of `t`'s heads.
  [[nodiscard]] bool level_with_columns_under_head(const Part& f, const Part& t) const {
    if (f.pieces.empty()) return false;
    const Box& first = page_.regions[f.pieces.front().region].bbox;
    return std::any_of(t.pieces.begin(), t.pieces.end(), [&](const Piece& p) {
      return stands_under_head(p, t) &&
             std::abs(page_.regions[p.region].bbox.y - first.y) <= body_px_;
    });
  }

  /// A piece of `f` stands right under a head of `t` (its headline, kicker or subheadline),
  /// across half the narrower one's width, within two characters below it.
  [[nodiscard]] bool piece_under_head(const Part& f, const Part& t) const {
    return std::any_of(f.pieces.begin(), f.pieces.end(),
                       [&](const Piece& p) { return stands_under_head(p, t); });
  }

  /// The piece stands right under a head of `t`, as piece_under_head asks.
  [[nodiscard]] bool stands_under_head(const Piece& p, const Part& t) const {
    const double c = body_px_;
    const Box& piece = page_.regions[p.region].bbox;
    for (std::size_t r : t.regions) {
      const RegionKind kind = page_.regions[r].kind;
      if (kind != RegionKind::Headline && kind != RegionKind::Kicker &&
          kind != RegionKind::Subheadline)
        continue;
      const Box& head = page_.regions[r].bbox;
      const int overlap_x =
          std::min(head.x + head.w, piece.x + piece.w) - std::max(head.x, piece.x);
      const double gap = piece.y - (head.y + head.h);
      if (overlap_x >= std::min(head.w, piece.w) / 2 && gap >= -c && gap <= 2 * c) return true;
    }
    return false;
  }

  /// In `t`'s own order, the piece of region `b` comes right after that of region `a`.
  [[nodiscard]] static bool follows_in(const Part& t, std::size_t a, std::size_t b) {
    for (std::size_t k = 0; k + 1 < t.pieces.size(); ++k)
      if (t.pieces[k].region == a) return t.pieces[k + 1].region == b;
    return false;
  }

  /// The lower half of a column that segment cut off (at a paragraph gap) and read after the
  /// headline of the next story beside it (dev seed 97 p3): a piece of a part with a headline,
  /// standing outside its headline's columns, right under a column of another part, goes back to
  /// that part. No headline can stand between the two halves, so down the column the text may
  /// start a paragraph.
  void reclaim_lower_halves() {
    const double c = body_px_;
    for (std::size_t t = 0; t < parts_.size(); ++t) {
      Part& from = parts_[t];
      if (!from.headline || from.pieces.size() < 2) continue;
      std::vector<Box> heads;
      for (std::size_t r : from.regions)
        if (page_.regions[r].kind == RegionKind::Headline) heads.push_back(page_.regions[r].bbox);
      if (heads.empty()) continue;
      for (std::size_t k = 0; k < from.pieces.size() && from.pieces.size() > 1;) {
        const Box& lower = page_.regions[from.pieces[k].region].bbox;
        const bool under_head = std::any_of(heads.begin(), heads.end(), [&](const Box& h) {
          return std::min(h.x + h.w, lower.x + lower.w) > std::max(h.x, lower.x);
        });
        std::ptrdiff_t owner = -1;
        for (std::size_t u = 0; u < parts_.size() && !under_head && owner < 0; ++u) {
          if (u == t || parts_[u].kind != ArticleKind::Article) continue;
          for (const Piece& q : parts_[u].pieces) {
            const Box& upper = page_.regions[q.region].bbox;
            const double gap = lower.y - (upper.y + upper.h);
            if (share_column(lower, upper) && gap <= kHalvesMaxGapChars * c && gap >= -2 * c)
              owner = static_cast<std::ptrdiff_t>(u);
          }
        }
        if (owner < 0) {
          ++k;
          continue;
        }
        Part& to = parts_[static_cast<std::size_t>(owner)];
        const Piece piece = from.pieces[k];
        from.pieces.erase(from.pieces.begin() + static_cast<std::ptrdiff_t>(k));
        std::erase(from.regions, piece.region);
        to.pieces.push_back(piece);
        to.regions.push_back(piece.region);
        std::sort(to.regions.begin(), to.regions.end());
        order_pieces(to);
      }
    }
  }

  /// Whether a headline on this page repeats the headline of a part that jumps here.
  [[nodiscard]] bool repeats_jumped(const std::string& headline) const {
    return std::any_of(jumped_here_.begin(), jumped_here_.end(), [&](const std::string& h) {
      return bigram_containment(headline, h) >= options_.headline_match_ratio;
    });
  }

  /// Every piece of `f` stands right under a piece of `t` (or under one of `f`'s own that does),
  /// in its column, and ends no lower than `t`'s deepest column: `t`'s own columns that segment
  /// cut across (at a paragraph gap, around an intruding caption). A headless module stacked
  /// under `t` starts a headline's height lower, or runs below it.
  [[nodiscard]] bool column_halves(const Part& f, const Part& t) const {
    const double c = body_px_;
    // The part's columns, then each fragment piece found under them (region indices).
    std::vector<std::size_t> above;
    int deepest = std::numeric_limits<int>::min();
    for (const Piece& b : t.pieces) {
      const Box& q = page_.regions[b.region].bbox;
      above.push_back(b.region);
      deepest = std::max(deepest, q.y + q.h);
    }
    std::vector<std::size_t> lowers;
    for (const Piece& a : f.pieces) lowers.push_back(a.region);
    std::sort(lowers.begin(), lowers.end(), [&](std::size_t a, std::size_t b) {
      return page_.regions[a].bbox.y < page_.regions[b].bbox.y;
    });
    for (std::size_t li : lowers) {
      const Box& lower = page_.regions[li].bbox;
      bool overlapping = false;  // starts above the foot of the piece over it: one column
      const bool under = std::any_of(above.begin(), above.end(), [&](std::size_t ui) {
        const Box& upper = page_.regions[ui].bbox;
        const double gap = lower.y - (upper.y + upper.h);
        const bool halves =
            share_column(lower, upper) && gap <= kHalvesMaxGapChars * c &&
            (gap >= -2 * c || lines_read_twice(page_.regions[ui], page_.regions[li]) > 0);
        overlapping = overlapping || (halves && gap < 0);
        return halves;
      });
      if (!under) return false;
      // A module stacked under the part reaches below its columns; a column's own lower half
      // cut off where it overlaps its upper one may run longer than the part's other columns
      // (dev seed 129 p2).
      if (lower.y + lower.h > deepest + 1.5 * c && !overlapping) return false;
      above.push_back(li);
    }
    return true;
  }

  /// How many of `upper`'s last lines (one or two) `lower`, under it in its column, reads again
  /// from its first: segment put the pieces of one row (a line spread wide, a quote mark's gap)
  /// in two blocks, and the upper block's box reaches into the row (dev seed 129 p2, 117 p3).
  [[nodiscard]] std::size_t lines_read_twice(const Region& upper, const Region& lower) const {
    if (upper.lines.empty() || lower.lines.empty() || !share_column(upper.bbox, lower.bbox))
      return 0;
    const int upper_bottom = upper.bbox.y + upper.bbox.h;
    if (lower.bbox.y <= upper.bbox.y || lower.bbox.y >= upper_bottom) return 0;
    const std::string& first = lower.lines.front().text;
    if (text::to_u32(first).size() < 4) return 0;
    for (std::size_t k = 1; k <= std::min<std::size_t>(2, upper.lines.size()); ++k)
      if (bigram_containment(upper.lines[upper.lines.size() - k].text, first) >=
          kDuplicateTextShare)
        return k;
    return 0;
  }

  /// Lines both of two stacked pieces read are kept once, in the lower piece (the upper one read
  /// them from the top of their ink).
  void drop_lines_read_twice(Part& part) const {
    for (std::size_t k = 1; k < part.pieces.size(); ++k) {
      Piece& upper = part.pieces[k - 1];
      const Region& u = page_.regions[upper.region];
      const std::size_t twice = lines_read_twice(u, page_.regions[part.pieces[k].region]);
      std::string text = upper.text;
      bool whole = twice > 0;
      for (std::size_t j = 0; j < twice && whole; ++j) {
        while (!text.empty() && text.back() == '\n') text.pop_back();
        const std::string& line = u.lines[u.lines.size() - 1 - j].text;
        whole = text.size() >= line.size() &&
                text.compare(text.size() - line.size(), line.size(), line) == 0;
        if (whole) text.erase(text.size() - line.size());
      }
      if (!whole) continue;
      while (!text.empty() && text.back() == '\n') text.pop_back();
      upper.text = std::move(text);
    }
  }

  /// Two body boxes stand side by side: tops level (allowing for skew), next to each other.
  [[nodiscard]] bool beside(const Box& b, const Box& q) const {
    const double gap = options_.column_gap_chars * body_px_;
    const int overlap_x = std::min(b.x + b.w, q.x + q.w) - std::max(b.x, q.x);
    const int narrower = std::max(1, std::min(b.w, q.w));
    const double dx = std::abs((b.x + b.w / 2.0) - (q.x + q.w / 2.0));
    const bool level = std::abs(b.y - q.y) <= gap + kSkewSlope * dx;
    return level && overlap_x < narrower / 2 && -overlap_x <= gap;
  }

  /// Two body boxes stand side by side, or one right under the other.
  [[nodiscard]] bool beside_or_under(const Box& b, const Box& q) const {
    const double c = body_px_;
    if (beside(b, q)) return true;
    const int overlap_x = std::min(b.x + b.w, q.x + q.w) - std::max(b.x, q.x);
    const int narrower = std::max(1, std::min(b.w, q.w));
    if (overlap_x < narrower / 2) return false;
    const double below = b.y - (q.y + q.h);
    const double above = q.y - (b.y + b.h);
    return (below <= 1.5 * c && below >= -2 * c) || (above <= 1.5 * c && above >= -2 * c);
  }

  /// Body pieces in reading order by geometry: columns left to right, down each column, and on
  /// one line left to right (a paragraph number segment cut off its line). Segment's order is
  /// kept on vertical pages and for pieces that share no column.
  void order_pieces(Part& part) const {
    if (part.pieces.size() < 2) return;
    for (const Piece& p : part.pieces)
      if (page_.regions[p.region].direction != Direction::Horizontal) return;
    struct Column {
      int x0, x1;
      std::vector<Piece> pieces;
    };
    std::vector<Piece> by_x = part.pieces;
    std::stable_sort(by_x.begin(), by_x.end(), [&](const Piece& a, const Piece& b) {
      return page_.regions[a.region].bbox.x < page_.regions[b.region].bbox.x;
    });
    std::vector<Column> columns;
    // Wide pieces first define the columns; a narrow one (a number, a short line) joins the
    // column it overlaps.
    std::vector<Piece> by_width = by_x;
    std::stable_sort(by_width.begin(), by_width.end(), [&](const Piece& a, const Piece& b) {
      return page_.regions[a.region].bbox.w > page_.regions[b.region].bbox.w;
    });
    for (const Piece& p : by_width) {
      const Box& b = page_.regions[p.region].bbox;
      Column* home = nullptr;
      for (Column& c : columns) {
        const int overlap = std::min(b.x + b.w, c.x1) - std::max(b.x, c.x0);
        if (overlap > 0 && overlap >= std::min(b.w, c.x1 - c.x0) / 2) {
          home = &c;
          break;
        }
      }
      if (home == nullptr) {
        columns.push_back({b.x, b.x + b.w, {}});
        home = &columns.back();
      }
      home->pieces.push_back(p);
    }
    std::sort(columns.begin(), columns.end(),
              [](const Column& a, const Column& b) { return a.x0 < b.x0; });
    const double band = 0.6 * body_px_;
    std::vector<Piece> out;
    for (Column& c : columns) {
      std::stable_sort(c.pieces.begin(), c.pieces.end(), [&](const Piece& a, const Piece& b) {
        return page_.regions[a.region].bbox.y < page_.regions[b.region].bbox.y;
      });
      for (std::size_t k = 0; k < c.pieces.size();) {
        std::size_t e = k + 1;
        const int top = page_.regions[c.pieces[k].region].bbox.y;
        while (e < c.pieces.size() && page_.regions[c.pieces[e].region].bbox.y - top < band) ++e;
        std::stable_sort(c.pieces.begin() + static_cast<std::ptrdiff_t>(k),
                         c.pieces.begin() + static_cast<std::ptrdiff_t>(e),
                         [&](const Piece& a, const Piece& b) {
                           return page_.regions[a.region].bbox.x < page_.regions[b.region].bbox.x;
                         });
        k = e;
      }
      out.insert(out.end(), c.pieces.begin(), c.pieces.end());
    }
    part.pieces = std::move(out);
  }

  // ---- sections -------------------------------------------------------------------------------

  void propagate_sections() {
    std::vector<bool> printed(parts_.size());
    for (std::size_t i = 0; i < parts_.size(); ++i) printed[i] = parts_[i].section.has_value();
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (!printed[i] || parts_[i].kind != ArticleKind::Article) continue;
      int left = kSectionFollowers;
      for (std::size_t j = i + 1; j < parts_.size() && left > 0; ++j) {
        Part& next = parts_[j];
        if (next.kind != ArticleKind::Article) continue;
        // Parts of continued articles sit among the group without being part of it.
        if (next.jump_in || next.jump_in_unread || next.jump_out || next.jump_out_unread) continue;
        if (next.section || !next.headline) break;
        next.section = parts_[i].section;
        --left;
      }
    }
  }

  const Page& page_;
  std::size_t page_index_;
  int page_number_;
  const Options& options_;
  double body_px_ = 0;
  double sin_ = 0;                                             ///< sine of the page's skew
  std::map<std::size_t, std::vector<std::size_t>> fragments_;  ///< headline → its other pieces
  const std::vector<std::string>& jumped_here_;  ///< headlines of other pages' parts jumping here
  std::set<std::size_t> absorbed_;               ///< regions read with another
  Builder cur_;
  std::vector<Part> parts_;
  std::vector<std::size_t> photos_;
  std::vector<Token> captions_;
};

}  // namespace

double char_px(const Region& region) {
  // Lines of a few characters say little (a justified line of three would look huge): they
  // count only when no longer line is there.
  for (const double min_em : {4.0, 1.0}) {
    std::vector<double> sizes;
    for (const Line& l : region.lines)
      if (const double px = line_em_px(l, min_em); px > 0) sizes.push_back(px);
    if (!sizes.empty()) return median(std::move(sizes));
  }
  const double n = em_length(text::to_u32(region.text));
  if (n < 1 || region.bbox.empty()) return 0;
  const double w = region.bbox.w;
  const double h = region.bbox.h;
  // One line when the box is no taller than the characters its width holds.
  if (h <= 1.6 * (w / n)) return w / n;
  return std::sqrt(w * h / (n * 1.45));
}

bool starts_paragraph(const Piece& prev, const Piece& next) {
  if (next.first_indented == Cue::Yes || prev.last_short == Cue::Yes) return true;
  if (next.first_indented == Cue::No || prev.last_short == Cue::No) return false;
  return cues::ends_sentence(text::to_u32(prev.text));
}

bool continues_on(const Piece& before_jump, const Piece& continuation) {
  if (continuation.first_indented != Cue::Unknown) return continuation.first_indented == Cue::No;
  return !starts_paragraph(before_jump, continuation);
}

void join_pieces(Part& part) {
  part.text.clear();
  for (std::size_t i = 0; i < part.pieces.size(); ++i) {
    const Piece& p = part.pieces[i];
    if (p.text.empty()) continue;
    if (!part.text.empty() && starts_paragraph(part.pieces[i - 1], p)) part.text += "\n";
    part.text += p.text;
  }
}

std::vector<Part> group_page(const Page& page, std::size_t page_index, int page_number,
                             const Options& options, const std::vector<std::string>& jumped_here) {
  return PageGrouper(page, page_index, page_number, options, jumped_here).run();
}

}  // namespace broadsheet::reassemble::detail
