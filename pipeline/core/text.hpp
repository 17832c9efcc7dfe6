#pragma once
/// UTF-8 text helpers shared by the stages and by eval: code points, Unicode NFKC, white space,
/// edit distance. Invalid UTF-8 bytes decode to U+FFFD rather than failing.

#include <cstddef>
#include <string>
#include <string_view>

namespace broadsheet::text {

[[nodiscard]] std::u32string to_u32(std::string_view utf8);
[[nodiscard]] std::string to_utf8(std::u32string_view s);

/// Unicode NFKC (full-width ASCII becomes ASCII, compatibility ideographs fold).
[[nodiscard]] std::string nfkc(std::string_view utf8);

[[nodiscard]] bool is_space(char32_t c);
/// CJK ideographs (unified, extensions A-G, compatibility).
[[nodiscard]] bool is_cjk(char32_t c);

/// Removes every white-space code point.
[[nodiscard]] std::u32string strip_space(std::u32string_view s);

/// The comparison form of DESIGN.md: NFKC, then all white space removed.
[[nodiscard]] std::u32string comparable(std::string_view utf8);

/// Levenshtein distance over code points, O(n*m) time, O(min(n,m)) memory.
[[nodiscard]] std::size_t edit_distance(std::u32string_view a, std::u32string_view b);

}  // namespace broadsheet::text
