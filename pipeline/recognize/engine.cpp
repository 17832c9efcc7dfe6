#include "recognize/engine.hpp"

#include <cstdlib>
#include <system_error>

#include <algorithm>

#include <leptonica/allheaders.h>
#include <opencc/opencc.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>
#include <opencv2/imgproc.hpp>

#include "core/text.hpp"
#include "recognize/normalize.hpp"
#include "recognize/punctuation.hpp"

namespace broadsheet::recognize {

namespace fs = std::filesystem;

namespace {

// Around a display line read as a raw line, this share of its height: on the dev sets' display
// regions 0.15-0.3 read alike (CER 2.95-3.22 %), 0.4 took in the neighbours' ink (4.03 %).
constexpr double kDisplayLineMargin = 0.25;
/// A display line found from its ink's rows, not by Tesseract, is kept at this confidence.
constexpr double kFoundLineMinConfidence = 0.5;

std::string take_text(char* raw) {
  std::unique_ptr<char[]> owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\n' && c != '\t'; };
  size_t b = 0;
  while (b < s.size() && !not_space(static_cast<unsigned char>(s[b]))) ++b;
  size_t e = s.size();
  while (e > b && !not_space(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

RegionKind kind_of_block(tesseract::PolyBlockType type) {
  switch (type) {
    case tesseract::PT_FLOWING_IMAGE:
    case tesseract::PT_HEADING_IMAGE:
    case tesseract::PT_PULLOUT_IMAGE:
      return RegionKind::Photo;
    case tesseract::PT_HEADING_TEXT:
      return RegionKind::Headline;
    case tesseract::PT_CAPTION_TEXT:
      return RegionKind::Caption;
    case tesseract::PT_FLOWING_TEXT:
    case tesseract::PT_PULLOUT_TEXT:
      return RegionKind::Body;
    case tesseract::PT_VERTICAL_TEXT:
      return RegionKind::Body;
    default:
      return RegionKind::Other;
  }
}

Box box_of(const tesseract::PageIterator& it, tesseract::PageIteratorLevel level) {
  int l = 0, t = 0, r = 0, b = 0;
  if (!it.BoundingBox(level, &l, &t, &r, &b)) return {};
  return Box{l, t, r - l, b - t};
}

/// The symbols of the text line `line` points at, in reading order, one glyph a code point.
/// Walks a copy of the iterator, so `line` stays where it is.
///
/// In a vertical line (chi_tra_vert, PSM 5) Tesseract 5.3's symbol boxes are not turned back from
/// the rotated image it read: zero wide and all at one height on the sample column. Word boxes
/// are turned back correctly, and there each CJK character is a word of its own; so a vertical
/// glyph takes its word's box, shared out along the height among the word's characters.
std::vector<Glyph> read_symbols(const tesseract::ResultIterator& line, bool vertical) {
  std::vector<Glyph> glyphs;
  tesseract::ResultIterator it(line);
  if (it.Empty(tesseract::RIL_SYMBOL)) return glyphs;
  std::vector<Glyph> word;  // the symbols of the current word
  Box word_box;
  auto flush = [&] {
    if (vertical) {
      Glyph whole{word_box, {}, 0};
      for (const Glyph& s : word) whole.text += s.text;
      std::vector<Glyph> parts = split_symbol(whole, true);
      // Each part keeps the confidence of the symbol its character came from.
      size_t p = 0;
      for (const Glyph& s : word) {
        const size_t n = text::strip_space(text::to_u32(s.text)).size();
        for (size_t i = 0; i < n && p < parts.size(); ++i) parts[p++].confidence = s.confidence;
      }
      for (Glyph& g : parts) glyphs.push_back(std::move(g));
    } else {
      for (const Glyph& s : word)
        for (Glyph& g : split_symbol(s, false)) glyphs.push_back(std::move(g));
    }
    word.clear();
  };
  do {
    if (it.IsAtBeginningOf(tesseract::RIL_WORD)) {
      flush();
      word_box = box_of(it, tesseract::RIL_WORD);
    }
    Glyph symbol;
    symbol.bbox = box_of(it, tesseract::RIL_SYMBOL);
    symbol.text = take_text(it.GetUTF8Text(tesseract::RIL_SYMBOL));
    symbol.confidence = std::clamp(it.Confidence(tesseract::RIL_SYMBOL) / 100.0, 0.0, 1.0);
    word.push_back(std::move(symbol));
  } while (it.Next(tesseract::RIL_SYMBOL) && !it.IsAtBeginningOf(tesseract::RIL_TEXTLINE));
  flush();
  return glyphs;
}

/// The rows a region's ink runs along: runs of inked rows (Otsu's threshold in the region), a run
/// under a third of the tallest left out as a speck or a rule.
struct InkRows {
  cv::Rect region;
  cv::Mat ink;                            ///< the region, ink 255
  std::vector<std::pair<int, int>> runs;  ///< [top, bottom) in the region's rows, top down

  /// The box, in the page, of the ink in rows [top, bottom) between page columns [left, right).
  [[nodiscard]] Box box(int top, int bottom, int left, int right) const {
    left = std::clamp(left - region.x, 0, ink.cols);
    right = std::clamp(right - region.x, left, ink.cols);
    if (right <= left) return {};
    const cv::Rect inked = cv::boundingRect(ink(cv::Range(top, bottom), cv::Range(left, right)));
    if (inked.empty()) return {};
    return Box{region.x + left + inked.x, region.y + top, inked.width, bottom - top};
  }
};

InkRows ink_rows(const cv::Mat& gray, const cv::Rect& region) {
  InkRows rows;
  rows.region = region;
  cv::threshold(gray(region), rows.ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat counts;  // inked pixels per row
  cv::reduce(rows.ink / 255, counts, 1, cv::REDUCE_SUM, CV_32S);
  const int min_ink = std::max(2, rows.ink.cols / 100);
  int tallest = 0;
  for (int y = 0; y < rows.ink.rows;) {
    if (counts.at<int>(y) < min_ink) {
      ++y;
      continue;
    }
    const int top = y;
    while (y < rows.ink.rows && counts.at<int>(y) >= min_ink) ++y;
    rows.runs.emplace_back(top, y);
    tallest = std::max(tallest, y - top);
  }
  std::erase_if(rows.runs, [&](const auto& r) { return 3 * (r.second - r.first) < tallest; });
  return rows;
}

/// A line of display type to read, and whether it was found from its ink's rows alone.
struct DisplayLine {
  Box box;
  bool from_rows = false;
};

/// How many of the page rows [top, bottom) `line` stands on (negative: the gap between them).
int rows_shared(const Box& line, int top, int bottom) {
  return std::min(bottom, line.y + line.h) - std::max(top, line.y);
}

/// The lines of a display region: Tesseract's (`found`, page coordinates), mended from the rows
/// of the region's ink. A line of Tesseract's that takes in two runs of rows is two lines (a
/// deck and the attendance note under it, read as one raw line, gave "1"), each as wide as its
/// ink within the line; a run no line of Tesseract's covers is a line it missed (the second line
/// of 市委常委會召開會 | 議研究安全生產) when it is three times as wide as it is tall, three
/// characters or more: a speck segment took for a headline is read as no character rather than
/// as one (a stray 呈 made a kicker of its own and parted an article, dev seed 83). In heavy
/// display type (膠囊內鏡讓檢查更輕鬆 set black, dev seeds 96 and 97) Tesseract finds no line at
/// all, and every line comes from the rows.
std::vector<DisplayLine> display_lines(const std::vector<Box>& found, const InkRows& rows) {
  std::vector<DisplayLine> lines;
  for (const Box& line : found) {
    std::vector<Box> parts;  // the runs more than half of whose rows are the line's
    for (const auto& [top, bottom] : rows.runs) {
      if (2 * rows_shared(line, rows.region.y + top, rows.region.y + bottom) <= bottom - top)
        continue;
      const Box part = rows.box(top, bottom, line.x, line.x + line.w);
      if (!part.empty()) parts.push_back(part);
    }
    if (parts.size() < 2) parts = {line};
    for (const Box& part : parts) lines.push_back({part, false});
  }
  for (const auto& [top, bottom] : rows.runs) {
    const int page_top = rows.region.y + top, page_bottom = rows.region.y + bottom;
    // Tesseract's line boxes reach a few rows into their neighbours (a headline's over its
    // deck's): a run is a line's when a quarter of its rows are the line's.
    const bool read = std::any_of(found.begin(), found.end(), [&](const Box& line) {
      return 4 * rows_shared(line, page_top, page_bottom) > page_bottom - page_top;
    });
    if (read) continue;
    const Box box = rows.box(top, bottom, rows.region.x, rows.region.x + rows.region.width);
    if (box.empty() || box.w < 3 * box.h) continue;
    lines.push_back({box, true});
  }
  std::sort(lines.begin(), lines.end(), [](const DisplayLine& a, const DisplayLine& b) {
    return std::pair{a.box.y, a.box.x} < std::pair{b.box.y, b.box.x};
  });
  return lines;
}

}  // namespace

struct TesseractEngine::Impl {
  EngineOptions options;
  tesseract::TessBaseAPI api;
  /// chi_tra_vert, loaded on the first vertical block: most pages have none.
  std::unique_ptr<tesseract::TessBaseAPI> vertical;
  const unsigned char* vertical_image = nullptr;  ///< the image last given to `vertical`
  /// eng restricted to digits, . and %, loaded on the first number read again.
  std::unique_ptr<tesseract::TessBaseAPI> numbers;
  const unsigned char* numbers_image = nullptr;      ///< the image last given to `numbers`
  opencc_t opencc = reinterpret_cast<opencc_t>(-1);  ///< OpenCC's "not open" value
};

namespace {

// Tesseract's diagnostics go to a file (or nowhere), never to the user's terminal.
bool init_api(tesseract::TessBaseAPI& api, const EngineOptions& options,
              const std::string& language) {
  std::vector<std::string> vars_vec = {"debug_file"};
  std::vector<std::string> vars_values = {options.log_file.empty() ? "/dev/null"
                                                                   : options.log_file.string()};
  const std::string datapath = options.tessdata.string();
  return api.Init(datapath.c_str(), language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0,
                  &vars_vec, &vars_values, false) == 0;
}

Result<fs::path> find_language(const fs::path& tessdata, const std::string& language) {
  const fs::path model = tessdata / (language + ".traineddata");
  std::error_code ec;
  if (!fs::is_regular_file(model, ec)) {
    std::string package = "tesseract-ocr-" + language;
    for (char& c : package)
      if (c == '_') c = '-';
    return fail(ErrorCode::ModelMissing, "recognize", model, "model not found",
                "install it with `apt-get install " + package +
                    "` or pass --tessdata DIR holding " + language + ".traineddata");
  }
  return model;
}

}  // namespace

TesseractEngine::TesseractEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TesseractEngine::~TesseractEngine() {
  if (!impl_) return;
  if (impl_->opencc != reinterpret_cast<opencc_t>(-1)) opencc_close(impl_->opencc);
  impl_->api.End();
  if (impl_->vertical) impl_->vertical->End();
  if (impl_->numbers) impl_->numbers->End();
}

fs::path default_tessdata(const fs::path& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (const char* env = std::getenv("TESSDATA_PREFIX"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

Result<fs::path> find_model(const EngineOptions& options) {
  auto model = find_language(options.tessdata, options.language);
  if (!model) return model;
  for (const std::string* other : {&options.vertical_language, &options.number_language}) {
    if (other->empty()) continue;
    auto found = find_language(options.tessdata, *other);
    if (!found) return found;
  }
  return model;
}

Result<std::unique_ptr<TesseractEngine>> TesseractEngine::create(const EngineOptions& options) {
  auto model = find_model(options);
  if (!model) return tl::unexpected(model.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (!options.opencc.empty()) {
    const std::string config =
        options.opencc.find('/') != std::string::npos || options.opencc.ends_with(".json")
            ? options.opencc
            : options.opencc + ".json";
    impl->opencc = opencc_open(config.c_str());
    if (impl->opencc == reinterpret_cast<opencc_t>(-1))
      return fail(ErrorCode::BadArguments, "recognize", config,
                  std::string("OpenCC cannot open this configuration: ") + opencc_error(),
                  "name one of /usr/share/opencc/*.json without .json (s2t, s2tw, s2hk)");
  }
  if (!init_api(impl->api, options, options.language)) {
    return fail(ErrorCode::ModelMissing, "recognize", *model, "Tesseract could not load the model",
                "reinstall tesseract-ocr-chi-tra or pass --tessdata DIR with a working model");
  }
  return std::unique_ptr<TesseractEngine>(new TesseractEngine(std::move(impl)));
}

std::string TesseractEngine::version() {
  return tesseract::TessBaseAPI::Version();
}

Result<PageReading> TesseractEngine::read_page(const cv::Mat& gray, double dpi, int page_number) {
  if (gray.empty() || gray.type() != CV_8UC1)
    return fail(ErrorCode::Internal, "recognize", {}, "read_page needs an 8-bit gray image");
  tesseract::TessBaseAPI& api = impl_->api;
  api.SetPageSegMode(tesseract::PSM_AUTO);
  api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  api.SetSourceResolution(static_cast<int>(dpi));
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return fail(ErrorCode::InputUnreadable, "recognize", {}, "Tesseract failed to read the page");
  }

  PageReading reading;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  int k = 0;
  if (it) {
    do {
      Region region;
      region.id = "p" + std::to_string(page_number) + "-r" + std::to_string(++k);
      region.kind = kind_of_block(it->BlockType());
      region.direction = it->BlockType() == tesseract::PT_VERTICAL_TEXT ? Direction::Vertical
                                                                        : Direction::Horizontal;
      region.bbox = box_of(*it, tesseract::RIL_BLOCK);
      region.text = trim(take_text(it->GetUTF8Text(tesseract::RIL_BLOCK)));
      region.confidence = it->Confidence(tesseract::RIL_BLOCK) / 100.0;
      // Walk the lines of this block with the same iterator, stopping at the next block.
      do {
        Line line;
        line.bbox = box_of(*it, tesseract::RIL_TEXTLINE);
        line.text = trim(take_text(it->GetUTF8Text(tesseract::RIL_TEXTLINE)));
        line.confidence = it->Confidence(tesseract::RIL_TEXTLINE) / 100.0;
        if (!line.text.empty()) region.lines.push_back(std::move(line));
      } while (it->Next(tesseract::RIL_TEXTLINE) && !it->IsAtBeginningOf(tesseract::RIL_BLOCK));
      if (region.kind != RegionKind::Photo && region.text.empty()) continue;
      if (!reading.text.empty() && !region.text.empty()) reading.text += "\n";
      reading.text += region.text;
      reading.regions.push_back(std::move(region));
    } while (!it->Empty(tesseract::RIL_BLOCK));
  }
  api.Clear();
  return reading;
}

Result<std::vector<RegionText>> TesseractEngine::read_regions(
    const cv::Mat& gray, double dpi, const std::vector<RegionRequest>& regions) {
  if (gray.empty() || gray.type() != CV_8UC1)
    return fail(ErrorCode::Internal, "recognize", {}, "read_regions needs an 8-bit gray image");
  impl_->api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  impl_->api.SetSourceResolution(static_cast<int>(dpi));
  impl_->vertical_image = nullptr;
  // The vertical model, loaded once per engine and given this image, on the first vertical block.
  auto vertical_api = [&]() -> tesseract::TessBaseAPI* {
    if (impl_->options.vertical_language.empty()) return nullptr;
    if (!impl_->vertical) {
      auto api = std::make_unique<tesseract::TessBaseAPI>();
      if (!init_api(*api, impl_->options, impl_->options.vertical_language)) return nullptr;
      impl_->vertical = std::move(api);
    }
    if (impl_->vertical_image != gray.data) {
      impl_->vertical->SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
      impl_->vertical->SetSourceResolution(static_cast<int>(dpi));
      impl_->vertical_image = gray.data;
    }
    return impl_->vertical.get();
  };
  // The number model, loaded once per engine and given this image, on the first number.
  impl_->numbers_image = nullptr;
  const NumberReader read_number = [&](const Box& box) -> std::optional<BoxReading> {
    if (impl_->options.number_language.empty()) return std::nullopt;
    if (!impl_->numbers) {
      auto api = std::make_unique<tesseract::TessBaseAPI>();
      if (!init_api(*api, impl_->options, impl_->options.number_language)) return std::nullopt;
      api->SetVariable("tessedit_char_whitelist", "0123456789.%");
      api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
      impl_->numbers = std::move(api);
    }
    tesseract::TessBaseAPI& api = *impl_->numbers;
    if (impl_->numbers_image != gray.data) {
      api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
      api.SetSourceResolution(static_cast<int>(dpi));
      impl_->numbers_image = gray.data;
    }
    const int x0 = std::max(box.x, 0), y0 = std::max(box.y, 0);
    const int x1 = std::min(box.x + box.w, gray.cols), y1 = std::min(box.y + box.h, gray.rows);
    if (x1 - x0 < 4 || y1 - y0 < 4) return std::nullopt;
    api.SetRectangle(x0, y0, x1 - x0, y1 - y0);
    std::string text = take_text(api.GetUTF8Text());
    return BoxReading{std::move(text), std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0)};
  };
  const Box page{0, 0, gray.cols, gray.rows};
  std::vector<RegionText> out;
  out.reserve(regions.size());
  for (const RegionRequest& request : regions) {
    RegionText result;
    const int x0 = std::max(request.box.x, 0);
    const int y0 = std::max(request.box.y, 0);
    const int x1 = std::min(request.box.x + request.box.w, page.w);
    const int y1 = std::min(request.box.y + request.box.h, page.h);
    if (x1 - x0 < 4 || y1 - y0 < 4) {
      out.push_back(std::move(result));
      continue;
    }
    tesseract::TessBaseAPI* chosen = &impl_->api;
    if (request.mode == ReadMode::VerticalBlock) {
      if (tesseract::TessBaseAPI* v = vertical_api(); v != nullptr) chosen = v;
    }
    tesseract::TessBaseAPI& api = *chosen;
    switch (request.mode) {
      case ReadMode::Block:
      case ReadMode::DisplayLines:
        api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
        break;
      case ReadMode::Line:
        api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
        break;
      case ReadMode::VerticalBlock:
        api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK_VERT_TEXT);
        break;
    }
    api.SetRectangle(x0, y0, x1 - x0, y1 - y0);
    // Each line Tesseract recognised, as the iterator stands on it; `ink` replaces its box.
    auto take_lines = [&](tesseract::ResultIterator& it, const std::optional<Box>& ink) {
      if (it.Empty(tesseract::RIL_TEXTLINE)) return;
      do {
        Line line;
        line.bbox = ink ? *ink : box_of(it, tesseract::RIL_TEXTLINE);
        const std::string raw = take_text(it.GetUTF8Text(tesseract::RIL_TEXTLINE));
        line.text = normalize_line(raw);
        line.confidence = it.Confidence(tesseract::RIL_TEXTLINE) / 100.0;
        if (line.text.empty()) continue;
        // The characters follow the line's normalisation one for one; where Tesseract's symbols
        // do not spell its line text the line keeps no characters rather than wrong ones.
        std::vector<Glyph> glyphs = read_symbols(it, request.mode == ReadMode::VerticalBlock);
        if (respell_glyphs(glyphs, raw, line.text)) line.chars = std::move(glyphs);
        if (!line.bbox.empty())
          for (Glyph& g : line.chars) g.bbox = clip_into(g.bbox, line.bbox);
        result.lines.push_back(std::move(line));
      } while (!ink && it.Next(tesseract::RIL_TEXTLINE));
    };
    if (request.mode == ReadMode::DisplayLines) {
      // Display type reads better line by line as raw lines than as a block: on the dev sets'
      // headline, kicker and subheadline regions CER 4.11 % -> 2.95 % (models/README.md).
      std::vector<Box> ink_lines;
      {
        std::unique_ptr<tesseract::PageIterator> layout(api.AnalyseLayout());
        if (layout && !layout->Empty(tesseract::RIL_TEXTLINE)) {
          do {
            const Box b = box_of(*layout, tesseract::RIL_TEXTLINE);
            if (!b.empty()) ink_lines.push_back(b);
          } while (layout->Next(tesseract::RIL_TEXTLINE));
        }
      }
      // Lines found from the ink's rows alone are kept only when read with some confidence: on
      // the dev sets' regions of heavy type they read at 0.80-0.96, the halftone dots of a
      // photo's edge at 0-0.16.
      const InkRows rows = ink_rows(gray, cv::Rect(x0, y0, x1 - x0, y1 - y0));
      api.SetPageSegMode(tesseract::PSM_RAW_LINE);
      for (const DisplayLine& line : display_lines(ink_lines, rows)) {
        const Box& ink = line.box;
        const int m = static_cast<int>(std::lround(kDisplayLineMargin * ink.h));
        const int lx0 = std::max(ink.x - m, 0), ly0 = std::max(ink.y - m, 0);
        const int lx1 = std::min(ink.x + ink.w + m, page.w);
        const int ly1 = std::min(ink.y + ink.h + m, page.h);
        api.SetRectangle(lx0, ly0, lx1 - lx0, ly1 - ly0);
        if (api.Recognize(nullptr) != 0) continue;
        std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
        const size_t before = result.lines.size();
        if (it) take_lines(*it, ink);
        if (line.from_rows && result.lines.size() > before &&
            result.lines.back().confidence < kFoundLineMinConfidence)
          result.lines.pop_back();
      }
    } else {
      if (api.Recognize(nullptr) != 0) {
        out.push_back(std::move(result));
        continue;
      }
      std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
      if (it) take_lines(*it, std::nullopt);
    }
    // Marks the model reads by position more than by shape, settled from their ink; vertical
    // glyph boxes are shares of a word's box, too coarse for that.
    if (request.mode != ReadMode::VerticalBlock) {
      settle_punctuation(gray, result.lines);
      settle_percent(result.lines, read_number);
    }
    // Paragraphs, from geometry: the median line height is the character size.
    std::vector<int> heights;
    int left = x1, right = x0;
    for (const Line& l : result.lines) {
      heights.push_back(l.bbox.h);
      left = std::min(left, l.bbox.x);
      right = std::max(right, l.bbox.x + l.bbox.w);
    }
    std::vector<std::string> texts;
    std::vector<bool> starts;
    double confidence_sum = 0;
    if (!heights.empty()) {
      std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
      const int char_px = std::max(1, heights[heights.size() / 2]);
      for (size_t i = 0; i < result.lines.size(); ++i) {
        const Line& l = result.lines[i];
        const bool indented = l.bbox.x - left >= char_px;
        const bool after_short =
            i > 0 &&
            (right - (result.lines[i - 1].bbox.x + result.lines[i - 1].bbox.w)) >= 2 * char_px;
        starts.push_back(
            (request.mode == ReadMode::Block || request.mode == ReadMode::DisplayLines) &&
            (indented || after_short));
        texts.push_back(l.text);
        confidence_sum += l.confidence;
      }
      result.confidence = confidence_sum / static_cast<double>(result.lines.size());
    }
    result.text = join_lines(texts, starts);
    if (impl_->opencc != reinterpret_cast<opencc_t>(-1) && !result.text.empty()) {
      auto convert = [&](const std::string& in) {
        std::unique_ptr<char, void (*)(char*)> converted(
            opencc_convert_utf8(impl_->opencc, in.c_str(), in.size()), opencc_convert_utf8_free);
        return converted ? std::string(converted.get()) : in;
      };
      std::string converted = convert(result.text);
      if (converted != result.text) {
        result.original_text = std::move(result.text);
        result.text = std::move(converted);
        for (Line& l : result.lines) {
          std::string text = convert(l.text);
          // OpenCC converts phrases, so a glyph's character is taken from the converted line;
          // a conversion that changes the line's length leaves no glyph attributable.
          if (!respell_glyphs(l.chars, l.text, text)) l.chars.clear();
          l.text = std::move(text);
        }
      }
    }
    out.push_back(std::move(result));
  }
  impl_->api.Clear();
  if (impl_->vertical) impl_->vertical->Clear();
  impl_->vertical_image = nullptr;
  if (impl_->numbers) impl_->numbers->Clear();
  impl_->numbers_image = nullptr;
  return out;
}

}  // namespace broadsheet::recognize
