// Corrections people made (review) change an article's fields; the formats that print lines
// (ALTO, hOCR, the PDF's text layer) need them in the lines. This carries each corrected field
// into the lines of the article's regions of that kind: the OCR field value (kept beside the
// correction, articles[].ocr) is aligned with the lines' text, and the corrected value with the
// OCR value; every character of a line that the article's text came from takes its corrected
// counterpart, so an edit lands in the line, at the place, where the proofreader made it.
// Characters of a line that the article never had (a byline or jump line cut out of a body
// region) stay as they are. A line's glyphs (recognized characters with boxes) follow its
// characters where each corrected character replaces or deletes one that was read; a line that
// gained characters nobody read loses its glyphs, so they never spell anything but its text.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "export/export.hpp"

namespace broadsheet::exporter {

namespace {

constexpr std::size_t kMaxCells = 25'000'000;  // alignment table, one byte a cell

/// For each character of `a`, the index of the character of `b` it is aligned with (equal or
/// substituted), or -1 where it was deleted; by edit distance, after the common prefix and suffix.
/// Empty when the texts are too far apart to align within kMaxCells.
std::vector<long> align(const std::u32string& a, const std::u32string& b) {
  std::vector<long> map(a.size(), -1);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) {
    map[pre] = static_cast<long>(pre);
    ++pre;
  }
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    map[a.size() - 1 - suf] = static_cast<long>(b.size() - 1 - suf);
    ++suf;
  }
  const std::size_t n = a.size() - pre - suf;
  const std::size_t m = b.size() - pre - suf;
  if (n == 0 || m == 0) return map;
  if ((n + 1) * (m + 1) > kMaxCells) return {};
  // move: 0 diagonal, 1 delete from a (up), 2 insert from b (left)
  std::vector<std::uint8_t> move((n + 1) * (m + 1));
  std::vector<std::size_t> prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) {
    prev[j] = j;
    move[j] = 2;
  }
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    move[i * (m + 1)] = 1;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t diag = prev[j - 1] + (a[pre + i - 1] == b[pre + j - 1] ? 0 : 1);
      const std::size_t up = prev[j] + 1;
      const std::size_t left = cur[j - 1] + 1;
      std::uint8_t mv = 0;
      std::size_t best = diag;
      if (up < best) {
        best = up;
        mv = 1;
      }
      if (left < best) {
        best = left;
        mv = 2;
      }
      cur[j] = best;
      move[i * (m + 1) + j] = mv;
    }
    std::swap(prev, cur);
  }
  std::size_t i = n, j = m;
  while (i > 0 || j > 0) {
    const std::uint8_t mv = move[i * (m + 1) + j];
    if (i > 0 && j > 0 && mv == 0) {
      map[pre + i - 1] = static_cast<long>(pre + j - 1);
      --i;
      --j;
    } else if (i > 0 && (j == 0 || mv == 1)) {
      --i;
    } else {
      --j;
    }
  }
  return map;
}

bool is_layout_space(char32_t c) {
  return c == U'\n' || c == U'\r' || c == U'\t';
}

std::u32string strip_breaks(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s)
    if (!is_layout_space(c)) out += c;
  return out;
}

std::vector<RegionKind> kinds_of(std::string_view field) {
  if (field == "headline") return {RegionKind::Headline};
  if (field == "subheadline") return {RegionKind::Subheadline};
  if (field == "byline") return {RegionKind::Byline};
  return {RegionKind::Body};
}

/// The glyphs of `line` once each of its characters (code point c of line.text) has become
/// `pieces[c]`: a glyph whose character was deleted goes; one whose character was replaced keeps
/// its box and takes the new character with confidence 1 (a person wrote it). Characters a
/// person inserted were never read and have no box: the line then keeps no glyphs at all, as
/// it does when it had none or they did not match it.
std::vector<Glyph> carry_glyphs(const Line& line, const std::vector<std::u32string>& pieces) {
  const std::u32string old = text::to_u32(line.text);
  if (line.chars.empty() || !line_glyphs_match(line) || pieces.size() != old.size()) return {};
  std::vector<Glyph> out;
  std::size_t g = 0;
  for (std::size_t c = 0; c < old.size(); ++c) {
    // White space has no glyph; a character typed in its place has none either, and the
    // caller's check drops the line's glyphs for it.
    if (text::is_space(old[c])) continue;
    const Glyph& glyph = line.chars[g++];
    const std::u32string now = text::strip_space(pieces[c]);
    if (now.empty()) continue;
    if (now.size() > 1) return {};
    out.push_back(glyph);
    if (now[0] != old[c]) {
      out.back().text = text::to_utf8(now);
      out.back().confidence = 1.0;
    }
  }
  return out;
}

/// Carries one field of one article from `ocr` to `fixed` into the lines of `regions`.
void carry(std::vector<Region*>& regions, const std::string& ocr, const std::string& fixed) {
  // The lines' text, one string, with each character's line.
  std::u32string lines;
  std::vector<std::pair<std::size_t, std::size_t>> owner;  // index into regions, line index
  for (std::size_t ri = 0; ri < regions.size(); ++ri)
    for (std::size_t k = 0; k < regions[ri]->lines.size(); ++k)
      for (char32_t c : text::to_u32(regions[ri]->lines[k].text)) {
        lines += c;
        owner.emplace_back(ri, k);
      }
  const std::u32string o = strip_breaks(text::to_u32(ocr));
  const std::u32string f = strip_breaks(text::to_u32(fixed));
  if (lines.empty() || o == f) return;
  const std::vector<long> line_to_ocr = align(lines, o);
  const std::vector<long> ocr_to_fixed = align(o, f);
  if ((line_to_ocr.empty() && !lines.empty()) || (ocr_to_fixed.empty() && !o.empty())) return;

  // What each OCR character becomes: its aligned corrected character plus whatever the
  // corrector inserted after it (before the next aligned one); insertions before the first
  // aligned character go with the first.
  std::vector<std::u32string> becomes(o.size());
  std::size_t next_f = 0;
  long last = -1;
  for (std::size_t i = 0; i < o.size(); ++i) {
    const long to = ocr_to_fixed[i];
    if (to < 0) continue;
    std::u32string piece;
    if (last < 0) piece = f.substr(0, static_cast<std::size_t>(to));  // leading insertions
    piece += f[static_cast<std::size_t>(to)];
    if (last >= 0) {
      // insertions between the previous aligned character and this one belong to the previous
      becomes[static_cast<std::size_t>(last)] +=
          f.substr(next_f, static_cast<std::size_t>(to) - next_f);
    }
    becomes[i] = piece;
    next_f = static_cast<std::size_t>(to) + 1;
    last = static_cast<long>(i);
  }
  if (last >= 0) becomes[static_cast<std::size_t>(last)] += f.substr(next_f);

  std::vector<std::vector<std::u32string>> rebuilt(regions.size());
  // What each character of each line became, for the line's glyphs.
  std::vector<std::vector<std::vector<std::u32string>>> pieces(regions.size());
  for (std::size_t ri = 0; ri < regions.size(); ++ri) {
    rebuilt[ri].resize(regions[ri]->lines.size());
    pieces[ri].resize(regions[ri]->lines.size());
  }
  for (std::size_t c = 0; c < lines.size(); ++c) {
    std::u32string& out = rebuilt[owner[c].first][owner[c].second];
    const long to = line_to_ocr[c];
    std::u32string piece =
        to < 0 ? std::u32string(1, lines[c]) : becomes[static_cast<std::size_t>(to)];
    out += piece;
    pieces[owner[c].first][owner[c].second].push_back(std::move(piece));
  }
  // A corrector who typed text where the OCR had none: it goes at the end of the last line.
  if (last < 0 && !f.empty() && !regions.empty() && !regions.back()->lines.empty())
    rebuilt.back().back() += f;

  for (std::size_t ri = 0; ri < regions.size(); ++ri) {
    Region& r = *regions[ri];
    std::string text;
    for (std::size_t k = 0; k < r.lines.size(); ++k) {
      Line& line = r.lines[k];
      std::string now = text::to_utf8(rebuilt[ri][k]);
      if (now != line.text) {
        line.chars = carry_glyphs(line, pieces[ri][k]);
        line.text = std::move(now);
        if (!line_glyphs_match(line)) line.chars.clear();
      }
      text += line.text;
    }
    r.text = text;
  }
}

}  // namespace

Issue with_corrections_in_lines(const Issue& issue) {
  Issue out = issue;
  for (const Article& a : out.articles) {
    if (!a.extra.is_object()) continue;
    auto ocr = a.extra.find("ocr");
    if (ocr == a.extra.end() || !ocr->is_object()) continue;
    for (const auto& [field, value] : ocr->items()) {
      if (!value.is_string()) continue;
      std::optional<std::string> fixed;
      if (field == "headline") fixed = a.headline;
      if (field == "subheadline") fixed = a.subheadline;
      if (field == "byline") fixed = a.byline;
      if (field == "text") fixed = a.text;
      if (!fixed) continue;
      const std::vector<RegionKind> kinds = kinds_of(field);
      std::vector<Region*> regions;
      for (const ArticlePart& part : a.parts)
        for (Page& page : out.pages) {
          if (page.page != part.page) continue;
          for (const std::string& id : part.region_ids)
            for (Region& r : page.regions)
              if (r.id == id && std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end())
                regions.push_back(&r);
        }
      carry(regions, value.get<std::string>(), *fixed);
    }
  }
  for (Page& page : out.pages) page.text = ordered_page_text(page, out.articles);
  return out;
}

}  // namespace broadsheet::exporter
