#include "recognize/normalize.hpp"

#include <algorithm>
#include <utility>

#include "core/text.hpp"

namespace broadsheet::recognize {

namespace {

bool is_cjk_punct(char32_t c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65) || c == U'“' || c == U'”' || c == U'‘' || c == U'’' ||
         c == U'—' || c == U'…' || c == U'·';
}

bool is_cjkish(char32_t c) {
  return text::is_cjk(c) || is_cjk_punct(c);
}

bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

bool is_ascii_letter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

char32_t full_width(char32_t c) {
  switch (c) {
    case U',':
      return U'，';
    case U';':
      return U'；';
    case U':':
      return U'：';
    case U'?':
      return U'？';
    case U'!':
      return U'！';
    case U'(':
      return U'（';
    case U')':
      return U'）';
    default:
      return c;
  }
}

}  // namespace

std::string normalize_line(std::string_view line) {
  const std::u32string in = text::to_u32(line);

  // 1. White space: drop runs between CJK neighbours, fold the others into one space.
  std::u32string s;
  s.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    if (!text::is_space(in[i])) {
      s.push_back(in[i++]);
      continue;
    }
    size_t j = i;
    while (j < in.size() && text::is_space(in[j])) ++j;
    const bool at_edge = s.empty() || j == in.size();
    // Beside CJK a space is dropped unless the other side is a Latin letter: Tesseract's "8 月 6
    // 日" becomes "8月6日", a printed "機遇期 and 歷史窗口期" stays.
    const bool beside_cjk = !at_edge && (is_cjkish(s.back()) || is_cjkish(in[j]));
    const bool beside_latin = !at_edge && (is_ascii_letter(s.back()) || is_ascii_letter(in[j]));
    if (!at_edge && (!beside_cjk || beside_latin)) s.push_back(U' ');
    i = j;
  }

  // 2. Punctuation in CJK context. Context = the nearest non-space neighbours.
  std::u32string out;
  out.reserve(s.size());
  bool quote_open = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    const char32_t prev = i > 0 ? s[i - 1] : U'\0';
    const char32_t next = i + 1 < s.size() ? s[i + 1] : U'\0';
    const bool cjk_before = i > 0 && is_cjkish(prev);
    const bool cjk_after = i + 1 < s.size() && is_cjkish(next);
    const bool cjk_context = cjk_before || cjk_after;
    switch (c) {
      case U',':
      case U':':
        // "8,000" and "9:00" stay ASCII.
        if (cjk_context && !(is_ascii_digit(prev) && is_ascii_digit(next))) {
          out.push_back(full_width(c));
        } else {
          out.push_back(c);
        }
        break;
      case U';':
      case U'?':
      case U'!':
      case U'(':
      case U')':
        out.push_back(cjk_context ? full_width(c) : c);
        break;
      case U'.':
        // A full stop after CJK is 。; "5.3" and "U.S." stay.
        out.push_back(cjk_before && !is_ascii_digit(next) ? U'。' : c);
        break;
      case U'"':
        if (cjk_context) {
          out.push_back(quote_open ? U'”' : U'“');
          quote_open = !quote_open;
        } else {
          out.push_back(c);
        }
        break;
      default:
        out.push_back(c);
    }
  }
  return text::to_utf8(out);
}

std::string join_lines(const std::vector<std::string>& lines,
                       const std::vector<bool>& starts_paragraph) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const bool new_paragraph = i < starts_paragraph.size() && starts_paragraph[i];
    if (!out.empty()) {
      if (new_paragraph) {
        out += "\n";
      } else {
        // Latin words broken over lines keep a space; Chinese joins with nothing.
        const std::u32string a = text::to_u32(out);
        const std::u32string b = text::to_u32(lines[i]);
        if (!a.empty() && !b.empty() && !is_cjkish(a.back()) && !is_cjkish(b.front()) &&
            a.back() != U'-')
          out += " ";
      }
    }
    out += lines[i];
  }
  return out;
}

std::vector<Glyph> split_symbol(const Glyph& symbol, bool vertical) {
  std::u32string cps = text::strip_space(text::to_u32(symbol.text));
  std::vector<Glyph> out;
  const int n = static_cast<int>(cps.size());
  for (int i = 0; i < n; ++i) {
    Glyph g;
    g.text = text::to_utf8(std::u32string(1, cps[static_cast<size_t>(i)]));
    g.confidence = symbol.confidence;
    g.bbox = symbol.bbox;
    // Equal parts, the last one taking the rounding remainder.
    const int extent = vertical ? symbol.bbox.h : symbol.bbox.w;
    const int from = extent * i / n;
    const int to = extent * (i + 1) / n;
    if (vertical) {
      g.bbox.y += from;
      g.bbox.h = to - from;
    } else {
      g.bbox.x += from;
      g.bbox.w = to - from;
    }
    out.push_back(std::move(g));
  }
  return out;
}

Box clip_into(const Box& box, const Box& frame) {
  // One axis: [lo, hi) cut to [flo, fhi), at least one pixel wide.
  auto clip = [](int lo, int hi, int flo, int fhi) {
    lo = std::clamp(lo, flo, fhi - 1);
    hi = std::clamp(hi, lo + 1, fhi);
    return std::pair{lo, hi};
  };
  const auto [x0, x1] = clip(box.x, box.x + box.w, frame.x, frame.x + frame.w);
  const auto [y0, y1] = clip(box.y, box.y + box.h, frame.y, frame.y + frame.h);
  return Box{x0, y0, x1 - x0, y1 - y0};
}

bool respell_glyphs(std::vector<Glyph>& glyphs, std::string_view from, std::string_view to) {
  std::u32string spelled;
  for (const Glyph& g : glyphs) {
    const std::u32string u = text::to_u32(g.text);
    if (u.size() != 1) return false;
    spelled += u;
  }
  if (spelled != text::strip_space(text::to_u32(from))) return false;
  const std::u32string target = text::strip_space(text::to_u32(to));
  if (target.size() != glyphs.size()) return false;
  for (size_t k = 0; k < glyphs.size(); ++k)
    glyphs[k].text = text::to_utf8(std::u32string(1, target[k]));
  return true;
}

}  // namespace broadsheet::recognize
