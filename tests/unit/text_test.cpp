#include "core/text.hpp"

#include <gtest/gtest.h>

namespace broadsheet::text {
namespace {

TEST(TextTest, RoundTripsUtf8ThroughCodePoints) {
  const std::string s = "陽泉日報 YANGQUAN 𠀀";
  const std::u32string u = to_u32(s);
  EXPECT_EQ(u.size(), 15u);
  EXPECT_EQ(to_utf8(u), s);
}

TEST(TextTest, InvalidBytesBecomeReplacementCharacters) {
  const std::u32string u = to_u32(std::string("a\xff\xe9\x99", 4));
  ASSERT_GE(u.size(), 2u);
  EXPECT_EQ(u[0], U'a');
  EXPECT_EQ(u[1], U'\uFFFD');
}

TEST(TextTest, NfkcFoldsFullWidthAsciiButKeepsChinesePunctuation) {
  EXPECT_EQ(nfkc("ＡＢＣ１２３"), "ABC123");
  // Full-width comma folds to ASCII under NFKC; the ideographic full stop does not.
  EXPECT_EQ(nfkc("，"), ",");
  EXPECT_EQ(nfkc("。"), "。");
}

TEST(TextTest, ComparableRemovesAllWhiteSpace) {
  EXPECT_EQ(comparable("陽 泉\n日\u3000報\t"), U"陽泉日報");
}

TEST(TextTest, EditDistanceCountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(edit_distance(U"", U""), 0u);
  EXPECT_EQ(edit_distance(U"陽泉日報", U""), 4u);
  EXPECT_EQ(edit_distance(U"陽泉日報", U"陽泉晚報"), 1u);
  EXPECT_EQ(edit_distance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(edit_distance(U"ab", U"ba"), 2u);
}

TEST(TextTest, ClassifiesCjk) {
  EXPECT_TRUE(is_cjk(U'報'));
  EXPECT_TRUE(is_cjk(U'𠀀'));
  EXPECT_FALSE(is_cjk(U'，'));
  EXPECT_FALSE(is_cjk(U'A'));
}

}  // namespace
}  // namespace broadsheet::text
