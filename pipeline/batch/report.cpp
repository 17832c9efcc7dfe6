#include "batch/report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/core.h>

#include "core/issue_json.hpp"

namespace broadsheet::batch {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kWhole = "report.json";
constexpr std::string_view kShardPrefix = "report-shard-";
constexpr std::string_view kSuffix = ".json";

// The shard a report file belongs to by its name: nullopt for report.json, a Shard for
// report-shard-K-of-N.json; false when the name is neither.
bool classify(const std::string& name, std::optional<Shard>& shard) {
  shard.reset();
  if (name == kWhole) return true;
  if (!name.starts_with(kShardPrefix) || !name.ends_with(kSuffix)) return false;
  const std::string middle =
      name.substr(kShardPrefix.size(), name.size() - kShardPrefix.size() - kSuffix.size());
  const size_t of = middle.find("-of-");
  if (of == std::string::npos) return false;
  auto parsed = parse_shard(middle.substr(0, of) + "/" + middle.substr(of + 4));
  if (!parsed) return false;
  shard = *parsed;
  return true;
}

template <class T>
bool take(const json& j, const char* key, T& into, std::string& bad) {
  if (!j.contains(key) || j[key].is_null()) return true;
  try {
    into = j[key].get<T>();
    return true;
  } catch (const json::exception&) {
    bad = key;
    return false;
  }
}

std::string duration(double seconds) {
  const long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string shard_name(const std::optional<Shard>& shard) {
  return shard ? to_string(*shard) : "all";
}

}  // namespace

fs::path report_path(const fs::path& out, const std::optional<Shard>& shard) {
  if (!shard) return out / kWhole;
  return out / ("report-" + file_label(*shard) + ".json");
}

json to_json(const RunReport& r) {
  json j = {{"issues", r.issues},
            {"issues_found", r.issues_found},
            {"issues_written", r.issues_written},
            {"pages_read", r.pages_read},
            {"pages_reused", r.pages_reused},
            {"pages_failed", r.pages_failed},
            {"seconds", r.seconds},
            {"pages_per_minute", r.seconds > 0 ? 60.0 * r.pages_read / r.seconds : 0.0},
            {"cpu_seconds", r.cpu_seconds},
            {"page_seconds", r.page_seconds},
            {"mean_confidence", r.mean_confidence},
            {"interrupted", r.interrupted},
            {"jobs", r.jobs},
            {"shard", nullptr},
            {"host", r.host},
            {"started", r.started},
            {"finished", r.finished},
            {"errors", r.errors.is_array() ? r.errors : json::array()}};
  if (r.shard) j["shard"] = {{"index", r.shard->index}, {"count", r.shard->count}};
  return j;
}

Result<RunReport> run_report_from_json(const json& j) {
  if (!j.is_object())
    return fail(ErrorCode::InputUnreadable, "batch", {}, "a report is not a JSON object");
  RunReport r;
  std::string bad;
  bool ok =
      take(j, "issues", r.issues, bad) && take(j, "issues_found", r.issues_found, bad) &&
      take(j, "issues_written", r.issues_written, bad) &&
      take(j, "pages_read", r.pages_read, bad) && take(j, "pages_reused", r.pages_reused, bad) &&
      take(j, "pages_failed", r.pages_failed, bad) && take(j, "seconds", r.seconds, bad) &&
      take(j, "cpu_seconds", r.cpu_seconds, bad) && take(j, "page_seconds", r.page_seconds, bad) &&
      take(j, "mean_confidence", r.mean_confidence, bad) &&
      take(j, "interrupted", r.interrupted, bad) && take(j, "jobs", r.jobs, bad) &&
      take(j, "host", r.host, bad) && take(j, "started", r.started, bad) &&
      take(j, "finished", r.finished, bad);
  if (ok && j.contains("shard") && !j["shard"].is_null()) {
    Shard s;
    ok = j["shard"].is_object() && take(j["shard"], "index", s.index, bad) &&
         take(j["shard"], "count", s.count, bad);
    if (!ok && bad.empty()) bad = "shard";
    if (ok) r.shard = s;
  }
  if (ok && j.contains("errors")) {
    ok = j["errors"].is_array();
    if (ok) r.errors = j["errors"];
    if (!ok) bad = "errors";
  }
  if (!ok)
    return fail(ErrorCode::InputUnreadable, "batch", {},
                "report field \"" + bad + "\" has the wrong type");
  if (r.issues_found == 0) r.issues_found = r.issues;  // reports written before sharding
  return r;
}

Result<void> write_report(const fs::path& out, const RunReport& report) {
  return write_file_atomic(
      report_path(out, report.shard),
      to_json(report).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

bool MergedReport::complete_and_clean() const {
  return !reports.empty() && missing.empty() && unreadable.empty() && !total.interrupted &&
         total.pages_failed == 0 && total.errors.empty();
}

Result<MergedReport> merge_reports(const fs::path& out) {
  std::error_code ec;
  if (!fs::is_directory(out, ec))
    return fail(ErrorCode::InputMissing, "batch", out, "no such output folder",
                "pass the folder given to broadsheet run -o");
  MergedReport merged;
  merged.out = out;

  // Every report file, grouped by split: 0 = the run over every issue, else N.
  struct Candidate {
    fs::path path;
    std::optional<Shard> shard;
    fs::file_time_type mtime;
  };
  std::map<int, std::vector<Candidate>> splits;
  for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::optional<Shard> shard;
    if (!classify(it->path().filename().string(), shard)) continue;
    std::error_code time_ec;
    const auto mtime = fs::last_write_time(it->path(), time_ec);
    splits[shard ? shard->count : 0].push_back({it->path(), shard, mtime});
  }
  if (splits.empty())
    return fail(ErrorCode::InputMissing, "batch", out,
                "no report.json or report-shard-K-of-N.json in this folder",
                "run broadsheet run SCANS -o OUT (with or without --shard K/N) first");

  // The split whose newest report is the most recent.
  int chosen = splits.begin()->first;
  fs::file_time_type newest = fs::file_time_type::min();
  for (const auto& [count, files] : splits)
    for (const Candidate& c : files)
      if (c.mtime > newest) {
        newest = c.mtime;
        chosen = count;
      }
  for (const auto& [count, files] : splits)
    if (count != chosen)
      for (const Candidate& c : files) merged.ignored.push_back(c.path);
  std::sort(merged.ignored.begin(), merged.ignored.end());

  std::vector<Candidate> files = splits[chosen];
  std::sort(files.begin(), files.end(), [](const Candidate& a, const Candidate& b) {
    return (a.shard ? a.shard->index : 0) < (b.shard ? b.shard->index : 0);
  });
  if (chosen > 0) merged.shard_count = chosen;

  std::vector<bool> present(static_cast<size_t>(chosen) + 1, false);
  double confidence_weighted = 0;
  std::optional<int> issues_found;
  for (const Candidate& c : files) {
    std::ifstream in(c.path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const json j = json::parse(buffer.str(), nullptr, false);
    Result<RunReport> report =
        fail(ErrorCode::InputUnreadable, "batch", c.path, "report is not valid JSON");
    if (in && !j.is_discarded()) report = run_report_from_json(j);
    if (!report) {
      merged.unreadable.push_back(c.path);
      continue;
    }
    report->shard = c.shard;  // the file name is what the split is made of
    if (c.shard) present[static_cast<size_t>(c.shard->index)] = true;

    RunReport& t = merged.total;
    const RunReport& r = *report;
    t.issues += r.issues;
    t.issues_written += r.issues_written;
    t.pages_read += r.pages_read;
    t.pages_reused += r.pages_reused;
    t.pages_failed += r.pages_failed;
    t.seconds = std::max(t.seconds, r.seconds);
    merged.seconds_sum += r.seconds;
    t.cpu_seconds += r.cpu_seconds;
    t.page_seconds += r.page_seconds;
    t.jobs = std::max(t.jobs, r.jobs);
    t.interrupted = t.interrupted || r.interrupted;
    confidence_weighted += r.mean_confidence * r.pages_read;
    if (issues_found && *issues_found != r.issues_found) merged.inconsistent_scans = true;
    issues_found = std::max(issues_found.value_or(0), r.issues_found);
    if (t.started.empty() || (!r.started.empty() && r.started < t.started)) t.started = r.started;
    t.finished = std::max(t.finished, r.finished);
    for (json e : r.errors) {
      if (e.is_object()) e["shard"] = c.shard ? json(to_string(*c.shard)) : json(nullptr);
      t.errors.push_back(std::move(e));
    }
    merged.reports.push_back({c.path, r});
  }
  merged.total.issues_found = issues_found.value_or(0);
  merged.total.mean_confidence =
      merged.total.pages_read > 0 ? confidence_weighted / merged.total.pages_read : 0.0;
  for (int k = 1; k <= chosen; ++k)
    if (!present[static_cast<size_t>(k)]) merged.missing.push_back(k);
  return merged;
}

json to_json(const MergedReport& m) {
  json j = to_json(m.total);
  j.erase("shard");
  j.erase("host");
  j["out"] = m.out.string();
  j["shards"] = m.shard_count ? json(*m.shard_count) : json(nullptr);
  j["seconds_sum"] = m.seconds_sum;
  j["missing"] = m.missing;
  j["complete"] = m.complete_and_clean();
  j["inconsistent_scans"] = m.inconsistent_scans;
  j["reports"] = json::array();
  for (const ReportFile& f : m.reports) {
    json r = to_json(f.report);
    r["file"] = f.path.filename().string();
    r.erase("errors");  // listed once, in the top-level errors
    j["reports"].push_back(std::move(r));
  }
  j["ignored"] = json::array();
  for (const fs::path& p : m.ignored) j["ignored"].push_back(p.filename().string());
  j["unreadable"] = json::array();
  for (const fs::path& p : m.unreadable) j["unreadable"].push_back(p.filename().string());
  return j;
}

std::string format_summary(const MergedReport& m) {
  std::string s;
  const int n_reports = static_cast<int>(m.reports.size());
  if (m.shard_count) {
    s += fmt::format("{}: split into {} shards by issue; {} of {} reported\n", m.out.string(),
                     *m.shard_count, n_reports, *m.shard_count);
  } else {
    s += fmt::format("{}: one run over every issue\n", m.out.string());
  }
  s += fmt::format("{:<11} {:<16} {:>6} {:>7} {:>6} {:>6} {:>6} {:>8} {:>8}  {}\n", "shard", "host",
                   "issues", "written", "read", "reused", "failed", "wall", "cpu", "finished");
  auto row = [&](const std::string& name, const std::string& host, const RunReport& r,
                 const std::string& finished) {
    s += fmt::format("{:<11} {:<16} {:>6} {:>7} {:>6} {:>6} {:>6} {:>8} {:>8}  {}\n", name, host,
                     r.issues, r.issues_written, r.pages_read, r.pages_reused, r.pages_failed,
                     duration(r.seconds), duration(r.cpu_seconds), finished);
  };
  for (const ReportFile& f : m.reports)
    row(shard_name(f.report.shard) + (f.report.interrupted ? " (int.)" : ""), f.report.host,
        f.report, f.report.finished);
  if (m.shard_count) row("total", "", m.total, m.total.finished);
  if (m.shard_count)
    s += fmt::format(
        "wall is the longest shard's; all shards together: {} wall, {} CPU, {} summed over "
        "the pages read\n",
        duration(m.seconds_sum), duration(m.total.cpu_seconds), duration(m.total.page_seconds));

  for (int k : m.missing) {
    const Shard shard{k, *m.shard_count};
    s += fmt::format(
        "missing: shard {} (no {}): not run yet, still running, or killed before it finished; "
        "run it again alone with `broadsheet run SCANS -o OUT --shard {}` (on Slurm: sbatch "
        "--array={} ...)\n",
        to_string(shard), report_path({}, shard).filename().string(), to_string(shard), k);
  }
  for (const ReportFile& f : m.reports)
    if (f.report.interrupted)
      s += fmt::format("interrupted: shard {}: run it again to resume\n",
                       shard_name(f.report.shard));
  if (m.inconsistent_scans)
    s += "warning: the shards found different numbers of issues under the scan folders: the "
         "scans changed while the batch ran, so an issue may be in no shard or read twice; run "
         "every shard again once the scans are final (pages up to date are not read again)\n";
  constexpr size_t kShown = 20;
  if (!m.total.errors.empty()) {
    s += fmt::format("{} errors:\n", m.total.errors.size());
    for (size_t i = 0; i < m.total.errors.size() && i < kShown; ++i) {
      const json& e = m.total.errors[i];
      auto field = [&](const char* key) {
        return e.is_object() && e.contains(key) && e[key].is_string() ? e[key].get<std::string>()
                                                                      : std::string();
      };
      std::string line = field("input");
      if (!line.empty()) line += ": ";
      line += field("message");
      if (!field("hint").empty()) line += "; " + field("hint");
      s += fmt::format("  [{}] {}\n", field("shard").empty() ? "all" : field("shard"), line);
    }
    if (m.total.errors.size() > kShown)
      s += fmt::format("  ... and {} more (--json lists them all)\n",
                       m.total.errors.size() - kShown);
  }
  for (const fs::path& p : m.unreadable)
    s += fmt::format("unreadable: {} (not counted)\n", p.filename().string());
  for (const fs::path& p : m.ignored)
    s += fmt::format("ignored: {} (from another, older split of this folder; not counted)\n",
                     p.filename().string());
  return s;
}

}  // namespace broadsheet::batch
