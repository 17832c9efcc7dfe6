#include "eval/eval.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/issue_json.hpp"
#include "eval/area.hpp"

namespace broadsheet::eval {
namespace {

constexpr double kEps = 1e-9;

// ---------------------------------------------------------------------------------------------
// Builders: every test states its truth and output in code.

Region region(std::string id, RegionKind kind, Box box,
              std::optional<std::string> article_id = std::nullopt) {
  Region r;
  r.id = std::move(id);
  r.kind = kind;
  r.bbox = box;
  r.article_id = std::move(article_id);
  return r;
}

Page page(int scan_index, std::string text, std::vector<Region> regions = {}) {
  Page p;
  p.scan_index = scan_index;
  p.page = scan_index + 1;
  p.text = std::move(text);
  p.regions = std::move(regions);
  return p;
}

ArticlePart part(int page_number, std::string text) {
  ArticlePart p;
  p.page = page_number;
  p.text = std::move(text);
  return p;
}

Article article(std::string id, std::string text, std::optional<std::string> headline = {},
                std::optional<std::string> byline = {}) {
  Article a;
  a.id = std::move(id);
  a.text = std::move(text);
  a.headline = std::move(headline);
  a.byline = std::move(byline);
  a.pages = {1};
  return a;
}

Issue issue_with(std::vector<Page> pages, std::vector<Article> articles = {}) {
  Issue i;
  i.issue.id = "test/2025-08-07";
  i.pages = std::move(pages);
  i.articles = std::move(articles);
  return i;
}

double value(std::optional<double> v) {
  EXPECT_TRUE(v.has_value());
  return v.value_or(-1.0);
}

// A two-page issue with one continued article, a short caption and regions of several kinds.
Issue sample_issue() {
  Article lead = article("a1", "本報訊八月六日市委書記雷健坤深入郊區城區調研重點項目建設工作",
                         "雷健坤調研重點項目建設", "郁靜 子煜");
  lead.pages = {1, 2};
  lead.parts = {part(1, "本報訊八月六日市委書記雷健坤深入郊區"),
                part(2, "城區調研重點項目建設工作")};
  lead.continuations.push_back({1, 2, "下轉第二版"});
  Article photo = article("a2", "", "陽泉新貌");
  photo.kind = ArticleKind::Caption;
  photo.credit = "張澤慧攝";
  Article second = article("a3", "市社會治理中心項目建設正有序推進來到建設現場", "治理中心");
  return issue_with(
      {page(0, "陽泉日報\n雷健坤調研重點項目建設\n本報訊八月六日市委書記雷健坤深入郊區\n陽泉新貌",
            {region("p1-r1", RegionKind::Masthead, {0, 0, 1000, 200}),
             region("p1-r2", RegionKind::Headline, {0, 200, 600, 100}, "a1"),
             region("p1-r3", RegionKind::Body, {0, 300, 300, 700}, "a1"),
             region("p1-r4", RegionKind::Body, {300, 300, 300, 700}, "a1"),
             region("p1-r5", RegionKind::Photo, {600, 200, 400, 400}, "a2"),
             region("p1-r6", RegionKind::Caption, {600, 600, 400, 100}, "a2")}),
       page(1, "城區調研重點項目建設工作\n治理中心\n市社會治理中心項目建設正有序推進來到建設現場",
            {region("p2-r1", RegionKind::Body, {0, 0, 500, 300}, "a1"),
             region("p2-r2", RegionKind::Headline, {500, 0, 500, 100}, "a3"),
             region("p2-r3", RegionKind::Body, {500, 100, 500, 600}, "a3")})},
      {lead, photo, second});
}

// ---------------------------------------------------------------------------------------------
// Whole issues

TEST(EvaluateIssueTest, IdenticalIssueScoresPerfectlyOnEveryMetric) {
  const Issue truth = sample_issue();
  const IssueScores s = evaluate_issue(truth, truth);
  EXPECT_NEAR(value(s.page_cer.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.page_chars.f1()), 1.0, kEps);
  EXPECT_NEAR(value(s.article_recall.ratio()), 1.0, kEps);
  EXPECT_EQ(s.article_recall.denominator, 3);
  EXPECT_NEAR(value(s.continuation_accuracy.ratio()), 1.0, kEps);
  EXPECT_EQ(s.continuation_accuracy.denominator, 1);
  EXPECT_NEAR(value(s.headline_cer.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.body_cer.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.byline_accuracy.ratio()), 1.0, kEps);
  EXPECT_EQ(s.byline_accuracy.denominator, 1);
  for (RegionKind kind : {RegionKind::Masthead, RegionKind::Headline, RegionKind::Body,
                          RegionKind::Photo, RegionKind::Caption}) {
    EXPECT_NEAR(value(s.region(kind).recall()), 1.0, kEps) << to_string(kind);
    EXPECT_NEAR(value(s.region(kind).precision()), 1.0, kEps) << to_string(kind);
  }
  EXPECT_EQ(s.region(RegionKind::Body).truth, 4);
  EXPECT_FALSE(s.region(RegionKind::Advert).recall().has_value());
  EXPECT_NEAR(value(s.body_coverage.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(s.body_over_merge.ratio()), 0.0, kEps);
  EXPECT_EQ(s.body_over_merge.denominator, 4);
  EXPECT_FALSE(s.run.seconds_per_page().has_value());
}

TEST(EvaluateIssueTest, EmptyOutputScoresWorstAndLeavesHeadlineCerUndefined) {
  const Issue truth = sample_issue();
  const IssueScores s = evaluate_issue(truth, Issue{});
  EXPECT_NEAR(value(s.page_cer.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(s.page_chars.f1()), 0.0, kEps);
  EXPECT_NEAR(value(s.article_recall.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.continuation_accuracy.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.body_cer.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(s.byline_accuracy.ratio()), 0.0, kEps);
  EXPECT_FALSE(s.headline_cer.ratio().has_value());  // defined over matched articles only
  EXPECT_NEAR(value(s.region(RegionKind::Body).recall()), 0.0, kEps);
  EXPECT_FALSE(s.region(RegionKind::Body).precision().has_value());
  EXPECT_NEAR(value(s.body_coverage.ratio()), 0.0, kEps);
  EXPECT_FALSE(s.body_over_merge.ratio().has_value());
}

// ---------------------------------------------------------------------------------------------
// Page text

TEST(PageTextTest, SwappedColumnsKeepCharF1ButCostPageCer) {
  const Issue truth = issue_with({page(0, "一二三四五六七八九十\n甲乙")});
  const Issue output = issue_with({page(0, "甲乙\n一二三四五六七八九十")});
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_NEAR(value(s.page_chars.f1()), 1.0, kEps);
  // Moving the 2-character column costs 2 deletions + 2 insertions over 12 truth characters.
  EXPECT_EQ(s.page_cer.numerator, 4);
  EXPECT_EQ(s.page_cer.denominator, 12);
  EXPECT_NEAR(value(s.page_cer.ratio()), 4.0 / 12.0, kEps);
}

TEST(PageTextTest, WhiteSpaceAndFullWidthFormsCostNothing) {
  const Issue truth = issue_with({page(0, "陽泉日報\nYANGQUAN RIBAO，第15434期")});
  const Issue output =
      issue_with({page(0, "陽 泉 日 報 ＹＡＮＧＱＵＡＮ\u3000ＲＩＢＡＯ,第１５４３４期")});
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_EQ(s.page_cer.numerator, 0);
  EXPECT_NEAR(value(s.page_chars.f1()), 1.0, kEps);
}

TEST(PageTextTest, CharF1CountsRepeatedCharactersAsAMultiset) {
  // Truth 報報日 vs output 報日日: two characters in common of three on each side.
  const IssueScores s =
      evaluate_issue(issue_with({page(0, "報報日")}), issue_with({page(0, "報日日")}));
  EXPECT_EQ(s.page_chars.true_positive, 2);
  EXPECT_NEAR(value(s.page_chars.f1()), 2.0 * 2 / (3 + 3), kEps);
}

TEST(PageTextTest, PagesPairByScanIndexAndUnpairedPagesCountAgainst) {
  const Issue truth = issue_with({page(0, "甲乙"), page(1, "丙丁戊")});
  // The output lost scan 1 and invented scan 2.
  const Issue output = issue_with({page(2, "己庚"), page(0, "甲乙")});
  const IssueScores s = evaluate_issue(truth, output);
  // Scan 0 exact; scan 1 missing = 3; scan 2 extra = 2 insertions.
  EXPECT_EQ(s.page_cer.numerator, 5);
  EXPECT_EQ(s.page_cer.denominator, 5);
  EXPECT_EQ(s.page_chars.true_positive, 2);
  EXPECT_NEAR(value(s.page_chars.f1()), 2.0 * 2 / (5 + 4), kEps);
}

// ---------------------------------------------------------------------------------------------
// Articles

TEST(ArticleTest, MissedContinuationWithSmallSecondPartIsFoundButNotContinued) {
  Article t = article("a1", "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸");
  t.pages = {1, 3};
  t.parts = {part(1, "一二三四五六七八九十甲乙丙丁戊己庚辛"), part(3, "壬癸")};
  Article o = article("x", "一二三四五六七八九十甲乙丙丁戊己庚辛");
  o.parts = {part(1, "一二三四五六七八九十甲乙丙丁戊己庚辛")};
  const IssueScores s = evaluate_issue(issue_with({}, {t}), issue_with({}, {o}));
  // Body CER 2/20 = 0.10 is still "found" (≤ 0.10); page 3's part is missing entirely.
  EXPECT_EQ(s.body_cer.numerator, 2);
  EXPECT_EQ(s.body_cer.denominator, 20);
  EXPECT_NEAR(value(s.article_recall.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(s.continuation_accuracy.ratio()), 0.0, kEps);
}

TEST(ArticleTest, MissedContinuationWithHalfTheBodyIsNeitherFoundNorContinued) {
  Article t = article("a1", "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸");
  t.pages = {1, 3};
  t.parts = {part(1, "一二三四五六七八九十"), part(3, "甲乙丙丁戊己庚辛壬癸")};
  Article o = article("x", "一二三四五六七八九十");
  o.parts = {part(1, "一二三四五六七八九十")};
  const IssueScores s = evaluate_issue(issue_with({}, {t}), issue_with({}, {o}));
  EXPECT_NEAR(value(s.body_cer.ratio()), 0.5, kEps);
  EXPECT_NEAR(value(s.article_recall.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(s.continuation_accuracy.ratio()), 0.0, kEps);
}

TEST(ArticleTest, ContinuationToleratesFifteenPercentCerPerPart) {
  Article t = article("a1", "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸");
  t.pages = {1, 3};
  t.parts = {part(1, "一二三四五六七八九十"), part(3, "甲乙丙丁戊己庚辛壬癸")};
  Article good = t;
  good.id = "x";
  good.parts = {part(1, "一二三四五六七八九十"), part(3, "甲乙丙丁戊己庚辛壬X")};  // 1/10
  Article bad = good;
  bad.parts = {part(1, "一二三四五六七八九十"), part(3, "甲乙丙丁戊己庚辛XX")};  // 2/10
  EXPECT_NEAR(value(evaluate_issue(issue_with({}, {t}), issue_with({}, {good}))
                        .continuation_accuracy.ratio()),
              1.0, kEps);
  EXPECT_NEAR(
      value(
          evaluate_issue(issue_with({}, {t}), issue_with({}, {bad})).continuation_accuracy.ratio()),
      0.0, kEps);
}

TEST(ArticleTest, ContinuationWithoutTruthPartsChecksPagesAndWholeBody) {
  // A page-1-only transcription (like the seed): pages {1, 3}, no parts.
  Article t = article("a1", "一二三四五六七八九十");
  t.pages = {1, 3};
  Article linked = article("x", "一二三四五六七八九十");
  linked.pages = {1, 3};
  Article unlinked = linked;
  unlinked.pages = {1};
  Article garbled = linked;
  garbled.text = "一二三四五六七八XX";  // body CER 0.2 > 0.15
  auto accuracy = [&](const Article& o) {
    return value(
        evaluate_issue(issue_with({}, {t}), issue_with({}, {o})).continuation_accuracy.ratio());
  };
  EXPECT_NEAR(accuracy(linked), 1.0, kEps);
  EXPECT_NEAR(accuracy(unlinked), 0.0, kEps);
  EXPECT_NEAR(accuracy(garbled), 0.0, kEps);
}

TEST(ArticleTest, ContinuationOntoAnUntranscribedTruthPageNeedsOnlyTheLink) {
  Article t = article("a1", "一二三四五六七八九十");
  t.pages = {1, 3};
  t.parts = {part(1, "一二三四五六七八九十")};  // page 3 not transcribed
  Article linked = t;
  linked.id = "x";
  linked.parts.push_back(part(3, "後續文字"));
  Article unlinked = t;
  unlinked.id = "y";
  unlinked.pages = {1};
  EXPECT_NEAR(value(evaluate_issue(issue_with({}, {t}), issue_with({}, {linked}))
                        .continuation_accuracy.ratio()),
              1.0, kEps);
  EXPECT_NEAR(value(evaluate_issue(issue_with({}, {t}), issue_with({}, {unlinked}))
                        .continuation_accuracy.ratio()),
              0.0, kEps);
}

TEST(ArticleTest, PairNeedsTwentyPercentOfTruthBigrams) {
  const Article t = article("a1", "一二三四五六七八九十百");  // 10 bigrams
  // Shares 1 bigram (10 %): not a pair, so body distance is the full 11.
  IssueScores s = evaluate_issue(issue_with({}, {t}), issue_with({}, {article("x", "一二XY")}));
  EXPECT_EQ(s.body_cer.numerator, 11);
  // Shares 2 bigrams (20 %): a pair, body distance 8.
  s = evaluate_issue(issue_with({}, {t}), issue_with({}, {article("x", "一二三")}));
  EXPECT_EQ(s.body_cer.numerator, 8);
  EXPECT_NEAR(value(s.article_recall.ratio()), 0.0, kEps);
}

TEST(ArticleTest, MatchingIsOneToOneBestDiceFirst) {
  const Article a = article("a", "一二三四五六七八九十");
  const Article b = article("b", "甲乙丙丁戊己庚辛壬癸");
  // One merged output article and a near copy of b: b takes the copy (higher Dice), a the merge.
  const IssueScores s =
      evaluate_issue(issue_with({}, {a, b}),
                     issue_with({}, {article("m", "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"),
                                     article("c", "甲乙丙丁戊己庚辛壬X")}));
  EXPECT_EQ(s.body_cer.numerator, 10 + 1);  // a vs merge: 10 insertions; b vs copy: 1
  EXPECT_NEAR(value(s.article_recall.ratio()), 0.5, kEps);
}

TEST(ArticleTest, ShortTextArticlesMatchOnHeadlinePlusText) {
  Article t = article("cap", "", "陽泉新貌攝影展");
  t.kind = ArticleKind::Caption;
  const Article decoy = article("d", "完全不同的文字內容", "別的標題");
  Article o = article("x", "", "陽泉新貌攝影展");
  const IssueScores s = evaluate_issue(issue_with({}, {t}), issue_with({}, {decoy, o}));
  EXPECT_NEAR(value(s.article_recall.ratio()), 1.0, kEps);
  EXPECT_EQ(s.headline_cer.denominator, 7);
  EXPECT_EQ(s.headline_cer.numerator, 0);
}

TEST(ArticleTest, HeadlineCerOverMatchedArticlesWithMissingHeadlineAtFullLength) {
  const Article t1 = article("a1", "一二三四五六七八九十", "雷健坤調研");
  const Article t2 = article("a2", "甲乙丙丁戊己庚辛壬癸", "治理中心");
  const Article t3 = article("a3", "子丑寅卯辰巳午未申酉", "不會配對");  // no output: not counted
  const IssueScores s =
      evaluate_issue(issue_with({}, {t1, t2, t3}),
                     issue_with({}, {article("x1", "一二三四五六七八九十", "雷健坤調查"),
                                     article("x2", "甲乙丙丁戊己庚辛壬癸")}));
  EXPECT_EQ(s.headline_cer.numerator, 1 + 4);
  EXPECT_EQ(s.headline_cer.denominator, 5 + 4);
  EXPECT_EQ(s.body_cer.numerator, 10);  // a3 unmatched counts in full
  EXPECT_EQ(s.body_cer.denominator, 30);
}

TEST(ArticleTest, BylineIgnoresBracketsPunctuationAndSpaces) {
  const Article t1 = article("a1", "一二三四五六七八九十", std::nullopt, "郁靜 子煜");
  const Article t2 = article("a2", "甲乙丙丁戊己庚辛壬癸", std::nullopt, "張澤慧");
  const Article t3 = article("a3", "子丑寅卯辰巳午未申酉", std::nullopt, "記者 王芳");
  const Article t4 = article("a4", "東南西北上下左右前後", std::nullopt, "李明");  // unmatched
  const IssueScores s = evaluate_issue(
      issue_with({}, {t1, t2, t3, t4}),
      issue_with({}, {article("x1", "一二三四五六七八九十", std::nullopt, "（郁靜、子煜）"),
                      article("x2", "甲乙丙丁戊己庚辛壬癸", std::nullopt, "（張澤輝）"),
                      article("x3", "子丑寅卯辰巳午未申酉")}));
  // x1 right despite brackets and 、; x2 wrong name; x3 has none; a4 has no match.
  EXPECT_EQ(s.byline_accuracy.numerator, 1);
  EXPECT_EQ(s.byline_accuracy.denominator, 4);
}

// ---------------------------------------------------------------------------------------------
// Regions

TEST(RegionTest, IouAtOrAboveHalfMatchesBelowDoesNot) {
  const Issue truth = issue_with({page(0, "",
                                       {region("h", RegionKind::Headline, {0, 0, 100, 100}),
                                        region("c", RegionKind::Caption, {0, 0, 100, 100}),
                                        region("k", RegionKind::Kicker, {0, 0, 100, 100})})});
  const Issue output =
      issue_with({page(0, "",
                       {region("h", RegionKind::Headline, {0, 0, 100, 51}),    // IoU 0.51
                        region("c", RegionKind::Caption, {0, 0, 100, 49}),     // IoU 0.49
                        region("k", RegionKind::Kicker, {0, 0, 100, 50})})});  // IoU 0.50
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_EQ(s.region(RegionKind::Headline).matched, 1);
  EXPECT_EQ(s.region(RegionKind::Caption).matched, 0);
  EXPECT_NEAR(value(s.region(RegionKind::Caption).recall()), 0.0, kEps);
  EXPECT_NEAR(value(s.region(RegionKind::Caption).precision()), 0.0, kEps);
  EXPECT_EQ(s.region(RegionKind::Kicker).matched, 1);
}

TEST(RegionTest, MatchingIsOneToOnePerKindAndPage) {
  const Issue truth =
      issue_with({page(0, "", {region("h", RegionKind::Headline, {0, 0, 100, 100})}),
                  page(1, "", {region("h2", RegionKind::Headline, {0, 0, 100, 100})})});
  const Issue output = issue_with({page(0, "",
                                        {region("a", RegionKind::Headline, {0, 0, 100, 100}),
                                         region("b", RegionKind::Headline, {0, 0, 100, 90}),
                                         region("c", RegionKind::Subheadline, {0, 0, 100, 100})}),
                                   page(1, "", {})});
  const IssueScores s = evaluate_issue(truth, output);
  const RegionTally& h = s.region(RegionKind::Headline);
  EXPECT_EQ(h.truth, 2);
  EXPECT_EQ(h.output, 2);
  EXPECT_EQ(h.matched, 1);
  EXPECT_NEAR(value(h.recall()), 0.5, kEps);
  EXPECT_NEAR(value(h.precision()), 0.5, kEps);
  EXPECT_FALSE(s.region(RegionKind::Subheadline).recall().has_value());
  EXPECT_NEAR(value(s.region(RegionKind::Subheadline).precision()), 0.0, kEps);
}

TEST(RegionTest, BodyCoverageOfHalfARegionIsHalfEvenWhenOutputOverlaps) {
  const Issue truth =
      issue_with({page(0, "", {region("b", RegionKind::Body, {0, 0, 100, 100}, "a")})});
  const Issue output = issue_with({page(0, "",
                                        {region("x", RegionKind::Body, {0, 0, 50, 100}),
                                         region("y", RegionKind::Body, {0, 0, 50, 100}),
                                         region("z", RegionKind::Body, {500, 500, 50, 50})})});
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_EQ(s.body_coverage.numerator, 5000);
  EXPECT_EQ(s.body_coverage.denominator, 10000);
  EXPECT_NEAR(value(s.body_coverage.ratio()), 0.5, kEps);
}

TEST(RegionTest, OutputBodyStraddlingTwoArticlesIsOverMerged) {
  const Issue truth =
      issue_with({page(0, "",
                       {region("b1", RegionKind::Body, {0, 0, 100, 100}, "a1"),
                        region("b2", RegionKind::Body, {100, 0, 100, 100}, "a2")})});
  const Issue output =
      issue_with({page(0, "",
                       {region("x", RegionKind::Body, {50, 0, 100, 100}),     // both halves
                        region("y", RegionKind::Body, {0, 0, 40, 100}),       // a1 only
                        region("z", RegionKind::Body, {0, 0, 105, 100})})});  // a2: 4.8 %
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_EQ(s.body_over_merge.numerator, 1);
  EXPECT_EQ(s.body_over_merge.denominator, 3);
  EXPECT_NEAR(value(s.body_over_merge.ratio()), 1.0 / 3.0, kEps);
}

TEST(RegionTest, BodyRegionsBelongToArticlesThroughPartsWhenArticleIdIsMissing) {
  Article a1 = article("a1", "一二三四");
  a1.parts = {part(1, "一二")};
  a1.parts[0].region_ids = {"b1", "b2"};
  // b1 and b2 (no article_id) are one article: a region straddling them is not over-merged.
  const Issue truth = issue_with({page(0, "",
                                       {region("b1", RegionKind::Body, {0, 0, 100, 100}),
                                        region("b2", RegionKind::Body, {100, 0, 100, 100}),
                                        region("b3", RegionKind::Body, {200, 0, 100, 100})})},
                                 {a1});
  const Issue output = issue_with({page(0, "",
                                        {region("x", RegionKind::Body, {50, 0, 100, 100}),
                                         region("y", RegionKind::Body, {150, 0, 100, 100})})});
  const IssueScores s = evaluate_issue(truth, output);
  EXPECT_EQ(s.body_over_merge.numerator, 1);  // y covers a1 (b2) and the lone b3
  EXPECT_EQ(s.body_over_merge.denominator, 2);
}

TEST(AreaTest, UnionAreasAreExact) {
  const std::vector<Box> a = {{0, 0, 10, 10}, {5, 5, 10, 10}, {0, 0, 0, 7}};
  EXPECT_EQ(union_area(a), 100 + 100 - 25);
  const std::vector<Box> b = {{5, 0, 20, 3}};
  // ∪a ∩ b: rows 0..3 of ∪a from x 5..10 (rows 5+ of the second box start at y 5).
  EXPECT_EQ(union_intersection_area(a, b), 5 * 3);
  EXPECT_EQ(union_intersection_area(a, std::vector<Box>{}), 0);
}

// ---------------------------------------------------------------------------------------------
// Pooling and run cost

TEST(PoolTest, OverallIsPooledNotAveraged) {
  IssueScores a;
  a.page_cer = {1, 10};
  a.article_recall = {0, 1};
  a.run = {10.0, 2, 500.0};
  IssueScores b;
  b.page_cer = {0, 90};
  b.article_recall = {9, 9};
  b.run = {2.0, 1, 800.0};
  IssueScores c;  // no provenance
  const std::vector<IssueScores> all = {a, b, c};
  const IssueScores p = pool(all);
  EXPECT_NEAR(value(p.page_cer.ratio()), 0.01, kEps);
  EXPECT_NEAR(value(p.article_recall.ratio()), 0.9, kEps);
  EXPECT_NEAR(value(p.run.seconds_per_page()), 4.0, kEps);
  EXPECT_NEAR(value(p.run.peak_rss_mib), 800.0, kEps);
}

TEST(RunCostTest, ReadsSecondsPagesAndPeakFromProvenance) {
  const Issue truth = issue_with({page(0, "甲"), page(1, "乙")});
  Issue output = truth;
  output.provenance["run"] = {{"seconds", 7.0}, {"pages", 2}, {"peak_rss_mib", 612.5}};
  IssueScores s = evaluate_issue(truth, output);
  EXPECT_NEAR(value(s.run.seconds_per_page()), 3.5, kEps);
  EXPECT_NEAR(value(s.run.peak_rss_mib), 612.5, kEps);
  output.provenance["run"] = {{"seconds", 8.0}};  // pages default to the output's page count
  s = evaluate_issue(truth, output);
  EXPECT_NEAR(value(s.run.seconds_per_page()), 4.0, kEps);
  EXPECT_FALSE(s.run.peak_rss_mib.has_value());
}

// ---------------------------------------------------------------------------------------------
// Folders

class EvaluateDirsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("broadsheet-eval-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void write(const std::filesystem::path& path, const Issue& issue) {
    ASSERT_TRUE(write_issue_json(path, issue).has_value()) << path;
  }

  std::filesystem::path root_;
};

TEST_F(EvaluateDirsTest, ScoresEveryTruthIssueAndFlagsMissingOutput) {
  const std::filesystem::path truth = root_ / "truth";
  const std::filesystem::path out = root_ / "out";
  Issue done = sample_issue();
  write(truth / "yangquan-ribao/2025-08-07/truth.json", done);
  write(truth / "yangquan-ribao/2025-08-08/truth.json", sample_issue());
  done.provenance["run"] = {{"seconds", 6.0}, {"pages", 2}, {"peak_rss_mib", 700}};
  write(out / "yangquan-ribao/2025-08-07/issue.json", done);

  auto report = evaluate_dirs(truth, out);
  ASSERT_TRUE(report.has_value()) << report.error().describe();
  ASSERT_EQ(report->issues.size(), 2u);
  const IssueScores& ok = report->issues[0];
  const IssueScores& missing = report->issues[1];
  EXPECT_EQ(ok.id, "yangquan-ribao/2025-08-07");
  EXPECT_FALSE(ok.output_missing);
  EXPECT_NEAR(value(ok.page_cer.ratio()), 0.0, kEps);
  EXPECT_EQ(missing.id, "yangquan-ribao/2025-08-08");
  EXPECT_TRUE(missing.output_missing);
  EXPECT_NEAR(value(missing.page_cer.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(missing.article_recall.ratio()), 0.0, kEps);
  EXPECT_NEAR(value(missing.body_cer.ratio()), 1.0, kEps);
  EXPECT_NEAR(value(report->overall.page_cer.ratio()), 0.5, kEps);
  EXPECT_NEAR(value(report->overall.article_recall.ratio()), 0.5, kEps);
  EXPECT_NEAR(value(report->overall.run.seconds_per_page()), 3.0, kEps);

  const std::string table = format_table(*report);
  EXPECT_NE(table.find("yangquan-ribao/2025-08-08  (missing output)"), std::string::npos) << table;
  EXPECT_NE(table.find("overall"), std::string::npos);
  EXPECT_NE(table.find("body coverage"), std::string::npos);

  const nlohmann::json j = to_json(*report);
  ASSERT_EQ(j.at("issues").size(), 2u);
  EXPECT_EQ(j["issues"][1]["output_missing"], true);
  EXPECT_TRUE(j["issues"][1]["headline_cer"].is_null());
  EXPECT_TRUE(j["issues"][1]["seconds_per_page"].is_null());
  EXPECT_EQ(j["issues"][0]["page_cer"], 0.0);
  EXPECT_EQ(j["overall"]["counts"]["page_cer"]["denominator"],
            report->overall.page_cer.denominator);
  EXPECT_EQ(j["overall"]["regions"]["body"]["truth"], 8);
}

TEST_F(EvaluateDirsTest, MissingTruthFolderIsAnErrorNamingIt) {
  auto report = evaluate_dirs(root_ / "nope", root_ / "out");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::InputMissing);
  EXPECT_EQ(report.error().input, root_ / "nope");
  EXPECT_NE(report.error().describe().find("truth.json"), std::string::npos)
      << report.error().describe();
}

TEST_F(EvaluateDirsTest, TruthFolderWithoutTruthFilesIsAnError) {
  std::filesystem::create_directories(root_ / "truth/some-paper/2025-08-07");
  std::ofstream(root_ / "truth/some-paper/2025-08-07/issue.json") << "{}";
  auto report = evaluate_dirs(root_ / "truth", root_ / "out");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().input, root_ / "truth");
  EXPECT_NE(report.error().describe().find("truth.json"), std::string::npos);
}

TEST_F(EvaluateDirsTest, UnreadableOutputIsAnErrorNamingTheFile) {
  write(root_ / "truth/p/d/truth.json", sample_issue());
  std::filesystem::create_directories(root_ / "out/p/d");
  std::ofstream(root_ / "out/p/d/issue.json") << "{ not json";
  auto report = evaluate_dirs(root_ / "truth", root_ / "out");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().input, root_ / "out/p/d/issue.json");
}

}  // namespace
}  // namespace broadsheet::eval
