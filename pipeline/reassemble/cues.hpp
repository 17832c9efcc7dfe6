#pragma once
/// Character classes and small text helpers shared by the jump-line, byline and masthead parsers.
/// Internal to reassemble. Everything works on code points (std::u32string) so that a full-width
/// character is one unit; callers that parse first fold with text::nfkc so that full-width ASCII
/// (（ ） ３) and its half-width twin look the same.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadsheet::reassemble::cues {

[[nodiscard]] bool is_open_bracket(char32_t c);
[[nodiscard]] bool is_close_bracket(char32_t c);
/// Ends a sentence: 。！？… and their half-width forms; closing quotes are "transparent" (see
/// ends_sentence).
[[nodiscard]] bool is_sentence_end(char32_t c);
[[nodiscard]] bool is_closing_quote(char32_t c);
/// Any punctuation a name list never holds: ，。、；：！？ and their half-width forms, quotes,
/// 《》.
[[nodiscard]] bool is_sentence_punct(char32_t c);
[[nodiscard]] bool is_ascii_digit(char32_t c);
/// 〇零一二兩三四五六七八九十百.
[[nodiscard]] bool is_chinese_numeral(char32_t c);

/// Value of a number printed in Chinese numerals (三, 十二, 二十, 一百零五, 一〇五) or ASCII digits
/// (after NFKC). nullopt when `s` is empty, holds anything else, or is larger than 9999.
[[nodiscard]] std::optional<int> parse_number(std::u32string_view s);
/// 3 → 三, 12 → 十二, 20 → 二十: the way page numbers are printed in jump lines.
[[nodiscard]] std::string chinese_number(int n);

/// Code points of a UTF-8 text with the byte offset each starts at (offsets[n] = size), so that a
/// text can be cut at a code point and keep its bytes exactly. Invalid bytes decode to U+FFFD, one
/// per byte.
struct Decoded {
  std::u32string text;
  std::vector<std::size_t> offsets;
};
[[nodiscard]] Decoded decode(std::string_view utf8);

/// Text with every white-space code point removed, after NFKC.
[[nodiscard]] std::u32string folded(std::string_view utf8);
/// Trims white space (and U+3000) at both ends.
[[nodiscard]] std::u32string_view trim(std::u32string_view s);
/// Trims white space at both ends, keeping the bytes in between exactly.
[[nodiscard]] std::string trim_utf8(std::string_view s);

/// True when the text, ignoring trailing white space and closing quotes/brackets, ends a sentence.
[[nodiscard]] bool ends_sentence(std::u32string_view s);

/// Number of code points of `s` that are not white space.
[[nodiscard]] std::size_t visible_length(std::u32string_view s);

}  // namespace broadsheet::reassemble::cues
