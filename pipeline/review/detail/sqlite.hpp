#pragma once
// A thin RAII layer over the SQLite C API for the review stage (corrections store, search index).
// Private to pipeline/review/: other stages never include it.

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace broadsheet::review::detail {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept
      : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}
  Statement& operator=(Statement&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(stmt_, o.stmt_);
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
  }

  Statement& bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, const std::string& s) { return bind(i, std::string_view(s)); }
  Statement& bind(int i, const char* s) { return bind(i, std::string_view(s)); }
  Statement& bind(int i, const std::optional<std::string>& s) {
    if (s) return bind(i, std::string_view(*s));
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bind(int i, long long v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, int v) { return bind(i, static_cast<long long>(v)); }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }

  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  [[nodiscard]] bool is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  [[nodiscard]] std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  [[nodiscard]] std::optional<std::string> optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  [[nodiscard]] long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// One connection. Opened with WAL and a busy timeout, so `serve`, `run` and `search` can use the
/// same file at once: writers wait for each other instead of failing.
class Database {
 public:
  Database() = default;
  Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)) {}
  Database& operator=(Database&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(path_, o.path_);
    return *this;
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }

  [[nodiscard]] static Result<Database> open(const std::filesystem::path& path, bool writable) {
    Database d;
    d.path_ = path;
    const int flags =
        writable ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &d.db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) !=
        SQLITE_OK) {
      std::string msg = d.db_ != nullptr ? sqlite3_errmsg(d.db_) : "out of memory";
      return fail(writable ? ErrorCode::OutputNotWritable : ErrorCode::InputUnreadable, "review",
                  path, "cannot open database: " + msg,
                  writable ? "check permissions on the output folder" : "");
    }
    sqlite3_busy_timeout(d.db_, 10000);
    if (writable) {
      if (auto ok = d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !ok)
        return tl::unexpected(ok.error());
    }
    return d;
  }

  [[nodiscard]] Result<void> exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return fail(ErrorCode::Internal, "review", path_, "SQLite: " + msg);
    }
    return {};
  }

  [[nodiscard]] Result<Statement> prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK)
      return fail(ErrorCode::Internal, "review", path_,
                  std::string("SQLite: ") + sqlite3_errmsg(db_) + " in: " + std::string(sql));
    return Statement(db_, stmt);
  }

  /// An error naming the database and SQLite's message, for a failed step().
  [[nodiscard]] Error error(std::string_view what) const {
    return Error{ErrorCode::Internal, "review", path_,
                 std::string(what) + ": SQLite: " + sqlite3_errmsg(db_), ""};
  }

  [[nodiscard]] long long last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  [[nodiscard]] sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

}  // namespace broadsheet::review::detail
