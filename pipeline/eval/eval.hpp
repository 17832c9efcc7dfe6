#pragma once
/// `broadsheet eval TRUTH OUT`: scores pipeline output against hand-made truth with the fixed
/// definitions of DESIGN.md ("How quality is measured"). Truth and output are both issue.json
/// (schema_version 1); eval sees neither OpenCV nor Tesseract.
///
/// Every metric is kept as raw counts (numerator and denominator), never as a ratio, so that the
/// overall row is *pooled* over all issues: sums of edit distances over sums of truth lengths,
/// counts over counts, areas over areas — a 10-page issue weighs ten times a 1-page one, and
/// numbers from different weeks compare. A ratio whose denominator is 0 is undefined
/// (std::nullopt here, null in JSON, "-" in the table), never 0 or 1.
///
/// Definitions as implemented. "Text" always means text::comparable(): NFKC, then every white-space
/// code point removed; lengths and edit distances (Levenshtein) count code points of that form.
///
/// Pages. Truth and output pages are paired by `scan_index` (0-based scan position; the first
/// output page with a given scan_index wins). A truth page with no output page is compared with an
/// empty page; an output page with no truth page is compared with an empty truth page (its text
/// counts as insertions in page CER and as false positives in char F1, its regions lower
/// precision).
/// - page CER = Σ edit_distance(truth page text, output page text) / Σ |truth page text|.
/// - page char F1, pooled over pages: per page tp = |multiset(truth chars) ∩ multiset(output
///   chars)|; F1 = 2·Σtp / (Σ|truth| + Σ|output|). Blind to reading order.
///
/// Articles. Every truth article (all kinds) is matched one-to-one to an output article (any
/// kind). Key of an article = its text; when the truth article's text has fewer than 2 characters
/// (a photo caption held only in the headline, ...), the key of that truth article *and* of every
/// output article compared with it is headline followed by text. A pair (t, o) is allowed when the
/// multiset intersection I of their key bigrams (adjacent code-point pairs) is non-empty and
/// I ≥ 20 % of t's bigrams; its score is Dice = 2·I / (|bigrams t| + |bigrams o|). All allowed
/// pairs are taken greedily, highest Dice first (ties: truth order, then output order).
/// The body CER of a pair is edit_distance(t.text, o.text) / max(1, |t.text|) — always on the text,
/// even when the key included the headline.
/// - article recall = truth articles found / truth articles; found = matched with body CER ≤ 0.10.
/// - continuation accuracy = multi-page truth articles (pages.size() > 1) reproduced / multi-page
///   truth articles. Reproduced = matched and, for every page p among the truth article's pages
///   and its parts' pages:
///     - if the truth has part text on p: edit_distance(T_p, O_p) ≤ 0.15 · max(1, |T_p|), where
///       T_p is the concatenated text of the truth parts on page p and O_p that of the output
///       article's parts on page p ("" when it has none) — so an output article holding only
///       page 1's part fails;
///     - if not (the truth does not transcribe that page): the output article reaches p (p in its
///       pages, or one of its parts on p);
///   and, when the truth article has no part text on any page (e.g. a page-1-only transcription
///   without parts, like the seed), its whole body CER ≤ 0.15.
/// - headline CER: over matched pairs whose truth headline is set: Σ edit_distance(truth
///   headline, output headline or "") / Σ |truth headline|. Unmatched articles do not count here
///   (they count in recall and body CER), so a missing output issue leaves it undefined.
/// - body CER: over all truth articles: Σ edit_distance(t.text, matched o.text, or "" when
///   unmatched) / Σ |t.text|.
/// - byline accuracy: over truth articles whose byline is set: share whose match has an equal
///   byline after comparable() and removal of every Unicode punctuation code point (general
///   category P*: brackets, commas, middle dots, dashes ...). A null output byline compares as "";
///   unmatched = wrong.
///
/// Regions, per page pair and per kind.
/// - recall / precision at IoU ≥ 0.5: truth and output regions of one kind on one page are paired
///   one-to-one greedily, highest IoU first; a pair needs IoU ≥ 0.5. recall = matched / truth
///   regions, precision = matched / output regions.
/// - body coverage = area(∪ truth body boxes ∩ ∪ output body boxes) / area(∪ truth body boxes),
///   exact (coordinate compression), summed over pages.
/// - body over-merge = output body regions that cover ≥ 2 truth articles / output body regions on
///   pages that have truth. An output body region R covers truth article A when
///   area(R ∩ ∪ A's truth body boxes on that page) > 0 and ≥ 10 % of area(R). A truth body
///   region belongs to its `article_id`, else to the article whose parts list its id, else it is
///   an article by itself.
///
/// Run cost, from the output issue.json's provenance["run"]: "seconds" (wall time of the issue),
/// "pages" (pages processed; the output page count when absent), "peak_rss_mib".
/// - seconds per page = seconds / pages; overall = Σ seconds / Σ pages over the issues that
///   report seconds. peak MiB = the issue's value; overall = max. Absent → undefined.

#include <array>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::eval {

/// A ratio kept as numerator and denominator so that issues pool exactly.
struct Tally {
  long long numerator = 0;
  long long denominator = 0;

  /// numerator / denominator; nullopt when the denominator is 0.
  [[nodiscard]] std::optional<double> ratio() const;
  Tally& operator+=(const Tally& other);
  friend bool operator==(const Tally&, const Tally&) = default;
};

/// Character F1 counts: true positives, truth characters, output characters.
struct F1Tally {
  long long true_positive = 0;
  long long truth_chars = 0;
  long long output_chars = 0;

  /// 2·tp / (truth + output); nullopt when both are 0.
  [[nodiscard]] std::optional<double> f1() const;
  F1Tally& operator+=(const F1Tally& other);
};

/// Region detection counts of one kind.
struct RegionTally {
  long long truth = 0;
  long long output = 0;
  long long matched = 0;

  [[nodiscard]] std::optional<double> recall() const;
  [[nodiscard]] std::optional<double> precision() const;
  RegionTally& operator+=(const RegionTally& other);
};

/// Run cost from provenance["run"].
struct RunCost {
  std::optional<double> seconds;       ///< wall time; Σ over issues in the overall row
  std::optional<long long> pages;      ///< pages behind `seconds`; Σ in the overall row
  std::optional<double> peak_rss_mib;  ///< max in the overall row

  [[nodiscard]] std::optional<double> seconds_per_page() const;
};

inline constexpr std::size_t kRegionKindCount = std::size(kAllRegionKinds);

/// Scores of one issue, or of all issues pooled (Report::overall).
struct IssueScores {
  std::string id;               ///< issue id ("yangquan-ribao/2025-08-07"); "overall" when pooled
  bool output_missing = false;  ///< no issue.json: scored against an empty output (overall: any)
  long long truth_pages = 0;
  long long output_pages = 0;
  long long truth_articles = 0;
  long long output_articles = 0;

  Tally page_cer;               ///< edit distance / truth chars
  F1Tally page_chars;           ///< page character F1
  Tally article_recall;         ///< found / truth articles
  Tally continuation_accuracy;  ///< reproduced / multi-page truth articles
  Tally headline_cer;           ///< edit distance / truth headline chars (matched articles)
  Tally body_cer;               ///< edit distance / truth body chars (all truth articles)
  Tally byline_accuracy;        ///< equal / truth bylines
  std::array<RegionTally, kRegionKindCount> regions{};  ///< indexed by RegionKind
  Tally body_coverage;                                  ///< covered / truth body area, px²
  Tally body_over_merge;                                ///< over-merged / output body regions
  RunCost run;

  [[nodiscard]] const RegionTally& region(RegionKind kind) const {
    return regions[static_cast<std::size_t>(kind)];
  }
};

struct Report {
  std::vector<IssueScores> issues;  ///< sorted by id
  IssueScores overall;              ///< pool(issues)
};

/// Scores one output issue against its truth. Pure; never fails (malformed content only lowers
/// scores). Thread-safe.
[[nodiscard]] IssueScores evaluate_issue(const Issue& truth, const Issue& output);

/// Pools issue scores: counts and sums added, peak memory the max (see the file comment).
[[nodiscard]] IssueScores pool(std::span<const IssueScores> issues);

/// Scores every issue under `truth_root`: each folder holding a `truth.json` is one issue whose
/// id is the folder's path relative to truth_root; its output is out_root/<id>/issue.json. A truth
/// issue without output is scored against an empty issue and flagged output_missing.
/// Errors: truth_root missing or holding no truth.json (InputMissing, names truth_root); a truth
/// or output file that cannot be read or parsed (names the file).
[[nodiscard]] Result<Report> evaluate_dirs(const std::filesystem::path& truth_root,
                                           const std::filesystem::path& out_root);

/// Fixed-width text tables: one row per issue then "overall"; then the pooled region table.
/// Ratios are printed in percent; "-" marks an undefined ratio. The issue id is the last column
/// (it may hold Chinese, which is wide).
[[nodiscard]] std::string format_table(const Report& report);

/// The same as format_table, machine-readable. Ratios in 0..1 (CER may exceed 1), null when
/// undefined; raw counts under "counts" so that reports can be pooled again.
[[nodiscard]] nlohmann::json to_json(const Report& report);
[[nodiscard]] nlohmann::json to_json(const IssueScores& scores);

}  // namespace broadsheet::eval
