#include "eval/eval.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <unicode/uchar.h>

#include "core/text.hpp"
#include "eval/area.hpp"

namespace broadsheet::eval {

// ---------------------------------------------------------------------------------------------
// Tallies

std::optional<double> Tally::ratio() const {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

Tally& Tally::operator+=(const Tally& other) {
  numerator += other.numerator;
  denominator += other.denominator;
  return *this;
}

std::optional<double> F1Tally::f1() const {
  const long long den = truth_chars + output_chars;
  if (den == 0) return std::nullopt;
  return 2.0 * static_cast<double>(true_positive) / static_cast<double>(den);
}

F1Tally& F1Tally::operator+=(const F1Tally& other) {
  true_positive += other.true_positive;
  truth_chars += other.truth_chars;
  output_chars += other.output_chars;
  return *this;
}

std::optional<double> RegionTally::recall() const {
  if (truth == 0) return std::nullopt;
  return static_cast<double>(matched) / static_cast<double>(truth);
}

std::optional<double> RegionTally::precision() const {
  if (output == 0) return std::nullopt;
  return static_cast<double>(matched) / static_cast<double>(output);
}

RegionTally& RegionTally::operator+=(const RegionTally& other) {
  truth += other.truth;
  output += other.output;
  matched += other.matched;
  return *this;
}

std::optional<double> RunCost::seconds_per_page() const {
  if (!seconds || !pages || *pages <= 0) return std::nullopt;
  return *seconds / static_cast<double>(*pages);
}

namespace {

// Thresholds of DESIGN.md; fixed so that numbers from different weeks compare.
// CER limits are in percent so that the test is exact integer arithmetic: 2 errors in 20
// characters is 0.10 and found, whatever 0.1 * 20 rounds to in floating point.
constexpr long long kFoundMaxBodyCerPercent = 10;
constexpr long long kContinuationMaxCerPercent = 15;
constexpr long long kMinSharedBigramPercent = 20;  // of the truth article's bigrams
constexpr double kMinRegionIou = 0.5;
constexpr long long kOverMergeMinPercent = 10;  // of the output region's area

long long length(const std::u32string& s) {
  return static_cast<long long>(s.size());
}

long long distance(const std::u32string& a, const std::u32string& b) {
  return static_cast<long long>(text::edit_distance(a, b));
}

// d / max(1, |truth|) <= percent / 100, without dividing.
bool within_cer(long long dist, long long truth_length, long long percent) {
  return dist * 100 <= percent * std::max(1LL, truth_length);
}

// ---------------------------------------------------------------------------------------------
// Pages

// Pairs of (truth page, output page); either side may be null, never both.
std::vector<std::pair<const Page*, const Page*>> pair_pages(const Issue& truth,
                                                            const Issue& output) {
  std::map<int, const Page*> by_scan;
  for (const Page& p : output.pages) by_scan.emplace(p.scan_index, &p);  // first one wins
  std::vector<std::pair<const Page*, const Page*>> pairs;
  std::vector<const Page*> used;
  for (const Page& t : truth.pages) {
    auto it = by_scan.find(t.scan_index);
    const Page* o = it == by_scan.end() ? nullptr : it->second;
    if (o) used.push_back(o);
    pairs.emplace_back(&t, o);
  }
  for (const Page& o : output.pages)
    if (std::find(used.begin(), used.end(), &o) == used.end()) pairs.emplace_back(nullptr, &o);
  return pairs;
}

// Size of the multiset intersection of two sorted ranges.
template <class Seq>
long long sorted_intersection(const Seq& a, const Seq& b) {
  long long n = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

long long multiset_intersection(std::u32string a, std::u32string b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return sorted_intersection(a, b);
}

void score_page_text(const Page* truth, const Page* output, IssueScores& s) {
  const std::u32string t = truth ? text::comparable(truth->text) : std::u32string();
  const std::u32string o = output ? text::comparable(output->text) : std::u32string();
  s.page_cer += Tally{distance(t, o), length(t)};
  s.page_chars += F1Tally{multiset_intersection(t, o), length(t), length(o)};
}

void score_page_regions(const Page* truth, const Page* output, IssueScores& s) {
  static const std::vector<Region> kNone;
  const std::vector<Region>& tr = truth ? truth->regions : kNone;
  const std::vector<Region>& orr = output ? output->regions : kNone;
  for (RegionKind kind : kAllRegionKinds) {
    std::vector<const Region*> ts;
    std::vector<const Region*> os;
    for (const Region& r : tr)
      if (r.kind == kind) ts.push_back(&r);
    for (const Region& r : orr)
      if (r.kind == kind) os.push_back(&r);
    RegionTally& tally = s.regions[static_cast<std::size_t>(kind)];
    tally.truth += static_cast<long long>(ts.size());
    tally.output += static_cast<long long>(os.size());
    std::vector<std::tuple<double, std::size_t, std::size_t>> candidates;
    for (std::size_t i = 0; i < ts.size(); ++i)
      for (std::size_t j = 0; j < os.size(); ++j) {
        const double v = iou(ts[i]->bbox, os[j]->bbox);
        if (v >= kMinRegionIou) candidates.emplace_back(v, i, j);
      }
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
      return std::make_pair(std::get<1>(a), std::get<2>(a)) <
             std::make_pair(std::get<1>(b), std::get<2>(b));
    });
    std::vector<bool> t_used(ts.size(), false);
    std::vector<bool> o_used(os.size(), false);
    for (const auto& [v, i, j] : candidates) {
      if (t_used[i] || o_used[j]) continue;
      t_used[i] = o_used[j] = true;
      ++tally.matched;
    }
  }
}

// The truth article a truth body region belongs to (see the header).
std::string article_key(const Region& r,
                        const std::unordered_map<std::string, std::string>& article_of_region) {
  if (r.article_id) return "a:" + *r.article_id;
  auto it = article_of_region.find(r.id);
  if (it != article_of_region.end()) return "a:" + it->second;
  return "r:" + r.id;
}

void score_page_body(const Page* truth, const Page* output,
                     const std::unordered_map<std::string, std::string>& article_of_region,
                     IssueScores& s) {
  if (!truth) return;  // no truth body area to cover, no truth articles to merge
  std::vector<Box> truth_boxes;
  std::map<std::string, std::vector<Box>> by_article;
  for (const Region& r : truth->regions) {
    if (r.kind != RegionKind::Body) continue;
    truth_boxes.push_back(r.bbox);
    by_article[article_key(r, article_of_region)].push_back(r.bbox);
  }
  std::vector<Box> output_boxes;
  if (output)
    for (const Region& r : output->regions)
      if (r.kind == RegionKind::Body) output_boxes.push_back(r.bbox);

  s.body_coverage +=
      Tally{union_intersection_area(truth_boxes, output_boxes), union_area(truth_boxes)};

  for (const Box& r : output_boxes) {
    int covered = 0;
    for (const auto& [key, boxes] : by_article) {
      const long long inter = union_intersection_area(boxes, std::span<const Box>(&r, 1));
      if (inter > 0 && inter * 100 >= kOverMergeMinPercent * r.area()) ++covered;
    }
    s.body_over_merge += Tally{covered >= 2 ? 1 : 0, 1};
  }
}

// ---------------------------------------------------------------------------------------------
// Articles

// Sorted multiset of adjacent code-point pairs.
std::vector<std::uint64_t> bigrams(const std::u32string& s) {
  std::vector<std::uint64_t> out;
  if (s.size() < 2) return out;
  out.reserve(s.size() - 1);
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    out.push_back((static_cast<std::uint64_t>(s[i]) << 32) | static_cast<std::uint64_t>(s[i + 1]));
  std::sort(out.begin(), out.end());
  return out;
}

struct ArticleForms {
  std::u32string text;
  std::u32string headline;  // empty when null
  std::vector<std::uint64_t> text_bigrams;
  std::vector<std::uint64_t> headline_text_bigrams;
};

ArticleForms forms_of(const Article& a) {
  ArticleForms f;
  f.text = text::comparable(a.text);
  if (a.headline) f.headline = text::comparable(*a.headline);
  f.text_bigrams = bigrams(f.text);
  f.headline_text_bigrams = bigrams(f.headline + f.text);
  return f;
}

// Truth articles whose text is shorter than 2 characters are keyed on headline + text.
bool keyed_on_headline(const ArticleForms& t) {
  return t.text.size() < 2;
}

// match[i] = index of the output article matched to truth article i, or nullopt.
std::vector<std::optional<std::size_t>> match_articles(const std::vector<ArticleForms>& truth,
                                                       const std::vector<ArticleForms>& output) {
  std::vector<std::tuple<double, std::size_t, std::size_t>> candidates;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const bool by_headline = keyed_on_headline(truth[i]);
    const auto& tb = by_headline ? truth[i].headline_text_bigrams : truth[i].text_bigrams;
    if (tb.empty()) continue;
    for (std::size_t j = 0; j < output.size(); ++j) {
      const auto& ob = by_headline ? output[j].headline_text_bigrams : output[j].text_bigrams;
      const long long shared = sorted_intersection(tb, ob);
      if (shared == 0 || shared * 100 < kMinSharedBigramPercent * static_cast<long long>(tb.size()))
        continue;
      const double dice =
          2.0 * static_cast<double>(shared) / static_cast<double>(tb.size() + ob.size());
      candidates.emplace_back(dice, i, j);
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::make_pair(std::get<1>(a), std::get<2>(a)) <
           std::make_pair(std::get<1>(b), std::get<2>(b));
  });
  std::vector<std::optional<std::size_t>> match(truth.size());
  std::vector<bool> o_used(output.size(), false);
  for (const auto& [dice, i, j] : candidates) {
    if (match[i] || o_used[j]) continue;
    match[i] = j;
    o_used[j] = true;
  }
  return match;
}

std::u32string part_text_on_page(const Article& a, int page) {
  std::string joined;
  for (const ArticlePart& p : a.parts)
    if (p.page == page) joined += p.text;
  return text::comparable(joined);
}

bool reaches_page(const Article& a, int page) {
  if (std::find(a.pages.begin(), a.pages.end(), page) != a.pages.end()) return true;
  return std::any_of(a.parts.begin(), a.parts.end(),
                     [page](const ArticlePart& p) { return p.page == page; });
}

// See the header. `body_dist` / `body_len`: the whole-body comparison, used when the truth has no
// part text at all (a page-1-only transcription such as the seed).
bool reproduces_continuation(const Article& truth, const Article& output, long long body_dist,
                             long long body_len) {
  std::vector<int> pages = truth.pages;
  for (const ArticlePart& p : truth.parts) pages.push_back(p.page);
  std::sort(pages.begin(), pages.end());
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  bool any_part_text = false;
  for (int page : pages) {
    const std::u32string t = part_text_on_page(truth, page);
    if (t.empty()) {
      // Untranscribed page of the truth: the output article must at least continue onto it.
      if (!reaches_page(output, page)) return false;
      continue;
    }
    any_part_text = true;
    const std::u32string o = part_text_on_page(output, page);
    if (!within_cer(distance(t, o), length(t), kContinuationMaxCerPercent)) return false;
  }
  return any_part_text || within_cer(body_dist, body_len, kContinuationMaxCerPercent);
}

// comparable() without punctuation: "（郁靜 子煜）" and "郁靜、子煜" compare equal.
std::u32string byline_form(const std::optional<std::string>& byline) {
  if (!byline) return {};
  std::u32string out;
  for (char32_t c : text::comparable(*byline))
    if (!u_ispunct(static_cast<UChar32>(c))) out.push_back(c);
  return out;
}

void score_articles(const Issue& truth, const Issue& output, IssueScores& s) {
  std::vector<ArticleForms> tf;
  std::vector<ArticleForms> of;
  tf.reserve(truth.articles.size());
  of.reserve(output.articles.size());
  for (const Article& a : truth.articles) tf.push_back(forms_of(a));
  for (const Article& a : output.articles) of.push_back(forms_of(a));
  const auto match = match_articles(tf, of);

  for (std::size_t i = 0; i < truth.articles.size(); ++i) {
    const Article& t = truth.articles[i];
    const Article* o = match[i] ? &output.articles[*match[i]] : nullptr;
    const long long t_len = length(tf[i].text);
    // One edit distance per truth article serves body CER and "found".
    const long long body_dist = o ? distance(tf[i].text, of[*match[i]].text) : t_len;
    s.body_cer += Tally{body_dist, t_len};
    const bool found = o && within_cer(body_dist, t_len, kFoundMaxBodyCerPercent);
    s.article_recall += Tally{found ? 1 : 0, 1};

    if (t.pages.size() > 1)
      s.continuation_accuracy +=
          Tally{o && reproduces_continuation(t, *o, body_dist, t_len) ? 1 : 0, 1};
    if (t.headline && o)
      s.headline_cer +=
          Tally{distance(tf[i].headline, of[*match[i]].headline), length(tf[i].headline)};
    if (t.byline)
      s.byline_accuracy += Tally{o && byline_form(t.byline) == byline_form(o->byline) ? 1 : 0, 1};
  }
}

// ---------------------------------------------------------------------------------------------
// Run cost

std::optional<double> number_at(const nlohmann::json& run, const char* key) {
  auto it = run.find(key);
  if (it == run.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

RunCost run_cost(const Issue& output) {
  RunCost cost;
  if (!output.provenance.is_object()) return cost;
  auto it = output.provenance.find("run");
  if (it == output.provenance.end() || !it->is_object()) return cost;
  cost.seconds = number_at(*it, "seconds");
  if (auto pages = number_at(*it, "pages"))
    cost.pages = static_cast<long long>(*pages);
  else if (cost.seconds)
    cost.pages = static_cast<long long>(output.pages.size());
  cost.peak_rss_mib = number_at(*it, "peak_rss_mib");
  return cost;
}

}  // namespace

IssueScores evaluate_issue(const Issue& truth, const Issue& output) {
  IssueScores s;
  s.id = truth.issue.id;
  s.truth_pages = static_cast<long long>(truth.pages.size());
  s.output_pages = static_cast<long long>(output.pages.size());
  s.truth_articles = static_cast<long long>(truth.articles.size());
  s.output_articles = static_cast<long long>(output.articles.size());

  std::unordered_map<std::string, std::string> article_of_region;
  for (const Article& a : truth.articles)
    for (const ArticlePart& p : a.parts)
      for (const std::string& id : p.region_ids) article_of_region.emplace(id, a.id);

  for (const auto& [t, o] : pair_pages(truth, output)) {
    score_page_text(t, o, s);
    score_page_regions(t, o, s);
    score_page_body(t, o, article_of_region, s);
  }
  score_articles(truth, output, s);
  s.run = run_cost(output);
  return s;
}

IssueScores pool(std::span<const IssueScores> issues) {
  IssueScores all;
  all.id = "overall";
  for (const IssueScores& s : issues) {
    all.output_missing = all.output_missing || s.output_missing;
    all.truth_pages += s.truth_pages;
    all.output_pages += s.output_pages;
    all.truth_articles += s.truth_articles;
    all.output_articles += s.output_articles;
    all.page_cer += s.page_cer;
    all.page_chars += s.page_chars;
    all.article_recall += s.article_recall;
    all.continuation_accuracy += s.continuation_accuracy;
    all.headline_cer += s.headline_cer;
    all.body_cer += s.body_cer;
    all.byline_accuracy += s.byline_accuracy;
    for (std::size_t k = 0; k < kRegionKindCount; ++k) all.regions[k] += s.regions[k];
    all.body_coverage += s.body_coverage;
    all.body_over_merge += s.body_over_merge;
    if (s.run.seconds && s.run.pages) {
      all.run.seconds = all.run.seconds.value_or(0) + *s.run.seconds;
      all.run.pages = all.run.pages.value_or(0) + *s.run.pages;
    }
    if (s.run.peak_rss_mib)
      all.run.peak_rss_mib = std::max(all.run.peak_rss_mib.value_or(0), *s.run.peak_rss_mib);
  }
  return all;
}

}  // namespace broadsheet::eval
