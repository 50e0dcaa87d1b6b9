// OutputFileTests: `-o` writes through symbolic links, refuses devices and directories, and replaces regular files.
import Foundation
import Testing
import NASCIR
@testable import NASCTool

@Suite struct OutputFileTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nasc-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func regularFilesAreReplaced() throws {
        let f = try tempDir().appendingPathComponent("a.pb").path
        try OutputFile.write("one", to: f)
        try OutputFile.write("two", to: f)
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "two")
    }

    @Test func symlinksAreWrittenThrough() throws {
        let d = try tempDir()
        let target = d.appendingPathComponent("target.pb").path, link = d.appendingPathComponent("link.pb").path
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.pb")  // relative link
        try OutputFile.write("new", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.pb")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        // A dangling link creates its target.
        let dangling = d.appendingPathComponent("dangling.pb").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: d.appendingPathComponent("made.pb").path)
        try OutputFile.write("made", to: dangling)
        #expect(try String(contentsOfFile: d.appendingPathComponent("made.pb").path, encoding: .utf8) == "made")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dangling)) != nil)
    }

    @Test func devicesAndDirectoriesAreRefusedWithoutTouchingThem() throws {
        for path in ["/dev/null", "/dev/full"] where FileManager.default.fileExists(atPath: path) {
            do {
                try OutputFile.write("x", to: path)
                Issue.record("\(path) was written")
            } catch let e as DiagnosticError {
                #expect(e.description == "\(path): error: refusing to write to '\(path)': it is not a regular file (a device, FIFO or socket); give a file path, or - for standard output")
            }
            var st = stat()
            #expect(lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "\(path) is still a device")
        }
        // Through a link too.
        let d = try tempDir()
        let link = d.appendingPathComponent("null.pb").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        #expect(throws: DiagnosticError.self) { try OutputFile.write("x", to: link) }
        #expect(throws: DiagnosticError.self) { try OutputFile.write("x", to: d.path) }
    }
}
