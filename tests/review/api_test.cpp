// `broadsheet serve`'s JSON API over loopback: the server runs in this process on a free port and
// a cpp-httplib client talks to it as the UI does.

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "core/issue_json.hpp"
#include "review/corrections.hpp"
#include "review/server.hpp"
#include "review_sample.hpp"

namespace broadsheet::review {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kIssue = "/api/issues/paper%2F2025-08-07";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("broadsheet_api_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    out_ = dir_ / "out";
    scans_ = dir_ / "scans";
    issue_ = test::review_sample_issue();
    ASSERT_TRUE(write_issue_json(out_ / issue_.issue.id / "issue.json", issue_));
    fs::create_directories(scans_ / issue_.issue.id);
    std::ofstream(scans_ / issue_.issue.id / "page-01.jpg") << "\xff\xd8\xff jpeg bytes";
    std::ofstream(scans_ / issue_.issue.id / "secret.txt") << "not a page";
    std::ofstream(dir_ / "outside.txt") << "SECRET-OUTSIDE";
    ServeOptions options;
    options.out = out_;
    options.scans = scans_;
    options.port = 0;
    options.max_body_bytes = 64 * 1024;
    auto server = Server::start(options);
    ASSERT_TRUE(server) << server.error().describe();
    server_ = std::move(*server);
    thread_ = std::thread([this] { server_->run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_url_encode(false);  // send paths exactly as written here
    for (int i = 0; i < 100 && !client_->Get("/api/issues"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    fs::remove_all(dir_);
  }

  json get_json(const std::string& path, int want = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, want) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }
  httplib::Result put(const std::string& path, const std::string& body,
                      const char* type = "application/json") {
    return client_->Put(path, body, type);
  }
  httplib::Result post(const std::string& path, const json& body) {
    return client_->Post(path, body.dump(), "application/json");
  }
  static json article(const json& issue, const std::string& id) {
    for (const json& a : issue["articles"])
      if (a["id"] == id) return a;
    return nullptr;
  }

  fs::path dir_, out_, scans_;
  Issue issue_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ApiTest, ListsIssuesAndServesTheUi) {
  const json list = get_json("/api/issues");
  ASSERT_EQ(list["issues"].size(), 1u);
  EXPECT_EQ(list["issues"][0]["id"], "paper/2025-08-07");
  EXPECT_EQ(list["issues"][0]["date"], "2025-08-07");
  EXPECT_EQ(list["issues"][0]["pages"].size(), 2u);
  auto ui = client_->Get("/");
  ASSERT_TRUE(ui);
  EXPECT_EQ(ui->status, 200);
  EXPECT_NE(ui->body.find("broadsheet review"), std::string::npos);
  EXPECT_EQ(client_->Get("/app.js")->status, 200);
  EXPECT_EQ(client_->Get("/style.css")->status, 200);
  EXPECT_EQ(client_->Get("/nothing.js")->status, 404);
}

TEST_F(ApiTest, PutSavesTheChangedFieldsAndGetAppliesThem) {
  auto res = put(std::string(kIssue) + "/articles/a2",
                 R"({"text": "市領導耿鵬鵬參加。", "headline": "", "editor": "林編輯"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json saved = json::parse(res->body);
  EXPECT_EQ(saved["saved"], 1);  // the headline was absent and stays absent: not a change
  EXPECT_EQ(saved["article"]["text"], "市領導耿鵬鵬參加。");
  const json issue = get_json(kIssue);
  const json a2 = article(issue, "a2");
  EXPECT_EQ(a2["text"], "市領導耿鵬鵬參加。");
  EXPECT_EQ(a2["ocr"]["text"], "市領導耿周鵬參加。");
  EXPECT_EQ(a2["corrections"][0]["editor"], "林編輯");
  // The same issue id with plain slashes works too.
  EXPECT_EQ(article(get_json("/api/issues/paper/2025-08-07"), "a2")["text"], "市領導耿鵬鵬參加。");
  // issue.json itself is not touched by serve.
  auto on_disk = read_issue_json(out_ / issue_.issue.id / "issue.json");
  EXPECT_EQ(on_disk->articles[1].text, "市領導耿周鵬參加。");
}

TEST_F(ApiTest, BadBodiesGetA4xxThatSaysWhatIsWrong) {
  const std::string a1 = std::string(kIssue) + "/articles/a1";
  auto malformed = put(a1, R"({"text": "abc)");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_NE(malformed->body.find("malformed JSON at byte"), std::string::npos) << malformed->body;
  auto not_object = put(a1, R"(["text"])");
  EXPECT_EQ(not_object->status, 400);
  auto wrong_type = put(a1, R"({"text": 42})");
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_NE(wrong_type->body.find("\\\"text\\\" must be a string"), std::string::npos)
      << wrong_type->body;
  auto unknown = put(a1, R"({"title": "x"})");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(unknown->body.find("unknown field"), std::string::npos);
  auto form = put(a1, "text=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 415);
  auto big = put(a1, "{\"text\": \"" + std::string(100 * 1024, 'x') + "\"}");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto missing = put(std::string(kIssue) + "/articles/a99", R"({"text": "x"})");
  EXPECT_EQ(missing->status, 404);
  EXPECT_FALSE(fs::exists(out_ / kCorrectionsFile) &&
               Store::open(out_, false)->list("paper/2025-08-07")->size() > 0);
}

TEST_F(ApiTest, NoRequestPathLeavesTheServedFolders) {
  const std::vector<std::string> attacks = {
      "/scans/../outside.txt",
      "/scans/%2e%2e/outside.txt",
      "/scans/%2E%2E%2Foutside.txt",
      "/scans/paper%2F2025-08-07%2F..%2F..%2F..%2Foutside.txt",
      "/scans/paper/2025-08-07/..%2f..%2f..%2foutside.txt",
      "/scans/%252e%252e%252foutside.txt",
      "/scans/paper/2025-08-07/secret.txt",  // in the scan folder, but not a page of the issue
      "/scans/paper/2025-08-07/%00page-01.jpg",
      "/scans/paper\\2025-08-07/page-01.jpg",
      "/api/issues/..%2F..%2Foutside",
      "/api/issues/%2e%2e",
      "/api/issues/%2Fetc",
      "/api/issues/paper%2F..%2F..%2Fout",
      "/api/issues/%252e%252e%252f",
      "/api/issues/paper%2F2025-08-07%2F..%2F..%2F..",
      "/..%2F..%2Foutside.txt",
      "/%2e%2e/outside.txt",
  };
  for (const std::string& path : attacks) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_GE(res->status, 400) << path;
    EXPECT_LT(res->status, 500) << path << ": " << res->body;
    EXPECT_EQ(res->body.find("SECRET-OUTSIDE"), std::string::npos) << path << ": " << res->body;
    EXPECT_EQ(res->body.find("not a page"), std::string::npos) << path;
  }
  for (const char* path :
       {"/scans/../outside.txt", "/scans/%2e%2e/outside.txt", "/api/issues/..%2F..%2Foutside",
        "/scans/%252e%252e%252foutside.txt", "/api/issues/%2e%2e"})
    EXPECT_EQ(client_->Get(path)->status, 400) << path;
  auto put_out = put("/api/issues/..%2Fout%2Fpaper%2F2025-08-07/articles/a1", R"({"text":"x"})");
  EXPECT_EQ(put_out->status, 400);
  // A request addressed to another host name (DNS rebinding) is refused.
  auto rebound = client_->Get("/api/issues", {{"Host", "attacker.example:8080"}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403);
  EXPECT_EQ(client_->Get("/api/issues", {{"Host", "localhost:8080"}})->status, 200);
  // The page itself is served, by encoded or plain id.
  auto page = client_->Get("/scans/paper%2F2025-08-07/page-01.jpg");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(client_->Get("/scans/paper/2025-08-07/page-01.jpg")->status, 200);
  // Nothing was written outside OUT.
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir_))
    if (e.is_regular_file() && e.path().string().rfind(out_.string() + "/", 0) != 0)
      files.insert(e.path().lexically_relative(dir_).string());
  EXPECT_EQ(files, (std::set<std::string>{"outside.txt", "scans/paper/2025-08-07/page-01.jpg",
                                          "scans/paper/2025-08-07/secret.txt"}));
}

// The pages of a multi-page TIFF share its name: /scans/ serves each by its frame, rendered by the
// hook the app sets (ingest/frames); the scan folder of such an issue is the file's folder.
TEST(ApiFramesTest, ServesEachPageOfAMultiPageScanByFrame) {
  const fs::path dir = fs::temp_directory_path() / "broadsheet_api_frames";
  fs::remove_all(dir);
  Issue issue = test::review_sample_issue();
  issue.issue.id = "paper/1919-04-03";
  for (int k = 0; k < 2; ++k) {
    issue.pages[k].image = "1919-04-03.tif";
    issue.pages[k].extra["frame"] = k;
  }
  ASSERT_TRUE(write_issue_json(dir / "out" / issue.issue.id / "issue.json", issue));
  fs::create_directories(dir / "scans" / "paper");
  std::ofstream(dir / "scans" / "paper" / "1919-04-03.tif") << "II*\0 tiff bytes";
  ServeOptions options;
  options.out = dir / "out";
  options.scans = dir / "scans";
  options.port = 0;
  options.render_frame = [](const fs::path& file, int frame) -> Result<std::string> {
    return "PNG " + file.filename().string() + " " + std::to_string(frame);
  };
  auto server = Server::start(options);
  ASSERT_TRUE(server) << server.error().describe();
  std::thread thread([&] { (*server)->run(); });
  httplib::Client client("127.0.0.1", (*server)->port());
  for (int i = 0; i < 100 && !client.Get("/api/issues"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));

  const std::string base = "/scans/paper/1919-04-03/1919-04-03.tif";
  auto second = client.Get(base + "?frame=1");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(second->body, "PNG 1919-04-03.tif 1");
  EXPECT_EQ(second->get_header_value("Content-Type"), "image/png");
  auto first = client.Get(base + "?frame=0");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "PNG 1919-04-03.tif 0");
  EXPECT_EQ(client.Get(base + "?frame=2")->status, 404);   // the issue has no third page
  EXPECT_EQ(client.Get(base + "?frame=-1")->status, 400);  // not a frame number
  EXPECT_EQ(client.Get(base + "?frame=1x")->status, 400);
  auto listed = json::parse(client.Get("/api/issues")->body, nullptr, false);
  ASSERT_FALSE(listed.is_discarded());
  EXPECT_EQ(listed["issues"][0]["pages"][1]["frame"], 1);

  (*server)->stop();
  thread.join();
  fs::remove_all(dir);
}

TEST_F(ApiTest, ConcurrentSavesToOneArticleAreSerialised) {
  constexpr int kClients = 6;
  std::vector<std::thread> threads;
  std::vector<int> status(kClients, 0);
  for (int i = 0; i < kClients; ++i)
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_url_encode(false);
      const json body = {{"text", "版本" + std::to_string(i)}, {"editor", "e" + std::to_string(i)}};
      auto res = c.Put(std::string(kIssue) + "/articles/a3", body.dump(), "application/json");
      status[i] = res ? res->status : -1;
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(status[i], 200) << i;
  auto store = Store::open(out_, false);
  ASSERT_TRUE(store);
  auto all = store->list("paper/2025-08-07", true);
  ASSERT_EQ(all->size(), static_cast<size_t>(kClients));   // every save kept, as history
  EXPECT_EQ(store->list("paper/2025-08-07")->size(), 1u);  // one is in force: the last
  EXPECT_EQ(*store->revision("paper/2025-08-07"), kClients);
  const json a3 = article(get_json(kIssue), "a3");
  EXPECT_EQ(a3["text"], store->list("paper/2025-08-07")->front().value);
  EXPECT_EQ(a3["ocr"]["text"],
            "暑期托管班結業。");  // each save's base was the OCR, not another save
}

TEST_F(ApiTest, SearchFindsTheCorrectedWords) {
  ASSERT_EQ(
      put(std::string(kIssue) + "/articles/a2", R"({"text": "市領導出席剪綵儀式。"})")->status,
      200);
  const json r = get_json("/api/search?q=%E5%89%AA%E7%B6%B5");  // 剪綵
  ASSERT_EQ(r["hits"].size(), 1u);
  EXPECT_EQ(r["hits"][0]["issue"], "paper/2025-08-07");
  EXPECT_EQ(r["hits"][0]["article"], "a2");
  EXPECT_EQ(r["hits"][0]["page"], 1);
  EXPECT_EQ(r["hits"][0]["date"], "2025-08-07");
  EXPECT_NE(r["hits"][0]["snippet"].get<std::string>().find("剪綵"), std::string::npos);
  EXPECT_TRUE(get_json("/api/search?q=%E8%80%BF%E5%91%A8%E9%B5%AC")["hits"].empty());  // 耿周鵬
  get_json("/api/search?q=", 400);
}

TEST_F(ApiTest, MergeSplitAndMoveAreCorrectionsToo) {
  auto merged = post(std::string(kIssue) + "/articles/a1/merge", {{"from", "a2"}});
  ASSERT_EQ(merged->status, 200) << merged->body;
  json issue = get_json(kIssue);
  EXPECT_EQ(issue["articles"].size(), 2u);
  EXPECT_NE(article(issue, "a1")["text"].get<std::string>().find("耿周鵬"), std::string::npos);
  auto moved = post(std::string(kIssue) + "/regions/p1-r4/move", {{"to", "a3"}});
  ASSERT_EQ(moved->status, 200) << moved->body;
  issue = get_json(kIssue);
  EXPECT_EQ(article(issue, "a1")["text"].get<std::string>().find("耿周鵬"), std::string::npos);
  EXPECT_NE(article(issue, "a3")["text"].get<std::string>().find("耿周鵬"), std::string::npos);
  auto split = post(std::string(kIssue) + "/articles/a1/split", {{"regions", {"p1-r3"}}});
  ASSERT_EQ(split->status, 200) << split->body;
  issue = get_json(kIssue);
  EXPECT_EQ(issue["articles"].size(), 3u);
  EXPECT_EQ(post(std::string(kIssue) + "/articles/a1/merge", {{"from", "a1"}})->status, 400);
  EXPECT_EQ(post(std::string(kIssue) + "/articles/a1/merge", {{"from", 3}})->status, 400);
  EXPECT_EQ(post(std::string(kIssue) + "/regions/p9-r9/move", {{"to", "a1"}})->status, 404);
}

TEST_F(ApiTest, LinkAndUnlinkAContinuation) {
  auto linked = post(std::string(kIssue) + "/articles/a1/link", {{"continuation", "a3"}});
  ASSERT_EQ(linked->status, 200) << linked->body;
  json a1 = article(get_json(kIssue), "a1");
  EXPECT_EQ(a1["pages"], json({1, 2}));
  EXPECT_EQ(a1["continuations"][0]["to_page"], 2);
  auto unlinked = post(std::string(kIssue) + "/articles/a1/unlink", {{"page", 2}});
  ASSERT_EQ(unlinked->status, 200) << unlinked->body;
  const json issue = get_json(kIssue);
  EXPECT_EQ(article(issue, "a1")["pages"], json({1}));
  EXPECT_TRUE(article(issue, "a1")["continuations"].empty());
  EXPECT_EQ(issue["articles"].size(), 3u);
  EXPECT_EQ(post(std::string(kIssue) + "/articles/a1/unlink", {{"page", 1}})->status, 400);
  EXPECT_EQ(post(std::string(kIssue) + "/articles/a1/unlink", {{"page", "2"}})->status, 400);
  EXPECT_EQ(post(std::string(kIssue) + "/articles/a1/link", {{"continuation", "a1"}})->status, 400);
}

TEST_F(ApiTest, AConflictIsShownAndCanBeAcceptedOrDismissed) {
  ASSERT_EQ(put(std::string(kIssue) + "/articles/a2", R"({"text": "市領導耿鵬鵬參加。"})")->status,
            200);
  ASSERT_EQ(put(std::string(kIssue) + "/articles/a3", R"({"headline": "托管班結業"})")->status,
            200);
  // A re-run: a new model reads a2 differently.
  Issue rerun = issue_;
  rerun.articles[1].text = "市領導耿閒鵬參加。";
  ASSERT_TRUE(write_issue_json(out_ / issue_.issue.id / "issue.json", rerun));
  json issue = get_json(kIssue);
  const json& conflicts = issue["provenance"]["review"]["conflicts"];
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0]["matched_article"], "a2");
  EXPECT_EQ(article(issue, "a2")["text"], "市領導耿鵬鵬參加。");  // kept, and applied
  EXPECT_EQ(get_json("/api/issues")["issues"][0]["conflicts"], 1);
  const long long id = conflicts[0]["id"].get<long long>();
  auto accepted =
      post(std::string(kIssue) + "/corrections/" + std::to_string(id), {{"action", "accept"}});
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  issue = get_json(kIssue);
  EXPECT_TRUE(issue["provenance"]["review"]["conflicts"].empty());
  EXPECT_EQ(article(issue, "a2")["text"], "市領導耿鵬鵬參加。");
  // Dismissing the headline edit brings back the OCR; the correction stays in the history.
  const json history = get_json(std::string(kIssue) + "/corrections");
  long long headline_id = 0;
  for (const json& c : history["corrections"])
    if (c.value("field", "") == "headline") headline_id = c["id"].get<long long>();
  ASSERT_GT(headline_id, 0);
  ASSERT_EQ(post(std::string(kIssue) + "/corrections/" + std::to_string(headline_id),
                 {{"action", "dismiss"}})
                ->status,
            200);
  EXPECT_EQ(article(get_json(kIssue), "a3")["headline"], "托管班");
  EXPECT_EQ(get_json(std::string(kIssue) + "/corrections")["corrections"].size(), 3u);
  EXPECT_EQ(post(std::string(kIssue) + "/corrections/999", {{"action", "dismiss"}})->status, 404);
  EXPECT_EQ(post(std::string(kIssue) + "/corrections/1", {{"action", "eat"}})->status, 400);
}

}  // namespace
}  // namespace broadsheet::review
