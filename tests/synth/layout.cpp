#include "synth/layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace broadsheet::synth {

double ModuleGeom::bottom() const {
  return bottoms.empty() ? top : *std::max_element(bottoms.begin(), bottoms.end());
}

bool ModuleGeom::l_shaped() const {
  return !bottoms.empty() && *std::min_element(bottoms.begin(), bottoms.end()) < bottom() - 0.5;
}

Rect ModuleGeom::bounds(const Grid& grid) const {
  const double x = grid.column_x(col0);
  return {x, top, grid.span_width(span), bottom() - top};
}

namespace {

constexpr double kEps = 0.5;

ModuleGeom rect_module(ModuleKind kind, int col0, int span, double top, double bottom) {
  ModuleGeom m;
  m.kind = kind;
  m.col0 = col0;
  m.span = span;
  m.top = top;
  m.bottoms.assign(static_cast<size_t>(span), bottom);
  return m;
}

// Gives the deeper columns of an L: `deep` columns on the left (or right) go down to `deep_bottom`.
void make_l(ModuleGeom& m, int deep, bool left, double deep_bottom) {
  for (int i = 0; i < m.span; ++i) {
    const bool is_deep = left ? i < deep : i >= m.span - deep;
    if (is_deep) m.bottoms[static_cast<size_t>(i)] = deep_bottom;
  }
}

}  // namespace

std::vector<ModuleGeom> plan_random_page(const Grid& grid, const RandomPlan& plan, Rng& rng) {
  const int n = grid.columns;
  const double total = grid.height();
  const double min_h = std::min(plan.min_height, total / 3);
  std::vector<double> free(static_cast<size_t>(n), grid.top);
  std::vector<ModuleGeom> modules;

  auto place = [&](const ModuleGeom& m) {
    for (int i = 0; i < m.span; ++i)
      free[static_cast<size_t>(m.col0 + i)] = m.bottoms[static_cast<size_t>(i)];
    modules.push_back(m);
  };

  // A height for a module whose columns have `room` below them: never leaves a sliver smaller
  // than a module under it.
  auto pick_height = [&](double room, double lo, double hi) {
    if (room < 2 * min_h) return room;
    hi = std::min(hi, room - min_h);
    lo = std::min(std::max(lo, min_h), hi);
    return uniform(rng, lo, hi);
  };

  // The lead story: across the top, widest, sometimes leaving two columns for a photo beside it.
  {
    int span = n;
    if (n >= 6 && chance(rng, plan.front_page ? 0.45 : 0.25)) span = n - uniform_int(rng, 2, 3);
    const double h = pick_height(total, 0.22 * total, 0.36 * total);
    ModuleGeom lead = rect_module(ModuleKind::Article, 0, span, grid.top, grid.top + h);
    lead.lead = true;
    const double below = total - h;
    if (span >= 4 && below >= 3 * min_h && chance(rng, 0.4)) {
      const int deep = uniform_int(rng, span / 2, span - 2);
      const double extra = below < 4 * min_h
                               ? below - min_h * 1.5
                               : uniform(rng, min_h, std::min(below - 2 * min_h, 0.25 * total));
      make_l(lead, deep, true, grid.top + h + std::max(extra, min_h * 0.8));
    }
    place(lead);
  }

  int captions = 0;
  for (int guard = 0; guard < 200; ++guard) {
    const auto lowest = std::min_element(free.begin(), free.end());
    const double t = *lowest;
    if (t >= grid.bottom - kEps) break;
    const int a = static_cast<int>(lowest - free.begin());
    int b = a;
    while (b < n && std::abs(free[static_cast<size_t>(b)] - t) < kEps) ++b;
    const int width = b - a;
    const double room = grid.bottom - t;

    int span = width;
    if (width >= 4) {
      // Leave no single column beside the module unless nothing else is possible.
      std::vector<int> options{width};
      for (int k = 2; k <= width - 2; ++k) options.push_back(k);
      span = pick(rng, options);
    }

    ModuleKind kind = ModuleKind::Article;
    if (span <= 4 && room >= 1.2 * min_h &&
        chance(rng, captions == 0 ? (plan.front_page ? 0.35 : 0.2) : 0.08)) {
      kind = ModuleKind::Caption;
      ++captions;
    } else if (plan.allow_adverts && room <= 0.3 * total && chance(rng, 0.3)) {
      kind = ModuleKind::Advert;
    }

    double h = kind == ModuleKind::Advert ? room : pick_height(room, min_h, 0.5 * total);
    if (kind == ModuleKind::Caption) h = std::min(h, pick_height(room, min_h, 0.3 * total));
    ModuleGeom m = rect_module(kind, a, span, t, t + h);
    if (kind == ModuleKind::Article) {
      m.boxed = chance(rng, 0.12);
      const double below = room - h;
      if (span >= 3 && below >= 2 * min_h && chance(rng, 0.25)) {
        const int deep = uniform_int(rng, 1, span - 1);
        const double extra = below < 3 * min_h ? below : uniform(rng, min_h, below - min_h);
        make_l(m, deep, chance(rng, 0.7), t + h + extra);
        m.boxed = false;
      }
    }
    place(m);
  }
  return modules;
}

PackResult pack_page(const Grid& grid, int item_count,
                     const std::function<double(int item, int span)>& height, double gap,
                     double min_filler, Rng& rng) {
  PackResult result;
  const int n = grid.columns;
  double y = grid.top;
  int next = 0;

  struct Band {
    double score = std::numeric_limits<double>::infinity();
    int items = 0;
    std::vector<int> group_sizes;
    std::vector<int> spans;
    std::vector<double> stack_heights;
    double height = 0;
  };

  // All compositions of `total` into `parts` positive spans.
  std::function<void(int, int, std::vector<int>&, const std::function<void(std::vector<int>&)>&)>
      compositions = [&](int total, int parts, std::vector<int>& acc,
                         const std::function<void(std::vector<int>&)>& visit) {
        if (parts == 1) {
          acc.push_back(total);
          visit(acc);
          acc.pop_back();
          return;
        }
        for (int first = 1; first <= total - (parts - 1); ++first) {
          acc.push_back(first);
          compositions(total - first, parts - 1, acc, visit);
          acc.pop_back();
        }
      };

  while (next < item_count) {
    const double room = grid.bottom - y;
    Band best;
    const int max_items = std::min(5, item_count - next);
    for (int m = 1; m <= max_items; ++m) {
      for (unsigned cuts = 0; cuts < (1u << (m - 1)); ++cuts) {
        std::vector<int> groups;
        int size = 1;
        for (int i = 0; i < m - 1; ++i) {
          if (cuts & (1u << i)) {
            groups.push_back(size);
            size = 1;
          } else {
            ++size;
          }
        }
        groups.push_back(size);
        const int g = static_cast<int>(groups.size());
        if (g > n) continue;
        std::vector<int> acc;
        compositions(n, g, acc, [&](std::vector<int>& spans) {
          std::vector<double> stacks;
          double band_h = 0;
          double penalty = 0;
          int item = next;
          for (int gi = 0; gi < g; ++gi) {
            double stack = 0;
            for (int k = 0; k < groups[static_cast<size_t>(gi)]; ++k, ++item) {
              const double h = height(item, spans[static_cast<size_t>(gi)]);
              if (h < 0) return;
              stack += h + gap;
              // Prefer modules about as tall as wide or taller, as on a real page.
              const double aspect = h / grid.span_width(spans[static_cast<size_t>(gi)]);
              penalty += std::max(0.0, 0.45 - aspect) * 1.5 + std::max(0.0, aspect - 3.0) * 0.3;
            }
            stacks.push_back(stack);
            band_h = std::max(band_h, stack);
          }
          if (band_h > room + kEps) return;
          double waste = 0;
          for (int gi = 0; gi < g; ++gi)
            waste += spans[static_cast<size_t>(gi)] * (band_h - stacks[static_cast<size_t>(gi)]);
          waste /= n * band_h;
          // Space left beside the last items becomes adverts anyway: a narrow last module is
          // better than one line spread over the whole page.
          if (next + m == item_count) waste *= 0.3;
          const double score = waste + penalty / m + uniform(rng, 0, 0.03);
          if (score < best.score - 1e-9 ||
              (std::abs(score - best.score) < 1e-9 && m > best.items)) {
            best.score = score;
            best.items = m;
            best.group_sizes = groups;
            best.spans = spans;
            best.stack_heights = stacks;
            best.height = band_h;
          }
        });
      }
    }
    if (best.items == 0) return result;  // does not fit

    int col = 0;
    int item = next;
    for (size_t gi = 0; gi < best.group_sizes.size(); ++gi) {
      const int span = best.spans[gi];
      double top = y;
      for (int k = 0; k < best.group_sizes[gi]; ++k, ++item) {
        const double h = height(item, span) + gap;
        result.items.push_back(rect_module(ModuleKind::Article, col, span, top, top + h));
        top += h;
      }
      if (y + best.height - top >= min_filler)
        result.fillers.push_back(rect_module(ModuleKind::Advert, col, span, top, y + best.height));
      col += span;
    }
    next += best.items;
    y += best.height;
  }

  const double rest = grid.bottom - y;
  if (rest >= min_filler) {
    int col = 0;
    while (col < n) {
      const int span = n - col <= 3 ? n - col : uniform_int(rng, 2, std::min(4, n - col - 2));
      result.fillers.push_back(rect_module(ModuleKind::Advert, col, span, y, grid.bottom));
      col += span;
    }
  }
  result.fits = true;
  return result;
}

}  // namespace broadsheet::synth
