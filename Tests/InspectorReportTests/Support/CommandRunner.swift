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
