/// The bytes an output is rendered into.
///
/// Rendering appends tens of millions of short pieces. `Array` checks uniqueness and capacity and goes through
/// a generic copy on each append, which took 5% of the CPU of a 10k-run report; here an append is a capacity
/// check and a copy.
struct OutputBuffer: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  /// An empty buffer with room for `capacity` bytes before it grows.
  init(capacity: Int) {
    self.capacity = Swift.max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit {
    base.deallocate()
  }

  /// The bytes appended so far; valid until the next change to the buffer.
  var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base, count: count)
  }

  /// Empties the buffer, keeping its room.
  mutating func removeAll() {
    count = 0
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    if count == capacity { grow(toAdd: 1) }
    base[count] = byte
    count &+= 1
  }

  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    let length = bytes.count
    if capacity &- count < length { grow(toAdd: length) }
    let target = base + count
    // Most pieces are a few bytes of markup or a short value, for which a call to memcpy is most of the cost:
    // two loads and two stores that overlap in the middle copy 4 to 16 bytes without reading or writing
    // outside either range.
    if length >= 8 && length <= 16 {
      let (head, tail) = (UnsafeRawPointer(source), UnsafeRawPointer(source + length - 8))
      let (first, last) = (head.loadUnaligned(as: UInt64.self), tail.loadUnaligned(as: UInt64.self))
      UnsafeMutableRawPointer(target).storeBytes(of: first, as: UInt64.self)
      UnsafeMutableRawPointer(target + length - 8).storeBytes(of: last, as: UInt64.self)
    } else if length >= 4 && length < 8 {
      let (head, tail) = (UnsafeRawPointer(source), UnsafeRawPointer(source + length - 4))
      let (first, last) = (head.loadUnaligned(as: UInt32.self), tail.loadUnaligned(as: UInt32.self))
      UnsafeMutableRawPointer(target).storeBytes(of: first, as: UInt32.self)
      UnsafeMutableRawPointer(target + length - 4).storeBytes(of: last, as: UInt32.self)
    } else {
      target.initialize(from: source, count: length)
    }
    count &+= length
  }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Appends `number` in decimal without making a `String`.
  mutating func appendDecimal(_ number: Int) {
    var magnitude = number.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var position = digits.count
      repeat {
        position -= 1
        digits[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
        magnitude /= 10
      } while magnitude > 0
      if number < 0 { append(UInt8(ascii: "-")) }
      append(UnsafeBufferPointer(rebasing: digits[position...]))
    }
  }

  /// Appends `number` as `TemplateValue.text(of:)` writes it; the durations a report is full of without
  /// making a string for each.
  mutating func appendNumber(_ number: Double) {
    if number.magnitude <= 9_007_199_254_740_992, Double(Int(number)) == number {
      appendDecimal(Int(number))
      return
    }
    // A whole number of microseconds from 0.001 s to 10^9 s has at most 15 significant digits, so no other
    // number that short is the same Double: its shortest round-trip form, which `description` writes, is its
    // decimal digits, trailing zeros dropped. (Below 0.001, `description` may switch to an exponent.)
    let magnitude = number.magnitude
    if magnitude >= 0.001 && magnitude < 1e9 {
      let micros = Int(magnitude * 1e6 + 0.5)
      if Double(micros) / 1e6 == magnitude {
        if number < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(micros / 1_000_000)
        append(UInt8(ascii: "."))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { digits in
          var fraction = micros % 1_000_000
          for position in (0..<6).reversed() {
            digits[position] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
            fraction /= 10
          }
          var count = 6
          while digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
          append(UnsafeBufferPointer(rebasing: digits[..<count]))
        }
        return
      }
    }
    append(number.description)
  }

  @inline(never)
  private mutating func grow(toAdd extra: Int) {
    let newCapacity = Swift.max(capacity * 2, count + extra)
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}
