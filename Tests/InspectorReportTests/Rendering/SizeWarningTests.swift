import Testing

@testable import InspectorReport

/// The warning for a junit.xml larger than GitLab accepts, and for no other output.
@Suite struct SizeWarningTests {
  @Test func junitJustOverTheLimitWarnsWithItsSize() {
    #expect(
      OutputFormat.junit.sizeWarning(size: 30_000_001, path: "out/junit.xml")
        == "out/junit.xml is 30.0 MB, more than the 30 MB GitLab accepts in one JUnit report; "
        + "GitLab will not show its tests (other consumers will)")
    #expect(OutputFormat.junit.sizeWarning(size: 31_990_000, path: "j")?.hasPrefix("j is 31.9 MB,") == true)
  }

  @Test func junitAtTheLimitDoesNotWarn() {
    #expect(OutputFormat.junit.sizeWarning(size: 30_000_000, path: "out/junit.xml") == nil)
    #expect(OutputFormat.junit.sizeWarning(size: 0, path: "out/junit.xml") == nil)
  }

  @Test(arguments: OutputFormat.allCases.filter { $0 != .junit })
  func otherOutputsNeverWarn(format: OutputFormat) {
    #expect(format.sizeWarning(size: Int.max, path: format.fileName) == nil)
    #expect(format.sizeWarning(size: 30_000_001, path: format.fileName) == nil)
  }
}
