#include "eval/area.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace broadsheet::eval {
namespace {

// Marks the cells each box covers with a 2-D difference array; after the prefix sums a cell's
// value is the number of boxes covering it.
std::vector<int> coverage_counts(std::span<const Box> boxes, const std::vector<long long>& xs,
                                 const std::vector<long long>& ys) {
  const std::size_t nx = xs.size();
  const std::size_t ny = ys.size();
  std::vector<int> grid(nx * ny, 0);
  auto index = [](const std::vector<long long>& v, long long c) {
    return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), c) - v.begin());
  };
  for (const Box& b : boxes) {
    if (b.empty()) continue;
    const std::size_t x0 = index(xs, b.x);
    const std::size_t x1 = index(xs, static_cast<long long>(b.x) + b.w);
    const std::size_t y0 = index(ys, b.y);
    const std::size_t y1 = index(ys, static_cast<long long>(b.y) + b.h);
    grid[y0 * nx + x0] += 1;
    grid[y0 * nx + x1] -= 1;
    grid[y1 * nx + x0] -= 1;
    grid[y1 * nx + x1] += 1;
  }
  for (std::size_t y = 0; y < ny; ++y)
    for (std::size_t x = 1; x < nx; ++x) grid[y * nx + x] += grid[y * nx + x - 1];
  for (std::size_t y = 1; y < ny; ++y)
    for (std::size_t x = 0; x < nx; ++x) grid[y * nx + x] += grid[(y - 1) * nx + x];
  return grid;
}

void add_edges(std::span<const Box> boxes, std::vector<long long>& xs, std::vector<long long>& ys) {
  for (const Box& b : boxes) {
    if (b.empty()) continue;
    xs.push_back(b.x);
    xs.push_back(static_cast<long long>(b.x) + b.w);
    ys.push_back(b.y);
    ys.push_back(static_cast<long long>(b.y) + b.h);
  }
}

void sort_unique(std::vector<long long>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

long long union_intersection_area(std::span<const Box> a, std::span<const Box> b) {
  std::vector<long long> xs;
  std::vector<long long> ys;
  add_edges(a, xs, ys);
  if (xs.empty()) return 0;
  const std::size_t a_edges = xs.size();
  add_edges(b, xs, ys);
  if (xs.size() == a_edges) return 0;
  sort_unique(xs);
  sort_unique(ys);
  const std::vector<int> in_a = coverage_counts(a, xs, ys);
  const std::vector<int> in_b = coverage_counts(b, xs, ys);
  const std::size_t nx = xs.size();
  long long area = 0;
  for (std::size_t y = 0; y + 1 < ys.size(); ++y)
    for (std::size_t x = 0; x + 1 < nx; ++x)
      if (in_a[y * nx + x] > 0 && in_b[y * nx + x] > 0)
        area += (xs[x + 1] - xs[x]) * (ys[y + 1] - ys[y]);
  return area;
}

long long union_area(std::span<const Box> boxes) {
  return union_intersection_area(boxes, boxes);
}

}  // namespace broadsheet::eval
