// Tests of the page synthesiser: determinism, truth boxes on the ink, article texts and jumps
// consistent with the regions, spec rendering. Pages are rendered small (100–150 dpi) except one
// full-size front page, so the suite runs in a few seconds.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include <opencv2/imgproc.hpp>

#include "core/issue_json.hpp"
#include "synth/content.hpp"
#include "synth/spec.hpp"
#include "synth/synth.hpp"

namespace broadsheet::synth {
namespace {

std::string without_newlines(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\n'), s.end());
  return s;
}

bool is_text_kind(RegionKind k) {
  return k != RegionKind::Photo && k != RegionKind::Advert && k != RegionKind::Other;
}

const RenderedIssue& straight_issue() {
  static const RenderedIssue issue = [] {
    Options o;
    o.seed = 3;
    o.pages_min = 2;
    o.pages_max = 2;
    o.dpi = 150;
    o.skew_deg = 0;
    auto r = render_random_issue(o, 0);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().describe());
    return *r;
  }();
  return issue;
}

const RenderedIssue& skewed_issue() {
  static const RenderedIssue issue = [] {
    Options o;
    o.seed = 11;
    o.pages_min = 3;
    o.pages_max = 3;
    o.dpi = 120;
    o.skew_deg = 1.7;
    auto r = render_random_issue(o, 1);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().describe());
    return *r;
  }();
  return issue;
}

const Region* find_region(const Page& page, const std::string& id) {
  for (const Region& r : page.regions)
    if (r.id == id) return &r;
  return nullptr;
}

const Page* find_page(const Issue& issue, int number) {
  for (const Page& p : issue.pages)
    if (p.page == number) return &p;
  return nullptr;
}

cv::Rect rect(const Box& b) {
  return {b.x, b.y, b.w, b.h};
}

// ---- determinism ----------------------------------------------------------------------------

TEST(SynthDeterminism, SameSeedGivesSameTruthAndPixels) {
  Options o;
  o.seed = 42;
  o.pages_min = 2;
  o.pages_max = 2;
  o.dpi = 100;
  auto a = render_random_issue(o, 0);
  auto b = render_random_issue(o, 0);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(to_json(a->truth).dump(), to_json(b->truth).dump());
  ASSERT_EQ(a->pages.size(), b->pages.size());
  for (size_t i = 0; i < a->pages.size(); ++i) {
    EXPECT_EQ(a->pages[i].file_name, b->pages[i].file_name);
    EXPECT_TRUE(a->pages[i].encoded == b->pages[i].encoded) << "page " << i;
  }
}

TEST(SynthDeterminism, DifferentSeedsGiveDifferentIssues) {
  Options o;
  o.pages_min = 2;
  o.pages_max = 2;
  o.dpi = 100;
  o.seed = 1;
  auto a = render_random_issue(o, 0);
  o.seed = 2;
  auto b = render_random_issue(o, 0);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->truth.issue.id, b->truth.issue.id);
  EXPECT_NE(a->truth.pages[0].text, b->truth.pages[0].text);
}

TEST(SynthDeterminism, IssueSlotsOfNearbySeedsNeverCollide) {
  std::set<std::string> ids;
  for (std::uint64_t seed = 0; seed < 300; ++seed)
    for (int i = 0; i < 30; ++i) {
      const IssueSlot slot = random_issue_slot(seed, i);
      EXPECT_TRUE(ids.insert(slot.paper + "/" + slot.date).second) << seed << " " << i;
    }
}

// ---- truth geometry -------------------------------------------------------------------------

TEST(SynthTruth, TextBoxesAreTightAroundTheirInk) {
  const RenderedIssue& issue = straight_issue();
  for (size_t i = 0; i < issue.pages.size(); ++i) {
    const cv::Mat& clean = issue.pages[i].clean;
    cv::Mat dark = clean < 160;
    for (const Region& r : issue.truth.pages[i].regions) {
      if (!is_text_kind(r.kind) || r.bbox.empty()) continue;
      const cv::Rect box = rect(r.bbox) & cv::Rect(0, 0, clean.cols, clean.rows);
      ASSERT_EQ(box, rect(r.bbox)) << r.id << " leaves the page";
      const double fill = cv::countNonZero(dark(box)) / static_cast<double>(box.area());
      EXPECT_GT(fill, 0.03) << r.id << " (" << to_string(r.kind) << ") holds little ink";
      // Every edge touches ink: the dark pixels' bounding box is the region's box within 3 px.
      std::vector<cv::Point> points;
      cv::findNonZero(dark(box), points);
      ASSERT_FALSE(points.empty()) << r.id;
      const cv::Rect ink = cv::boundingRect(points);
      EXPECT_LE(ink.x, 3) << r.id;
      EXPECT_LE(ink.y, 3) << r.id;
      EXPECT_GE(ink.x + ink.width, box.width - 3) << r.id;
      EXPECT_GE(ink.y + ink.height, box.height - 3) << r.id;
    }
  }
}

TEST(SynthTruth, RotatedBoxesStillHoldTheirInk) {
  const RenderedIssue& issue = skewed_issue();
  for (size_t i = 0; i < issue.pages.size(); ++i) {
    EXPECT_DOUBLE_EQ(issue.truth.pages[i].skew_deg, 1.7);
    const cv::Mat dark = issue.pages[i].clean < 160;
    for (const Region& r : issue.truth.pages[i].regions) {
      if (!is_text_kind(r.kind) || r.bbox.empty()) continue;
      const double fill = cv::countNonZero(dark(rect(r.bbox))) / static_cast<double>(r.bbox.area());
      EXPECT_GT(fill, 0.02) << r.id << " (" << to_string(r.kind) << ")";
    }
  }
}

TEST(SynthTruth, AreaOutsideRegionsIsPaper) {
  for (const RenderedIssue* issue : {&straight_issue(), &skewed_issue()}) {
    for (size_t i = 0; i < issue->pages.size(); ++i) {
      const cv::Mat& clean = issue->pages[i].clean;
      cv::Mat outside(clean.size(), CV_8U, cv::Scalar(255));
      for (const Region& r : issue->truth.pages[i].regions) outside(rect(r.bbox)).setTo(0);
      // Rules and frames are the only ink that belongs outside regions: remove long straight
      // strokes first.
      const cv::Mat dark = clean < 160;
      cv::Mat vertical;
      cv::Mat horizontal;
      cv::morphologyEx(dark, vertical, cv::MORPH_OPEN,
                       cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, 31)));
      cv::morphologyEx(dark, horizontal, cv::MORPH_OPEN,
                       cv::getStructuringElement(cv::MORPH_RECT, cv::Size(31, 1)));
      cv::Mat lines;
      cv::dilate(vertical | horizontal, lines, cv::Mat(), cv::Point(-1, -1), 1);
      const cv::Mat stray = dark & outside & ~lines;
      const double share = cv::countNonZero(stray) / static_cast<double>(cv::countNonZero(outside));
      EXPECT_LT(share, 0.003) << issue->truth.issue.id << " page " << i;
    }
  }
}

TEST(SynthTruth, BodyRegionsDoNotOverlap) {
  for (const Page& page : straight_issue().truth.pages) {
    std::vector<const Region*> bodies;
    for (const Region& r : page.regions)
      if (r.kind == RegionKind::Body) bodies.push_back(&r);
    ASSERT_GT(bodies.size(), 6u);
    for (size_t a = 0; a < bodies.size(); ++a)
      for (size_t b = a + 1; b < bodies.size(); ++b)
        EXPECT_EQ(intersection_area(bodies[a]->bbox, bodies[b]->bbox), 0)
            << bodies[a]->id << " " << bodies[b]->id;
  }
}

TEST(SynthTruth, PagesAreBroadsheetSizedAt300And200Dpi) {
  // Full size: one front page each at 300 and 200 dpi.
  for (double dpi : {300.0, 200.0}) {
    Options o;
    o.seed = 5;
    o.pages_min = 1;
    o.pages_max = 1;
    o.dpi = dpi;
    o.degrade = false;
    auto issue = render_random_issue(o, 0);
    ASSERT_TRUE(issue);
    const Page& page = issue->truth.pages.front();
    const double k = dpi / 300.0;
    EXPECT_GE(page.width, 2400 * k - 1);
    EXPECT_LE(page.width, 3300 * k + 1);
    const double aspect = static_cast<double>(page.height) / page.width;
    EXPECT_GE(aspect, 1.49);
    EXPECT_LE(aspect, 1.61);
    EXPECT_EQ(page.dpi, dpi);
    EXPECT_EQ(issue->pages.front().scan.cols, page.width);
    ASSERT_FALSE(page.regions.empty());
    EXPECT_EQ(page.regions.front().kind, RegionKind::Masthead);
    EXPECT_NE(page.regions.front().text.find(*issue->truth.issue.newspaper), std::string::npos);
  }
}

// ---- truth text -----------------------------------------------------------------------------

TEST(SynthTruth, RegionsAreNumberedInReadingOrderAndPageTextFollowsThem) {
  for (const RenderedIssue* issue : {&straight_issue(), &skewed_issue()}) {
    for (const Page& page : issue->truth.pages) {
      ASSERT_FALSE(page.regions.empty());
      EXPECT_EQ(page.regions.front().kind,
                page.page == 1 ? RegionKind::Masthead : RegionKind::Header);
      std::string text;
      for (size_t k = 0; k < page.regions.size(); ++k) {
        const Region& r = page.regions[k];
        EXPECT_EQ(r.id, "p" + std::to_string(page.page) + "-r" + std::to_string(k + 1));
        EXPECT_EQ(r.direction, Direction::Horizontal);
        EXPECT_EQ(r.article_id.has_value(), r.kind != RegionKind::Masthead &&
                                                r.kind != RegionKind::Header &&
                                                r.kind != RegionKind::Advert)
            << r.id;
        if (!r.text.empty()) text += (text.empty() ? "" : "\n") + r.text;
      }
      EXPECT_EQ(page.text, text);
    }
  }
}

TEST(SynthTruth, ArticleTextIsItsPartsJoined) {
  for (const RenderedIssue* issue : {&straight_issue(), &skewed_issue()}) {
    std::set<std::string> ids;
    for (const Article& a : issue->truth.articles) {
      EXPECT_TRUE(ids.insert(a.id).second) << "duplicate " << a.id;
      ASSERT_FALSE(a.parts.empty()) << a.id;
      EXPECT_FALSE(a.text.empty()) << a.id;
      std::string joined;
      std::vector<int> pages;
      for (const ArticlePart& part : a.parts) {
        joined += part.text;
        pages.push_back(part.page);
        const Page* page = find_page(issue->truth, part.page);
        ASSERT_NE(page, nullptr);
        std::string body;
        for (const std::string& id : part.region_ids) {
          const Region* r = find_region(*page, id);
          ASSERT_NE(r, nullptr) << id;
          EXPECT_EQ(r->article_id, a.id) << id;
          if (r->kind == RegionKind::Body) body += r->text;
        }
        // The body regions print the part's text (line breaks may drop a space).
        auto squash = [](std::string s) {
          s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == ' '; }),
                  s.end());
          return s;
        };
        if (a.kind == ArticleKind::Article) {
          EXPECT_EQ(squash(body), squash(part.text)) << a.id;
        }
      }
      EXPECT_EQ(without_newlines(joined), without_newlines(a.text)) << a.id;
      EXPECT_EQ(a.pages, pages) << a.id;
      std::string paragraphs;
      for (size_t i = 0; i < a.paragraphs.size(); ++i)
        paragraphs += (i ? "\n" : "") + a.paragraphs[i];
      EXPECT_EQ(paragraphs, a.text) << a.id;
      if (a.kind == ArticleKind::Caption) {
        ASSERT_TRUE(a.credit && a.byline) << a.id;
        EXPECT_EQ(*a.credit, *a.byline + "攝");
        EXPECT_FALSE(a.headline.has_value());
      }
    }
  }
}

TEST(SynthTruth, JumpsAreReciprocated) {
  const std::regex jump_re("（(下轉|上接)第(.+)版）");
  int continuations = 0;
  for (const RenderedIssue* issue : {&straight_issue(), &skewed_issue()}) {
    std::map<std::string, const Article*> articles;
    for (const Article& a : issue->truth.articles) articles[a.id] = &a;
    std::map<std::string, int> jump_lines;
    for (const Page& page : issue->truth.pages) {
      for (const Region& r : page.regions) {
        if (r.kind != RegionKind::Jump) continue;
        std::smatch m;
        ASSERT_TRUE(std::regex_match(r.text, m, jump_re)) << r.text;
        const Article& a = *articles.at(*r.article_id);
        int target = 0;
        for (int n = 1; n < 20; ++n)
          if (chinese_number(n) == m[2].str()) target = n;
        ASSERT_GT(target, 0) << r.text;
        EXPECT_NE(std::find(a.pages.begin(), a.pages.end(), target), a.pages.end())
            << a.id << " has no part on page " << target;
        if (m[1] == "下轉") {
          const Continuation c{page.page, target, jump_marker("下轉", target)};
          EXPECT_NE(std::find(a.continuations.begin(), a.continuations.end(), c),
                    a.continuations.end())
              << a.id;
          EXPECT_GT(target, page.page);
        } else {
          EXPECT_LT(target, page.page);
        }
        ++jump_lines[a.id];
      }
    }
    for (const Article& a : issue->truth.articles) {
      EXPECT_EQ(a.continuations.size() + 1, a.parts.size()) << a.id;
      // Each continuation prints a 下轉 line and a 上接 line.
      EXPECT_EQ(jump_lines[a.id], static_cast<int>(2 * a.continuations.size())) << a.id;
      continuations += static_cast<int>(a.continuations.size());
    }
  }
  EXPECT_GE(continuations, 2);
}

// ---- spec issues ----------------------------------------------------------------------------

nlohmann::json small_spec() {
  return nlohmann::json::parse(R"({
    "paper": "test-ribao", "date": "2025-08-07",
    "issue": { "newspaper": "測試日報", "newspaper_latin": "CESHI RIBAO", "date": "2025-08-07",
               "number": 100, "page_count": 2, "serial": "CN00—0000",
               "organ": "測試機關報", "publisher": "測試出版" },
    "pages": [ { "page": 1, "section_name": null }, { "page": 2, "section_name": "要聞" } ],
    "articles": [
      { "id": "a1", "kind": "article", "kicker": "引題在此", "headline": "第一篇文章的標題",
        "headline_deck2": "第二行標題", "subheadline": "——副題", "byline": "郁靜 子煜",
        "parts": [ { "page": 1, "paragraphs": ["本報訊 第一段。第一段第二句。", "第二段文字，內容較長，用來檢查分欄與對齊是否正確。"] },
                   { "page": 2, "headline": "第一篇文章的標題", "continues_paragraph": true,
                     "paragraphs": ["接續的句子。", "最後一段。"] } ] },
      { "id": "c1", "kind": "caption", "credit": "張澤慧攝", "photo": true,
        "parts": [ { "page": 1, "paragraphs": ["8月6日，光伏板整齊排列在屋頂上。"] } ] },
      { "id": "a2", "kind": "article", "headline": "第二篇", "section": "強信心 抓落實",
        "parts": [ { "page": 2, "paragraphs": ["本報訊 只有一段的短文章，內容簡單明瞭。"] } ] } ] })");
}

TEST(SynthSpec, RendersTheGivenContent) {
  auto spec = issue_spec_from_json(small_spec());
  ASSERT_TRUE(spec) << spec.error().describe();
  Options o;
  o.seed = 9;
  o.dpi = 100;
  auto issue = render_spec_issue(*spec, o);
  ASSERT_TRUE(issue) << issue.error().describe();
  const Issue& t = issue->truth;
  EXPECT_EQ(t.issue.id, "test-ribao/2025-08-07");
  EXPECT_EQ(t.issue.number, 100);
  EXPECT_EQ(t.issue.weekday, "星期四");
  EXPECT_EQ(t.issue.lunar_date, "乙巳年閏六月十四");
  ASSERT_EQ(t.pages.size(), 2u);
  ASSERT_EQ(t.articles.size(), 3u);
  const Article& a1 = t.articles[0];
  EXPECT_EQ(a1.headline, "第一篇文章的標題 第二行標題");
  EXPECT_EQ(a1.kicker, "引題在此");
  EXPECT_EQ(a1.subheadline, "——副題");
  EXPECT_EQ(a1.byline, "郁靜 子煜");
  EXPECT_EQ(
      a1.text,
      "本報訊 "
      "第一段。第一段第二句。\n第二段文字，內容較長，用來檢查分欄與對齊是否正確。接續的句子。\n"
      "最後一段。");
  ASSERT_EQ(a1.continuations.size(), 1u);
  EXPECT_EQ(a1.continuations[0], (Continuation{1, 2, "下轉第二版"}));
  ASSERT_EQ(a1.parts.size(), 2u);
  EXPECT_EQ(a1.parts[1].text, "接續的句子。\n最後一段。");
  const Article& c1 = t.articles[1];
  EXPECT_EQ(c1.kind, ArticleKind::Caption);
  EXPECT_EQ(c1.byline, "張澤慧");
  EXPECT_EQ(c1.text, "8月6日，光伏板整齊排列在屋頂上。");
  EXPECT_EQ(t.articles[2].section, "強信心 抓落實");
  // The caption region prints the credit; the photo sits above it.
  bool caption = false;
  bool photo = false;
  for (const Region& r : t.pages[0].regions) {
    if (r.kind == RegionKind::Caption) {
      caption = true;
      EXPECT_NE(r.text.find("張澤慧攝"), std::string::npos);
    }
    photo = photo || r.kind == RegionKind::Photo;
  }
  EXPECT_TRUE(caption && photo);
  EXPECT_NE(t.pages[0].text.find("（下轉第二版）"), std::string::npos);
  EXPECT_NE(t.pages[1].text.find("（上接第一版）"), std::string::npos);
  EXPECT_EQ(t.pages[1].regions.front().kind, RegionKind::Header);
  EXPECT_NE(t.pages[1].regions.front().text.find("要聞"), std::string::npos);
}

TEST(SynthSpec, ErrorsNameTheField) {
  nlohmann::json j = small_spec();
  j["articles"][0]["parts"][1]["page"] = 7;
  auto spec = issue_spec_from_json(j);
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().message.find("articles[0].parts[1].page"), std::string::npos)
      << spec.error().message;
  j = small_spec();
  j.erase("issue");
  spec = issue_spec_from_json(j);
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().message.find("issue"), std::string::npos);
}

// ---- calendar -------------------------------------------------------------------------------

TEST(SynthContent, CalendarStrings) {
  EXPECT_EQ(lunar_date({2025, 8, 7}), "乙巳年閏六月十四");
  EXPECT_EQ(weekday_name({2025, 8, 7}), "星期四");
  EXPECT_EQ(chinese_number(3), "三");
  EXPECT_EQ(chinese_number(10), "十");
  EXPECT_EQ(chinese_number(14), "十四");
  EXPECT_EQ(jump_marker("下轉", 3), "下轉第三版");
  EXPECT_EQ(iso_date(add_days({2024, 2, 28}, 2)), "2024-03-01");
}

TEST(SynthContent, DatelinesAreStrippedFromLaterParagraphs) {
  EXPECT_EQ(strip_dateline("本報訊 3月12日，市政府召開會議。"), "3月12日，市政府召開會議。");
  EXPECT_EQ(strip_dateline("新華社北京8月6日電（記者 周凡）中共中央辦公廳印發通知。"),
            "中共中央辦公廳印發通知。");
  EXPECT_EQ(strip_dateline("市領導參加。"), "市領導參加。");
}

}  // namespace
}  // namespace broadsheet::synth
