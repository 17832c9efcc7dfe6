// hOCR 1.2 of one page, serialised as XHTML (an XML parser reads it; so does a browser).
//
// div.ocr_page > one element per region in reading order: div.ocr_carea > p.ocr_par >
// span.ocr_line > span.ocrx_word for text, div.ocr_photo / div.ocr_image for pictures. Words are
// the same runs as the ALTO Strings (layout.hpp split_runs) and are written with nothing between
// them unless the text had a space there, so text extraction gives back the line without
// inventing spaces between Chinese characters. Element ids are the ALTO block ids. A word of a
// line with recognized characters holds one span.ocrx_cinfo per character (x_bboxes, x_conf).

#include <cmath>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "export/export.hpp"
#include "export/layout.hpp"
#include "export/xml.hpp"

namespace broadsheet::exporter {

namespace {

using detail::xml_attr;
using detail::xml_text;

// hOCR boxes are corners: x0 y0 x1 y1.
std::string bbox(const Box& b) {
  return fmt::format("bbox {} {} {} {}", b.x, b.y, b.x + b.w, b.y + b.h);
}

long long wconf(double confidence) {
  return std::lround(detail::unit_confidence(confidence) * 100);
}

// Line class by region kind, as Tesseract's hOCR renderer and the readers built for it
// (ocrmypdf's hocrtransform, hocr-tools) use them: ocr_header for a heading line, ocr_caption
// for a caption line, ocr_line for the rest.
std::string_view line_class(RegionKind kind) {
  switch (kind) {
    case RegionKind::Headline:
    case RegionKind::Kicker:
    case RegionKind::Subheadline:
      return "ocr_header";
    case RegionKind::Caption:
      return "ocr_caption";
    default:
      return "ocr_line";
  }
}

void append_text_region(std::string& out, const Page& page, const Region& region,
                        const std::string& id, detail::IdRegistry& ids) {
  const Box region_box = detail::clamp_to_page(region.bbox, page);
  out += "   <div class=\"ocr_carea\" id=\"" + id + "\" title=\"" + bbox(region_box) + "\">\n";
  const auto lines = detail::text_lines(region);
  std::string body;
  int line_number = 0;
  for (const Line& line : lines) {
    const Box line_box = detail::clamp_to_page(line.bbox, page);
    const auto runs = detail::split_runs(line.text, line_box, region.direction);
    if (runs.empty()) continue;
    const std::string line_id = ids.claim(id + "-l" + std::to_string(++line_number));
    const long long conf = wconf(line.confidence);
    fmt::format_to(std::back_inserter(body),
                   "     <span class=\"{}\" id=\"{}\" title=\"{}; x_wconf {}\">",
                   line_class(region.kind), line_id, bbox(line_box), conf);
    const auto glyphs = detail::glyphs_of_runs(line, runs);
    int word_number = 0;
    for (size_t k = 0; k < runs.size(); ++k) {
      const auto& run = runs[k];
      if (run.space_before) body += ' ';
      fmt::format_to(
          std::back_inserter(body), "<span class=\"ocrx_word\" id=\"{}\" title=\"{}; x_wconf {}\">",
          ids.claim(line_id + "-w" + std::to_string(++word_number)), bbox(run.box), conf);
      if (glyphs.empty()) {
        body += xml_text(run.text);
      } else {
        // Tesseract's hocr_char_boxes form: one ocrx_cinfo per character, its box and confidence.
        for (const Glyph& g : glyphs[k]) {
          const Box b = detail::clamp_to_page(g.bbox, page);
          fmt::format_to(
              std::back_inserter(body),
              "<span class=\"ocrx_cinfo\" title=\"x_bboxes {} {} {} {}; x_conf {:.1f}\">{}"
              "</span>",
              b.x, b.y, b.x + b.w, b.y + b.h, detail::unit_confidence(g.confidence) * 100,
              xml_text(g.text));
        }
      }
      body += "</span>";
    }
    body += "</span>\n";
  }
  if (!body.empty()) {
    out += "    <p class=\"ocr_par\" id=\"" + ids.claim(id + "-par") + "\"";
    // Vertical Chinese: CSS writing-mode, so a browser lays the lines out as printed (columns
    // from right to left); hOCR itself has no property for it (textangle would mean rotated).
    if (region.direction == Direction::Vertical) out += " style=\"writing-mode: vertical-rl\"";
    out += " title=\"" + bbox(region_box) + "\">\n" + body + "    </p>\n";
  }
  out += "   </div>\n";
}

}  // namespace

std::string to_hocr(const Issue& issue, const Page& page, std::string_view image_href) {
  const std::vector<std::string> block_ids = detail::block_ids(page);
  detail::IdRegistry ids;
  for (const auto& id : block_ids) (void)ids.claim(id);

  std::string system = "broadsheet";
  if (auto v = detail::provenance_string(issue, "broadsheet"); !v.empty()) system += " " + v;
  if (auto v = detail::provenance_string(issue, "tesseract"); !v.empty())
    system += " with Tesseract " + v;

  std::string title = issue.issue.newspaper.value_or(issue.issue.id);
  if (issue.issue.date) title += " " + *issue.issue.date;
  title += " page " + std::to_string(page.page);

  std::string out;
  out.reserve(4096 + page.text.size() * 40);
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE html>\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
      " <head>\n"
      "  <title>" +
      xml_text(title) +
      "</title>\n"
      "  <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"/>\n"
      "  <meta name=\"ocr-system\" content=\"" +
      xml_attr(system) +
      "\"/>\n"
      "  <meta name=\"ocr-capabilities\" content=\"ocr_page ocr_carea ocr_par ocr_line "
      "ocrx_word ocr_header ocr_caption ocr_photo ocr_image\"/>\n"
      " </head>\n"
      " <body>\n";

  // ppageno is 0-based and counts scans (the two halves of a fold share one); lpageno is the
  // printed page number.
  const Box page_box{0, 0, std::max(page.width, 0), std::max(page.height, 0)};
  out += "  <div class=\"ocr_page\" id=\"" + ids.claim("page-" + std::to_string(page.page)) +
         "\" title=\"" +
         xml_attr(fmt::format("image \"{}\"; {}; ppageno {}; lpageno {}", image_href,
                              bbox(page_box), page.scan_index, page.page)) +
         "\">\n";
  for (size_t i : text_order(page, issue.articles)) {  // article by article, as page text
    const Region& region = page.regions[i];
    if (detail::is_picture(region)) {
      out += "   <div class=\"";
      out += region.kind == RegionKind::Photo ? "ocr_photo" : "ocr_image";
      out += "\" id=\"" + block_ids[i] + "\" title=\"" +
             bbox(detail::clamp_to_page(region.bbox, page)) + "\"></div>\n";
    } else {
      append_text_region(out, page, region, block_ids[i], ids);
    }
  }
  out += "  </div>\n </body>\n</html>\n";
  return out;
}

}  // namespace broadsheet::exporter
