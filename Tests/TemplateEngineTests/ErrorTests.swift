import Testing

@testable import TemplateEngine

/// Parses `source` and returns the error it throws, if any.
private func parseError(_ source: String, name: String = "t") -> TemplateError? {
  do {
    _ = try Template(source: source, name: name)
    return nil
  } catch {
    return error
  }
}

@Suite("Errors")
struct ErrorTests {
  @Test func unclosedTagPointsAtItsOpeningDelimiter() {
    let error = parseError("line one\n  abc {{name\nmore")
    #expect(error?.line == 2)
    #expect(error?.column == 7)
    #expect(error?.message.contains("unclosed tag") == true)
  }

  @Test func aTagMissingABraceIsUnclosedNotABadName() {
    let error = parseError("{{verdict}\n{{#runs}}x{{/runs}}")
    #expect(error?.line == 1)
    #expect(error?.column == 1)
    #expect(error?.message == "unclosed tag: no '}}' before the next '{{'")
    #expect(parseError("{{! a comment may hold {{ }}") == nil)
  }

  @Test func unclosedTripleMustache() {
    let error = parseError("{{{name}}")
    #expect(error?.line == 1)
    #expect(error?.column == 1)
    #expect(error?.message.contains("'}}}'") == true)
  }

  @Test func unclosedTagWithCustomDelimiters() {
    let error = parseError("{{=<% %>=}}\nok <%name")
    #expect(error?.line == 2)
    #expect(error?.column == 4)
    #expect(error?.message.contains("'%>'") == true)
  }

  @Test func mismatchedClosingTagPointsAtTheClosingTag() {
    let error = parseError("{{#a}}\n  {{#b}}x{{/a}}\n{{/b}}")
    #expect(error?.line == 2)
    #expect(error?.column == 10)
    #expect(error?.message == "closing tag 'a' does not match 'b' opened at 2:3")
  }

  @Test func closingTagWithoutOpeningTag() {
    let error = parseError("x\n{{/a}}")
    #expect(error == TemplateError(name: "t", line: 2, column: 1, message: "closing tag 'a' has no opening tag"))
  }

  @Test func unclosedSectionPointsAtTheOpeningTag() {
    let error = parseError("a\nb {{^missing}}\nc")
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.message == "'missing' is never closed")
  }

  @Test func unclosedParentAndBlock() {
    #expect(parseError("{{<parent}}{{$block}}x{{/parent}}")?.column == 23)
    #expect(parseError("{{<parent}}")?.message == "'parent' is never closed")
  }

  @Test(arguments: ["{{=<%=}}", "{{= =}}", "{{=a b c=}}", "{{=a= b=}}"])
  func badDelimiterChange(_ source: String) {
    let error = parseError("ok\n" + source)
    #expect(error?.line == 2)
    #expect(error?.column == 1)
    #expect(error?.message.contains("invalid delimiter change") == true)
  }

  @Test func unknownPragmaValue() {
    let error = parseError("<a>\n  {{% CONTENT_TYPE: JSON }}")
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.message == "unknown CONTENT_TYPE 'JSON': expected HTML, XML, MARKDOWN or TEXT")
  }

  @Test func unknownPragma() {
    #expect(parseError("{{%IMPLICIT-ITERATOR}}")?.message.contains("unknown pragma") == true)
  }

  @Test(arguments: ["{{}}", "{{ }}", "{{#}}{{/}}", "{{>}}"])
  func emptyName(_ source: String) {
    #expect(parseError(source)?.message == "tag has no name")
  }

  @Test(arguments: ["{{a b}}", "{{a..b}}", "{{.a}}", "{{a.}}", "{{#a b}}{{/a b}}"])
  func invalidName(_ source: String) {
    #expect(parseError(source)?.message.hasPrefix("invalid name") == true)
  }

  @Test func columnsCountCharactersNotBytes() {
    let error = parseError("héllo ✓ {{#x}}")
    #expect(error?.column == 9)
  }

  @Test func positionsAfterMultilineComment() {
    let error = parseError("{{!\ncomment\n}} {{/x}}")
    #expect(error?.line == 3)
    #expect(error?.column == 4)
  }

  @Test func descriptionHasCompilerStyle() {
    let error = TemplateError(name: "report.html", line: 3, column: 7, message: "unclosed tag")
    #expect(error.description == "report.html:3:7: error: unclosed tag")
  }

  @Test func templateNameAppearsInErrors() {
    #expect(parseError("{{#a}}", name: "findings.xml")?.name == "findings.xml")
  }

  @Test func missingPartialRendersEmpty() throws {
    let template = try Template(source: "[{{>missing}}][{{<missing}}{{$a}}x{{/a}}{{/missing}}]", name: "t")
    #expect(try template.render([:]) == "[][]")
  }

  @Test func unboundedPartialRecursionIsAnErrorAtThePartialTag() throws {
    let loop = try Template(source: "x\n  {{>loop}}", name: "loop")
    #expect {
      try loop.render([:], partials: ["loop": loop])
    } throws: { error in
      guard let error = error as? TemplateError else { return false }
      return error.name == "loop" && error.line == 2 && error.column == 3 && error.message.contains("recursive")
    }
  }
}
