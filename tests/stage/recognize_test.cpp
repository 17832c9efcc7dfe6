#include "recognize/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/text.hpp"
#include "ingest/ingest.hpp"
#include "recognize/punctuation.hpp"
#include "test_paths.hpp"

namespace broadsheet::recognize {
namespace {

namespace fs = std::filesystem;

class RecognizeTest : public ::testing::Test {
 protected:
  static EngineOptions options() {
    EngineOptions o;
    o.tessdata = default_tessdata({});
    return o;
  }
  void SetUp() override {
    if (!find_model(options()))
      GTEST_SKIP() << "chi_tra.traineddata not found in " << options().tessdata;
  }
};

/// A line in `line_box` whose glyphs are the code points of `s`, `width` px wide, glyph k at
/// x = xs[k] (evenly `width` apart from 0 when xs is empty), each as tall as the line.
Line glyph_line(const Box& line_box, const std::u32string& s, int width,
                const std::vector<int>& xs = {}) {
  Line l;
  l.bbox = line_box;
  l.text = text::to_utf8(s);
  for (size_t k = 0; k < s.size(); ++k) {
    const int x = xs.empty() ? static_cast<int>(k) * width : xs[k];
    l.chars.push_back({Box{x, line_box.y, width, line_box.h}, text::to_utf8(s.substr(k, 1)), 0.9});
  }
  return l;
}

/// What every read region's characters must satisfy: nearly every line has them; they spell the
/// line (white space aside), one code point each; their boxes lie inside the line's box (two
/// pixels' tolerance) in reading order along it; confidences are 0..1.
void expect_characters_follow_lines(const RegionText& region, Direction direction) {
  constexpr int kTolerancePx = 2;
  ASSERT_FALSE(region.lines.empty());
  size_t with_chars = 0;
  size_t steps = 0;
  size_t forward = 0;
  for (const Line& l : region.lines) {
    if (l.chars.empty()) continue;
    ++with_chars;
    std::u32string spelled;
    for (const Glyph& g : l.chars) {
      EXPECT_EQ(text::to_u32(g.text).size(), 1u) << g.text << " in " << l.text;
      spelled += text::to_u32(g.text);
    }
    EXPECT_EQ(spelled, text::strip_space(text::to_u32(l.text))) << l.text;
    EXPECT_TRUE(line_glyphs_match(l)) << l.text;
    for (size_t k = 0; k < l.chars.size(); ++k) {
      const Glyph& g = l.chars[k];
      EXPECT_GE(g.confidence, 0.0) << g.text;
      EXPECT_LE(g.confidence, 1.0) << g.text;
      EXPECT_FALSE(g.bbox.empty()) << g.text << " in " << l.text;
      EXPECT_GE(g.bbox.x, l.bbox.x - kTolerancePx) << g.text << " in " << l.text;
      EXPECT_GE(g.bbox.y, l.bbox.y - kTolerancePx) << g.text << " in " << l.text;
      EXPECT_LE(g.bbox.x + g.bbox.w, l.bbox.x + l.bbox.w + kTolerancePx)
          << g.text << " in " << l.text;
      EXPECT_LE(g.bbox.y + g.bbox.h, l.bbox.y + l.bbox.h + kTolerancePx)
          << g.text << " in " << l.text;
      // Reading order along the line. Tesseract's LSTM symbol positions are approximate:
      // neighbours overlap, and now and then a centre steps back, but never by a whole character
      // (the line's thickness), and nearly every step goes forward.
      if (k == 0) continue;
      const Box& p = l.chars[k - 1].bbox;
      const bool horizontal = direction == Direction::Horizontal;
      const int centre2 = horizontal ? 2 * g.bbox.x + g.bbox.w : 2 * g.bbox.y + g.bbox.h;
      const int prev2 = horizontal ? 2 * p.x + p.w : 2 * p.y + p.h;
      const int thickness = horizontal ? l.bbox.h : l.bbox.w;
      EXPECT_GE(centre2, prev2 - 2 * thickness) << k << " in " << l.text;
      ++steps;
      if (centre2 >= prev2 - 2 * kTolerancePx) ++forward;
    }
    // ... and from the first character to the last the line is covered, in order.
    if (l.chars.size() >= 2) {
      const Box& first = l.chars.front().bbox;
      const Box& last = l.chars.back().bbox;
      if (direction == Direction::Horizontal) {
        EXPECT_LT(first.x + first.w, last.x + last.w) << l.text;
      } else {
        EXPECT_LT(first.y + first.h, last.y + last.h) << l.text;
      }
    }
  }
  EXPECT_GE(static_cast<double>(with_chars), 0.9 * static_cast<double>(region.lines.size()));
  EXPECT_GE(static_cast<double>(forward), 0.9 * static_cast<double>(steps));
}

TEST(FindModelTest, MissingModelNamesFileAndPackage) {
  EngineOptions o;
  o.tessdata = fs::temp_directory_path() / "broadsheet-no-models-here";
  auto model = find_model(o);
  ASSERT_FALSE(model);
  EXPECT_EQ(model.error().code, ErrorCode::ModelMissing);
  EXPECT_NE(model.error().describe().find("chi_tra.traineddata"), std::string::npos);
  EXPECT_NE(model.error().describe().find("tesseract-ocr-chi-tra"), std::string::npos);
}

TEST_F(RecognizeTest, ReadsACleanColumnWithBoxesInsideThePage) {
  const fs::path image = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  auto reading = (*engine)->read_page(page->gray, page->dpi, 1);
  ASSERT_TRUE(reading) << reading.error().describe();

  std::ifstream in(fs::path(test::kFixtureDir) / "pages" / "lead-column.gold.txt");
  const std::string gold((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto want = text::comparable(gold);
  const auto got = text::comparable(reading->text);
  const double cer =
      static_cast<double>(text::edit_distance(want, got)) / static_cast<double>(want.size());
  EXPECT_LT(cer, 0.15) << reading->text;

  ASSERT_FALSE(reading->regions.empty());
  for (const Region& r : reading->regions) {
    EXPECT_GE(r.bbox.x, 0);
    EXPECT_GE(r.bbox.y, 0);
    EXPECT_LE(r.bbox.x + r.bbox.w, page->gray.cols);
    EXPECT_LE(r.bbox.y + r.bbox.h, page->gray.rows);
    EXPECT_GE(r.confidence, 0.0);
    EXPECT_LE(r.confidence, 1.0);
  }
}

TEST_F(RecognizeTest, OneEngineReadsManyPages) {
  // Initialised once, reused: the second page must not be polluted by the first.
  const fs::path image = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  auto first = (*engine)->read_page(page->gray, page->dpi, 1);
  cv::Mat blank(400, 400, CV_8UC1, cv::Scalar(255));
  auto empty = (*engine)->read_page(blank, 300, 2);
  auto again = (*engine)->read_page(page->gray, page->dpi, 3);
  ASSERT_TRUE(first && empty && again);
  EXPECT_TRUE(text::comparable(empty->text).empty());
  EXPECT_EQ(text::comparable(first->text), text::comparable(again->text));
}

TEST_F(RecognizeTest, ReadsARegionAsNormalisedChineseText) {
  const fs::path image = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  const std::vector<RegionRequest> requests = {
      {Box{0, 0, page->gray.cols, page->gray.rows}, ReadMode::Block},
      {Box{0, 0, 2, 2}, ReadMode::Line}};  // too small to read: empty, not an error
  auto read = (*engine)->read_regions(page->gray, page->dpi, requests);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 2u);
  const RegionText& body = (*read)[0];

  std::ifstream in(fs::path(test::kFixtureDir) / "pages" / "lead-column.gold.txt");
  const std::string gold((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto want = text::comparable(gold);
  const auto got = text::comparable(body.text);
  const double cer =
      static_cast<double>(text::edit_distance(want, got)) / static_cast<double>(want.size());
  EXPECT_LT(cer, 0.10) << body.text;

  // Normalised: no space between two CJK characters, Chinese commas full-width.
  const std::u32string u = text::to_u32(body.text);
  for (size_t i = 1; i + 1 < u.size(); ++i) {
    if (u[i] == U' ') {
      EXPECT_FALSE(text::is_cjk(u[i - 1]) && text::is_cjk(u[i + 1])) << body.text;
    }
  }
  EXPECT_EQ(body.text.find(','), std::string::npos) << body.text;
  EXPECT_NE(body.text.find("，"), std::string::npos) << body.text;
  // The gold column holds three paragraphs; the text must break at least once, never per line.
  const auto breaks = std::count(body.text.begin(), body.text.end(), '\n');
  EXPECT_GE(breaks, 1) << body.text;
  EXPECT_LT(static_cast<size_t>(breaks), body.lines.size() / 2) << body.text;
  EXPECT_GT(body.confidence, 0.5);
  EXPECT_TRUE((*read)[1].text.empty());
  expect_characters_follow_lines(body, Direction::Horizontal);
  // The column's text has full-width commas; its characters carry them too.
  bool comma = false;
  for (const Line& l : body.lines)
    for (const Glyph& g : l.chars) comma = comma || g.text == "，";
  EXPECT_TRUE(comma);
}

// Display type is read line by line: the lines Tesseract finds in the region, each read as a raw
// line. The sample's lead headline (two decks in one region) comes back as two lines, each boxed
// on its ink inside the region, and the page's headlines, kickers and subheadlines read close to
// the transcription.
TEST_F(RecognizeTest, ReadsDisplayTypeLineByLine) {
  const fs::path image =
      fs::path(test::kSourceDir) / "scans" / "yangquan-ribao" / "2025-08-07" / "page-01.jpg";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  struct Display {
    Box box;
    const char* text;
  };
  const std::vector<Display> display = {
      {{384, 788, 848, 133}, "搶抓黃金期 跑出加速度 以高質量項目建設推動全市高質量發展"},
      {{609, 745, 402, 35}, "雷健坤調研重點項目建設"},
      {{1525, 1556, 876, 42}, "星火弘源活性氧化鈣項目周轉宿舍區主體完工"},
      {{1656, 3157, 1079, 55}, "王琳玉帶隊專題調研耐火產業提質增效工作"},
      {{1173, 3982, 656, 37}, "——市總工會扎實推進愛心托管班工作"},
  };
  std::vector<RegionRequest> requests;
  for (const Display& d : display) {
    const int m = 8;
    requests.push_back(
        {Box{d.box.x - m, d.box.y - m, d.box.w + 2 * m, d.box.h + 2 * m}, ReadMode::DisplayLines});
  }
  auto read = (*engine)->read_regions(page->gray, page->dpi, requests);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), display.size());
  std::size_t errors = 0;
  std::size_t chars = 0;
  for (std::size_t k = 0; k < display.size(); ++k) {
    const auto want = text::comparable(display[k].text);
    errors += text::edit_distance(want, text::comparable((*read)[k].text));
    chars += want.size();
  }
  EXPECT_LT(static_cast<double>(errors), 0.08 * static_cast<double>(chars));
  const RegionText& lead = (*read)[0];
  ASSERT_EQ(lead.lines.size(), 2u) << lead.text;
  const Box& region = requests[0].box;
  for (const Line& l : lead.lines) {
    EXPECT_GE(l.bbox.x, region.x) << l.text;
    EXPECT_GE(l.bbox.y, region.y) << l.text;
    EXPECT_LE(l.bbox.x + l.bbox.w, region.x + region.w) << l.text;
    EXPECT_LE(l.bbox.y + l.bbox.h, region.y + region.h) << l.text;
  }
  EXPECT_LT(lead.lines[0].bbox.y + lead.lines[0].bbox.h, lead.lines[1].bbox.y + 5);
  EXPECT_GT(lead.confidence, 0.5);
  expect_characters_follow_lines(lead, Direction::Horizontal);
}

// A headline in a heavy black face cut tight from the cleaned page (dev seed 96, taiyuan-ribao
// page 3): Tesseract's line finding finds no line in it (nor in PSM 6 or 7), so line by line
// nothing was read. Its line is then found from the rows its ink runs along.
TEST_F(RecognizeTest, ReadsHeavyDisplayTypeTheLayoutFindsNoLineIn) {
  const fs::path image =
      fs::path(test::kSourceDir) / "tests" / "fixtures" / "pages" / "heavy-headline.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  const std::vector<RegionRequest> requests = {{Box{0, 0, 824, 94}, ReadMode::DisplayLines}};
  auto read = (*engine)->read_regions(page->gray, 300, requests);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 1u);
  const auto want = text::comparable("膠囊內鏡讓檢查更輕鬆");
  const auto got = text::comparable((*read)[0].text);
  EXPECT_LE(static_cast<double>(text::edit_distance(want, got)),
            0.2 * static_cast<double>(want.size()))
      << (*read)[0].text;
  ASSERT_FALSE((*read)[0].lines.empty());
  expect_characters_follow_lines((*read)[0], Direction::Horizontal);
}

// Tesseract's line finding misses lines of display type (the second line of a two-line headline)
// or takes two for one (a deck over an attendance note, read as "1"); every line is read.
TEST_F(RecognizeTest, ReadsEveryLineOfADisplayRegion) {
  struct Case {
    const char* file;
    double dpi;
    const char* want;
  };
  for (const Case& c :
       {Case{"display-two-lines.png", 300, "市委常委會召開會議研究安全生產閆麗娟主持"},
        Case{"display-deck-note.png", 200, "名老中醫傳承工作室揭牌凝心聚力開拓奮進唐坤明主持"}}) {
    SCOPED_TRACE(c.file);
    auto page = ingest::load_page(fs::path(test::kFixtureDir) / "pages" / c.file);
    ASSERT_TRUE(page) << page.error().describe();
    auto engine = TesseractEngine::create(options());
    ASSERT_TRUE(engine) << engine.error().describe();
    // The region segment found, with the margin the pipeline reads it with, on a crop with room
    // around it as the page has.
    const Box region{18, 18, page->gray.cols - 36, page->gray.rows - 36};
    auto read = (*engine)->read_regions(page->gray, c.dpi, {{region, ReadMode::DisplayLines}});
    ASSERT_TRUE(read) << read.error().describe();
    ASSERT_EQ(read->size(), 1u);
    const auto want = text::comparable(c.want);
    const auto got = text::comparable((*read)[0].text);
    EXPECT_LE(static_cast<double>(text::edit_distance(want, got)),
              0.15 * static_cast<double>(want.size()))
        << (*read)[0].text;
    // Three lines, top down, each inside the region read.
    const std::vector<Line>& lines = (*read)[0].lines;
    EXPECT_EQ(lines.size(), 3u);
    for (size_t k = 0; k < lines.size(); ++k) {
      EXPECT_GE(lines[k].bbox.y, region.y) << lines[k].text;
      EXPECT_LE(lines[k].bbox.y + lines[k].bbox.h, region.y + region.h) << lines[k].text;
      if (k > 0) {
        EXPECT_GE(lines[k].bbox.y, lines[k - 1].bbox.y + lines[k - 1].bbox.h / 2);
      }
    }
  }
}

// A vertical column (right-to-left, top-to-bottom) is read with chi_tra_vert: chi_tra in PSM 5
// reads such a column at a CER near 0.95 (models/README.md).
TEST_F(RecognizeTest, ReadsAVerticalColumnWithTheVerticalModel) {
  const fs::path image = fs::path(test::kFixtureDir) / "pages" / "vertical-column.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  auto engine = TesseractEngine::create(options());
  ASSERT_TRUE(engine) << engine.error().describe();
  const Box whole{0, 0, page->gray.cols, page->gray.rows};
  // Vertical, then horizontal, then vertical again: the engine switches models per region.
  auto read = (*engine)->read_regions(page->gray, page->dpi,
                                      {{whole, ReadMode::VerticalBlock},
                                       {whole, ReadMode::Block},
                                       {whole, ReadMode::VerticalBlock}});
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->size(), 3u);

  std::ifstream in(fs::path(test::kFixtureDir) / "pages" / "vertical-column.gold.txt");
  const std::string gold((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto want = text::comparable(gold);
  auto cer = [&](const RegionText& r) {
    return static_cast<double>(text::edit_distance(want, text::comparable(r.text))) /
           static_cast<double>(want.size());
  };
  EXPECT_LT(cer((*read)[0]), 0.20) << (*read)[0].text;
  EXPECT_LT(cer((*read)[2]), 0.20) << (*read)[2].text;
  // Columns come back as lines taller than wide, inside the image.
  ASSERT_FALSE((*read)[0].lines.empty());
  for (const Line& l : (*read)[0].lines) {
    EXPECT_GT(l.bbox.h, l.bbox.w);
    EXPECT_GE(l.bbox.x, 0);
    EXPECT_LE(l.bbox.x + l.bbox.w, page->gray.cols);
  }
  expect_characters_follow_lines((*read)[0], Direction::Vertical);
}

// Script conversion keeps what Tesseract read beside the converted text. t2s is used here only
// because any traditional page shows it working; users would pick s2t.
TEST_F(RecognizeTest, ScriptConversionKeepsTheOriginalBesideIt) {
  EngineOptions bad = options();
  bad.opencc = "no-such-config";
  auto refused = TesseractEngine::create(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::BadArguments);
  EXPECT_NE(refused.error().describe().find("no-such-config"), std::string::npos);

  const fs::path image = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  auto page = ingest::load_page(image);
  ASSERT_TRUE(page) << page.error().describe();
  EngineOptions convert = options();
  convert.opencc = "t2s";
  auto engine = TesseractEngine::create(convert);
  ASSERT_TRUE(engine) << engine.error().describe();
  auto read = (*engine)->read_regions(page->gray, page->dpi,
                                      {{Box{0, 0, page->gray.cols, page->gray.rows}}});
  ASSERT_TRUE(read) << read.error().describe();
  const RegionText& body = (*read)[0];
  ASSERT_TRUE(body.original_text.has_value());
  std::ifstream in(fs::path(test::kFixtureDir) / "pages" / "lead-column.gold.txt");
  const std::string gold((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto want = text::comparable(gold);
  const auto original = text::comparable(*body.original_text);
  const auto converted = text::comparable(body.text);
  EXPECT_LT(static_cast<double>(text::edit_distance(want, original)),
            0.10 * static_cast<double>(want.size()));
  // Character for character: the same length, a good share of the characters changed.
  EXPECT_EQ(original.size(), converted.size());
  EXPECT_GT(static_cast<double>(text::edit_distance(original, converted)),
            0.05 * static_cast<double>(original.size()));
  ASSERT_FALSE(body.lines.empty());
  EXPECT_NE(body.text.find(body.lines.front().text), std::string::npos);
  // The characters are converted with their lines.
  expect_characters_follow_lines(body, Direction::Horizontal);
}

// One line 40 px high, twelve cells 60 px apart; the punctuation is drawn, the characters are not
// (only the marks' ink is looked at). What the model said is on the left, what the ink shows on
// the right: a small solid dot low in the line is a comma, a ring a full stop; two ticks a double
// quotation mark, one tick a single one, and the closing mark after a single opening one is single.
TEST(SettlePunctuationTest, TheInkDecidesCommaOrStopAndSingleOrDoubleQuote) {
  cv::Mat gray(140, 720, CV_8UC1, cv::Scalar(250));
  const Box line_box{0, 50, 720, 40};
  const std::u32string read = U"甲。乙。丙“丁”戊“己”";
  Line line;
  line.bbox = line_box;
  line.text = "甲。乙。 丙“丁”戊“己”";  // a space, as a line may keep one, shifts nothing
  for (size_t k = 0; k < read.size(); ++k) {
    const int centre = 20 + 60 * static_cast<int>(k);
    line.chars.push_back({Box{centre - 8, 50, 16, 40}, text::to_utf8(read.substr(k, 1)), 0.9});
  }
  const cv::Scalar ink(20);
  cv::circle(gray, {80, 83}, 2, ink, cv::FILLED);                 // 。 read, a comma printed
  cv::circle(gray, {200, 70}, 6, ink, 2);                         // 。 read and printed
  cv::rectangle(gray, cv::Rect(314, 54, 3, 8), ink, cv::FILLED);  // “ read and printed
  cv::rectangle(gray, cv::Rect(322, 54, 3, 8), ink, cv::FILLED);
  cv::rectangle(gray, cv::Rect(558, 54, 3, 8), ink, cv::FILLED);  // “ read, ‘ printed
  std::vector<Line> lines{line};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "甲，乙。 丙“丁”戊‘己’");
  EXPECT_TRUE(line_glyphs_match(lines[0]));

  const auto dot = measure_mark(gray, line.chars[1].bbox, line_box, 0.3);
  ASSERT_TRUE(dot.has_value());
  EXPECT_LT(dot->width, 0.2);
  EXPECT_EQ(dot->hole, 0.0);
  EXPECT_GT(dot->centre_y, 0.7);
  const auto ring = measure_mark(gray, line.chars[3].bbox, line_box, 0.3);
  ASSERT_TRUE(ring.has_value());
  EXPECT_GT(ring->hole, 0.2);
  const auto quote = measure_mark(gray, line.chars[5].bbox, line_box, 0.4, true);
  ASSERT_TRUE(quote.has_value());
  EXPECT_EQ(quote->components, 2);
  // No ink under a glyph: nothing measured, nothing changed.
  EXPECT_FALSE(measure_mark(gray, line.chars[0].bbox, line_box, 0.3).has_value());
}

// A | at the edge of a line of Chinese is a rule the region's margin took in; inside a line, or
// beside Latin text, it is left alone.
TEST(SettlePunctuationTest, DropsABarAtTheEdgeOfAChineseLine) {
  const cv::Mat gray(60, 200, CV_8UC1, cv::Scalar(250));
  auto line_of = [](const std::u32string& s) { return glyph_line(Box{0, 10, 200, 30}, s, 10); };
  std::vector<Line> lines{line_of(U"|甲乙丙|"), line_of(U"甲|乙"), line_of(U"a|"), line_of(U"|")};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "甲乙丙");
  EXPECT_EQ(lines[0].chars.size(), 3u);
  EXPECT_EQ(lines[0].chars[0].bbox.x, 10);
  EXPECT_EQ(lines[1].text, "甲|乙");
  EXPECT_EQ(lines[2].text, "a|");
  EXPECT_EQ(lines[3].text, "|");
  for (const Line& l : lines) EXPECT_TRUE(line_glyphs_match(l)) << l.text;
}

// An ellipsis comes out of the model as a run of stray marks; where the ink between two
// characters is only dots at mid-height (and a quotation mark's ticks), it becomes …… (and the
// mark). Ink of any other shape there leaves the run as read.
TEST(SettlePunctuationTest, DotsBetweenTwoCharactersAreAnEllipsis) {
  cv::Mat gray(100, 400, CV_8UC1, cv::Scalar(250));
  const Box line_box{0, 30, 400, 40};
  auto line_of = [&](const std::u32string& s, const std::vector<int>& xs) {
    return glyph_line(line_box, s, 12, xs);
  };
  const cv::Scalar ink(20);
  cv::rectangle(gray, cv::Rect(2, 34, 36, 32), ink, cv::FILLED);                        // 甲
  for (int d = 0; d < 6; ++d) cv::circle(gray, {52 + 13 * d, 50}, 2, ink, cv::FILLED);  // ……
  cv::rectangle(gray, cv::Rect(136, 34, 3, 8), ink, cv::FILLED);                        // ”
  cv::rectangle(gray, cv::Rect(144, 34, 3, 8), ink, cv::FILLED);
  cv::rectangle(gray, cv::Rect(162, 34, 36, 32), ink, cv::FILLED);  // 乙
  std::vector<Line> lines{line_of(U"甲“‧‧“”乙", {10, 50, 70, 90, 110, 140, 165})};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "甲……”乙");
  EXPECT_TRUE(line_glyphs_match(lines[0]));
  ASSERT_EQ(lines[0].chars.size(), 5u);
  EXPECT_LT(lines[0].chars[1].bbox.x, lines[0].chars[2].bbox.x);
  EXPECT_LE(lines[0].chars[2].bbox.x + lines[0].chars[2].bbox.w, 136);

  // A stroke among the dots: not an ellipsis.
  cv::line(gray, {100, 34}, {100, 66}, ink, 2);
  std::vector<Line> other{line_of(U"甲“‧‧“”乙", {10, 50, 70, 90, 110, 140, 165})};
  settle_punctuation(gray, other);
  EXPECT_EQ(other[0].text, "甲“‧‧“”乙");
}

// A dash of two cells is two strokes at mid-height that nearly touch (or one long stroke); the
// model reads it as 一一. Two printed 一 keep their side bearings between them and stay 一一.
TEST(SettlePunctuationTest, TwoNearlyTouchingStrokesAreADash) {
  cv::Mat gray(100, 400, CV_8UC1, cv::Scalar(250));
  const Box line_box{0, 30, 400, 40};
  auto line_of = [&](const std::u32string& s, const std::vector<int>& xs) {
    return glyph_line(line_box, s, 28, xs);
  };
  const cv::Scalar ink(20);
  cv::rectangle(gray, cv::Rect(10, 49, 30, 3), ink, cv::FILLED);  // ——: a 3 px gap
  cv::rectangle(gray, cv::Rect(43, 49, 30, 3), ink, cv::FILLED);
  cv::rectangle(gray, cv::Rect(80, 34, 34, 32), ink, cv::FILLED);  // 城
  cv::rectangle(gray, cv::Rect(210, 49, 28, 3), ink, cv::FILLED);  // 一一: a 12 px gap
  cv::rectangle(gray, cv::Rect(250, 49, 28, 3), ink, cv::FILLED);
  cv::rectangle(gray, cv::Rect(290, 34, 34, 32), ink, cv::FILLED);  // 城
  std::vector<Line> lines{line_of(U"一一城", {10, 43, 80}), line_of(U"一一城", {210, 250, 290})};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "——城");
  EXPECT_EQ(lines[1].text, "一一城");
  for (const Line& l : lines) EXPECT_TRUE(line_glyphs_match(l)) << l.text;
}

// ℃ comes out as C after a stray mark; where that mark's ink is a small ring high in the line
// (closed or broken), the two are ℃. A solid tick there is left as read.
TEST(SettlePunctuationTest, ARingBeforeCAfterANumberIsADegreeSign) {
  cv::Mat gray(100, 400, CV_8UC1, cv::Scalar(250));
  const Box line_box{0, 30, 400, 40};
  auto line_of = [&](const std::u32string& s, const std::vector<int>& xs) {
    return glyph_line(line_box, s, 12, xs);
  };
  const cv::Scalar ink(20);
  cv::rectangle(gray, cv::Rect(10, 36, 10, 28), ink, cv::FILLED);   // 8
  cv::ellipse(gray, {38, 42}, {5, 5}, 0, 30, 330, ink, 1);          // °, broken on the right
  cv::rectangle(gray, cv::Rect(52, 36, 14, 28), ink, 2);            // C
  cv::rectangle(gray, cv::Rect(210, 36, 10, 28), ink, cv::FILLED);  // 8
  cv::rectangle(gray, cv::Rect(236, 36, 3, 10), ink, cv::FILLED);   // '
  cv::rectangle(gray, cv::Rect(252, 36, 14, 28), ink, 2);           // C
  std::vector<Line> lines{line_of(U"8\"C至", {10, 32, 52, 90}),
                          line_of(U"8'C至", {210, 232, 252, 290})};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "8℃至");
  EXPECT_EQ(lines[1].text, "8'C至");
  for (const Line& l : lines) EXPECT_TRUE(line_glyphs_match(l)) << l.text;
}

// Chinese text has no ASCII apostrophe: between two characters it is a comma set high, beside a
// comma the same comma read twice. Beside Latin letters it stays.
TEST(SettlePunctuationTest, AnApostropheInChineseIsAComma) {
  const cv::Mat gray(60, 200, CV_8UC1, cv::Scalar(250));
  auto line_of = [](const std::u32string& s) { return glyph_line(Box{0, 10, 200, 30}, s, 10); };
  std::vector<Line> lines{line_of(U"甲'乙"), line_of(U"甲'，乙"), line_of(U"甲，'乙"),
                          line_of(U"it's")};
  settle_punctuation(gray, lines);
  EXPECT_EQ(lines[0].text, "甲，乙");
  EXPECT_EQ(lines[1].text, "甲，乙");
  EXPECT_EQ(lines[2].text, "甲，乙");
  EXPECT_EQ(lines[3].text, "it's");
  for (const Line& l : lines) EXPECT_TRUE(line_glyphs_match(l)) << l.text;
}

// chi_tra reads the % of 63% as digits (6300, 9296, 630%); a Latin model restricted to digits
// reads the run again, and only a reading that keeps the run's leading digits and puts a % where
// the run had one to three glyphs more replaces it.
TEST(SettlePercentTest, ANumberReadAgainAsAPercentageReplacesTheDigitsThePercentWasReadAs) {
  auto line_of = [](const std::u32string& s) { return glyph_line(Box{0, 10, 400, 30}, s, 15); };
  std::vector<Line> lines{line_of(U"增長6300。"), line_of(U"達到17.30%，"), line_of(U"提高到79歲"),
                          line_of(U"共1862項"),   line_of(U"約2000元"),     line_of(U"約5"),
                          line_of(U"達到9296。"), line_of(U"長7.2%。")};
  std::vector<Box> asked;
  const NumberReader read = [&](const Box& box) -> std::optional<BoxReading> {
    asked.push_back(box);
    switch (asked.size()) {
      case 1:
        return BoxReading{"63%", 0.95};  // 6300: the % read as 00
      case 2:
        return BoxReading{"17.3%", 0.9};  // 17.30%: the % read as 0%
      case 3:
        return BoxReading{"79%", 0.9};  // the next character's ink taken for a %
      case 4:
        return BoxReading{"186254", 0.7};  // no % at all
      case 5:
        return BoxReading{"20%", 0.3};  // too unsure
      case 6:
        return BoxReading{"92%", 0.9};  // 9296
      default:
        return BoxReading{"7.2%", 0.9};  // already right
    }
  };
  settle_percent(lines, read);
  EXPECT_EQ(lines[0].text, "增長63%。");
  EXPECT_EQ(lines[1].text, "達到17.3%，");
  EXPECT_EQ(lines[2].text, "提高到79歲");
  EXPECT_EQ(lines[3].text, "共1862項");
  EXPECT_EQ(lines[4].text, "約2000元");
  EXPECT_EQ(lines[5].text, "約5");  // one digit: nothing a % could hide in, not read again
  EXPECT_EQ(lines[6].text, "達到92%。");
  EXPECT_EQ(lines[7].text, "長7.2%。");
  ASSERT_EQ(asked.size(), 7u);
  for (const Line& l : lines) EXPECT_TRUE(line_glyphs_match(l)) << l.text;
  // The run's box, widened on both sides, over the line's height.
  EXPECT_LT(asked[0].x, 2 * 15);
  EXPECT_GT(asked[0].x + asked[0].w, 6 * 15);
  EXPECT_LE(asked[0].y, 10);
  EXPECT_GE(asked[0].y + asked[0].h, 40);
  // The % takes the boxes of the two glyphs it was read as.
  const Glyph& percent = lines[0].chars[4];
  EXPECT_EQ(percent.text, "%");
  EXPECT_EQ(percent.bbox.x, 4 * 15);
  EXPECT_EQ(percent.bbox.w, 2 * 15);
  EXPECT_DOUBLE_EQ(percent.confidence, 0.95);
}

}  // namespace
}  // namespace broadsheet::recognize
