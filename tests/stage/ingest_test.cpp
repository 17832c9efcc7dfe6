#include "ingest/ingest.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "test_paths.hpp"

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

// ---- Multi-page TIFF and PDF, 16-bit and 1-bit TIFF ---------------------------------------------
// Fixtures are written at test time: pages of the sample issue, downscaled, as TIFF frames; a PDF
// drawn with cairo.

const fs::path kSampleIssue = fs::path(test::kSourceDir) / "scans/yangquan-ribao/2025-08-07";

/// Page `name` of the sample issue at `scale`, 8-bit gray, marked 300 dpi.
PixPtr sample_page(const char* name, float scale) {
  const fs::path path = kSampleIssue / name;
  PixPtr full(pixRead(path.c_str()));
  if (!full) return nullptr;
  PixPtr gray(pixConvertTo8(full.get(), 0));
  PixPtr small(pixScale(gray.get(), scale, scale));
  if (small) pixSetResolution(small.get(), 300, 300);
  return small;
}

/// Writes `pages` as the frames of one TIFF (G4 for 1-bit pages, deflate otherwise).
void write_tiff(const fs::path& path, const std::vector<Pix*>& pages) {
  fs::create_directories(path.parent_path());
  for (size_t k = 0; k < pages.size(); ++k) {
    const int comp = pixGetDepth(pages[k]) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP;
    ASSERT_EQ(pixWriteTiff(path.c_str(), pages[k], comp, k == 0 ? "w" : "a"), 0) << path;
  }
}

/// A PDF of two pages drawn with cairo: 200x300 pt with a black bar across its top third, then
/// 300x200 pt, blank. At 300 dpi: 833x1250 and 1250x833 pixels.
void write_two_page_pdf(const fs::path& path) {
  fs::create_directories(path.parent_path());
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), 200, 300);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_rectangle(cr, 0, 0, 200, 100);
  cairo_fill(cr);
  cairo_show_page(cr);
  cairo_pdf_surface_set_size(surface, 300, 200);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
}

class MultiPageTest : public IngestTest {};

TEST_F(MultiPageTest, ReadsEveryFrameOfAMultiPageTiffInOrder) {
  // Three pages at three scales, so that each frame's size says which page came back.
  const float scales[] = {0.10F, 0.12F, 0.14F};
  const char* names[] = {"page-01.jpg", "page-02.jpg", "page-03.png"};
  std::vector<PixPtr> pages;
  for (int k = 0; k < 3; ++k) {
    pages.push_back(sample_page(names[k], scales[k]));
    ASSERT_TRUE(pages.back()) << "cannot read sample page " << kSampleIssue / names[k];
  }
  const fs::path tiff = dir_ / "jb" / "1919-04-03.tif";
  write_tiff(tiff, {pages[0].get(), pages[1].get(), pages[2].get()});

  auto count = count_frames(tiff);
  ASSERT_TRUE(count) << count.error().describe();
  EXPECT_EQ(*count, 3);
  for (int k = 0; k < 3; ++k) {
    auto page = load_page(tiff, k);
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->frame, k);
    EXPECT_EQ(page->gray.cols, static_cast<int>(pixGetWidth(pages[k].get()))) << "frame " << k;
    EXPECT_EQ(page->gray.rows, static_cast<int>(pixGetHeight(pages[k].get()))) << "frame " << k;
    EXPECT_DOUBLE_EQ(page->dpi, 300);
    EXPECT_FALSE(page->dpi_assumed);
    EXPECT_FALSE(page->rasterised_dpi.has_value());
  }
  // Frame 0 is what the one-argument load_page reads.
  auto first = load_page(tiff);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->gray.cols, static_cast<int>(pixGetWidth(pages[0].get())));

  auto beyond = load_page(tiff, 3);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, ErrorCode::InputRejected);
  EXPECT_NE(beyond.error().describe().find("1919-04-03.tif"), std::string::npos);
  EXPECT_NE(beyond.error().describe().find("3 pages"), std::string::npos)
      << beyond.error().describe();
  // A one-image file has frame 0 only.
  write_png(dir_ / "single.png", 40, 40);
  EXPECT_FALSE(load_page(dir_ / "single.png", 1));
}

TEST_F(MultiPageTest, MultiPageFileIsAnIssueByItselfAndSinglesStayInTheirFolder) {
  PixPtr a = sample_page("page-01.jpg", 0.05F);
  PixPtr b = sample_page("page-02.jpg", 0.05F);
  ASSERT_TRUE(a && b);
  write_tiff(dir_ / "jb" / "1919-04-03.tif", {a.get(), b.get(), a.get(), b.get()});
  write_tiff(dir_ / "jb" / "page-03.tif", {b.get()});  // one frame: a page of the folder's issue
  write_png(dir_ / "jb" / "page-01.png", 40, 40);
  write_png(dir_ / "jb" / "page-02.png", 40, 40);
  write_two_page_pdf(dir_ / "other" / "1950-01-01.pdf");

  auto issues = find_issues(dir_);
  ASSERT_TRUE(issues) << issues.error().describe();
  ASSERT_EQ(issues->size(), 3u);
  const IssueScans& folder = (*issues)[0];
  const IssueScans& multi = (*issues)[1];
  const IssueScans& pdf = (*issues)[2];
  EXPECT_EQ(folder.id, "jb");
  ASSERT_EQ(folder.pages.size(), 3u);
  EXPECT_EQ(folder.pages[0].path.filename(), "page-01.png");
  EXPECT_EQ(folder.pages[1].path.filename(), "page-02.png");
  EXPECT_EQ(folder.pages[2].path.filename(), "page-03.tif");
  for (const ScanPage& p : folder.pages) {
    EXPECT_EQ(p.frame, 0);
    EXPECT_FALSE(p.recorded_frame().has_value());
  }

  EXPECT_EQ(multi.id, "jb/1919-04-03");
  EXPECT_EQ(multi.folder, dir_ / "jb");
  ASSERT_EQ(multi.pages.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(multi.pages[k].path, dir_ / "jb" / "1919-04-03.tif");
    EXPECT_EQ(multi.pages[k].frame, k);
    EXPECT_EQ(multi.pages[k].frame_count, 4);
    EXPECT_EQ(multi.pages[k].recorded_frame(), k);
  }
  EXPECT_EQ(pdf.id, "other/1950-01-01");
  EXPECT_EQ(pdf.pages.size(), 2u);

  // A root that is itself the folder: its name, then the file's stem.
  auto rooted = find_issues(dir_ / "jb");
  ASSERT_TRUE(rooted);
  ASSERT_EQ(rooted->size(), 2u);
  EXPECT_EQ((*rooted)[0].id, "jb");
  EXPECT_EQ((*rooted)[1].id, "jb/1919-04-03");

  // A sub-folder with the stem's name keeps both apart: the file's whole name becomes the id.
  write_png(dir_ / "jb" / "1919-04-03" / "page-01.png", 40, 40);
  auto again = find_issues(dir_);
  ASSERT_TRUE(again);
  std::vector<std::string> ids;
  for (const IssueScans& i : *again) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"jb", "jb/1919-04-03", "jb/1919-04-03.tif",
                                           "other/1950-01-01"}));
}

TEST_F(MultiPageTest, SixteenBitTiffKeepsItsHighByte) {
  PixPtr page = sample_page("page-03.png", 0.1F);
  ASSERT_TRUE(page);
  PixPtr deep(pixConvert8To16(page.get(), 8));  // v -> v * 256
  ASSERT_TRUE(deep);
  ASSERT_EQ(pixGetDepth(deep.get()), 16);
  pixSetResolution(deep.get(), 400, 400);
  write_tiff(dir_ / "deep.tif", {deep.get()});

  auto loaded = load_page(dir_ / "deep.tif");
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->gray.type(), CV_8UC1);
  EXPECT_EQ(loaded->gray.cols, static_cast<int>(pixGetWidth(page.get())));
  EXPECT_EQ(loaded->gray.rows, static_cast<int>(pixGetHeight(page.get())));
  EXPECT_DOUBLE_EQ(loaded->dpi, 400);
  // Same pixels as the 8-bit page it was made from.
  long long differ = 0;
  for (int y = 0; y < loaded->gray.rows; ++y)
    for (int x = 0; x < loaded->gray.cols; ++x) {
      l_uint32 v = 0;
      pixGetPixel(page.get(), x, y, &v);
      if (loaded->gray.at<unsigned char>(y, x) != v) ++differ;
    }
  EXPECT_EQ(differ, 0);
}

TEST_F(MultiPageTest, OneBitG4TiffBecomesBlackInkOnWhite) {
  PixPtr page = sample_page("page-01.jpg", 0.1F);
  ASSERT_TRUE(page);
  PixPtr bits(pixThresholdToBinary(page.get(), 128));  // 1 = ink
  ASSERT_TRUE(bits);
  pixSetResolution(bits.get(), 200, 200);
  write_tiff(dir_ / "g4.tif", {bits.get()});

  auto count = count_frames(dir_ / "g4.tif");
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
  auto loaded = load_page(dir_ / "g4.tif");
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->gray.cols, static_cast<int>(pixGetWidth(bits.get())));
  EXPECT_EQ(loaded->gray.rows, static_cast<int>(pixGetHeight(bits.get())));
  EXPECT_DOUBLE_EQ(loaded->dpi, 200);
  l_int32 ink = 0;
  pixCountPixels(bits.get(), &ink, nullptr);
  ASSERT_GT(ink, 0);
  EXPECT_EQ(cv::countNonZero(loaded->gray == 0), ink);
  EXPECT_EQ(cv::countNonZero(loaded->gray == 255), loaded->gray.total() - ink);
}

TEST_F(MultiPageTest, PdfPagesAreRasterisedAt300DpiGray) {
  const fs::path pdf = dir_ / "1950-01-01.pdf";
  write_two_page_pdf(pdf);
  EXPECT_TRUE(is_page_image(pdf));
  EXPECT_TRUE(is_page_image("X.PDF"));
  auto count = count_frames(pdf);
  ASSERT_TRUE(count) << count.error().describe();
  EXPECT_EQ(*count, 2);

  auto first = load_page(pdf, 0);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_NEAR(first->gray.cols, 833, 1);
  EXPECT_NEAR(first->gray.rows, 1250, 1);
  EXPECT_DOUBLE_EQ(first->dpi, 300);
  EXPECT_FALSE(first->dpi_assumed);
  EXPECT_EQ(first->rasterised_dpi, 300);
  // The black bar across the top third, white below it.
  EXPECT_LT(cv::mean(first->gray(cv::Rect(0, 0, first->gray.cols, 400)))[0], 5);
  EXPECT_GT(cv::mean(first->gray(cv::Rect(0, 450, first->gray.cols, 700)))[0], 250);

  auto second = load_page(pdf, 1);
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_NEAR(second->gray.cols, 1250, 1);
  EXPECT_NEAR(second->gray.rows, 833, 1);
  EXPECT_GT(cv::mean(second->gray)[0], 250);

  auto beyond = load_page(pdf, 2);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, ErrorCode::InputRejected);

  // A page larger than the build accepts is refused before it is rendered.
  LoadOptions small;
  small.max_pixels = 1'000'000;
  auto refused = load_page(pdf, 0, small);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InputRejected);
  EXPECT_NE(refused.error().describe().find("300 dpi"), std::string::npos);
}

TEST_F(MultiPageTest, TruncatedPdfIsANamedErrorAndStaysAPageOfItsFolder) {
  const fs::path whole = dir_ / "whole.pdf";
  write_two_page_pdf(whole);
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 400u);
  const fs::path cut = dir_ / "scans" / "1950-01-02.pdf";
  fs::create_directories(cut.parent_path());
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  std::ofstream(dir_ / "scans" / "not-a.pdf") << "hello, not a PDF\n";

  for (const char* name : {"1950-01-02.pdf", "not-a.pdf"}) {
    const fs::path path = dir_ / "scans" / name;
    EXPECT_FALSE(count_frames(path)) << name;
    auto page = load_page(path);
    ASSERT_FALSE(page) << name;
    EXPECT_EQ(page.error().code, ErrorCode::InputUnreadable) << name;
    EXPECT_NE(page.error().describe().find(name), std::string::npos) << page.error().describe();
    EXPECT_NE(page.error().describe().find("PDF"), std::string::npos) << page.error().describe();
  }
  // Not counted, so not an issue of its own: the run reads it as a page and reports why it failed.
  auto issues = find_issues(dir_ / "scans");
  ASSERT_TRUE(issues);
  ASSERT_EQ(issues->size(), 1u);
  EXPECT_EQ((*issues)[0].pages.size(), 2u);
}

}  // namespace
}  // namespace broadsheet::ingest
