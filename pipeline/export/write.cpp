#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/issue_json.hpp"
#include "export/export.hpp"

namespace broadsheet::exporter {

namespace fs = std::filesystem;

std::string image_href(const Page& page, const fs::path& scan_dir, const fs::path& issue_dir) {
  if (scan_dir.empty() || issue_dir.empty()) return fs::path(page.image).filename().string();
  std::error_code ec;
  const fs::path from = fs::weakly_canonical(issue_dir, ec);
  const fs::path to = fs::weakly_canonical(scan_dir / page.image, ec);
  if (ec) return (scan_dir / page.image).string();
  fs::path rel = to.lexically_relative(from);
  return rel.empty() ? to.string() : rel.generic_string();
}

Result<void> write_formats(const Issue& given, const fs::path& issue_dir, const fs::path& scan_dir,
                           std::span<const Format> formats, const PdfOptions& pdf) {
  // Lines, regions and page text as corrected: what ALTO, hOCR and the PDF print.
  const Issue issue = with_corrections_in_lines(given);
  std::optional<Error> first;
  auto keep = [&](Result<void> r) {
    if (!r && !first) first = r.error();
  };
  auto wants = [&](Format f) {
    return std::find(formats.begin(), formats.end(), f) != formats.end();
  };

  std::vector<std::string> hrefs;
  for (const Page& page : issue.pages) hrefs.push_back(image_href(page, scan_dir, issue_dir));

  for (size_t i = 0; i < issue.pages.size(); ++i) {
    const Page& page = issue.pages[i];
    if (wants(Format::Alto))
      keep(write_file_atomic(issue_dir / alto_file_name(page), to_alto(issue, page, hrefs[i])));
    if (wants(Format::Hocr))
      keep(write_file_atomic(issue_dir / hocr_file_name(page), to_hocr(issue, page, hrefs[i])));
  }
  if (wants(Format::Mets))
    keep(write_file_atomic(issue_dir / std::string(kMetsFileName), to_mets(issue, hrefs)));
  if (wants(Format::Text))
    keep(write_file_atomic(issue_dir / std::string(kTextFileName), to_text(issue)));
  if (wants(Format::Pdf)) {
    if (scan_dir.empty())
      keep(fail(
          ErrorCode::InputMissing, "export", issue_dir,
          "the searchable PDF needs the scans, and this issue.json does not say where they are",
          "name the scan folder with --scans"));
    else {
      // A page that could not be read (its scan is damaged, unreadable or refused) has nothing to
      // show: the PDF holds the pages that were read; issue.json names the others.
      Issue readable = issue;
      std::erase_if(readable.pages,
                    [](const Page& p) { return p.extra.value("status", "ok") == "failed"; });
      if (!readable.pages.empty())
        keep(write_pdf(readable, scan_dir, issue_dir / std::string(kPdfFileName), pdf));
    }
  }
  if (first) return tl::unexpected(*first);
  return {};
}

}  // namespace broadsheet::exporter
