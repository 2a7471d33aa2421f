import Foundation

/// What a run of the built command did.
struct CommandResult {
  var status: Int32
  var standardOutput: String
  var standardError: String
}

/// Runs the built `inspector-report` as a user would, with its own working folder and environment.
func runCommand(
  _ arguments: [String], in folder: URL = TestPaths.root, standardInput: [UInt8]? = nil,
  environment: [String: String] = [:], executable: URL = TestPaths.command
) throws -> CommandResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.currentDirectoryURL = folder
  var variables = ProcessInfo.processInfo.environment
  variables["SOURCE_DATE_EPOCH"] = nil
  // The tests' own GitHub Actions job must not get their annotations and summaries.
  variables["GITHUB_ACTIONS"] = nil
  variables["GITHUB_STEP_SUMMARY"] = nil
  variables.merge(environment) { _, new in new }
  process.environment = variables
  let output = Pipe()
  let error = Pipe()
  let input = Pipe()
  process.standardOutput = output
  process.standardError = error
  process.standardInput = input
  try process.run()
  if let standardInput { input.fileHandleForWriting.write(Data(standardInput)) }
  try input.fileHandleForWriting.close()
  let outputData = output.fileHandleForReading.readDataToEndOfFile()
  let errorData = error.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CommandResult(
    status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
    standardError: String(decoding: errorData, as: UTF8.self))
}

/// Runs the built command like `runCommand`, without standard input and with at most `memory` bytes of address
/// space (so that a command that reads on and on fails rather than take the machine's memory); `nil` when it had
/// not ended after `seconds`, and then it is killed.
func runCommandWithin(
  seconds: Double, memory: Int = 2 << 30, _ arguments: [String], in folder: URL = TestPaths.root
) throws -> CommandResult? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = ["-c", "ulimit -v \(memory >> 10) && exec \"$0\" \"$@\"", TestPaths.command.path] + arguments
  process.currentDirectoryURL = folder
  let output = FileManager.default.temporaryDirectory.appending(path: "inspector-report-\(UUID().uuidString).err")
  defer { try? FileManager.default.removeItem(at: output) }
  try Data().write(to: output)
  let error = try FileHandle(forWritingTo: output)
  process.standardOutput = FileHandle.nullDevice
  process.standardError = error
  process.standardInput = FileHandle.nullDevice
  try process.run()
  try error.close()
  let deadline = Date().addingTimeInterval(seconds)
  while process.isRunning && Date() < deadline { usleep(10_000) }
  guard !process.isRunning else {
    process.terminate()
    process.waitUntilExit()
    return nil
  }
  return CommandResult(
    status: process.terminationStatus, standardOutput: "",
    standardError: String(decoding: try Data(contentsOf: output), as: UTF8.self))
}

/// Runs the built command like `runCommand`, with arguments that need not be UTF-8, which `Process` cannot pass: the
/// shell's `printf` writes each byte of them from its octal escape (so no byte may be `%`).
func runCommand(rawArguments arguments: [[UInt8]], in folder: URL) throws -> CommandResult {
  let words = arguments.map { argument in
    "\"$(printf '" + argument.map { "\\" + String($0, radix: 8) }.joined() + "')\""
  }
  return try runCommand(
    ["-c", "exec \"$0\" " + words.joined(separator: " "), TestPaths.command.path], in: folder,
    executable: URL(fileURLWithPath: "/bin/sh"))
}
