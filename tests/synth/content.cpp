#include "synth/content.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#ifndef BROADSHEET_SYNTH_CONTENT_DIR
#define BROADSHEET_SYNTH_CONTENT_DIR "tests/synth/content"
#endif
#ifndef BROADSHEET_SYNTH_SEED_DIR
#define BROADSHEET_SYNTH_SEED_DIR "../shared/seed"
#endif

namespace broadsheet::synth {

double uniform(Rng& rng, double lo, double hi) {
  const double unit = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return lo + (hi - lo) * unit;
}

int uniform_int(Rng& rng, int lo, int hi) {
  if (hi <= lo) return lo;
  const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<int>(rng() % span);
}

bool chance(Rng& rng, double p) {
  return uniform(rng, 0, 1) < p;
}

// ---- calendar -------------------------------------------------------------------------------

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long days_from_civil(Date d) {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (d.month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + d.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + doe - 719468;
}

Date civil_from_days(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<int>(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int day = doy - (153 * mp + 2) / 5 + 1;
  const int month = mp < 10 ? mp + 3 : mp - 9;
  const auto year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

}  // namespace

Date add_days(Date d, int days) {
  return civil_from_days(days_from_civil(d) + days);
}

long long days_between(Date a, Date b) {
  return days_from_civil(b) - days_from_civil(a);
}

std::string iso_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

bool parse_iso_date(std::string_view s, Date& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  auto num = [&](size_t pos, size_t len, int& v) {
    const char* first = s.data() + pos;
    auto [ptr, ec] = std::from_chars(first, first + len, v);
    return ec == std::errc() && ptr == first + len;
  };
  Date d;
  if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return false;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return false;
  out = d;
  return true;
}

std::string weekday_name(Date d) {
  static constexpr std::array<const char*, 7> kNames = {"星期四", "星期五", "星期六", "星期日",
                                                        "星期一", "星期二", "星期三"};
  // 1970-01-01 was a Thursday.
  const long long days = days_from_civil(d);
  return kNames[static_cast<size_t>(((days % 7) + 7) % 7)];
}

std::string chinese_number(int n) {
  static constexpr std::array<const char*, 10> kDigits = {"",   "一", "二", "三", "四",
                                                          "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return std::to_string(n);
  if (n < 10) return kDigits[static_cast<size_t>(n)];
  const int tens = n / 10;
  const int ones = n % 10;
  std::string out = tens == 1 ? "" : kDigits[static_cast<size_t>(tens)];
  out += "十";
  out += kDigits[static_cast<size_t>(ones)];
  return out;
}

std::string lunar_date(Date d) {
  static constexpr std::array<const char*, 10> kStems = {"甲", "乙", "丙", "丁", "戊",
                                                         "己", "庚", "辛", "壬", "癸"};
  static constexpr std::array<const char*, 12> kBranches = {"子", "丑", "寅", "卯", "辰", "巳",
                                                            "午", "未", "申", "酉", "戌", "亥"};
  static constexpr std::array<const char*, 12> kMonths = {"正", "二", "三", "四", "五", "六",
                                                          "七", "八", "九", "十", "冬", "臘"};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone("Asia/Shanghai"));
  icu::GregorianCalendar gregorian(*zone, status);
  gregorian.clear();
  gregorian.set(d.year, d.month - 1, d.day, 12, 0, 0);
  const UDate instant = gregorian.getTime(status);
  std::unique_ptr<icu::Calendar> chinese(
      icu::Calendar::createInstance(*zone, icu::Locale("zh@calendar=chinese"), status));
  if (U_FAILURE(status) || !chinese) return {};
  chinese->setTime(instant, status);
  const int cycle_year = chinese->get(UCAL_YEAR, status);  // 1 = 甲子
  const int month = chinese->get(UCAL_MONTH, status);      // 0-based
  const bool leap = chinese->get(UCAL_IS_LEAP_MONTH, status) != 0;
  const int day = chinese->get(UCAL_DATE, status);
  if (U_FAILURE(status)) return {};
  std::string out = kStems[static_cast<size_t>((cycle_year - 1) % 10)];
  out += kBranches[static_cast<size_t>((cycle_year - 1) % 12)];
  out += "年";
  if (leap) out += "閏";
  out += kMonths[static_cast<size_t>(month % 12)];
  out += "月";
  if (day <= 10) {
    out += "初" + chinese_number(day);
  } else if (day < 20) {
    out += chinese_number(day);
  } else if (day == 20) {
    out += "二十";
  } else if (day < 30) {
    out += "廿" + chinese_number(day - 20);
  } else {
    out += "三十";
  }
  return out;
}

// ---- newspapers -----------------------------------------------------------------------------

const std::vector<Paper>& papers() {
  static const std::vector<Paper> kPapers = [] {
    struct Row {
      const char* slug;
      const char* city;
      const char* latin;
      const char* serial;
      long long number;
      Date date;
    };
    const Row rows[] = {
        {"taiyuan-ribao", "太原", "TAIYUAN RIBAO", "CN14—0001", 24210, {2025, 1, 1}},
        {"datong-ribao", "大同", "DATONG RIBAO", "CN14—0010", 21633, {2025, 1, 1}},
        {"changzhi-ribao", "長治", "CHANGZHI RIBAO", "CN14—0022", 19877, {2025, 1, 1}},
        {"jincheng-ribao", "晉城", "JINCHENG RIBAO", "CN14—0024", 12508, {2025, 1, 1}},
        {"shuozhou-ribao", "朔州", "SHUOZHOU RIBAO", "CN14—0048", 8921, {2025, 1, 1}},
        {"jinzhong-ribao", "晉中", "JINZHONG RIBAO", "CN14—0018", 17402, {2025, 1, 1}},
        {"yuncheng-ribao", "運城", "YUNCHENG RIBAO", "CN14—0027", 16119, {2025, 1, 1}},
        {"xinzhou-ribao", "忻州", "XINZHOU RIBAO", "CN14—0029", 11355, {2025, 1, 1}},
        {"linfen-ribao", "臨汾", "LINFEN RIBAO", "CN14—0025", 14760, {2025, 1, 1}},
        {"lvliang-ribao", "呂梁", "LVLIANG RIBAO", "CN14—0030", 10283, {2025, 1, 1}},
        {"handan-ribao", "邯鄲", "HANDAN RIBAO", "CN13—0011", 22150, {2025, 1, 1}},
        {"anyang-ribao", "安陽", "ANYANG RIBAO", "CN41—0013", 18804, {2025, 1, 1}},
    };
    std::vector<Paper> out;
    for (const Row& r : rows) {
      Paper p;
      p.slug = r.slug;
      p.city = r.city;
      p.name = p.city + "日報";
      p.latin = r.latin;
      p.organ = "中共" + p.city + "市委機關報";
      p.publisher = "中共" + p.city + "市委主辦 " + p.name + "社出版";
      p.serial = r.serial;
      p.first_number = r.number;
      p.first_date = r.date;
      out.push_back(std::move(p));
    }
    return out;
  }();
  return kPapers;
}

// ---- corpus ---------------------------------------------------------------------------------

namespace {

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of(ws);
  s = s.substr(b, e - b + 1);
  // A full-width space used as a paragraph indent in the source is not part of the text.
  while (s.rfind("\u3000", 0) == 0) s.erase(0, 3);
  return s;
}

}  // namespace

Corpus Corpus::load(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> candidates;
  if (!path.empty()) {
    candidates.push_back(path);
  } else {
    candidates.emplace_back(std::filesystem::path(BROADSHEET_SYNTH_CONTENT_DIR) / "corpus.txt");
    candidates.emplace_back(std::filesystem::path(BROADSHEET_SYNTH_SEED_DIR) /
                            "000_c6e2f0a3ee1ee963.txt");
  }
  Corpus corpus;
  for (const auto& candidate : candidates) {
    std::ifstream in(candidate);
    if (!in) continue;
    std::string line;
    while (std::getline(in, line)) {
      line = trim(line);
      // Headings, list markers and short lines (mastheads, labels) are not body paragraphs.
      if (line.empty() || line[0] == '#' || count_code_points(line) < 24) continue;
      corpus.paragraphs_.push_back(line);
    }
    if (!corpus.paragraphs_.empty()) {
      corpus.source_ = candidate;
      return corpus;
    }
  }
  // Nothing readable: a handful of built-in paragraphs keeps the generator usable anywhere.
  corpus.paragraphs_ = {
      "三季度是項目建設的黃金期，也是實現全年目標任務的重要時期，必須跑出加速度、干出高質量。"
      "要加力推進重大項目建設，錨定既定建設計劃，緊扣時序進度，倒排工期、掛圖作戰。",
      "要主動做好服務保障，深入對接項目需求，緊盯入庫納統、開工建設、投產達效等環節，"
      "清單化解決前期手續和土地、資金、用工等要素問題。",
      "要守牢安全底線，加強行業監管，壓緊壓實施工單位主體責任，認真做好汛期建築工地安全防範"
      "工作，切實保障工程質量和施工安全。",
  };
  corpus.source_ = "built-in";
  return corpus;
}

const std::string& Corpus::paragraph(Rng& rng) const {
  return pick(rng, paragraphs_);
}

std::string strip_dateline(const std::string& paragraph) {
  if (paragraph.rfind("本報訊", 0) == 0)
    return trim(paragraph.substr(std::string("本報訊").size()));
  if (paragraph.rfind("新華社", 0) == 0) {
    const std::string dian = "電";
    const size_t at = paragraph.find(dian);
    if (at == std::string::npos || at > 40) return paragraph;
    size_t rest = at + dian.size();
    // An agency story may name its reporter in brackets right after 電.
    if (paragraph.compare(rest, 3, "（") == 0) {
      const size_t close = paragraph.find("）", rest);
      if (close != std::string::npos) rest = close + 3;
    }
    return trim(paragraph.substr(rest));
  }
  return paragraph;
}

const std::vector<std::string>& content_list(const std::string& file_name) {
  static std::map<std::string, std::vector<std::string>> cache;
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(file_name);
  if (it != cache.end()) return it->second;
  std::vector<std::string> lines;
  std::ifstream in(std::filesystem::path(BROADSHEET_SYNTH_CONTENT_DIR) / file_name);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return cache.emplace(file_name, std::move(lines)).first->second;
}

std::vector<std::string> split_sentences(std::string_view paragraph) {
  std::vector<std::string> out;
  std::string current;
  size_t i = 0;
  auto starts_with = [&](size_t pos, std::string_view what) {
    return paragraph.substr(pos, what.size()) == what;
  };
  while (i < paragraph.size()) {
    const auto lead = static_cast<unsigned char>(paragraph[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    current.append(paragraph.substr(i, len));
    const bool end = starts_with(i, "。") || starts_with(i, "！") || starts_with(i, "？");
    i += len;
    if (end) {
      while (starts_with(i, "”") || starts_with(i, "」") || starts_with(i, "）")) {
        current.append(paragraph.substr(i, 3));
        i += 3;
      }
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// ---- phrases --------------------------------------------------------------------------------

namespace phrase {

namespace {

using Words = std::vector<std::string>;

const Words kPlaces = {"全市",   "我市",     "市區",   "城區", "郊區", "礦區", "高新區",
                       "開發區", "生態新城", "各縣區", "縣城", "鄉村", "社區", "園區"};
const Words kTopics = {
    "重點項目建設", "鄉村振興",     "安全生產",     "生態環境保護", "營商環境優化", "數字經濟",
    "文化旅遊",     "科技創新",     "民生實事",     "防汛工作",     "基層治理",     "城市更新",
    "新能源產業",   "教育工作",     "醫療衛生服務", "穩就業",       "農業生產",     "招商引資",
    "黨建工作",     "文明城市創建", "耐火產業",     "老舊小區改造", "綠色低碳轉型", "綜合金融服務"};
const Words kSurnames = {"王", "李", "張", "劉", "陳", "楊", "趙", "黃", "周", "吳",
                         "徐", "孫", "胡", "朱", "高", "林", "何", "郭", "馬", "羅",
                         "梁", "宋", "鄭", "謝", "韓", "唐", "馮", "于", "董", "薄"};
const Words kGiven = {"明", "華", "靜", "偉", "芳", "強", "磊", "軍", "洋", "勇", "艷", "傑",
                      "娟", "濤", "超", "霞", "平", "剛", "桂", "紅", "英", "慧", "鵬", "澤",
                      "煜", "琳", "玉", "貞", "東", "泉", "振", "坤", "健", "君", "瑞", "晨"};
const Words kTitles = {"市委書記",         "市長",       "市委副書記", "副市長",
                       "市人大常委會主任", "市政協主席", "市委常委"};

std::string fill(Rng& rng, const std::string& city, std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const size_t close = pattern.find('}', i);
    const std::string_view key = pattern.substr(i + 1, close - i - 1);
    i = close;
    if (key == "place") out += pick(rng, kPlaces);
    if (key == "topic") out += pick(rng, kTopics);
    if (key == "city") out += city;
    if (key == "person") out += person(rng);
    if (key == "title") out += pick(rng, kTitles);
    if (key == "n") out += std::to_string(uniform_int(rng, 3, 48));
  }
  return out;
}

}  // namespace

// Every random draw is its own statement: the operands of + and of a call are evaluated in an
// unspecified order, and the output must not depend on the compiler.
std::string person(Rng& rng) {
  const std::vector<std::string>& listed = content_list("names.txt");
  if (!listed.empty() && chance(rng, 0.6)) return pick(rng, listed);
  std::string name = pick(rng, kSurnames);
  name += pick(rng, kGiven);
  if (chance(rng, 0.6)) name += pick(rng, kGiven);
  return name;
}

std::string headline(Rng& rng, const std::string& city) {
  const std::vector<std::string>& listed = content_list("headlines.txt");
  if (!listed.empty() && chance(rng, 0.6)) return pick(rng, listed);
  static const Words kPatterns = {"{place}{topic}取得新進展",     "{place}扎實推進{topic}",
                                  "全市{topic}工作會議召開",      "全力推動{topic}提質增效",
                                  "{place}{n}個重點項目集中開工", "以高質量{topic}推動高質量發展",
                                  "{person}調研{topic}工作",      "{city}{topic}跑出加速度",
                                  "奮力開創{topic}新局面",        "{place}{topic}再上新台階",
                                  "{person}帶隊專題調研{topic}",  "{city}舉行{topic}推進會",
                                  "聚焦{topic} 服務群眾所需",     "{place}{topic}項目推進過半",
                                  "{city}出台{topic}若干措施",    "市委常委會召開會議研究{topic}",
                                  "{place}{topic}工作綜述",       "{n}項{topic}舉措落地見效"};
  return fill(rng, city, pick(rng, kPatterns));
}

std::string deck2(Rng& rng) {
  static const Words kDecks = {
      "搶抓黃金期 跑出加速度", "凝心聚力 開拓奮進",  "以實幹實績推動高質量發展", "紮實做好各項工作",
      "確保全年目標任務完成",  "為群眾辦實事解難題", "守牢安全底線 築牢發展根基"};
  return pick(rng, kDecks);
}

std::string kicker(Rng& rng, const std::string& city) {
  static const Words kPatterns = {"{person}在{place}調研時強調", "{title}{person}出席",
                                  "{city}召開專題會議", "聚焦{topic}", "{place}持續推進{topic}"};
  return fill(rng, city, pick(rng, kPatterns));
}

std::string subheadline(Rng& rng, const std::string& city) {
  static const Words kPatterns = {"{person}出席並講話", "——{place}{topic}工作綜述",
                                  "——{city}{topic}見聞", "{person}主持", "——記{place}一線工作者"};
  return fill(rng, city, pick(rng, kPatterns));
}

std::string section(Rng& rng) {
  static const Words kSections = {"強信心 抓落實 十大戰略進行時",
                                  "學習貫徹全會精神",
                                  "奮進新征程 建功新時代",
                                  "高質量發展調研行",
                                  "基層一線",
                                  "民生聚焦",
                                  "項目建設進行時"};
  return pick(rng, kSections);
}

std::string page_section(Rng& rng) {
  static const Words kNames = {"要聞",     "綜合",     "經濟", "社會", "文化", "時評",
                               "國內新聞", "國際新聞", "副刊", "體育", "專版"};
  return pick(rng, kNames);
}

std::string byline(Rng& rng) {
  auto one = [&] {
    std::string name = pick(rng, kSurnames);
    // Two-character names are often printed with a space between them: （郭 贊）.
    if (chance(rng, 0.3)) name += " ";
    name += pick(rng, kGiven);
    if (name.find(' ') == std::string::npos && chance(rng, 0.5)) name += pick(rng, kGiven);
    return name;
  };
  std::string out = one();
  if (chance(rng, 0.4)) out += " " + one();
  return out;
}

std::string caption(Rng& rng, const std::string& city, Date date) {
  static const Words kScenes = {"工人們正在緊張有序地施工",     "市民在公園裡休閒健身",
                                "志願者為過往群眾提供諮詢服務", "農民在田間收割成熟的小麥",
                                "技術人員正在調試新安裝的設備", "連片的光伏板整齊排列在屋頂上",
                                "遊客在景區內參觀遊覽",         "孩子們在托管班裡開心地做遊戲"};
  std::string text = fmt::format("{}月{}日，", date.month, date.day);
  text += chance(rng, 0.5) ? city : pick(rng, kPlaces);
  text += pick(rng, kScenes);
  text += "。";
  if (chance(rng, 0.5)) {
    static const Words kMore = {"目前，該項目已進入設備安裝階段。", "據了解，活動將持續至月底。",
                                "近年來，當地不斷完善基礎設施，群眾幸福感持續提升。"};
    text += pick(rng, kMore);
  }
  return text;
}

std::string dateline(Rng& rng, Date date) {
  if (chance(rng, 0.7)) return fmt::format("本報訊 {}月{}日，", date.month, date.day);
  if (chance(rng, 0.5)) return "本報訊 ";
  return fmt::format("新華社北京{}月{}日電 ", date.month, date.day);
}

std::vector<std::string> advert(Rng& rng, const std::string& city) {
  static const Words kOffices = {"政務服務中心",     "住房公積金管理中心", "人才交流服務中心",
                                 "醫療保障服務中心", "公共資源交易中心",   "不動產登記中心"};
  const int kind = uniform_int(rng, 0, 3);
  const int area = uniform_int(rng, 350, 359);
  const std::string phone =
      fmt::format("電話：0{}-{:07}", area, uniform_int(rng, 2000000, 8999999));
  switch (kind) {
    case 0:
      return {"遺失聲明", person(rng) + "不慎遺失身份證，聲明作廢。",
              person(rng) + "遺失營業執照副本，聲明作廢。"};
    case 1:
      return {city + "市" + pick(rng, kOffices), "誠信服務 便民利民", phone};
    case 2:
      return {"招聘啟事", "因業務發展需要，現面向社會公開招聘工作人員若干名。", phone};
    default:
      return {"溫馨提示", "節約用水 從我做起", city + "市供水公司 宣"};
  }
}

}  // namespace phrase

}  // namespace broadsheet::synth
