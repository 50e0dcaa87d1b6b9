// WeightsVocabulary: the text vocabulary kept next to a weights file, so `nasc predict`, `nasc eval` and
// `nasc export` encode raw text with the ids `nasc train --save` trained on.
import Foundation
import NASCData
import NASCIR

/// Where a weights file's vocabulary lives, and how training, inference and export use it.
public enum WeightsVocabulary {
    /// The vocabulary file kept next to a weights file: `best/weights.pb` gives `best/weights.vocab.txt`.
    public static func file(forWeights weights: String) -> String {
        let ext = URL(fileURLWithPath: weights).pathExtension
        return (ext.isEmpty ? weights : String(weights.dropLast(ext.count + 1))) + ".vocab.txt"
    }

    /// For `nasc train --save weights` on `text:` data: writes the vocabulary the run encodes with next to the
    /// weights and returns the data spec reading that file; any other spec is returned as it is.
    ///
    /// - Throws: ``DiagnosticError`` for unreadable data or vocabulary, an empty vocabulary, or an unwritable file.
    public static func save(data: String, weights: String) throws -> String {
        try DataSpec.saveVocabulary(data, to: file(forWeights: weights)) ?? data
    }

    /// For a `text:` spec without `vocab=` read by a model with `weights`: the spec with `vocab=` naming the
    /// vocabulary saved next to the weights. Any other spec is returned as it is.
    ///
    /// - Throws: ``DiagnosticError`` at `--data` when that file does not exist: a vocabulary built from the text at
    ///   hand would give the words other ids than the weights were trained with.
    public static func dataSpec(_ data: String, weights: String) throws -> String {
        let at = SourceLocation(file: "--data")
        guard case .text(_, let options) = try DataSpec.parse(data, at: at), options.vocabularyPath == nil else { return data }
        let vocabulary = file(forWeights: weights)
        guard FileManager.default.fileExists(atPath: vocabulary) else {
            throw DiagnosticError(.error("text data needs the vocabulary the weights were trained with, but \(vocabulary) "
                                         + "(written by nasc train --save) does not exist; name one with vocab=FILE", at: at))
        }
        return data + (data.contains("?") ? "&" : "?") + "vocab=" + vocabulary
    }

    /// Copies the vocabulary kept next to `weights`, if any, next to an export at `output` (`model.onnx` gives
    /// `model.vocab.txt`; a PyTorch directory gets `vocab.txt`). Returns the file written, nil without a vocabulary.
    ///
    /// - Throws: ``DiagnosticError`` for an unreadable vocabulary or an unwritable copy.
    public static func copy(forWeights weights: String, toExport output: String, format: ExportFormat) throws -> String? {
        let source = file(forWeights: weights)
        guard FileManager.default.fileExists(atPath: source) else { return nil }
        let vocabulary = try TextVocabulary.load(path: source)
        let target = format == .pytorch ? DataFile.join(output, DataSpec.vocabularyFileName) : file(forWeights: output)
        try vocabulary.save(to: target)
        return target
    }
}
