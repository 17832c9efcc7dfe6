#pragma once
/// Jump lines ("continued on / from page N"): the short bracketed lines with which a newspaper
/// sends an article to another page and picks it up there — （下轉第三版） at the end of the first
/// part, （上接第一版） at the start of the next.
///
/// Every form papers print is read: （下轉第三版） （上接第一版） （轉第3版） （接第1版）
/// （下轉二版） 轉A3, with Chinese or Arabic numerals, full- or half-width brackets, simplified
/// 转/续, and the OCR noise a short line collects: spaces anywhere, one stray or one lost character
/// (a dropped bracket, 版 read as 板, 第 as 笫, 上 as 土, 轉 as something else between 下 and
/// 第…版). Look-alikes are refused: a jump line is nothing but the jump (引用第三版的說法 is not
/// one).
///
/// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace broadsheet::reassemble {

struct Jump {
  enum class Direction {
    To,    ///< 下轉 / 轉: the article goes on at `page`
    From,  ///< 上接 / 接: the article comes from `page`
  };
  Direction direction = Direction::To;
  /// The printed page number named (A3 → 3; the letter stays in `marker`).
  int page = 0;
  /// As printed minus brackets, noise and spaces, with 转→轉, 续→續, 板→版, 笫→第 folded:
  /// "下轉第三版", "轉第3版", "轉A3".
  std::string marker;

  friend bool operator==(const Jump&, const Jump&) = default;
};

/// Parses a whole text (one region or line) as a jump line; nullopt when it is anything else.
[[nodiscard]] std::optional<Jump> parse_jump(std::string_view text);

/// A text split into what remains and the jump line found at one of its ends.
struct SplitJump {
  std::string text;  ///< the rest, trimmed of white space at the cut
  Jump jump;
};

/// A jump line at the end of a text (a body region that segment did not split from its jump
/// line): "…態勢。（下轉第三版）" → {"…態勢。", 下轉第三版}. nullopt when the text does not end in
/// one.
[[nodiscard]] std::optional<SplitJump> split_trailing_jump(std::string_view text);
/// A jump line at the start of a text: "（上接第一版）截至目前…" → {"截至目前…", 上接第一版}.
[[nodiscard]] std::optional<SplitJump> split_leading_jump(std::string_view text);

/// The marker a paper prints for a jump: jump_marker(To, 3) = "下轉第三版",
/// jump_marker(From, 1) = "上接第一版".
[[nodiscard]] std::string jump_marker(Jump::Direction direction, int page);

}  // namespace broadsheet::reassemble
