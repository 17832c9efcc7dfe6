#include "batch/batch.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <sys/resource.h>

#include <opencv2/core/version.hpp>

#include "core/issue_json.hpp"
#include "ingest/ingest.hpp"

#ifndef BROADSHEET_VERSION
#define BROADSHEET_VERSION "0.0.0"
#endif

namespace broadsheet::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

namespace {

struct PageTask {
  size_t issue_index = 0;
  size_t scan_index = 0;
};

struct PageOutcome {
  Page page;
  std::optional<Error> error;
  double seconds = 0;
};

nlohmann::json error_json(const Error& e) {
  return {
      {"code", to_string(e.code)}, {"stage", e.stage}, {"message", e.message}, {"hint", e.hint}};
}

PageOutcome read_page(recognize::TesseractEngine& engine, const fs::path& image,
                      size_t scan_index) {
  const auto start = Clock::now();
  PageOutcome out;
  out.page.scan_index = static_cast<int>(scan_index);
  out.page.page = static_cast<int>(scan_index) + 1;
  out.page.image = image.filename().string();
  auto finish = [&](std::optional<Error> error) {
    out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (error) {
      if (error->input.empty()) error->input = image;
      out.page.extra["status"] = "failed";
      out.page.extra["error"] = error_json(*error);
      out.error = std::move(error);
    } else {
      out.page.extra["status"] = "ok";
    }
    out.page.extra["seconds"] = out.seconds;
    return out;
  };

  auto loaded = ingest::load_page(image);
  if (!loaded) return finish(loaded.error());
  out.page.width = loaded->gray.cols;
  out.page.height = loaded->gray.rows;
  out.page.dpi = loaded->dpi;
  if (loaded->dpi_assumed) out.page.extra["dpi_assumed"] = true;
  auto reading = engine.read_page(loaded->gray, loaded->dpi, out.page.page);
  if (!reading) return finish(reading.error());
  out.page.text = std::move(reading->text);
  out.page.regions = std::move(reading->regions);
  return finish(std::nullopt);
}

nlohmann::json provenance(const recognize::EngineOptions& engine, int jobs) {
  nlohmann::json p;
  p["broadsheet"] = BROADSHEET_VERSION;
  p["tesseract"] = recognize::TesseractEngine::version();
  p["opencv"] = CV_VERSION;
  p["model"] = {{"language", engine.language},
                {"file", (engine.tessdata / (engine.language + ".traineddata")).string()}};
  std::error_code ec;
  const auto size = fs::file_size(engine.tessdata / (engine.language + ".traineddata"), ec);
  if (!ec) p["model"]["bytes"] = size;
  p["options"] = {{"pipeline", "baseline"}, {"psm", 3}, {"jobs", jobs}};
  p["steps"] = nlohmann::json::array(
      {{{"stage", "ingest"}}, {{"stage", "recognize"}, {"mode", "whole page, PSM 3"}}});
  return p;
}

Result<void> check_output(const fs::path& out) {
  std::error_code ec;
  fs::create_directories(out, ec);
  const fs::path probe = out / ".broadsheet-write-test";
  auto ok = write_file_atomic(probe, "");
  if (ec || !ok)
    return fail(ErrorCode::OutputNotWritable, "batch", out, "output folder is not writable",
                "check permissions or pass another -o");
  fs::remove(probe, ec);
  return {};
}

}  // namespace

Result<RunSummary> run(const RunOptions& options,
                       const std::function<void(const PageEvent&)>& on_page) {
  if (options.jobs < 1)
    return fail(ErrorCode::BadArguments, "batch", {}, "--jobs must be at least 1");
  if (options.roots.empty())
    return fail(ErrorCode::BadArguments, "batch", {}, "no scan folder given",
                "usage: broadsheet run SCANS -o OUT");

  std::vector<ingest::IssueScans> issues;
  for (const fs::path& root : options.roots) {
    auto found = ingest::find_issues(root);
    if (!found) return tl::unexpected(found.error());
    for (auto& issue : *found) issues.push_back(std::move(issue));
  }
  if (auto ok = check_output(options.out); !ok) return tl::unexpected(ok.error());
  if (auto model = recognize::find_model(options.engine); !model)
    return tl::unexpected(model.error());

  RunSummary summary;
  summary.issues = static_cast<int>(issues.size());
  std::vector<PageTask> tasks;
  for (size_t i = 0; i < issues.size(); ++i)
    for (size_t s = 0; s < issues[i].pages.size(); ++s) tasks.push_back({i, s});
  const int total = static_cast<int>(tasks.size());
  if (tasks.empty()) return summary;

  const int workers = std::min<int>(options.jobs, total);
  std::vector<std::unique_ptr<recognize::TesseractEngine>> engines;
  recognize::EngineOptions engine_options = options.engine;
  engine_options.log_file = options.out / "tesseract.log";
  for (int w = 0; w < workers; ++w) {
    auto engine = recognize::TesseractEngine::create(engine_options);
    if (!engine) return tl::unexpected(engine.error());
    engines.push_back(std::move(*engine));
  }

  std::vector<std::vector<PageOutcome>> outcomes(issues.size());
  std::vector<size_t> remaining(issues.size());
  for (size_t i = 0; i < issues.size(); ++i) {
    outcomes[i].resize(issues[i].pages.size());
    remaining[i] = issues[i].pages.size();
  }
  std::mutex mutex;  // guards outcomes, remaining, summary, the progress callback
  std::atomic<size_t> next{0};
  int done = 0;
  const nlohmann::json prov = provenance(options.engine, workers);
  const auto run_start = Clock::now();

  auto write_issue = [&](size_t i) {
    Issue issue;
    issue.issue.id = issues[i].id;
    double seconds = 0;
    int ok_pages = 0;
    for (PageOutcome& o : outcomes[i]) {
      seconds += o.seconds;
      if (!o.error) ++ok_pages;
      issue.pages.push_back(std::move(o.page));
    }
    issue.issue.page_count = static_cast<int>(issue.pages.size());
    issue.provenance = prov;
    issue.provenance["run"] = {
        {"seconds", seconds}, {"pages", ok_pages}, {"peak_rss_mib", peak_rss_mib()}};
    auto written = write_issue_json(options.out / issues[i].id / "issue.json", issue);
    if (!written) summary.errors.push_back(written.error());
  };

  auto work = [&](recognize::TesseractEngine& engine) {
    for (size_t t = next++; t < tasks.size(); t = next++) {
      const PageTask task = tasks[t];
      const fs::path& image = issues[task.issue_index].pages[task.scan_index];
      PageOutcome outcome = read_page(engine, image, task.scan_index);
      std::lock_guard lock(mutex);
      ++done;
      ++summary.pages;
      if (outcome.error) {
        ++summary.failed_pages;
        summary.errors.push_back(*outcome.error);
      }
      if (on_page) {
        PageEvent event{issues[task.issue_index].id,
                        image,
                        done,
                        total,
                        outcome.seconds,
                        outcome.error ? &summary.errors.back() : nullptr};
        on_page(event);
      }
      outcomes[task.issue_index][task.scan_index] = std::move(outcome);
      if (--remaining[task.issue_index] == 0) write_issue(task.issue_index);
    }
  };

  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(work, std::ref(*engines[w]));
  work(*engines[0]);
  for (auto& t : threads) t.join();
  summary.seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  return summary;
}

Result<Issue> read_single_page(const fs::path& image, const recognize::EngineOptions& engine) {
  auto tess = recognize::TesseractEngine::create(engine);
  if (!tess) return tl::unexpected(tess.error());
  PageOutcome outcome = read_page(**tess, image, 0);
  if (outcome.error) return tl::unexpected(*outcome.error);
  Issue issue;
  issue.issue.id = image.stem().string();
  issue.issue.page_count = 1;
  issue.pages.push_back(std::move(outcome.page));
  issue.provenance = provenance(engine, 1);
  issue.provenance["run"] = {
      {"seconds", outcome.seconds}, {"pages", 1}, {"peak_rss_mib", peak_rss_mib()}};
  return issue;
}

}  // namespace broadsheet::batch
