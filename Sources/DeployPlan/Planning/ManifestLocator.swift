import Yams

/// Finds where a key or list item sits in `functions.yaml`, so a deployment problem is reported as
/// `functions.yaml:12:5: …` like the loader's own diagnostics. The manifest model keeps no positions, hence a
/// second look at the node tree.
package struct ManifestLocator {
    let file: String
    private let root: Node?

    package init(text: String, file: String) {
        self.file = file
        root = try? Yams.compose(yaml: text)
    }

    /// `file:line:col` of the value at `path` (mapping keys), or of the list item equal to `item` inside it;
    /// the file alone when the manifest does not spell the value out (a default).
    func location(_ path: [String], item: String? = nil) -> String {
        var node = root
        for key in path { node = node?[key] }
        if let item, case .sequence(let sequence)? = node {
            node = sequence.first { $0.scalar?.string == item }
        } else if let item, node?.scalar?.string != item {
            node = nil
        }
        guard let mark = node?.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }
}
