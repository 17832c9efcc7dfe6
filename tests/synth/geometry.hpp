#pragma once
/// Sub-pixel rectangles used while composing a page; truth boxes are rounded from them only after
/// the page transformation.

#include <algorithm>

namespace broadsheet::synth {

struct Rect {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;

  [[nodiscard]] double right() const { return x + w; }
  [[nodiscard]] double bottom() const { return y + h; }
  [[nodiscard]] bool empty() const { return w <= 0 || h <= 0; }
  [[nodiscard]] Rect translated(double dx, double dy) const { return {x + dx, y + dy, w, h}; }
  [[nodiscard]] Rect inflated(double d) const { return {x - d, y - d, w + 2 * d, h + 2 * d}; }
};

/// Smallest rectangle holding both; an empty rectangle is ignored.
[[nodiscard]] inline Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const double x0 = std::min(a.x, b.x);
  const double y0 = std::min(a.y, b.y);
  const double x1 = std::max(a.right(), b.right());
  const double y1 = std::max(a.bottom(), b.bottom());
  return {x0, y0, x1 - x0, y1 - y0};
}

[[nodiscard]] inline bool overlaps(const Rect& a, const Rect& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

}  // namespace broadsheet::synth
