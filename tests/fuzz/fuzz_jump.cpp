// libFuzzer target: the text parsers of reassemble on arbitrary bytes — jump lines (parse_jump and
// the split of a jump line left at either end of a body), bylines and photo credits, masthead and
// running-header metadata. None may crash, hang or read out of bounds; what they return must hold
// their own invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "reassemble/byline.hpp"
#include "reassemble/jump.hpp"
#include "reassemble/metadata.hpp"

using namespace broadsheet::reassemble;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto jump = parse_jump(text)) {
    check(jump->page >= 1 && jump->page <= 999);
    check(!jump->marker.empty());
    // The marker is a clean jump line: bracketed, it reads the same.
    const auto again = parse_jump("（" + jump->marker + "）");
    check(again.has_value() && again->page == jump->page && again->direction == jump->direction);
  }
  if (const auto split = split_trailing_jump(text)) check(split->text.size() < size);
  if (const auto split = split_leading_jump(text)) check(split->text.size() < size);

  if (const auto names = parse_byline(text)) check(!names->empty());
  if (const auto split = split_trailing_byline(text)) check(split->text.size() < size);
  if (const auto credit = split_credit(text)) check(!credit->byline.empty());

  const IssueHeader header = parse_issue_header(text);
  if (header.date) check(header.date->size() == 10);
  if (const auto page = parse_printed_page(text)) check(*page >= 1 && *page <= 999);
  (void)parse_date(text);
  return 0;
}
