#include "batch/shard.hpp"

#include <charconv>

#include "batch/manifest.hpp"

namespace broadsheet::batch {

namespace {

// A positive decimal integer and nothing else (from_chars would also accept a leading '-').
std::optional<long long> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<Shard> parse_shard(std::string_view text) {
  const std::string shown(text);
  const std::string usage =
      "write K/N with 1 <= K <= N, e.g. --shard 1/4 ... --shard 4/4 (K is 1-based, like Slurm's "
      "--array=1-N task ids)";
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos)
    return fail(ErrorCode::BadArguments, "batch", {}, "--shard " + shown + ": not of the form K/N",
                usage);
  const auto k = parse_count(text.substr(0, slash));
  const auto n = parse_count(text.substr(slash + 1));
  if (!k || !n)
    return fail(ErrorCode::BadArguments, "batch", {},
                "--shard " + shown + ": K and N must be whole numbers", usage);
  if (*n < 1 || *n > kMaxShards)
    return fail(ErrorCode::BadArguments, "batch", {},
                "--shard " + shown + ": N must be between 1 and " + std::to_string(kMaxShards),
                usage);
  if (*k < 1)
    return fail(ErrorCode::BadArguments, "batch", {},
                "--shard " + shown + ": shards are numbered from 1", usage);
  if (*k > *n)
    return fail(ErrorCode::BadArguments, "batch", {},
                "--shard " + shown + ": shard " + std::to_string(*k) + " does not exist among " +
                    std::to_string(*n),
                usage);
  return Shard{static_cast<int>(*k), static_cast<int>(*n)};
}

std::string to_string(const Shard& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

std::string file_label(const Shard& shard) {
  return "shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
}

std::uint64_t shard_hash(std::string_view issue_id) {
  std::uint64_t h = fnv1a64(issue_id);
  // MurmurHash3 fmix64.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

int shard_of(std::string_view issue_id, int count) {
  if (count <= 1) return 1;
  return static_cast<int>(shard_hash(issue_id) % static_cast<std::uint64_t>(count)) + 1;
}

bool in_shard(std::string_view issue_id, const Shard& shard) {
  return shard_of(issue_id, shard.count) == shard.index;
}

}  // namespace broadsheet::batch
