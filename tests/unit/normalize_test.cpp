#include "recognize/normalize.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace broadsheet::recognize
