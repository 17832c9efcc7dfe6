// Applying corrections to an issue (corrections.hpp has the rules).

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "core/issue_json.hpp"
#include "core/text.hpp"
#include "review/corrections.hpp"

namespace broadsheet::review {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Located {
  size_t page = 0;
  size_t region = 0;
};

// Overlap of an anchor with an article: intersection over union of their region areas, per scan.
double overlap(const Anchor& anchor, const Anchor& article) {
  long long inter = 0, area_a = 0, area_b = 0;
  for (const RegionRef& a : anchor.regions) area_a += a.bbox.area();
  for (const RegionRef& b : article.regions) area_b += b.bbox.area();
  for (const RegionRef& a : anchor.regions)
    for (const RegionRef& b : article.regions)
      if (a.same_scan(b)) inter += intersection_area(a.bbox, b.bbox);
  const long long uni = area_a + area_b - inter;
  return uni > 0 ? std::min(1.0, static_cast<double>(inter) / static_cast<double>(uni)) : 0.0;
}

// Same regions: the same ids on the same scans, each box still where it was (IoU >= 0.5; a new
// layout may give an old id to another region).
bool same_regions(const Anchor& a, const Anchor& b) {
  if (a.regions.size() != b.regions.size()) return false;
  for (const RegionRef& r : a.regions) {
    const bool found = std::any_of(b.regions.begin(), b.regions.end(), [&](const RegionRef& q) {
      return q.same_scan(r) && q.id == r.id && (r.bbox.empty() || iou(q.bbox, r.bbox) >= 0.5);
    });
    if (!found) return false;
  }
  return true;
}

// The article an anchor names now: same id and regions, else the best overlap above the bar.
std::optional<size_t> find_article(const Issue& issue, const Anchor& anchor) {
  std::optional<size_t> best;
  double best_score = 0;
  for (size_t i = 0; i < issue.articles.size(); ++i) {
    const Anchor now = anchor_of(issue, issue.articles[i]);
    if (issue.articles[i].id == anchor.article_id &&
        (anchor.regions.empty() || same_regions(anchor, now)))
      return i;
    const double score = overlap(anchor, now);
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  if (best_score >= kMinArticleOverlap) return best;
  return std::nullopt;
}

// A region a correction names: same scan (image, and frame of a multi-page file) and id with a box
// that still overlaps, else the region of that scan whose box overlaps most (IoU >= 0.5).
std::optional<Located> find_region(const Issue& issue, const RegionRef& ref) {
  std::optional<Located> best;
  double best_score = 0;
  for (size_t p = 0; p < issue.pages.size(); ++p) {
    if (issue.pages[p].image != ref.image || page_frame(issue.pages[p]) != ref.frame) continue;
    for (size_t r = 0; r < issue.pages[p].regions.size(); ++r) {
      const Region& region = issue.pages[p].regions[r];
      const double score = ref.bbox.empty() ? 0.0 : iou(region.bbox, ref.bbox);
      if (region.id == ref.id && (ref.bbox.empty() || score >= 0.5)) return Located{p, r};
      if (score > best_score) {
        best_score = score;
        best = Located{p, r};
      }
    }
  }
  if (best_score >= 0.5) return best;
  return std::nullopt;
}

std::string shorten(const std::optional<std::string>& s) {
  if (!s) return "(none)";
  const std::u32string u = text::to_u32(*s);
  if (u.size() <= 24) return "«" + *s + "»";
  return "«" + text::to_utf8(u.substr(0, 24)) + "…»";
}

void set_field(Article& a, Field f, const std::optional<std::string>& v) {
  switch (f) {
    case Field::Headline:
      a.headline = v;
      break;
    case Field::Subheadline:
      a.subheadline = v;
      break;
    case Field::Byline:
      a.byline = v;
      break;
    case Field::Text: {
      a.text = v.value_or("");
      a.paragraphs.clear();
      size_t start = 0;
      while (start <= a.text.size()) {
        const size_t end = std::min(a.text.find('\n', start), a.text.size());
        if (end > start) a.paragraphs.push_back(a.text.substr(start, end - start));
        start = end + 1;
      }
      break;
    }
  }
}

json opt_json(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

// Keeps the OCR value of a field beside it before the first change.
void keep_ocr(Article& a, Field f) {
  if (!a.extra.is_object()) a.extra = json::object();
  json& ocr = a.extra["ocr"];
  if (!ocr.is_object()) ocr = json::object();
  const std::string name(to_string(f));
  if (!ocr.contains(name)) ocr[name] = opt_json(field_value(a, f));
}

bool has_ocr_copy(const Article& a, Field f) {
  return a.extra.is_object() && a.extra.contains("ocr") && a.extra["ocr"].is_object() &&
         a.extra["ocr"].contains(std::string(to_string(f)));
}

std::string join_text(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "\n" + b;
}

// Appends text to a field of `a`, to its OCR copy as well when it has one.
void append_text(Article& a, const std::string& value, const std::string& ocr) {
  if (has_ocr_copy(a, Field::Text)) {
    json& copy = a.extra["ocr"]["text"];
    copy = join_text(copy.is_string() ? copy.get<std::string>() : "", ocr);
  }
  set_field(a, Field::Text, join_text(a.text, value));
}

// Removes `piece` from the article's text (and OCR copy). False when it is not in the text.
bool remove_text(Article& a, const std::string& piece) {
  if (piece.empty()) return true;
  auto cut = [&](std::string& s) {
    const size_t at = s.find(piece);
    if (at == std::string::npos) return false;
    size_t end = at + piece.size();
    if (end < s.size() && s[end] == '\n') ++end;  // the paragraph break after it goes too
    s.erase(at, end - at);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return true;
  };
  std::string t = a.text;
  if (!cut(t)) return false;
  set_field(a, Field::Text, t);
  if (has_ocr_copy(a, Field::Text) && a.extra["ocr"]["text"].is_string()) {
    std::string o = a.extra["ocr"]["text"].get<std::string>();
    if (cut(o)) a.extra["ocr"]["text"] = o;
  }
  return true;
}

// The text a region gives an article it joins or leaves.
bool is_heading(RegionKind k) {
  return k == RegionKind::Headline || k == RegionKind::Subheadline || k == RegionKind::Kicker;
}

// Takes a region out of an article: its id from the parts, its text from the article's text (or
// the headline it was). False when its text could not be found (the article was edited by hand).
bool detach_region(Article& a, const Region& region) {
  for (ArticlePart& part : a.parts) {
    auto it = std::find(part.region_ids.begin(), part.region_ids.end(), region.id);
    if (it != part.region_ids.end()) part.region_ids.erase(it);
  }
  std::erase_if(a.parts, [](const ArticlePart& p) { return p.region_ids.empty(); });
  std::set<int> pages;
  for (const ArticlePart& p : a.parts) pages.insert(p.page);
  if (!pages.empty()) a.pages.assign(pages.begin(), pages.end());
  if (region.text.empty()) return true;
  if (a.headline && *a.headline == region.text) {
    a.headline.reset();
    return true;
  }
  if (a.subheadline && *a.subheadline == region.text) {
    a.subheadline.reset();
    return true;
  }
  if (a.byline && *a.byline == region.text) {
    a.byline.reset();
    return true;
  }
  if (remove_text(a, region.text)) return true;
  // Headlines, kickers, jump lines and bylines that are not in the body text need no cutting.
  if (region.kind != RegionKind::Body && region.kind != RegionKind::Caption &&
      region.kind != RegionKind::Other)
    return true;
  bool all = !region.lines.empty();
  for (const Line& line : region.lines) all = remove_text(a, line.text) && all;
  return all;
}

void attach_region(Article& a, const Page& page, const Region& region) {
  auto part = std::find_if(a.parts.begin(), a.parts.end(),
                           [&](const ArticlePart& p) { return p.page == page.page; });
  if (part == a.parts.end()) {
    a.parts.push_back(ArticlePart{page.page, {}, Box{}, {}});
    part = a.parts.end() - 1;
  }
  part->region_ids.push_back(region.id);
  part->bbox = unite(part->bbox, region.bbox);
  if (std::find(a.pages.begin(), a.pages.end(), page.page) == a.pages.end()) {
    a.pages.push_back(page.page);
    std::sort(a.pages.begin(), a.pages.end());
  }
  if (region.text.empty()) return;
  if (is_heading(region.kind) && !a.headline) {
    a.headline = region.text;
  } else if (region.kind == RegionKind::Byline && !a.byline) {
    a.byline = region.text;
  } else {
    append_text(a, region.text, region.text);
  }
}

void set_region_article(Issue& issue, const std::string& region_id,
                        const std::optional<std::string>& article_id) {
  for (Page& p : issue.pages)
    for (Region& r : p.regions)
      if (r.id == region_id) r.article_id = article_id;
}

void note(Article& a, const Correction& c, const Outcome& o) {
  json n = {{"id", c.id},
            {"kind", to_string(c.kind)},
            {"status", o.conflict ? "conflict" : "applied"},
            {"editor", c.editor},
            {"time", c.time}};
  if (c.field) n["field"] = to_string(*c.field);
  if (!o.reason.empty()) n["reason"] = o.reason;
  if (!a.extra.is_object()) a.extra = json::object();
  if (!a.extra.contains("corrections")) a.extra["corrections"] = json::array();
  a.extra["corrections"].push_back(std::move(n));
}

Article* article_by_id(Issue& issue, std::string_view id) {
  for (Article& a : issue.articles)
    if (a.id == id) return &a;
  return nullptr;
}

void apply_field(Issue& issue, const Correction& c, Outcome& o) {
  const auto index = find_article(issue, c.anchor);
  if (!index) {
    o.conflict = true;
    o.reason =
        "its article is no longer in this issue (the layout changed); attach it to an "
        "article or dismiss it";
    return;
  }
  Article& a = issue.articles[*index];
  const Field f = *c.field;
  o.article_id = a.id;
  o.ocr_value = ocr_value(a, f);
  if (o.ocr_value != c.base_value) {
    o.conflict = true;
    o.reason = fmt::format("the OCR under it changed: it read {} when corrected, now {}",
                           shorten(c.base_value), shorten(o.ocr_value));
  }
  keep_ocr(a, f);
  set_field(a, f, c.value);
  o.applied = true;
  note(a, c, o);
}

void merge_into(Issue& issue, Article& into, Article& from) {
  for (Field f : {Field::Headline, Field::Subheadline, Field::Byline}) {
    if (!field_value(into, f) && field_value(from, f)) {
      if (has_ocr_copy(from, f) || has_ocr_copy(into, f)) {
        keep_ocr(into, f);
        into.extra["ocr"][std::string(to_string(f))] = opt_json(ocr_value(from, f));
      }
      set_field(into, f, field_value(from, f));
    }
  }
  if (has_ocr_copy(from, Field::Text) && !has_ocr_copy(into, Field::Text))
    keep_ocr(into, Field::Text);
  append_text(into, from.text, ocr_value(from, Field::Text).value_or(""));
  for (const ArticlePart& p : from.parts) {
    auto part = std::find_if(into.parts.begin(), into.parts.end(),
                             [&](const ArticlePart& q) { return q.page == p.page; });
    if (part == into.parts.end()) {
      into.parts.push_back(p);
    } else {
      part->region_ids.insert(part->region_ids.end(), p.region_ids.begin(), p.region_ids.end());
      part->bbox = unite(part->bbox, p.bbox);
      part->text = join_text(part->text, p.text);
    }
    for (const std::string& id : p.region_ids) set_region_article(issue, id, into.id);
  }
  std::set<int> pages(into.pages.begin(), into.pages.end());
  pages.insert(from.pages.begin(), from.pages.end());
  into.pages.assign(pages.begin(), pages.end());
  for (const Continuation& k : from.continuations)
    if (std::find(into.continuations.begin(), into.continuations.end(), k) ==
        into.continuations.end())
      into.continuations.push_back(k);
  const double wi = static_cast<double>(into.text.size());
  const double wf = static_cast<double>(from.text.size());
  if (wi + wf > 0) into.confidence = (into.confidence * wi + from.confidence * wf) / (wi + wf);
  if (from.extra.is_object() && from.extra.contains("corrections")) {
    if (!into.extra.contains("corrections")) into.extra["corrections"] = json::array();
    for (const json& n : from.extra["corrections"]) into.extra["corrections"].push_back(n);
  }
}

// Merge, or (link) merge as a continuation: the other article's parts follow this one's, and a
// continuation from this article's last page to the other's first page is recorded.
void apply_merge(Issue& issue, const Correction& c, Outcome& o, bool link) {
  auto from_anchor = anchor_from_json(c.payload.value("from", json::object()));
  const auto into_index = find_article(issue, c.anchor);
  if (!from_anchor || !into_index) {
    o.conflict = true;
    o.reason = "the article to merge into is no longer in this issue";
    return;
  }
  Article& into = issue.articles[*into_index];
  o.article_id = into.id;
  // Already merged (a re-run whose layout joined them, or a replay): most of the other article's
  // area lies in this one.
  const Anchor now = anchor_of(issue, into);
  long long inside = 0, total = 0;
  for (const RegionRef& r : from_anchor->regions) {
    total += r.bbox.area();
    for (const RegionRef& q : now.regions)
      if (q.same_scan(r)) inside += intersection_area(r.bbox, q.bbox);
  }
  if (total > 0 && static_cast<double>(inside) >= 0.5 * static_cast<double>(total)) {
    o.applied = true;
    note(into, c, o);
    return;
  }
  const auto from_index = find_article(issue, *from_anchor);
  if (!from_index || *from_index == *into_index) {
    o.conflict = true;
    o.reason = "the article to merge is no longer in this issue";
    note(into, c, o);
    return;
  }
  Article from = issue.articles[*from_index];
  Article& target = issue.articles[*into_index];
  const int last_page = target.pages.empty() ? 0 : target.pages.back();
  const int first_page = from.pages.empty() ? 0 : from.pages.front();
  merge_into(issue, target, from);
  if (link && last_page > 0 && first_page > 0 && last_page != first_page) {
    const Continuation k{last_page, first_page, c.payload.value("marker", "")};
    if (std::find(target.continuations.begin(), target.continuations.end(), k) ==
        target.continuations.end())
      target.continuations.push_back(k);
  }
  o.applied = true;
  note(issue.articles[*into_index], c, o);
  issue.articles.erase(issue.articles.begin() + static_cast<std::ptrdiff_t>(*from_index));
}

void apply_move(Issue& issue, const Correction& c, Outcome& o) {
  auto ref = region_ref_from_json(c.payload.value("region", json::object()));
  const auto to_index = find_article(issue, c.anchor);
  const auto where = ref ? find_region(issue, *ref) : std::nullopt;
  if (!to_index || !where) {
    o.conflict = true;
    o.reason = !to_index ? "the article to move the region to is no longer in this issue"
                         : "the region to move is no longer in this issue";
    return;
  }
  const Page& page = issue.pages[where->page];
  const Region region = page.regions[where->region];
  Article& to = issue.articles[*to_index];
  o.article_id = to.id;
  for (const ArticlePart& p : to.parts)
    if (std::find(p.region_ids.begin(), p.region_ids.end(), region.id) != p.region_ids.end()) {
      o.applied = true;  // already there
      note(to, c, o);
      return;
    }
  const std::string to_id = to.id;
  for (Article& a : issue.articles) {
    if (a.id == to_id) continue;
    bool holds = false;
    for (const ArticlePart& p : a.parts)
      holds = holds ||
              std::find(p.region_ids.begin(), p.region_ids.end(), region.id) != p.region_ids.end();
    if (holds && !detach_region(a, region)) {
      o.conflict = true;
      o.reason =
          fmt::format("the region's text was not found in {} (edited by hand?): check both", a.id);
    }
  }
  Article* target = article_by_id(issue, to_id);
  attach_region(*target, page, region);
  set_region_article(issue, region.id, to_id);
  o.applied = true;
  note(*target, c, o);
}

// Split (or unlink: the part on one page becomes its own article, and the continuation to that
// page is removed).
void apply_split(Issue& issue, const Correction& c, Outcome& o, bool unlink) {
  const auto from_index = find_article(issue, c.anchor);
  if (!from_index || !c.payload.contains("regions") || !c.payload["regions"].is_array()) {
    o.conflict = true;
    o.reason = "the article to split is no longer in this issue";
    return;
  }
  std::vector<Located> found;
  for (const json& r : c.payload["regions"]) {
    auto ref = region_ref_from_json(r);
    auto where = ref ? find_region(issue, *ref) : std::nullopt;
    if (where) found.push_back(*where);
  }
  const std::string from_id = issue.articles[*from_index].id;
  const std::string new_id = fmt::format("{}-{}{}", from_id, unlink ? "u" : "s", c.id);
  o.article_id = from_id;
  if (article_by_id(issue, new_id) != nullptr) {
    o.applied = true;  // replayed on an issue that has it already
    return;
  }
  if (found.empty()) {
    o.conflict = true;
    o.reason = "none of the regions to split off are in this issue any more";
    return;
  }
  Article piece;
  piece.id = new_id;
  piece.kind = issue.articles[*from_index].kind;
  piece.confidence = issue.articles[*from_index].confidence;
  std::sort(found.begin(), found.end(), [](const Located& a, const Located& b) {
    return a.page != b.page ? a.page < b.page : a.region < b.region;
  });
  for (const Located& w : found) {
    const Page& page = issue.pages[w.page];
    const Region region = page.regions[w.region];
    if (!detach_region(issue.articles[*from_index], region)) {
      o.conflict = true;
      o.reason = fmt::format("the text of {} was not found in {} (edited by hand?): check both",
                             region.id, from_id);
    }
    attach_region(piece, page, region);
    set_region_article(issue, region.id, new_id);
  }
  if (unlink) {
    const int page = c.payload.value("page", 0);
    Article& from = issue.articles[*from_index];
    std::erase_if(from.continuations, [&](const Continuation& k) { return k.to_page == page; });
  }
  o.applied = true;
  note(piece, c, o);
  issue.articles.insert(issue.articles.begin() + static_cast<std::ptrdiff_t>(*from_index) + 1,
                        std::move(piece));
}

// The articles of an issue as JSON (the serializer is the only code that knows the spellings).
json articles_json(const Issue& issue) {
  Issue copy;
  copy.issue.id = issue.issue.id;
  copy.articles = issue.articles;
  return to_json(copy)["articles"];
}

}  // namespace

void restore_ocr(Issue& issue) {
  json review = issue.provenance.is_object() && issue.provenance.contains("review")
                    ? issue.provenance["review"]
                    : json();
  if (review.is_object() && review.contains("ocr_articles")) {
    json doc = to_json(Issue{issue.schema_version, issue.issue, {}, {}, json::object()});
    doc["articles"] = review["ocr_articles"];
    if (auto parsed = issue_from_json(doc)) issue.articles = std::move(parsed->articles);
    if (review.contains("ocr_region_articles") && review["ocr_region_articles"].is_object()) {
      const json& m = review["ocr_region_articles"];
      for (Page& p : issue.pages)
        for (Region& r : p.regions)
          if (m.contains(r.id))
            r.article_id =
                m[r.id].is_string() ? std::optional(m[r.id].get<std::string>()) : std::nullopt;
    }
  }
  for (Article& a : issue.articles) {
    if (!a.extra.is_object()) continue;
    if (a.extra.contains("ocr") && a.extra["ocr"].is_object()) {
      for (Field f : kAllFields) {
        const std::string name(to_string(f));
        if (!a.extra["ocr"].contains(name)) continue;
        const json& v = a.extra["ocr"][name];
        set_field(a, f, v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt);
      }
    }
    a.extra.erase("ocr");
    a.extra.erase("corrections");
  }
  if (issue.provenance.is_object()) issue.provenance.erase("review");
}

ApplyReport apply_corrections(Issue& issue, const std::vector<Correction>& corrections) {
  restore_ocr(issue);
  ApplyReport report;
  const bool structural = std::any_of(corrections.begin(), corrections.end(), [](const auto& c) {
    return c.status == Status::Active && c.kind != Kind::Field;
  });
  json review = {{"store", kCorrectionsFile}, {"conflicts", json::array()}};
  if (structural) {
    // What reassembly made, so that the next apply starts again from it (restore_ocr).
    review["ocr_articles"] = articles_json(issue);
    json owners = json::object();
    for (const Page& p : issue.pages)
      for (const Region& r : p.regions) owners[r.id] = opt_json(r.article_id);
    review["ocr_region_articles"] = std::move(owners);
  }
  for (const Correction& c : corrections) {
    if (c.status != Status::Active) continue;
    if (c.issue_id != issue.issue.id) continue;
    Outcome o;
    o.id = c.id;
    switch (c.kind) {
      case Kind::Field:
        if (c.field) apply_field(issue, c, o);
        break;
      case Kind::Merge:
      case Kind::Link:
        apply_merge(issue, c, o, c.kind == Kind::Link);
        break;
      case Kind::MoveRegion:
        apply_move(issue, c, o);
        break;
      case Kind::Split:
      case Kind::Unlink:
        apply_split(issue, c, o, c.kind == Kind::Unlink);
        break;
    }
    if (o.applied) ++report.applied;
    if (o.conflict) {
      ++report.conflicts;
      json k = to_json(c);
      k.erase("anchor");
      k["matched_article"] = o.article_id.empty() ? json(nullptr) : json(o.article_id);
      k["applied"] = o.applied;
      k["reason"] = o.reason;
      if (c.kind == Kind::Field) k["ocr_value"] = opt_json(o.ocr_value);
      review["conflicts"].push_back(std::move(k));
    }
    report.outcomes.push_back(std::move(o));
  }
  review["applied"] = report.applied;
  if (!corrections.empty()) {
    if (!issue.provenance.is_object()) issue.provenance = json::object();
    issue.provenance["review"] = std::move(review);
  }
  return report;
}

Result<ApplyReport> apply_corrections(Issue& issue, const fs::path& issue_dir) {
  auto store = Store::open(output_root(issue_dir, issue.issue.id), false);
  if (!store) return tl::unexpected(store.error());
  auto list = store->list(issue.issue.id);
  if (!list) return tl::unexpected(list.error());
  return apply_corrections(issue, *list);
}

Result<long long> corrections_revision(const fs::path& out, std::string_view issue_id) {
  auto store = Store::open(out, false);
  if (!store) return tl::unexpected(store.error());
  return store->revision(issue_id);
}

}  // namespace broadsheet::review
