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

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

}  // namespace

bool is_page_image(const fs::path& path) {
  static const char* const kEndings[] = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2"};
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
    IssueScans issue;
    issue.folder = folder;
    fs::path rel = fs::relative(folder, root, ec);
    if (ec || rel.empty() || rel == ".") rel = fs::absolute(root).lexically_normal().filename();
    if (rel.empty()) rel = fs::absolute(root).lexically_normal().parent_path().filename();
    issue.id = rel.generic_string();
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
      const auto na = page_number_from_name(a.stem().string());
      const auto nb = page_number_from_name(b.stem().string());
      return std::make_tuple(na.value_or(1 << 30), a.filename().string()) <
             std::make_tuple(nb.value_or(1 << 30), b.filename().string());
    });
    issue.pages = std::move(files);
    issues.push_back(std::move(issue));
  }
  std::sort(issues.begin(), issues.end(),
            [](const IssueScans& a, const IssueScans& b) { return a.id < b.id; });
  return issues;
}

Result<PageImage> load_page(const fs::path& path, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return fail(ErrorCode::InputMissing, "ingest", path, "file does not exist", "check the path");
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0)
    return fail(ErrorCode::InputUnreadable, "ingest", path, "cannot decode image (file is empty)",
                "re-scan or remove the file");

  if (std::FILE* f = std::fopen(path.c_str(), "rb"); f != nullptr) {
    std::fclose(f);
  } else {
    const int err = errno;
    return fail(ErrorCode::InputUnreadable, "ingest", path,
                std::string("cannot open the file (") + std::strerror(err) + ")",
                err == EACCES ? "give this user read permission (chmod a+r) and run again"
                              : "check the file and run again");
  }

  // Read the header first so that a file claiming an absurd size is refused before allocation.
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeader(path.c_str(), &format, &w, &h, &bps, &spp, &iscmap) != 0)
    return fail(ErrorCode::InputUnreadable, "ingest", path,
                "cannot decode image (not a supported image file)",
                "check that it is a TIFF, PNG, JPEG or JPEG 2000 scan");
  if (static_cast<long long>(w) * h > options.max_pixels)
    return fail(ErrorCode::InputRejected, "ingest", path,
                "image claims " + std::to_string(w) + "x" + std::to_string(h) +
                    " pixels, more than this build accepts",
                "check the file; scans of a newspaper page are below 20000x20000 px");
  if (w < options.min_side_px || h < options.min_side_px)
    return fail(ErrorCode::InputRejected, "ingest", path,
                "image is only " + std::to_string(w) + "x" + std::to_string(h) + " pixels",
                "this is not a page scan; remove it from the folder");

  PixPtr pix(pixRead(path.c_str()));
  if (!pix)
    return fail(ErrorCode::InputUnreadable, "ingest", path, "cannot decode image (damaged file?)",
                "re-scan or remove the file");
  PixPtr gray(pixConvertTo8(pix.get(), 0));
  if (!gray)
    return fail(ErrorCode::InputUnreadable, "ingest", path, "cannot convert image to gray",
                "convert the scan to 8-bit gray or RGB");

  PageImage page;
  page.path = path;
  const l_int32 xres = pixGetXRes(pix.get());
  if (xres < 70 || xres > 1200) {
    page.dpi = options.assumed_dpi;
    page.dpi_assumed = true;
  } else {
    page.dpi = xres;
  }
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
