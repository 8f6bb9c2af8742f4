// Reading input CSV files and writing output CSV rows (SPEC section 6).
//
// Input: a header line `sensor,ts,value`, then one sample per row. Fields are
// separated by ',' with no quoting (sensor names cannot contain ',' or '"');
// spaces and tabs around a field and a trailing '\r' are ignored, and so is a
// UTF-8 byte order mark before the header. Blank lines (empty or only
// whitespace, including a last line without content) are skipped: they are
// neither samples nor malformed rows, but they do count for line numbers.
// `value` accepts anything `std::from_chars` reads as a double, plus a
// leading '+'; "nan" and "inf" parse (the source rejects them later as
// `non_finite`), a value beyond the double range reads as +-inf and one
// below it as +-0, as `strtod` would.
//
// A line may be at most `sample_reader::default_max_line` bytes (64 KiB, not
// counting its '\n'): a longer one is a malformed row, and the reader skips
// to the next '\n' without keeping what it skips, so a file of one endless
// line (a fifo that never sends '\n') holds no more than one block in memory.
//
// Output: a header `node,ts,value`, then one row per output with the value
// printed as by "%.17g", which parses back to the same double.
//
// Readers take their bytes from a `byte_source` (runtime/io/byte_source.hpp):
// a file, or a `chunk_feed` of pieces streamed over the network, which may
// run dry before its end; the reader then says `pending` and carries on,
// with the same line numbers and rules, once more bytes were pushed. Lines
// may be split anywhere between pieces.
//
// `line_reader` and `sample_reader` own their buffer and share their source;
// the views they hand out stay valid until their next call. Not
// thread-safe; all functions are locale-independent.

#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/io/byte_source.hpp"

namespace shoal {

/// One data row of an input CSV; `sensor` points into the line.
struct sample_row {
  std::string_view sensor;
  int64_t ts = 0;
  double value = 0;
};

/// Checks the header line of an input CSV. Returns an `errc::invalid_input`
/// error "<file>: line 1: expected header 'sensor,ts,value', got '<line>'"
/// if it is not the header.
caf::error check_input_header(std::string_view line, const std::string& file);

/// Returns whether `line` holds nothing but spaces, tabs and '\r'.
bool is_blank_line(std::string_view line);

/// Parses a data row. Returns false if the row is malformed: not exactly
/// three fields, an empty sensor, a `ts` that is not an int64 or a `value`
/// that is not a number.
bool parse_sample_row(std::string_view line, sample_row& out);

/// Reads a file (or a stream of pieces) line by line in large blocks,
/// without allocating per line.
/// Where a reader is in its input, so that another reader can go on from
/// there (a replay resumed from a checkpoint): the offset of the first byte
/// not read yet, the number of the last line returned, and whether the
/// rest of a cut (overlong) line is still to be skipped.
struct read_position {
  uint64_t offset = 0;
  uint64_t line = 0;
  bool skipping = false;
};

class line_reader {
public:
  static constexpr size_t default_block_size = size_t{1} << 20;

  /// A `max_line` that never cuts a line.
  static constexpr size_t no_limit = SIZE_MAX;

  /// Opens `path`; an `errc::io_error` if it cannot be opened. Reads
  /// `block_size` bytes at a time (a line longer than a block but not than
  /// `max_line`, in bytes without its '\n', grows the buffer).
  static caf::expected<line_reader> open(const std::string& path,
                                         size_t block_size = default_block_size,
                                         size_t max_line = no_limit);

  /// Reads `src`, called `name` in messages.
  line_reader(std::shared_ptr<byte_source> src, std::string name,
              size_t block_size = default_block_size,
              size_t max_line = no_limit);

  /// Returns the next line, without its '\n', in `line`; false at end of file
  /// or on a read error (see `error()`). A last line without '\n' is returned
  /// too; a file ending in '\n' has no empty last line. A line longer than
  /// `max_line` comes back cut to its first `max_line` bytes, with
  /// `overlong()` true; the next call skips the rest of it. Also false when
  /// the rest of the line has not arrived yet (`pending()`): call again once
  /// the source has more.
  bool next(std::string_view& line);

  /// Whether `next` last returned false because the source has nothing
  /// more yet (a `chunk_feed` before its end), not at the end.
  bool pending() const {
    return pending_;
  }

  /// Whether the line last returned was longer than `max_line` (and cut).
  bool overlong() const {
    return overlong_;
  }

  /// The 1-based number of the line last returned.
  uint64_t line_number() const {
    return line_;
  }

  /// The read error that ended the file early, if any.
  const caf::error& error() const {
    return err_;
  }

  /// Where the reader is (see `read_position`).
  read_position where() const {
    return {consumed_ - (end_ - begin_), line_, skipping_};
  }

  /// Goes on as a reader that stopped at `at`, whose source starts at
  /// `at.offset` of the input: counts lines and offsets from there.
  void resume_at(const read_position& at) {
    consumed_ = at.offset;
    line_ = at.line;
    skipping_ = at.skipping;
  }

private:
  /// Returns the first `max_line_` of `len` bytes at `begin_` as an overlong
  /// line.
  void cut(std::string_view& line, size_t len);

  /// Drops the rest of an overlong line, up to and including its '\n', a
  /// block at a time; false while that '\n' has not arrived yet.
  bool skip_rest();

  /// Moves the unread bytes to the front of the buffer and reads more;
  /// false when nothing more could be read (`pending_` when more may come).
  bool refill();

  std::shared_ptr<byte_source> src_;
  std::string path_;
  std::vector<char> buf_;
  size_t begin_ = 0;   // first unread byte
  size_t scanned_ = 0; // bytes from begin_ known to hold no '\n'
  size_t end_ = 0;     // one past the last valid byte
  size_t block_size_;
  size_t max_line_;
  bool eof_ = false;
  bool pending_ = false;  // nothing more yet, the end not reached
  bool overlong_ = false; // the line last returned was cut
  bool skipping_ = false; // the rest of that line is still to be dropped
  uint64_t line_ = 0;
  /// Bytes read from the source so far (from the input's offset at start).
  uint64_t consumed_ = 0;
  caf::error err_;
};

/// What `sample_reader::next` found.
enum class row_kind : uint8_t {
  /// A sample; the row was parsed into `out`.
  sample,
  /// A row that does not parse, or a line longer than the reader's
  /// `max_line`; count it as malformed at `line_number()`.
  malformed,
  /// End of file (or a read error, see `error()`).
  end,
  /// No whole row has arrived yet (a streamed input): call again once the
  /// source has more.
  pending,
};

/// Reads the samples of an input CSV: checks the header when opening and
/// skips blank lines.
class sample_reader {
public:
  /// The longest line read as a row, in bytes without its '\n'.
  static constexpr size_t default_max_line = size_t{64} << 10;

  /// Opens `path` and checks its header; an `errc::io_error` if the file
  /// cannot be opened, an `errc::invalid_input` if the header is wrong,
  /// missing or longer than `max_line`.
  static caf::expected<sample_reader> open(const std::string& path,
                                           size_t block_size
                                           = line_reader::default_block_size,
                                           size_t max_line = default_max_line);

  /// Reads `src`, called `name` in messages, and checks its header, which
  /// must have arrived whole: an `errc::invalid_input` otherwise.
  static caf::expected<sample_reader>
  open(std::shared_ptr<byte_source> src, const std::string& name,
       size_t block_size = line_reader::default_block_size,
       size_t max_line = default_max_line);

  /// Reads the next non-blank row.
  row_kind next(sample_row& out);

  /// The 1-based line number of the row last returned.
  uint64_t line_number() const {
    return lines_.line_number();
  }

  /// Where the reader is, past its header (see `read_position`).
  read_position where() const {
    return lines_.where();
  }

  /// Reads `src`, the input called `name` from `at.offset` on, as the
  /// reader that stopped at `at` would go on (its header was checked
  /// then).
  static sample_reader resume(std::shared_ptr<byte_source> src,
                              const std::string& name, const read_position& at,
                              size_t block_size
                              = line_reader::default_block_size,
                              size_t max_line = default_max_line);

  const caf::error& error() const {
    return lines_.error();
  }

private:
  explicit sample_reader(line_reader lines) : lines_(std::move(lines)) {
    // nop
  }

  /// Reads and checks the header of `lines`.
  static caf::expected<sample_reader>
  start(line_reader lines, const std::string& name, size_t max_line);

  line_reader lines_;
};

/// The output CSV header line.
constexpr std::string_view output_header = "node,ts,value\n";

/// Appends the output row "node,ts,value\n" to `buf`, `value` printed as by
/// "%.17g".
void append_output_row(std::string& buf, std::string_view node, int64_t ts,
                       double value);

} // namespace shoal
