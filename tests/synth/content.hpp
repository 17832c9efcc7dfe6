#pragma once
/// What the synthetic pages say: newspapers, calendar strings, a paragraph corpus and small phrase
/// lists from which headlines, bylines, captions and adverts are built.

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace broadsheet::synth {

using Rng = std::mt19937_64;

struct Date {
  int year = 2025;
  int month = 1;
  int day = 1;
};

[[nodiscard]] Date add_days(Date d, int days);
/// Days from `a` to `b` (negative when b is earlier).
[[nodiscard]] long long days_between(Date a, Date b);
[[nodiscard]] std::string iso_date(Date d);
/// Parses "YYYY-MM-DD"; false when malformed.
[[nodiscard]] bool parse_iso_date(std::string_view s, Date& out);
/// "星期四"
[[nodiscard]] std::string weekday_name(Date d);
/// Chinese lunisolar date as printed on a masthead: "乙巳年閏六月十四".
[[nodiscard]] std::string lunar_date(Date d);
/// 1 → "一", 10 → "十", 14 → "十四", 23 → "二十三" (1..99).
[[nodiscard]] std::string chinese_number(int n);

struct Paper {
  std::string slug;       ///< folder name: "jinzhong-ribao"
  std::string name;       ///< 晉中日報
  std::string latin;      ///< JINZHONG RIBAO
  std::string organ;      ///< 中共晉中市委機關報
  std::string publisher;  ///< 中共晉中市委主辦 晉中日報社出版
  std::string serial;     ///< CN14—0018
  std::string city;       ///< 晉中
  long long first_number = 1;
  Date first_date;  ///< date of issue number first_number
};

/// The newspapers random issues are drawn from.
[[nodiscard]] const std::vector<Paper>& papers();

/// Paragraphs of body text, one per line of a UTF-8 file.
class Corpus {
 public:
  /// tests/synth/content/corpus.txt, or the paragraphs of the seed transcription while that file
  /// does not exist yet; `path` overrides both.
  [[nodiscard]] static Corpus load(const std::filesystem::path& path = {});
  [[nodiscard]] const std::string& paragraph(Rng& rng) const;
  [[nodiscard]] std::size_t size() const { return paragraphs_.size(); }
  [[nodiscard]] const std::filesystem::path& source() const { return source_; }

 private:
  std::vector<std::string> paragraphs_;
  std::filesystem::path source_;
};

/// The paragraph without a leading dateline ("本報訊 ", "新華社北京8月6日電 ", "新華社…電（記者
/// …）"): corpus paragraphs are news items of their own, but only an article's first paragraph has
/// one.
[[nodiscard]] std::string strip_dateline(const std::string& paragraph);

/// A line list from the content folder (headlines.txt, names.txt); empty when missing.
[[nodiscard]] const std::vector<std::string>& content_list(const std::string& file_name);

/// Sentences of a paragraph, each ending in 。！？ (with any closing quote after it); a trailing
/// piece without one is a sentence too.
[[nodiscard]] std::vector<std::string> split_sentences(std::string_view paragraph);

/// Builders for the short texts of a page. All draw only from `rng`.
namespace phrase {
[[nodiscard]] std::string headline(Rng& rng, const std::string& city);
[[nodiscard]] std::string deck2(Rng& rng);
[[nodiscard]] std::string kicker(Rng& rng, const std::string& city);
[[nodiscard]] std::string subheadline(Rng& rng, const std::string& city);
[[nodiscard]] std::string section(Rng& rng);
[[nodiscard]] std::string page_section(Rng& rng);
[[nodiscard]] std::string person(Rng& rng);
/// One or two reporters' names as printed inside the brackets: "郁靜 子煜".
[[nodiscard]] std::string byline(Rng& rng);
[[nodiscard]] std::string caption(Rng& rng, const std::string& city, Date date);
[[nodiscard]] std::string dateline(Rng& rng, Date date);
/// Lines of a small advertisement or notice; the first is its title.
[[nodiscard]] std::vector<std::string> advert(Rng& rng, const std::string& city);
}  // namespace phrase

/// Uniform helpers over std::mt19937_64 with results that do not depend on the standard library's
/// distribution implementations (those differ between libstdc++ and libc++).
[[nodiscard]] double uniform(Rng& rng, double lo, double hi);
[[nodiscard]] int uniform_int(Rng& rng, int lo, int hi);  ///< inclusive
[[nodiscard]] bool chance(Rng& rng, double p);
template <class T>
[[nodiscard]] const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[static_cast<std::size_t>(uniform_int(rng, 0, static_cast<int>(items.size()) - 1))];
}

}  // namespace broadsheet::synth
