// StoreTests: the experiment store's round trips, migrations, WAL mode, checkpoints and located errors.
import Foundation
import NASCIR
import Testing
@testable import NASCExperiment

@Suite struct StoreTests {
    @Test func createAndReopenRoundTripsConfigAndSpace() throws {
        let dir = try Fixtures.tempDir()
        let space = try Fixtures.space()
        var config = Fixtures.config(maxTrials: 12, concurrency: 3, maxDuration: 600)
        config.strategyOptions = ["population_size": "8"]
        config.seed = UInt64.max - 3  // exercises the signed 64-bit column
        config.maxParams = 1000
        _ = try ExperimentStore.create(directory: dir, config: config, space: space)
        let store = try ExperimentStore.open(directory: dir)
        #expect(try store.config() == config)
        #expect(TextIR.print(try store.space()) == TextIR.print(space))
        #expect(try store.journalMode() == "wal")
        #expect(try store.appliedMigrations() == StoreSchema.identifiers)
        #expect(try store.state().status == "running")
    }

    @Test func trialLifecycleRoundTrips() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        let ids = try store.addTrials(["{\"a\": 1}\n", "{\"a\": 2}\n"], checkpoint: [1, 2, 3], at: 100)
        #expect(ids == [1, 2])
        #expect(try store.latestCheckpoint() == [1, 2, 3])
        try store.markRunning(1, pid: 4242, at: 101)
        try store.recordOverhead(1, TrialOverhead(processStartMs: 30, loadMs: 2, specializeMs: 1, compileMs: 4), params: 99, flops: 500)
        try store.recordIntermediate(1, epoch: 1, metric: 0.5, at: 102)
        try store.recordIntermediate(1, epoch: 2, metric: 0.75, at: 103)
        try store.finishTrial(1, .succeeded(metric: 0.8, params: nil, flops: nil), checkpoint: [9], at: 104)
        try store.markRunning(2, pid: 4243, at: 105)
        try store.finishTrial(2, .failed(reason: "crashed: killed by signal 6 (SIGABRT)"), checkpoint: [10], at: 106)

        let reopened = try ExperimentStore.open(directory: dir)
        let t1 = try #require(try reopened.trial(1))
        #expect(t1.status == .succeeded && t1.finalMetric == 0.8 && t1.params == 99 && t1.flops == 500)
        #expect(t1.attempts == 1 && t1.pid == 4242 && t1.startedAt == 101 && t1.endedAt == 104 && t1.told)
        #expect(t1.overhead == TrialOverhead(processStartMs: 30, loadMs: 2, specializeMs: 1, compileMs: 4))
        #expect(t1.overhead.totalMs == 37)
        #expect(try reopened.intermediates(1).map(\.metric) == [0.5, 0.75])
        let t2 = try #require(try reopened.trial(2))
        #expect(t2.status == .failed && t2.error == "crashed: killed by signal 6 (SIGABRT)" && t2.finalMetric == nil)
        #expect(try reopened.latestCheckpoint() == [10])
        #expect(try reopened.top(5).map(\.id) == [1])
    }

    @Test func requeueKeepsFinishedAndCountsAttempts() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        try store.addTrials(["{}", "{}", "{}"], checkpoint: nil)
        try store.markRunning(1, pid: 1)
        try store.finishTrial(1, .succeeded(metric: 0.5, params: nil, flops: nil), checkpoint: [1])
        try store.markRunning(2, pid: 2)
        try store.recordIntermediate(2, epoch: 1, metric: 0.1)
        #expect(try store.requeueUnfinished() == [2, 3])
        #expect(try store.trial(1)?.status == .succeeded)
        #expect(try store.trial(2)?.status == .queued && store.trial(2)?.pid == nil)
        try store.markRunning(2, pid: 3)
        #expect(try store.trial(2)?.attempts == 2)
        // A new attempt starts with no intermediate metrics; the first attempt's are kept under attempt 1.
        #expect(try store.intermediates(2).isEmpty)
        #expect(try store.intermediates(2, attempt: 1).map(\.metric) == [0.1])
    }

    @Test func createRefusesAnExistingExperiment() throws {
        let dir = try Fixtures.tempDir()
        _ = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        let e = #expect(throws: DiagnosticError.self) {
            _ = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        }
        #expect(e?.description.hasPrefix("\(dir): error: an experiment already exists here") == true)
    }

    @Test func missingDirectoryAndStoreAreLocatedErrors() throws {
        let e1 = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: "/nonexistent/exp") }
        #expect(e1?.description == "/nonexistent/exp: error: no such experiment directory")
        let dir = try Fixtures.tempDir()
        let e2 = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: dir) }
        #expect(e2?.description == "\(dir): error: not an experiment directory (no experiment.sqlite)")
    }

    @Test func corruptStoreIsOneLineLocatedError() throws {
        let dir = try Fixtures.tempDir()
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: Experiment.storePath(dir)))
        let e = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: dir) }
        #expect(e?.diagnostics.count == 1)
        #expect(e?.description == "\(dir)/experiment.sqlite: error: not an experiment store (the file is not a valid SQLite database)")
    }

    @Test func storeFromNewerNascIsRefused() throws {
        let dir = try Fixtures.tempDir()
        _ = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        try ExperimentStore.openUnchecked(directory: dir).execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let e = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: dir) }
        #expect(e?.description.contains("error: the store was written by a newer nasc (unknown schema v99-from-the-future)") == true)
    }

    @Test func migrationUpgradesAnEmptyDatabaseAndIsIdempotent() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        try store.addTrials(["{}"], checkpoint: [7])
        // Reopening runs the migrator again: nothing is re-applied and the data stays.
        let again = try ExperimentStore.open(directory: dir)
        #expect(try again.appliedMigrations() == StoreSchema.identifiers)
        #expect(try again.trialCount() == 1 && again.latestCheckpoint() == [7])
        let tables = try again.tableNames()
        #expect(tables.contains("experiment") && tables.contains("trial") && tables.contains("trial_metric") && tables.contains("strategy_checkpoint"))
    }

    @Test func storeWithoutExperimentRowIsAnError() throws {
        let dir = try Fixtures.tempDir()
        _ = try ExperimentStore.openUnchecked(directory: dir)
        let e = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: dir) }
        #expect(e?.description == "\(dir)/experiment.sqlite: error: the store has no experiment")
    }

    @Test func damagedValuesAreLocatedErrorsNotTraps() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        try store.addTrials(["{}"], checkpoint: nil)
        try store.execute(sql: "UPDATE trial SET attempts = 'many' WHERE id = 1")
        let e = #expect(throws: DiagnosticError.self) { _ = try store.trials() }
        #expect(e?.description == "\(dir)/experiment.sqlite: error: damaged store: trial column 'attempts' has a value of the wrong type")
        try store.execute(sql: "UPDATE experiment SET concurrency = 'x'")
        let e2 = #expect(throws: DiagnosticError.self) { _ = try ExperimentStore.open(directory: dir) }
        #expect(e2?.description == "\(dir)/experiment.sqlite: error: damaged store: experiment column 'concurrency' has a value of the wrong type")
    }
}

/// Ties in the metric go to the lower validation loss, then to the lower id.
@Suite struct TieBreakTests {
    @Test func topBreaksMetricTiesByValidationLossThenId() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(), space: try Fixtures.space())
        try store.addTrials(["{}", "{}", "{}", "{}", "{}", "{}"], checkpoint: nil)
        // Trials 1-5 reach the same (saturated) accuracy; 6 is worse. 3 has the lowest loss; 1 and 5 tie on loss;
        // 2 reported no loss (ranked after those with one).
        let results: [(Int, Double, Double?)] = [(1, 1.0, 0.20), (2, 1.0, nil), (3, 1.0, 0.05), (4, 1.0, 0.30), (5, 1.0, 0.20), (6, 0.9, 0.01)]
        for (id, metric, loss) in results {
            try store.markRunning(id, pid: 1)
            try store.finishTrial(id, .succeeded(metric: metric, params: nil, flops: nil, loss: loss), checkpoint: nil)
        }
        #expect(try store.top(6).map(\.id) == [3, 1, 5, 4, 2, 6])
        #expect(try store.trial(3)?.finalLoss == 0.05 && store.trial(2)?.finalLoss == nil)
        // The records' own order agrees with the store's.
        let sorted = try store.trials().sorted { $0.ranks(before: $1) }
        #expect(sorted.map(\.id) == [3, 1, 5, 4, 2, 6])
        // top-k prints the loss, `-` where none was reported.
        let text = try ExperimentReport.top(store, k: 6)
        let rows = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(4) == ["rank", "id", "metric", "val_loss"])
        #expect(rows.dropFirst().map { $0[3] } == ["0.0500", "0.2000", "0.2000", "0.3000", "-", "0.0100"])
    }
}
