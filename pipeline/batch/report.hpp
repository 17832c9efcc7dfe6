#pragma once
/// The report a run leaves in OUT, and the merge of the reports of a sharded batch (issue 9).
///
/// A run over every issue writes OUT/report.json; `run --shard K/N` writes
/// OUT/report-shard-K-of-N.json, so that N shards sharing one output folder never write the same
/// file. `broadsheet report OUT` merges them: the reports of one split are added up (pages, issues,
/// CPU and page time summed, wall time the longest shard's), the shards of that split without a
/// report are named, and reports left over from another split are listed but not counted.
/// This file is the only code that knows the spellings of report.json.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batch/shard.hpp"
#include "core/error.hpp"

namespace broadsheet::batch {

/// What one run did (one shard, or the whole batch).
struct RunReport {
  std::optional<Shard> shard;  ///< nullopt: a run over every issue
  std::string host;            ///< machine it ran on
  std::string started;         ///< ISO 8601 UTC, e.g. "2026-12-01T09:30:00Z"
  std::string finished;
  int jobs = 1;
  int issues_found = 0;  ///< issues under the scan folders, before the split
  int issues = 0;        ///< issues this run was responsible for (its shard)
  int issues_written = 0;
  int pages_read = 0;
  int pages_reused = 0;
  int pages_failed = 0;
  double seconds = 0;          ///< wall time
  double cpu_seconds = 0;      ///< user + system time of the process
  double page_seconds = 0;     ///< sum of the pages' processing times (worker time)
  double mean_confidence = 0;  ///< over the text regions read in this run
  bool interrupted = false;
  nlohmann::json errors = nlohmann::json::array();  ///< to_json(Error) each
};

/// OUT/report.json without a shard, OUT/report-shard-K-of-N.json with one.
[[nodiscard]] std::filesystem::path report_path(const std::filesystem::path& out,
                                                const std::optional<Shard>& shard);

[[nodiscard]] nlohmann::json to_json(const RunReport& report);
/// Missing fields take their defaults (reports written before sharding have no shard, host,
/// times); a value of the wrong type is an error.
[[nodiscard]] Result<RunReport> run_report_from_json(const nlohmann::json& j);

[[nodiscard]] Result<void> write_report(const std::filesystem::path& out, const RunReport& report);

struct ReportFile {
  std::filesystem::path path;
  RunReport report;
};

struct MergedReport {
  std::filesystem::path out;
  /// N of the split that was merged; nullopt when it is OUT/report.json of a run over every issue.
  std::optional<int> shard_count;
  std::vector<ReportFile> reports;                ///< merged, by shard
  std::vector<int> missing;                       ///< shards 1..N of the split without a report
  std::vector<std::filesystem::path> ignored;     ///< reports of another, older split
  std::vector<std::filesystem::path> unreadable;  ///< report files that do not parse
  /// Sums over `reports`, except `seconds` (the longest shard: the batch's wall time when the
  /// shards ran side by side), `mean_confidence` (weighted by pages read) and `issues_found`
  /// (the largest any shard saw). `errors` carry the shard they come from.
  RunReport total;
  double seconds_sum = 0;  ///< wall time of all shards added up (what the cluster was billed)
  /// Shards saw different numbers of issues under the scan folders (scans changed in between).
  bool inconsistent_scans = false;

  /// All shards present, none interrupted, no page failed and no error.
  [[nodiscard]] bool complete_and_clean() const;
};

/// Reads OUT/report.json and OUT/report-shard-*-of-*.json. When reports of more than one split
/// are there (report.json and shards, or shards of different N), the split whose newest report
/// is the most recent one is merged and the others are listed in `ignored`. An error when OUT has
/// no report at all.
[[nodiscard]] Result<MergedReport> merge_reports(const std::filesystem::path& out);

[[nodiscard]] nlohmann::json to_json(const MergedReport& merged);

/// A table per shard and a total line, then what is missing, interrupted or failed and how to
/// run it again.
[[nodiscard]] std::string format_summary(const MergedReport& merged);

}  // namespace broadsheet::batch
