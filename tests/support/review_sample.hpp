#pragma once
// A small hand-made issue for the review tests: two pages, three articles, known boxes and text.

#include <string>

#include "core/issue.hpp"

namespace broadsheet::test {

inline Region region(std::string id, RegionKind kind, Box box, std::string text,
                     std::string article) {
  Region r;
  r.id = std::move(id);
  r.kind = kind;
  r.bbox = box;
  r.text = std::move(text);
  r.article_id = std::move(article);
  r.lines.push_back(Line{box, r.text, 0.9});
  return r;
}

// Two pages, three articles: a1 (headline + two body regions), a2 (body, page 1), a3 (page 2).
inline Issue review_sample_issue() {
  Issue issue;
  issue.issue.id = "paper/2025-08-07";
  issue.issue.date = "2025-08-07";
  issue.issue.newspaper = "陽泉日報";
  Page p1;
  p1.page = 1;
  p1.image = "page-01.jpg";
  p1.width = 3000;
  p1.height = 4800;
  p1.regions = {
      region("p1-r1", RegionKind::Headline, {100, 100, 800, 100}, "搶抓黃金期", "a1"),
      region("p1-r2", RegionKind::Body, {100, 250, 400, 600}, "本報訊市委書記調研。", "a1"),
      region("p1-r3", RegionKind::Body, {520, 250, 400, 600}, "項目建設加速度。", "a1"),
      region("p1-r4", RegionKind::Body, {1000, 250, 400, 900}, "市領導耿周鵬參加。", "a2")};
  Page p2;
  p2.page = 2;
  p2.scan_index = 1;
  p2.image = "page-02.jpg";
  p2.width = 3000;
  p2.height = 4800;
  p2.regions = {region("p2-r1", RegionKind::Body, {100, 100, 800, 800}, "暑期托管班結業。", "a3")};
  issue.pages = {p1, p2};
  Article a1;
  a1.id = "a1";
  a1.headline = "搶抓黃金期";
  a1.text = "本報訊市委書記調研。\n項目建設加速度。";
  a1.paragraphs = {"本報訊市委書記調研。", "項目建設加速度。"};
  a1.pages = {1};
  a1.parts = {{1, {"p1-r1", "p1-r2", "p1-r3"}, {100, 100, 820, 750}, a1.text}};
  Article a2;
  a2.id = "a2";
  a2.text = "市領導耿周鵬參加。";
  a2.pages = {1};
  a2.parts = {{1, {"p1-r4"}, {1000, 250, 400, 900}, a2.text}};
  Article a3;
  a3.id = "a3";
  a3.headline = "托管班";
  a3.text = "暑期托管班結業。";
  a3.pages = {2};
  a3.parts = {{2, {"p2-r1"}, {100, 100, 800, 800}, a3.text}};
  issue.articles = {a1, a2, a3};
  return issue;
}

}  // namespace broadsheet::test
