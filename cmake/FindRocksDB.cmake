# FindRocksDB: locates RocksDB (Debian's librocksdb-dev ships no CMake
# package). Defines RocksDB_FOUND, RocksDB_VERSION and the imported target
# RocksDB::rocksdb (the shared library; it brings its compression libraries
# along by itself).

find_path(RocksDB_INCLUDE_DIR NAMES rocksdb/db.h)
find_library(RocksDB_LIBRARY NAMES rocksdb)

if(RocksDB_INCLUDE_DIR AND EXISTS "${RocksDB_INCLUDE_DIR}/rocksdb/version.h")
  file(STRINGS "${RocksDB_INCLUDE_DIR}/rocksdb/version.h" rocksdb_version_lines
       REGEX "^#define ROCKSDB_(MAJOR|MINOR|PATCH) [0-9]+")
  foreach(part MAJOR MINOR PATCH)
    string(REGEX REPLACE ".*#define ROCKSDB_${part} ([0-9]+).*" "\\1"
           rocksdb_${part} "${rocksdb_version_lines}")
  endforeach()
  set(RocksDB_VERSION "${rocksdb_MAJOR}.${rocksdb_MINOR}.${rocksdb_PATCH}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(
  RocksDB
  REQUIRED_VARS RocksDB_INCLUDE_DIR RocksDB_LIBRARY
  VERSION_VAR RocksDB_VERSION)

if(RocksDB_FOUND AND NOT TARGET RocksDB::rocksdb)
  find_package(Threads REQUIRED)
  add_library(RocksDB::rocksdb UNKNOWN IMPORTED)
  set_target_properties(
    RocksDB::rocksdb PROPERTIES IMPORTED_LOCATION "${RocksDB_LIBRARY}"
                                INTERFACE_INCLUDE_DIRECTORIES "${RocksDB_INCLUDE_DIR}"
                                INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()

mark_as_advanced(RocksDB_INCLUDE_DIR RocksDB_LIBRARY)
