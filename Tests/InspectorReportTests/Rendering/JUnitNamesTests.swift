import Testing

@testable import InspectorReport

@Suite struct JUnitNamesTests {
  @Test func plainNamesStayAsTheyAre() {
    #expect(JUnitNames.suite(name: "Run 1 for Nightly", id: "0-MKkpXXPE") == "Run 1 for Nightly (0-MKkpXXPE)")
    #expect(JUnitNames.classname(name: "Run 1") == "aws-inspector.Run 1")
  }

  @Test func dotsAreReplacedOnlyInClassNames() {
    #expect(JUnitNames.suite(name: "v1.2 nightly", id: "0-a.b") == "v1.2 nightly (0-a.b)")
    #expect(JUnitNames.classname(name: "v1.2 nightly") == "aws-inspector.v1_2 nightly")
  }

  /// Jenkins makes URL-safe names of its own (JUNIT.md, rule 4); the other consumers show what is written.
  @Test func arnCharactersStay() {
    let name = "arn:aws:inspector/run?#%[x]|\\"
    #expect(JUnitNames.suite(name: name, id: "id") == "\(name) (id)")
    #expect(JUnitNames.classname(name: name) == "aws-inspector.\(name)")
  }

  @Test func otherTextKeepsItsCharactersAndLosesLineBreaks() {
    #expect(JUnitNames.suite(name: "é/x\r\ny\tz.", id: "1") == "é/x y z. (1)")
    #expect(JUnitNames.classname(name: "é/x\r\ny\tz.") == "aws-inspector.é/x y z_")
  }

  @Test func emptyAndLongNamesStayUsable() {
    #expect(JUnitNames.suite(name: "", id: "1") == "run (1)")
    #expect(JUnitNames.classname(name: "") == "aws-inspector.run")
    let long = String(repeating: "a", count: 200)
    #expect(JUnitNames.suite(name: long, id: "1") == String(repeating: "a", count: 150) + " (1)")
    let longAccented = String(repeating: "é", count: 200)
    #expect(JUnitNames.suite(name: longAccented, id: "1") == String(repeating: "é", count: 150) + " (1)")
  }
}

@Suite struct ARNTests {
  private func parts(_ text: String) -> [String] {
    let arn = ARN(text)
    return [arn.region, arn.account, arn.resourceID]
  }

  @Test func runAndTemplateARNsGiveRegionAccountAndID() {
    #expect(
      parts("arn:aws:inspector:us-west-2:123456789012:target/0-a/template/0-b/run/0-MKkpXXPE")
        == ["us-west-2", "123456789012", "0-MKkpXXPE"])
    #expect(
      parts("arn:aws:inspector:eu-west-1:123456789012:target/0-a/template/0-b") == ["eu-west-1", "123456789012", "0-b"])
  }

  @Test func resourcesMayHoldColonsAndNeedNoSlash() {
    #expect(parts("arn:aws-cn:sns:cn-north-1:123:topic:with:colons") == ["cn-north-1", "123", "topic:with:colons"])
    #expect(parts("arn:aws:inspector:::run") == ["", "", "run"])
  }

  @Test func otherTextIsItsOwnID() {
    for text in ["", "run-1", "arn:aws:inspector:us-west-2:123", "urn:aws:inspector:us-west-2:123:run/1", "é:::::"] {
      #expect(parts(text) == ["", "", text])
    }
  }
}
