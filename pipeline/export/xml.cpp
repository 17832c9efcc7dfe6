#include "export/xml.hpp"

#include "core/text.hpp"

namespace broadsheet::exporter::detail {

bool is_xml_char(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

std::u32string xml_chars(std::string_view utf8) {
  std::u32string out = text::to_u32(utf8);
  std::erase_if(out, [](char32_t c) { return !is_xml_char(c); });
  return out;
}

namespace {

std::string escape(std::string_view utf8, bool attribute) {
  const std::u32string chars = xml_chars(utf8);
  std::string out;
  out.reserve(utf8.size() + 16);
  for (char32_t c : chars) {
    switch (c) {
      case U'&':
        out += "&amp;";
        continue;
      case U'<':
        out += "&lt;";
        continue;
      case U'>':
        out += "&gt;";
        continue;
      default:
        break;
    }
    if (attribute) {
      switch (c) {
        case U'"':
          out += "&quot;";
          continue;
        case U'\'':
          out += "&apos;";
          continue;
        case U'\t':
          out += "&#9;";
          continue;
        case U'\n':
          out += "&#10;";
          continue;
        case U'\r':
          out += "&#13;";
          continue;
        default:
          break;
      }
    } else if (c == U'\r') {
      // A raw CR in content is read back as LF (end-of-line handling); keep it as written.
      out += "&#13;";
      continue;
    }
    out += text::to_utf8(std::u32string_view(&c, 1));
  }
  return out;
}

bool name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

}  // namespace

std::string xml_text(std::string_view utf8) {
  return escape(utf8, false);
}
std::string xml_attr(std::string_view utf8) {
  return escape(utf8, true);
}

std::string xml_id(std::string_view raw) {
  bool valid = !raw.empty() && name_start(raw.front());
  for (char c : raw) valid = valid && name_char(c);
  if (valid) return std::string(raw);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  if (raw.empty() || !name_start(raw.front())) out = "id-";
  for (char c : raw) {
    if (name_char(c)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('_');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

std::string IdRegistry::claim(std::string wanted) {
  if (used_.insert(wanted).second) return wanted;
  for (int n = 2;; ++n) {
    std::string next = wanted + "-" + std::to_string(n);
    if (used_.insert(next).second) return next;
  }
}

}  // namespace broadsheet::exporter::detail
