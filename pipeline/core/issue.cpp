#include "core/issue.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "core/text.hpp"

namespace broadsheet {

long long intersection_area(const Box& a, const Box& b) {
  const int x0 = std::max(a.x, b.x);
  const int y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w);
  const int y1 = std::min(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return 0;
  return static_cast<long long>(x1 - x0) * (y1 - y0);
}

bool line_glyphs_match(const Line& line) {
  if (line.chars.empty()) return true;
  std::string spelled;
  for (const Glyph& g : line.chars) spelled += g.text;
  return text::strip_space(text::to_u32(line.text)) == text::to_u32(spelled);
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

std::vector<std::size_t> text_order(const Page& page, const std::vector<Article>& articles) {
  const std::size_t n = page.regions.size();
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t r = 0; r < n; ++r) index.emplace(page.regions[r].id, r);
  // key: (place, position in its part); a region in no part is at its own place, position 0.
  std::vector<std::pair<std::size_t, std::size_t>> key(n);
  for (std::size_t r = 0; r < n; ++r) key[r] = {r, 0};
  for (const Article& a : articles) {
    for (const ArticlePart& part : a.parts) {
      if (part.page != page.page) continue;
      std::vector<std::size_t> at;
      for (const std::string& id : part.region_ids)
        if (auto it = index.find(id); it != index.end()) at.push_back(it->second);
      if (at.empty()) continue;
      const std::size_t place = *std::min_element(at.begin(), at.end());
      for (std::size_t k = 0; k < at.size(); ++k) key[at[k]] = {place, k + 1};
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  return order;
}

std::optional<int> page_frame(const Page& page) {
  const auto it = page.extra.find("frame");
  if (it == page.extra.end() || !it->is_number_integer() || it->get<int>() < 0) return std::nullopt;
  return it->get<int>();
}

std::string scan_label(const std::string& image, std::optional<int> frame) {
  return frame ? image + "-f" + std::to_string(*frame + 1) : image;
}

std::string ordered_page_text(const Page& page, const std::vector<Article>& articles) {
  std::string text;
  for (std::size_t r : text_order(page, articles)) {
    const std::string& t = page.regions[r].text;
    if (t.empty()) continue;
    if (!text.empty()) text += "\n";
    text += t;
  }
  return text;
}

}  // namespace broadsheet
