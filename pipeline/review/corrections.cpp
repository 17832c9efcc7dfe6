// The corrections store (OUT/corrections.sqlite) and the JSON spellings of corrections.

#include "review/corrections.hpp"

#include <chrono>
#include <ctime>

#include <fmt/core.h>

#include "review/detail/sqlite.hpp"

namespace broadsheet::review {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr std::string_view kFieldNames[] = {"headline", "subheadline", "byline", "text"};
constexpr std::string_view kKindNames[] = {"field", "move_region", "merge",
                                           "split", "link",        "unlink"};
constexpr std::string_view kStatusNames[] = {"active", "superseded", "dismissed"};

template <class E, size_t N>
std::optional<E> from_names(const std::string_view (&names)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

// Schema, version 1. `corrections` is append-only apart from `status`; `revisions` counts changes
// per issue so readers can tell cheaply whether an issue's corrections changed.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');
CREATE TABLE IF NOT EXISTS corrections(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  issue_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  field TEXT,
  value TEXT,
  base_value TEXT,
  anchor TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  editor TEXT NOT NULL DEFAULT '',
  time TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  superseded_by INTEGER
);
CREATE INDEX IF NOT EXISTS corrections_issue ON corrections(issue_id, id);
CREATE TABLE IF NOT EXISTS revisions(issue_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
)sql";

constexpr const char* kColumns =
    "id, issue_id, article_id, kind, field, value, base_value, anchor, payload, editor, time, "
    "status";

Correction correction_from_row(const detail::Statement& s) {
  Correction c;
  c.id = s.integer(0);
  c.issue_id = s.text(1);
  c.kind = kind_from_string(s.text(3)).value_or(Kind::Field);
  if (!s.is_null(4)) c.field = field_from_string(s.text(4));
  c.value = s.optional_text(5);
  c.base_value = s.optional_text(6);
  const json anchor = json::parse(s.text(7), nullptr, false);
  if (auto a = anchor_from_json(anchor)) c.anchor = std::move(*a);
  c.anchor.article_id = s.text(2);
  c.payload = json::parse(s.text(8), nullptr, false);
  if (c.payload.is_discarded()) c.payload = json::object();
  c.editor = s.text(9);
  c.time = s.text(10);
  c.status = status_from_string(s.text(11)).value_or(Status::Active);
  return c;
}

}  // namespace

std::string_view to_string(Field f) {
  return kFieldNames[static_cast<int>(f)];
}
std::optional<Field> field_from_string(std::string_view s) {
  return from_names<Field>(kFieldNames, s);
}
std::string_view to_string(Kind k) {
  return kKindNames[static_cast<int>(k)];
}
std::optional<Kind> kind_from_string(std::string_view s) {
  return from_names<Kind>(kKindNames, s);
}
std::string_view to_string(Status s) {
  return kStatusNames[static_cast<int>(s)];
}
std::optional<Status> status_from_string(std::string_view s) {
  return from_names<Status>(kStatusNames, s);
}

json to_json(const RegionRef& r) {
  json j = {{"image", r.image}, {"id", r.id}, {"bbox", {r.bbox.x, r.bbox.y, r.bbox.w, r.bbox.h}}};
  if (r.frame) j["frame"] = *r.frame;
  return j;
}

json to_json(const Anchor& a) {
  json regions = json::array();
  for (const RegionRef& r : a.regions) regions.push_back(to_json(r));
  return {{"article_id", a.article_id}, {"regions", regions}};
}

json to_json(const Correction& c) {
  json j = {{"id", c.id},
            {"issue_id", c.issue_id},
            {"kind", to_string(c.kind)},
            {"article_id", c.anchor.article_id},
            {"anchor", to_json(c.anchor)},
            {"editor", c.editor},
            {"time", c.time},
            {"status", to_string(c.status)}};
  if (c.field) j["field"] = to_string(*c.field);
  if (c.kind == Kind::Field) {
    j["value"] = c.value ? json(*c.value) : json(nullptr);
    j["base_value"] = c.base_value ? json(*c.base_value) : json(nullptr);
  } else {
    j["payload"] = c.payload;
  }
  return j;
}

Result<RegionRef> region_ref_from_json(const json& j) {
  if (!j.is_object() || !j.contains("image") || !j["image"].is_string() || !j.contains("id") ||
      !j["id"].is_string())
    return fail(ErrorCode::InputRejected, "review", {}, "a region needs \"image\" and \"id\"");
  RegionRef r;
  r.image = j["image"].get<std::string>();
  r.id = j["id"].get<std::string>();
  if (j.contains("frame")) {
    if (!j["frame"].is_number_integer() || j["frame"].get<int>() < 0)
      return fail(ErrorCode::InputRejected, "review", {},
                  "a region's frame is the 0-based page of a multi-page scan");
    r.frame = j["frame"].get<int>();
  }
  if (j.contains("bbox")) {
    const json& b = j["bbox"];
    if (!b.is_array() || b.size() != 4 || !b[0].is_number() || !b[1].is_number() ||
        !b[2].is_number() || !b[3].is_number())
      return fail(ErrorCode::InputRejected, "review", {}, "a region's bbox is [x, y, w, h]");
    r.bbox = Box{b[0].get<int>(), b[1].get<int>(), b[2].get<int>(), b[3].get<int>()};
  }
  return r;
}

Result<Anchor> anchor_from_json(const json& j) {
  if (!j.is_object())
    return fail(ErrorCode::InputRejected, "review", {}, "anchor is not an object");
  Anchor a;
  if (j.contains("article_id") && j["article_id"].is_string())
    a.article_id = j["article_id"].get<std::string>();
  if (j.contains("regions")) {
    if (!j["regions"].is_array())
      return fail(ErrorCode::InputRejected, "review", {}, "anchor regions is not an array");
    for (const json& r : j["regions"]) {
      auto ref = region_ref_from_json(r);
      if (!ref) return tl::unexpected(ref.error());
      a.regions.push_back(std::move(*ref));
    }
  }
  return a;
}

std::optional<RegionRef> region_ref_of(const Issue& issue, std::string_view id) {
  for (const Page& p : issue.pages)
    for (const Region& r : p.regions)
      if (r.id == id) return RegionRef{p.image, r.id, r.bbox, page_frame(p)};
  return std::nullopt;
}

Anchor anchor_of(const Issue& issue, const Article& article) {
  Anchor a;
  a.article_id = article.id;
  for (const ArticlePart& part : article.parts)
    for (const std::string& id : part.region_ids)
      if (auto ref = region_ref_of(issue, id)) a.regions.push_back(std::move(*ref));
  return a;
}

std::optional<std::string> field_value(const Article& a, Field f) {
  switch (f) {
    case Field::Headline:
      return a.headline;
    case Field::Subheadline:
      return a.subheadline;
    case Field::Byline:
      return a.byline;
    case Field::Text:
      return a.text;
  }
  return std::nullopt;
}

std::optional<std::string> ocr_value(const Article& a, Field f) {
  const std::string name(to_string(f));
  if (a.extra.is_object() && a.extra.contains("ocr") && a.extra["ocr"].is_object() &&
      a.extra["ocr"].contains(name)) {
    const json& v = a.extra["ocr"][name];
    if (v.is_string()) return v.get<std::string>();
    return std::nullopt;
  }
  return field_value(a, f);
}

fs::path output_root(const fs::path& issue_dir, std::string_view issue_id) {
  fs::path root = issue_dir.lexically_normal();
  if (!root.empty() && !root.has_filename()) root = root.parent_path();  // trailing slash
  const fs::path id(issue_id);
  for (auto it = id.begin(); it != id.end(); ++it)
    if (!it->empty()) root = root.parent_path();
  return root;
}

bool is_safe_issue_id(std::string_view id) {
  if (id.empty() || id.front() == '/' || id.size() > 1024) return false;
  size_t start = 0;
  while (start <= id.size()) {
    const size_t end = std::min(id.find('/', start), id.size());
    const std::string_view part = id.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '\\' || c == '%' || u == 0x7f) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Store

struct Store::Impl {
  detail::Database db;
  fs::path path;
};

Store::Store() : impl_(std::make_unique<Impl>()) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const fs::path& out, bool create) {
  Store s;
  s.impl_->path = out / kCorrectionsFile;
  std::error_code ec;
  if (!create && !fs::exists(s.impl_->path, ec)) return s;  // empty store; nothing is created
  // Readers open read-write too when they can: a WAL database needs its -shm file.
  auto db = detail::Database::open(s.impl_->path, true);
  const bool writable = db.has_value();
  if (!db && !create) db = detail::Database::open(s.impl_->path, false);
  if (!db) return tl::unexpected(db.error());
  s.impl_->db = std::move(*db);
  // The schema is created if missing (CREATE ... IF NOT EXISTS), also for a reader: a store file
  // that exists but is empty reads as a store without corrections.
  if (writable) {
    if (auto ok = s.impl_->db.exec(kSchema); !ok) return tl::unexpected(ok.error());
  }
  s.exists_ = true;
  return s;
}

Result<std::vector<Correction>> Store::list(std::string_view issue_id, bool all) const {
  std::vector<Correction> out;
  if (!exists_) return out;
  auto st =
      impl_->db.prepare(fmt::format("SELECT {} FROM corrections WHERE issue_id = ?1{} ORDER BY id",
                                    kColumns, all ? "" : " AND status = 'active'"));
  if (!st) return tl::unexpected(st.error());
  st->bind(1, issue_id);
  int rc = 0;
  while ((rc = st->step()) == SQLITE_ROW) out.push_back(correction_from_row(*st));
  if (rc != SQLITE_DONE) return tl::unexpected(impl_->db.error("reading corrections"));
  return out;
}

Result<std::optional<Correction>> Store::get(long long id) const {
  if (!exists_) return std::optional<Correction>{};
  auto st = impl_->db.prepare(fmt::format("SELECT {} FROM corrections WHERE id = ?1", kColumns));
  if (!st) return tl::unexpected(st.error());
  st->bind(1, id);
  const int rc = st->step();
  if (rc == SQLITE_ROW) return std::optional<Correction>(correction_from_row(*st));
  if (rc != SQLITE_DONE) return tl::unexpected(impl_->db.error("reading a correction"));
  return std::optional<Correction>{};
}

namespace {
Result<void> bump_revision(detail::Database& db, std::string_view issue_id) {
  auto st = db.prepare(
      "INSERT INTO revisions(issue_id, revision) VALUES(?1, 1) "
      "ON CONFLICT(issue_id) DO UPDATE SET revision = revision + 1");
  if (!st) return tl::unexpected(st.error());
  st->bind(1, issue_id);
  if (st->step() != SQLITE_DONE) return tl::unexpected(db.error("counting a change"));
  return {};
}

// BEGIN IMMEDIATE ... COMMIT, rolled back when it goes out of scope uncommitted.
class Transaction {
 public:
  explicit Transaction(detail::Database& db) : db_(db) {}
  Result<void> begin() {
    auto ok = db_.exec("BEGIN IMMEDIATE");
    open_ = ok.has_value();
    return ok;
  }
  Result<void> commit() {
    auto ok = db_.exec("COMMIT");
    if (ok) open_ = false;
    return ok;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) (void)db_.exec("ROLLBACK");
  }

 private:
  detail::Database& db_;
  bool open_ = false;
};
}  // namespace

Result<long long> Store::add(Correction c, const std::vector<long long>& supersedes) {
  if (!exists_)
    return fail(ErrorCode::Internal, "review", impl_->path, "store opened without create");
  Transaction tx(impl_->db);
  if (auto ok = tx.begin(); !ok) return tl::unexpected(ok.error());
  auto st = impl_->db.prepare(
      "INSERT INTO corrections(issue_id, article_id, kind, field, value, base_value, anchor, "
      "payload, editor, time, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'active')");
  if (!st) return tl::unexpected(st.error());
  st->bind(1, c.issue_id).bind(2, c.anchor.article_id).bind(3, to_string(c.kind));
  if (c.field)
    st->bind(4, to_string(*c.field));
  else
    st->bind_null(4);
  st->bind(5, c.value).bind(6, c.base_value);
  st->bind(7, to_json(c.anchor).dump()).bind(8, c.payload.dump());
  st->bind(9, c.editor).bind(10, now_iso8601());
  if (st->step() != SQLITE_DONE) return tl::unexpected(impl_->db.error("saving a correction"));
  const long long id = impl_->db.last_insert_rowid();
  for (const long long old : supersedes) {
    auto up = impl_->db.prepare(
        "UPDATE corrections SET status = 'superseded', superseded_by = ?1 WHERE id = ?2 AND "
        "issue_id = ?3");
    if (!up) return tl::unexpected(up.error());
    up->bind(1, id).bind(2, old).bind(3, c.issue_id);
    if (up->step() != SQLITE_DONE) return tl::unexpected(impl_->db.error("superseding"));
  }
  if (auto ok = bump_revision(impl_->db, c.issue_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = tx.commit(); !ok) return tl::unexpected(ok.error());
  return id;
}

Result<void> Store::set_status(long long id, Status status) {
  auto c = get(id);
  if (!c) return tl::unexpected(c.error());
  if (!*c)
    return fail(ErrorCode::InputMissing, "review", impl_->path,
                fmt::format("no correction {}", id));
  Transaction tx(impl_->db);
  if (auto ok = tx.begin(); !ok) return tl::unexpected(ok.error());
  auto st = impl_->db.prepare("UPDATE corrections SET status = ?1 WHERE id = ?2");
  if (!st) return tl::unexpected(st.error());
  st->bind(1, to_string(status)).bind(2, id);
  if (st->step() != SQLITE_DONE) return tl::unexpected(impl_->db.error("changing a status"));
  if (auto ok = bump_revision(impl_->db, (*c)->issue_id); !ok) return tl::unexpected(ok.error());
  return tx.commit();
}

Result<long long> Store::revision(std::string_view issue_id) const {
  if (!exists_) return 0LL;
  auto st = impl_->db.prepare("SELECT revision FROM revisions WHERE issue_id = ?1");
  if (!st) return tl::unexpected(st.error());
  st->bind(1, issue_id);
  const int rc = st->step();
  if (rc == SQLITE_ROW) return st->integer(0);
  if (rc != SQLITE_DONE) return tl::unexpected(impl_->db.error("reading a revision"));
  return 0LL;
}

}  // namespace broadsheet::review
