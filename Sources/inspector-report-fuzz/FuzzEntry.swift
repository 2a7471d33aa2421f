// libFuzzer target for the JSON reader, the snapshot loader, the analysis and every renderer (what it checks:
// `FuzzCheck`), and a replayer for the inputs it saves.
//
// The fuzzing build (`-DFUZZING` hands control to libFuzzer) and a run: README.md, "Fuzzing". It instruments every
// module for ASan and libFuzzer's coverage but links libFuzzer without its `main`: `-sanitize=fuzzer` would link
// libFuzzer into the build tool that embeds the templates too, which then fails to link.
// Plain build: `inspector-report-fuzz FILE…` runs the same checks on each file, e.g. a crash input libFuzzer saved.
import Foundation
import FuzzChecks

/// Trapping is how a fuzz target reports: libFuzzer saves the input that made it trap.
func checkOrTrap(_ input: [UInt8]) {
  do {
    try FuzzCheck.check(input)
  } catch {
    fatalError(error.description)
  }
}

/// libFuzzer calls this once per generated input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  checkOrTrap(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
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
  @_cdecl("inspector_report_fuzz_main")
  public func fuzzingEntryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
  }
#else
  /// Replays saved inputs: `inspector-report-fuzz FILE…` checks each file as the fuzzer would.
  @main
  enum Replay {
    static func main() {
      let paths = CommandLine.arguments.dropFirst()
      for path in paths {
        guard let contents = FileManager.default.contents(atPath: path) else {
          print("inspector-report-fuzz: cannot read \(path)")
          exit(2)
        }
        checkOrTrap(Array(contents))
      }
      print("inspector-report-fuzz: \(paths.count) inputs checked")
    }
  }
#endif
