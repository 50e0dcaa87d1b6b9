// EventFileTrim: cuts the events of steps a resumed run writes again out of a directory's earlier event files, so
// TensorBoard shows each step once.
import Foundation
import NASCIR
import SwiftProtobuf

/// Rewrites event files to keep only what a resumed run does not repeat.
public enum EventFileTrim {
    /// In every `events.out.tfevents.*` file of `directory`, drops the summaries of steps `>= step` (and a record cut
    /// by a kill), keeping the rest in order; each file is replaced atomically, untouched when nothing is dropped.
    /// A run resumed from the checkpoint of `step` epochs writes those steps again in its own file.
    public static func dropSteps(from step: Int, in directory: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name.hasPrefix("events.out.tfevents.") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let (records, complete) = TFRecord.validPrefix([UInt8](data))
            var kept: [UInt8] = []
            var dropped = !complete
            for record in records {
                if let event = try? Tensorboard_Event(serializedBytes: record), case .summary? = event.what, event.step >= Int64(step) {
                    dropped = true
                    continue
                }
                kept += TFRecord.frame(record)
            }
            guard dropped else { continue }
            do {
                try Data(kept).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw DiagnosticError(.error("cannot rewrite the TensorBoard event file: \(FileErrorReason.text(error))", at: SourceLocation(file: path)))
            }
        }
    }
}
