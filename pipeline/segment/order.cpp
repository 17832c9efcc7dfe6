// Reading order on boxes alone (testable without pixels, like kraken's reading-order tests).
//
// Blocks are first grouped into modules, the way a page is made up: an article is a headline
// (with the kickers above it, the subheadlines and a "continued from" jump line below it) over the
// body columns that start right under it; a photo goes with its caption; masthead, running header
// and adverts stand alone. Modules are read by their top edge in bands, in the direction the
// columns are read; inside a module kicker → headline → subheadline → upper jump → body column by
// column → byline → lower jump.
//
// Vertical pages are read right to left: their boxes are mirrored, ordered as if horizontal, and
// the order kept.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include "segment/segment.hpp"

namespace broadsheet::segment {
namespace {

struct Item {
  int x0, y0, x1, y1;
  RegionKind kind;
  int module = -1;
  int role = 0;  // rank inside the module
};

int overlap(int a0, int a1, int b0, int b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}

bool is_anchor_kind(RegionKind k) {
  return k == RegionKind::Headline || k == RegionKind::Kicker || k == RegionKind::Subheadline;
}

// Rank of a kind inside an article module.
int role_of(RegionKind k, bool upper_jump) {
  switch (k) {
    case RegionKind::Masthead:
    case RegionKind::Header:
      return 0;
    case RegionKind::Kicker:
      return 1;
    case RegionKind::Headline:
      return 2;
    case RegionKind::Subheadline:
      return 3;
    case RegionKind::Jump:
      return upper_jump ? 4 : 8;
    case RegionKind::Photo:
      return 5;
    case RegionKind::Body:
    case RegionKind::Other:
    case RegionKind::Advert:
      return 6;
    case RegionKind::Byline:
      return 7;
    case RegionKind::Caption:
      return 9;
  }
  return 6;
}

}  // namespace

std::vector<std::size_t> reading_order(std::span<const OrderItem> items, Direction direction,
                                       double body_char_px) {
  const std::size_t n = items.size();
  std::vector<std::size_t> result(n);
  std::iota(result.begin(), result.end(), 0);
  if (n <= 1) return result;
  const double c = body_char_px > 0 ? body_char_px : 20.0;

  std::vector<Item> it(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Box& b = items[i].box;
    if (direction == Direction::Vertical) {
      // Mirror: right-to-left columns become left-to-right.
      it[i] = Item{-(b.x + b.w), b.y, -b.x, b.y + b.h, items[i].kind};
    } else {
      it[i] = Item{b.x, b.y, b.x + b.w, b.y + b.h, items[i].kind};
    }
  }
  auto hov = [&](const Item& a, const Item& b) { return overlap(a.x0, a.x1, b.x0, b.x1); };
  auto width = [](const Item& a) { return a.x1 - a.x0; };

  std::vector<int> module_of(n, -1);
  int modules = 0;
  std::vector<char> upper_jump(n, 0);

  // 1. Anchors: every headline starts a module; kickers join the headline under them,
  //    subheadlines and jump lines the headline over them.
  std::vector<std::size_t> by_top(n);
  std::iota(by_top.begin(), by_top.end(), 0);
  std::sort(by_top.begin(), by_top.end(), [&](std::size_t a, std::size_t b) {
    return it[a].y0 != it[b].y0 ? it[a].y0 < it[b].y0 : it[a].x0 < it[b].x0;
  });
  for (std::size_t i : by_top) {
    if (it[i].kind == RegionKind::Headline) module_of[i] = modules++;
  }
  // Nearest anchor-group member above / below within `reach`, overlapping horizontally.
  auto nearest = [&](std::size_t i, bool below, double reach, auto accept) -> int {
    int best = -1;
    double best_d = std::numeric_limits<double>::max();
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || module_of[j] < 0 || !accept(j)) continue;
      const double d = below ? it[j].y0 - it[i].y1 : it[i].y0 - it[j].y1;
      if (d < -0.5 * c || d > reach) continue;
      if (hov(it[i], it[j]) <= 0) continue;
      if (d < best_d) {
        best_d = d;
        best = static_cast<int>(j);
      }
    }
    return best;
  };
  // Kickers bottom-up (a section kicker over an article kicker over the headline).
  for (auto r = by_top.rbegin(); r != by_top.rend(); ++r) {
    const std::size_t i = *r;
    if (it[i].kind != RegionKind::Kicker) continue;
    const int j = nearest(i, true, 3.0 * c, [&](std::size_t k) {
      return it[k].kind == RegionKind::Headline || it[k].kind == RegionKind::Kicker;
    });
    module_of[i] = j >= 0 ? module_of[static_cast<std::size_t>(j)] : modules++;
  }
  for (std::size_t i : by_top) {
    if (it[i].kind != RegionKind::Subheadline && it[i].kind != RegionKind::Jump) continue;
    const int j =
        nearest(i, false, 3.0 * c, [&](std::size_t k) { return is_anchor_kind(it[k].kind); });
    if (j >= 0) {
      module_of[i] = module_of[static_cast<std::size_t>(j)];
      if (it[i].kind == RegionKind::Jump) upper_jump[i] = 1;
    } else if (it[i].kind == RegionKind::Subheadline) {
      module_of[i] = modules++;
    }
  }
  // A jump line with body text starting right under it opens a continuation, unless it is set
  // closer to a column over it (the （下轉…） line at a column's foot). A jump line is set at the
  // leading of the column it belongs to; between modules there is more space (on the dev sets a
  // （上接…） line stands 0.0-0.63 characters over its column and 1.06 or more under the column of
  // the module above, a （下轉…） line 0.0-0.67 under its column and 1.29 or more over the next).
  std::vector<char> opens(n, 0);
  for (std::size_t i : by_top) {
    if (it[i].kind != RegionKind::Jump || module_of[i] >= 0) continue;
    std::optional<double> below_gap;
    std::optional<double> above_gap;
    for (std::size_t j = 0; j < n; ++j) {
      if (it[j].kind != RegionKind::Body || hov(it[i], it[j]) <= 0) continue;
      const double below = it[j].y0 - it[i].y1;
      const double above = it[i].y0 - it[j].y1;
      if (below >= -0.5 * c && below <= 2.0 * c && (!below_gap || below < *below_gap))
        below_gap = below;
      if (above >= -0.5 * c && above <= 2.0 * c && (!above_gap || above < *above_gap))
        above_gap = above;
    }
    if (below_gap && (!above_gap || *below_gap + 0.25 * c < *above_gap)) {
      module_of[i] = modules++;
      upper_jump[i] = 1;
      opens[i] = 1;
    }
  }

  // Anchor group boxes. Without its jump lines, an anchor group ends where its columns begin: a
  // （上接…） line stands at the top of the first column, level with the tops of the others.
  auto group_box = [&](int m, bool heads_only = false) {
    Item g{std::numeric_limits<int>::max(), std::numeric_limits<int>::max(),
           std::numeric_limits<int>::min(), std::numeric_limits<int>::min(), RegionKind::Other};
    for (std::size_t j = 0; j < n; ++j) {
      if (module_of[j] != m) continue;
      if (heads_only && !is_anchor_kind(it[j].kind)) continue;
      g.x0 = std::min(g.x0, it[j].x0);
      g.y0 = std::min(g.y0, it[j].y0);
      g.x1 = std::max(g.x1, it[j].x1);
      g.y1 = std::max(g.y1, it[j].y1);
    }
    return g;
  };
  std::vector<Item> anchors;
  std::vector<Item> heads;  // the same without jump lines
  for (int m = 0; m < modules; ++m) {
    anchors.push_back(group_box(m));
    const Item h = group_box(m, true);
    heads.push_back(h.x0 < h.x1 ? h : anchors.back());
  }

  // 2. Body columns: a body block whose top lies just under an anchor group and overlaps it starts
  //    that module; its neighbours in the same row of tops (next column over a gutter) follow.
  std::vector<std::size_t> bodies;
  for (std::size_t i : by_top) {
    if (it[i].kind == RegionKind::Body) bodies.push_back(i);
  }
  // How far under module m's anchor group body block i starts, if just under it: under the
  // group with its jump lines, or beside the jump line under the heads alone.
  auto starts_under = [&](std::size_t i, int m) -> std::optional<double> {
    std::optional<double> best;
    for (const Item* g :
         {&anchors[static_cast<std::size_t>(m)], &heads[static_cast<std::size_t>(m)]}) {
      const double d = it[i].y0 - g->y1;
      if (d >= -0.5 * c && d <= 4.0 * c && (!best || d < *best)) best = d;
    }
    return best;
  };
  for (std::size_t i : bodies) {
    int best = -1;
    double best_d = std::numeric_limits<double>::max();
    for (int m = 0; m < modules; ++m) {
      if (hov(it[i], anchors[static_cast<std::size_t>(m)]) <= 0) continue;
      const std::optional<double> under = starts_under(i, m);
      if (!under) continue;
      const double d = *under;
      if (d < best_d) {
        best_d = d;
        best = m;
      }
    }
    if (best >= 0) module_of[i] = best;
  }
  // A continuation's other columns: the （上接…） line stands at the top of its first column,
  // level with the tops of the columns beside it, which the module above may stand right over.
  // Columns chain to the right from the jump line's column while their tops stay level with it
  // and they do not go on from a column over them at its leading.
  for (std::size_t jl = 0; jl < n; ++jl) {
    if (!opens[jl]) continue;
    const int m = module_of[jl];
    std::vector<std::size_t> chain;
    for (std::size_t i : bodies)
      if (module_of[i] == m) chain.push_back(i);
    for (bool grew = true; grew && !chain.empty();) {
      grew = false;
      for (std::size_t i : bodies) {
        if (module_of[i] >= 0 || std::abs(it[i].y0 - it[jl].y0) > 1.0 * c) continue;
        bool next_to_chain = false;
        for (std::size_t k : chain) {
          const int gap = it[i].x0 - it[k].x1;
          if (gap >= -0.5 * c && gap <= 3.0 * c) next_to_chain = true;
        }
        if (!next_to_chain) continue;
        bool goes_on_from_above = false;
        for (std::size_t j : bodies) {
          const double above = it[i].y0 - it[j].y1;
          if (j != i && above >= -0.5 * c && above <= 0.8 * c &&
              hov(it[i], it[j]) >= 0.5 * std::min(width(it[i]), width(it[j])))
            goes_on_from_above = true;
        }
        if (goes_on_from_above) continue;
        module_of[i] = m;
        chain.push_back(i);
        grew = true;
      }
    }
  }
  // Spread sideways over gutters to columns whose tops line up and that no anchor covers. A
  // column between two modules goes on with the one on its left (text runs left to right; a
  // headline is set over its own columns, so one that does not cover the column is the right
  // neighbour's), unless only the right one is there.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i : bodies) {
      if (module_of[i] >= 0) continue;
      int best = -1;
      double best_cost = std::numeric_limits<double>::max();
      for (std::size_t j : bodies) {
        if (module_of[j] < 0) continue;
        // Right under a block of a module, in its column: that column going on (a first block
        // that is a subheadline or a line segment cut off) wins over any neighbour.
        const double below = it[i].y0 - it[j].y1;
        if (below >= -0.5 * c && below <= 1.5 * c &&
            hov(it[i], it[j]) >= 0.5 * std::min(width(it[i]), width(it[j]))) {
          best = module_of[j];
          best_cost = -1;
          continue;
        }
        if (!starts_under(i, module_of[j])) continue;
        if (std::abs(it[i].y0 - it[j].y0) > 1.5 * c) continue;
        const int gap = std::max(it[j].x0 - it[i].x1, it[i].x0 - it[j].x1);
        if (gap < -0.5 * c || gap > 3.0 * c) continue;
        const double cost = gap + (it[j].x0 > it[i].x0 ? 3.5 * c : 0.0);
        if (best_cost >= 0 && cost < best_cost) {
          best_cost = cost;
          best = module_of[j];
        }
      }
      if (best >= 0) {
        module_of[i] = best;
        changed = true;
      }
    }
  }
  // Body blocks still alone: the same column continued (directly under a body of a module), else
  // a module of their own with the aligned blocks beside them.
  for (std::size_t i : bodies) {
    if (module_of[i] >= 0) continue;
    int best = -1;
    double best_d = 2.5 * c;
    for (std::size_t j : bodies) {
      if (j == i || module_of[j] < 0) continue;
      const double d = it[i].y0 - it[j].y1;
      if (d < -0.5 * c || d > best_d) continue;
      if (hov(it[i], it[j]) < 0.5 * std::min(width(it[i]), width(it[j]))) continue;
      best_d = d;
      best = static_cast<int>(j);
    }
    if (best >= 0) {
      module_of[i] = module_of[static_cast<std::size_t>(best)];
      continue;
    }
    module_of[i] = modules++;
    for (std::size_t j : bodies) {
      if (module_of[j] >= 0) continue;
      if (std::abs(it[i].y0 - it[j].y0) > 1.5 * c) continue;
      const int gap = std::max(it[j].x0 - it[i].x1, it[i].x0 - it[j].x1);
      if (gap > 3.0 * c) continue;
      module_of[j] = module_of[i];
    }
  }

  // 3. Photos with their captions; bylines and jump lines under a body; the rest alone.
  for (std::size_t i : by_top) {
    if (module_of[i] >= 0) continue;
    const RegionKind k = it[i].kind;
    if (k == RegionKind::Caption) {
      int best = -1;
      double best_d = std::numeric_limits<double>::max();
      for (std::size_t j = 0; j < n; ++j) {
        if (it[j].kind != RegionKind::Photo) continue;
        const double dy = std::max({0, it[i].y0 - it[j].y1, it[j].y0 - it[i].y1});
        const double dx = std::max({0, it[i].x0 - it[j].x1, it[j].x0 - it[i].x1});
        const double d = dx + dy;
        if (d < best_d) {
          best_d = d;
          best = static_cast<int>(j);
        }
      }
      if (best >= 0 && best_d <= 3.0 * c) {
        if (module_of[static_cast<std::size_t>(best)] < 0)
          module_of[static_cast<std::size_t>(best)] = modules++;
        module_of[i] = module_of[static_cast<std::size_t>(best)];
      }
    } else if (k == RegionKind::Byline || k == RegionKind::Jump || k == RegionKind::Other) {
      int best = -1;
      double best_d = 3.0 * c;
      for (std::size_t j = 0; j < n; ++j) {
        if (it[j].kind != RegionKind::Body || module_of[j] < 0) continue;
        const double d = it[i].y0 - it[j].y1;
        if (d < -1.0 * c || d > best_d || hov(it[i], it[j]) <= 0) continue;
        best_d = d;
        best = static_cast<int>(j);
      }
      if (best >= 0) module_of[i] = module_of[static_cast<std::size_t>(best)];
    }
    if (module_of[i] < 0) module_of[i] = modules++;
  }

  // 4. Modules in bands of tops, left to right; masthead and header first.
  struct Module {
    Item box;
    bool head = false;
  };
  std::vector<Module> mods(static_cast<std::size_t>(modules));
  for (int m = 0; m < modules; ++m) mods[static_cast<std::size_t>(m)].box = group_box(m);
  for (std::size_t i = 0; i < n; ++i) {
    if (it[i].kind == RegionKind::Masthead || it[i].kind == RegionKind::Header)
      mods[static_cast<std::size_t>(module_of[i])].head = true;
  }
  std::vector<int> mod_order(static_cast<std::size_t>(modules));
  std::iota(mod_order.begin(), mod_order.end(), 0);
  std::sort(mod_order.begin(), mod_order.end(), [&](int a, int b) {
    const Module& ma = mods[static_cast<std::size_t>(a)];
    const Module& mb = mods[static_cast<std::size_t>(b)];
    if (ma.head != mb.head) return ma.head;
    return ma.box.y0 != mb.box.y0 ? ma.box.y0 < mb.box.y0 : ma.box.x0 < mb.box.x0;
  });
  std::vector<int> rank(static_cast<std::size_t>(modules));
  {
    std::vector<int> sorted;
    std::size_t k = 0;
    while (k < mod_order.size()) {
      const int band_top = mods[static_cast<std::size_t>(mod_order[k])].box.y0;
      const bool head = mods[static_cast<std::size_t>(mod_order[k])].head;
      std::size_t e = k;
      while (e < mod_order.size() && mods[static_cast<std::size_t>(mod_order[e])].head == head &&
             mods[static_cast<std::size_t>(mod_order[e])].box.y0 <= band_top + 1.5 * c)
        ++e;
      std::sort(mod_order.begin() + static_cast<std::ptrdiff_t>(k),
                mod_order.begin() + static_cast<std::ptrdiff_t>(e), [&](int a, int b) {
                  return mods[static_cast<std::size_t>(a)].box.x0 <
                         mods[static_cast<std::size_t>(b)].box.x0;
                });
      k = e;
    }
    for (std::size_t r = 0; r < mod_order.size(); ++r)
      rank[static_cast<std::size_t>(mod_order[r])] = static_cast<int>(r);
  }

  // 5. Inside a module: by role; body blocks column by column (a column = blocks overlapping
  //    horizontally by half), each column top to bottom.
  for (std::size_t i = 0; i < n; ++i) it[i].role = role_of(it[i].kind, upper_jump[i] != 0);
  std::vector<int> column(n, 0);
  for (int m = 0; m < modules; ++m) {
    // Columns from the blocks read column by column only: a headline over part of them would
    // merge two columns into one.
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < n; ++i) {
      if (module_of[i] == m && it[i].role == 6) members.push_back(i);
    }
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return it[a].x0 != it[b].x0 ? it[a].x0 < it[b].x0 : a < b;
    });
    std::vector<std::pair<int, int>> cols;  // x ranges
    for (std::size_t i : members) {
      int found = -1;
      for (std::size_t k = 0; k < cols.size(); ++k) {
        const int ov = overlap(cols[k].first, cols[k].second, it[i].x0, it[i].x1);
        if (ov >= 0.5 * std::min(cols[k].second - cols[k].first, width(it[i]))) {
          found = static_cast<int>(k);
          break;
        }
      }
      if (found < 0) {
        found = static_cast<int>(cols.size());
        cols.emplace_back(it[i].x0, it[i].x1);
      } else {
        cols[static_cast<std::size_t>(found)].first =
            std::min(cols[static_cast<std::size_t>(found)].first, it[i].x0);
        cols[static_cast<std::size_t>(found)].second =
            std::max(cols[static_cast<std::size_t>(found)].second, it[i].x1);
      }
      column[i] = found;  // clusters are created left to right
    }
  }
  std::sort(result.begin(), result.end(), [&](std::size_t a, std::size_t b) {
    const int ma = rank[static_cast<std::size_t>(module_of[a])];
    const int mb = rank[static_cast<std::size_t>(module_of[b])];
    if (ma != mb) return ma < mb;
    if (it[a].role != it[b].role) return it[a].role < it[b].role;
    if (it[a].role == 6 && column[a] != column[b]) return column[a] < column[b];
    if (it[a].y0 != it[b].y0) return it[a].y0 < it[b].y0;
    if (it[a].x0 != it[b].x0) return it[a].x0 < it[b].x0;
    return a < b;
  });
  return result;
}

}  // namespace broadsheet::segment
