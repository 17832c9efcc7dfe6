// evaluate_dirs and the two report formats.

#include <algorithm>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "core/issue_json.hpp"
#include "eval/eval.hpp"

namespace broadsheet::eval {
namespace {

constexpr const char* kStage = "eval";

// Issue ids of every folder under `root` holding a truth.json, sorted.
Result<std::vector<std::string>> find_truth_issues(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    return fail(ErrorCode::InputMissing, kStage, root, "truth folder not found",
                "pass the folder that holds <issue id>/truth.json files");
  std::vector<std::string> ids;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().filename() != "truth.json") continue;
    if (!it->is_regular_file(ec)) continue;
    ids.push_back(it->path().parent_path().lexically_relative(root).generic_string());
  }
  if (ec)
    return fail(ErrorCode::InputUnreadable, kStage, root, "cannot list folder: " + ec.message(),
                "check permissions");
  if (ids.empty())
    return fail(ErrorCode::InputMissing, kStage, root, "no truth.json found",
                "truth files are expected as <truth folder>/<issue id>/truth.json, e.g. "
                "yangquan-ribao/2025-08-07/truth.json");
  std::sort(ids.begin(), ids.end());
  return ids;
}

Error with_stage(Error e) {
  if (e.stage.empty() || e.stage == "json") e.stage = kStage;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Text table

std::string percent(std::optional<double> v) {
  return v ? fmt::format("{:.2f}", *v * 100.0) : std::string("-");
}

std::string number(std::optional<double> v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("-");
}

void append_issue_row(std::string& out, const IssueScores& s, std::string_view label) {
  out += fmt::format("{:>6} {:>9} {:>8} {:>10} {:>9} {:>9} {:>9} {:>10} {:>7} {:>9}  {}",
                     s.truth_pages, percent(s.page_cer.ratio()), percent(s.page_chars.f1()),
                     percent(s.article_recall.ratio()), percent(s.continuation_accuracy.ratio()),
                     percent(s.headline_cer.ratio()), percent(s.body_cer.ratio()),
                     percent(s.byline_accuracy.ratio()), number(s.run.seconds_per_page(), 2),
                     number(s.run.peak_rss_mib, 1), label);
  out += '\n';
}

// ---------------------------------------------------------------------------------------------
// JSON

nlohmann::json opt(std::optional<double> v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json tally_json(const Tally& t) {
  return {{"numerator", t.numerator}, {"denominator", t.denominator}};
}

}  // namespace

Result<Report> evaluate_dirs(const std::filesystem::path& truth_root,
                             const std::filesystem::path& out_root) {
  auto ids = find_truth_issues(truth_root);
  if (!ids) return tl::unexpected(ids.error());
  Report report;
  for (const std::string& id : *ids) {
    const std::filesystem::path truth_path = truth_root / id / "truth.json";
    auto truth = read_issue_json(truth_path);
    if (!truth) return tl::unexpected(with_stage(truth.error()));
    const std::filesystem::path out_path = out_root / id / "issue.json";
    std::error_code ec;
    const bool have_output = std::filesystem::exists(out_path, ec);
    IssueScores scores;
    if (have_output || ec) {  // a file we cannot even stat is an error, not a missing output
      auto output = read_issue_json(out_path);
      if (!output) return tl::unexpected(with_stage(output.error()));
      scores = evaluate_issue(*truth, *output);
    } else {
      scores = evaluate_issue(*truth, Issue{});
      scores.output_missing = true;
    }
    scores.id = id;
    report.issues.push_back(std::move(scores));
  }
  report.overall = pool(report.issues);
  return report;
}

std::string format_table(const Report& report) {
  std::string out;
  out += "Issues (ratios in %; CER lower is better; '-' = nothing to measure)\n";
  out += fmt::format("{:>6} {:>9} {:>8} {:>10} {:>9} {:>9} {:>9} {:>10} {:>7} {:>9}  {}\n", "pages",
                     "page CER", "char F1", "art recall", "cont acc", "head CER", "body CER",
                     "byline acc", "s/page", "peak MiB", "issue");
  for (const IssueScores& s : report.issues)
    append_issue_row(out, s, s.output_missing ? s.id + "  (missing output)" : s.id);
  append_issue_row(out, report.overall, "overall");

  const IssueScores& all = report.overall;
  out += "\nRegions, all issues (one-to-one at IoU >= 0.5; ratios in %)\n";
  out += fmt::format("{:<12} {:>7} {:>7} {:>8} {:>7} {:>9}\n", "kind", "truth", "output", "matched",
                     "recall", "precision");
  for (RegionKind kind : kAllRegionKinds) {
    const RegionTally& r = all.region(kind);
    if (r.truth == 0 && r.output == 0) continue;
    out += fmt::format("{:<12} {:>7} {:>7} {:>8} {:>7} {:>9}\n", to_string(kind), r.truth, r.output,
                       r.matched, percent(r.recall()), percent(r.precision()));
  }
  out += fmt::format("body coverage   {:>7}  ({} of {} px2 of truth body area)\n",
                     percent(all.body_coverage.ratio()), all.body_coverage.numerator,
                     all.body_coverage.denominator);
  out += fmt::format("body over-merge {:>7}  ({} of {} output body regions cover 2+ articles)\n",
                     percent(all.body_over_merge.ratio()), all.body_over_merge.numerator,
                     all.body_over_merge.denominator);
  return out;
}

nlohmann::json to_json(const IssueScores& s) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = s.id;
  j["output_missing"] = s.output_missing;
  j["truth_pages"] = s.truth_pages;
  j["output_pages"] = s.output_pages;
  j["truth_articles"] = s.truth_articles;
  j["output_articles"] = s.output_articles;
  j["page_cer"] = opt(s.page_cer.ratio());
  j["page_char_f1"] = opt(s.page_chars.f1());
  j["article_recall"] = opt(s.article_recall.ratio());
  j["continuation_accuracy"] = opt(s.continuation_accuracy.ratio());
  j["headline_cer"] = opt(s.headline_cer.ratio());
  j["body_cer"] = opt(s.body_cer.ratio());
  j["byline_accuracy"] = opt(s.byline_accuracy.ratio());
  j["body_coverage"] = opt(s.body_coverage.ratio());
  j["body_over_merge"] = opt(s.body_over_merge.ratio());
  j["seconds_per_page"] = opt(s.run.seconds_per_page());
  j["peak_rss_mib"] = opt(s.run.peak_rss_mib);

  nlohmann::json regions = nlohmann::json::object();
  for (RegionKind kind : kAllRegionKinds) {
    const RegionTally& r = s.region(kind);
    regions[std::string(to_string(kind))] = {{"truth", r.truth},
                                             {"output", r.output},
                                             {"matched", r.matched},
                                             {"recall", opt(r.recall())},
                                             {"precision", opt(r.precision())}};
  }
  j["regions"] = std::move(regions);

  nlohmann::json counts = nlohmann::json::object();
  counts["page_cer"] = tally_json(s.page_cer);
  counts["page_char_f1"] = {{"true_positive", s.page_chars.true_positive},
                            {"truth_chars", s.page_chars.truth_chars},
                            {"output_chars", s.page_chars.output_chars}};
  counts["article_recall"] = tally_json(s.article_recall);
  counts["continuation_accuracy"] = tally_json(s.continuation_accuracy);
  counts["headline_cer"] = tally_json(s.headline_cer);
  counts["body_cer"] = tally_json(s.body_cer);
  counts["byline_accuracy"] = tally_json(s.byline_accuracy);
  counts["body_coverage"] = tally_json(s.body_coverage);
  counts["body_over_merge"] = tally_json(s.body_over_merge);
  counts["run"] = {{"seconds", opt(s.run.seconds)},
                   {"pages", s.run.pages ? nlohmann::json(*s.run.pages) : nlohmann::json(nullptr)},
                   {"peak_rss_mib", opt(s.run.peak_rss_mib)}};
  j["counts"] = std::move(counts);
  return j;
}

nlohmann::json to_json(const Report& report) {
  nlohmann::json j = nlohmann::json::object();
  j["eval_version"] = 1;
  nlohmann::json issues = nlohmann::json::array();
  for (const IssueScores& s : report.issues) issues.push_back(to_json(s));
  j["issues"] = std::move(issues);
  j["overall"] = to_json(report.overall);
  return j;
}

}  // namespace broadsheet::eval
