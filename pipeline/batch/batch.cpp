#include "batch/batch.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <utility>

#include <opencv2/core/version.hpp>

#include "batch/manifest.hpp"
#include "batch/report.hpp"
#include "core/issue_json.hpp"
#include "ingest/ingest.hpp"
#include "reassemble/reassemble.hpp"
#include "review/corrections.hpp"

#ifndef BROADSHEET_VERSION
#define BROADSHEET_VERSION "0.0.0"
#endif

namespace broadsheet::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

}  // namespace

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

nlohmann::json provenance(const recognize::EngineOptions& engine, const PageOptions& page,
                          int jobs) {
  nlohmann::json p;
  p["broadsheet"] = BROADSHEET_VERSION;
  p["tesseract"] = recognize::TesseractEngine::version();
  p["opencv"] = CV_VERSION;
  // Which model files read the pages, by content (models/README.md lists Debian's).
  auto model_record = [&](const std::string& language) {
    const fs::path file = engine.tessdata / (language + ".traineddata");
    nlohmann::json m = {{"language", language}, {"file", file.string()}};
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (!ec) m["bytes"] = size;
    if (auto sha = sha256_file(file)) m["sha256"] = *sha;
    return m;
  };
  p["model"] = model_record(engine.language);
  if (!engine.vertical_language.empty())
    p["vertical_model"] = model_record(engine.vertical_language);
  if (!engine.number_language.empty()) p["number_model"] = model_record(engine.number_language);
  p["options"] = {{"pipeline", to_string(page.pipeline)}, {"jobs", jobs}};
  if (page.pipeline == Pipeline::Baseline) {
    p["steps"] = nlohmann::json::array(
        {{{"stage", "ingest"}}, {{"stage", "recognize"}, {"mode", "whole page, PSM 3"}}});
  } else {
    p["steps"] = nlohmann::json::array(
        {{{"stage", "ingest"}},
         {{"stage", "preprocess"},
          {"deskew", page.preprocess.deskew},
          {"split_folds", page.preprocess.split_folds},
          {"sauvola_k", page.preprocess.sauvola_k}},
         {{"stage", "segment"}, {"work_dpi", page.segment.work_dpi}},
         {{"stage", "recognize"},
          {"mode",
           "region by region: PSM 6 blocks, PSM 7 jump and byline lines, PSM 5 vertical blocks "
           "with the vertical model"},
          {"opencc",
           engine.opencc.empty() ? nlohmann::json(nullptr) : nlohmann::json(engine.opencc)}},
         {{"stage", "reassemble"}}});
  }
  return p;
}

Result<void> check_output(const fs::path& out, const std::optional<Shard>& shard) {
  std::error_code ec;
  fs::create_directories(out, ec);
  // Shards on several machines share OUT: each probes with its own file.
  const fs::path probe =
      out / (".broadsheet-write-test" + (shard ? "-" + file_label(*shard) : std::string()));
  auto ok = write_file_atomic(probe, "");
  if (ec || !ok)
    return fail(ErrorCode::OutputNotWritable, "batch", out, "output folder is not writable",
                "check permissions or pass another -o");
  fs::remove(probe, ec);
  return {};
}

}  // namespace

namespace {

// Locks on OUT for the life of a run (batch.hpp says who excludes whom). flock locks die with the
// process, even on SIGKILL, so a killed run never leaves OUT locked.
class OutputLock {
 public:
  static Result<OutputLock> acquire(const fs::path& out, const std::optional<Shard>& shard) {
    OutputLock lock;
    if (!shard) {
      auto fd = lock.take(out / ".broadsheet.lock", LOCK_EX);
      if (!fd) return tl::unexpected(fd.error());
      if (!*fd)
        return fail(ErrorCode::BadArguments, "batch", out,
                    "another broadsheet run is writing to this output folder (a run over every "
                    "issue or a shard)",
                    "wait for it to finish, or pass another -o");
      return lock;
    }
    // Shards of different splits check each other under a short start lock, so that two of them
    // starting at the same moment cannot both miss the other.
    OutputLock start;
    auto guard = start.take(out / ".broadsheet-start.lock", LOCK_EX, /*wait=*/true);
    if (!guard) return tl::unexpected(guard.error());
    auto whole = lock.take(out / ".broadsheet.lock", LOCK_SH);
    if (!whole) return tl::unexpected(whole.error());
    if (!*whole)
      return fail(ErrorCode::BadArguments, "batch", out,
                  "another broadsheet run, over every issue, is writing to this output folder",
                  "wait for it to finish: shards share an output folder only with other shards");
    const std::string own = ".broadsheet-" + file_label(*shard) + ".lock";
    auto mine = lock.take(out / own, LOCK_EX);
    if (!mine) return tl::unexpected(mine.error());
    if (!*mine)
      return fail(ErrorCode::BadArguments, "batch", out,
                  "another broadsheet run is already reading shard " + to_string(*shard) +
                      " into this output folder",
                  "wait for it to finish; a shard runs once at a time");
    std::error_code ec;
    for (auto it = fs::directory_iterator(out, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.starts_with(".broadsheet-shard-") || !name.ends_with(".lock")) continue;
      const std::string label = name.substr(std::string(".broadsheet-").size(),
                                            name.size() - std::string(".broadsheet-.lock").size());
      if (label.ends_with("-of-" + std::to_string(shard->count))) continue;  // same split
      OutputLock probe;
      auto free = probe.take(it->path(), LOCK_EX);
      if (free && !*free)
        return fail(ErrorCode::BadArguments, "batch", out,
                    "another broadsheet run is writing shard " +
                        label.substr(6).replace(label.find("-of-") - 6, 4, "/") +
                        " into this output folder, a different split than " + to_string(*shard),
                    "every shard of one batch must use the same N; wait for that run to finish");
    }
    return lock;
  }
  OutputLock() = default;
  OutputLock(OutputLock&& other) noexcept : fds_(std::exchange(other.fds_, {})) {}
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  OutputLock& operator=(OutputLock&&) = delete;
  ~OutputLock() {
    for (int fd : fds_) ::close(fd);
  }

 private:
  // Locks `path` (LOCK_EX or LOCK_SH) and keeps it: true when taken, false when another process
  // holds a conflicting lock; an error when the file cannot be created or its file system does not
  // lock (Lustre mounted without -o flock, some FUSE file systems).
  Result<bool> take(const fs::path& path, int operation, bool wait = false) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return fail(ErrorCode::OutputNotWritable, "batch", path, "cannot create the lock file",
                  "check permissions or pass another -o");
    int rc = 0;
    do {
      rc = ::flock(fd, operation | (wait ? 0 : LOCK_NB));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return false;
      return fail(ErrorCode::OutputNotWritable, "batch", path,
                  std::string("cannot lock the output folder: ") + std::strerror(err),
                  "use a file system that supports flock for -o (on Lustre, mount with -o flock; "
                  "README.md, Running on a cluster)");
    }
    fds_.push_back(fd);
    return true;
  }
  std::vector<int> fds_;
};

// Everything a page's result depends on besides the scan itself: options and model.
std::string options_key(const nlohmann::json& provenance, const fs::path& model) {
  nlohmann::json j = provenance;
  j.erase("run");
  j["options"].erase("jobs");  // how many workers read it does not change a page
  std::uint64_t h = fnv1a64(j.dump());
  if (auto m = hash_file(model)) h = fnv1a64(hex(*m), h);
  return hex(h);
}

// A run killed while writing leaves "<file>.tmp.<pid>" beside the file it was replacing; the file
// itself is intact (write_file_atomic renames only complete files). Remove the leftovers.
void remove_stale_temporaries(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<fs::path> stale;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().filename().string().find(".tmp.") != std::string::npos)
      stale.push_back(it->path());
  for (const fs::path& p : stale) fs::remove(p, ec);
}

Result<ScanOutcome> load_saved_scan(const fs::path& path) {
  auto saved = read_issue_json(path);
  if (!saved) return tl::unexpected(saved.error());
  ScanOutcome out;
  out.pages = std::move(saved->pages);
  out.seconds = saved->provenance.value("seconds", 0.0);
  return out;
}

}  // namespace

Result<RunSummary> run(const RunOptions& options,
                       const std::function<void(const PageEvent&)>& on_page) {
  if (options.jobs < 1)
    return fail(ErrorCode::BadArguments, "batch", {}, "--jobs must be at least 1");
  if (options.roots.empty())
    return fail(ErrorCode::BadArguments, "batch", {}, "no scan folder given",
                "usage: broadsheet run SCANS -o OUT");

  if (options.shard && (options.shard->count < 1 || options.shard->index < 1 ||
                        options.shard->index > options.shard->count))
    return fail(ErrorCode::BadArguments, "batch", {},
                "shard " + to_string(*options.shard) + " does not exist");

  std::vector<ingest::IssueScans> issues;
  int issues_found = 0;
  for (const fs::path& root : options.roots) {
    auto found = ingest::find_issues(root);
    if (!found) return tl::unexpected(found.error());
    for (auto& issue : *found) {
      ++issues_found;
      if (!options.shard || in_shard(issue.id, *options.shard)) issues.push_back(std::move(issue));
    }
  }
  if (auto ok = check_output(options.out, options.shard); !ok) return tl::unexpected(ok.error());
  auto model = recognize::find_model(options.engine);
  if (!model) return tl::unexpected(model.error());
  auto output_lock = OutputLock::acquire(options.out, options.shard);
  if (!output_lock) return tl::unexpected(output_lock.error());

  const auto run_start = Clock::now();
  const std::string started = utc_now();
  RunSummary summary;
  summary.issues_found = issues_found;
  summary.issues = static_cast<int>(issues.size());
  const int max_workers = std::max(1, options.jobs);
  const nlohmann::json prov = provenance(options.engine, options.page, max_workers);
  const std::string base_key = options_key(prov, *model);
  exporter::PdfOptions pdf_options = options.pdf;
  if (pdf_options.font.empty()) pdf_options.font = model->parent_path() / "pdf.ttf";
  if (std::find(options.formats.begin(), options.formats.end(), exporter::Format::Pdf) !=
          options.formats.end() &&
      !fs::exists(pdf_options.font))
    return fail(ErrorCode::ModelMissing, "export", pdf_options.font,
                "the searchable PDF needs Tesseract's glyph-less font, which is not there",
                "install the Debian package tesseract-ocr, or leave pdf out of --formats");

  // Which scans are up to date: same content, options and model as the saved result.
  std::vector<Manifest> manifests(issues.size());
  std::vector<std::vector<ScanOutcome>> outcomes(issues.size());
  std::vector<std::vector<std::string>> keys(issues.size());
  std::vector<std::vector<std::string>> content_hashes(issues.size());
  std::vector<size_t> remaining(issues.size(), 0);
  std::vector<PageTask> tasks;
  for (size_t i = 0; i < issues.size(); ++i) {
    const fs::path issue_dir = options.out / issues[i].id;
    remove_stale_temporaries(issue_dir);
    manifests[i] = read_manifest(issue_dir / "manifest.json");
    manifests[i].issue_id = issues[i].id;
    outcomes[i].resize(issues[i].pages.size());
    keys[i].resize(issues[i].pages.size());
    content_hashes[i].resize(issues[i].pages.size());
    // The frames of a multi-page file share its bytes: hash them once.
    std::map<fs::path, std::string> file_hashes;
    for (size_t s = 0; s < issues[i].pages.size(); ++s) {
      const ingest::ScanPage& scan = issues[i].pages[s];
      const std::string name = scan_label(scan.path.filename().string(), scan.recorded_frame());
      auto [known, fresh] = file_hashes.try_emplace(scan.path);
      if (fresh) {
        const auto content = hash_file(scan.path);
        known->second = content ? hex(*content) : "unreadable";
      }
      content_hashes[i][s] = known->second;
      keys[i][s] = hex(fnv1a64(content_hashes[i][s] + "/" + std::to_string(s), fnv1a64(base_key)));
      auto it = manifests[i].scans.find(name);
      if (!options.force && it != manifests[i].scans.end() && it->second.key == keys[i][s] &&
          it->second.status == "ok") {
        if (auto saved = load_saved_scan(page_result_path(issue_dir, name))) {
          outcomes[i][s] = std::move(*saved);
          ++summary.reused_pages;
          continue;
        }
      }
      tasks.push_back({i, s});
      ++remaining[i];
    }
  }
  const int total = static_cast<int>(tasks.size());

  std::mutex mutex;  // guards outcomes, remaining, manifests, summary, the progress callback
  int done = 0;
  double confidence_sum = 0;
  long long confidence_n = 0;
  double page_seconds = 0;

  auto write_issue = [&](size_t i) {
    const fs::path issue_dir = options.out / issues[i].id;
    // The issue's files depend on every scan's key, on whether it was read, and on the formats.
    std::string issue_key;
    for (exporter::Format f : options.formats)
      issue_key += std::string(exporter::to_string(f)) + ",";
    for (size_t s = 0; s < keys[i].size(); ++s) {
      const bool ok = !outcomes[i][s].pages.empty() &&
                      outcomes[i][s].pages.front().extra.value("status", "") == "ok";
      issue_key += keys[i][s] + (ok ? "+" : "-");
    }
    // ...and on the corrections people made since (review: applied to every issue.json written).
    if (auto rev = review::corrections_revision(options.out, issues[i].id); rev && *rev > 0)
      issue_key += "r" + std::to_string(*rev);
    issue_key = hex(fnv1a64(issue_key));
    if (!options.force && manifests[i].issue_key == issue_key &&
        fs::exists(issue_dir / "issue.json"))
      return;  // nothing changed since the issue.json on disk was written
    Issue issue;
    issue.issue.id = issues[i].id;
    double seconds = 0;
    int ok_pages = 0;
    for (const ScanOutcome& o : outcomes[i]) {
      seconds += o.seconds;
      for (Page page : o.pages) {
        if (page.extra.value("status", "") == "ok") ++ok_pages;
        renumber_page(page, static_cast<int>(issue.pages.size()) + 1);
        issue.pages.push_back(std::move(page));
      }
    }
    issue.issue.page_count = static_cast<int>(issue.pages.size());
    issue.provenance = prov;
    std::error_code ec;
    const fs::path scan_folder = fs::absolute(issues[i].folder, ec);
    issue.provenance["source"] = {{"folder", scan_folder.string()}};
    issue.provenance["run"] = {
        {"seconds", seconds}, {"pages", ok_pages}, {"peak_rss_mib", peak_rss_mib()}};
    if (options.page.pipeline == Pipeline::Layout) {
      // Articles from the regions of all pages; if reassembly fails the pages are still written.
      auto assembled = reassemble::reassemble_issue(issue);
      if (assembled) {
        issue = std::move(*assembled);
      } else {
        Error e = assembled.error();
        e.input = issue_dir;
        summary.errors.push_back(e);
      }
    }
    // Corrections made by people (OUT/corrections.sqlite) win over OCR in every issue.json
    // written; those that no longer fit are kept and flagged in provenance.review.conflicts.
    if (auto applied = review::apply_corrections(issue, issue_dir); !applied)
      summary.errors.push_back(applied.error());
    if (auto written = write_issue_json(issue_dir / "issue.json", issue); !written) {
      summary.errors.push_back(written.error());
      return;
    }
    if (auto exported =
            exporter::write_formats(issue, issue_dir, scan_folder, options.formats, pdf_options);
        !exported) {
      summary.errors.push_back(exported.error());
      return;  // the manifest keeps the old key, so the next run tries the formats again
    }
    manifests[i].issue_key = issue_key;
    if (auto m = write_manifest(issue_dir / "manifest.json", manifests[i]); !m)
      summary.errors.push_back(m.error());
    ++summary.issues_written;
  };

  // Issues with nothing to read are assembled (or found up to date) straight away.
  for (size_t i = 0; i < issues.size(); ++i)
    if (remaining[i] == 0 && !issues[i].pages.empty()) write_issue(i);

  std::atomic<size_t> next{0};
  auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };
  auto work = [&](recognize::TesseractEngine& engine) {
    for (size_t t = next++; t < tasks.size() && !stopping(); t = next++) {
      const PageTask task = tasks[t];
      const size_t i = task.issue_index;
      const ingest::ScanPage& scan = issues[i].pages[task.scan_index];
      const fs::path issue_dir = options.out / issues[i].id;
      PageOptions page_options = options.page;
      if (options.debug_images) page_options.debug_dir = issue_dir / "debug";
      ScanOutcome outcome =
          process_scan(engine, scan, static_cast<int>(task.scan_index), page_options);

      // Save the scan's result before it counts as done: a run killed after this point does not
      // read the scan again.
      Issue saved;
      saved.issue.id = issues[i].id;
      saved.pages = outcome.pages;
      saved.provenance["seconds"] = outcome.seconds;
      const std::string name = scan_label(scan.path.filename().string(), scan.recorded_frame());
      auto saved_ok = write_issue_json(page_result_path(issue_dir, name), saved);

      std::lock_guard lock(mutex);
      ++done;
      ++summary.pages;
      page_seconds += outcome.seconds;
      ScanRecord& record = manifests[i].scans[name];
      record.image = scan.path.filename().string();
      record.frame = scan.recorded_frame();
      record.key = keys[i][task.scan_index];
      record.content_hash = content_hashes[i][task.scan_index];
      record.seconds = outcome.seconds;
      if (outcome.error) {
        ++summary.failed_pages;
        summary.errors.push_back(*outcome.error);
        record.status = "failed";
        record.error = to_json(*outcome.error);
      } else {
        record.status = saved_ok ? "ok" : "failed";
        record.error = nullptr;
        for (const Page& p : outcome.pages)
          for (const Region& r : p.regions)
            if (!r.text.empty()) {
              confidence_sum += r.confidence;
              ++confidence_n;
            }
      }
      if (!saved_ok) summary.errors.push_back(saved_ok.error());
      if (auto m = write_manifest(issue_dir / "manifest.json", manifests[i]); !m)
        summary.errors.push_back(m.error());
      if (on_page) {
        PageEvent event{issues[i].id,
                        scan.path,
                        name,
                        done,
                        total,
                        outcome.seconds,
                        outcome.error ? &summary.errors.back() : nullptr};
        on_page(event);
      }
      outcomes[i][task.scan_index] = std::move(outcome);
      if (--remaining[i] == 0) write_issue(i);
    }
  };

  if (!tasks.empty()) {
    const int workers = std::min<int>(max_workers, total);
    std::vector<std::unique_ptr<recognize::TesseractEngine>> engines;
    recognize::EngineOptions engine_options = options.engine;
    engine_options.log_file =
        options.out / (options.shard ? "tesseract-" + file_label(*options.shard) + ".log"
                                     : std::string("tesseract.log"));
    for (int w = 0; w < workers; ++w) {
      auto engine = recognize::TesseractEngine::create(engine_options);
      if (!engine) return tl::unexpected(engine.error());
      engines.push_back(std::move(*engine));
    }
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w) threads.emplace_back(work, std::ref(*engines[w]));
    work(*engines[0]);
    for (auto& t : threads) t.join();
  }

  summary.interrupted = stopping() && done < total;
  summary.seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  summary.mean_confidence =
      confidence_n > 0 ? confidence_sum / static_cast<double>(confidence_n) : 0.0;

  RunReport report;
  report.shard = options.shard;
  report.host = host_name();
  report.started = started;
  report.finished = utc_now();
  report.jobs = max_workers;
  report.issues_found = summary.issues_found;
  report.issues = summary.issues;
  report.issues_written = summary.issues_written;
  report.pages_read = summary.pages;
  report.pages_reused = summary.reused_pages;
  report.pages_failed = summary.failed_pages;
  report.seconds = summary.seconds;
  report.cpu_seconds = cpu_seconds();
  report.page_seconds = page_seconds;
  report.mean_confidence = summary.mean_confidence;
  report.interrupted = summary.interrupted;
  for (const Error& e : summary.errors) report.errors.push_back(to_json(e));
  if (auto w = write_report(options.out, report); !w) summary.errors.push_back(w.error());
  return summary;
}

Result<Issue> read_single_page(const fs::path& image, const recognize::EngineOptions& engine,
                               const PageOptions& page_options) {
  auto tess = recognize::TesseractEngine::create(engine);
  if (!tess) return tl::unexpected(tess.error());
  // The first page of a multi-page file, recorded as its frame 0.
  const int frames = ingest::count_frames(image).value_or(1);
  ScanOutcome outcome = process_scan(**tess, ingest::ScanPage{image, 0, frames}, 0, page_options);
  if (outcome.error) return tl::unexpected(*outcome.error);
  Issue issue;
  issue.issue.id = image.stem().string();
  issue.issue.page_count = static_cast<int>(outcome.pages.size());
  for (Page& page : outcome.pages) issue.pages.push_back(std::move(page));
  issue.provenance = provenance(engine, page_options, 1);
  issue.provenance["run"] = {{"seconds", outcome.seconds},
                             {"pages", static_cast<int>(issue.pages.size())},
                             {"peak_rss_mib", peak_rss_mib()}};
  return issue;
}

}  // namespace broadsheet::batch
