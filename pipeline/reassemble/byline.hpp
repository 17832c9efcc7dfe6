#pragma once
/// Bylines and photo credits.
///
/// A byline closes an article in full-width brackets: （郁靜 子煜）, （本報記者 郝文傑）,
/// （本報通訊員 侯建軍）, （王 磊 李 娜）; unbracketed only after a reporter's title (本報記者
/// 張三). A caption ends with the photographer's credit: "…熠熠生輝。　張澤慧攝" → credit
/// "張澤慧攝", byline "張澤慧". Datelines (本報訊, 新華社北京8月6日電（記者周凡）) are not bylines:
/// they stay in the text.
///
/// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace broadsheet::reassemble {

/// The names of a byline line, without brackets, white space runs folded to one space:
/// "（郁靜 子煜）" → "郁靜 子煜". nullopt for anything that is not a byline (a sentence, a jump
/// line, a bracketed number). Tolerates one lost bracket.
[[nodiscard]] std::optional<std::string> parse_byline(std::string_view text);

struct SplitByline {
  std::string text;    ///< what precedes the byline, trimmed
  std::string byline;  ///< names, as parse_byline gives them
};

/// A byline printed on the last line of the body, after the last sentence:
/// "…持續向好態勢。（郁靜 子煜）" → {"…持續向好態勢。", "郁靜 子煜"}. A bracket after anything but
/// a sentence end is part of the text (…黨委（黨組）). With `ends_article` (the text is the last
/// of an article: no jump line follows), a byline whose brackets OCR lost, reading the closing
/// one as a comma, is taken too when its names start with a common surname:
/// "…帶來不便。周桂周英英，" → {"…帶來不便。", "周桂周英英"}. An article never ends in a comma.
[[nodiscard]] std::optional<SplitByline> split_trailing_byline(std::string_view text,
                                                               bool ends_article = false);

/// True when the text starts with one of the common surnames a byline's names most often start
/// with (how a name list is told from a short phrase when OCR lost its brackets).
[[nodiscard]] bool starts_with_surname(std::u32string_view text);

/// Names spelled as names: 於, the preposition, where a name begins (at the start, after a
/// space or 、) is 于, the surname, which chi_tra reads as 於 in traditional text:
/// "於瑞健 楊靜" → "于瑞健 楊靜". Everything else is kept as it is.
[[nodiscard]] std::string surname_spelling(std::string_view names);

struct Credit {
  std::string text;    ///< the caption without the credit, trimmed
  std::string credit;  ///< "張澤慧攝", as printed (spaces at the ends trimmed)
  std::string byline;  ///< "張澤慧": the credit without 攝
};

/// The photographer's credit at the end of a caption; nullopt when the caption has none.
[[nodiscard]] std::optional<Credit> split_credit(std::string_view caption);

}  // namespace broadsheet::reassemble
