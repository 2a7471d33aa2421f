#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to start loading the cache line at `address`, for reading, without waiting for it.
static inline void prefetch_for_reading(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#endif
