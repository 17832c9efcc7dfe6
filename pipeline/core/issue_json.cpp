#include "core/issue_json.hpp"

#include <algorithm>
#include <cmath>

#include <unistd.h>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <system_error>

namespace broadsheet {

using nlohmann::json;

namespace {

json box_json(const Box& b) {
  return json::array({b.x, b.y, b.w, b.h});
}

template <class T>
json opt_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Parsing: a small cursor that records the path of the field being read, so that an error says
// "pages[2].regions[5].bbox: expected [x, y, w, h]" rather than a library message.
struct ParseError {
  std::string where;
  std::string what;
};

const json& field(const json& obj, const char* name, const std::string& where) {
  if (!obj.is_object()) throw ParseError{where, "expected an object"};
  auto it = obj.find(name);
  if (it == obj.end()) throw ParseError{where + "." + name, "missing"};
  return *it;
}

bool has(const json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && !it->is_null();
}

std::string get_string(const json& obj, const char* name, const std::string& where) {
  const json& v = field(obj, name, where);
  if (!v.is_string()) throw ParseError{where + "." + name, "expected a string"};
  return v.get<std::string>();
}

std::string get_string_or(const json& obj, const char* name, const std::string& where,
                          std::string fallback = {}) {
  return has(obj, name) ? get_string(obj, name, where) : fallback;
}

std::optional<std::string> get_opt_string(const json& obj, const char* name,
                                          const std::string& where) {
  if (!has(obj, name)) return std::nullopt;
  return get_string(obj, name, where);
}

double get_number_or(const json& obj, const char* name, const std::string& where, double fallback) {
  if (!has(obj, name)) return fallback;
  const json& v = obj.at(name);
  if (!v.is_number()) throw ParseError{where + "." + name, "expected a number"};
  return v.get<double>();
}

long long get_int(const json& obj, const char* name, const std::string& where) {
  const json& v = field(obj, name, where);
  if (!v.is_number_integer()) throw ParseError{where + "." + name, "expected an integer"};
  return v.get<long long>();
}

// Page numbers, scan positions and sizes are ints, and code downstream counts with them (page + 1,
// x + w). A value outside ±1e9 is no page or size that exists: refuse it rather than narrow it
// silently or let that arithmetic overflow.
constexpr long long kIntLimit = 1'000'000'000;

int checked_int(const json& v, const std::string& where, long long lo = -kIntLimit,
                long long hi = kIntLimit) {
  if (!v.is_number_integer()) throw ParseError{where, "expected an integer"};
  const bool in_range = v.is_number_unsigned()
                            ? v.get<unsigned long long>() <= static_cast<unsigned long long>(hi)
                            : v.get<long long>() >= lo && v.get<long long>() <= hi;
  if (!in_range)
    throw ParseError{
        where, "is " + v.dump() + "; expected " + std::to_string(lo) + " to " + std::to_string(hi)};
  return static_cast<int>(v.get<long long>());  // within ±kIntLimit: fits an int either way
}

int get_int_in(const json& obj, const char* name, const std::string& where,
               long long lo = -kIntLimit, long long hi = kIntLimit) {
  return checked_int(field(obj, name, where), where + "." + name, lo, hi);
}

int get_int_in_or(const json& obj, const char* name, const std::string& where, int fallback,
                  long long lo = -kIntLimit, long long hi = kIntLimit) {
  return has(obj, name) ? get_int_in(obj, name, where, lo, hi) : fallback;
}

// Box edges (x, y, x + w, y + h) lie within ±kCoordLimit. Widths may then reach 2 × kCoordLimit,
// so the smallest box holding any two boxes (an article part) reads back too, and sums of a few
// coordinates still fit an int.
constexpr double kCoordLimit = 1e8;

Box get_box(const json& obj, const char* name, const std::string& where) {
  const json& v = field(obj, name, where);
  if (!v.is_array() || v.size() != 4) throw ParseError{where + "." + name, "expected [x, y, w, h]"};
  double d[4] = {};
  for (size_t i = 0; i < 4; ++i) {
    if (!v[i].is_number()) throw ParseError{where + "." + name, "expected [x, y, w, h] numbers"};
    d[i] = v[i].get<double>();
  }
  // Refused before any conversion: a double outside int's range cannot be converted (undefined
  // behaviour), and NaN fails every comparison.
  const auto within = [](double start, double end) {
    return start >= -kCoordLimit && start <= kCoordLimit && end >= -kCoordLimit &&
           end <= kCoordLimit;
  };
  if (!within(d[0], d[0] + d[2]) || !within(d[1], d[1] + d[3]))
    throw ParseError{where + "." + name, "coordinate out of range: " + v.dump() +
                                             "; every edge must lie within ±" +
                                             std::to_string(static_cast<long long>(kCoordLimit))};
  return Box{static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2]),
             static_cast<int>(d[3])};
}

const json& get_array(const json& obj, const char* name, const std::string& where) {
  const json& v = field(obj, name, where);
  if (!v.is_array()) throw ParseError{where + "." + name, "expected an array"};
  return v;
}

json extras(const json& obj, std::initializer_list<const char*> known) {
  json out = json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool is_known = false;
    for (const char* k : known) is_known = is_known || it.key() == k;
    if (!is_known) out[it.key()] = it.value();
  }
  return out;
}

void merge_extra(json& out, const json& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it)
    if (!out.contains(it.key())) out[it.key()] = it.value();
}

Line parse_line(const json& j, const std::string& where) {
  Line l;
  l.bbox = get_box(j, "bbox", where);
  l.text = get_string_or(j, "text", where);
  l.confidence = get_number_or(j, "confidence", where, 1.0);
  if (has(j, "chars")) {
    const json& chars = get_array(j, "chars", where);
    for (size_t i = 0; i < chars.size(); ++i) {
      const std::string w = where + ".chars[" + std::to_string(i) + "]";
      Glyph g;
      g.bbox = get_box(chars[i], "bbox", w);
      g.text = get_string(chars[i], "text", w);
      g.confidence = get_number_or(chars[i], "confidence", w, 1.0);
      l.chars.push_back(std::move(g));
    }
    // Characters that do not spell the line (a file edited by hand) would mislead every reader of
    // them: a line keeps its text and loses them.
    if (!line_glyphs_match(l)) l.chars.clear();
  }
  return l;
}

Region parse_region(const json& j, const std::string& where) {
  Region r;
  r.id = get_string(j, "id", where);
  const std::string kind = get_string(j, "kind", where);
  auto k = region_kind_from_string(kind);
  if (!k) throw ParseError{where + ".kind", "unknown region kind '" + kind + "'"};
  r.kind = *k;
  r.bbox = get_box(j, "bbox", where);
  const std::string dir = get_string_or(j, "direction", where, "horizontal");
  auto d = direction_from_string(dir);
  if (!d) throw ParseError{where + ".direction", "expected horizontal or vertical"};
  r.direction = *d;
  r.text = get_string_or(j, "text", where);
  r.confidence = get_number_or(j, "confidence", where, 1.0);
  r.article_id = get_opt_string(j, "article_id", where);
  r.original_text = get_opt_string(j, "original_text", where);
  if (has(j, "lines")) {
    const json& lines = get_array(j, "lines", where);
    for (size_t i = 0; i < lines.size(); ++i)
      r.lines.push_back(parse_line(lines[i], where + ".lines[" + std::to_string(i) + "]"));
  }
  return r;
}

Page parse_page(const json& j, const std::string& where, size_t index) {
  Page p;
  p.scan_index = get_int_in_or(j, "scan_index", where,
                               static_cast<int>(std::min<size_t>(index, kIntLimit)), 0);
  p.page = get_int_in_or(j, "page", where, p.scan_index + 1);
  p.image = get_string_or(j, "image", where);
  p.width = get_int_in_or(j, "width", where, 0, 0);
  p.height = get_int_in_or(j, "height", where, 0, 0);
  p.dpi = get_number_or(j, "dpi", where, 300);
  p.skew_deg = get_number_or(j, "skew_deg", where, 0);
  p.text = get_string_or(j, "text", where);
  if (has(j, "regions")) {
    const json& regions = get_array(j, "regions", where);
    for (size_t i = 0; i < regions.size(); ++i)
      p.regions.push_back(parse_region(regions[i], where + ".regions[" + std::to_string(i) + "]"));
  }
  p.extra = extras(
      j, {"page", "scan_index", "image", "width", "height", "dpi", "skew_deg", "text", "regions"});
  return p;
}

Article parse_article(const json& j, const std::string& where) {
  Article a;
  a.id = get_string(j, "id", where);
  const std::string kind = get_string_or(j, "kind", where, "article");
  auto k = article_kind_from_string(kind);
  if (!k) throw ParseError{where + ".kind", "unknown article kind '" + kind + "'"};
  a.kind = *k;
  a.headline = get_opt_string(j, "headline", where);
  a.kicker = get_opt_string(j, "kicker", where);
  a.subheadline = get_opt_string(j, "subheadline", where);
  a.section = get_opt_string(j, "section", where);
  a.byline = get_opt_string(j, "byline", where);
  a.credit = get_opt_string(j, "credit", where);
  a.text = get_string_or(j, "text", where);
  if (has(j, "paragraphs")) {
    const json& ps = get_array(j, "paragraphs", where);
    for (size_t i = 0; i < ps.size(); ++i) {
      if (!ps[i].is_string())
        throw ParseError{where + ".paragraphs[" + std::to_string(i) + "]", "expected a string"};
      a.paragraphs.push_back(ps[i].get<std::string>());
    }
  }
  if (a.text.empty() && !a.paragraphs.empty()) {
    for (size_t i = 0; i < a.paragraphs.size(); ++i) a.text += (i ? "\n" : "") + a.paragraphs[i];
  }
  if (has(j, "pages")) {
    const json& ps = get_array(j, "pages", where);
    for (const json& p : ps) a.pages.push_back(checked_int(p, where + ".pages"));
  }
  if (has(j, "continuations")) {
    const json& cs = get_array(j, "continuations", where);
    for (size_t i = 0; i < cs.size(); ++i) {
      const std::string w = where + ".continuations[" + std::to_string(i) + "]";
      Continuation c;
      c.from_page = get_int_in(cs[i], "from_page", w);
      c.to_page = get_int_in(cs[i], "to_page", w);
      c.marker = get_string_or(cs[i], "marker", w);
      a.continuations.push_back(c);
    }
  }
  if (has(j, "parts")) {
    const json& ps = get_array(j, "parts", where);
    for (size_t i = 0; i < ps.size(); ++i) {
      const std::string w = where + ".parts[" + std::to_string(i) + "]";
      ArticlePart part;
      part.page = get_int_in(ps[i], "page", w);
      if (has(ps[i], "region_ids")) {
        for (const json& id : get_array(ps[i], "region_ids", w)) {
          if (!id.is_string()) throw ParseError{w + ".region_ids", "expected strings"};
          part.region_ids.push_back(id.get<std::string>());
        }
      }
      if (has(ps[i], "bbox")) part.bbox = get_box(ps[i], "bbox", w);
      part.text = get_string_or(ps[i], "text", w);
      a.parts.push_back(std::move(part));
    }
  }
  a.confidence = get_number_or(j, "confidence", where, 1.0);
  a.extra =
      extras(j, {"id", "kind", "headline", "kicker", "subheadline", "section", "byline", "credit",
                 "text", "paragraphs", "pages", "continuations", "parts", "confidence"});
  return a;
}

}  // namespace

json to_json(const Error& e) {
  return {{"input", e.input.string()},
          {"code", to_string(e.code)},
          {"stage", e.stage},
          {"message", e.message},
          {"hint", e.hint}};
}

json to_json(const Issue& issue) {
  json out = json::object();
  out["schema_version"] = issue.schema_version;

  json info = json::object();
  info["id"] = issue.issue.id;
  info["newspaper"] = opt_json(issue.issue.newspaper);
  info["date"] = opt_json(issue.issue.date);
  info["number"] = opt_json(issue.issue.number);
  info["page_count"] = opt_json(issue.issue.page_count);
  info["weekday"] = opt_json(issue.issue.weekday);
  info["lunar_date"] = opt_json(issue.issue.lunar_date);
  merge_extra(info, issue.issue.extra);
  out["issue"] = std::move(info);

  json pages = json::array();
  for (const Page& p : issue.pages) {
    json pj = json::object();
    pj["page"] = p.page;
    pj["scan_index"] = p.scan_index;
    pj["image"] = p.image;
    pj["width"] = p.width;
    pj["height"] = p.height;
    pj["dpi"] = p.dpi;
    pj["skew_deg"] = p.skew_deg;
    pj["text"] = p.text;
    json regions = json::array();
    for (const Region& r : p.regions) {
      json rj = json::object();
      rj["id"] = r.id;
      rj["kind"] = to_string(r.kind);
      rj["bbox"] = box_json(r.bbox);
      rj["direction"] = to_string(r.direction);
      rj["text"] = r.text;
      rj["confidence"] = r.confidence;
      rj["article_id"] = opt_json(r.article_id);
      json lines = json::array();
      for (const Line& l : r.lines) {
        json lj = {{"bbox", box_json(l.bbox)}, {"text", l.text}, {"confidence", l.confidence}};
        if (!l.chars.empty()) {
          json chars = json::array();
          for (const Glyph& g : l.chars)
            // Three decimals: Tesseract's symbol confidence means no more, and a glyph is written
            // tens of thousands of times an issue.
            chars.push_back({{"bbox", box_json(g.bbox)},
                             {"text", g.text},
                             {"confidence", std::round(g.confidence * 1000) / 1000}});
          lj["chars"] = std::move(chars);
        }
        lines.push_back(std::move(lj));
      }
      rj["lines"] = std::move(lines);
      if (r.original_text) rj["original_text"] = *r.original_text;
      regions.push_back(std::move(rj));
    }
    pj["regions"] = std::move(regions);
    merge_extra(pj, p.extra);
    pages.push_back(std::move(pj));
  }
  out["pages"] = std::move(pages);

  json articles = json::array();
  for (const Article& a : issue.articles) {
    json aj = json::object();
    aj["id"] = a.id;
    aj["kind"] = to_string(a.kind);
    aj["headline"] = opt_json(a.headline);
    aj["kicker"] = opt_json(a.kicker);
    aj["subheadline"] = opt_json(a.subheadline);
    aj["section"] = opt_json(a.section);
    aj["byline"] = opt_json(a.byline);
    if (a.credit) aj["credit"] = *a.credit;
    aj["text"] = a.text;
    aj["paragraphs"] = a.paragraphs;
    aj["pages"] = a.pages;
    json conts = json::array();
    for (const Continuation& c : a.continuations)
      conts.push_back({{"from_page", c.from_page}, {"to_page", c.to_page}, {"marker", c.marker}});
    aj["continuations"] = std::move(conts);
    json parts = json::array();
    for (const ArticlePart& part : a.parts)
      parts.push_back({{"page", part.page},
                       {"region_ids", part.region_ids},
                       {"bbox", box_json(part.bbox)},
                       {"text", part.text}});
    aj["parts"] = std::move(parts);
    aj["confidence"] = a.confidence;
    merge_extra(aj, a.extra);
    articles.push_back(std::move(aj));
  }
  out["articles"] = std::move(articles);
  out["provenance"] = issue.provenance;
  return out;
}

Result<Issue> issue_from_json(const json& j) {
  try {
    Issue issue;
    if (!j.is_object()) throw ParseError{"(document)", "expected a JSON object"};
    issue.schema_version = get_int_in_or(j, "schema_version", "", kSchemaVersion);
    if (issue.schema_version != kSchemaVersion)
      throw ParseError{"schema_version", "is " + std::to_string(issue.schema_version) +
                                             "; this broadsheet reads version " +
                                             std::to_string(kSchemaVersion)};
    if (has(j, "issue")) {
      const json& ij = j.at("issue");
      if (!ij.is_object()) throw ParseError{"issue", "expected an object"};
      issue.issue.id = get_string_or(ij, "id", "issue");
      issue.issue.newspaper = get_opt_string(ij, "newspaper", "issue");
      issue.issue.date = get_opt_string(ij, "date", "issue");
      if (has(ij, "number")) issue.issue.number = get_int(ij, "number", "issue");
      if (has(ij, "page_count")) issue.issue.page_count = get_int_in(ij, "page_count", "issue", 0);
      issue.issue.weekday = get_opt_string(ij, "weekday", "issue");
      issue.issue.lunar_date = get_opt_string(ij, "lunar_date", "issue");
      issue.issue.extra =
          extras(ij, {"id", "newspaper", "date", "number", "page_count", "weekday", "lunar_date"});
    }
    if (has(j, "pages")) {
      const json& pages = get_array(j, "pages", "");
      for (size_t i = 0; i < pages.size(); ++i)
        issue.pages.push_back(parse_page(pages[i], "pages[" + std::to_string(i) + "]", i));
    }
    if (has(j, "articles")) {
      const json& arts = get_array(j, "articles", "");
      for (size_t i = 0; i < arts.size(); ++i)
        issue.articles.push_back(parse_article(arts[i], "articles[" + std::to_string(i) + "]"));
    }
    if (has(j, "provenance")) issue.provenance = j.at("provenance");
    return issue;
  } catch (const ParseError& e) {
    std::string where = e.where;
    if (!where.empty() && where.front() == '.') where.erase(0, 1);
    return fail(ErrorCode::InputUnreadable, "json", {}, where + ": " + e.what,
                "the file does not follow issue.json schema_version 1 (DESIGN.md)");
  } catch (const json::exception& e) {
    return fail(ErrorCode::InputUnreadable, "json", {}, e.what());
  }
}

Result<Issue> read_issue_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::InputMissing, "json", path, "cannot open file",
                "check the path; issue.json files are written by `broadsheet run`");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json j = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return fail(ErrorCode::InputUnreadable, "json", path, "not valid JSON",
                "the file is damaged; re-run `broadsheet run` to write it again");
  auto issue = issue_from_json(j);
  if (!issue) {
    Error e = issue.error();
    e.input = path;
    return tl::unexpected(e);
  }
  return issue;
}

Result<void> write_file_atomic(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    return fail(ErrorCode::OutputNotWritable, "export", path.parent_path(),
                "cannot create folder: " + ec.message(), "check permissions or choose another -o");
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return fail(ErrorCode::OutputNotWritable, "export", path, "cannot write file",
                  "check permissions or choose another -o");
    out << content;
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return fail(ErrorCode::OutputNotWritable, "export", path, "write failed (disk full?)",
                  "free space or choose another -o");
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return fail(ErrorCode::OutputNotWritable, "export", path, "cannot replace file",
                "check permissions or choose another -o");
  }
  return {};
}

namespace {

// nlohmann's dump(1), except that a "chars" array is written one glyph a line, each glyph
// compact: indented, a glyph takes ten lines and three times the bytes.
void dump_into(std::string& out, const json& j, int depth, bool compact_items) {
  constexpr auto kReplace = json::error_handler_t::replace;
  const bool container = j.is_object() || j.is_array();
  if (!container || j.empty()) {
    out += j.dump(-1, ' ', false, kReplace);
    return;
  }
  const std::string inner(static_cast<size_t>(depth) + 1, ' ');
  out += j.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += inner;
    if (j.is_object()) {
      out += json(it.key()).dump(-1, ' ', false, kReplace);
      out += ": ";
      dump_into(out, it.value(), depth + 1, it.key() == "chars" && it.value().is_array());
    } else if (compact_items) {
      out += it.value().dump(-1, ' ', false, kReplace);
    } else {
      dump_into(out, it.value(), depth + 1, false);
    }
  }
  out += "\n" + std::string(static_cast<size_t>(depth), ' ') + (j.is_object() ? "}" : "]");
}

}  // namespace

std::string format_issue_json(const Issue& issue) {
  // A scan's file name need not be UTF-8; JSON must be: invalid bytes become U+FFFD.
  std::string out;
  dump_into(out, to_json(issue), 0, false);
  out += "\n";
  return out;
}

Result<void> write_issue_json(const std::filesystem::path& path, const Issue& issue) {
  return write_file_atomic(path, format_issue_json(issue));
}

}  // namespace broadsheet
