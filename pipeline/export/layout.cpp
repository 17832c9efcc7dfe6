#include "export/layout.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "export/xml.hpp"

namespace broadsheet::exporter::detail {

std::vector<std::string> block_ids(const Page& page) {
  IdRegistry ids;
  std::vector<std::string> out;
  out.reserve(page.regions.size());
  for (const Region& region : page.regions) out.push_back(ids.claim(xml_id(region.id)));
  return out;
}

namespace {

bool has_visible_text(std::string_view utf8) {
  for (char32_t c : xml_chars(utf8))
    if (!text::is_space(c)) return true;
  return false;
}

}  // namespace

bool is_picture(const Region& region) {
  if (region.kind == RegionKind::Photo) return true;
  if (region.kind != RegionKind::Advert) return false;
  return text_lines(region).empty();
}

Box clamp_to_page(Box box, const Page& page) {
  long long x0 = box.x;
  long long y0 = box.y;
  long long x1 = x0 + std::max(box.w, 0);
  long long y1 = y0 + std::max(box.h, 0);
  x0 = std::max(x0, 0LL);
  y0 = std::max(y0, 0LL);
  x1 = std::max(x1, x0);
  y1 = std::max(y1, y0);
  if (page.width > 0 && page.height > 0) {
    x0 = std::min<long long>(x0, page.width);
    y0 = std::min<long long>(y0, page.height);
    x1 = std::min<long long>(x1, page.width);
    y1 = std::min<long long>(y1, page.height);
  }
  return Box{static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0),
             static_cast<int>(y1 - y0)};
}

std::vector<std::vector<Glyph>> glyphs_of_runs(const Line& line, const std::vector<Run>& runs) {
  if (line.chars.empty() || !line_glyphs_match(line)) return {};
  std::vector<std::vector<Glyph>> out(runs.size());
  size_t g = 0;
  for (size_t k = 0; k < runs.size(); ++k) {
    for (char32_t c : text::to_u32(runs[k].text)) {
      if (g >= line.chars.size() || line.chars[g].text != text::to_utf8(std::u32string(1, c)))
        return {};
      out[k].push_back(line.chars[g++]);
    }
  }
  if (g != line.chars.size()) return {};
  return out;
}

std::vector<Line> text_lines(const Region& region) {
  std::vector<Line> out;
  for (const Line& line : region.lines)
    if (has_visible_text(line.text)) out.push_back(line);
  if (out.empty() && has_visible_text(region.text))
    out.push_back(Line{region.bbox, region.text, region.confidence});
  return out;
}

namespace {

enum class CharClass { Space, Cjk, Punct, Other };

bool in(char32_t c, char32_t lo, char32_t hi) {
  return c >= lo && c <= hi;
}

// Letters of the CJK scripts: one String per stretch of them, as there are no word spaces.
bool is_cjk_letter(char32_t c) {
  return text::is_cjk(c) || in(c, 0x2E80, 0x2FDF) ||                                 // radicals
         c == 0x3005 || c == 0x3006 || c == 0x303B ||                                // 々 〆 〻
         in(c, 0x3040, 0x30FA) || in(c, 0x30FC, 0x30FF) || in(c, 0x31F0, 0x31FF) ||  // kana
         in(c, 0x3100, 0x312F) || in(c, 0x31A0, 0x31BF) ||                           // bopomofo
         in(c, 0x1100, 0x11FF) || in(c, 0x3130, 0x318F) || in(c, 0xAC00, 0xD7AF) ||  // hangul
         in(c, 0xFF66, 0xFF9F);  // half-width kana
}

bool is_punct(char32_t c) {
  return in(c, 0x21, 0x2F) || in(c, 0x3A, 0x40) || in(c, 0x5B, 0x60) || in(c, 0x7B, 0x7E) ||
         in(c, 0xA1, 0xBF) || c == 0xD7 || c == 0xF7 || in(c, 0x2010, 0x205E) ||
         in(c, 0x2190, 0x21FF) || in(c, 0x2500, 0x27BF) ||  // arrows, boxes, shapes, dingbats
         in(c, 0x3000, 0x303F) || c == 0x30FB ||  // CJK punctuation 、。《》「」〔〕・
         in(c, 0xFE10, 0xFE1F) || in(c, 0xFE30, 0xFE6F) ||  // vertical and small forms ︵︶
         in(c, 0xFF01, 0xFF0F) || in(c, 0xFF1A, 0xFF20) || in(c, 0xFF3B, 0xFF40) ||
         in(c, 0xFF5B, 0xFF65) || in(c, 0xFFE0, 0xFFEE);  // full-width ，：（）￥
}

CharClass classify(char32_t c) {
  if (text::is_space(c)) return CharClass::Space;
  if (is_cjk_letter(c)) return CharClass::Cjk;
  if (is_punct(c)) return CharClass::Punct;
  return CharClass::Other;
}

// Advance in em: East Asian wide and full-width characters take a full em; so do the punctuation
// marks that are ambiguous in Unicode but set full width in Chinese type (— “ ” … ‧ · ※ ① ■ ★).
double advance_em(char32_t c) {
  const bool wide = in(c, 0x1100, 0x115F) || in(c, 0x2E80, 0x303E) || in(c, 0x3041, 0x33FF) ||
                    in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF) || in(c, 0xA000, 0xA4CF) ||
                    in(c, 0xAC00, 0xD7A3) || in(c, 0xF900, 0xFAFF) || in(c, 0xFE10, 0xFE19) ||
                    in(c, 0xFE30, 0xFE6F) || in(c, 0xFF00, 0xFF60) || in(c, 0xFFE0, 0xFFE6) ||
                    in(c, 0x20000, 0x3FFFD) || c == 0xB7 || in(c, 0x2014, 0x2015) ||
                    in(c, 0x2018, 0x201D) || in(c, 0x2025, 0x2027) || c == 0x2030 || c == 0x203B ||
                    in(c, 0x2460, 0x24FF) || in(c, 0x2500, 0x27BF);
  return wide ? 1.0 : 0.5;
}

// Opening brackets and quotes belong to what follows them: "，“引號”" is "，" "“" "引號" "”".
bool is_opening(char32_t c) {
  static constexpr std::u32string_view kOpening = U"([{‘“（［｛〈《「『【〔〖〘〝︵︷︹︻︽︿﹁﹃";
  return kOpening.find(c) != std::u32string_view::npos;
}

bool is_connector(char32_t c) {
  return c == U'.' || c == U',' || c == U':' || c == U'/' || c == U'-' || c == U'\'';
}

}  // namespace

std::vector<Run> split_runs(std::string_view text_utf8, const Box& line_box, Direction direction) {
  const std::u32string chars = xml_chars(text_utf8);
  std::vector<CharClass> cls(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) cls[i] = classify(chars[i]);
  for (size_t i = 1; i + 1 < chars.size(); ++i)
    if (cls[i] == CharClass::Punct && is_connector(chars[i]) && cls[i - 1] == CharClass::Other &&
        cls[i + 1] == CharClass::Other)
      cls[i] = CharClass::Other;

  size_t begin = 0;
  size_t end = chars.size();
  while (begin < end && cls[begin] == CharClass::Space) ++begin;
  while (end > begin && cls[end - 1] == CharClass::Space) --end;
  if (begin == end) return {};

  double total_em = 0;
  for (size_t i = begin; i < end; ++i) total_em += advance_em(chars[i]);

  const bool vertical = direction == Direction::Vertical;
  const int origin = vertical ? line_box.y : line_box.x;
  const double scale = std::max(vertical ? line_box.h : line_box.w, 0) / total_em;
  auto at = [&](double em) { return origin + static_cast<int>(std::lround(em * scale)); };
  auto span = [&](int from, int to) {
    return vertical ? Box{line_box.x, from, line_box.w, to - from}
                    : Box{from, line_box.y, to - from, line_box.h};
  };

  std::vector<Run> runs;
  double em = 0;
  bool pending_space = false;
  int space_from = 0;
  size_t i = begin;
  while (i < end) {
    if (cls[i] == CharClass::Space) {
      if (!pending_space) space_from = at(em);
      pending_space = true;
      em += advance_em(chars[i]);
      ++i;
      continue;
    }
    size_t j = i;
    double run_em = 0;
    while (j < end && cls[j] == cls[i] &&
           !(j > i && cls[j] == CharClass::Punct && is_opening(chars[j])))
      run_em += advance_em(chars[j++]);
    Run run;
    run.text = text::to_utf8(std::u32string_view(chars).substr(i, j - i));
    run.box = span(at(em), at(em + run_em));
    if (pending_space) {
      run.space_before = true;
      run.space = span(space_from, at(em));
      pending_space = false;
    }
    runs.push_back(std::move(run));
    em += run_em;
    i = j;
  }
  return runs;
}

std::unordered_map<std::string, Place> region_places(const Issue& issue) {
  std::unordered_map<std::string, Place> places;
  for (size_t p = 0; p < issue.pages.size(); ++p)
    for (size_t r = 0; r < issue.pages[p].regions.size(); ++r)
      places.emplace(issue.pages[p].regions[r].id, Place{p, r});
  return places;
}

std::vector<Place> article_starts(const Issue& issue) {
  const auto places = region_places(issue);
  std::unordered_map<std::string, size_t> index_of;  // article id → first article with it
  for (size_t a = 0; a < issue.articles.size(); ++a) index_of.emplace(issue.articles[a].id, a);

  std::vector<Place> starts(issue.articles.size());
  for (size_t a = 0; a < issue.articles.size(); ++a)
    for (const auto& part : issue.articles[a].parts)
      for (const auto& id : part.region_ids)
        if (auto it = places.find(id); it != places.end())
          starts[a] = std::min(starts[a], it->second);
  for (size_t p = 0; p < issue.pages.size(); ++p)
    for (size_t r = 0; r < issue.pages[p].regions.size(); ++r) {
      const auto& article_id = issue.pages[p].regions[r].article_id;
      if (!article_id) continue;
      if (auto it = index_of.find(*article_id); it != index_of.end())
        starts[it->second] = std::min(starts[it->second], Place{p, r});
    }
  for (size_t a = 0; a < issue.articles.size(); ++a) {
    if (starts[a].page != SIZE_MAX || issue.articles[a].pages.empty()) continue;
    for (size_t p = 0; p < issue.pages.size(); ++p)
      if (issue.pages[p].page == issue.articles[a].pages.front()) {
        starts[a] = Place{p, SIZE_MAX};
        break;
      }
  }
  return starts;
}

std::vector<size_t> articles_in_reading_order(const Issue& issue) {
  const auto starts = article_starts(issue);
  std::vector<size_t> order(issue.articles.size());
  for (size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return starts[a] < starts[b]; });
  return order;
}

double unit_confidence(double confidence) {
  if (!(confidence >= 0)) return 0;
  return std::min(confidence, 1.0);
}

std::string provenance_string(const Issue& issue, std::string_view key) {
  if (!issue.provenance.is_object()) return {};
  auto it = issue.provenance.find(key);
  if (it == issue.provenance.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace broadsheet::exporter::detail
