// An open RocksDB database, in a directory or in memory, with its errors in
// our words: the directory created if missing, a held lock said plainly,
// every write one synced batch. The checkpoint store (checkpoint_store.hpp)
// keeps its layout on top of it.
//
// Owns the database and, for one in memory, the in-memory file system it
// lives in; closing releases the directory's lock. Thread-safe as far as
// RocksDB is (reads and writes may run concurrently).

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/core/errc.hpp"

namespace rocksdb {
class DB;
class Env;
class WriteBatch;
} // namespace rocksdb

namespace shoal {

class rocks_db {
public:
  /// Opens (creating if missing) the database in `dir`, or one in memory
  /// when `dir` is empty. `label` starts every error ("checkpoint store").
  static caf::expected<std::unique_ptr<rocks_db>>
  open(const std::string& dir, const std::string& label);

  rocks_db(const rocks_db&) = delete;

  rocks_db& operator=(const rocks_db&) = delete;

  ~rocks_db();

  rocksdb::DB& db() const {
    return *db_;
  }

  /// Writes `batch` atomically with a synced WAL: once this returns, the
  /// batch survives kill -9 and power loss. `what` names it in errors.
  caf::error write(const std::string& what, rocksdb::WriteBatch& batch);

  /// An error "<label> <dir>: <what>: <reason>" (the dir "(in memory)").
  caf::error fail(const std::string& what, const std::string& reason,
                  errc code = errc::io_error) const;

  /// The bytes of the database's table files and write-ahead logs, as
  /// RocksDB counts them: what it takes on disk (in memory for a database
  /// without a directory). A part RocksDB cannot say counts 0.
  uint64_t bytes_on_disk() const;

private:
  rocks_db(std::string dir, std::string label);

  std::string dir_;
  std::string label_;
  /// Declared before `db_`, so that the database closes first.
  std::unique_ptr<rocksdb::Env> mem_env_;
  std::unique_ptr<rocksdb::DB> db_;
};

} // namespace shoal
