#ifndef CFOLDERSWAP_H
#define CFOLDERSWAP_H

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#elif defined(__APPLE__)
#include <stdio.h>
#endif

/// Exchanges what the paths `first` and `second` name, in one step: each then names what the other did.
/// Returns 0, or -1 with `errno` set (ENOSYS, EINVAL or ENOTSUP where the system or file system cannot).
///
/// In C because glibc declares `renameat2` only for `_GNU_SOURCE`, which Swift's Glibc module is not built with.
static inline int exchange_paths(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
  return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, 2 /* RENAME_EXCHANGE */);
#elif defined(__APPLE__)
  return renamex_np(first, second, RENAME_SWAP);
#else
  errno = ENOSYS;
  return -1;
#endif
}

#endif
