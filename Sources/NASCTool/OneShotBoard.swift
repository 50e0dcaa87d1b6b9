// OneShotBoard: writes a one-shot search's TensorBoard log per epoch (supernet loss and accuracy, each choice's
// candidate probabilities as `label/candidate`, strategy figures).
import NASCBoard
import NASCIR
import NASCStrategies

/// The TensorBoard log of a one-shot run, in `DIR/tensorboard/`.
///
/// Per epoch (step = epoch): `supernet/train_loss`, `supernet/train_accuracy`, `supernet/valid_loss`,
/// `supernet/valid_accuracy`; for every decision and candidate, `label/candidate` with the candidate's probability
/// (softmax of the architecture weights for DARTS, Gumbel and Proxyless; the controller's policy for ENAS; the
/// uniform sampling distribution for SPOS); and `strategy/NAME` for each strategy figure (temperature, reward, ...).
public final class OneShotBoard {
    let writer: EventFileWriter
    let space: SearchSpace

    /// Opens a new event file in `DIR/tensorboard`. A run resumed after `resumedEpochs` epochs first drops the later
    /// epochs the killed session had written (they are trained again), so TensorBoard shows each epoch once.
    public init(directory: String, space: SearchSpace, resumedEpochs: Int? = nil) throws {
        if let resumedEpochs { try EventFileTrim.dropSteps(from: resumedEpochs, in: ExperimentBoard.directory(directory)) }
        writer = try EventFileWriter(directory: ExperimentBoard.directory(directory))
        self.space = space
    }

    /// The event file.
    public var path: String { writer.path }

    /// The scalars of one epoch entry, in a stable order.
    public func scalars(_ e: OneShotEpochLog) -> [(tag: String, value: Double)] {
        var values: [(tag: String, value: Double)] = [
            ("supernet/train_loss", e.trainLoss), ("supernet/train_accuracy", e.trainAccuracy),
            ("supernet/valid_loss", e.validLoss), ("supernet/valid_accuracy", e.validAccuracy),
        ]
        for d in space.decisions {
            guard let p = e.probabilities[d.label] else { continue }
            let names = DecisionNames.candidates(d)
            for (i, v) in p.enumerated() {
                values.append(("\(d.label)/\(i < names.count ? names[i] : String(i))", v))
            }
        }
        for (k, v) in e.extra.sorted(by: { $0.key < $1.key }) { values.append(("strategy/\(k)", v)) }
        return values
    }

    /// Writes one epoch entry.
    public func write(_ e: OneShotEpochLog) throws {
        try writer.scalars(scalars(e), step: e.epoch)
    }
}
