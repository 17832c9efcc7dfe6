#include "reassemble/jump.hpp"

#include <vector>

#include "core/text.hpp"
#include "reassemble/cues.hpp"

namespace broadsheet::reassemble {

namespace {

// A jump line is 5–9 characters; with brackets, spaces folded away and a stray character, no
// honest one is longer than this.
constexpr std::size_t kMaxJumpChars = 16;
// How far from the end (start) of a text a merged jump line may begin (end).
constexpr std::size_t kSplitWindow = 20;

bool is_to_keyword(char32_t c) {
  return c == U'轉' || c == U'转' || c == U'転';
}
bool is_from_keyword(char32_t c) {
  return c == U'接' || c == U'續' || c == U'续';
}
bool is_di(char32_t c) {
  return c == U'第' || c == U'笫';
}
bool is_ban(char32_t c) {
  return c == U'版' || c == U'板';
}
bool is_latin(char32_t c) {
  return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z');
}
bool starts_number(std::u32string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  if (cues::is_ascii_digit(s[i]) || cues::is_chinese_numeral(s[i])) return true;
  return is_latin(s[i]) && i + 1 < s.size() && cues::is_ascii_digit(s[i + 1]);
}

/// The grammar, with no noise tolerated: [open] [上|下] KEYWORD [第] NUMBER [版] [close], where a
/// keyword between 上/下 and 第 may be unreadable or lost when the rest is complete.
std::optional<Jump> parse_strict(std::u32string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  const bool open = i < n && cues::is_open_bracket(s[i]);
  if (open) ++i;
  char32_t prefix = 0;
  if (i < n && (s[i] == U'上' || s[i] == U'下')) prefix = s[i++];

  enum class Keyword { None, To, From } keyword = Keyword::None;
  char32_t keyword_char = 0;
  bool inferred = false;
  if (i < n && is_to_keyword(s[i])) {
    keyword = Keyword::To;
    keyword_char = U'轉';
    ++i;
  } else if (i < n && is_from_keyword(s[i])) {
    keyword = Keyword::From;
    keyword_char = s[i] == U'接' ? U'接' : U'續';
    ++i;
  } else if (prefix != 0) {
    // 下?第三版: the keyword misread as another character, or lost.
    const bool substituted = i + 1 < n && !is_di(s[i]) && !starts_number(s, i) &&
                             (is_di(s[i + 1]) || starts_number(s, i + 1));
    const bool lost = i < n && is_di(s[i]);
    if (substituted || lost) {
      if (substituted) ++i;
      keyword = prefix == U'下' ? Keyword::To : Keyword::From;
      keyword_char = prefix == U'下' ? U'轉' : U'接';
      inferred = true;
    }
  }
  if (keyword == Keyword::None) return std::nullopt;

  const bool di = i < n && is_di(s[i]);
  if (di) ++i;
  char32_t letter = 0;
  if (i + 1 < n && is_latin(s[i]) && cues::is_ascii_digit(s[i + 1])) letter = s[i++];
  std::size_t j = i;
  if (j < n && cues::is_ascii_digit(s[j])) {
    while (j < n && cues::is_ascii_digit(s[j])) ++j;
  } else if (letter == 0) {
    while (j < n && cues::is_chinese_numeral(s[j])) ++j;
  }
  if (j == i) return std::nullopt;
  const std::u32string_view digits = s.substr(i, j - i);
  const std::optional<int> number = cues::parse_number(digits);
  if (!number || *number <= 0 || *number > 999) return std::nullopt;
  i = j;
  const bool ban = i < n && is_ban(s[i]);
  if (ban) ++i;
  const bool close = i < n && cues::is_close_bracket(s[i]);
  if (close) ++i;
  if (i != n) return std::nullopt;

  // Something must say "this is a jump line" besides the keyword and a number: 版, a bracket, or
  // a page label like A3. A guessed keyword needs everything else.
  if (inferred) {
    if (!(di && ban && (open || close))) return std::nullopt;
  } else if (!(ban || open || close || letter != 0)) {
    return std::nullopt;
  }

  Jump jump;
  jump.direction = keyword == Keyword::To ? Jump::Direction::To : Jump::Direction::From;
  jump.page = *number;
  std::u32string marker;
  if (prefix != 0) marker += prefix;
  marker += keyword_char;
  if (di) marker += U'第';
  if (letter != 0) marker += letter;
  marker += digits;
  if (ban) marker += U'版';
  jump.marker = text::to_utf8(marker);
  return jump;
}

bool has_jump_keyword(std::u32string_view s) {
  for (char32_t c : s)
    if (is_to_keyword(c) || is_from_keyword(c) || is_ban(c)) return true;
  return false;
}

bool may_start_jump(char32_t c) {
  return cues::is_open_bracket(c) || c == U'上' || c == U'下' || is_to_keyword(c) ||
         is_from_keyword(c);
}

}  // namespace

std::optional<Jump> parse_jump(std::string_view text) {
  if (text.size() > kMaxJumpChars * 8) return std::nullopt;  // cheap guard before NFKC
  const std::u32string s = cues::folded(text);
  if (s.size() < 2 || s.size() > kMaxJumpChars) return std::nullopt;
  if (!has_jump_keyword(s) && s.find(U'第') == std::u32string::npos) return std::nullopt;
  if (auto j = parse_strict(s)) return j;
  // One stray character anywhere (a speck read as a character, a doubled bracket, a full stop).
  std::u32string shorter;
  for (std::size_t skip = 0; skip < s.size(); ++skip) {
    // Never a digit: dropping one would change the page.
    if (cues::is_ascii_digit(s[skip]) || cues::is_chinese_numeral(s[skip])) continue;
    shorter.assign(s, 0, skip);
    shorter.append(s, skip + 1);
    if (auto j = parse_strict(shorter)) return j;
  }
  return std::nullopt;
}

std::optional<SplitJump> split_trailing_jump(std::string_view text) {
  const cues::Decoded d = cues::decode(text);
  std::u32string_view s = d.text;
  while (!s.empty() && text::is_space(s.back())) s.remove_suffix(1);
  if (s.size() < 2) return std::nullopt;
  const std::size_t first = s.size() > kSplitWindow ? s.size() - kSplitWindow : 0;
  if (!has_jump_keyword(s.substr(first))) return std::nullopt;
  for (std::size_t p = first; p + 2 <= s.size(); ++p) {
    const bool after_break = p > 0 && text::is_space(s[p - 1]);
    if (!(p == 0 || after_break || may_start_jump(s[p]))) continue;
    if (text::is_space(s[p])) continue;
    std::optional<Jump> jump =
        parse_jump(text.substr(d.offsets[p], d.offsets[s.size()] - d.offsets[p]));
    if (!jump) continue;
    std::size_t end = p;
    while (end > 0 && text::is_space(s[end - 1])) --end;
    return SplitJump{std::string(text.substr(0, d.offsets[end])), std::move(*jump)};
  }
  return std::nullopt;
}

std::optional<SplitJump> split_leading_jump(std::string_view text) {
  const cues::Decoded d = cues::decode(text);
  std::u32string_view all = d.text;
  std::size_t begin = 0;
  while (begin < all.size() && text::is_space(all[begin])) ++begin;
  const std::u32string_view s = all.substr(begin);
  if (s.size() < 2) return std::nullopt;
  const std::size_t last = std::min(s.size(), kSplitWindow);
  if (!has_jump_keyword(s.substr(0, last))) return std::nullopt;
  // Prefer a cut after a closing bracket; else after 版 or before white space; longest first.
  std::optional<SplitJump> fallback;
  for (std::size_t q = last; q >= 2; --q) {
    const char32_t end = s[q - 1];
    const bool bracket = cues::is_close_bracket(end);
    const bool before_break = q == s.size() || text::is_space(s[q]);
    if (!(bracket || is_ban(end) || before_break)) continue;
    if (fallback && !bracket) continue;
    const std::size_t from = d.offsets[begin];
    std::optional<Jump> jump = parse_jump(text.substr(from, d.offsets[begin + q] - from));
    if (!jump) continue;
    std::size_t rest = begin + q;
    while (rest < all.size() && text::is_space(all[rest])) ++rest;
    SplitJump split{std::string(text.substr(d.offsets[rest])), std::move(*jump)};
    if (bracket) return split;
    if (!fallback) fallback = std::move(split);
  }
  return fallback;
}

std::string jump_marker(Jump::Direction direction, int page) {
  return std::string(direction == Jump::Direction::To ? "下轉第" : "上接第") +
         cues::chinese_number(page) + "版";
}

}  // namespace broadsheet::reassemble
