import SeededRandom
import Testing

@testable import TemplateEngine

private func render(
  _ source: String,
  _ value: TemplateValue,
  escaping: Escaping = .html,
  partials: [String: String] = [:]
) throws -> String {
  var templates: [String: Template] = [:]
  for (name, partial) in partials {
    templates[name] = try Template(source: partial, name: name)
  }
  return try Template(source: source, name: "t", defaultEscaping: escaping).render(value, partials: templates)
}

@Suite("Escaping")
struct EscapingTests {
  @Test func htmlEscapesFiveCharacters() throws {
    #expect(try render("{{v}}", ["v": "a&b<c>d\"e'f"]) == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
    #expect(try render("{{{v}}}|{{&v}}", ["v": "<&'>"]) == "<&'>|<&'>")
  }

  @Test func htmlLeavesWhitespaceAndNonASCIIAlone() throws {
    #expect(try render("{{v}}", ["v": "\t\n\r é✓\u{A0}\u{BF}\u{FFFF}"]) == "\t\n\r é✓\u{A0}\u{BF}\u{FFFF}")
  }

  /// NUL, an ESC sequence, BEL, DEL, NEL and CSI: each long enough to reach the word-wide scan, and at the end.
  static let controls = "a\u{0}b\u{1B}[31mred\u{7}\u{7F}é\u{85}x\u{9B}2J\u{1F}"
  static let controlsShown = "a\\u0000b\\u001B[31mred\\u0007\\u007Fé\\u0085x\\u009B2J\\u001F"

  @Test(arguments: [Escaping.html, .markdown])
  func htmlAndMarkdownShowControlCharactersVisibly(_ escaping: Escaping) throws {
    // Markdown escapes the bracket, a link's start, as it would anywhere.
    let escaped = escaping == .markdown ? Self.controlsShown.replacing("[", with: "\\[") : Self.controlsShown
    #expect(try render("{{v}}", ["v": .string(Self.controls)], escaping: escaping) == escaped)
    #expect(try render("{{{v}}}", ["v": .string(Self.controls)], escaping: escaping) == Self.controlsShown)
    #expect(try render("{{{v}}}", ["v": "<a>\t\n\r\u{1}"], escaping: escaping) == "<a>\t\n\r\\u0001")
  }

  @Test func xmlWritesDELAndC1ControlsAsCharacterReferences() throws {
    let expected = "a\u{FFFD}b\u{FFFD}[31mred\u{FFFD}&#x7F;é&#x85;x&#x9B;2J\u{FFFD}"
    #expect(try render("{{v}}", ["v": .string(Self.controls)], escaping: .xml) == expected)
    #expect(try render("{{{v}}}", ["v": .string(Self.controls)], escaping: .xml) == expected)
    #expect(try render("{{v}}", ["v": "\u{A0}\u{BF}\u{C0}"], escaping: .xml) == "\u{A0}\u{BF}\u{C0}")
  }

  @Test func xmlEscapesMarkupAndLineBreaks() throws {
    let rendered = try render("<a x=\"{{v}}\"/>", ["v": "a&b<c>\"'\tx\ny\r"], escaping: .xml)
    #expect(rendered == "<a x=\"a&amp;b&lt;c&gt;&quot;&apos;&#9;x&#10;y&#13;\"/>")
  }

  @Test func xmlReplacesForbiddenCharacters() throws {
    let forbidden = "\u{0}\u{8}\u{B}\u{C}\u{E}\u{1F}\u{FFFE}\u{FFFF}"
    let rendered = try render("{{v}}", ["v": .string("a\(forbidden)b\u{FFFD}\u{FFFC}é")], escaping: .xml)
    #expect(rendered == "a" + String(repeating: "\u{FFFD}", count: 8) + "b\u{FFFD}\u{FFFC}é")
  }

  @Test func xmlUnescapedKeepsMarkupButReplacesForbiddenCharacters() throws {
    let rendered = try render("{{{v}}}|{{&v}}", ["v": "<b>\t\n\r\u{1}\u{FFFE}x</b>"], escaping: .xml)
    let expected = "<b>\t\n\r\u{FFFD}\u{FFFD}x</b>"
    #expect(rendered == expected + "|" + expected)
  }

  @Test func xmlKeepsSupplementaryCharacters() throws {
    #expect(try render("{{v}}", ["v": "𝄞😀\u{10FFFF}"], escaping: .xml) == "𝄞😀\u{10FFFF}")
  }

  @Test func textCopiesValues() throws {
    #expect(try render("{{v}}", ["v": "<&\"'\u{1}>"], escaping: .text) == "<&\"'\u{1}>")
  }

  @Test func pragmaChoosesTheModeAndRendersNothing() throws {
    let source = "<r>\n{{% CONTENT_TYPE: XML}}\n<v>{{v}}</v>\n</r>"
    let template = try Template(source: source, name: "t", defaultEscaping: .text)
    #expect(template.escaping == .xml)
    #expect(try template.render(["v": "'\n"]) == "<r>\n<v>&apos;&#10;</v>\n</r>")
  }

  @Test(arguments: [("HTML", Escaping.html), ("xml", .xml), (" TEXT ", .text)])
  func pragmaValues(_ value: String, _ escaping: Escaping) throws {
    let template = try Template(source: "{{%CONTENT_TYPE:\(value)}}", name: "t")
    #expect(template.escaping == escaping)
  }

  @Test func inlinePragmaBehavesLikeAComment() throws {
    #expect(try render("a {{% CONTENT_TYPE: TEXT }} b", [:]) == "a  b")
  }

  @Test func defaultEscapingAppliesWithoutPragma() throws {
    #expect(try Template(source: "x", name: "t", defaultEscaping: .xml).escaping == .xml)
    #expect(try Template(source: "x", name: "t").escaping == .html)
  }

  @Test func partialsUseTheTopLevelTemplatesEscaping() throws {
    let partials = ["p": "{{% CONTENT_TYPE: TEXT }}[{{v}}]"]
    #expect(try render("{{>p}}", ["v": "<'>"], escaping: .xml, partials: partials) == "[&lt;&apos;&gt;]")
    #expect(try render("{{>p}}", ["v": "<'>"], escaping: .html, partials: partials) == "[&lt;&#39;&gt;]")
  }

  @Test func escapingCanBeChangedAfterParsing() throws {
    var template = try Template(source: "{{v}}", name: "t")
    template.escaping = .text
    #expect(try template.render(["v": "<"]) == "<")
  }

  @Test func escapeHelper() {
    #expect(Escaping.html.escape("<a href='x'>") == "&lt;a href=&#39;x&#39;&gt;")
    #expect(Escaping.xml.escape("a\u{1}\n") == "a\u{FFFD}&#10;")
    #expect(Escaping.text.escape("<") == "<")
    #expect(
      Escaping.markdown.escape("a|b *c* _d_ `e` [f](g) <h> ~i~ & \\ j\nk\tl")
        == #"a\|b \*c\* \_d\_ \`e\` \[f\](g) \<h\> \~i\~ \& \\ j k l"#)
  }

  @Test func longRunsAroundEscapes() throws {
    let chunk = String(repeating: "abcdefgh", count: 100)
    let value = chunk + "&" + chunk + "<"
    #expect(try render("{{v}}", ["v": .string(value)]) == chunk + "&amp;" + chunk + "&lt;")
  }

  /// The escapers skip plain text a word at a time; against a character-by-character reference, on seeded
  /// strings of every length mixing plain text, specials, controls, 0xEF- and 0xC2-led characters and other UTF-8.
  @Test func escapingMatchesACharacterByCharacterReference() {
    func reference(_ text: String, xml: Bool) -> String {
      var result = ""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += xml ? "&apos;" : "&#39;"
        case "\t" where xml: result += "&#9;"
        case "\n" where xml: result += "&#10;"
        case "\r" where xml: result += "&#13;"
        case "\u{0}"..."\u{1F}" where xml, "\u{FFFE}" where xml, "\u{FFFF}" where xml: result += "\u{FFFD}"
        case "\u{7F}"..."\u{9F}" where xml: result += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
        case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}"..."\u{9F}":
          let hex = String(scalar.value, radix: 16, uppercase: true)
          result += "\\u00" + (hex.count == 1 ? "0" : "") + hex
        default: result.unicodeScalars.append(scalar)
        }
      }
      return result
    }
    let pieces: [String] = [
      "a", "plain text ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{1}", "\u{1F}", "é", "✓", "\u{FFFD}",
      "\u{FFFE}", "\u{FFFF}", "\u{FEFF}", "\u{F000}", "𝄞", "0123456789", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
      "\u{A0}", "\u{BF}",
    ]
    var random = SeededGenerator(seed: 3)
    for _ in 0..<3000 {
      let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
        .joined()
      #expect(Escaping.html.escape(text) == reference(text, xml: false), "\(Array(text.utf8))")
      #expect(Escaping.xml.escape(text) == reference(text, xml: true), "\(Array(text.utf8))")
    }
  }
}
