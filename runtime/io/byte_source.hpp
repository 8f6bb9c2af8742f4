// Where a `line_reader` (runtime/io/csv.hpp) gets its bytes: a file, the
// pieces of a file that arrive over the network (`shoalctl replay` streams
// its input to a member, which never opens a path it was sent), or the
// points of an InfluxDB replay written as CSV (runtime/io/influx_bytes.hpp).
//
// `read` fills at most `n` bytes and says whether the end has come. A short
// read that is not the end means "nothing more yet": a `chunk_feed` waits
// for its next piece, and its reader stops until one was pushed. A source
// belongs to one reader; a `chunk_feed` is pushed to in the reader's thread
// (the replay source actor). Not thread-safe.

#pragma once

#include <cstddef>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>

#include "caf/expected.hpp"

namespace shoal {

/// What one `byte_source::read` gave.
struct byte_read {
  size_t got = 0;
  /// No byte follows.
  bool end = false;
};

class byte_source {
public:
  virtual ~byte_source();

  /// Reads at most `n` bytes into `buf`.
  virtual byte_read read(char* buf, size_t n) = 0;

  /// Whether the end came early, by a read error.
  virtual bool failed() const = 0;

  /// What the read error was, when the source knows more than that there
  /// was one (a database's answer); empty otherwise.
  virtual std::string why_failed() const;
};

/// The bytes of a file of this process's choosing.
class file_bytes final : public byte_source {
public:
  /// Opens `path`; an `errc::io_error` "<path>: cannot open: <reason>".
  static caf::expected<std::shared_ptr<file_bytes>>
  open(const std::string& path);

  byte_read read(char* buf, size_t n) override;

  bool failed() const override;

private:
  struct closer {
    void operator()(std::FILE* f) const {
      std::fclose(f);
    }
  };

  explicit file_bytes(std::FILE* f) : file_(f) {
    // nop
  }

  std::unique_ptr<std::FILE, closer> file_;
};

/// Bytes pushed in pieces and read in order; the end comes after `close`.
class chunk_feed final : public byte_source {
public:
  /// Appends a piece (ignored after `close`).
  void push(std::string piece);

  /// No piece follows the ones pushed.
  void close() {
    closed_ = true;
  }

  bool closed() const {
    return closed_;
  }

  /// Bytes pushed and not read yet.
  size_t buffered() const {
    return buffered_;
  }

  byte_read read(char* buf, size_t n) override;

  bool failed() const override {
    return false;
  }

private:
  std::deque<std::string> pieces_;
  /// Bytes of the front piece read already.
  size_t pos_ = 0;
  size_t buffered_ = 0;
  bool closed_ = false;
};

} // namespace shoal
