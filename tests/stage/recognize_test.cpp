#include "recognize/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "ingest/ingest.hpp"
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

}  // namespace
}  // namespace broadsheet::recognize
