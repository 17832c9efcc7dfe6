#include "core/issue_json.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_paths.hpp"

namespace broadsheet {
namespace {

Issue sample_issue() {
  Issue issue;
  issue.issue.id = "yangquan-ribao/2025-08-07";
  issue.issue.newspaper = "陽泉日報";
  issue.issue.date = "2025-08-07";
  issue.issue.number = 15434;
  issue.issue.page_count = 4;
  issue.issue.extra["serial"] = "CN14—0020";
  Page p;
  p.page = 1;
  p.scan_index = 0;
  p.image = "page-01.jpg";
  p.width = 3300;
  p.height = 5200;
  p.text = "陽泉日報\n雷健坤調研";
  Region r;
  r.id = "p1-r1";
  r.kind = RegionKind::Headline;
  r.bbox = {10, 20, 300, 40};
  r.direction = Direction::Vertical;
  r.text = "雷健坤調研";
  r.confidence = 0.9;
  r.article_id = "a1";
  r.lines.push_back({{10, 20, 300, 40}, "雷健坤調研", 0.9});
  r.original_text = "雷健坤调研";
  p.regions.push_back(r);
  issue.pages.push_back(p);
  Article a;
  a.id = "a1";
  a.headline = "雷健坤調研";
  a.byline = "郁靜 子煜";
  a.paragraphs = {"本報訊", "市領導參加。"};
  a.text = "本報訊\n市領導參加。";
  a.pages = {1, 3};
  a.continuations.push_back({1, 3, "下轉第三版"});
  a.parts.push_back({1, {"p1-r1"}, {10, 20, 300, 40}, "本報訊"});
  issue.articles.push_back(a);
  issue.provenance["broadsheet"] = "test";
  return issue;
}

TEST(IssueJsonTest, RoundTripKeepsEveryField) {
  const Issue in = sample_issue();
  const nlohmann::json j = to_json(in);
  auto out = issue_from_json(j);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(to_json(*out), j);
  EXPECT_EQ(out->pages[0].regions[0].kind, RegionKind::Headline);
  EXPECT_EQ(out->pages[0].regions[0].direction, Direction::Vertical);
  EXPECT_EQ(out->pages[0].regions[0].original_text, "雷健坤调研");
  EXPECT_EQ(out->articles[0].continuations[0], (Continuation{1, 3, "下轉第三版"}));
  EXPECT_EQ(out->issue.extra.at("serial"), "CN14—0020");
}

/// sample_issue with characters on its line: five glyphs of a vertical headline.
Issue issue_with_chars() {
  Issue issue = sample_issue();
  Line& line = issue.pages[0].regions[0].lines[0];
  const char* chars[] = {"雷", "健", "坤", "調", "研"};
  for (int k = 0; k < 5; ++k)
    line.chars.push_back(Glyph{Box{10, 20 + 8 * k, 40, 8}, chars[k], 0.5 + 0.1 * k});
  return issue;
}

TEST(IssueJsonTest, RoundTripKeepsCharacters) {
  const Issue in = issue_with_chars();
  const nlohmann::json j = to_json(in);
  const nlohmann::json& chars = j["pages"][0]["regions"][0]["lines"][0]["chars"];
  ASSERT_EQ(chars.size(), 5u);
  EXPECT_EQ(chars[1]["text"], "健");
  EXPECT_EQ(chars[1]["bbox"], nlohmann::json::array({10, 28, 40, 8}));
  auto out = issue_from_json(j);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(to_json(*out), j);
  const std::vector<Glyph>& back = out->pages[0].regions[0].lines[0].chars;
  const std::vector<Glyph>& want = in.pages[0].regions[0].lines[0].chars;
  ASSERT_EQ(back.size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(back[k].bbox, want[k].bbox);
    EXPECT_EQ(back[k].text, want[k].text);
    EXPECT_NEAR(back[k].confidence, want[k].confidence, 5e-4);
  }
}

TEST(IssueJsonTest, LinesWithoutCharactersHaveNoCharsField) {
  // Older files and truth files have no "chars": they read as lines without characters, and a
  // line without characters writes none.
  const nlohmann::json j = to_json(sample_issue());
  EXPECT_FALSE(j["pages"][0]["regions"][0]["lines"][0].contains("chars"));
  auto out = issue_from_json(j);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_TRUE(out->pages[0].regions[0].lines[0].chars.empty());
}

TEST(IssueJsonTest, CharactersThatDoNotSpellTheLineAreDropped) {
  nlohmann::json j = to_json(issue_with_chars());
  j["pages"][0]["regions"][0]["lines"][0]["chars"][2]["text"] = "X";
  auto out = issue_from_json(j);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(out->pages[0].regions[0].lines[0].text, "雷健坤調研");
  EXPECT_TRUE(out->pages[0].regions[0].lines[0].chars.empty());

  j["pages"][0]["regions"][0]["lines"][0]["chars"][2]["bbox"] = "wide";
  auto bad = issue_from_json(j);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("lines[0].chars[2].bbox"), std::string::npos)
      << bad.error().message;
}

TEST(IssueJsonTest, FileIsIndentedLikeBeforeWithOneCompactGlyphALine) {
  // Without characters the file is exactly nlohmann's one-space indentation.
  const Issue plain = sample_issue();
  EXPECT_EQ(format_issue_json(plain), to_json(plain).dump(1) + "\n");
  // With them, each glyph is one line of its own, and the whole still parses to the same JSON.
  const Issue rich = issue_with_chars();
  const std::string text = format_issue_json(rich);
  EXPECT_EQ(nlohmann::json::parse(text), to_json(rich));
  EXPECT_NE(text.find("\n        {\"bbox\":[10,28,40,8],\"confidence\":0.6,\"text\":\"健\"},\n"),
            std::string::npos)
      << text;
}

TEST(IssueJsonTest, WritesRegionKindsAsLowerCaseStrings) {
  const nlohmann::json j = to_json(sample_issue());
  EXPECT_EQ(j["pages"][0]["regions"][0]["kind"], "headline");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_TRUE(j["articles"][0]["subheadline"].is_null());
}

TEST(IssueJsonTest, ErrorNamesTheBadField) {
  nlohmann::json j = to_json(sample_issue());
  j["pages"][0]["regions"][0]["kind"] = "banner";
  auto out = issue_from_json(j);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("pages[0].regions[0].kind"), std::string::npos)
      << out.error().message;
  EXPECT_NE(out.error().message.find("banner"), std::string::npos);
}

TEST(IssueJsonTest, RefusesAnotherSchemaVersion) {
  nlohmann::json j = to_json(sample_issue());
  j["schema_version"] = 2;
  auto out = issue_from_json(j);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("schema_version"), std::string::npos);
}

TEST(IssueJsonTest, RefusesNumbersNoPageOrSizeCanHave) {
  // A scan index of INT_MAX made the default page number (scan_index + 1) overflow; a page of
  // 2^32 + 1 was read as page 1. Each is refused with the field named, and a value in range reads.
  struct Case {
    const char* pointer;
    nlohmann::json value;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"/pages/0/scan_index", 2147483647LL, "pages[0].scan_index"},
      {"/pages/0/scan_index", -1, "pages[0].scan_index"},
      {"/pages/0/page", 4294967297LL, "pages[0].page"},
      {"/pages/0/width", -5, "pages[0].width"},
      {"/pages/0/height", 18446744073709551615ULL, "pages[0].height"},
      {"/articles/0/pages/1", 3000000000LL, "articles[0].pages"},
      {"/articles/0/continuations/0/to_page", -3000000000LL,
       "articles[0].continuations[0].to_page"},
      {"/articles/0/parts/0/page", 2147483648LL, "articles[0].parts[0].page"},
      {"/schema_version", 4294967297LL, "schema_version"},
      {"/issue/page_count", -4, "issue.page_count"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = to_json(sample_issue());
    j[nlohmann::json::json_pointer(c.pointer)] = c.value;
    if (std::string(c.pointer) == "/pages/0/scan_index") j["pages"][0].erase("page");
    auto out = issue_from_json(j);
    ASSERT_FALSE(out) << c.pointer << " = " << c.value.dump() << " was read";
    EXPECT_NE(out.error().message.find(c.field), std::string::npos) << out.error().message;
  }
  nlohmann::json j = to_json(sample_issue());
  j["pages"][0]["scan_index"] = 41;
  j["pages"][0].erase("page");
  auto out = issue_from_json(j);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(out->pages[0].page, 42);
}

TEST(IssueJsonTest, APartHoldingBoxesAtTheEdgesOfTheRangeReadsBack) {
  // Two regions whose boxes each read were united into a part box wider than a single coordinate
  // was allowed to be, so reassembly wrote an issue.json it could not read back (fuzz_issue_json).
  nlohmann::json j = to_json(sample_issue());
  j["pages"][0]["regions"][0]["bbox"] = {-100000000, -100000000, 10, 10};
  auto region = j["pages"][0]["regions"][0];
  region["id"] = "p1-r2";
  region["bbox"] = {99999990, 99999990, 10, 10};
  j["pages"][0]["regions"].push_back(region);
  auto issue = issue_from_json(j);
  ASSERT_TRUE(issue) << issue.error().describe();
  Box part;
  for (const Region& r : issue->pages[0].regions) part = unite(part, r.bbox);
  EXPECT_EQ(part, (Box{-100000000, -100000000, 200000000, 200000000}));
  issue->articles[0].parts[0].bbox = part;
  auto back = issue_from_json(to_json(*issue));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->articles[0].parts[0].bbox, part);

  for (const nlohmann::json& bad :
       {nlohmann::json{99999990, 0, 11, 10}, nlohmann::json{0, -100000001, 10, 10},
        nlohmann::json{0, 0, 1e300, 10}, nlohmann::json{0, 0, 10, -3e9}}) {
    nlohmann::json k = to_json(sample_issue());
    k["pages"][0]["regions"][0]["bbox"] = bad;
    auto out = issue_from_json(k);
    ASSERT_FALSE(out) << bad.dump() << " was read";
    EXPECT_NE(out.error().message.find("pages[0].regions[0].bbox"), std::string::npos)
        << out.error().message;
  }
}

TEST(IssueJsonTest, ReadsTheSeedPageVocabulary) {
  // The seed file lists articles without pages; it must still parse (unknown fields kept).
  const std::filesystem::path seed =
      std::filesystem::path(test::kSourceDir) / "../shared/seed/seed-page1.json";
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "seed not found at " << seed;
  auto issue = read_issue_json(seed);
  ASSERT_TRUE(issue) << issue.error().describe();
  EXPECT_EQ(issue->articles.size(), 8u);
  EXPECT_EQ(issue->issue.number, 15434);
}

TEST(IssueJsonTest, AtomicWriteLeavesNoTemporaryFile) {
  const auto dir = std::filesystem::temp_directory_path() / "broadsheet_issue_json_test";
  std::filesystem::remove_all(dir);
  auto ok = write_issue_json(dir / "x" / "issue.json", sample_issue());
  ASSERT_TRUE(ok) << ok.error().describe();
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "x")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
  auto back = read_issue_json(dir / "x" / "issue.json");
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->articles[0].byline, "郁靜 子煜");
  std::filesystem::remove_all(dir);
}

TEST(IssueJsonTest, BrokenFileIsAnErrorWithThePath) {
  const auto path = std::filesystem::temp_directory_path() / "broadsheet_broken.json";
  std::ofstream(path) << "{ not json";
  auto out = read_issue_json(path);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().input, path);
  std::filesystem::remove(path);
}

TEST(TextOrderTest, ReadsArticlePartsTogetherInTheirOwnOrder) {
  Page p;
  p.page = 2;
  for (const char* id : {"h", "a1", "b1", "a2", "x", "b2"}) {
    Region r;
    r.id = id;
    r.text = id;
    p.regions.push_back(r);
  }
  p.regions[4].text.clear();  // a photo, say: no text
  Article a, b, elsewhere;
  a.parts.push_back({2, {"a2", "a1"}, {}, ""});  // columns read in the article's order
  b.parts.push_back({2, {"b1", "b2"}, {}, ""});
  elsewhere.parts.push_back({3, {"h"}, {}, ""});  // another page's part names nothing here
  const std::vector<Article> articles = {a, b, elsewhere};
  EXPECT_EQ(text_order(p, articles), (std::vector<std::size_t>{0, 3, 1, 2, 5, 4}));
  EXPECT_EQ(ordered_page_text(p, articles), "h\na2\na1\nb1\nb2");
  EXPECT_EQ(ordered_page_text(p, {}), "h\na1\nb1\na2\nb2");
}

}  // namespace
}  // namespace broadsheet
