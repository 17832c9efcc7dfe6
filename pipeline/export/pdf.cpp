// Searchable PDF: a hand-written PDF 1.5 file, one page per issue page, the scan as an image
// XObject drawn over the whole page and each line's text in rendering mode 3 (invisible) over it.
//
// The text layer uses the glyph-less font Tesseract ships (tessdata/pdf.ttf, one empty glyph):
//   Type0 /Identity-H  ->  CIDFontType2, every CID drawn with glyph 1 (CIDToGIDMap stream)
//   character code = CID = the UTF-16 code unit of a BMP character; ToUnicode maps it back.
// Characters outside the BMP get a CID from the surrogate block D800..DFFF (never a character on
// its own), one per distinct code point in the file, and a ToUnicode bfchar to their UTF-16
// surrogate pair; past 2048 distinct ones they become U+FFFD.
//
// Geometry: line boxes are pixels of the original scan; one pixel is 72 / dpi points. A
// horizontal line is one text object: font size = the thickness of its characters (the box
// height, less what the page's skew adds to it), baseline so that the characters fill a band of
// that thickness through the middle of the box, horizontal scaling (Tz) so their advances span
// the box width less a small inset at either end (see kEndInsetEm). A vertical line (a column of
// a Vertical region) is the same, turned a quarter clockwise (text matrix [0 -1 1 0]): it runs
// down the column, font size = column width. Readers that rebuild reading order (poppler's
// pdftotext) then see a rotated line rather than a stack of one-character lines, so neighbouring
// columns never interleave and columns come right to left.
//
// Order: one BT/ET per line, lines in region order and regions in page order: the order of
// page.text. Readers that keep the content-stream order (pdftotext -raw, most copy-paste of a
// selection within a column) read the page as issue.json does. Readers that rebuild the order
// from positions (pdftotext without -raw, poppler's select-all) read columns in their own
// geometric order, which differs from the article order; nothing in the content stream changes
// that while the text stays on its printed lines.
//
// Folds: both halves of a two-page fold show the whole scan (one shared image XObject), each
// with only its own text, which sits where it is printed because boxes are scan pixels.
//
// Widths: Latin, its extensions and the half-width forms advance 500/1000 em, everything else
// (ideographs, kana, full-width punctuation) 1000, so the place of a character in a mixed line
// ("8月6日") is close to where it is printed and a search hit outlines the right characters.

#include <zlib.h>

#include <leptonica/allheaders.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "export/export.hpp"
#include "ingest/frames.hpp"

namespace broadsheet::exporter {

namespace {

namespace fs = std::filesystem;

constexpr const char* kStage = "export";
constexpr double kDefaultDpi = 300;

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// ---- Small writers ------------------------------------------------------------------------------

/// A number in a content stream or dictionary: fixed point, at most three decimals (1/1000 pt is
/// far below a scan pixel), no exponent, no locale.
std::string num(double v) {
  if (!std::isfinite(v) || std::abs(v) < 0.0005) return "0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);
  if (ec != std::errc{}) return "0";
  std::string s(buf, end);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string hex4(unsigned v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s(4, '0');
  for (int i = 3; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = kHex[v & 0xF];
  return s;
}

/// zlib's deflate; nullopt if zlib fails (then the stream is written as it is).
std::optional<std::string> deflate(std::string_view data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), data.size(),
                Z_DEFAULT_COMPRESSION) != Z_OK)
    return std::nullopt;
  out.resize(size);
  return out;
}

/// Text string for the document information dictionary: UTF-16BE with a byte-order mark, in hex.
std::string pdf_text_string(std::string_view utf8) {
  std::string s = "<FEFF";
  for (char32_t c : text::to_u32(utf8)) {
    if (c >= 0x10000) {
      const auto v = static_cast<unsigned>(c - 0x10000);
      s += hex4(0xD800 + (v >> 10)) + hex4(0xDC00 + (v & 0x3FF));
    } else {
      s += hex4(static_cast<unsigned>(c));
    }
  }
  return s + ">";
}

/// The file being written: numbered objects, their byte offsets, the cross-reference table.
class PdfFile {
 public:
  explicit PdfFile(std::ostream& out) : out_(out) { put("%PDF-1.5\n%\xE2\xE3\xCF\xD3\n"); }

  /// A new object number; the object itself may be written later, in any order.
  int reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }

  void object(int id, std::string_view body) {
    begin(id);
    put(body);
    put("\nendobj\n");
  }

  /// A stream object. `dict` holds the dictionary entries without /Length (and without /Filter
  /// when `compress` is set: then the data is deflated if that makes it smaller).
  void stream(int id, std::string dict, std::string_view data, bool compress) {
    std::optional<std::string> packed;
    if (compress) packed = deflate(data);
    if (packed && packed->size() < data.size()) {
      dict += " /Filter /FlateDecode";
      data = *packed;
    }
    begin(id);
    put("<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n");
    put(data);
    put("\nendstream\nendobj\n");
  }

  /// Cross-reference table and trailer. False if an object was reserved but never written.
  bool finish(int root, int info) {
    const size_t xref = pos_;
    put("xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n");
    for (size_t offset : offsets_) {
      if (offset == 0) return false;
      std::string line = std::to_string(offset);
      put(std::string(10 - std::min<size_t>(10, line.size()), '0') + line + " 00000 n \n");
    }
    put("trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + ref(root) +
        " /Info " + ref(info) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n");
    return true;
  }

  static std::string ref(int id) { return std::to_string(id) + " 0 R"; }

 private:
  void begin(int id) {
    offsets_[static_cast<size_t>(id - 1)] = pos_;
    put(std::to_string(id) + " 0 obj\n");
  }
  void put(std::string_view s) {
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    pos_ += s.size();
  }

  std::ostream& out_;
  size_t pos_ = 0;
  std::vector<size_t> offsets_;  // offsets_[id - 1]
};

// ---- Text encoding ------------------------------------------------------------------------------

/// Advance of a CID in thousandths of the font size: half width for Latin and the half-width
/// forms, full width for the rest.
int advance_of(unsigned cid) {
  if (cid < 0x0250) return 500;
  if (cid >= 0xFF61 && cid <= 0xFFDC) return 500;
  if (cid >= 0xFFE8 && cid <= 0xFFEE) return 500;
  return 1000;
}
constexpr std::string_view kWidths = "/DW 1000 /W [0 591 500 65377 65500 500 65512 65518 500]";

/// Characters to 2-byte CIDs, remembering the CIDs lent to characters outside the BMP.
class CidEncoder {
 public:
  unsigned cid(char32_t c) {
    if (c < 0x20 || c == 0x7F) return 0x20;  // control characters: a space, never a code 0
    if (c >= 0xD800 && c <= 0xDFFF) return 0xFFFD;
    if (c < 0x10000) return static_cast<unsigned>(c);
    if (c > 0x10FFFF) return 0xFFFD;
    if (auto it = astral_.find(c); it != astral_.end()) return it->second;
    if (next_ > 0xDFFF) return 0xFFFD;
    astral_.emplace(c, next_);
    return next_++;
  }

  /// The ToUnicode CMap: identity for every BMP code but the surrogates, one bfchar per CID lent
  /// to a character outside the BMP. bfrange entries stay within one high byte (PDF 32000 9.10.3)
  /// and blocks hold at most 100 entries (the CMap format's limit).
  [[nodiscard]] std::string to_unicode_cmap() const {
    std::vector<std::string> ranges;
    for (unsigned hi = 0; hi < 0x100; ++hi) {
      if (hi >= 0xD8 && hi <= 0xDF) continue;
      const std::string first = hex4(hi << 8);
      ranges.push_back("<" + first + "> <" + hex4((hi << 8) | 0xFF) + "> <" + first + ">");
    }
    std::vector<std::string> chars;
    for (const auto& [c, code] : astral_) {
      const auto v = static_cast<unsigned>(c - 0x10000);
      chars.push_back("<" + hex4(code) + "> <" + hex4(0xD800 + (v >> 10)) +
                      hex4(0xDC00 + (v & 0x3FF)) + ">");
    }
    std::string s =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    auto blocks = [&s](const std::vector<std::string>& entries, std::string_view kind) {
      for (size_t i = 0; i < entries.size(); i += 100) {
        const size_t n = std::min<size_t>(100, entries.size() - i);
        s += std::to_string(n) + " begin" + std::string(kind) + "\n";
        for (size_t k = i; k < i + n; ++k) s += entries[k] + "\n";
        s += "end" + std::string(kind) + "\n";
      }
    };
    blocks(ranges, "bfrange");
    blocks(chars, "bfchar");
    s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return s;
  }

 private:
  std::map<char32_t, unsigned> astral_;
  unsigned next_ = 0xD800;
};

/// One line of text as the content stream shows it: white space folded to single spaces (runs
/// kept, ends trimmed), no spaces added anywhere.
struct EncodedLine {
  std::string hex;       // "<4E2D6587...>"
  long advance_sum = 0;  // thousandths of the font size
};

std::optional<EncodedLine> encode_line(std::string_view utf8, CidEncoder& encoder) {
  std::u32string s = text::to_u32(utf8);
  for (char32_t& c : s)
    if (text::is_space(c)) c = U' ';
  const size_t first = s.find_first_not_of(U' ');
  if (first == std::u32string::npos) return std::nullopt;
  s = s.substr(first, s.find_last_not_of(U' ') - first + 1);
  EncodedLine line;
  line.hex = "<";
  for (char32_t c : s) {
    const unsigned cid = encoder.cid(c);
    line.hex += hex4(cid);
    line.advance_sum += advance_of(cid);
  }
  line.hex += ">";
  return line;
}

/// Poppler (and so evince, okular and pdftotext) joins the lines of neighbouring columns into one
/// when the gap between them is under 0.7 of the font size; newspaper columns are often closer
/// than that (14 px between columns of 27 px characters on the sample's page 4). Each line's text
/// is therefore drawn this fraction of its font size short of either end of its box, at most 5 %
/// of the line, which costs a search hit a fraction of a pixel per character.
constexpr double kEndInsetEm = 0.15;
constexpr double kMaxEndInsetRatio = 0.05;

/// The thickness of the characters of a line whose box is `along` by `across` pixels on a page
/// printed at a slant of `skew_deg`: boxes are upright rectangles around slanted lines, so
/// across = t cos a + L sin a and along = L cos a + t sin a; solved for t. A page 1.7 degrees
/// askew has line boxes 41 px high around 27 px characters; a font size of 41 px would make
/// readers take the gaps between columns for spaces between words.
double text_thickness(double along, double across, double skew_deg) {
  const double a = std::abs(skew_deg) * std::numbers::pi / 180.0;
  if (!std::isfinite(a) || a < 1e-4 || a > 0.5) return across;
  const double t = (across * std::cos(a) - along * std::sin(a)) / std::cos(2 * a);
  return std::clamp(t, 0.5 * across, across);
}

/// Appends the text object of one line. `scale` is points per scan pixel, `page_h_pt` the page
/// height (PDF's y axis points up, the scan's down). The characters fill a band of their own
/// thickness through the middle of the box, along its whole length but for the end insets.
void show_line(std::string& content, const Box& box, Direction direction, const EncodedLine& line,
               double scale, double page_h_pt, double skew_deg) {
  if (box.empty() || line.advance_sum <= 0) return;
  const bool vertical = direction == Direction::Vertical;
  const double along_px = vertical ? box.h : box.w;
  const double across_px = vertical ? box.w : box.h;
  const double size_px = text_thickness(along_px, across_px, skew_deg);
  const double inset_px = std::min(kEndInsetEm * size_px, kMaxEndInsetRatio * along_px);
  const double length_px = along_px - 2 * inset_px;
  std::string matrix;
  if (vertical) {
    // Runs down from the top of the band's left edge; glyphs rise to the right, across it.
    const double left_px = box.x + 0.5 * (box.w - size_px);
    matrix = "0 -1 1 0 " + num(left_px * scale) + " " + num(page_h_pt - (box.y + inset_px) * scale);
  } else {
    const double baseline_px = box.y + 0.5 * (box.h + size_px);
    matrix =
        "1 0 0 1 " + num((box.x + inset_px) * scale) + " " + num(page_h_pt - baseline_px * scale);
  }
  const double advance_em = static_cast<double>(line.advance_sum) / 1000.0;
  const double scaling = 100.0 * length_px / (advance_em * size_px);
  content += "BT\n/F1 " + num(size_px * scale) + " Tf\n" + num(scaling) + " Tz\n" + matrix +
             " Tm\n" + line.hex + " Tj\nET\n";
}

/// Lines of a region that has text but no line boxes (nothing in the pipeline makes one today,
/// but hand-made issue.json files may): its text lines share the region box in equal bands, top
/// to bottom, or right to left for a vertical region.
std::vector<Line> lines_of(const Region& region) {
  if (!region.lines.empty()) return region.lines;
  std::vector<Line> lines;
  if (region.text.empty() || region.bbox.empty()) return lines;
  std::vector<std::string> texts;
  for (size_t start = 0; start <= region.text.size();) {
    size_t end = region.text.find('\n', start);
    if (end == std::string::npos) end = region.text.size();
    texts.push_back(region.text.substr(start, end - start));
    start = end + 1;
  }
  const int n = static_cast<int>(texts.size());
  const Box& b = region.bbox;
  for (int i = 0; i < n; ++i) {
    Line line;
    line.text = texts[static_cast<size_t>(i)];
    if (region.direction == Direction::Vertical) {
      const int x1 = b.x + b.w - b.w * i / n;
      const int x0 = b.x + b.w - b.w * (i + 1) / n;
      line.bbox = Box{x0, b.y, x1 - x0, b.h};
    } else {
      const int y0 = b.y + b.h * i / n;
      const int y1 = b.y + b.h * (i + 1) / n;
      line.bbox = Box{b.x, y0, b.w, y1 - y0};
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// ---- Images -------------------------------------------------------------------------------------

/// An image XObject's dictionary entries (without /Length) and its data.
struct Picture {
  std::string dict;
  std::string data;
  bool compress = false;
};

std::string image_dict(int w, int h, std::string_view color_space, int bits) {
  return "/Type /XObject /Subtype /Image /Width " + std::to_string(w) + " /Height " +
         std::to_string(h) + " /ColorSpace " + std::string(color_space) + " /BitsPerComponent " +
         std::to_string(bits);
}

Result<std::string> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data;
  if (in) data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (!in && !in.eof())
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot read scan image",
                "check the file's permissions");
  return data;
}

/// A bilevel scan (1 = ink in Leptonica) as 1-bit DeviceGray (0 = black in PDF), deflated: far
/// smaller than the JPEG of the same page, and lossless.
Picture bilevel_picture(PIX* pix) {
  const int w = static_cast<int>(pixGetWidth(pix));
  const int h = static_cast<int>(pixGetHeight(pix));
  const size_t row_bytes = (static_cast<size_t>(w) + 7) / 8;
  const l_uint32* data = pixGetData(pix);
  const auto wpl = static_cast<size_t>(pixGetWpl(pix));
  Picture picture;
  picture.data.resize(row_bytes * static_cast<size_t>(h));
  for (size_t y = 0; y < static_cast<size_t>(h); ++y) {
    const l_uint32* row = data + y * wpl;
    char* out = picture.data.data() + y * row_bytes;
    for (size_t k = 0; k < row_bytes; ++k) {
      const l_uint32 byte = (row[k / 4] >> (24 - 8 * (k % 4))) & 0xFF;  // MSB-first in each word
      out[k] = static_cast<char>(~byte & 0xFF);
    }
  }
  picture.dict = image_dict(w, h, "/DeviceGray", 1);
  picture.compress = true;
  return picture;
}

/// A decoded scan re-encoded as the page picture: deflated 1-bit for a bilevel scan, else JPEG.
Result<Picture> encode_picture(PixPtr pix, const fs::path& path, int jpeg_quality) {
  if (pixGetColormap(pix.get())) pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  if (pix && pixGetDepth(pix.get()) == 1) return bilevel_picture(pix.get());
  if (pix && pixGetDepth(pix.get()) != 8 && pixGetDepth(pix.get()) != 32)
    pix.reset(pixConvertTo8(pix.get(), 0));
  if (!pix)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot convert image to gray or RGB",
                "convert the scan to 8-bit gray or RGB");
  if (pixGetDepth(pix.get()) == 32) pixSetSpp(pix.get(), 3);

  l_uint8* jpeg_data = nullptr;
  size_t jpeg_size = 0;
  if (pixWriteMemJpeg(&jpeg_data, &jpeg_size, pix.get(), jpeg_quality, 0) != 0 || !jpeg_data)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot re-encode image as JPEG",
                "convert the scan to 8-bit gray or RGB");
  Picture picture;
  picture.data.assign(reinterpret_cast<const char*>(jpeg_data), jpeg_size);
  lept_free(jpeg_data);
  picture.dict = image_dict(static_cast<int>(pixGetWidth(pix.get())),
                            static_cast<int>(pixGetHeight(pix.get())),
                            pixGetDepth(pix.get()) == 8 ? "/DeviceGray" : "/DeviceRGB", 8) +
                 " /Filter /DCTDecode";
  return picture;
}

bool is_pdf_file(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

/// The scan as the page picture: a JPEG as it is (no loss, no time), any other image decoded by
/// Leptonica and re-encoded (JPEG, or deflated 1-bit for a bilevel scan). Page `frame` of a
/// multi-page TIFF, and any page of a PDF (rasterised as ingest read it), come through
/// ingest::read_frame and are re-encoded likewise.
Result<Picture> load_picture(const fs::path& path, std::optional<int> frame, int jpeg_quality) {
  std::error_code ec;
  if ((frame || is_pdf_file(path)) && fs::is_regular_file(path, ec)) {
    auto decoded = ingest::read_frame(path, frame.value_or(0));
    if (!decoded) {
      Error e = decoded.error();
      e.stage = kStage;
      return tl::unexpected(std::move(e));
    }
    return encode_picture(PixPtr(decoded->pix.release()), path, jpeg_quality);
  }
  if (!fs::exists(path, ec))
    return fail(ErrorCode::InputMissing, kStage, path, "scan image does not exist",
                "the PDF is made from the scans that issue.json's pages name; pass the folder "
                "that holds them or restore the file");
  if (!fs::is_regular_file(path, ec))
    return fail(ErrorCode::InputUnreadable, kStage, path, "not an image file",
                "check pages[].image in issue.json");
  auto bytes = read_bytes(path);
  if (!bytes) return tl::unexpected(bytes.error());
  if (bytes->empty())
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode image (file is empty)",
                "restore the scan");
  const auto* raw = reinterpret_cast<const l_uint8*>(bytes->data());

  const bool jpeg = bytes->size() > 3 && raw[0] == 0xFF && raw[1] == 0xD8 && raw[2] == 0xFF;
  if (jpeg) {
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
    if (pixReadHeaderMem(raw, bytes->size(), &format, &w, &h, &bps, &spp, &iscmap) != 0)
      return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode image (damaged JPEG?)",
                  "re-scan or restore the file");
    // Gray and RGB JPEGs go in as they are; CMYK (Adobe's inverted kind) is decoded to RGB below.
    if (bps == 8 && (spp == 1 || spp == 3)) {
      Picture picture;
      picture.dict =
          image_dict(w, h, spp == 1 ? "/DeviceGray" : "/DeviceRGB", 8) + " /Filter /DCTDecode";
      picture.data = std::move(*bytes);
      return picture;
    }
  }

  PixPtr pix(pixReadMem(raw, bytes->size()));
  if (!pix)
    return fail(ErrorCode::InputUnreadable, kStage, path, "cannot decode image (damaged file?)",
                "re-scan or restore the file");
  return encode_picture(std::move(pix), path, jpeg_quality);
}

// ---- The font -----------------------------------------------------------------------------------

Result<std::string> read_font(const fs::path& path) {
  std::error_code ec;
  const std::string hint =
      "the PDF's text layer needs Tesseract's glyph-less font pdf.ttf (in tessdata); install "
      "tesseract-ocr or pass the font's path";
  if (path.empty() || !fs::is_regular_file(path, ec))
    return fail(ErrorCode::ModelMissing, kStage, path, "font file not found", hint);
  auto bytes = read_bytes(path);
  if (!bytes) return tl::unexpected(bytes.error());
  const bool truetype =
      bytes->size() > 12 &&
      (bytes->compare(0, 4, std::string("\0\1\0\0", 4)) == 0 || bytes->compare(0, 4, "true") == 0);
  if (!truetype) return fail(ErrorCode::InputUnreadable, kStage, path, "not a TrueType font", hint);
  return bytes;
}

/// Font objects shared by every page. `to_unicode` is reserved here and written at the end, when
/// every CID the text uses is known.
struct FontObjects {
  int type0 = 0;
  int to_unicode = 0;
};

FontObjects write_font(PdfFile& pdf, const std::string& font_file) {
  FontObjects font;
  font.type0 = pdf.reserve();
  const int cid_font = pdf.reserve();
  const int descriptor = pdf.reserve();
  const int file = pdf.reserve();
  const int cid_to_gid = pdf.reserve();
  font.to_unicode = pdf.reserve();

  pdf.object(font.type0,
             "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont"
             " /Encoding /Identity-H /DescendantFonts [" +
                 PdfFile::ref(cid_font) + "] /ToUnicode " + PdfFile::ref(font.to_unicode) + " >>");
  pdf.object(cid_font,
             "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
             " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
             " /FontDescriptor " +
                 PdfFile::ref(descriptor) + " " + std::string(kWidths) + " /CIDToGIDMap " +
                 PdfFile::ref(cid_to_gid) + " >>");
  // Ascent 1000, Descent (almost) 0: a line's glyph boxes are its box, baseline on the bottom
  // edge. Not exactly 0: poppler reads a Descent of 0 as missing and takes its default, -0.35.
  pdf.object(descriptor,
             "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5"
             " /FontBBox [0 0 500 1000] /ItalicAngle 0 /Ascent 1000 /Descent -1"
             " /CapHeight 1000 /StemV 80 /FontFile2 " +
                 PdfFile::ref(file) + " >>");
  pdf.stream(file, "/Length1 " + std::to_string(font_file.size()), font_file, true);
  // Every CID to glyph 1, the font's one glyph; 2 bytes per CID, deflated to a few hundred bytes.
  std::string map(2 * 65536, '\0');
  for (size_t i = 1; i < map.size(); i += 2) map[i] = '\1';
  pdf.stream(cid_to_gid, "", map, true);
  return font;
}

// ---- Output -------------------------------------------------------------------------------------

/// The temporary file a PDF is written to before it is renamed over `out`; removed unless kept.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    if (!kept_) fs::remove(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }
  void keep() { kept_ = true; }

 private:
  fs::path path_;
  bool kept_ = false;
};

std::string document_title(const Issue& issue) {
  std::string title = issue.issue.newspaper.value_or("");
  if (issue.issue.date) title += (title.empty() ? "" : " ") + *issue.issue.date;
  if (title.empty()) title = issue.issue.id;
  return title;
}

}  // namespace

Result<void> write_pdf(const Issue& issue, const fs::path& scan_dir, const fs::path& out,
                       const PdfOptions& options) {
  if (options.jpeg_quality < 1 || options.jpeg_quality > 100)
    return fail(ErrorCode::BadArguments, kStage, {},
                "JPEG quality " + std::to_string(options.jpeg_quality) + " is out of range",
                "use a quality from 1 to 100");
  if (issue.pages.empty())
    return fail(ErrorCode::InputRejected, kStage, out, "the issue has no pages",
                "nothing to put in a PDF; check that issue.json lists its pages");
  auto font_file = read_font(options.font);
  if (!font_file) return tl::unexpected(font_file.error());

  std::error_code ec;
  if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
  if (ec)
    return fail(ErrorCode::OutputNotWritable, kStage, out.parent_path(),
                "cannot create folder: " + ec.message(), "check permissions or choose another -o");
  fs::path tmp_path = out;
  tmp_path += ".tmp." + std::to_string(::getpid());
  TempFile tmp(tmp_path);
  std::ofstream file(tmp.path(), std::ios::binary | std::ios::trunc);
  if (!file)
    return fail(ErrorCode::OutputNotWritable, kStage, out, "cannot write file",
                "check permissions or choose another -o");

  PdfFile pdf(file);
  const int catalog = pdf.reserve();
  const int pages = pdf.reserve();
  const int info = pdf.reserve();
  const FontObjects font = write_font(pdf, *font_file);
  CidEncoder encoder;

  // The two halves of a fold share one scan and so one image XObject; each half's page shows the
  // whole scan (its boxes are in the scan's pixels, so its text sits where it is printed) but
  // carries only its own text. The pages of a multi-page file each have their own.
  std::map<std::string, int> image_objects;
  std::vector<int> page_objects;
  for (const Page& page : issue.pages) {
    const std::optional<int> frame = page_frame(page);
    int& image = image_objects[scan_label(page.image, frame)];
    int image_w = 0;
    int image_h = 0;
    if (image == 0) {
      auto picture = load_picture(scan_dir / page.image, frame, options.jpeg_quality);
      if (!picture) return tl::unexpected(picture.error());
      image = pdf.reserve();
      pdf.stream(image, picture->dict, picture->data, picture->compress);
    }
    const double dpi = page.dpi > 0 && std::isfinite(page.dpi) ? page.dpi : kDefaultDpi;
    const double scale = 72.0 / dpi;
    if (page.width <= 0 || page.height <= 0) {
      // issue.json without the scan size: read it from the image (frame 0 for a one-image file).
      l_int32 format = 0, bps = 0, spp = 0, iscmap = 0, res = 0;
      const fs::path scan = scan_dir / page.image;
      const bool known = frame ? readHeaderTiff(scan.c_str(), *frame, &image_w, &image_h, &bps,
                                                &spp, &res, &iscmap, &format) == 0
                               : pixReadHeader(scan.c_str(), &format, &image_w, &image_h, &bps,
                                               &spp, &iscmap) == 0;
      if (!known)
        return fail(ErrorCode::InputUnreadable, kStage, scan, "cannot read the image size",
                    "re-scan or restore the file");
    }
    const double page_w = (page.width > 0 ? page.width : image_w) * scale;
    const double page_h = (page.height > 0 ? page.height : image_h) * scale;

    std::string content =
        "q\n" + num(page_w) + " 0 0 " + num(page_h) + " 0 0 cm\n/Im1 Do\nQ\n3 Tr\n";
    // Lines in the order page.text has them (article by article), which pdftotext -raw keeps.
    for (std::size_t r : text_order(page, issue.articles))
      for (const Line& line : lines_of(page.regions[r]))
        if (auto encoded = encode_line(line.text, encoder))
          show_line(content, line.bbox, page.regions[r].direction, *encoded, scale, page_h,
                    page.skew_deg);

    const int page_object = pdf.reserve();
    const int content_object = pdf.reserve();
    pdf.stream(content_object, "", content, true);
    pdf.object(page_object, "<< /Type /Page /Parent " + PdfFile::ref(pages) + " /MediaBox [0 0 " +
                                num(page_w) + " " + num(page_h) +
                                "] /Resources << /XObject << /Im1 " + PdfFile::ref(image) +
                                " >> /Font << /F1 " + PdfFile::ref(font.type0) +
                                " >> >> /Contents " + PdfFile::ref(content_object) + " >>");
    page_objects.push_back(page_object);
  }

  pdf.stream(font.to_unicode, "", encoder.to_unicode_cmap(), true);
  std::string kids;
  for (int id : page_objects) kids += (kids.empty() ? "" : " ") + PdfFile::ref(id);
  pdf.object(pages, "<< /Type /Pages /Kids [" + kids + "] /Count " +
                        std::to_string(page_objects.size()) + " >>");
  pdf.object(catalog, "<< /Type /Catalog /Pages " + PdfFile::ref(pages) + " >>");
  pdf.object(info,
             "<< /Title " + pdf_text_string(document_title(issue)) + " /Producer (broadsheet) >>");
  if (!pdf.finish(catalog, info))
    return fail(ErrorCode::Internal, kStage, out, "PDF object reserved but never written",
                "report this as a bug");

  file.flush();
  file.close();
  if (!file) {
    return fail(ErrorCode::OutputNotWritable, kStage, out, "write failed (disk full?)",
                "free space or choose another -o");
  }
  fs::rename(tmp.path(), out, ec);
  if (ec)
    return fail(ErrorCode::OutputNotWritable, kStage, out, "cannot replace file: " + ec.message(),
                "check permissions or choose another -o");
  tmp.keep();
  return {};
}

}  // namespace broadsheet::exporter
