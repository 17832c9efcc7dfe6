#pragma once
/// export internals: XML escaping and xsd:ID-safe identifiers for the ALTO, hOCR and METS writers.
/// Included only by export/*.cpp and its unit tests.

#include <string>
#include <string_view>
#include <unordered_set>

namespace broadsheet::exporter::detail {

/// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
[[nodiscard]] bool is_xml_char(char32_t c);

/// `utf8` as code points with every one XML 1.0 forbids removed (C0 controls other than tab, LF
/// and CR; surrogates; U+FFFE, U+FFFF). OCR text can hold such bytes and one of them makes the
/// whole file unreadable to an XML parser. Invalid UTF-8 becomes U+FFFD (text::to_u32).
[[nodiscard]] std::u32string xml_chars(std::string_view utf8);

/// Element content: & < > escaped, forbidden code points removed.
[[nodiscard]] std::string xml_text(std::string_view utf8);
/// Attribute value (either quote): & < > " ' escaped, and tab, LF, CR as character references
/// so that attribute-value normalisation does not turn them into spaces.
[[nodiscard]] std::string xml_attr(std::string_view utf8);

/// `raw` as an xsd:ID (an NCName, ASCII subset: a letter or '_' first, then letters, digits,
/// '.', '-', '_'). A raw id that already is one comes back unchanged, so region ids such as
/// "p1-r12" stay what issue.json calls them; otherwise "id-" (when the first character cannot
/// start a name) followed by the raw bytes, each byte outside the set written as "_XX" (hex).
[[nodiscard]] std::string xml_id(std::string_view raw);

/// IDs handed out within one XML document, so that no two elements share one.
class IdRegistry {
 public:
  /// `wanted` when it is still free, else `wanted` + "-2", "-3", ...; the result is taken.
  [[nodiscard]] std::string claim(std::string wanted);
  [[nodiscard]] bool taken(const std::string& id) const { return used_.contains(id); }

 private:
  std::unordered_set<std::string> used_;
};

}  // namespace broadsheet::exporter::detail
