#include "reassemble/cues.hpp"

#include "core/text.hpp"

namespace broadsheet::reassemble::cues {

namespace {

constexpr std::u32string_view kOpen = U"(（[［【〔〖{｛〈《<«";
constexpr std::u32string_view kClose = U")）]］】〕〗}｝〉》>»";

bool in(std::u32string_view set, char32_t c) {
  return set.find(c) != std::u32string_view::npos;
}

int digit_value(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'兩':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

}  // namespace

bool is_open_bracket(char32_t c) {
  return in(kOpen, c);
}

bool is_close_bracket(char32_t c) {
  return in(kClose, c);
}

bool is_sentence_end(char32_t c) {
  return in(U"。！？…!?．", c);
}

bool is_closing_quote(char32_t c) {
  return in(U"”」』’\"'", c);
}

bool is_sentence_punct(char32_t c) {
  return in(U"，。、；：！？,;:!?“”「」『』《》…—", c);
}

bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

bool is_chinese_numeral(char32_t c) {
  return digit_value(c) >= 0 || c == U'十' || c == U'百';
}

std::optional<int> parse_number(std::u32string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  bool ascii = true;
  for (char32_t c : s) ascii = ascii && is_ascii_digit(c);
  if (ascii) {
    if (s.size() > 4) return std::nullopt;
    int v = 0;
    for (char32_t c : s) v = v * 10 + static_cast<int>(c - U'0');
    return v;
  }
  for (char32_t c : s)
    if (!is_chinese_numeral(c)) return std::nullopt;
  const bool positional =
      s.find(U'十') == std::u32string_view::npos && s.find(U'百') == std::u32string_view::npos;
  if (positional) {
    // 一〇五: digit by digit.
    if (s.size() > 4) return std::nullopt;
    int v = 0;
    for (char32_t c : s) v = v * 10 + digit_value(c);
    return v;
  }
  // 一百零五, 二十三, 十二: a small multiplicative grammar.
  int total = 0;
  int pending = -1;  // digit waiting for its multiplier
  int last_unit = 1000;
  for (char32_t c : s) {
    const int d = digit_value(c);
    if (d >= 0) {
      if (pending > 0) return std::nullopt;  // two digits in a row: 二三十
      pending = d;
      continue;
    }
    const int unit = c == U'百' ? 100 : 10;
    if (unit >= last_unit) return std::nullopt;  // 十百
    last_unit = unit;
    if (pending == 0) return std::nullopt;
    total += (pending < 0 ? 1 : pending) * unit;
    pending = -1;
  }
  if (pending > 0) total += pending;
  return total;
}

std::string chinese_number(int n) {
  static constexpr const char* kDigits[] = {"〇", "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return std::to_string(n);
  if (n < 10) return kDigits[n];
  const int tens = n / 10;
  const int ones = n % 10;
  std::string out = tens == 1 ? "" : kDigits[tens];
  out += "十";
  if (ones > 0) out += kDigits[ones];
  return out;
}

Decoded decode(std::string_view s) {
  Decoded out;
  out.text.reserve(s.size());
  out.offsets.reserve(s.size() + 1);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    out.offsets.push_back(i);
    if (!ok) {
      out.text.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.text.push_back(cp);
    i += len;
  }
  out.offsets.push_back(s.size());
  return out;
}

std::u32string folded(std::string_view utf8) {
  return text::strip_space(text::to_u32(text::nfkc(utf8)));
}

std::u32string_view trim(std::u32string_view s) {
  while (!s.empty() && text::is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && text::is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string trim_utf8(std::string_view s) {
  const Decoded d = decode(s);
  std::size_t b = 0;
  std::size_t e = d.text.size();
  while (b < e && text::is_space(d.text[b])) ++b;
  while (e > b && text::is_space(d.text[e - 1])) --e;
  return std::string(s.substr(d.offsets[b], d.offsets[e] - d.offsets[b]));
}

bool ends_sentence(std::u32string_view s) {
  s = trim(s);
  while (!s.empty() && (is_closing_quote(s.back()) || s.back() == U'）' || s.back() == U')'))
    s.remove_suffix(1);
  return !s.empty() && is_sentence_end(s.back());
}

std::size_t visible_length(std::u32string_view s) {
  std::size_t n = 0;
  for (char32_t c : s)
    if (!text::is_space(c)) ++n;
  return n;
}

}  // namespace broadsheet::reassemble::cues
