#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A lock with a condition to wait for, as POSIX threads provide them.
final class Condition: @unchecked Sendable {
  // @unchecked: the pthread objects are made for use from several threads at once.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(cond, nil)
  }

  deinit {
    pthread_cond_destroy(cond)
    pthread_mutex_destroy(mutex)
    cond.deallocate()
    mutex.deallocate()
  }

  func lock() { pthread_mutex_lock(mutex) }
  func unlock() { pthread_mutex_unlock(mutex) }
  /// Unlocks, waits for a `broadcast`, and locks again.
  func wait() { pthread_cond_wait(cond, mutex) }
  func broadcast() { pthread_cond_broadcast(cond) }

  func withLock<Result>(_ body: () -> Result) -> Result {
    lock()
    defer { unlock() }
    return body()
  }
}

/// Runs `body` for each number below `count`, each on a thread of its own, all at once, and gives what each
/// returned once all are done, by number.
///
/// Unlike `DispatchQueue.concurrentPerform`, which runs about as many at a time as there are cores, this
/// starts every one: readers of `SharedListParts` wait for each other, and one that never started would keep
/// the others waiting for ever. So when the system refuses a thread, `notStarted` is told at once (to let the
/// others go on without it), and that number's `body` runs on this thread once the others are done.
/// `startsThread` says whether to try a thread for a number at all; tests use it to see a refusal.
func onThreadsOfTheirOwn<Result: Sendable>(
  _ count: Int, notStarted: (Int) -> Void = { _ in }, startsThread: (Int) -> Bool = { _ in true },
  _ body: @escaping @Sendable (Int) -> Result
) -> [Result] {
  // Each slot is written by one thread, or by this one for a refused thread, and read once all have ended.
  let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
  results.initialize(repeating: nil)
  defer {
    results.deinitialize()
    results.deallocate()
  }
  #if canImport(Glibc)
    var threads = [pthread_t](repeating: 0, count: count)
  #else
    var threads = [pthread_t?](repeating: nil, count: count)
  #endif
  var refused: [Int] = []
  for number in 0..<count {
    guard startsThread(number) else {
      refused.append(number)
      notStarted(number)
      continue
    }
    let work = Unmanaged.passRetained(ThreadWork { results[number] = body(number) }).toOpaque()
    let created = pthread_create(
      &threads[number], nil,
      { context in
        #if canImport(Glibc)
          guard let context else { return nil }
        #endif
        let work = Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue()
        work.body()
        return nil
      }, work)
    if created != 0 {
      Unmanaged<ThreadWork>.fromOpaque(work).release()
      refused.append(number)
      notStarted(number)
    }
  }
  for number in 0..<count where !refused.contains(number) {
    #if canImport(Glibc)
      pthread_join(threads[number], nil)
    #else
      if let thread = threads[number] { pthread_join(thread, nil) }
    #endif
  }
  for number in refused { results[number] = body(number) }
  return results.compactMap { $0 }
}

/// What a thread of `onThreadsOfTheirOwn` runs, passed to it as its one pointer.
private final class ThreadWork {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
}
