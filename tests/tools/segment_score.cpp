// segment-score SCANS [JOBS] [KIND]: segments every page of every issue under SCANS that has a
// truth.json and prints region recall and precision per kind (IoU >= 0.5, one to one, greedy by
// IoU) — the "Regions" table of `broadsheet eval` without recognition, in seconds instead of
// minutes. For tuning segment on synthesised development sets. With KIND, also lists each truth
// region of that kind left unmatched and the output region that overlaps it most.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "core/issue.hpp"
#include "core/issue_json.hpp"
#include "ingest/ingest.hpp"
#include "preprocess/preprocess.hpp"
#include "segment/segment.hpp"

namespace bs = broadsheet;

namespace {

struct Tally {
  int truth = 0;
  int out = 0;
  int matched = 0;
};

std::mutex print_mutex;

void score(const std::vector<bs::Region>& truth, const std::vector<bs::Region>& out,
           std::map<std::string, Tally>& tally, const std::string& misses_of = {},
           const std::string& where = {}) {
  std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    for (std::size_t j = 0; j < out.size(); ++j) {
      if (truth[i].kind != out[j].kind) continue;
      const double v = bs::iou(truth[i].bbox, out[j].bbox);
      if (v >= 0.5) pairs.emplace_back(v, i, j);
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<char> ti(truth.size(), 0), oj(out.size(), 0);
  for (const auto& [v, i, j] : pairs) {
    if (ti[i] || oj[j]) continue;
    ti[i] = oj[j] = 1;
    ++tally[std::string(bs::to_string(truth[i].kind))].matched;
  }
  for (std::size_t i = 0; i < truth.size() && !misses_of.empty(); ++i) {
    if (ti[i] || bs::to_string(truth[i].kind) != misses_of) continue;
    double best = 0;
    const bs::Region* near = nullptr;
    for (const bs::Region& o : out) {
      if (const double v = bs::iou(truth[i].bbox, o.bbox); v > best) {
        best = v;
        near = &o;
      }
    }
    const bs::Box& b = truth[i].bbox;
    std::lock_guard lock(print_mutex);
    fmt::print(stderr, "{}: missed {} [{},{} {}x{}] -> {}", where, misses_of, b.x, b.y, b.w, b.h,
               near ? std::string(bs::to_string(near->kind)) : "nothing");
    if (near)
      fmt::print(stderr, " [{},{} {}x{}] IoU {:.2f}", near->bbox.x, near->bbox.y, near->bbox.w,
                 near->bbox.h, best);
    fmt::print(stderr, "\n");
  }
  for (const bs::Region& r : truth) ++tally[std::string(bs::to_string(r.kind))].truth;
  for (const bs::Region& r : out) ++tally[std::string(bs::to_string(r.kind))].out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: segment-score SCANS\n");
    return 2;
  }
  const auto issues = bs::ingest::find_issues(argv[1]);
  if (!issues) {
    std::fprintf(stderr, "%s\n", issues.error().describe().c_str());
    return 1;
  }
  struct Job {
    bs::ingest::ScanPage scan;
    bs::Page truth;
  };
  std::vector<Job> jobs;
  for (const bs::ingest::IssueScans& is : *issues) {
    const auto truth = bs::read_issue_json(is.folder / "truth.json");
    if (!truth) continue;
    for (std::size_t k = 0; k < is.pages.size() && k < truth->pages.size(); ++k) {
      jobs.push_back(Job{is.pages[k], truth->pages[k]});
    }
  }
  const int workers = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  const std::string misses_of = argc > 3 ? argv[3] : "";
  std::vector<std::map<std::string, Tally>> tallies(static_cast<std::size_t>(workers));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (std::size_t k = static_cast<std::size_t>(w); k < jobs.size();
           k += static_cast<std::size_t>(workers)) {
        const auto image = bs::ingest::load_page(jobs[k].scan.path, jobs[k].scan.frame);
        if (!image) continue;
        const auto clean = bs::preprocess::clean_page(*image);
        if (!clean || clean->empty()) continue;
        const auto layout = bs::segment::segment_page(clean->front(), jobs[k].truth.page);
        if (!layout) continue;
        score(jobs[k].truth.regions, layout->regions, tallies[static_cast<std::size_t>(w)],
              misses_of, jobs[k].scan.path.string());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::map<std::string, Tally> all;
  for (const auto& t : tallies) {
    for (const auto& [kind, v] : t) {
      all[kind].truth += v.truth;
      all[kind].out += v.out;
      all[kind].matched += v.matched;
    }
  }
  fmt::print("{:<12} {:>6} {:>6} {:>7} {:>7}\n", "kind", "truth", "out", "recall", "prec");
  for (const auto& [kind, v] : all) {
    fmt::print("{:<12} {:>6} {:>6} {:>6.1f}% {:>6.1f}%\n", kind, v.truth, v.out,
               v.truth ? 100.0 * v.matched / v.truth : 0.0,
               v.out ? 100.0 * v.matched / v.out : 0.0);
  }
  return 0;
}
