// The search index (search.hpp has the design).

#include "review/search.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/core.h>

#include "core/issue_json.hpp"
#include "core/text.hpp"
#include "review/corrections.hpp"
#include "review/detail/sqlite.hpp"

namespace broadsheet::review {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS docs(
  rowid INTEGER PRIMARY KEY,
  issue_id TEXT NOT NULL, date TEXT NOT NULL, newspaper TEXT NOT NULL, article_id TEXT NOT NULL,
  pages TEXT NOT NULL,      -- JSON: [[page, text of that page's part], ...]
  headline TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_issue ON docs(issue_id);
CREATE VIRTUAL TABLE IF NOT EXISTS trigram USING fts5(headline, text, tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS bigram USING fts5(headline, text, tokenize='unicode61');
CREATE TABLE IF NOT EXISTS stamps(issue_id TEXT PRIMARY KEY, stamp TEXT NOT NULL);
)sql";

Result<detail::Database> open_index(const fs::path& out) {
  auto db = detail::Database::open(out / kSearchFile, true);
  if (!db) return db;
  if (auto ok = db->exec(kSchema); !ok) return tl::unexpected(ok.error());
  return db;
}

std::string fts_quote(std::string_view s) {
  std::string q = "\"";
  for (const char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string like_escape(std::string_view s) {
  std::string q;
  for (const char c : s) {
    if (c == '%' || c == '_' || c == '\\') q += '\\';
    q += c;
  }
  return q;
}

std::vector<std::string> split_terms(std::string_view query) {
  std::vector<std::string> terms;
  const std::u32string u = text::to_u32(query);
  std::u32string cur;
  for (const char32_t c : u) {
    if (text::is_space(c)) {
      if (!cur.empty()) terms.push_back(text::to_utf8(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) terms.push_back(text::to_utf8(cur));
  return terms;
}

// Code-point position of `needle` in `hay` (both as code points), or npos.
size_t find_u32(const std::u32string& hay, const std::u32string& needle) {
  return hay.find(needle);
}

std::string headline_of(const Article& a) {
  if (a.headline && !a.headline->empty()) return *a.headline;
  const std::u32string t = text::to_u32(a.text);
  std::u32string first = t.substr(0, std::min<size_t>(t.size(), 30));
  std::replace(first.begin(), first.end(), U'\n', U' ');
  return text::to_utf8(first) + (t.size() > 30 ? "…" : "");
}

}  // namespace

std::string bigram_tokens(std::string_view input) {
  const std::u32string u = text::to_u32(input);
  std::u32string out;
  size_t i = 0;
  while (i < u.size()) {
    if (!text::is_cjk(u[i])) {
      out += u[i];
      ++i;
      continue;
    }
    size_t j = i;
    while (j < u.size() && text::is_cjk(u[j])) ++j;
    out += U' ';
    for (size_t k = i; k + 1 < j; ++k) {
      out += u[k];
      out += u[k + 1];
      out += U' ';
    }
    out += u[j - 1];
    out += U' ';
    i = j;
  }
  return text::to_utf8(out);
}

std::vector<std::string> find_issue_ids(const fs::path& out) {
  std::vector<std::string> ids;
  std::error_code ec;
  if (!fs::is_directory(out, ec)) return ids;
  for (auto it = fs::recursive_directory_iterator(out, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    if (it->is_directory(ec)) {
      const std::string name = p.filename().string();
      if (name == "pages" || name == "debug" || name.starts_with("."))
        it.disable_recursion_pending();
      continue;
    }
    if (p.filename() != "issue.json") continue;
    const std::string id = p.parent_path().lexically_relative(out).generic_string();
    if (is_safe_issue_id(id)) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::string> source_stamp(const fs::path& out, std::string_view issue_id) {
  const fs::path file = out / fs::path(issue_id) / "issue.json";
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return fail(ErrorCode::InputMissing, "review", file, "no issue.json");
  const auto time = fs::last_write_time(file, ec).time_since_epoch().count();
  auto store = Store::open(out, false);
  if (!store) return tl::unexpected(store.error());
  auto rev = store->revision(issue_id);
  if (!rev) return tl::unexpected(rev.error());
  return fmt::format("{}:{}:{}", size, time, *rev);
}

Result<void> index_issue(const fs::path& out, const Issue& issue, std::string_view stamp) {
  auto db = open_index(out);
  if (!db) return tl::unexpected(db.error());
  if (auto ok = db->exec("BEGIN IMMEDIATE"); !ok) return ok;
  auto rollback = [&](Error e) -> Result<void> {
    (void)db->exec("ROLLBACK");
    return tl::unexpected(std::move(e));
  };
  for (const char* sql : {"DELETE FROM trigram WHERE rowid IN (SELECT rowid FROM docs WHERE "
                          "issue_id = ?1)",
                          "DELETE FROM bigram WHERE rowid IN (SELECT rowid FROM docs WHERE "
                          "issue_id = ?1)",
                          "DELETE FROM docs WHERE issue_id = ?1"}) {
    auto st = db->prepare(sql);
    if (!st) return rollback(st.error());
    st->bind(1, issue.issue.id);
    if (st->step() != SQLITE_DONE) return rollback(db->error("clearing the index"));
  }
  auto doc = db->prepare(
      "INSERT INTO docs(issue_id, date, newspaper, article_id, pages, headline, text) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  auto tri = db->prepare("INSERT INTO trigram(rowid, headline, text) VALUES(?1, ?2, ?3)");
  auto bi = db->prepare("INSERT INTO bigram(rowid, headline, text) VALUES(?1, ?2, ?3)");
  if (!doc || !tri || !bi) return rollback(!doc ? doc.error() : !tri ? tri.error() : bi.error());
  for (const Article& a : issue.articles) {
    json pages = json::array();
    for (const ArticlePart& p : a.parts) pages.push_back({p.page, p.text});
    for (const int p : a.pages)
      if (std::none_of(a.parts.begin(), a.parts.end(),
                       [&](const ArticlePart& q) { return q.page == p; }))
        pages.push_back({p, ""});
    const std::string headline = a.headline.value_or("");
    std::string body = a.text;
    for (const auto& extra : {a.kicker, a.subheadline, a.byline})
      if (extra && !extra->empty()) body += "\n" + *extra;
    doc->reset();
    doc->bind(1, issue.issue.id)
        .bind(2, issue.issue.date.value_or(""))
        .bind(3, issue.issue.newspaper.value_or(""))
        .bind(4, a.id)
        .bind(5, pages.dump())
        .bind(6, headline)
        .bind(7, body);
    if (doc->step() != SQLITE_DONE) return rollback(db->error("indexing"));
    const long long rowid = db->last_insert_rowid();
    tri->reset();
    tri->bind(1, rowid).bind(2, headline).bind(3, body);
    if (tri->step() != SQLITE_DONE) return rollback(db->error("indexing"));
    bi->reset();
    bi->bind(1, rowid).bind(2, bigram_tokens(headline)).bind(3, bigram_tokens(body));
    if (bi->step() != SQLITE_DONE) return rollback(db->error("indexing"));
  }
  auto st = db->prepare("INSERT OR REPLACE INTO stamps(issue_id, stamp) VALUES(?1, ?2)");
  if (!st) return rollback(st.error());
  st->bind(1, issue.issue.id).bind(2, stamp);
  if (st->step() != SQLITE_DONE) return rollback(db->error("indexing"));
  return db->exec("COMMIT");
}

Result<int> sync_index(const fs::path& out) {
  std::map<std::string, std::string> indexed;
  {
    auto db = open_index(out);
    if (!db) return tl::unexpected(db.error());
    auto st = db->prepare("SELECT issue_id, stamp FROM stamps");
    if (!st) return tl::unexpected(st.error());
    while (st->step() == SQLITE_ROW) indexed[st->text(0)] = st->text(1);
  }
  int done = 0;
  const std::vector<std::string> ids = find_issue_ids(out);
  for (const std::string& id : ids) {
    auto stamp = source_stamp(out, id);
    if (!stamp) return tl::unexpected(stamp.error());
    auto it = indexed.find(id);
    if (it != indexed.end() && it->second == *stamp) continue;
    auto issue = read_issue_json(out / fs::path(id) / "issue.json");
    if (!issue) return tl::unexpected(issue.error());
    issue->issue.id = id;  // the folder decides, as for serve
    if (auto applied = apply_corrections(*issue, out / fs::path(id)); !applied)
      return tl::unexpected(applied.error());
    if (auto ok = index_issue(out, *issue, *stamp); !ok) return tl::unexpected(ok.error());
    ++done;
  }
  const std::set<std::string> present(ids.begin(), ids.end());
  std::vector<std::string> gone;
  for (const auto& [id, stamp] : indexed)
    if (!present.contains(id)) gone.push_back(id);
  if (!gone.empty()) {
    auto db = open_index(out);
    if (!db) return tl::unexpected(db.error());
    for (const std::string& id : gone) {
      Issue empty;
      empty.issue.id = id;
      if (auto ok = index_issue(out, empty, ""); !ok) return tl::unexpected(ok.error());
      auto st = db->prepare("DELETE FROM stamps WHERE issue_id = ?1");
      if (!st) return tl::unexpected(st.error());
      st->bind(1, id);
      (void)st->step();
    }
  }
  return done;
}

Result<std::vector<SearchHit>> search(const fs::path& out, std::string_view query, int limit) {
  const std::vector<std::string> terms = split_terms(query);
  if (terms.empty())
    return fail(ErrorCode::BadArguments, "review", {}, "empty search query",
                "give one or more words, e.g. 陽泉");
  if (terms.size() > 16)
    return fail(ErrorCode::BadArguments, "review", {}, "too many search terms (16 at most)");
  auto db = open_index(out);
  if (!db) return tl::unexpected(db.error());

  // One condition per term: trigram for 3+ characters, bigram for 1-2 CJK characters, LIKE else.
  std::string where;
  std::vector<std::string> params;
  for (const std::string& term : terms) {
    const std::u32string u = text::to_u32(term);
    const bool cjk = std::all_of(u.begin(), u.end(), [](char32_t c) { return text::is_cjk(c); });
    if (!where.empty()) where += " AND ";
    if (u.size() >= 3) {
      where += fmt::format("d.rowid IN (SELECT rowid FROM trigram WHERE trigram MATCH ?{})",
                           params.size() + 1);
      params.push_back(fts_quote(term));
    } else if (cjk) {
      where += fmt::format("d.rowid IN (SELECT rowid FROM bigram WHERE bigram MATCH ?{})",
                           params.size() + 1);
      params.push_back(u.size() == 2 ? fts_quote(term) : fts_quote(term) + "*");
    } else {
      where += fmt::format("(d.headline LIKE ?{0} ESCAPE '\\' OR d.text LIKE ?{0} ESCAPE '\\')",
                           params.size() + 1);
      params.push_back("%" + like_escape(term) + "%");
    }
  }
  const std::string first = terms.front();
  auto st = db->prepare(
      fmt::format("SELECT issue_id, date, newspaper, article_id, pages, headline, text, "
                  "instr(headline, ?{0}) > 0 AS in_headline FROM docs d WHERE {1} "
                  "ORDER BY date DESC, issue_id, in_headline DESC, rowid LIMIT ?{2}",
                  params.size() + 1, where, params.size() + 2));
  if (!st) return tl::unexpected(st.error());
  for (size_t i = 0; i < params.size(); ++i) st->bind(static_cast<int>(i + 1), params[i]);
  st->bind(static_cast<int>(params.size() + 1), first);
  st->bind(static_cast<int>(params.size() + 2), std::clamp(limit, 1, 1000));

  std::vector<SearchHit> hits;
  const std::u32string needle = text::to_u32(first);
  int rc = 0;
  while ((rc = st->step()) == SQLITE_ROW) {
    SearchHit h;
    h.issue_id = st->text(0);
    h.date = st->text(1);
    h.newspaper = st->text(2);
    h.article_id = st->text(3);
    const json pages = json::parse(st->text(4), nullptr, false);
    const std::string headline = st->text(5);
    const std::string body = st->text(6);
    Article a;
    if (!headline.empty()) a.headline = headline;
    a.text = body;
    h.headline = headline_of(a);
    // The page: the first part whose text holds the term, else the article's first page.
    if (pages.is_array()) {
      for (const json& p : pages)
        if (p.is_array() && p.size() == 2 && p[1].is_string() &&
            p[1].get<std::string>().find(first) != std::string::npos) {
          h.page = p[0].get<int>();
          break;
        }
      if (h.page == 0 && !pages.empty() && pages[0].is_array()) h.page = pages[0][0].get<int>();
    }
    // The snippet: up to 20 characters before the term and 40 after, from the body, else the
    // headline.
    std::u32string hay = text::to_u32(body);
    size_t at = find_u32(hay, needle);
    if (at == std::u32string::npos) {
      hay = text::to_u32(headline);
      at = find_u32(hay, needle);
    }
    if (at == std::u32string::npos) {  // a LIKE hit differing in case
      at = 0;
      h.highlight_length = 0;
    } else {
      h.highlight_length = static_cast<int>(needle.size());
    }
    const size_t from = at > 20 ? at - 20 : 0;
    const size_t to = std::min(hay.size(), at + needle.size() + 40);
    std::u32string snip = hay.substr(from, to - from);
    std::replace(snip.begin(), snip.end(), U'\n', U' ');
    h.snippet = (from > 0 ? "…" : "") + text::to_utf8(snip) + (to < hay.size() ? "…" : "");
    h.highlight_start = static_cast<int>(at - from) + (from > 0 ? 1 : 0);
    hits.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(db->error("searching"));
  return hits;
}

}  // namespace broadsheet::review
