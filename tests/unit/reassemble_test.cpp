#include "reassemble/reassemble.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "reassemble/byline.hpp"
#include "reassemble/metadata.hpp"

namespace broadsheet::reassemble {
namespace {

// ---------------------------------------------------------------------------------------------
// Builders: small pages laid out like a 300 dpi broadsheet — body characters 30 px, columns 420
// px wide with 42 px gutters, lines 44 px apart.

constexpr int kChar = 30;
constexpr int kPitch = 44;
constexpr int kColumn = 420;
constexpr int kGutter = 42;

int column_x(int column) {
  return 100 + column * (kColumn + kGutter);
}

Region region(std::string id, RegionKind kind, Box box, std::string text) {
  Region r;
  r.id = std::move(id);
  r.kind = kind;
  r.bbox = box;
  r.text = std::move(text);
  r.confidence = 0.9;
  return r;
}

/// A one-line display region (headline, kicker, jump, byline) of `chars_px` characters.
Region line(std::string id, RegionKind kind, int x, int y, std::string text, int chars_px = kChar) {
  const auto n = static_cast<int>(text::to_u32(text).size());
  Region r = region(std::move(id), kind, {x, y, n * chars_px, chars_px}, text);
  r.lines.push_back({r.bbox, r.text, 0.9});
  return r;
}

/// A body column set 14 characters a line with line boxes: `indent` (the first line starts a
/// paragraph, two characters in) and `short_end` (the last line ends one, short) give the
/// paragraph cues.
Region column(std::string id, int col, int y, const std::string& text, bool indent,
              bool short_end) {
  const std::u32string u = text::to_u32(text);
  std::vector<Line> lines;
  std::size_t at = 0;
  for (int k = 0; at < u.size(); ++k) {
    const std::size_t n = std::min<std::size_t>(k == 0 && indent ? 12 : 14, u.size() - at);
    const int x = column_x(col) + (k == 0 && indent ? 2 * kChar : 0);
    const bool last = at + n >= u.size();
    const int full = column_x(col) + kColumn - x;
    const int w = last && short_end ? std::min(full / 2, static_cast<int>(n) * kChar) : full;
    lines.push_back({{x, y + k * kPitch, w, kChar}, text::to_utf8(u.substr(at, n)), 0.9});
    at += n;
  }
  const int h = (static_cast<int>(lines.size()) - 1) * kPitch + kChar;
  Region r = region(std::move(id), RegionKind::Body, {column_x(col), y, kColumn, h}, text);
  r.lines = std::move(lines);
  return r;
}

/// The region with one line, its own box and text.
Region set_line(Region r) {
  r.lines = {{r.bbox, r.text, 0.9}};
  return r;
}

Page page(int scan_index, std::vector<Region> regions) {
  Page p;
  p.scan_index = scan_index;
  p.page = scan_index + 1;
  p.width = 3000;
  p.height = 4800;
  for (const Region& r : regions) p.text += (p.text.empty() ? "" : "\n") + r.text;
  p.regions = std::move(regions);
  return p;
}

Region header(std::string id, int number) {
  return line(std::move(id), RegionKind::Header, 100, 100,
              "第" + std::to_string(number) + "版  陽泉日報 要聞 2025年8月7日  星期四");
}

const Article* find_article(const Issue& issue, std::string_view headline_part) {
  for (const Article& a : issue.articles)
    if (a.headline && a.headline->find(headline_part) != std::string::npos) return &a;
  return nullptr;
}

Issue run(Issue in, const Options& options = {}) {
  auto out = reassemble_issue(std::move(in), options);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().describe());
  return out ? *out : Issue{};
}

// ---------------------------------------------------------------------------------------------

TEST(ReassembleTest, JoinsColumnsAcrossASentenceBreakWithNothingInserted) {
  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, 300, 500, "雷健坤調研重點項目建設", 70),
          column("p1-r2", 0, 620,
                 "本報訊 8月6日，市委書記雷健坤深入郊區調研。雷健坤還就中心醫院周邊", true, false),
          column("p1-r3", 1, 620, "配套、生態新城路網建設等，聽取相關負責人匯報。", false, true),
          line("p1-r4", RegionKind::Byline, 700, 800, "（郁靜 子煜）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.headline, "雷健坤調研重點項目建設");
  EXPECT_EQ(a.byline, "郁靜 子煜");
  EXPECT_NE(a.text.find("周邊配套"), std::string::npos) << a.text;
  EXPECT_EQ(
      a.text,
      "本報訊 8月6日，市委書記雷健坤深入郊區調研。雷健坤還就中心醫院周邊配套、生態新城路網建設"
      "等，聽取相關負責人匯報。");
  EXPECT_EQ(a.paragraphs.size(), 1u);
  ASSERT_EQ(a.parts.size(), 1u);
  EXPECT_EQ(a.parts[0].region_ids, (std::vector<std::string>{"p1-r1", "p1-r2", "p1-r3", "p1-r4"}));
  EXPECT_EQ(a.parts[0].bbox,
            unite(unite(in.pages[0].regions[0].bbox, in.pages[0].regions[1].bbox),
                  unite(in.pages[0].regions[2].bbox, in.pages[0].regions[3].bbox)));
  for (const Region& r : out.pages[0].regions) EXPECT_EQ(r.article_id, a.id) << r.id;
}

TEST(ReassembleTest, KeepsParagraphsWhereAColumnStartsOne) {
  Issue in;
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, 300, 500, "全市防汛工作調度會召開", 70),
               column("p1-r2", 0, 620, "本報訊 8月6日，市防汛抗旱指揮部召開調度會。", true, true),
               column("p1-r3", 1, 620, "會議要求，要壓緊壓實責任。", true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].text,
            "本報訊 8月6日，市防汛抗旱指揮部召開調度會。\n會議要求，要壓緊壓實責任。");
  EXPECT_EQ(out.articles[0].paragraphs.size(), 2u);
}

/// Page 1 with one article that jumps to `to`; a continuation page with the repeated headline.
Issue two_page_issue() {
  Issue in;
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, 300, 500, "“小托管”托起職工“大幸福”", 70),
               column("p1-r2", 0, 620, "暑假來臨，職工家庭面臨孩子無處", true, false),
               line("p1-r3", RegionKind::Jump, 300, 820, "（下轉第二版）")}));
  in.pages.push_back(
      page(1, {header("p2-r1", 2),
               line("p2-r2", RegionKind::Headline, 300, 300, "“小托管”托起職工“大幸福”", 60),
               line("p2-r3", RegionKind::Jump, 100, 380, "（上接第一版）"),
               column("p2-r4", 0, 430, "可去、家長看護難等問題。", false, true),
               line("p2-r5", RegionKind::Byline, 300, 600, "（本報記者 郝文傑）")}));
  return in;
}

TEST(ReassembleTest, LinksATwoPageContinuation) {
  const Issue out = run(two_page_issue());
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.pages, (std::vector<int>{1, 2}));
  ASSERT_EQ(a.continuations.size(), 1u);
  EXPECT_EQ(a.continuations[0], (Continuation{1, 2, "下轉第二版"}));
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[0].page, 1);
  EXPECT_EQ(a.parts[1].page, 2);
  EXPECT_EQ(a.parts[0].text, "暑假來臨，職工家庭面臨孩子無處");
  EXPECT_EQ(a.parts[1].text, "可去、家長看護難等問題。");
  EXPECT_EQ(a.parts[1].region_ids, (std::vector<std::string>{"p2-r2", "p2-r3", "p2-r4", "p2-r5"}));
  // The continuation goes on with the cut paragraph: joined with nothing in between.
  EXPECT_EQ(a.text, "暑假來臨，職工家庭面臨孩子無處可去、家長看護難等問題。");
  EXPECT_EQ(a.byline, "本報記者 郝文傑");
  EXPECT_EQ(a.headline, "“小托管”托起職工“大幸福”");
  EXPECT_FALSE(out.pages[1].regions[0].article_id.has_value());  // the running header
}

TEST(ReassembleTest, LinksAJumpLineLeftInsideTheBody) {
  Issue in = two_page_issue();
  // Segment did not split either jump line from its column.
  Region& body1 = in.pages[0].regions[1];
  body1.text += "（下轉第二版）";
  in.pages[0].regions.erase(in.pages[0].regions.begin() + 2);
  Region& body2 = in.pages[1].regions[3];
  body2.text = "(上接第一版)" + body2.text;
  in.pages[1].regions.erase(in.pages[1].regions.begin() + 2);
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(out.articles[0].text, "暑假來臨，職工家庭面臨孩子無處可去、家長看護難等問題。");
}

TEST(ReassembleTest, LinksAChainOverThreePages) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, 300, 500, "全市經濟運行穩中有進", 70),
       column("p1-r2", 0, 620, "本報訊 上半年，全市地區生產總值", true, false),
       line("p1-r3", RegionKind::Jump, 300, 820, "（下轉第二版）"),
       line("p1-r4", RegionKind::Headline, 300, 1500, "市區新開通3條公交線路", 70),
       column("p1-r5", 0, 1600, "本報訊 為方便市民出行，市公交公司新開通3條線路。", true, true)}));
  in.pages.push_back(
      page(1, {header("p2-r1", 2), line("p2-r2", RegionKind::Jump, 100, 300, "（上接第一版）"),
               column("p2-r3", 0, 350, "同比增長5.1%，增速高於全省平均", false, false),
               line("p2-r4", RegionKind::Jump, 300, 550, "（下轉第三版）")}));
  in.pages.push_back(page(
      2, {header("p3-r1", 3), line("p3-r2", RegionKind::Headline, 300, 300, "全市經濟運行", 60),
          line("p3-r3", RegionKind::Jump, 100, 380, "（上接第二版）"),
          column("p3-r4", 0, 430, "水平0.6個百分點。", false, true),
          line("p3-r5", RegionKind::Byline, 300, 600, "（郭 贊）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* a = find_article(out, "經濟運行");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->pages, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(a->continuations.size(), 2u);
  EXPECT_EQ(a->continuations[0], (Continuation{1, 2, "下轉第二版"}));
  EXPECT_EQ(a->continuations[1], (Continuation{2, 3, "下轉第三版"}));
  EXPECT_EQ(a->headline, "全市經濟運行穩中有進");
  EXPECT_EQ(a->byline, "郭 贊");
  EXPECT_EQ(text::comparable(a->text),
            text::comparable(
                "本報訊 上半年，全市地區生產總值同比增長5.1%，增速高於全省平均水平0.6個百分點。"));
  // Reading order: the article that starts first comes first.
  EXPECT_EQ(out.articles[0].id, "a1");
  EXPECT_EQ(out.articles[0].headline, "全市經濟運行穩中有進");
}

TEST(ReassembleTest, KeepsAndFlagsAJumpToAPageMissingFromTheScans) {
  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, 300, 500, "《整治形式主義為基層減負若干規定》", 70),
          column("p1-r2", 0, 620, "新華社北京8月6日電 中共中央辦公廳、國務院辦公廳印發了", true,
                 false),
          line("p1-r3", RegionKind::Jump, 300, 820, "（下轉第三版）")}));
  in.pages.push_back(page(1, {header("p2-r1", 2)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.pages, (std::vector<int>{1, 3}));
  ASSERT_EQ(a.continuations.size(), 1u);
  EXPECT_EQ(a.continuations[0], (Continuation{1, 3, "下轉第三版"}));
  ASSERT_TRUE(a.extra.contains("missing_continuation"));
  EXPECT_EQ(a.extra["missing_continuation"], nlohmann::json::array({3}));
  ASSERT_EQ(a.parts.size(), 1u);

  Options drop;
  drop.keep_missing_continuations = false;
  const Issue dropped = run(in, drop);
  ASSERT_EQ(dropped.articles.size(), 1u);
  EXPECT_TRUE(dropped.articles[0].continuations.empty());
}

TEST(ReassembleTest, LinksTwoContinuationsOnOnePageByTheirHeadlines) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, 300, 500, "娘子關景區單日接待遊客突破1.5萬人次", 70),
       column("p1-r2", 0, 620, "本報訊 8月5日，記者從平定縣文化和旅遊局獲悉，", true, false),
       line("p1-r3", RegionKind::Jump, 300, 820, "（下轉第二版）"),
       line("p1-r4", RegionKind::Headline, 300, 1500, "我市秋糧田間管理全面展開", 70),
       column("p1-r5", 0, 1600, "本報訊 立秋將至，正值秋糧作物生長關鍵期。連日來，", true, false),
       line("p1-r6", RegionKind::Jump, 300, 1800, "（下轉第二版）")}));
  // On page 2 the second article's continuation comes first.
  in.pages.push_back(page(
      1, {header("p2-r1", 2), line("p2-r2", RegionKind::Headline, 300, 300, "我市秋糧田間管理", 60),
          line("p2-r3", RegionKind::Jump, 100, 380, "（上接第一版）"),
          column("p2-r4", 0, 430, "我市各縣區組織農技人員深入田間地頭。", false, true),
          line("p2-r5", RegionKind::Headline, 300, 1300, "娘子關景區單日接待遊客", 60),
          line("p2-r6", RegionKind::Jump, 100, 1380, "（上接第一版）"),
          column("p2-r7", 0, 1430, "進入暑期以來，景區遊客接待量持續攀升。", false, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* tourism = find_article(out, "娘子關");
  const Article* harvest = find_article(out, "秋糧");
  ASSERT_NE(tourism, nullptr);
  ASSERT_NE(harvest, nullptr);
  ASSERT_EQ(tourism->parts.size(), 2u);
  ASSERT_EQ(harvest->parts.size(), 2u);
  EXPECT_EQ(tourism->parts[1].region_ids, (std::vector<std::string>{"p2-r5", "p2-r6", "p2-r7"}));
  EXPECT_EQ(harvest->parts[1].region_ids, (std::vector<std::string>{"p2-r2", "p2-r3", "p2-r4"}));
  EXPECT_NE(tourism->text.find("獲悉，進入暑期以來"), std::string::npos) << tourism->text;
}

TEST(ReassembleTest, MakesACaptionArticleWithItsPhotoAndCredit) {
  Issue in;
  Region photo = region("p1-r1", RegionKind::Photo, {1500, 700, 900, 550}, "");
  Region caption =
      region("p1-r2", RegionKind::Caption, {1500, 1270, 900, 130},
             "8月6日，陽泉高新區智能制造產業園，連片的光伏板整齊排列在標準化廠房的屋頂上。"
             "\u3000張澤慧攝");
  in.pages.push_back(page(0, {photo, caption}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.kind, ArticleKind::Caption);
  EXPECT_FALSE(a.headline.has_value());
  EXPECT_EQ(a.credit, "張澤慧攝");
  EXPECT_EQ(a.byline, "張澤慧");
  EXPECT_EQ(a.text, "8月6日，陽泉高新區智能制造產業園，連片的光伏板整齊排列在標準化廠房的屋頂上。");
  ASSERT_EQ(a.parts.size(), 1u);
  EXPECT_EQ(a.parts[0].region_ids, (std::vector<std::string>{"p1-r1", "p1-r2"}));
  EXPECT_EQ(out.pages[0].regions[0].article_id, a.id);
}

TEST(ReassembleTest, RecordsASectionKickerOverAGroupOfArticles) {
  Issue in;
  // Two kickers over a headline: the first is the section label, the second the story's own.
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Kicker, 100, 400, "強信心 抓落实 十大戰略進行時", 40),
          line("p1-r2", RegionKind::Kicker, 400, 460, "總投資86.5億元", 40),
          line("p1-r3", RegionKind::Headline, 300, 510, "星火弘源活性氧化鈣項目周轉宿舍區主體完工",
               60),
          column("p1-r4", 0, 600, "本報訊 日前，記者從項目部了解到，周轉宿舍區主體已全部完工。",
                 true, true),
          line("p1-r5", RegionKind::Byline, 300, 780, "（張泉東 李超）"),
          line("p1-r6", RegionKind::Headline, 300, 900, "鴻振鋅業技術改造項目（一期）推進過半", 60),
          column("p1-r7", 0, 1000, "本報訊 日前，記者從平定縣鴻振鋅業有限公司了解到。", true, true),
          line("p1-r8", RegionKind::Byline, 300, 1180, "（張泉東）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  EXPECT_EQ(out.articles[0].section, "強信心 抓落实 十大戰略進行時");
  EXPECT_EQ(out.articles[0].kicker, "總投資86.5億元");
  EXPECT_EQ(out.articles[1].section, "強信心 抓落实 十大戰略進行時");
  EXPECT_FALSE(out.articles[1].kicker.has_value());
  EXPECT_EQ(out.articles[1].headline, "鴻振鋅業技術改造項目（一期）推進過半");
  EXPECT_EQ(out.articles[1].byline, "張泉東");
}

TEST(ReassembleTest, TellsAKickerFromAHeadlineByTypeSize) {
  Issue in;
  // Segment named both blocks "headline"; the first is set in much smaller type.
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, 400, 400, "暑期文旅市場持續升溫", 40),
          line("p1-r2", RegionKind::Headline, 300, 450, "娘子關景區單日接待遊客突破1.5萬人次", 70),
          column("p1-r3", 0, 560, "本報訊 8月5日，記者從平定縣文化和旅遊局獲悉。", true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].kicker, "暑期文旅市場持續升溫");
  EXPECT_EQ(out.articles[0].headline, "娘子關景區單日接待遊客突破1.5萬人次");
}

TEST(ReassembleTest, TextDecidesOverTheRegionKind) {
  Issue in = two_page_issue();
  in.pages[0].regions[2].kind = RegionKind::Byline;  // （下轉第二版） named a byline
  in.pages[1].regions[4].kind = RegionKind::Jump;    // （本報記者 郝文傑） named a jump
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(out.articles[0].byline, "本報記者 郝文傑");
}

TEST(ReassembleTest, KeepsDatelinesInTheText) {
  Issue in;
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, 300, 500, "全國暑期鐵路客流持續高位運行", 70),
               column("p1-r2", 0, 620,
                      "新華社北京8月6日電（記者周凡）記者6日從中國國家鐵路集團有限公司獲悉。", true,
                      true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].text.rfind("新華社北京8月6日電（記者周凡）", 0), 0u);
  EXPECT_FALSE(out.articles[0].byline.has_value());
}

TEST(ReassembleTest, JoinsColumnsAroundAHeadlineSetInsideTheArticle) {
  Issue in;
  // The seed's 《若干規定》: its first columns stand before the headline in reading order.
  in.pages.push_back(page(
      0, {column("p1-r1", 0, 600, "新華社北京8月6日電 中共中央辦公廳印發了規定。堅持“短實新”文",
                 true, false),
          line("p1-r2", RegionKind::Headline, 600, 500, "《整治形式主義為基層減負若干規定》", 70),
          column("p1-r3", 1, 600, "風，除部署綜合性工作外，地方和部門文件一般不超過5000字。", false,
                 true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].headline, "《整治形式主義為基層減負若干規定》");
  EXPECT_NE(out.articles[0].text.find("文風，"), std::string::npos) << out.articles[0].text;
}

// ---- what segment gets wrong on real scans (seen on scans/ through the layout pipeline) ------

TEST(ReassembleTest, OrdersColumnsByGeometryWhenTheReadingOrderIsOff) {
  Issue in;
  // Segment read the third column before the second, and a paragraph number after its line.
  Region number = region("p1-r5", RegionKind::Body, {column_x(1) + 10, 625, 40, 24}, "3.");
  number.lines.push_back({number.bbox, number.text, 0.9});
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, 300, 500, "王琳玉帶隊專題調研耐火產業提質增效工作", 70),
       column("p1-r2", 0, 620, "本報訊 為深入貫徹落實重要講話精神，調研組一行走進", true, false),
       column("p1-r3", 2, 620, "不斷提高產業集中度，切實提升企業的抗風險能力。", false, true),
       column("p1-r4", 1, 620, "生產車間實地察看，與企業負責人交流。加強制度建設，", false, false),
       number, line("p1-r6", RegionKind::Byline, 1100, 800, "（薄紅貞）")}));
  in.pages[0].regions[4].bbox.x = column_x(1) - 50;  // the number stands left of its line
  in.pages[0].regions[3].bbox.y = 626;
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(text::comparable(out.articles[0].text),
            text::comparable(
                "本報訊 為深入貫徹落實重要講話精神，調研組一行走進3.生產車間實地察看，與企業負責人"
                "交流。加強制度建設，不斷提高產業集中度，切實提升企業的抗風險能力。"));
  // The page's text follows the article, not segment's order (DESIGN.md "page CER").
  EXPECT_EQ(
      text::comparable(out.pages[0].text),
      text::comparable("王琳玉帶隊專題調研耐火產業提質增效工作"
                       "本報訊 為深入貫徹落實重要講話精神，調研組一行走進3.生產車間實地察看，"
                       "與企業負責人交流。加強制度建設，不斷提高產業集中度，切實提升企業的抗風"
                       "險能力。（薄紅貞）"));
}

TEST(ReassembleTest, ReadsABylineRegionWhoseBracketsOcrMisread) {
  // Segment found the byline line; OCR read its brackets as junk and a comma.
  for (const char* printed : {"+孫靜超王軍卻，", "（梁洋徐華，)", "趙澤瑞。"}) {
    Issue in;
    in.pages.push_back(
        page(0, {line("p1-r1", RegionKind::Headline, 300, 500, "褐馬雞重現太行林海", 70),
                 column("p1-r2", 0, 620, "成為中外文化交流史上的一段佳話。", true, true),
                 line("p1-r3", RegionKind::Byline, 300, 700, printed)}));
    const Issue out = run(in);
    ASSERT_EQ(out.articles.size(), 1u) << printed;
    ASSERT_TRUE(out.articles[0].byline.has_value()) << printed;
    EXPECT_EQ(text::comparable(out.articles[0].text),
              text::comparable("成為中外文化交流史上的一段佳話。"))
        << printed;
  }
  // A sentence in a region segment took for a byline stays text.
  Issue in;
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, 300, 500, "褐馬雞重現太行林海", 70),
               column("p1-r2", 0, 620, "成為中外文化交流史上的一段佳話。", true, true),
               line("p1-r3", RegionKind::Byline, 300, 700, "市場供應充足，")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_NE(out.articles[0].text.find("供應充足"), std::string::npos)
      << out.articles[0].text << " | " << out.articles[0].byline.value_or("-") << " | "
      << out.pages[0].text;
}

TEST(ReassembleTest, JoinsTheFirstColumnOfAContinuationReadAfterTheOthers) {
  Issue in = two_page_issue();
  // On page 2 segment read the repeated headline and columns 2-3 first, then the jump line and
  // column 1.
  Page& p2 = in.pages[1];
  p2.regions = {
      header("p2-r1", 2),
      line("p2-r2", RegionKind::Headline, 300, 300, "“小托管”托起職工“大幸福”", 60),
      column("p2-r3", 1, 430, "和餐食留樣等制度，並為每名參加托管的孩子購買了意外", false, false),
      column("p2-r4", 2, 430, "傷害保險。家長們的認可，是對托管工作最好的肯定。", false, true),
      line("p2-r5", RegionKind::Jump, 100, 380, "（上接第一版）"),
      column("p2-r6", 0, 430, "可去、家長看護難等問題。各托管班均制定了接送登記、晨午檢", false,
             false)};
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[1].region_ids.size(), 5u);
  EXPECT_EQ(
      text::comparable(a.parts[1].text),
      text::comparable(
          "可去、家長看護難等問題。各托管班均制定了接送登記、晨午檢和餐食留樣等制度，並為每名參加"
          "托管的孩子購買了意外傷害保險。家長們的認可，是對托管工作最好的肯定。"));
}

TEST(ReassembleTest, ReadsAJumpLineReadWithTheColumnsAboveItAtTheHeadOfItsContinuation) {
  Issue in = two_page_issue();
  // Page 2: a story on columns 0-1, and under it the continuation without a repeated headline,
  // its second column set higher than the first (which the jump line heads). Segment read the
  // jump line with the story above, then a story on the right, then the continuation's columns.
  Page& p2 = in.pages[1];
  p2.regions = {
      header("p2-r1", 2),
      line("p2-r2", RegionKind::Headline, 300, 300, "桃河濕地觀鳥正當時", 60),
      column("p2-r3", 0, 400,
             "本報訊 近日，桃河濕地迎來大批候鳥，吸引市民前來觀賞。濕地管護人員介紹，今年", true,
             false),
      column("p2-r4", 1, 400, "到此越冬的候鳥有三十多種。", false, true),
      line("p2-r5", RegionKind::Jump, 100, 600, "（上接第一版）"),
      line("p2-r6", RegionKind::Headline, column_x(4), 300, "國學課堂誦讀經典", 60),
      column("p2-r7", 4, 400, "本報訊 郊區一所小學開設國學課堂，學生每天誦讀經典，書香滿校園。",
             true, true),
      column("p2-r8", 1, 600,
             "托管的孩子購買了意外傷害保險。家長們的認可，是對托管工作最好的肯定。", false, true),
      column(
          "p2-r9", 0, 650,
          "可去、家長看護難等問題。各托管班均制定了接送登記、晨午檢和餐食留樣等制度，並為每名參加",
          false, false)};
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 3u);
  const Article* a = find_article(out, "小托管");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->parts.size(), 2u);
  std::vector<std::string> ids = a->parts[1].region_ids;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"p2-r5", "p2-r8", "p2-r9"}));
  EXPECT_EQ(
      text::comparable(a->text),
      text::comparable("暑假來臨，職工家庭面臨孩子無處可去、家長看護難等問題。各托管班均制定了"
                       "接送登記、晨午檢和餐食留樣等制度，並為每名參加托管的孩子購買了意外傷害"
                       "保險。家長們的認可，是對托管工作最好的肯定。"));
  const Article* other = find_article(out, "國學課堂");
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(other->continuations.empty());
  EXPECT_EQ(other->pages, (std::vector<int>{2}));
}

// A continuation that repeats its article's headline over its columns, the （上接…） line over a
// column on the left of the headline, that column ending a paragraph at its foot, and segment
// reading the jump line and its column after the others (dev seed 95 p3): the jump line's column
// and the columns under the headline are one part of the article, the jump line's first.
TEST(ReassembleTest, JoinsAContinuationsJumpColumnToTheColumnsUnderItsRepeatedHeadline) {
  Issue in = two_page_issue();
  Page& p2 = in.pages[1];
  p2.regions = {
      header("p2-r1", 2),
      line("p2-r2", RegionKind::Headline, column_x(1) + 100, 300, "“小托管”托起職工“大幸福”", 60),
      column("p2-r3", 1, 400, "家長們的認可，是對托管工作最好的肯定。今年全市共開設托管班三十個，",
             true, false),
      column("p2-r4", 2, 400, "服務職工子女一千餘人。", false, true),
      line("p2-r5", RegionKind::Jump, column_x(0) + 200, 400, "（上接第一版）"),
      column("p2-r6", 0, 450, "可去、家長看護難等問題。各托管班均制定了接送登記制度。", false,
             true)};
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.pages, (std::vector<int>{1, 2}));
  ASSERT_EQ(a.parts.size(), 2u);
  std::vector<std::string> ids = a.parts[1].region_ids;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"p2-r2", "p2-r3", "p2-r4", "p2-r5", "p2-r6"}));
  EXPECT_EQ(
      text::comparable(a.text),
      text::comparable("暑假來臨，職工家庭面臨孩子無處可去、家長看護難等問題。各托管班均制定了"
                       "接送登記制度。家長們的認可，是對托管工作最好的肯定。今年全市共開設"
                       "托管班三十個，服務職工子女一千餘人。"));
}

// Segment cut a column at a paragraph gap and read its lower half after the headline of the story
// beside it (dev seed 97 p3, seed 73 p2): the lower half, outside that headline's columns and
// right under the column's upper half, goes back to the upper half's story.
TEST(ReassembleTest, GivesALowerHalfReadAfterTheNextHeadlineBackToItsColumn) {
  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, column_x(0) + 100, 300, "桃河濕地觀鳥正當時", 60),
          column("p1-r2", 0, 400,
                 "本報訊 近日，桃河濕地迎來大批候鳥，吸引市民前來觀賞。濕地管護人員介紹，今年到此越"
                 "冬的候鳥有三十多種，",
                 true, false),
          column("p1-r3", 1, 400,
                 "其中不乏國家重點保護鳥類。管護人員每天巡護濕地，記錄鳥類的種類和數量，為保護工作"
                 "提供依據。",
                 false, true),
          line("p1-r4", RegionKind::Headline, column_x(2) + 50, 520, "國學課堂誦讀經典", 60),
          column("p1-r5", 1, 620, "市民觀鳥時應保持距離，不要驚擾鳥類，不要投餵食物。", true, true),
          column("p1-r6", 2, 620, "本報訊 郊區一所小學開設國學課堂，學生每天誦讀經典，書香滿校園。",
                 true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* birds = find_article(out, "桃河濕地");
  ASSERT_NE(birds, nullptr);
  EXPECT_NE(birds->text.find("市民觀鳥時應保持距離"), std::string::npos) << birds->text;
  const Article* school = find_article(out, "國學課堂");
  ASSERT_NE(school, nullptr);
  EXPECT_EQ(text::comparable(school->text),
            text::comparable("本報訊 郊區一所小學開設國學課堂，學生每天誦讀經典，書香滿校園。"));
}

// A story's first column stands left of its headline, which is set over the next two columns
// (dev seed 72 p1). Segment cut the first column at a paragraph end, a short line of it taken
// for a jump line; paragraphs end at the feet of the first column's halves. The columns under
// the headline are the story's own, and so is the first column's lower half, between them.
TEST(ReassembleTest, JoinsTheColumnsUnderAHeadlineWhateverTheTextBetween) {
  Issue in;
  // Segment's order: the headline, the first column's halves, the columns under the headline,
  // and last the line it took for a jump line.
  in.pages.push_back(page(
      0, {header("p1-r1", 1),
          line("p1-r2", RegionKind::Headline, column_x(1) + 40, 300, "花椒紅了椒農笑了", 60),
          column("p1-r3", 0, 400,
                 "本報訊 6月21日，市中心醫院舉辦健康講座，醫生為居民講解糖尿病的飲食管理。全市高等"
                 "教育毛入學率達到",
                 true, false),
          column("p1-r4", 0, 400 + 5 * kPitch,
                 "初冬的早晨，城郊的田野上蒙著一層白霜，一隻野兔鑽進了麥田。", true, true),
          column("p1-r5", 1, 400,
                 "今天是第二十五個中國記者節。新聞戰線廣大工作者堅持深入基層，記錄時代發展的壯闊實"
                 "踐，推出了一大批有思想、有溫度、有品質的新聞作品。記者們走進田間地頭、工廠車間，"
                 "用鏡頭和文字講述",
                 true, false),
          column("p1-r6", 2, 400,
                 "百姓身邊的故事。過去種地靠天吃飯，如今滴灌帶鋪到了每一壟玉米根下。", false, true),
          set_line(region("p1-r7", RegionKind::Jump, {column_x(0), 400 + 4 * kPitch, 105, kChar},
                          "60.8%。"))}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.headline, "花椒紅了椒農笑了");
  ASSERT_EQ(a.parts.size(), 1u);
  std::vector<std::string> ids = a.parts[0].region_ids;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"p1-r2", "p1-r3", "p1-r4", "p1-r5", "p1-r6", "p1-r7"}));
  // Down the first column, then on to the columns under the headline.
  const std::u32string text = text::comparable(a.text);
  EXPECT_LT(text.find(U"60.8%"), text.find(U"初冬的早晨"));
  EXPECT_LT(text.find(U"麥田"), text.find(U"今天是第二十五個"));
}

// Segment sets a column's first line apart when it is short and centred or spread wide (“一根
// 光纖能傳輸多少數據？”): its left edge stands far from the column's, so it is not beside the
// part's other column, and the first column ends a paragraph. It goes with the rest of its column
// right under it (dev seed 117 p3).
TEST(ReassembleTest, AColumnsFirstLineSetApartGoesWithTheRestOfItsColumn) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "城市綠道環線建成開放", 60),
       column("p1-r2", 0, 400,
              "本報訊 城市綠道環線近日建成開放，全長四十二公里，串起了沿線的公園和"
              "街心廣場。",
              true, true),
       set_line(region("p1-r3", RegionKind::Body, {column_x(1) + 6 * kChar, 400, 8 * kChar, kChar},
                       "“一根光纖能傳輸多少數據？")),
       column("p1-r4", 1, 400 + kPitch,
              "工作人員介紹，綠道沿線鋪設了光纖，遊客可以隨時掃碼聽講解。", false, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  ASSERT_EQ(a.parts.size(), 1u);
  std::vector<std::string> ids = a.parts[0].region_ids;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"p1-r1", "p1-r2", "p1-r3", "p1-r4"}));
  const std::u32string text = text::comparable(a.text);
  EXPECT_LT(text.find(U"街心廣場"), text.find(U"一根光纖"));
  EXPECT_LT(text.find(U"一根光纖"), text.find(U"工作人員介紹"));
}

/// Two stories side by side: 百戶家庭… over columns 0-1, its byline at the foot of column 1; and
/// 秋季重大… whose headline stands over column 3 only, its first column (2, opening with 本報訊)
/// under no headline and read by segment before the byline and the headline. `first` is column
/// 2's text after its dateline, `second` column 3's text; the flags are their paragraph cues.
Page dateline_column_page(const std::string& first, bool first_ends_paragraph,
                          const std::string& second, bool second_indented) {
  return page(
      0, {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "百戶家庭獲評文明家庭", 40),
          column("p1-r2", 0, 400,
                 "本報訊 市文明辦近日公布了今年的文明家庭名單，一百戶家庭獲此稱號。他們中有"
                 "照顧癱瘓老人二十年的兒媳，",
                 true, false),
          column("p1-r3", 1, 400, "也有帶領鄉親致富的返鄉青年。頒獎儀式上，不少觀眾熱淚盈眶。",
                 false, true),
          column("p1-r4", 2, 400, "本報訊 " + first, true, first_ends_paragraph),
          line("p1-r5", RegionKind::Byline, column_x(1) + 200, 400 + 2 * kPitch, "（林煜 何泉）"),
          line("p1-r6", RegionKind::Headline, column_x(3), 300, "秋季重大動物疫病集中免疫啟動", 40),
          column("p1-r7", 3, 400, second, second_indented, true)});
}

// A headline set over its story's second to last columns leaves the first under nothing, and
// segment reads it with the story on its left, whose byline it then reads after it. The column
// opens with 本報訊: it is the next story's, and the byline at the foot of the column before it
// stays with the story it signs (dev seed 106 p2).
TEST(ReassembleTest, AColumnOpeningWithADatelineStartsTheNextStory) {
  Issue in;
  in.pages.push_back(dateline_column_page(
      "全市秋季重大動物疫病集中免疫工作日前啟動，各縣區組織防疫人員進村入戶，為", false,
      "豬、牛、羊等牲畜接種疫苗，確保應免盡免，不留死角。", false));
  const Issue out = run(in);
  const Article* family = find_article(out, "百戶家庭");
  const Article* vaccine = find_article(out, "秋季重大");
  ASSERT_NE(family, nullptr);
  ASSERT_NE(vaccine, nullptr);
  EXPECT_EQ(family->byline, "林煜 何泉");
  EXPECT_EQ(family->text.find("秋季重大動物疫病"), std::string::npos) << family->text;
  EXPECT_NE(vaccine->text.find("集中免疫工作日前啟動"), std::string::npos) << vaccine->text;
  EXPECT_FALSE(vaccine->byline.has_value());
}

// A story's first line spread wide (本報訊 … 10月12) measures as headline type by its width per
// character; a region that opens with a dateline is body text all the same, not the headline's
// second deck (dev seed 126 p1).
TEST(ReassembleTest, ALineSpreadWideThatOpensWithADatelineIsNoDeck) {
  Issue in;
  // Eight characters spread over a column's width measure as twice the body size.
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "十年封山育林荒山披綠裝", 60),
          set_line(region("p1-r2", RegionKind::Body,
                          {column_x(0) + 2 * kChar, 400, kColumn - 2 * kChar, kChar},
                          "本報訊 10月12")),
          column("p1-r3", 0, 400 + kPitch,
                 "日，古人說八音克諧，金、石、土、革、絲、木、匏、竹八類樂器要和諧共鳴。", false,
                 true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.headline, "十年封山育林荒山披綠裝");
  EXPECT_NE(text::comparable(a.text).find(U"本報訊10月12日"), std::u32string::npos) << a.text;
}

// A paragraph's first line of body type spread across the column (“今天我們來學, the next words
// kept together on the line under it) is as wide per character as a headline but no taller than
// body text: the story goes on through it (dev seed 120 p1).
TEST(ReassembleTest, ABodyLineSpreadWideIsNoHeadline) {
  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "古樹名木全部掛牌保護", 60),
          column("p1-r2", 0, 400, "本報訊 10月12日，在郊區的一處老宅裡，室內溫度不低於18℃。", true,
                 true),
          set_line(region("p1-r3", RegionKind::Body,
                          {column_x(0) + 2 * kChar, 400 + 3 * kPitch, 12 * kChar, kChar},
                          "今天我們來學")),
          column("p1-r4", 0, 400 + 4 * kPitch, "寫‘永’字，它包含了漢字的八種基本筆畫：點、橫、豎、",
                 false, false),
          column("p1-r5", 1, 400, "鉤、提、撇、捺、折。”老師一邊說，一邊在黑板上示範。", false,
                 true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.headline, "古樹名木全部掛牌保護");
  const std::u32string text = text::comparable(a.text);
  EXPECT_NE(text.find(U"今天我們來學寫"), std::u32string::npos) << a.text;
  EXPECT_LT(text.find(U"室內溫度"), text.find(U"老師一邊說"));
}

// The last two lines of a column in a block of their own, the short second line's box taking in
// a speck at the column's right edge: by that line alone its characters look headline-sized, but
// the line over it is body type. It stays the story's text and is no headline for the story
// beside it (dev seed 119 p2).
TEST(ReassembleTest, AColumnsFootWhoseShortLineTookInASpeckIsNoHeadline) {
  Issue in;
  Region foot = region("p1-r3", RegionKind::Body, {column_x(0), 400 + 3 * kPitch, kColumn, 86},
                       "全市優化營商環境大會在市委\n禮堂召開。");
  foot.lines = {{{column_x(0), 400 + 3 * kPitch, kColumn, 42}, "全市優化營商環境大會在市委", 0.9},
                {{column_x(0), 400 + 4 * kPitch, kColumn, 36}, "禮堂召開。", 0.9}};
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "段瑞峰調研綜合金融服務工作", 40),
       column("p1-r2", 0, 400,
              "本報訊 市委副書記段瑞峰近日調研綜合金融服務工作。他強調，要為企業排憂解難。", true,
              true),
       foot,
       line("p1-r4", RegionKind::Byline, column_x(0) + 200, 400 + 6 * kPitch, "（王軍 于桂）"),
       line("p1-r5", RegionKind::Headline, column_x(1), 400 + 2 * kPitch, "全市職業技能大賽開賽",
            60),
       column("p1-r6", 1, 400 + 4 * kPitch, "本報訊 全市職業技能大賽近日開賽，三百名選手參賽。",
              true, true)}));
  const Issue out = run(in);
  const Article* visit = find_article(out, "段瑞峰");
  const Article* contest = find_article(out, "職業技能");
  ASSERT_NE(visit, nullptr);
  ASSERT_NE(contest, nullptr);
  EXPECT_NE(text::comparable(visit->text).find(U"大會在市委禮堂召開"), std::u32string::npos)
      << visit->text;
  EXPECT_EQ(contest->headline, "全市職業技能大賽開賽");
  EXPECT_FALSE(contest->kicker.has_value());
}

// Segment cut a column in two at a line spread wide, the upper block's box reaching into the
// lower one's first row, and read the lower half after a story elsewhere. The lower half runs
// below the story's other column (which ends in a byline): overlapping the upper half, it is that
// column's, not a module stacked under the story (dev seed 129 p2).
TEST(ReassembleTest, AColumnsOverlappingLowerHalfRunningLongStaysWithItsStory) {
  Issue in;
  Region upper = column("p1-r2", 0, 400,
                        "本報訊 市博物館近日舉辦古代青銅器展，展出鼎、簋、爵等文物一百餘件。"
                        "講解員介紹，這件西周時期的青銅鼎腹",
                        true, false);
  upper.bbox.h += 20;  // into the next row
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "古代青銅器展開幕", 60), upper,
       column("p1-r3", 1, 400, "是鎮館之寶。展覽將持續到年底，市民可免費參觀。", false, true),
       line("p1-r4", RegionKind::Byline, column_x(1) + 200, 400 + 3 * kPitch, "（林煜）"),
       line("p1-r5", RegionKind::Headline, column_x(2) + 40, 300, "夏糧收購工作啟動", 60),
       column("p1-r6", 2, 400, "本報訊 今年夏糧收購工作近日啟動，全市設收購點三十個。", true, true),
       column("p1-r7", 0, 400 + 3 * kPitch + kChar,
              "飾有饕餮紋，內壁鑄有銘文十餘字，記錄了周王賞賜大臣的經過，對研究西周歷史具有"
              "重要價值。它造型莊重，紋飾精美，鑄造工藝高超，",
              false, false)}));
  const Issue out = run(in);
  const Article* bronze = find_article(out, "青銅器");
  ASSERT_NE(bronze, nullptr);
  const std::u32string text = text::comparable(bronze->text);
  const std::size_t lower = text.find(U"饕餮紋");
  ASSERT_NE(lower, std::u32string::npos) << bronze->text;
  EXPECT_LT(text.find(U"青銅鼎腹"), lower);
  EXPECT_LT(lower, text.find(U"鎮館之寶"));
  for (const Article& a : out.articles)
    EXPECT_TRUE(&a == bronze || a.text.find("饕餮") == std::string::npos) << a.text;
}

// A headline set over its story's first two columns only; the third column starts a paragraph
// and ends in the story's byline, and segment read it after the story beside it, which ends in a
// byline of its own. Level with the
// columns under the headline and not opening with a dateline, it is the story's last column, not
// a story of its own (dev seed 71 p3).
TEST(ReassembleTest, AHeadlessColumnEndingInTheBylineAStoryLacksIsItsLast) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "園區招商引資取得新進展", 60),
       column("p1-r2", 0, 400, "本報訊 今年以來，園區引進項目三十個，總投資一百億元。", true, true),
       column("p1-r3", 1, 400, "這些企業平均研發投入強度超過百分之五。", true, true),
       line("p1-r4", RegionKind::Headline, column_x(3), 300, "夏糧收購工作啟動", 60),
       column("p1-r5", 3, 400, "本報訊 今年夏糧收購工作近日啟動，全市設收購點三十個。", true, true),
       line("p1-r8", RegionKind::Byline, column_x(3) + 200, 400 + 2 * kPitch, "（林煜）"),
       column("p1-r6", 2, 400, "園區還建成了人才公寓，為引進的專業人才解決住房問題。", true, true),
       line("p1-r7", RegionKind::Byline, column_x(2) + 200, 400 + 2 * kPitch, "（韓艷 陳桂）")}));
  const Issue out = run(in);
  const Article* park = find_article(out, "園區招商");
  ASSERT_NE(park, nullptr);
  EXPECT_NE(park->text.find("人才公寓"), std::string::npos) << park->text;
  EXPECT_EQ(park->byline, "韓艷 陳桂");
  for (const Article& a : out.articles)
    EXPECT_TRUE(&a == park || a.text.find("人才公寓") == std::string::npos) << a.text;
}

// Segment read a subheadline (——記…) in one block with the headline and its second deck: the
// line that opens with a dash is the subheadline; a dash inside a headline's line is not (dev
// seeds 87, 100, 102, 126).
TEST(ReassembleTest, ADashedLineAtAHeadlineBlocksFootIsItsSubheadline) {
  Issue in;
  Region head = region("p1-r1", RegionKind::Headline, {column_x(0) + 40, 200, 720, 190},
                       "聚焦教育工作服務群眾所需\n為群眾辦實事解難題\n——記高新區一線工作者");
  head.lines = {{{column_x(0) + 40, 200, 720, 60}, "聚焦教育工作服務群眾所需", 0.9},
                {{column_x(0) + 40, 270, 450, 50}, "為群眾辦實事解難題", 0.9},
                {{column_x(0) + 40, 340, 500, 50}, "——記高新區一線工作者", 0.9}};
  in.pages.push_back(page(
      0, {head,
          column("p1-r2", 0, 420, "本報訊 高新區近日推出十項教育惠民舉措，新增學位兩千個。", true,
                 true),
          line("p1-r3", RegionKind::Headline, column_x(2) + 40, 300, "抗洪——我們在一起", 60),
          column("p1-r4", 2, 400, "本報訊 連日來，全市各地積極開展防汛救災工作。", true, true)}));
  const Issue out = run(in);
  const Article* school = find_article(out, "教育工作");
  ASSERT_NE(school, nullptr);
  EXPECT_EQ(school->headline, "聚焦教育工作服務群眾所需為群眾辦實事解難題");
  EXPECT_EQ(school->subheadline, "——記高新區一線工作者");
  const Article* flood = find_article(out, "抗洪");
  ASSERT_NE(flood, nullptr);
  EXPECT_EQ(flood->headline, "抗洪——我們在一起");
  EXPECT_FALSE(flood->subheadline.has_value());
}

// A headline block whose second deck OCR read as a lone "1": a line of a character or two says
// nothing of its type size, so the headline's own line is not taken for a small kicker over it
// (dev seed 72 p1).
TEST(ReassembleTest, ALoneCharacterUnderAHeadlineDoesNotMakeItAKicker) {
  Issue in;
  Region head = region("p1-r1", RegionKind::Headline, {column_x(0) + 40, 250, 660, 130},
                       "名老中醫傳承工作室揭牌\n1");
  head.lines = {{{column_x(0) + 40, 250, 660, 60}, "名老中醫傳承工作室揭牌", 0.9},
                {{column_x(0) + 240, 330, 200, 50}, "1", 0.4}};
  in.pages.push_back(page(
      0,
      {head, column("p1-r2", 0, 420, "本報訊 市中醫院名老中醫傳承工作室近日揭牌。", true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  ASSERT_TRUE(a.headline.has_value());
  EXPECT_EQ(a.headline->rfind("名老中醫傳承工作室揭牌", 0), 0u) << *a.headline;
  EXPECT_FALSE(a.kicker.has_value());
}

// Segment put the pieces of one row in two stacked blocks of a column, and both read that line:
// the article keeps it once (dev seed 117 p3, seed 129 p2).
TEST(ReassembleTest, ALineTwoStackedBlocksBothReadIsKeptOnce) {
  Issue in;
  const std::string twice = "錢，是名副其實的金疙瘩。平定";  // 14 characters: one full line
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 300, "羊肚菌成了致富菌", 60),
               column("p1-r2", 0, 400, "本報訊 羊肚菌一斤能賣到200多塊" + twice, true, false),
               column("p1-r3", 0, 400 + 2 * kPitch,
                      twice + "縣張莊鎮的一位種植戶從大棚裡摘下一朵羊肚菌。", false, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const std::u32string text = text::comparable(out.articles[0].text);
  const std::u32string line = text::comparable(twice);
  const std::size_t at = text.find(line);
  ASSERT_NE(at, std::u32string::npos) << out.articles[0].text;
  EXPECT_EQ(text.find(line, at + 1), std::u32string::npos) << out.articles[0].text;
  EXPECT_NE(text.find(U"種植戶"), std::u32string::npos) << out.articles[0].text;
}

// The next story's first column, under no headline, ends a paragraph where its headline's columns
// begin another: the text does not go on between them, but the column opens with 本報訊 level
// with the tops of the columns under that headline, whose own text does not: it is that story's
// first column (dev seed 106 p2).
TEST(ReassembleTest, ADatelineColumnBesideAStoryWithoutOneIsItsFirst) {
  Issue in;
  in.pages.push_back(
      dateline_column_page("全市秋季重大動物疫病集中免疫工作日前啟動，各縣區組織防疫人員進村入戶。",
                           true, "“這是刺蝟，它可是捉蟲子的能手。”一位防疫員說。", true));
  const Issue out = run(in);
  const Article* vaccine = find_article(out, "秋季重大");
  ASSERT_NE(vaccine, nullptr);
  const std::u32string text = text::comparable(vaccine->text);
  ASSERT_NE(text.find(U"集中免疫工作日前啟動"), std::u32string::npos) << vaccine->text;
  EXPECT_LT(text.find(U"集中免疫工作日前啟動"), text.find(U"這是刺蝟")) << vaccine->text;
  const Article* family = find_article(out, "百戶家庭");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->text.find("秋季重大"), std::string::npos) << family->text;
}

// Segment takes the edge of a photo or a speck for display type, and OCR reads it as a lone
// character (誠) or a few signs (2 1 人人1人): no headline. A two-character headline (醉後) is one.
TEST(ReassembleTest, DisplayNoiseHeadsNothing) {
  Issue in;
  in.pages.push_back(
      page(0, {line("p1-r1", RegionKind::Headline, column_x(0) + 40, 220, "誠", 60),
               line("p1-r2", RegionKind::Headline, column_x(0) + 100, 300,
                    "全國文物普查取得階段性成果", 60),
               column("p1-r3", 0, 400,
                      "本報訊 全國文物普查近日取得階段性成果，各地共登記不可移動文物", true, false),
               set_line(region("p1-r4", RegionKind::Headline, {column_x(1) + 100, 330, 120, 60},
                               "2 1\n人人1人")),
               column("p1-r5", 1, 400, "七十餘萬處，其中新發現文物佔四成以上。", false, true),
               line("p1-r6", RegionKind::Headline, column_x(2) + 100, 300, "醉後", 60),
               column("p1-r7", 2, 400, "本報訊 一位老人說，年輕時喝醉了酒，醒來才知道誤了大事。",
                      true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* census = find_article(out, "文物普查");
  ASSERT_NE(census, nullptr);
  EXPECT_EQ(census->headline, "全國文物普查取得階段性成果");
  EXPECT_NE(census->text.find("七十餘萬處"), std::string::npos) << census->text;
  EXPECT_NE(find_article(out, "醉後"), nullptr);
}

TEST(ReassembleTest, KeepsAJumpLineBeforeAFirstLineCutFromItsParagraphNumber) {
  Issue in = two_page_issue();
  // Segment cut the continuation's first line into its paragraph number and the rest, and read
  // the rest first: the jump line is followed by text right under it already.
  Page& p2 = in.pages[1];
  p2.regions = {
      header("p2-r1", 2), line("p2-r2", RegionKind::Jump, 100, 380, "（上接第一版）", 24),
      line("p2-r3", RegionKind::Body, 100 + 4 * kChar, 430, "可去、家長看護"),
      region("p2-r4", RegionKind::Body, {110, 432, 27, kChar}, "6,"),
      column("p2-r5", 0, 430 + kPitch,
             "難等問題。各托管班均制定了接送登記、晨午檢和餐食留樣等制度，並為每名參加托管的孩子"
             "購買了意外傷害保險。",
             false, true)};
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  ASSERT_EQ(a.parts.size(), 2u);
  EXPECT_EQ(a.parts[1].region_ids.size(), 4u);
}

TEST(ReassembleTest, KeepsTwoStoriesStackedInTheSameColumnsApart) {
  Issue in;
  // A story whose columns end mid-sentence (it jumps), and under it a headless continuation whose
  // columns start mid-sentence: the texts "go on" at every meeting, but they are two modules.
  in.pages.push_back(page(
      0, {header("p3-r1", 3),
          line("p3-r2", RegionKind::Headline, 300, 300, "晉東古建築攝影展開展", 70),
          column("p3-r3", 0, 420, "本報訊 在城區的一家軟件企業，金融對實", true, false),
          column("p3-r4", 1, 420, "體經濟的支持力度保持穩定。數字農業示範園", false, false),
          line("p3-r5", RegionKind::Jump, 300, 600, "（下轉第四版）"),
          line("p3-r6", RegionKind::Jump, 100, 650, "（上接第一版）"),
          column("p3-r7", 0, 700, "飾。毛筆蘸著鈷料，在素坯上勾勒出纏枝牡丹等違法行", false, false),
          column("p3-r8", 1, 700, "為，營造風清氣正的文化市場環境。椒", false, false),
          line("p3-r9", RegionKind::Jump, 300, 900, "（下轉第四版）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  EXPECT_EQ(out.articles[0].parts[0].region_ids,
            (std::vector<std::string>{"p3-r2", "p3-r3", "p3-r4", "p3-r5"}));
  EXPECT_EQ(out.articles[1].parts[0].region_ids,
            (std::vector<std::string>{"p3-r6", "p3-r7", "p3-r8", "p3-r9"}));
}

// Article A over columns 0-2 whose first column segment cut in two, its lower half read after
// article B in column 4; `lower_y` is where that half starts (A's columns start at y 400).
Issue cut_column_issue(int lower_y) {
  Issue in;
  in.pages.push_back(page(
      0,
      {header("p1-r1", 1),
       line("p1-r2", RegionKind::Headline, 300, 300, "城區老舊小區改造全面啟動", 70),
       column("p1-r3", 0, 400, "本報訊 城區今年將改造老舊小區三十個，涉及居民", true, false),
       column("p1-r4", 1, 400,
              "管網和屋面，加裝電梯，增設充電樁和停車位，讓老小區煥發新活力。改造前，"
              "街道召開了十多場座談會，逐戶徵求意見，居民提出的",
              false, false),
       column("p1-r5", 2, 400,
              "建議大多寫進了方案。施工期間，社區設立了聯絡點，隨時回應居民訴求，確保"
              "工程質量和安全。",
              false, true),
       line("p1-r6", RegionKind::Headline, column_x(4), 300, "桃河濕地觀鳥正當時", 60),
       column("p1-r7", 4, 400, "本報訊 近日，桃河濕地迎來大批候鳥，吸引市民前來觀賞。", true, true),
       column("p1-r8", 0, lower_y, "八千餘戶。改造內容包括更換", false, false)}));
  return in;
}

TEST(ReassembleTest, JoinsTheLowerHalfOfAColumnReadAfterAnotherArticle) {
  const Issue out = run(cut_column_issue(400 + 2 * kPitch));
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* a = find_article(out, "老舊小區");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->parts.size(), 1u);
  EXPECT_EQ(
      text::comparable(a->parts[0].text),
      text::comparable("本報訊 城區今年將改造老舊小區三十個，涉及居民八千餘戶。改造內容包括更換"
                       "管網和屋面，加裝電梯，增設充電樁和停車位，讓老小區煥發新活力。改造前，"
                       "街道召開了十多場座談會，逐戶徵求意見，居民提出的建議大多寫進了方案。施工"
                       "期間，社區設立了聯絡點，隨時回應居民訴求，確保工程質量和安全。"));
}

TEST(ReassembleTest, ReadsABodySizedLineSegmentTookForAKickerAsText) {
  // A paragraph's short last line in the middle of column 0, segment's "kicker": set at body
  // size, with the column going on right under it.
  Issue in;
  in.pages.push_back(page(
      0, {header("p1-r1", 1),
          line("p1-r2", RegionKind::Headline, 300, 300, "城區老舊小區改造全面啟動", 70),
          column("p1-r3", 0, 400,
                 "本報訊 城區今年將改造老舊小區三十個，涉及居民八千餘戶。改造內容包括更換供水",
                 true, false),
          line("p1-r4", RegionKind::Kicker, column_x(0), 400 + 3 * kPitch, "供暖管網和屋面。"),
          column("p1-r5", 0, 400 + 4 * kPitch,
                 "改造前，街道召開了十多場座談會，逐戶徵求意見，居民提出的建議大多寫進了方案。",
                 true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].headline, "城區老舊小區改造全面啟動");
  EXPECT_FALSE(out.articles[0].kicker.has_value());
  EXPECT_NE(out.articles[0].text.find("供暖管網和屋面。"), std::string::npos);
}

TEST(ReassembleTest, JoinsALowerHalfThatStartsWithALineSegmentCutOff) {
  // The lower half is a short line segment took for a region of its own, then the rest of the
  // column under it, too far under the upper half to be seen from there.
  Issue in = cut_column_issue(400 + 2 * kPitch);
  std::vector<Region>& regions = in.pages[0].regions;
  regions.back() = line("p1-r8", RegionKind::Body, column_x(0), 400 + 2 * kPitch, "八千餘戶。");
  regions.push_back(
      column("p1-r9", 0, 400 + 3 * kPitch, "改造內容包括更換老化的供水供暖", false, false));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* a = find_article(out, "老舊小區");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(text::comparable(a->text).find(
                text::comparable("涉及居民八千餘戶。改造內容包括更換老化的供水供暖管網")),
            std::u32string::npos);
}

TEST(ReassembleTest, ReadsLinesSegmentFoundTwiceOnce) {
  // Segment found the two-deck headline, and its second deck once more as a subheadline inside
  // it, read after the first story's column: the deck must not head the next story.
  Issue in;
  Region head = region("p1-r2", RegionKind::Headline, {100, 300, 980, 150},
                       "發明專利授權量穩步增長\n紮實做好各項工作");
  head.lines = {{{100, 300, 980, 70}, "發明專利授權量穩步增長", 0.9},
                {{280, 390, 600, 50}, "紮實做好各項工作", 0.9}};
  in.pages.push_back(page(
      0,
      {header("p1-r1", 1), head,
       column("p1-r3", 0, 480, "本報訊 今年以來，我市發明專利授權量穩步增長。", true, true),
       line("p1-r4", RegionKind::Subheadline, 300, 392, "做好各項工作", 48),
       line("p1-r5", RegionKind::Headline, 100, 900, "首屆非遺文化節精彩紛呈", 70),
       column("p1-r6", 0, 1000, "本報訊 首屆非遺文化節日前開幕，展出項目百餘個。", true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* first = find_article(out, "發明專利");
  ASSERT_NE(first, nullptr);
  EXPECT_NE(first->headline->find("紮實做好各項工作"), std::string::npos);
  const Article* second = find_article(out, "非遺");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->headline, "首屆非遺文化節精彩紛呈");
  EXPECT_FALSE(second->subheadline.has_value());
}

TEST(ReassembleTest, ReadsALineFragmentSegmentTookForAJumpLineAsText) {
  // The right end of a line in column 0 ("耕地“非"), cut off as a "jump" line, with the column
  // going on right under it: text, not a byline without brackets.
  Issue in;
  in.pages.push_back(page(
      0, {header("p1-r1", 1), line("p1-r2", RegionKind::Headline, 300, 300, "耕地保護專項整治", 70),
          column("p1-r3", 0, 400, "本報訊 市自然資源和規劃局組織開展了專項整治，整治", true, false),
          line("p1-r4", RegionKind::Jump, column_x(0) + 300, 400 + 2 * kPitch, "耕地“非"),
          column("p1-r5", 0, 400 + 3 * kPitch, "農化”問題三百餘宗，恢復耕地一千八百餘畝。", false,
                 true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_FALSE(out.articles[0].byline.has_value());
  EXPECT_NE(out.articles[0].text.find("耕地“非"), std::string::npos);
}

TEST(ReassembleTest, JoinsALowerHalfCutOffAtAParagraphGap) {
  // Segment cut column 0 at a blank line between paragraphs: the upper half ends one, the lower
  // half, a blank line lower, starts the next, and was read after article B.
  Issue in = cut_column_issue(400 + 2 * kPitch);
  std::vector<Region>& regions = in.pages[0].regions;
  regions[2] = column("p1-r3", 0, 400, "本報訊 城區今年將改造老舊小區三十個。", true, true);
  regions.back() = column("p1-r8", 0, 400 + kPitch + kChar + 2 * kChar - 5,
                          "改造涉及居民約八千戶，內容包括更換老化的供水和供暖", true, false);
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article* a = find_article(out, "老舊小區");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(
      text::comparable(a->text).find(text::comparable("內容包括更換老化的供水和供暖管網和屋面")),
      std::u32string::npos);
}

TEST(ReassembleTest, KeepsAHeadlessStoryAHeadlinesHeightUnderAColumnApart) {
  // The same text a headline's height lower is a story of its own (its head lost), not A's.
  const Issue out = run(cut_column_issue(400 + 4 * kPitch));
  EXPECT_EQ(out.articles.size(), 3u);
  const Article* a = find_article(out, "老舊小區");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->parts[0].region_ids.size(), 4u);
}

TEST(ReassembleTest, JoinsAHeadlineCutInTwoOnOneLine) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Headline, 100, 500, "“健康義診進社區", 65),
       column("p1-r2", 0, 600, "本報訊 8月5日上午，由市衛生健康委員會主辦的活動舉行。", true, true),
       column("p1-r3", 1, 600, "民劉桂蘭高興地說。活動中，醫護人員還開展了急救知識講座。", true,
              true),
       line("p1-r4", RegionKind::Headline, 100 + 8 * 65 + 40, 500, "溫暖居民心", 65),
       line("p1-r5", RegionKind::Byline, 900, 800, "（王 磊 李 娜）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(text::comparable(out.articles[0].headline.value_or("")),
            text::comparable("“健康義診進社區溫暖居民心"));
  EXPECT_EQ(out.articles[0].byline, "王 磊 李 娜");
}

TEST(ReassembleTest, FindsACaptionSegmentTookForBodyText) {
  Issue in;
  in.pages.push_back(page(
      0, {region("p1-r1", RegionKind::Photo, {1500, 700, 900, 550}, ""),
          line("p1-r2", RegionKind::Headline, 100, 500, "鴻振鋅業技術改造項目推進過半", 60),
          column("p1-r3", 0, 600, "本報訊 日前，記者從平定縣鴻振鋅業有限公司了解到。", true, true),
          region("p1-r4", RegionKind::Body, {1500, 1270, 900, 130},
                 "8月6日，連片的光伏板整齊排列在標準化廠房的屋頂上。張澤慧攝")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  const Article& caption =
      out.articles[0].kind == ArticleKind::Caption ? out.articles[0] : out.articles[1];
  EXPECT_EQ(caption.kind, ArticleKind::Caption);
  EXPECT_EQ(caption.credit, "張澤慧攝");
  EXPECT_EQ(caption.parts[0].region_ids, (std::vector<std::string>{"p1-r1", "p1-r4"}));
}

TEST(ReassembleTest, TakesALargeSubheadlineWithoutADashForASecondDeck) {
  Issue in;
  in.pages.push_back(page(
      0,
      {line("p1-r1", RegionKind::Kicker, 600, 400, "雷健坤調研重點項目建設", 36),
       line("p1-r2", RegionKind::Headline, 400, 450, "搶抓黃金期 跑出加速度", 80),
       line("p1-r3", RegionKind::Subheadline, 380, 540, "以高質量項目建設推動全市高質量發展", 56),
       column("p1-r4", 0, 620, "本報訊 8月6日，市委書記雷健坤深入郊區調研。", true, true)}));
  in.pages.push_back(page(
      1, {header("p2-r1", 2),
          line("p2-r2", RegionKind::Headline, 400, 300, "我市秋糧田間管理全面展開", 70),
          line("p2-r3", RegionKind::Subheadline, 380, 380, "——200餘名農技人員深入田間地頭", 50),
          column("p2-r4", 0, 460, "本報訊 立秋將至，正值秋糧作物生長關鍵期。", true, true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 2u);
  EXPECT_EQ(out.articles[0].headline, "搶抓黃金期 跑出加速度 以高質量項目建設推動全市高質量發展");
  EXPECT_EQ(out.articles[0].kicker, "雷健坤調研重點項目建設");
  EXPECT_FALSE(out.articles[0].subheadline.has_value());
  EXPECT_EQ(out.articles[1].subheadline, "——200餘名農技人員深入田間地頭");
}

// Under a report's headline, who attended or chaired (鞠振出席並講話 on the seed page) is its
// subheadline, set in display type as large as a second deck. Read in one block with the
// headline, as a deck of its own, or as a large subheadline, it stays out of the headline; a
// second deck that merely ends in such a word, or a headline that is one, is left as it is (dev
// seeds 94-129: 董建平出席並講話, 譚嘉欣出席並講話, 高濤軍主持 were read into headlines).
TEST(ReassembleTest, AnAttendanceNoteUnderAHeadlineIsItsSubheadline) {
  Issue in;
  Region head = region("p1-r1", RegionKind::Headline, {column_x(0) + 40, 200, 720, 130},
                       "膠囊內鏡讓檢查更輕鬆\n董建平出席並講話");
  head.lines = {{{column_x(0) + 40, 200, 720, 70}, "膠囊內鏡讓檢查更輕鬆", 0.9},
                {{column_x(0) + 220, 285, 360, 45}, "董建平出席並講話", 0.9}};
  in.pages.push_back(page(
      0, {head, column("p1-r2", 0, 400, "本報訊 市人民醫院近日引進膠囊內鏡檢查設備。", true, true),
          line("p1-r3", RegionKind::Headline, column_x(2), 200, "全市重點項目建設工作會議召開", 48),
          line("p1-r4", RegionKind::Headline, column_x(2) + 40, 260, "確保全年目標任務完成", 36),
          line("p1-r5", RegionKind::Headline, column_x(2) + 60, 310, "王琳玉、李明出席", 36),
          column("p1-r6", 2, 400, "本報訊 8月6日，全市重點項目建設工作會議召開。", true, true)}));
  in.pages.push_back(
      page(1, {header("p2-r1", 2),
               line("p2-r2", RegionKind::Headline, 400, 300, "孟縣金融服務示范縣簽約儀式舉行", 70),
               line("p2-r3", RegionKind::Subheadline, 500, 380, "鞠振出席並講話", 56),
               column("p2-r4", 0, 460,
                      "本報訊 8月6日，孟縣建設綜合金融一體化服務示范縣簽約儀式舉行。", true, true),
               line("p2-r5", RegionKind::Headline, column_x(3), 300, "抓項目 促發展", 70),
               line("p2-r6", RegionKind::Headline, column_x(3), 380, "各級領導幹部帶頭講話", 50),
               column("p2-r7", 3, 460, "本報訊 全市上下掀起項目建設熱潮。", true, true)}));
  const Issue out = run(in);
  const Article* endoscope = find_article(out, "膠囊內鏡");
  ASSERT_NE(endoscope, nullptr);
  EXPECT_EQ(endoscope->headline, "膠囊內鏡讓檢查更輕鬆");
  EXPECT_EQ(endoscope->subheadline, "董建平出席並講話");
  const Article* meeting = find_article(out, "工作會議召開");
  ASSERT_NE(meeting, nullptr);
  EXPECT_EQ(meeting->headline, "全市重點項目建設工作會議召開 確保全年目標任務完成");
  EXPECT_EQ(meeting->subheadline, "王琳玉、李明出席");
  const Article* signing = find_article(out, "簽約儀式");
  ASSERT_NE(signing, nullptr);
  EXPECT_EQ(signing->headline, "孟縣金融服務示范縣簽約儀式舉行");
  EXPECT_EQ(signing->subheadline, "鞠振出席並講話");
  const Article* projects = find_article(out, "抓項目");
  ASSERT_NE(projects, nullptr);
  EXPECT_EQ(projects->headline, "抓項目 促發展 各級領導幹部帶頭講話");
  EXPECT_FALSE(projects->subheadline.has_value());
}

TEST(ReassembleTest, FoldsASectionLabelReadAsAHeadlineIntoTheStoryUnderIt) {
  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, 100, 400, "深化全方位轉型 推動高質量發展", 45),
          line("p1-r2", RegionKind::Kicker, 400, 450, "總投資86.5億元", 40),
          line("p1-r3", RegionKind::Headline, 300, 500, "陽泉經濟技術開發區集中簽約項目12個", 70),
          column("p1-r4", 0, 600, "本報訊 8月6日，陽泉經濟技術開發區舉行集中簽約活動。", true,
                 true)}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].section, "深化全方位轉型 推動高質量發展");
  EXPECT_EQ(out.articles[0].kicker, "總投資86.5億元");
  EXPECT_EQ(out.articles[0].headline, "陽泉經濟技術開發區集中簽約項目12個");
  EXPECT_EQ(out.articles[0].parts[0].region_ids.size(), 4u);
}

TEST(ReassembleTest, ReadsMetadataFromAMastheadOcrRanTogether) {
  Issue in;
  // What Tesseract made of the seed's masthead: lines run together, 閏 read as 閨, the serial's
  // dash as 一, the title (calligraphy) lost; the running headers still name the paper.
  in.pages.push_back(page(
      0,
      {region("p1-r1", RegionKind::Masthead, {138, 164, 2730, 336},
              "中共陽泉市委機關報圖） 2025年8月7日中共陽泉市委主辦陽泉日報社出版倒星期國內統一連續"
              "出版物號 CN14一0020乙巳年閨六月十四第15434期今日4版\nYANGQUAN RIBAO !")}));
  in.pages.push_back(page(1, {region("p2-r1", RegionKind::Header, {120, 106, 2731, 69},
                                     "（二妃~\n第2版陽泉日報綜合2025年8月7日星期四")}));
  in.pages.push_back(page(2, {region("p3-r1", RegionKind::Header, {109, 101, 2731, 80},
                                     "2025年8月7日星期四要聞陽泉日報第3版")}));
  const Issue out = run(in);
  EXPECT_EQ(out.issue.newspaper, "陽泉日報");
  EXPECT_EQ(out.issue.date, "2025-08-07");
  EXPECT_EQ(out.issue.weekday, "星期四");
  EXPECT_EQ(out.issue.lunar_date, "乙巳年閏六月十四");
  EXPECT_EQ(out.issue.number, 15434);
  EXPECT_EQ(out.issue.page_count, 4);
  EXPECT_EQ(out.issue.extra.value("serial", ""), "CN14—0020");
  EXPECT_EQ(out.issue.extra.value("organ", ""), "中共陽泉市委機關報");
  EXPECT_EQ(text::comparable(out.issue.extra.value("publisher", "")),
            text::comparable("中共陽泉市委主辦 陽泉日報社出版"));
  EXPECT_EQ(out.issue.extra.value("newspaper_latin", ""), "YANGQUAN RIBAO");
  EXPECT_EQ(out.pages[1].page, 2);
  EXPECT_EQ(out.pages[2].page, 3);
}

TEST(ReassembleTest, ReadsIssueMetadataFromTheMasthead) {
  Issue in;
  Region mast =
      region("p1-r1", RegionKind::Masthead, {136, 164, 2729, 336},
             "陽泉日報\nYANGQUAN RIBAO\n中共陽泉市委機關報\n中共陽泉市委主辦 陽泉日報社出版\n"
             "2025年8月\n7\n星期四\n乙巳年閏六月十四\n國內統一連續出版物號\nCN14—0020\n"
             "第15434期\n今日4版");
  in.pages.push_back(page(0, {mast}));
  in.pages.push_back(page(1, {header("p2-r1", 2)}));
  const Issue out = run(in);
  EXPECT_EQ(out.issue.newspaper, "陽泉日報");
  EXPECT_EQ(out.issue.date, "2025-08-07");
  EXPECT_EQ(out.issue.weekday, "星期四");
  EXPECT_EQ(out.issue.lunar_date, "乙巳年閏六月十四");
  EXPECT_EQ(out.issue.number, 15434);
  EXPECT_EQ(out.issue.page_count, 4);
  EXPECT_EQ(out.issue.extra.value("newspaper_latin", ""), "YANGQUAN RIBAO");
  EXPECT_EQ(out.issue.extra.value("serial", ""), "CN14—0020");
  EXPECT_EQ(out.issue.extra.value("organ", ""), "中共陽泉市委機關報");
  EXPECT_EQ(out.issue.extra.value("publisher", ""), "中共陽泉市委主辦 陽泉日報社出版");
  EXPECT_TRUE(out.articles.empty());
}

TEST(ReassembleTest, MapsScansToPrintedPageNumbersAndLinksByThem) {
  Issue in = two_page_issue();
  // Page 2 was not scanned: the second scan is page 3, and the jump names page 3.
  in.pages[1].regions[0] = header("p3-r1", 3);
  in.pages[0].regions[2].text = "（下轉第三版）";
  const Issue out = run(in);
  EXPECT_EQ(out.pages[0].page, 1);
  EXPECT_EQ(out.pages[1].page, 3);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].pages, (std::vector<int>{1, 3}));
  EXPECT_EQ(out.articles[0].continuations[0], (Continuation{1, 3, "下轉第三版"}));
  EXPECT_EQ(out.articles[0].parts[1].page, 3);
}

TEST(ReassembleTest, ReplacesExistingArticlesAndNumbersThemInReadingOrder) {
  Issue in = two_page_issue();
  Article stale;
  stale.id = "old";
  in.articles.push_back(stale);
  in.pages[0].regions[0].article_id = "old";
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].id, "a1");
  EXPECT_EQ(out.pages[0].regions[0].article_id, "a1");
  EXPECT_NEAR(out.articles[0].confidence, 0.9, 1e-9);
}

TEST(ReassembleTest, RejectsInvalidOptions) {
  Options bad;
  bad.headline_match_ratio = 0;
  const auto out = reassemble_issue(Issue{}, bad);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::BadArguments);
  EXPECT_NE(out.error().message.find("headline_match_ratio"), std::string::npos);
}

TEST(ReassembleTest, HandlesAnEmptyIssueAndPagesWithoutRegions) {
  EXPECT_TRUE(run(Issue{}).articles.empty());
  Issue in;
  Page bare = page(0, {});
  bare.text = "陽泉日報\n2025年8月7日 星期四\n第15434期 今日4版\n本報訊 …";
  in.pages.push_back(bare);
  const Issue out = run(in);
  EXPECT_EQ(out.issue.date, "2025-08-07");
  EXPECT_EQ(out.issue.number, 15434);
}

// ---- bylines and credits --------------------------------------------------------------------

TEST(BylineTest, ReadsNameLists) {
  EXPECT_EQ(parse_byline("（郁靜 子煜）"), "郁靜 子煜");
  EXPECT_EQ(parse_byline("（本報記者 郝文傑）"), "本報記者 郝文傑");
  EXPECT_EQ(parse_byline("(王 磊  李 娜)"), "王 磊 李 娜");
  EXPECT_EQ(parse_byline("本報記者 張三"), "本報記者 張三");
  EXPECT_EQ(parse_byline("（張泉東"), "張泉東");  // a bracket lost
  EXPECT_EQ(parse_byline("（郭\u3000贊）"), "郭 贊");
}

// chi_tra reads the surname 于 as the preposition 於, which no name starts with.
TEST(BylineTest, SpellsTheSurnameYuWhereANameBegins) {
  EXPECT_EQ(surname_spelling("於瑞健"), "于瑞健");
  EXPECT_EQ(surname_spelling("陳勇 於芳"), "陳勇 于芳");
  EXPECT_EQ(surname_spelling("王玉、於琳"), "王玉、于琳");
  EXPECT_EQ(surname_spelling("本報記者 於坤濤"), "本報記者 于坤濤");
  EXPECT_EQ(surname_spelling("張於明"), "張於明");  // inside a name: as read
  EXPECT_EQ(surname_spelling("郁靜 子煜"), "郁靜 子煜");

  Issue in;
  in.pages.push_back(page(
      0, {line("p1-r1", RegionKind::Headline, 300, 500, "雷健坤調研重點項目建設", 70),
          column("p1-r2", 0, 620, "本報訊 8月6日，市委書記雷健坤深入郊區調研，聽取相關負責人匯報。",
                 true, true),
          line("p1-r3", RegionKind::Byline, 700, 800, "（於瑞健 楊靜）")}));
  const Issue out = run(in);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].byline, "于瑞健 楊靜");
}

TEST(BylineTest, RefusesWhatIsNotAByline) {
  EXPECT_FALSE(parse_byline("（以下簡稱《若干規定》）"));
  EXPECT_FALSE(parse_byline("（2024年7月30日）"));
  EXPECT_FALSE(parse_byline("（下轉第三版）"));
  EXPECT_FALSE(parse_byline("（下轉第魚版）"));
  EXPECT_FALSE(parse_byline("市民生活逐漸回歸正常。"));
  EXPECT_FALSE(parse_byline("張三李四"));  // no brackets, no title
  EXPECT_FALSE(parse_byline("（一）"));
  EXPECT_FALSE(parse_byline(""));
}

TEST(BylineTest, SplitsABylineLeftOnTheLastBodyLine) {
  const auto split = split_trailing_byline("全力鞏固經濟運行持續向好態勢。（郁靜 子煜）");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "全力鞏固經濟運行持續向好態勢。");
  EXPECT_EQ(split->byline, "郁靜 子煜");
  EXPECT_FALSE(split_trailing_byline("黨委（黨組）"));
  EXPECT_FALSE(split_trailing_byline("要求各級各部門認真遵照執行（以下簡稱《若干規定》）"));
}

TEST(BylineTest, SplitsABylineWhoseBracketsOcrLostAtAnArticlesEnd) {
  // The closing bracket read as a comma, the opening one lost.
  const auto split = split_trailing_byline("給市民出行帶來不便。周桂 周英英，", true);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "給市民出行帶來不便。");
  EXPECT_EQ(split->byline, "周桂 周英英");
  // Only where the article ends: a column that goes on after a jump may end in a comma.
  EXPECT_FALSE(split_trailing_byline("給市民出行帶來不便。周桂 周英英，", false));
  // Not names: the first is no surname, the second too long, the third not after a sentence.
  EXPECT_FALSE(split_trailing_byline("工作取得新進展。記者表示，", true));
  EXPECT_FALSE(split_trailing_byline("工作取得新進展。王書記在會上強調指出，", true));
  EXPECT_FALSE(split_trailing_byline("要深入學習貫徹習近平，", true));
  // With the opening bracket, and on a line of its own (its own region: nothing before it).
  auto opened = split_trailing_byline("帶來不便。\n（周桂周英英，", true);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->byline, "周桂周英英");
  EXPECT_EQ(opened->text, "帶來不便。");
  auto alone = split_trailing_byline("周桂唐澤，", true);
  ASSERT_TRUE(alone.has_value());
  EXPECT_EQ(alone->byline, "周桂唐澤");
  EXPECT_TRUE(alone->text.empty());
}

TEST(BylineTest, SplitsAPhotoCredit) {
  auto c = split_credit("連片的光伏板整齊排列在屋頂上。\u3000張澤慧攝");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->text, "連片的光伏板整齊排列在屋頂上。");
  EXPECT_EQ(c->credit, "張澤慧攝");
  EXPECT_EQ(c->byline, "張澤慧");
  c = split_credit("遊客在景區內參觀遊覽。韓冰攝");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->credit, "韓冰攝");
  c = split_credit("球員們在比賽中激烈拼搶。（新華社記者 李四 攝）");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "新華社記者 李四");
  EXPECT_EQ(c->text, "球員們在比賽中激烈拼搶。");
  c = split_credit("遊客在景區內參觀遊覽。\u3000梁霞慧");  // 攝 lost
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "梁霞慧");
  c = split_credit("遊客在景區內參觀遊覽。曹德明擴");  // 攝 misread
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "曹德明");
  EXPECT_FALSE(split_credit("遊客在景區內參觀遊覽。"));
  EXPECT_FALSE(split_credit(""));
}

TEST(BylineTest, SplitsACreditWhoseBracketsAndFullStopOcrLost) {
  // （鄭偉剛 攝） with its full stop and brackets lost, or an opening bracket read as 和.
  auto c = split_credit("園區連片的光伏板整齊排列在屋頂上鄭偉剛攝");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "鄭偉剛");
  EXPECT_EQ(c->text, "園區連片的光伏板整齊排列在屋頂上");
  c = split_credit("據了解，活動將持續至月底和高明遠攝");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "高明遠");
  c = split_credit("臨汾遊客在景區內參觀遊覽徐澤攝");  // 覽 is no surname: a two-character name
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->byline, "徐澤");
  // 拍攝 is the verb (高 a surname all the same), and 機器人 starts with no surname.
  EXPECT_FALSE(split_credit("工作人員用無人機從高空拍攝"));
  EXPECT_FALSE(split_credit("這些畫面由巡檢機器人攝"));
}

// ---- metadata ---------------------------------------------------------------------------------

TEST(MetadataTest, ReadsDatesInEveryForm) {
  EXPECT_EQ(parse_date("2025年8月7日"), "2025-08-07");
  EXPECT_EQ(parse_date("2025 年 12 月 31 日 星期三"), "2025-12-31");
  EXPECT_EQ(parse_date("２０２５年８月７日"), "2025-08-07");
  EXPECT_EQ(parse_date("二〇二五年八月七日"), "2025-08-07");
  EXPECT_EQ(parse_date("2025年8月\n\n7\n\n星期四"), "2025-08-07");
  EXPECT_FALSE(parse_date("乙巳年閏六月十四"));
  EXPECT_FALSE(parse_date("2025年2月30日"));
}

TEST(MetadataTest, ReadsPrintedPageNumbersNotPageCounts) {
  EXPECT_EQ(parse_printed_page("第2版  陽泉日報 綜合 2025年8月7日  星期四"), 2);
  EXPECT_EQ(parse_printed_page("2025年8月7日  星期四 要聞 陽泉日報  第 3 版"), 3);
  EXPECT_EQ(parse_printed_page("第A3版"), 3);
  EXPECT_EQ(parse_printed_page("第十二版"), 12);
  EXPECT_FALSE(parse_printed_page("第15434期  今日4版"));
}

TEST(MetadataTest, AssignsPageNumbersThatStayUniqueAndRising) {
  using V = std::vector<std::optional<int>>;
  EXPECT_EQ(assign_page_numbers(V{std::nullopt, 2, 3, 4}, {true, false, false, false}),
            (std::vector<int>{1, 2, 3, 4}));
  // A page missing from the scans.
  EXPECT_EQ(assign_page_numbers(V{std::nullopt, 3, 4}, {true, false, false}),
            (std::vector<int>{1, 3, 4}));
  // A misread number (8 for 3) and an unreadable header.
  EXPECT_EQ(assign_page_numbers(V{std::nullopt, 2, 8, std::nullopt, 5},
                                {true, false, false, false, false}),
            (std::vector<int>{1, 2, 3, 4, 5}));
  // Nothing read at all: scan order.
  EXPECT_EQ(assign_page_numbers(V{std::nullopt, std::nullopt}, {false, false}),
            (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace broadsheet::reassemble
