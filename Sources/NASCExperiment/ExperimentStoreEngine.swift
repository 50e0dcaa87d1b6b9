// ExperimentStoreEngine: reading the stored trial engine (the `engine` JSON column) with defaults for older stores.
import Foundation
import NASCIR

extension ExperimentStore {
    /// Decodes the `engine` column; `{}` (stores made before trial engines existed) is local `nasc trial`.
    static func decodeEngine(_ text: String, path: String) throws -> TrialEngineConfig {
        do {
            return try JSONDecoder().decode(TrialEngineConfig.self, from: Data(text.utf8))
        } catch {
            throw DiagnosticError(.error("the stored trial engine is not valid JSON of the expected form: \(TrialMessage.preview(text))",
                                         at: SourceLocation(file: path)))
        }
    }
}

extension TrialEngineConfig {
    enum CodingKeys: String, CodingKey { case engine, trialCommand, workingDirectory, rayAddress, rayCPUs }

    /// Decodes with defaults for missing keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(engine: try c.decodeIfPresent(TrialEngineKind.self, forKey: .engine) ?? .local,
                  trialCommand: try c.decodeIfPresent(String.self, forKey: .trialCommand),
                  workingDirectory: try c.decodeIfPresent(String.self, forKey: .workingDirectory),
                  rayAddress: try c.decodeIfPresent(String.self, forKey: .rayAddress),
                  rayCPUs: try c.decodeIfPresent(Double.self, forKey: .rayCPUs) ?? 1)
    }
}
