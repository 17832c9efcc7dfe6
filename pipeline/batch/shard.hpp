#pragma once
/// Splitting a batch by issue (issue 9): `broadsheet run --shard K/N` reads only the issues whose
/// id falls in shard K of N, so that N jobs on a cluster together read every issue exactly once and
/// any one of them can be run again alone. An issue is never split: its pages are reassembled
/// together, so it is the unit of work.
///
/// The split is a pure function of the issue id's UTF-8 bytes and N (FNV-1a, then MurmurHash3's
/// 64-bit finaliser, then modulo N): the same on every run, machine, compiler and standard library,
/// and independent of which other issues exist. It never uses std::hash, whose values are allowed
/// to differ between implementations and builds.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace broadsheet::batch {

/// Shard `index` of `count`, both 1-based: 1 <= index <= count, as Slurm's `--array=1-N` task ids.
struct Shard {
  int index = 1;
  int count = 1;
  friend bool operator==(const Shard&, const Shard&) = default;
};

/// More shards than this is a typo, not a batch.
inline constexpr int kMaxShards = 100000;

/// Parses "K/N" (decimal, no spaces). Errors name the text and say what is allowed:
/// "3/2" (K > N), "0/2" (K is 1-based), "a/b", "2", "1/2/3".
[[nodiscard]] Result<Shard> parse_shard(std::string_view text);

/// "K/N".
[[nodiscard]] std::string to_string(const Shard& shard);

/// "shard-K-of-N": the part of the file names under OUT that belong to one shard.
[[nodiscard]] std::string file_label(const Shard& shard);

/// The 64-bit hash the split uses: FNV-1a of the bytes, mixed by MurmurHash3's fmix64 so that
/// every bit of the result depends on every bit of the id (FNV-1a alone leaves the low bits
/// depending only on the low bits of each byte, and N is often a power of two).
[[nodiscard]] std::uint64_t shard_hash(std::string_view issue_id);

/// The 1-based shard among `count` that issue `issue_id` belongs to; 1 when count <= 1.
[[nodiscard]] int shard_of(std::string_view issue_id, int count);

/// Whether `issue_id` is read by `shard`; every issue is in exactly one of the shards 1..N.
[[nodiscard]] bool in_shard(std::string_view issue_id, const Shard& shard);

}  // namespace broadsheet::batch
