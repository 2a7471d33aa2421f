import Testing

@testable import TemplateEngine

@Suite struct OutputBufferTests {
  @Test func piecesOfEverySizeAcrossGrowthGiveWhatAnArrayGives() {
    var buffer = OutputBuffer(capacity: 1)
    var expected: [UInt8] = []
    // Lengths around the initial capacity and each doubling, with bytes that differ per piece.
    for length in [0, 1, 15, 16, 17, 31, 33, 64, 200, 1, 0, 1000, 4096, 3] {
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
}
