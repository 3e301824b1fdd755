import Yams

/// Reads a YAML node tree while collecting diagnostics that point at the offending node.
///
/// Every accessor records a precise problem and returns `nil` instead of throwing, so one pass reports every
/// mistake in the file.
struct ManifestNodes {
    let file: String
    private(set) var diagnostics: [ManifestDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    mutating func report(_ message: String, at node: Node?, columnOffset: Int = 0) {
        let mark = node?.mark
        diagnostics.append(
            ManifestDiagnostic(
                file: file,
                line: mark?.line ?? 1,
                column: (mark?.column ?? 1) + columnOffset,
                message: message
            )
        )
    }

    /// The pairs of a mapping node, after checking every key is one of `allowed`.
    mutating func mapping(
        _ node: Node, named what: String, allowed: [String]
    ) -> [(key: String, node: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report("\(what) must be a mapping", at: node)
            return nil
        }
        var pairs: [(key: String, node: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report("keys in \(what) must be plain strings", at: keyNode)
                continue
            }
            if !allowed.isEmpty && !allowed.contains(key) {
                let hint = ManifestValues.suggestion(for: key, among: allowed).map { "; did you mean \"\($0)\"?" }
                report("unknown key \"\(key)\" in \(what)\(hint ?? "")", at: keyNode)
                continue
            }
            pairs.append((key, keyNode, value))
        }
        return pairs
    }

    mutating func string(_ node: Node, named what: String) -> String? {
        guard let scalar = node.scalar else {
            report("\(what) must be a string", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, named what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, named: what) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            report(
                "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"",
                at: node)
            return nil
        }
        return value
    }

    mutating func duration(_ node: Node, named what: String, range: ClosedRange<Duration>) -> Duration? {
        guard let text = string(node, named: what) else { return nil }
        guard let value = ManifestValues.duration(text) else {
            report("\(what) \"\(text)\" is not a duration; write it like 30s, 15m, 1h or 500ms", at: node)
            return nil
        }
        guard range.contains(value) else {
            report(
                "\(what) \(text) is out of range \(range.lowerBound.manifestText)-\(range.upperBound.manifestText)",
                at: node)
            return nil
        }
        return value
    }

    mutating func byteCount(_ node: Node, named what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, named: what) else { return nil }
        guard let value = ManifestValues.byteCount(text) else {
            report("\(what) \"\(text)\" is not a size; write it like 1MiB, 64KiB or 1048576", at: node)
            return nil
        }
        guard range.contains(value) else {
            report("\(what) \(text) is out of range \(range.lowerBound)-\(range.upperBound) bytes", at: node)
            return nil
        }
        return value
    }

    /// A sequence of scalars; a single scalar is accepted as a one-element list.
    mutating func strings(_ node: Node, named what: String) -> [(String, Node)]? {
        if let scalar = node.scalar { return [(scalar.string, node)] }
        guard case .sequence(let sequence) = node else {
            report("\(what) must be a list", at: node)
            return nil
        }
        var values: [(String, Node)] = []
        for item in sequence {
            if let text = string(item, named: "each item of \(what)") { values.append((text, item)) }
        }
        return values
    }

    /// The column offset of a scalar's first character: quoted scalars start one column after their mark.
    static func contentOffset(of node: Node) -> Int {
        switch node.scalar?.style {
        case .singleQuoted?, .doubleQuoted?: 1
        default: 0
        }
    }
}
