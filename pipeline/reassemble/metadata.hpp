#pragma once
/// Issue metadata from the masthead of the front page and the running headers of inner pages:
/// newspaper name, ISO date, weekday, lunar date, issue number (第15434期), page count (今日4版),
/// serial (CN14—0020), and the printed page number (第2版) of each page.
///
/// The parsers read what is printed, tolerating OCR spacing and line breaks inside a field
/// ("2025年8月\n7\n星期四"), full-width digits and Chinese numerals in dates.
///
/// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/issue.hpp"

namespace broadsheet::reassemble {

/// What a masthead or a running header says about the issue; unset fields were not found.
struct IssueHeader {
  std::optional<std::string> newspaper;        ///< 陽泉日報
  std::optional<std::string> newspaper_latin;  ///< YANGQUAN RIBAO
  std::optional<std::string> organ;            ///< 中共陽泉市委機關報
  std::optional<std::string> publisher;        ///< 中共陽泉市委主辦 陽泉日報社出版
  std::optional<std::string> serial;           ///< CN14—0020
  std::optional<std::string> date;             ///< ISO 8601: 2025-08-07
  std::optional<std::string> weekday;          ///< 星期四
  std::optional<std::string> lunar_date;       ///< 乙巳年閏六月十四
  std::optional<long long> number;             ///< 第15434期 → 15434
  std::optional<int> page_count;               ///< 今日4版 → 4
  std::optional<int> page;                     ///< 第2版 → 2 (running headers)
};

/// Reads every field it finds in a masthead or running-header text (lines separated by "\n").
[[nodiscard]] IssueHeader parse_issue_header(std::string_view text);

/// "2025年8月7日", "二〇二五年八月七日", "2025年8月\n7" → "2025-08-07"; nullopt without a valid
/// date.
[[nodiscard]] std::optional<std::string> parse_date(std::string_view text);

/// The printed page number of a running header: "第2版  陽泉日報 綜合" → 2; "第A3版" → 3.
/// 今日4版 (a page count) is not a page number.
[[nodiscard]] std::optional<int> parse_printed_page(std::string_view text);

/// Printed page numbers for the pages of an issue, in scan order. `found[i]` is what page i's
/// header says (nullopt: nothing readable), `front[i]` whether page i carries the masthead. Pages
/// without a readable number — or with one that contradicts its neighbours (a misread digit,
/// a repeated number) — get the number the others imply; numbers stay unique.
[[nodiscard]] std::vector<int> assign_page_numbers(const std::vector<std::optional<int>>& found,
                                                   const std::vector<bool>& front);

}  // namespace broadsheet::reassemble
