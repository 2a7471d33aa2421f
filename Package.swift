// swift-tools-version: 6.1
import PackageDescription

/// The pipeline calls the reader per token and the engine per value; letting the optimizer inline across these
/// module boundaries saves about 5% of the CPU time for 10k runs (Benchmarks/). Unsafe flags are fine for a root
/// package; another package depending on this one would have to drop them.
let inlinedAcrossModules: [SwiftSetting] = [
  .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

/// The release command links the Swift runtime and FoundationEssentials into itself: it then runs where no
/// Swift is installed, starts in 3 ms instead of 9, and calls the runtime directly rather than through the
/// dynamic linker's tables (5% less CPU time for 10k runs, Benchmarks/).
let linkedAlone: LinkerSetting = .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))
/// Modules that import FoundationEssentials are compiled against its static build, which names what it links with.
let compiledAlone: SwiftSetting = .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))

let package = Package(
  name: "inspector-report",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "inspector-report", targets: ["inspector-report"]),
    .library(name: "InspectorReport", targets: ["InspectorReport"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // The command: options, printing, exit codes.
    .executableTarget(
      name: "inspector-report",
      dependencies: [
        "InspectorReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: [compiledAlone],
      linkerSettings: [linkedAlone]
    ),
    // The pipeline: Snapshot → Analysis → Rendering → Output.
    .target(
      name: "InspectorReport",
      dependencies: [
        "JSONReader", "TemplateEngine", "XMLValidation", "CFolderSwap",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: [compiledAlone],
      plugins: ["EmbedTemplates"]
    ),
    // A strict JSON pull reader with exact error positions.
    .target(name: "JSONReader", swiftSettings: inlinedAcrossModules),
    // The libFuzzer target for the reader and the whole pipeline (see its source), and the checks it makes on each
    // input, which the tests replay its saved inputs through. In a release build the library is compiled for a
    // static Foundation, so whatever links it is compiled and linked like the command.
    .executableTarget(
      name: "inspector-report-fuzz", dependencies: ["FuzzChecks"], exclude: ["snapshot.dict"],
      swiftSettings: [compiledAlone], linkerSettings: [linkedAlone]
    ),
    .target(
      name: "FuzzChecks", dependencies: ["InspectorReport", "JSONReader"],
      swiftSettings: [compiledAlone]
    ),
    // A compiled Mustache engine rendering into bytes.
    .target(name: "TemplateEngine", dependencies: ["CPrefetch"], swiftSettings: inlinedAcrossModules),
    // The cache prefetch hint, which Swift cannot spell; the engine's tree walks wait on memory without it.
    .target(name: "CPrefetch"),
    // The system call that exchanges two folders in one step, which glibc hides from Swift.
    .target(name: "CFolderSwap"),
    // XML Schema validation through libxml2, the only code that touches it: of whole documents, and of documents
    // as they are written.
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    .target(name: "XMLValidation", dependencies: ["CLibXML2"], swiftSettings: [compiledAlone]),
    // Compiles templates/ into the library.
    .executableTarget(name: "embed-templates"),
    .plugin(
      name: "EmbedTemplates",
      capability: .buildTool(),
      dependencies: ["embed-templates"],
      path: "Sources/EmbedTemplatesPlugin"
    ),
    // The seeded random generator the property tests share.
    .target(name: "SeededRandom", path: "Tests/SeededRandom"),
    // A TCP listener that counts connections, for the tests that show nothing reaches the network.
    .target(name: "LocalListener", path: "Tests/LocalListener"),
    // Where the team's shared folder of third-party test files is, and whether it is there (not in a user's clone).
    .target(name: "SharedFolder", path: "Tests/SharedFolder"),
    .testTarget(
      name: "InspectorReportTests",
      dependencies: [
        "InspectorReport", "XMLValidation", "inspector-report", "FuzzChecks", "SeededRandom", "SharedFolder",
        "LocalListener",
      ],
      exclude: ["Inputs", "Snapshots"]
    ),
    .testTarget(name: "JSONReaderTests", dependencies: ["JSONReader", "SeededRandom"]),
    .testTarget(name: "TemplateEngineTests", dependencies: ["TemplateEngine", "SeededRandom", "SharedFolder"]),
    .testTarget(
      name: "XMLValidationTests", dependencies: ["XMLValidation", "CLibXML2", "SharedFolder", "LocalListener"]),
  ]
)
