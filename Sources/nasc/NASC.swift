// The `nasc` command: the root of the verbs (one file per verb) and the exit-code policy.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

/// Root command. Exit codes: 0 success, 1 user error (one line per diagnostic on stderr), 2 usage.
@main
struct NASC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nasc",
        abstract: "A neural architecture search compiler and runtime.",
        discussion: "Model spaces are read from .nas (space language), .nir (text IR) or protobuf files.",
        version: "nasc \(NASCVersion.string)",
        subcommands: [Compile.self, Dump.self, Inspect.self, Space.self, Train.self, Run.self, Trial.self,
                      ExperimentCommand.self, OneShot.self, Passes.self, Compare.self]
    )

    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((usageMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = command
            try command.run()
        } catch let error as ReportedFailure {
            Foundation.exit(error.code)
        } catch let error as DiagnosticError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(1)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help, version and validation errors from ArgumentParser.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(exitCode(for: error) == .validationFailure ? 2 : 1)
        }
    }
}

extension NASC {
    /// A usage error's text: one line `--flag: error: ...` for a flag's value (``checkFlag(_:_:_:)``), else
    /// ArgumentParser's message with the usage.
    static func usageMessage(for error: Error) -> String {
        let m = message(for: error)
        return m.hasPrefix("-") && m.contains(": error: ") && !m.contains("\n") ? m : fullMessage(for: error)
    }
}

/// Thrown after a command has already printed its diagnostics.
struct ReportedFailure: Error {
    var code: Int32 = 1
}

/// Loads a space for a command, printing located diagnostics (with source context for .nas) on failure.
func loadSpace(_ path: String) throws -> (InputFile, ModelSpace) {
    do {
        let file = try InputFile(path: path)
        do {
            return (file, try file.loadSpace())
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    } catch let error as DiagnosticError {
        printError(error.description)
        throw ReportedFailure()
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
