// Runs the built `broadsheet` binary as a user would: exit codes, messages, outputs.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "cli.hpp"
#include "core/issue_json.hpp"
#include "core/text.hpp"
#include "test_paths.hpp"

namespace broadsheet {
namespace {

namespace fs = std::filesystem;

using test::Outcome;
using test::run_cli;

fs::path default_tessdata() {
  const char* env = std::getenv("TESSDATA_PREFIX");
  return env != nullptr ? fs::path(env) : fs::path("/usr/share/tesseract-ocr/5/tessdata");
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CliTest, HelpListsTheSubCommandsWithExamples) {
  const Outcome o = run_cli("--help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* word : {"run", "page", "eval", "report", "Example"})
    EXPECT_NE(o.out.find(word), std::string::npos) << word << " missing in:\n" << o.out;
}

TEST_F(CliTest, NoSubCommandIsABadArgumentsExit) {
  EXPECT_EQ(run_cli("").exit_code, 1);
  EXPECT_EQ(run_cli("frobnicate").exit_code, 1);
}

TEST_F(CliTest, MissingScanFolderExitsOneAndNamesIt) {
  const Outcome o =
      run_cli("run " + (dir_ / "no-such-folder").string() + " -o " + (dir_ / "out").string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.out.find("no-such-folder"), std::string::npos) << o.out;
}

TEST_F(CliTest, MissingModelExitsThreeAndNamesThePackage) {
  fs::create_directories(dir_ / "scans" / "issue");
  std::ofstream(dir_ / "scans" / "issue" / "page-1.png") << "x";
  fs::create_directories(dir_ / "empty-tessdata");
  const Outcome o = run_cli("run " + (dir_ / "scans").string() + " -o " + (dir_ / "out").string() +
                            " --tessdata " + (dir_ / "empty-tessdata").string());
  EXPECT_EQ(o.exit_code, 3) << o.out;
  EXPECT_NE(o.out.find("chi_tra.traineddata"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("tesseract-ocr-chi-tra"), std::string::npos) << o.out;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "issue" / "issue.json"));
}

TEST_F(CliTest, EvalWithoutTruthExitsOneAndSaysWhatItWants) {
  fs::create_directories(dir_ / "truth");
  fs::create_directories(dir_ / "out");
  const Outcome o = run_cli("eval " + (dir_ / "truth").string() + " " + (dir_ / "out").string());
  EXPECT_NE(o.exit_code, 0);
  EXPECT_NE(o.out.find("truth.json"), std::string::npos) << o.out;
}

TEST_F(CliTest, ShardThatDoesNotExistIsABadArgumentsExitWithWhatIsAllowed) {
  fs::create_directories(dir_ / "scans" / "issue");
  for (const char* bad : {"3/2", "a/b", "0/2", "2", "1/0"}) {
    const Outcome o = run_cli("run " + (dir_ / "scans").string() + " -o " +
                              (dir_ / "out").string() + " --shard " + bad);
    EXPECT_EQ(o.exit_code, 1) << bad << ": " << o.out;
    EXPECT_NE(o.out.find(std::string("--shard ") + bad), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("1 <= K <= N"), std::string::npos) << o.out;
  }
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(CliTest, ReportWithoutReportsExitsOneAndSaysWhatItWants) {
  fs::create_directories(dir_ / "out");
  const Outcome o = run_cli("report " + (dir_ / "out").string());
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_NE(o.out.find("report-shard-K-of-N.json"), std::string::npos) << o.out;
  EXPECT_EQ(run_cli("report " + (dir_ / "nope").string()).exit_code, 1);
}

TEST_F(CliTest, AssembleRebuildsArticlesFromSavedPages) {
  Issue issue;
  issue.issue.id = "paper/2025-08-07";
  Page page;
  page.width = 1000;
  page.height = 1000;
  auto add = [&](RegionKind kind, Box box, const std::string& text) {
    Region r;
    r.id = "p1-r" + std::to_string(page.regions.size() + 1);
    r.kind = kind;
    r.bbox = box;
    r.text = text;
    page.regions.push_back(r);
  };
  add(RegionKind::Headline, {100, 100, 800, 60}, "雷健坤調研重點項目建設");
  add(RegionKind::Body, {100, 200, 390, 500},
      "本報訊 8月6日，市委書記雷健坤深入郊區調研。她強調，要認真落實部署要求，還就中心醫院周邊");
  add(RegionKind::Body, {510, 200, 390, 500}, "配套、生態新城路網建設等，聽取相關負責人匯報。");
  add(RegionKind::Byline, {700, 720, 200, 30}, "（郁靜 子煜）");
  issue.pages.push_back(page);
  const fs::path folder = dir_ / "out" / "paper" / "2025-08-07";
  ASSERT_TRUE(write_issue_json(folder / "issue.json", issue));

  const Outcome o = run_cli("assemble " + folder.string());
  ASSERT_EQ(o.exit_code, 0) << o.out;
  auto back = read_issue_json(folder / "issue.json");
  ASSERT_TRUE(back) << back.error().describe();
  ASSERT_EQ(back->articles.size(), 1u);
  const Article& a = back->articles[0];
  EXPECT_EQ(a.headline.value_or(""), "雷健坤調研重點項目建設");
  EXPECT_EQ(text::comparable(a.byline.value_or("")), text::comparable("郁靜 子煜"));
  // The sentence broken over the column comes out whole: nothing inserted.
  EXPECT_NE(a.text.find("周邊配套"), std::string::npos) << a.text;
  EXPECT_EQ(back->pages[0].regions[1].article_id, a.id);

  EXPECT_EQ(run_cli("assemble " + (dir_ / "nope").string()).exit_code, 1);
}

// The whole baseline on one small page, beside files that are not pages: good pages are written,
// bad ones named, and the exit code says some inputs failed.
TEST_F(CliTest, RunReadsGoodPagesAndNamesBadOnes) {
  const fs::path tessdata = default_tessdata();
  if (!fs::exists(tessdata / "chi_tra.traineddata"))
    GTEST_SKIP() << "chi_tra.traineddata not found in " << tessdata;
  const fs::path fixture = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  ASSERT_TRUE(fs::exists(fixture)) << "missing fixture " << fixture;
  const fs::path issue = dir_ / "scans" / "paper" / "2025-08-07";
  fs::create_directories(issue);
  fs::copy_file(fixture, issue / "page-01.png");
  std::ofstream(issue / "page-02.png");                         // empty
  std::ofstream(issue / "page-03.jpg") << "not a jpeg at all";  // text named .jpg
  std::ofstream(issue / "Thumbs.db") << "ignored";

  const Outcome o =
      run_cli("run " + (dir_ / "scans").string() + " -o " + (dir_ / "out").string() + " --jobs 2");
  EXPECT_EQ(o.exit_code, 2) << o.out;
  EXPECT_NE(o.out.find("page-02.png"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("page-03.jpg"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("Thumbs.db"), std::string::npos) << o.out;

  auto result = read_issue_json(dir_ / "out" / "paper" / "2025-08-07" / "issue.json");
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(result->pages.size(), 3u);
  EXPECT_EQ(result->issue.id, "paper/2025-08-07");
  EXPECT_EQ(result->pages[0].extra.value("status", ""), "ok");
  EXPECT_EQ(result->pages[1].extra.value("status", ""), "failed");
  EXPECT_EQ(result->pages[2].extra.value("status", ""), "failed");

  std::ifstream truth_in(fs::path(test::kFixtureDir) / "pages" / "lead-column.gold.txt");
  const std::string truth((std::istreambuf_iterator<char>(truth_in)),
                          std::istreambuf_iterator<char>());
  const std::u32string want = text::comparable(truth);
  const std::u32string got = text::comparable(result->pages[0].text);
  ASSERT_FALSE(want.empty());
  const double cer =
      static_cast<double>(text::edit_distance(want, got)) / static_cast<double>(want.size());
  // The fixture is one clean column; whole-page Tesseract reads it well. A loose bound: this test
  // is about the run, not about OCR quality.
  EXPECT_LT(cer, 0.15) << "got: " << result->pages[0].text;
  EXPECT_TRUE(result->provenance.contains("tesseract"));
  EXPECT_GT(result->provenance["run"]["seconds"].get<double>(), 0.0);
}

/// `pdfinfo FILE`'s page count; -1 when pdfinfo is missing or fails.
int pdf_page_count(const fs::path& pdf) {
  FILE* pipe = popen(("pdfinfo '" + pdf.string() + "' 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  if (pclose(pipe) != 0) return -1;
  const size_t at = out.find("Pages:");
  return at == std::string::npos ? -1 : std::atoi(out.c_str() + at + 6);
}

// A multi-page TIFF is an issue by itself: one run writes one issue with a page per frame, each
// with its own ALTO file and PDF page, and a second run reuses every frame.
TEST_F(CliTest, RunReadsEachPageOfAMultiPageTiffAsOneIssue) {
  const fs::path tessdata = default_tessdata();
  if (!fs::exists(tessdata / "chi_tra.traineddata"))
    GTEST_SKIP() << "chi_tra.traineddata not found in " << tessdata;
  const fs::path pages = fs::path(test::kFixtureDir) / "pages";
  std::vector<cv::Mat> frames;
  for (const char* name : {"lead-column.png", "vertical-column.png"}) {
    frames.push_back(cv::imread((pages / name).string(), cv::IMREAD_GRAYSCALE));
    ASSERT_FALSE(frames.back().empty()) << "missing fixture " << pages / name;
  }
  const fs::path folder = dir_ / "scans" / "paper";
  fs::create_directories(folder);
  ASSERT_TRUE(cv::imwritemulti((folder / "1919-04-03.tif").string(), frames));

  const fs::path out = dir_ / "out";
  const Outcome o = run_cli("run " + (dir_ / "scans").string() + " -o " + out.string() +
                            " --jobs 2 --formats json,alto,pdf");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  const fs::path issue_dir = out / "paper" / "1919-04-03";
  auto issue = read_issue_json(issue_dir / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  EXPECT_EQ(issue->issue.id, "paper/1919-04-03");
  ASSERT_EQ(issue->pages.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    const Page& page = issue->pages[k];
    EXPECT_EQ(page.image, "1919-04-03.tif");
    EXPECT_EQ(page.extra.value("frame", -1), k);
    EXPECT_EQ(page.extra.value("status", ""), "ok");
    EXPECT_EQ(page.scan_index, k);
    // Each page is its own frame, not frame 0 twice.
    EXPECT_EQ(page.width, frames[k].cols);
    EXPECT_EQ(page.height, frames[k].rows);
    EXPECT_FALSE(page.regions.empty());
  }
  EXPECT_TRUE(fs::exists(issue_dir / "1919-04-03-f1.alto.xml"));
  EXPECT_TRUE(fs::exists(issue_dir / "1919-04-03-f2.alto.xml"));
  EXPECT_TRUE(fs::exists(issue_dir / "pages" / "1919-04-03.tif-f1.json"));
  EXPECT_TRUE(fs::exists(issue_dir / "pages" / "1919-04-03.tif-f2.json"));
  EXPECT_EQ(pdf_page_count(issue_dir / "issue.pdf"), 2);

  // Resumed: both frames are up to date, neither is read again.
  const Outcome again = run_cli("run " + (dir_ / "scans").string() + " -o " + out.string() +
                                " --formats json,alto,pdf");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  std::ifstream report_in(out / "report.json");
  const auto report = nlohmann::json::parse(report_in, nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report.value("pages_reused", -1), 2) << report.dump();
  EXPECT_EQ(report.value("pages_read", -1), 0) << report.dump();

  // export --scans SCANS finds the file in the folder that holds it (the id ends in its stem).
  fs::remove(issue_dir / "issue.pdf");
  const Outcome exported = run_cli("export " + out.string() + " --scans " +
                                   (dir_ / "scans").string() + " --formats pdf");
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  EXPECT_EQ(pdf_page_count(issue_dir / "issue.pdf"), 2);
}

// A damaged PDF scan is named, with what to do; the run goes on and exits 2.
TEST_F(CliTest, TruncatedPdfIsNamedAndTheRunExitsTwo) {
  const fs::path tessdata = default_tessdata();
  if (!fs::exists(tessdata / "chi_tra.traineddata"))
    GTEST_SKIP() << "chi_tra.traineddata not found in " << tessdata;
  const fs::path folder = dir_ / "scans" / "paper" / "1950-01-01";
  fs::create_directories(folder);
  std::ofstream(folder / "page-01.pdf", std::ios::binary)
      << "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa";
  const Outcome o = run_cli("run " + (dir_ / "scans").string() + " -o " + (dir_ / "out").string());
  EXPECT_EQ(o.exit_code, 2) << o.out;
  EXPECT_NE(o.out.find("page-01.pdf"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("PDF"), std::string::npos) << o.out;
  auto issue = read_issue_json(dir_ / "out" / "paper" / "1950-01-01" / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  ASSERT_EQ(issue->pages.size(), 1u);
  EXPECT_EQ(issue->pages[0].extra.value("status", ""), "failed");
}

}  // namespace
}  // namespace broadsheet
