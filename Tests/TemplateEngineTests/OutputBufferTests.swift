import SeededRandom
import Testing

@testable import TemplateEngine

@Suite struct OutputBufferTests {
  @Test func piecesOfEverySizeAcrossGrowthGiveWhatAnArrayGives() {
    var buffer = OutputBuffer(capacity: 1)
    var expected: [UInt8] = []
    // Lengths around the initial capacity and each doubling, with bytes that differ per piece.
    for length in Array(0...17) + [31, 33, 64, 200, 1, 0, 1000, 4096, 3, 8, 16, 4] {
      let piece = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) }
      piece.withUnsafeBufferPointer { buffer.append($0) }
      expected += piece
      buffer.append(UInt8(truncatingIfNeeded: length))
      expected.append(UInt8(truncatingIfNeeded: length))
      #expect(Array(buffer.bytes) == expected)
    }
    buffer.removeAll()
    #expect(buffer.count == 0)
    buffer.append("é\u{0}")
    #expect(Array(buffer.bytes) == Array("é\u{0}".utf8))
  }

  @Test(arguments: [0, 7, -7, 10, 99, -100, 1_234_567_890, Int.max, Int.min])
  func decimalsAreWrittenAsSwiftWritesThem(_ number: Int) {
    var buffer = OutputBuffer(capacity: 4)
    buffer.append(StaticString("n="))
    buffer.appendDecimal(number)
    #expect(String(decoding: buffer.bytes, as: UTF8.self) == "n=\(number)")
  }

  private func number(_ value: Double) -> String {
    var buffer = OutputBuffer(capacity: 4)
    buffer.appendNumber(value)
    return String(decoding: buffer.bytes, as: UTF8.self)
  }

  @Test(arguments: [
    0, -0.0, 1, -1, 0.5, 0.001, 0.0011, 0.000999, 0.0001, 0.00001, 1e-6, 178.418, 69.722, 1.000001, 999_999_999.999999,
    1e9, 1e9 + 0.5, 123_456_789.123456, 0.1 + 0.2, 1.0 / 3, 2.5e-7, 1e15 + 0.5, 9_007_199_254_740_994, 1e300, -178.418,
    .infinity, -.infinity, .nan,
  ])
  func numbersAreWrittenAsTemplateValueWritesThem(_ value: Double) {
    #expect(number(value) == TemplateValue.text(of: value))
  }

  /// Durations are whole microseconds; every one of them, over the magnitudes runs have, prints as Swift does.
  @Test func microsecondDurationsAreWrittenAsTemplateValueWritesThem() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<200_000 {
      let scale = [1, 1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000, 1_000_000_000_000_000][
        Int(generator.next() % 6)]
      let micros = Int64(generator.next() % UInt64(scale)) * (generator.next() % 2 == 0 ? 1 : -1)
      let value = Double(micros) / 1_000_000
      #expect(number(value) == TemplateValue.text(of: value), "\(micros) µs")
    }
  }
}
