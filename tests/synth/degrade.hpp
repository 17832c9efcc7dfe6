#pragma once
/// What a scanner and an old paper do to a clean page: skew, yellowed and uneven paper,
/// bleed-through of the other side, blur, noise, dust, a photocopy's hard threshold, JPEG
/// artefacts. Also writes the files with their resolution recorded.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "synth/content.hpp"

namespace broadsheet::synth {

struct ScanParams {
  /// Rotation applied to the page, degrees; positive turns the content counter-clockwise as the
  /// image is viewed (OpenCV's getRotationMatrix2D convention). Deskewing turns it back by
  /// -skew_deg.
  double skew_deg = 0;
  double paper = 238;    ///< paper gray level
  double ink = 28;       ///< gray level of full ink
  bool color = false;    ///< write a colour scan
  double yellow = 0;     ///< yellowing of the paper, 0..1
  double lighting = 0;   ///< depth of the uneven lighting, 0..0.25
  double bleed = 0;      ///< strength of the mirrored ghost of the other side, 0..0.15
  double blur = 0;       ///< Gaussian sigma in pixels
  double noise = 0;      ///< Gaussian noise sigma in gray levels
  double specks = 0;     ///< dust specks per megapixel
  bool bilevel = false;  ///< photocopy look: thresholded to black and white
  int jpeg_quality = 85;
  bool recompressed = false;  ///< was saved as a low-quality JPEG once before
};

[[nodiscard]] ScanParams random_scan(Rng& rng, double dpi, bool allow_bilevel);

/// 2×3 affine matrix (CV_64F) of the rotation about the page centre.
[[nodiscard]] cv::Mat rotation_matrix(cv::Size size, double skew_deg);
/// Applies `m` to a gray page; what comes in from outside the page is paper.
[[nodiscard]] cv::Mat transform_page(const cv::Mat& gray, const cv::Mat& m);

/// The delivered scan: CV_8UC1, or CV_8UC3 when `params.color`. `other_side` (may be empty) is
/// the page whose mirrored ghost shows through.
[[nodiscard]] cv::Mat degrade(const cv::Mat& transformed, const cv::Mat& other_side,
                              const ScanParams& params, double dpi, Rng& rng);

/// Encoded file bytes: PNG for bilevel scans, JPEG otherwise, with the resolution recorded (JFIF
/// density or PNG pHYs). `extension` receives ".png" or ".jpg".
[[nodiscard]] std::vector<std::uint8_t> encode_scan(const cv::Mat& scan, const ScanParams& params,
                                                    double dpi, std::string& extension);

}  // namespace broadsheet::synth
