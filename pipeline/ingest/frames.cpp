#include "ingest/frames.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

namespace broadsheet::ingest {

namespace fs = std::filesystem;

void PixDeleter::operator()(Pix* p) const {
  pixDestroy(&p);
}

namespace {

constexpr const char* kStage = "ingest";

enum class Kind { Tiff, Pdf, Other };

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// The checks every decoder needs first: there, not empty, readable. Returns the file's kind from
// its first bytes (a PDF may also be named by its ending alone: poppler then says what is wrong).
Result<Kind> open_check(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return fail(ErrorCode::InputMissing, kStage, path, "file does not exist", "check the path");
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode image (file is empty)",
                "re-scan or remove the file");
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    const int err = errno;
    return fail(ErrorCode::InputUnreadable, kStage, path,
                std::string("cannot open the file (") + std::strerror(err) + ")",
                err == EACCES ? "give this user read permission (chmod a+r) and run again"
                              : "check the file and run again");
  }
  std::array<unsigned char, 5> head{};
  const size_t n = std::fread(head.data(), 1, head.size(), f.get());
  if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0) ||
                 (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42)))
    return Kind::Tiff;
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((n >= 5 && std::memcmp(head.data(), "%PDF-", 5) == 0) || ext == ".pdf") return Kind::Pdf;
  return Kind::Other;
}

Result<void> check_size(const fs::path& path, long long w, long long h, const LoadOptions& options,
                        const std::string& what) {
  if (w * h > options.max_pixels)
    return fail(ErrorCode::InputRejected, kStage, path,
                what + " claims " + std::to_string(w) + "x" + std::to_string(h) +
                    " pixels, more than this build accepts",
                "check the file; scans of a newspaper page are below 20000x20000 px");
  if (w < options.min_side_px || h < options.min_side_px)
    return fail(ErrorCode::InputRejected, kStage, path,
                what + " is only " + std::to_string(w) + "x" + std::to_string(h) + " pixels",
                "this is not a page scan; remove it from the folder");
  return {};
}

Error out_of_range(const fs::path& path, int frame, int count) {
  return Error{ErrorCode::InputRejected, kStage, path,
               "page " + std::to_string(frame + 1) + " asked for, but the file holds " +
                   std::to_string(count) + (count == 1 ? " page" : " pages"),
               "run again so that the scan folder is read anew (the file has changed?)"};
}

// ---- TIFF ---------------------------------------------------------------------------------------

Result<int> tiff_count(const fs::path& path) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  l_int32 n = 0;
  if (!f || tiffGetCount(f.get(), &n) != 0 || n < 1)
    return fail(ErrorCode::InputUnreadable, kStage, path,
                "cannot read the TIFF's pages (damaged file?)", "re-scan or remove the file");
  return static_cast<int>(n);
}

// ---- PDF ----------------------------------------------------------------------------------------

Result<std::unique_ptr<poppler::document>> open_pdf(const fs::path& path) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (!doc)
    return fail(ErrorCode::InputUnreadable, kStage, path,
                "cannot read the PDF (damaged, truncated or not a PDF)",
                "export the scan again from the scanner software, or scan to TIFF");
  if (doc->is_locked())
    return fail(ErrorCode::InputRejected, kStage, path, "the PDF is password-protected",
                "remove the password (e.g. qpdf --decrypt IN.pdf OUT.pdf) and run again");
  if (doc->pages() < 1)
    return fail(ErrorCode::InputUnreadable, kStage, path, "the PDF holds no pages (damaged?)",
                "export the scan again from the scanner software, or scan to TIFF");
  return doc;
}

Result<Frame> read_pdf_frame(const fs::path& path, int frame, const LoadOptions& options) {
  auto doc = open_pdf(path);
  if (!doc) return tl::unexpected(doc.error());
  if (frame >= (*doc)->pages()) return tl::unexpected(out_of_range(path, frame, (*doc)->pages()));
  std::unique_ptr<poppler::page> page((*doc)->create_page(frame));
  if (!page)
    return fail(ErrorCode::InputUnreadable, kStage, path,
                "cannot read page " + std::to_string(frame + 1) + " of the PDF (damaged?)",
                "export the scan again from the scanner software, or scan to TIFF");
  // Points are 1/72 inch; the size is checked before any pixel is rendered.
  const poppler::rectf box = page->page_rect(poppler::crop_box);
  const double scale = kPdfRasterDpi / 72.0;
  const auto w = static_cast<long long>(box.width() * scale + 0.5);
  const auto h = static_cast<long long>(box.height() * scale + 0.5);
  if (auto ok = check_size(
          path, w, h, options,
          "page " + std::to_string(frame + 1) + " at " + std::to_string(kPdfRasterDpi) + " dpi");
      !ok)
    return tl::unexpected(ok.error());

  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image image = renderer.render_page(page.get(), kPdfRasterDpi, kPdfRasterDpi);
  if (!image.is_valid() || image.format() != poppler::image::format_gray8 || image.width() < 1 ||
      image.height() < 1)
    return fail(ErrorCode::InputUnreadable, kStage, path,
                "cannot render page " + std::to_string(frame + 1) + " of the PDF (damaged?)",
                "export the scan again from the scanner software, or scan to TIFF");

  Frame out;
  out.pix.reset(pixCreate(image.width(), image.height(), 8));
  if (!out.pix)
    return fail(ErrorCode::InputRejected, kStage, path, "not enough memory for the page",
                "scan to TIFF at 300 dpi");
  const char* rows = image.const_data();
  l_uint32* data = pixGetData(out.pix.get());
  const l_int32 wpl = pixGetWpl(out.pix.get());
  for (int y = 0; y < image.height(); ++y) {
    const auto* src =
        reinterpret_cast<const unsigned char*>(rows + static_cast<long>(y) * image.bytes_per_row());
    l_uint32* line = data + static_cast<long>(y) * wpl;
    for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  pixSetResolution(out.pix.get(), kPdfRasterDpi, kPdfRasterDpi);
  out.dpi = kPdfRasterDpi;
  out.rasterised_dpi = kPdfRasterDpi;
  return out;
}

}  // namespace

Result<int> count_frames(const fs::path& path) {
  auto kind = open_check(path);
  if (!kind) return tl::unexpected(kind.error());
  if (*kind == Kind::Tiff) return tiff_count(path);
  if (*kind == Kind::Pdf) {
    auto doc = open_pdf(path);
    if (!doc) return tl::unexpected(doc.error());
    return (*doc)->pages();
  }
  return 1;
}

Result<Frame> read_frame(const fs::path& path, int frame, const LoadOptions& options) {
  auto kind = open_check(path);
  if (!kind) return tl::unexpected(kind.error());
  if (frame < 0) return tl::unexpected(out_of_range(path, frame, 1));
  if (*kind == Kind::Pdf) return read_pdf_frame(path, frame, options);

  // Read the header first so that a file claiming an absurd size is refused before allocation.
  l_int32 w = 0, h = 0, bps = 0, spp = 0, iscmap = 0, format = 0;
  if (*kind == Kind::Tiff) {
    auto count = tiff_count(path);
    if (!count) return tl::unexpected(count.error());
    if (frame >= *count) return tl::unexpected(out_of_range(path, frame, *count));
    l_int32 res = 0;
    if (readHeaderTiff(path.c_str(), frame, &w, &h, &bps, &spp, &res, &iscmap, &format) != 0)
      return fail(
          ErrorCode::InputUnreadable, kStage, path,
          "cannot decode image (damaged TIFF header of page " + std::to_string(frame + 1) + ")",
          "re-scan or remove the file");
  } else {
    if (frame > 0) return tl::unexpected(out_of_range(path, frame, 1));
    if (pixReadHeader(path.c_str(), &format, &w, &h, &bps, &spp, &iscmap) != 0)
      return fail(ErrorCode::InputUnreadable, kStage, path,
                  "cannot decode image (not a supported image file)",
                  "check that it is a TIFF, PNG, JPEG, JPEG 2000 or PDF scan");
  }
  if (auto ok = check_size(path, w, h, options, "image"); !ok) return tl::unexpected(ok.error());

  Frame out;
  out.pix.reset(*kind == Kind::Tiff ? pixReadTiff(path.c_str(), frame) : pixRead(path.c_str()));
  if (!out.pix)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode image (damaged file?)",
                "re-scan or remove the file");
  if (pixGetColormap(out.pix.get()))
    out.pix.reset(pixRemoveColormap(out.pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  if (!out.pix)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode the image's colour map",
                "convert the scan to 8-bit gray or RGB");
  const l_int32 xres = pixGetXRes(out.pix.get());
  if (xres < 70 || xres > 1200) {
    out.dpi = options.assumed_dpi;
    out.dpi_assumed = true;
  } else {
    out.dpi = xres;
  }
  return out;
}

}  // namespace broadsheet::ingest
