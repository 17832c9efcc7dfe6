#include "reassemble/metadata.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "reassemble/cues.hpp"

namespace broadsheet::reassemble {

namespace {

using U32 = std::u32string;
using View = std::u32string_view;

bool is_space(char32_t c) {
  return text::is_space(c);
}

std::size_t skip_spaces(View s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

/// A run of ASCII digits or of Chinese numerals starting at i; returns its end (i when none).
std::size_t number_run(View s, std::size_t i, std::size_t max_len = 6) {
  std::size_t j = i;
  if (j < s.size() && cues::is_ascii_digit(s[j])) {
    while (j < s.size() && cues::is_ascii_digit(s[j]) && j - i < max_len) ++j;
  } else {
    while (j < s.size() && cues::is_chinese_numeral(s[j]) && j - i < max_len) ++j;
  }
  return j;
}

std::optional<long long> digits_value(View s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  long long v = 0;
  for (char32_t c : s) {
    if (!cues::is_ascii_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<long long>(c - U'0');
  }
  return v;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::optional<std::string> find_date(View s) {
  for (std::size_t at = s.find(U'年'); at != View::npos; at = s.find(U'年', at + 1)) {
    // Four digits (2025, 二〇二五) right before 年, white space allowed in between.
    std::size_t e = at;
    while (e > 0 && is_space(s[e - 1])) --e;
    std::size_t b = e;
    while (b > 0 && e - b < 4 &&
           (cues::is_ascii_digit(s[b - 1]) ||
            (cues::is_chinese_numeral(s[b - 1]) && s[b - 1] != U'十' && s[b - 1] != U'百')))
      --b;
    if (e - b != 4) continue;
    const std::optional<int> year = cues::parse_number(s.substr(b, 4));
    std::size_t i = skip_spaces(s, at + 1);
    std::size_t j = number_run(s, i, 3);
    const std::optional<int> month = cues::parse_number(s.substr(i, j - i));
    i = skip_spaces(s, j);
    if (i >= s.size() || s[i] != U'月') continue;
    i = skip_spaces(s, i + 1);
    j = number_run(s, i, 3);
    const std::optional<int> day = cues::parse_number(s.substr(i, j - i));
    if (!year || !month || !day || *year < 1800 || *year > 2200 || *month < 1 || *month > 12 ||
        *day < 1 || *day > days_in_month(*year, *month))
      continue;
    return fmt::format("{:04}-{:02}-{:02}", *year, *month, *day);
  }
  return std::nullopt;
}

std::optional<std::string> find_weekday(View s) {
  constexpr View kDays = U"一二三四五六日天";
  for (View lead : {View(U"星期"), View(U"禮拜"), View(U"礼拜")}) {
    for (std::size_t at = s.find(lead); at != View::npos; at = s.find(lead, at + 1)) {
      const std::size_t i = skip_spaces(s, at + lead.size());
      if (i < s.size() && kDays.find(s[i]) != View::npos) return text::to_utf8(U32(lead) + s[i]);
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_lunar_date(View s) {
  constexpr View kStems = U"甲乙丙丁戊己庚辛壬癸";
  constexpr View kBranches = U"子丑寅卯辰巳午未申酉戌亥";
  constexpr View kBody = U"閏闰閨正一二三四五六七八九十冬臘腊月初廿卅";
  for (std::size_t at = s.find(U'年'); at != View::npos; at = s.find(U'年', at + 1)) {
    if (at < 2 || kStems.find(s[at - 2]) == View::npos || kBranches.find(s[at - 1]) == View::npos)
      continue;
    U32 out(s.substr(at - 2, 3));
    std::size_t i = at + 1;
    bool month = false;
    std::size_t after_month = 0;
    while (i < s.size() && (kBody.find(s[i]) != View::npos || is_space(s[i]))) {
      if (!is_space(s[i])) {
        out += s[i] == U'閨' ? U'閏' : s[i];  // 閨 is how OCR reads 閏
        if (s[i] == U'月')
          month = true;
        else if (month)
          ++after_month;
      }
      ++i;
    }
    if (month && after_month > 0) return text::to_utf8(out);
  }
  return std::nullopt;
}

/// "第 <number> <suffix>" → number.
std::optional<long long> find_numbered(View s, char32_t suffix, bool allow_letter) {
  for (std::size_t at = s.find(U'第'); at != View::npos; at = s.find(U'第', at + 1)) {
    std::size_t i = skip_spaces(s, at + 1);
    if (allow_letter && i + 1 < s.size() && s[i] >= U'A' && s[i] <= U'Z' &&
        cues::is_ascii_digit(s[i + 1]))
      ++i;
    const std::size_t j = number_run(s, i, 8);
    if (j == i) continue;
    const std::size_t k = skip_spaces(s, j);
    if (k >= s.size() || s[k] != suffix) continue;
    const View digits = s.substr(i, j - i);
    if (auto v = digits_value(digits)) return v;
    if (auto v = cues::parse_number(digits)) return *v;
  }
  return std::nullopt;
}

std::optional<int> find_page_count(View s) {
  for (View lead : {View(U"今日"), View(U"本期"), View(U"共")}) {
    for (std::size_t at = s.find(lead); at != View::npos; at = s.find(lead, at + 1)) {
      const std::size_t i = skip_spaces(s, at + lead.size());
      const std::size_t j = number_run(s, i, 3);
      const std::size_t k = skip_spaces(s, j);
      if (j == i || k >= s.size() || s[k] != U'版') continue;
      if (auto v = cues::parse_number(s.substr(i, j - i)); v && *v > 0) return *v;
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_serial(View s) {
  for (std::size_t at = s.find(U"CN"); at != View::npos; at = s.find(U"CN", at + 1)) {
    std::size_t i = skip_spaces(s, at + 2);
    std::size_t j = i;
    while (j < s.size() && cues::is_ascii_digit(s[j])) ++j;
    if (j - i != 2) continue;
    const View region = s.substr(i, 2);
    std::size_t k = skip_spaces(s, j);
    // Any dash (OCR reads the em dash as 一 or -); printed as the em dash.
    if (k >= s.size() || View(U"—–-－‐一―").find(s[k]) == View::npos) continue;
    const char32_t dash = U'—';
    k = skip_spaces(s, k + 1);
    std::size_t m = k;
    while (m < s.size() && cues::is_ascii_digit(s[m])) ++m;
    if (m - k != 4) continue;
    U32 out = U"CN";
    out += region;
    out += dash;
    out += s.substr(k, 4);
    return text::to_utf8(out);
  }
  return std::nullopt;
}

std::vector<View> split_lines(View s) {
  std::vector<View> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(U'\n', i);
    if (j == View::npos) j = s.size();
    const View line = cues::trim(s.substr(i, j - i));
    if (!line.empty()) out.push_back(line);
    i = j + 1;
  }
  return out;
}

bool ends_with(View s, View suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool contains(View s, View what) {
  return s.find(what) != View::npos;
}

std::string fold_spaces(View s) {
  U32 out;
  bool space = false;
  for (char32_t c : cues::trim(s)) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space) out += U' ';
    space = false;
    out += c;
  }
  return text::to_utf8(out);
}

/// 中共陽泉市委主辦 陽泉日報社出版: from the 中共 (or the start) before 主辦 to 出版, inside a line
/// OCR may have run together with others.
std::optional<std::string> find_publisher(View line) {
  std::size_t end = line.find(U"出版");
  std::size_t lead = line.find(U"主辦");
  if (lead == View::npos) lead = line.find(U"主办");
  if (end == View::npos && lead == View::npos) return std::nullopt;
  if (lead == View::npos) lead = end;
  end = end == View::npos ? lead + 2 : end + 2;
  if (end < lead) return std::nullopt;
  std::size_t begin = line.rfind(U"中共", lead);
  if (begin == View::npos || lead - begin > 12) {
    begin = lead;
    while (begin > 0 && lead - begin < 10 && text::is_cjk(line[begin - 1])) --begin;
  }
  if (end - begin > 40) return std::nullopt;
  return fold_spaces(line.substr(begin, end - begin));
}

/// 中共陽泉市委機關報: from the 中共 before 機關報 to its end.
std::optional<std::string> find_organ(View line) {
  std::size_t at = line.find(U"機關報");
  if (at == View::npos) at = line.find(U"机关报");
  if (at == View::npos) return std::nullopt;
  std::size_t begin = line.rfind(U"中共", at);
  if (begin == View::npos || at - begin > 12) {
    begin = at;
    while (begin > 0 && at - begin < 10 && text::is_cjk(line[begin - 1])) --begin;
  }
  return text::to_utf8(line.substr(begin, at + 3 - begin));
}

/// The paper's name inside run-together text ("第2版陽泉日報綜合2025年…"): two to four characters
/// before 日報 / 晚報, stopping at what a name never holds (版 辦 聞 …).
std::optional<std::string> find_paper_name(View s) {
  constexpr View kStop = U"版辦办聞闻期年月日第星主出社報报刊合";
  std::map<U32, int> votes;
  for (View kind : {View(U"日報"), View(U"日报"), View(U"晚報"), View(U"晚报")}) {
    for (std::size_t at = s.find(kind); at != View::npos; at = s.find(kind, at + 1)) {
      std::size_t b = at;
      while (b > 0 && at - b < 4 && text::is_cjk(s[b - 1]) && kStop.find(s[b - 1]) == View::npos)
        --b;
      if (at - b < 2) continue;
      ++votes[U32(s.substr(b, at + 2 - b))];
    }
  }
  const U32* best = nullptr;
  for (const auto& [name, n] : votes)
    if (best == nullptr || n > votes[*best]) best = &name;
  if (best == nullptr) return std::nullopt;
  return text::to_utf8(*best);
}

}  // namespace

std::optional<std::string> parse_date(std::string_view text) {
  return find_date(text::to_u32(text::nfkc(text)));
}

std::optional<int> parse_printed_page(std::string_view text) {
  const U32 s = text::to_u32(text::nfkc(text));
  const std::optional<long long> v = find_numbered(s, U'版', true);
  if (!v || *v < 1 || *v > 999) return std::nullopt;
  return static_cast<int>(*v);
}

IssueHeader parse_issue_header(std::string_view text) {
  IssueHeader h;
  const U32 s = text::to_u32(text::nfkc(text));
  h.date = find_date(s);
  h.weekday = find_weekday(s);
  h.lunar_date = find_lunar_date(s);
  h.number = find_numbered(s, U'期', false);
  h.page_count = find_page_count(s);
  h.serial = find_serial(s);
  if (auto p = find_numbered(s, U'版', true); p && *p >= 1 && *p <= 999)
    h.page = static_cast<int>(*p);

  for (View line : split_lines(s)) {
    // The paper's name in Latin letters: a line of capitals (OCR may add a stray mark at an end).
    View latin = line;
    while (!latin.empty() && !(latin.front() >= U'A' && latin.front() <= U'Z'))
      latin.remove_prefix(1);
    while (!latin.empty() && !(latin.back() >= U'A' && latin.back() <= U'Z'))
      latin.remove_suffix(1);
    const auto capitals = std::count_if(latin.begin(), latin.end(),
                                        [](char32_t c) { return c >= U'A' && c <= U'Z'; });
    const auto spaces =
        std::count_if(latin.begin(), latin.end(), [](char32_t c) { return c == U' '; });
    if (!h.newspaper_latin && capitals >= 4 &&
        static_cast<std::size_t>(capitals + spaces) == latin.size() &&
        latin.size() + 3 >= cues::visible_length(line))
      h.newspaper_latin = fold_spaces(latin);
    if (!h.publisher) h.publisher = find_publisher(line);
    if (!h.organ) h.organ = find_organ(line);
    // A line that is nothing but the name.
    if (!h.newspaper && line.size() >= 3 && line.size() <= 10 &&
        (ends_with(line, U"報") || ends_with(line, U"报")) && !contains(line, U"機關報") &&
        !contains(line, U"机关报") && !contains(line, U"社") &&
        std::all_of(line.begin(), line.end(), [](char32_t c) { return text::is_cjk(c); }))
      h.newspaper = text::to_utf8(line);
  }
  if (!h.newspaper) h.newspaper = find_paper_name(s);
  return h;
}

std::vector<int> assign_page_numbers(const std::vector<std::optional<int>>& found,
                                     const std::vector<bool>& front) {
  const std::size_t n = found.size();
  std::vector<int> c(n, 0);  // 0: no number
  for (std::size_t i = 0; i < n; ++i) {
    if (found[i] && *found[i] >= 1 && *found[i] <= 999) c[i] = *found[i];
    if (c[i] == 0 && i < front.size() && front[i]) c[i] = 1;
  }
  // Keep the longest run of numbers that rise at least as fast as the scans (room for the pages in
  // between): longest non-decreasing subsequence of number - index. O(n²); issues are short.
  // Ties go to the run whose offsets agree best (a misread 8 for 3 stands out).
  std::vector<int> best(n, 0);
  std::vector<long long> root(n, 0);
  std::vector<std::ptrdiff_t> prev(n, -1);
  std::ptrdiff_t tail = -1;
  auto spread = [&](std::size_t i) {
    return static_cast<long long>(c[i]) - static_cast<long long>(i) - root[i];
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (c[i] == 0) continue;
    const auto di = static_cast<long long>(c[i]) - static_cast<long long>(i);
    best[i] = 1;
    root[i] = di;
    for (std::size_t j = 0; j < i; ++j) {
      if (c[j] == 0) continue;
      const auto dj = static_cast<long long>(c[j]) - static_cast<long long>(j);
      if (dj > di) continue;
      const int length = best[j] + 1;
      if (length > best[i] || (length == best[i] && di - root[j] < di - root[i])) {
        best[i] = length;
        root[i] = root[j];
        prev[i] = static_cast<std::ptrdiff_t>(j);
      }
    }
    const auto t = static_cast<std::size_t>(tail);
    if (tail < 0 || best[i] > best[t] || (best[i] == best[t] && spread(i) < spread(t)))
      tail = static_cast<std::ptrdiff_t>(i);
  }
  std::vector<bool> keep(n, false);
  for (std::ptrdiff_t k = tail; k >= 0; k = prev[static_cast<std::size_t>(k)])
    keep[static_cast<std::size_t>(k)] = true;

  std::vector<int> out(n, 0);
  std::ptrdiff_t last = -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (keep[i]) {
      out[i] = c[i];
      last = static_cast<std::ptrdiff_t>(i);
    } else if (last >= 0) {
      out[i] = out[static_cast<std::size_t>(last)] + static_cast<int>(i) - static_cast<int>(last);
    }
  }
  // Pages before the first kept number count back from it.
  std::ptrdiff_t first = -1;
  for (std::size_t i = 0; i < n && first < 0; ++i)
    if (keep[i]) first = static_cast<std::ptrdiff_t>(i);
  for (std::ptrdiff_t i = 0; i < (first < 0 ? static_cast<std::ptrdiff_t>(n) : first); ++i)
    out[static_cast<std::size_t>(i)] =
        first < 0 ? static_cast<int>(i) + 1
                  : out[static_cast<std::size_t>(first)] - static_cast<int>(first - i);
  // Counting back below 1 means the kept numbers cannot all be right: scan order then.
  if (std::any_of(out.begin(), out.end(), [](int v) { return v < 1; }))
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<int>(i) + 1;
  return out;
}

}  // namespace broadsheet::reassemble
