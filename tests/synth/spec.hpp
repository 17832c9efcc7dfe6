#pragma once
/// The content of an issue to render: metadata, pages and articles with their parts per page.
/// `--spec FILE.json` reads it (format in tests/synth/README.md); random issues build the same
/// structure.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::synth {

struct IssueMeta {
  std::string newspaper;
  std::string newspaper_latin;
  std::string date;  ///< ISO 8601
  std::string weekday;
  std::string lunar_date;
  long long number = 0;
  int page_count = 0;
  std::string serial;
  std::string organ;
  std::string publisher;
};

struct PageSpec {
  int page = 1;
  std::optional<std::string> section_name;  ///< running-header section name (pages > 1)
  /// Optional order of article ids on the page (continuations included); default: article order.
  std::vector<std::string> placement;
};

struct PartSpec {
  int page = 1;
  std::optional<std::string> headline;  ///< repeated headline over a continuation
  bool continues_paragraph = false;     ///< first paragraph goes on with the previous part's last
  std::vector<std::string> paragraphs;
};

struct ArticleSpec {
  std::string id;
  ArticleKind kind = ArticleKind::Article;  ///< Article or Caption
  std::optional<std::string> kicker;
  std::optional<std::string> headline;
  std::optional<std::string> headline_deck2;
  /// The headline as truth records it when that differs from the printed decks (the seed's lead
  /// headline is kicker + deck 1 + deck 2); default: decks joined by a space.
  std::optional<std::string> truth_headline;
  std::optional<std::string> subheadline;
  std::optional<std::string> section;  ///< printed once over consecutive articles sharing it
  std::optional<std::string> byline;   ///< names, printed as （names） after the body
  std::optional<std::string> credit;   ///< "張澤慧攝", printed after a caption
  bool photo = false;
  std::vector<PartSpec> parts;
};

struct IssueSpec {
  std::string paper;  ///< folder slug
  std::string date;   ///< folder name, ISO 8601
  IssueMeta meta;
  std::vector<PageSpec> pages;
  std::vector<ArticleSpec> articles;
};

inline constexpr const char* kSynthStage = "synth";

/// Parses a spec document; errors name the offending field ("articles[3].parts[1].page").
[[nodiscard]] Result<IssueSpec> issue_spec_from_json(const nlohmann::json& j);
[[nodiscard]] Result<IssueSpec> read_issue_spec(const std::filesystem::path& path);

/// The jump-line text without brackets: ("下轉", 3) → "下轉第三版".
[[nodiscard]] std::string jump_marker(const char* direction, int page);

}  // namespace broadsheet::synth
