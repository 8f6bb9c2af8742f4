#include "runtime/state/rocks_db.hpp"

#include <filesystem>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/transaction_log.h>
#include <rocksdb/write_batch.h>

namespace shoal {

namespace {

/// RocksDB's words for a LOCK file that another store holds: "While lock
/// file" from another process, "lock hold by current process" from this one.
bool is_lock_error(const rocksdb::Status& st) {
  auto text = st.ToString();
  return st.IsIOError()
         && (text.find("While lock file") != std::string::npos
             || text.find("lock hold") != std::string::npos);
}

} // namespace

rocks_db::rocks_db(std::string dir, std::string label)
  : dir_(std::move(dir)), label_(std::move(label)) {
  // nop
}

rocks_db::~rocks_db() = default;

caf::expected<std::unique_ptr<rocks_db>>
rocks_db::open(const std::string& dir, const std::string& label) {
  std::unique_ptr<rocks_db> self{new rocks_db(dir, label)};
  rocksdb::Options opts;
  opts.create_if_missing = true;
  // RocksDB keeps 1,000 of its info logs by default; a few tell enough.
  opts.keep_log_file_num = 4;
  auto path = dir;
  if (dir.empty()) {
    self->mem_env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    opts.env = self->mem_env_.get();
    path = "/in-memory";
  } else {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
      return self->fail("cannot create the directory", ec.message());
  }
  rocksdb::DB* db = nullptr;
  auto st = rocksdb::DB::Open(opts, path, &db);
  if (!st.ok()) {
    if (is_lock_error(st))
      return self->fail("in use",
                        "another process (or another store in this one) "
                        "holds its lock "
                          + dir
                          + "/LOCK; is another shoal-node running with this "
                            "data_dir? (RocksDB: "
                          + st.ToString() + ")");
    return self->fail("cannot open", st.ToString());
  }
  self->db_.reset(db);
  return self;
}

caf::error rocks_db::write(const std::string& what,
                           rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions opts;
  opts.sync = true;
  auto st = db_->Write(opts, &batch);
  if (!st.ok())
    return fail(what, st.ToString());
  return caf::none;
}

caf::error rocks_db::fail(const std::string& what, const std::string& reason,
                          errc code) const {
  return make_error(code, label_ + " "
                            + (dir_.empty() ? std::string{"(in memory)"} : dir_)
                            + ": " + what + ": " + reason);
}

uint64_t rocks_db::bytes_on_disk() const {
  // RocksDB's own accounting of its files, not GetApproximateSizes: that
  // samples the memtables, and gave anything from 90 to 240 bytes a node
  // for the same 200-byte states.
  uint64_t sst = 0;
  if (!db_->GetIntProperty(rocksdb::DB::Properties::kTotalSstFilesSize, &sst))
    sst = 0;
  uint64_t wal = 0;
  rocksdb::VectorLogPtr logs;
  if (db_->GetSortedWalFiles(logs).ok())
    for (const auto& log : logs)
      wal += log->SizeFileBytes();
  return sst + wal;
}

} // namespace shoal
