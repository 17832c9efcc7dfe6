#include "reassemble/reassemble.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "core/text.hpp"
#include "reassemble/byline.hpp"
#include "reassemble/cues.hpp"
#include "reassemble/detail.hpp"
#include "reassemble/metadata.hpp"

namespace broadsheet::reassemble {

namespace {

// A part's regions in the order its text is read: reading order, but the body columns in the
// order the article's text runs (the pieces), all at the place of the first of them. Page text,
// ALTO and the PDF follow this order through ArticlePart::region_ids (core text_order).
std::vector<std::size_t> reading_sequence(const detail::Part& part, std::size_t region_count) {
  std::vector<bool> is_piece(region_count, false);
  for (const detail::Piece& piece : part.pieces)
    if (piece.region < region_count) is_piece[piece.region] = true;
  std::vector<std::size_t> sequence;
  bool pieces_done = false;
  for (std::size_t r : part.regions) {
    if (r >= region_count) continue;
    if (!is_piece[r]) {
      sequence.push_back(r);
    } else if (!pieces_done) {
      for (const detail::Piece& piece : part.pieces)
        if (std::find(sequence.begin(), sequence.end(), piece.region) == sequence.end())
          sequence.push_back(piece.region);
      pieces_done = true;
    }
  }
  return sequence;
}

using detail::Part;

// Running headers and mastheads are short; a region longer than this is not one.
constexpr std::size_t kMaxHeaderChars = 200;
// Without a masthead region, the metadata is looked for in the first lines of page 1's text.
constexpr std::size_t kMastheadLines = 12;

std::vector<std::string> split_paragraphs(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find('\n', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string first_lines(const std::string& s, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t k = 0; k < n && at != std::string::npos; ++k) {
    at = s.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  return at == std::string::npos ? s : s.substr(0, at);
}

/// Issue metadata and printed page numbers (scan order → printed number).
std::vector<int> read_metadata(Issue& issue, const std::vector<std::size_t>& scan_order,
                               const Options& options) {
  IssueHeader merged;
  auto take = [](auto& into, const auto& from) {
    if (!into && from) into = from;
  };
  auto merge = [&](const IssueHeader& h) {
    take(merged.newspaper, h.newspaper);
    take(merged.newspaper_latin, h.newspaper_latin);
    take(merged.organ, h.organ);
    take(merged.publisher, h.publisher);
    take(merged.serial, h.serial);
    take(merged.date, h.date);
    take(merged.weekday, h.weekday);
    take(merged.lunar_date, h.lunar_date);
    take(merged.number, h.number);
    take(merged.page_count, h.page_count);
  };

  std::vector<std::optional<int>> found(scan_order.size());
  std::vector<bool> front(scan_order.size(), false);
  std::vector<IssueHeader> headers;
  for (std::size_t k = 0; k < scan_order.size(); ++k) {
    const Page& page = issue.pages[scan_order[k]];
    std::string masthead;
    for (const Region& r : page.regions) {
      if (r.kind == RegionKind::Masthead) {
        masthead += r.text + "\n";
        front[k] = true;
      }
    }
    if (!masthead.empty()) merge(parse_issue_header(masthead));
    for (const Region& r : page.regions) {
      if (r.kind != RegionKind::Header || r.text.size() > kMaxHeaderChars * 4) continue;
      const IssueHeader h = parse_issue_header(r.text);
      if (!found[k] && h.page) found[k] = h.page;
      headers.push_back(h);
    }
    // The first scan with no running header is the front page, masthead read or not.
    if (k == 0 && !found[k]) front[k] = true;
    if (page.regions.empty() && k == 0) {
      // No layout (a whole-page reading): the masthead is the top of page 1's text.
      const IssueHeader h = parse_issue_header(first_lines(page.text, kMastheadLines));
      merge(h);
    }
  }
  // The paper's name, the date and the weekday are printed on every page: a vote over the
  // masthead and the running headers outlasts a misread one.
  auto vote = [&](std::optional<std::string>& into, auto field) {
    std::map<std::string, int> count;
    std::vector<std::string> order;
    if (into) {
      ++count[*into];
      order.push_back(*into);
    }
    for (const IssueHeader& h : headers) {
      const std::optional<std::string>& v = h.*field;
      if (!v) continue;
      if (count[*v]++ == 0) order.push_back(*v);
    }
    for (const std::string& v : order)
      if (!into || count[v] > count[*into]) into = v;
  };
  vote(merged.newspaper, &IssueHeader::newspaper);
  vote(merged.date, &IssueHeader::date);
  vote(merged.weekday, &IssueHeader::weekday);

  IssueInfo& info = issue.issue;
  if (merged.newspaper) info.newspaper = merged.newspaper;
  if (merged.date) info.date = merged.date;
  if (merged.weekday) info.weekday = merged.weekday;
  if (merged.lunar_date) info.lunar_date = merged.lunar_date;
  if (merged.number) info.number = merged.number;
  if (merged.page_count) info.page_count = merged.page_count;
  if (!info.extra.is_object()) info.extra = nlohmann::json::object();
  if (merged.newspaper_latin) info.extra["newspaper_latin"] = *merged.newspaper_latin;
  if (merged.serial) info.extra["serial"] = *merged.serial;
  if (merged.organ) info.extra["organ"] = *merged.organ;
  if (merged.publisher) info.extra["publisher"] = *merged.publisher;

  std::vector<int> numbers(scan_order.size());
  if (options.use_printed_page_numbers) {
    numbers = assign_page_numbers(found, front);
  } else {
    for (std::size_t k = 0; k < scan_order.size(); ++k)
      numbers[k] = issue.pages[scan_order[k]].page;
  }
  return numbers;
}

struct Chain {
  std::vector<std::size_t> parts;  ///< indices into the parts list, in reading order
};

double mean_confidence(const Issue& issue, const std::vector<Part>& parts, const Chain& chain) {
  double weighted = 0;
  double weight = 0;
  double plain = 0;
  int count = 0;
  for (std::size_t pi : chain.parts) {
    const Part& part = parts[pi];
    const Page& page = issue.pages[part.page_index];
    for (std::size_t r : part.regions) {
      const Region& region = page.regions[r];
      const double len = static_cast<double>(cues::visible_length(text::to_u32(region.text)));
      weighted += region.confidence * len;
      weight += len;
      plain += region.confidence;
      ++count;
    }
  }
  if (weight > 0) return weighted / weight;
  return count > 0 ? plain / count : 1.0;
}

void append_unique(std::vector<int>& v, int x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

Article build_article(const Issue& issue, const std::vector<Part>& parts, const Chain& chain,
                      const std::set<int>& scanned, const Options& options) {
  Article a;
  const Part& root = parts[chain.parts.front()];
  a.kind = root.kind;
  for (std::size_t pi : chain.parts) {
    if (parts[pi].headline) {
      a.headline = parts[pi].headline;
      break;
    }
  }
  a.kicker = root.kicker;
  a.subheadline = root.subheadline;
  a.section = root.section;
  a.credit = root.credit;
  for (auto it = chain.parts.rbegin(); it != chain.parts.rend(); ++it) {
    if (parts[*it].byline) {
      a.byline = surname_spelling(*parts[*it].byline);
      break;
    }
  }

  nlohmann::json missing_continuation = nlohmann::json::array();
  nlohmann::json unresolved = nlohmann::json::array();
  // Where the article comes from when its first part was not found.
  if (root.jump_in) {
    const int from = root.jump_in->page;
    if (from != root.page) {
      append_unique(a.pages, from);
      a.continuations.push_back({from, root.page, root.jump_in->marker});
      a.extra[scanned.contains(from) ? "unresolved_start" : "missing_start"] = from;
    }
  } else if (root.jump_in_unread) {
    a.extra["unresolved_start"] = nullptr;
  }

  const detail::Piece* last_piece = nullptr;
  for (std::size_t k = 0; k < chain.parts.size(); ++k) {
    const Part& part = parts[chain.parts[k]];
    append_unique(a.pages, part.page);
    // Text: a continuation goes on with the paragraph its predecessor cut, unless it opens one.
    if (!part.text.empty()) {
      const detail::Piece* first_piece = nullptr;
      for (const detail::Piece& p : part.pieces)
        if (!p.text.empty()) {
          first_piece = &p;
          break;
        }
      if (!a.text.empty() && (last_piece == nullptr || first_piece == nullptr ||
                              detail::continues_on(*last_piece, *first_piece) == false))
        a.text += "\n";
      a.text += part.text;
    }
    for (const detail::Piece& p : part.pieces)
      if (!p.text.empty()) last_piece = &p;

    ArticlePart out;
    out.page = part.page;
    out.text = part.text;
    const Page& page = issue.pages[part.page_index];
    for (std::size_t r : reading_sequence(part, page.regions.size())) {
      out.region_ids.push_back(page.regions[r].id);
      out.bbox = unite(out.bbox, page.regions[r].bbox);
    }
    a.parts.push_back(std::move(out));

    const bool linked = k + 1 < chain.parts.size();
    if (linked) {
      const Part& next = parts[chain.parts[k + 1]];
      const std::string marker = part.jump_out && part.jump_out->page == next.page
                                     ? part.jump_out->marker
                                     : jump_marker(Jump::Direction::To, next.page);
      a.continuations.push_back({part.page, next.page, marker});
    } else if (part.jump_out && part.jump_out->page != part.page) {
      // A jump nothing answered: to a page not scanned, or one where no part took it up.
      const int to = part.jump_out->page;
      const bool missing = !scanned.contains(to);
      if (missing && !options.keep_missing_continuations) continue;
      append_unique(a.pages, to);
      a.continuations.push_back({part.page, to, part.jump_out->marker});
      (missing ? missing_continuation : unresolved).push_back(to);
    } else if (part.jump_out_unread) {
      a.extra["unresolved_continuation"] = nullptr;
    }
  }
  if (!missing_continuation.empty()) a.extra["missing_continuation"] = missing_continuation;
  if (!unresolved.empty()) a.extra["unresolved_continuation"] = unresolved;
  a.paragraphs = split_paragraphs(a.text);
  a.confidence = mean_confidence(issue, parts, chain);
  return a;
}

}  // namespace

Result<void> validate(const Options& options) {
  auto bad = [](const char* field, const char* range) {
    return fail(ErrorCode::BadArguments, std::string(kStageName), {},
                fmt::format("reassemble option {} must be {}", field, range));
  };
  if (!(options.headline_match_ratio > 0 && options.headline_match_ratio <= 1))
    return bad("headline_match_ratio", "in (0, 1]");
  if (!(options.kicker_size_ratio > 0 && options.kicker_size_ratio <= 1))
    return bad("kicker_size_ratio", "in (0, 1]");
  if (!(options.indent_chars > 0 && options.indent_chars < 10))
    return bad("indent_chars", "in (0, 10)");
  if (!(options.short_line_chars > 0 && options.short_line_chars < 10))
    return bad("short_line_chars", "in (0, 10)");
  if (!(options.column_gap_chars > 0 && options.column_gap_chars < 50))
    return bad("column_gap_chars", "in (0, 50)");
  return {};
}

Result<Issue> reassemble_issue(Issue issue, const Options& options) {
  if (auto ok = validate(options); !ok) return tl::unexpected(ok.error());

  // Scan order (pages may be listed in any order).
  std::vector<std::size_t> scan_order(issue.pages.size());
  std::iota(scan_order.begin(), scan_order.end(), 0);
  std::stable_sort(scan_order.begin(), scan_order.end(), [&](std::size_t a, std::size_t b) {
    return issue.pages[a].scan_index < issue.pages[b].scan_index;
  });
  const std::vector<int> numbers = read_metadata(issue, scan_order, options);
  std::set<int> scanned;
  for (std::size_t k = 0; k < scan_order.size(); ++k) {
    issue.pages[scan_order[k]].page = numbers[k];
    scanned.insert(numbers[k]);
  }

  std::vector<std::vector<Part>> by_page(scan_order.size());
  for (std::size_t k = 0; k < scan_order.size(); ++k) {
    const std::size_t pi = scan_order[k];
    Page& page = issue.pages[pi];
    for (Region& r : page.regions) r.article_id.reset();
    by_page[k] = detail::group_page(page, pi, page.page, options);
  }
  // A page that other pages' parts jump to is grouped again knowing their headlines: a
  // continuation may repeat its article's headline over its columns.
  std::map<int, std::vector<std::string>> jumped_to;
  for (const std::vector<Part>& on_page : by_page)
    for (const Part& p : on_page)
      if (p.jump_out && p.headline && p.jump_out->page != p.page)
        jumped_to[p.jump_out->page].push_back(*p.headline);
  for (std::size_t k = 0; k < scan_order.size(); ++k) {
    const Page& page = issue.pages[scan_order[k]];
    if (auto it = jumped_to.find(page.page); it != jumped_to.end())
      by_page[k] = detail::group_page(page, scan_order[k], page.page, options, it->second);
  }
  std::vector<Part> parts;
  for (std::vector<Part>& on_page : by_page)
    parts.insert(parts.end(), std::make_move_iterator(on_page.begin()),
                 std::make_move_iterator(on_page.end()));

  const std::vector<std::ptrdiff_t> next = detail::link_parts(parts, options);
  std::vector<bool> has_prev(parts.size(), false);
  for (std::ptrdiff_t n : next)
    if (n >= 0) has_prev[static_cast<std::size_t>(n)] = true;
  std::vector<Chain> chains;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (has_prev[i]) continue;
    Chain chain;
    for (std::ptrdiff_t k = static_cast<std::ptrdiff_t>(i); k >= 0;
         k = next[static_cast<std::size_t>(k)])
      chain.parts.push_back(static_cast<std::size_t>(k));
    chains.push_back(std::move(chain));
  }
  // Parts are already in reading order (scan order, then first region); roots keep it.

  issue.articles.clear();
  for (const Chain& chain : chains) {
    Article a = build_article(issue, parts, chain, scanned, options);
    a.id = fmt::format("a{}", issue.articles.size() + 1);
    for (std::size_t pi : chain.parts) {
      Page& page = issue.pages[parts[pi].page_index];
      for (std::size_t r : parts[pi].regions) page.regions[r].article_id = a.id;
    }
    issue.articles.push_back(std::move(a));
  }
  for (Page& page : issue.pages) page.text = ordered_page_text(page, issue.articles);
  return issue;
}

}  // namespace broadsheet::reassemble
