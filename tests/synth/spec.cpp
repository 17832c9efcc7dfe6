#include "synth/spec.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "synth/content.hpp"

namespace broadsheet::synth {

using nlohmann::json;

namespace {

struct SpecError {
  std::string where;
  std::string what;
};

std::string at(const std::string& where, const char* name) {
  return where.empty() ? std::string(name) : where + "." + name;
}

const json& need(const json& obj, const char* name, const std::string& where) {
  if (!obj.is_object()) throw SpecError{where, "expected an object"};
  auto it = obj.find(name);
  if (it == obj.end()) throw SpecError{at(where, name), "missing"};
  return *it;
}

std::string need_string(const json& obj, const char* name, const std::string& where) {
  const json& v = need(obj, name, where);
  if (!v.is_string()) throw SpecError{at(where, name), "expected a string"};
  return v.get<std::string>();
}

std::optional<std::string> opt_string(const json& obj, const char* name, const std::string& where) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw SpecError{at(where, name), "expected a string or null"};
  if (it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::string string_or(const json& obj, const char* name, const std::string& where) {
  return opt_string(obj, name, where).value_or("");
}

long long int_or(const json& obj, const char* name, const std::string& where, long long fallback) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) throw SpecError{at(where, name), "expected an integer"};
  return it->get<long long>();
}

bool bool_or(const json& obj, const char* name, const std::string& where, bool fallback) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw SpecError{at(where, name), "expected true or false"};
  return it->get<bool>();
}

std::vector<std::string> string_list(const json& obj, const char* name, const std::string& where) {
  const json& v = need(obj, name, where);
  if (!v.is_array()) throw SpecError{at(where, name), "expected an array of strings"};
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      throw SpecError{at(where, name) + "[" + std::to_string(i) + "]", "expected a string"};
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

IssueSpec parse(const json& j) {
  IssueSpec spec;
  spec.paper = need_string(j, "paper", "");
  spec.date = need_string(j, "date", "");
  Date date;
  if (!parse_iso_date(spec.date, date)) throw SpecError{"date", "expected YYYY-MM-DD"};

  const json& issue = need(j, "issue", "");
  IssueMeta& m = spec.meta;
  m.newspaper = need_string(issue, "newspaper", "issue");
  m.newspaper_latin = string_or(issue, "newspaper_latin", "issue");
  m.date = opt_string(issue, "date", "issue").value_or(spec.date);
  m.weekday = opt_string(issue, "weekday", "issue").value_or(weekday_name(date));
  m.lunar_date = opt_string(issue, "lunar_date", "issue").value_or(lunar_date(date));
  m.number = int_or(issue, "number", "issue", 1);
  m.serial = string_or(issue, "serial", "issue");
  m.organ = string_or(issue, "organ", "issue");
  m.publisher = string_or(issue, "publisher", "issue");

  const json& pages = need(j, "pages", "");
  if (!pages.is_array() || pages.empty()) throw SpecError{"pages", "expected a non-empty array"};
  std::set<int> page_numbers;
  for (size_t i = 0; i < pages.size(); ++i) {
    const std::string where = "pages[" + std::to_string(i) + "]";
    PageSpec p;
    p.page = static_cast<int>(int_or(pages[i], "page", where, static_cast<long long>(i) + 1));
    if (p.page < 1 || p.page > 99) throw SpecError{where + ".page", "expected 1..99"};
    if (!page_numbers.insert(p.page).second) throw SpecError{where + ".page", "duplicate page"};
    p.section_name = opt_string(pages[i], "section_name", where);
    if (pages[i].contains("placement") && !pages[i]["placement"].is_null())
      p.placement = string_list(pages[i], "placement", where);
    spec.pages.push_back(std::move(p));
  }
  m.page_count = static_cast<int>(
      int_or(issue, "page_count", "issue", static_cast<long long>(spec.pages.size())));

  const json& articles = need(j, "articles", "");
  if (!articles.is_array()) throw SpecError{"articles", "expected an array"};
  std::set<std::string> ids;
  for (size_t i = 0; i < articles.size(); ++i) {
    const std::string where = "articles[" + std::to_string(i) + "]";
    const json& aj = articles[i];
    ArticleSpec a;
    a.id = need_string(aj, "id", where);
    if (!ids.insert(a.id).second) throw SpecError{where + ".id", "duplicate id " + a.id};
    const std::string kind = opt_string(aj, "kind", where).value_or("article");
    if (kind == "article") {
      a.kind = ArticleKind::Article;
    } else if (kind == "caption") {
      a.kind = ArticleKind::Caption;
    } else {
      throw SpecError{where + ".kind", "expected \"article\" or \"caption\""};
    }
    a.kicker = opt_string(aj, "kicker", where);
    a.headline = opt_string(aj, "headline", where);
    a.headline_deck2 = opt_string(aj, "headline_deck2", where);
    a.truth_headline = opt_string(aj, "truth_headline", where);
    a.subheadline = opt_string(aj, "subheadline", where);
    a.section = opt_string(aj, "section", where);
    a.byline = opt_string(aj, "byline", where);
    a.credit = opt_string(aj, "credit", where);
    a.photo = bool_or(aj, "photo", where, a.kind == ArticleKind::Caption);
    const json& parts = need(aj, "parts", where);
    if (!parts.is_array() || parts.empty())
      throw SpecError{where + ".parts", "expected a non-empty array"};
    int previous_page = 0;
    for (size_t k = 0; k < parts.size(); ++k) {
      const std::string pw = where + ".parts[" + std::to_string(k) + "]";
      PartSpec part;
      part.page = static_cast<int>(int_or(parts[k], "page", pw, 1));
      if (!page_numbers.contains(part.page))
        throw SpecError{pw + ".page", "page " + std::to_string(part.page) + " is not in pages"};
      if (part.page <= previous_page) throw SpecError{pw + ".page", "parts must go to later pages"};
      previous_page = part.page;
      part.headline = opt_string(parts[k], "headline", pw);
      part.continues_paragraph = bool_or(parts[k], "continues_paragraph", pw, false);
      if (k == 0 && part.continues_paragraph)
        throw SpecError{pw + ".continues_paragraph", "the first part cannot continue a paragraph"};
      part.paragraphs = string_list(parts[k], "paragraphs", pw);
      if (part.paragraphs.empty()) throw SpecError{pw + ".paragraphs", "expected text"};
      a.parts.push_back(std::move(part));
    }
    if (a.kind == ArticleKind::Caption && a.parts.size() > 1)
      throw SpecError{where + ".parts", "a caption has one part"};
    spec.articles.push_back(std::move(a));
  }
  return spec;
}

}  // namespace

Result<IssueSpec> issue_spec_from_json(const json& j) {
  try {
    return parse(j);
  } catch (const SpecError& e) {
    return fail(ErrorCode::InputRejected, kSynthStage, {},
                "spec " + (e.where.empty() ? std::string("document") : e.where) + ": " + e.what,
                "see tests/synth/README.md for the spec format");
  }
}

Result<IssueSpec> read_issue_spec(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return fail(ErrorCode::InputMissing, kSynthStage, path, "cannot open the spec file");
  json j;
  try {
    in >> j;
  } catch (const json::parse_error& e) {
    return fail(ErrorCode::InputUnreadable, kSynthStage, path,
                std::string("not valid JSON: ") + e.what());
  }
  auto spec = issue_spec_from_json(j);
  if (!spec) spec.error().input = path;
  return spec;
}

std::string jump_marker(const char* direction, int page) {
  return std::string(direction) + "第" + chinese_number(page) + "版";
}

}  // namespace broadsheet::synth
