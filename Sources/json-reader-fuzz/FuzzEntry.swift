// libFuzzer harness for JSONReader, and a replayer for the inputs it saves.
//
// Fuzzing build (the sanitizer flags link libFuzzer, `-DFUZZING` hands it control):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --scratch-path .build/fuzz \
//     --product json-reader-fuzz
//   .build/fuzz/debug/json-reader-fuzz -max_total_time=120 CORPUS_DIR
// Plain build: `json-reader-fuzz FILE…` runs the same check on each file, e.g. a crash input libFuzzer saved.
import Foundation
import JSONReader

/// Every way of reading a buffer must accept the same texts, reject them with the same error, and build the same trees.
enum FuzzCheck {
  struct Outcome: Equatable {
    var values: [JSONValue] = []
    var error: JSONSyntaxError?
  }

  /// Trapping is how a fuzz target reports: libFuzzer saves the input that made it trap.
  static func check(_ input: [UInt8]) {
    let read = readAll(input) { (reader) throws(JSONSyntaxError) in try reader.readValue() }
    let pulled = readAll(input) { (reader) throws(JSONSyntaxError) in try pull(&reader) }
    let skipped = readAll(input) { (reader) throws(JSONSyntaxError) -> JSONValue in
      try reader.skipValue()
      return .null
    }
    guard read == pulled, read.error == skipped.error, read.values.count == skipped.values.count else {
      fatalError("modes disagree: read \(read), pulled \(pulled), skipped \(skipped)")
    }
    for value in read.values {
      guard (try? JSONValue(parsing: Array(value.description.utf8))) == value else {
        fatalError("\(value) does not read back as itself")
      }
    }
  }

  static func readAll(
    _ input: [UInt8], _ body: (inout JSONReader) throws(JSONSyntaxError) -> JSONValue
  ) -> Outcome {
    var reader = JSONReader(bytes: input)
    var outcome = Outcome()
    do {
      while !reader.isAtEnd() { outcome.values.append(try body(&reader)) }
    } catch {
      outcome.error = error
    }
    return outcome
  }

  /// The tree as the pull API sees it; recursion is bounded by the reader's depth limit.
  static func pull(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
    switch try reader.peekKind() {
    case .object:
      try reader.beginObject()
      var members: [JSONMember] = []
      while let key = try reader.nextKey() { members.append(JSONMember(key: key, value: try pull(&reader))) }
      return .object(members)
    case .array:
      try reader.beginArray()
      var elements: [JSONValue] = []
      while try reader.nextElement() { elements.append(try pull(&reader)) }
      return .array(elements)
    case .string: return .string(try reader.readString())
    case .number: return .number(try reader.readNumber())
    case .bool: return .bool(try reader.readBool())
    case .null:
      try reader.readNull()
      return .null
    }
  }
}

/// libFuzzer calls this once per generated input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzCheck.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}

#if FUZZING
  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// The fuzzing build's entry point, which hands control to libFuzzer's driver.
  ///
  /// SwiftPM links `main` to `<module>_main` for every executable, which displaces libFuzzer's own `main`; so the entry
  /// point is defined under that name here instead of with `@main`.
  @_cdecl("json_reader_fuzz_main")
  public func fuzzingEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
  }
#else
  /// Replays saved inputs: `json-reader-fuzz FILE…` checks each file as the fuzzer would.
  @main
  enum Replay {
    static func main() {
      let paths = CommandLine.arguments.dropFirst()
      for path in paths {
        guard let contents = FileManager.default.contents(atPath: path) else {
          print("json-reader-fuzz: cannot read \(path)")
          exit(2)
        }
        FuzzCheck.check(Array(contents))
      }
      print("json-reader-fuzz: \(paths.count) inputs checked")
    }
  }
#endif
