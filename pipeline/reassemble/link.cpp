// Parts on different pages → continuation links.
//
// Every pair (P, C) on different pages where at least one printed jump line speaks for the link
// is scored: P's （下轉第N版） naming C's page, C's （上接第M版） naming P's page, C's headline
// repeating the article's (a shortened headline is its first deck), and text continuity (a part
// that ends mid-sentence goes on somewhere; a continuation that starts without an indent goes on
// with a paragraph). Contradictions cost: a jump naming another page, a different headline, a
// byline that closed P. The best pair is linked, scores are recomputed (the headline a
// continuation repeats may sit on the first page of a chain), and so on until no pair reaches the
// threshold. An issue holds a few dozen parts, so the quadratic search costs nothing.
//
// When two parts on one page both jump to the same page and neither continuation repeats a
// headline, markers and headlines tie. What is left is the text across the cut: the character
// n-grams that would span the join ("艾灸、|刮痧") are looked up in the rest of the issue, whose
// own text is the only language model reassembly has. It breaks ties, never outweighs a marker.

#include <algorithm>
#include <unordered_set>

#include "core/text.hpp"
#include "reassemble/cues.hpp"
#include "reassemble/detail.hpp"

namespace broadsheet::reassemble::detail {

namespace {

constexpr double kPageNamed = 4.0;  // a jump line names the other part's page
constexpr double kPageContradicted = -3.0;
constexpr double kPageUnread = 1.0;  // a jump line is there, its number unreadable
constexpr double kNoJumpOut = -1.0;  // P printed no （下轉…） (or it was lost)
constexpr double kNoJumpIn = -0.5;   // C printed no （上接…） (or it was lost)
constexpr double kHeadlineRepeated = 3.0;
constexpr double kHeadlineDiffers = -3.0;
constexpr double kFreshArticle = -2.0;  // C has a kicker or section: it opens an article
constexpr double kEndsMidSentence = 1.0;
constexpr double kStartsMidParagraph = 0.5;
constexpr double kThreshold = 4.0;
constexpr double kJoinSeen = 0.9;  // the most the n-grams across a cut can add
constexpr std::size_t kMaxGram = 4;

/// Body characters (white space dropped) of a text.
std::u32string letters(std::string_view s) {
  std::u32string out;
  for (char32_t c : text::to_u32(s))
    if (!text::is_space(c)) out += c;
  return out;
}

std::uint64_t gram_key(std::u32string_view g) {
  std::uint64_t h = 1469598103934665603ull ^ g.size();
  for (char32_t c : g) h = (h ^ static_cast<std::uint64_t>(c)) * 1099511628211ull;
  return h;
}

/// Character n-grams (2..kMaxGram) of every part's text.
class GramIndex {
 public:
  explicit GramIndex(const std::vector<Part>& parts) {
    for (const Part& p : parts) {
      const std::u32string u = letters(p.text);
      for (std::size_t n = 2; n <= kMaxGram; ++n)
        for (std::size_t i = 0; i + n <= u.size(); ++i)
          seen_.insert(gram_key(std::u32string_view(u).substr(i, n)));
    }
  }
  /// Share of the n-grams spanning the join of `before` and `after` seen elsewhere, weighted by
  /// length; 0..1.
  [[nodiscard]] double join(const std::u32string& before, const std::u32string& after) const {
    const std::size_t a = std::min(before.size(), kMaxGram - 1);
    const std::size_t b = std::min(after.size(), kMaxGram - 1);
    const std::u32string joint = before.substr(before.size() - a) + after.substr(0, b);
    double got = 0;
    double total = 0;
    for (std::size_t n = 2; n <= kMaxGram; ++n) {
      for (std::size_t i = 0; i + n <= joint.size(); ++i) {
        if (i >= a || i + n <= a) continue;  // does not span the join
        const auto w = static_cast<double>(n - 1);
        total += w;
        if (seen_.contains(gram_key(std::u32string_view(joint).substr(i, n)))) got += w;
      }
    }
    return total > 0 ? got / total : 0;
  }

 private:
  std::unordered_set<std::uint64_t> seen_;
};

std::vector<std::u32string> bigrams(std::string_view s) {
  const std::u32string u = text::comparable(s);
  std::vector<std::u32string> out;
  for (std::size_t i = 0; i + 1 < u.size(); ++i) out.push_back(u.substr(i, 2));
  if (u.size() == 1) out.push_back(u);
  std::sort(out.begin(), out.end());
  return out;
}

struct Linker {
  const std::vector<Part>& parts;
  const Options& options;
  GramIndex grams;
  std::vector<std::u32string> tails;  ///< last characters of each part's text
  std::vector<std::u32string> heads;  ///< first characters
  std::vector<std::ptrdiff_t> next;
  std::vector<std::ptrdiff_t> prev;

  Linker(const std::vector<Part>& parts_in, const Options& options_in)
      : parts(parts_in), options(options_in), grams(parts_in) {
    for (const Part& p : parts) {
      const std::u32string u = letters(p.text);
      const std::size_t k = std::min(u.size(), kMaxGram);
      tails.push_back(u.substr(u.size() - k));
      heads.push_back(u.substr(0, k));
    }
  }

  /// Headlines of the chain P belongs to (so far), first part first.
  [[nodiscard]] std::vector<std::string> chain_headlines(std::size_t p) const {
    std::size_t root = p;
    while (prev[root] >= 0) root = static_cast<std::size_t>(prev[root]);
    std::vector<std::string> out;
    for (std::ptrdiff_t k = static_cast<std::ptrdiff_t>(root); k >= 0;
         k = next[static_cast<std::size_t>(k)]) {
      const Part& part = parts[static_cast<std::size_t>(k)];
      if (part.headline) out.push_back(*part.headline);
      if (static_cast<std::size_t>(k) == p) break;
    }
    return out;
  }

  [[nodiscard]] bool same_chain(std::size_t a, std::size_t b) const {
    std::size_t ra = a;
    while (prev[ra] >= 0) ra = static_cast<std::size_t>(prev[ra]);
    std::size_t rb = b;
    while (prev[rb] >= 0) rb = static_cast<std::size_t>(prev[rb]);
    return ra == rb;
  }

  [[nodiscard]] std::optional<double> score(std::size_t pi, std::size_t ci) const {
    const Part& p = parts[pi];
    const Part& c = parts[ci];
    if (p.page == c.page || p.kind != ArticleKind::Article || c.kind != ArticleKind::Article)
      return std::nullopt;
    const bool out_line = p.jump_out || p.jump_out_unread;
    const bool in_line = c.jump_in || c.jump_in_unread;
    if (!out_line && !in_line) return std::nullopt;  // nothing printed says they go together
    if (!out_line && p.byline) return std::nullopt;  // P ended
    double s = 0;
    if (p.jump_out) {
      s += p.jump_out->page == c.page ? kPageNamed : kPageContradicted;
    } else if (p.jump_out_unread) {
      s += kPageUnread;
    } else {
      s += kNoJumpOut;
    }
    if (c.jump_in) {
      s += c.jump_in->page == p.page ? kPageNamed : kPageContradicted;
    } else if (c.jump_in_unread) {
      s += kPageUnread;
    } else {
      s += kNoJumpIn;
      if (c.kicker || c.section) s += kFreshArticle;
    }
    if (c.headline) {
      const std::vector<std::string> chain = chain_headlines(pi);
      if (!chain.empty()) {
        double best = 0;
        for (const std::string& h : chain)
          best = std::max(best, bigram_containment(*c.headline, h));
        s += best >= options.headline_match_ratio ? kHeadlineRepeated * best : kHeadlineDiffers;
      }
    }
    if (!p.pieces.empty() && !cues::ends_sentence(text::to_u32(p.text))) s += kEndsMidSentence;
    if (!c.pieces.empty() && c.pieces.front().first_indented == Cue::No) s += kStartsMidParagraph;
    if (!tails[pi].empty() && !heads[ci].empty()) s += kJoinSeen * grams.join(tails[pi], heads[ci]);
    return s;
  }

  void run() {
    const std::size_t n = parts.size();
    next.assign(n, -1);
    prev.assign(n, -1);
    for (;;) {
      double best = kThreshold;
      std::ptrdiff_t bp = -1;
      std::ptrdiff_t bc = -1;
      for (std::size_t pi = 0; pi < n; ++pi) {
        if (next[pi] >= 0) continue;
        for (std::size_t ci = 0; ci < n; ++ci) {
          if (prev[ci] >= 0 || ci == pi || same_chain(pi, ci)) continue;
          const std::optional<double> s = score(pi, ci);
          // Ties go to reading order: the first jump on a page to the first continuation.
          if (s && *s > best + 1e-9) {
            best = *s;
            bp = static_cast<std::ptrdiff_t>(pi);
            bc = static_cast<std::ptrdiff_t>(ci);
          } else if (s && bp < 0 && *s >= kThreshold) {
            best = *s;
            bp = static_cast<std::ptrdiff_t>(pi);
            bc = static_cast<std::ptrdiff_t>(ci);
          }
        }
      }
      if (bp < 0) break;
      next[static_cast<std::size_t>(bp)] = bc;
      prev[static_cast<std::size_t>(bc)] = bp;
    }
  }
};

}  // namespace

double bigram_containment(std::string_view part, std::string_view whole) {
  const std::vector<std::u32string> a = bigrams(part);
  const std::vector<std::u32string> b = bigrams(whole);
  if (a.empty()) return 0;
  std::vector<std::u32string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return static_cast<double>(common.size()) / static_cast<double>(a.size());
}

std::vector<std::ptrdiff_t> link_parts(const std::vector<Part>& parts, const Options& options) {
  Linker linker(parts, options);
  linker.run();
  return linker.next;
}

}  // namespace broadsheet::reassemble::detail
