// broadsheet: the command line. It only parses, validates, runs a stage function and maps the
// result to an exit code (README.md lists them); process-wide settings live here and nowhere else.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <leptonica/allheaders.h>
#include <poppler-global.h>
#include <CLI/CLI.hpp>

#include "batch/batch.hpp"
#include "batch/report.hpp"
#include "core/issue_json.hpp"
#include "eval/eval.hpp"
#include "export/export.hpp"
#include "ingest/frames.hpp"
#include "reassemble/reassemble.hpp"
#include "review/corrections.hpp"
#include "review/search.hpp"
#include "review/server.hpp"

namespace fs = std::filesystem;
using broadsheet::Error;
using broadsheet::ErrorCode;
using broadsheet::ExitCode;

namespace {

int code(ExitCode c) {
  return static_cast<int>(c);
}

ExitCode exit_code_for(const Error& e) {
  switch (e.code) {
    case ErrorCode::BadArguments:
    case ErrorCode::InputMissing:
      return ExitCode::BadArguments;
    case ErrorCode::ModelMissing:
      return ExitCode::ModelMissing;
    case ErrorCode::OutputNotWritable:
      return ExitCode::OutputNotWritable;
    case ErrorCode::InputUnreadable:
    case ErrorCode::InputRejected:
      return ExitCode::InputsFailed;
    case ErrorCode::Internal:
      return ExitCode::Internal;
  }
  return ExitCode::Internal;
}

void print_error(const Error& e) {
  fmt::print(stderr, "broadsheet: error: {}\n", e.describe());
}

// Tesseract's OpenMP threads slow a page down 2.6x on a 2-core machine (DESIGN.md). libgomp reads
// OMP_THREAD_LIMIT once, when it is loaded, before main(): so set it and start the program again.
void ensure_single_omp_thread(char** argv) {
  const char* limit = std::getenv("OMP_THREAD_LIMIT");
  if (limit != nullptr && std::strcmp(limit, "1") == 0) return;
  if (std::getenv("BROADSHEET_NO_REEXEC") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  setenv("BROADSHEET_NO_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);
  // If exec fails we go on: slower, but correct.
}

struct RunArgs {
  std::vector<std::string> scans;
  std::string out = "output";
  int jobs = 0;
  std::string tessdata;
  bool quiet = false;
  std::string pipeline = "layout";
  bool debug_images = false;
  bool force = false;
  std::string shard;  ///< "K/N", empty: every issue
  std::string formats = "all";
  std::string opencc;
};

// Set by SIGINT/SIGTERM: the batch stops taking new pages, finishes the ones under way and
// exits 130; the next run resumes from the manifest.
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) {
  g_stop.store(true);
}

std::string format_duration(double seconds) {
  const long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

// Strings exist only here, at the edge; the option is checked by CLI11 against these keys.
const std::map<std::string, broadsheet::batch::Pipeline> kPipelines = {
    {"layout", broadsheet::batch::Pipeline::Layout},
    {"baseline", broadsheet::batch::Pipeline::Baseline}};

broadsheet::batch::Pipeline pipeline_from(const std::string& name) {
  return kPipelines.at(name);
}

constexpr const char* kPipelineHelp =
    "layout: broadsheet's page analysis, then Tesseract region by region (default); baseline: "
    "Tesseract's own layout analysis on the whole page (PSM 3), the bar layout must beat";

constexpr const char* kFormatsHelp =
    "Formats to write, separated by commas: json, alto (page ALTO 4.4), mets (issue METS 1.12), "
    "hocr, txt (articles as plain text), pdf (searchable PDF), or all";

int do_run(const RunArgs& args) {
  broadsheet::batch::RunOptions options;
  for (const auto& s : args.scans) options.roots.emplace_back(s);
  options.out = args.out;
  options.jobs = args.jobs > 0 ? args.jobs
                               : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  options.engine.tessdata = broadsheet::recognize::default_tessdata(args.tessdata);
  options.engine.opencc = args.opencc;
  options.page.pipeline = pipeline_from(args.pipeline);
  options.debug_images = args.debug_images;
  options.force = args.force;
  if (!args.shard.empty()) {
    auto shard = broadsheet::batch::parse_shard(args.shard);
    if (!shard) {
      print_error(shard.error());
      return code(exit_code_for(shard.error()));
    }
    options.shard = *shard;
  }
  auto formats = broadsheet::exporter::parse_formats(args.formats);
  if (!formats) {
    print_error(formats.error());
    return code(ExitCode::BadArguments);
  }
  options.formats = std::move(*formats);
  options.stop = &g_stop;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  const bool quiet = args.quiet;
  const bool bar = !quiet && isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto summary = broadsheet::batch::run(options, [&](const broadsheet::batch::PageEvent& e) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double per_minute = elapsed > 0 ? 60.0 * e.done / elapsed : 0;
    const double left = e.done > 0 ? elapsed / e.done * (e.total - e.done) : 0;
    if (e.error != nullptr) {
      if (bar) fmt::print(stderr, "\r\033[K");
      print_error(*e.error);
    } else if (!quiet && !bar) {
      fmt::print(stderr, "broadsheet: [{}/{}] {} {} ({:.1f} s)\n", e.done, e.total, e.issue_id,
                 e.scan, e.seconds);
    }
    if (bar) {
      constexpr int kWidth = 30;
      const int filled = e.total > 0 ? kWidth * e.done / e.total : kWidth;
      fmt::print(stderr, "\r\033[K[{}{}] {}/{} pages, {:.1f} pages/min, {} left",
                 std::string(static_cast<size_t>(filled), '#'),
                 std::string(static_cast<size_t>(kWidth - filled), '.'), e.done, e.total,
                 per_minute, format_duration(left));
      if (e.done == e.total) fmt::print(stderr, "\n");
    }
  });
  if (!summary) {
    print_error(summary.error());
    return code(exit_code_for(summary.error()));
  }
  const std::string report_name =
      broadsheet::batch::report_path({}, options.shard).filename().string();
  if (!quiet || summary->failed_pages > 0 || summary->interrupted) {
    const std::string which =
        options.shard ? fmt::format("shard {}: {} of {} issues", to_string(*options.shard),
                                    summary->issues, summary->issues_found)
                      : fmt::format("{} issues", summary->issues);
    fmt::print(stderr,
               "broadsheet: {}, {} pages read, {} up to date, {} failed, mean confidence "
               "{:.2f}, {}; output in {} (see {})\n",
               which, summary->pages, summary->reused_pages, summary->failed_pages,
               summary->mean_confidence, format_duration(summary->seconds), options.out.string(),
               report_name);
  }
  if (summary->issues_found == 0)
    fmt::print(stderr, "broadsheet: warning: no page images (.tif .png .jpg .jp2 .pdf) under {}\n",
               fmt::join(args.scans, ", "));
  else if (summary->issues == 0 && !quiet)
    fmt::print(stderr, "broadsheet: shard {} holds none of the {} issues: nothing to do\n",
               to_string(*options.shard), summary->issues_found);
  if (summary->interrupted) {
    fmt::print(stderr, "broadsheet: interrupted; run the same command again to resume\n");
    return code(ExitCode::Interrupted);
  }
  if (summary->failed_pages > 0 || !summary->errors.empty()) return code(ExitCode::InputsFailed);
  return code(ExitCode::Ok);
}

int do_page(const std::string& image, const std::string& out, const std::string& tessdata,
            broadsheet::batch::Pipeline pipeline, const std::string& debug_dir) {
  broadsheet::recognize::EngineOptions engine;
  engine.tessdata = broadsheet::recognize::default_tessdata(tessdata);
  broadsheet::batch::PageOptions page_options;
  page_options.pipeline = pipeline;
  page_options.debug_dir = debug_dir;
  auto issue = broadsheet::batch::read_single_page(image, engine, page_options);
  if (!issue) {
    print_error(issue.error());
    return code(exit_code_for(issue.error()));
  }
  if (out.empty() || out == "-") {
    std::cout << broadsheet::format_issue_json(*issue);
    return code(ExitCode::Ok);
  }
  auto written = broadsheet::write_issue_json(out, *issue);
  if (!written) {
    print_error(written.error());
    return code(exit_code_for(written.error()));
  }
  return code(ExitCode::Ok);
}

// Re-runs reassembly alone on an issue folder written by `run`: its pages (regions and text) are
// read back from issue.json, articles are rebuilt and the file is replaced atomically.
int do_assemble(const std::string& folder) {
  const fs::path path = fs::path(folder) / "issue.json";
  auto issue = broadsheet::read_issue_json(path);
  if (!issue) {
    print_error(issue.error());
    return code(ExitCode::BadArguments);
  }
  const auto start = std::chrono::steady_clock::now();
  auto assembled = broadsheet::reassemble::reassemble_issue(std::move(*issue));
  if (!assembled) {
    Error e = assembled.error();
    e.input = path;
    print_error(e);
    return code(exit_code_for(e));
  }
  auto written = broadsheet::write_issue_json(path, *assembled);
  if (!written) {
    print_error(written.error());
    return code(exit_code_for(written.error()));
  }
  fmt::print(stderr, "broadsheet: {}: {} articles in {:.3f} s\n", path.string(),
             assembled->articles.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return code(ExitCode::Ok);
}

// Merges the reports that runs (one per shard, or one over every issue) left in OUT.
int do_report(const std::string& out, bool json) {
  auto merged = broadsheet::batch::merge_reports(out);
  if (!merged) {
    print_error(merged.error());
    return code(exit_code_for(merged.error()));
  }
  if (json) {
    std::cout << broadsheet::batch::to_json(*merged).dump(1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << broadsheet::batch::format_summary(*merged);
  }
  return code(merged->complete_and_clean() ? ExitCode::Ok : ExitCode::InputsFailed);
}

// Writes the library formats of every issue under OUT from its issue.json with the corrections
// people made (OUT/corrections.sqlite) applied, issue.json included. The scans are found through
// --scans ROOT (ROOT/<issue id>) or the folder the run recorded in provenance.source.
int do_export(const std::string& out, const std::string& formats_csv, const std::string& scans,
              const std::string& tessdata) {
  auto formats = broadsheet::exporter::parse_formats(formats_csv);
  if (!formats) {
    print_error(formats.error());
    return code(ExitCode::BadArguments);
  }
  broadsheet::exporter::PdfOptions pdf;
  pdf.font = broadsheet::recognize::default_tessdata(tessdata) / "pdf.ttf";
  // The same issues `serve` and `search` see (OUT/<issue id>/issue.json, pages/ and debug/
  // skipped).
  std::vector<fs::path> found;
  for (const std::string& id : broadsheet::review::find_issue_ids(out))
    found.push_back(fs::path(out) / fs::path(id) / "issue.json");
  if (found.empty()) {
    print_error({ErrorCode::InputMissing, "export", out, "no issue.json under this folder",
                 "name the output folder of a run (broadsheet run SCANS -o OUT)"});
    return code(ExitCode::BadArguments);
  }
  int failed = 0;
  for (const fs::path& path : found) {
    auto issue = broadsheet::read_issue_json(path);
    if (!issue) {
      print_error(issue.error());
      ++failed;
      continue;
    }
    fs::path scan_dir;
    if (!scans.empty()) {
      scan_dir = fs::path(scans) / issue->issue.id;
      // A multi-page file is an issue by itself: its id ends in the file's stem, not a folder.
      if (!fs::is_directory(scan_dir)) scan_dir = scan_dir.parent_path();
    } else if (auto src = issue->provenance.find("source");
               src != issue->provenance.end() && src->is_object())
      scan_dir = src->value("folder", "");
    if (!scan_dir.empty() && !fs::is_directory(scan_dir)) {
      print_error({ErrorCode::InputMissing, "export", scan_dir,
                   "the scans of " + issue->issue.id + " are not there",
                   "name the scan root with --scans"});
      ++failed;
      continue;
    }
    // What people corrected since the run (broadsheet serve) goes into every format, issue.json
    // included.
    auto applied = broadsheet::review::apply_corrections(*issue, path.parent_path());
    if (!applied) {
      print_error(applied.error());
      ++failed;
      continue;
    }
    if (applied->conflicts > 0)
      fmt::print(stderr,
                 "broadsheet: {}: {} corrections conflict with the new OCR; review them in "
                 "broadsheet serve\n",
                 issue->issue.id, applied->conflicts);
    if (auto json = broadsheet::write_issue_json(path, *issue); !json) {
      print_error(json.error());
      ++failed;
      continue;
    }
    auto written =
        broadsheet::exporter::write_formats(*issue, path.parent_path(), scan_dir, *formats, pdf);
    if (!written) {
      print_error(written.error());
      ++failed;
    }
  }
  fmt::print(stderr, "broadsheet: exported {} of {} issues ({})\n",
             found.size() - static_cast<size_t>(failed), found.size(), formats_csv);
  return code(failed > 0 ? ExitCode::InputsFailed : ExitCode::Ok);
}

int do_eval(const std::string& truth, const std::string& out, bool json) {
  auto report = broadsheet::eval::evaluate_dirs(truth, out);
  if (!report) {
    print_error(report.error());
    return code(exit_code_for(report.error()));
  }
  if (json) {
    std::cout << broadsheet::eval::to_json(*report).dump(1) << "\n";
  } else {
    std::cout << broadsheet::eval::format_table(*report);
  }
  return code(ExitCode::Ok);
}

// review: the web UI and API over OUT until Ctrl-C. The URL goes to stdout (first line) so scripts
// and tests can read the port chosen by --port 0.
// One page of a multi-page TIFF or PDF as PNG, for the review UI (browsers show neither).
broadsheet::Result<std::string> render_frame_png(const fs::path& file, int frame) {
  auto decoded = broadsheet::ingest::read_frame(file, frame);
  if (!decoded) return tl::unexpected(decoded.error());
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemPng(&data, &size, decoded->pix.get(), 0.0F) != 0 || data == nullptr)
    return broadsheet::fail(ErrorCode::InputUnreadable, "serve", file,
                            "cannot encode page " + std::to_string(frame + 1) + " as PNG",
                            "check the scan");
  std::string png(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return png;
}

int do_serve(const broadsheet::review::ServeOptions& options) {
  auto server = broadsheet::review::Server::start(options);
  if (!server) {
    print_error(server.error());
    return code(exit_code_for(server.error()));
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const std::string url = fmt::format("http://{}:{}/", options.host, (*server)->port());
  fmt::print("{}\n", url);
  std::fflush(stdout);
  fmt::print(stderr, "broadsheet: serving {} at {} (Ctrl-C stops)\n", options.out.string(), url);
  std::thread http([&] { (*server)->run(); });
  while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*server)->stop();
  http.join();
  return code(ExitCode::Ok);
}

int do_search(const std::string& out, const std::string& query, int limit, bool json) {
  if (!fs::is_directory(out)) {
    print_error(Error{ErrorCode::InputMissing, "review", out, "output folder not found",
                      "pass the folder written by broadsheet run"});
    return code(ExitCode::BadArguments);
  }
  if (auto synced = broadsheet::review::sync_index(out); !synced) {
    print_error(synced.error());
    return code(exit_code_for(synced.error()));
  }
  auto hits = broadsheet::review::search(out, query, limit);
  if (!hits) {
    print_error(hits.error());
    return code(exit_code_for(hits.error()));
  }
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& h : *hits)
      list.push_back({{"issue", h.issue_id},
                      {"date", h.date},
                      {"page", h.page},
                      {"article", h.article_id},
                      {"headline", h.headline},
                      {"snippet", h.snippet}});
    std::cout << list.dump(1) << "\n";
    return code(ExitCode::Ok);
  }
  for (const auto& h : *hits)
    fmt::print("{}  {}  p{}  {}  {}\n    {}\n", h.issue_id, h.date.empty() ? "-" : h.date, h.page,
               h.article_id, h.headline, h.snippet);
  fmt::print(stderr, "broadsheet: {} article(s) found for \"{}\"\n", hits->size(), query);
  return code(ExitCode::Ok);
}

}  // namespace

int main(int argc, char** argv) {
  ensure_single_omp_thread(argv);
  setMsgSeverity(L_SEVERITY_NONE);  // Leptonica would print its own errors; ours name the file
  // So would poppler, for a damaged PDF scan (ingest/frames.hpp).
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);

  CLI::App app{
      "broadsheet: scanned newspaper pages in, structured articles out (issue.json).\n"
      "Example: broadsheet run scans -o output"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("broadsheet ") + BROADSHEET_VERSION);

  RunArgs run_args;
  CLI::App* run = app.add_subcommand(
      "run",
      "Digitise every issue under the scan folders; writes OUT/<issue id>/issue.json.\n"
      "An issue is a folder that directly holds page images (page order from the number in the\n"
      "file name). Pages already done with the same scan, options and model are skipped; Ctrl-C\n"
      "stops cleanly and the next run resumes. Example: broadsheet run scans -o output --jobs 2");
  run->add_option("scans", run_args.scans, "Scan folders")->required()->check(CLI::ExistingPath);
  run->add_option("-o,--out", run_args.out, "Output folder")->capture_default_str();
  run->add_option("-j,--jobs", run_args.jobs, "Parallel workers (default: number of cores)")
      ->check(CLI::Range(1, 256));
  run->add_option("--tessdata", run_args.tessdata,
                  "Folder holding chi_tra.traineddata (default: $TESSDATA_PREFIX, else Debian's)");
  run->add_flag("-q,--quiet", run_args.quiet, "Only errors and warnings on stderr");
  run->add_option("--pipeline", run_args.pipeline, kPipelineHelp)
      ->check(CLI::IsMember({"layout", "baseline"}))
      ->capture_default_str();
  run->add_flag("--force", run_args.force,
                "Redo every page, even those whose saved result is up to date");
  run->add_option("--shard", run_args.shard,
                  "Read only shard K of N (1 <= K <= N): issues are split by a hash of their id, "
                  "so N runs with --shard 1/N ... N/N read every issue once; they may share one -o "
                  "and run at the same time. Each writes OUT/report-shard-K-of-N.json")
      ->type_name("K/N");
  run->add_option("--formats", run_args.formats, kFormatsHelp)->capture_default_str();
  run->add_option("--opencc", run_args.opencc,
                  "Convert the script of the recognised text with this OpenCC configuration "
                  "(s2t: simplified characters to traditional); the text as read is kept in each "
                  "region's original_text. Off by default: it also rewrites correct traditional "
                  "characters (台→臺)");
  run->add_flag("--debug-images", run_args.debug_images,
                "Write an overlay per page (regions by kind, numbered in reading order) under "
                "OUT/<issue id>/debug/");

  std::string page_image, page_out, page_tessdata, page_debug;
  std::string page_pipeline = "layout";
  CLI::App* page = app.add_subcommand(
      "page",
      "Process one scan (the first page of a multi-page TIFF or PDF) and print its issue.json\n"
      "(or write it with -o).\n"
      "Example: broadsheet page scans/yangquan-ribao/2025-08-07/page-01.jpg -o page1.json");
  page->add_option("image", page_image, "Scan image")->required();
  page->add_option("-o,--out", page_out, "Write the JSON here instead of stdout");
  page->add_option("--tessdata", page_tessdata, "Folder holding chi_tra.traineddata");
  page->add_option("--pipeline", page_pipeline, kPipelineHelp)
      ->check(CLI::IsMember({"layout", "baseline"}))
      ->capture_default_str();
  page->add_option("--debug-images", page_debug, "Write the page's overlay into this folder");

  std::string assemble_folder;
  CLI::App* assemble = app.add_subcommand(
      "assemble",
      "Re-run reassembly alone (articles, continuations, metadata) on an issue folder written by\n"
      "run, in place. Example: broadsheet assemble output/yangquan-ribao/2025-08-07");
  assemble->add_option("issue", assemble_folder, "OUT/<issue id> folder holding issue.json")
      ->required();

  std::string export_out, export_formats = "all", export_scans, export_tessdata;
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Write the library formats of every issue under OUT from its issue.json: ALTO and hOCR per\n"
      "page, METS, plain text and a searchable PDF per issue.\n"
      "Example: broadsheet export output --formats alto,mets,pdf");
  export_cmd->add_option("out", export_out, "Folder written by broadsheet run")
      ->required()
      ->check(CLI::ExistingDirectory);
  export_cmd->add_option("--formats", export_formats, kFormatsHelp)->capture_default_str();
  export_cmd->add_option("--scans", export_scans,
                         "Scan root holding <issue id>/ (default: the folder the run recorded)");
  export_cmd->add_option("--tessdata", export_tessdata, "Folder holding pdf.ttf");

  std::string eval_truth, eval_out;
  bool eval_json = false;
  CLI::App* eval = app.add_subcommand(
      "eval",
      "Compare output with truth (DESIGN.md metrics): TRUTH holds <issue id>/truth.json,\n"
      "OUT holds <issue id>/issue.json. Example: broadsheet eval scans output");
  eval->add_option("truth", eval_truth, "Folder with truth.json files")->required();
  eval->add_option("out", eval_out, "Folder written by broadsheet run")->required();
  eval->add_flag("--json", eval_json, "Print JSON instead of a table");

  std::string report_out;
  bool report_json = false;
  CLI::App* report = app.add_subcommand(
      "report",
      "Summarise what the runs into OUT did: merges OUT/report.json or the shards'\n"
      "OUT/report-shard-K-of-N.json (pages, failures, time), names missing shards. Exit 0 when\n"
      "complete without failures, 2 otherwise. Example: broadsheet report output");
  report->add_option("out", report_out, "Folder written by broadsheet run")->required();
  report->add_flag("--json", report_json, "Print JSON instead of a table");

  broadsheet::review::ServeOptions serve_options;
  std::string serve_out, serve_scans;
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Web UI and JSON API to correct and search an output folder. Corrections are kept in\n"
      "OUT/corrections.sqlite and applied whenever issue.json is written (a re-run keeps them).\n"
      "Example: broadsheet serve output --scans scans --port 8080");
  serve->add_option("out", serve_out, "Folder written by broadsheet run")->required();
  serve->add_option("--scans", serve_scans,
                    "Scan folder given to run (page images: SCANS/<issue id>/<image>)");
  serve->add_option("--host", serve_options.host, "Address to listen on")->capture_default_str();
  serve->add_option("--port", serve_options.port, "Port (0: any free port, printed on stdout)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();

  std::string search_out, search_query;
  int search_limit = 50;
  bool search_json = false;
  CLI::App* search_cmd = app.add_subcommand(
      "search",
      "Full-text search over the corrected articles of every issue under OUT; prints issue,\n"
      "date, page, article, headline and a snippet. Example: broadsheet search output \"陽泉\"");
  search_cmd->add_option("out", search_out, "Folder written by broadsheet run")->required();
  search_cmd->add_option("query", search_query, "Words (all must occur; 1 character or more)")
      ->required();
  search_cmd->add_option("-n,--limit", search_limit, "Most results")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  search_cmd->add_flag("--json", search_json, "Print JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : code(ExitCode::BadArguments);
  }

  try {
    if (*run) return do_run(run_args);
    if (*page)
      return do_page(page_image, page_out, page_tessdata, pipeline_from(page_pipeline), page_debug);
    if (*eval) return do_eval(eval_truth, eval_out, eval_json);
    if (*assemble) return do_assemble(assemble_folder);
    if (*report) return do_report(report_out, report_json);
    if (*export_cmd) return do_export(export_out, export_formats, export_scans, export_tessdata);
    if (*serve) {
      serve_options.out = serve_out;
      serve_options.scans = serve_scans;
      serve_options.render_frame = render_frame_png;
      return do_serve(serve_options);
    }
    if (*search_cmd) return do_search(search_out, search_query, search_limit, search_json);
  } catch (const std::exception& e) {
    if (std::getenv("BROADSHEET_DEBUG") != nullptr) throw;
    fmt::print(stderr,
               "broadsheet: internal error: {}\nPlease file an issue with the command and input; "
               "set BROADSHEET_DEBUG=1 to see where it happened.\n",
               e.what());
    return code(ExitCode::Internal);
  }
  return code(ExitCode::BadArguments);
}
