#include "preprocess/preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "test_paths.hpp"

namespace broadsheet::preprocess {
namespace {

namespace fs = std::filesystem;

// ---- Synthetic pages with known truth ---------------------------------------------------------
//
// A page is drawn as an ink mask: a headline, three columns of justified body text in paragraphs
// (first line indented by two characters, last line short, as Chinese text is set), and a framed
// box. Each "character" is a few random strokes in a square cell, so it binarises like a glyph and
// not like a solid block. The scan is then made from the mask: yellowed paper, uneven light,
// bleed-through of another page's mirrored ink, blur and noise.

struct SyntheticPage {
  cv::Mat ink;     // CV_8UC1, 255 = text ink (the truth)
  cv::Rect frame;  // outer edges of the framed box
  int char_px = 0;
};

void draw_glyph(cv::Mat& ink, cv::Rect cell, cv::RNG& rng) {
  const int m = std::max(1, cell.width / 10);
  const int t = std::max(1, cell.width / 12);
  const int x0 = cell.x + m;
  const int y0 = cell.y + m;
  const int x1 = cell.x + cell.width - m;
  const int y1 = cell.y + cell.height - m;
  // Like most CJK characters, each glyph reaches across its cell: one stroke spans the width,
  // one the height; the rest fall anywhere.
  cv::line(ink, {x0, rng.uniform(y0, y1)}, {x1, rng.uniform(y0, y1)}, cv::Scalar(255), t);
  cv::line(ink, {rng.uniform(x0, x1), y0}, {rng.uniform(x0, x1), y1}, cv::Scalar(255), t);
  const int strokes = rng.uniform(1, 5);
  for (int i = 0; i < strokes; ++i) {
    if (rng.uniform(0, 2) == 0) {
      const int y = rng.uniform(y0, y1);
      const int a = rng.uniform(x0, (x0 + x1) / 2);
      const int b = rng.uniform((x0 + x1) / 2, x1);
      cv::line(ink, {a, y}, {b, y}, cv::Scalar(255), t);
    } else {
      const int x = rng.uniform(x0, x1);
      const int a = rng.uniform(y0, (y0 + y1) / 2);
      const int b = rng.uniform((y0 + y1) / 2, y1);
      cv::line(ink, {x, a}, {x, b}, cv::Scalar(255), t);
    }
  }
}

// Horizontal text; `size` should be portrait, char_px ≈ 3.3 mm at the page's dpi.
SyntheticPage make_page(cv::Size size, int char_px, int seed) {
  SyntheticPage page;
  page.char_px = char_px;
  page.ink = cv::Mat::zeros(size, CV_8UC1);
  cv::RNG rng(static_cast<std::uint64_t>(seed) * 7919 + 17);
  const int margin_x = size.width / 12;
  const int margin_y = size.height / 14;
  const int c = char_px;

  // Headline: large characters across the page.
  const int head = 3 * c;
  int y = margin_y;
  for (int x = margin_x + 2 * c; x + head <= size.width - margin_x - 2 * c; x += head + c / 2) {
    draw_glyph(page.ink, cv::Rect(x, y, head, head), rng);
  }
  y += head + 2 * c;

  // A framed box under the headline, spanning the first column.
  const int gutter = 2 * c;
  const int columns = 3;
  const int col_w = (size.width - 2 * margin_x - (columns - 1) * gutter) / columns;
  const int chars_per_line = col_w / c;
  {
    cv::Mat frame = cv::Mat::zeros(size, CV_8UC1);
    cv::rectangle(frame, cv::Rect(margin_x, y, col_w, 8 * c), cv::Scalar(255), std::max(2, c / 8));
    page.frame = cv::boundingRect(frame);  // the ink's own edges
    page.ink |= frame;
  }
  for (int yy = y + c; yy + c <= y + 7 * c; yy += 3 * c / 2) {
    for (int k = 1; k + 1 < chars_per_line; ++k) {
      draw_glyph(page.ink, cv::Rect(margin_x + k * c, yy, c, c), rng);
    }
  }
  const int body_top = y;
  const int pitch = 3 * c / 2;  // line spacing 0.5 em
  for (int col = 0; col < columns; ++col) {
    const int x0 = margin_x + col * (col_w + gutter);
    int line_y = col == 0 ? body_top + 9 * c : body_top;
    while (line_y + c <= size.height - margin_y) {
      const int lines = rng.uniform(2, 7);
      for (int l = 0; l < lines && line_y + c <= size.height - margin_y; ++l) {
        int first = 0;
        int last = chars_per_line;
        if (l == 0) first = 2;
        if (l == lines - 1) last = rng.uniform(3, chars_per_line - 1);
        for (int k = first; k < last; ++k) {
          draw_glyph(page.ink, cv::Rect(x0 + k * c, line_y, c, c), rng);
        }
        line_y += pitch;
      }
    }
  }
  return page;
}

struct ScanLook {
  double paper = 228;       // yellowed paper
  double light_low = 0.62;  // light falls to this share at the darkest corner
  double bleed = 0.30;      // darkening by the mirrored ink of the other side
  double noise = 6;
};

// Scan of `ink` with `bleed_ink` showing through from the back (mirrored).
cv::Mat make_scan(const cv::Mat& ink, const cv::Mat& bleed_ink, const ScanLook& look, int seed) {
  cv::Mat text;
  ink.convertTo(text, CV_32F, 1.0 / 255);
  cv::GaussianBlur(text, text, cv::Size(), 0.8);
  cv::Mat back = cv::Mat::zeros(ink.size(), CV_32F);
  if (!bleed_ink.empty()) {
    cv::Mat mirrored;
    cv::flip(bleed_ink, mirrored, 1);
    mirrored.convertTo(back, CV_32F, 1.0 / 255);
    cv::GaussianBlur(back, back, cv::Size(), 1.6);
  }
  cv::Mat scan(ink.size(), CV_32F);
  const double w = ink.cols;
  const double h = ink.rows;
  for (int y = 0; y < ink.rows; ++y) {
    for (int x = 0; x < ink.cols; ++x) {
      // Light: a diagonal fall-off plus a vignette.
      const double d = (x / w + y / h) / 2;
      const double r2 = std::pow(x / w - 0.5, 2) + std::pow(y / h - 0.5, 2);
      const double light = 1.0 - (1.0 - look.light_low) * (0.7 * d + 0.6 * r2);
      const double reflect =
          std::max(0.08, 1.0 - 0.85 * text.at<float>(y, x) - look.bleed * back.at<float>(y, x));
      scan.at<float>(y, x) = static_cast<float>(look.paper * light * reflect);
    }
  }
  cv::Mat noise(ink.size(), CV_32F);
  cv::RNG rng(static_cast<std::uint64_t>(seed) + 99);
  rng.fill(noise, cv::RNG::NORMAL, 0, look.noise);
  scan += noise;
  cv::Mat out;
  scan.convertTo(out, CV_8U);
  return out;
}

// The scan turned counter-clockwise by angle_deg about its centre, same size, paper-coloured edge.
cv::Mat turned(const cv::Mat& img, double angle_deg, int interpolation = cv::INTER_LINEAR) {
  const cv::Point2f centre(static_cast<float>((img.cols - 1) / 2.0),
                           static_cast<float>((img.rows - 1) / 2.0));
  cv::Mat out;
  cv::warpAffine(img, out, cv::getRotationMatrix2D(centre, angle_deg, 1.0), img.size(),
                 interpolation, cv::BORDER_REPLICATE);
  return out;
}

// Bounding box of `r` turned like `turned` does.
Box turned_box(cv::Rect r, cv::Size size, double angle_deg) {
  const cv::Point2f centre(static_cast<float>((size.width - 1) / 2.0),
                           static_cast<float>((size.height - 1) / 2.0));
  const cv::Matx23d m = cv::getRotationMatrix2D(centre, angle_deg, 1.0);
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const cv::Point2d p :
       {cv::Point2d(r.x, r.y), cv::Point2d(r.x + r.width, r.y), cv::Point2d(r.x, r.y + r.height),
        cv::Point2d(r.x + r.width, r.y + r.height)}) {
    const cv::Point2d c = p - cv::Point2d(0.5, 0.5);
    const double x = m(0, 0) * c.x + m(0, 1) * c.y + m(0, 2) + 0.5;
    const double y = m(1, 0) * c.x + m(1, 1) * c.y + m(1, 2) + 0.5;
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  const int ix0 = static_cast<int>(std::floor(x0));
  const int iy0 = static_cast<int>(std::floor(y0));
  return {ix0, iy0, static_cast<int>(std::ceil(x1)) - ix0, static_cast<int>(std::ceil(y1)) - iy0};
}

// Largest ink component of a clean page: the framed box.
Box largest_component(const cv::Mat& binary) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
  int best = -1;
  long long best_area = 0;
  for (int i = 1; i < n; ++i) {
    const long long area = static_cast<long long>(stats.at<int>(i, cv::CC_STAT_WIDTH)) *
                           stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (area > best_area) {
      best_area = area;
      best = i;
    }
  }
  if (best < 0) return {};
  return {stats.at<int>(best, cv::CC_STAT_LEFT), stats.at<int>(best, cv::CC_STAT_TOP),
          stats.at<int>(best, cv::CC_STAT_WIDTH), stats.at<int>(best, cv::CC_STAT_HEIGHT)};
}

ingest::PageImage page_image(cv::Mat gray, double dpi, std::string name = "synthetic.png") {
  ingest::PageImage p;
  p.path = name;
  p.gray = std::move(gray);
  p.dpi = dpi;
  return p;
}

// A4 at 200 dpi, body characters of 3.3 mm.
constexpr double kDpi = 200;
const cv::Size kPageSize(1654, 2339);
constexpr int kCharPx = 26;

class PreprocessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    front_ = new SyntheticPage(make_page(kPageSize, kCharPx, 1));
    back_ = new SyntheticPage(make_page(kPageSize, kCharPx, 2));
    scan_ = new cv::Mat(make_scan(front_->ink, back_->ink, ScanLook{}, 1));
  }
  static void TearDownTestSuite() {
    delete front_;
    delete back_;
    delete scan_;
  }
  static SyntheticPage* front_;
  static SyntheticPage* back_;
  static cv::Mat* scan_;
};
SyntheticPage* PreprocessTest::front_ = nullptr;
SyntheticPage* PreprocessTest::back_ = nullptr;
cv::Mat* PreprocessTest::scan_ = nullptr;

// ---- Transform ----------------------------------------------------------------------------------

TEST(PreprocessTransformTest, IdentityMapsBoxesToThemselvesAndClips) {
  const Transform t = Transform::identity(cv::Size(100, 50));
  EXPECT_EQ(t.to_original(Box{10, 5, 20, 10}), (Box{10, 5, 20, 10}));
  EXPECT_EQ(t.to_original(Box{90, 40, 30, 30}), (Box{90, 40, 10, 10}));
  EXPECT_TRUE(t.to_original(Box{200, 200, 5, 5}).empty());
}

TEST(PreprocessTransformTest, RoundTripsPointsThroughCropAndTurn) {
  Transform t;
  const double a = 2.0 * CV_PI / 180;
  // Clean → original: turn by 2° and shift by a crop offset of (300, 0).
  t.clean_to_original = cv::Matx23d(std::cos(a), std::sin(a), 300, -std::sin(a), std::cos(a), 0);
  t.original_size = cv::Size(1000, 1000);
  t.clean_size = cv::Size(600, 1000);
  const cv::Point2d p(123.5, 456.25);
  const cv::Point2d q = t.to_clean(t.to_original(p));
  EXPECT_NEAR(q.x, p.x, 1e-9);
  EXPECT_NEAR(q.y, p.y, 1e-9);
  // A turned box maps to the bounding box of its corners, which holds the box.
  const Box b{100, 200, 50, 80};
  const Box there = t.to_original(b);
  EXPECT_GT(there.w, b.w);
  EXPECT_GT(there.h, b.h);
  const Box back = t.to_clean(there);
  EXPECT_EQ(intersection_area(back, b), b.area());
}

TEST(PreprocessTransformTest, QuarterTurnMapsPixelEdgesExactly) {
  // A clean page made by turning a 100x60 scan clockwise (content was turned 90° counter-
  // clockwise): clean(x', y') = scan(y', 59 - x').
  Transform t;
  t.clean_to_original = cv::Matx23d(0, 1, 0, -1, 0, 59);
  t.original_size = cv::Size(100, 60);
  t.clean_size = cv::Size(60, 100);
  EXPECT_EQ(t.to_original(Box{0, 0, 10, 20}), (Box{0, 50, 20, 10}));
  EXPECT_EQ(t.to_clean(Box{0, 50, 20, 10}), (Box{0, 0, 10, 20}));
}

// ---- Binarisation against bleed-through --------------------------------------------------------

struct BinarizationScore {
  double text_lost = 0;   // share of text-ink pixels left as paper
  double bleed_kept = 0;  // share of bleed-only pixels marked as ink
};

BinarizationScore score(const cv::Mat& binary, const SyntheticPage& front,
                        const SyntheticPage& back) {
  cv::Mat bleed;
  cv::flip(back.ink, bleed, 1);
  cv::Mat near_text;
  cv::dilate(front.ink, near_text, cv::Mat(), cv::Point(-1, -1), 2);
  cv::Mat bleed_only = bleed & ~near_text;
  BinarizationScore s;
  const double text = cv::countNonZero(front.ink);
  s.text_lost = cv::countNonZero(front.ink & ~binary) / text;
  s.bleed_kept =
      cv::countNonZero(bleed_only & binary) / std::max(1.0, 1.0 * cv::countNonZero(bleed_only));
  return s;
}

// The comparison the design asks for: flattening + Sauvola + paper gate (what clean_page uses)
// against plain Sauvola and Otsu, with and without flattening, on pages with bleed-through of
// three strengths (the back page's ink darkens the paper by 20, 30, 45 %). Prints the table;
// asserts that the chosen method keeps its lead where bleed-through is moderate. At 45 % every
// method keeps much of it; only a lower gate (ink_max_paper_ratio 0.55, last row) removes it, at a
// cost in faint strokes that real 1919 print cannot afford by default.
TEST_F(PreprocessTest, ChosenBinarizationBeatsSauvolaAndOtsuOnBleedThrough) {
  const Options options;
  Options strong = options;
  strong.ink_max_paper_ratio = 0.55;
  strong.ink_gate_share = 0;  // a fixed gate: heavy bleed-through would raise one set by the ink
  const int window = static_cast<int>(std::lround(options.sauvola_window_mm / 25.4 * kDpi));
  std::printf("%-32s %6s %12s %12s\n", "method", "bleed", "text lost %", "bleed ink %");
  for (const double bleed : {0.2, 0.3, 0.45}) {
    ScanLook look;
    look.bleed = bleed;
    const cv::Mat scan = make_scan(front_->ink, back_->ink, look, 3);
    const cv::Mat flat = flatten_background(scan, estimate_background(scan, kDpi));
    struct Row {
      const char* name;
      cv::Mat binary;
    };
    const std::vector<Row> rows{
        {"otsu", binarize_otsu(scan)},
        {"flatten+otsu", binarize_otsu(flat)},
        {"sauvola", binarize_sauvola(scan, window, options.sauvola_k)},
        {"flatten+sauvola", binarize_sauvola(flat, window, options.sauvola_k)},
        {"flatten+sauvola+gate 0.55", binarize(flat, kDpi, strong)},
        {"flatten+sauvola+gate (default)", binarize(flat, kDpi, options)},
    };
    std::vector<BinarizationScore> scores;
    for (const auto& row : rows) {
      scores.push_back(score(row.binary, *front_, *back_));
      std::printf("%-32s %6.2f %12.2f %12.2f\n", row.name, bleed, 100 * scores.back().text_lost,
                  100 * scores.back().bleed_kept);
    }
    const BinarizationScore used = scores.back();
    const BinarizationScore sauvola = scores[2];
    const BinarizationScore otsu = scores[1];
    if (bleed <= 0.3) {
      EXPECT_LT(used.text_lost + used.bleed_kept, sauvola.text_lost + sauvola.bleed_kept)
          << "bleed " << bleed;
      EXPECT_LT(used.text_lost + used.bleed_kept, otsu.text_lost + otsu.bleed_kept)
          << "bleed " << bleed;
      EXPECT_LT(used.bleed_kept, 0.01) << "bleed " << bleed;
    } else {
      EXPECT_LT(scores[4].bleed_kept, 0.05);
    }
    EXPECT_LT(used.text_lost, 0.01) << "bleed " << bleed;
  }
}

// A light face at a low resolution: the scan blurs its one-pixel strokes to grey, lighter than the
// fixed gate (0.65 of the paper) that keeps bleed-through out. The gate follows the page's ink:
// the thin strokes (the bar of 一, a comma) stay ink, where a fixed gate loses them and with them
// the ink that holds a line of text together.
TEST(PreprocessBinarizeTest, KeepsTheGreyThinStrokesOfALightFace) {
  cv::Mat flat(400, 400, CV_8UC1, cv::Scalar(255));
  cv::Mat thin = cv::Mat::zeros(flat.size(), CV_8UC1);
  for (int y = 20; y + 14 < flat.rows; y += 22) {
    for (int x = 20; x + 14 < flat.cols; x += 16) {
      if ((x / 16 + y / 22) % 3 == 0) {  // 一: one grey bar
        cv::line(thin, cv::Point(x + 1, y + 7), cv::Point(x + 12, y + 7), cv::Scalar(255), 1);
      } else {  // a character of two-pixel strokes, grey too but darker
        cv::rectangle(flat, cv::Rect(x + 1, y + 1, 12, 12), cv::Scalar(150), 2);
      }
    }
  }
  flat.setTo(cv::Scalar(178), thin);  // 0.70 of the paper
  const double bars = cv::countNonZero(thin);
  const Options options;
  const cv::Mat adaptive = binarize(flat, 200, options);
  EXPECT_GT(cv::countNonZero(adaptive & thin), 0.9 * bars);
  Options fixed = options;
  fixed.ink_gate_share = 0;
  const cv::Mat gated = binarize(flat, 200, fixed);
  EXPECT_LT(cv::countNonZero(gated & thin), 0.1 * bars);
}

TEST(PreprocessSauvolaTest, WindowsBeyondTheIntegerRangeGiveTheSameAnswer) {
  cv::Mat gray(400, 400, CV_8UC1, cv::Scalar(220));
  cv::putText(gray, "broadsheet", cv::Point(20, 200), cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(30),
              5);
  const cv::Mat small_window = binarize_sauvola(gray, 181, 0.3);  // integer sums
  const cv::Mat large_window = binarize_sauvola(gray, 183, 0.3);  // double sums
  EXPECT_GT(cv::countNonZero(small_window), 1000);
  EXPECT_LT(cv::countNonZero(small_window ^ large_window), 50);
}

TEST(PreprocessSpecksTest, RemovesDustButKeepsPunctuationSizedMarks) {
  cv::Mat b = cv::Mat::zeros(100, 100, CV_8UC1);
  b.at<std::uint8_t>(10, 10) = 255;                               // 1 px dust
  cv::rectangle(b, cv::Rect(50, 50, 5, 5), cv::Scalar(255), -1);  // 25 px mark
  remove_specks(b, 6);
  EXPECT_EQ(b.at<std::uint8_t>(10, 10), 0);
  EXPECT_EQ(cv::countNonZero(b), 25);
}

// ---- Skew ---------------------------------------------------------------------------------------

class PreprocessSkewTest : public PreprocessTest, public ::testing::WithParamInterface<double> {};

TEST_P(PreprocessSkewTest, FindsTheAngleWithItsSignAndMapsBoxesBack) {
  const double angle = GetParam();
  const cv::Mat scan = turned(*scan_, angle);
  auto pages = clean_page(page_image(scan, kDpi), Options{});
  ASSERT_TRUE(pages) << pages.error().describe();
  ASSERT_EQ(pages->size(), 1u);
  const CleanPage& page = pages->front();
  std::printf("skew %+.2f found %+.3f (error %+.3f)\n", angle, page.skew_deg,
              page.skew_deg - angle);
  EXPECT_NEAR(page.skew_deg, angle, 0.2);
  EXPECT_EQ(page.rotation_deg, 0);
  EXPECT_EQ(page.fold_half, -1);
  EXPECT_EQ(page.gray.size(), page.binary.size());

  // The framed box found in the clean page, mapped back, lies where the scan has it.
  const Box in_clean = largest_component(page.binary);
  const Box expected = turned_box(front_->frame, scan.size(), angle);
  const Box back = page.transform.to_original(in_clean);
  std::printf("skew %+.2f frame IoU %.3f\n", angle, iou(back, expected));
  EXPECT_GE(iou(back, expected), 0.9)
      << "clean " << in_clean.x << "," << in_clean.y << " " << in_clean.w << "x" << in_clean.h
      << " back " << back.x << "," << back.y << " " << back.w << "x" << back.h << " expected "
      << expected.x << "," << expected.y << " " << expected.w << "x" << expected.h;
}

INSTANTIATE_TEST_SUITE_P(Angles, PreprocessSkewTest,
                         ::testing::Values(-1.7, 0.4, 2.0, -4.5, 0.0, 3.3),
                         [](const ::testing::TestParamInfo<double>& param_info) {
                           std::string s = std::to_string(param_info.param);
                           std::replace(s.begin(), s.end(), '-', 'm');
                           std::replace(s.begin(), s.end(), '.', 'p');
                           return "deg_" + s;
                         });

TEST_F(PreprocessTest, FindsTheSkewOfVerticalColumns) {
  const SyntheticPage wide = make_page(cv::Size(kPageSize.height, kPageSize.width), kCharPx, 4);
  cv::Mat vertical;
  cv::transpose(make_scan(wide.ink, back_->ink.t(), ScanLook{}, 4), vertical);
  for (const double angle : {-2.6, 1.2}) {
    auto pages = clean_page(page_image(turned(vertical, angle), kDpi), Options{});
    ASSERT_TRUE(pages);
    EXPECT_NEAR(pages->front().skew_deg, angle, 0.2);
    EXPECT_EQ(pages->front().rotation_deg, 0);
  }
}

TEST_F(PreprocessTest, DeskewOffKeepsTheScanGeometry) {
  Options options;
  options.deskew = false;
  auto pages = clean_page(page_image(turned(*scan_, 2.0), kDpi), options);
  ASSERT_TRUE(pages);
  EXPECT_EQ(pages->front().skew_deg, 0);
  EXPECT_EQ(pages->front().gray.size(), scan_->size());
}

// ---- Rotation -----------------------------------------------------------------------------------

TEST_F(PreprocessTest, DetectsAQuarterTurnWhenTheTextAxisIsKnown) {
  Options options;
  options.text_axis = TextAxis::Horizontal;
  for (const auto& [code, expected] :
       {std::pair{cv::ROTATE_90_CLOCKWISE, 270}, std::pair{cv::ROTATE_90_COUNTERCLOCKWISE, 90}}) {
    cv::Mat scan;
    cv::rotate(*scan_, scan, code);
    auto pages = clean_page(page_image(scan, kDpi), options);
    ASSERT_TRUE(pages) << pages.error().describe();
    const CleanPage& page = pages->front();
    EXPECT_EQ(page.rotation_deg, expected);
    EXPECT_EQ(page.gray.size(), scan_->size());
    // The frame comes back upright and maps onto its place in the turned scan.
    const Box in_clean = largest_component(page.binary);
    EXPECT_NEAR(in_clean.x, front_->frame.x, 6);
    EXPECT_NEAR(in_clean.y, front_->frame.y, 6);
    const Box back = page.transform.to_original(in_clean);
    cv::Mat frame_mask = cv::Mat::zeros(scan_->size(), CV_8UC1);
    cv::rectangle(frame_mask, front_->frame, cv::Scalar(255), -1);
    cv::rotate(frame_mask, frame_mask, code);
    const cv::Rect r = cv::boundingRect(frame_mask);
    EXPECT_GE(iou(back, Box{r.x, r.y, r.width, r.height}), 0.9);
  }
}

TEST_F(PreprocessTest, DetectsAnUpsideDownPage) {
  cv::Mat scan;
  cv::rotate(*scan_, scan, cv::ROTATE_180);
  auto pages = clean_page(page_image(scan, kDpi), Options{});
  ASSERT_TRUE(pages);
  EXPECT_EQ(pages->front().rotation_deg, 180);
  auto upright = clean_page(page_image(*scan_, kDpi), Options{});
  ASSERT_TRUE(upright);
  EXPECT_EQ(upright->front().rotation_deg, 0);
}

TEST_F(PreprocessTest, DetectsAnUpsideDownPageOfVerticalColumns) {
  // A landscape page transposed: portrait, columns run top to bottom, paragraphs start at the top.
  const SyntheticPage wide = make_page(cv::Size(kPageSize.height, kPageSize.width), kCharPx, 3);
  cv::Mat vertical;
  cv::transpose(make_scan(wide.ink, cv::Mat(), ScanLook{}, 3), vertical);
  auto upright = clean_page(page_image(vertical, kDpi), Options{});
  ASSERT_TRUE(upright);
  EXPECT_EQ(upright->front().rotation_deg, 0);
  cv::Mat flipped;
  cv::rotate(vertical, flipped, cv::ROTATE_180);
  auto pages = clean_page(page_image(flipped, kDpi), Options{});
  ASSERT_TRUE(pages);
  EXPECT_EQ(pages->front().rotation_deg, 180);
}

// ---- Folds --------------------------------------------------------------------------------------

TEST_F(PreprocessTest, SplitsAFoldAtItsShadowedGutterRightPageFirst) {
  // Two pages side by side, the join darkened by a gutter shadow with a dark crease in it, and the
  // whole fold turned by 1°.
  cv::Mat fold;
  const cv::Mat right = make_scan(back_->ink, front_->ink, ScanLook{}, 5);
  cv::hconcat(*scan_, right, fold);
  const double gutter = scan_->cols;
  const double sigma = 0.012 * fold.cols;
  for (int x = 0; x < fold.cols; ++x) {
    const double shade = 1.0 - 0.45 * std::exp(-std::pow(x - gutter, 2) / (2 * sigma * sigma));
    fold.col(x).convertTo(fold.col(x), CV_8U, std::abs(x - gutter) < 2 ? 0.3 : shade);
  }
  fold = turned(fold, 1.0);

  auto pages = clean_page(page_image(fold, kDpi), Options{});
  ASSERT_TRUE(pages) << pages.error().describe();
  ASSERT_EQ(pages->size(), 2u);
  const CleanPage& first = (*pages)[0];
  const CleanPage& second = (*pages)[1];
  EXPECT_EQ(first.fold_half, 0);
  EXPECT_EQ(second.fold_half, 1);
  // Right page first: it was cut from the right of the scan.
  EXPECT_GT(first.transform.crop.x, 0);
  EXPECT_EQ(second.transform.crop.x, 0);
  // The cut (where the two crops meet) is within 2 % of the width of the true gutter.
  const double cut_left = second.transform.crop.x + second.transform.crop.width;
  const double cut_right = first.transform.crop.x;
  std::printf(
      "fold: gutter %.0f, cut %.0f..%.0f (%.2f %% of the width off)\n", gutter, cut_right, cut_left,
      100 * std::max(std::abs(cut_left - gutter), std::abs(cut_right - gutter)) / fold.cols);
  EXPECT_NEAR(cut_left, gutter, 0.02 * fold.cols);
  EXPECT_NEAR(cut_right, gutter, 0.02 * fold.cols);
  for (const auto& p : *pages) EXPECT_NEAR(p.skew_deg, 1.0, 0.2);

  Options left_first;
  left_first.fold_order = FoldOrder::LeftFirst;
  auto again = clean_page(page_image(fold, kDpi), left_first);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ((*again)[0].transform.crop.x, 0);
}

TEST_F(PreprocessTest, LeavesTheCallersImageUntouched) {
  cv::Mat scan;
  cv::rotate(*scan_, scan, cv::ROTATE_180);
  const cv::Mat before = scan.clone();
  Options options;
  options.flatten_background = false;
  auto pages = clean_page(page_image(scan, kDpi), options);
  ASSERT_TRUE(pages);
  EXPECT_EQ(pages->front().rotation_deg, 180);
  EXPECT_EQ(cv::countNonZero(scan != before), 0);
}

TEST_F(PreprocessTest, DoesNotSplitASinglePortraitPage) {
  auto pages = clean_page(page_image(*scan_, kDpi), Options{});
  ASSERT_TRUE(pages);
  EXPECT_EQ(pages->size(), 1u);
}

// ---- Bad pixels ---------------------------------------------------------------------------------

TEST(PreprocessBadInputTest, BlankPageGivesANoteAndNoSkew) {
  const cv::Mat ink = cv::Mat::zeros(kPageSize, CV_8UC1);
  const cv::Mat scan = make_scan(ink, cv::Mat(), ScanLook{}, 7);
  auto pages = clean_page(page_image(scan, kDpi), Options{});
  ASSERT_TRUE(pages) << pages.error().describe();
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().skew_deg, 0);
  EXPECT_FALSE(pages->front().notes.empty());
  EXPECT_LT(cv::countNonZero(pages->front().binary), 0.001 * static_cast<double>(scan.total()));
}

TEST(PreprocessBadInputTest, AllPhotoPageDoesNotCrash) {
  cv::Mat photo(kPageSize, CV_8UC1);
  cv::RNG rng(5);
  rng.fill(photo, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(photo, photo, cv::Size(), 25);
  cv::normalize(photo, photo, 0, 255, cv::NORM_MINMAX);
  auto pages = clean_page(page_image(photo, kDpi), Options{});
  ASSERT_TRUE(pages) << pages.error().describe();
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().gray.size(), photo.size());
  EXPECT_EQ(pages->front().skew_deg, 0);
  EXPECT_FALSE(pages->front().notes.empty());
}

TEST(PreprocessBadInputTest, TinyImagePassesThroughWithANote) {
  const cv::Mat tiny(20, 30, CV_8UC1, cv::Scalar(200));
  auto pages = clean_page(page_image(tiny, 300), Options{});
  ASSERT_TRUE(pages);
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().gray.size(), tiny.size());
  EXPECT_EQ(pages->front().skew_deg, 0);
  EXPECT_FALSE(pages->front().notes.empty());
}

TEST(PreprocessBadInputTest, EmptyOrColourImageIsRejected) {
  auto empty = clean_page(page_image(cv::Mat(), 300, "empty.png"), Options{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::InputRejected);
  EXPECT_EQ(empty.error().input, fs::path("empty.png"));
  auto colour =
      clean_page(page_image(cv::Mat(50, 50, CV_8UC3, cv::Scalar::all(255)), 300), Options{});
  ASSERT_FALSE(colour);
  EXPECT_EQ(colour.error().code, ErrorCode::InputRejected);
}

TEST(PreprocessBadInputTest, AssumedDpiIsNoted) {
  auto p = page_image(cv::Mat(400, 300, CV_8UC1, cv::Scalar(255)), 300);
  p.dpi_assumed = true;
  auto pages = clean_page(p, Options{});
  ASSERT_TRUE(pages);
  const auto& notes = pages->front().notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(), "dpi assumed 300"), notes.end());
}

TEST(PreprocessOptionsTest, RejectsOutOfRangeValuesNamingTheField) {
  Options o;
  o.max_skew_deg = 90;
  auto r = validate(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::BadArguments);
  EXPECT_NE(r.error().message.find("max_skew_deg"), std::string::npos);
  auto pages = clean_page(page_image(cv::Mat(400, 300, CV_8UC1, cv::Scalar(255)), 300), o);
  EXPECT_FALSE(pages);
  EXPECT_TRUE(validate(Options{}));
}

// ---- Real scans ---------------------------------------------------------------------------------

TEST(PreprocessRealScanTest, EachFoldSplitsIntoTwoPagesNearTheMiddle) {
  const fs::path dir = fs::path(test::kSourceDir) / ".." / "shared" / "real-scans";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "real scans not found in " << dir;
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".jpg") continue;
    ++seen;
    auto page = ingest::load_page(entry.path());
    ASSERT_TRUE(page) << page.error().describe();
    auto pages = clean_page(*page, Options{});
    ASSERT_TRUE(pages) << pages.error().describe();
    ASSERT_EQ(pages->size(), 2u) << entry.path();
    const double width = page->gray.cols;
    const double cut = (*pages)[0].transform.crop.x;  // right page first
    EXPECT_GT(cut, 0.4 * width) << entry.path();
    EXPECT_LT(cut, 0.6 * width) << entry.path();
    for (const auto& p : *pages) {
      EXPECT_LE(std::abs(p.skew_deg), 5.0);
      EXPECT_EQ(p.rotation_deg, 0) << entry.path();
      EXPECT_EQ(p.gray.size(), p.binary.size());
    }
  }
  if (seen == 0) GTEST_SKIP() << "no .jpg scans in " << dir;
}

}  // namespace
}  // namespace broadsheet::preprocess
