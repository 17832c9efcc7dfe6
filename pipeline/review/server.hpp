#pragma once
/// review: `broadsheet serve OUT` — the web UI and JSON API over an output folder (cpp-httplib).
///
/// API (issue ids hold slashes: URL-encode them, yangquan-ribao%2F2025-08-07):
///   GET  /api/issues                                  issues by date, with pages and conflicts
///   GET  /api/issues/{id}                             issue.json with the corrections applied
///   PUT  /api/issues/{id}/articles/{article}          {"headline"|"subheadline"|"byline"|"text",
///                                                      "editor"}: saves the fields that changed
///   POST /api/issues/{id}/articles/{article}/merge    {"from": "a7"}: a7 is appended to article
///   POST /api/issues/{id}/articles/{article}/split    {"regions": ["p1-r5", ...]}: a new article
///   POST /api/issues/{id}/articles/{article}/link     {"continuation": "a9"}: a9 continues it
///   POST /api/issues/{id}/articles/{article}/unlink   {"page": 3}: its part on page 3 stands alone
///   POST /api/issues/{id}/regions/{region}/move       {"to": "a5"}
///   GET  /api/issues/{id}/corrections                 every correction, with its outcome
///   POST /api/issues/{id}/corrections/{n}             {"action": "dismiss"} or {"action":
///                                                      "accept", "article": "a5"} for a conflict
///   GET  /api/search?q=…&limit=50                     full-text search over corrected articles
///   GET  /scans/{id}/{image}                          a page image named by the pages
///   GET  /scans/{id}/{image}?frame=k                  page k (0-based) of a multi-page TIFF or
///                                                      PDF, as PNG (ServeOptions::render_frame)
///   GET  /                                            the UI (files embedded in the binary)
///
/// Safety: paths are split on "/" before percent-decoding; a segment that decodes to "." or "..",
/// holds a backslash, a control character or a "%" (encoded twice), or an issue id that is not a
/// folder under OUT, is refused with 400; only images listed in an issue.json are served. Bodies
/// are limited (413); a body that is not JSON gets 400 saying where it breaks; PUT and POST need
/// Content-Type application/json (so a web page elsewhere cannot post a form here). Saves are
/// serialised by one mutex (and by SQLite's write lock across processes). Nothing is written but
/// OUT/corrections.sqlite and OUT/search.sqlite; issue.json is rewritten by `run` and `export`.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace broadsheet::review {

struct ServeOptions {
  std::filesystem::path out;    ///< the output folder written by `broadsheet run`
  std::filesystem::path scans;  ///< scan root (SCANS of `run`); "" = provenance.source.folder only
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 = any free port
  size_t max_body_bytes = 1 << 20;
  /// PNG bytes of page `frame` (0-based) of a multi-page TIFF or PDF, for /scans/...?frame=k and
  /// for any PDF scan (browsers show neither). Set by the app from ingest/frames, so that this
  /// library needs neither Leptonica nor poppler; unset, such requests get 501.
  std::function<Result<std::string>(const std::filesystem::path& file, int frame)> render_frame;
};

class Server {
 public:
  /// Checks the options (OUT exists) and binds the port. Errors: BadArguments (OUT missing, port in
  /// use).
  [[nodiscard]] static Result<std::unique_ptr<Server>> start(const ServeOptions& options);
  /// The port it listens on.
  [[nodiscard]] int port() const;
  /// Serves until stop() (from another thread or a signal handler's thread).
  void run();
  void stop();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

 private:
  Server();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Percent-decodes one path segment or query value ('+' stays '+'). nullopt for a malformed escape.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view s);

}  // namespace broadsheet::review
