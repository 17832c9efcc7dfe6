// report.json and `broadsheet report OUT`: the merge of the shards' reports (batch/report.hpp).

#include "batch/report.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace broadsheet::batch {
namespace {

namespace fs = std::filesystem;

RunReport shard_report(int k, int n, int pages, double seconds) {
  RunReport r;
  r.shard = Shard{k, n};
  r.host = "node" + std::to_string(k);
  r.started = "2026-12-01T09:00:0" + std::to_string(k) + "Z";
  r.finished = "2026-12-01T10:00:0" + std::to_string(k) + "Z";
  r.jobs = 2;
  r.issues_found = 10;
  r.issues = pages;
  r.issues_written = pages;
  r.pages_read = pages;
  r.pages_reused = 1;
  r.seconds = seconds;
  r.cpu_seconds = 2 * seconds;
  r.page_seconds = 1.5 * seconds;
  r.mean_confidence = 0.5 + 0.1 * k;
  return r;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_report_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the report and dates the file `age` seconds back.
  void write(const RunReport& r, int age = 0) {
    ASSERT_TRUE(write_report(dir_, r));
    fs::last_write_time(report_path(dir_, r.shard),
                        fs::file_time_type::clock::now() - std::chrono::seconds(age));
  }

  fs::path dir_;
};

TEST_F(ReportTest, FileNamesSayWhichShard) {
  EXPECT_EQ(report_path("OUT", std::nullopt), fs::path("OUT/report.json"));
  EXPECT_EQ(report_path("OUT", Shard{3, 8}), fs::path("OUT/report-shard-3-of-8.json"));
}

TEST_F(ReportTest, RoundTripsAndReadsReportsWrittenBeforeSharding) {
  RunReport r = shard_report(2, 4, 3, 12.5);
  r.interrupted = true;
  r.pages_failed = 1;
  r.errors.push_back({{"input", "a/page-01.png"}, {"message", "empty"}});
  auto back = run_report_from_json(to_json(r));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(to_json(*back), to_json(r));
  EXPECT_EQ(to_json(r)["shard"], (nlohmann::json{{"index", 2}, {"count", 4}}));

  // The fields of report.json before issue 9: no shard, host, times or CPU.
  const auto old = nlohmann::json::parse(R"({"issues": 2, "issues_written": 2, "pages_read": 5,
      "pages_reused": 0, "pages_failed": 0, "seconds": 30.0, "pages_per_minute": 10.0,
      "mean_confidence": 0.8, "interrupted": false, "jobs": 2, "errors": []})");
  auto o = run_report_from_json(old);
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_FALSE(o->shard.has_value());
  EXPECT_EQ(o->pages_read, 5);
  EXPECT_EQ(o->issues_found, 2);

  auto wrong = run_report_from_json(nlohmann::json{{"pages_read", "many"}});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("pages_read"), std::string::npos);
  EXPECT_FALSE(run_report_from_json(nlohmann::json::array()));
}

TEST_F(ReportTest, AddsUpTheShardsOfOneSplit) {
  RunReport one = shard_report(1, 3, 4, 100);
  one.pages_failed = 1;
  one.errors.push_back({{"input", "p/2001-01-01/page-02.png"}, {"message", "cannot decode"}});
  write(one);
  write(shard_report(2, 3, 3, 250));
  write(shard_report(3, 3, 3, 50));
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->shard_count, 3);
  ASSERT_EQ(m->reports.size(), 3u);
  EXPECT_EQ(m->reports[1].report.shard, (Shard{2, 3}));
  EXPECT_TRUE(m->missing.empty());
  EXPECT_TRUE(m->ignored.empty());
  EXPECT_EQ(m->total.issues, 10);
  EXPECT_EQ(m->total.issues_found, 10);
  EXPECT_EQ(m->total.pages_read, 10);
  EXPECT_EQ(m->total.pages_reused, 3);
  EXPECT_EQ(m->total.pages_failed, 1);
  EXPECT_DOUBLE_EQ(m->total.seconds, 250);  // wall: the longest shard
  EXPECT_DOUBLE_EQ(m->seconds_sum, 400);
  EXPECT_DOUBLE_EQ(m->total.cpu_seconds, 800);
  EXPECT_DOUBLE_EQ(m->total.page_seconds, 600);
  EXPECT_NEAR(m->total.mean_confidence, (0.6 * 4 + 0.7 * 3 + 0.8 * 3) / 10, 1e-9);
  EXPECT_EQ(m->total.started, "2026-12-01T09:00:01Z");
  EXPECT_EQ(m->total.finished, "2026-12-01T10:00:03Z");
  ASSERT_EQ(m->total.errors.size(), 1u);
  EXPECT_EQ(m->total.errors[0]["shard"], "1/3");
  EXPECT_FALSE(m->complete_and_clean());  // a page failed
  EXPECT_FALSE(m->inconsistent_scans);

  const std::string text = format_summary(*m);
  EXPECT_NE(text.find("3 of 3 reported"), std::string::npos) << text;
  EXPECT_NE(text.find("[1/3] p/2001-01-01/page-02.png: cannot decode"), std::string::npos) << text;
  EXPECT_EQ(text.find("missing"), std::string::npos) << text;

  const nlohmann::json j = to_json(*m);
  EXPECT_EQ(j["pages_read"], 10);
  EXPECT_EQ(j["shards"], 3);
  EXPECT_EQ(j["reports"].size(), 3u);
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["errors"].size(), 1u);
}

TEST_F(ReportTest, NamesTheShardsWithoutAReport) {
  write(shard_report(1, 4, 2, 10));
  write(shard_report(3, 4, 2, 10));
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->missing, (std::vector<int>{2, 4}));
  EXPECT_FALSE(m->complete_and_clean());
  const std::string text = format_summary(*m);
  EXPECT_NE(text.find("2 of 4 reported"), std::string::npos) << text;
  EXPECT_NE(text.find("missing: shard 2/4 (no report-shard-2-of-4.json)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("--shard 4/4"), std::string::npos) << text;
  EXPECT_NE(text.find("sbatch --array=4"), std::string::npos) << text;
  EXPECT_EQ(to_json(*m)["missing"], (nlohmann::json{2, 4}));
}

TEST_F(ReportTest, CleanWhenEveryShardFinishedWithoutFailures) {
  write(shard_report(1, 2, 2, 10));
  write(shard_report(2, 2, 2, 10));
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->complete_and_clean());
  EXPECT_EQ(to_json(*m)["complete"], true);
}

TEST_F(ReportTest, InterruptedShardIsNamed) {
  RunReport r = shard_report(2, 2, 2, 10);
  r.interrupted = true;
  write(shard_report(1, 2, 2, 10));
  write(r);
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->complete_and_clean());
  EXPECT_NE(format_summary(*m).find("interrupted: shard 2/2"), std::string::npos);
}

TEST_F(ReportTest, TheNewestSplitIsMergedAndOlderReportsAreIgnored) {
  RunReport whole;
  whole.issues = 10;
  whole.pages_read = 20;
  write(whole, 3600);                     // an earlier run over every issue
  write(shard_report(1, 3, 9, 5), 1800);  // an abandoned split into 3
  write(shard_report(1, 2, 4, 10), 60);
  write(shard_report(2, 2, 6, 10), 0);
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->shard_count, 2);
  EXPECT_EQ(m->total.pages_read, 10);
  ASSERT_EQ(m->ignored.size(), 2u);
  EXPECT_EQ(m->ignored[0].filename(), "report-shard-1-of-3.json");
  EXPECT_EQ(m->ignored[1].filename(), "report.json");
  EXPECT_NE(format_summary(*m).find("ignored: report.json"), std::string::npos);

  // A run over every issue after the shards: it alone counts.
  write(whole, 0);
  fs::last_write_time(report_path(dir_, Shard{2, 2}),
                      fs::file_time_type::clock::now() - std::chrono::seconds(30));
  m = merge_reports(dir_);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->shard_count.has_value());
  EXPECT_EQ(m->total.pages_read, 20);
  EXPECT_EQ(m->ignored.size(), 3u);
  EXPECT_NE(format_summary(*m).find("one run over every issue"), std::string::npos);
}

TEST_F(ReportTest, DamagedReportIsListedNotCounted) {
  write(shard_report(1, 2, 2, 10));
  std::ofstream(dir_ / "report-shard-2-of-2.json") << "{ truncated";
  std::ofstream(dir_ / "report-shard-x-of-2.json") << "{}";  // not a report name: skipped
  std::ofstream(dir_ / "report-shard-1-of-2.json.tmp.123") << "{}";
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->reports.size(), 1u);
  ASSERT_EQ(m->unreadable.size(), 1u);
  EXPECT_EQ(m->missing, (std::vector<int>{2}));
  EXPECT_FALSE(m->complete_and_clean());
  EXPECT_NE(format_summary(*m).find("unreadable: report-shard-2-of-2.json"), std::string::npos);
}

TEST_F(ReportTest, ShardsThatSawDifferentScansAreFlagged) {
  RunReport two = shard_report(2, 2, 2, 10);
  two.issues_found = 11;
  write(shard_report(1, 2, 2, 10));
  write(two);
  auto m = merge_reports(dir_);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->inconsistent_scans);
  EXPECT_NE(format_summary(*m).find("scans changed"), std::string::npos);
}

TEST_F(ReportTest, NoReportIsAnError) {
  auto m = merge_reports(dir_);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::InputMissing);
  EXPECT_NE(m.error().message.find("no report.json"), std::string::npos);
  EXPECT_FALSE(merge_reports(dir_ / "absent"));
}

}  // namespace
}  // namespace broadsheet::batch
