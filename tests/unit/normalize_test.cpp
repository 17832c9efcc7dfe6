#include "recognize/normalize.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"

namespace broadsheet::recognize {
namespace {

TEST(NormalizeLineTest, RemovesSpacesBetweenCjkCharacters) {
  EXPECT_EQ(normalize_line("陽 泉 日 報"), "陽泉日報");
  EXPECT_EQ(normalize_line("  市委  書記\t雷健坤 "), "市委書記雷健坤");
  EXPECT_EQ(normalize_line("本報訊 8月6日"), "本報訊8月6日");
}

TEST(NormalizeLineTest, KeepsSpacesBetweenLatinWords) {
  EXPECT_EQ(normalize_line("YANGQUAN   RIBAO"), "YANGQUAN RIBAO");
  EXPECT_EQ(normalize_line("機遇期 and 歷史窗口期"), "機遇期 and 歷史窗口期");
  EXPECT_EQ(normalize_line("8 月 6 日"), "8月6日");
}

TEST(NormalizeLineTest, MakesChinesePunctuationFullWidth) {
  EXPECT_EQ(normalize_line("她強調, 要深入學習"), "她強調，要深入學習");
  EXPECT_EQ(normalize_line("問題:如何?好!"), "問題：如何？好！");
  EXPECT_EQ(normalize_line("(郁靜 子煜)"), "（郁靜子煜）");
  EXPECT_EQ(normalize_line("公司;企業"), "公司；企業");
  EXPECT_EQ(normalize_line("完成任務."), "完成任務。");
}

TEST(NormalizeLineTest, LeavesNumbersAndLatinAsPrinted) {
  EXPECT_EQ(normalize_line("8,000"), "8,000");
  EXPECT_EQ(normalize_line("增長5.3%"), "增長5.3%");
  EXPECT_EQ(normalize_line("9:00—20:30"), "9:00—20:30");
  EXPECT_EQ(normalize_line("Hello, world."), "Hello, world.");
}

TEST(NormalizeLineTest, TurnsAsciiQuotesIntoChineseQuotes) {
  EXPECT_EQ(normalize_line("\"小托管\"托起職工\"大幸福\""), "“小托管”托起職工“大幸福”");
}

TEST(JoinLinesTest, JoinsAParagraphWithNothingInserted) {
  EXPECT_EQ(join_lines({"雷健坤還就中心醫院周邊", "配套、生態新城"}, {true, false}),
            "雷健坤還就中心醫院周邊配套、生態新城");
}

TEST(JoinLinesTest, StartsNewParagraphsWithNewlines) {
  EXPECT_EQ(join_lines({"市領導參加。", "陽泉市中心", "醫院項目"}, {true, true, false}),
            "市領導參加。\n陽泉市中心醫院項目");
}

TEST(JoinLinesTest, KeepsASpaceBetweenLatinWordsOverALineBreak) {
  EXPECT_EQ(join_lines({"YANGQUAN", "RIBAO"}, {true, false}), "YANGQUAN RIBAO");
  EXPECT_EQ(join_lines({"", "報"}, {true, false}), "報");
}

TEST(SplitSymbolTest, OneCodePointEachSharingTheBoxAlongTheLine) {
  const Glyph one{Box{10, 20, 30, 40}, "陽", 0.8};
  const auto same = split_symbol(one, false);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0], one);

  const auto across = split_symbol(Glyph{Box{10, 20, 30, 40}, "fi", 0.5}, false);
  ASSERT_EQ(across.size(), 2u);
  EXPECT_EQ(across[0], (Glyph{Box{10, 20, 15, 40}, "f", 0.5}));
  EXPECT_EQ(across[1], (Glyph{Box{25, 20, 15, 40}, "i", 0.5}));

  const auto down = split_symbol(Glyph{Box{10, 20, 30, 41}, "日報", 0.5}, true);
  ASSERT_EQ(down.size(), 2u);
  EXPECT_EQ(down[0].bbox, (Box{10, 20, 30, 20}));
  EXPECT_EQ(down[1].bbox, (Box{10, 40, 30, 21}));

  EXPECT_TRUE(split_symbol(Glyph{Box{0, 0, 5, 5}, " ", 0.5}, false).empty());
}

TEST(ClipIntoTest, CutsAGlyphToItsLineAndNeverEmpties) {
  const Box line{30, 70, 415, 27};
  EXPECT_EQ(clip_into(Box{71, 66, 28, 43}, line), (Box{71, 70, 28, 27}));   // reaches both lines
  EXPECT_EQ(clip_into(Box{40, 75, 20, 10}, line), (Box{40, 75, 20, 10}));   // inside: unchanged
  EXPECT_EQ(clip_into(Box{500, 75, 20, 10}, line), (Box{444, 75, 1, 10}));  // right of the line
  EXPECT_EQ(clip_into(Box{40, 0, 20, 10}, line), (Box{40, 70, 20, 1}));     // above it
}

std::vector<Glyph> glyphs_of(const std::u32string& chars) {
  std::vector<Glyph> out;
  int x = 0;
  for (char32_t c : chars) {
    out.push_back(Glyph{Box{x, 0, 10, 10}, text::to_utf8(std::u32string(1, c)), 0.9});
    x += 10;
  }
  return out;
}

std::string spelled(const std::vector<Glyph>& glyphs) {
  std::string s;
  for (const Glyph& g : glyphs) s += g.text;
  return s;
}

TEST(RespellGlyphsTest, GlyphsFollowTheLineNormalisation) {
  // Tesseract's raw line and its symbols; the normalised line drops the spaces and turns the
  // ASCII punctuation full-width, one character for one.
  const std::string raw = "本 報 訊 8 月 6 日 , 市 委 (擴大) 會議. 機遇期 and 5.3";
  std::vector<Glyph> glyphs = glyphs_of(U"本報訊8月6日,市委(擴大)會議.機遇期and5.3");
  const std::string line = normalize_line(raw);
  ASSERT_TRUE(respell_glyphs(glyphs, raw, line));
  EXPECT_EQ(text::to_u32(spelled(glyphs)), text::strip_space(text::to_u32(line)));
  EXPECT_EQ(glyphs[7].text, "，");
  EXPECT_EQ(glyphs[0].bbox, (Box{0, 0, 10, 10}));  // boxes and confidences stay
}

TEST(RespellGlyphsTest, RefusesGlyphsThatDoNotSpellTheLine) {
  std::vector<Glyph> glyphs = glyphs_of(U"陽泉日報");
  const std::vector<Glyph> before = glyphs;
  EXPECT_FALSE(respell_glyphs(glyphs, "陽泉日", "陽泉日"));        // a symbol too many
  EXPECT_FALSE(respell_glyphs(glyphs, "陽泉日報", "阳泉日报社"));  // the rewrite adds one
  glyphs[1].text = "泉日";
  EXPECT_FALSE(respell_glyphs(glyphs, "陽泉日日報", "陽泉日日報"));  // not one code point
  glyphs = before;
  EXPECT_TRUE(respell_glyphs(glyphs, "陽泉日報", "阳泉日报"));
  EXPECT_EQ(spelled(glyphs), "阳泉日报");
}

}  // namespace
}  // namespace broadsheet::recognize
