#pragma once
/// batch: every issue under the scan roots, pages read in parallel by a fixed pool of workers
/// (one TesseractEngine each, created before the first page), each issue written as soon as its
/// last page is done.

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "batch/process_scan.hpp"
#include "batch/shard.hpp"
#include "core/error.hpp"
#include "core/issue.hpp"
#include "export/export.hpp"
#include "recognize/engine.hpp"

namespace broadsheet::batch {

struct RunOptions {
  std::vector<std::filesystem::path> roots;
  std::filesystem::path out;
  int jobs = 1;
  recognize::EngineOptions engine;
  PageOptions page;
  /// What each issue is written as besides issue.json (DESIGN.md: all of them by default).
  std::vector<exporter::Format> formats{std::begin(exporter::kAllFormats),
                                        std::end(exporter::kAllFormats)};
  /// The searchable PDF's options; an empty font means pdf.ttf in the engine's tessdata folder.
  exporter::PdfOptions pdf;
  /// Write an overlay per page under OUT/<issue id>/debug/.
  bool debug_images = false;
  /// Redo every page even when its saved result is up to date.
  bool force = false;
  /// Read only the issues of this shard (batch/shard.hpp). Shards of one split may run at the
  /// same time on the same OUT; each writes OUT/report-shard-K-of-N.json and
  /// OUT/tesseract-shard-K-of-N.log instead of OUT/report.json and OUT/tesseract.log.
  std::optional<Shard> shard;
  /// Set (e.g. by a SIGINT handler) to stop taking new pages; pages under way finish and are
  /// saved, issues not complete are left for the next run.
  const std::atomic<bool>* stop = nullptr;
};

/// What happened to one page, reported as it finishes.
struct PageEvent {
  std::string issue_id;
  std::filesystem::path image;
  /// The scan's name: the file name, "-f<k>" added for page k of a multi-page file.
  std::string scan;
  int done = 0;
  int total = 0;
  double seconds = 0;
  const Error* error = nullptr;  ///< null when the page was read
};

struct RunSummary {
  int issues_found = 0;  ///< under the scan folders
  int issues = 0;        ///< of them, those this run is responsible for (its shard)
  int pages = 0;         ///< scans read in this run
  int reused_pages = 0;  ///< scans whose saved result was up to date
  int failed_pages = 0;
  int issues_written = 0;
  double seconds = 0;
  double mean_confidence = 0;  ///< over the text regions read in this run
  bool interrupted = false;
  std::vector<Error> errors;  ///< one per failed page or issue, in the order they happened
};

/// Checks options and the model before any page is opened (setup errors: bad arguments, model
/// missing, output not writable, another run holding OUT), then processes every page that is not
/// up to date. Per-page failures are recorded in the summary, the manifest and the issue's pages;
/// they never stop the batch. Writes OUT/<issue>/{issue.json, manifest.json, pages/} and
/// OUT/report.json (OUT/report-shard-K-of-N.json for a shard), each atomically.
///
/// Locks on OUT (flock, released when the process ends, even on SIGKILL): a run over every issue
/// holds OUT/.broadsheet.lock exclusively, so it runs alone. A shard holds it shared, so shards
/// run side by side but never with a run over every issue, and holds
/// OUT/.broadsheet-shard-K-of-N.lock exclusively, so the same shard never runs twice at once; a
/// shard also refuses to start while a shard of another split (another N) holds its lock, since
/// the two would read the same issues.
[[nodiscard]] Result<RunSummary> run(const RunOptions& options,
                                     const std::function<void(const PageEvent&)>& on_page = {});

/// Reads one image (the first page of a multi-page TIFF or PDF) into a one-page Issue with the
/// given id (the `page` sub-command).
[[nodiscard]] Result<Issue> read_single_page(const std::filesystem::path& image,
                                             const recognize::EngineOptions& engine,
                                             const PageOptions& page_options);

/// Peak resident memory of this process so far, in MiB.
[[nodiscard]] double peak_rss_mib();

}  // namespace broadsheet::batch
