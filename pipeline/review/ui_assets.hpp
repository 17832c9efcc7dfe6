#pragma once
// The web UI's files (pipeline/review/ui/), embedded into the binary at build time by
// embed_ui.cmake, so `broadsheet serve` needs nothing beside the executable.

#include <string_view>

namespace broadsheet::review {

struct UiAsset {
  std::string_view name;
  std::string_view content_type;
  std::string_view content;
};

/// The file called `name` ("index.html", "app.js", "style.css"), or nullptr.
[[nodiscard]] const UiAsset* ui_asset(std::string_view name);

}  // namespace broadsheet::review
