// Fuzzes the input CSV reader (runtime/io/csv.hpp): the bytes after the first
// two are a whole input file; those two pick the reader's block size and line
// limit, small so that lines cross block boundaries and get cut. The file is
// read twice, with that block size and with one larger than any input (the
// fuzzer's -max_len), and both reads must find the same rows: how the file
// is cut into blocks must not matter.
// The file lives in memory (memfd), never on disk.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "runtime/io/csv.hpp"

using namespace shoal;

namespace {

struct row {
  row_kind kind;
  uint64_t line;
  std::string sensor;
  int64_t ts;
  uint64_t value_bits;

  bool operator==(const row& x) const {
    return kind == x.kind && line == x.line && sensor == x.sensor && ts == x.ts
           && value_bits == x.value_bits;
  }
};

/// Every row of the file at `path`, or nothing if its header is refused.
std::vector<row> read_all(const std::string& path, size_t block,
                          size_t max_line, bool& opened) {
  std::vector<row> rows;
  auto reader = sample_reader::open(path, block, max_line);
  opened = static_cast<bool>(reader);
  if (!reader)
    return rows;
  sample_row r;
  uint64_t last_line = 1;
  for (auto kind = reader->next(r); kind != row_kind::end;
       kind = reader->next(r)) {
    // Line numbers only grow, and a sample always names a sensor.
    if (reader->line_number() <= last_line
        || (kind == row_kind::sample && r.sensor.empty()))
      std::abort();
    last_line = reader->line_number();
    row x{kind, last_line, {}, 0, 0};
    if (kind == row_kind::sample) {
      x.sensor = std::string{r.sensor};
      x.ts = r.ts;
      std::memcpy(&x.value_bits, &r.value, sizeof(double));
    }
    rows.push_back(std::move(x));
  }
  return rows;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2)
    return 0;
  size_t block = size_t{data[0]} + 1;
  size_t max_line = size_t{data[1]} + 1;
  int fd = memfd_create("csv_fuzz", 0);
  if (fd < 0)
    std::abort();
  for (size_t done = 2; done < size;) {
    auto n = write(fd, data + done, size - done);
    if (n <= 0)
      std::abort();
    done += static_cast<size_t>(n);
  }
  auto path = "/proc/self/fd/" + std::to_string(fd);
  bool small_opened = false;
  bool large_opened = false;
  auto small = read_all(path, block, max_line, small_opened);
  auto large = read_all(path, size_t{1} << 16, max_line, large_opened);
  close(fd);
  if (small_opened != large_opened || !(small == large))
    std::abort();
  return 0;
}
