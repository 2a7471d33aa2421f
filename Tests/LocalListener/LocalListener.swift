import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A TCP listener on 127.0.0.1 that counts and immediately closes every connection, so a client that connects
/// fails fast instead of waiting for a reply.
public final class LocalListener: @unchecked Sendable {
  /// The port the system chose.
  public let port: UInt16
  private let socketDescriptor: Int32
  // Guarded by `lock`; NSLock rather than Mutex keeps the tests building for macOS 14.
  private let lock = NSLock()
  private var stopped = false
  private var accepted = 0
  private let finished = DispatchSemaphore(value: 0)

  /// Starts listening, accepting on a thread of its own.
  public init() throws {
    #if canImport(Glibc)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else {
      throw POSIXError(.EIO)
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 8) == 0
          && getsockname(descriptor, socketAddress, &length) == 0
      }
    }
    guard bound else {
      close(descriptor)
      throw POSIXError(.EADDRNOTAVAIL)
    }
    socketDescriptor = descriptor
    port = UInt16(bigEndian: address.sin_port)
    Thread.detachNewThread { [self] in acceptUntilStopped() }
  }

  private func acceptUntilStopped() {
    while !lock.withLock({ stopped }) {
      var request = pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0)
      if poll(&request, 1, 20) > 0 {
        let connection = accept(socketDescriptor, nil, nil)
        if connection >= 0 {
          close(connection)
          lock.withLock { accepted += 1 }
        }
      }
    }
    close(socketDescriptor)
    finished.signal()
  }

  /// Stops accepting, once; returns how many connections arrived.
  @discardableResult
  public func stop() -> Int {
    let alreadyStopped = lock.withLock {
      defer { stopped = true }
      return stopped
    }
    if !alreadyStopped {
      finished.wait()
    }
    return lock.withLock { accepted }
  }
}
