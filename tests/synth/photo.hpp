#pragma once
/// Stand-in news photographs: textured gray scenes (sky gradient, skyline, ground, grain), never
/// flat, so a segmenter sees what it sees in a real halftone photo.

#include <opencv2/core.hpp>

#include "synth/content.hpp"

namespace broadsheet::synth {

/// A CV_8UC1 image of the given size drawn only from `rng`. With `halftone_period` > 0 (pixels)
/// it is screened into round dots on a 45° grid, as a newspaper prints photographs.
[[nodiscard]] cv::Mat make_photo(int width, int height, double halftone_period, Rng& rng);

}  // namespace broadsheet::synth
