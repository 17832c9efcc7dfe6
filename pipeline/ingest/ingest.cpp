#include "ingest/ingest.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <system_error>
#include <tuple>

#include <leptonica/allheaders.h>

namespace broadsheet::ingest {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool is_page_image(const fs::path& path) {
  static const char* const kEndings[] = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2", ".pdf"};
  const std::string ext = lower(path.extension().string());
  return std::any_of(std::begin(kEndings), std::end(kEndings),
                     [&](const char* e) { return ext == e; });
}

std::optional<int> page_number_from_name(std::string_view stem) {
  size_t end = stem.size();
  while (end > 0 && !std::isdigit(static_cast<unsigned char>(stem[end - 1]))) --end;
  if (end == 0) return std::nullopt;
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(stem[begin - 1]))) --begin;
  // Keep the last 6 digits at most: a date-like run must not overflow.
  begin = std::max(begin, end > 6 ? end - 6 : 0);
  return std::stoi(std::string(stem.substr(begin, end - begin)));
}

Result<std::vector<IssueScans>> find_issues(const fs::path& root) {
  std::error_code ec;
  if (!fs::exists(root, ec))
    return fail(ErrorCode::InputMissing, "ingest", root, "scan folder does not exist",
                "pass a folder that holds page images, e.g. `broadsheet run scans -o output`");
  if (!fs::is_directory(root, ec))
    return fail(ErrorCode::BadArguments, "ingest", root, "not a folder",
                "pass the folder that holds the scans (use `broadsheet page` for one image)");

  std::map<fs::path, std::vector<fs::path>> by_folder;
  auto options = fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(root, options, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && is_page_image(it->path()))
      by_folder[it->path().parent_path()].push_back(it->path());
  }
  if (ec)
    return fail(ErrorCode::InputUnreadable, "ingest", root, "cannot list folder: " + ec.message(),
                "check permissions");

  std::vector<IssueScans> issues;
  for (auto& [folder, files] : by_folder) {
    fs::path rel = fs::relative(folder, root, ec);
    if (ec || rel.empty() || rel == ".") rel = fs::absolute(root).lexically_normal().filename();
    if (rel.empty()) rel = fs::absolute(root).lexically_normal().parent_path().filename();
    const std::string folder_id = rel.generic_string();

    // A multi-page TIFF or PDF is an issue by itself (DESIGN.md "Scan folders and issues"). A file
    // whose pages cannot be counted stays a page here: reading it fails with the reason.
    std::vector<fs::path> singles;
    std::vector<std::pair<fs::path, int>> multis;
    std::map<std::string, int> stems;
    for (const fs::path& file : files) {
      const std::string ext = lower(file.extension().string());
      const bool may_hold_pages = ext == ".tif" || ext == ".tiff" || ext == ".pdf";
      const auto count = may_hold_pages ? count_frames(file) : Result<int>(1);
      if (count && *count > 1) {
        multis.emplace_back(file, *count);
        ++stems[file.stem().string()];
      } else {
        singles.push_back(file);
      }
    }
    for (const auto& [file, count] : multis) {
      IssueScans issue;
      issue.folder = folder;
      // The stem names the issue unless a sub-folder or another multi-page file has it already.
      const std::string stem = file.stem().string();
      const bool taken = stems[stem] > 1 || fs::is_directory(folder / stem, ec);
      issue.id = folder_id + "/" + (taken ? file.filename().string() : stem);
      for (int k = 0; k < count; ++k) issue.pages.push_back(ScanPage{file, k, count});
      issues.push_back(std::move(issue));
    }
    if (singles.empty()) continue;
    IssueScans issue;
    issue.folder = folder;
    issue.id = folder_id;
    std::sort(singles.begin(), singles.end(), [](const fs::path& a, const fs::path& b) {
      const auto na = page_number_from_name(a.stem().string());
      const auto nb = page_number_from_name(b.stem().string());
      return std::make_tuple(na.value_or(1 << 30), a.filename().string()) <
             std::make_tuple(nb.value_or(1 << 30), b.filename().string());
    });
    for (fs::path& file : singles) issue.pages.push_back(ScanPage{std::move(file), 0, 1});
    issues.push_back(std::move(issue));
  }
  std::sort(issues.begin(), issues.end(),
            [](const IssueScans& a, const IssueScans& b) { return a.id < b.id; });
  return issues;
}

Result<PageImage> load_page(const fs::path& path, const LoadOptions& options) {
  return load_page(path, 0, options);
}

Result<PageImage> load_page(const fs::path& path, int frame, const LoadOptions& options) {
  auto decoded = read_frame(path, frame, options);
  if (!decoded) return tl::unexpected(decoded.error());
  Pix* pix = decoded->pix.get();
  // pixConvertTo8 keeps the high byte of a 16-bit scan and maps 1-bit ink to 0, paper to 255.
  PixPtr gray(pixGetDepth(pix) == 8 ? pixClone(pix) : pixConvertTo8(pix, 0));
  if (!gray)
    return fail(ErrorCode::InputUnreadable, "ingest", path, "cannot convert image to gray",
                "convert the scan to 8-bit gray or RGB");

  PageImage page;
  page.path = path;
  page.frame = frame;
  page.dpi = decoded->dpi;
  page.dpi_assumed = decoded->dpi_assumed;
  page.rasterised_dpi = decoded->rasterised_dpi;
  const int gw = static_cast<int>(pixGetWidth(gray.get()));
  const int gh = static_cast<int>(pixGetHeight(gray.get()));
  page.gray.create(gh, gw, CV_8UC1);
  for (int y = 0; y < gh; ++y) {
    const l_uint32* line = pixGetData(gray.get()) + static_cast<long>(y) * pixGetWpl(gray.get());
    auto* dst = page.gray.ptr<unsigned char>(y);
    for (int x = 0; x < gw; ++x) dst[x] = static_cast<unsigned char>(GET_DATA_BYTE(line, x));
  }
  return page;
}

}  // namespace broadsheet::ingest
