// libFuzzer target: reading issue.json (and the page results broadsheet assemble reads back) from
// arbitrary bytes — nlohmann::json::parse without exceptions, then issue_from_json — and, for what
// parses, reassembly of that issue and a round trip through to_json. Nothing may crash; a document
// that reads must write and read back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/issue_json.hpp"
#include "reassemble/reassemble.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  const auto issue = broadsheet::issue_from_json(j);
  if (!issue) return 0;
  // Invalid UTF-8 in strings is replaced on output, as write_issue_json does.
  (void)broadsheet::to_json(*issue).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto assembled = broadsheet::reassemble::reassemble_issue(*issue);
  if (!assembled) std::abort();  // default options are valid: reassembly never fails
  const nlohmann::json out = broadsheet::to_json(*assembled);
  if (!broadsheet::issue_from_json(out)) std::abort();
  return 0;
}
