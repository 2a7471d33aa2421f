import JSONReader

extension Timestamp {
  /// Years 1 to 9999, what a four-digit ISO 8601 year can say; numbers outside are not timestamps.
  private static let secondsRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799  // years 1...9999

  /// Parses the textual forms AWS clients print.
  ///
  /// - ISO 8601 as AWS CLI v2 prints it: `2016-03-22T20:56:10Z`, `2016-03-22T20:56:10.035+00:00`;
  /// - `str(datetime)` as `json.dumps(resp, default=str)` prints it: `2016-03-22 20:56:10.035000+00:00`;
  ///
  /// Fractions of 1 to 9 digits are accepted; digits past microseconds are dropped, since no client writes them.
  /// A time without an offset is taken as UTC, which is what boto3 and the AWS CLI mean by it.
  /// - Returns: `nil` when `text` is none of these forms or names an impossible date or time.
  public init?(parsing text: some StringProtocol) {
    var text = String(text)
    guard let micros = text.withUTF8(Self.parseISO) else { return nil }
    self.init(microseconds: micros)
  }

  /// Epoch seconds written as a JSON number (AWS CLI v1), read exactly from its digits.
  /// - Returns: `nil` when the number has digits past microseconds or lies outside the years 1 to 9999.
  init?(epochSeconds number: JSONNumber) {
    var text = number.text
    guard let instant = text.withUTF8(Self.init(epochSecondsUTF8:)) else { return nil }
    self = instant
  }

  /// Epoch seconds from the validated UTF-8 of a JSON number, as a decoder finds them in its input.
  init?(epochSecondsUTF8 bytes: UnsafeBufferPointer<UInt8>) {
    guard let micros = JSONNumber.scaled(bytes, by: 6), Self.isPlausible(epochSeconds: micros / 1_000_000) else {
      return nil
    }
    self.init(microseconds: micros)
  }

  /// Parses the same forms from UTF-8 bytes, as a decoder finds them in its input.
  init?(parsingUTF8 bytes: UnsafeBufferPointer<UInt8>) {
    guard let micros = Self.parseISO(bytes) else { return nil }
    self.init(microseconds: micros)
  }

  private static func parseISO(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
    var index = 0
    func digits(_ count: Int) -> Int64? {
      guard index + count <= s.count else { return nil }
      var value: Int64 = 0
      for byte in s[index..<index + count] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      }
      index += count
      return value
    }
    func expect(_ allowed: UInt8...) -> Bool {
      guard index < s.count, allowed.contains(s[index]) else { return false }
      index += 1
      return true
    }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
      let day = digits(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
      let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
      let second = digits(2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
      hour <= 23, minute <= 59, second <= 59
    else { return nil }

    var fraction: Int64 = 0
    if expect(UInt8(ascii: "."), UInt8(ascii: ",")) {
      var count = 0
      while index < s.count, s[index] >= UInt8(ascii: "0"), s[index] <= UInt8(ascii: "9") {
        if count < 6 { fraction = fraction * 10 + Int64(s[index] - UInt8(ascii: "0")) }
        count += 1
        index += 1
      }
      guard (1...9).contains(count) else { return nil }
      for _ in min(count, 6)..<6 { fraction *= 10 }
    }

    var offsetSeconds: Int64 = 0
    if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
    } else if index < s.count, s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-") {
      let sign: Int64 = s[index] == UInt8(ascii: "-") ? -1 : 1
      index += 1
      guard let hours = digits(2), hours <= 23 else { return nil }
      var minutes: Int64 = 0
      if index < s.count {
        _ = expect(UInt8(ascii: ":"))
        guard let m = digits(2), m <= 59 else { return nil }
        minutes = m
      }
      offsetSeconds = sign * (hours * 3600 + minutes * 60)
    }
    guard index == s.count else { return nil }

    let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return seconds * 1_000_000 + fraction
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  private static func isPlausible(epochSeconds: Int64) -> Bool {
    secondsRange.contains(epochSeconds)
  }
}
