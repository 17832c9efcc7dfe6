#include "export/export.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/issue_json.hpp"
#include "core/text.hpp"
#include "export/layout.hpp"
#include "export/xml.hpp"
#include "test_paths.hpp"

namespace broadsheet::exporter {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Inputs: the synthetic issue's truth (4 pages, articles continued 1→3 and 1→2) and a small
// hand-made issue with everything awkward in it.

const fs::path kTruth = fs::path(test::kSourceDir) / "scans/yangquan-ribao/2025-08-07/truth.json";
const fs::path kSchemas = fs::path(test::kFixtureDir) / "schemas";

Issue truth_issue() {
  auto issue = read_issue_json(kTruth);
  EXPECT_TRUE(issue) << "cannot read " << kTruth << ": " << issue.error().describe();
  return issue ? *issue : Issue{};
}

Region region(std::string id, RegionKind kind, Box box, std::vector<Line> lines,
              std::optional<std::string> article = {}) {
  Region r;
  r.id = std::move(id);
  r.kind = kind;
  r.bbox = box;
  r.lines = std::move(lines);
  for (const auto& l : r.lines) r.text += (r.text.empty() ? "" : "\n") + l.text;
  r.confidence = 0.8;
  r.article_id = std::move(article);
  return r;
}

Page page(int number, int scan_index, std::string image, std::vector<Region> regions) {
  Page p;
  p.page = number;
  p.scan_index = scan_index;
  p.image = std::move(image);
  p.width = 2000;
  p.height = 3000;
  p.regions = std::move(regions);
  return p;
}

ArticlePart part(int page_number, std::vector<std::string> ids) {
  ArticlePart p;
  p.page = page_number;
  p.region_ids = std::move(ids);
  return p;
}

/// `l` with one glyph per character that is not white space, boxes shared out along the line
/// (down it when `vertical`), confidence 0.8.
Line with_glyphs(Line l, bool vertical = false) {
  const std::u32string u = text::strip_space(text::to_u32(l.text));
  const int n = static_cast<int>(u.size());
  for (int k = 0; k < n; ++k) {
    Box b = l.bbox;
    if (vertical) {
      b.y += l.bbox.h * k / n;
      b.h = l.bbox.h * (k + 1) / n - l.bbox.h * k / n;
    } else {
      b.x += l.bbox.w * k / n;
      b.w = l.bbox.w * (k + 1) / n - l.bbox.w * k / n;
    }
    l.chars.push_back(Glyph{b, text::to_utf8(u.substr(static_cast<size_t>(k), 1)), 0.8});
  }
  return l;
}

/// XML specials, a control character, a vertical block, an empty block, a region id that is no
/// xsd:ID, a box outside the page, a photo, adverts with and without text, a running header, a
/// fold (pages 2 and 3 from one scan), an article continued from page 1 on page 3 and a page that
/// failed (no size, no regions).
Issue handmade_issue() {
  Issue issue;
  issue.issue.id = "test/1999-01-02";
  issue.issue.newspaper = "Test & <Daily>";
  issue.issue.date = "1999-01-02";
  issue.issue.number = 7;
  issue.provenance = {{"broadsheet", "0.1.0"},
                      {"tesseract", "5.3.0"},
                      {"model", {{"language", "chi_tra"}}},
                      {"created", "2025-08-08T10:00:00Z"}};

  Region vertical =
      region("p1-r3", RegionKind::Body, {1500, 500, 200, 1000},
             {{{1600, 500, 90, 600}, "中文\x01直排，“引號”", 0.75},
              {{1500, 500, 90, 900}, "第2行 text 1.5萬", 1.5}},  // confidence out of range
             "a1");
  vertical.direction = Direction::Vertical;
  Region empty = region("p1-r4", RegionKind::Body, {100, 1600, 600, 200}, {});
  Region outside = region("1/weird id", RegionKind::Body, {1800, 2900, 500, 400},
                          {{{1800, 2950, 400, 60}, "Clamped <text>", 0.5}}, "a3");
  Region textless_advert = region("p1-r8", RegionKind::Advert, {100, 2500, 600, 300}, {});
  Region photo = region("p1-r6", RegionKind::Photo, {800, 1600, 600, 400}, {}, "a2");

  issue.pages.push_back(
      page(1, 0, "scan 01&.tif",
           {region("p1-r1", RegionKind::Masthead, {100, 50, 1800, 300},
                   {{{100, 50, 1000, 200}, "Test & <Daily>", 0.9}}),
            region("p1-r2", RegionKind::Headline, {100, 400, 1300, 80},
                   {{{100, 400, 1300, 80}, "特別報導：A&B 'quoted' \"x\"", 0.95}}, "a1"),
            vertical, empty,
            region("p1-r5", RegionKind::Jump, {1500, 1520, 200, 40},
                   {{{1500, 1520, 200, 40}, "（下轉第三版）", 0.9}}, "a1"),
            photo,
            region("p1-r7", RegionKind::Caption, {800, 2010, 600, 60},
                   {{{800, 2010, 600, 60}, "圖為 <現場> 照片", 0.6}}, "a2"),
            textless_advert,
            region("p1-r9", RegionKind::Advert, {1000, 2500, 600, 300},
                   {{{1000, 2500, 600, 50}, "招聘 Tel: 0350-1234", 0.7}}),
            outside}));
  Page left = page(2, 1, "fold-02.jpg",
                   {region("p2-r1", RegionKind::Header, {100, 50, 1800, 60},
                           {{{100, 50, 1800, 60}, "第2版 Test Daily", 0.9}}),
                    region("p2-r2", RegionKind::Headline, {100, 200, 800, 80},
                           {{{100, 200, 800, 80}, "公告", 0.9}}, "a4"),
                    region("p2-r3", RegionKind::Body, {100, 300, 800, 400},
                           {{{100, 300, 800, 50}, "本館暫停開放。", 0.9}}, "a4")});
  left.extra["fold_half"] = 0;
  Page right = page(3, 1, "fold-02.jpg",
                    {region("p3-r1", RegionKind::Body, {100, 200, 800, 400},
                            {{{100, 200, 800, 50}, "（上接第一版）續文內容。", 0.9}}, "a1")});
  right.extra["fold_half"] = 1;
  issue.pages.push_back(std::move(left));
  issue.pages.push_back(std::move(right));
  Page failed = page(4, 2, "scan-04.png", {});  // as batch records a page that failed
  failed.width = failed.height = 0;
  failed.extra["status"] = "failed";
  issue.pages.push_back(std::move(failed));

  Article a1;
  a1.id = "a1";
  a1.headline = "特別報導：A&B 'quoted' \"x\"";
  a1.text = "中文\x01直排，“引號”第2行 text 1.5萬\n續文內容。";
  a1.pages = {1, 3};
  a1.continuations = {{1, 3, "下轉第三版"}};
  a1.parts = {part(1, {"p1-r2", "p1-r3", "p1-r5"}), part(3, {"p3-r1"})};
  Article a2;
  a2.id = "a2";
  a2.kind = ArticleKind::Caption;
  a2.text = "圖為 <現場> 照片";
  a2.credit = "記者攝";
  a2.pages = {1};
  a2.parts = {part(1, {"p1-r6", "p1-r7"})};
  Article a3;
  a3.id = "a3";
  a3.headline = "Weird id";
  a3.text = "Clamped <text>";
  a3.pages = {1};
  a3.parts = {part(1, {"1/weird id", "no-such-region"})};
  Article a4;
  a4.id = "a4";
  a4.kind = ArticleKind::Notice;
  a4.headline = "公告";
  a4.text = "本館暫停開放。";
  a4.pages = {2};
  a4.parts = {part(2, {"p2-r2", "p2-r3"})};
  issue.articles = {a1, a2, a3, a4};
  return issue;
}

std::vector<std::string> image_hrefs(const Issue& issue) {
  std::vector<std::string> hrefs;
  for (const Page& p : issue.pages) hrefs.push_back(p.image);
  return hrefs;
}

// ---------------------------------------------------------------------------------------------
// Reading the output back: a small attribute scanner (the files are ours, one tag per line or
// less, attributes double-quoted) and xmllint.

std::string unescape(std::string_view s) {
  static const std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"},  {"&lt;", "<"},  {"&gt;", ">"},   {"&quot;", "\""},
      {"&apos;", "'"}, {"&#9;", "\t"}, {"&#10;", "\n"}, {"&#13;", "\r"}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&')
      for (const auto& [entity, text] : kEntities)
        if (s.substr(i, entity.size()) == entity) {
          out += text;
          i += entity.size();
          replaced = true;
          break;
        }
    if (!replaced) out += s[i++];
  }
  return out;
}

/// The start tags `<element ...>` of a document, each as its attribute map.
std::vector<std::map<std::string, std::string>> tags(const std::string& xml,
                                                     const std::string& element) {
  std::vector<std::map<std::string, std::string>> out;
  const std::string open = "<" + element + " ";
  for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
    const size_t end = std::min(xml.find('>', at), xml.size());
    std::map<std::string, std::string> attrs;
    size_t i = at + open.size();
    while (i < end) {
      const size_t eq = xml.find("=\"", i);
      if (eq == std::string::npos || eq > end) break;
      const size_t close = xml.find('"', eq + 2);
      if (close == std::string::npos) break;
      std::string name = xml.substr(i, eq - i);
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      attrs[name] = unescape(xml.substr(eq + 2, close - eq - 2));
      i = close + 1;
    }
    out.push_back(std::move(attrs));
  }
  return out;
}

/// Every value of ` attribute="..."` in a document (space-separated lists split).
std::vector<std::string> attribute_values(const std::string& xml, const std::string& attribute) {
  std::vector<std::string> out;
  const std::string key = " " + attribute + "=\"";
  for (size_t at = xml.find(key); at != std::string::npos; at = xml.find(key, at + 1)) {
    const size_t from = at + key.size();
    std::istringstream words(unescape(xml.substr(from, xml.find('"', from) - from)));
    for (std::string w; words >> w;) out.push_back(w);
  }
  return out;
}

/// References (IDREF/IDREFS attributes) that name no ID of the document. xmllint checks that IDs
/// are unique but not that references resolve, so the tests do.
std::vector<std::string> dangling_references(const std::string& xml,
                                             std::initializer_list<std::string> attributes) {
  const auto ids = attribute_values(xml, "ID");
  const std::set<std::string> known(ids.begin(), ids.end());
  std::vector<std::string> dangling;
  for (const auto& attribute : attributes)
    for (const auto& ref : attribute_values(xml, attribute))
      if (!known.contains(ref)) dangling.push_back(attribute + "=" + ref);
  return dangling;
}

bool have_xmllint() {
  return std::system("xmllint --version > /dev/null 2>&1") == 0;
}

/// "" when xmllint accepts `file` (against `schema` when given), else what it said.
std::string xmllint(const fs::path& file, const fs::path& schema = {}) {
  const fs::path log = fs::path(file).concat(".xmllint.log");
  std::string command = "xmllint --nonet --noout ";
  if (!schema.empty()) command += "--schema '" + schema.string() + "' ";
  command += "'" + file.string() + "' > '" + log.string() + "' 2>&1";
  if (std::system(command.c_str()) == 0) return {};
  std::ifstream in(log);
  std::stringstream said;
  said << in.rdbuf();
  return "xmllint rejected " + file.string() + ":\n" + said.str().substr(0, 4000);
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_export_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  static void require_xmllint() {
    if (!have_xmllint())
      GTEST_SKIP() << "xmllint not found: install the package libxml2-utils to validate exports";
  }
  fs::path dir_;
};

/// A page's text as the ALTO must carry it: the lines of every region but photos (the region
/// text where there are no lines), without white space or control characters.
std::u32string expected_page_text(const Page& p) {
  std::u32string out;
  for (const Region& r : p.regions) {
    if (r.kind == RegionKind::Photo) continue;
    std::string t;
    for (const Line& l : r.lines) t += l.text;
    if (r.lines.empty()) t = r.text;
    for (char32_t c : text::to_u32(t))
      if (!text::is_space(c) && c >= 0x20) out.push_back(c);
  }
  return out;
}

/// Each line a page's ALTO and hOCR must show, in order: the lines of every region but photos
/// (the region text where there are none) that have text, control characters dropped, white
/// space trimmed and each stretch of it made one space — where an SP or a space goes.
std::vector<std::string> expected_lines(const Page& p) {
  std::vector<std::string> out;
  for (const Region& r : p.regions) {
    if (r.kind == RegionKind::Photo) continue;
    std::vector<std::string> texts;
    for (const Line& l : r.lines) texts.push_back(l.text);
    if (r.lines.empty()) texts.push_back(r.text);
    for (const auto& t : texts) {
      std::u32string line;
      bool space = false;
      for (char32_t c : text::to_u32(t)) {
        if (text::is_space(c)) {
          space = !line.empty();
        } else if (c >= 0x20) {
          if (space) line.push_back(U' ');
          line.push_back(c);
          space = false;
        }
      }
      if (!line.empty()) out.push_back(text::to_utf8(line));
    }
  }
  return out;
}

/// The lines of an ALTO page: each TextLine's Strings, with a space for each SP.
std::vector<std::string> alto_lines(const std::string& alto) {
  std::vector<std::string> out;
  for (size_t at = alto.find("<TextLine "); at != std::string::npos;
       at = alto.find("<TextLine ", at + 1)) {
    const std::string line = alto.substr(at, alto.find("</TextLine>", at) - at);
    std::string text;
    for (size_t i = line.find('<', 1); i != std::string::npos; i = line.find('<', i + 1)) {
      if (line.compare(i, 4, "<SP ") == 0) text += ' ';
      if (line.compare(i, 8, "<String ") == 0)
        text += tags(line.substr(i, line.find('>', i) - i + 1), "String").front().at("CONTENT");
    }
    out.push_back(text);
  }
  return out;
}

/// The lines of an hOCR page: each line span's text with the markup taken out.
std::vector<std::string> hocr_lines(const std::string& hocr) {
  std::vector<std::string> out;
  for (size_t at = hocr.find("<span class=\"ocr_"); at != std::string::npos;
       at = hocr.find("<span class=\"ocr_", at + 1)) {
    const std::string line = hocr.substr(at, hocr.find('\n', at) - at);
    std::string text;
    bool in_tag = false;
    for (char c : line) {
      if (c == '<') in_tag = true;
      if (!in_tag) text += c;
      if (c == '>') in_tag = false;
    }
    out.push_back(unescape(text));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

TEST(ExportXmlTest, EscapesSpecialCharactersAndDropsForbiddenOnes) {
  EXPECT_EQ(detail::xml_text("a&b<c>\"'"), "a&amp;b&lt;c&gt;\"'");
  EXPECT_EQ(detail::xml_attr("a&b<c>\"'\tz\n"), "a&amp;b&lt;c&gt;&quot;&apos;&#9;z&#10;");
  EXPECT_EQ(detail::xml_text("中\x01文\x1F\x7F"), "中文\x7F");  // DEL is a legal XML character
  EXPECT_EQ(detail::xml_text("\xEF\xBF\xBE"), "");              // U+FFFE
  EXPECT_EQ(detail::xml_text("bad \xFF byte"), "bad \xEF\xBF\xBD byte");  // → U+FFFD
}

TEST(ExportXmlTest, MakesXsdIdsAndKeepsValidOnes) {
  EXPECT_EQ(detail::xml_id("p1-r12"), "p1-r12");
  EXPECT_EQ(detail::xml_id("1/weird id"), "id-1_2Fweird_20id");
  EXPECT_EQ(detail::xml_id(""), "id-");
  EXPECT_EQ(detail::xml_id("甲"), "id-_E7_94_B2");
  detail::IdRegistry ids;
  EXPECT_EQ(ids.claim("x"), "x");
  EXPECT_EQ(ids.claim("x"), "x-2");
  EXPECT_EQ(ids.claim("x"), "x-3");
}

TEST(ExportRunsTest, SplitsAtScriptChangesPunctuationAndSpaces) {
  // 本報訊 (3 em) space (0.5) 8 (0.5) 月6日 … — 12 em over 1200 px.
  const auto runs =
      detail::split_runs("  本報訊 8月6日，A&B 1.5萬 ", {100, 10, 1200, 40}, Direction::Horizontal);
  std::vector<std::string> texts;
  for (const auto& r : runs) texts.push_back(r.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"本報訊", "8", "月", "6", "日", "，", "A", "&", "B",
                                             "1.5", "萬"}));
  EXPECT_TRUE(runs[1].space_before);
  EXPECT_FALSE(runs[2].space_before);
  EXPECT_TRUE(runs[9].space_before);
  EXPECT_EQ(runs.front().box.x, 100);
  EXPECT_EQ(runs.front().box.w, 300);  // 3 em of 12 em (leading and trailing spaces dropped)
  EXPECT_EQ(runs[1].space.x, 400);
  EXPECT_EQ(runs[1].space.w, 50);
  EXPECT_EQ(runs.back().box.x + runs.back().box.w, 1300);
  for (size_t i = 1; i < runs.size(); ++i) {
    EXPECT_GE(runs[i].box.x, runs[i - 1].box.x + runs[i - 1].box.w);
    EXPECT_EQ(runs[i].box.y, 10);
    EXPECT_EQ(runs[i].box.h, 40);
  }
}

TEST(ExportRunsTest, VerticalLinesSplitAlongTheHeight) {
  const auto runs = detail::split_runs("直排，文字", {500, 1000, 40, 500}, Direction::Vertical);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].box.y, 1000);
  EXPECT_EQ(runs[0].box.h, 200);
  EXPECT_EQ(runs[1].box.y, 1200);
  EXPECT_EQ(runs[2].box.y + runs[2].box.h, 1500);
  for (const auto& r : runs) {
    EXPECT_EQ(r.box.x, 500);
    EXPECT_EQ(r.box.w, 40);
  }
  EXPECT_TRUE(detail::split_runs(" \t\x01 ", {0, 0, 10, 10}, Direction::Horizontal).empty());
}

// ---------------------------------------------------------------------------------------------
// ALTO

void check_alto_page(const Issue& issue, const Page& p, const std::string& alto) {
  SCOPED_TRACE("page " + std::to_string(p.page));
  // Blocks: one per region, in the order the page is read (text_order: article by article), IDs
  // as METS will name them.
  std::vector<std::pair<size_t, std::string>> blocks;  // position, ID
  for (const char* element : {"TextBlock", "Illustration"}) {
    const std::string open = std::string("<") + element + " ID=\"";
    for (size_t at = alto.find(open); at != std::string::npos; at = alto.find(open, at + 1)) {
      const size_t from = at + open.size();
      blocks.emplace_back(at, alto.substr(from, alto.find('"', from) - from));
    }
  }
  std::sort(blocks.begin(), blocks.end());
  std::vector<std::string> ids;
  for (const auto& b : blocks) ids.push_back(b.second);
  std::vector<std::string> expected_ids;
  for (size_t r : text_order(p, issue.articles))
    expected_ids.push_back(detail::xml_id(p.regions[r].id));
  EXPECT_EQ(ids, expected_ids);

  // The Strings are the page's text, nothing added, nothing lost.
  std::string content;
  for (const auto& s : tags(alto, "String")) content += s.at("CONTENT");
  EXPECT_EQ(text::to_u32(content), expected_page_text(p));

  // Line by line, with a space (SP) exactly where the text had white space.
  EXPECT_EQ(alto_lines(alto), expected_lines(p));

  // Every box inside the page; confidences 0..1.
  for (const char* element : {"TextBlock", "Illustration", "TextLine", "String", "SP"})
    for (const auto& t : tags(alto, element)) {
      const int x = std::stoi(t.at("HPOS"));
      const int y = std::stoi(t.at("VPOS"));
      const int w = std::stoi(t.at("WIDTH"));
      const int h = std::stoi(t.at("HEIGHT"));
      EXPECT_TRUE(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= p.width && y + h <= p.height)
          << element << " " << x << "," << y << " " << w << "x" << h;
      if (t.contains("WC")) {
        EXPECT_GE(std::stod(t.at("WC")), 0.0);
        EXPECT_LE(std::stod(t.at("WC")), 1.0);
      }
    }
  EXPECT_EQ(dangling_references(alto, {"TAGREFS", "PROCESSINGREFS"}), std::vector<std::string>{});
  (void)issue;
}

TEST_F(ExportTest, AltoOfTruthPagesIsValidAndCarriesEveryRegionAndCharacter) {
  require_xmllint();
  const Issue issue = truth_issue();
  ASSERT_EQ(issue.pages.size(), 4u);
  for (const Page& p : issue.pages) {
    const std::string alto = to_alto(issue, p, p.image);
    check_alto_page(issue, p, alto);
    EXPECT_EQ(xmllint(write(alto_file_name(p), alto), kSchemas / "alto-4-4.xsd"), "");
  }
}

TEST_F(ExportTest, AltoOfAwkwardPagesIsValid) {
  require_xmllint();
  const Issue issue = handmade_issue();
  for (const Page& p : issue.pages) {
    const std::string alto = to_alto(issue, p, p.image);
    check_alto_page(issue, p, alto);
    EXPECT_EQ(xmllint(write(alto_file_name(p), alto), kSchemas / "alto-4-4.xsd"), "");
  }
  const std::string alto = to_alto(issue, issue.pages[0], "scan 01&.tif");
  EXPECT_EQ(alto.find('\x01'), std::string::npos);
  EXPECT_NE(alto.find("<fileName>scan 01&amp;.tif</fileName>"), std::string::npos);
  EXPECT_NE(alto.find("CONTENT=\"&apos;\""), std::string::npos);
  EXPECT_NE(alto.find("softwareName>Tesseract<"), std::string::npos);

  std::map<std::string, std::map<std::string, std::string>> blocks;
  for (const auto& t : tags(alto, "TextBlock")) blocks[t.at("ID")] = t;
  for (const auto& t : tags(alto, "Illustration")) blocks[t.at("ID")] = t;
  EXPECT_EQ(blocks.at("p1-r3").at("BASEDIRECTION"), "ttb");  // the vertical block
  EXPECT_FALSE(blocks.at("p1-r2").contains("BASEDIRECTION"));
  EXPECT_EQ(blocks.at("p1-r6").at("TYPE"), "photo");              // Illustration
  EXPECT_EQ(blocks.at("p1-r8").at("TYPE"), "advert");             // Illustration: no text
  EXPECT_FALSE(blocks.at("p1-r9").contains("TYPE"));              // TextBlock: an advert with text
  EXPECT_TRUE(blocks.contains("p1-r4"));                          // empty, still a block
  EXPECT_EQ(blocks.at("id-1_2Fweird_20id").at("HEIGHT"), "100");  // clamped to the page
  // Vertical Strings are stacked down the line.
  const auto strings = tags(alto, "String");
  const auto first_vertical = std::find_if(
      strings.begin(), strings.end(), [](const auto& s) { return s.at("CONTENT") == "中文直排"; });
  ASSERT_NE(first_vertical, strings.end());
  EXPECT_EQ(first_vertical->at("WIDTH"), "90");
  EXPECT_EQ((first_vertical + 1)->at("CONTENT"), "，");
  EXPECT_EQ((first_vertical + 2)->at("CONTENT"), "“");  // an opening quote starts a run
  EXPECT_GT(std::stoi((first_vertical + 1)->at("VPOS")), std::stoi(first_vertical->at("VPOS")));
}

/// handmade_issue with glyphs on every line of page 1; the first glyph of region 1 has a
/// confidence above 1.
Issue handmade_issue_with_glyphs() {
  Issue issue = handmade_issue();
  for (Region& r : issue.pages[0].regions)
    for (Line& l : r.lines) l = with_glyphs(l, r.direction == Direction::Vertical);
  issue.pages[0].regions[1].lines[0].chars[0].confidence = 1.5;
  return issue;
}

/// The glyph texts a page's ALTO and hOCR must show: those of every line but the ones with a
/// character XML cannot hold (\x01 in handmade_issue), in order.
std::u32string expected_glyph_text(const Page& p) {
  std::u32string expected;
  for (const Region& r : p.regions) {
    if (detail::is_picture(r)) continue;
    for (const Line& l : r.lines)
      if (l.text.find('\x01') == std::string::npos)
        for (const Glyph& g : l.chars) expected += text::to_u32(g.text);
  }
  return expected;
}

TEST_F(ExportTest, AltoStringsHoldTheLinesGlyphs) {
  require_xmllint();
  const Issue issue = handmade_issue_with_glyphs();
  const Page& p = issue.pages[0];
  ASSERT_GT(expected_glyph_text(p).size(), 30u);
  const std::string alto = to_alto(issue, p, p.image);
  check_alto_page(issue, p, alto);
  EXPECT_EQ(xmllint(write(alto_file_name(p), alto), kSchemas / "alto-4-4.xsd"), "");

  // Every String of a line with glyphs holds them, in order, spelling its CONTENT; the line with
  // a control character (which the XML cannot hold, so its Strings lack it) has none.
  const auto glyphs = tags(alto, "Glyph");
  std::u32string glyph_text;
  for (const auto& g : glyphs) {
    EXPECT_EQ(text::to_u32(g.at("CONTENT")).size(), 1u);
    EXPECT_TRUE(g.contains("HPOS") && g.contains("VPOS") && g.contains("WIDTH") &&
                g.contains("HEIGHT"));
    const double gc = std::stod(g.at("GC"));
    EXPECT_GE(gc, 0.0);
    EXPECT_LE(gc, 1.0);
    glyph_text += text::to_u32(g.at("CONTENT"));
  }
  EXPECT_EQ(glyph_text, expected_glyph_text(p));
  EXPECT_NE(alto.find("<Glyph CONTENT=\"&amp;\""), std::string::npos);  // escaped like Strings
  EXPECT_EQ(alto.find("<Glyph CONTENT=\"\x01"), std::string::npos);
  EXPECT_NE(alto.find("GC=\"1.00\""), std::string::npos);

  // Without glyphs the Strings stay empty elements, as before.
  const std::string plain = to_alto(handmade_issue(), handmade_issue().pages[0], p.image);
  EXPECT_EQ(plain.find("<Glyph"), std::string::npos);
  EXPECT_EQ(plain.find("</String>"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// hOCR

TEST_F(ExportTest, HocrIsWellFormedXhtmlWithTheSameWords) {
  require_xmllint();
  for (const Issue& issue : {truth_issue(), handmade_issue()}) {
    for (const Page& p : issue.pages) {
      SCOPED_TRACE(issue.issue.id + " page " + std::to_string(p.page));
      const std::string hocr = to_hocr(issue, p, p.image);
      EXPECT_EQ(xmllint(write(hocr_file_name(p), hocr)), "");
      EXPECT_NE(hocr.find("class=\"ocr_page\""), std::string::npos);
      // Word texts, in order, are the page text.
      std::string words;
      const std::string open = "class=\"ocrx_word\"";
      for (size_t at = hocr.find(open); at != std::string::npos; at = hocr.find(open, at + 1)) {
        const size_t from = hocr.find('>', at) + 1;
        words += unescape(hocr.substr(from, hocr.find('<', from) - from));
        const auto title = tags(hocr.substr(hocr.rfind('<', at), 400), "span").front().at("title");
        const auto conf = std::stoi(title.substr(title.find("x_wconf ") + 8));
        EXPECT_TRUE(conf >= 0 && conf <= 100) << title;
      }
      EXPECT_EQ(text::to_u32(words), expected_page_text(p));
      // Nothing between words but the spaces the text had.
      EXPECT_EQ(hocr_lines(hocr), expected_lines(p));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// METS

struct MetsCheck {
  std::map<std::string, std::string> href_of_file;  // file ID → href
  std::vector<std::map<std::string, std::string>> areas;
};

/// Validates the METS, and checks that every area points at a block that exists in the ALTO
/// file its FILEID names.
void check_mets(const Issue& issue, const std::string& mets,
                const std::map<std::string, std::string>& alto_by_name) {
  std::map<std::string, std::string> href_of_file;
  const auto files = tags(mets, "mets:file");
  const auto locs = tags(mets, "mets:FLocat");
  ASSERT_EQ(files.size(), locs.size());
  for (size_t i = 0; i < files.size(); ++i)
    href_of_file[files[i].at("ID")] = locs[i].at("xlink:href");
  EXPECT_EQ(dangling_references(mets, {"FILEID", "DMDID"}), std::vector<std::string>{});
  const auto areas = tags(mets, "mets:area");
  EXPECT_FALSE(areas.empty());
  for (const auto& area : areas) {
    EXPECT_EQ(area.at("BETYPE"), "IDREF");
    const std::string& file = href_of_file.at(area.at("FILEID"));
    ASSERT_TRUE(alto_by_name.contains(file)) << file;
    EXPECT_NE(alto_by_name.at(file).find(" ID=\"" + area.at("BEGIN") + "\""), std::string::npos)
        << area.at("BEGIN") << " not in " << file;
  }
  // One article div per article, none for anything else.
  size_t article_divs = 0;
  for (const auto& div : tags(mets, "mets:div"))
    if (div.contains("TYPE") && (div.at("TYPE") == "article" || div.at("TYPE") == "caption" ||
                                 div.at("TYPE") == "notice" || div.at("TYPE") == "advert"))
      ++article_divs;
  EXPECT_EQ(article_divs, issue.articles.size());
}

/// The areas of one article's parts: per part, the ALTO files they point at.
std::vector<std::set<std::string>> part_files(const std::string& mets,
                                              const std::string& article_div_id) {
  std::vector<std::set<std::string>> parts;
  const size_t begin = mets.find("<mets:div ID=\"" + article_div_id + "\"");
  EXPECT_NE(begin, std::string::npos) << article_div_id;
  if (begin == std::string::npos) return parts;
  const size_t end = mets.find("\n      </mets:div>", begin);
  const std::string div = mets.substr(begin, end - begin);
  for (size_t at = div.find("TYPE=\"part\""); at != std::string::npos;
       at = div.find("TYPE=\"part\"", at + 1)) {
    const size_t next = div.find("TYPE=\"part\"", at + 1);
    std::set<std::string> files;
    for (const auto& area :
         tags(div.substr(at, next == std::string::npos ? next : next - at), "mets:area"))
      files.insert(area.at("FILEID"));
    parts.push_back(files);
  }
  return parts;
}

TEST_F(ExportTest, MetsOfTruthIsValidAndLinksArticlesToAltoBlocks) {
  require_xmllint();
  const Issue issue = truth_issue();
  std::map<std::string, std::string> altos;
  for (const Page& p : issue.pages) {
    altos[alto_file_name(p)] = to_alto(issue, p, p.image);
    write(alto_file_name(p), altos[alto_file_name(p)]);
  }
  const std::string mets = to_mets(issue, image_hrefs(issue));
  EXPECT_EQ(xmllint(write(std::string(kMetsFileName), mets), kSchemas / "mets-1-12-1.xsd"), "");
  check_mets(issue, mets, altos);
  // a4 runs from page 1 to page 3: one div, a part on each page.
  EXPECT_EQ(part_files(mets, "art-a4"),
            (std::vector<std::set<std::string>>{{"alto-page-01"}, {"alto-page-03"}}));
  EXPECT_EQ(part_files(mets, "art-a7"),
            (std::vector<std::set<std::string>>{{"alto-page-01"}, {"alto-page-02"}}));
  EXPECT_EQ(mets, to_mets(issue, image_hrefs(issue)));    // deterministic
  EXPECT_EQ(mets.find("CREATEDATE"), std::string::npos);  // no date in the truth's provenance
}

TEST_F(ExportTest, MetsOfAwkwardIssueIsValid) {
  require_xmllint();
  const Issue issue = handmade_issue();
  std::map<std::string, std::string> altos;
  for (const Page& p : issue.pages) {
    altos[alto_file_name(p)] = to_alto(issue, p, p.image);
    write(alto_file_name(p), altos[alto_file_name(p)]);
  }
  const std::string mets = to_mets(issue, image_hrefs(issue));
  EXPECT_EQ(xmllint(write(std::string(kMetsFileName), mets), kSchemas / "mets-1-12-1.xsd"), "");
  check_mets(issue, mets, altos);
  EXPECT_EQ(part_files(mets, "art-a1"),
            (std::vector<std::set<std::string>>{{"alto-scan_2001_26"}, {"alto-fold-02-2"}}));
  EXPECT_EQ(part_files(mets, "art-a3"),
            (std::vector<std::set<std::string>>{{"alto-scan_2001_26"}}));
  // The fold's two pages share their scan: one image file, two ALTO files.
  EXPECT_EQ(tags(mets, "mets:FLocat").size(), 3u + 4u);
  EXPECT_NE(mets.find("CREATEDATE=\"2025-08-08T10:00:00Z\""), std::string::npos);
  EXPECT_NE(mets.find("TYPE=\"notice\""), std::string::npos);
  EXPECT_NE(mets.find("<mods:number>7</mods:number>"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Plain text

TEST(ExportTextTest, TruthArticlesComeOnceWholeHeadlineFirst) {
  const Issue issue = truth_issue();
  const std::string txt = to_text(issue);
  EXPECT_EQ(txt.rfind("陽泉日報\n2025-08-07 星期四", 0), 0u) << txt.substr(0, 200);
  size_t previous_start = 0;
  for (size_t a : detail::articles_in_reading_order(issue)) {
    const Article& article = issue.articles[a];
    SCOPED_TRACE(article.id);
    ASSERT_FALSE(article.text.empty());
    // The body verbatim (so no space was put between characters), exactly once.
    const size_t body = txt.find(article.text);
    ASSERT_NE(body, std::string::npos);
    EXPECT_EQ(txt.find(article.text, body + 1), std::string::npos);
    if (article.headline) {
      const size_t headline = txt.rfind("\n\n" + *article.headline + "\n", body);
      ASSERT_NE(headline, std::string::npos);
      EXPECT_GE(headline + 2, previous_start);
      EXPECT_LT(headline, body);
    }
    EXPECT_GT(body, previous_start);
    previous_start = body;
  }
  // Running headers are page furniture; the masthead is the heading.
  EXPECT_EQ(txt.find("第2版  陽泉日報"), std::string::npos);
  EXPECT_EQ(txt.find("國內統一連續出版物號"), std::string::npos);
  // The notice that is in no article is kept.
  EXPECT_NE(txt.find("遺失聲明\n董建平不慎遺失身份證，聲明作廢。\n"), std::string::npos);
}

TEST(ExportTextTest, AwkwardIssueKeepsTextAndDropsControls) {
  const std::string txt = to_text(handmade_issue());
  EXPECT_EQ(txt.find('\x01'), std::string::npos);
  EXPECT_EQ(txt.rfind("Test & <Daily>\n1999-01-02 第7期\n\n", 0), 0u) << txt;
  const size_t a1 =
      txt.find("特別報導：A&B 'quoted' \"x\"\n中文直排，“引號”第2行 text 1.5萬\n續文內容。\n");
  const size_t caption = txt.find("\n\n記者攝\n圖為 <現場> 照片\n");
  const size_t advert = txt.find("\n\n招聘 Tel: 0350-1234\n");
  const size_t a3 = txt.find("\n\nWeird id\nClamped <text>\n");
  const size_t a4 = txt.find("\n\n公告\n本館暫停開放。\n");
  EXPECT_NE(a1, std::string::npos) << txt;
  EXPECT_LT(a1, caption);
  EXPECT_LT(caption, advert);
  EXPECT_LT(advert, a3);
  EXPECT_LT(a3, a4);
  EXPECT_NE(a4, std::string::npos);
  EXPECT_EQ(txt.find("第2版 Test Daily"), std::string::npos);
  EXPECT_EQ(txt.find("（上接第一版）"), std::string::npos);  // the article's text, not the region's
}

TEST_F(ExportTest, HocrWordsHoldTheLinesCharacters) {
  require_xmllint();
  const Issue issue = handmade_issue_with_glyphs();
  const Page& p = issue.pages[0];
  const std::string hocr = to_hocr(issue, p, p.image);
  EXPECT_EQ(xmllint(write(hocr_file_name(p), hocr)), "");
  std::u32string chars;
  const std::string open = "class=\"ocrx_cinfo\"";
  for (size_t at = hocr.find(open); at != std::string::npos; at = hocr.find(open, at + 1)) {
    const size_t from = hocr.find('>', at) + 1;
    chars += text::to_u32(unescape(hocr.substr(from, hocr.find('<', from) - from)));
    const auto title = tags(hocr.substr(hocr.rfind('<', at), 400), "span").front().at("title");
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double conf = -1;
    ASSERT_EQ(
        std::sscanf(title.c_str(), "x_bboxes %d %d %d %d; x_conf %lf", &x0, &y0, &x1, &y1, &conf),
        5)
        << title;
    // Inside the page (a line out of it, "Clamped <text>", is cut to nothing at its edge).
    EXPECT_TRUE(0 <= x0 && x0 <= x1 && x1 <= p.width && 0 <= y0 && y0 <= y1 && y1 <= p.height)
        << title;
    EXPECT_TRUE(conf >= 0 && conf <= 100) << title;
  }
  EXPECT_EQ(chars, expected_glyph_text(p));
  EXPECT_NE(hocr.find("x_conf 100.0"), std::string::npos);  // 1.5 clamped
  // Words still read as the page's text once their character spans are taken as text.
  std::string words;
  const std::string word = "class=\"ocrx_word\"";
  for (size_t at = hocr.find(word); at != std::string::npos; at = hocr.find(word, at + 1)) {
    size_t from = hocr.find('>', at) + 1;
    // The word's content up to its own closing tag: text, or character spans each with text.
    int depth = 1;
    std::string inner;
    while (depth > 0 && from < hocr.size()) {
      if (hocr.compare(from, 2, "</") == 0) {
        --depth;
        from = hocr.find('>', from) + 1;
      } else if (hocr[from] == '<') {
        ++depth;
        from = hocr.find('>', from) + 1;
      } else {
        inner += hocr[from++];
      }
    }
    words += unescape(inner);
  }
  EXPECT_EQ(text::to_u32(words), expected_page_text(p));
}

// ---------------------------------------------------------------------------------------------
// Corrections into lines

TEST(ExportCorrectionsTest, AnEditLandsInTheLineWhereItWasMade) {
  Issue issue;
  Page p;
  p.page = 1;
  Region head;
  head.id = "p1-r1";
  head.kind = RegionKind::Headline;
  head.lines = {{{0, 0, 300, 40}, "雷健坤調研重點項目", 0.9}};
  head.text = head.lines[0].text;
  Region col1;
  col1.id = "p1-r2";
  col1.kind = RegionKind::Body;
  col1.lines = {{{0, 50, 300, 30}, "本報訊市委書記", 0.9}, {{0, 90, 300, 30}, "深入郊區調研", 0.9}};
  col1.text = "本報訊市委書記深入郊區調研";
  Region col2;  // its last line is a byline segment left in the body; the article cut it out
  col2.id = "p1-r3";
  col2.kind = RegionKind::Body;
  col2.lines = {{{310, 50, 300, 30}, "並現場辦公解決", 0.9}, {{310, 90, 300, 30}, "（郁靜）", 0.9}};
  col2.text = "並現場辦公解決\n（郁靜）";
  p.regions = {head, col1, col2};
  issue.pages.push_back(p);
  Article a;
  a.id = "a1";
  a.headline = "雷健坤調研重點項目建設";                   // the proofreader added 建設
  a.text = "本報訊 市委書記深入郊區調研，並現場辦公解決";  // and a comma; OCR had none
  a.parts.push_back({1, {"p1-r1", "p1-r2", "p1-r3"}, {}, ""});
  a.extra["ocr"] = {{"headline", "雷健坤調研重點項目"},
                    {"text", "本報訊 市委書記深入郊區調研並現場辦公解決"},
                    {"byline", nullptr}};
  issue.articles.push_back(a);

  const Issue out = with_corrections_in_lines(issue);
  const auto& r = out.pages[0].regions;
  EXPECT_EQ(r[0].lines[0].text, "雷健坤調研重點項目建設");
  EXPECT_EQ(r[1].lines[0].text, "本報訊市委書記");  // unchanged line, space not added
  // The comma sits at the end of the first column or the start of the second: either way once.
  const std::string joined = r[1].lines[1].text + r[2].lines[0].text;
  EXPECT_EQ(joined, "深入郊區調研，並現場辦公解決");
  EXPECT_EQ(r[2].lines[1].text, "（郁靜）");  // not the article's: kept
  EXPECT_NE(out.pages[0].text.find("建設"), std::string::npos);

  // Glyphs: none were given here, and none appear.
  for (const Region& region : r)
    for (const Line& l : region.lines) EXPECT_TRUE(l.chars.empty());

  // Nothing corrected: nothing changes.
  Issue plain = issue;
  plain.articles[0].extra = nlohmann::json::object();
  const Issue same = with_corrections_in_lines(plain);
  for (size_t k = 0; k < 3; ++k)
    for (size_t l = 0; l < same.pages[0].regions[k].lines.size(); ++l)
      EXPECT_EQ(same.pages[0].regions[k].lines[l].text, issue.pages[0].regions[k].lines[l].text);
}

TEST(ExportCorrectionsTest, GlyphsFollowReplacedAndDeletedCharactersOnly) {
  Issue issue;
  Page p;
  p.page = 1;
  Region head;
  head.id = "p1-r1";
  head.kind = RegionKind::Headline;
  head.lines = {with_glyphs({{0, 0, 300, 40}, "雷健坤調研重點項目", 0.9})};
  head.text = head.lines[0].text;
  Region body;
  body.id = "p1-r2";
  body.kind = RegionKind::Body;
  body.lines = {with_glyphs({{0, 50, 300, 30}, "本報訊訊市委書紀", 0.9}),
                with_glyphs({{0, 90, 300, 30}, "深入郊區 and 調研", 0.9})};
  body.text = "本報訊訊市委書紀深入郊區 and 調研";
  p.regions = {head, body};
  issue.pages.push_back(p);
  Article a;
  a.id = "a1";
  a.headline = "雷健坤調研重點項目建設";       // 建設 inserted: never read, no box
  a.text = "本報訊市委書記深入郊區 and 調研";  // 訊 deleted, 紀 → 記; second line as read
  a.parts.push_back({1, {"p1-r1", "p1-r2"}, {}, ""});
  a.extra["ocr"] = {{"headline", "雷健坤調研重點項目"}, {"text", body.text}};
  issue.articles.push_back(a);

  const Issue out = with_corrections_in_lines(issue);
  const auto& r = out.pages[0].regions;
  ASSERT_EQ(r[0].lines[0].text, "雷健坤調研重點項目建設");
  EXPECT_TRUE(r[0].lines[0].chars.empty());  // the line gained characters nobody read

  const Line& fixed = r[1].lines[0];
  ASSERT_EQ(fixed.text, "本報訊市委書記");
  ASSERT_TRUE(line_glyphs_match(fixed));
  ASSERT_EQ(fixed.chars.size(), 7u);
  const std::vector<Glyph>& read = issue.pages[0].regions[1].lines[0].chars;
  EXPECT_EQ(fixed.chars[2], read[2]);  // the first 訊 stays, the second went
  EXPECT_EQ(fixed.chars[3], read[4]);
  EXPECT_EQ(fixed.chars[6].text, "記");  // replaced: the box read, the character corrected
  EXPECT_EQ(fixed.chars[6].bbox, read[7].bbox);
  EXPECT_DOUBLE_EQ(fixed.chars[6].confidence, 1.0);

  const Line& same = r[1].lines[1];  // untouched, its space included
  EXPECT_EQ(same.text, "深入郊區 and 調研");
  EXPECT_EQ(same.chars, issue.pages[0].regions[1].lines[1].chars);
}

}  // namespace
}  // namespace broadsheet::exporter
