// The batch as a user runs it overnight: bad files named but never stopping it, resume after a
// kill, one run per output folder, Ctrl-C; and split into shards that share one output folder.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>

#include "batch/shard.hpp"
#include "core/issue_json.hpp"
#include "core/text.hpp"
#include "test_paths.hpp"

extern char** environ;

namespace broadsheet {
namespace {

namespace fs = std::filesystem;

struct Child {
  pid_t pid = -1;
  fs::path log;
};

// Starts broadsheet with stdout and stderr into a log file. With `obey_permissions`, a run as
// root (tests and CI run as root) loses the capabilities that let root read any file, through
// util-linux's setpriv, so that a file with mode 000 is unreadable to it as to any user.
Child start(const std::vector<std::string>& args, const fs::path& log,
            bool obey_permissions = false) {
  std::vector<std::string> argv_s;
  if (obey_permissions && geteuid() == 0)
    argv_s = {"/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"};
  argv_s.push_back(test::kBroadsheetExe);
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  Child c;
  c.log = log;
  if (posix_spawn(&c.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) c.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return c;
}

int wait_exit(const Child& c) {
  int status = 0;
  if (waitpid(c.pid, &status, 0) != c.pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool has_model() {
  const char* env = std::getenv("TESSDATA_PREFIX");
  const fs::path dir =
      env != nullptr ? fs::path(env) : fs::path("/usr/share/tesseract-ocr/5/tessdata");
  return fs::exists(dir / "chi_tra.traineddata");
}

std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

// A valid-looking PNG of a few hundred bytes whose header claims 50000x50000 pixels.
void write_decompression_bomb(const fs::path& path) {
  const std::string ihdr = be32(50000) + be32(50000) + std::string("\x08\x00\x00\x00\x00", 5);
  const std::string idat("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9);
  std::ofstream(path, std::ios::binary)
      << std::string("\x89PNG\r\n\x1a\n", 8) << png_chunk("IHDR", ihdr) << png_chunk("IDAT", idat)
      << png_chunk("IEND", "");
}

// A CMYK JPEG, as some scanners and prepress tools deliver (OpenCV cannot write one).
bool write_cmyk_jpeg(const fs::path& path, const cv::Mat& gray) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, f);
  cinfo.image_width = static_cast<JDIMENSION>(gray.cols);
  cinfo.image_height = static_cast<JDIMENSION>(gray.rows);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<JSAMPLE> row(static_cast<size_t>(gray.cols) * 4);
  while (cinfo.next_scanline < cinfo.image_height) {
    const auto* src = gray.ptr<unsigned char>(static_cast<int>(cinfo.next_scanline));
    for (int x = 0; x < gray.cols; ++x) {
      // Adobe CMYK JPEGs store inverted values: 255 = no ink. Gray ink goes to K only.
      row[static_cast<size_t>(x) * 4 + 0] = 255;
      row[static_cast<size_t>(x) * 4 + 1] = 255;
      row[static_cast<size_t>(x) * 4 + 2] = 255;
      row[static_cast<size_t>(x) * 4 + 3] = src[x];
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(f);
  return true;
}

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_model()) GTEST_SKIP() << "chi_tra.traineddata not found";
    dir_ = fs::temp_directory_path() /
           ("broadsheet_batch_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fixture_ = fs::path(test::kFixtureDir) / "pages" / "lead-column.png";
  }
  void TearDown() override {
    std::error_code ec;
    if (!std::getenv("BROADSHEET_KEEP_TEST_OUTPUT")) fs::remove_all(dir_, ec);
  }

  // An issue folder of n copies of the fixture page.
  fs::path make_issue(const std::string& id, int n) {
    const fs::path folder = dir_ / "scans" / id;
    fs::create_directories(folder);
    for (int i = 1; i <= n; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "page-%02d.png", i);
      fs::copy_file(fixture_, folder / name, fs::copy_options::overwrite_existing);
    }
    return folder;
  }

  // Every JSON file the run wrote parses, and no temporary file is left.
  void expect_outputs_whole(const fs::path& out) {
    int json_files = 0;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      const std::string name = e.path().filename().string();
      EXPECT_EQ(name.find(".tmp."), std::string::npos) << "left over: " << e.path();
      if (e.path().extension() == ".json") {
        ++json_files;
        EXPECT_FALSE(nlohmann::json::parse(slurp(e.path()), nullptr, false).is_discarded())
            << "damaged: " << e.path();
      }
    }
    EXPECT_GT(json_files, 0);
  }

  fs::path dir_;
  fs::path fixture_;
};

TEST_F(BatchTest, BadInputsAreNamedAndGoodPagesStillWritten) {
  const fs::path folder = make_issue("paper/2025-08-07", 1);
  const cv::Mat page = cv::imread(fixture_.string(), cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(page.empty());
  // Good, if unusual: a 16-bit scan and a file name that is not UTF-8.
  cv::Mat wide;
  page.convertTo(wide, CV_16U, 257.0);
  ASSERT_TRUE(cv::imwrite((folder / "page-02.png").string(), wide));
  fs::copy_file(fixture_, folder / "page-03-\xff\xfe.png");
  ASSERT_TRUE(write_cmyk_jpeg(folder / "page-09.jpg", page));
  // Bad.
  std::ofstream(folder / "page-04.png");  // empty
  std::ofstream(folder / "page-05.png") << "this is a text file, not a scan\n";
  ASSERT_TRUE(
      cv::imwrite((folder / "page-06.png").string(), cv::Mat(1, 1, CV_8UC1, cv::Scalar(0))));
  write_decompression_bomb(folder / "page-07.png");
  std::vector<unsigned char> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", page, jpeg));
  std::ofstream(folder / "page-08.jpg", std::ios::binary)
      .write(reinterpret_cast<const char*>(jpeg.data()),
             static_cast<std::streamsize>(jpeg.size() / 3));
  // A good scan nobody may read (mode 000).
  fs::copy_file(fixture_, folder / "page-10.png");
  fs::permissions(folder / "page-10.png", fs::perms::none);

  const fs::path out = dir_ / "out";
  const Child c = start({"run", (dir_ / "scans").string(), "-o", out.string(), "--jobs", "2"},
                        dir_ / "log.txt", /*obey_permissions=*/true);
  ASSERT_GT(c.pid, 0);
  EXPECT_EQ(wait_exit(c), 2);
  const std::string log = slurp(c.log);
  for (const char* bad :
       {"page-04.png", "page-05.png", "page-06.png", "page-07.png", "page-08.jpg", "page-10.png"})
    EXPECT_NE(log.find(bad), std::string::npos) << bad << " not named in:\n" << log;
  EXPECT_NE(log.find("50000x50000"), std::string::npos) << log;

  auto issue = read_issue_json(out / "paper" / "2025-08-07" / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  ASSERT_EQ(issue->pages.size(), 10u);
  for (int i : {0, 1, 2, 8}) {
    EXPECT_EQ(issue->pages[static_cast<size_t>(i)].extra.value("status", ""), "ok") << i;
    EXPECT_FALSE(issue->pages[static_cast<size_t>(i)].text.empty()) << i;
  }
  // The 16-bit, oddly named and CMYK copies read like the plain page they were made from.
  const std::u32string plain = text::comparable(issue->pages[0].text);
  for (int i : {1, 2, 8}) {
    const std::u32string copy = text::comparable(issue->pages[static_cast<size_t>(i)].text);
    EXPECT_LT(static_cast<double>(text::edit_distance(plain, copy)),
              0.1 * static_cast<double>(plain.size()))
        << i;
  }
  for (int i : {3, 4, 5, 6, 7, 9})
    EXPECT_EQ(issue->pages[static_cast<size_t>(i)].extra.value("status", ""), "failed") << i;
  const auto report = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_EQ(report["pages_failed"], 6);
  EXPECT_EQ(report["errors"].size(), 6u);
  expect_outputs_whole(out);
}

TEST_F(BatchTest, RunKilledPartWayResumesAndEveryOutputParses) {
  make_issue("paper/2025-08-08", 4);
  const fs::path out = dir_ / "out";
  const fs::path pages = out / "paper" / "2025-08-08" / "pages";
  const Child c = start({"run", (dir_ / "scans").string(), "-o", out.string(), "--jobs", "1"},
                        dir_ / "log1.txt");
  ASSERT_GT(c.pid, 0);
  // Kill it as soon as the first page counts as done: its result saved and the manifest that
  // records it written after it (or after a while, wherever it is). Killed between the two, the
  // page is read again, rightly, and nothing would be reused.
  const fs::path manifest = out / "paper" / "2025-08-08" / "manifest.json";
  auto recorded = [&] {
    std::error_code ec;
    if (!fs::exists(pages, ec) || fs::is_empty(pages, ec) || !fs::exists(manifest, ec))
      return false;
    const auto m = nlohmann::json::parse(slurp(manifest), nullptr, false);
    if (m.is_discarded() || !m.contains("scans")) return false;
    for (const auto& s : m["scans"])
      if (s.value("status", "") == "ok") return true;
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && !recorded())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(c.pid, SIGKILL);
  EXPECT_EQ(wait_exit(c), 128 + SIGKILL);

  const Child again =
      start({"run", (dir_ / "scans").string(), "-o", out.string()}, dir_ / "log2.txt");
  EXPECT_EQ(wait_exit(again), 0) << slurp(again.log);
  const auto report = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_GE(report["pages_reused"].get<int>(), 1) << report.dump();
  EXPECT_EQ(report["pages_reused"].get<int>() + report["pages_read"].get<int>(), 4);
  auto issue = read_issue_json(out / "paper" / "2025-08-08" / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  EXPECT_EQ(issue->pages.size(), 4u);
  expect_outputs_whole(out);

  // Nothing changed: the third run reads nothing.
  const Child third =
      start({"run", (dir_ / "scans").string(), "-o", out.string()}, dir_ / "log3.txt");
  EXPECT_EQ(wait_exit(third), 0);
  const auto report3 = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_EQ(report3["pages_read"], 0);
  EXPECT_EQ(report3["pages_reused"], 4);
}

TEST_F(BatchTest, ASecondRunOnTheSameOutputIsRefused) {
  make_issue("paper/2025-08-09", 1);
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  const int fd = ::open((out / ".broadsheet.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const Child c = start({"run", (dir_ / "scans").string(), "-o", out.string()}, dir_ / "log.txt");
  EXPECT_EQ(wait_exit(c), 1);
  EXPECT_NE(slurp(c.log).find("another broadsheet run"), std::string::npos) << slurp(c.log);
  ::close(fd);
}

TEST_F(BatchTest, InterruptStopsCleanlyWithExitCode130AndTheNextRunFinishes) {
  make_issue("paper/2025-08-10", 6);
  const fs::path out = dir_ / "out";
  const fs::path pages = out / "paper" / "2025-08-10" / "pages";
  const Child c = start({"run", (dir_ / "scans").string(), "-o", out.string(), "--jobs", "1"},
                        dir_ / "log1.txt");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (fs::exists(pages, ec) && !fs::is_empty(pages, ec)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(c.pid, SIGINT);
  const int rc = wait_exit(c);
  const std::string log = slurp(c.log);
  if (rc == 0) GTEST_SKIP() << "the run finished before the interrupt arrived";
  EXPECT_EQ(rc, 130) << log;
  EXPECT_NE(log.find("resume"), std::string::npos) << log;
  expect_outputs_whole(out);
  const Child again =
      start({"run", (dir_ / "scans").string(), "-o", out.string()}, dir_ / "log2.txt");
  EXPECT_EQ(wait_exit(again), 0) << slurp(again.log);
  auto issue = read_issue_json(out / "paper" / "2025-08-10" / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  EXPECT_EQ(issue->pages.size(), 6u);
}

// Holds a flock on a file under OUT for as long as it lives, as another run would.
class HeldLock {
 public:
  HeldLock(const fs::path& path, int operation)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT, 0644)) {
    held_ = fd_ >= 0 && ::flock(fd_, operation | LOCK_NB) == 0;
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  ~HeldLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

TEST_F(BatchTest, ShardsShareTheOutputButNeverWithAWholeRunOrAnotherSplit) {
  const std::string id = "paper/2025-09-01";
  make_issue(id, 1);
  // The shard of 2 that does not hold the issue: it has nothing to read, so it runs in no time.
  const int empty = batch::shard_of(id, 2) == 1 ? 2 : 1;
  const std::string shard = std::to_string(empty) + "/2";
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  const std::string scans = (dir_ / "scans").string();
  auto run = [&](const std::vector<std::string>& extra, const std::string& log) {
    std::vector<std::string> args = {"run", scans, "-o", out.string(), "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Child c = start(args, dir_ / log);
    const int rc = wait_exit(c);
    return std::pair<int, std::string>(rc, slurp(c.log));
  };
  {
    const HeldLock other_shard(out / ".broadsheet.lock", LOCK_SH);  // as a running shard holds it
    ASSERT_TRUE(other_shard.held());
    const auto [rc, log] = run({}, "whole.txt");
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("another broadsheet run"), std::string::npos) << log;
    const auto [rc2, log2] = run({"--shard", shard}, "shard.txt");
    EXPECT_EQ(rc2, 0) << log2;  // shards run side by side
  }
  {
    const HeldLock whole_run(out / ".broadsheet.lock", LOCK_EX);
    ASSERT_TRUE(whole_run.held());
    const auto [rc, log] = run({"--shard", shard}, "shard2.txt");
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("over every issue"), std::string::npos) << log;
  }
  {
    const HeldLock same_shard(out / (".broadsheet-shard-" + std::to_string(empty) + "-of-2.lock"),
                              LOCK_EX);
    ASSERT_TRUE(same_shard.held());
    const auto [rc, log] = run({"--shard", shard}, "shard3.txt");
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("already reading shard " + shard), std::string::npos) << log;
  }
  {
    const HeldLock other_split(out / ".broadsheet-shard-2-of-3.lock", LOCK_EX);
    ASSERT_TRUE(other_split.held());
    const auto [rc, log] = run({"--shard", shard}, "shard4.txt");
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("shard 2/3"), std::string::npos) << log;
    EXPECT_NE(log.find("same N"), std::string::npos) << log;
  }
  EXPECT_FALSE(fs::exists(out / "report.json"));
  const auto report =
      nlohmann::json::parse(slurp(out / ("report-shard-" + std::to_string(empty) + "-of-2.json")));
  EXPECT_EQ(report["issues"], 0);
  EXPECT_EQ(report["issues_found"], 1);
  EXPECT_EQ(report["shard"]["index"], empty);

  // The other shard has not run: the merged report names it and exits 2.
  const Child r = start({"report", out.string()}, dir_ / "report.txt");
  EXPECT_EQ(wait_exit(r), 2);
  const std::string missing = "missing: shard " + std::to_string(3 - empty) + "/2";
  EXPECT_NE(slurp(r.log).find(missing), std::string::npos) << slurp(r.log);
}

TEST_F(BatchTest, ShardsRunningTogetherReadEveryIssueOnceAndResumeAlone) {
  const std::vector<std::string> ids = {"paper/2025-09-02", "paper/2025-09-03", "paper/2025-09-04"};
  for (const std::string& id : ids) make_issue(id, 1);
  int in_first = 0;
  for (const std::string& id : ids) in_first += batch::shard_of(id, 2) == 1 ? 1 : 0;
  const fs::path out = dir_ / "out";
  const std::string scans = (dir_ / "scans").string();
  const Child one =
      start({"run", scans, "-o", out.string(), "--jobs", "1", "--shard", "1/2"}, dir_ / "1.txt");
  const Child two =
      start({"run", scans, "-o", out.string(), "--jobs", "1", "--shard", "2/2"}, dir_ / "2.txt");
  EXPECT_EQ(wait_exit(one), 0) << slurp(one.log);
  EXPECT_EQ(wait_exit(two), 0) << slurp(two.log);
  EXPECT_NE(slurp(one.log).find("shard 1/2: " + std::to_string(in_first) + " of 3 issues"),
            std::string::npos)
      << slurp(one.log);

  for (const std::string& id : ids) {
    auto issue = read_issue_json(out / id / "issue.json");
    ASSERT_TRUE(issue) << id << ": " << issue.error().describe();
    EXPECT_EQ(issue->pages.size(), 1u);
  }
  EXPECT_FALSE(fs::exists(out / "report.json"));
  // Shards keep their own Tesseract log (written only when Tesseract has something to say).
  EXPECT_FALSE(fs::exists(out / "tesseract.log"));
  const auto r1 = nlohmann::json::parse(slurp(out / "report-shard-1-of-2.json"));
  const auto r2 = nlohmann::json::parse(slurp(out / "report-shard-2-of-2.json"));
  EXPECT_EQ(r1["pages_read"], in_first);
  EXPECT_EQ(r2["pages_read"], 3 - in_first);
  expect_outputs_whole(out);

  const Child merged = start({"report", out.string(), "--json"}, dir_ / "report.txt");
  EXPECT_EQ(wait_exit(merged), 0) << slurp(merged.log);
  const auto m = nlohmann::json::parse(slurp(merged.log));
  EXPECT_EQ(m["pages_read"], 3);
  EXPECT_EQ(m["issues"], 3);
  EXPECT_EQ(m["shards"], 2);
  EXPECT_EQ(m["missing"].size(), 0u);
  EXPECT_EQ(m["complete"], true);

  // One shard again, alone: its pages are up to date, nothing is read.
  const Child again =
      start({"run", scans, "-o", out.string(), "--shard", "2/2"}, dir_ / "again.txt");
  EXPECT_EQ(wait_exit(again), 0) << slurp(again.log);
  const auto r2b = nlohmann::json::parse(slurp(out / "report-shard-2-of-2.json"));
  EXPECT_EQ(r2b["pages_read"], 0);
  EXPECT_EQ(r2b["pages_reused"], 3 - in_first);

  // A run over every issue on the same folder finds everything done by the shards.
  const Child whole = start({"run", scans, "-o", out.string()}, dir_ / "whole.txt");
  EXPECT_EQ(wait_exit(whole), 0) << slurp(whole.log);
  const auto rw = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_EQ(rw["pages_read"], 0);
  EXPECT_EQ(rw["pages_reused"], 3);
}

}  // namespace
}  // namespace broadsheet
