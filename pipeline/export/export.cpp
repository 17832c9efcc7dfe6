#include "export/export.hpp"

#include <algorithm>
#include <string>

namespace broadsheet::exporter {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::Json:
      return "json";
    case Format::Alto:
      return "alto";
    case Format::Mets:
      return "mets";
    case Format::Hocr:
      return "hocr";
    case Format::Text:
      return "txt";
    case Format::Pdf:
      return "pdf";
  }
  return "json";
}

Result<std::vector<Format>> parse_formats(std::string_view csv) {
  std::vector<Format> formats{Format::Json};
  auto add = [&](Format f) {
    if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
  };
  size_t start = 0;
  while (start <= csv.size()) {
    size_t comma = csv.find(',', start);
    if (comma == std::string_view::npos) comma = csv.size();
    std::string_view word = csv.substr(start, comma - start);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    start = comma + 1;
    if (word.empty()) continue;
    if (word == "all") {
      for (Format f : kAllFormats) add(f);
      continue;
    }
    if (word == "text") word = "txt";
    auto known = std::find_if(std::begin(kAllFormats), std::end(kAllFormats),
                              [&](Format f) { return to_string(f) == word; });
    if (known == std::end(kAllFormats))
      return fail(ErrorCode::BadArguments, "export", {},
                  "unknown format '" + std::string(word) + "'",
                  "the formats are json, alto, mets, hocr, txt, pdf or all, separated by commas");
    add(*known);
  }
  return formats;
}

std::string page_stem(const Page& page) {
  std::string stem = std::filesystem::path(page.image).stem().string();
  if (stem.empty()) stem = "page-" + std::to_string(page.page);
  if (auto frame = page_frame(page)) stem += "-f" + std::to_string(*frame + 1);
  if (auto half = page.extra.find("fold_half");
      half != page.extra.end() && half->is_number_integer())
    stem += "-" + std::to_string(half->get<int>() + 1);
  return stem;
}

std::string alto_file_name(const Page& page) {
  return page_stem(page) + ".alto.xml";
}
std::string hocr_file_name(const Page& page) {
  return page_stem(page) + ".hocr";
}

}  // namespace broadsheet::exporter
