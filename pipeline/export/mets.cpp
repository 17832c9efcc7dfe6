// METS 1.12 of the issue (tests/fixtures/schemas/mets-1-12-1.xsd).
//
// Decisions:
// - Deterministic: the same Issue gives the same bytes, so a re-run that changes nothing rewrites
//   nothing and tests can compare files. metsHdr CREATEDATE is therefore taken from
//   provenance["created"] when that is an xsd:dateTime, and left out otherwise (it is optional);
//   never the clock.
// - Descriptive metadata: one dmdSec with a minimal MODS record (title, date issued, issue number,
//   the issue id). xmlData is processContents="lax" and no schemaLocation is given for MODS, so
//   the document validates against the METS schema alone.
// - Files: fileGrp IMAGE lists each scan once — the two halves of a fold share their scan, and
//   both page divs point at the same file; fileGrp ALTO one file per page.
// - Physical map: issue > page (ORDER = position in the issue, ORDERLABEL = printed number), each
//   page pointing at its scan and its ALTO.
// - Logical map: issue > one div per article (TYPE article / caption / notice / advert, LABEL the
//   headline) in reading order > one div TYPE="part" per ArticlePart (one per page, in order),
//   whose fptr holds a seq of areas: FILEID the ALTO file of the page the region is on, BEGIN the
//   region's ALTO block ID (BETYPE IDREF). An article continued across pages is one div.
// - IDs are xsd:IDs (xml_id) and unique in the document (IdRegistry).

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "export/export.hpp"
#include "export/layout.hpp"
#include "export/xml.hpp"

namespace broadsheet::exporter {

namespace {

using detail::xml_attr;
using detail::xml_id;
using detail::xml_text;

std::string mime_type(std::string_view href) {
  std::string ext = std::filesystem::path(href).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".png") return "image/png";
  if (ext == ".tif" || ext == ".tiff") return "image/tiff";
  if (ext == ".jp2") return "image/jp2";
  if (ext == ".pdf") return "application/pdf";
  return {};
}

// xsd:dateTime, lexically: YYYY-MM-DDThh:mm:ss, optional fraction, optional Z or ±hh:mm.
bool is_date_time(std::string_view s) {
  auto digits = [&](size_t from, size_t n) {
    if (from + n > s.size()) return false;
    for (size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!(digits(0, 4) && s.size() >= 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' &&
        digits(8, 2) && s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) &&
        s[16] == ':' && digits(17, 2)))
    return false;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(i, 1)) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  return (s[i] == '+' || s[i] == '-') && i + 6 == s.size() && digits(i + 1, 2) && s[i + 3] == ':' &&
         digits(i + 4, 2);
}

// A LABEL for an article without a headline (a caption): the start of its text.
std::string article_label(const Article& article) {
  if (article.headline && !article.headline->empty()) return *article.headline;
  std::u32string text = text::to_u32(article.text);
  std::replace(text.begin(), text.end(), U'\n', U' ');
  constexpr size_t kMax = 24;
  if (text.size() > kMax) text = text.substr(0, kMax) + U"…";
  return text::to_utf8(text);
}

void append_mods(std::string& out, const Issue& issue) {
  const IssueInfo& info = issue.issue;
  out += "  <mets:dmdSec ID=\"dmd-issue\">\n";
  out += "    <mets:mdWrap MDTYPE=\"MODS\">\n      <mets:xmlData>\n";
  out += "        <mods:mods xmlns:mods=\"http://www.loc.gov/mods/v3\">\n";
  if (info.newspaper)
    out += "          <mods:titleInfo><mods:title>" + xml_text(*info.newspaper) +
           "</mods:title></mods:titleInfo>\n";
  if (auto latin = info.extra.find("newspaper_latin");
      latin != info.extra.end() && latin->is_string())
    out += "          <mods:titleInfo type=\"alternative\"><mods:title>" +
           xml_text(latin->get<std::string>()) + "</mods:title></mods:titleInfo>\n";
  out += "          <mods:typeOfResource>text</mods:typeOfResource>\n";
  if (info.date)
    out += "          <mods:originInfo><mods:dateIssued encoding=\"iso8601\">" +
           xml_text(*info.date) + "</mods:dateIssued></mods:originInfo>\n";
  if (info.number)
    out += "          <mods:part><mods:detail type=\"issue\"><mods:number>" +
           std::to_string(*info.number) + "</mods:number></mods:detail></mods:part>\n";
  out += "          <mods:identifier type=\"local\">" + xml_text(info.id) + "</mods:identifier>\n";
  out += "        </mods:mods>\n      </mets:xmlData>\n    </mets:mdWrap>\n  </mets:dmdSec>\n";
}

}  // namespace

std::string to_mets(const Issue& issue, std::span<const std::string> image_hrefs) {
  const IssueInfo& info = issue.issue;
  detail::IdRegistry ids;
  (void)ids.claim("dmd-issue");

  // Files: one image per distinct scan, one ALTO per page.
  std::vector<std::string> page_image_id(issue.pages.size());
  std::vector<std::string> page_alto_id(issue.pages.size());
  std::vector<std::vector<std::string>> page_block_ids(issue.pages.size());
  std::map<std::string, std::string> image_id_of;  // href → file ID
  std::string images;
  std::string altos;
  for (size_t p = 0; p < issue.pages.size(); ++p) {
    const Page& page = issue.pages[p];
    const std::string href = p < image_hrefs.size() ? image_hrefs[p] : page.image;
    auto [it, fresh] = image_id_of.try_emplace(href);
    if (fresh) {
      it->second = ids.claim(xml_id("img-" + std::filesystem::path(href).stem().string()));
      images += "      <mets:file ID=\"" + it->second + "\"";
      if (auto mime = mime_type(href); !mime.empty()) images += " MIMETYPE=\"" + mime + "\"";
      images += ">\n        <mets:FLocat LOCTYPE=\"URL\" xlink:href=\"" + xml_attr(href) +
                "\"/>\n      </mets:file>\n";
    }
    page_image_id[p] = it->second;
    page_alto_id[p] = ids.claim(xml_id("alto-" + page_stem(page)));
    altos += "      <mets:file ID=\"" + page_alto_id[p] + "\" MIMETYPE=\"text/xml\">\n";
    altos += "        <mets:FLocat LOCTYPE=\"URL\" xlink:href=\"" + xml_attr(alto_file_name(page)) +
             "\"/>\n      </mets:file>\n";
    page_block_ids[p] = detail::block_ids(page);
  }

  std::string label = info.newspaper.value_or(info.id);
  if (info.date) label += " " + *info.date;

  std::string out;
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.loc.gov/METS/ "
      "http://www.loc.gov/standards/mets/version1121/mets.xsd\" OBJID=\"" +
      xml_attr(info.id) + "\" TYPE=\"newspaper issue\" LABEL=\"" + xml_attr(label) + "\">\n";

  out += "  <mets:metsHdr";
  if (auto created = detail::provenance_string(issue, "created"); is_date_time(created))
    out += " CREATEDATE=\"" + created + "\"";
  std::string software = "broadsheet";
  if (auto v = detail::provenance_string(issue, "broadsheet"); !v.empty()) software += " " + v;
  out += ">\n    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\">\n";
  out += "      <mets:name>" + xml_text(software) + "</mets:name>\n    </mets:agent>\n";
  out += "  </mets:metsHdr>\n";

  append_mods(out, issue);

  out += "  <mets:fileSec>\n";
  out += "    <mets:fileGrp USE=\"IMAGE\">\n" + images + "    </mets:fileGrp>\n";
  out += "    <mets:fileGrp USE=\"ALTO\">\n" + altos + "    </mets:fileGrp>\n";
  out += "  </mets:fileSec>\n";

  // Physical structure.
  out += "  <mets:structMap TYPE=\"PHYSICAL\">\n";
  out += "    <mets:div ID=\"" + ids.claim("phys-issue") + "\" TYPE=\"issue\" LABEL=\"" +
         xml_attr(label) + "\">\n";
  for (size_t p = 0; p < issue.pages.size(); ++p) {
    const Page& page = issue.pages[p];
    fmt::format_to(std::back_inserter(out),
                   "      <mets:div ID=\"{}\" TYPE=\"page\" ORDER=\"{}\" ORDERLABEL=\"{}\">\n",
                   ids.claim(xml_id("phys-" + page_stem(page))), p + 1, page.page);
    out += "        <mets:fptr FILEID=\"" + page_image_id[p] + "\"/>\n";
    out += "        <mets:fptr FILEID=\"" + page_alto_id[p] + "\"/>\n";
    out += "      </mets:div>\n";
  }
  out += "    </mets:div>\n  </mets:structMap>\n";

  // Logical structure.
  const auto places = detail::region_places(issue);
  out += "  <mets:structMap TYPE=\"LOGICAL\">\n";
  out += "    <mets:div ID=\"" + ids.claim("log-issue") +
         "\" TYPE=\"issue\" DMDID=\"dmd-issue\" LABEL=\"" + xml_attr(label) + "\">\n";
  int order = 0;
  for (size_t a : detail::articles_in_reading_order(issue)) {
    const Article& article = issue.articles[a];
    const std::string article_id = ids.claim(xml_id("art-" + article.id));
    out += "      <mets:div ID=\"" + article_id + "\" TYPE=\"" +
           std::string(to_string(article.kind)) + "\" ORDER=\"" + std::to_string(++order) + "\"";
    if (auto l = article_label(article); !l.empty()) out += " LABEL=\"" + xml_attr(l) + "\"";
    out += ">\n";
    int part_number = 0;
    for (const ArticlePart& part : article.parts) {
      std::string areas;
      for (const auto& region_id : part.region_ids) {
        auto it = places.find(region_id);
        if (it == places.end()) continue;  // a region the pages do not have: nothing to point at
        const auto [p, r] = it->second;
        areas += "              <mets:area FILEID=\"" + page_alto_id[p] + "\" BEGIN=\"" +
                 page_block_ids[p][r] + "\" BETYPE=\"IDREF\"/>\n";
      }
      ++part_number;
      out += "        <mets:div ID=\"" +
             ids.claim(article_id + "-part" + std::to_string(part_number)) +
             "\" TYPE=\"part\" ORDER=\"" + std::to_string(part_number) + "\">\n";
      if (!areas.empty()) {
        out += "          <mets:fptr>\n            <mets:seq>\n" + areas;
        out += "            </mets:seq>\n          </mets:fptr>\n";
      } else {
        // No region of the part is known: point at the whole ALTO page, if the page is.
        for (size_t p = 0; p < issue.pages.size(); ++p)
          if (issue.pages[p].page == part.page) {
            out += "          <mets:fptr FILEID=\"" + page_alto_id[p] + "\"/>\n";
            break;
          }
      }
      out += "        </mets:div>\n";
    }
    out += "      </mets:div>\n";
  }
  out += "    </mets:div>\n  </mets:structMap>\n</mets:mets>\n";
  return out;
}

}  // namespace broadsheet::exporter
