#include "batch/manifest.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace broadsheet::batch {
namespace {

namespace fs = std::filesystem;

TEST(ManifestTest, HashesAreStableAndSensitive) {
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);  // published FNV-1a 64 test vector
  EXPECT_NE(fnv1a64("page-01"), fnv1a64("page-02"));
  EXPECT_EQ(hex(0xaf63dc4c8601ec8cULL), "af63dc4c8601ec8c");
  EXPECT_EQ(hex(0), "0000000000000000");
}

TEST(ManifestTest, FileHashEqualsHashOfItsBytes) {
  const fs::path path = fs::temp_directory_path() / "broadsheet_manifest_hash.bin";
  std::string bytes(200000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  std::ofstream(path, std::ios::binary) << bytes;
  auto h = hash_file(path);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, fnv1a64(bytes));
  EXPECT_FALSE(hash_file(path.string() + ".missing").has_value());
  fs::remove(path);
}

TEST(ManifestTest, Sha256OfAFileMatchesThePublishedVectors) {
  const fs::path path = fs::temp_directory_path() / "broadsheet_manifest_sha.bin";
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(sha256_file(path),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  // More than one read buffer: a million 'a's (FIPS 180-2's long vector).
  std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string(1000000, 'a');
  EXPECT_EQ(sha256_file(path), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_FALSE(sha256_file(path.string() + ".missing").has_value());
  fs::remove(path);
}

TEST(ManifestTest, RoundTripsAndForgivesDamage) {
  const fs::path dir = fs::temp_directory_path() / "broadsheet_manifest_test";
  fs::remove_all(dir);
  Manifest m;
  m.issue_id = "paper/2025-08-07";
  m.issue_key = "abc";
  m.scans["page-01.jpg"] = {"page-01.jpg", "11", "22", "ok", nullptr, 3.5, std::nullopt};
  m.scans["page-02.jpg"] = {"page-02.jpg",          "33", "44",        "failed",
                            {{"message", "empty"}}, 0.1,  std::nullopt};
  ASSERT_TRUE(write_manifest(dir / "manifest.json", m));
  const Manifest back = read_manifest(dir / "manifest.json");
  EXPECT_EQ(back.issue_id, m.issue_id);
  EXPECT_EQ(back.issue_key, "abc");
  ASSERT_EQ(back.scans.size(), 2u);
  EXPECT_EQ(back.scans.at("page-01.jpg").key, "22");
  EXPECT_EQ(back.scans.at("page-02.jpg").status, "failed");
  EXPECT_EQ(back.scans.at("page-02.jpg").error["message"], "empty");
  EXPECT_FALSE(back.scans.at("page-01.jpg").frame.has_value());

  // The pages of a multi-page file share its name: each is its own record, keyed by frame.
  Manifest multi;
  for (int f = 0; f < 2; ++f)
    multi.scans[scan_label("1919-04-03.tif", f)] = {
        "1919-04-03.tif", "55", "k" + std::to_string(f), "ok", nullptr, 1.0, f};
  ASSERT_TRUE(write_manifest(dir / "manifest.json", multi));
  const Manifest multi_back = read_manifest(dir / "manifest.json");
  ASSERT_EQ(multi_back.scans.size(), 2u);
  EXPECT_EQ(multi_back.scans.at("1919-04-03.tif-f1").key, "k0");
  EXPECT_EQ(multi_back.scans.at("1919-04-03.tif-f2").key, "k1");
  EXPECT_EQ(multi_back.scans.at("1919-04-03.tif-f2").frame, 1);
  EXPECT_EQ(page_result_path("out", "1919-04-03.tif-f2"),
            fs::path("out/pages/1919-04-03.tif-f2.json"));

  // A damaged manifest means "redo everything", never an error or a crash.
  std::ofstream(dir / "manifest.json") << "{\"scans\": [1, {\"image\": ";
  EXPECT_TRUE(read_manifest(dir / "manifest.json").scans.empty());
  EXPECT_TRUE(read_manifest(dir / "missing.json").scans.empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace broadsheet::batch
