#include "ingest/ingest.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

namespace broadsheet::ingest {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_ingest_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_png(const fs::path& path, int w, int h) {
    fs::create_directories(path.parent_path());
    cv::Mat img(h, w, CV_8UC1, cv::Scalar(255));
    ASSERT_TRUE(cv::imwrite(path.string(), img)) << path;
  }

  fs::path dir_;
};

TEST(PageNumberTest, TakesTheLastRunOfDigits) {
  EXPECT_EQ(page_number_from_name("page-01"), 1);
  EXPECT_EQ(page_number_from_name("p3"), 3);
  EXPECT_EQ(page_number_from_name("0003"), 3);
  EXPECT_EQ(page_number_from_name("scan_12_final"), 12);
  EXPECT_EQ(page_number_from_name("cover"), std::nullopt);
}

TEST(PageImageTest, RecognisesScanEndingsOnly) {
  EXPECT_TRUE(is_page_image("a/page-01.TIF"));
  EXPECT_TRUE(is_page_image("p1.jpeg"));
  EXPECT_TRUE(is_page_image("p1.jp2"));
  EXPECT_FALSE(is_page_image("truth.json"));
  EXPECT_FALSE(is_page_image("Thumbs.db"));
}

TEST_F(IngestTest, FindsIssuesByFolderAndOrdersPagesByNumber) {
  write_png(dir_ / "paper" / "2025-08-07" / "page-10.png", 32, 32);
  write_png(dir_ / "paper" / "2025-08-07" / "page-2.png", 32, 32);
  write_png(dir_ / "paper" / "2025-08-07" / "page-1.png", 32, 32);
  std::ofstream(dir_ / "paper" / "2025-08-07" / "truth.json") << "{}";
  std::ofstream(dir_ / "paper" / "2025-08-07" / "Thumbs.db") << "x";
  write_png(dir_ / "paper" / "2025-08-08" / "p1.png", 32, 32);

  auto issues = find_issues(dir_);
  ASSERT_TRUE(issues) << issues.error().describe();
  ASSERT_EQ(issues->size(), 2u);
  EXPECT_EQ((*issues)[0].id, "paper/2025-08-07");
  ASSERT_EQ((*issues)[0].pages.size(), 3u);
  EXPECT_EQ((*issues)[0].pages[0].path.filename(), "page-1.png");
  EXPECT_EQ((*issues)[0].pages[1].path.filename(), "page-2.png");
  EXPECT_EQ((*issues)[0].pages[2].path.filename(), "page-10.png");
  EXPECT_EQ((*issues)[1].id, "paper/2025-08-08");
}

TEST_F(IngestTest, RootHoldingImagesIsOneIssueNamedAfterIt) {
  write_png(dir_ / "page-1.png", 32, 32);
  auto issues = find_issues(dir_);
  ASSERT_TRUE(issues);
  ASSERT_EQ(issues->size(), 1u);
  EXPECT_EQ((*issues)[0].id, dir_.filename().string());
}

TEST_F(IngestTest, MissingRootIsAnErrorNamingIt) {
  auto issues = find_issues(dir_ / "nope");
  ASSERT_FALSE(issues);
  EXPECT_EQ(issues.error().code, ErrorCode::InputMissing);
  EXPECT_EQ(issues.error().input, dir_ / "nope");
}

TEST_F(IngestTest, EmptyFileIsUnreadableWithThePath) {
  std::ofstream(dir_ / "empty.png");
  auto page = load_page(dir_ / "empty.png");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::InputUnreadable);
  EXPECT_NE(page.error().describe().find("empty.png"), std::string::npos);
}

TEST_F(IngestTest, TextFileNamedPngIsUnreadable) {
  std::ofstream(dir_ / "note.png") << "this is not an image\n";
  auto page = load_page(dir_ / "note.png");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::InputUnreadable);
}

TEST_F(IngestTest, TinyImageIsRejected) {
  write_png(dir_ / "dot.png", 1, 1);
  auto page = load_page(dir_ / "dot.png");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::InputRejected);
}

TEST_F(IngestTest, DecodesGrayAndAssumesDpiWhenMissing) {
  cv::Mat img(60, 80, CV_8UC3, cv::Scalar(10, 200, 30));
  ASSERT_TRUE(cv::imwrite((dir_ / "colour.png").string(), img));
  auto page = load_page(dir_ / "colour.png");
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->gray.type(), CV_8UC1);
  EXPECT_EQ(page->gray.cols, 80);
  EXPECT_EQ(page->gray.rows, 60);
  EXPECT_TRUE(page->dpi_assumed);
  EXPECT_DOUBLE_EQ(page->dpi, 300);
}

}  // namespace
}  // namespace broadsheet::ingest
