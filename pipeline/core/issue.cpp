#include "core/issue.hpp"

#include <algorithm>

namespace broadsheet {

long long intersection_area(const Box& a, const Box& b) {
  const int x0 = std::max(a.x, b.x);
  const int y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w);
  const int y1 = std::min(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return 0;
  return static_cast<long long>(x1 - x0) * (y1 - y0);
}

double iou(const Box& a, const Box& b) {
  const long long inter = intersection_area(a, b);
  const long long uni = a.area() + b.area() - inter;
  return uni > 0 ? static_cast<double>(inter) / static_cast<double>(uni) : 0.0;
}

Box unite(const Box& a, const Box& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const int x0 = std::min(a.x, b.x);
  const int y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w);
  const int y1 = std::max(a.y + a.h, b.y + b.h);
  return Box{x0, y0, x1 - x0, y1 - y0};
}

namespace {
constexpr std::string_view kRegionKindNames[] = {"masthead",    "header", "headline", "kicker",
                                                 "subheadline", "body",   "byline",   "caption",
                                                 "photo",       "jump",   "advert",   "other"};
constexpr std::string_view kArticleKindNames[] = {"article", "caption", "notice", "advert"};
}  // namespace

std::string_view to_string(RegionKind kind) {
  return kRegionKindNames[static_cast<int>(kind)];
}

std::optional<RegionKind> region_kind_from_string(std::string_view s) {
  for (RegionKind k : kAllRegionKinds)
    if (to_string(k) == s) return k;
  return std::nullopt;
}

std::string_view to_string(Direction d) {
  return d == Direction::Vertical ? "vertical" : "horizontal";
}

std::optional<Direction> direction_from_string(std::string_view s) {
  if (s == "horizontal") return Direction::Horizontal;
  if (s == "vertical") return Direction::Vertical;
  return std::nullopt;
}

std::string_view to_string(ArticleKind kind) {
  return kArticleKindNames[static_cast<int>(kind)];
}

std::optional<ArticleKind> article_kind_from_string(std::string_view s) {
  for (int i = 0; i < 4; ++i)
    if (kArticleKindNames[i] == s) return static_cast<ArticleKind>(i);
  return std::nullopt;
}

}  // namespace broadsheet
