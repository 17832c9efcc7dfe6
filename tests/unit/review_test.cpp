// review: the corrections store, applying corrections to re-runs, and the search index.

#include <filesystem>

#include <gtest/gtest.h>

#include "core/issue_json.hpp"
#include "review/corrections.hpp"
#include "review/search.hpp"
#include "review_sample.hpp"

namespace broadsheet::review {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::review_sample_issue;

Correction field_edit(const Issue& issue, const std::string& article, Field f, std::string value,
                      long long id = 1) {
  Correction c;
  c.id = id;
  c.issue_id = issue.issue.id;
  for (const Article& a : issue.articles)
    if (a.id == article) {
      c.anchor = anchor_of(issue, a);
      c.base_value = ocr_value(a, f);
    }
  c.field = f;
  c.value = std::move(value);
  c.editor = "proofreader";
  return c;
}

const Article* find(const Issue& issue, const std::string& id) {
  for (const Article& a : issue.articles)
    if (a.id == id) return &a;
  return nullptr;
}

// Written and read back, as the next apply sees it.
Issue round_trip(const Issue& issue) {
  auto parsed = issue_from_json(json::parse(to_json(issue).dump()));
  EXPECT_TRUE(parsed.has_value());
  return parsed ? *parsed : Issue{};
}

class ReviewDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_review_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(ReviewApplyTest, FieldEditReplacesTheValueAndKeepsTheOcrBeside) {
  Issue issue = review_sample_issue();
  const Correction c = field_edit(issue, "a2", Field::Text, "市領導耿鵬鵬參加。");
  const ApplyReport report = apply_corrections(issue, {c});
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.conflicts, 0);
  const Article* a2 = find(issue, "a2");
  ASSERT_NE(a2, nullptr);
  EXPECT_EQ(a2->text, "市領導耿鵬鵬參加。");
  EXPECT_EQ(a2->extra["ocr"]["text"], "市領導耿周鵬參加。");
  EXPECT_EQ(a2->extra["corrections"][0]["status"], "applied");
  EXPECT_EQ(issue.provenance["review"]["applied"], 1);
}

TEST(ReviewApplyTest, ApplyingTwiceGivesTheSameIssue) {
  Issue issue = review_sample_issue();
  std::vector<Correction> cs = {field_edit(issue, "a1", Field::Headline, "搶抓黃金期跑出加速度", 1),
                                field_edit(issue, "a3", Field::Byline, "郁靜", 2)};
  (void)apply_corrections(issue, cs);
  const json once = to_json(issue);
  Issue again = round_trip(issue);
  const ApplyReport report = apply_corrections(again, cs);
  EXPECT_EQ(report.conflicts, 0);
  EXPECT_EQ(to_json(again), once);
}

TEST(ReviewApplyTest, ChangedOcrIsAConflictButThePersonsTextStays) {
  const Issue before = review_sample_issue();
  const Correction c = field_edit(before, "a2", Field::Text, "市領導耿鵬鵬參加。");
  Issue rerun =
      review_sample_issue();  // a better model reads something else under the same article
  rerun.articles[1].text = "市領導耿閒鵬參加。";
  const ApplyReport report = apply_corrections(rerun, {c});
  EXPECT_EQ(report.conflicts, 1);
  EXPECT_TRUE(report.outcomes[0].applied);
  EXPECT_EQ(find(rerun, "a2")->text, "市領導耿鵬鵬參加。");
  EXPECT_EQ(find(rerun, "a2")->extra["ocr"]["text"], "市領導耿閒鵬參加。");
  const json& conflict = rerun.provenance["review"]["conflicts"][0];
  EXPECT_EQ(conflict["value"], "市領導耿鵬鵬參加。");
  EXPECT_EQ(conflict["ocr_value"], "市領導耿閒鵬參加。");
  EXPECT_NE(conflict["reason"].get<std::string>().find("changed"), std::string::npos);
}

TEST(ReviewApplyTest, ArticleFoundByOverlapWhenIdsAreRenumbered) {
  const Issue before = review_sample_issue();
  const Correction c = field_edit(before, "a3", Field::Text, "暑期托管班圓滿結業。");
  Issue rerun = review_sample_issue();
  rerun.articles[2].id = "a9";
  rerun.pages[1].regions[0].id = "p2-r7";
  rerun.pages[1].regions[0].bbox = {110, 95, 790, 820};  // deskewed a little differently
  rerun.articles[2].parts[0].region_ids = {"p2-r7"};
  const ApplyReport report = apply_corrections(rerun, {c});
  EXPECT_EQ(report.conflicts, 0);
  EXPECT_EQ(report.outcomes[0].article_id, "a9");
  EXPECT_EQ(find(rerun, "a9")->text, "暑期托管班圓滿結業。");
}

TEST(ReviewApplyTest, PagesOfOneMultiPageFileAreNotConfused) {
  // Both pages are frames of one TIFF: the same image name, told apart by the frame.
  auto as_frames = [](Issue issue) {
    for (int k = 0; k < 2; ++k) {
      issue.pages[k].image = "1919-04-03.tif";
      issue.pages[k].extra["frame"] = k;
    }
    return issue;
  };
  const Issue before = as_frames(review_sample_issue());
  const Correction c = field_edit(before, "a3", Field::Text, "暑期托管班圓滿結業。");
  ASSERT_EQ(c.anchor.regions.size(), 1u);
  EXPECT_EQ(c.anchor.regions[0].frame, 1);
  // Stored and read back, the anchor keeps its frame.
  auto back = anchor_from_json(to_json(c.anchor));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->regions[0].frame, 1);

  // A re-run renumbers a3 and its region; on the first page a2's region now lies exactly where
  // a3's was on the second. Only the second page's region may take the correction.
  Issue rerun = round_trip(as_frames(review_sample_issue()));
  rerun.articles[2].id = "a9";
  rerun.pages[1].regions[0].id = "p2-r7";
  rerun.pages[1].regions[0].bbox = {110, 95, 790, 820};
  rerun.articles[2].parts[0].region_ids = {"p2-r7"};
  rerun.pages[0].regions[3].bbox = {100, 100, 800, 800};
  const ApplyReport report = apply_corrections(rerun, {c});
  EXPECT_EQ(report.conflicts, 0);
  EXPECT_EQ(report.outcomes[0].article_id, "a9");
  EXPECT_EQ(find(rerun, "a9")->text, "暑期托管班圓滿結業。");
  EXPECT_NE(find(rerun, "a2")->text, "暑期托管班圓滿結業。");
}

TEST(ReviewApplyTest, CorrectionWhoseArticleVanishedIsKeptAsAConflict) {
  const Issue before = review_sample_issue();
  const Correction c = field_edit(before, "a3", Field::Headline, "托管班結業");
  Issue rerun = review_sample_issue();
  rerun.pages[1].regions[0].bbox = {1500, 2000, 300, 300};  // another layout: nothing overlaps
  const ApplyReport report = apply_corrections(rerun, {c});
  EXPECT_EQ(report.applied, 0);
  EXPECT_EQ(report.conflicts, 1);
  ASSERT_EQ(rerun.provenance["review"]["conflicts"].size(), 1u);
  EXPECT_EQ(rerun.provenance["review"]["conflicts"][0]["value"], "托管班結業");
  EXPECT_TRUE(rerun.provenance["review"]["conflicts"][0]["matched_article"].is_null());
}

TEST(ReviewApplyTest, MergeJoinsTwoArticlesAndReplaysIdempotently) {
  Issue issue = review_sample_issue();
  Correction merge;
  merge.id = 1;
  merge.issue_id = issue.issue.id;
  merge.kind = Kind::Merge;
  merge.anchor = anchor_of(issue, issue.articles[0]);
  merge.payload = {{"from", to_json(anchor_of(issue, issue.articles[1]))}};
  const ApplyReport first = apply_corrections(issue, {merge});
  EXPECT_EQ(first.applied, 1);
  ASSERT_EQ(issue.articles.size(), 2u);
  const Article* a1 = find(issue, "a1");
  EXPECT_EQ(a1->text, "本報訊市委書記調研。\n項目建設加速度。\n市領導耿周鵬參加。");
  EXPECT_EQ(a1->parts[0].region_ids.size(), 4u);
  EXPECT_EQ(issue.pages[0].regions[3].article_id, "a1");
  // A text edit made on the merged article, then both replayed on the written issue.json.
  Correction edit = field_edit(issue, "a1", Field::Text, "本報訊。\n項目。\n市領導參加。", 2);
  std::vector<Correction> cs = {merge, edit};
  Issue written = round_trip(issue);
  const ApplyReport again = apply_corrections(written, cs);
  EXPECT_EQ(again.conflicts, 0);
  EXPECT_EQ(find(written, "a1")->text, "本報訊。\n項目。\n市領導參加。");
  const json once = to_json(written);
  Issue third = round_trip(written);
  (void)apply_corrections(third, cs);
  EXPECT_EQ(to_json(third), once);
  // The OCR articles are recoverable.
  restore_ocr(third);
  EXPECT_EQ(third.articles.size(), 3u);
  EXPECT_EQ(find(third, "a2")->text, "市領導耿周鵬參加。");
}

TEST(ReviewApplyTest, MoveRegionTakesItsTextToTheOtherArticle) {
  Issue issue = review_sample_issue();
  Correction move;
  move.id = 1;
  move.issue_id = issue.issue.id;
  move.kind = Kind::MoveRegion;
  move.anchor = anchor_of(issue, issue.articles[1]);  // to a2
  move.payload = {{"region", to_json(*region_ref_of(issue, "p1-r3"))}};
  const ApplyReport report = apply_corrections(issue, {move});
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.conflicts, 0);
  EXPECT_EQ(find(issue, "a1")->text, "本報訊市委書記調研。");
  EXPECT_EQ(find(issue, "a2")->text, "市領導耿周鵬參加。\n項目建設加速度。");
  EXPECT_EQ(issue.pages[0].regions[2].article_id, "a2");
  const json once = to_json(issue);
  Issue again = round_trip(issue);
  (void)apply_corrections(again, {move});
  EXPECT_EQ(to_json(again), once);
}

TEST(ReviewApplyTest, SplitMakesANewArticleOfTheChosenRegions) {
  Issue issue = review_sample_issue();
  Correction split;
  split.id = 7;
  split.issue_id = issue.issue.id;
  split.kind = Kind::Split;
  split.anchor = anchor_of(issue, issue.articles[0]);
  split.payload = {{"regions", json::array({to_json(*region_ref_of(issue, "p1-r3"))})}};
  const ApplyReport report = apply_corrections(issue, {split});
  EXPECT_EQ(report.applied, 1);
  ASSERT_EQ(issue.articles.size(), 4u);
  EXPECT_EQ(issue.articles[1].id, "a1-s7");
  EXPECT_EQ(issue.articles[1].text, "項目建設加速度。");
  EXPECT_EQ(find(issue, "a1")->text, "本報訊市委書記調研。");
}

TEST(ReviewApplyTest, LinkJoinsAContinuationAndUnlinkUndoesIt) {
  Issue issue = review_sample_issue();
  Correction link;
  link.id = 3;
  link.issue_id = issue.issue.id;
  link.kind = Kind::Link;
  link.anchor = anchor_of(issue, issue.articles[0]);                        // a1, page 1
  link.payload = {{"from", to_json(anchor_of(issue, issue.articles[2]))}};  // a3, page 2
  ApplyReport report = apply_corrections(issue, {link});
  EXPECT_EQ(report.applied, 1);
  const Article* a1 = find(issue, "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(find(issue, "a3"), nullptr);
  EXPECT_EQ(a1->pages, (std::vector<int>{1, 2}));
  ASSERT_EQ(a1->continuations.size(), 1u);
  EXPECT_EQ(a1->continuations[0].from_page, 1);
  EXPECT_EQ(a1->continuations[0].to_page, 2);
  EXPECT_NE(a1->text.find("暑期托管班結業。"), std::string::npos);
  // Unlink page 2 again: a new article of the page-2 part, no continuation left.
  Correction unlink;
  unlink.id = 4;
  unlink.issue_id = issue.issue.id;
  unlink.kind = Kind::Unlink;
  unlink.anchor = anchor_of(issue, *a1);
  unlink.payload = {{"page", 2},
                    {"regions", json::array({to_json(*region_ref_of(issue, "p2-r1"))})}};
  const std::vector<Correction> both = {link, unlink};
  Issue again = round_trip(issue);
  report = apply_corrections(again, both);
  EXPECT_EQ(report.applied, 2);
  EXPECT_EQ(report.conflicts, 0);
  a1 = find(again, "a1");
  EXPECT_TRUE(a1->continuations.empty());
  EXPECT_EQ(a1->pages, (std::vector<int>{1}));
  EXPECT_EQ(a1->text.find("托管"), std::string::npos);
  const Article* part = find(again, "a1-u4");
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->pages, (std::vector<int>{2}));
  EXPECT_EQ(part->text, "暑期托管班結業。");
}

TEST(ReviewApplyTest, OutputRootStripsTheIssueId) {
  EXPECT_EQ(output_root("/out/paper/2025-08-07", "paper/2025-08-07"), fs::path("/out"));
  EXPECT_EQ(output_root("/out/paper/2025-08-07/", "paper/2025-08-07"), fs::path("/out"));
  EXPECT_EQ(output_root("out/x", "x"), fs::path("out"));
}

TEST(ReviewApplyTest, UnsafeIssueIdsAreRefused) {
  EXPECT_TRUE(is_safe_issue_id("yangquan-ribao/2025-08-07"));
  for (const char* bad : {"", "/etc", "..", "a/../b", "a/./b", "a//b", "a/", "%2e%2e", "a\\b"})
    EXPECT_FALSE(is_safe_issue_id(bad)) << bad;
}

TEST_F(ReviewDirTest, StoreKeepsHistoryAndCountsRevisions) {
  {
    auto missing = Store::open(dir_, false);
    ASSERT_TRUE(missing) << missing.error().describe();
    EXPECT_FALSE(missing->exists());
    EXPECT_FALSE(fs::exists(dir_ / kCorrectionsFile));
  }
  auto store = Store::open(dir_, true);
  ASSERT_TRUE(store) << store.error().describe();
  const Issue issue = review_sample_issue();
  auto first = store->add(field_edit(issue, "a1", Field::Headline, "一"));
  ASSERT_TRUE(first);
  auto second = store->add(field_edit(issue, "a1", Field::Headline, "二"), {*first});
  ASSERT_TRUE(second);
  auto active = store->list(issue.issue.id);
  ASSERT_TRUE(active);
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ(active->front().value, "二");
  EXPECT_EQ(active->front().editor, "proofreader");
  EXPECT_EQ(active->front().anchor.regions.size(), 3u);
  EXPECT_FALSE(active->front().time.empty());
  auto all = store->list(issue.issue.id, true);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().status, Status::Superseded);
  EXPECT_EQ(*store->revision(issue.issue.id), 2);
  ASSERT_TRUE(store->set_status(*second, Status::Dismissed));
  EXPECT_EQ(*store->revision(issue.issue.id), 3);
  EXPECT_TRUE(store->list(issue.issue.id)->empty());
  EXPECT_EQ(*store->revision("other"), 0);
}

TEST_F(ReviewDirTest, ApplyFromAnIssueFolderReadsTheStore) {
  Issue issue = review_sample_issue();
  const fs::path issue_dir = dir_ / issue.issue.id;
  auto none = apply_corrections(issue, issue_dir);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->applied, 0);
  EXPECT_FALSE(fs::exists(dir_ / kCorrectionsFile));
  {
    auto store = Store::open(dir_, true);
    ASSERT_TRUE(store->add(field_edit(issue, "a3", Field::Text, "暑期托管班圓滿結業。")));
  }
  auto applied = apply_corrections(issue, issue_dir);
  ASSERT_TRUE(applied) << applied.error().describe();
  EXPECT_EQ(applied->applied, 1);
  EXPECT_EQ(find(issue, "a3")->text, "暑期托管班圓滿結業。");
}

TEST(ReviewSearchTest, BigramTokensPairNeighboursAndKeepTheLastAlone) {
  EXPECT_EQ(bigram_tokens("陽泉日報"), " 陽泉 泉日 日報 報 ");
  EXPECT_EQ(bigram_tokens("CN14，陽泉"), "CN14， 陽泉 泉 ");
}

TEST_F(ReviewDirTest, SearchFindsOneTwoAndManyCharacterTermsInCorrectedText) {
  Issue issue = review_sample_issue();
  fs::create_directories(dir_ / issue.issue.id);
  ASSERT_TRUE(write_issue_json(dir_ / issue.issue.id / "issue.json", issue));
  {
    auto store = Store::open(dir_, true);
    ASSERT_TRUE(store->add(field_edit(issue, "a2", Field::Text, "市領導耿鵬鵬參加剪綵。")));
  }
  auto synced = sync_index(dir_);
  ASSERT_TRUE(synced) << synced.error().describe();
  EXPECT_EQ(*synced, 1);
  EXPECT_EQ(*sync_index(dir_), 0);  // up to date

  auto two = search(dir_, "剪綵");  // corrected words, two characters
  ASSERT_TRUE(two) << two.error().describe();
  ASSERT_EQ(two->size(), 1u);
  EXPECT_EQ((*two)[0].article_id, "a2");
  EXPECT_EQ((*two)[0].issue_id, "paper/2025-08-07");
  EXPECT_EQ((*two)[0].date, "2025-08-07");
  EXPECT_EQ((*two)[0].page, 1);
  EXPECT_NE((*two)[0].snippet.find("剪綵"), std::string::npos);
  EXPECT_EQ((*two)[0].highlight_length, 2);
  EXPECT_TRUE(search(dir_, "耿周鵬")->empty());  // the OCR's error is no longer found
  EXPECT_EQ(search(dir_, "托管班結業")->size(), 1u);
  EXPECT_EQ((*search(dir_, "托管"))[0].page, 2);
  EXPECT_EQ((*search(dir_, "托管"))[0].headline, "托管班");
  EXPECT_EQ(search(dir_, "綵")->size(), 1u);  // one character
  EXPECT_EQ(search(dir_, "期")->size(), 2u);  // a1 (headline) and a3
  EXPECT_EQ(search(dir_, "調研 加速度")->size(), 1u);
  EXPECT_TRUE(search(dir_, "調研 托管")->empty());
  EXPECT_TRUE(search(dir_, "\"")->empty());  // FTS syntax is quoted, not parsed
  EXPECT_FALSE(search(dir_, "  ").has_value());

  // A re-run (issue.json rewritten) and a removed issue are noticed.
  fs::remove_all(dir_ / "paper");
  EXPECT_EQ(*sync_index(dir_), 0);
  EXPECT_TRUE(search(dir_, "托管")->empty());
}

}  // namespace
}  // namespace broadsheet::review
