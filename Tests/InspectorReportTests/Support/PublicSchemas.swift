import SharedFolder
import Testing
import XMLValidation

/// The public Jenkins and Ant JUnit schemas the JUnit output must pass, read from the shared folder: they are
/// third-party, and the repository does not carry them.
enum PublicSchemas {
  /// The schemas' file names in `../shared/schemas`.
  static let names = ["junit-jenkins.xsd", "junit-ant.xsd"]

  /// The schema in `../shared/schemas/name`.
  static func load(_ name: String) throws -> XMLSchema {
    try XMLSchema(contentsOf: Shared.file("schemas/\(name)"))
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs a test only where the shared folder, which holds the public JUnit schemas, is beside the repository.
  static var needsPublicSchemas: Self {
    .enabled(
      if: Shared.isPresent,
      "needs ../shared/schemas: the public Jenkins and Ant JUnit schemas (third-party, not in the repository)")
  }
}
