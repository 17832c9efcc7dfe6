// run --shard K/N: the split by issue id (batch/shard.hpp).

#include "batch/shard.hpp"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace broadsheet::batch {
namespace {

// Ids shaped like real ones: <paper>/<date>, consecutive days, several papers.
std::vector<std::string> issue_ids(int papers, int days) {
  std::vector<std::string> ids;
  for (int p = 0; p < papers; ++p)
    for (int d = 0; d < days; ++d) {
      const int month = 1 + (d / 28) % 12;
      const int day = 1 + d % 28;
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", 1930 + d / 336, month, day);
      ids.push_back("paper-" + std::to_string(p) + "/" + date);
    }
  return ids;
}

TEST(ShardTest, ParsesKOfN) {
  auto s = parse_shard("3/8");
  ASSERT_TRUE(s) << s.error().describe();
  EXPECT_EQ(*s, (Shard{3, 8}));
  EXPECT_EQ(*parse_shard("1/1"), (Shard{1, 1}));
  EXPECT_EQ(*parse_shard("8/8"), (Shard{8, 8}));
  EXPECT_EQ(*parse_shard("007/010"), (Shard{7, 10}));
  EXPECT_EQ(*parse_shard("100000/100000"), (Shard{kMaxShards, kMaxShards}));
  EXPECT_EQ(to_string(Shard{3, 8}), "3/8");
  EXPECT_EQ(file_label(Shard{3, 8}), "shard-3-of-8");
}

TEST(ShardTest, RejectsWhatIsNotAShardWithAClearMessage) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"3/2", "does not exist among 2"},
      {"0/2", "numbered from 1"},
      {"1/0", "N must be between 1"},
      {"a/b", "whole numbers"},
      {"-1/2", "whole numbers"},
      {"1/-2", "whole numbers"},
      {"1.5/2", "whole numbers"},
      {" 1/2", "whole numbers"},
      {"1/2 ", "whole numbers"},
      {"1/", "whole numbers"},
      {"/2", "whole numbers"},
      {"2", "not of the form K/N"},
      {"", "not of the form K/N"},
      {"1/2/3", "not of the form K/N"},
      {"1/100001", "N must be between 1"},
      {"99999999999999999999/2", "whole numbers"},
  };
  for (const auto& [text, expected] : bad) {
    auto s = parse_shard(text);
    ASSERT_FALSE(s) << "'" << text << "' accepted";
    EXPECT_EQ(s.error().code, ErrorCode::BadArguments);
    EXPECT_NE(s.error().message.find(expected), std::string::npos)
        << "'" << text << "': " << s.error().describe();
    EXPECT_NE(s.error().message.find("--shard " + text), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().hint.find("1 <= K <= N"), std::string::npos);
  }
}

TEST(ShardTest, EveryIssueIsInExactlyOneShard) {
  const auto ids = issue_ids(7, 120);
  for (int n = 1; n <= 17; ++n) {
    for (const std::string& id : ids) {
      int owners = 0;
      for (int k = 1; k <= n; ++k) owners += in_shard(id, Shard{k, n}) ? 1 : 0;
      ASSERT_EQ(owners, 1) << id << " in " << owners << " of " << n << " shards";
      const int k = shard_of(id, n);
      ASSERT_GE(k, 1);
      ASSERT_LE(k, n);
    }
  }
}

// The split is pinned: the same on every run, machine, compiler and standard library (it never
// goes through std::hash). These values were computed independently (Python, from the published
// FNV-1a and MurmurHash3 fmix64 definitions); if they change, shards already run would be read
// again under other numbers, so changing the hash needs a new file label.
TEST(ShardTest, SplitIsStableAcrossRunsAndMachines) {
  EXPECT_EQ(shard_hash("yangquan-ribao/2025-08-07"), 0xbc353ad68435b959ULL);
  EXPECT_EQ(shard_hash("xinzhou-ribao/2000-01-03"), 0x08e0e5860e6ddc59ULL);
  EXPECT_EQ(shard_hash(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(shard_hash("a"), 0x82a2a958a9bece5bULL);
  EXPECT_EQ(shard_hash("臺灣日日新報/1925-03-01"), 0xbd9b812903e7d72cULL);  // UTF-8 bytes
  EXPECT_EQ(shard_of("yangquan-ribao/2025-08-07", 2), 2);
  EXPECT_EQ(shard_of("yangquan-ribao/2025-08-07", 4), 2);
  EXPECT_EQ(shard_of("yangquan-ribao/2025-08-07", 7), 3);
  EXPECT_EQ(shard_of("a", 4), 4);
  EXPECT_EQ(shard_of("", 4), 3);
  // A function of the id alone: the same id gives the same shard whatever else is in the batch.
  for (const std::string& id : issue_ids(2, 30)) EXPECT_EQ(shard_of(id, 5), shard_of(id, 5));
}

TEST(ShardTest, OneShardHoldsEverything) {
  for (const std::string& id : issue_ids(3, 10)) {
    EXPECT_EQ(shard_of(id, 1), 1);
    EXPECT_TRUE(in_shard(id, Shard{1, 1}));
  }
}

// Real ids differ in a few characters (consecutive dates of one paper): the shards still get
// about the same number of issues, also for N a power of two, where FNV-1a alone is weak.
TEST(ShardTest, ShardsAreBalanced) {
  const auto ids = issue_ids(4, 500);  // 2000 issues
  for (int n : {2, 3, 4, 8, 10, 16}) {
    std::vector<int> counts(static_cast<size_t>(n) + 1, 0);
    for (const std::string& id : ids) ++counts[static_cast<size_t>(shard_of(id, n))];
    const double mean = static_cast<double>(ids.size()) / n;
    for (int k = 1; k <= n; ++k) {
      EXPECT_GT(counts[static_cast<size_t>(k)], 0.8 * mean) << "shard " << k << " of " << n;
      EXPECT_LT(counts[static_cast<size_t>(k)], 1.2 * mean) << "shard " << k << " of " << n;
    }
  }
  // A week of one paper is spread over the shards, not kept together.
  std::set<int> used;
  for (const std::string& id : issue_ids(1, 7)) used.insert(shard_of(id, 4));
  EXPECT_GE(used.size(), 3u);
}

}  // namespace
}  // namespace broadsheet::batch
