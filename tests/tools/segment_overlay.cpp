// segment-overlay IMAGE OUT_DIR [MAX_SIDE [X Y W H]]: cleans and segments every page of one scan
// (both halves of a fold) and writes each page's overlay, OUT_DIR/<stem>-<half>.png, with a count
// of regions per kind on stdout; X Y W H (percent of the page) draw only that part of each page —
// the overlays of `broadsheet run --debug-images` without recognition, in seconds instead of
// minutes. For looking at real scans while working on segment.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "core/issue.hpp"
#include "segment/segment.hpp"
#include "segment_scan.hpp"

namespace bs = broadsheet;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: segment-overlay IMAGE OUT_DIR [MAX_SIDE [X Y W H]]\n");
    return 2;
  }
  const fs::path path = argv[1];
  const fs::path out = argv[2];
  const int max_side = argc > 3 ? std::max(200, std::atoi(argv[3])) : 2000;
  const auto scan = bs::tools::segment_scan(path);
  if (!scan) return 1;
  fs::create_directories(out);
  int half = 0;
  for (const bs::segment::PageLayout& layout : scan->pages) {
    ++half;
    std::map<std::string, int> kinds;
    for (const bs::Region& r : layout.regions) ++kinds[std::string(bs::to_string(r.kind))];
    fmt::print("{} page {}: {} body {:.1f} px, {} columns:", path.filename().string(), half,
               layout.direction == bs::Direction::Vertical ? "vertical" : "horizontal",
               layout.body_char_px, layout.columns);
    for (const auto& [kind, n] : kinds) fmt::print(" {} {}", kind, n);
    fmt::print("\n");
    for (const std::string& note : layout.notes) fmt::print("  note: {}\n", note);
    // Drawn over the part of the scan this page's regions cover (a fold holds two pages).
    bs::segment::PageLayout shown = layout;
    cv::Rect area;
    for (const bs::Region& r : shown.regions)
      area |= cv::Rect(r.bbox.x, r.bbox.y, r.bbox.w, r.bbox.h);
    area = area.area() > 0 ? (area + cv::Size(40, 40)) - cv::Point(20, 20) : cv::Rect();
    area &= cv::Rect(0, 0, scan->image.gray.cols, scan->image.gray.rows);
    if (area.area() <= 0) area = cv::Rect(0, 0, scan->image.gray.cols, scan->image.gray.rows);
    if (argc > 7) {
      const auto part = [&](int k, int whole) { return std::atoi(argv[k]) * whole / 100; };
      area = cv::Rect(area.x + part(4, area.width), area.y + part(5, area.height),
                      part(6, area.width), part(7, area.height)) &
             area;
    }
    for (bs::Region& r : shown.regions) {
      r.bbox.x -= area.x;
      r.bbox.y -= area.y;
    }
    const fs::path file = out / fmt::format("{}-{}.png", path.stem().string(), half);
    if (auto written = bs::segment::write_overlay(scan->image.gray(area), shown, file, max_side);
        !written) {
      std::fprintf(stderr, "%s\n", written.error().describe().c_str());
      return 1;
    }
  }
  return 0;
}
