#include "synth/degrade.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace broadsheet::synth {

ScanParams random_scan(Rng& rng, double dpi, bool allow_bilevel) {
  ScanParams p;
  p.skew_deg = chance(rng, 0.15) ? 0.0 : uniform(rng, -2.0, 2.0);
  p.paper = uniform(rng, 222, 248);
  p.ink = uniform(rng, 10, 55);
  p.color = chance(rng, 0.2);
  p.yellow = chance(rng, 0.5) ? uniform(rng, 0.2, 1.0) : uniform(rng, 0, 0.2);
  p.lighting = uniform(rng, 0, 0.22);
  p.bleed = chance(rng, 0.5) ? uniform(rng, 0.03, 0.12) : 0.0;
  p.blur = uniform(rng, 0.0, 1.1) * dpi / 300;
  p.noise = uniform(rng, 1.0, 5.0);
  p.specks = chance(rng, 0.6) ? uniform(rng, 1, 20) : 0.0;
  p.bilevel = allow_bilevel && chance(rng, 0.12);
  if (p.bilevel) p.color = false;
  p.jpeg_quality = uniform_int(rng, 78, 86);
  p.recompressed = chance(rng, 0.2);
  return p;
}

cv::Mat rotation_matrix(cv::Size size, double skew_deg) {
  const cv::Point2f centre(static_cast<float>(size.width) / 2.0f,
                           static_cast<float>(size.height) / 2.0f);
  return cv::getRotationMatrix2D(centre, skew_deg, 1.0);
}

cv::Mat transform_page(const cv::Mat& gray, const cv::Mat& m) {
  cv::Mat out;
  cv::warpAffine(gray, out, m, gray.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

namespace {

cv::Mat smooth_field(cv::Size size, int cells, cv::RNG& cvrng) {
  cv::Mat coarse(cells + 1, std::max(2, cells * size.width / std::max(1, size.height)) + 1, CV_32F);
  cvrng.fill(coarse, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::Mat field;
  cv::resize(coarse, field, size, 0, 0, cv::INTER_CUBIC);
  return field;
}

}  // namespace

cv::Mat degrade(const cv::Mat& transformed, const cv::Mat& other_side, const ScanParams& params,
                double dpi, Rng& rng) {
  cv::RNG cvrng(rng());
  const cv::Size size = transformed.size();
  cv::Mat coverage;
  transformed.convertTo(coverage, CV_32F, -1.0 / 255.0, 1.0);

  // Paper with a faint cloudy texture; ink a little uneven.
  cv::Mat paper = smooth_field(size, 6, cvrng) * 8.0 + (params.paper - 4.0);
  cv::Mat out = paper.mul(1.0 - coverage) + coverage * params.ink;

  if (params.bleed > 0 && !other_side.empty()) {
    cv::Mat ghost;
    cv::flip(other_side, ghost, 1);
    if (ghost.size() != size) cv::resize(ghost, ghost, size, 0, 0, cv::INTER_AREA);
    ghost.convertTo(ghost, CV_32F, -1.0 / 255.0, 1.0);
    cv::GaussianBlur(ghost, ghost, cv::Size(0, 0), 2.5 * dpi / 300);
    out -= ghost * (params.bleed * (params.paper - params.ink));
  }

  if (params.lighting > 0) {
    // One side darker than the other, plus darker corners.
    cv::Mat light(size, CV_32F);
    const double angle = cvrng.uniform(0.0, 2 * CV_PI);
    const double cx = std::cos(angle);
    const double cy = std::sin(angle);
    for (int y = 0; y < size.height; ++y) {
      auto* row = light.ptr<float>(y);
      const double ny = (y - size.height / 2.0) / size.height;
      for (int x = 0; x < size.width; ++x) {
        const double nx = (x - size.width / 2.0) / size.width;
        const double ramp = 0.5 + cx * nx + cy * ny;
        const double vignette = (nx * nx + ny * ny) * 1.6;
        row[x] =
            static_cast<float>(1.0 - params.lighting * std::clamp(0.6 * ramp + vignette, 0.0, 1.0));
      }
    }
    out = out.mul(light);
  }

  if (params.blur > 0.05) cv::GaussianBlur(out, out, cv::Size(0, 0), params.blur);

  if (params.specks > 0) {
    const double megapixels = static_cast<double>(size.area()) / 1e6;
    const int count = static_cast<int>(params.specks * megapixels);
    for (int i = 0; i < count; ++i) {
      const cv::Point c(cvrng.uniform(0, size.width), cvrng.uniform(0, size.height));
      const int r = cvrng.uniform(1, std::max(2, static_cast<int>(3 * dpi / 300)));
      cv::circle(out, c, r, cv::Scalar(cvrng.uniform(params.ink, params.paper - 60)), cv::FILLED);
    }
  }

  if (params.noise > 0) {
    cv::Mat noise(size, CV_32F);
    cvrng.fill(noise, cv::RNG::NORMAL, 0.0, params.noise);
    out += noise;
  }

  cv::Mat gray;
  out.convertTo(gray, CV_8U);
  if (params.bilevel) {
    cv::threshold(gray, gray, (params.paper + params.ink) / 2 + 15, 255, cv::THRESH_BINARY);
    return gray;
  }
  if (params.recompressed) {
    std::vector<uchar> bytes;
    cv::imencode(".jpg", gray, bytes, {cv::IMWRITE_JPEG_QUALITY, uniform_int(rng, 35, 60)});
    gray = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
  }
  if (!params.color) return gray;
  // Yellowed paper: blue fades most, green a little; ink stays near neutral.
  cv::Mat bgr;
  cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
  const double y = params.yellow;
  cv::multiply(bgr, cv::Scalar(1.0 - 0.28 * y, 1.0 - 0.08 * y, 1.0), bgr);
  return bgr;
}

namespace {

std::uint32_t crc32(const std::uint8_t* data, size_t n) {
  static const std::array<std::uint32_t, 256> kTable = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) c = kTable[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// libjpeg writes a JFIF APP0 segment with an aspect ratio only; make it say dots per inch.
void set_jfif_density(std::vector<std::uint8_t>& jpeg, int dpi) {
  if (jpeg.size() < 20 || jpeg[2] != 0xFF || jpeg[3] != 0xE0 || jpeg[6] != 'J' || jpeg[7] != 'F' ||
      jpeg[8] != 'I' || jpeg[9] != 'F')
    return;
  jpeg[13] = 1;
  jpeg[14] = static_cast<std::uint8_t>(dpi >> 8);
  jpeg[15] = static_cast<std::uint8_t>(dpi & 0xFF);
  jpeg[16] = static_cast<std::uint8_t>(dpi >> 8);
  jpeg[17] = static_cast<std::uint8_t>(dpi & 0xFF);
}

// Inserts a pHYs chunk (pixels per metre) right after IHDR.
void add_png_phys(std::vector<std::uint8_t>& png, int dpi) {
  constexpr size_t kAfterIhdr = 8 + 8 + 13 + 4;
  if (png.size() < kAfterIhdr) return;
  const auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  std::vector<std::uint8_t> chunk;
  put_be32(chunk, 9);
  const size_t type_at = chunk.size();
  chunk.insert(chunk.end(), {'p', 'H', 'Y', 's'});
  put_be32(chunk, ppm);
  put_be32(chunk, ppm);
  chunk.push_back(1);
  put_be32(chunk, crc32(chunk.data() + type_at, chunk.size() - type_at));
  png.insert(png.begin() + static_cast<std::ptrdiff_t>(kAfterIhdr), chunk.begin(), chunk.end());
}

}  // namespace

std::vector<std::uint8_t> encode_scan(const cv::Mat& scan, const ScanParams& params, double dpi,
                                      std::string& extension) {
  std::vector<uchar> bytes;
  const int idpi = static_cast<int>(std::lround(dpi));
  if (params.bilevel) {
    extension = ".png";
    cv::imencode(".png", scan, bytes, {cv::IMWRITE_PNG_BILEVEL, 1, cv::IMWRITE_PNG_COMPRESSION, 9});
    add_png_phys(bytes, idpi);
  } else {
    extension = ".jpg";
    cv::imencode(".jpg", scan, bytes,
                 {cv::IMWRITE_JPEG_QUALITY, params.jpeg_quality, cv::IMWRITE_JPEG_OPTIMIZE, 1});
    set_jfif_density(bytes, idpi);
  }
  return bytes;
}

}  // namespace broadsheet::synth
