#pragma once
/// Exact areas of unions of axis-aligned boxes (coordinate compression), for body coverage and
/// over-merge. Empty boxes are ignored. O((n+m)² ) cells in the worst case, fine for the few
/// hundred regions of a page.

#include <span>

#include "core/issue.hpp"

namespace broadsheet::eval {

/// Area of (∪ a) ∩ (∪ b) in px².
[[nodiscard]] long long union_intersection_area(std::span<const Box> a, std::span<const Box> b);

/// Area of ∪ boxes in px² (overlaps counted once).
[[nodiscard]] long long union_area(std::span<const Box> boxes);

}  // namespace broadsheet::eval
