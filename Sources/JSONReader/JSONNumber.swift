/// A JSON number as written, validated against RFC 8259; converts on demand without losing the exact text.
///
/// Equality is textual: `1.0` and `1` are different numbers here, as their texts differ.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The number exactly as it appeared in the input.
  public let text: String
  /// Whether the text has neither a fraction nor an exponent (so `1.0` and `1e3` are not integers).
  public let isInteger: Bool

  init(validatedText: String, isInteger: Bool) {
    self.text = validatedText
    self.isInteger = isInteger
  }

  /// Validates `text` as one complete JSON number.
  public init?(_ text: String) {
    var reader = JSONReader(bytes: Array(text.utf8))
    guard let number = try? reader.readNumber(), reader.isAtEnd(), number.text == text else { return nil }
    self = number
  }

  /// The nearest `Double`, correctly rounded; ±infinity when the magnitude is beyond `Double`'s range (`1E400`).
  public var doubleValue: Double {
    // The text is a validated JSON number, which is always in the grammar `Double(_:)` accepts.
    Double(text) ?? .nan
  }

  /// The value as `Int` when it is an exact integer that fits, whatever the notation (`1.0` and `1e3` qualify).
  public var intValue: Int? {
    scaled(by: 0).flatMap { Int(exactly: $0) }
  }

  /// The number text.
  public var description: String { text }

  /// The value × 10^`decimalPlaces` as `Int64`, when that is an exact integer that fits; computed on the decimal
  /// digits, never through `Double`.
  ///
  /// `"1458680170.123"` and `"1.458680170123E9"` scaled by 6 give `1458680170123000`; `"1e-7"` scaled by 6 gives nil.
  /// - Parameter decimalPlaces: The power of ten to multiply by; negative values divide.
  /// - Returns: The scaled value, or nil if it has a fractional part or overflows `Int64`.
  public func scaled(by decimalPlaces: Int) -> Int64? {
    var text = text
    return text.withUTF8 { Self.scaled($0, by: decimalPlaces) }
  }

  /// `scaled(by:)` of the number whose validated text is `text`, as `JSONReader.readNumber(bytes:)` hands it over.
  public static func scaled(_ text: UnsafeBufferPointer<UInt8>, by decimalPlaces: Int) -> Int64? {
    let plain = plainScaled(text, by: decimalPlaces)
    return plain.isPlain ? plain.value : generalScaled(text, by: decimalPlaces)
  }

  /// Exponents beyond this magnitude only matter for zero, which is handled first; clamping avoids overflow.
  private static let exponentClamp = 1_000_000_000

  /// The scaled value of a number without an exponent and of at most 18 digits, found in one pass; other
  /// numbers are not plain, and `generalScaled` takes them. Timestamps and counts are all plain.
  @inline(__always)
  private static func plainScaled(
    _ text: UnsafeBufferPointer<UInt8>, by decimalPlaces: Int
  ) -> (isPlain: Bool, value: Int64?) {
    let notPlain: (isPlain: Bool, value: Int64?) = (false, nil)
    let isNegative = text.first == ASCII.minus
    var magnitude: Int64 = 0
    var digits = 0
    var fractionDigits = -1
    for byte in text[(isNegative ? 1 : 0)...] {
      if JSONScanner.isDigit(byte) {
        magnitude = magnitude &* 10 &+ Int64(byte &- ASCII.zero)
        digits += 1
        if fractionDigits >= 0 { fractionDigits += 1 }
      } else if byte == ASCII.period {
        fractionDigits = 0
      } else {
        return notPlain
      }
    }
    // 18 digits stay below Int64.max, and shifts of at most 18 places keep to the table; the rest go the
    // general way.
    guard digits <= 18, (-18...36).contains(decimalPlaces) else { return notPlain }
    let shift = decimalPlaces - Swift.max(fractionDigits, 0)
    guard (-18...18).contains(shift) else { return notPlain }
    if shift >= 0 {
      let (scaled, overflow) = magnitude.multipliedReportingOverflow(by: powersOfTen[shift])
      return (true, overflow ? nil : isNegative ? -scaled : scaled)
    }
    let divisor = powersOfTen[-shift]
    guard magnitude % divisor == 0 else { return (true, nil) }
    return (true, isNegative ? -(magnitude / divisor) : magnitude / divisor)
  }

  private static let powersOfTen: [Int64] = (0...18).map { (0..<$0).reduce(1) { product, _ in product * 10 } }

  private static func generalScaled(_ text: UnsafeBufferPointer<UInt8>, by decimalPlaces: Int) -> Int64? {
    let isNegative = text.first == ASCII.minus
    // First pass: find the mantissa's extent, its significant digits, and the exponent.
    var digitCount = 0
    var fractionDigits = 0
    var firstNonZero = -1
    var lastNonZero = -1
    var inFraction = false
    var i = isNegative ? 1 : 0
    while i < text.count {
      let byte = text[i]
      if byte == ASCII.period {
        inFraction = true
      } else if JSONScanner.isDigit(byte) {
        if byte != ASCII.zero {
          if firstNonZero < 0 { firstNonZero = digitCount }
          lastNonZero = digitCount
        }
        digitCount += 1
        if inFraction { fractionDigits += 1 }
      } else {
        break
      }
      i += 1
    }
    guard firstNonZero >= 0 else { return 0 }
    var exponent = 0
    if i < text.count {
      i += 1  // e or E
      var exponentIsNegative = false
      if i < text.count && (text[i] == ASCII.minus || text[i] == ASCII.plus) {
        exponentIsNegative = text[i] == ASCII.minus
        i += 1
      }
      while i < text.count {
        exponent = min(exponent * 10 + Int(text[i] &- ASCII.zero), exponentClamp)
        i += 1
      }
      if exponentIsNegative { exponent = -exponent }
    }
    // value = significant digits × 10^shift, once trailing zeros are folded into the shift.
    let trailingZeros = digitCount - 1 - lastNonZero
    let clampedPlaces = min(max(decimalPlaces, -exponentClamp), exponentClamp)
    let shift = trailingZeros + exponent - fractionDigits + clampedPlaces
    let significantCount = lastNonZero - firstNonZero + 1
    guard shift >= 0, significantCount + shift <= 19 else { return nil }
    // Second pass: accumulate the significant digits; at most 19 of them, so UInt64 cannot overflow yet.
    var magnitude: UInt64 = 0
    var digitIndex = 0
    i = isNegative ? 1 : 0
    while digitIndex <= lastNonZero {
      let byte = text[i]
      i += 1
      guard byte != ASCII.period else { continue }
      if digitIndex >= firstNonZero {
        magnitude = magnitude * 10 + UInt64(byte &- ASCII.zero)
      }
      digitIndex += 1
    }
    for _ in 0..<shift {
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      magnitude = product
    }
    if isNegative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    return Int64(exactly: magnitude)
  }
}
