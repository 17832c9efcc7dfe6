#include "batch/manifest.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include <nettle/sha2.h>

#include "core/issue_json.hpp"

namespace broadsheet::batch {

namespace fs = std::filesystem;

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::optional<std::uint64_t> hash_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::uint64_t h = 14695981039346656037ULL;
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    h = fnv1a64(std::string_view(buf.data(), n), h);
  }
  if (in.bad()) return std::nullopt;
  return h;
}

std::optional<std::string> sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  sha256_ctx ctx;
  sha256_init(&ctx);
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    sha256_update(&ctx, n, reinterpret_cast<const std::uint8_t*>(buf.data()));
  }
  if (in.bad()) return std::nullopt;
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&ctx, digest.size(), digest.data());
  static const char* const kDigits = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : digest) {
    s += kDigits[b >> 4];
    s += kDigits[b & 0xF];
  }
  return s;
}

std::string hex(std::uint64_t v) {
  static const char* const kDigits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<size_t>(i)] = kDigits[v & 0xF];
    v >>= 4;
  }
  return s;
}

Manifest read_manifest(const fs::path& path) {
  Manifest m;
  std::ifstream in(path, std::ios::binary);
  if (!in) return m;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return m;
  m.issue_id = j.value("issue", "");
  m.issue_key = j.value("issue_key", "");
  if (j.contains("scans") && j["scans"].is_array()) {
    for (const auto& s : j["scans"]) {
      if (!s.is_object()) continue;
      ScanRecord r;
      r.image = s.value("image", "");
      r.content_hash = s.value("content_hash", "");
      r.key = s.value("key", "");
      r.status = s.value("status", "");
      r.error = s.value("error", nlohmann::json());
      r.seconds = s.value("seconds", 0.0);
      if (s.contains("frame") && s["frame"].is_number_integer() && s["frame"].get<int>() >= 0)
        r.frame = s["frame"].get<int>();
      if (!r.image.empty()) m.scans[scan_label(r.image, r.frame)] = std::move(r);
    }
  }
  return m;
}

Result<void> write_manifest(const fs::path& path, const Manifest& m) {
  nlohmann::json scans = nlohmann::json::array();
  for (const auto& [label, r] : m.scans) {
    nlohmann::json scan = {{"image", r.image}, {"content_hash", r.content_hash},
                           {"key", r.key},     {"status", r.status},
                           {"error", r.error}, {"seconds", r.seconds}};
    if (r.frame) scan["frame"] = *r.frame;
    scans.push_back(std::move(scan));
  }
  nlohmann::json j = {{"issue", m.issue_id}, {"issue_key", m.issue_key}, {"scans", scans}};
  return write_file_atomic(path,
                           j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

fs::path page_result_path(const fs::path& issue_dir, const std::string& scan) {
  return issue_dir / "pages" / (scan + ".json");
}

}  // namespace broadsheet::batch
