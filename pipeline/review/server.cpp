// `broadsheet serve`: routes, safety checks and handlers (server.hpp has the API).

#include "review/server.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "core/issue_json.hpp"
#include "review/corrections.hpp"
#include "review/search.hpp"
#include "review/ui_assets.hpp"

namespace broadsheet::review {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

namespace {

// An HTTP failure: status and a message for a person.
struct HttpError {
  int status = 400;
  std::string message;
};

template <class T>
using Http = tl::expected<T, HttpError>;

tl::unexpected<HttpError> http_fail(int status, std::string message) {
  return tl::unexpected(HttpError{status, std::move(message)});
}

void send_json(httplib::Response& res, const json& j, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, const HttpError& e) {
  send_json(res, {{"error", e.message}, {"status", e.status}}, e.status);
}

HttpError from_error(const Error& e, int status = 500) {
  return HttpError{status, e.message + (e.hint.empty() ? "" : "; " + e.hint)};
}

// The path of a request split on "/" and each segment decoded; every segment checked.
Http<std::vector<std::string>> path_segments(const std::string& target) {
  std::string_view path = target;
  if (const size_t q = path.find_first_of("?#"); q != std::string_view::npos)
    path = path.substr(0, q);
  if (path.empty() || path.front() != '/') return http_fail(400, "request path must start with /");
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view raw = path.substr(start, end - start);
    start = end + 1;
    if (raw.empty()) {
      if (end == path.size()) break;  // a trailing slash
      return http_fail(400, "path refused: empty segment (//)");
    }
    auto decoded = percent_decode(raw);
    if (!decoded) return http_fail(400, "path refused: malformed %-escape");
    const std::string& s = *decoded;
    if (s == "." || s == "..")
      return http_fail(400, "path refused: \".\" and \"..\" may not leave the output folder");
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '\\' || c == '%' || u < 0x20 || u == 0x7f)
        return http_fail(400, "path refused: backslash, control character or double encoding");
    }
    segments.push_back(s);
  }
  return segments;
}

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += (i > from ? "/" : "") + parts[i];
  return s;
}

Http<json> parse_body(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0)
    return http_fail(415, "send the body as JSON with Content-Type: application/json");
  json j;
  try {
    j = json::parse(req.body);
  } catch (const json::parse_error& e) {
    return http_fail(400, fmt::format("malformed JSON at byte {}: {}", e.byte, e.what()));
  }
  if (!j.is_object()) return http_fail(400, "the body must be a JSON object");
  return j;
}

std::string content_type_of(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".png") return "image/png";
  if (ext == ".tif" || ext == ".tiff") return "image/tiff";
  if (ext == ".jp2") return "image/jp2";
  if (ext == ".pdf") return "application/pdf";
  return "application/octet-stream";
}

bool is_within(const fs::path& root, const fs::path& p) {
  std::error_code ec;
  const fs::path r = fs::weakly_canonical(root, ec);
  const fs::path c = fs::weakly_canonical(p, ec);
  if (ec) return false;
  auto rel = c.lexically_relative(r);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

struct Server::Impl {
  ServeOptions options;
  fs::path out;  // canonical
  httplib::Server http;
  int port = 0;
  std::mutex write_mutex;  // one save at a time (SQLite's lock does the same across processes)

  struct Loaded {
    Issue issue;
    ApplyReport report;
    std::vector<Correction> corrections;  // active ones, in order (report.outcomes matches)
  };

  Http<fs::path> issue_dir(const std::string& id) const {
    if (!is_safe_issue_id(id)) return http_fail(400, "issue id refused: " + id);
    const fs::path dir = out / fs::path(id);
    std::error_code ec;
    if (!fs::is_regular_file(dir / "issue.json", ec) || !is_within(out, dir / "issue.json"))
      return http_fail(404, "no issue " + id + " in this output folder");
    return dir;
  }

  Http<Loaded> load(const std::string& id) const {
    auto dir = issue_dir(id);
    if (!dir) return tl::unexpected(dir.error());
    auto issue = read_issue_json(*dir / "issue.json");
    if (!issue) return http_fail(500, issue.error().describe());
    issue->issue.id = id;
    auto store = Store::open(out, false);
    if (!store) return http_fail(500, store.error().describe());
    auto list = store->list(id);
    if (!list) return http_fail(500, list.error().describe());
    Loaded l;
    l.issue = std::move(*issue);
    l.report = apply_corrections(l.issue, *list);
    l.corrections = std::move(*list);
    return l;
  }

  // After a save: the search index follows the corrected issue at once.
  void reindex(const Issue& corrected) const {
    if (auto stamp = source_stamp(out, corrected.issue.id))
      (void)index_issue(out, corrected, *stamp);
  }

  static const Article* article(const Issue& issue, std::string_view id) {
    for (const Article& a : issue.articles)
      if (a.id == id) return &a;
    return nullptr;
  }

  static json article_json(const Issue& issue, std::string_view id) {
    const json all = to_json(issue)["articles"];
    for (const json& a : all)
      if (a.value("id", "") == id) return a;
    return nullptr;
  }

  // ---- handlers ----

  void list_issues(httplib::Response& res) const {
    json issues = json::array();
    for (const std::string& id : find_issue_ids(out)) {
      auto l = load(id);
      if (!l) continue;
      const Issue& i = l->issue;
      json pages = json::array();
      for (const Page& p : i.pages) {
        json page = {
            {"page", p.page}, {"image", p.image}, {"width", p.width}, {"height", p.height}};
        if (auto frame = page_frame(p)) page["frame"] = *frame;
        pages.push_back(std::move(page));
      }
      issues.push_back({{"id", id},
                        {"date", i.issue.date ? json(*i.issue.date) : json(nullptr)},
                        {"newspaper", i.issue.newspaper ? json(*i.issue.newspaper) : json(nullptr)},
                        {"number", i.issue.number ? json(*i.issue.number) : json(nullptr)},
                        {"articles", i.articles.size()},
                        {"pages", pages},
                        {"corrections", l->report.applied},
                        {"conflicts", l->report.conflicts}});
    }
    std::stable_sort(issues.begin(), issues.end(), [](const json& a, const json& b) {
      const std::string da = a["date"].is_string() ? a["date"].get<std::string>() : "";
      const std::string db = b["date"].is_string() ? b["date"].get<std::string>() : "";
      return da > db;  // newest first; undated last
    });
    send_json(res, {{"issues", issues}});
  }

  void get_issue(const std::string& id, httplib::Response& res) const {
    auto l = load(id);
    if (!l) return send_error(res, l.error());
    send_json(res, to_json(l->issue));
  }

  void list_corrections(const std::string& id, httplib::Response& res) const {
    auto l = load(id);
    if (!l) return send_error(res, l.error());
    auto store = Store::open(out, false);
    if (!store) return send_error(res, from_error(store.error()));
    auto all = store->list(id, true);
    if (!all) return send_error(res, from_error(all.error()));
    std::map<long long, const Outcome*> outcomes;
    for (const Outcome& o : l->report.outcomes) outcomes[o.id] = &o;
    json list = json::array();
    for (const Correction& c : *all) {
      json j = to_json(c);
      if (auto it = outcomes.find(c.id); it != outcomes.end()) {
        j["applied"] = it->second->applied;
        j["conflict"] = it->second->conflict;
        j["matched_article"] = it->second->article_id;
        j["reason"] = it->second->reason;
      }
      list.push_back(std::move(j));
    }
    send_json(res, {{"corrections", list}});
  }

  Http<json> save_fields(const std::string& id, const std::string& article_id, const json& body) {
    static const std::vector<std::string> kAllowed = {"headline", "subheadline", "byline", "text",
                                                      "editor"};
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (std::find(kAllowed.begin(), kAllowed.end(), it.key()) == kAllowed.end())
        return http_fail(400, "unknown field \"" + it.key() +
                                  "\"; allowed: headline, subheadline, byline, text, editor");
      if (!it->is_string() && !(it->is_null() && it.key() != "text" && it.key() != "editor"))
        return http_fail(400, "\"" + it.key() + "\" must be a string" +
                                  (it.key() == "text" || it.key() == "editor" ? "" : " or null"));
    }
    std::lock_guard lock(write_mutex);
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    const Article* a = article(l->issue, article_id);
    if (a == nullptr) return http_fail(404, "no article " + article_id + " in " + id);
    auto store = Store::open(out, true);
    if (!store) return http_fail(500, store.error().describe());
    const std::string editor = body.value("editor", "");
    if (editor.size() > 200) return http_fail(400, "editor name too long (200 bytes at most)");
    int saved = 0;
    for (const Field f : kAllFields) {
      const std::string name(to_string(f));
      if (!body.contains(name)) continue;
      std::optional<std::string> value;
      if (body[name].is_string()) value = body[name].get<std::string>();
      if (f != Field::Text && value && value->empty()) value.reset();  // "" clears a field
      if (f == Field::Text && !value) value = "";
      if (value == field_value(*a, f)) continue;
      std::vector<long long> supersedes;
      for (size_t i = 0; i < l->corrections.size() && i < l->report.outcomes.size(); ++i) {
        const Correction& c = l->corrections[i];
        if (c.kind == Kind::Field && c.field == f && l->report.outcomes[i].article_id == a->id)
          supersedes.push_back(c.id);
      }
      Correction c;
      c.issue_id = id;
      c.kind = Kind::Field;
      c.anchor = anchor_of(l->issue, *a);
      c.field = f;
      c.value = value;
      c.base_value = ocr_value(*a, f);
      c.editor = editor;
      if (auto added = store->add(std::move(c), supersedes); !added)
        return http_fail(500, added.error().describe());
      ++saved;
    }
    auto after = load(id);
    if (!after) return tl::unexpected(after.error());
    if (saved > 0) reindex(after->issue);
    return json{{"saved", saved}, {"article", article_json(after->issue, article_id)}};
  }

  // A structural fix: merge, split, move.
  Http<json> save_structure(const std::string& id, Correction c, const std::string& show) {
    std::lock_guard lock(write_mutex);
    auto store = Store::open(out, true);
    if (!store) return http_fail(500, store.error().describe());
    c.issue_id = id;
    if (auto added = store->add(std::move(c)); !added)
      return http_fail(500, added.error().describe());
    auto after = load(id);
    if (!after) return tl::unexpected(after.error());
    reindex(after->issue);
    const Outcome& o = after->report.outcomes.back();
    return json{
        {"applied", o.applied},
        {"conflict", o.conflict},
        {"reason", o.reason},
        {"article", article_json(after->issue, o.article_id.empty() ? show : o.article_id)}};
  }

  Http<json> merge(const std::string& id, const std::string& into, const json& body) {
    return pair_fix(id, into, body, Kind::Merge, "from", "the article to merge into this one",
                    "an article cannot be merged into itself");
  }

  Http<json> link(const std::string& id, const std::string& into, const json& body) {
    return pair_fix(id, into, body, Kind::Link, "continuation",
                    "the article that continues this one", "an article cannot continue itself");
  }

  /// A structural fix between two articles of one issue (merge, link): the body names the other
  /// article in `field`; the correction anchors both.
  Http<json> pair_fix(const std::string& id, const std::string& into, const json& body, Kind kind,
                      const std::string& field, const std::string& what,
                      const std::string& same_error) {
    if (!body.contains(field) || !body[field].is_string())
      return http_fail(400, "\"" + field + "\" (" + what + ") must be a string");
    const std::string from = body[field].get<std::string>();
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    const Article* a = article(l->issue, into);
    const Article* b = article(l->issue, from);
    if (a == nullptr || b == nullptr)
      return http_fail(404, "no article " + (a == nullptr ? into : from) + " in " + id);
    if (a == b) return http_fail(400, same_error);
    Correction c;
    c.kind = kind;
    c.anchor = anchor_of(l->issue, *a);
    c.payload = {{"from", to_json(anchor_of(l->issue, *b))}};
    c.editor = body.value("editor", "");
    return save_structure(id, std::move(c), into);
  }

  Http<json> unlink(const std::string& id, const std::string& from, const json& body) {
    if (!body.contains("page") || !body["page"].is_number_integer())
      return http_fail(400, "\"page\" (the printed page of the part to unlink) must be a number");
    const int page = body["page"].get<int>();
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    const Article* a = article(l->issue, from);
    if (a == nullptr) return http_fail(404, "no article " + from + " in " + id);
    json refs = json::array();
    for (const ArticlePart& p : a->parts)
      if (p.page == page)
        for (const std::string& r : p.region_ids)
          if (auto ref = region_ref_of(l->issue, r)) refs.push_back(to_json(*ref));
    if (refs.empty()) return http_fail(400, fmt::format("{} has no part on page {}", from, page));
    if (std::none_of(a->parts.begin(), a->parts.end(),
                     [&](const ArticlePart& p) { return p.page != page; }))
      return http_fail(400, fmt::format("{} has nothing on other pages to unlink from", from));
    Correction c;
    c.kind = Kind::Unlink;
    c.anchor = anchor_of(l->issue, *a);
    c.payload = {{"page", page}, {"regions", refs}};
    c.editor = body.value("editor", "");
    return save_structure(id, std::move(c), from);
  }

  Http<json> split(const std::string& id, const std::string& from, const json& body) {
    if (!body.contains("regions") || !body["regions"].is_array() || body["regions"].empty())
      return http_fail(400, "\"regions\" must be a non-empty array of region ids");
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    const Article* a = article(l->issue, from);
    if (a == nullptr) return http_fail(404, "no article " + from + " in " + id);
    json refs = json::array();
    for (const json& r : body["regions"]) {
      if (!r.is_string()) return http_fail(400, "\"regions\" must hold region ids (strings)");
      auto ref = region_ref_of(l->issue, r.get<std::string>());
      if (!ref) return http_fail(404, "no region " + r.get<std::string>() + " in " + id);
      refs.push_back(to_json(*ref));
    }
    Correction c;
    c.kind = Kind::Split;
    c.anchor = anchor_of(l->issue, *a);
    c.payload = {{"regions", refs}};
    c.editor = body.value("editor", "");
    return save_structure(id, std::move(c), from);
  }

  Http<json> move(const std::string& id, const std::string& region, const json& body) {
    if (!body.contains("to") || !body["to"].is_string())
      return http_fail(400, "\"to\" (the article to move the region to) must be a string");
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    const Article* to = article(l->issue, body["to"].get<std::string>());
    if (to == nullptr) return http_fail(404, "no article " + body["to"].get<std::string>());
    auto ref = region_ref_of(l->issue, region);
    if (!ref) return http_fail(404, "no region " + region + " in " + id);
    Correction c;
    c.kind = Kind::MoveRegion;
    c.anchor = anchor_of(l->issue, *to);
    c.payload = {{"region", to_json(*ref)}};
    c.editor = body.value("editor", "");
    return save_structure(id, std::move(c), to->id);
  }

  Http<json> resolve(const std::string& id, long long cid, const json& body) {
    const std::string action = body.value("action", "");
    std::lock_guard lock(write_mutex);
    auto store = Store::open(out, true);
    if (!store) return http_fail(500, store.error().describe());
    auto got = store->get(cid);
    if (!got) return http_fail(500, got.error().describe());
    if (!*got || (*got)->issue_id != id)
      return http_fail(404, fmt::format("no correction {}", cid));
    const Correction old = **got;
    if (action == "dismiss") {
      if (auto ok = store->set_status(cid, Status::Dismissed); !ok)
        return http_fail(500, ok.error().describe());
      return json{{"dismissed", cid}};
    }
    if (action != "accept") return http_fail(400, "\"action\" must be \"dismiss\" or \"accept\"");
    if (old.kind != Kind::Field || old.status != Status::Active)
      return http_fail(400, "only an active text correction can be accepted onto an article");
    auto l = load(id);
    if (!l) return tl::unexpected(l.error());
    std::string target = body.value("article", "");
    for (const Outcome& o : l->report.outcomes)
      if (o.id == cid && target.empty()) target = o.article_id;
    const Article* a = article(l->issue, target);
    if (a == nullptr)
      return http_fail(400,
                       "name the article to attach it to: {\"action\": \"accept\", "
                       "\"article\": \"a5\"}");
    Correction c = old;
    c.anchor = anchor_of(l->issue, *a);
    c.base_value = ocr_value(*a, *old.field);
    if (auto added = store->add(std::move(c), {cid}); !added)
      return http_fail(500, added.error().describe());
    auto after = load(id);
    if (!after) return tl::unexpected(after.error());
    reindex(after->issue);
    return json{{"accepted", cid}, {"article", article_json(after->issue, target)}};
  }

  void search_api(const httplib::Request& req, httplib::Response& res) {
    const std::string q = req.get_param_value("q");
    int limit = 50;
    if (req.has_param("limit")) {
      try {
        limit = std::stoi(req.get_param_value("limit"));
      } catch (const std::exception&) {
        return send_error(res, {400, "limit must be a number"});
      }
    }
    {
      std::lock_guard lock(write_mutex);
      if (auto synced = sync_index(out); !synced)
        return send_error(res, from_error(synced.error()));
    }
    auto hits = search(out, q, limit);
    if (!hits) return send_error(res, from_error(hits.error(), 400));
    json list = json::array();
    for (const SearchHit& h : *hits)
      list.push_back({{"issue", h.issue_id},
                      {"date", h.date},
                      {"newspaper", h.newspaper},
                      {"article", h.article_id},
                      {"page", h.page},
                      {"headline", h.headline},
                      {"snippet", h.snippet},
                      {"highlight", {h.highlight_start, h.highlight_length}}});
    send_json(res, {{"query", q}, {"hits", list}});
  }

  void scan_image(const httplib::Request& req, const std::vector<std::string>& seg,
                  httplib::Response& res) const {
    // Segments may hold encoded slashes: join, then check every component again.
    const std::string whole = join(seg, 1, seg.size());
    std::vector<std::string> parts;
    for (size_t start = 0; start <= whole.size();) {
      const size_t end = std::min(whole.find('/', start), whole.size());
      parts.push_back(whole.substr(start, end - start));
      start = end + 1;
    }
    for (const std::string& p : parts)
      if (p == "." || p == ".." || p.empty())
        return send_error(res,
                          {400, "path refused: \".\", \"..\" and empty names may not be used"});
    if (parts.size() < 2) return send_error(res, {404, "use /scans/{issue id}/{image}"});
    const std::string image = parts.back();
    const std::string id = whole.substr(0, whole.size() - image.size() - 1);
    auto dir = issue_dir(id);
    if (!dir) return send_error(res, dir.error());
    std::optional<int> frame;
    if (req.has_param("frame")) {
      const std::string f = req.get_param_value("frame");
      int k = -1;
      const auto [end, err] = std::from_chars(f.data(), f.data() + f.size(), k);
      if (err != std::errc() || end != f.data() + f.size() || k < 0)
        return send_error(res, {400, "frame must be a page number from 0"});
      frame = k;
    }
    auto issue = read_issue_json(*dir / "issue.json");
    if (!issue) return send_error(res, {500, issue.error().describe()});
    // A multi-page file's pages share its name: the frame tells them apart (frame 0 of a file
    // without frames is the file itself).
    if (std::none_of(issue->pages.begin(), issue->pages.end(), [&](const Page& p) {
          return p.image == image && page_frame(p).value_or(0) == frame.value_or(0);
        }))
      return send_error(
          res, {404, "no page " + image + (frame ? " frame " + std::to_string(*frame) : "") +
                         " in issue " + id});
    fs::path folder;
    std::error_code ec;
    if (issue->provenance.is_object() && issue->provenance.contains("source") &&
        issue->provenance["source"].is_object() &&
        issue->provenance["source"].value("folder", "") != "")
      folder = issue->provenance["source"]["folder"].get<std::string>();
    if (folder.empty() || !fs::is_directory(folder, ec)) {
      if (options.scans.empty())
        return send_error(
            res, {404, "the scans of " + id + " are not known: start serve with --scans SCANS"});
      folder = options.scans / fs::path(id);
      // A multi-page file is an issue by itself: its id ends in the file's stem, not a folder.
      if (!fs::is_directory(folder, ec)) folder = folder.parent_path();
    }
    const fs::path file = folder / image;
    if (!is_within(folder, file) || !fs::is_regular_file(file, ec))
      return send_error(res, {404, "scan not found: " + file.string()});
    if (frame || content_type_of(file) == "application/pdf") {
      if (!options.render_frame)
        return send_error(res, {501, "this server cannot render pages of multi-page scans"});
      auto png = options.render_frame(file, frame.value_or(0));
      if (!png) return send_error(res, {500, png.error().describe()});
      res.set_header("Cache-Control", "max-age=3600");
      res.set_content(std::move(*png), "image/png");
      return;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(data.str(), content_type_of(file));
  }

  // Bound to loopback, the server answers only requests addressed to loopback: a web page whose
  // name an attacker points at 127.0.0.1 (DNS rebinding) gets 403.
  bool host_allowed(const httplib::Request& req) const {
    const std::string& bound = options.host;
    if (bound != "127.0.0.1" && bound != "localhost" && bound != "::1") return true;
    std::string host = req.get_header_value("Host");
    if (host.empty()) return true;  // HTTP/1.0 clients
    if (host.front() == '[') {
      host = host.substr(0, host.find(']') + 1);
    } else if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
      host = host.substr(0, colon);
    }
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  }

  void route(const httplib::Request& req, httplib::Response& res) {
    if (!host_allowed(req))
      return send_error(res, {403, "this server answers only to 127.0.0.1 and localhost"});
    auto seg = path_segments(req.target);
    if (!seg) return send_error(res, seg.error());
    const std::vector<std::string>& s = *seg;
    const std::string& m = req.method;
    const size_t n = s.size();

    if (m == "GET" && (n == 0 || (n == 1 && s[0] == "index.html"))) {
      const UiAsset* asset = ui_asset("index.html");
      res.set_content(std::string(asset->content), std::string(asset->content_type));
      return;
    }
    if (m == "GET" && n == 1 && s[0] != "api" && s[0] != "scans") {
      if (const UiAsset* asset = ui_asset(s[0])) {
        res.set_content(std::string(asset->content), std::string(asset->content_type));
        return;
      }
      return send_error(res, {404, "not found"});
    }
    if (n >= 1 && s[0] == "scans") {
      if (m != "GET") return send_error(res, {405, "scans are read-only"});
      return scan_image(req, s, res);
    }
    if (n < 2 || s[0] != "api") return send_error(res, {404, "not found"});
    if (s[1] == "search") {
      if (m != "GET") return send_error(res, {405, "use GET"});
      return search_api(req, res);
    }
    if (s[1] != "issues") return send_error(res, {404, "not found"});
    if (n == 2) {
      if (m != "GET") return send_error(res, {405, "use GET"});
      return list_issues(res);
    }
    // /api/issues/{id...}/...: the id is every segment up to a keyword (encoded slashes or not).
    size_t k = 2;
    while (k < n && s[k] != "articles" && s[k] != "regions" && s[k] != "corrections") ++k;
    const std::string id = join(s, 2, k);
    if (id.empty()) return send_error(res, {404, "no issue id"});
    const size_t rest = n - k;
    auto answer = [&](const Http<json>& r) {
      if (!r) return send_error(res, r.error());
      send_json(res, *r);
    };
    if (rest == 0) {
      if (m != "GET") return send_error(res, {405, "use GET"});
      return get_issue(id, res);
    }
    if (s[k] == "corrections") {
      if (rest == 1 && m == "GET") return list_corrections(id, res);
      if (rest == 2 && m == "POST") {
        long long cid = 0;
        try {
          cid = std::stoll(s[k + 1]);
        } catch (const std::exception&) {
          return send_error(res, {400, "a correction is named by its number"});
        }
        auto body = parse_body(req);
        if (!body) return send_error(res, body.error());
        return answer(resolve(id, cid, *body));
      }
      return send_error(res, {405, "GET the list, POST to one"});
    }
    if (rest < 2) return send_error(res, {404, "not found"});
    const std::string& name = s[k + 1];
    if (m != "PUT" && m != "POST") return send_error(res, {405, "use PUT or POST"});
    auto body = parse_body(req);
    if (!body) return send_error(res, body.error());
    if (s[k] == "articles" && rest == 2 && m == "PUT") return answer(save_fields(id, name, *body));
    if (s[k] == "articles" && rest == 3 && m == "POST" && s[k + 2] == "merge")
      return answer(merge(id, name, *body));
    if (s[k] == "articles" && rest == 3 && m == "POST" && s[k + 2] == "split")
      return answer(split(id, name, *body));
    if (s[k] == "articles" && rest == 3 && m == "POST" && s[k + 2] == "link")
      return answer(link(id, name, *body));
    if (s[k] == "articles" && rest == 3 && m == "POST" && s[k + 2] == "unlink")
      return answer(unlink(id, name, *body));
    if (s[k] == "regions" && rest == 3 && m == "POST" && s[k + 2] == "move")
      return answer(move(id, name, *body));
    return send_error(res, {404, "not found"});
  }
};

Server::Server() : impl_(std::make_unique<Impl>()) {}
Server::~Server() {
  stop();
}

Result<std::unique_ptr<Server>> Server::start(const ServeOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.out, ec))
    return fail(ErrorCode::BadArguments, "review", options.out, "output folder not found",
                "pass the folder written by broadsheet run");
  if (!options.scans.empty() && !fs::is_directory(options.scans, ec))
    return fail(ErrorCode::BadArguments, "review", options.scans, "scan folder not found");
  std::unique_ptr<Server> server(new Server());
  Impl& impl = *server->impl_;
  impl.options = options;
  impl.out = fs::weakly_canonical(options.out, ec);
  if (!options.scans.empty()) impl.options.scans = fs::weakly_canonical(options.scans, ec);
  impl.http.set_payload_max_length(options.max_body_bytes);
  impl.http.set_read_timeout(30, 0);
  impl.http.set_keep_alive_max_count(100);
  auto handler = [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.route(req, res);
  };
  impl.http.Get(".*", handler);
  impl.http.Put(".*", handler);
  impl.http.Post(".*", handler);
  impl.http.Delete(".*", handler);
  impl.http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = std::string("internal error: ") + e.what();
        } catch (...) {
        }
        send_error(res, {500, what});
      });
  impl.http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const std::string msg =
          res.status == 413 ? "request body too large" : fmt::format("HTTP {}", res.status);
      res.set_content(json{{"error", msg}, {"status", res.status}}.dump(),
                      "application/json; charset=utf-8");
    }
  });
  if (options.port == 0) {
    impl.port = impl.http.bind_to_any_port(options.host);
    if (impl.port <= 0)
      return fail(ErrorCode::BadArguments, "review", {}, "cannot listen on " + options.host,
                  "pass another --host");
  } else {
    if (!impl.http.bind_to_port(options.host, options.port))
      return fail(ErrorCode::BadArguments, "review", {},
                  fmt::format("cannot listen on {}:{} (in use?)", options.host, options.port),
                  "pass another --port, or --port 0 for any free one");
    impl.port = options.port;
  }
  return server;
}

int Server::port() const {
  return impl_->port;
}

void Server::run() {
  impl_->http.listen_after_bind();
}

void Server::stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace broadsheet::review
