// mask-score IMAGE MASK: segments every page of one scan (both halves of a fold) and compares its
// regions with a layout mask of the same pixel size, as the real 1940 晶報 fold has one
// (../shared/real-scans/*_mask.png: orange = article, purple = headlines and page headers, black
// = the rest, adverts included). Prints, over the scan:
// - article coverage: the share of the orange area inside a text region (body, headline, kicker,
//   subheadline, byline, jump, caption);
// - head coverage: the share of the purple area inside a text, header or masthead region;
// - adverts in articles: the share of the advert regions' area that lies on orange (an advert is
//   never part of an article);
// - tall boxes: regions more than 60 % of their page's height (one welded column of text, or a
//   rule read as type; a page-high advert column is one too).
// Each advert lying mostly on an article and each tall box is listed with its box. A measure for
// looking at a real page while working on segment, not a target: the mask marks articles as
// whole rectangles, gutters and white included.

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/issue.hpp"
#include "segment/segment.hpp"
#include "segment_scan.hpp"

namespace bs = broadsheet;

namespace {

bool is_text(bs::RegionKind k) {
  using K = bs::RegionKind;
  return k == K::Body || k == K::Headline || k == K::Kicker || k == K::Subheadline ||
         k == K::Byline || k == K::Jump || k == K::Caption;
}

double share(const cv::Mat& part, const cv::Mat& whole) {
  const double n = cv::countNonZero(whole);
  return n > 0 ? cv::countNonZero(part & whole) / n : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mask-score IMAGE MASK\n");
    return 2;
  }
  const cv::Mat mask = cv::imread(argv[2], cv::IMREAD_COLOR);
  if (mask.empty()) {
    std::fprintf(stderr, "%s: cannot read the mask (a PNG or JPEG the size of the scan)\n",
                 argv[2]);
    return 1;
  }
  const auto segmented = bs::tools::segment_scan(argv[1]);
  if (!segmented) return 1;
  const cv::Mat& gray = segmented->image.gray;
  if (mask.size() != gray.size()) {
    std::fprintf(stderr, "%s: the mask is %dx%d, the scan %dx%d; they must be the same size\n",
                 argv[2], mask.cols, mask.rows, gray.cols, gray.rows);
    return 1;
  }
  // Orange (255, 165, 0) and purple (128, 0, 128), in OpenCV's BGR order, with some tolerance
  // for a mask saved lossily.
  cv::Mat article, head;
  cv::inRange(mask, cv::Scalar(0, 120, 200), cv::Scalar(80, 210, 255), article);
  cv::inRange(mask, cv::Scalar(90, 0, 90), cv::Scalar(170, 60, 170), head);

  cv::Mat text = cv::Mat::zeros(mask.size(), CV_8UC1);
  cv::Mat heads = cv::Mat::zeros(mask.size(), CV_8UC1);
  cv::Mat adverts = cv::Mat::zeros(mask.size(), CV_8UC1);
  const cv::Rect scan(0, 0, mask.cols, mask.rows);
  int half = 0;
  int tall = 0;
  std::map<std::string, int> tall_kinds;
  for (const bs::segment::PageLayout& layout : segmented->pages) {
    ++half;
    cv::Rect area;
    for (const bs::Region& r : layout.regions)
      area |= cv::Rect(r.bbox.x, r.bbox.y, r.bbox.w, r.bbox.h);
    std::printf("page %d: regions over x %d..%d of the scan\n", half, area.x, area.x + area.width);
    for (const bs::Region& r : layout.regions) {
      const cv::Rect box = cv::Rect(r.bbox.x, r.bbox.y, r.bbox.w, r.bbox.h) & scan;
      if (box.area() <= 0) continue;
      if (is_text(r.kind)) text(box).setTo(255);
      if (is_text(r.kind) || r.kind == bs::RegionKind::Header || r.kind == bs::RegionKind::Masthead)
        heads(box).setTo(255);
      if (r.kind == bs::RegionKind::Advert) {
        adverts(box).setTo(255);
        const double on = cv::countNonZero(article(box)) / static_cast<double>(box.area());
        if (on >= 0.5)
          std::printf("page %d: advert %s [%d,%d %dx%d] lies %.0f %% on an article\n", half,
                      r.id.c_str(), box.x, box.y, box.width, box.height, 100 * on);
      }
      if (box.height > 0.6 * area.height) {
        std::printf("page %d: tall %s %s [%d,%d %dx%d]\n", half,
                    std::string(bs::to_string(r.kind)).c_str(), r.id.c_str(), box.x, box.y,
                    box.width, box.height);
        ++tall;
        ++tall_kinds[std::string(bs::to_string(r.kind))];
      }
    }
  }
  std::printf("article coverage   %5.1f %%\n", 100 * share(text, article));
  std::printf("head coverage      %5.1f %%\n", 100 * share(heads, head));
  std::printf("adverts in articles %4.1f %%\n", 100 * share(article, adverts));
  std::printf("tall boxes         %d", tall);
  for (const auto& [kind, n] : tall_kinds) std::printf(" %s %d", kind.c_str(), n);
  std::printf("\n");
  return 0;
}
