// ALTO 4.4 of one page (tests/fixtures/schemas/alto-4-4.xsd).
//
// Shape: Description (pixels, the scan's name, the software from provenance), Tags (one LayoutTag
// per region kind the page uses, referenced by TAGREFS), Layout/Page/PrintSpace holding one block
// per region in the page's region order, which is reading order: TextBlock > TextLine > String/SP
// for text (each String holding its Glyphs where the line has recognized characters), Illustration
// for photos and for adverts without text. Block IDs are the region ids
// (layout.hpp block_ids) because METS points at them.

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

void append_box(std::string& out, const Box& b) {
  fmt::format_to(std::back_inserter(out), R"( HPOS="{}" VPOS="{}" WIDTH="{}" HEIGHT="{}")", b.x,
                 b.y, b.w, b.h);
}

void append_description(std::string& out, const Issue& issue, std::string_view image_href,
                        std::string& processing_refs) {
  out += "  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n";
  out += "    <sourceImageInformation>\n      <fileName>";
  out += xml_text(image_href);
  out += "</fileName>\n    </sourceImageInformation>\n";

  // Processing (not the deprecated OCRProcessing): the OCR engine, then broadsheet, which did the
  // layout analysis, the normalisation and the reassembly.
  const std::string tesseract = detail::provenance_string(issue, "tesseract");
  if (!tesseract.empty()) {
    std::string model;
    if (auto m = issue.provenance.find("model"); m != issue.provenance.end() && m->is_object() &&
                                                 m->contains("language") &&
                                                 (*m)["language"].is_string())
      model = (*m)["language"].get<std::string>();
    out += "    <Processing ID=\"proc-ocr\">\n";
    out += "      <processingCategory>contentGeneration</processingCategory>\n";
    out += "      <processingStepDescription>text recognition</processingStepDescription>\n";
    if (!model.empty())
      out +=
          "      <processingStepSettings>model " + xml_text(model) + "</processingStepSettings>\n";
    out += "      <processingSoftware>\n        <softwareName>Tesseract</softwareName>\n";
    out += "        <softwareVersion>" + xml_text(tesseract) + "</softwareVersion>\n";
    out += "      </processingSoftware>\n    </Processing>\n";
    processing_refs = "proc-ocr ";
  }
  const std::string broadsheet = detail::provenance_string(issue, "broadsheet");
  out += "    <Processing ID=\"proc-broadsheet\">\n";
  out += "      <processingCategory>contentGeneration</processingCategory>\n";
  out +=
      "      <processingStepDescription>layout analysis, text normalisation and article "
      "reassembly</processingStepDescription>\n";
  out += "      <processingSoftware>\n        <softwareName>broadsheet</softwareName>\n";
  if (!broadsheet.empty())
    out += "        <softwareVersion>" + xml_text(broadsheet) + "</softwareVersion>\n";
  out += "      </processingSoftware>\n    </Processing>\n  </Description>\n";
  processing_refs += "proc-broadsheet";
}

void append_text_block(std::string& out, const Page& page, const Region& region,
                       const std::string& id, const std::string& tag, detail::IdRegistry& ids) {
  out += "        <TextBlock ID=\"" + id + "\" TAGREFS=\"" + tag + "\"";
  append_box(out, detail::clamp_to_page(region.bbox, page));
  // ALTO 4.3+ BASEDIRECTION is the inline direction of the block's lines in the CSS writing-mode
  // sense: "ttb" for a vertical Chinese block, whose glyphs stand upright and run top to bottom.
  // ROTATION would be wrong: it says the content is turned, which vertical type is not. The
  // right-to-left progression of vertical lines has no attribute; the TextLine order carries it.
  // Horizontal blocks keep the default (ltr) unstated.
  if (region.direction == Direction::Vertical) out += " BASEDIRECTION=\"ttb\"";
  out += ">\n";
  int line_number = 0;
  for (const Line& line : detail::text_lines(region)) {
    const Box line_box = detail::clamp_to_page(line.bbox, page);
    const auto runs = detail::split_runs(line.text, line_box, region.direction);
    if (runs.empty()) continue;  // a TextLine must hold at least one String
    const std::string line_id = ids.claim(id + "-l" + std::to_string(++line_number));
    out += "          <TextLine ID=\"" + line_id + "\"";
    append_box(out, line_box);
    out += ">\n";
    const std::string wc = fmt::format("{:.2f}", detail::unit_confidence(line.confidence));
    const auto glyphs = detail::glyphs_of_runs(line, runs);
    int string_number = 0;
    for (size_t k = 0; k < runs.size(); ++k) {
      const auto& run = runs[k];
      if (run.space_before) {
        out += "            <SP";
        append_box(out, run.space);
        out += "/>\n";
      }
      out += "            <String ID=\"" +
             ids.claim(line_id + "-s" + std::to_string(++string_number)) + "\" CONTENT=\"" +
             xml_attr(run.text) + "\"";
      append_box(out, run.box);
      out += " WC=\"" + wc + "\"";
      if (glyphs.empty()) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      for (const Glyph& g : glyphs[k]) {
        out += "              <Glyph CONTENT=\"" + xml_attr(g.text) + "\"";
        append_box(out, detail::clamp_to_page(g.bbox, page));
        fmt::format_to(std::back_inserter(out), R"( GC="{:.2f}"/>)",
                       detail::unit_confidence(g.confidence));
        out += "\n";
      }
      out += "            </String>\n";
    }
    out += "          </TextLine>\n";
  }
  out += "        </TextBlock>\n";
}

}  // namespace

std::string to_alto(const Issue& issue, const Page& page, std::string_view image_href) {
  const std::vector<std::string> block_ids = detail::block_ids(page);
  detail::IdRegistry ids;
  for (const auto& id : block_ids) (void)ids.claim(id);

  std::string out;
  out.reserve(4096 + page.text.size() * 40);
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v4# "
      "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd\" SCHEMAVERSION=\"4.4\">\n";
  std::string processing_refs;
  append_description(out, issue, image_href, processing_refs);

  // Tags in the fixed order of RegionKind, only the kinds this page uses. Tag IDs are claimed
  // after the block IDs, so a region called "tag-body" keeps its name and the tag moves aside.
  bool used[std::size(kAllRegionKinds)] = {};
  for (const Region& region : page.regions) used[static_cast<size_t>(region.kind)] = true;
  std::string tag_ids[std::size(kAllRegionKinds)];
  std::string tags;
  for (RegionKind kind : kAllRegionKinds) {
    if (!used[static_cast<size_t>(kind)]) continue;
    std::string& tag = tag_ids[static_cast<size_t>(kind)];
    tag = ids.claim("tag-" + std::string(to_string(kind)));
    tags += "    <LayoutTag ID=\"" + tag + "\" TYPE=\"region kind\" LABEL=\"" +
            std::string(to_string(kind)) + "\"/>\n";
  }
  if (!tags.empty()) out += "  <Tags>\n" + tags + "  </Tags>\n";

  const std::string page_id = ids.claim("page-" + std::to_string(page.page));
  out += "  <Layout>\n    <Page ID=\"" + page_id + "\"";
  fmt::format_to(std::back_inserter(out), R"( PHYSICAL_IMG_NR="{}" PRINTED_IMG_NR="{}")",
                 page.scan_index + 1, page.page);
  if (page.width > 0 && page.height > 0)
    fmt::format_to(std::back_inserter(out), R"( WIDTH="{}" HEIGHT="{}")", page.width, page.height);
  out += " PROCESSINGREFS=\"" + processing_refs + "\">\n";

  // PrintSpace: the union of the regions (the whole page when there are none).
  Box print{0, 0, page.width, page.height};
  if (!page.regions.empty()) {
    Box all;
    for (const Region& region : page.regions) all = unite(all, region.bbox);
    print = detail::clamp_to_page(all, page);
  }
  out += "      <PrintSpace";
  if (!print.empty()) append_box(out, print);  // unknown for a page that failed
  out += ">\n";

  // Blocks in the order the page is read: article by article (core text_order).
  for (size_t i : text_order(page, issue.articles)) {
    const Region& region = page.regions[i];
    if (detail::is_picture(region)) {
      out += "        <Illustration ID=\"" + block_ids[i] + "\" TYPE=\"" +
             std::string(to_string(region.kind)) + "\"";
      out += " TAGREFS=\"" + tag_ids[static_cast<size_t>(region.kind)] + "\"";
      append_box(out, detail::clamp_to_page(region.bbox, page));
      out += "/>\n";
    } else {
      append_text_block(out, page, region, block_ids[i], tag_ids[static_cast<size_t>(region.kind)],
                        ids);
    }
  }
  out += "      </PrintSpace>\n    </Page>\n  </Layout>\n</alto>\n";
  return out;
}

}  // namespace broadsheet::exporter
