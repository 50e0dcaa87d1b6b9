// OneShotProgressCLITests: one-shot `nasc run` on a terminal draws a per-batch bar (epoch k/K, images/s, ETA) and
// names each choice's candidates; without a terminal it writes plain lines, one summary per epoch.
import Foundation
import Testing

@Suite(.serialized) struct OneShotProgressCLITests {
    func args(_ out: String, _ space: String) -> [String] {
        ["run", "--strategy", "darts", space, "-o", out] + OneShotCLITests.data + ["--strategy-option", "max_batches=3"]
    }

    @Test func terminalGetsABarPlainOutputGetsEpochLines() throws {
        let (dir, space) = try OneShotCLITests().setup()
        // A pseudo-terminal through util-linux `script`.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([NascProcess.binary] + args(dir.appendingPathComponent("tty").path, space)).map { "'\($0)'" }.joined(separator: " ")
        p.arguments = ["-qec", command, "/dev/null"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        for epoch in 1...2 {
            // The bar ends full: 64 synthetic samples, half for the weights, in batches of 16.
            #expect(text.contains("epoch \(epoch)/2 [########################] 2/2  loss "), "\(text)")
        }
        #expect(text.contains(" img/s  ETA "))
        #expect(text.contains("  op: conv3 0.") && text.contains(", skip 0."), "candidate names: \(text)")

        let plain = try NascProcess.run(args(dir.appendingPathComponent("plain").path, space))
        #expect(plain.code == 0)
        #expect(!plain.stdout.contains("[#") && !plain.stderr.contains("[#"), "no bar without a terminal")
        #expect(plain.stdout.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 2)
    }
}
