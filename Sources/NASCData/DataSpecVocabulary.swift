// DataSpecVocabulary: pins a text data set's vocabulary to a file, so every trial, predict and export encode alike.
import NASCIR

extension DataSpec {
    /// The file name an experiment keeps its text vocabulary under.
    public static let vocabularyFileName = "vocab.txt"

    /// For a `text:` spec without `vocab=`: builds the vocabulary from the training file, writes it to
    /// `directory/vocab.txt` and returns the spec with `vocab=` naming that file (absolute). Nil for any other
    /// spec, or a text spec whose vocabulary is already a file.
    ///
    /// - Throws: ``DiagnosticError`` for unreadable data, an empty vocabulary, or a file that cannot be written.
    public static func pinVocabulary(_ text: String, in directory: String, currentDirectory: String) throws -> String? {
        guard case .text(_, let options) = try parse(text, at: SourceLocation(file: "--data")),
              options.vocabularyPath == nil else { return nil }
        let file = standardized(DataFile.join(directory, vocabularyFileName), against: currentDirectory)
        return try saveVocabulary(text, to: file)
    }

    /// For a `text:` spec: writes the vocabulary it encodes with (its `vocab=` file, or the one built from its
    /// training file) to `file` and returns the spec reading that file, so the run that saves weights and every later
    /// reader of them encode text alike. Nil for any other spec.
    ///
    /// - Throws: ``DiagnosticError`` for unreadable data or vocabulary, an empty vocabulary, or an unwritable `file`.
    public static func saveVocabulary(_ text: String, to file: String) throws -> String? {
        guard case .text(let path, let options) = try parse(text, at: SourceLocation(file: "--data")) else { return nil }
        let vocabulary = try TextLoader.vocabulary(path: path, options: options)
        try vocabulary.save(to: file)
        return options.vocabularyPath == nil ? text + (text.contains("?") ? "&" : "?") + "vocab=" + file : text
    }
}
