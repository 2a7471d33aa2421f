import SeededRandom
import Testing

@testable import InspectorReport

@Suite struct TimestampTests {
  /// 2016-03-22T20:56:10Z, the AWS documentation example's creation time.
  static let docExample: Int64 = 1_458_680_170_000_000

  @Test(arguments: [
    ("2016-03-22T20:56:10Z", docExample),
    ("2016-03-22T20:56:10+00:00", docExample),
    ("2016-03-22T20:56:10.035Z", docExample + 35_000),
    ("2016-03-22T20:56:10.035000+00:00", docExample + 35_000),
    ("2016-03-22T20:56:10.123456Z", docExample + 123_456),
    ("2016-03-22 20:56:10+00:00", docExample),
    ("2016-03-22 20:56:10.035000+00:00", docExample + 35_000),
    ("2016-03-22T21:56:10+01:00", docExample),
    ("2016-03-22T15:26:10-05:30", docExample),
    ("2016-03-22T21:56:10+0100", docExample),
    ("2016-03-22T20:56:10", docExample),
    ("2016-03-22t20:56:10z", docExample),
    ("2016-03-22T20:56:10.1234567Z", docExample + 123_456),
  ])
  func parsesEveryClientForm(text: String, micros: Int64) {
    #expect(Timestamp(parsing: text)?.microseconds == micros)
  }

  @Test(arguments: [
    "", "2016-03-22", "2016-03-22T20:56", "2016-02-30T00:00:00Z", "2016-13-01T00:00:00Z", "2016-03-22T24:00:00Z",
    "2016-03-22T20:56:10.Z", "2016-03-22T20:56:10+25:00", "2016-03-22T20:56:10 +00:00", "yesterday",
    "2016-03-22T20:56:10Zjunk", "1458680170",
  ])
  func rejectsOtherText(text: String) {
    #expect(Timestamp(parsing: text) == nil)
  }

  @Test(arguments: [
    ("1458680170", docExample),
    ("1458680170.035", docExample + 35_000),
    ("1.458680170123E9", docExample + 123_000),
    ("1.458680170123e+9", docExample + 123_000),
    ("14586801701234.56e-4", docExample + 123_456),
  ])
  func epochNumbersAreExact(text: String, micros: Int64) {
    #expect(NowOption.parse(text)?.microseconds == micros)
  }

  @Test func printsISOWithTheFractionItHas() {
    #expect(Timestamp(microseconds: Self.docExample).description == "2016-03-22T20:56:10Z")
    #expect(Timestamp(microseconds: Self.docExample + 35_000).description == "2016-03-22T20:56:10.035Z")
    #expect(Timestamp(microseconds: Self.docExample + 1).description == "2016-03-22T20:56:10.000001Z")
    #expect(Timestamp(microseconds: -1).description == "1969-12-31T23:59:59.999999Z")
    #expect(Timestamp(microseconds: Self.docExample + 35_000).junitDescription == "2016-03-22T20:56:10")
  }

  @Test func printingAndParsingRoundTrip() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let micros = Int64.random(in: -2_000_000_000_000_000...4_000_000_000_000_000, using: &generator)
      let instant = Timestamp(microseconds: micros)
      #expect(Timestamp(parsing: instant.description) == instant)
    }
  }

  @Test func spansOfTenThousandYearsAddUpWithoutTrapping() {
    let longest = Timestamp(parsing: "9999-12-31T23:59:59Z").map { $0.duration(since: Timestamp(microseconds: 0)) }
    let span = longest ?? .zero
    var total = TimeSpan.zero
    for _ in 0..<100 { total += span }
    #expect(total.microseconds == .max)
    #expect(TimeSpan(microseconds: .max).fixedSeconds == "9223372036854.776")
  }

  @Test func timeSpansFormatForJUnitAndPeople() {
    #expect(TimeSpan(microseconds: 1_834_250_000).fixedSeconds == "1834.250")
    #expect(TimeSpan(microseconds: 0).fixedSeconds == "0.000")
    #expect(TimeSpan(microseconds: 1_999_600).fixedSeconds == "2.000")
    #expect(TimeSpan(microseconds: 69_000_000).humanDescription == "1 min 09 s")
    #expect(TimeSpan(microseconds: 126_000).humanDescription == "0.126 s")
    #expect(TimeSpan(microseconds: 3_600_000_000 + 540_000_000).humanDescription == "1 h 09 min")
    #expect(TimeSpan(microseconds: 86_400_000_000 * 2 + 3_600_000_000 * 3).humanDescription == "2 d 3 h")
    #expect(TimeSpan(microseconds: 86_400_000_000 * 1000).humanDescription == "1,000 d 0 h")
    #expect(TimeSpan(microseconds: 86_400_000_000 * 1_234_567 + 3_600_000_000).humanDescription == "1,234,567 d 1 h")
  }

  /// The human form as it was first written, with string interpolation, as the oracle for the faster one.
  private static func humanOracle(_ span: TimeSpan) -> String {
    func pad(_ value: Int64) -> String { value < 10 && value >= 0 ? "0\(value)" : "\(value)" }
    let total = span.microseconds / 1_000_000
    let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
    if days > 0 { return "\(grouped(Int(days))) d \(hours) h" }
    if hours > 0 { return "\(hours) h \(pad(minutes)) min" }
    if minutes > 0 { return "\(minutes) min \(pad(secs)) s" }
    if span.microseconds % 1_000_000 == 0 { return "\(secs) s" }
    return "\(span.fixedSeconds) s"
  }

  @Test func humanFormsOfSeededSpansMatchTheOracle() {
    var random = SeededGenerator(seed: 11)
    for _ in 0..<20_000 {
      let scale = [1_000_000, 60_000_000, 3_600_000_000, 86_400_000_000, 10_000_000_000_000, 1 << 62][
        Int(random.next() % 6)]
      let whole = random.next() % 2 == 0
      var micros = Int64(random.next() % UInt64(scale))
      if whole { micros -= micros % 1_000_000 }
      if random.next() % 8 == 0 { micros = -micros }
      let span = TimeSpan(microseconds: micros)
      #expect(span.humanDescription == Self.humanOracle(span), "\(micros) µs")
    }
  }
}
