// review end to end, as a proofreader and a reader would: `broadsheet run` on a one-page issue,
// `broadsheet serve` on its output, an edit (through the API, and in real headless Chromium driven
// over chromedriver's W3C WebDriver API), a re-run with --force, then `broadsheet search`.

#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hpp"
#include "core/issue_json.hpp"
#include "test_paths.hpp"

namespace broadsheet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

using test::Outcome;
using test::run_cli;

// A program started for the test and ended (SIGTERM, then SIGKILL) when it goes out of scope. Its
// stdout is a pipe the test can read a line from; stderr goes to a file.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const fs::path& log) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::FILE* err = std::fopen(log.c_str(), "w");
      if (err != nullptr) dup2(fileno(err), STDERR_FILENO);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      for (int i = 0; i < 50; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(100ms);
      }
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  std::string read_line() {
    std::array<char, 512> buf{};
    if (out_ == nullptr || std::fgets(buf.data(), static_cast<int>(buf.size()), out_) == nullptr)
      return {};
    std::string s = buf.data();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  [[nodiscard]] bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
};

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int value = 0;
  int bits = -8;
  for (const char c : in) {
    const size_t i = chars.find(c);
    if (i == std::string::npos) continue;  // '=' and line breaks
    value = (value << 6) + static_cast<unsigned int>(i);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

fs::path default_tessdata() {
  const char* env = std::getenv("TESSDATA_PREFIX");
  return env != nullptr ? fs::path(env) : fs::path("/usr/share/tesseract-ocr/5/tessdata");
}

constexpr const char* kIssueId = "paper/2025-08-07";
constexpr const char* kIssuePath = "/api/issues/paper%2F2025-08-07";
// What the proofreader types: a word the OCR never produced, so that search can only find it in
// the correction.
constexpr const char* kInserted = "勘誤校對";

class ReviewE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(default_tessdata() / "chi_tra.traineddata"))
      GTEST_SKIP() << "chi_tra.traineddata not found in " << default_tessdata()
                   << " (apt-get install tesseract-ocr-chi-tra)";
    dir_ = fs::temp_directory_path() /
           ("broadsheet_review_e2e_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    scans_ = dir_ / "scans";
    out_ = dir_ / "out";
    fs::create_directories(scans_ / kIssueId);
    fs::copy_file(fs::path(test::kFixtureDir) / "pages" / "lead-column.png",
                  scans_ / kIssueId / "page-01.png");
    const Outcome run = run_cli("run " + scans_.string() + " -o " + out_.string() + " --jobs 1 -q");
    ASSERT_EQ(run.exit_code, 0) << run.out;
    auto issue = read_issue_json(out_ / kIssueId / "issue.json");
    ASSERT_TRUE(issue) << issue.error().describe();
    ASSERT_FALSE(issue->articles.empty()) << "the fixture page gave no article";
    ocr_text_ = issue->articles.front().text;
    article_ = issue->articles.front().id;
    ASSERT_EQ(ocr_text_.find(kInserted), std::string::npos);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Starts `broadsheet serve OUT --port 0` and returns its URL ("" on failure).
  std::unique_ptr<Child> serve(std::string& url) {
    auto child = std::make_unique<Child>(
        std::vector<std::string>{test::kBroadsheetExe, "serve", out_.string(), "--scans",
                                 scans_.string(), "--port", "0"},
        dir_ / "serve.log");
    url = child->read_line();
    return child;
  }

  // Re-runs the pipeline from scratch and checks that the correction is in issue.json and found.
  void expect_correction_survives_rerun(const std::string& corrected) {
    const Outcome rerun =
        run_cli("run " + scans_.string() + " -o " + out_.string() + " --jobs 1 -q --force");
    ASSERT_EQ(rerun.exit_code, 0) << rerun.out;
    auto issue = read_issue_json(out_ / kIssueId / "issue.json");
    ASSERT_TRUE(issue) << issue.error().describe();
    ASSERT_FALSE(issue->articles.empty());
    const Article& a = issue->articles.front();
    EXPECT_EQ(a.text, corrected);
    EXPECT_EQ(a.extra["ocr"]["text"], ocr_text_);  // the OCR stays recoverable beside it
    EXPECT_EQ(issue->provenance["review"]["applied"], 1);
    EXPECT_TRUE(issue->provenance["review"]["conflicts"].empty());
    const Outcome found = run_cli("search " + out_.string() + " 勘誤");
    EXPECT_EQ(found.exit_code, 0) << found.out;
    EXPECT_NE(found.out.find(kIssueId), std::string::npos) << found.out;
    EXPECT_NE(found.out.find(kInserted), std::string::npos) << found.out;
    EXPECT_NE(found.out.find("1 article(s) found"), std::string::npos) << found.out;
  }

  fs::path dir_, scans_, out_;
  std::string ocr_text_, article_;
};

TEST_F(ReviewE2eTest, ApiCorrectionSurvivesARerunAndIsSearchable) {
  std::string url;
  auto server = serve(url);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << "serve printed: " << url;
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  httplib::Client client("127.0.0.1", port);
  const std::string corrected = std::string(kInserted) + ocr_text_;
  auto res = client.Put(std::string(kIssuePath) + "/articles/" + article_,
                        json{{"text", corrected}, {"editor", "e2e"}}.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // A plain re-run (every page up to date) rewrites issue.json because the corrections changed.
  const Outcome resumed =
      run_cli("run " + scans_.string() + " -o " + out_.string() + " --jobs 1 -q");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  auto issue = read_issue_json(out_ / kIssueId / "issue.json");
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->articles.front().text, corrected);
  server.reset();
  expect_correction_survives_rerun(corrected);
}

// A correction made in the browser after the run reaches every format `broadsheet export` writes:
// issue.json, the text, ALTO, hOCR and the searchable PDF's text layer (issue 8).
TEST_F(ReviewE2eTest, ExportWritesTheCorrectionIntoEveryFormat) {
  std::string url;
  auto server = serve(url);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << "serve printed: " << url;
  httplib::Client client("127.0.0.1", std::stoi(url.substr(url.rfind(':') + 1)));
  const std::string corrected = std::string(kInserted) + ocr_text_;
  auto res = client.Put(std::string(kIssuePath) + "/articles/" + article_,
                        json{{"text", corrected}}.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  server.reset();

  const Outcome exported = run_cli("export " + out_.string());
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const fs::path issue_dir = out_ / kIssueId;
  auto issue = read_issue_json(issue_dir / "issue.json");
  ASSERT_TRUE(issue) << issue.error().describe();
  EXPECT_EQ(issue->articles.front().text, corrected);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_NE(slurp(issue_dir / "issue.txt").find(kInserted), std::string::npos);
  EXPECT_NE(slurp(issue_dir / "page-01.alto.xml").find(kInserted), std::string::npos);
  EXPECT_NE(slurp(issue_dir / "page-01.hocr").find(kInserted), std::string::npos);
  if (fs::exists("/usr/bin/pdftotext")) {
    const std::string cmd =
        "pdftotext -raw -enc UTF-8 " + (issue_dir / "issue.pdf").string() + " -";
    std::string text;
    if (FILE* pipe = popen(cmd.c_str(), "r"); pipe != nullptr) {
      std::array<char, 4096> buf{};
      size_t n = 0;
      while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
      pclose(pipe);
    }
    EXPECT_NE(text.find(kInserted), std::string::npos) << text.substr(0, 400);
  }
}

// W3C WebDriver over chromedriver's HTTP API (https://www.w3.org/TR/webdriver2/).
class WebDriver {
 public:
  explicit WebDriver(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(60, 0); }
  json call(const std::string& method, const std::string& path, const json& body = nullptr) {
    httplib::Result res =
        method == "GET" ? http_.Get(path)
        : method == "DELETE"
            ? http_.Delete(path)
            : http_.Post(path, body.is_null() ? "{}" : body.dump(), "application/json");
    if (!res) return {{"error", "no answer from chromedriver"}};
    json j = json::parse(res->body, nullptr, false);
    return j.is_discarded() ? json{{"error", res->body}} : j;
  }
  bool ready() {
    auto res = http_.Get("/status");
    return res && res->status == 200;
  }
  std::string session_;

  // session-relative helpers
  json s(const std::string& method, const std::string& path, const json& body = nullptr) {
    return call(method, "/session/" + session_ + path, body);
  }
  // Polls for an element by CSS selector; "" when it does not appear within 20 s.
  std::string element(const std::string& css) {
    for (int i = 0; i < 200; ++i) {
      json r = s("POST", "/element", {{"using", "css selector"}, {"value", css}});
      if (r.contains("value") && r["value"].is_object()) {
        for (auto it = r["value"].begin(); it != r["value"].end(); ++it)
          if (it.key().rfind("element-", 0) == 0) return it.value().get<std::string>();
      }
      std::this_thread::sleep_for(100ms);
    }
    return {};
  }
  std::string text(const std::string& el) {
    json r = s("GET", "/element/" + el + "/text");
    return r.contains("value") && r["value"].is_string() ? r["value"].get<std::string>() : "";
  }
  std::string property(const std::string& el, const std::string& name) {
    json r = s("GET", "/element/" + el + "/property/" + name);
    return r.contains("value") && r["value"].is_string() ? r["value"].get<std::string>() : "";
  }

 private:
  httplib::Client http_;
};

TEST_F(ReviewE2eTest, BrowserEditSavedReloadedAndKeptAcrossARerun) {
  const fs::path chromium = "/usr/bin/chromium", chromedriver = "/usr/bin/chromedriver";
  if (!fs::exists(chromium) || !fs::exists(chromedriver))
    GTEST_SKIP() << "headless browser test needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver)";
  std::string url;
  auto server = serve(url);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << "serve printed: " << url;

  const int driver_port = free_port();
  Child driver({chromedriver.string(), "--port=" + std::to_string(driver_port)},
               dir_ / "chromedriver.log");
  ASSERT_TRUE(driver.started());
  WebDriver wd(driver_port);
  for (int i = 0; i < 100 && !wd.ready(); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(wd.ready()) << "chromedriver did not start; see " << dir_ / "chromedriver.log";

  // Chromium as root in a closed network: no sandbox, no GPU, no background connections.
  const json args = {"--headless",
                     "--no-sandbox",
                     "--disable-gpu",
                     "--disable-dev-shm-usage",
                     "--disable-quic",
                     "--no-first-run",
                     "--disable-background-networking",
                     "--disable-component-update",
                     "--disable-sync",
                     "--window-size=1600,1000",
                     "--user-data-dir=" + (dir_ / "chromium-profile").string()};
  json session =
      wd.call("POST", "/session",
              {{"capabilities",
                {{"alwaysMatch",
                  {{"browserName", "chrome"},
                   {"goog:chromeOptions", {{"binary", chromium.string()}, {"args", args}}}}}}}});
  ASSERT_TRUE(session.contains("value") && session["value"].contains("sessionId"))
      << session.dump();
  wd.session_ = session["value"]["sessionId"].get<std::string>();

  // Open the issue at its first article, as a link from the issue list would.
  wd.s("POST", "/url", {{"url", url + "#/issue/paper%2F2025-08-07/1/" + article_}});
  const std::string editor = wd.element("#editor");
  ASSERT_FALSE(editor.empty()) << "the UI did not load";
  wd.s("POST", "/element/" + editor + "/value", {{"text", "e2e"}});
  std::string text = wd.element("#f-text");
  ASSERT_FALSE(text.empty()) << "the article panel did not open";
  EXPECT_EQ(wd.property(text, "value"), ocr_text_);
  // Type the correction at the start of the text, then save with the keyboard (Ctrl+S).
  wd.s("POST", "/element/" + text + "/click");
  wd.s("POST", "/element/" + text + "/value", {{"text", "\xee\x80\x91"}});  // U+E011 Home
  wd.s("POST", "/execute/sync",
       {{"script", "const t = document.querySelector('#f-text'); t.setSelectionRange(0, 0);"},
        {"args", json::array()}});
  wd.s("POST", "/element/" + text + "/value", {{"text", kInserted}});
  wd.s("POST", "/element/" + text + "/value",
       {{"text", "\xee\x80\x89s\xee\x80\x80"}});  // U+E009 Control, s, U+E000 release
  const std::string corrected = std::string(kInserted) + ocr_text_;
  std::string status;
  for (int i = 0; i < 100 && status.find("Saved") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    status = wd.text(wd.element("#status"));
  }
  ASSERT_NE(status.find("Saved"), std::string::npos) << "status: " << status;

  // Reload: the edit comes back from the server.
  wd.s("POST", "/refresh");
  text = wd.element("#f-text");
  ASSERT_FALSE(text.empty());
  std::string value;
  for (int i = 0; i < 50 && value != corrected; ++i) {
    value = wd.property(text, "value");
    if (value != corrected) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(value, corrected);

  // A screenshot a person can look at.
  std::this_thread::sleep_for(500ms);  // the scan image and the crop
  const json shot = wd.s("GET", "/screenshot");
  ASSERT_TRUE(shot.contains("value") && shot["value"].is_string());
  const fs::path png = fs::path(test::kBinaryDir) / "tests" / "review-ui.png";
  std::ofstream(png, std::ios::binary) << base64_decode(shot["value"].get<std::string>());
  EXPECT_GT(fs::file_size(png), 10000u);
  std::printf("screenshot of the review UI: %s\n", png.c_str());
  wd.call("DELETE", "/session/" + wd.session_);

  server.reset();
  expect_correction_survives_rerun(corrected);
}

}  // namespace
}  // namespace broadsheet
