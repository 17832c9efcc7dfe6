#include "reassemble/jump.hpp"

#include <string>

#include <gtest/gtest.h>

namespace broadsheet::reassemble {
namespace {

using Dir = Jump::Direction;

struct Form {
  const char* text;
  Dir direction;
  int page;
  const char* marker;
};

// Every form papers print, and the noise OCR leaves on them.
const Form kForms[] = {
    {"（下轉第三版）", Dir::To, 3, "下轉第三版"},
    {"（上接第一版）", Dir::From, 1, "上接第一版"},
    {"（轉第3版）", Dir::To, 3, "轉第3版"},
    {"（接第1版）", Dir::From, 1, "接第1版"},
    {"（下轉二版）", Dir::To, 2, "下轉二版"},
    {"轉A3", Dir::To, 3, "轉A3"},
    {"接A1版", Dir::From, 1, "接A1版"},
    {"（下轉第十二版）", Dir::To, 12, "下轉第十二版"},
    {"（上接第二十三版）", Dir::From, 23, "上接第二十三版"},
    {"(下轉第12版)", Dir::To, 12, "下轉第12版"},         // half-width brackets
    {"（轉第３版）", Dir::To, 3, "轉第3版"},             // full-width digit
    {"（下转第三版）", Dir::To, 3, "下轉第三版"},        // simplified 转
    {"（上续第一版）", Dir::From, 1, "上續第一版"},      // simplified 续
    {"（ 下 轉 第 三 版 ）", Dir::To, 3, "下轉第三版"},  // spaces everywhere
    {"（下轉第三\n版）", Dir::To, 3, "下轉第三版"},      // a line break
    {"（下轉第三板）", Dir::To, 3, "下轉第三版"},        // 版 read as 板
    {"（下轉笫三版）", Dir::To, 3, "下轉第三版"},        // 第 read as 笫
    {"（下轉第三版）。", Dir::To, 3, "下轉第三版"},      // a stray full stop
    {"'（下轉第三版）", Dir::To, 3, "下轉第三版"},       // a speck before it
    {"（下轉第三版", Dir::To, 3, "下轉第三版"},          // closing bracket lost
    {"下轉第三版）", Dir::To, 3, "下轉第三版"},          // opening bracket lost
    {"下轉第三版", Dir::To, 3, "下轉第三版"},            // no brackets at all
    {"（土接第一版）", Dir::From, 1, "接第一版"},        // 上 read as 土
    {"（下輯第三版）", Dir::To, 3, "下轉第三版"},        // keyword misread
    {"（下第三版）", Dir::To, 3, "下轉第三版"},          // keyword lost
    {"（上第一版）", Dir::From, 1, "上接第一版"},
    {"（下轉第一〇五版）", Dir::To, 105, "下轉第一〇五版"},
    {"【下轉第4版】", Dir::To, 4, "下轉第4版"},
};

class ParseJumpForms : public ::testing::TestWithParam<Form> {};

TEST_P(ParseJumpForms, ReadsDirectionPageAndMarker) {
  const Form& f = GetParam();
  const std::optional<Jump> jump = parse_jump(f.text);
  ASSERT_TRUE(jump.has_value()) << "not read as a jump: " << f.text;
  EXPECT_EQ(jump->direction, f.direction) << f.text;
  EXPECT_EQ(jump->page, f.page) << f.text;
  EXPECT_EQ(jump->marker, f.marker) << f.text;
}

INSTANTIATE_TEST_SUITE_P(EveryPrintedForm, ParseJumpForms, ::testing::ValuesIn(kForms));

// Strings that look like a jump line but are not one.
const char* const kLookAlikes[] = {
    "引用第三版的說法",
    "第三版",
    "（第三版）",
    "轉載第三版的文章內容",
    "詳見本報第三版",
    "下轉",
    "（下轉第版）",    // no page number
    "（下轉第零版）",  // page 0
    "轉3",             // nothing but a keyword and a digit
    "接1",
    "",
    "   ",
    "（郁靜 子煜）",
    "本報訊 8月6日，市委書記雷健坤深入郊區（下轉第三版）調研重點項目建設工作",
    "（下轉第三版）（上接第一版）",
    "三版",
    "A3",
    "（下轉第1000版）",
};

class ParseJumpLookAlikes : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseJumpLookAlikes, AreRefused) {
  EXPECT_FALSE(parse_jump(GetParam()).has_value()) << "read as a jump: " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(NotJumps, ParseJumpLookAlikes, ::testing::ValuesIn(kLookAlikes));

TEST(SplitTrailingJumpTest, CutsAJumpLineLeftAtTheEndOfABody) {
  const auto split = split_trailing_jump("讓托管服務既“接地气”又有“保障”。（下轉第二版）");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "讓托管服務既“接地气”又有“保障”。");
  EXPECT_EQ(split->jump.direction, Dir::To);
  EXPECT_EQ(split->jump.page, 2);
  EXPECT_EQ(split->jump.marker, "下轉第二版");
}

TEST(SplitTrailingJumpTest, CutsAfterALineBreakAndWithNoise) {
  const auto split = split_trailing_jump("不搞層層陪會。\n( 下 轉第3版 )\n");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "不搞層層陪會。");
  EXPECT_EQ(split->jump.page, 3);
}

TEST(SplitTrailingJumpTest, CutsMidSentence) {
  // A part cut at a line ends mid-sentence; its jump line still comes off whole.
  const auto split = split_trailing_jump("雷健坤還就中心醫院周邊（下轉第三版）");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "雷健坤還就中心醫院周邊");
}

TEST(SplitTrailingJumpTest, LeavesOtherTextAlone) {
  EXPECT_FALSE(split_trailing_jump("她說，這是引用第三版的說法。").has_value());
  EXPECT_FALSE(split_trailing_jump("黨委（黨組）要履行好主體責任").has_value());
  EXPECT_FALSE(split_trailing_jump("").has_value());
  EXPECT_FALSE(split_trailing_jump("（上接第一版）截至目前").has_value());
}

TEST(SplitLeadingJumpTest, CutsAJumpLineAtTheStartOfABody) {
  const auto split =
      split_leading_jump("（上接第一版）截至目前，全市各級工會共開辦暑期愛心托管班46個");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->jump.direction, Dir::From);
  EXPECT_EQ(split->jump.page, 1);
  EXPECT_EQ(split->text, "截至目前，全市各級工會共開辦暑期愛心托管班46個");
}

TEST(SplitLeadingJumpTest, KeepsDigitsThatFollowTheBracket) {
  const auto split = split_leading_jump("（上接第一版）1月2日，在城區的一處立交橋施工現場");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->text, "1月2日，在城區的一處立交橋施工現場");
}

TEST(SplitLeadingJumpTest, LeavesOtherTextAlone) {
  EXPECT_FALSE(split_leading_jump("本報訊 接第一版的報道，記者從市能源局獲悉").has_value());
  EXPECT_FALSE(split_leading_jump("（下轉第三版）").has_value() &&
               split_leading_jump("（下轉第三版）")->jump.direction == Dir::From);
}

TEST(JumpMarkerTest, PrintsTheUsualForm) {
  EXPECT_EQ(jump_marker(Dir::To, 3), "下轉第三版");
  EXPECT_EQ(jump_marker(Dir::From, 1), "上接第一版");
  EXPECT_EQ(jump_marker(Dir::To, 12), "下轉第十二版");
  EXPECT_EQ(jump_marker(Dir::To, 20), "下轉第二十版");
}

TEST(ParseJumpTest, SurvivesArbitraryBytes) {
  const std::string bad = "\xff\xfe（下轉\x80第三版）";
  (void)parse_jump(bad);
  (void)split_trailing_jump(bad);
  (void)split_leading_jump(bad);
  SUCCEED();
}

}  // namespace
}  // namespace broadsheet::reassemble
