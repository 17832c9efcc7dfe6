#pragma once
/// batch: every issue under the scan roots, pages read in parallel by a fixed pool of workers
/// (one TesseractEngine each, created before the first page), each issue written as soon as its
/// last page is done.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/issue.hpp"
#include "recognize/engine.hpp"

namespace broadsheet::batch {

struct RunOptions {
  std::vector<std::filesystem::path> roots;
  std::filesystem::path out;
  int jobs = 1;
  recognize::EngineOptions engine;
};

/// What happened to one page, reported as it finishes.
struct PageEvent {
  std::string issue_id;
  std::filesystem::path image;
  int done = 0;
  int total = 0;
  double seconds = 0;
  const Error* error = nullptr;  ///< null when the page was read
};

struct RunSummary {
  int issues = 0;
  int pages = 0;
  int failed_pages = 0;
  double seconds = 0;
  std::vector<Error> errors;  ///< one per failed page or issue, in the order they happened
};

/// Checks options and the model before any page is opened (setup errors: bad arguments, model
/// missing, output not writable), then processes every page. Per-page failures are recorded in
/// the summary and in the issue's pages, never stop the batch.
[[nodiscard]] Result<RunSummary> run(const RunOptions& options,
                                     const std::function<void(const PageEvent&)>& on_page = {});

/// Reads one image into a one-page Issue with the given id (the `page` sub-command).
[[nodiscard]] Result<Issue> read_single_page(const std::filesystem::path& image,
                                             const recognize::EngineOptions& engine);

/// Peak resident memory of this process so far, in MiB.
[[nodiscard]] double peak_rss_mib();

}  // namespace broadsheet::batch
