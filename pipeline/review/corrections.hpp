#pragma once
/// review: corrections made by people, kept apart from OCR output and applied every time an
/// issue.json is written (DESIGN.md "Data flow", the stage after export).
///
/// Where they live: OUT/corrections.sqlite, one file for every issue under OUT (WAL, so `serve`,
/// `run` and `search` may use it at once). Nothing in it is ever deleted: an edit that replaces an
/// earlier one marks the earlier one "superseded"; a conflict that a person resolves is
/// "dismissed" or re-based, never removed.
///
/// What a correction holds: the issue, the article id it was made on, what it changes (a field's
/// new value, or a structural fix), the value the OCR had when the editor saw it (base_value), the
/// article's anchor (its regions: scan image, region id and box in scan pixels), the editor's name
/// and the time.
///
/// How it is applied to a new issue.json (a re-run with another model or layout): corrections are
/// replayed in the order they were made. Each finds its article by anchor: the article with the
/// same id and the same regions, else the article whose regions overlap the anchor's boxes most
/// (intersection over union of areas, at least kMinArticleOverlap). Then
///  - found, and the OCR value under it is still base_value: applied;
///  - found, but the OCR value changed (new model): applied, and flagged "conflict" (the person's
///    text wins, the new OCR stays beside it for review);
///  - not found (the layout changed under it): not applied, flagged "conflict"; it stays in the
///    store and in issue.json's provenance.review.conflicts with its value, never dropped.
/// The OCR original of every corrected field stays in the article as `ocr.<field>`, and each
/// article lists the corrections applied to it in `corrections`.
///
/// Applying is idempotent: an issue.json written with corrections applied can be corrected again
/// (export reads issue.json and applies): OCR values are first restored from `ocr`, and structural
/// fixes that are already in place are recognised as applied.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"

namespace broadsheet::review {

inline constexpr std::string_view kStageName = "review";
inline constexpr std::string_view kCorrectionsFile = "corrections.sqlite";
/// An anchor matches an article when their region boxes overlap at least this much (IoU of areas).
inline constexpr double kMinArticleOverlap = 0.5;

/// The article fields a person may edit.
enum class Field { Headline, Subheadline, Byline, Text };
inline constexpr Field kAllFields[] = {Field::Headline, Field::Subheadline, Field::Byline,
                                       Field::Text};
[[nodiscard]] std::string_view to_string(Field f);
[[nodiscard]] std::optional<Field> field_from_string(std::string_view s);

/// What a correction changes.
enum class Kind {
  Field,       ///< one field of an article: value replaces the OCR value
  MoveRegion,  ///< payload {"region": RegionRef}: the region leaves its article for this one
  Merge,       ///< payload {"from": Anchor}: that article is merged into this one (appended)
  Split,       ///< payload {"regions": [RegionRef]}: those regions become a new article
  Link,    ///< payload {"from": Anchor}: that article is this one's continuation (merged, linked)
  Unlink,  ///< payload {"page": N, "regions": [RegionRef]}: the part on page N is its own article
};
[[nodiscard]] std::string_view to_string(Kind k);
[[nodiscard]] std::optional<Kind> kind_from_string(std::string_view s);

enum class Status {
  Active,      ///< applied on every write
  Superseded,  ///< a later edit of the same field replaced it (kept as history)
  Dismissed,   ///< a person chose the OCR over it when it was in conflict (kept as history)
};
[[nodiscard]] std::string_view to_string(Status s);
[[nodiscard]] std::optional<Status> status_from_string(std::string_view s);

/// A region as a correction remembers it: the scan it is on, its id then, its box in scan pixels.
struct RegionRef {
  std::string image;
  std::string id;
  Box bbox;
  /// The page of a multi-page TIFF or PDF `image` is (page.extra "frame"); unset for one image.
  std::optional<int> frame;
  /// On the same scan: same file and, in a multi-page file, the same page of it.
  [[nodiscard]] bool same_scan(const RegionRef& o) const {
    return image == o.image && frame == o.frame;
  }
};

/// The article a correction was made on: its id then and its regions.
struct Anchor {
  std::string article_id;
  std::vector<RegionRef> regions;
};

struct Correction {
  long long id = 0;  ///< order of creation; corrections are replayed in this order
  std::string issue_id;
  Kind kind = Kind::Field;
  Anchor anchor;
  std::optional<Field> field;             ///< Kind::Field only
  std::optional<std::string> value;       ///< Kind::Field: new value; nullopt clears the field
  std::optional<std::string> base_value;  ///< Kind::Field: the OCR value the editor saw
  nlohmann::json payload = nlohmann::json::object();  ///< structural fixes (see Kind)
  std::string editor;                                 ///< optional name
  std::string time;                                   ///< ISO 8601 UTC, set by the store
  Status status = Status::Active;
};

[[nodiscard]] nlohmann::json to_json(const RegionRef& r);
[[nodiscard]] nlohmann::json to_json(const Anchor& a);
[[nodiscard]] nlohmann::json to_json(const Correction& c);
[[nodiscard]] Result<RegionRef> region_ref_from_json(const nlohmann::json& j);
[[nodiscard]] Result<Anchor> anchor_from_json(const nlohmann::json& j);

/// The anchor of an article of `issue` as it is now (its regions from parts[].region_ids).
[[nodiscard]] Anchor anchor_of(const Issue& issue, const Article& article);
/// A region of `issue` by id, as a RegionRef; nullopt when there is none.
[[nodiscard]] std::optional<RegionRef> region_ref_of(const Issue& issue, std::string_view id);

/// The value of a field of an article (nullopt for an absent optional field).
[[nodiscard]] std::optional<std::string> field_value(const Article& a, Field f);
/// The OCR value of a field: the `ocr` copy kept beside a corrected field, else the field itself.
[[nodiscard]] std::optional<std::string> ocr_value(const Article& a, Field f);

/// OUT/corrections.sqlite. One Store per thread (each holds its own connection).
class Store {
 public:
  /// Opens the store of output folder `out`. With create=false a missing file is not an error:
  /// the store is empty (exists() is false) and nothing is written.
  [[nodiscard]] static Result<Store> open(const std::filesystem::path& out, bool create);

  [[nodiscard]] bool exists() const { return exists_; }

  /// Corrections of one issue in creation order; inactive ones too when `all`.
  [[nodiscard]] Result<std::vector<Correction>> list(std::string_view issue_id,
                                                     bool all = false) const;
  [[nodiscard]] Result<std::optional<Correction>> get(long long id) const;
  /// Adds a correction (time set now, status Active) and supersedes the ids in `supersedes`, in one
  /// transaction. Returns the new id.
  [[nodiscard]] Result<long long> add(Correction c, const std::vector<long long>& supersedes = {});
  [[nodiscard]] Result<void> set_status(long long id, Status status);
  /// A number that changes whenever a correction of the issue is added or changes status (0 when
  /// there is none): what `run` and the search index compare to see whether to redo an issue.
  [[nodiscard]] Result<long long> revision(std::string_view issue_id) const;

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

 private:
  Store();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool exists_ = false;
};

/// What happened to one correction when it was applied.
struct Outcome {
  long long id = 0;
  bool applied = false;                  ///< the issue now shows it
  bool conflict = false;                 ///< a person should look at it
  std::string article_id;                ///< the article it was applied to ("" when none was found)
  std::string reason;                    ///< why it is a conflict, for a person
  std::optional<std::string> ocr_value;  ///< Kind::Field: the OCR value it now stands over
};

struct ApplyReport {
  int applied = 0;
  int conflicts = 0;
  std::vector<Outcome> outcomes;  ///< one per active correction, in order
};

/// Undoes what an earlier apply wrote into the issue: field values back to their `ocr` copies,
/// `ocr` and `corrections` removed from articles, provenance.review removed. Structural fixes stay
/// (they are recognised as applied when replayed).
void restore_ocr(Issue& issue);

/// Applies `corrections` (active ones, in order) to `issue`; records the outcome in the issue
/// (articles[].ocr, articles[].corrections, provenance.review). Pure: no I/O.
[[nodiscard]] ApplyReport apply_corrections(Issue& issue,
                                            const std::vector<Correction>& corrections);

/// Reads the corrections of issue.issue.id from the store of the output folder that holds
/// `issue_dir` (OUT/<issue id>) and applies them. No store, no corrections: the issue is unchanged
/// (beyond restore_ocr) and the report is empty; nothing is created. Errors: the store exists but
/// cannot be read.
[[nodiscard]] Result<ApplyReport> apply_corrections(Issue& issue,
                                                    const std::filesystem::path& issue_dir);

/// Store::revision of an issue in OUT/corrections.sqlite, 0 when there is no store. `run` adds it
/// to an issue's key, so that a re-run rewrites issue.json when corrections changed since.
[[nodiscard]] Result<long long> corrections_revision(const std::filesystem::path& out,
                                                     std::string_view issue_id);

/// The output folder that holds `issue_dir` for issue `issue_id` (OUT/<issue id> → OUT).
[[nodiscard]] std::filesystem::path output_root(const std::filesystem::path& issue_dir,
                                                std::string_view issue_id);

/// Refuses an issue id that could name a path outside OUT: empty, absolute, a "." or ".."
/// component, a backslash, a NUL or other control character, a '%' (encoded twice).
[[nodiscard]] bool is_safe_issue_id(std::string_view id);

}  // namespace broadsheet::review
