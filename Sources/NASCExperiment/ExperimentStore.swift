// ExperimentStore: the experiment's embedded database (SQLite via GRDB, WAL mode, one transaction per report).
import Foundation
import GRDB
import NASCIR

/// The store of one experiment: `DIR/experiment.sqlite`.
///
/// **Durability.** The database runs in WAL mode and every report is one transaction (a trial's start, each
/// intermediate metric, its result together with the strategy checkpoint taken after telling the strategy,
/// newly proposed trials together with the checkpoint taken after asking). A process killed at any moment
/// (`kill -9`) therefore leaves the last committed state: nothing reported is lost and the strategy
/// checkpoint always matches the trials it has seen.
///
/// Errors are ``DiagnosticError``s located at the store file.
public final class ExperimentStore: Sendable {
    /// The experiment directory.
    public let directory: String
    /// `DIR/experiment.sqlite`.
    public let path: String
    let db: any DatabaseWriter
    /// True when opened with ``open(directory:readOnly:)`` for reading only.
    public let isReadOnly: Bool

    private init(directory: String, db: any DatabaseWriter, readOnly: Bool = false) {
        self.isReadOnly = readOnly
        self.directory = directory
        self.path = Experiment.storePath(directory)
        self.db = db
    }

    // MARK: - Opening

    /// Creates a new experiment in `directory` (created if needed). Fails if the directory already has a store.
    ///
    /// **Atomic.** The store is built complete (schema and experiment row) in a temporary file of the directory
    /// and then linked into place under its final name, which fails if a store appeared meanwhile: a process
    /// killed at any moment leaves either no store (a fresh run starts over; the leftover temporary file is
    /// removed by the next creation) or a complete one (`--resume` continues it). Callers hold the directory's
    /// ``ExperimentLock`` so two creations never race.
    public static func create(directory: String, config: ExperimentConfig, space: ModelSpace, now: Double = Experiment.now()) throws -> ExperimentStore {
        let path = Experiment.storePath(directory)
        func exists() -> DiagnosticError {
            DiagnosticError(.error("an experiment already exists here; use `nasc run --resume \(directory)` to continue it",
                                   at: SourceLocation(file: directory)))
        }
        if FileManager.default.fileExists(atPath: path) { throw exists() }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), !isDir.boolValue {
            throw DiagnosticError(.error("not a directory", at: SourceLocation(file: directory)))
        }
        try Experiment.makeDirectory(directory)
        removeLeftoverTemporaryStores(directory)
        let temp = Experiment.join(directory, "\(temporaryPrefix)\(getpid())")
        let spaceBytes = try ProtoIO.encode(space)
        do {
            // A rollback-journal database, so the finished file is self-contained; the pool turns on WAL when it opens it.
            let queue = try DatabaseQueue(path: temp)
            try StoreSchema.migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO experiment (id, space_path, space_hash, space, strategy, strategy_options, seed, concurrency,
                      max_trials, max_duration, max_params, max_flops, evaluator_arguments, status, started_at,
                      trial_timeout, stall_timeout)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)
                    """, arguments: [config.spacePath, config.spaceHash, Data(spaceBytes), config.strategy,
                                     encodeJSON(config.strategyOptions), Int64(bitPattern: config.seed), config.concurrency,
                                     config.maxTrials, config.maxDuration, config.maxParams, config.maxFlops,
                                     encodeJSON(config.evaluatorArguments), now, config.trialTimeout, config.stallTimeout])
                try db.execute(sql: "UPDATE experiment SET engine = ? WHERE id = 1", arguments: [encodeJSON(config.engine)])
                if let e = config.earlyStop {
                    try db.execute(sql: "UPDATE experiment SET early_stop = ? WHERE id = 1", arguments: [encodeJSON(e)])
                }
            }
            try queue.close()
        } catch {
            unlink(temp)
            throw storeError(error, path: path)
        }
        // link(2) never replaces an existing store, unlike rename(2).
        guard link(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            if code == EEXIST { throw exists() }
            throw DiagnosticError(.error("cannot create the store: \(String(cString: strerror(code)))", at: SourceLocation(file: path)))
        }
        unlink(temp)
        let store = ExperimentStore(directory: directory, db: try openPool(path))
        try store.migrate()
        return store
    }

    /// Creates an experiment directory (and parents), refusing a path that is a file.
    public static func makeExperimentDirectory(_ directory: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), !isDir.boolValue {
            throw DiagnosticError(.error("not a directory", at: SourceLocation(file: directory)))
        }
        try Experiment.makeDirectory(directory)
    }

    /// The name prefix of a store being built by ``create(directory:config:space:now:)``.
    static let temporaryPrefix = ".experiment.sqlite.creating-"

    /// Removes stores whose creation was interrupted (the caller holds the directory's lock).
    static func removeLeftoverTemporaryStores(_ directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(temporaryPrefix) {
            unlink(Experiment.join(directory, name))
        }
    }

    /// Opens the experiment in `directory`. A missing directory or store, a file that is not a database, a store
    /// written by a newer nasc, or one without an experiment row is a one-line error located at the path.
    /// With `readOnly` (the `nasc experiment` verbs) nothing is written, not even a schema upgrade, so a finished
    /// experiment on a read-only file system, or one owned by another user, can be read.
    public static func open(directory: String, readOnly: Bool = false) throws -> ExperimentStore {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DiagnosticError(.error("no such experiment directory", at: SourceLocation(file: directory)))
        }
        guard isDir.boolValue else { throw DiagnosticError(.error("not a directory", at: SourceLocation(file: directory))) }
        let path = Experiment.storePath(directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DiagnosticError(.error("not an experiment directory (no \(Experiment.storeFileName))", at: SourceLocation(file: directory)))
        }
        if readOnly {
            let store = ExperimentStore(directory: directory, db: try openReadOnly(path), readOnly: true)
            try store.checkSchema()
            _ = try store.config()
            return store
        }
        let store = ExperimentStore(directory: directory, db: try openPool(path))
        try store.migrate()
        _ = try store.config()
        return store
    }

    /// A read-only connection. A WAL database whose `-shm` file is missing and cannot be created (a read-only
    /// directory) is opened as immutable, which is exact for a finished experiment that nothing writes.
    static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            _ = try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        } catch let first {
            let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
            do {
                let queue = try DatabaseQueue(path: uri, configuration: config)
                _ = try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
                return queue
            } catch {
                throw storeError(first, path: path)
            }
        }
    }

    /// Opens (creating if needed) and migrates the store without requiring an experiment row (tests, repair).
    static func openUnchecked(directory: String) throws -> ExperimentStore {
        let store = ExperimentStore(directory: directory, db: try openPool(Experiment.storePath(directory)))
        try store.migrate()
        return store
    }

    /// Runs raw SQL in a transaction (tests and maintenance only).
    func execute(sql: String) throws {
        try guarded { try db.write { try $0.execute(sql: sql) } }
    }

    /// The store's table names, sorted.
    func tableNames() throws -> [String] {
        try guarded { try db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") } }
    }

    static func openPool(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        do {
            return try DatabasePool(path: path, configuration: config)
        } catch {
            throw storeError(error, path: path)
        }
    }

    /// Applies missing migrations; refuses a store that has migrations this build does not know.
    func migrate() throws {
        try checkSchema()
        try guarded { try StoreSchema.migrator.migrate(db) }
    }

    /// Refuses a store with migrations this build does not know (an older store is read as it is: columns added
    /// later read as absent).
    func checkSchema() throws {
        try guarded {
            let applied = try db.read { db -> Set<String> in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try StoreSchema.migrator.appliedIdentifiers(db)
            }
            let unknown = applied.subtracting(StoreSchema.identifiers)
            if !unknown.isEmpty {
                throw DiagnosticError(.error("the store was written by a newer nasc (unknown schema \(unknown.sorted().joined(separator: ", ")))",
                                             at: SourceLocation(file: path)))
            }
        }
    }

    /// The schema migrations applied to this store.
    public func appliedMigrations() throws -> [String] {
        try guarded { try db.read { try StoreSchema.migrator.appliedMigrations($0) } }
    }

    /// The journal mode SQLite reports (`wal`).
    public func journalMode() throws -> String {
        try guarded { try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" } }
    }

    /// Runs `body`, turning database errors into located diagnostics.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DiagnosticError { throw e } catch { throw Self.storeError(error, path: path) }
    }

    static func storeError(_ error: any Error, path: String) -> DiagnosticError {
        let message: String
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: message = "not an experiment store (the file is not a valid SQLite database)"
            default:
                let text = (e.message ?? "\(e.resultCode)").replacingOccurrences(of: "\n", with: " ")
                message = "experiment store error: \(text)"
            }
        } else {
            message = "experiment store error: \(error)".replacingOccurrences(of: "\n", with: " ")
        }
        return DiagnosticError(.error(message, at: SourceLocation(file: path)))
    }

    // MARK: - Experiment

    /// The configuration the experiment was created with (limits as last changed by a resume).
    public func config() throws -> ExperimentConfig {
        try guarded {
            try db.read { db in
                guard let r = try Row.fetchOne(db, sql: "SELECT * FROM experiment WHERE id = 1") else {
                    throw DiagnosticError(.error("the store has no experiment", at: SourceLocation(file: path)))
                }
                let c = StoreRow(row: r, path: path, what: "experiment")
                let seed: Int64 = try c.get("seed")
                var config = ExperimentConfig(
                    spacePath: try c.get("space_path"), spaceHash: try c.get("space_hash"), strategy: try c.get("strategy"),
                    strategyOptions: Self.decodeJSON(try c.get("strategy_options")) ?? [:], seed: UInt64(bitPattern: seed),
                    concurrency: try c.get("concurrency"), maxTrials: try c.opt("max_trials"), maxDuration: try c.opt("max_duration"),
                    maxParams: try c.opt("max_params"), maxFlops: try c.opt("max_flops"),
                    evaluatorArguments: Self.decodeJSON(try c.get("evaluator_arguments")) ?? [],
                    trialTimeout: try c.opt("trial_timeout"), stallTimeout: try c.opt("stall_timeout"))
                config.engine = try Self.decodeEngine(try c.opt("engine") ?? "{}", path: path)
                if let text: String = try c.opt("early_stop") {
                    guard let e: EarlyStopSpec = Self.decodeJSON(text) else { throw c.bad("early_stop", "is not an early-stopping rule") }
                    config.earlyStop = e
                }
                return config
            }
        }
    }

    /// The model space stored with the experiment.
    public func space() throws -> ModelSpace {
        let bytes: Data = try guarded {
            try db.read { try Data.fetchOne($0, sql: "SELECT space FROM experiment WHERE id = 1") } ?? Data()
        }
        guard case .space(let space) = try ProtoIO.decodeFile([UInt8](bytes), file: path) else {
            throw DiagnosticError(.error("the stored space is not a model space", at: SourceLocation(file: path)))
        }
        return space
    }

    /// Where the experiment stands.
    public struct State: Sendable, Equatable {
        /// `running` (or interrupted) or `finished`.
        public var status: String
        /// Why it finished (`max-trials`, `max-duration`, `exhausted`).
        public var endReason: String?
        public var startedAt: Double
        public var endedAt: Double?
        /// Wall-clock seconds spent running, over all sessions.
        public var elapsed: Double
        /// How many `nasc run` sessions worked on it.
        public var sessions: Int
    }

    /// The experiment's status and times.
    public func state() throws -> State {
        try guarded {
            try db.read { db in
                guard let r = try Row.fetchOne(db, sql: "SELECT * FROM experiment WHERE id = 1") else {
                    throw DiagnosticError(.error("the store has no experiment", at: SourceLocation(file: path)))
                }
                let c = StoreRow(row: r, path: path, what: "experiment")
                return State(status: try c.get("status"), endReason: try c.opt("end_reason"), startedAt: try c.get("started_at"),
                             endedAt: try c.opt("ended_at"), elapsed: try c.get("elapsed"), sessions: try c.get("sessions"))
            }
        }
    }

    /// Starts a new session on a stored experiment (resume): status back to running, limits updated.
    public func beginSession(_ overrides: LimitOverrides) throws {
        try guarded {
            try db.write { db in
                try db.execute(sql: "UPDATE experiment SET status = 'running', end_reason = NULL, ended_at = NULL, sessions = sessions + 1 WHERE id = 1")
                if let c = overrides.concurrency { try db.execute(sql: "UPDATE experiment SET concurrency = ? WHERE id = 1", arguments: [c]) }
                if let t = overrides.maxTrials { try db.execute(sql: "UPDATE experiment SET max_trials = ? WHERE id = 1", arguments: [t]) }
                if let d = overrides.maxDuration { try db.execute(sql: "UPDATE experiment SET max_duration = ? WHERE id = 1", arguments: [d]) }
                if let t = overrides.trialTimeout { try db.execute(sql: "UPDATE experiment SET trial_timeout = ? WHERE id = 1", arguments: [t]) }
                if let t = overrides.stallTimeout { try db.execute(sql: "UPDATE experiment SET stall_timeout = ? WHERE id = 1", arguments: [t]) }
            }
        }
    }

    /// Records the running time so far.
    public func setElapsed(_ elapsed: Double) throws {
        try guarded { try db.write { try $0.execute(sql: "UPDATE experiment SET elapsed = ? WHERE id = 1", arguments: [elapsed]) } }
    }

    /// Marks the experiment finished.
    public func finish(reason: String, elapsed: Double, at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write {
                try $0.execute(sql: "UPDATE experiment SET status = 'finished', end_reason = ?, ended_at = ?, elapsed = ? WHERE id = 1",
                               arguments: [reason, time, elapsed])
            }
        }
    }

    // MARK: - Trials

    /// Adds proposed trials (queued) and, in the same transaction, the strategy checkpoint taken after proposing them.
    /// Returns the new trial ids.
    @discardableResult
    public func addTrials(_ architectures: [String], checkpoint: [UInt8]?, at time: Double = Experiment.now()) throws -> [Int] {
        try guarded {
            try db.write { db in
                var ids: [Int] = []
                for a in architectures {
                    try db.execute(sql: "INSERT INTO trial (architecture, status, queued_at) VALUES (?, 'queued', ?)", arguments: [a, time])
                    ids.append(Int(db.lastInsertedRowID))
                }
                if let checkpoint { try Self.insertCheckpoint(db, checkpoint, time) }
                return ids
            }
        }
    }

    /// Marks a trial running: a new attempt by process `pid`.
    public func markRunning(_ id: Int, pid: Int?, at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write {
                try $0.execute(sql: """
                    UPDATE trial SET status = 'running', attempts = attempts + 1, pid = ?, started_at = ?, ended_at = NULL,
                      error = NULL, process_start_ms = NULL, load_ms = NULL, specialize_ms = NULL, compile_ms = NULL
                    WHERE id = ?
                    """, arguments: [pid, time, id])
            }
        }
    }

    /// Records the measured overhead of the current attempt.
    public func recordOverhead(_ id: Int, _ o: TrialOverhead, params: Int?, flops: Int?) throws {
        try guarded {
            try db.write {
                try $0.execute(sql: """
                    UPDATE trial SET process_start_ms = ?, load_ms = ?, specialize_ms = ?, compile_ms = ?,
                      params = COALESCE(?, params), flops = COALESCE(?, flops) WHERE id = ?
                    """, arguments: [o.processStartMs, o.loadMs, o.specializeMs, o.compileMs, params, flops, id])
            }
        }
    }

    /// Records one intermediate metric of the trial's current attempt (a repeated epoch replaces the earlier value).
    public func recordIntermediate(_ id: Int, epoch: Int, metric: Double, at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write {
                try $0.execute(sql: """
                    INSERT OR REPLACE INTO trial_metric (trial_id, attempt, epoch, metric, recorded_at)
                    SELECT id, attempts, ?, ?, ? FROM trial WHERE id = ?
                    """, arguments: [epoch, metric, time, id])
            }
        }
    }

    /// Records how a trial ended and, in the same transaction, the strategy checkpoint taken after telling the
    /// strategy (`told` is set when a checkpoint is given).
    public func finishTrial(_ id: Int, _ result: TrialResult, checkpoint: [UInt8]?, at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write { db in
                let told = checkpoint != nil
                switch result {
                case .succeeded(let metric, let params, let flops, let loss, let test, let stopped):
                    try db.execute(sql: """
                        UPDATE trial SET status = 'succeeded', final_metric = ?, final_loss = ?, test_metric = ?, params = COALESCE(?, params),
                          flops = COALESCE(?, flops), error = NULL, ended_at = ?, told = ?, stopped_epoch = ? WHERE id = ?
                        """, arguments: [metric, loss, test, params, flops, time, told, stopped, id])
                case .failed(let reason):
                    try db.execute(sql: """
                        UPDATE trial SET status = 'failed', final_metric = NULL, error = ?, ended_at = ?, told = ? WHERE id = ?
                        """, arguments: [reason, time, told, id])
                }
                if let checkpoint { try Self.insertCheckpoint(db, checkpoint, time) }
            }
        }
    }

    /// Marks finished trials as told, with the checkpoint taken after telling them (used on resume).
    public func markTold(_ ids: [Int], checkpoint: [UInt8], at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write { db in
                for id in ids { try db.execute(sql: "UPDATE trial SET told = 1 WHERE id = ?", arguments: [id]) }
                try Self.insertCheckpoint(db, checkpoint, time)
            }
        }
    }

    /// Puts a trial whose attempt was cut off (by `--max-duration`) back in the queue, unfinished: it is not a
    /// result, the strategy is not told, and `nasc run --resume` retries it (its next attempt increments `attempts`).
    public func markInterrupted(_ id: Int, reason: String, at time: Double = Experiment.now()) throws {
        try guarded {
            try db.write {
                try $0.execute(sql: """
                    UPDATE trial SET status = 'queued', pid = NULL, final_metric = NULL, error = ?, ended_at = ?
                    WHERE id = ? AND status IN ('queued', 'running')
                    """, arguments: [reason, time, id])
            }
        }
    }

    /// Puts every unfinished trial (queued or running when a run was interrupted) back in the queue; returns their ids.
    public func requeueUnfinished() throws -> [Int] {
        try guarded {
            try db.write { db in
                let ids = try Int.fetchAll(db, sql: "SELECT id FROM trial WHERE status IN ('queued', 'running') ORDER BY id")
                try db.execute(sql: "UPDATE trial SET status = 'queued', pid = NULL WHERE status = 'running'")
                return ids
            }
        }
    }

    static func insertCheckpoint(_ db: Database, _ state: [UInt8], _ time: Double) throws {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trial") ?? 0
        try db.execute(sql: "INSERT INTO strategy_checkpoint (state, created_at, trials) VALUES (?, ?, ?)",
                       arguments: [Data(state), time, count])
        // Older snapshots are never restored; keep a few for inspection only.
        try db.execute(sql: "DELETE FROM strategy_checkpoint WHERE id <= (SELECT MAX(id) FROM strategy_checkpoint) - 5")
    }

    /// The newest strategy checkpoint, if any.
    public func latestCheckpoint() throws -> [UInt8]? {
        try guarded {
            try db.read { db in
                try Data.fetchOne(db, sql: "SELECT state FROM strategy_checkpoint ORDER BY id DESC LIMIT 1").map { [UInt8]($0) }
            }
        }
    }

    /// Every trial, by id.
    public func trials() throws -> [TrialRecord] {
        try guarded { try db.read { try Row.fetchAll($0, sql: "SELECT * FROM trial ORDER BY id").map(record) } }
    }

    /// One trial, or `nil`.
    public func trial(_ id: Int) throws -> TrialRecord? {
        try guarded { try db.read { try Row.fetchOne($0, sql: "SELECT * FROM trial WHERE id = ?", arguments: [id]).map(record) } }
    }

    /// How many trials exist.
    public func trialCount() throws -> Int {
        try guarded { try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM trial") ?? 0 } }
    }

    /// The intermediate metrics of a trial's attempt (default: the latest), by epoch.
    public func intermediates(_ id: Int, attempt: Int? = nil) throws -> [IntermediateMetric] {
        try guarded {
            try db.read { db in
                let a = try attempt ?? Int.fetchOne(db, sql: "SELECT attempts FROM trial WHERE id = ?", arguments: [id]) ?? 0
                return try Row.fetchAll(db, sql: "SELECT * FROM trial_metric WHERE trial_id = ? AND attempt = ? ORDER BY epoch",
                                        arguments: [id, a]).map {
                    let c = StoreRow(row: $0, path: path, what: "trial_metric")
                    return IntermediateMetric(trialID: try c.get("trial_id"), attempt: try c.get("attempt"), epoch: try c.get("epoch"),
                                              metric: try c.get("metric"))
                }
            }
        }
    }

    /// The succeeded trials with the best final metrics, best first. Ties go to the lower validation loss (trials
    /// without one after those with one), then to the lower id: see ``TrialRecord/ranks(before:)``.
    public func top(_ k: Int) throws -> [TrialRecord] {
        try guarded {
            try db.read {
                try Row.fetchAll($0, sql: """
                    SELECT * FROM trial WHERE status = 'succeeded'
                    ORDER BY final_metric DESC, final_loss IS NULL, final_loss ASC, id ASC LIMIT ?
                    """,
                                 arguments: [max(0, k)]).map(record)
            }
        }
    }

    func record(_ r: Row) throws -> TrialRecord {
        let c = StoreRow(row: r, path: path, what: "trial")
        let statusText: String = try c.get("status")
        guard var status = TrialStatus(rawValue: statusText) else { throw c.bad("status", "is '\(statusText)'") }
        // An early-stopped trial is stored as succeeded (its last metric is its result) with the epoch it reached.
        let stoppedEpoch: Int? = try c.opt("stopped_epoch")
        if status == .succeeded, stoppedEpoch != nil { status = .stopped }
        return TrialRecord(
            id: try c.get("id"), architectureJSON: try c.get("architecture"), status: status,
            finalMetric: try c.opt("final_metric"), finalLoss: try c.opt("final_loss"), testMetric: try c.opt("test_metric"), stoppedEpoch: stoppedEpoch, params: try c.opt("params"), flops: try c.opt("flops"), error: try c.opt("error"),
            attempts: try c.get("attempts"), pid: try c.opt("pid"), queuedAt: try c.get("queued_at"), startedAt: try c.opt("started_at"),
            endedAt: try c.opt("ended_at"),
            overhead: TrialOverhead(processStartMs: try c.opt("process_start_ms"), loadMs: try c.opt("load_ms"),
                                    specializeMs: try c.opt("specialize_ms"), compileMs: try c.opt("compile_ms")),
            told: try c.get("told"))
    }

    // MARK: - JSON columns

    static func encodeJSON<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decodeJSON<T: Decodable>(_ text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
