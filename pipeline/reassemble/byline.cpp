#include "reassemble/byline.hpp"

#include <array>

#include "core/text.hpp"
#include "reassemble/cues.hpp"
#include "reassemble/jump.hpp"

namespace broadsheet::reassemble {

namespace {

// Titles that introduce a byline printed without brackets (traditional and simplified).
constexpr std::array<std::u32string_view, 14> kRoles = {
    U"本報記者",   U"本报记者",   U"本報通訊員", U"本报通讯员", U"本報評論員",
    U"新華社記者", U"新华社记者", U"特約記者",   U"特约记者",   U"記者",
    U"记者",       U"通訊員",     U"通讯员",     U"實習生"};

// A byline holds at most a few names with their titles.
constexpr std::size_t kMaxBylineChars = 24;
// A bracket missing: only a short name list is trusted.
constexpr std::size_t kMaxHalfBracketedChars = 14;
// How far back from the end of a text a byline may start.
constexpr std::size_t kTrailingWindow = 28;
// A credit names one or two photographers, maybe with their titles.
constexpr std::size_t kMaxCreditChars = 20;
constexpr std::size_t kMaxBareCreditChars = 6;

bool is_name_char(char32_t c) {
  return text::is_cjk(c) || text::is_space(c) || c == U'·' || c == U'・' || c == U'•' ||
         c == U'、' || c == U'/' || c == U'／';
}

bool starts_with_role(std::u32string_view s) {
  for (std::u32string_view role : kRoles)
    if (s.substr(0, role.size()) == role) return true;
  return false;
}

/// White space runs become one ASCII space; ends trimmed.
std::string fold_spaces(std::u32string_view s) {
  s = cues::trim(s);
  std::u32string out;
  bool space = false;
  for (char32_t c : s) {
    if (text::is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += U' ';
    space = false;
    out += c;
  }
  return text::to_utf8(out);
}

bool ends_with_sentence(std::u32string_view s) {
  s = cues::trim(s);
  while (!s.empty() && cues::is_closing_quote(s.back())) s.remove_suffix(1);
  return !s.empty() && cues::is_sentence_end(s.back());
}

std::optional<std::string> parse_byline_u32(std::u32string_view t) {
  t = cues::trim(t);
  if (t.size() < 2 || t.size() > kMaxBylineChars + 12) return std::nullopt;
  const bool open = cues::is_open_bracket(t.front());
  const bool close = t.size() > 1 && cues::is_close_bracket(t.back());
  std::u32string_view inner = t.substr(open ? 1 : 0);
  if (close) inner.remove_suffix(1);
  inner = cues::trim(inner);
  const std::size_t visible = cues::visible_length(inner);
  if (visible < 2 || visible > kMaxBylineChars) return std::nullopt;
  bool numerals_only = true;
  for (char32_t c : inner) {
    if (!is_name_char(c)) return std::nullopt;
    if (!text::is_space(c) && !cues::is_chinese_numeral(c)) numerals_only = false;
  }
  if (numerals_only) return std::nullopt;
  // A jump line whose page number is unreadable (（下轉第魚版）) is no name list.
  const auto has = [&](std::u32string_view chars) {
    return inner.find_first_of(chars) != std::u32string_view::npos;
  };
  if (has(U"版板") && has(U"轉转接續续第")) return std::nullopt;
  const bool role = starts_with_role(inner);
  if (!(open && close)) {
    if (open || close) {
      if (visible > kMaxHalfBracketedChars && !role) return std::nullopt;
    } else if (!role) {
      return std::nullopt;
    }
  }
  if (parse_jump(text::to_utf8(t))) return std::nullopt;
  return fold_spaces(inner);
}

// What OCR makes of 攝 at the end of a credit.
constexpr std::u32string_view kSheMisreads = U"据據損振聶懾攜搔撮揖擴抽婚";

std::size_t lost_she_start(std::u32string_view s) {
  std::size_t start = s.size();
  while (start > 0 && text::is_cjk(s[start - 1])) --start;
  return start;
}

/// A caption whose 攝 was lost or misread: a sentence, then (white space allowed) two to five
/// characters of a name. A last character OCR makes of 攝 (据 …) is dropped from the name.
std::optional<Credit> lost_she(std::u32string_view s) {
  const std::size_t start = lost_she_start(s);
  std::size_t name = s.size() - start;
  if (name < 2 || name > 5 || start == 0) return std::nullopt;
  const std::u32string_view before = cues::trim(s.substr(0, start));
  if (!ends_with_sentence(before)) return std::nullopt;
  std::u32string_view who = s.substr(start);
  if (kSheMisreads.find(who.back()) != std::u32string_view::npos)
    who.remove_suffix(1);
  else if (name > 4)
    return std::nullopt;
  if (who.size() < 2) return std::nullopt;
  Credit out;
  out.byline = text::to_utf8(who);
  out.credit = out.byline + "攝";
  out.text = text::to_utf8(before);
  return out;
}

// The first characters of the names a byline most often starts with: common surnames
// (traditional, with 於 for OCR's reading of 于).
constexpr std::u32string_view kSurnames =
    U"王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董袁潘于於蔣蔡余杜葉"
    U"程蘇魏呂丁任沈姚盧姜崔鍾譚陸汪范金石廖賈夏韋付方白鄒孟熊秦邱江尹薛閆段雷侯龍史陶黎賀顧毛郝"
    U"龔邵萬錢嚴覃武戴莫孔向湯常溫康施文牛樊葛邢安齊易喬伍龐顏倪莊聶章魯岳翟殷詹申歐耿關蘭焦俞左"
    U"柳甘祝包寧尚符舒阮柯紀梅童凌畢單季裴霍涂成苗谷盛曲翁冉駱藍路游辛靳管柴蒙鮑華喻祁蒲房滕屈饒"
    U"解牟艾尤陽時穆農司卓古吉繆簡車項連麥褚婁竇戚岑景黨宮費卜冷晏席衛米柏宗瞿桂全佟應臧閔苟鄔"
    U"邊卞姬師和仇欒隋商刁沙榮巫寇桑郎甄叢仲虞敖鞏明佘池查麻苑遲鄺郁";
constexpr std::size_t kMaxBareNames = 8;

/// "…。周桂周英英，": a sentence, then 2-8 characters of names starting with a surname, then the
/// comma OCR made of the closing bracket. Returns where the names start and the names.
std::optional<std::pair<std::size_t, std::string>> lost_brackets(std::u32string_view s) {
  if (s.empty() || (s.back() != U',' && s.back() != U'，' && s.back() != U'、'))
    return std::nullopt;
  s.remove_suffix(1);
  std::size_t start = s.size();
  while (start > 0 && (text::is_cjk(s[start - 1]) || text::is_space(s[start - 1]))) --start;
  while (start < s.size() && text::is_space(s[start])) ++start;
  const std::u32string_view names = s.substr(start);
  const std::size_t visible = cues::visible_length(names);
  if (visible < 2 || visible > kMaxBareNames) return std::nullopt;
  if (kSurnames.find(names.front()) == std::u32string_view::npos) return std::nullopt;
  // The opening bracket may have survived: （周桂周英英，
  std::size_t from = start;
  if (from > 0 && cues::is_open_bracket(s[from - 1])) --from;
  // The names on a line (or in a region) of their own, or after the last sentence.
  if (from > 0 && !ends_with_sentence(s.substr(0, from))) return std::nullopt;
  return std::pair{from, fold_spaces(names)};
}

}  // namespace

std::string surname_spelling(std::string_view names) {
  std::u32string s = text::to_u32(names);
  bool name_start = true;
  for (char32_t& c : s) {
    if (name_start && c == U'於') c = U'于';
    name_start = text::is_space(c) || c == U'、';
  }
  return text::to_utf8(s);
}

bool starts_with_surname(std::u32string_view s) {
  return !s.empty() && kSurnames.find(s.front()) != std::u32string_view::npos;
}

std::optional<std::string> parse_byline(std::string_view text) {
  if (text.size() > 160) return std::nullopt;
  return parse_byline_u32(text::to_u32(text));
}

std::optional<SplitByline> split_trailing_byline(std::string_view text, bool ends_article) {
  const cues::Decoded d = cues::decode(text);
  std::u32string_view s = d.text;
  while (!s.empty() && text::is_space(s.back())) s.remove_suffix(1);
  if (s.size() < 4) return std::nullopt;
  if (ends_article) {
    if (auto lost = lost_brackets(s)) {
      std::size_t end = lost->first;
      while (end > 0 && text::is_space(s[end - 1])) --end;
      return SplitByline{std::string(text.substr(0, d.offsets[end])), std::move(lost->second)};
    }
  }
  const std::size_t first = s.size() > kTrailingWindow ? s.size() - kTrailingWindow : 0;
  // The byline starts at the last opening bracket, or (bracket lost) after the last sentence end.
  std::size_t start = std::u32string_view::npos;
  for (std::size_t i = s.size(); i-- > first;) {
    if (cues::is_open_bracket(s[i])) {
      start = i;
      break;
    }
    if (cues::is_sentence_end(s[i])) {
      start = i + 1;
      break;
    }
  }
  if (start == std::u32string_view::npos || start == 0 || start >= s.size()) return std::nullopt;
  // After the last sentence, or on a line of its own.
  const bool own_line = s[start - 1] == U'\n';
  if (!own_line && !ends_with_sentence(s.substr(0, start))) return std::nullopt;
  std::optional<std::string> names = parse_byline_u32(s.substr(start));
  if (!names) return std::nullopt;
  std::size_t end = start;
  while (end > 0 && text::is_space(s[end - 1])) --end;
  return SplitByline{std::string(text.substr(0, d.offsets[end])), std::move(*names)};
}

std::optional<Credit> split_credit(std::string_view caption) {
  const cues::Decoded d = cues::decode(caption);
  const std::u32string& all = d.text;
  std::u32string_view s = cues::trim(all);
  const std::size_t lead = static_cast<std::size_t>(s.data() - all.data());
  // The caption before position `at` of s, as its bytes, trimmed.
  const auto caption_before = [&](std::size_t at) {
    while (at > 0 && text::is_space(s[at - 1])) --at;
    return std::string(caption.substr(d.offsets[lead], d.offsets[lead + at] - d.offsets[lead]));
  };
  std::size_t end = s.size();
  if (end > 0 && cues::is_close_bracket(s[end - 1])) --end;  // （張三 攝）
  while (end > 0 && text::is_space(s[end - 1])) --end;
  if (end == 0) return std::nullopt;
  if (s[end - 1] != U'攝' && s[end - 1] != U'摄') {
    std::optional<Credit> lost = lost_she(s);
    if (lost) lost->text = caption_before(lost_she_start(s));
    return lost;
  }
  // Walk back over the names to the boundary: an ideographic space, a sentence end or a bracket.
  std::size_t start = end - 1;
  std::size_t last_wide_space = std::u32string_view::npos;
  while (start > 0) {
    const char32_t c = s[start - 1];
    if (c == U'\u3000' && last_wide_space == std::u32string_view::npos) last_wide_space = start;
    if (cues::is_sentence_punct(c) || cues::is_open_bracket(c) || cues::is_close_bracket(c) ||
        !is_name_char(c) || end - start > kMaxCreditChars + 4)
      break;
    --start;
  }
  if (last_wide_space != std::u32string_view::npos) start = last_wide_space;
  std::u32string_view credit = cues::trim(s.substr(start, end - start));
  // Without a wide space before it, a long run of characters is the caption's own words: keep only
  // what follows the last space, or give up.
  if (last_wide_space == std::u32string_view::npos &&
      cues::visible_length(credit) > kMaxBareCreditChars && !starts_with_role(credit)) {
    const std::size_t space = credit.find_last_of(U" \t", credit.size() - 1);
    if (space != std::u32string_view::npos) {
      start = static_cast<std::size_t>(credit.data() - s.data()) + space + 1;
      credit = cues::trim(credit.substr(space + 1));
    } else {
      // Brackets, full stop and space all lost (…屋頂上鄭偉剛攝): a name of three, else two,
      // characters that starts with a surname, with caption text before it. 拍攝 and 航攝 are
      // the verbs, not a name.
      const std::size_t she = end - 1;
      if (she > 0 && (s[she - 1] == U'拍' || s[she - 1] == U'航')) return std::nullopt;
      std::optional<std::size_t> name;
      for (const std::size_t n : {std::size_t{3}, std::size_t{2}})
        if (she > n && starts_with_surname(s.substr(she - n))) {
          name = she - n;
          break;
        }
      if (!name) return std::nullopt;
      start = *name;
      credit = s.substr(start, end - start);
    }
  }
  const std::size_t visible = cues::visible_length(credit);
  if (visible < 2 || visible > kMaxCreditChars) return std::nullopt;
  Credit out;
  std::u32string_view name = credit.substr(0, credit.size() - 1);
  out.byline = fold_spaces(name);
  if (out.byline.empty()) return std::nullopt;
  out.credit = text::to_utf8(credit);
  out.text = caption_before(start > 0 && cues::is_open_bracket(s[start - 1]) ? start - 1 : start);
  return out;
}

}  // namespace broadsheet::reassemble
