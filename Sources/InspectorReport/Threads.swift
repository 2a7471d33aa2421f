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

/// Runs `body` for each number below `count`, each on a thread of its own, all at once, and waits for all.
///
/// Unlike `DispatchQueue.concurrentPerform`, which runs about as many at a time as there are cores, this
/// starts every one: readers of `SharedListParts` wait for each other, and one that never started would keep
/// the others waiting for ever.
func onThreadsOfTheirOwn(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  final class Work {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
  }
  #if canImport(Glibc)
    var threads = [pthread_t](repeating: 0, count: count)
  #else
    var threads = [pthread_t?](repeating: nil, count: count)
  #endif
  for number in 0..<count {
    let work = Unmanaged.passRetained(Work { body(number) }).toOpaque()
    let created = pthread_create(
      &threads[number], nil,
      { context in
        #if canImport(Glibc)
          guard let context else { return nil }
        #endif
        let work = Unmanaged<Work>.fromOpaque(context).takeRetainedValue()
        work.body()
        return nil
      }, work)
    // Without a thread for each, the readers could wait for each other for ever; that is no state to go on in.
    precondition(created == 0, "cannot start a rendering thread (error \(created))")
  }
  #if canImport(Glibc)
    for thread in threads { pthread_join(thread, nil) }
  #else
    for case let thread? in threads { pthread_join(thread, nil) }
  #endif
}
