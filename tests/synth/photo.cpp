#include "synth/photo.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace broadsheet::synth {

namespace {

// Smooth random field: noise on a coarse lattice, enlarged with cubic interpolation.
cv::Mat smooth_noise(int width, int height, int cell, cv::RNG& cvrng) {
  const int cols = std::max(2, width / std::max(1, cell) + 2);
  const int rows = std::max(2, height / std::max(1, cell) + 2);
  cv::Mat coarse(rows, cols, CV_32F);
  cvrng.fill(coarse, cv::RNG::NORMAL, 0.0, 1.0);
  cv::Mat fine;
  cv::resize(coarse, fine, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  return fine;
}

}  // namespace

cv::Mat make_photo(int width, int height, double halftone_period, Rng& rng) {
  width = std::max(width, 8);
  height = std::max(height, 8);
  cv::RNG cvrng(rng());
  cv::Mat img(height, width, CV_32F);

  // Sky to ground: a gradient above a horizon, darker textured ground below it.
  const double horizon = height * uniform(rng, 0.35, 0.7);
  const double sky_top = uniform(rng, 150, 230);
  const double sky_low = uniform(rng, 120, 210);
  const double ground = uniform(rng, 60, 140);
  const double tilt = uniform(rng, -0.15, 0.15);
  for (int y = 0; y < height; ++y) {
    auto* row = img.ptr<float>(y);
    for (int x = 0; x < width; ++x) {
      const double h = horizon + tilt * (x - width / 2.0);
      double v = 0;
      if (y < h) {
        v = sky_top + (sky_low - sky_top) * (y / std::max(h, 1.0));
      } else {
        v = ground - 30 * ((y - h) / std::max(height - h, 1.0));
      }
      row[x] = static_cast<float>(v);
    }
  }

  // A skyline or rows of objects standing on the horizon.
  const int blocks = uniform_int(rng, 3, 9);
  for (int i = 0; i < blocks; ++i) {
    const int bw = static_cast<int>(width * uniform(rng, 0.06, 0.22));
    const int bh = static_cast<int>(height * uniform(rng, 0.1, 0.45));
    const int bx = uniform_int(rng, -bw / 2, width - bw / 2);
    const int by = static_cast<int>(horizon) - bh + uniform_int(rng, 0, std::max(1, height / 10));
    const double tone = uniform(rng, 40, 190);
    cv::rectangle(img, cv::Rect(bx, by, bw, bh), cv::Scalar(tone), cv::FILLED);
    if (chance(rng, 0.6)) {
      // Windows: a lattice of lighter or darker cells.
      const int step = std::max(4, bw / uniform_int(rng, 3, 7));
      const double wtone = tone + uniform(rng, -60, 60);
      for (int wy = by + step / 2; wy < by + bh - step / 2; wy += step)
        for (int wx = bx + step / 3; wx < bx + bw - step / 2; wx += step)
          cv::rectangle(img, cv::Rect(wx, wy, std::max(1, step / 2), std::max(1, step / 2)),
                        cv::Scalar(wtone), cv::FILLED);
    }
  }
  // Foreground figures.
  const int figures = uniform_int(rng, 0, 6);
  for (int i = 0; i < figures; ++i) {
    const cv::Point c(uniform_int(rng, 0, width),
                      static_cast<int>(horizon) + uniform_int(rng, 0, std::max(1, height / 3)));
    const cv::Size axes(std::max(2, static_cast<int>(width * uniform(rng, 0.02, 0.06))),
                        std::max(3, static_cast<int>(height * uniform(rng, 0.06, 0.18))));
    cv::ellipse(img, c, axes, 0, 0, 360, cv::Scalar(uniform(rng, 20, 120)), cv::FILLED);
  }

  // Grain at three scales.
  const double scale = std::max(width, height);
  img += smooth_noise(width, height, static_cast<int>(scale / 6), cvrng) * 22.0;
  img += smooth_noise(width, height, static_cast<int>(scale / 40), cvrng) * 12.0;
  img += smooth_noise(width, height, 3, cvrng) * 7.0;
  cv::GaussianBlur(img, img, cv::Size(0, 0), 1.0);
  if (halftone_period > 1.5) {
    // Amplitude-modulated screen: a pixel is inked where the tone is darker than the dot shape,
    // with a soft edge so the dots are round and not jagged.
    const double w = 2 * CV_PI / halftone_period / std::sqrt(2.0);
    for (int y = 0; y < height; ++y) {
      auto* row = img.ptr<float>(y);
      for (int x = 0; x < width; ++x) {
        const double screen = (std::cos(w * (x + y)) + std::cos(w * (x - y))) * 0.25 + 0.5;
        const double tone = std::clamp(row[x] / 255.0, 0.0, 1.0);
        row[x] = static_cast<float>(std::clamp((tone - screen) * 4.0 + 0.5, 0.0, 1.0) * 235 + 15);
      }
    }
    cv::GaussianBlur(img, img, cv::Size(0, 0), halftone_period * 0.12);
  }
  cv::Mat out;
  img.convertTo(out, CV_8U);
  return out;
}

}  // namespace broadsheet::synth
