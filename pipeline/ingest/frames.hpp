#pragma once
/// ingest/frames: the pages (frames) of a scan file and the decoding of one of them, through
/// Leptonica (TIFF, PNG, JPEG, JPEG 2000) and poppler (PDF, rasterised). No OpenCV, so the
/// searchable PDF writer (export) and the review server's scan route use it too.
///
/// A TIFF may hold several pages (directories), a PDF several pages; every other image is one
/// frame. Frames are 0-based.

#include <filesystem>
#include <memory>
#include <optional>

#include "core/error.hpp"

struct Pix;  // Leptonica's PIX (allheaders.h: typedef struct Pix PIX)

namespace broadsheet::ingest {

struct PixDeleter {
  void operator()(Pix* p) const;
};
/// A Leptonica image owned by its pointer.
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

/// PDF pages are rendered at this resolution, in 8-bit gray (the resolution the pipeline is tuned
/// for; README "Inputs").
inline constexpr int kPdfRasterDpi = 300;

struct LoadOptions {
  double assumed_dpi = 300;
  /// Images (or PDF pages at kPdfRasterDpi) claiming more pixels than this are refused before
  /// decoding (decompression bombs).
  long long max_pixels = 400'000'000;
  int min_side_px = 16;
};

/// How many frames `path` holds: TIFF directories, PDF pages, 1 for any other image. Reads only
/// the file's structure, not its pixels. Fails (naming the file) when the file cannot be read, a
/// PDF is damaged or password-protected, or a TIFF's directories cannot be walked.
[[nodiscard]] Result<int> count_frames(const std::filesystem::path& path);

/// One frame as the file holds it: depth as stored (1, 8, 16, 32 bpp; colour maps removed), a PDF
/// page rendered in 8-bit gray at kPdfRasterDpi.
struct Frame {
  PixPtr pix;
  double dpi = 300;
  bool dpi_assumed = false;  ///< true when the file carried no DPI or an absurd one
  /// Set for a PDF page: the resolution it was rasterised at.
  std::optional<int> rasterised_dpi;
};

/// poppler reports what it repairs in a damaged PDF through its process-wide debug function
/// (stderr by default); the errors returned here name the file either way.
///
/// Decodes frame `frame` (0-based) of `path`. The size is checked against `options` before any
/// pixel is decoded. Errors name the file and what to do: not an image, damaged, password-protected
/// PDF, frame out of range, too large, too small. Thread-safe for distinct calls.
[[nodiscard]] Result<Frame> read_frame(const std::filesystem::path& path, int frame,
                                       const LoadOptions& options = {});

}  // namespace broadsheet::ingest
