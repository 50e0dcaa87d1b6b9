// ExternalStrategy: a strategy in another process (e.g. Optuna), driven by ask/tell JSON lines on its stdin/stdout.
import Foundation
import NASCIR

/// A search strategy that lives in another program (`--strategy external --strategy-command CMD`).
///
/// nasc starts `/bin/sh -c CMD` once, writes one JSON request per line to its stdin and reads one JSON reply per
/// line from its stdout (the protocol is in docs/strategies.md):
///
/// | request | reply |
/// | --- | --- |
/// | `{"type":"init","search_space":{NNI},"seed":S}` | `{"type":"ready"}` |
/// | `{"type":"restore","state":"..."}` | `{"type":"ok"}` |
/// | `{"type":"ask","count":N}` | `{"type":"propose","architectures":[{label: value}, ...],"exhausted":false}` |
/// | `{"type":"tell","architecture":{...},"metric":0.9}` | `{"type":"ok"}` |
/// | `{"type":"tell","architecture":{...},"failure":{"kind":"crashed","reason":"..."}}` | `{"type":"ok"}` |
/// | `{"type":"save"}` | `{"type":"state","state":"..."}` |
///
/// Proposals are checked against the space (unknown labels, values outside the space are one-line errors located at
/// `--strategy-command`). A reply that is not JSON, the wrong type, silence beyond `timeout`, or the process
/// exiting ends the experiment with one line; the store keeps every result, and `--resume` restores the strategy
/// from the last state it saved. The process's stderr goes to the `log` file.
public final class ExternalStrategy: Strategy {
    /// Options: `command` (required), `timeout` (seconds to wait for a reply, default 600), `log` (stderr file).
    public struct Config: Sendable, Equatable {
        public var command: String
        public var timeout: Double = 600
        public var log: String?

        /// Reads `--strategy-option`s; the command comes from `--strategy-command` as option `command`.
        public init(options: [String: String]) throws {
            let known: Set<String> = ["command", "timeout", "log"]
            if let bad = options.keys.sorted().first(where: { !known.contains($0) }) {
                throw DiagnosticError(.error("unknown option '\(bad)' for strategy external; its options are command, timeout, log",
                                             at: SourceLocation(file: "--strategy-option")))
            }
            guard let c = options["command"], !c.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DiagnosticError(.error("--strategy external needs --strategy-command CMD", at: SourceLocation(file: "--strategy-command")))
            }
            command = c
            if let t = options["timeout"] {
                guard let v = Double(t), v.isFinite, v > 0, v <= 86_400 else {
                    throw DiagnosticError(.error("timeout must be a number of seconds in (0, 86400], got '\(t)'",
                                                 at: SourceLocation(file: "--strategy-option")))
                }
                timeout = v
            }
            log = options["log"]
        }
    }

    public var name: String { "external" }
    public private(set) var isExhausted = false
    let space: SearchSpace
    let config: Config
    let process = Process()
    let input: FileHandle
    let replies = LineQueue()
    /// The process's stderr: copied to `log`, last line kept for error messages.
    let diagnostics = LineQueue()
    static let location = SourceLocation(file: "--strategy-command")

    /// Starts the strategy process and sends it the search space.
    public init(space: SearchSpace, seed: UInt64, config: Config) throws {
        self.space = space
        self.config = config
        // A strategy that dies must give an error on the next write, not kill nasc with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", config.command]
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        input = stdin.fileHandleForWriting
        do {
            try process.run()
        } catch {
            throw DiagnosticError(.error("cannot start the strategy command: \(error.localizedDescription)", at: Self.location))
        }
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        replies.read(stdout.fileHandleForReading)
        var log: FileHandle?
        if let path = config.log, FileManager.default.createFile(atPath: path, contents: nil) { log = FileHandle(forWritingAtPath: path) }
        diagnostics.read(stderr.fileHandleForReading, copyTo: log)
        _ = try request(.object(["type": .string("init"), "search_space": NNISpaceJSON.json(space), "seed": .int(Int(truncatingIfNeeded: seed))]),
                        expecting: "ready")
    }

    deinit {
        try? input.close()
        if process.isRunning {
            // Closing stdin asks it to exit; a strategy that ignores that is stopped.
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { process.terminate() }
        }
    }

    public func ask(count: Int) throws -> [Architecture] {
        let reply = try request(.object(["type": .string("ask"), "count": .int(count)]), expecting: "propose")
        guard let list = reply["architectures"] as? [Any] else { throw bad("'propose' without an 'architectures' list", reply) }
        if let e = reply["exhausted"] as? Bool { isExhausted = e }
        guard list.count <= count else { throw bad("proposed \(list.count) architectures when asked for \(count)", reply) }
        return try list.enumerated().map { i, item in
            guard JSONSerialization.isValidJSONObject(item),
                  let data = try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]) else {
                throw bad("architecture \(i + 1) is not a JSON object", reply)
            }
            let text = String(decoding: data, as: UTF8.self)
            do {
                return try ArchitectureJSON.read(text, space: space, file: "proposal")
            } catch let e as DiagnosticError {
                let why = e.diagnostics.first?.message ?? "invalid"
                throw DiagnosticError(.error("the strategy proposed an architecture outside the space (architecture \(i + 1) of \(list.count)): \(why): \(Self.preview(text))",
                                             at: Self.location))
            }
        }
    }

    public func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        // The architecture exactly as nasc stores it (NNI v3, sorted keys), so strategies can key pending trials by it.
        let arch = try ArchitectureJSON.write(architecture, space: space, format: .nniV3).replacingOccurrences(of: "\n", with: "")
        let result: String
        switch outcome {
        case .succeeded(let m): result = "\"metric\": " + JSONValue.double(m).compact
        case .failed(let reason):
            result = "\"failure\": " + JSONValue.object(["kind": .string(Self.failureKind(reason)), "reason": .string(reason)]).compact
        }
        _ = try request(text: "{\"type\": \"tell\", \"architecture\": \(arch), \(result)}", what: "tell", expecting: "ok")
    }

    public func saveState() throws -> [UInt8] {
        let reply = try request(.object(["type": .string("save")]), expecting: "state")
        guard let state = reply["state"] as? String else { throw bad("'state' reply without a 'state' string", reply) }
        return Array(state.utf8)
    }

    public func restore(state: [UInt8]) throws {
        _ = try request(.object(["type": .string("restore"), "state": .string(String(decoding: state, as: UTF8.self))]), expecting: "ok")
    }

    /// The short kind of a failure reason (`crashed`, `diverged`, `bad output`, `budget`...), for strategies that
    /// treat kinds differently.
    static func failureKind(_ reason: String) -> String {
        let known = ["crashed", "diverged", "bad output", "input", "evaluator", "budget", "timeout", "interrupted", "cannot start"]
        if let k = known.first(where: { reason.hasPrefix($0) }) { return k.replacingOccurrences(of: " ", with: "_") }
        if reason.hasPrefix("exited") { return "no_result" }
        if reason.contains("parameters") || reason.contains("FLOPs") { return "budget" }
        return "failed"
    }

    /// Sends one request and waits for its reply, which must be a JSON object of type `expected`.
    func request(_ message: JSONValue, expecting expected: String) throws -> [String: Any] {
        var what = "request"
        if case .object(let o) = message, case .string(let t)? = o["type"] { what = t }
        return try request(text: message.compact, what: what, expecting: expected)
    }

    /// Sends one request line (`text`, a JSON object on one line) and waits for its reply.
    func request(text: String, what: String, expecting expected: String) throws -> [String: Any] {
        do {
            try input.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            throw DiagnosticError(.error("the strategy process is gone (it stopped reading its input before '\(what)')\(exitNote())",
                                         at: Self.location))
        }
        guard let line = replies.next(timeout: config.timeout) else {
            if replies.closed {
                throw DiagnosticError(.error("the strategy process ended without answering '\(what)'\(exitNote())", at: Self.location))
            }
            throw DiagnosticError(.error("the strategy did not answer '\(what)' within \(Int(config.timeout)) s (--strategy-option timeout=SECONDS)",
                                         at: Self.location))
        }
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw DiagnosticError(.error("the strategy's answer to '\(what)' is not a JSON object: \(Self.preview(line))", at: Self.location))
        }
        if let t = obj["type"] as? String, t == "error" {
            throw DiagnosticError(.error("the strategy reported an error on '\(what)': \((obj["message"] as? String) ?? "no message")", at: Self.location))
        }
        guard let t = obj["type"] as? String, t == expected else {
            throw DiagnosticError(.error("the strategy answered '\(what)' with \(Self.preview(line)); expected {\"type\":\"\(expected)\",...}",
                                         at: Self.location))
        }
        return obj
    }

    func bad(_ why: String, _ reply: [String: Any]) -> DiagnosticError {
        let data = (try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys])) ?? Data()
        return DiagnosticError(.error("bad answer from the strategy: \(why): \(Self.preview(String(decoding: data, as: UTF8.self)))", at: Self.location))
    }

    /// How the process ended, and where its stderr is.
    func exitNote() -> String {
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        var note = process.isRunning ? "" : " (exit status \(process.terminationStatus))"
        if let last = diagnostics.lastLine(waiting: 0.5) { note += "; its last stderr line: \(Self.preview(last))" }
        if let log = config.log { note += "; see \(log)" }
        return note
    }

    static func preview(_ s: String) -> String {
        let one = s.replacingOccurrences(of: "\n", with: " ")
        return one.count > 160 ? String(one.prefix(157)) + "..." : one
    }
}

/// Lines read from a pipe on a thread, taken one at a time with a timeout.
final class LineQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []
    private var _closed = false

    /// True once the pipe reached end of file.
    var closed: Bool { condition.lock(); defer { condition.unlock() }; return _closed }

    /// Starts reading `handle` until end of file; with `copyTo`, every byte is also written there.
    func read(_ handle: FileHandle, copyTo copy: FileHandle? = nil) {
        Thread { [self] in
            defer { try? copy?.close() }
            var buffer = [UInt8]()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                copy?.write(chunk)
                buffer.append(contentsOf: chunk)
                while let nl = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<nl], as: UTF8.self)
                    buffer.removeSubrange(...nl)
                    if !line.trimmingCharacters(in: .whitespaces).isEmpty { push(line) }
                }
            }
            if !buffer.isEmpty { push(String(decoding: buffer, as: UTF8.self)) }
            condition.lock(); _closed = true; condition.broadcast(); condition.unlock()
        }.start()
    }

    private func push(_ line: String) {
        condition.lock()
        lines.append(line)
        if lines.count > 1000 { lines.removeFirst(lines.count - 100) }
        last = line
        condition.signal()
        condition.unlock()
    }
    private var last: String?

    /// The last line read, waiting up to `waiting` seconds for end of file first (so a dying process's last words are in).
    func lastLine(waiting: Double) -> String? {
        let deadline = Date().addingTimeInterval(waiting)
        condition.lock()
        defer { condition.unlock() }
        while !_closed { if !condition.wait(until: deadline) { break } }
        return last
    }

    /// The next line, or `nil` after `timeout` seconds or at end of file.
    func next(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while lines.isEmpty && !_closed {
            if !condition.wait(until: deadline) { break }
        }
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}
