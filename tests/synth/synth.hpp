#pragma once
/// broadsheet-synth: renders newspaper issues — page scans plus a truth.json in the issue.json
/// shape — either at random from a seed or from a content spec. Deterministic: the same seed and
/// inputs give the same bytes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "core/issue.hpp"
#include "synth/degrade.hpp"
#include "synth/spec.hpp"

namespace broadsheet::synth {

struct Options {
  std::uint64_t seed = 1;
  int pages_min = 2;
  int pages_max = 4;
  /// Force a resolution (tests render small pages); unset: 300 dpi, some issues 200 dpi.
  std::optional<double> dpi;
  /// Force the page rotation in degrees (see ScanParams::skew_deg for the sign).
  std::optional<double> skew_deg;
  /// false: the delivered scan is the clean page after rotation only.
  bool degrade = true;
  /// Paragraph corpus; empty: tests/synth/content/corpus.txt or the seed transcription.
  std::filesystem::path corpus;
};

struct RenderedPage {
  std::string file_name;  ///< "page-01.jpg"
  cv::Mat clean;          ///< CV_8UC1: the page after the scan transformation, before degradation
  cv::Mat scan;           ///< what is delivered: CV_8UC1 or CV_8UC3
  std::vector<std::uint8_t> encoded;  ///< the file's bytes
  ScanParams params;
};

struct RenderedIssue {
  std::string paper;  ///< folder slug
  std::string date;   ///< folder name
  Issue truth;
  std::vector<RenderedPage> pages;
};

/// Issue number `index` (0-based) of the run with `options.seed`: paper, date, page count,
/// layout, text and scan defects all follow from the two numbers.
[[nodiscard]] Result<RenderedIssue> render_random_issue(const Options& options, int index);

/// An issue with the given content; `options.seed` chooses look, layout and scan defects.
[[nodiscard]] Result<RenderedIssue> render_spec_issue(const IssueSpec& spec,
                                                      const Options& options);

/// Writes ROOT/<paper>/<date>/page-NN.{jpg,png} and truth.json; returns the issue folder.
[[nodiscard]] Result<std::filesystem::path> write_issue(const RenderedIssue& issue,
                                                        const std::filesystem::path& root);

/// Paper slug and date of issue `index` of a seed, without rendering it.
struct IssueSlot {
  std::string paper;
  std::string date;
};
[[nodiscard]] IssueSlot random_issue_slot(std::uint64_t seed, int index);

}  // namespace broadsheet::synth
