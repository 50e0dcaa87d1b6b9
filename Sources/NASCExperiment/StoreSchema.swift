// StoreSchema: the store's tables, created and upgraded by GRDB's DatabaseMigrator.
import GRDB

/// The schema migrations of the experiment store, in order. Never edit a shipped migration: add a new one.
enum StoreSchema {
    /// Every migration identifier this build knows, oldest first.
    static var identifiers: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-experiment-trials-checkpoints") { db in
            // One row: what the experiment was started with and where it stands.
            try db.execute(sql: """
                CREATE TABLE experiment (
                  id INTEGER PRIMARY KEY CHECK (id = 1),
                  space_path TEXT NOT NULL,
                  space_hash TEXT NOT NULL,
                  space BLOB NOT NULL,
                  strategy TEXT NOT NULL,
                  strategy_options TEXT NOT NULL,
                  seed INTEGER NOT NULL,
                  concurrency INTEGER NOT NULL CHECK (concurrency >= 1),
                  max_trials INTEGER,
                  max_duration REAL,
                  max_params INTEGER,
                  max_flops INTEGER,
                  evaluator_arguments TEXT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                  end_reason TEXT,
                  started_at REAL NOT NULL,
                  ended_at REAL,
                  elapsed REAL NOT NULL DEFAULT 0,
                  sessions INTEGER NOT NULL DEFAULT 1
                )
                """)
            try db.execute(sql: """
                CREATE TABLE trial (
                  id INTEGER PRIMARY KEY,
                  architecture TEXT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
                  final_metric REAL,
                  params INTEGER,
                  flops INTEGER,
                  error TEXT,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  pid INTEGER,
                  queued_at REAL NOT NULL,
                  started_at REAL,
                  ended_at REAL,
                  process_start_ms REAL,
                  load_ms REAL,
                  specialize_ms REAL,
                  compile_ms REAL,
                  told INTEGER NOT NULL DEFAULT 0
                )
                """)
            try db.execute(sql: "CREATE INDEX trial_status ON trial(status)")
            try db.execute(sql: """
                CREATE TABLE trial_metric (
                  trial_id INTEGER NOT NULL REFERENCES trial(id),
                  attempt INTEGER NOT NULL,
                  epoch INTEGER NOT NULL,
                  metric REAL NOT NULL,
                  recorded_at REAL NOT NULL,
                  PRIMARY KEY (trial_id, attempt, epoch)
                )
                """)
            // Strategy snapshots; the newest row is the one to restore.
            try db.execute(sql: """
                CREATE TABLE strategy_checkpoint (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  state BLOB NOT NULL,
                  created_at REAL NOT NULL,
                  trials INTEGER NOT NULL
                )
                """)
        }
        m.registerMigration("v2-trial-engine") { db in
            // The trial engine (TrialEngineConfig as JSON); '{}' reads as local `nasc trial` processes.
            try db.execute(sql: "ALTER TABLE experiment ADD COLUMN engine TEXT NOT NULL DEFAULT '{}'")
        }
        m.registerMigration("v3-trial-timeouts") { db in
            // NULL: no limit. Stores created before this migration get the defaults.
            try db.execute(sql: "ALTER TABLE experiment ADD COLUMN trial_timeout REAL DEFAULT \(ExperimentConfig.defaultTrialTimeout)")
            try db.execute(sql: "ALTER TABLE experiment ADD COLUMN stall_timeout REAL DEFAULT \(ExperimentConfig.defaultStallTimeout)")
        }
        m.registerMigration("v4-trial-final-loss") { db in
            // The final validation loss of a succeeded trial (breaks ties in the metric); NULL when not reported.
            try db.execute(sql: "ALTER TABLE trial ADD COLUMN final_loss REAL")
        }
        m.registerMigration("v5-trial-test-metric") { db in
            // A benchmark table's held-out `test` value of the trial's architecture; NULL when the evaluator has none.
            try db.execute(sql: "ALTER TABLE trial ADD COLUMN test_metric REAL")
        }
        m.registerMigration("v6-early-stop") { db in
            // The early-stopping rule (EarlyStopSpec as JSON), NULL for none; the epoch an early-stopped trial reached
            // (its row stays 'succeeded': its last metric is its result).
            try db.execute(sql: "ALTER TABLE experiment ADD COLUMN early_stop TEXT")
            try db.execute(sql: "ALTER TABLE trial ADD COLUMN stopped_epoch INTEGER")
        }
        return m
    }
}
