/// An instant as whole microseconds since the Unix epoch, so that durations are exact differences.
///
/// Inspector clients print timestamps with at most microsecond precision (boto3's `datetime`),
/// so integer microseconds hold every input exactly; a `Double` would not.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Microseconds since 1970-01-01T00:00:00Z.
  public var microseconds: Int64

  /// Creates a timestamp from microseconds since the epoch.
  public init(microseconds: Int64) {
    self.microseconds = microseconds
  }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.microseconds < rhs.microseconds
  }

  /// The duration from `earlier` to `self`, never negative.
  public func duration(since earlier: Timestamp) -> TimeSpan {
    TimeSpan(microseconds: max(0, microseconds - earlier.microseconds))
  }

  /// ISO 8601 in UTC with `Z`, with 3 or 6 fraction digits only when the instant has them.
  public var description: String {
    // Reports print four of these per run; writing the digits in place is several times faster than interpolating.
    String(unsafeUninitializedCapacity: Self.textCapacity) { write(to: $0, junit: false) }
  }

  /// `YYYY-MM-DDTHH:MM:SS` in UTC: the zone-less, fraction-less form JUnit's `timestamp` requires.
  public var junitDescription: String {
    String(unsafeUninitializedCapacity: Self.textCapacity) { write(to: $0, junit: true) }
  }

  /// The most bytes `write(to:junit:)` writes.
  static let textCapacity = 32

  /// Writes `description`, or `junitDescription` when `junit` is set, into `buffer` (at least `textCapacity`
  /// bytes).
  /// - Returns: the number of bytes written.
  func write(to buffer: UnsafeMutableBufferPointer<UInt8>, junit: Bool) -> Int {
    let (days, micros) = microseconds.floorDivided(by: 86_400_000_000)
    let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
    let secondOfDay = micros / 1_000_000
    let fraction = micros % 1_000_000
    var writer = DigitWriter(buffer: buffer)
    writer.digits(year, 4)
    writer.byte("-")
    writer.digits(month, 2)
    writer.byte("-")
    writer.digits(day, 2)
    writer.byte("T")
    writer.digits(secondOfDay / 3600, 2)
    writer.byte(":")
    writer.digits(secondOfDay / 60 % 60, 2)
    writer.byte(":")
    writer.digits(secondOfDay % 60, 2)
    guard !junit else { return writer.count }
    if fraction != 0 {
      writer.byte(".")
      if fraction % 1000 == 0 { writer.digits(fraction / 1000, 3) } else { writer.digits(fraction, 6) }
    }
    writer.byte("Z")
    return writer.count
  }
}

/// A non-negative length of time in whole microseconds.
public struct TimeSpan: Sendable, Hashable, Comparable, AdditiveArithmetic {
  /// The length in microseconds.
  public var microseconds: Int64

  /// Creates a duration of `microseconds`.
  public init(microseconds: Int64) {
    self.microseconds = microseconds
  }

  public static let zero = TimeSpan(microseconds: 0)

  /// Saturates rather than traps: timestamps span ten thousand years, and hostile inputs may sum many such spans.
  public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
    let (sum, overflow) = lhs.microseconds.addingReportingOverflow(rhs.microseconds)
    return TimeSpan(microseconds: overflow ? .max : sum)
  }

  public static func - (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
    TimeSpan(microseconds: lhs.microseconds - rhs.microseconds)
  }

  public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool {
    lhs.microseconds < rhs.microseconds
  }

  /// The length in seconds; exact for every value below 2^53 µs (285 years).
  public var seconds: Double {
    Double(microseconds) / 1_000_000
  }

  /// Seconds with exactly three decimals and `.` as separator (`1834.250`), as JUnit's `time` requires.
  public var fixedSeconds: String {
    let millis = microseconds / 1000 + (microseconds % 1000 >= 500 ? 1 : 0)
    return String(unsafeUninitializedCapacity: 24) { buffer in
      var writer = DigitWriter(buffer: buffer)
      writer.digits(millis / 1000, 1)
      writer.byte(".")
      writer.digits(millis % 1000, 3)
      return writer.count
    }
  }

  /// A short human form: `2 d 3 h`, `1 h 09 min`, `1 min 09 s`, `0.126 s`.
  public var humanDescription: String {
    let total = microseconds / 1_000_000
    let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
    if days <= 0 && hours <= 0 && minutes <= 0 && microseconds % 1_000_000 != 0 { return fixedSeconds + " s" }
    // Written into the string's own buffer: every run shows five of these.
    return String(unsafeUninitializedCapacity: 48) { buffer in
      var writer = DigitWriter(buffer: buffer)
      if days > 0 {
        writer.groupedDigits(UInt64(days))
        writer.text(" d ")
        writer.digits(hours, 1)
        writer.text(" h")
      } else if hours > 0 {
        writer.digits(hours, 1)
        writer.text(" h ")
        writer.digits(minutes, 2)
        writer.text(" min")
      } else if minutes > 0 {
        writer.digits(minutes, 1)
        writer.text(" min ")
        writer.digits(secs, 2)
        writer.text(" s")
      } else {
        writer.digits(secs, 1)
        writer.text(" s")
      }
      return writer.count
    }
  }
}

/// Writes ASCII digits into a string's fresh buffer.
struct DigitWriter {
  let buffer: UnsafeMutableBufferPointer<UInt8>
  private(set) var count = 0

  init(buffer: UnsafeMutableBufferPointer<UInt8>) {
    self.buffer = buffer
  }

  mutating func byte(_ character: Unicode.Scalar) {
    buffer[count] = UInt8(ascii: character)
    count += 1
  }

  mutating func text(_ text: StaticString) {
    for index in 0..<text.utf8CodeUnitCount {
      buffer[count] = text.utf8Start[index]
      count += 1
    }
  }

  /// `value` in decimal with thousands separators, as every count the report writes (`grouped`).
  mutating func groupedDigits(_ value: UInt64) {
    guard value >= 1000 else { return digits(Int64(value), 1) }
    groupedDigits(value / 1000)
    byte(",")
    digits(Int64(value % 1000), 3)
  }

  /// `value` in decimal, its magnitude zero-padded to at least `width` digits.
  mutating func digits(_ value: Int64, _ width: Int) {
    if value < 0 { byte("-") }
    let value = value.magnitude
    var length = 1
    var rest = value / 10
    while rest > 0 {
      length += 1
      rest /= 10
    }
    length = Swift.max(length, width)
    var remaining = value
    for position in stride(from: count + length - 1, through: count, by: -1) {
      buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
      remaining /= 10
    }
    count += length
  }
}

extension Int64 {
  /// Division rounding toward negative infinity, so instants before 1970 still split into day and time of day.
  func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    let (q, r) = quotientAndRemainder(dividingBy: divisor)
    return r < 0 ? (q - 1, r + divisor) : (q, r)
  }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `days_from_civil` and `civil_from_days`).
enum CivilDate {
  static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func from(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
