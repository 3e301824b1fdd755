/// One problem found in a manifest, at a line and column of its file.
public struct ManifestDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The manifest's path as the user gave it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// What is wrong, in the user's terms.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `functions.yaml:12:5: message`, the form editors and CI annotate.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A manifest that cannot be used, with every problem found (not just the first).
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var diagnostics: [ManifestDiagnostic]

    /// Creates an error from its diagnostics.
    public init(_ diagnostics: [ManifestDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
