import Dispatch
import TemplateEngine

/// The whole pipeline: load snapshots, analyze them, render every report, write them.
public struct ReportJob: Sendable {
  /// Files, folders or `-`.
  public var inputs: [String]
  /// Where the reports go.
  public var outputFolder: String
  /// The finding maxima.
  public var policy: Policy
  /// *now* and its source, when given by `--now` or `SOURCE_DATE_EPOCH`.
  public var now: (Timestamp, NowSource)?
  /// A folder of `*.mustache` files that replace built-in templates of the same name.
  public var templateFolder: String?
  /// Reads standard input for the input `-`.
  public var standardInput: @Sendable () -> [UInt8]

  /// Creates a job.
  public init(
    inputs: [String], outputFolder: String, policy: Policy = .standard, now: (Timestamp, NowSource)? = nil,
    templateFolder: String? = nil,
    standardInput: @escaping @Sendable () -> [UInt8] = { SnapshotLoader.readStandardInput() }
  ) {
    self.inputs = inputs
    self.outputFolder = outputFolder
    self.policy = policy
    self.now = now
    self.templateFolder = templateFolder
    self.standardInput = standardInput
  }

  /// Runs the pipeline. Nothing is written unless every input loaded and every report rendered.
  /// - Returns: the analysis, which says whether any check failed.
  /// - Throws: `ReportJobError` for unreadable input, a bad template or an unwritable output.
  public func run() throws(ReportJobError) -> Report {
    let templates: TemplateSet
    let loaded: [LoadedInput]
    do {
      templates = try TemplateSet(overrides: templateFolder)
    } catch {
      throw .template(error)
    }
    do {
      loaded = try SnapshotLoader.load(try SnapshotLoader.expand(inputs), standardInput: standardInput)
    } catch {
      throw .input(error)
    }
    let report = Report(inputs: loaded, policy: policy, now: now)
    let files = try render(report, with: templates)
    do {
      try ReportWriter.write(files, to: outputFolder)
    } catch {
      throw .output(error)
    }
    return report
  }

  /// Renders every output of `report`, one per core at a time, in the fixed order of `OutputFormat`.
  public func render(_ report: Report, with templates: TemplateSet) throws(ReportJobError) -> [(
    name: String, bytes: [UInt8]
  )] {
    let context = ReportContext.make(report)
    let formats = OutputFormat.allCases
    let renderers: [any ReportRenderer]
    do {
      renderers = try formats.map { format throws(TemplateSetError) in try templates.renderer(for: format) }
    } catch {
      throw .template(error)
    }
    let results = ResultSlots<Result<[UInt8], TemplateSetError>>(count: formats.count)
    DispatchQueue.concurrentPerform(iterations: formats.count) { index in
      do {
        results[index] = .success(try renderers[index].render(context))
      } catch {
        results[index] = .failure(TemplateSetError(message: "\(error)"))
      }
    }
    var files: [(name: String, bytes: [UInt8])] = []
    for (format, result) in zip(formats, results.values) {
      switch result {
      case .success(let bytes): files.append((format.fileName, bytes))
      case .failure(let error): throw .template(error)
      case nil: throw .template(TemplateSetError(message: "\(format.fileName): not rendered"))
      }
    }
    return files
  }
}

/// Why a job stopped before writing its reports (or while writing them).
public enum ReportJobError: Error, Sendable, CustomStringConvertible {
  /// Inputs that could not be read or decoded.
  case input(InputErrors)
  /// A template that could not be loaded, parsed or rendered.
  case template(TemplateSetError)
  /// A report that could not be written.
  case output(OutputError)

  public var description: String {
    switch self {
    case .input(let error): error.description
    case .template(let error): "error: \(error)"
    case .output(let error): error.description
    }
  }
}
