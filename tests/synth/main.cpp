// broadsheet-synth: renders synthetic scanned newspaper issues with their truth.json.
//
//   broadsheet-synth --seed N --issues K -o DIR [--pages-min 2 --pages-max 4]
//   broadsheet-synth --spec FILE.json -o DIR [--seed N]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "synth/synth.hpp"

namespace {

using broadsheet::ExitCode;

int exit_code(const broadsheet::Error& e) {
  switch (e.code) {
    case broadsheet::ErrorCode::BadArguments:
    case broadsheet::ErrorCode::InputMissing:
    case broadsheet::ErrorCode::InputUnreadable:
    case broadsheet::ErrorCode::InputRejected:
      return static_cast<int>(ExitCode::BadArguments);
    case broadsheet::ErrorCode::OutputNotWritable:
      return static_cast<int>(ExitCode::OutputNotWritable);
    default:
      return static_cast<int>(ExitCode::Internal);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Render synthetic scanned newspaper issues (page images + truth.json)."};
  broadsheet::synth::Options options;
  int issues = 1;
  std::string spec_path;
  std::string out_dir;
  std::string corpus;
  double dpi = 0;
  bool quiet = false;
  bool clean = false;
  app.add_option("--seed", options.seed, "Random seed; the same seed gives the same issues")
      ->capture_default_str();
  app.add_option("--issues", issues, "Number of random issues")->check(CLI::Range(1, 100000));
  app.add_option("--pages-min", options.pages_min, "Fewest pages of a random issue")
      ->capture_default_str();
  app.add_option("--pages-max", options.pages_max, "Most pages of a random issue")
      ->capture_default_str();
  auto* spec_opt = app.add_option("--spec", spec_path, "Render the issue described by this JSON")
                       ->check(CLI::ExistingFile);
  app.add_option("-o,--out", out_dir, "Output root: OUT/<paper>/<date>/page-NN.jpg, truth.json")
      ->required();
  app.add_option("--corpus", corpus, "Paragraph corpus, one paragraph per line");
  app.add_option("--dpi", dpi, "Force the scan resolution (default: 300, some issues 200)");
  app.add_flag("--clean", clean, "Write undegraded scans (rotation only)");
  app.add_flag("-q,--quiet", quiet, "Print nothing but errors");
  spec_opt->excludes(app.get_option("--issues"));
  CLI11_PARSE(app, argc, argv);
  if (!corpus.empty()) options.corpus = corpus;
  if (dpi > 0) options.dpi = dpi;
  options.degrade = !clean;

  auto render_and_write = [&](auto&& render) -> int {
    const auto start = std::chrono::steady_clock::now();
    auto issue = render();
    if (!issue) {
      std::fprintf(stderr, "broadsheet-synth: %s\n", issue.error().describe().c_str());
      return exit_code(issue.error());
    }
    auto dir = broadsheet::synth::write_issue(*issue, out_dir);
    if (!dir) {
      std::fprintf(stderr, "broadsheet-synth: %s\n", dir.error().describe().c_str());
      return exit_code(dir.error());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet)
      std::printf("%s  %zu pages, %zu articles  %.1f s\n", dir->string().c_str(),
                  issue->pages.size(), issue->truth.articles.size(), seconds);
    return 0;
  };

  if (!spec_path.empty()) {
    auto spec = broadsheet::synth::read_issue_spec(spec_path);
    if (!spec) {
      std::fprintf(stderr, "broadsheet-synth: %s\n", spec.error().describe().c_str());
      return exit_code(spec.error());
    }
    return render_and_write([&] { return broadsheet::synth::render_spec_issue(*spec, options); });
  }
  for (int i = 0; i < issues; ++i) {
    const int rc =
        render_and_write([&] { return broadsheet::synth::render_random_issue(options, i); });
    if (rc != 0) return rc;
  }
  return 0;
}
