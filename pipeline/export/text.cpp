// Plain text of the issue (issue.txt): what a reader or a full-text index wants, articles whole.
//
// Decisions:
// - Heading: the newspaper (the issue id when unknown), then one line with date, weekday, lunar
//   date and "第N期" where known. The masthead is not repeated below: issue.issue is what
//   reassemble read from it. Only when none of newspaper, date and number is known does the
//   masthead region's text stand in as the heading.
// - Articles in reading order: by their first region (page order, then region order), so an
//   article continued on a later page comes where it starts and appears once, whole.
// - Each article: headline, kicker, subheadline, byline (for a caption the credit as printed,
//   "張澤慧攝"), then the body paragraphs, one per line. Blank line between articles.
// - Regions in no article: running headers (page furniture) and photos are skipped; any other
//   region with text (an advert or notice reassemble left alone, a stray body block) is written
//   as a block of its own at its place in the reading order, so no printed text is lost.
// - Text is written as issue.json has it: nothing is inserted between characters, and characters
//   that are not text (C0 controls other than tab and newline) are dropped.

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/text.hpp"
#include "export/export.hpp"
#include "export/layout.hpp"
#include "export/xml.hpp"

namespace broadsheet::exporter {

namespace {

// Text as written to the file: XML-forbidden code points are exactly the controls that do not
// belong in text either; CR goes, so line ends are LF only.
std::string clean(std::string_view utf8) {
  std::u32string chars = detail::xml_chars(utf8);
  std::erase(chars, U'\r');
  return text::to_utf8(chars);
}

bool blank(std::string_view utf8) {
  for (char32_t c : detail::xml_chars(utf8))
    if (!text::is_space(c)) return false;
  return true;
}

void add_line(std::string& block, const std::optional<std::string>& field) {
  if (!field || blank(*field)) return;
  block += clean(*field);
  block += '\n';
}

std::string article_block(const Article& article) {
  std::string block;
  add_line(block, article.headline);
  add_line(block, article.kicker);
  add_line(block, article.subheadline);
  add_line(block, article.credit ? article.credit : article.byline);
  std::string body = article.text;
  if (blank(body)) {
    body.clear();
    for (const auto& paragraph : article.paragraphs) body += paragraph + "\n";
  }
  if (blank(body)) {
    body.clear();
    for (const auto& part : article.parts) body += part.text + "\n";
  }
  if (!blank(body)) {
    block += clean(body);
    while (!block.empty() && (block.back() == '\n' || block.back() == ' ')) block.pop_back();
    block += '\n';
  }
  return block;
}

std::string region_block(const Region& region) {
  std::string block;
  for (const Line& line : detail::text_lines(region)) block += clean(line.text) + "\n";
  return block;
}

std::string heading(const Issue& issue) {
  const IssueInfo& info = issue.issue;
  std::string out;
  if (!info.newspaper && !info.date && !info.number) {
    for (const Page& page : issue.pages)
      for (const Region& region : page.regions)
        if (region.kind == RegionKind::Masthead) out += region_block(region);
    if (!out.empty()) return out;
  }
  out = clean(info.newspaper.value_or(info.id)) + "\n";
  std::string second;
  auto add = [&](const std::string& s) {
    if (blank(s)) return;
    if (!second.empty()) second += ' ';
    second += clean(s);
  };
  if (info.date) add(*info.date);
  if (info.weekday) add(*info.weekday);
  if (info.lunar_date) add(*info.lunar_date);
  if (info.number) add("第" + std::to_string(*info.number) + "期");
  if (!second.empty()) out += second + "\n";
  return out;
}

}  // namespace

std::string to_text(const Issue& issue) {
  using detail::Place;
  // Regions that belong to an article, by its parts or by their article_id; the others are
  // written on their own (or skipped, see above).
  std::unordered_set<std::string> in_article;
  std::unordered_set<std::string> article_ids;
  for (const Article& article : issue.articles) {
    article_ids.insert(article.id);
    for (const auto& part : article.parts)
      for (const auto& id : part.region_ids) in_article.insert(id);
  }

  // Blocks keyed by where they start; equal keys keep their insertion order.
  std::multimap<Place, std::string> blocks;
  const auto starts = detail::article_starts(issue);
  for (size_t a = 0; a < issue.articles.size(); ++a)
    blocks.emplace(starts[a], article_block(issue.articles[a]));
  for (size_t p = 0; p < issue.pages.size(); ++p) {
    const Page& page = issue.pages[p];
    for (size_t r = 0; r < page.regions.size(); ++r) {
      const Region& region = page.regions[r];
      if (in_article.contains(region.id)) continue;
      if (region.article_id && article_ids.contains(*region.article_id)) continue;
      if (region.kind == RegionKind::Masthead || region.kind == RegionKind::Header ||
          region.kind == RegionKind::Photo)
        continue;
      std::string block = region_block(region);
      if (!block.empty()) blocks.emplace(Place{p, r}, std::move(block));
    }
  }

  std::string out = heading(issue);
  for (const auto& [place, block] : blocks) {
    if (block.empty()) continue;
    out += '\n';
    out += block;
  }
  return out;
}

}  // namespace broadsheet::exporter
