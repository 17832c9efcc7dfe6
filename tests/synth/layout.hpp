#pragma once
/// Page geometry: the column grid and the modules (rectangular or L-shaped blocks of columns)
/// that articles, photos and adverts occupy. Random pages are planned geometry-first (a skyline
/// fill of the grid); pages with given content are packed content-first in bands.

#include <functional>
#include <vector>

#include "synth/content.hpp"
#include "synth/geometry.hpp"

namespace broadsheet::synth {

struct Grid {
  double left = 0;
  double right = 0;
  double top = 0;     ///< first y below the masthead or running header
  double bottom = 0;  ///< last y of the text area
  int columns = 6;
  double gutter = 40;

  [[nodiscard]] double column_width() const {
    return (right - left - (columns - 1) * gutter) / columns;
  }
  [[nodiscard]] double column_x(int c) const { return left + c * (column_width() + gutter); }
  [[nodiscard]] double span_width(int span) const {
    return span * column_width() + (span - 1) * gutter;
  }
  [[nodiscard]] double height() const { return bottom - top; }
};

enum class ModuleKind { Article, Caption, Advert };

/// A block of `span` grid columns from `col0`. Column i of the block runs from `top` down to
/// `bottoms[i]`: equal bottoms make a rectangle, unequal ones an L (the notch is filled by the
/// modules placed under the shorter columns).
struct ModuleGeom {
  ModuleKind kind = ModuleKind::Article;
  int col0 = 0;
  int span = 1;
  double top = 0;
  std::vector<double> bottoms;
  bool boxed = false;
  bool lead = false;

  [[nodiscard]] double bottom() const;
  [[nodiscard]] bool l_shaped() const;
  [[nodiscard]] Rect bounds(const Grid& grid) const;
};

struct RandomPlan {
  bool front_page = false;
  bool allow_adverts = true;
  double min_height = 400;  ///< smallest module height in pixels
};

/// Fills the whole grid with modules; returned in placement order (top-left first).
[[nodiscard]] std::vector<ModuleGeom> plan_random_page(const Grid& grid, const RandomPlan& plan,
                                                       Rng& rng);

/// Content-first packing: `height(item, span)` is the height an item needs at that span (or < 0
/// when it cannot take it). Items keep their order: each band holds consecutive items side by
/// side, where a band column may hold a stack of several. The space left in a band or under the
/// last band is returned as advert modules. Empty result when the items do not fit.
struct PackResult {
  std::vector<ModuleGeom> items;  ///< one per item, in item order
  std::vector<ModuleGeom> fillers;
  bool fits = false;
};
[[nodiscard]] PackResult pack_page(const Grid& grid, int item_count,
                                   const std::function<double(int item, int span)>& height,
                                   double gap, double min_filler, Rng& rng);

}  // namespace broadsheet::synth
