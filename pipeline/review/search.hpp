#pragma once
/// review: full-text search over every article of every issue under an output folder.
///
/// The index is OUT/search.sqlite, derived data: deleting it loses nothing, the next search
/// rebuilds it. It holds each article's corrected text (issue.json with the corrections of
/// OUT/corrections.sqlite applied), so what people corrected is what readers find.
///
/// Tokenising Chinese: there are no spaces between words, and most words are two characters.
/// Two SQLite FTS5 tables index the same articles:
///  - `trigram` (SQLite's trigram tokenizer) answers any query term of three or more characters
///    as a substring;
///  - `bigram` indexes each run of CJK characters as its overlapping character pairs plus the
///    run's last character alone ("陽泉日報" → 陽泉 泉日 日報 報), through the unicode61 tokenizer;
///    a two-character term is one token, a one-character term the prefix query "字*".
/// Terms of one or two characters that are not all CJK (a Latin "5G") fall back to LIKE on the
/// stored text. Several terms separated by spaces must all occur.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::review {

inline constexpr std::string_view kSearchFile = "search.sqlite";

struct SearchHit {
  std::string issue_id;
  std::string date;  ///< ISO 8601, "" when unknown
  std::string newspaper;
  std::string article_id;
  int page = 0;  ///< printed page number where the first term occurs (else the article's first)
  std::string headline;      ///< the headline, else the start of the text
  std::string snippet;       ///< text around the first occurrence of the first term
  int highlight_start = 0;   ///< in code points, within snippet
  int highlight_length = 0;  ///< in code points
};

/// The bigram form of a text as the `bigram` table indexes it (exposed for tests).
[[nodiscard]] std::string bigram_tokens(std::string_view text);

/// Replaces the articles of `issue` (already corrected) in the index. `stamp` records the state of
/// the issue's sources, so that sync_index can tell when it is stale.
[[nodiscard]] Result<void> index_issue(const std::filesystem::path& out, const Issue& issue,
                                       std::string_view stamp);

/// Brings OUT/search.sqlite up to date: every OUT/<id>/issue.json whose file or corrections changed
/// since it was indexed is read, corrected and indexed again; issues gone from OUT are removed.
/// Returns the number of issues (re)indexed.
[[nodiscard]] Result<int> sync_index(const std::filesystem::path& out);

/// The stamp of an issue's sources: issue.json's size and time, and the corrections revision.
[[nodiscard]] Result<std::string> source_stamp(const std::filesystem::path& out,
                                               std::string_view issue_id);

/// Finds articles holding every term of `query` (terms separated by white space). Newest issue
/// first, headline hits before body hits. Errors: an empty query (BadArguments).
[[nodiscard]] Result<std::vector<SearchHit>> search(const std::filesystem::path& out,
                                                    std::string_view query, int limit = 50);

/// Every issue id under `out` (folders holding issue.json; pages/ and debug/ are not issues).
[[nodiscard]] std::vector<std::string> find_issue_ids(const std::filesystem::path& out);

}  // namespace broadsheet::review
