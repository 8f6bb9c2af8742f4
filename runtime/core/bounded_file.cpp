#include "runtime/core/bounded_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

caf::error fail(const std::string& why) {
  return make_error(errc::io_error, why);
}

/// Closes a file descriptor when it goes away.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

caf::expected<std::string> read_bounded_file(const std::string& path,
                                             uint64_t cap) {
  // O_NONBLOCK: opening a fifo without a writer must not wait for one.
  fd_guard f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == EISDIR)
      return fail("is a directory");
    return fail(std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0)
    return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return fail("is a directory");
  if (!S_ISREG(st.st_mode))
    return fail("is not a regular file");
  auto too_large = [&] {
    return fail("is larger than the cap of " + std::to_string(cap) + " bytes");
  };
  if (static_cast<uint64_t>(st.st_size) > cap)
    return too_large();
  std::string bytes;
  bytes.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  // The file may grow while it is read: read what its size said, then check
  // that nothing beyond the cap follows.
  for (;;) {
    if (got == bytes.size()) {
      if (bytes.size() >= cap + 1)
        break;
      bytes.resize(std::min<uint64_t>(cap + 1, bytes.size() + 65536));
    }
    auto n = ::read(f.fd, bytes.data() + got, bytes.size() - got);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return fail(std::strerror(errno));
    }
    if (n == 0)
      break;
    got += static_cast<size_t>(n);
  }
  if (got > cap)
    return too_large();
  bytes.resize(got);
  return bytes;
}

} // namespace shoal
