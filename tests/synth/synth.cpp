#include "synth/synth.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/issue_json.hpp"
#include "synth/compose.hpp"
#include "synth/content.hpp"
#include "synth/layout.hpp"
#include "synth/typeset.hpp"

namespace broadsheet::synth {

namespace {

constexpr const char* kGenerator = "broadsheet-synth 1";

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::uint64_t hash_string(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// ---- the look of an issue -------------------------------------------------------------------

/// Design choices a newspaper keeps on all its pages.
struct Look {
  double dpi = 300;
  double width_in = 9.5;
  double aspect = 1.55;
  double body_px300 = 30;  ///< body em size at 300 dpi
  double leading = 1.45;
  double chars_per_line = 14;
  double gutter_em = 1.2;
  std::string body_family;
  std::string headline_family;
  std::string display_family;
  std::string soft_family;
  bool rules = true;
  bool column_rules = false;
  bool section_reversed = false;
  Align headline_align = Align::Center;
  bool jump_in_right = false;
  double halftone_lpi = 0;  ///< photo screen ruling; 0: continuous tone
};

Look random_look(Rng& rng, const Options& options) {
  Look look;
  look.dpi = options.dpi ? *options.dpi : (chance(rng, 0.75) ? 300.0 : 200.0);
  look.width_in = uniform(rng, 8.0, 11.0);
  look.aspect = uniform(rng, 1.5, 1.6);
  look.body_px300 = uniform(rng, 28, 33);
  look.leading = uniform(rng, 1.38, 1.55);
  look.chars_per_line = uniform(rng, 12.5, 16.5);
  look.gutter_em = uniform(rng, 1.0, 1.6);
  look.body_family = chance(rng, 0.6) ? "Noto Serif CJK TC" : "AR PL UMing TW";
  look.headline_family = chance(rng, 0.6) ? "Noto Sans CJK TC" : "Noto Serif CJK TC";
  look.display_family = chance(rng, 0.5) ? "Noto Serif CJK TC" : "Noto Sans CJK TC";
  look.soft_family = chance(rng, 0.6) ? "AR PL UKai TW" : "Noto Sans CJK TC";
  look.rules = chance(rng, 0.7);
  look.column_rules = chance(rng, 0.35);
  look.section_reversed = chance(rng, 0.5);
  look.headline_align = chance(rng, 0.65) ? Align::Center : Align::Left;
  look.jump_in_right = chance(rng, 0.3);
  look.halftone_lpi = chance(rng, 0.6) ? uniform(rng, 55, 75) : 0.0;
  return look;
}

struct PageFrame {
  PageStyle style;
  double head_top = 0;     ///< masthead or header top
  double head_height = 0;  ///< masthead height (front page)
};

PageFrame make_frame(const Look& look, bool front, double body_scale) {
  PageFrame f;
  PageStyle& s = f.style;
  const double k = look.dpi / 300.0;
  s.dpi = look.dpi;
  s.width = static_cast<int>(std::lround(look.width_in * look.dpi));
  s.height = static_cast<int>(std::lround(look.width_in * look.aspect * look.dpi));
  s.body.family = look.body_family;
  s.body.px = look.body_px300 * k * body_scale;
  s.pitch = s.body.px * look.leading;
  s.headline_family = look.headline_family;
  s.display_family = look.display_family;
  s.soft_family = look.soft_family;
  s.rules = look.rules;
  s.column_rules = look.column_rules;
  s.section_reversed = look.section_reversed;
  s.headline_align = look.headline_align;
  s.jump_in_right = look.jump_in_right;
  s.halftone = look.halftone_lpi > 0 ? look.dpi / look.halftone_lpi : 0.0;
  s.rule = std::max(1.0, 2.0 * k);
  s.gap = s.body.px * 1.2;

  Grid& g = s.grid;
  const double margin = 0.45 * look.dpi;
  g.left = margin;
  g.right = s.width - margin;
  g.gutter = s.body.px * look.gutter_em;
  const double content_w = g.right - g.left;
  const double col_w = look.chars_per_line * s.body.px;
  g.columns =
      std::clamp(static_cast<int>(std::lround((content_w + g.gutter) / (col_w + g.gutter))), 5, 8);
  f.head_top = 0.4 * look.dpi;
  if (front) {
    f.head_height = s.height * 0.125;
    g.top = f.head_top + f.head_height + s.body.px * 0.4;
  } else {
    Font sect;
    sect.family = "Noto Sans CJK TC";
    sect.px = s.body.px * 1.6;
    f.head_height = sect.px * 1.1 + s.body.px * 0.5 + s.rule * 5;
    g.top = f.head_top + f.head_height + s.body.px * 0.5;
  }
  g.bottom = s.height - 0.5 * look.dpi;
  return f;
}

// ---- page assembly --------------------------------------------------------------------------

/// One article's contribution to a page.
struct PartRecord {
  std::string article_id;
  std::vector<std::string> paragraphs;
  bool continues_paragraph = false;
  std::vector<size_t> regions;  ///< indices into the page's regions
};

struct ComposedPage {
  int page = 1;
  PageStyle style;
  cv::Mat gray;  ///< before the scan transformation
  std::vector<RegionDraft> regions;
  std::vector<PartRecord> parts;
};

/// Reading order of modules: by top edge in bands (tops within a line of each other), left to
/// right within a band.
std::vector<size_t> reading_order(const std::vector<Rect>& bounds, double tolerance) {
  std::vector<size_t> order(bounds.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return bounds[a].y < bounds[b].y; });
  std::vector<size_t> out;
  size_t i = 0;
  while (i < order.size()) {
    const double band_top = bounds[order[i]].y;
    size_t j = i;
    while (j < order.size() && bounds[order[j]].y - band_top < tolerance) ++j;
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(i),
                     order.begin() + static_cast<std::ptrdiff_t>(j),
                     [&](size_t a, size_t b) { return bounds[a].x < bounds[b].x; });
    out.insert(out.end(), order.begin() + static_cast<std::ptrdiff_t>(i),
               order.begin() + static_cast<std::ptrdiff_t>(j));
    i = j;
  }
  return out;
}

void add_module(ComposedPage& page, ModuleOutput out) {
  PartRecord part;
  part.article_id = out.article_id.value_or("");
  part.paragraphs = std::move(out.paragraphs);
  part.continues_paragraph = out.continues_paragraph;
  for (RegionDraft& r : out.regions) {
    part.regions.push_back(page.regions.size());
    page.regions.push_back(std::move(r));
  }
  if (out.article_id) page.parts.push_back(std::move(part));
}

/// Article-level facts, gathered while pages are drawn.
struct ArticleRecord {
  std::string id;
  ArticleKind kind = ArticleKind::Article;
  std::optional<std::string> headline;
  std::optional<std::string> kicker;
  std::optional<std::string> subheadline;
  std::optional<std::string> section;
  std::optional<std::string> byline;
  std::optional<std::string> credit;
};

Box to_box(const Rect& r, const cv::Mat& m, int width, int height) {
  const double corners[4][2] = {
      {r.x, r.y}, {r.right(), r.y}, {r.x, r.bottom()}, {r.right(), r.bottom()}};
  double x0 = 1e18;
  double y0 = 1e18;
  double x1 = -1e18;
  double y1 = -1e18;
  for (const auto& c : corners) {
    const double x = m.at<double>(0, 0) * c[0] + m.at<double>(0, 1) * c[1] + m.at<double>(0, 2);
    const double y = m.at<double>(1, 0) * c[0] + m.at<double>(1, 1) * c[1] + m.at<double>(1, 2);
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  const int ix0 = std::clamp(static_cast<int>(std::floor(x0)), 0, width);
  const int iy0 = std::clamp(static_cast<int>(std::floor(y0)), 0, height);
  const int ix1 = std::clamp(static_cast<int>(std::ceil(x1)), 0, width);
  const int iy1 = std::clamp(static_cast<int>(std::ceil(y1)), 0, height);
  return {ix0, iy0, ix1 - ix0, iy1 - iy0};
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

/// Turns drawn pages into scans and truth.
RenderedIssue finish_issue(std::string paper, std::string date, const IssueMeta& meta,
                           std::vector<ComposedPage>& pages,
                           const std::vector<ArticleRecord>& articles, const Options& options,
                           Rng& rng, nlohmann::json provenance) {
  RenderedIssue issue;
  issue.paper = std::move(paper);
  issue.date = std::move(date);
  Issue& truth = issue.truth;
  truth.issue.id = issue.paper + "/" + issue.date;
  truth.issue.newspaper = meta.newspaper;
  truth.issue.date = meta.date;
  truth.issue.number = meta.number;
  truth.issue.page_count = meta.page_count;
  truth.issue.weekday = meta.weekday;
  truth.issue.lunar_date = meta.lunar_date;
  truth.issue.extra = {{"newspaper_latin", meta.newspaper_latin},
                       {"serial", meta.serial},
                       {"organ", meta.organ},
                       {"publisher", meta.publisher}};
  truth.provenance = std::move(provenance);

  // Per article: parts in page order, with region ids and boxes in scan coordinates.
  struct PartTruth {
    int page = 0;
    std::vector<std::string> region_ids;
    Box bbox;
    std::vector<std::string> paragraphs;
    bool continues = false;
  };
  std::map<std::string, std::vector<PartTruth>> parts_by_article;

  std::vector<ScanParams> params(pages.size());
  std::vector<cv::Mat> transformed(pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    ComposedPage& cp = pages[i];
    params[i] = random_scan(rng, cp.style.dpi, true);
    if (options.skew_deg) params[i].skew_deg = *options.skew_deg;
    const cv::Mat m = rotation_matrix(cp.gray.size(), params[i].skew_deg);
    transformed[i] = transform_page(cp.gray, m);

    Page page;
    page.page = cp.page;
    page.scan_index = static_cast<int>(i);
    page.width = cp.gray.cols;
    page.height = cp.gray.rows;
    page.dpi = cp.style.dpi;
    page.skew_deg = params[i].skew_deg;
    std::vector<std::string> texts;
    for (size_t k = 0; k < cp.regions.size(); ++k) {
      const RegionDraft& d = cp.regions[k];
      Region r;
      r.id = fmt::format("p{}-r{}", cp.page, k + 1);
      r.kind = d.kind;
      r.bbox = to_box(d.box, m, page.width, page.height);
      r.direction = Direction::Horizontal;
      r.text = d.text;
      r.confidence = 1.0;
      r.article_id = d.article_id;
      for (const LineDraft& l : d.lines)
        r.lines.push_back({to_box(l.box, m, page.width, page.height), l.text, 1.0});
      if (!r.text.empty()) texts.push_back(r.text);
      page.regions.push_back(std::move(r));
    }
    page.text = join(texts, "\n");
    for (const PartRecord& pr : cp.parts) {
      PartTruth pt;
      pt.page = cp.page;
      for (size_t idx : pr.regions) {
        pt.region_ids.push_back(page.regions[idx].id);
        pt.bbox = unite(pt.bbox, page.regions[idx].bbox);
      }
      pt.paragraphs = pr.paragraphs;
      pt.continues = pr.continues_paragraph;
      parts_by_article[pr.article_id].push_back(std::move(pt));
    }
    truth.pages.push_back(std::move(page));
  }

  for (const ArticleRecord& rec : articles) {
    auto it = parts_by_article.find(rec.id);
    if (it == parts_by_article.end()) continue;  // planned but never printed
    std::vector<PartTruth>& parts = it->second;
    std::sort(parts.begin(), parts.end(),
              [](const PartTruth& a, const PartTruth& b) { return a.page < b.page; });
    Article a;
    a.id = rec.id;
    a.kind = rec.kind;
    a.headline = rec.headline;
    a.kicker = rec.kicker;
    a.subheadline = rec.subheadline;
    a.section = rec.section;
    a.byline = rec.byline;
    a.credit = rec.credit;
    for (size_t i = 0; i < parts.size(); ++i) {
      const PartTruth& pt = parts[i];
      for (size_t k = 0; k < pt.paragraphs.size(); ++k) {
        if (k == 0 && pt.continues && !a.paragraphs.empty()) {
          a.paragraphs.back() += pt.paragraphs[k];
        } else {
          a.paragraphs.push_back(pt.paragraphs[k]);
        }
      }
      a.pages.push_back(pt.page);
      if (i + 1 < parts.size())
        a.continuations.push_back(
            {pt.page, parts[i + 1].page, jump_marker("下轉", parts[i + 1].page)});
      ArticlePart part;
      part.page = pt.page;
      part.region_ids = pt.region_ids;
      part.bbox = pt.bbox;
      part.text = join(pt.paragraphs, "\n");
      a.parts.push_back(std::move(part));
    }
    a.text = join(a.paragraphs, "\n");
    a.confidence = 1.0;
    truth.articles.push_back(std::move(a));
  }

  // Scans last: bleed-through needs the other pages drawn.
  for (size_t i = 0; i < pages.size(); ++i) {
    RenderedPage rp;
    rp.params = params[i];
    rp.clean = transformed[i];
    if (options.degrade) {
      // The ghost is the back of the sheet: the neighbouring page.
      const size_t other = pages.size() > 1 ? (i % 2 == 0 ? i + 1 : i - 1) % pages.size() : i;
      rp.scan = degrade(transformed[i], transformed[other], params[i], pages[i].style.dpi, rng);
    } else {
      rp.params.bilevel = false;
      rp.params.color = false;
      rp.scan = transformed[i].clone();
    }
    std::string ext;
    rp.encoded = encode_scan(rp.scan, rp.params, pages[i].style.dpi, ext);
    rp.file_name = fmt::format("page-{:02}{}", pages[i].page, ext);
    issue.truth.pages[i].image = rp.file_name;
    issue.pages.push_back(std::move(rp));
  }
  return issue;
}

nlohmann::json provenance_json(const Options& options, const std::string& source) {
  return {{"broadsheet", kGenerator},
          {"generator", "broadsheet-synth"},
          {"seed", options.seed},
          {"source", source},
          {"skew_convention",
           "skew_deg is the rotation applied to the page, positive = counter-clockwise as "
           "viewed; rotate by -skew_deg to undo"}};
}

// ---- random issues --------------------------------------------------------------------------

struct ChainPlan {
  std::vector<int> pages;                     ///< pages the article runs over, increasing
  std::vector<std::pair<int, size_t>> slots;  ///< (page index, module index) per part
};

std::vector<ChainPlan> plan_chains(int page_count, Rng& rng) {
  std::vector<ChainPlan> chains;
  if (page_count < 2) return chains;
  const int count = page_count == 2 ? uniform_int(rng, 1, 2) : uniform_int(rng, 2, 4);
  for (int c = 0; c < count; ++c) {
    ChainPlan chain;
    if (page_count >= 3 && chance(rng, 0.35)) {
      const int a = uniform_int(rng, 1, page_count - 2);
      const int b = uniform_int(rng, a + 1, page_count - 1);
      const int d = uniform_int(rng, b + 1, page_count);
      chain.pages = {a, b, d};
    } else {
      const int a = c == 0 ? 1 : uniform_int(rng, 1, page_count - 1);
      chain.pages = {a, uniform_int(rng, a + 1, page_count)};
    }
    chains.push_back(std::move(chain));
  }
  return chains;
}

std::string shortened(const std::string& headline) {
  const size_t space = headline.find(' ');
  return space == std::string::npos ? headline : headline.substr(0, space);
}

}  // namespace

IssueSlot random_issue_slot(std::uint64_t seed, int index) {
  const std::vector<Paper>& list = papers();
  const Paper& paper = list[seed % list.size()];
  // Seeds sharing a paper start 211 days apart (mod 25 years); an issue run is consecutive days.
  const auto offset = static_cast<int>(((seed / list.size()) * 211) % 9131);
  const Date date = add_days(Date{2000, 1, 3}, offset + index);
  return {paper.slug, iso_date(date)};
}

Result<RenderedIssue> render_random_issue(const Options& options, int index) {
  if (options.pages_min < 1 || options.pages_max < options.pages_min || options.pages_max > 16)
    return fail(ErrorCode::BadArguments, kSynthStage, {},
                "pages range must satisfy 1 <= min <= max <= 16");
  Rng rng(splitmix(options.seed * 1000003ull + static_cast<std::uint64_t>(index)));
  const IssueSlot slot = random_issue_slot(options.seed, index);
  const Paper& paper = *std::find_if(papers().begin(), papers().end(),
                                     [&](const Paper& p) { return p.slug == slot.paper; });
  Date date;
  (void)parse_iso_date(slot.date, date);
  const Corpus corpus = Corpus::load(options.corpus);

  const int page_count = uniform_int(rng, options.pages_min, options.pages_max);
  IssueMeta meta;
  meta.newspaper = paper.name;
  meta.newspaper_latin = paper.latin;
  meta.date = slot.date;
  meta.weekday = weekday_name(date);
  meta.lunar_date = lunar_date(date);
  // Daily numbering from the paper's reference issue.
  meta.number = std::max(1LL, paper.first_number + days_between(paper.first_date, date));
  meta.page_count = page_count;
  meta.serial = paper.serial;
  meta.organ = paper.organ;
  meta.publisher = paper.publisher;

  Typesetter ts;
  const Look look = random_look(rng, options);

  // Geometry of every page first: jumps need to know where their continuations will go.
  struct PagePlan {
    PageFrame frame;
    std::vector<ModuleGeom> modules;  ///< in reading order
    std::optional<std::string> section_name;
  };
  std::vector<PagePlan> plans;
  for (int p = 1; p <= page_count; ++p) {
    PagePlan plan;
    plan.frame = make_frame(look, p == 1, 1.0);
    const PageStyle& s = plan.frame.style;
    RandomPlan rp;
    rp.front_page = p == 1;
    rp.allow_adverts = p > 1;
    rp.min_height = s.body.px * 1.5 * 3 + s.pitch * 7;
    std::vector<ModuleGeom> modules = plan_random_page(s.grid, rp, rng);
    std::vector<Rect> bounds;
    for (const ModuleGeom& m : modules) bounds.push_back(m.bounds(s.grid));
    for (size_t i : reading_order(bounds, s.pitch)) plan.modules.push_back(modules[i]);
    if (p > 1) plan.section_name = p == 2 && chance(rng, 0.5) ? "要聞" : phrase::page_section(rng);
    plans.push_back(std::move(plan));
  }

  // Jumps: each chain takes one article module on each of its pages.
  std::vector<std::vector<int>> role(plans.size());  // chain index per module, -1 none
  for (size_t p = 0; p < plans.size(); ++p) role[p].assign(plans[p].modules.size(), -1);
  std::vector<ChainPlan> chains = plan_chains(page_count, rng);
  std::vector<ChainPlan> kept;
  for (ChainPlan& chain : chains) {
    std::vector<std::pair<int, size_t>> slots;
    for (size_t k = 0; k < chain.pages.size(); ++k) {
      const auto pi = static_cast<size_t>(chain.pages[k] - 1);
      std::vector<size_t> free;
      for (size_t m = 0; m < plans[pi].modules.size(); ++m) {
        const ModuleGeom& g = plans[pi].modules[m];
        if (g.kind != ModuleKind::Article || role[pi][m] >= 0) continue;
        // Continuations avoid the lead story's place.
        if (k > 0 && g.lead) continue;
        free.push_back(m);
      }
      if (free.empty()) break;
      size_t choice = pick(rng, free);
      if (k == 0 && plans[pi].modules[free.front()].lead && chance(rng, 0.6)) choice = free.front();
      slots.emplace_back(static_cast<int>(pi), choice);
      role[pi][choice] = static_cast<int>(kept.size());
    }
    if (slots.size() < 2) {
      for (auto [pi, m] : slots) role[static_cast<size_t>(pi)][m] = -1;
      continue;
    }
    chain.pages.resize(slots.size());
    chain.slots = std::move(slots);
    kept.push_back(std::move(chain));
  }

  // Articles of the chains exist before any page is drawn.
  std::vector<ArticleRecord> articles;
  std::vector<PartContent> chain_heads;
  std::vector<std::unique_ptr<ParagraphStream>> chain_streams;
  int next_article = 1;
  auto new_article = [&](bool lead, PartContent& part) {
    ArticleRecord rec;
    rec.id = fmt::format("a{}", next_article++);
    rec.kind = ArticleKind::Article;
    rec.headline = phrase::headline(rng, paper.city);
    if (chance(rng, lead ? 0.35 : 0.15)) rec.kicker = phrase::kicker(rng, paper.city);
    if (chance(rng, lead ? 0.2 : 0.12)) rec.subheadline = phrase::subheadline(rng, paper.city);
    if (chance(rng, 0.6)) rec.byline = phrase::byline(rng);
    part.article_id = rec.id;
    part.kicker = rec.kicker;
    part.headline = rec.headline;
    if (chance(rng, lead ? 0.5 : 0.12)) {
      part.deck2 = phrase::deck2(rng);
      rec.headline = *rec.headline + " " + *part.deck2;
    }
    part.subheadline = rec.subheadline;
    part.byline = rec.byline;
    part.headline_scale = lead ? uniform(rng, 2.8, 3.6) : uniform(rng, 1.9, 2.6);
    articles.push_back(rec);
  };
  for (const ChainPlan& chain : kept) {
    const auto [pi, m] = chain.slots.front();
    PartContent head;
    new_article(plans[static_cast<size_t>(pi)].modules[m].lead, head);
    chain_heads.push_back(head);
    chain_streams.push_back(std::make_unique<ParagraphStream>(
        corpus, Rng(rng()), phrase::dateline(rng, add_days(date, -1))));
  }

  std::vector<ComposedPage> composed;
  std::optional<std::string> open_section;
  int section_left = 0;
  int captions = 0;
  for (size_t pi = 0; pi < plans.size(); ++pi) {
    const PagePlan& plan = plans[pi];
    const int page_no = static_cast<int>(pi) + 1;
    PageCanvas canvas(ts, plan.frame.style, rng);
    ComposedPage cp;
    cp.page = page_no;
    cp.style = plan.frame.style;
    if (page_no == 1) {
      cp.regions.push_back(canvas.draw_masthead(meta, plan.frame.head_top, plan.frame.head_height));
    } else {
      cp.regions.push_back(
          canvas.draw_header(meta, page_no, plan.section_name, plan.frame.head_top));
    }
    section_left = 0;
    for (size_t mi = 0; mi < plan.modules.size(); ++mi) {
      const ModuleGeom& geom = plan.modules[mi];
      canvas.draw_rules(geom);
      if (geom.kind == ModuleKind::Advert) {
        add_module(cp, canvas.draw_advert(geom, phrase::advert(rng, paper.city)));
        continue;
      }
      if (geom.kind == ModuleKind::Caption) {
        ArticleRecord rec;
        rec.id = fmt::format("c{}", ++captions);
        rec.kind = ArticleKind::Caption;
        rec.byline = phrase::person(rng);
        rec.credit = *rec.byline + "攝";
        PartContent part;
        part.article_id = rec.id;
        part.kind = ArticleKind::Caption;
        part.paragraphs = {phrase::caption(rng, paper.city, add_days(date, -1))};
        part.credit = rec.credit;
        articles.push_back(rec);
        add_module(cp, canvas.draw_caption(geom, part));
        continue;
      }
      const int chain = role[pi][mi];
      if (chain >= 0) {
        const ChainPlan& cplan = kept[static_cast<size_t>(chain)];
        size_t k = 0;
        while (cplan.slots[k].first != static_cast<int>(pi)) ++k;
        PartContent part = chain_heads[static_cast<size_t>(chain)];
        if (k > 0) {
          // A continuation: repeated or shortened headline, or none, then the jump-in line.
          const double r = uniform(rng, 0, 1);
          part.section.reset();
          part.kicker.reset();
          part.subheadline.reset();
          part.deck2.reset();
          if (r < 0.15) {
            part.headline.reset();
          } else if (r < 0.5) {
            part.headline = shortened(*part.headline);
          }
          part.headline_scale = uniform(rng, 1.7, 2.1);
          part.jump_in = jump_marker("上接", cplan.pages[k - 1]);
        }
        if (k + 1 < cplan.pages.size()) part.jump_out = jump_marker("下轉", cplan.pages[k + 1]);
        add_module(cp, canvas.draw_article_streamed(geom, part,
                                                    *chain_streams[static_cast<size_t>(chain)]));
        continue;
      }
      PartContent part;
      new_article(geom.lead, part);
      // Section kickers open a group of two or three consecutive stories.
      if (section_left > 0 && open_section) {
        articles.back().section = open_section;
        --section_left;
      } else if (!geom.lead && chance(rng, 0.12)) {
        open_section = phrase::section(rng);
        section_left = uniform_int(rng, 1, 2);
        part.section = open_section;
        articles.back().section = open_section;
      }
      ParagraphStream stream(corpus, Rng(rng()), phrase::dateline(rng, add_days(date, -1)));
      add_module(cp, canvas.draw_article_streamed(geom, part, stream));
    }
    cp.gray = canvas.finish();
    composed.push_back(std::move(cp));
  }

  nlohmann::json prov = provenance_json(options, "random");
  prov["issue_index"] = index;
  prov["corpus"] = corpus.source().filename().string();
  return finish_issue(slot.paper, slot.date, meta, composed, articles, options, rng,
                      std::move(prov));
}

// ---- spec issues ----------------------------------------------------------------------------

Result<RenderedIssue> render_spec_issue(const IssueSpec& spec, const Options& options) {
  Rng rng(splitmix(options.seed ^ hash_string(spec.paper + "/" + spec.date)));
  Typesetter ts;
  const Look look = random_look(rng, options);

  std::vector<ArticleRecord> articles;
  for (const ArticleSpec& a : spec.articles) {
    ArticleRecord rec;
    rec.id = a.id;
    rec.kind = a.kind;
    if (a.headline)
      rec.headline = a.headline_deck2 ? *a.headline + " " + *a.headline_deck2 : *a.headline;
    if (a.truth_headline) rec.headline = a.truth_headline;
    rec.kicker = a.kicker;
    rec.subheadline = a.subheadline;
    rec.section = a.section;
    rec.byline = a.byline;
    rec.credit = a.credit;
    if (a.kind == ArticleKind::Caption && !rec.byline && a.credit) {
      std::string name = *a.credit;
      const std::string suffix = "攝";
      if (name.size() > suffix.size() && name.ends_with(suffix))
        name.resize(name.size() - suffix.size());
      rec.byline = name;
    }
    articles.push_back(std::move(rec));
  }

  std::vector<ComposedPage> composed;
  for (size_t pi = 0; pi < spec.pages.size(); ++pi) {
    const PageSpec& ps = spec.pages[pi];
    const bool front = pi == 0;
    // The parts printed on this page, in placement order (default: article order).
    struct Item {
      const ArticleSpec* article;
      size_t part;
    };
    std::vector<Item> order;
    for (const ArticleSpec& a : spec.articles)
      for (size_t k = 0; k < a.parts.size(); ++k)
        if (a.parts[k].page == ps.page) order.push_back({&a, k});
    if (!ps.placement.empty()) {
      auto rank = [&](const Item& it) {
        const auto at = std::find(ps.placement.begin(), ps.placement.end(), it.article->id);
        return at - ps.placement.begin();
      };
      std::stable_sort(order.begin(), order.end(),
                       [&](const Item& x, const Item& y) { return rank(x) < rank(y); });
    }
    std::vector<PartContent> items;
    std::optional<std::string> previous_section;
    for (const Item& it : order) {
      const ArticleSpec& a = *it.article;
      const size_t k = it.part;
      const PartSpec& part = a.parts[k];
      PartContent c;
      c.article_id = a.id;
      c.kind = a.kind;
      c.paragraphs = part.paragraphs;
      c.continues_paragraph = part.continues_paragraph;
      if (a.kind == ArticleKind::Caption) {
        c.credit = a.credit;
        c.photo = a.photo;
      } else if (k == 0) {
        // A section kicker is printed once over a run of articles that share it.
        if (a.section && a.section != previous_section) c.section = a.section;
        c.kicker = a.kicker;
        c.headline = a.headline;
        c.deck2 = a.headline_deck2;
        c.subheadline = a.subheadline;
        c.headline_scale = items.empty() ? uniform(rng, 2.8, 3.4) : uniform(rng, 1.9, 2.5);
      } else {
        c.headline = part.headline;
        c.headline_scale = uniform(rng, 1.7, 2.1);
        c.jump_in = jump_marker("上接", a.parts[k - 1].page);
      }
      if (k + 1 < a.parts.size()) {
        c.jump_out = jump_marker("下轉", a.parts[k + 1].page);
      } else if (a.kind == ArticleKind::Article) {
        c.byline = a.byline;
      }
      if (a.kind == ArticleKind::Article) previous_section = k == 0 ? a.section : std::nullopt;
      items.push_back(std::move(c));
    }

    // Content-first: shrink the type until the page holds everything.
    std::optional<PageFrame> frame;
    PackResult pack;
    for (int attempt = 0; attempt < 8 && !frame; ++attempt) {
      const double scale = 1.0 - 0.05 * attempt;
      PageFrame f = make_frame(look, front, scale);
      PageCanvas probe(ts, f.style, rng);
      Rng pack_rng(rng());
      // Gaps smaller than this stay white; larger ones get a small advert.
      const double min_filler = f.style.body.px * 7;
      std::map<std::pair<int, int>, double> heights;
      pack = pack_page(
          f.style.grid, static_cast<int>(items.size()),
          [&](int item, int span) {
            auto [it, fresh] = heights.try_emplace({item, span}, 0.0);
            if (fresh) {
              const PartContent& c = items[static_cast<size_t>(item)];
              it->second = c.kind == ArticleKind::Caption ? probe.measure_caption(c, span)
                                                          : probe.measure_article(c, span);
            }
            return it->second;
          },
          f.style.gap, min_filler, pack_rng);
      if (pack.fits) frame = f;
    }
    if (!frame)
      return fail(ErrorCode::InputRejected, kSynthStage, {},
                  fmt::format("page {}: the spec's content does not fit on one page even in small "
                              "type",
                              ps.page),
                  "move some parts to another page");

    PageCanvas canvas(ts, frame->style, rng);
    ComposedPage cp;
    cp.page = ps.page;
    cp.style = frame->style;
    if (front) {
      cp.regions.push_back(canvas.draw_masthead(spec.meta, frame->head_top, frame->head_height));
    } else {
      cp.regions.push_back(
          canvas.draw_header(spec.meta, ps.page, ps.section_name, frame->head_top));
    }
    // Modules in reading order; fillers are adverts.
    struct Placed {
      ModuleGeom geom;
      int item;  ///< -1 for a filler
    };
    std::vector<Placed> placed;
    for (size_t i = 0; i < pack.items.size(); ++i) {
      ModuleGeom g = pack.items[i];
      if (items[i].kind == ArticleKind::Caption) g.kind = ModuleKind::Caption;
      placed.push_back({g, static_cast<int>(i)});
    }
    for (const ModuleGeom& g : pack.fillers) placed.push_back({g, -1});
    std::vector<Rect> bounds;
    for (const Placed& p : placed) bounds.push_back(p.geom.bounds(frame->style.grid));
    const std::string city = spec.meta.newspaper.substr(0, spec.meta.newspaper.find("日報"));
    for (size_t i : reading_order(bounds, frame->style.pitch)) {
      const Placed& p = placed[i];
      canvas.draw_rules(p.geom);
      if (p.item < 0) {
        add_module(cp, canvas.draw_advert(p.geom, phrase::advert(rng, city)));
      } else if (p.geom.kind == ModuleKind::Caption) {
        add_module(cp, canvas.draw_caption(p.geom, items[static_cast<size_t>(p.item)]));
      } else {
        add_module(cp, canvas.draw_article(p.geom, items[static_cast<size_t>(p.item)]));
      }
    }
    cp.gray = canvas.finish();
    composed.push_back(std::move(cp));
  }

  return finish_issue(spec.paper, spec.date, spec.meta, composed, articles, options, rng,
                      provenance_json(options, "spec"));
}

Result<std::filesystem::path> write_issue(const RenderedIssue& issue,
                                          const std::filesystem::path& root) {
  const std::filesystem::path dir = root / issue.paper / issue.date;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return fail(ErrorCode::OutputNotWritable, kSynthStage, dir, "cannot create the folder",
                ec.message());
  for (const RenderedPage& page : issue.pages) {
    const std::filesystem::path path = dir / page.file_name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(page.encoded.data()),
              static_cast<std::streamsize>(page.encoded.size()));
    if (!out)
      return fail(ErrorCode::OutputNotWritable, kSynthStage, path, "cannot write the page image");
  }
  auto written = write_issue_json(dir / "truth.json", issue.truth);
  if (!written) return tl::unexpected(written.error());
  return dir;
}

}  // namespace broadsheet::synth
